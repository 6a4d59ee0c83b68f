//! `packages.config`: every package installed into a project (direct or not), one `<package>`
//! element each.

use vouch_model::{Component, Ecosystem, Purl, Scope};
use vouch_xml::{self as xml, Element};

use crate::{Catalog, CatalogError, Cataloger, Input};

pub(super) struct PackagesConfig;

impl Cataloger for PackagesConfig {
    fn name(&self) -> &'static str {
        "packages-config"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "packages.config"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        if input.contents.trim().is_empty() {
            return Ok(catalog);
        }
        let root = xml::parse(input.contents)
            .map_err(|error| input.error(Some(error.line), error.message))?;
        if root.name != "packages" {
            return Err(input.error(
                Some(root.line),
                format!("not a packages.config: the root element is <{}>", root.name),
            ));
        }
        for element in root.children_named("package") {
            match package(input, element) {
                Ok(component) => {
                    catalog.push_unique(component);
                }
                Err(problem) => catalog
                    .warnings
                    .push(format!("{}:{}: {problem}", input.path, element.line)),
            }
        }
        Ok(catalog)
    }
}

/// The component of one `<package>` element, or why it is skipped.
fn package(input: &Input<'_>, element: &Element) -> Result<Component, String> {
    let attribute = |name: &str| {
        element
            .attribute(name)
            .map(str::trim)
            .filter(|value| !value.is_empty())
    };
    let id = attribute("id").ok_or("<package> without an id is skipped")?;
    let version =
        attribute("version").ok_or_else(|| format!("package {id} has no version; skipped"))?;
    let purl = Purl::new("nuget", id)
        .and_then(|purl| purl.with_version(version))
        .map_err(|error| format!("package {id}: {error}"))?;
    let mut component = Component::package(Ecosystem::NuGet, purl);
    if attribute("developmentDependency").is_some_and(|value| value.eq_ignore_ascii_case("true")) {
        component.scope = Scope::Dev;
    }
    if let Some(target_framework) = attribute("targetFramework") {
        component.properties.insert(
            "nuget:target-framework".to_owned(),
            target_framework.to_owned(),
        );
    }
    component.locations = vec![input.location(Some(element.line))];
    Ok(component)
}

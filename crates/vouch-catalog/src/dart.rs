//! Dart and Flutter: `pubspec.lock`, with the `pubspec.yaml` beside it for the project itself.

use std::collections::BTreeMap;

use saphyr::MarkedYaml;
use vouch_model::{
    Component, ComponentKind, Ecosystem, HashAlgorithm, Purl, PurlError, Relationship,
    RelationshipKind, Scope, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, hex_hash, yaml};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(PubspecLock)]
}

/// Hosted URLs that mean pub.dev, the default repository.
const PUB_DEV_URLS: [&str; 4] = [
    "https://pub.dev",
    "https://pub.dartlang.org",
    "https://pub.dev/",
    "https://pub.dartlang.org/",
];

#[derive(Debug, Clone, Copy)]
struct PubspecLock;

/// What `dependency:` says about a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dependency {
    DirectMain,
    DirectDev,
    DirectOverridden,
    Transitive,
}

impl Dependency {
    fn parse(text: &str) -> Option<Self> {
        Some(match text {
            "direct main" => Self::DirectMain,
            "direct dev" => Self::DirectDev,
            "direct overridden" => Self::DirectOverridden,
            "transitive" => Self::Transitive,
            _ => return None,
        })
    }
}

impl Cataloger for PubspecLock {
    fn name(&self) -> &'static str {
        "pubspec-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "pubspec.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(document) = yaml::load_mapping(input, "expected a mapping with a `packages` key")?
        else {
            return Ok(catalog);
        };
        let mut direct = Vec::new();
        for (key, entry) in yaml::get(&document, "packages")
            .into_iter()
            .flat_map(yaml::entries)
        {
            let line = key.span.start.line();
            let Some(name) = yaml::text(key) else {
                return Err(input.error(Some(line), "package names must be text"));
            };
            let dependency_text = yaml::get_text(entry, "dependency").unwrap_or_default();
            let Some(dependency) = Dependency::parse(&dependency_text) else {
                return Err(input.error(
                    Some(line),
                    format!("`{name}`: unknown dependency kind `{dependency_text}`"),
                ));
            };
            let source = yaml::get_text(entry, "source").unwrap_or_default();
            if source == "sdk" {
                catalog.warnings.push(format!(
                    "line {line}: skipped `{name}`: it ships with the {} SDK, not from a repository",
                    yaml::get_text(entry, "description").unwrap_or_else(|| "Dart".to_owned())
                ));
                continue;
            }
            let mut component = match package_component(&name, entry, &source) {
                Ok(Some(component)) => component,
                Ok(None) => {
                    catalog.warnings.push(format!(
                        "line {line}: skipped `{name}`: unknown source `{source}`"
                    ));
                    continue;
                }
                Err(error) => {
                    catalog
                        .warnings
                        .push(format!("line {line}: skipped `{name}`: {error}"));
                    continue;
                }
            };
            component.direct = Some(dependency != Dependency::Transitive);
            if dependency == Dependency::DirectDev {
                component.scope = Scope::Dev;
            }
            component.locations.push(input.location(Some(line)));
            if component.direct == Some(true) {
                let kind = match dependency {
                    Dependency::DirectDev => RelationshipKind::DevDependsOn,
                    _ => RelationshipKind::DependsOn,
                };
                direct.push((kind, component.id.clone()));
            }
            catalog.components.push(component);
        }

        if let Some(root) = project(input, &mut catalog.warnings)? {
            catalog.relationships = direct
                .into_iter()
                .map(|(kind, to)| Relationship::new(root.id.clone(), kind, to))
                .collect();
            catalog.components.insert(0, root);
        }
        Ok(catalog)
    }
}

/// The component of one locked package; `None` for a source this reader does not know.
fn package_component(
    name: &str,
    entry: &MarkedYaml<'_>,
    source: &str,
) -> Result<Option<Component>, PurlError> {
    let description = yaml::get(entry, "description");
    let field = |key: &str| description.and_then(|description| yaml::get_text(description, key));
    let version = yaml::get_text(entry, "version");
    let mut purl = Purl::from_parts("pub", None, name, version.as_deref(), BTreeMap::new(), None)?;
    let component_source = match source {
        "hosted" => {
            let url = field("url").filter(|url| !PUB_DEV_URLS.contains(&url.as_str()));
            if let Some(url) = &url {
                purl = purl.with_qualifier("repository_url", url)?;
            }
            Source::Registry { url }
        }
        "git" => {
            let url = field("url").unwrap_or_default();
            // `resolved-ref` is the commit; `ref` is what the pubspec asked for.
            let reference = field("resolved-ref").or_else(|| field("ref"));
            let vcs_url = match &reference {
                Some(reference) => format!("git+{url}@{reference}"),
                None => format!("git+{url}"),
            };
            purl = purl.with_qualifier("vcs_url", &vcs_url)?;
            Source::Git { url, reference }
        }
        "path" => Source::Path {
            path: field("path").unwrap_or_default(),
        },
        _ => return Ok(None),
    };
    let mut component = Component::package(Ecosystem::Pub, purl);
    component.source = component_source;
    component
        .hashes
        .extend(field("sha256").and_then(|sha256| hex_hash(HashAlgorithm::Sha256, &sha256)));
    Ok(Some(component))
}

/// The project named by the `pubspec.yaml` beside the lockfile.
fn project(
    input: &Input<'_>,
    warnings: &mut Vec<String>,
) -> Result<Option<Component>, CatalogError> {
    let Some(text_of_manifest) = input.files.read("pubspec.yaml")? else {
        return Ok(None);
    };
    let manifest = match yaml::load_text(&text_of_manifest) {
        Ok(Some(manifest)) => manifest,
        Ok(None) => return Ok(None),
        Err((line, message)) => {
            warnings.push(format!(
                "ignored pubspec.yaml beside the lockfile (line {line}): {message}"
            ));
            return Ok(None);
        }
    };
    let Some(name_node) = yaml::get(&manifest, "name") else {
        return Ok(None);
    };
    let Some(name) = yaml::text(name_node) else {
        return Ok(None);
    };
    let version = yaml::get_text(&manifest, "version");
    let purl = match Purl::from_parts(
        "pub",
        None,
        &name,
        version.as_deref(),
        BTreeMap::new(),
        None,
    ) {
        Ok(purl) => purl,
        Err(error) => {
            warnings.push(format!("pubspec.yaml: skipped project `{name}`: {error}"));
            return Ok(None);
        }
    };
    let mut root = Component::package(Ecosystem::Pub, purl);
    root.kind = ComponentKind::Application;
    root.source = Source::Workspace;
    root.locations
        .push(input.sibling_location("pubspec.yaml", Some(name_node.span.start.line())));
    Ok(Some(root))
}

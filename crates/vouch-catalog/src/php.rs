//! Composer: `composer.lock`, with the `composer.json` beside it for the project itself.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Deserialize;
use serde_json::Value;
use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, HashAlgorithm, Purl, PurlError, Relationship,
    RelationshipKind, Scope, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, LineCounter, hex_hash, line_of_offset};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(ComposerLock)]
}

/// Notification URLs of packagist.org, the default repository.
const PACKAGIST: &str = "https://packagist.org/";

#[derive(Debug, Clone, Copy)]
struct ComposerLock;

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    packages: Option<Vec<LockedPackage>>,
    /// `null` when the lock was written with `--no-dev`.
    #[serde(default, rename = "packages-dev")]
    packages_dev: Option<Vec<LockedPackage>>,
}

/// One locked package. Maps are kept as JSON values: PHP writes an empty map as `[]`.
#[derive(Deserialize)]
struct LockedPackage {
    name: String,
    version: Option<String>,
    source: Option<Origin>,
    dist: Option<Origin>,
    #[serde(default)]
    require: Value,
    #[serde(default)]
    replace: Value,
    #[serde(default)]
    provide: Value,
    #[serde(default)]
    license: Value,
    description: Option<String>,
    /// Where installs are reported: names the repository the package came from.
    #[serde(rename = "notification-url")]
    notification_url: Option<String>,
}

/// A `source` (VCS checkout) or `dist` (archive) entry.
#[derive(Deserialize)]
struct Origin {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    shasum: Option<String>,
}

/// The project's own manifest.
#[derive(Deserialize)]
struct Manifest {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    require: Value,
    #[serde(default, rename = "require-dev")]
    require_dev: Value,
}

impl Cataloger for ComposerLock {
    fn name(&self) -> &'static str {
        "composer-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "composer.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(lockfile) = input.parse_json::<Option<Lockfile>>("not a valid composer.lock: ")?
        else {
            return Ok(catalog);
        };
        let Some(lockfile) = lockfile else {
            catalog
                .warnings
                .push("the file holds `null` instead of a lock object".to_owned());
            return Ok(catalog);
        };

        let locked: Vec<(&LockedPackage, Scope)> = lockfile
            .packages
            .iter()
            .flatten()
            .map(|package| (package, Scope::Required))
            .chain(
                lockfile
                    .packages_dev
                    .iter()
                    .flatten()
                    .map(|package| (package, Scope::Dev)),
            )
            .collect();

        // Package names (and the names they replace or provide) → component id. Composer locks
        // one version per name; should a file hold more, the first is the one edges point to.
        let mut ids_by_name: HashMap<String, ComponentId> = HashMap::new();
        let mut seen = HashSet::new();
        let mut search_from = 0;
        let mut lines = LineCounter::new(input.contents);
        for (package, scope) in &locked {
            // Entries appear in file order; composer writes `"name": "vendor/package"`.
            let needle = format!("\"name\": \"{}\"", package.name);
            let line = input.contents.get(search_from..).and_then(|rest| {
                let offset = search_from + rest.find(&needle)?;
                search_from = offset + needle.len();
                Some(lines.line_at(offset))
            });
            let mut component = match package_component(package, *scope) {
                Ok(component) => component,
                Err(error) => {
                    catalog
                        .warnings
                        .push(format!("skipped package `{}`: {error}", package.name));
                    continue;
                }
            };
            if !seen.insert(component.id.clone()) {
                continue;
            }
            component.locations.push(input.location(line));
            ids_by_name
                .entry(package.name.to_ascii_lowercase())
                .or_insert_with(|| component.id.clone());
            catalog.components.push(component);
        }
        for (package, _) in &locked {
            let Some(id) = ids_by_name.get(&package.name.to_ascii_lowercase()).cloned() else {
                continue;
            };
            for alias in map_keys(&package.replace).chain(map_keys(&package.provide)) {
                ids_by_name
                    .entry(alias.to_ascii_lowercase())
                    .or_insert_with(|| id.clone());
            }
        }

        let mut edges = BTreeSet::new();
        for (package, _) in &locked {
            let Some(from) = ids_by_name.get(&package.name.to_ascii_lowercase()) else {
                continue;
            };
            for required in map_keys(&package.require) {
                match resolve(&ids_by_name, required) {
                    Some(to) => {
                        edges.insert(Relationship::new(
                            from.clone(),
                            RelationshipKind::DependsOn,
                            to.clone(),
                        ));
                    }
                    None => warn_unlocked(&mut catalog.warnings, &package.name, required),
                }
            }
        }

        if let Some(text) = input.files.read("composer.json")? {
            add_root(input, &text, &ids_by_name, &mut catalog, &mut edges);
        }
        catalog.relationships = edges.into_iter().collect();
        Ok(catalog)
    }
}

fn package_component(package: &LockedPackage, scope: Scope) -> Result<Component, PurlError> {
    // Packages from another Composer repository (packages.drupal.org, ...) are not Packagist's.
    let repository = package
        .notification_url
        .as_deref()
        .filter(|url| !url.starts_with(PACKAGIST))
        .map(|url| {
            url.trim_end_matches('/')
                .trim_end_matches("/downloads")
                .to_owned()
        });
    let mut purl = package_purl(&package.name, package.version.as_deref())?;
    if let Some(repository) = &repository {
        purl = purl.with_qualifier("repository_url", repository)?;
    }
    let mut component = Component::package(Ecosystem::Packagist, purl);
    component.scope = scope;
    component.description.clone_from(&package.description);
    component.licenses = match &package.license {
        Value::String(license) => vec![license.clone()],
        Value::Array(licenses) => licenses
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    let dist = package.dist.as_ref();
    // An empty `shasum` (archives from GitHub) is no hash.
    component.hashes.extend(
        dist.and_then(|dist| dist.shasum.as_deref())
            .and_then(|shasum| hex_hash(HashAlgorithm::Sha1, shasum)),
    );
    component.source = match (dist, &package.source) {
        // A `path` repository: the dist URL is the directory.
        (
            Some(Origin {
                kind: Some(kind),
                url: Some(url),
                ..
            }),
            _,
        ) if kind == "path" => Source::Path { path: url.clone() },
        (Some(Origin { url: Some(url), .. }), _) => {
            component.download_url = Some(url.clone());
            Source::Registry { url: repository }
        }
        // Installed from a VCS checkout only, with no archive to download.
        (
            _,
            Some(Origin {
                kind: Some(kind),
                url: Some(url),
                reference,
                ..
            }),
        ) if kind == "git" => Source::Git {
            url: url.clone(),
            reference: reference.clone(),
        },
        _ => Source::Registry { url: repository },
    };
    Ok(component)
}

/// `pkg:composer/vendor/name@version`; purl lower-cases both, as Packagist names are.
fn package_purl(name: &str, version: Option<&str>) -> Result<Purl, PurlError> {
    let (vendor, package) = match name.split_once('/') {
        Some((vendor, package)) => (Some(vendor), package),
        None => (None, name),
    };
    Purl::from_parts(
        "composer",
        vendor,
        package,
        version,
        Default::default(),
        None,
    )
}

fn map_keys(value: &Value) -> impl Iterator<Item = &str> {
    value
        .as_object()
        .into_iter()
        .flat_map(|map| map.keys().map(String::as_str))
}

fn resolve<'a>(
    ids_by_name: &'a HashMap<String, ComponentId>,
    name: &str,
) -> Option<&'a ComponentId> {
    ids_by_name.get(&name.to_ascii_lowercase())
}

/// Requirements without a vendor (`php`, `ext-json`, `composer-plugin-api`) are the platform,
/// never locked; a missing `vendor/name` is worth a warning.
fn warn_unlocked(warnings: &mut Vec<String>, from: &str, required: &str) {
    if required.contains('/') {
        warnings.push(format!(
            "`{from}` requires `{required}`, which is not locked"
        ));
    }
}

/// The project from `composer.json`, with edges to what it requires, and the direct flags.
fn add_root(
    input: &Input<'_>,
    text: &str,
    ids_by_name: &HashMap<String, ComponentId>,
    catalog: &mut Catalog,
    edges: &mut BTreeSet<Relationship>,
) {
    let manifest: Manifest = match serde_json::from_str(text) {
        Ok(manifest) => manifest,
        Err(error) => {
            catalog.warnings.push(format!(
                "ignored composer.json beside the lockfile, so direct dependencies are not known: {error}"
            ));
            return;
        }
    };
    let mut targets = Vec::new();
    for (requirements, kind) in [
        (&manifest.require, RelationshipKind::DependsOn),
        (&manifest.require_dev, RelationshipKind::DevDependsOn),
    ] {
        for required in map_keys(requirements) {
            match resolve(ids_by_name, required) {
                Some(to) => targets.push((kind, to.clone())),
                None => warn_unlocked(&mut catalog.warnings, "composer.json", required),
            }
        }
    }
    for component in &mut catalog.components {
        component.direct = Some(targets.iter().any(|(_, to)| *to == component.id));
    }
    let Some(name) = manifest.name else {
        return;
    };
    let mut root = match package_purl(&name, manifest.version.as_deref()) {
        Ok(purl) => Component::package(Ecosystem::Packagist, purl),
        Err(error) => {
            catalog
                .warnings
                .push(format!("composer.json: skipped project `{name}`: {error}"));
            return;
        }
    };
    root.kind = ComponentKind::Application;
    root.source = Source::Workspace;
    let line = text
        .find(&format!("\"{name}\""))
        .map(|offset| line_of_offset(text, offset));
    root.locations
        .push(input.sibling_location("composer.json", line));
    for (kind, to) in targets {
        edges.insert(Relationship::new(root.id.clone(), kind, to));
    }
    catalog.components.insert(0, root);
}

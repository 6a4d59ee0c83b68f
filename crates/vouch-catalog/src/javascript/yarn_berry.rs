//! Yarn Berry (v2+) `yarn.lock`: YAML whose keys are comma-separated descriptors
//! (`name@npm:^1.0.0, name@npm:^1.1.0`) and whose `resolution` names the package that satisfies
//! them with a protocol: `npm:`, `workspace:`, `patch:`, `file:`, `link:`, `portal:`, git or a
//! tarball URL.

use std::collections::{BTreeSet, HashMap};

use saphyr::MarkedYaml;

use super::yarn::{Entry, descriptor_index, link_entries};
use super::{
    DependencyGroup, Manifest, Origin, Package, PackageSet, join_relative, read_member_manifest,
    split_last_package, split_name_spec,
};
use crate::{Catalog, CatalogError, Input, yaml};

/// What Yarn writes as the version of workspaces and links: a placeholder, not a release.
const LOCAL_VERSION: &str = "0.0.0-use.local";

pub(super) fn catalog(input: &Input<'_>) -> Result<Catalog, CatalogError> {
    let mut set = PackageSet::default();
    let Some(document) = yaml::load_mapping(input, "yarn.lock must be a YAML mapping")? else {
        return Ok(set.finish());
    };
    let mut entries = Vec::new();
    // Each entry's resolution, which is also its locator for `::locator=` keys.
    let mut locators = Vec::new();
    let mut workspaces: Vec<(usize, String)> = Vec::new();
    for (key, value) in yaml::entries(&document) {
        let Some(key_text) = yaml::text(key) else {
            continue;
        };
        if key_text == "__metadata" {
            continue;
        }
        let line = Some(yaml::line(key));
        let Some(resolution) = yaml::get_text(value, "resolution") else {
            set.warn(line, format!("`{key_text}` has no resolution; skipped"));
            continue;
        };
        let Some(package) = resolved_package(&mut set, &resolution, value, line) else {
            continue;
        };
        if let Origin::Workspace(path) = &package.origin {
            workspaces.push((entries.len(), path.clone()));
        }
        entries.push(Entry {
            descriptors: key_text.split(", ").map(str::to_owned).collect(),
            package,
            dependencies: dependencies_of(value),
        });
        locators.push(resolution);
    }

    // Yarn lists a workspace's dev dependencies with the others: its package.json tells them
    // apart when it is there.
    let mut overrides = Vec::new();
    let mut root_locator = None;
    for (index, path) in &workspaces {
        if path == "." {
            root_locator = locators.get(*index).cloned();
        }
        let Some(manifest) = read_member_manifest(input, path, &mut set)? else {
            continue;
        };
        if let Some(entry) = entries.get_mut(*index) {
            regroup(entry, &manifest);
            entry.package.version = manifest.version;
        }
        if path == "." {
            overrides = manifest.resolutions;
        }
    }
    let catalogs = read_catalogs(input, &mut set)?;
    let single_versions = single_version_entries(&entries);

    let index = descriptor_index(&entries);
    let find = |name: &str, range: &str, dependent: usize| {
        let mut ranges = vec![range.to_owned()];
        ranges.extend(catalog_range(&catalogs, name, range));
        ranges.extend(override_ranges(&overrides, name, range));
        let dependent_locators = [locators.get(dependent), root_locator.as_ref()];
        for range in &ranges {
            let exact = format!("{name}@{range}");
            // Lockfiles before metadata version 6 write `^1.0.0` where the key says
            // `npm:^1.0.0`; `file:`, `link:`, `portal:` and `patch:` keys carry the workspace
            // they are relative to (the dependent, or the root for `resolutions`) as `::locator=`.
            let mut candidates = vec![exact.clone(), format!("{name}@npm:{range}")];
            candidates.extend(
                dependent_locators
                    .iter()
                    .flatten()
                    .map(|locator| format!("{exact}::locator={}", encode_uri_component(locator))),
            );
            if let Some(found) = candidates.iter().find_map(|candidate| index.get(candidate)) {
                return Some(*found);
            }
        }
        // A `catalog:` range whose catalog is not at hand: when the lock holds one version of
        // the package, that version is what the catalog chose.
        range
            .starts_with("catalog:")
            .then(|| single_versions.get(name).copied())
            .flatten()
    };
    let ids = link_entries(input, &mut set, entries, find);
    let projects: BTreeSet<_> = workspaces
        .iter()
        .filter_map(|(index, _)| ids.get(*index).cloned())
        .collect();
    if !projects.is_empty() {
        set.scope_from_graph(&projects);
        set.mark_direct(&projects);
    }
    Ok(set.finish())
}

/// The package a `resolution` (`name@protocol:reference`) names; `None`, with a warning, for a
/// protocol that is not understood.
fn resolved_package(
    set: &mut PackageSet,
    resolution: &str,
    entry: &MarkedYaml<'_>,
    line: Option<usize>,
) -> Option<Package> {
    let Some((name, reference)) = split_name_spec(resolution) else {
        set.warn(
            line,
            format!("resolution `{resolution}` is not `name@reference`"),
        );
        return None;
    };
    let version = yaml::get_text(entry, "version").filter(|version| version != LOCAL_VERSION);
    let mut package = match reference.split_once(':') {
        Some(("npm", version)) => {
            Package::new(name, Some(version.to_owned()), Origin::Registry(None))
        }
        Some(("workspace", path)) => Package::new(
            name,
            version,
            Origin::Workspace(super::normalize_relative(path)),
        ),
        Some(("patch", patched)) => {
            // `patch:name@npm%3A1.0.0#./fix.patch::version=1.0.0&hash=...`: the package is the
            // one patched, changed by the patch file.
            let (inner, patch) = patched.split_once('#').unwrap_or((patched, ""));
            let inner = percent_decode(inner);
            let mut package = resolved_package(set, &inner, entry, line)?;
            let patch = patch.split("::").next().unwrap_or(patch);
            package
                .properties
                .insert("yarn:patch".to_owned(), patch.to_owned());
            return Some(package);
        }
        Some(("file" | "link" | "portal", target)) => {
            let (target, parameters) = target.split_once("::").unwrap_or((target, ""));
            let target = target.split('#').next().unwrap_or(target);
            let base = locator_workspace(parameters).unwrap_or_else(|| ".".to_owned());
            Package::new(name, version, Origin::Path(join_relative(&base, target)))
        }
        _ if reference.contains("://")
            || reference.starts_with("git@")
            || reference.starts_with("github:") =>
        {
            Package::new(name, version, Origin::from_resolved(reference))
        }
        _ => {
            set.warn(
                line,
                format!("resolution `{resolution}` uses a protocol vouch does not read; skipped"),
            );
            return None;
        }
    };
    package.line = line;
    if let Some(checksum) = yaml::get_text(entry, "checksum") {
        // The digest of Yarn's cache archive, not of the registry tarball: kept as a fact, never
        // offered as the package's hash.
        package
            .properties
            .insert("yarn:checksum".to_owned(), checksum);
    }
    Some(package)
}

/// The workspace a `locator=name%40workspace%3Apath` parameter points at.
fn locator_workspace(parameters: &str) -> Option<String> {
    let locator = parameters
        .split('&')
        .find_map(|parameter| parameter.strip_prefix("locator="))?;
    let locator = percent_decode(locator);
    let (_, reference) = split_name_spec(&locator)?;
    reference
        .strip_prefix("workspace:")
        .map(super::normalize_relative)
}

/// `dependencies` with `dependenciesMeta` optional flags applied.
fn dependencies_of(entry: &MarkedYaml<'_>) -> Vec<(DependencyGroup, String, String)> {
    let meta = yaml::get(entry, "dependenciesMeta");
    let optional = |name: &str| {
        meta.and_then(|meta| yaml::get(meta, name))
            .is_some_and(|flags| yaml::is_true(flags, "optional"))
    };
    let mut dependencies = Vec::new();
    if let Some(listed) = yaml::get(entry, "dependencies") {
        for (name, range) in yaml::entries(listed) {
            let (Some(name), Some(range)) = (yaml::text(name), yaml::text(range)) else {
                continue;
            };
            let group = if optional(&name) {
                DependencyGroup::Optional
            } else {
                DependencyGroup::Production
            };
            dependencies.push((group, name, range));
        }
    }
    dependencies
}

fn regroup(entry: &mut Entry, manifest: &Manifest) {
    for (group, name, _) in &mut entry.dependencies {
        if let Some(declared) = manifest.group_of(name) {
            *group = declared;
        }
    }
}

/// Yarn catalogs from `.yarnrc.yml` beside the lockfile: catalog name (`""` for the default
/// `catalog:`) to package name to range.
type Catalogs = HashMap<String, HashMap<String, String>>;

fn read_catalogs(input: &Input<'_>, set: &mut PackageSet) -> Result<Catalogs, CatalogError> {
    let mut catalogs = Catalogs::new();
    let Some(contents) = input.files.read(".yarnrc.yml")? else {
        return Ok(catalogs);
    };
    let settings = Input {
        path: ".yarnrc.yml",
        contents: &contents,
        files: input.files,
    };
    let document = match yaml::load(&settings) {
        Ok(Some(document)) => document,
        Ok(None) => return Ok(catalogs),
        Err(error) => {
            set.warn(
                None,
                format!("{error}; `catalog:` ranges are matched without it"),
            );
            return Ok(catalogs);
        }
    };
    let ranges = |node: &MarkedYaml<'_>| -> HashMap<String, String> {
        yaml::entries(node)
            .filter_map(|(name, range)| Some((yaml::text(name)?, yaml::text(range)?)))
            .collect()
    };
    if let Some(default) = yaml::get(&document, "catalog") {
        catalogs.insert(String::new(), ranges(default));
    }
    for (name, catalog) in yaml::get(&document, "catalogs")
        .into_iter()
        .flat_map(yaml::entries)
    {
        if let Some(name) = yaml::text(name) {
            catalogs.insert(name, ranges(catalog));
        }
    }
    Ok(catalogs)
}

/// The range a `catalog:` or `catalog:NAME` range stands for.
fn catalog_range(catalogs: &Catalogs, name: &str, range: &str) -> Option<String> {
    let catalog = range.strip_prefix("catalog:")?;
    catalogs.get(catalog)?.get(name).cloned()
}

/// Replacement ranges the root's `resolutions` force on `name@range`. Patterns are `name`,
/// `name@range` or `**/name`; parent-specific patterns (`parent/name`) apply to every parent.
fn override_ranges(overrides: &[(String, String)], name: &str, range: &str) -> Vec<String> {
    overrides
        .iter()
        .filter(|(pattern, _)| {
            let (_, target) = split_last_package(pattern.strip_prefix("**/").unwrap_or(pattern));
            target == name || target == format!("{name}@{range}")
        })
        .map(|(_, replacement)| replacement.clone())
        .collect()
}

/// Entries whose package name has a single version in the lock, by name.
fn single_version_entries(entries: &[Entry]) -> HashMap<String, usize> {
    let mut versions: HashMap<&str, (usize, &Option<String>, bool)> = HashMap::new();
    for (position, entry) in entries.iter().enumerate() {
        let version = &entry.package.version;
        versions
            .entry(entry.package.name.as_str())
            .and_modify(|(_, known, single)| *single &= *known == version)
            .or_insert((position, version, true));
    }
    versions
        .into_iter()
        .filter(|(_, (_, _, single))| *single)
        .map(|(name, (position, _, _))| (name.to_owned(), position))
        .collect()
}

/// JavaScript's `encodeURIComponent`, which Yarn uses for locators.
fn encode_uri_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut position = 0;
    while let Some(&byte) = bytes.get(position) {
        let escaped = (byte == b'%')
            .then(|| bytes.get(position + 1..position + 3))
            .flatten()
            .filter(|digits| digits.iter().all(u8::is_ascii_hexdigit))
            .and_then(|digits| std::str::from_utf8(digits).ok())
            .and_then(|digits| u8::from_str_radix(digits, 16).ok());
        match escaped {
            Some(value) => {
                decoded.push(value);
                position += 3;
            }
            None => {
                decoded.push(byte);
                position += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locators_round_trip() {
        assert_eq!(
            encode_uri_component("babel@workspace:."),
            "babel%40workspace%3A."
        );
        assert_eq!(
            percent_decode("%40babel%2Fbenchmark%40workspace%3Abenchmark"),
            "@babel/benchmark@workspace:benchmark"
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(
            locator_workspace("locator=%40babel%2Fbenchmark%40workspace%3Abenchmark"),
            Some("benchmark".to_owned())
        );
    }
}

//! pnpm's `pnpm-lock.yaml`, lockfile versions 5.x, 6.x and 9.x.
//!
//! Packages are keyed `/name/1.0.0_peer@2.0.0` (5.x), `/name@1.0.0(peer@2.0.0)` (6.x) or
//! `name@1.0.0(peer@2.0.0)` (9.x, whose `packages` hold metadata and `snapshots` the resolved
//! dependencies of each peer variant). Importers (`importers`, or the top level of a
//! single-project 5.x/6.x lockfile) are the project and its workspace members.

use std::collections::{BTreeSet, HashMap};

use saphyr::MarkedYaml;
use vouch_model::{ComponentId, Scope};

use super::{
    DependencyGroup, Origin, Package, PackageSet, add_integrity, directory_name, join_relative,
    read_member_manifest, split_name_spec,
};
use crate::{Catalog, CatalogError, Cataloger, Input, yaml};

#[derive(Debug)]
pub(super) struct PnpmLockCataloger;

impl Cataloger for PnpmLockCataloger {
    fn name(&self) -> &'static str {
        "pnpm-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "pnpm-lock.yaml"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let Some(document) = yaml::load_mapping(input, "pnpm-lock.yaml must be a YAML mapping")?
        else {
            return Ok(Catalog::default());
        };
        Lockfile::new(input, &document).catalog()
    }
}

/// How package keys are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyStyle {
    /// 5.x: `/name/1.0.0_peer@2.0.0`.
    Slash,
    /// 6.x and 9.x: `name@1.0.0(peer@2.0.0)`, with a leading `/` in 6.x.
    At,
}

struct Lockfile<'i, 'd> {
    input: &'d Input<'i>,
    document: &'d MarkedYaml<'i>,
    style: KeyStyle,
    set: PackageSet,
    /// Package and snapshot keys (without the leading `/`) to the component they name.
    keys: HashMap<String, ComponentId>,
    /// Scopes pnpm itself wrote (`dev: true`, `optional: true`), which win over the graph's.
    declared_scopes: HashMap<ComponentId, Scope>,
}

impl<'i, 'd> Lockfile<'i, 'd> {
    fn new(input: &'d Input<'i>, document: &'d MarkedYaml<'i>) -> Self {
        let major = yaml::get_text(document, "lockfileVersion").and_then(|version| {
            let major = version.split('.').next().unwrap_or(&version).to_owned();
            major.trim_start_matches('v').parse::<u32>().ok()
        });
        let mut set = PackageSet::default();
        if major.is_none() {
            set.warn(None, "no readable lockfileVersion; reading it as version 9");
        }
        Self {
            input,
            document,
            style: match major {
                Some(major) if major < 6 => KeyStyle::Slash,
                _ => KeyStyle::At,
            },
            set,
            keys: HashMap::new(),
            declared_scopes: HashMap::new(),
        }
    }

    fn catalog(mut self) -> Result<Catalog, CatalogError> {
        let packages = yaml::get(self.document, "packages");
        let snapshots = yaml::get(self.document, "snapshots");
        for (key, entry) in packages.into_iter().flat_map(yaml::entries) {
            self.add_package(key, entry);
        }
        // 9.x: each snapshot is a peer variant of a package; it names the same component.
        for (key, snapshot) in snapshots.into_iter().flat_map(yaml::entries) {
            let Some(key) = yaml::text(key) else { continue };
            let key = normalize_key(&key);
            if let Some(id) = self.keys.get(strip_peers(key, self.style)).cloned() {
                // `optional: true` marks what only optional dependencies need.
                if yaml::is_true(snapshot, "optional") {
                    self.declare_scope(&id, Scope::Optional);
                }
                self.keys.insert(key.to_owned(), id);
            }
        }
        let importers = self.add_importers()?;
        let edge_source = snapshots.or(packages);
        for (key, entry) in edge_source.into_iter().flat_map(yaml::entries) {
            self.add_package_edges(key, entry);
        }
        let projects = self.add_importer_edges(&importers);
        self.set.scope_from_graph(&projects);
        for (id, scope) in std::mem::take(&mut self.declared_scopes) {
            if let Some(component) = self.set.component_mut(&id) {
                component.scope = scope;
            }
        }
        self.set.mark_direct(&projects);
        Ok(self.set.finish())
    }

    fn add_package(&mut self, key: &MarkedYaml<'_>, entry: &MarkedYaml<'_>) {
        let line = Some(yaml::line(key));
        let Some(key_text) = yaml::text(key) else {
            return;
        };
        let key_text = normalize_key(&key_text);
        let parsed = parse_key(key_text, self.style);
        let name = yaml::get_text(entry, "name")
            .or_else(|| parsed.as_ref().map(|parsed| parsed.name.clone()));
        let version = yaml::get_text(entry, "version")
            .or_else(|| parsed.as_ref().and_then(|parsed| parsed.version.clone()));
        let Some(name) = name else {
            self.set.warn(
                line,
                format!("cannot tell the package name of `{key_text}`; skipped"),
            );
            return;
        };
        let resolution = yaml::get(entry, "resolution");
        let origin = match resolution {
            Some(resolution) => resolution_origin(resolution),
            None => Origin::Registry(parsed.and_then(|parsed| parsed.registry)),
        };
        if matches!(origin, Origin::Registry(_)) && version.is_none() {
            self.set.warn(
                line,
                format!("cannot tell the version of `{key_text}`; skipped"),
            );
            return;
        }
        let mut package = Package::new(name, version, origin).at_line(line);
        if let Some(integrity) =
            resolution.and_then(|resolution| yaml::get_text(resolution, "integrity"))
        {
            add_integrity(&mut self.set, &mut package, &integrity);
        }
        package.download_url = resolution
            .and_then(|resolution| yaml::get_text(resolution, "tarball"))
            .filter(|tarball| tarball.starts_with("http"));
        let declared = match yaml::get_text(entry, "dev").as_deref() {
            Some("true") => Some(Scope::Dev),
            Some("false") => Some(Scope::Required),
            _ => None,
        };
        let declared = if yaml::is_true(entry, "optional") {
            Some(declared.map_or(Scope::Optional, |scope| scope.max(Scope::Optional)))
        } else {
            declared
        };
        let id = self.set.add(self.input, package);
        if let Some(scope) = declared {
            self.declare_scope(&id, scope);
        }
        self.keys.insert(key_text.to_owned(), id.clone());
        let base = strip_peers(key_text, self.style);
        self.keys.entry(base.to_owned()).or_insert(id);
    }

    fn add_package_edges(&mut self, key: &MarkedYaml<'_>, entry: &MarkedYaml<'_>) {
        let Some(key_text) = yaml::text(key) else {
            return;
        };
        let Some(from) = self.keys.get(normalize_key(&key_text)).cloned() else {
            return;
        };
        for group in [DependencyGroup::Production, DependencyGroup::Optional] {
            for (name, reference) in dependency_references(entry, group) {
                match self.resolve(&name, &reference, ".") {
                    Some(to) => self.set.relate(&from, group.relationship(), &to),
                    None => self.set.warn(
                        Some(yaml::line(key)),
                        format!("`{name}` {reference}, needed by `{key_text}`, is not in the lock"),
                    ),
                }
            }
        }
    }

    /// Records a scope pnpm wrote for a package; of several peer variants, the most needed wins.
    fn declare_scope(&mut self, id: &ComponentId, scope: Scope) {
        let merged = self
            .declared_scopes
            .get(id)
            .map_or(scope, |known| (*known).min(scope));
        self.declared_scopes.insert(id.clone(), merged);
    }

    /// The component a dependency reference (`1.0.0`, `1.0.0(peer@2)`, `/other/1.0.0`,
    /// `link:../member`) points at, from the importer at `importer`.
    fn resolve(&self, name: &str, reference: &str, importer: &str) -> Option<ComponentId> {
        if let Some(path) = reference.strip_prefix("link:") {
            // Links point at importers; pnpm lists no package for other linked directories.
            let id = ComponentId::new(format!("workspace:{}", join_relative(importer, path)));
            return self.set.contains(&id).then_some(id);
        }
        if let Some(path) = reference.strip_prefix("file:") {
            // Keys spell file dependencies relative to the lockfile, normalised.
            let key = format!("file:{}", join_relative(importer, path));
            if let Some(id) = self.keys.get(&key) {
                return Some(id.clone());
            }
        }
        let reference = normalize_key(reference);
        let joined = match self.style {
            KeyStyle::Slash => format!("{name}/{reference}"),
            KeyStyle::At => format!("{name}@{reference}"),
        };
        self.keys
            .get(&joined)
            .or_else(|| self.keys.get(reference))
            .cloned()
    }

    /// Adds the importers (the project and its workspace members) as components, before any
    /// edge, since packages may link to them.
    fn add_importers(&mut self) -> Result<Vec<Importer<'d, 'i>>, CatalogError> {
        let document = self.document;
        let importers: Vec<Importer<'d, 'i>> = match yaml::get(document, "importers") {
            Some(importers) => yaml::entries(importers)
                .filter_map(|(path, importer)| {
                    Some((
                        super::normalize_relative(&yaml::text(path)?),
                        importer,
                        yaml::line(path),
                    ))
                })
                .collect(),
            None => vec![(".".to_owned(), document, 1)],
        };
        for (path, _, line) in &importers {
            let manifest = read_member_manifest(self.input, path, &mut self.set)?;
            let (name, version) = match manifest {
                Some(manifest) => (manifest.name, manifest.version),
                None => (None, None),
            };
            // pnpm does not record member names: without the member's package.json, its path
            // is the best name there is.
            let name = name.or_else(|| {
                if path == "." {
                    directory_name(self.input)
                } else {
                    Some(path.clone())
                }
            });
            let Some(name) = name else { continue };
            let package =
                Package::new(name, version, Origin::Workspace(path.clone())).at_line(Some(*line));
            self.set.add(self.input, package);
        }
        Ok(importers)
    }

    /// Adds each importer's edges to its direct dependencies; returns the importers' ids.
    fn add_importer_edges(&mut self, importers: &[Importer<'d, 'i>]) -> BTreeSet<ComponentId> {
        let mut projects = BTreeSet::new();
        for (path, importer, line) in importers {
            let from = ComponentId::new(format!("workspace:{path}"));
            if !self.set.contains(&from) {
                continue;
            }
            projects.insert(from.clone());
            for group in [
                DependencyGroup::Production,
                DependencyGroup::Dev,
                DependencyGroup::Optional,
            ] {
                for (name, reference) in dependency_references(importer, group) {
                    match self.resolve(&name, &reference, path) {
                        Some(to) => self.set.relate(&from, group.relationship(), &to),
                        None => self.set.warn(
                            Some(*line),
                            format!("`{name}` {reference}, a dependency of importer `{path}`, is not in the lock"),
                        ),
                    }
                }
            }
        }
        projects
    }
}

/// An importer's path (relative to the lockfile), node and line.
type Importer<'d, 'i> = (String, &'d MarkedYaml<'i>, usize);

/// `(name, reference)` pairs of one dependency group. References are plain strings in
/// packages and 5.x importers, and `{specifier, version}` mappings in 6.x and 9.x importers.
fn dependency_references(node: &MarkedYaml<'_>, group: DependencyGroup) -> Vec<(String, String)> {
    yaml::get(node, group.field())
        .into_iter()
        .flat_map(yaml::entries)
        .filter_map(|(name, value)| {
            let reference = if yaml::is_mapping(value) {
                yaml::get_text(value, "version")
            } else {
                yaml::text(value)
            };
            Some((yaml::text(name)?, reference?))
        })
        .collect()
}

fn normalize_key(key: &str) -> &str {
    key.strip_prefix('/').unwrap_or(key)
}

/// A key without its peer suffix: `a@1.0.0(b@2)` → `a@1.0.0`, `a/1.0.0_b@2` → `a/1.0.0`.
fn strip_peers(key: &str, style: KeyStyle) -> &str {
    match style {
        KeyStyle::At => key.split('(').next().unwrap_or(key),
        KeyStyle::Slash => match key.rfind('/') {
            Some(slash) => {
                let last = &key[slash + 1..];
                let cut = last
                    .find('_')
                    .map_or(key.len(), |underscore| slash + 1 + underscore);
                &key[..cut]
            }
            None => key,
        },
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ParsedKey {
    name: String,
    /// `None` when the key holds no release version (git and tarball keys).
    version: Option<String>,
    /// The registry a 5.x key names with a host prefix (`example.com/foo/1.0.0`).
    registry: Option<String>,
}

fn parse_key(key: &str, style: KeyStyle) -> Option<ParsedKey> {
    let is_release = |version: &str| version.starts_with(|c: char| c.is_ascii_digit());
    match style {
        KeyStyle::At => {
            let (name, rest) = split_name_spec(key)?;
            let version = rest.split('(').next().unwrap_or(rest);
            Some(ParsedKey {
                name: name.to_owned(),
                version: is_release(version).then(|| version.to_owned()),
                registry: None,
            })
        }
        KeyStyle::Slash => {
            let key = strip_peers(key, style);
            let mut segments: Vec<&str> = key.split('/').collect();
            let mut registry = None;
            if segments
                .first()
                .is_some_and(|first| first.contains('.') && !first.starts_with('@'))
            {
                let host = segments.remove(0);
                if host != "registry.npmjs.org" {
                    registry = Some(format!("https://{host}"));
                }
            }
            let (name, version) = match segments.as_slice() {
                [scope, name, version] if scope.starts_with('@') => {
                    (format!("{scope}/{name}"), *version)
                }
                [name, version] => ((*name).to_owned(), *version),
                _ => return None,
            };
            is_release(version).then(|| ParsedKey {
                name,
                version: Some(version.to_owned()),
                registry,
            })
        }
    }
}

/// Where a `resolution` says a package comes from.
fn resolution_origin(resolution: &MarkedYaml<'_>) -> Origin {
    if let (Some(repository), Some(commit)) = (
        yaml::get_text(resolution, "repo"),
        yaml::get_text(resolution, "commit"),
    ) {
        return Origin::Git {
            url: repository,
            reference: Some(commit),
        };
    }
    if let Some(directory) = yaml::get_text(resolution, "directory") {
        return Origin::Path(super::normalize_relative(&directory));
    }
    match yaml::get_text(resolution, "tarball") {
        Some(tarball) => Origin::from_resolved(&tarball),
        None => Origin::Registry(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_each_version_parse() {
        let parsed = |key, style| parse_key(key, style).map(|p| (p.name, p.version, p.registry));
        assert_eq!(
            parsed("@babel/core/7.0.0_eslint@8.0.0", KeyStyle::Slash),
            Some(("@babel/core".to_owned(), Some("7.0.0".to_owned()), None))
        );
        assert_eq!(
            parsed("example.com/foo/1.2.0", KeyStyle::Slash),
            Some((
                "foo".to_owned(),
                Some("1.2.0".to_owned()),
                Some("https://example.com".to_owned())
            ))
        );
        assert_eq!(parsed("foo/bar", KeyStyle::Slash), None);
        assert_eq!(
            parsed("@a/b@1.0.0(react@18.0.0)", KeyStyle::At),
            Some(("@a/b".to_owned(), Some("1.0.0".to_owned()), None))
        );
        assert_eq!(
            parsed("a@https://codeload.github.com/x/y/tar.gz/abc", KeyStyle::At),
            Some(("a".to_owned(), None, None))
        );
        assert_eq!(strip_peers("a/1.0.0_b@2.0.0", KeyStyle::Slash), "a/1.0.0");
        assert_eq!(strip_peers("a@1.0.0(b@2.0.0)", KeyStyle::At), "a@1.0.0");
    }
}

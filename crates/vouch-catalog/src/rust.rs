//! Cargo: `Cargo.lock`, lockfile versions 1 to 4.
//!
//! The lockfile is read with `toml` and serde rather than the `cargo-lock` crate: `toml::Spanned`
//! gives each package's line for locations, and real lockfiles (and the osv-scalibr fixtures) hold
//! dependency references to packages absent from the file, which we want to report as warnings
//! while keeping everything else. The format is five fields per package; the cost is small.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::Deserialize;
use toml::Spanned;
use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, HashAlgorithm, Purl, Relationship,
    RelationshipKind, Scope, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, LineCounter, hex_hash, line_of_offset};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(CargoLock)]
}

/// Source ids under which cargo records crates.io, for the git index and the sparse protocol.
const CRATES_IO_SOURCES: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

#[derive(Debug, Clone, Copy)]
struct CargoLock;

#[derive(Deserialize)]
struct Lockfile {
    #[serde(default)]
    package: Vec<LockedPackage>,
    /// Version 1 keeps checksums here, keyed `checksum NAME VERSION (SOURCE)`.
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct LockedPackage {
    name: Spanned<String>,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Where one locked package comes from, decoded from its `source` id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum CrateSource {
    /// No `source`: a member of the workspace (cargo records path dependencies the same way).
    Local,
    CratesIo,
    Registry {
        url: String,
    },
    Git {
        url: String,
        commit: Option<String>,
    },
}

impl CrateSource {
    fn parse(source: Option<&str>) -> Option<Self> {
        let Some(source) = source else {
            return Some(Self::Local);
        };
        if CRATES_IO_SOURCES.contains(&source) {
            return Some(Self::CratesIo);
        }
        if let Some(url) = source
            .strip_prefix("registry+")
            .or_else(|| source.strip_prefix("sparse+"))
        {
            return Some(Self::Registry {
                url: url.to_owned(),
            });
        }
        let locator = source.strip_prefix("git+")?;
        // `URL?branch=x#commit`: the fragment is the exact commit; the query only says how the
        // manifest asked for it.
        let (locator, commit) = match locator.rsplit_once('#') {
            Some((locator, commit)) => (locator, Some(commit.to_owned())),
            None => (locator, None),
        };
        let url = locator.split_once('?').map_or(locator, |(url, _)| url);
        Some(Self::Git {
            url: url.to_owned(),
            commit,
        })
    }
}

/// A package as catalogued, with what dependency resolution needs.
struct Resolved {
    name: String,
    version: String,
    /// The `source` id without its `#commit` fragment, as dependency entries spell it.
    source_key: Option<String>,
    local: bool,
    component_index: usize,
}

impl Cataloger for CargoLock {
    fn name(&self) -> &'static str {
        "cargo-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "Cargo.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let lockfile: Lockfile = toml::from_str(input.contents).map_err(|error| {
            let line = error
                .span()
                .map(|span| line_of_offset(input.contents, span.start));
            input.error(line, format!("not a valid Cargo.lock: {}", error.message()))
        })?;
        let mut catalog = Catalog::default();
        // One record per `[[package]]` entry kept, for resolving dependency entries; entries
        // that come out as the same component share it.
        let mut resolved: Vec<Resolved> = Vec::new();
        let mut slots: Vec<Option<usize>> = Vec::with_capacity(lockfile.package.len());
        let mut index_by_id: HashMap<ComponentId, usize> = HashMap::new();
        let mut lines = LineCounter::new(input.contents);
        let package_lines: Vec<usize> = lockfile
            .package
            .iter()
            .map(|package| lines.line_at(package.name.span().start))
            .collect();
        for (package, &line) in lockfile.package.iter().zip(&package_lines) {
            let name = package.name.get_ref();
            let Some(source) = CrateSource::parse(package.source.as_deref()) else {
                catalog.warnings.push(format!(
                    "line {line}: skipped package `{name}`: unknown source kind `{}`",
                    package.source.as_deref().unwrap_or_default()
                ));
                slots.push(None);
                continue;
            };
            let (component, warning) =
                match package_component(input, package, line, &source, &lockfile.metadata) {
                    Ok(built) => built,
                    Err(message) => {
                        catalog
                            .warnings
                            .push(format!("line {line}: skipped package `{name}`: {message}"));
                        slots.push(None);
                        continue;
                    }
                };
            catalog
                .warnings
                .extend(warning.map(|warning| format!("line {line}: {warning}")));
            let component_index = match index_by_id.get(&component.id) {
                Some(&index) => index,
                None => {
                    index_by_id.insert(component.id.clone(), catalog.components.len());
                    catalog.components.push(component);
                    catalog.components.len() - 1
                }
            };
            slots.push(Some(resolved.len()));
            resolved.push(Resolved {
                name: name.clone(),
                version: package.version.clone(),
                source_key: package.source.as_deref().map(source_key).map(str::to_owned),
                local: source == CrateSource::Local,
                component_index,
            });
        }

        let mut by_name: HashMap<&str, Vec<&Resolved>> = HashMap::new();
        for package in &resolved {
            by_name
                .entry(package.name.as_str())
                .or_default()
                .push(package);
        }
        let manifests = WorkspaceManifests::read(input, &mut catalog.warnings)?;
        let mut edges = BTreeSet::new();
        for ((package, slot), line) in lockfile.package.iter().zip(&slots).zip(&package_lines) {
            let Some(from) = slot.and_then(|index| resolved.get(index)) else {
                continue;
            };
            for dependency in &package.dependencies {
                let Some(to) = resolve_dependency(&by_name, dependency) else {
                    catalog.warnings.push(format!(
                        "line {line}: dependency `{dependency}` of `{}` matches no single package of the lockfile",
                        from.name
                    ));
                    continue;
                };
                let kind = if from.local {
                    manifests.kind(&from.name, &to.name)
                } else {
                    RelationshipKind::DependsOn
                };
                edges.insert((from.component_index, kind, to.component_index));
            }
        }

        apply_direct_scopes(&mut catalog.components, &resolved, &edges);
        catalog.relationships = edges
            .into_iter()
            .map(|(from, kind, to)| {
                Relationship::new(
                    catalog.components[from].id.clone(),
                    kind,
                    catalog.components[to].id.clone(),
                )
            })
            .collect();
        Ok(catalog)
    }
}

/// Builds the component of one locked package, with a warning when its checksum is unusable.
fn package_component(
    input: &Input<'_>,
    package: &LockedPackage,
    line: usize,
    source: &CrateSource,
    metadata: &BTreeMap<String, toml::Value>,
) -> Result<(Component, Option<String>), String> {
    let name = package.name.get_ref();
    let mut purl = Purl::new("cargo", name)
        .and_then(|purl| purl.with_version(&package.version))
        .map_err(|error| error.to_string())?;
    let (kind, component_source) = match source {
        CrateSource::Local => (ComponentKind::Application, Source::Workspace),
        CrateSource::CratesIo => (ComponentKind::Library, Source::Registry { url: None }),
        CrateSource::Registry { url } => {
            purl = purl
                .with_qualifier("repository_url", url)
                .map_err(|error| error.to_string())?;
            (
                ComponentKind::Library,
                Source::Registry {
                    url: Some(url.clone()),
                },
            )
        }
        CrateSource::Git { url, commit } => {
            let vcs_url = match commit {
                Some(commit) => format!("git+{url}@{commit}"),
                None => format!("git+{url}"),
            };
            purl = purl
                .with_qualifier("vcs_url", &vcs_url)
                .map_err(|error| error.to_string())?;
            (
                ComponentKind::Library,
                Source::Git {
                    url: url.clone(),
                    reference: commit.clone(),
                },
            )
        }
    };
    let mut component = Component::package(Ecosystem::Cargo, purl);
    component.kind = kind;
    component.source = component_source;
    component.locations.push(input.location(Some(line)));
    let checksum = package.checksum.clone().or_else(|| {
        let source = package.source.as_deref()?;
        let key = format!("checksum {name} {} ({source})", package.version);
        metadata.get(&key)?.as_str().map(str::to_owned)
    });
    let mut warning = None;
    if let Some(checksum) = checksum {
        match hex_hash(HashAlgorithm::Sha256, &checksum) {
            Some(hash) => component.hashes.push(hash),
            None => {
                warning = Some(format!(
                    "ignored checksum of `{name}`: `{checksum}` is not a SHA-256 hex digest"
                ));
            }
        }
    }
    Ok((component, warning))
}

/// A `source` id without its `#commit` fragment, as `dependencies` entries spell it.
fn source_key(source: &str) -> &str {
    source.rsplit_once('#').map_or(source, |(key, _)| key)
}

/// Finds the package a `dependencies` entry names: `name`, `name version` or
/// `name version (source)`. Cargo writes only as much as it takes to be unambiguous; when an
/// entry still matches several packages, the crates.io one is the one cargo means.
fn resolve_dependency<'a>(
    by_name: &HashMap<&str, Vec<&'a Resolved>>,
    entry: &str,
) -> Option<&'a Resolved> {
    let mut parts = entry.splitn(3, ' ');
    let name = parts.next()?;
    let version = parts.next();
    let source = parts
        .next()
        .map(|source| source.trim_start_matches('(').trim_end_matches(')'));
    let mut candidates: Vec<&Resolved> = by_name
        .get(name)?
        .iter()
        .copied()
        .filter(|package| version.is_none_or(|version| package.version == version))
        .filter(|package| source.is_none_or(|source| package.source_key.as_deref() == Some(source)))
        .collect();
    // Entries that came out as one component (one commit behind two git specs) are one choice.
    candidates.sort_by_key(|package| package.component_index);
    candidates.dedup_by_key(|package| package.component_index);
    match candidates.as_slice() {
        [single] => Some(single),
        _ => {
            let mut from_crates_io = candidates.iter().filter(|package| {
                package
                    .source_key
                    .as_deref()
                    .is_some_and(|key| CRATES_IO_SOURCES.contains(&key))
            });
            match (from_crates_io.next(), from_crates_io.next()) {
                (Some(single), None) => Some(single),
                _ => None,
            }
        }
    }
}

/// Marks the dependencies of workspace members direct, and gives those that members only need
/// for tests or build scripts the matching scope.
fn apply_direct_scopes(
    components: &mut [Component],
    packages: &[Resolved],
    edges: &BTreeSet<(usize, RelationshipKind, usize)>,
) {
    let members: HashSet<usize> = packages
        .iter()
        .filter(|package| package.local)
        .map(|package| package.component_index)
        .collect();
    // Without workspace members the lockfile does not say what the project depends on.
    if members.is_empty() {
        return;
    }
    let mut direct_scopes: HashMap<usize, Scope> = HashMap::new();
    for &(from, kind, to) in edges {
        if !members.contains(&from) {
            continue;
        }
        let scope = match kind {
            RelationshipKind::DevDependsOn => Scope::Dev,
            RelationshipKind::BuildDependsOn => Scope::Build,
            _ => Scope::Required,
        };
        direct_scopes
            .entry(to)
            .and_modify(|current| *current = stronger_scope(*current, scope))
            .or_insert(scope);
    }
    for package in packages.iter().filter(|package| !package.local) {
        let Some(component) = components.get_mut(package.component_index) else {
            continue;
        };
        match direct_scopes.get(&package.component_index) {
            Some(scope) => {
                component.direct = Some(true);
                component.scope = *scope;
            }
            None => component.direct = Some(false),
        }
    }
}

/// The scope of a package needed in two ways: run time beats build time beats tests.
fn stronger_scope(left: Scope, right: Scope) -> Scope {
    let rank = |scope: Scope| match scope {
        Scope::Required => 0,
        Scope::Build => 1,
        _ => 2,
    };
    if rank(left) <= rank(right) {
        left
    } else {
        right
    }
}

/// Dependency tables of the workspace's manifests: the `Cargo.toml` beside the lockfile and the
/// members it lists by plain path (glob members would need a directory listing).
#[derive(Default)]
struct WorkspaceManifests {
    /// Package name → crate name → how the package declares it.
    by_package: HashMap<String, HashMap<String, DeclaredKinds>>,
}

#[derive(Default, Clone, Copy)]
struct DeclaredKinds {
    normal: bool,
    dev: bool,
    build: bool,
}

impl WorkspaceManifests {
    fn read(input: &Input<'_>, warnings: &mut Vec<String>) -> Result<Self, CatalogError> {
        let mut manifests = Self::default();
        let Some(root) = Self::read_manifest(input, "Cargo.toml", warnings)? else {
            return Ok(manifests);
        };
        manifests.add(&root);
        let members = root
            .get("workspace")
            .and_then(|workspace| workspace.get("members"))
            .and_then(toml::Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for member in members.iter().filter_map(toml::Value::as_str) {
            if member.contains(['*', '?', '[']) {
                continue;
            }
            let path = format!("{}/Cargo.toml", member.trim_end_matches('/'));
            if let Some(manifest) = Self::read_manifest(input, &path, warnings)? {
                manifests.add(&manifest);
            }
        }
        Ok(manifests)
    }

    fn read_manifest(
        input: &Input<'_>,
        path: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Option<toml::Table>, CatalogError> {
        let Some(text) = input.files.read(path)? else {
            return Ok(None);
        };
        match text.parse::<toml::Table>() {
            Ok(table) => Ok(Some(table)),
            Err(error) => {
                warnings.push(format!(
                    "ignored {path} beside the lockfile, so dependency scopes are not known: {}",
                    error.message()
                ));
                Ok(None)
            }
        }
    }

    fn add(&mut self, manifest: &toml::Table) {
        let Some(package_name) = manifest
            .get("package")
            .and_then(|package| package.get("name"))
            .and_then(toml::Value::as_str)
        else {
            return;
        };
        let declared = self.by_package.entry(package_name.to_owned()).or_default();
        let targets = manifest
            .get("target")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(|targets| targets.values().filter_map(toml::Value::as_table));
        for table in std::iter::once(manifest).chain(targets) {
            for (section, mark) in [
                (
                    "dependencies",
                    (|kinds: &mut DeclaredKinds| kinds.normal = true) as fn(&mut DeclaredKinds),
                ),
                ("dev-dependencies", |kinds| kinds.dev = true),
                ("build-dependencies", |kinds| kinds.build = true),
            ] {
                let Some(dependencies) = table.get(section).and_then(toml::Value::as_table) else {
                    continue;
                };
                for (key, value) in dependencies {
                    // `alias = { package = "real-name" }` renames a dependency.
                    let crate_name = value
                        .get("package")
                        .and_then(toml::Value::as_str)
                        .unwrap_or(key);
                    mark(declared.entry(crate_name.to_owned()).or_default());
                }
            }
        }
    }

    /// How member `package` depends on crate `dependency`: run-time unless its manifest declares
    /// it only for build scripts or only for tests.
    fn kind(&self, package: &str, dependency: &str) -> RelationshipKind {
        let Some(kinds) = self
            .by_package
            .get(package)
            .and_then(|declared| declared.get(dependency))
        else {
            return RelationshipKind::DependsOn;
        };
        if kinds.normal {
            RelationshipKind::DependsOn
        } else if kinds.build {
            RelationshipKind::BuildDependsOn
        } else {
            RelationshipKind::DevDependsOn
        }
    }
}

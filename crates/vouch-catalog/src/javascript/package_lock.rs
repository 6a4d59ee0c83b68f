//! npm's `package-lock.json` and `npm-shrinkwrap.json`.
//!
//! Version 1 nests packages under `dependencies` the way `node_modules` nests them. Versions 2
//! and 3 list every installed path under `packages` (`node_modules/a/node_modules/b`), with the
//! project at `""`, workspace members and `file:` directories at their own paths, and symlinks to
//! them as `link: true` entries; version 2 also keeps the version 1 tree, which is ignored.

use std::collections::{BTreeSet, HashMap};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde_json::{Map, Value};
use vouch_model::{ComponentId, RelationshipKind, Scope};

use super::{
    DependencyGroup, KeyLines, Origin, Package, PackageSet, add_integrity, directory_name,
    read_member_manifest, split_name_spec,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct PackageLockCataloger;

impl Cataloger for PackageLockCataloger {
    fn name(&self) -> &'static str {
        "package-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "package-lock.json" || file_name == "npm-shrinkwrap.json"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let Some(document) = input.parse_json::<Value>("not valid JSON: ")? else {
            return Ok(Catalog::default());
        };
        let Some(document) = document.as_object() else {
            return Err(input.error(None, "a package lock must be a JSON object"));
        };
        match document.get("packages") {
            Some(Value::Object(packages)) => Ok(catalog_packages(input, document, packages)),
            Some(_) => Err(input.error(None, "`packages` must be an object")),
            None => catalog_dependency_tree(input, document),
        }
    }
}

fn text<'a>(entry: &'a Value, field: &str) -> Option<&'a str> {
    entry.get(field).and_then(Value::as_str)
}

fn flag(entry: &Value, field: &str) -> bool {
    entry.get(field).and_then(Value::as_bool).unwrap_or(false)
}

/// npm's own classification of an installed package.
fn scope_of(entry: &Value) -> Scope {
    if flag(entry, "dev") {
        Scope::Dev
    } else if flag(entry, "optional") || flag(entry, "devOptional") {
        // `devOptional`: needed by dev dependencies or as an optional dependency, never
        // unconditionally at run time.
        Scope::Optional
    } else if flag(entry, "peer") {
        Scope::Peer
    } else {
        Scope::Required
    }
}

/// A licence field worth recording: an SPDX expression, not npm's `SEE LICENSE IN <file>`.
fn license_of(entry: &Value) -> Option<String> {
    text(entry, "license")
        .filter(|license| !license.starts_with("SEE LICENSE IN"))
        .map(str::to_owned)
}

/// The name of the package installed at `path` (`node_modules/@a/b/node_modules/c` → `c`).
fn installed_name(path: &str) -> Option<&str> {
    path.rfind("node_modules/")
        .map(|position| &path[position + "node_modules/".len()..])
        .filter(|name| !name.is_empty())
}

/// The install path Node's resolution finds `name` at when required from `from`: the nearest
/// `node_modules` up the tree.
fn resolve_install_path(from: &str, name: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let mut base = from;
    loop {
        let candidate = if base.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{base}/node_modules/{name}")
        };
        if exists(&candidate) {
            return Some(candidate);
        }
        if base.is_empty() {
            return None;
        }
        base = base
            .rfind("/node_modules/")
            .map_or("", |position| &base[..position]);
    }
}

fn workspace_globs(root: Option<&Value>) -> GlobSet {
    let patterns = root.and_then(|root| match root.get("workspaces") {
        Some(Value::Array(patterns)) => Some(patterns),
        Some(Value::Object(object)) => object.get("packages").and_then(Value::as_array),
        _ => None,
    });
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns.into_iter().flatten().filter_map(Value::as_str) {
        if let Ok(glob) = Glob::new(&super::normalize_relative(pattern)) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Lockfile versions 2 and 3.
fn catalog_packages(
    input: &Input<'_>,
    document: &Map<String, Value>,
    packages: &Map<String, Value>,
) -> Catalog {
    let mut set = PackageSet::default();
    let root = packages.get("");
    let workspaces = workspace_globs(root);
    // Symlinks (`node_modules/x` → `packages/x`): not packages of their own, but how dependents
    // find workspace members and `file:` directories.
    let links: HashMap<&str, String> = packages
        .iter()
        .filter(|(_, entry)| flag(entry, "link"))
        .filter_map(|(path, entry)| {
            text(entry, "resolved").map(|target| (path.as_str(), super::normalize_relative(target)))
        })
        .collect();
    let link_names: HashMap<&str, &str> = links
        .iter()
        .filter_map(|(path, target)| Some((target.as_str(), installed_name(path)?)))
        .collect();

    let mut lines = KeyLines::new(input.contents);
    let mut ids: HashMap<&str, ComponentId> = HashMap::new();
    let mut entry_lines: HashMap<&str, usize> = HashMap::new();
    for (path, entry) in packages {
        let line = lines.find(path);
        if let Some(line) = line {
            entry_lines.insert(path.as_str(), line);
        }
        if links.contains_key(path.as_str()) {
            continue;
        }
        let origin = if path.is_empty() {
            Origin::Workspace(".".to_owned())
        } else if path.contains("node_modules/") {
            text(entry, "resolved").map_or(Origin::Registry(None), Origin::from_resolved)
        } else if workspaces.is_match(path) {
            Origin::Workspace(path.clone())
        } else {
            Origin::Path(path.clone())
        };
        let name = text(entry, "name")
            .or_else(|| {
                path.is_empty()
                    .then(|| text_of_map(document, "name"))
                    .flatten()
            })
            .or_else(|| installed_name(path))
            .or_else(|| link_names.get(path.as_str()).copied())
            // npm names an unlinked directory package after its directory.
            .or_else(|| path.rsplit('/').next().filter(|name| !name.is_empty()))
            .map(str::to_owned)
            .or_else(|| path.is_empty().then(|| directory_name(input)).flatten());
        let Some(name) = name else {
            set.warn(line, format!("`{path}` has no package name; skipped"));
            continue;
        };
        let mut package =
            Package::new(name, text(entry, "version").map(str::to_owned), origin).at_line(line);
        package.scope = scope_of(entry);
        package.license = license_of(entry);
        if let Some(integrity) = text(entry, "integrity") {
            add_integrity(&mut set, &mut package, integrity);
        }
        package.download_url = text(entry, "resolved")
            .filter(|resolved| resolved.starts_with("http"))
            .map(str::to_owned);
        let id = set.add(input, package);
        ids.insert(path.as_str(), id);
    }

    let exists = |candidate: &str| ids.contains_key(candidate) || links.contains_key(candidate);
    let mut projects = BTreeSet::new();
    for (path, entry) in packages {
        let Some(from) = ids.get(path.as_str()) else {
            continue;
        };
        let is_project = path.is_empty() || workspaces.is_match(path);
        if is_project {
            projects.insert(from.clone());
        }
        for group in DependencyGroup::ALL {
            // npm installs the dev dependencies of the project and its workspaces only.
            if group == DependencyGroup::Dev && !is_project {
                continue;
            }
            let Some(dependencies) = entry.get(group.field()).and_then(Value::as_object) else {
                continue;
            };
            for (name, range) in dependencies {
                let target = resolve_install_path(path, name, exists)
                    .map(|target| links.get(target.as_str()).cloned().unwrap_or(target))
                    .or_else(|| {
                        // A `file:` directory npm did not link is still found by its path.
                        let directory = range.as_str()?.strip_prefix("file:")?;
                        let base = if path.is_empty() { "." } else { path.as_str() };
                        Some(super::join_relative(base, directory))
                    });
                match target.as_deref().and_then(|target| ids.get(target)) {
                    Some(to) => set.relate(from, group.relationship(), to),
                    // Missing optional and peer dependencies are normal (other platforms,
                    // optional peers); a missing runtime dependency is worth a word.
                    None if group == DependencyGroup::Production => set.warn(
                        entry_lines.get(path.as_str()).copied(),
                        format!(
                            "`{name}`, a dependency of `{}`, is not installed in the lock",
                            display_path(path)
                        ),
                    ),
                    None => {}
                }
            }
        }
    }
    if root.is_some() {
        set.mark_direct(&projects);
    }
    set.finish()
}

fn display_path(path: &str) -> &str {
    if path.is_empty() { "the project" } else { path }
}

fn text_of_map<'a>(map: &'a Map<String, Value>, field: &str) -> Option<&'a str> {
    map.get(field).and_then(Value::as_str)
}

/// One package of a version 1 tree, with where to resolve its requirements.
struct TreeNode<'a> {
    id: Option<ComponentId>,
    line: Option<usize>,
    parent: Option<usize>,
    /// Names from `requires`, which merges runtime and optional dependencies.
    requires: Vec<&'a str>,
    children: HashMap<&'a str, usize>,
}

/// Lockfile version 1: `dependencies` nested as `node_modules` is. It does not say which
/// packages the project depends on directly: that comes from `package.json` when it is there.
fn catalog_dependency_tree(
    input: &Input<'_>,
    document: &Map<String, Value>,
) -> Result<Catalog, CatalogError> {
    let mut set = PackageSet::default();
    let manifest = read_member_manifest(input, ".", &mut set)?;
    let project_name = text_of_map(document, "name")
        .map(str::to_owned)
        .or_else(|| manifest.as_ref().and_then(|manifest| manifest.name.clone()))
        .or_else(|| directory_name(input));
    let project = project_name.map(|name| {
        let version = text_of_map(document, "version")
            .map(str::to_owned)
            .or_else(|| {
                manifest
                    .as_ref()
                    .and_then(|manifest| manifest.version.clone())
            });
        let package =
            Package::new(name, version, Origin::Workspace(".".to_owned())).at_line(Some(1));
        set.add(input, package)
    });

    let mut nodes = vec![TreeNode {
        id: project.clone(),
        line: Some(1),
        parent: None,
        requires: Vec::new(),
        children: HashMap::new(),
    }];
    let mut lines = KeyLines::new(input.contents);
    if let Some(dependencies) = document.get("dependencies").and_then(Value::as_object) {
        add_tree(input, &mut set, &mut lines, &mut nodes, 0, dependencies);
    }
    for index in 1..nodes.len() {
        let Some(node) = nodes.get(index) else {
            continue;
        };
        let Some(from) = node.id.clone() else {
            continue;
        };
        for name in &node.requires {
            match resolve_in_tree(&nodes, index, name) {
                Some(to) => set.relate(&from, RelationshipKind::DependsOn, &to),
                None => set.warn(
                    node.line,
                    format!("`{name}`, a dependency of `{from}`, is not in the lock"),
                ),
            }
        }
    }
    if let (Some(manifest), Some(project)) = (&manifest, &project) {
        for (group, name, _) in &manifest.dependencies {
            if let Some(to) = resolve_in_tree(&nodes, 0, name) {
                set.relate(project, group.relationship(), &to);
            }
        }
        set.mark_direct(&BTreeSet::from([project.clone()]));
    }
    Ok(set.finish())
}

/// The package `name` resolves to from the node at `index`: its own nested dependencies first,
/// then each ancestor's.
fn resolve_in_tree(nodes: &[TreeNode<'_>], index: usize, name: &str) -> Option<ComponentId> {
    let mut current = Some(index);
    while let Some(position) = current {
        let node = nodes.get(position)?;
        if let Some(child) = node.children.get(name) {
            return nodes.get(*child).and_then(|child| child.id.clone());
        }
        current = node.parent;
    }
    None
}

fn add_tree<'a>(
    input: &Input<'_>,
    set: &mut PackageSet,
    lines: &mut KeyLines<'_>,
    nodes: &mut Vec<TreeNode<'a>>,
    parent: usize,
    dependencies: &'a Map<String, Value>,
) {
    for (key, entry) in dependencies {
        let line = lines.find(key);
        let package = tree_package(set, key, entry, line);
        let id = package.map(|package| set.add(input, package));
        let requires = entry
            .get("requires")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|requires| requires.keys())
            .map(String::as_str);
        let index = nodes.len();
        nodes.push(TreeNode {
            id,
            line,
            parent: Some(parent),
            requires: requires.collect(),
            children: HashMap::new(),
        });
        if let Some(parent) = nodes.get_mut(parent) {
            parent.children.insert(key.as_str(), index);
        }
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            add_tree(input, set, lines, nodes, index, nested);
        }
    }
}

/// A version 1 entry. Its `version` is a semver version, an alias (`npm:real@1.0.0`) or, for
/// git, file and URL dependencies, where it came from.
fn tree_package(
    set: &mut PackageSet,
    key: &str,
    entry: &Value,
    line: Option<usize>,
) -> Option<Package> {
    let Some(version) = text(entry, "version") else {
        set.warn(line, format!("`{key}` has no version; skipped"));
        return None;
    };
    let resolved = text(entry, "resolved");
    let (name, version, origin) = if let Some(alias) = version.strip_prefix("npm:") {
        let (real_name, real_version) = split_name_spec(alias).unwrap_or((key, alias));
        let origin = resolved.map_or(Origin::Registry(None), Origin::from_resolved);
        (real_name, Some(real_version), origin)
    } else if version.contains(':') || version.contains('/') {
        (key, None, Origin::from_resolved(version))
    } else {
        let origin = resolved.map_or(Origin::Registry(None), Origin::from_resolved);
        (key, Some(version), origin)
    };
    let mut package = Package::new(name, version.map(str::to_owned), origin).at_line(line);
    package.scope = scope_of(entry);
    if let Some(integrity) = text(entry, "integrity") {
        add_integrity(set, &mut package, integrity);
    }
    package.download_url = resolved
        .filter(|resolved| resolved.starts_with("http"))
        .map(str::to_owned);
    Some(package)
}

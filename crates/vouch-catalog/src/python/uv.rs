//! uv.lock. The workspace members (`[manifest] members`, or the package whose source is the
//! lockfile's own directory) are the roots; scopes follow the graph below them, with extras of
//! a package counted only where some dependent activates them.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use vouch_model::{RelationshipKind, Scope, Source};

use super::graph::ScopeGraph;
use super::{
    LockBuilder, add_hash, normalize_name, package, parse_hash, parse_toml, registry_source,
    span_line,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct UvLock;

#[derive(Debug, Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
    #[serde(default)]
    manifest: Manifest,
}

#[derive(Debug, Default, Deserialize)]
struct Manifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Package {
    name: Spanned<String>,
    version: Option<String>,
    source: Option<PackageSource>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, Vec<Dependency>>,
    #[serde(default)]
    dev_dependencies: BTreeMap<String, Vec<Dependency>>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

/// Exactly one of the fields is set.
#[derive(Debug, Deserialize)]
struct PackageSource {
    registry: Option<String>,
    git: Option<String>,
    url: Option<String>,
    path: Option<String>,
    directory: Option<String>,
    editable: Option<String>,
    #[serde(rename = "virtual")]
    virtual_path: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Dependency {
    name: String,
    /// Set when several versions of `name` are locked.
    version: Option<String>,
    /// Extras of the dependency that this edge activates.
    #[serde(default)]
    extra: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Artifact {
    url: Option<String>,
    hash: Option<String>,
}

impl Cataloger for UvLock {
    fn name(&self) -> &'static str {
        "uv-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "uv.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let lock: Lock = parse_toml(input)?;
        let members: Vec<String> = lock
            .manifest
            .members
            .iter()
            .map(|member| normalize_name(member))
            .collect();
        let mut builder = LockBuilder::default();
        let mut indices = Vec::with_capacity(lock.package.len());
        let mut roots = Vec::new();
        for entry in &lock.package {
            let line = span_line(input, entry.name.span());
            let name = entry.name.get_ref();
            let is_root = entry.source.as_ref().is_some_and(|source| {
                let local = source.editable.as_ref().or(source.virtual_path.as_ref());
                members.contains(&normalize_name(name))
                    || local.is_some_and(|path| path.trim_end_matches('/') == ".")
            });
            let source = if is_root {
                Source::Workspace
            } else {
                package_source(entry.source.as_ref())
            };
            let mut component = package(input, name, entry.version.as_deref(), source, Some(line))?;
            let artifacts = entry.sdist.iter().chain(&entry.wheels);
            for hash in
                artifacts.filter_map(|artifact| artifact.hash.as_deref().and_then(parse_hash))
            {
                add_hash(&mut component.hashes, hash);
            }
            if component.source.is_registry() {
                component.download_url = entry
                    .sdist
                    .iter()
                    .chain(&entry.wheels)
                    .find_map(|artifact| artifact.url.clone());
            }
            let index = builder.add(component);
            if is_root {
                roots.push(index);
            }
            indices.push(index);
        }

        let mut warnings = Vec::new();
        // Scope graph: packages first, then one node per (package, extra).
        let mut extra_nodes: BTreeMap<(usize, &str), usize> = BTreeMap::new();
        for (entry, &index) in lock.package.iter().zip(&indices) {
            for extra in entry.optional_dependencies.keys() {
                let next = builder.components.len() + extra_nodes.len();
                extra_nodes.entry((index, extra.as_str())).or_insert(next);
            }
        }
        let mut graph = ScopeGraph::new(builder.components.len() + extra_nodes.len());
        let mut direct = vec![false; builder.components.len()];
        for &root in &roots {
            graph.add_root(root, Scope::Required);
        }
        for (entry, &from) in lock.package.iter().zip(&indices) {
            let is_root = roots.contains(&from);
            let line = span_line(input, entry.name.span());
            let groups = [(Group::Runtime, &entry.dependencies)]
                .into_iter()
                .chain(
                    entry
                        .optional_dependencies
                        .iter()
                        .map(|(extra, list)| (Group::Extra(extra), list)),
                )
                .chain(
                    entry
                        .dev_dependencies
                        .values()
                        .map(|list| (Group::Dev, list)),
                );
            for (group, dependencies) in groups {
                // An extra's edges leave the node of the package with that extra, so they only
                // count where a dependent activates the extra.
                let (kind, source_node, edge_scope) = match group {
                    Group::Runtime => (RelationshipKind::DependsOn, Some(from), Scope::Required),
                    Group::Extra(extra) => (
                        RelationshipKind::OptionalDependsOn,
                        extra_nodes.get(&(from, extra)).copied(),
                        Scope::Required,
                    ),
                    Group::Dev => (RelationshipKind::DevDependsOn, Some(from), Scope::Dev),
                };
                let Some(source_node) = source_node else {
                    continue;
                };
                for dependency in dependencies {
                    let targets = builder.resolve(&dependency.name, dependency.version.as_deref());
                    if targets.is_empty() {
                        warnings.push(format!(
                            "line {line}: dependency `{}` of `{}` is not locked; edge left out",
                            dependency.name,
                            entry.name.get_ref()
                        ));
                    }
                    for to in targets {
                        builder.relate(from, kind, to);
                        if is_root && let Some(flag) = direct.get_mut(to) {
                            *flag = true;
                        }
                        graph.add_edge(source_node, to, edge_scope);
                        for extra in &dependency.extra {
                            if let Some(&node) = extra_nodes.get(&(to, extra.as_str())) {
                                graph.add_edge(source_node, node, edge_scope);
                            }
                        }
                    }
                }
            }
        }
        for (&(package_index, _), &node) in &extra_nodes {
            graph.add_edge(node, package_index, Scope::Required);
            // The project's own extras are chosen by whoever installs it.
            if roots.contains(&package_index) {
                graph.add_edge(package_index, node, Scope::Optional);
            }
        }

        let scopes = graph.scopes();
        for (index, component) in builder.components.iter_mut().enumerate() {
            if let Some(Some(scope)) = scopes.get(index) {
                component.scope = *scope;
            }
            if !roots.is_empty() && !roots.contains(&index) {
                component.direct = direct.get(index).copied();
            }
        }
        Ok(builder.finish(warnings))
    }
}

/// Which list of a package's dependencies an edge comes from.
#[derive(Debug, Clone, Copy)]
enum Group<'a> {
    Runtime,
    Extra(&'a str),
    Dev,
}

fn package_source(source: Option<&PackageSource>) -> Source {
    let Some(source) = source else {
        return Source::Registry { url: None };
    };
    if let Some(git) = &source.git {
        return git_source(git);
    }
    if let Some(url) = &source.url {
        return Source::Url { url: url.clone() };
    }
    let local = [
        &source.path,
        &source.directory,
        &source.editable,
        &source.virtual_path,
    ];
    if let Some(path) = local.into_iter().flatten().next() {
        return Source::Path { path: path.clone() };
    }
    registry_source(source.registry.as_deref())
}

/// `https://host/repo?rev=main#<commit>`: the commit after `#` is what was locked; without it,
/// the `rev`, `tag` or `branch` asked for.
fn git_source(git: &str) -> Source {
    let (without_fragment, commit) = match git.split_once('#') {
        Some((base, commit)) => (base, Some(commit.to_owned())),
        None => (git, None),
    };
    let (url, query) = match without_fragment.split_once('?') {
        Some((url, query)) => (url, Some(query)),
        None => (without_fragment, None),
    };
    let requested = query.and_then(|query| {
        query.split('&').find_map(|parameter| {
            let (key, value) = parameter.split_once('=')?;
            matches!(key, "rev" | "tag" | "branch").then(|| value.to_owned())
        })
    });
    Source::Git {
        url: url.to_owned(),
        reference: commit.filter(|commit| !commit.is_empty()).or(requested),
    }
}

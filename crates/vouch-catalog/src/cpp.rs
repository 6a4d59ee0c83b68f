//! C/C++: Conan lockfiles. Conan 1 writes a graph (`graph_lock.nodes`, lockfile versions 0.1
//! to 0.4, and an older unversioned shape keyed by UUIDs); Conan 2 (version 0.5) writes flat
//! lists of references per kind of requirement.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde_json::Value;
use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Purl, Relationship, RelationshipKind, Scope,
    Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(ConanLock)]
}

struct ConanLock;

impl Cataloger for ConanLock {
    fn name(&self) -> &'static str {
        "conan-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "conan.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let Some(lock) = input.parse_json::<Value>("")? else {
            return Ok(Catalog::default());
        };
        let Value::Object(lock) = lock else {
            return Err(input.error(Some(1), "a Conan lockfile is a JSON object"));
        };
        let mut catalog = Catalog::default();
        match lock.get("graph_lock") {
            Some(graph) => catalog_graph(input, graph, &mut catalog)?,
            None => catalog_lists(input, &lock, &mut catalog),
        }
        Ok(catalog)
    }
}

/// A parsed reference: `name/version[@user/channel][#revision[%timestamp]]`, optionally
/// followed by `:package_id[#package_revision]` in Conan 1 package references.
#[derive(Debug, PartialEq, Eq)]
struct Reference<'a> {
    name: &'a str,
    version: &'a str,
    user: Option<&'a str>,
    channel: Option<&'a str>,
    revision: Option<&'a str>,
}

fn parse_reference(text: &str) -> Option<Reference<'_>> {
    let recipe = text.split_once(':').map_or(text, |(recipe, _)| recipe);
    let (recipe, revision) = match recipe.split_once('#') {
        Some((recipe, revision)) => {
            let revision = revision
                .split_once('%')
                .map_or(revision, |(revision, _)| revision);
            (
                recipe,
                Some(revision).filter(|revision| !revision.is_empty()),
            )
        }
        None => (recipe, None),
    };
    let (name_version, user_channel) = match recipe.split_once('@') {
        Some((name_version, user_channel)) => (name_version, Some(user_channel)),
        None => (recipe, None),
    };
    let (name, version) = name_version.split_once('/')?;
    if name.is_empty() || version.is_empty() || version.contains('/') {
        return None;
    }
    let (user, channel) = match user_channel {
        Some(user_channel) => {
            let (user, channel) = user_channel
                .split_once('/')
                .map_or((user_channel, None), |(user, channel)| {
                    (user, Some(channel))
                });
            (Some(user).filter(|user| !user.is_empty()), channel)
        }
        None => (None, None),
    };
    Some(Reference {
        name,
        version,
        user,
        channel,
        revision,
    })
}

/// The component of a reference, or why it cannot be one.
fn component(input: &Input<'_>, text: &str) -> Result<Component, String> {
    let reference =
        parse_reference(text).ok_or_else(|| format!("`{text}` is not a name/version reference"))?;
    let qualifiers: BTreeMap<String, String> = [
        ("user", reference.user),
        ("channel", reference.channel),
        ("rrev", reference.revision),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key.to_owned(), value?.to_owned())))
    .collect();
    let purl = Purl::from_parts(
        "conan",
        None,
        reference.name,
        Some(reference.version),
        qualifiers,
        None,
    )
    .map_err(|error| format!("`{text}`: {error}"))?;
    let mut component = Component::package(Ecosystem::ConanCenter, purl);
    let line = input
        .contents
        .find(&format!("\"{text}"))
        .map(|offset| line_of_offset(input.contents, offset));
    component.locations = vec![input.location(line)];
    Ok(component)
}

/// Conan 2: `requires`, `build_requires` and `python_requires` lists; no graph.
fn catalog_lists(input: &Input<'_>, lock: &serde_json::Map<String, Value>, catalog: &mut Catalog) {
    let kinds = [
        ("requires", Scope::Required),
        ("build_requires", Scope::Build),
        // Recipe code imported by conanfiles: used while building only.
        ("python_requires", Scope::Build),
    ];
    for (key, scope) in kinds {
        let Some(references) = lock.get(key) else {
            continue;
        };
        let Some(references) = references.as_array() else {
            catalog
                .warnings
                .push(format!("{}: `{key}` is not a list; ignored", input.path));
            continue;
        };
        for reference in references {
            let Some(text) = reference.as_str() else {
                catalog.warnings.push(format!(
                    "{}: `{key}` holds {reference}, not a reference; ignored",
                    input.path
                ));
                continue;
            };
            match component(input, text) {
                Ok(mut component) => {
                    component.scope = scope;
                    // A package that is both a requirement and a tool is required.
                    match catalog
                        .components
                        .iter_mut()
                        .find(|known| known.id == component.id)
                    {
                        Some(known) => known.scope = known.scope.min(component.scope),
                        None => catalog.components.push(component),
                    }
                }
                Err(problem) => catalog
                    .warnings
                    .push(format!("{}: {problem}; skipped", input.path)),
            }
        }
    }
}

/// The node ids a node requires of one kind; Conan 1.0-era lockfiles map reference → id.
fn node_ids<'a>(node: &'a Value, key: &str) -> Vec<&'a str> {
    match node.get(key) {
        Some(Value::Array(ids)) => ids.iter().filter_map(Value::as_str).collect(),
        Some(Value::Object(ids)) => ids.values().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Conan 1: a graph of nodes. The node with a `path` (the local conanfile), or without any
/// reference, is the project; what it requires is direct.
fn catalog_graph(
    input: &Input<'_>,
    graph: &Value,
    catalog: &mut Catalog,
) -> Result<(), CatalogError> {
    let Some(nodes) = graph.get("nodes").and_then(Value::as_object) else {
        return Err(input.error(None, "`graph_lock` has no `nodes` object"));
    };
    let root_id = nodes
        .iter()
        .find(|(_, node)| {
            node.get("path").is_some()
                || node
                    .get("ref")
                    .or(node.get("pref"))
                    .is_none_or(Value::is_null)
        })
        .map(|(id, _)| id.as_str());

    let mut ids: HashMap<&str, ComponentId> = HashMap::new();
    for (node_id, node) in nodes {
        let reference = node.get("ref").or(node.get("pref")).and_then(Value::as_str);
        let Some(reference) = reference else {
            if Some(node_id.as_str()) != root_id {
                catalog.warnings.push(format!(
                    "{}: node {node_id} has no reference; skipped",
                    input.path
                ));
            }
            continue;
        };
        let mut component = match component(input, reference) {
            Ok(component) => component,
            Err(problem) => {
                catalog.warnings.push(format!(
                    "{}: node {node_id}: {problem}; skipped",
                    input.path
                ));
                continue;
            }
        };
        if Some(node_id.as_str()) == root_id {
            component.kind = ComponentKind::Application;
            component.source = Source::Workspace;
        }
        ids.insert(node_id.as_str(), component.id.clone());
        catalog.push_unique(component);
    }

    let edge_kinds = [
        ("requires", RelationshipKind::DependsOn),
        ("build_requires", RelationshipKind::BuildDependsOn),
        ("python_requires", RelationshipKind::BuildDependsOn),
    ];
    for (node_id, node) in nodes {
        let Some(from) = ids.get(node_id.as_str()) else {
            continue;
        };
        for (key, kind) in edge_kinds {
            for target in node_ids(node, key) {
                match ids.get(target) {
                    Some(to) => catalog.relationships.push(Relationship::new(
                        from.clone(),
                        kind,
                        to.clone(),
                    )),
                    None if nodes.contains_key(target) => {}
                    None => catalog.warnings.push(format!(
                        "{}: node {node_id} {key} node {target}, which is not in the graph",
                        input.path
                    )),
                }
            }
        }
    }
    catalog.relationships.sort();
    catalog.relationships.dedup();

    let Some(root_id) = root_id else {
        return Ok(());
    };
    let Some(root) = nodes.get(root_id) else {
        return Ok(());
    };
    let direct: HashSet<&ComponentId> = ["requires", "build_requires", "python_requires"]
        .into_iter()
        .flat_map(|key| node_ids(root, key))
        .filter_map(|target| ids.get(target))
        .collect();
    let runtime = reachable_through_requires(nodes, root_id, &ids);
    let root_component = ids.get(root_id);
    for component in &mut catalog.components {
        if Some(&component.id) == root_component {
            continue;
        }
        component.direct = Some(direct.contains(&component.id));
        if !runtime.contains(&component.id) {
            component.scope = Scope::Build;
        }
    }
    Ok(())
}

/// Components the project needs at run time: reachable from it through `requires` alone.
fn reachable_through_requires<'a>(
    nodes: &'a serde_json::Map<String, Value>,
    root_id: &'a str,
    ids: &'a HashMap<&str, ComponentId>,
) -> HashSet<&'a ComponentId> {
    let mut reached = HashSet::new();
    let mut visited = HashSet::from([root_id]);
    let mut queue = VecDeque::from([root_id]);
    while let Some(node_id) = queue.pop_front() {
        let Some(node) = nodes.get(node_id) else {
            continue;
        };
        for target in node_ids(node, "requires") {
            if visited.insert(target) {
                if let Some(id) = ids.get(target) {
                    reached.insert(id);
                }
                queue.push_back(target);
            }
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_split_into_name_version_user_channel_and_revision() {
        assert_eq!(
            parse_reference("zlib/1.2.11@bincrafters/testing#5f49%1667396813.184:1972#5884"),
            Some(Reference {
                name: "zlib",
                version: "1.2.11",
                user: Some("bincrafters"),
                channel: Some("testing"),
                revision: Some("5f49"),
            })
        );
        assert_eq!(
            parse_reference("ninja/1.11.1"),
            Some(Reference {
                name: "ninja",
                version: "1.11.1",
                user: None,
                channel: None,
                revision: None,
            })
        );
        assert_eq!(parse_reference("1.2.3#ffa7"), None);
    }
}

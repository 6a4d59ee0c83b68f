//! Julia: `Manifest.toml` (format 1.0, with packages at the top level, and format 2.0, under
//! `[[deps.Name]]`), with the `Project.toml` beside it for the project and its direct
//! dependencies.

use std::collections::{BTreeMap, HashMap, HashSet};

use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Purl, Relationship, RelationshipKind, Scope,
    Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(JuliaManifest)]
}

struct JuliaManifest;

/// One `[[deps.Name]]` entry.
struct Entry<'a> {
    name: &'a str,
    table: &'a toml::Table,
}

impl Entry<'_> {
    fn text(&self, key: &str) -> Option<&str> {
        self.table.get(key).and_then(toml::Value::as_str)
    }
}

impl Cataloger for JuliaManifest {
    fn name(&self) -> &'static str {
        "julia-manifest"
    }

    fn matches(&self, file_name: &str) -> bool {
        // Julia also reads `JuliaManifest.toml` and version-specific `Manifest-v1.11.toml`.
        let stem = file_name.strip_prefix("Julia").unwrap_or(file_name);
        stem == "Manifest.toml"
            || stem
                .strip_prefix("Manifest-v")
                .is_some_and(|rest| rest.ends_with(".toml"))
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let manifest: toml::Table = toml::from_str(input.contents).map_err(|error| {
            let line = error
                .span()
                .map(|span| line_of_offset(input.contents, span.start));
            input.error(
                line,
                format!("not a valid Manifest.toml: {}", error.message()),
            )
        })?;
        let mut catalog = Catalog::default();
        let format = manifest
            .get("manifest_format")
            .and_then(toml::Value::as_str)
            .unwrap_or("1.0");
        // Format 2 nests packages under `deps`; format 1 has them at the top level, beside
        // nothing else.
        let (packages, header) = if format.starts_with("2.") {
            let deps = manifest.get("deps").and_then(toml::Value::as_table);
            (deps, "deps.")
        } else {
            (Some(&manifest), "")
        };
        let mut entries: Vec<Entry<'_>> = Vec::new();
        for (name, value) in packages.into_iter().flatten() {
            if ["julia_version", "manifest_format", "project_hash"].contains(&name.as_str()) {
                continue;
            }
            let Some(array) = value.as_array() else {
                catalog.warnings.push(format!(
                    "{}: `{header}{name}` is not an array of package tables; ignored",
                    input.path
                ));
                continue;
            };
            entries.extend(
                array
                    .iter()
                    .filter_map(toml::Value::as_table)
                    .map(|table| Entry { name, table }),
            );
        }

        let project = read_project(input, &mut catalog.warnings)?;
        let direct: Option<HashSet<&str>> = project.as_ref().map(|project| {
            project
                .get("deps")
                .and_then(toml::Value::as_table)
                .map(|deps| deps.keys().map(String::as_str).collect())
                .unwrap_or_default()
        });

        // Entries by name and by uuid, for resolving `deps` (a list of names, or a table of
        // name → uuid when a name is ambiguous).
        let mut by_uuid: HashMap<&str, ComponentId> = HashMap::new();
        let mut by_name: HashMap<&str, ComponentId> = HashMap::new();
        let mut stdlib: HashSet<&str> = HashSet::new();
        let mut emitted: Vec<(ComponentId, &Entry<'_>)> = Vec::new();
        for entry in &entries {
            let Some(uuid) = entry.text("uuid") else {
                catalog.warnings.push(format!(
                    "{}: package {} has no uuid; skipped",
                    input.path, entry.name
                ));
                continue;
            };
            let version = entry.text("version");
            let source = source(entry);
            // A standard library ships with Julia: no version, no tree hash, no source.
            if version.is_none() && entry.text("git-tree-sha1").is_none() && source.is_registry() {
                stdlib.insert(entry.name);
                continue;
            }
            let qualifiers = BTreeMap::from([("uuid".to_owned(), uuid.to_owned())]);
            let purl = match Purl::from_parts("julia", None, entry.name, version, qualifiers, None)
            {
                Ok(purl) => purl,
                Err(error) => {
                    catalog
                        .warnings
                        .push(format!("{}: package {}: {error}", input.path, entry.name));
                    continue;
                }
            };
            let mut component = Component::package(Ecosystem::Julia, purl);
            component.source = source;
            if let Some(direct) = &direct {
                component.direct = Some(direct.contains(entry.name));
            }
            if let Some(tree) = entry.text("git-tree-sha1") {
                // The git tree hash of the package source, not the digest of any download.
                component
                    .properties
                    .insert("julia:git-tree-sha1".to_owned(), tree.to_owned());
            }
            let line = input
                .contents
                .find(&format!("[[{header}{}]]", entry.name))
                .map(|offset| line_of_offset(input.contents, offset));
            component.locations = vec![input.location(line)];
            by_uuid.insert(uuid, component.id.clone());
            by_name.insert(entry.name, component.id.clone());
            emitted.push((component.id.clone(), entry));
            catalog.push_unique(component);
        }

        for (from, entry) in &emitted {
            let targets: Vec<(&str, Option<&ComponentId>)> = match entry.table.get("deps") {
                Some(toml::Value::Array(names)) => names
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .map(|name| (name, by_name.get(name)))
                    .collect(),
                Some(toml::Value::Table(names)) => names
                    .iter()
                    .map(|(name, uuid)| {
                        (
                            name.as_str(),
                            uuid.as_str().and_then(|uuid| by_uuid.get(uuid)),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            for (name, target) in targets {
                match target {
                    Some(to) => catalog.relationships.push(Relationship::new(
                        from.clone(),
                        RelationshipKind::DependsOn,
                        to.clone(),
                    )),
                    None if stdlib.contains(name) => {}
                    None => catalog.warnings.push(format!(
                        "{}: dependency {name} of {} is not in the manifest",
                        input.path, entry.name
                    )),
                }
            }
        }

        if let Some(project) = &project {
            add_project(project, &by_name, &mut catalog);
        }
        catalog.relationships.sort();
        catalog.relationships.dedup();
        Ok(catalog)
    }
}

/// The `Project.toml` (or `JuliaProject.toml`) beside the manifest, if there is one.
fn read_project(
    input: &Input<'_>,
    warnings: &mut Vec<String>,
) -> Result<Option<toml::Table>, CatalogError> {
    for name in ["JuliaProject.toml", "Project.toml"] {
        let Some(text) = input.files.read(name)? else {
            continue;
        };
        return Ok(match toml::from_str(&text) {
            Ok(project) => Some(project),
            Err(error) => {
                warnings.push(format!(
                    "{}: {name} beside it is not valid TOML ({}); direct dependencies are unknown",
                    input.path,
                    error.message()
                ));
                None
            }
        });
    }
    Ok(None)
}

/// The project as an application depending on its `[deps]`, when the project has a name.
fn add_project(project: &toml::Table, by_name: &HashMap<&str, ComponentId>, catalog: &mut Catalog) {
    let text = |key: &str| project.get(key).and_then(toml::Value::as_str);
    let Some(name) = text("name") else {
        return;
    };
    let mut qualifiers = BTreeMap::new();
    if let Some(uuid) = text("uuid") {
        qualifiers.insert("uuid".to_owned(), uuid.to_owned());
    }
    let Ok(purl) = Purl::from_parts("julia", None, name, text("version"), qualifiers, None) else {
        return;
    };
    let mut root = Component::package(Ecosystem::Julia, purl);
    root.kind = ComponentKind::Application;
    root.source = Source::Workspace;
    // Test-only dependencies live in `[extras]` and are named by `[targets] test`.
    let test_only: HashSet<&str> = project
        .get("targets")
        .and_then(|targets| targets.get("test"))
        .and_then(toml::Value::as_array)
        .map(|names| names.iter().filter_map(toml::Value::as_str).collect())
        .unwrap_or_default();
    let deps = project.get("deps").and_then(toml::Value::as_table);
    let extras = project.get("extras").and_then(toml::Value::as_table);
    let declared = deps
        .into_iter()
        .flatten()
        .map(|(name, _)| (name.as_str(), RelationshipKind::DependsOn))
        .chain(
            extras
                .into_iter()
                .flatten()
                .filter(|(name, _)| test_only.contains(name.as_str()))
                .map(|(name, _)| (name.as_str(), RelationshipKind::DevDependsOn)),
        );
    for (name, kind) in declared {
        if let Some(to) = by_name.get(name) {
            catalog
                .relationships
                .push(Relationship::new(root.id.clone(), kind, to.clone()));
            let test_only_component = catalog
                .components
                .iter_mut()
                .find(|component| &component.id == to && component.direct != Some(true))
                .filter(|_| kind == RelationshipKind::DevDependsOn);
            if let Some(component) = test_only_component {
                component.scope = Scope::Dev;
                component.direct = Some(true);
            }
        }
    }
    catalog.components.insert(0, root);
}

/// Where a package comes from: a git repository (`repo-url`), a local path, or the registry.
fn source(entry: &Entry<'_>) -> Source {
    if let Some(path) = entry.text("path") {
        return Source::Path {
            path: path.to_owned(),
        };
    }
    if let Some(url) = entry.text("repo-url") {
        return Source::Git {
            url: url.to_owned(),
            reference: entry.text("repo-rev").map(str::to_owned),
        };
    }
    Source::Registry { url: None }
}

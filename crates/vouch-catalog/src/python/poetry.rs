//! poetry.lock, lock-version 1.x and 2.x. Scope comes from the lock where it records it
//! (`category` before 1.5, `groups` since 2.0) and otherwise from the graph below the direct
//! dependencies the sibling pyproject.toml declares.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::{Spanned, Value};
use vouch_model::{RelationshipKind, Scope, Source};

use super::{
    LockBuilder, add_hash, normalize_name, package, parse_hash, parse_toml, pyproject,
    registry_source, span_line,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct PoetryLock;

#[derive(Debug, Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Debug, Default, Deserialize)]
struct Metadata {
    /// Lock-version 1.x keeps the file hashes here, by package name.
    #[serde(default)]
    files: BTreeMap<String, Vec<File>>,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: Spanned<String>,
    version: Option<String>,
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    /// A local directory installed in editable mode.
    #[serde(default)]
    develop: bool,
    groups: Option<Vec<String>>,
    #[serde(default)]
    files: Vec<File>,
    #[serde(default)]
    dependencies: BTreeMap<String, Value>,
    source: Option<PackageSource>,
}

#[derive(Debug, Deserialize)]
struct File {
    hash: Option<String>,
}

#[derive(Debug, Deserialize)]
struct PackageSource {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    reference: Option<String>,
    resolved_reference: Option<String>,
}

impl Cataloger for PoetryLock {
    fn name(&self) -> &'static str {
        "poetry-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "poetry.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let lock: Lock = parse_toml(input)?;
        let mut warnings = Vec::new();
        let mut builder = LockBuilder::default();
        let mut indices = Vec::with_capacity(lock.package.len());
        // Lock-version 1.x keys file hashes by name, not necessarily spelled as the package is.
        let legacy_files: HashMap<String, &Vec<File>> = lock
            .metadata
            .files
            .iter()
            .map(|(name, files)| (normalize_name(name), files))
            .collect();
        for entry in &lock.package {
            let line = span_line(input, entry.name.span());
            let name = entry.name.get_ref();
            let source = match &entry.source {
                Some(source) => package_source(source, name, line, &mut warnings),
                None => Source::Registry { url: None },
            };
            let mut component = package(input, name, entry.version.as_deref(), source, Some(line))?;
            component.scope = declared_scope(entry).unwrap_or_default();
            if entry.develop {
                component
                    .properties
                    .insert("vouch:editable".to_owned(), "true".to_owned());
            }
            let legacy_files = legacy_files
                .get(&normalize_name(name))
                .into_iter()
                .flat_map(|files| files.iter());
            for hash in entry
                .files
                .iter()
                .chain(legacy_files)
                .filter_map(|file| file.hash.as_deref())
                .filter_map(parse_hash)
            {
                add_hash(&mut component.hashes, hash);
            }
            indices.push(builder.add(component));
        }
        for (entry, &from) in lock.package.iter().zip(&indices) {
            for (dependency, constraint) in &entry.dependencies {
                let kind = if is_optional(constraint) {
                    RelationshipKind::OptionalDependsOn
                } else {
                    RelationshipKind::DependsOn
                };
                for to in builder.named(dependency).to_vec() {
                    builder.relate(from, kind, to);
                }
            }
        }

        if let Some(project) = pyproject::read(input, &mut warnings) {
            let root = builder.add_project_root(input, &project, &mut warnings)?;
            let scope_recorded = lock
                .package
                .iter()
                .any(|entry| entry.groups.is_some() || entry.category.is_some());
            if let Some(root) = root.filter(|_| !scope_recorded) {
                builder.apply_graph_scopes(root);
            }
        }
        Ok(builder.finish(warnings))
    }
}

/// The scope the lock itself records for a package, if it records one.
fn declared_scope(entry: &Package) -> Option<Scope> {
    let runtime = match (&entry.groups, &entry.category) {
        (Some(groups), _) => groups.iter().any(|group| group == "main"),
        (None, Some(category)) => category != "dev",
        (None, None) => return None,
    };
    Some(match (runtime, entry.optional) {
        (true, false) => Scope::Required,
        (true, true) => Scope::Optional,
        (false, _) => Scope::Dev,
    })
}

/// A dependency constraint (`"^1.0"`, `{ version = "^1.0", optional = true }`, or a list of
/// such tables for different markers) is optional when every form of it is.
fn is_optional(constraint: &Value) -> bool {
    let table_optional = |value: &Value| {
        value
            .get("optional")
            .and_then(Value::as_bool)
            .unwrap_or(false)
    };
    match constraint {
        Value::Array(forms) => !forms.is_empty() && forms.iter().all(table_optional),
        other => table_optional(other),
    }
}

fn package_source(
    source: &PackageSource,
    name: &str,
    line: usize,
    warnings: &mut Vec<String>,
) -> Source {
    let url = source.url.clone().unwrap_or_default();
    match source.kind.as_str() {
        "git" => Source::Git {
            url,
            reference: source
                .resolved_reference
                .clone()
                .or_else(|| source.reference.clone()),
        },
        "directory" | "file" => Source::Path { path: url },
        "url" => Source::Url { url },
        "legacy" | "explicit" | "supplemental" | "primary" | "default" => {
            registry_source(Some(&url))
        }
        unknown => {
            warnings.push(format!(
                "line {line}: `{name}` has source type `{unknown}`, which poetry does not document; treated as a registry"
            ));
            registry_source(Some(&url))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::{catalog_beside, scopes_and_direct};

    const LOCK: &str = r#"
[[package]]
name = "requests"
version = "2.31.0"
optional = false

[package.dependencies]
urllib3 = ">=1.21.1"
PySocks = {version = ">=1.5.6", optional = true}

[[package]]
name = "urllib3"
version = "2.0.7"
optional = false

[[package]]
name = "pysocks"
version = "1.7.1"
optional = true

[[package]]
name = "pytest"
version = "7.4.0"
optional = false

[package.dependencies]
iniconfig = "*"

[[package]]
name = "iniconfig"
version = "2.0.0"
optional = false
"#;

    const PYPROJECT: &str = r#"
[tool.poetry]
name = "app"
version = "0.1.0"

[tool.poetry.dependencies]
python = "^3.10"
requests = { version = "^2.31", extras = ["socks"] }

[tool.poetry.group.test.dependencies]
pytest = "^7.4"
"#;

    #[test]
    fn lock_without_groups_takes_scopes_from_the_pyproject_graph() {
        let catalog = catalog_beside(
            &PoetryLock,
            "poetry.lock",
            LOCK,
            &[("pyproject.toml", PYPROJECT)],
        );
        assert_eq!(
            scopes_and_direct(&catalog),
            [
                ("pkg:pypi/requests@2.31.0", Scope::Required, Some(true)),
                ("pkg:pypi/urllib3@2.0.7", Scope::Required, Some(false)),
                ("pkg:pypi/pysocks@1.7.1", Scope::Optional, Some(false)),
                ("pkg:pypi/pytest@7.4.0", Scope::Dev, Some(true)),
                ("pkg:pypi/iniconfig@2.0.0", Scope::Dev, Some(false)),
                ("pkg:pypi/app@0.1.0", Scope::Required, None),
            ]
        );
        let edges: Vec<(&str, RelationshipKind, &str)> = catalog
            .relationships
            .iter()
            .map(|edge| (edge.from.as_str(), edge.kind, edge.to.as_str()))
            .collect();
        assert_eq!(
            edges,
            [
                (
                    "pkg:pypi/requests@2.31.0",
                    RelationshipKind::DependsOn,
                    "pkg:pypi/urllib3@2.0.7"
                ),
                (
                    "pkg:pypi/requests@2.31.0",
                    RelationshipKind::OptionalDependsOn,
                    "pkg:pypi/pysocks@1.7.1"
                ),
                (
                    "pkg:pypi/pytest@7.4.0",
                    RelationshipKind::DependsOn,
                    "pkg:pypi/iniconfig@2.0.0"
                ),
                (
                    "pkg:pypi/app@0.1.0",
                    RelationshipKind::DependsOn,
                    "pkg:pypi/requests@2.31.0"
                ),
                (
                    "pkg:pypi/app@0.1.0",
                    RelationshipKind::DevDependsOn,
                    "pkg:pypi/pytest@7.4.0"
                ),
            ]
        );
        let root = catalog.components.last().expect("root");
        assert_eq!(root.kind, vouch_model::ComponentKind::Application);
        assert_eq!(root.locations[0].path, "pyproject.toml");
        assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    }

    #[test]
    fn editable_directory_package_is_a_path_source() {
        let lock = r#"
[[package]]
name = "shared-lib"
version = "0.3.0"
optional = false
develop = true

[package.source]
type = "directory"
url = "../shared"
"#;
        let input = Input {
            path: "poetry.lock",
            contents: lock,
            files: &crate::NoFiles,
        };
        let catalog = PoetryLock.catalog(&input).expect("valid lock");
        let [shared] = catalog.components.as_slice() else {
            panic!("one component expected: {:?}", catalog.components);
        };
        assert_eq!(shared.id.as_str(), "path:../shared");
        assert_eq!(shared.name, "shared-lib");
        assert_eq!(shared.version.as_deref(), Some("0.3.0"));
        assert_eq!(
            shared.source,
            Source::Path {
                path: "../shared".to_owned()
            }
        );
        assert_eq!(shared.properties["vouch:editable"], "true");
    }
}

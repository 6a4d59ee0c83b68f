//! pdm.lock. Each package names the groups that pull it in; the pyproject.toml beside the lock
//! says which groups are extras and which are development groups, and which names are direct.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use vouch_model::{RelationshipKind, Scope, Source};

use super::{
    LockBuilder, add_hash, at_line, package, parse_hash, parse_toml, pep508, pyproject, span_line,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct PdmLock;

#[derive(Debug, Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    dependencies: Vec<String>,
    #[serde(default)]
    files: Vec<File>,
    git: Option<String>,
    revision: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    url: Option<String>,
    path: Option<String>,
}

#[derive(Debug, Deserialize)]
struct File {
    hash: Option<String>,
}

/// The group every pdm project installs.
const DEFAULT_GROUP: &str = "default";
/// The group `pdm add --dev` uses when none is named.
const DEFAULT_DEV_GROUP: &str = "dev";

impl Cataloger for PdmLock {
    fn name(&self) -> &'static str {
        "pdm-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "pdm.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let lock: Lock = parse_toml(input)?;
        let mut warnings = Vec::new();
        let project = pyproject::read(input, &mut warnings);
        let group_scopes = project
            .as_ref()
            .map(|project| &project.groups)
            .cloned()
            .unwrap_or_default();
        let mut builder = LockBuilder::default();
        let mut indices = Vec::with_capacity(lock.package.len());
        for entry in &lock.package {
            let line = span_line(input, entry.name.span());
            let mut component = package(
                input,
                entry.name.get_ref(),
                entry.version.as_deref(),
                package_source(entry),
                Some(line),
            )?;
            component.scope = scope(&entry.groups, &group_scopes);
            for file in &entry.files {
                let Some(hash) = &file.hash else { continue };
                match parse_hash(hash) {
                    Some(hash) => add_hash(&mut component.hashes, hash),
                    None => warnings.push(format!(
                        "{}file hash `{hash}` is not `algorithm:hex digest`; ignored",
                        at_line(Some(line))
                    )),
                }
            }
            indices.push(builder.add(component));
        }
        for (entry, &from) in lock.package.iter().zip(&indices) {
            for dependency in &entry.dependencies {
                match pep508::parse(dependency) {
                    Ok(requirement) => {
                        for to in builder.named(&requirement.name).to_vec() {
                            builder.relate(from, RelationshipKind::DependsOn, to);
                        }
                    }
                    Err(message) => warnings.push(format!(
                        "{}dependency of `{}`: {message}; edge left out",
                        at_line(Some(span_line(input, entry.name.span()))),
                        entry.name.get_ref()
                    )),
                }
            }
        }
        if let Some(project) = &project {
            let root = builder.add_project_root(input, project, &mut warnings)?;
            // Locks written before pdm recorded groups per package (lock_version < 4.4).
            let groups_recorded = lock.package.iter().any(|entry| !entry.groups.is_empty());
            if let Some(root) = root.filter(|_| !groups_recorded) {
                builder.apply_graph_scopes(root);
            }
        }
        Ok(builder.finish(warnings))
    }
}

/// The most needed scope among a package's groups. Without a pyproject.toml to say what a
/// group is, only `default` and `dev` are known; other groups may be extras users install, so
/// they are counted optional rather than development-only.
fn scope(groups: &[String], group_scopes: &BTreeMap<String, Scope>) -> Scope {
    groups
        .iter()
        .map(|group| match group_scopes.get(group) {
            Some(scope) => *scope,
            None if group == DEFAULT_GROUP => Scope::Required,
            None if group == DEFAULT_DEV_GROUP => Scope::Dev,
            None => Scope::Optional,
        })
        .min()
        .unwrap_or_default()
}

fn package_source(entry: &Package) -> Source {
    if let Some(url) = &entry.git {
        return Source::Git {
            url: url.clone(),
            reference: entry.revision.clone().or_else(|| entry.reference.clone()),
        };
    }
    if let Some(path) = &entry.path {
        return Source::Path { path: path.clone() };
    }
    match &entry.url {
        Some(url) => match url.strip_prefix("file://") {
            Some(path) => Source::Path {
                path: path.to_owned(),
            },
            None => Source::Url { url: url.clone() },
        },
        None => Source::Registry { url: None },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::{catalog_beside, scopes_and_direct};

    #[test]
    fn pyproject_says_which_groups_are_extras_and_which_are_dev() {
        let lock = r#"
[[package]]
name = "toml"
version = "0.10.2"
groups = ["default"]

[[package]]
name = "pyroute2"
version = "0.7.11"
groups = ["net"]

[[package]]
name = "ruff"
version = "0.4.0"
groups = ["lint"]
"#;
        let pyproject = r#"
[project]
name = "svc"
version = "1.0"
dependencies = ["toml>=0.10"]

[project.optional-dependencies]
net = ["pyroute2"]

[dependency-groups]
lint = ["ruff"]
"#;
        let catalog = catalog_beside(&PdmLock, "pdm.lock", lock, &[("pyproject.toml", pyproject)]);
        assert_eq!(
            scopes_and_direct(&catalog),
            [
                ("pkg:pypi/toml@0.10.2", Scope::Required, Some(true)),
                ("pkg:pypi/pyroute2@0.7.11", Scope::Optional, Some(true)),
                ("pkg:pypi/ruff@0.4.0", Scope::Dev, Some(true)),
                ("pkg:pypi/svc@1.0", Scope::Required, None),
            ]
        );
        let edges: Vec<(RelationshipKind, &str)> = catalog
            .relationships
            .iter()
            .map(|edge| (edge.kind, edge.to.as_str()))
            .collect();
        assert_eq!(
            edges,
            [
                (RelationshipKind::DependsOn, "pkg:pypi/toml@0.10.2"),
                (RelationshipKind::DevDependsOn, "pkg:pypi/ruff@0.4.0"),
                (
                    RelationshipKind::OptionalDependsOn,
                    "pkg:pypi/pyroute2@0.7.11"
                ),
            ]
        );
    }

    #[test]
    fn lock_without_groups_takes_scopes_from_the_pyproject_graph() {
        let lock = r#"
[[package]]
name = "requests"
version = "2.31.0"
dependencies = ["urllib3>=1.21"]

[[package]]
name = "urllib3"
version = "2.0.7"

[[package]]
name = "pytest"
version = "7.4.0"
"#;
        let pyproject = r#"
[project]
name = "app"
dependencies = ["requests"]

[tool.pdm.dev-dependencies]
test = ["pytest"]
"#;
        let catalog = catalog_beside(&PdmLock, "pdm.lock", lock, &[("pyproject.toml", pyproject)]);
        assert_eq!(
            scopes_and_direct(&catalog),
            [
                ("pkg:pypi/requests@2.31.0", Scope::Required, Some(true)),
                ("pkg:pypi/urllib3@2.0.7", Scope::Required, Some(false)),
                ("pkg:pypi/pytest@7.4.0", Scope::Dev, Some(true)),
                ("pkg:pypi/app", Scope::Required, None),
            ]
        );
    }
}

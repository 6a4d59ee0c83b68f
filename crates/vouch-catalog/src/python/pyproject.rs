//! The pyproject.toml beside a poetry.lock or pdm.lock: the project itself and the dependencies
//! it declares directly, with the scope each declaration gives.

use std::collections::BTreeMap;

use toml::Value;
use vouch_model::Scope;

use super::{normalize_name, pep508, read_sibling_toml};
use crate::Input;

/// What pyproject.toml says about the project.
#[derive(Debug, Default)]
pub(super) struct Project {
    pub(super) name: Option<String>,
    pub(super) version: Option<String>,
    /// Normalised name of each direct dependency → the most needed scope it is declared with.
    pub(super) dependencies: BTreeMap<String, Scope>,
    /// Extra and dependency-group names → the scope their members get (`main`/`default` are
    /// the runtime groups of poetry and pdm).
    pub(super) groups: BTreeMap<String, Scope>,
}

impl Project {
    fn declare(&mut self, name: &str, scope: Scope) {
        let current = self
            .dependencies
            .entry(normalize_name(name))
            .or_insert(scope);
        *current = (*current).min(scope);
    }

    fn declare_requirements(
        &mut self,
        requirements: Option<&Value>,
        scope: Scope,
        field: &str,
        warnings: &mut Vec<String>,
    ) {
        let Some(requirements) = requirements.and_then(Value::as_array) else {
            return;
        };
        for requirement in requirements {
            // PEP 735 `{ include-group = "..." }` entries pull in another group's requirements,
            // which are declared under that group's own key.
            let Some(text) = requirement.as_str() else {
                continue;
            };
            match pep508::parse(text) {
                Ok(parsed) => self.declare(&parsed.name, scope),
                Err(message) => warnings.push(format!(
                    "pyproject.toml `{field}`: {message}; not counted as a direct dependency"
                )),
            }
        }
    }

    fn declare_poetry_table(&mut self, table: Option<&Value>, scope: Scope) {
        let Some(table) = table.and_then(Value::as_table) else {
            return;
        };
        for (name, specification) in table {
            if name == "python" {
                continue;
            }
            let optional = specification
                .get("optional")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let scope = if optional {
                scope.max(Scope::Optional)
            } else {
                scope
            };
            self.declare(name, scope);
        }
    }
}

/// Reads `pyproject.toml` beside the lockfile; `None` when there is none or it is unusable
/// (said in `warnings`).
pub(super) fn read(input: &Input<'_>, warnings: &mut Vec<String>) -> Option<Project> {
    let document = read_sibling_toml(input, "pyproject.toml", warnings)?;
    let mut project = Project::default();
    let pep621 = document.get("project");
    let poetry = document.get("tool").and_then(|tool| tool.get("poetry"));
    let pdm = document.get("tool").and_then(|tool| tool.get("pdm"));
    let text_field = |table: Option<&Value>, key: &str| {
        table
            .and_then(|table| table.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    project.name = text_field(pep621, "name").or_else(|| text_field(poetry, "name"));
    project.version = text_field(pep621, "version").or_else(|| text_field(poetry, "version"));

    for runtime_group in ["main", "default"] {
        project
            .groups
            .insert(runtime_group.to_owned(), Scope::Required);
    }
    project.declare_requirements(
        pep621.and_then(|table| table.get("dependencies")),
        Scope::Required,
        "project.dependencies",
        warnings,
    );
    if let Some(extras) = pep621
        .and_then(|table| table.get("optional-dependencies"))
        .and_then(Value::as_table)
    {
        for (extra, requirements) in extras {
            project.groups.insert(extra.clone(), Scope::Optional);
            let field = format!("project.optional-dependencies.{extra}");
            project.declare_requirements(Some(requirements), Scope::Optional, &field, warnings);
        }
    }
    let dev_groups = [
        ("dependency-groups", document.get("dependency-groups")),
        (
            "tool.pdm.dev-dependencies",
            pdm.and_then(|table| table.get("dev-dependencies")),
        ),
    ];
    for (field, groups) in dev_groups {
        for (group, requirements) in groups.and_then(Value::as_table).into_iter().flatten() {
            project.groups.entry(group.clone()).or_insert(Scope::Dev);
            let field = format!("{field}.{group}");
            project.declare_requirements(Some(requirements), Scope::Dev, &field, warnings);
        }
    }

    project.declare_poetry_table(
        poetry.and_then(|table| table.get("dependencies")),
        Scope::Required,
    );
    project.declare_poetry_table(
        poetry.and_then(|table| table.get("dev-dependencies")),
        Scope::Dev,
    );
    if let Some(groups) = poetry
        .and_then(|table| table.get("group"))
        .and_then(Value::as_table)
    {
        for (group, definition) in groups {
            let scope = if group == "main" {
                Scope::Required
            } else {
                Scope::Dev
            };
            project.groups.entry(group.clone()).or_insert(scope);
            project.declare_poetry_table(definition.get("dependencies"), scope);
        }
    }
    Some(project)
}

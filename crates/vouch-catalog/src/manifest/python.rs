//! Python manifests: pyproject.toml (PEP 621 `[project]`, PEP 735 `[dependency-groups]` and
//! poetry's `[tool.poetry]` tables) and pip requirements files that declare ranges.
//!
//! Names are PEP 503 normalised, as indexes and lockfiles compare them. Poetry writes its own
//! constraints (`^1.2`, `~1.2`, `1.*`); they are translated to PEP 440 by poetry's documented
//! rules, so that every PyPI requirement reads with one parser.

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vouch_model::{Ecosystem, Location, pep503_normalize};

use super::{Collector, Declaration, DependencyKind, location, toml_entry, toml_get, toml_table};
use crate::CatalogError;
use crate::python::pep508;
use crate::python::requirements::{
    is_url_or_path, logical_lines, split_requirement_options, strip_comment,
};

pub(super) fn read_pyproject(found: &mut Collector<'_>) -> Result<(), CatalogError> {
    let document = found.toml()?;
    let root = document.get_ref();
    if let Some(project) = toml_table(root, "project") {
        read_pep508_array(
            found,
            toml_entry(project, "dependencies"),
            DependencyKind::Normal,
            None,
        );
        for (extra, requirements) in toml_table(project, "optional-dependencies")
            .into_iter()
            .flatten()
        {
            read_pep508_array(
                found,
                Some((extra, requirements)),
                DependencyKind::Optional,
                Some(extra.get_ref().to_string()),
            );
        }
    }
    for (group, requirements) in toml_table(root, "dependency-groups").into_iter().flatten() {
        read_pep508_array(
            found,
            Some((group, requirements)),
            DependencyKind::Dev,
            Some(group.get_ref().to_string()),
        );
    }
    let Some(poetry) = toml_table(root, "tool").and_then(|tool| toml_table(tool, "poetry")) else {
        return Ok(());
    };
    read_poetry_table(
        found,
        toml_table(poetry, "dependencies"),
        DependencyKind::Normal,
        None,
    );
    read_poetry_table(
        found,
        toml_table(poetry, "dev-dependencies"),
        DependencyKind::Dev,
        None,
    );
    for (group, definition) in toml_table(poetry, "group").into_iter().flatten() {
        let name = group.get_ref().to_string();
        // Poetry's `main` group is `[tool.poetry.dependencies]` under another name.
        let kind = if name == "main" {
            DependencyKind::Normal
        } else {
            DependencyKind::Dev
        };
        let dependencies = definition
            .get_ref()
            .as_table()
            .and_then(|table| toml_table(table, "dependencies"));
        read_poetry_table(found, dependencies, kind, Some(name));
    }
    Ok(())
}

/// An array of PEP 508 strings (`[project] dependencies`, an extra, a dependency group).
fn read_pep508_array(
    found: &mut Collector<'_>,
    entry: Option<(&Spanned<std::borrow::Cow<'_, str>>, &Spanned<DeValue<'_>>)>,
    kind: DependencyKind,
    group: Option<String>,
) {
    let Some((key, value)) = entry else {
        return;
    };
    let Some(requirements) = value.get_ref().as_array() else {
        found.skip(
            Ecosystem::PyPI,
            key.get_ref(),
            key.span().start,
            "not an array of PEP 508 requirements",
        );
        return;
    };
    for requirement in requirements {
        let offset = requirement.span().start;
        match requirement.get_ref() {
            DeValue::String(text) => {
                let at = found.location(offset);
                declare_pep508(found, text, at, kind, group.clone());
            }
            // PEP 735 `{ include-group = "..." }` pulls in a group read under its own name.
            DeValue::Table(table) if toml_get(table, "include-group").is_some() => {}
            other => found.skip(
                Ecosystem::PyPI,
                key.get_ref(),
                offset,
                format!("a {} where a PEP 508 requirement belongs", other.type_str()),
            ),
        }
    }
}

/// One PEP 508 requirement: its name and version specifiers; markers are read past.
fn declare_pep508(
    found: &mut Collector<'_>,
    text: &str,
    at: Location,
    kind: DependencyKind,
    group: Option<String>,
) {
    declare_parsed(found, text, pep508::parse(text), at, kind, group);
}

/// [`declare_pep508`] for a requirement already parsed from `text`.
fn declare_parsed(
    found: &mut Collector<'_>,
    text: &str,
    parsed: Result<pep508::Requirement, String>,
    at: Location,
    kind: DependencyKind,
    group: Option<String>,
) {
    match parsed {
        Err(message) => found.skip_at(Ecosystem::PyPI, text.trim(), at, message),
        Ok(requirement) if requirement.url.is_some() => found.skip_at(
            Ecosystem::PyPI,
            &requirement.name,
            at,
            "installed from a URL, not an index",
        ),
        Ok(requirement) => found.declare_at(
            Declaration {
                ecosystem: Ecosystem::PyPI,
                name: pep503_normalize(&requirement.name),
                alias: None,
                written: text.trim().to_owned(),
                requirement: requirement.specifier,
                kind,
                group,
            },
            at,
            None,
        ),
    }
}

/// A poetry dependency table: `name = "constraint"`, `name = { version = ..., optional = ... }`,
/// or an array of such tables (one per Python version or platform).
fn read_poetry_table(
    found: &mut Collector<'_>,
    table: Option<&DeTable<'_>>,
    kind: DependencyKind,
    group: Option<String>,
) {
    for (name, value) in table.into_iter().flatten() {
        let written_name = name.get_ref();
        // The interpreter version, not a package.
        if written_name == "python" {
            continue;
        }
        let offset = name.span().start;
        let alternatives: Vec<&DeValue<'_>> = match value.get_ref() {
            DeValue::Array(alternatives) => alternatives.iter().map(Spanned::get_ref).collect(),
            single => vec![single],
        };
        for alternative in alternatives {
            match poetry_constraint(alternative) {
                Ok((written, optional)) => match poetry_to_pep440(written) {
                    Ok(requirement) => found.declare(
                        Declaration {
                            ecosystem: Ecosystem::PyPI,
                            name: pep503_normalize(written_name),
                            alias: None,
                            written: written.to_owned(),
                            requirement,
                            kind: if optional && kind == DependencyKind::Normal {
                                DependencyKind::Optional
                            } else {
                                kind
                            },
                            group: group.clone(),
                        },
                        offset,
                    ),
                    Err(reason) => found.skip(Ecosystem::PyPI, written_name, offset, reason),
                },
                Err(reason) => found.skip(Ecosystem::PyPI, written_name, offset, reason),
            }
        }
    }
}

/// The constraint of one poetry dependency and whether it is optional, or why it has none.
fn poetry_constraint<'v>(value: &'v DeValue<'_>) -> Result<(&'v str, bool), String> {
    let table = match value {
        DeValue::String(constraint) => return Ok((constraint, false)),
        DeValue::Table(table) => table,
        other => return Err(format!("a {} where a constraint belongs", other.type_str())),
    };
    for (source, reason) in [
        ("git", "a git dependency"),
        ("path", "a path dependency"),
        ("url", "installed from a URL, not an index"),
    ] {
        if toml_get(table, source).is_some() {
            return Err(reason.to_owned());
        }
    }
    let optional = toml_get(table, "optional").and_then(DeValue::as_bool) == Some(true);
    match toml_get(table, "version").and_then(DeValue::as_str) {
        Some(constraint) => Ok((constraint, optional)),
        None => Err("no version constraint".to_owned()),
    }
}

/// Operators poetry shares with PEP 440, longest first.
const PEP440_OPERATORS: [&str; 8] = ["===", "~=", "==", "!=", "<=", ">=", "<", ">"];

/// A poetry constraint in PEP 440 (<https://python-poetry.org/docs/dependency-specification/>):
/// `^1.2.3` → `>=1.2.3,<2.0.0`, `~1.2` → `>=1.2,<1.3.0`, `1.2.*` → `==1.2.*`, `*` → any,
/// `1.2.3` → `==1.2.3`; `,` or spaces join constraints. `||` has no PEP 440 form.
fn poetry_to_pep440(constraint: &str) -> Result<String, String> {
    if constraint.contains('|') {
        return Err(format!(
            "`{constraint}` is a union (`||`), which PEP 440 cannot write"
        ));
    }
    let mut clauses = Vec::new();
    let mut pending_operator: Option<&str> = None;
    for word in constraint
        .split(|character: char| character == ',' || character.is_whitespace())
        .filter(|word| !word.is_empty())
    {
        // `>= 1.2` writes the operator and its version apart.
        if matches!(
            word,
            "^" | "~" | "~=" | "===" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "="
        ) {
            pending_operator = Some(word);
            continue;
        }
        let word = match pending_operator.take() {
            Some(operator) => format!("{operator}{word}"),
            None => word.to_owned(),
        };
        clauses.extend(poetry_clause(&word)?);
    }
    if let Some(operator) = pending_operator {
        return Err(format!(
            "`{constraint}` ends with `{operator}` and no version"
        ));
    }
    Ok(clauses.join(","))
}

/// One clause of a poetry constraint as PEP 440 clauses (none for `*`).
fn poetry_clause(clause: &str) -> Result<Vec<String>, String> {
    if PEP440_OPERATORS
        .iter()
        .any(|operator| clause.starts_with(operator))
    {
        return Ok(vec![clause.to_owned()]);
    }
    if let Some(version) = clause.strip_prefix('^') {
        let release = release_numbers(version)?;
        // The first non-zero number given is bumped; when all are zero, the last one given.
        let bumped = release
            .iter()
            .position(|number| *number != 0)
            .unwrap_or(release.len().saturating_sub(1));
        return Ok(vec![
            format!(">={version}"),
            format!("<{}", bump(&release, bumped)),
        ]);
    }
    if let Some(version) = clause.strip_prefix('~') {
        let release = release_numbers(version)?;
        // `~1` allows minor updates, `~1.2` and `~1.2.3` patch updates.
        let bumped = usize::from(release.len() > 1);
        return Ok(vec![
            format!(">={version}"),
            format!("<{}", bump(&release, bumped)),
        ]);
    }
    let version = clause.strip_prefix('=').unwrap_or(clause);
    if version == "*" {
        return Ok(Vec::new());
    }
    release_numbers(version.trim_end_matches(".*"))?;
    Ok(vec![format!("=={version}")])
}

/// The leading `N.N.N` numbers of a version, which poetry's `^` and `~` bump.
fn release_numbers(version: &str) -> Result<Vec<u64>, String> {
    let release = version
        .split(|character: char| !(character.is_ascii_digit() || character == '.'))
        .next()
        .unwrap_or_default();
    let numbers: Option<Vec<u64>> = release
        .split('.')
        .filter(|part| !part.is_empty())
        .map(|part| part.parse().ok())
        .collect();
    match numbers {
        Some(numbers) if !numbers.is_empty() => Ok(numbers),
        _ => Err(format!("`{version}` is not a version poetry reads")),
    }
}

/// The release with number `index` incremented and the numbers after it zeroed, padded to three
/// numbers.
fn bump(release: &[u64], index: usize) -> String {
    let mut bumped: Vec<u64> = release.iter().take(index + 1).copied().collect();
    if let Some(last) = bumped.last_mut() {
        *last = last.saturating_add(1);
    }
    while bumped.len() < 3 {
        bumped.push(0);
    }
    bumped
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// A pip requirements file (`requirements.txt`, a pip-tools `requirements.in`): the requirements
/// that give a range. Exact pins (`==1.2.3`) are what a lock says, not a range the project
/// allows, and options, URLs and paths have no range.
pub(super) fn read_requirements(found: &mut Collector<'_>) {
    for (line, text) in logical_lines(found.contents) {
        let text = strip_comment(&text).trim();
        if text.is_empty() || text.starts_with('-') || is_url_or_path(text) {
            continue;
        }
        let (requirement, _options) = split_requirement_options(text);
        let parsed = pep508::parse(requirement);
        if parsed
            .as_ref()
            .is_ok_and(|parsed| parsed.url.is_some() || parsed.pinned_version().is_some())
        {
            continue;
        }
        let at = location(found.path, line);
        declare_parsed(found, requirement, parsed, at, DependencyKind::Normal, None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poetry_constraints_translate_by_poetrys_rules() {
        for (poetry, pep440) in [
            ("^1.2.3", ">=1.2.3,<2.0.0"),
            ("^1.2", ">=1.2,<2.0.0"),
            ("^1", ">=1,<2.0.0"),
            ("^0.2.3", ">=0.2.3,<0.3.0"),
            ("^0.0.3", ">=0.0.3,<0.0.4"),
            ("^0.0", ">=0.0,<0.1.0"),
            ("^0", ">=0,<1.0.0"),
            ("~1.2.3", ">=1.2.3,<1.3.0"),
            ("~1.2", ">=1.2,<1.3.0"),
            ("~1", ">=1,<2.0.0"),
            ("~=1.4.2", "~=1.4.2"),
            ("*", ""),
            ("1.2.*", "==1.2.*"),
            ("1.2.3", "==1.2.3"),
            ("=1.2.3", "==1.2.3"),
            (">= 1.2, < 1.5", ">=1.2,<1.5"),
            (">=1.2 <1.5 !=1.3", ">=1.2,<1.5,!=1.3"),
            ("^2.0b1", ">=2.0b1,<3.0.0"),
        ] {
            assert_eq!(poetry_to_pep440(poetry).as_deref(), Ok(pep440), "{poetry}");
        }
        for refused in ["^1.2 || ^2.0", "^", ">=", "^abc", "banana"] {
            assert!(poetry_to_pep440(refused).is_err(), "{refused}");
        }
    }
}

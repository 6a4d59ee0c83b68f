//! Bun's text lockfile `bun.lock`: JSON with comments and trailing commas allowed.
//!
//! `workspaces` lists the project (`""`) and its members with their declared dependencies;
//! `packages` maps install paths (`chalk`, `chalk/supports-color`) to tuples whose first item is
//! `name@version` (or `name@github:...`, `name@file:...`, `name@workspace:...`). Registry tuples
//! are `[spec, registry, info, integrity]`; the others `[spec, info, ...]`.

use std::collections::{BTreeSet, HashMap};
use std::sync::LazyLock;

use serde_json::{Map, Value};
use vouch_model::ComponentId;

use super::{
    DependencyGroup, KeyLines, Origin, Package, PackageSet, add_integrity, directory_name,
    split_last_package, split_name_spec,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct BunLockCataloger;

impl Cataloger for BunLockCataloger {
    fn name(&self) -> &'static str {
        "bun-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "bun.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        if input.contents.trim().is_empty() {
            return Ok(Catalog::default());
        }
        let json = strip_jsonc(input.contents);
        let document: Value = serde_json::from_str(&json)
            .map_err(|error| input.error(Some(error.line()), format!("not valid JSON: {error}")))?;
        let Some(document) = document.as_object() else {
            return Err(input.error(None, "bun.lock must be a JSON object"));
        };
        Ok(catalog_document(input, &json, document))
    }
}

static EMPTY: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

fn object(value: Option<&Value>) -> &Map<String, Value> {
    value.and_then(Value::as_object).unwrap_or(&EMPTY)
}

fn catalog_document(input: &Input<'_>, json: &str, document: &Map<String, Value>) -> Catalog {
    let mut set = PackageSet::default();
    let mut lines = KeyLines::new(json);
    let workspaces = object(document.get("workspaces"));
    let packages = object(document.get("packages"));

    // Workspace members by path, and the install-path prefix their own dependencies live under.
    let mut members: Vec<(ComponentId, &Map<String, Value>, String)> = Vec::new();
    let mut member_ids: HashMap<String, ComponentId> = HashMap::new();
    for (path, member) in workspaces {
        let line = lines.find(path);
        let path = super::normalize_relative(path);
        let name = member
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let prefix = if path == "." {
            String::new()
        } else {
            name.clone().unwrap_or_default()
        };
        let name = name.or_else(|| {
            if path == "." {
                directory_name(input)
            } else {
                Some(path.clone())
            }
        });
        let Some(name) = name else { continue };
        let version = member
            .get("version")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let id = set.add(
            input,
            Package::new(name, version, Origin::Workspace(path.clone())).at_line(line),
        );
        member_ids.insert(path, id.clone());
        members.push((id, object(Some(member)), prefix));
    }

    let mut ids: HashMap<&str, ComponentId> = HashMap::new();
    let mut infos: Vec<(&str, &Map<String, Value>, Option<usize>)> = Vec::new();
    for (key, tuple) in packages {
        let line = lines.find(key);
        let items = tuple.as_array().map(Vec::as_slice).unwrap_or_default();
        let Some((name, spec)) = items
            .first()
            .and_then(Value::as_str)
            .and_then(split_name_spec)
        else {
            set.warn(
                line,
                format!("`{key}` does not start with a `name@version` string; skipped"),
            );
            continue;
        };
        let info = items.iter().find_map(Value::as_object).unwrap_or(&EMPTY);
        if let Some(path) = spec.strip_prefix("workspace:") {
            if let Some(id) = member_ids.get(&super::normalize_relative(path)) {
                ids.insert(key, id.clone());
            }
            continue;
        }
        let package = tuple_package(&mut set, name, spec, items, line);
        ids.insert(key, set.add(input, package));
        infos.push((key, info, line));
    }

    let edge_groups = [
        DependencyGroup::Production,
        DependencyGroup::Optional,
        DependencyGroup::Peer,
    ];
    for (key, info, line) in infos {
        let Some(from) = ids.get(key).cloned() else {
            continue;
        };
        for group in edge_groups {
            for name in object(info.get(group.field())).keys() {
                match resolve(key, name, &ids) {
                    Some(to) => set.relate(&from, group.relationship(), &to),
                    None if group == DependencyGroup::Production => set.warn(
                        line,
                        format!("`{name}`, a dependency of `{key}`, is not in the lock"),
                    ),
                    None => {}
                }
            }
        }
    }
    let mut projects = BTreeSet::new();
    for (id, member, prefix) in &members {
        projects.insert(id.clone());
        for group in DependencyGroup::ALL {
            for name in object(member.get(group.field())).keys() {
                let found = if prefix.is_empty() {
                    ids.get(name.as_str()).cloned()
                } else {
                    resolve(prefix, name, &ids)
                };
                if let Some(to) = found {
                    set.relate(id, group.relationship(), &to);
                }
            }
        }
    }
    set.scope_from_graph(&projects);
    set.mark_direct(&projects);
    set.finish()
}

/// The package of one `packages` tuple.
fn tuple_package(
    set: &mut PackageSet,
    name: &str,
    spec: &str,
    items: &[Value],
    line: Option<usize>,
) -> Package {
    let is_release = spec.starts_with(|c: char| c.is_ascii_digit());
    let mut package = if is_release {
        let registry = items
            .get(1)
            .and_then(Value::as_str)
            .filter(|registry| !registry.is_empty())
            .map(|registry| registry.trim_end_matches('/').to_owned());
        Package::new(name, Some(spec.to_owned()), Origin::Registry(registry))
    } else {
        Package::new(name, None, Origin::from_resolved(spec))
    };
    package.line = line;
    // Registry tuples keep the integrity last; tarball tuples may too. Git tuples end with
    // Bun's own cache tag, which is no digest.
    let integrity = items
        .iter()
        .skip(1)
        .filter_map(Value::as_str)
        .rfind(|text| {
            ["sha1-", "sha256-", "sha384-", "sha512-"]
                .iter()
                .any(|prefix| text.starts_with(prefix))
        });
    if let Some(integrity) = integrity {
        add_integrity(set, &mut package, integrity);
    }
    if let Origin::Tarball(url) = &package.origin {
        package.download_url = Some(url.clone());
    }
    package
}

/// The install path Bun finds `name` at from the package at `from`: nested under it first,
/// then under each ancestor, then at the top level.
fn resolve(from: &str, name: &str, ids: &HashMap<&str, ComponentId>) -> Option<ComponentId> {
    let mut base = Some(from);
    while let Some(prefix) = base {
        if let Some(id) = ids.get(format!("{prefix}/{name}").as_str()) {
            return Some(id.clone());
        }
        base = split_last_package(prefix).0;
    }
    ids.get(name).cloned()
}

/// JSON text from JSONC: comments become spaces (line breaks kept, so errors and key lines stay
/// on the right line) and trailing commas before `}` or `]` are dropped.
fn strip_jsonc(text: &str) -> String {
    let mut without_comments = String::with_capacity(text.len());
    let mut characters = text.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '"' => {
                without_comments.push('"');
                while let Some(inner) = characters.next() {
                    without_comments.push(inner);
                    match inner {
                        '\\' => without_comments.extend(characters.next()),
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if characters.peek() == Some(&'/') => {
                for inner in characters.by_ref() {
                    if inner == '\n' {
                        without_comments.push('\n');
                        break;
                    }
                }
            }
            '/' if characters.peek() == Some(&'*') => {
                characters.next();
                let mut previous = ' ';
                for inner in characters.by_ref() {
                    if inner == '\n' {
                        without_comments.push('\n');
                    }
                    if previous == '*' && inner == '/' {
                        break;
                    }
                    previous = inner;
                }
                without_comments.push(' ');
            }
            _ => without_comments.push(character),
        }
    }
    drop_trailing_commas(&without_comments)
}

fn drop_trailing_commas(text: &str) -> String {
    let mut output = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for (position, character) in text.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                in_string = false;
            }
        } else if character == '"' {
            in_string = true;
        } else if character == ',' {
            let rest = text.get(position + 1..).unwrap_or_default();
            let next = rest.trim_start().chars().next();
            if matches!(next, Some('}' | ']')) {
                output.push(' ');
                continue;
            }
        }
        output.push(character);
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonc_comments_and_trailing_commas() {
        let text =
            "{\n  // note\n  \"a\": [1, 2,],\n  /* x\n y */ \"b\": \"//, not a comment\",\n}";
        let json = strip_jsonc(text);
        assert_eq!(json.lines().count(), text.lines().count());
        let value: Value = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(value["a"], serde_json::json!([1, 2]));
        assert_eq!(value["b"], "//, not a comment");
    }
}

//! Pipfile.lock (pipenv): `default` packages are needed at run time, `develop` ones for
//! development. The Pipfile beside it, when present, says which packages are direct.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use vouch_model::{Scope, Source};

use super::{
    LockBuilder, add_hash, at_line, normalize_name, package, parse_hash, read_sibling_toml,
    registry_source,
};
use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

#[derive(Debug)]
pub(super) struct PipfileLock;

/// The sections of a Pipfile.lock and the scope their packages get.
const SECTIONS: [(&str, Scope); 2] = [("default", Scope::Required), ("develop", Scope::Dev)];

impl Cataloger for PipfileLock {
    fn name(&self) -> &'static str {
        "pipfile-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "Pipfile.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let Some(document) = input.parse_json::<Value>("invalid JSON: ")? else {
            return Ok(Catalog::default());
        };
        let Some(document) = document.as_object() else {
            return Err(input.error(Some(1), "a Pipfile.lock must be a JSON object"));
        };
        let mut warnings = Vec::new();
        let direct = read_pipfile(input, &mut warnings);
        let sources = document
            .get("_meta")
            .and_then(|meta| meta.get("sources"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let mut builder = LockBuilder::default();
        for (section, scope) in SECTIONS {
            let Some(packages) = document.get(section) else {
                continue;
            };
            let Some(packages) = packages.as_object() else {
                return Err(input.error(
                    key_line(input.contents, section, None),
                    format!("`{section}` must map package names to their locks"),
                ));
            };
            let section_offset = input.contents.find(&format!("\"{section}\"")).unwrap_or(0);
            for (name, entry) in packages {
                let line = key_line(input.contents, name, Some(section_offset));
                let Some(entry) = entry.as_object() else {
                    warnings.push(format!(
                        "{}`{name}` in `{section}` is not an object; skipped",
                        at_line(line)
                    ));
                    continue;
                };
                let version = entry
                    .get("version")
                    .and_then(Value::as_str)
                    .and_then(|version| {
                        version
                            .strip_prefix("===")
                            .or_else(|| version.strip_prefix("=="))
                    });
                let source = entry_source(entry, sources);
                let mut component = package(input, name, version, source, line)?;
                component.scope = scope;
                if let Some(direct) = &direct {
                    component.direct = Some(direct.contains(&normalize_name(name)));
                }
                let hashes = entry.get("hashes").and_then(Value::as_array);
                for hash in hashes.into_iter().flatten().filter_map(Value::as_str) {
                    match parse_hash(hash) {
                        Some(hash) => add_hash(&mut component.hashes, hash),
                        None => warnings.push(format!(
                            "{}hash `{hash}` of `{name}` is not `algorithm:hex digest`; ignored",
                            at_line(line)
                        )),
                    }
                }
                if let Some(markers) = entry.get("markers").and_then(Value::as_str) {
                    component
                        .properties
                        .insert("vouch:marker".to_owned(), markers.to_owned());
                }
                builder.add(component);
            }
        }
        Ok(builder.finish(warnings))
    }
}

/// Where a locked entry comes from: `git` + `ref`, a local `path`/`file`, a remote `file`, or
/// the named index of `_meta.sources`.
fn entry_source(entry: &Map<String, Value>, sources: &[Value]) -> Source {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_owned);
    if let Some(url) = text("git") {
        return Source::Git {
            url,
            reference: text("ref"),
        };
    }
    if let Some(file) = text("file") {
        return if file.contains("://") && !file.starts_with("file:") {
            Source::Url { url: file }
        } else {
            Source::Path { path: file }
        };
    }
    if let Some(path) = text("path") {
        return Source::Path { path };
    }
    let index = text("index").and_then(|index| {
        sources
            .iter()
            .find(|source| source.get("name").and_then(Value::as_str) == Some(index.as_str()))
            .and_then(|source| source.get("url"))
            .and_then(Value::as_str)
    });
    registry_source(index)
}

/// The names the Pipfile declares (`[packages]` and `[dev-packages]`), normalised; `None` when
/// there is no usable Pipfile (then directness is unknown).
fn read_pipfile(input: &Input<'_>, warnings: &mut Vec<String>) -> Option<BTreeSet<String>> {
    let pipfile = read_sibling_toml(input, "Pipfile", warnings)?;
    let declared = ["packages", "dev-packages"]
        .into_iter()
        .filter_map(|table| pipfile.get(table).and_then(toml::Value::as_table))
        .flat_map(|table| table.keys().map(|name| normalize_name(name)))
        .collect();
    Some(declared)
}

/// The line of the JSON key `"key"` at or after byte `from` (a cheap text search).
fn key_line(contents: &str, key: &str, from: Option<usize>) -> Option<usize> {
    let from = from.unwrap_or(0);
    let needle = serde_json::to_string(key).ok()?;
    let offset = contents.get(from..)?.find(&needle)?;
    Some(line_of_offset(contents, from + offset))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::catalog_beside;

    #[test]
    fn pipfile_beside_the_lock_says_which_packages_are_direct() {
        let lock = r#"{
  "_meta": {"sources": [{"name": "internal", "url": "https://pypi.internal/simple"}]},
  "default": {
    "requests": {"version": "==2.31.0", "index": "internal"},
    "urllib3": {"version": "==2.0.7"}
  },
  "develop": {
    "pytest": {"version": "==7.4.0"}
  }
}"#;
        let pipfile = "[packages]\nRequests = \"*\"\n\n[dev-packages]\npytest = \"*\"\n";
        let catalog = catalog_beside(&PipfileLock, "Pipfile.lock", lock, &[("Pipfile", pipfile)]);
        let summary: Vec<(&str, Scope, Option<bool>, Option<u32>)> = catalog
            .components
            .iter()
            .map(|c| (c.id.as_str(), c.scope, c.direct, c.locations[0].line))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    "pkg:pypi/requests@2.31.0?repository_url=https:%2F%2Fpypi.internal%2Fsimple",
                    Scope::Required,
                    Some(true),
                    Some(4)
                ),
                (
                    "pkg:pypi/urllib3@2.0.7",
                    Scope::Required,
                    Some(false),
                    Some(5)
                ),
                ("pkg:pypi/pytest@7.4.0", Scope::Dev, Some(true), Some(8)),
            ]
        );
    }
}

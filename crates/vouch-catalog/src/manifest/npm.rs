//! package.json: `dependencies`, `devDependencies`, `optionalDependencies` and
//! `peerDependencies`. Specifications are told apart the way npm-package-arg does: `npm:`
//! aliases name the registry package they install, while `workspace:`, `file:`, `link:`, git,
//! GitHub shorthand and URL specifications have no registry range.

use std::collections::HashMap;

use serde_json::Value;
use vouch_model::Ecosystem;

use super::{Collector, Declaration, DependencyKind};
use crate::CatalogError;
use crate::javascript::split_name_spec;

const GROUPS: [(&str, DependencyKind); 4] = [
    ("dependencies", DependencyKind::Normal),
    ("devDependencies", DependencyKind::Dev),
    ("optionalDependencies", DependencyKind::Optional),
    ("peerDependencies", DependencyKind::Peer),
];

/// Prefixes of specifications that install from a git repository.
const GIT_PREFIXES: [&str; 8] = [
    "git+",
    "git:",
    "github:",
    "gitlab:",
    "bitbucket:",
    "gist:",
    "git@",
    "ssh:",
];

/// How one dependency is specified.
#[derive(Debug, PartialEq, Eq)]
enum Specification<'a> {
    Registry {
        name: &'a str,
        range: &'a str,
    },
    /// No registry range, for the reason given.
    Other(&'static str),
}

pub(super) fn read(found: &mut Collector<'_>) -> Result<(), CatalogError> {
    if found.contents.trim().is_empty() {
        return Ok(());
    }
    let document: Value = serde_json::from_str(found.contents).map_err(|error| {
        found.error(
            Some(error.line()).filter(|line| *line > 0),
            format!("invalid JSON: {error}"),
        )
    })?;
    let Some(document) = document.as_object() else {
        return Err(found.error(None, "package.json is not a JSON object"));
    };
    let offsets = member_key_offsets(found.contents);
    for (field, kind) in GROUPS {
        let Some(group) = document.get(field) else {
            continue;
        };
        let group_offset = offsets
            .get(&(String::new(), field.to_owned()))
            .copied()
            .unwrap_or(0);
        let Some(dependencies) = group.as_object() else {
            found.skip(
                Ecosystem::Npm,
                field,
                group_offset,
                format!("`{field}` is not an object of names and versions"),
            );
            continue;
        };
        for (key, value) in dependencies {
            let offset = offsets
                .get(&(field.to_owned(), key.clone()))
                .copied()
                .unwrap_or(group_offset);
            let Some(written) = value.as_str() else {
                found.skip(Ecosystem::Npm, key, offset, "the version is not a string");
                continue;
            };
            match specification(key, written) {
                Specification::Registry { name, range } => found.declare(
                    Declaration {
                        ecosystem: Ecosystem::Npm,
                        name: name.to_owned(),
                        alias: (name != key).then(|| key.clone()),
                        written: written.to_owned(),
                        requirement: range.to_owned(),
                        kind,
                        group: None,
                    },
                    offset,
                ),
                Specification::Other(reason) => found.skip(Ecosystem::Npm, key, offset, reason),
            }
        }
    }
    Ok(())
}

fn specification<'a>(key: &'a str, written: &'a str) -> Specification<'a> {
    let spec = written.trim();
    if let Some(aliased) = spec.strip_prefix("npm:") {
        // `npm:name` alone installs the latest version, as an empty range does.
        let (name, range) = split_name_spec(aliased).unwrap_or((aliased, ""));
        if name.is_empty() || matches!(specification(name, range), Specification::Other(_)) {
            return Specification::Other("an `npm:` alias that names no registry package");
        }
        return Specification::Registry { name, range };
    }
    let lower = spec.to_ascii_lowercase();
    if lower.starts_with("workspace:") {
        Specification::Other("a package of this workspace (`workspace:`)")
    } else if ["file:", "link:", "portal:"]
        .iter()
        .any(|prefix| lower.starts_with(prefix))
        || spec.starts_with(['.', '/'])
        || spec.starts_with("~/")
    {
        Specification::Other("a local directory or tarball")
    } else if lower.starts_with("patch:") {
        Specification::Other("a Yarn patch of another specification")
    } else if GIT_PREFIXES.iter().any(|prefix| lower.starts_with(prefix))
        || is_github_shorthand(spec)
    {
        Specification::Other("a git repository")
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        Specification::Other("a tarball URL")
    } else {
        Specification::Registry {
            name: key,
            range: written,
        }
    }
}

/// npm-package-arg's `user/repo[#ref]`: one `/`, no `@`, `:` or whitespace before it, and not
/// starting with `.` or `-`.
fn is_github_shorthand(spec: &str) -> bool {
    let (repository, _) = spec.split_once('#').unwrap_or((spec, ""));
    let Some((user, project)) = repository.split_once('/') else {
        return false;
    };
    let forbidden =
        |character: char| matches!(character, '@' | '%' | '/' | ':') || character.is_whitespace();
    !user.is_empty()
        && !project.is_empty()
        && !user.starts_with(['.', '-'])
        && !user.contains(forbidden)
        && !project.contains(forbidden)
}

/// The offsets of the keys of a JSON document's top-level object (under `""`) and of the
/// objects it holds (under their member's key): `(member, key)` → offset of the key's opening
/// quote. serde_json parses without positions; this scan adds them for valid JSON.
fn member_key_offsets(text: &str) -> HashMap<(String, String), usize> {
    let bytes = text.as_bytes();
    let mut offsets = HashMap::new();
    let mut depth = 0usize;
    let mut member = String::new();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'"' => {
                let start = index;
                index += 1;
                while let Some(&inner) = bytes.get(index) {
                    match inner {
                        b'"' => break,
                        b'\\' => index += 2,
                        _ => index += 1,
                    }
                }
                index = (index + 1).min(bytes.len());
                let is_key = text
                    .get(index..)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'));
                let key = text
                    .get(start..index)
                    .and_then(|quoted| serde_json::from_str::<String>(quoted).ok());
                if let (true, Some(key)) = (is_key, key) {
                    match depth {
                        1 => {
                            offsets.entry((String::new(), key.clone())).or_insert(start);
                            member = key;
                        }
                        2 => {
                            offsets.entry((member.clone(), key)).or_insert(start);
                        }
                        _ => {}
                    }
                }
                continue;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        index += 1;
    }
    offsets
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specifications_are_told_apart_like_npm_package_arg() {
        for (key, written, expected) in [
            (
                "a",
                "^1.2.3",
                Specification::Registry {
                    name: "a",
                    range: "^1.2.3",
                },
            ),
            (
                "a",
                "latest",
                Specification::Registry {
                    name: "a",
                    range: "latest",
                },
            ),
            (
                "a",
                "",
                Specification::Registry {
                    name: "a",
                    range: "",
                },
            ),
            (
                "a",
                "npm:b@~2",
                Specification::Registry {
                    name: "b",
                    range: "~2",
                },
            ),
            (
                "a",
                "npm:@s/b@1.x",
                Specification::Registry {
                    name: "@s/b",
                    range: "1.x",
                },
            ),
            (
                "a",
                "npm:@s/b",
                Specification::Registry {
                    name: "@s/b",
                    range: "",
                },
            ),
            (
                "a",
                "npm:b@github:u/r",
                Specification::Other("an `npm:` alias that names no registry package"),
            ),
            (
                "a",
                "workspace:^",
                Specification::Other("a package of this workspace (`workspace:`)"),
            ),
            (
                "a",
                "file:../a",
                Specification::Other("a local directory or tarball"),
            ),
            (
                "a",
                "./a.tgz",
                Specification::Other("a local directory or tarball"),
            ),
            (
                "a",
                "link:../a",
                Specification::Other("a local directory or tarball"),
            ),
            (
                "a",
                "git+https://example.com/a.git",
                Specification::Other("a git repository"),
            ),
            (
                "a",
                "github:user/a",
                Specification::Other("a git repository"),
            ),
            ("a", "user/a#v1", Specification::Other("a git repository")),
            (
                "a",
                "https://example.com/a.tgz",
                Specification::Other("a tarball URL"),
            ),
            (
                "a",
                "patch:a@1.0.0#./a.patch",
                Specification::Other("a Yarn patch of another specification"),
            ),
        ] {
            assert_eq!(specification(key, written), expected, "{written}");
        }
    }

    #[test]
    fn key_offsets_name_the_top_level_and_nested_keys() {
        let text = "{\n \"name\": \"x\",\n \"dependencies\": {\n  \"a\": \"1\",\n  \"b\\u0031\": \"2\"\n },\n \"files\": [{\"a\": 1}]\n}";
        let offsets = member_key_offsets(text);
        let line = |member: &str, key: &str| {
            offsets
                .get(&(member.to_owned(), key.to_owned()))
                .map(|offset| crate::line_of_offset(text, *offset))
        };
        assert_eq!(line("", "dependencies"), Some(3));
        assert_eq!(line("dependencies", "a"), Some(4));
        assert_eq!(line("dependencies", "b1"), Some(5));
        assert_eq!(line("files", "a"), None);
        assert_eq!(offsets.len(), 5);
    }
}

//! pylock.toml and pylock.<name>.toml (PEP 751). A package's marker says which extras or
//! dependency groups select it; the package at directory `.` is the project itself.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;
use vouch_model::{RelationshipKind, Scope, Source};

use super::{
    LockBuilder, add_hash, hash_from_parts, package, parse_toml, registry_source, span_line,
};
use crate::{Catalog, CatalogError, Cataloger, Input};

#[derive(Debug)]
pub(super) struct Pylock;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Lock {
    lock_version: Option<Spanned<String>>,
    #[serde(default)]
    packages: Vec<Package>,
    #[serde(default)]
    default_groups: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Package {
    name: Spanned<String>,
    version: Option<String>,
    marker: Option<String>,
    index: Option<String>,
    #[serde(default)]
    dependencies: Vec<Dependency>,
    vcs: Option<Vcs>,
    directory: Option<Directory>,
    archive: Option<Artifact>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

#[derive(Debug, Deserialize)]
struct Dependency {
    name: String,
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Vcs {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    path: Option<String>,
    requested_revision: Option<String>,
    commit_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Directory {
    path: String,
}

#[derive(Debug, Deserialize)]
struct Artifact {
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    hashes: BTreeMap<String, String>,
}

impl Cataloger for Pylock {
    fn name(&self) -> &'static str {
        "pylock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "pylock.toml"
            || file_name
                .strip_prefix("pylock.")
                .and_then(|rest| rest.strip_suffix(".toml"))
                .is_some_and(|name| !name.is_empty() && !name.contains('.'))
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let lock: Lock = parse_toml(input)?;
        let mut warnings = Vec::new();
        // PEP 751: a reader must not trust a major version it does not know. This one knows 1.x;
        // it reads a newer file as far as the 1.x fields go and says so.
        if let Some(version) = &lock.lock_version
            && !version.get_ref().starts_with("1.")
        {
            warnings.push(format!(
                "line {}: lock-version {} is not 1.x; read with the 1.x rules",
                span_line(input, version.span()),
                version.get_ref()
            ));
        }
        let mut builder = LockBuilder::default();
        let mut indices = Vec::with_capacity(lock.packages.len());
        let mut root = None;
        for entry in &lock.packages {
            let line = span_line(input, entry.name.span());
            let is_project = entry
                .directory
                .as_ref()
                .is_some_and(|directory| directory.path.trim_end_matches('/') == ".");
            let source = if is_project {
                Source::Workspace
            } else {
                package_source(entry)
            };
            let mut component = package(
                input,
                entry.name.get_ref(),
                entry.version.as_deref(),
                source,
                Some(line),
            )?;
            component.scope = marker_scope(entry.marker.as_deref(), &lock.default_groups);
            let artifacts = entry
                .archive
                .iter()
                .chain(&entry.sdist)
                .chain(&entry.wheels);
            for artifact in artifacts.clone() {
                for (algorithm, hex) in &artifact.hashes {
                    match hash_from_parts(algorithm, hex) {
                        Some(hash) => add_hash(&mut component.hashes, hash),
                        None => warnings.push(format!(
                            "line {line}: `{algorithm} = \"{hex}\"` is not a hex digest of that algorithm; ignored"
                        )),
                    }
                }
            }
            if component.download_url.is_none() && !is_project {
                component.download_url =
                    artifacts.filter_map(|artifact| artifact.url.clone()).next();
            }
            if let Some(marker) = &entry.marker {
                component
                    .properties
                    .insert("vouch:marker".to_owned(), marker.clone());
            }
            let index = builder.add(component);
            if is_project {
                root = Some(index);
            }
            indices.push(index);
        }
        for (entry, &from) in lock.packages.iter().zip(&indices) {
            for dependency in &entry.dependencies {
                let targets = builder.resolve(&dependency.name, dependency.version.as_deref());
                if targets.is_empty() {
                    warnings.push(format!(
                        "line {}: dependency `{}` of `{}` is not locked; edge left out",
                        span_line(input, entry.name.span()),
                        dependency.name,
                        entry.name.get_ref()
                    ));
                }
                for to in targets {
                    builder.relate(from, RelationshipKind::DependsOn, to);
                }
            }
        }
        // Which packages are direct is only known when the project lists its dependencies.
        if let Some(root) = root {
            let direct: Vec<usize> = builder
                .relationships
                .iter()
                .filter(|(from, _, _)| *from == root)
                .map(|(_, _, to)| *to)
                .collect();
            if !direct.is_empty() {
                for (index, component) in builder.components.iter_mut().enumerate() {
                    if index != root {
                        component.direct = Some(direct.contains(&index));
                    }
                }
            }
        }
        Ok(builder.finish(warnings))
    }
}

/// Scope from the `"name" in extras` and `"name" in dependency_groups` clauses of a marker: a
/// package some default group selects is required; one only extras select is optional; one
/// only other groups select is for development. Other marker clauses (platforms, Python
/// versions) do not change why a package is there.
fn marker_scope(marker: Option<&str>, default_groups: &[String]) -> Scope {
    let Some(marker) = marker else {
        return Scope::Required;
    };
    let extras = membership_clauses(marker, "extras");
    let groups = membership_clauses(marker, "dependency_groups");
    if extras.is_empty() && groups.is_empty() {
        return Scope::Required;
    }
    if groups.iter().any(|group| default_groups.contains(group)) {
        Scope::Required
    } else if !extras.is_empty() {
        Scope::Optional
    } else {
        Scope::Dev
    }
}

/// The quoted names `X` of `"X" in <variable>` clauses of a marker.
fn membership_clauses(marker: &str, variable: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = marker;
    while let Some(quote_start) = rest.find(['"', '\'']) {
        let quote = &rest[quote_start..quote_start + 1];
        let after_open = &rest[quote_start + 1..];
        let Some(length) = after_open.find(quote) else {
            break;
        };
        let name = &after_open[..length];
        rest = &after_open[length + 1..];
        let mut words = rest.split_whitespace();
        if words.next() == Some("in")
            && words
                .next()
                .is_some_and(|word| word.trim_end_matches(')') == variable)
        {
            names.push(name.to_owned());
        }
    }
    names
}

fn package_source(entry: &Package) -> Source {
    if let Some(vcs) = &entry.vcs {
        let url = vcs
            .url
            .clone()
            .or_else(|| vcs.path.clone())
            .unwrap_or_default();
        return if vcs.kind == "git" {
            Source::Git {
                url,
                reference: vcs
                    .commit_id
                    .clone()
                    .or_else(|| vcs.requested_revision.clone()),
            }
        } else {
            Source::Url { url }
        };
    }
    if let Some(directory) = &entry.directory {
        return Source::Path {
            path: directory.path.clone(),
        };
    }
    if let Some(archive) = &entry.archive {
        match (&archive.url, &archive.path) {
            (Some(url), _) => return Source::Url { url: url.clone() },
            (None, Some(path)) => return Source::Path { path: path.clone() },
            (None, None) => {}
        }
    }
    registry_source(entry.index.as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_major_lock_version_is_reported() {
        let input = Input {
            path: "pylock.toml",
            contents: "lock-version = \"2.0\"\n\n[[packages]]\nname = \"attrs\"\nversion = \"25.1.0\"\n",
            files: &crate::NoFiles,
        };
        let catalog = Pylock.catalog(&input).expect("readable");
        assert_eq!(catalog.components.len(), 1);
        assert_eq!(
            catalog.warnings,
            ["line 1: lock-version 2.0 is not 1.x; read with the 1.x rules"]
        );
    }

    #[test]
    fn marker_membership_decides_the_scope() {
        let defaults = ["default".to_owned()];
        let scope = |marker| marker_scope(Some(marker), &defaults);
        assert_eq!(
            scope(r#""default" in dependency_groups or "security" in extras"#),
            Scope::Required
        );
        assert_eq!(
            scope(r#"python_version >= "3.6" and "security" in extras"#),
            Scope::Optional
        );
        assert_eq!(scope("'lint' in dependency_groups"), Scope::Dev);
        assert_eq!(scope(r#"os_name == "nt""#), Scope::Required);
    }
}

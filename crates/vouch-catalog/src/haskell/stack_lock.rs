//! Stack's `stack.yaml.lock`: the extra dependencies (`packages`) beyond the snapshot, each
//! completed with its exact source, and the snapshot itself.

use saphyr::MarkedYaml;
use vouch_model::{Component, Hash, HashAlgorithm, Source};

use super::hackage_package;
use crate::yaml::{get, get_text, items, line, load_mapping};
use crate::{Catalog, CatalogError, Cataloger, Input};

pub(super) struct StackLock;

impl Cataloger for StackLock {
    fn name(&self) -> &'static str {
        "stack-yaml-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "stack.yaml.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(document) = load_mapping(
            input,
            "not a stack.yaml.lock: expected a mapping with `packages` and `snapshots`",
        )?
        else {
            return Ok(catalog);
        };
        if let Some(packages) = get(&document, "packages") {
            if !matches!(packages.data, saphyr::YamlData::Sequence(_)) {
                return Err(input.error(Some(line(packages)), "`packages` is not a list"));
            }
            for entry in items(packages) {
                let line_number = line(entry);
                let completed = get(entry, "completed").unwrap_or(entry);
                match component(completed) {
                    Ok(mut component) => {
                        if catalog.contains(&component.id) {
                            continue;
                        }
                        component.locations = vec![input.location(Some(line_number))];
                        catalog.components.push(component);
                    }
                    Err(problem) => catalog
                        .warnings
                        .push(format!("{}:{line_number}: {problem}; skipped", input.path)),
                }
            }
        }
        for snapshot in get(&document, "snapshots").into_iter().flat_map(items) {
            let name = get_text(snapshot, "original")
                .or_else(|| {
                    get(snapshot, "original").and_then(|original| get_text(original, "url"))
                })
                .unwrap_or_else(|| "(unnamed)".to_owned());
            catalog.warnings.push(format!(
                "{}:{}: the packages of snapshot {name} are not listed in the lockfile",
                input.path,
                line(snapshot)
            ));
        }
        Ok(catalog)
    }
}

/// A completed package location: Hackage (`name-1.0@sha256:<cabal file hash>,<size>`), git, or
/// archive URL.
fn component(completed: &MarkedYaml<'_>) -> Result<Component, String> {
    if let Some(hackage) = get_text(completed, "hackage") {
        let (identifier, revision) = hackage
            .split_once('@')
            .map_or((hackage.as_str(), None), |(identifier, revision)| {
                (identifier, Some(revision))
            });
        let (name, version) = split_name_version(identifier)
            .ok_or_else(|| format!("`{hackage}` is not `name-version`"))?;
        let mut component = hackage_package(name, version)?;
        // The hash pins the revision of the .cabal file, not the package archive.
        if let Some(cabal_hash) = revision
            .and_then(|revision| revision.strip_prefix("sha256:"))
            .map(|hash| hash.split_once(',').map_or(hash, |(hash, _)| hash))
        {
            component.properties.insert(
                "hackage:cabal-file-sha256".to_owned(),
                cabal_hash.to_owned(),
            );
        }
        return Ok(component);
    }
    let name = get_text(completed, "name").ok_or("package location has no name")?;
    let version = get_text(completed, "version").ok_or("package location has no version")?;
    let mut component = hackage_package(&name, &version)?;
    if let Some(url) = get_text(completed, "git").or_else(|| get_text(completed, "hg")) {
        component.source = Source::Git {
            url,
            reference: get_text(completed, "commit"),
        };
    } else if let Some(url) = get_text(completed, "url") {
        component.source = Source::Url { url };
        if let Some(sha256) = get_text(completed, "sha256") {
            component
                .hashes
                .push(Hash::new(HashAlgorithm::Sha256, sha256));
        }
    } else {
        return Err(format!(
            "{name}-{version} has no hackage, git or url location"
        ));
    }
    Ok(component)
}

/// `postgresql-libpq-0.10.1.0` → (`postgresql-libpq`, `0.10.1.0`): the version is the part
/// after the last `-`, and is made of digits and dots.
fn split_name_version(identifier: &str) -> Option<(&str, &str)> {
    let (name, version) = identifier.rsplit_once('-')?;
    let is_version = !version.is_empty()
        && version.starts_with(|character: char| character.is_ascii_digit())
        && version
            .chars()
            .all(|character| character.is_ascii_digit() || character == '.');
    (is_version && !name.is_empty()).then_some((name, version))
}

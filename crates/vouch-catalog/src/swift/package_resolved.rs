//! SwiftPM `Package.resolved`: version 1 (`object.pins` with `package` and `repositoryURL`)
//! and versions 2 and 3 (`pins` with `identity`, `kind` and `location`).

use std::collections::BTreeMap;

use serde::Deserialize;
use vouch_model::{Component, ComponentKind, Ecosystem, Purl, Source};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset};

pub(super) struct PackageResolved;

#[derive(Deserialize)]
struct Resolved {
    version: Option<u64>,
    /// Version 1 nests the pins.
    object: Option<PinList>,
    #[serde(default)]
    pins: Vec<Pin>,
}

#[derive(Deserialize)]
struct PinList {
    #[serde(default)]
    pins: Vec<Pin>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pin {
    /// Version 1 name.
    package: Option<String>,
    /// Version 1 URL.
    #[serde(rename = "repositoryURL")]
    repository_url: Option<String>,
    identity: Option<String>,
    /// `remoteSourceControl`, `localSourceControl` or `registry`.
    kind: Option<String>,
    location: Option<String>,
    #[serde(default)]
    state: State,
}

#[derive(Deserialize, Default)]
struct State {
    version: Option<String>,
    revision: Option<String>,
    branch: Option<String>,
}

impl Cataloger for PackageResolved {
    fn name(&self) -> &'static str {
        "package-resolved"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "Package.resolved"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let Some(resolved) = input.parse_json::<Resolved>("")? else {
            return Ok(catalog);
        };
        if !matches!(resolved.version, Some(1..=3)) {
            catalog.warnings.push(format!(
                "{}: Package.resolved version {} is not 1, 2 or 3; read as version {}",
                input.path,
                resolved
                    .version
                    .map_or_else(|| "(missing)".to_owned(), |version| version.to_string()),
                if resolved.object.is_some() { 1 } else { 3 },
            ));
        }
        let pins = resolved
            .object
            .map(|object| object.pins)
            .unwrap_or_default()
            .into_iter()
            .chain(resolved.pins);
        for pin in pins {
            match component(input, &pin) {
                Ok(component) => {
                    catalog.push_unique(component);
                }
                Err(problem) => catalog
                    .warnings
                    .push(format!("{}: {problem}; skipped", input.path)),
            }
        }
        Ok(catalog)
    }
}

fn component(input: &Input<'_>, pin: &Pin) -> Result<Component, String> {
    let identity = pin.identity.as_deref().or(pin.package.as_deref());
    // Registry pins are named by their identity; every other pin by its location.
    let registry = pin.kind.as_deref() == Some("registry");
    let location = pin
        .location
        .as_deref()
        .or(pin.repository_url.as_deref())
        .filter(|location| !location.is_empty())
        .or(identity.filter(|_| registry))
        .ok_or_else(|| format!("pin {} has no location", identity.unwrap_or("(unnamed)")))?;
    let version = pin
        .state
        .version
        .as_deref()
        .filter(|version| !version.is_empty());
    let revision = pin.state.revision.clone();
    let line = input
        .contents
        .find(&format!("\"{location}\""))
        .map(|offset| line_of_offset(input.contents, offset));
    let (namespace, name, source) = match pin.kind.as_deref() {
        // A checkout on disk has no package identity beyond its directory name.
        Some("localSourceControl") => {
            let name = location
                .rsplit(['/', '\\'])
                .find(|segment| !segment.is_empty())
                .unwrap_or(location);
            let mut component =
                Component::new(ComponentKind::Library, name, version.map(str::to_owned));
            component.ecosystem = Some(Ecosystem::SwiftURL);
            component.source = Source::Path {
                path: location.to_owned(),
            };
            component.locations = vec![input.location(line)];
            return Ok(component);
        }
        // Registry identities are `scope.name`.
        Some("registry") => {
            let identity = identity.unwrap_or(location);
            let (scope, name) = identity
                .split_once('.')
                .ok_or_else(|| format!("registry identity `{identity}` is not `scope.name`"))?;
            (
                scope.to_owned(),
                name.to_owned(),
                Source::Registry { url: None },
            )
        }
        _ => {
            let (namespace, name) = repository_path(location)
                .ok_or_else(|| format!("`{location}` is not a host/owner/repository URL"))?;
            // A pin without a version follows a branch or a bare commit: not a release.
            let source = match version {
                Some(_) => Source::Registry { url: None },
                None => Source::Git {
                    url: location.to_owned(),
                    reference: revision.clone().or_else(|| pin.state.branch.clone()),
                },
            };
            (namespace, name, source)
        }
    };
    let purl = Purl::from_parts(
        "swift",
        Some(&namespace),
        &name,
        version,
        BTreeMap::new(),
        None,
    )
    .map_err(|error| format!("`{location}`: {error}"))?;
    let mut component = Component::package(Ecosystem::SwiftURL, purl);
    component.source = source;
    if let Some(revision) = revision {
        component
            .properties
            .insert("swift:revision".to_owned(), revision);
    }
    if let Some(branch) = &pin.state.branch {
        component
            .properties
            .insert("swift:branch".to_owned(), branch.clone());
    }
    component.locations = vec![input.location(line)];
    Ok(component)
}

/// `host/owner` and `repository` of a git URL (`https://host/owner/repo.git`,
/// `git@host:owner/repo.git`, `ssh://git@host/owner/repo`).
fn repository_path(location: &str) -> Option<(String, String)> {
    let without_scheme = location
        .split_once("://")
        .map_or(location, |(_, rest)| rest);
    let without_user = without_scheme
        .split_once('@')
        .filter(|(user, _)| !user.contains('/'))
        .map_or(without_scheme, |(_, rest)| rest);
    // scp-like syntax separates host and path with `:`.
    let path = without_user.replacen(':', "/", usize::from(!location.contains("://")));
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (namespace, name) = path.rsplit_once('/')?;
    if namespace.is_empty() || name.is_empty() || !namespace.contains('/') {
        return None;
    }
    Some((namespace.to_owned(), name.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::repository_path;

    #[test]
    fn repository_paths_come_from_https_and_ssh_urls() {
        let expected = Some(("github.com/apple".to_owned(), "swift-nio".to_owned()));
        assert_eq!(
            repository_path("https://github.com/apple/swift-nio.git"),
            expected
        );
        assert_eq!(
            repository_path("git@github.com:apple/swift-nio.git"),
            expected
        );
        assert_eq!(
            repository_path("ssh://git@github.com/apple/swift-nio"),
            expected
        );
        assert_eq!(repository_path("swift-nio"), None);
    }
}

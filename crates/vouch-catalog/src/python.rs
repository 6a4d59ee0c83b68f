//! Python catalogers: requirements files, poetry.lock, uv.lock, Pipfile.lock, pdm.lock and
//! pylock.toml (PEP 751).
//!
//! Every package is identified by a `pkg:pypi` purl whose name is normalised the purl way
//! (lower-case, `_` → `-`); entries refer to each other by their PEP 503 normalised name.

mod graph;
mod pdm;
pub(crate) mod pep508;
mod pipfile;
mod poetry;
mod pylock;
mod pyproject;
pub(crate) mod requirements;
mod uv;

use std::collections::{BTreeSet, HashMap};

use serde::de::DeserializeOwned;
// Lockfile entries and manifests refer to each other by the PEP 503 form of a name.
use vouch_model::pep503_normalize as normalize_name;
use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Hash, HashAlgorithm, Purl, Relationship,
    RelationshipKind, Scope, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, line_of_offset, relationship_kind};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(requirements::RequirementsTxt),
        Box::new(poetry::PoetryLock),
        Box::new(uv::UvLock),
        Box::new(pipfile::PipfileLock),
        Box::new(pdm::PdmLock),
        Box::new(pylock::Pylock),
    ]
}

/// Indexes that mean "PyPI itself": packages from them carry no `repository_url`.
const DEFAULT_INDEXES: [&str; 3] = [
    "https://pypi.org/simple",
    "https://pypi.python.org/simple",
    "https://pypi.org/pypi",
];

/// The registry source for packages from `index`, `None` meaning PyPI.
fn registry_source(index: Option<&str>) -> Source {
    let url = index
        .map(|url| url.trim().trim_end_matches('/'))
        .filter(|url| !url.is_empty() && !DEFAULT_INDEXES.contains(url))
        .map(str::to_owned);
    Source::Registry { url }
}

/// A PyPI package component with its purl, source and location. The purl records where
/// non-registry and non-PyPI packages come from (`vcs_url`, `download_url`, `repository_url`) so
/// they never share an identity with the PyPI package of the same name.
fn package(
    input: &Input<'_>,
    name: &str,
    version: Option<&str>,
    source: Source,
    line: Option<usize>,
) -> Result<Component, CatalogError> {
    let source = without_credentials(source);
    let qualifier = match &source {
        Source::Registry { url: Some(url) } => Some(("repository_url", url.clone())),
        Source::Git { url, reference } => {
            let url = if url.starts_with("git+") {
                url.clone()
            } else {
                format!("git+{url}")
            };
            Some((
                "vcs_url",
                match reference {
                    Some(reference) => format!("{url}@{reference}"),
                    None => url,
                },
            ))
        }
        Source::Url { url } => Some(("download_url", url.clone())),
        Source::Registry { url: None } | Source::Path { .. } | Source::Workspace => None,
    };
    let purl_error =
        |error: vouch_model::PurlError| input.error(line, format!("package `{name}`: {error}"));
    let mut purl = Purl::new("pypi", name.trim()).map_err(purl_error)?;
    if let Some(version) = version.map(str::trim).filter(|version| !version.is_empty()) {
        purl = purl.with_version(version).map_err(purl_error)?;
    }
    if let Some((key, value)) = qualifier {
        purl = purl.with_qualifier(key, &value).map_err(purl_error)?;
    }
    let mut component = Component::package(Ecosystem::PyPI, purl);
    match &source {
        // Two directories may hold packages of the same name: the path is the identity.
        Source::Path { path } => component.id = ComponentId::new(format!("path:{path}")),
        Source::Workspace => component.kind = ComponentKind::Application,
        Source::Url { url } => component.download_url = Some(url.clone()),
        Source::Registry { .. } | Source::Git { .. } => {}
    }
    component.source = source;
    component.locations.push(input.location(line));
    Ok(component)
}

/// `source` with the user and password removed from its URL: requirements files and lockfiles
/// sometimes embed index or repository tokens, which must not reach an SBOM. The conventional
/// `git@` SSH user is no secret and is kept.
fn without_credentials(source: Source) -> Source {
    let redact = |url: String| {
        let Some((scheme, rest)) = url.split_once("://") else {
            return url;
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        match rest[..authority_end].rsplit_once('@') {
            Some((user, host)) if user != "git" => {
                format!("{scheme}://{host}{}", &rest[authority_end..])
            }
            _ => url,
        }
    };
    match source {
        Source::Registry { url } => Source::Registry {
            url: url.map(redact),
        },
        Source::Git { url, reference } => Source::Git {
            url: redact(url),
            reference,
        },
        Source::Url { url } => Source::Url { url: redact(url) },
        Source::Path { .. } | Source::Workspace => source,
    }
}

/// The hash algorithm spelled `name` by pip, PEP 751 and the lockfile formats.
fn hash_algorithm(name: &str) -> Option<HashAlgorithm> {
    Some(
        match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "md5" => HashAlgorithm::Md5,
            "sha1" => HashAlgorithm::Sha1,
            "sha224" => HashAlgorithm::Sha224,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            "sha3_256" => HashAlgorithm::Sha3_256,
            "sha3_384" => HashAlgorithm::Sha3_384,
            "sha3_512" => HashAlgorithm::Sha3_512,
            "blake2b" | "blake2b_512" => HashAlgorithm::Blake2b512,
            _ => return None,
        },
    )
}

/// A hash from an algorithm name and a hex digest; `None` unless the digest is hex of the
/// algorithm's length.
fn hash_from_parts(algorithm: &str, hex: &str) -> Option<Hash> {
    let algorithm = hash_algorithm(algorithm)?;
    let hex = hex.trim();
    (hex.len() == algorithm.hex_len() && hex.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| Hash::new(algorithm, hex))
}

/// A hash written `algorithm:hex` (pip `--hash`, Pipfile.lock, poetry, pdm, uv).
fn parse_hash(text: &str) -> Option<Hash> {
    let (algorithm, hex) = text.split_once(':')?;
    hash_from_parts(algorithm, hex)
}

/// Adds `hash` to `hashes` unless present, keeping them sorted.
fn add_hash(hashes: &mut Vec<Hash>, hash: Hash) {
    if let Err(position) = hashes.binary_search(&hash) {
        hashes.insert(position, hash);
    }
}

/// Deserializes a TOML document, turning syntax and shape errors into located catalog errors.
fn parse_toml<T: DeserializeOwned>(input: &Input<'_>) -> Result<T, CatalogError> {
    toml::from_str(input.contents).map_err(|error| {
        let line = error
            .span()
            .map(|span| line_of_offset(input.contents, span.start));
        input.error(line, format!("invalid TOML: {}", error.message().trim()))
    })
}

/// The TOML manifest `name` beside the lockfile (pyproject.toml, Pipfile). A missing,
/// unreadable or invalid manifest only costs what it would have added (direct dependencies,
/// group kinds), so problems with it are warnings.
fn read_sibling_toml(
    input: &Input<'_>,
    name: &str,
    warnings: &mut Vec<String>,
) -> Option<toml::Table> {
    let text = match input.files.read(name) {
        Ok(text) => text?,
        Err(error) => {
            warnings.push(format!("{name} beside the lockfile not read: {error}"));
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(table) => Some(table),
        Err(error) => {
            warnings.push(format!(
                "{name} beside the lockfile is not valid TOML ({}); direct dependencies unknown",
                error.message().trim()
            ));
            None
        }
    }
}

/// `line N: ` to start a warning, or nothing when the line is unknown.
fn at_line(line: Option<usize>) -> String {
    line.map(|line| format!("line {line}: "))
        .unwrap_or_default()
}

/// The 1-based line of a TOML value from its span.
fn span_line(input: &Input<'_>, span: std::ops::Range<usize>) -> usize {
    line_of_offset(input.contents, span.start)
}

/// Joins `relative` to the directory of the `/`-separated `base` file path, folding `.` and
/// `..` segments (a `..` above the start of `base` is kept).
fn join_relative(base: &str, relative: &str) -> String {
    let mut segments: Vec<&str> = base
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    segments.pop();
    for segment in relative.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => match segments.last() {
                Some(&last) if last != ".." => {
                    segments.pop();
                }
                _ => segments.push(".."),
            },
            segment => segments.push(segment),
        }
    }
    segments.join("/")
}

/// The components of one lockfile, each distinct package once, and the edges between them.
#[derive(Debug, Default)]
struct LockBuilder {
    components: Vec<Component>,
    by_id: HashMap<ComponentId, usize>,
    /// PEP 503 name → indices of the components of that name (several versions may be locked).
    by_name: HashMap<String, Vec<usize>>,
    relationships: BTreeSet<(usize, RelationshipKind, usize)>,
}

impl LockBuilder {
    /// Adds `component`, or folds it into the same package listed earlier (keeping the most
    /// needed scope); returns its index.
    fn add(&mut self, component: Component) -> usize {
        if let Some(&index) = self.by_id.get(&component.id) {
            if let Some(existing) = self.components.get_mut(index) {
                existing.scope = existing.scope.min(component.scope);
                for hash in component.hashes {
                    add_hash(&mut existing.hashes, hash);
                }
                for location in component.locations {
                    if !existing.locations.contains(&location) {
                        existing.locations.push(location);
                    }
                }
            }
            return index;
        }
        let index = self.components.len();
        self.by_id.insert(component.id.clone(), index);
        self.by_name
            .entry(normalize_name(&component.name))
            .or_default()
            .push(index);
        self.components.push(component);
        index
    }

    /// Indices of the locked packages called `name` (any spelling).
    fn named(&self, name: &str) -> &[usize] {
        self.by_name
            .get(&normalize_name(name))
            .map_or(&[], Vec::as_slice)
    }

    /// The locked packages a dependency entry means: those of its name, narrowed to `version`
    /// when the entry gives one (several versions of a name may be locked).
    fn resolve(&self, name: &str, version: Option<&str>) -> Vec<usize> {
        self.named(name)
            .iter()
            .copied()
            .filter(|&index| {
                version.is_none()
                    || self
                        .components
                        .get(index)
                        .and_then(|component| component.version.as_deref())
                        == version
            })
            .collect()
    }

    fn relate(&mut self, from: usize, kind: RelationshipKind, to: usize) {
        if from != to {
            self.relationships.insert((from, kind, to));
        }
    }

    /// Adds the project from pyproject.toml as the root, with edges to the direct dependencies
    /// it declares, and marks every package direct or not. Returns the root's index.
    fn add_project_root(
        &mut self,
        input: &Input<'_>,
        project: &pyproject::Project,
        warnings: &mut Vec<String>,
    ) -> Result<Option<usize>, CatalogError> {
        let Some(name) = &project.name else {
            warnings.push(
                "pyproject.toml names no project; the project is not listed as the root".to_owned(),
            );
            return Ok(None);
        };
        for component in &mut self.components {
            component.direct = Some(
                project
                    .dependencies
                    .contains_key(&normalize_name(&component.name)),
            );
        }
        let mut root = package(
            input,
            name,
            project.version.as_deref(),
            Source::Workspace,
            None,
        )?;
        root.locations = vec![input.sibling_location("pyproject.toml", None)];
        let root = self.add(root);
        for (dependency, scope) in &project.dependencies {
            let targets = self.named(dependency).to_vec();
            if targets.is_empty() {
                warnings.push(format!(
                    "`{dependency}` is declared in pyproject.toml but not locked"
                ));
            }
            for target in targets {
                self.relate(root, relationship_kind(*scope), target);
            }
        }
        Ok(Some(root))
    }

    /// Scopes from reachability below `root` (through the edges recorded so far), for locks
    /// that do not record why each package is there.
    fn apply_graph_scopes(&mut self, root: usize) {
        let mut graph = graph::ScopeGraph::new(self.components.len());
        for &(from, kind, to) in &self.relationships {
            let scope = match kind {
                RelationshipKind::OptionalDependsOn => Scope::Optional,
                RelationshipKind::DevDependsOn => Scope::Dev,
                _ => Scope::Required,
            };
            if from == root {
                graph.add_root(to, scope);
            } else {
                graph.add_edge(from, to, scope);
            }
        }
        for (component, scope) in self.components.iter_mut().zip(graph.scopes()) {
            if let Some(scope) = scope {
                component.scope = scope;
            }
        }
    }

    fn finish(self, warnings: Vec<String>) -> Catalog {
        let id = |index: usize| {
            self.components
                .get(index)
                .map(|component| component.id.clone())
        };
        let relationships = self
            .relationships
            .iter()
            .filter_map(|&(from, kind, to)| Some(Relationship::new(id(from)?, kind, id(to)?)))
            .collect();
        Catalog {
            components: self.components,
            relationships,
            warnings,
        }
    }
}

/// Files beside a catalogued one, held in memory, for tests.
#[cfg(test)]
#[derive(Debug, Default)]
struct MemoryFiles(std::collections::BTreeMap<&'static str, &'static str>);

#[cfg(test)]
impl crate::FileSource for MemoryFiles {
    fn read(&self, relative: &str) -> Result<Option<String>, CatalogError> {
        Ok(self.0.get(relative).map(|contents| (*contents).to_owned()))
    }
}

/// Catalogs `contents` as the file at `path` with `files` beside it; panics when it fails.
#[cfg(test)]
fn catalog_beside(
    cataloger: &dyn Cataloger,
    path: &str,
    contents: &str,
    files: &[(&'static str, &'static str)],
) -> Catalog {
    let files = MemoryFiles(files.iter().copied().collect());
    let input = Input {
        path,
        contents,
        files: &files,
    };
    cataloger
        .catalog(&input)
        .unwrap_or_else(|error| panic!("{path} should parse: {error}"))
}

/// `(purl, scope, direct)` of every component, in catalog order.
#[cfg(test)]
fn scopes_and_direct(catalog: &Catalog) -> Vec<(&str, Scope, Option<bool>)> {
    catalog
        .components
        .iter()
        .map(|component| (component.id.as_str(), component.scope, component.direct))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_name_folds_case_and_separator_runs() {
        assert_eq!(normalize_name("Django_Package"), "django-package");
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
        assert_eq!(normalize_name("a-_.b"), "a-b");
    }

    #[test]
    fn parse_hash_requires_hex_of_the_algorithm_length() {
        let hex = "a".repeat(64);
        assert_eq!(
            parse_hash(&format!("sha256:{}", hex.to_uppercase())),
            Some(Hash::new(HashAlgorithm::Sha256, &hex))
        );
        assert_eq!(parse_hash("sha256:123"), None);
        assert_eq!(parse_hash("wrongformatbutok"), None);
        assert_eq!(parse_hash(&format!("crc32:{hex}")), None);
    }

    #[test]
    fn credentials_never_reach_the_source_or_purl() {
        let registry = Source::Registry {
            url: Some("https://user:s3cret@mirror.example/simple".to_owned()),
        };
        assert_eq!(
            without_credentials(registry),
            Source::Registry {
                url: Some("https://mirror.example/simple".to_owned())
            }
        );
        let token = Source::Git {
            url: "https://ghp_token@github.com/org/repo.git".to_owned(),
            reference: Some("v1".to_owned()),
        };
        assert_eq!(
            without_credentials(token),
            Source::Git {
                url: "https://github.com/org/repo.git".to_owned(),
                reference: Some("v1".to_owned())
            }
        );
        let ssh = Source::Git {
            url: "ssh://git@github.com/org/repo.git".to_owned(),
            reference: None,
        };
        assert_eq!(without_credentials(ssh.clone()), ssh);
    }

    #[test]
    fn join_relative_resolves_against_the_including_file() {
        assert_eq!(join_relative("a/requirements.txt", "b.txt"), "a/b.txt");
        assert_eq!(
            join_relative("a/requirements.txt", "./../c/d.txt"),
            "c/d.txt"
        );
        assert_eq!(join_relative("requirements.txt", "../x.txt"), "../x.txt");
    }
}

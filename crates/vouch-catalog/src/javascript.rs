//! JavaScript lockfiles: npm (`package-lock.json`, `npm-shrinkwrap.json`), Yarn classic and Berry
//! (`yarn.lock`), pnpm (`pnpm-lock.yaml`) and Bun (`bun.lock`).
//!
//! Every format ends up in a [`PackageSet`]: one component per distinct package, the project and
//! its workspace members as local components, and the dependency edges the lockfile records.
//! Formats that do not say which packages are dev-only (Yarn, pnpm 9, Bun) get their scopes from
//! the graph: what the project's runtime dependencies reach is required, what only its dev
//! dependencies reach is dev.

mod bun;
mod package_lock;
mod pnpm;
mod yarn;
mod yarn_berry;

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use vouch_model::{
    Component, ComponentId, ComponentKind, Ecosystem, Hash, HashAlgorithm, Purl, Relationship,
    RelationshipKind, Scope, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![
        Box::new(package_lock::PackageLockCataloger),
        Box::new(yarn::YarnLockCataloger),
        Box::new(pnpm::PnpmLockCataloger),
        Box::new(bun::BunLockCataloger),
    ]
}

/// Registries whose packages need no `Source::Registry` URL: they serve the same packages.
const DEFAULT_REGISTRIES: [&str; 2] =
    ["https://registry.npmjs.org", "https://registry.yarnpkg.com"];

/// The dependency lists of a package manifest, in the order that decides a package's scope when
/// several lists name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DependencyGroup {
    Production,
    Optional,
    Dev,
    Peer,
}

impl DependencyGroup {
    pub(super) const ALL: [DependencyGroup; 4] =
        [Self::Production, Self::Optional, Self::Dev, Self::Peer];

    /// The manifest field holding this group.
    pub(super) fn field(self) -> &'static str {
        match self {
            Self::Production => "dependencies",
            Self::Optional => "optionalDependencies",
            Self::Dev => "devDependencies",
            Self::Peer => "peerDependencies",
        }
    }

    pub(super) fn relationship(self) -> RelationshipKind {
        match self {
            Self::Production => RelationshipKind::DependsOn,
            Self::Optional => RelationshipKind::OptionalDependsOn,
            Self::Dev => RelationshipKind::DevDependsOn,
            Self::Peer => RelationshipKind::PeerDependsOn,
        }
    }
}

fn relationship_scope(kind: RelationshipKind) -> Scope {
    match kind {
        RelationshipKind::OptionalDependsOn => Scope::Optional,
        RelationshipKind::DevDependsOn => Scope::Dev,
        RelationshipKind::PeerDependsOn => Scope::Peer,
        RelationshipKind::BuildDependsOn => Scope::Build,
        RelationshipKind::DependsOn | RelationshipKind::Contains => Scope::Required,
    }
}

/// The parts of a `package.json` the catalogers use.
#[derive(Debug, Default)]
pub(super) struct Manifest {
    pub(super) name: Option<String>,
    pub(super) version: Option<String>,
    /// `(group, name, requested range)` in file order.
    pub(super) dependencies: Vec<(DependencyGroup, String, String)>,
    /// Whether the manifest declares workspaces.
    pub(super) has_workspaces: bool,
    /// Yarn's `resolutions`: `(name or name@range, replacement range)`.
    pub(super) resolutions: Vec<(String, String)>,
}

impl Manifest {
    /// Reads `relative` (a `package.json` beside the lockfile or in a workspace member). `None`
    /// when it is absent; unreadable JSON is a warning, since the lockfile itself is fine.
    pub(super) fn read(
        input: &Input<'_>,
        relative: &str,
        warnings: &mut Vec<String>,
    ) -> Result<Option<Self>, CatalogError> {
        let Some(text) = input.files.read(relative)? else {
            return Ok(None);
        };
        match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(value) => Ok(Some(Self::from_json(&value))),
            Err(error) => {
                warnings.push(format!(
                    "{relative} beside the lockfile is not valid JSON ({error}); direct and dev \
                     dependencies are unknown without it"
                ));
                Ok(None)
            }
        }
    }

    pub(super) fn from_json(value: &serde_json::Value) -> Self {
        let text = |field: &str| value.get(field).and_then(|v| v.as_str()).map(str::to_owned);
        let mut dependencies = Vec::new();
        for group in DependencyGroup::ALL {
            let Some(map) = value.get(group.field()).and_then(|v| v.as_object()) else {
                continue;
            };
            for (name, range) in map {
                let range = range.as_str().unwrap_or_default().to_owned();
                dependencies.push((group, name.clone(), range));
            }
        }
        let resolutions = value
            .get("resolutions")
            .and_then(|v| v.as_object())
            .into_iter()
            .flatten()
            .filter_map(|(pattern, range)| Some((pattern.clone(), range.as_str()?.to_owned())))
            .collect();
        Self {
            name: text("name"),
            version: text("version"),
            dependencies,
            has_workspaces: value.get("workspaces").is_some(),
            resolutions,
        }
    }

    /// The group a dependency name is declared in, the most needed one when it is in several.
    pub(super) fn group_of(&self, name: &str) -> Option<DependencyGroup> {
        self.dependencies
            .iter()
            .filter(|(_, declared, _)| declared == name)
            .map(|(group, _, _)| *group)
            .min()
    }
}

/// `@scope/name` split into `(Some("@scope"), "name")`.
pub(super) fn split_scope(full_name: &str) -> (Option<&str>, &str) {
    match full_name.split_once('/') {
        Some((scope, name)) if scope.starts_with('@') => (Some(scope), name),
        _ => (None, full_name),
    }
}

/// `name@spec` split at the `@` that ends the (possibly scoped) name.
pub(crate) fn split_name_spec(text: &str) -> Option<(&str, &str)> {
    let search_from = usize::from(text.starts_with('@'));
    let at = text.get(search_from..)?.find('@')? + search_from;
    Some((&text[..at], &text[at + 1..]))
}

/// A `/`-joined chain of package names (`a/@s/b`, Bun install paths and Yarn `resolutions`
/// patterns) split into the chain before the last package and the last package:
/// `a/@s/b` → `(Some("a"), "@s/b")`, `@s/b` → `(None, "@s/b")`.
pub(super) fn split_last_package(path: &str) -> (Option<&str>, &str) {
    let Some((head, tail)) = path.rsplit_once('/') else {
        return (None, path);
    };
    let (parent, last_of_head) = match head.rsplit_once('/') {
        Some((parent, last)) => (Some(parent), last),
        None => (None, head),
    };
    if last_of_head.starts_with('@') {
        let start = parent.map_or(0, |parent| parent.len() + 1);
        (parent, path.get(start..).unwrap_or(tail))
    } else {
        (Some(head), tail)
    }
}

pub(super) fn npm_purl(full_name: &str, version: Option<&str>) -> Option<Purl> {
    let (scope, name) = split_scope(full_name);
    Purl::from_parts("npm", scope, name, version, BTreeMap::new(), None).ok()
}

/// Where a package comes from and what it is called there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Origin {
    /// A registry (`None`: the default npm registry).
    Registry(Option<String>),
    Git {
        url: String,
        reference: Option<String>,
    },
    Tarball(String),
    /// A directory or file on disk, relative to the lockfile.
    Path(String),
    /// A workspace member (`.` is the project itself), relative to the lockfile.
    Workspace(String),
}

impl Origin {
    /// Classifies a resolved URL or a protocol specifier (`github:`, `file:`, `git+ssh://`, ...).
    /// Plain registry tarballs (`.../name/-/name-1.0.0.tgz`) are registry packages.
    pub(super) fn from_resolved(resolved: &str) -> Self {
        if let Some(path) = resolved
            .strip_prefix("file:")
            .or_else(|| resolved.strip_prefix("link:"))
            .or_else(|| resolved.strip_prefix("portal:"))
        {
            return Self::Path(normalize_relative(path));
        }
        if let Some(path) = resolved.strip_prefix("workspace:") {
            return Self::Workspace(normalize_relative(path));
        }
        if let Some(git) = git_origin(resolved) {
            return git;
        }
        if resolved.starts_with("http://") || resolved.starts_with("https://") {
            let without_fragment = resolved.split('#').next().unwrap_or(resolved);
            if let Some((registry, _)) = without_fragment.split_once("/-/") {
                let registry = registry_base(registry);
                let registry =
                    (!DEFAULT_REGISTRIES.contains(&registry.as_str())).then_some(registry);
                return Self::Registry(registry);
            }
            return Self::Tarball(resolved.to_owned());
        }
        Self::Registry(None)
    }

    fn source(&self) -> Source {
        match self {
            Self::Registry(url) => Source::Registry { url: url.clone() },
            Self::Git { url, reference } => Source::Git {
                url: url.clone(),
                reference: reference.clone(),
            },
            Self::Tarball(url) => Source::Url { url: url.clone() },
            Self::Path(path) => Source::Path { path: path.clone() },
            Self::Workspace(_) => Source::Workspace,
        }
    }
}

/// The registry base of a tarball URL's part before `/-/`: it still ends with the package name
/// (`https://r.example/@scope/name`), which is dropped.
fn registry_base(before_dash: &str) -> String {
    let mut segments: Vec<&str> = before_dash.split('/').collect();
    segments.pop();
    if segments
        .last()
        .is_some_and(|segment| segment.starts_with('@'))
    {
        segments.pop();
    }
    segments.join("/")
}

/// Git sources in the spellings npm, Yarn, pnpm and Bun write: `git+ssh://...#commit`,
/// `github:owner/repo#commit`, `https://github.com/o/r.git#commit`, `#commit=...` (Berry) and
/// GitHub's `codeload` archives of one commit.
fn git_origin(resolved: &str) -> Option<Origin> {
    let (url, fragment) = match resolved.split_once('#') {
        Some((url, fragment)) => (url, Some(fragment)),
        None => (resolved, None),
    };
    let reference = fragment
        .map(|fragment| {
            // Berry: `commit=abc` (`commit:abc` before Yarn 3), `head=main`, `tag=v1`,
            // possibly `&`-joined with other keys.
            fragment
                .split('&')
                .find_map(|part| {
                    part.split_once('=')
                        .map(|(_, value)| value)
                        .or_else(|| part.strip_prefix("commit:"))
                })
                .unwrap_or(fragment)
        })
        .filter(|reference| !reference.is_empty())
        .map(str::to_owned);
    for (prefix, host) in [
        ("github:", "https://github.com/"),
        ("gitlab:", "https://gitlab.com/"),
        ("bitbucket:", "https://bitbucket.org/"),
    ] {
        if let Some(path) = url.strip_prefix(prefix) {
            return Some(Origin::Git {
                url: format!("{host}{path}"),
                reference,
            });
        }
    }
    if let Some(rest) = url.strip_prefix("https://codeload.github.com/") {
        let mut parts = rest.splitn(4, '/');
        if let (Some(owner), Some(repo), Some("tar.gz"), Some(commit)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        {
            return Some(Origin::Git {
                url: format!("https://github.com/{owner}/{repo}"),
                reference: Some(commit.to_owned()),
            });
        }
        return None;
    }
    let is_git = url.starts_with("git+")
        || url.starts_with("git://")
        || url.starts_with("git@")
        || url.starts_with("ssh://")
        || ((url.starts_with("https://") || url.starts_with("http://"))
            && (url.ends_with(".git") || (fragment.is_some() && is_git_host_repository(url))));
    is_git.then(|| Origin::Git {
        url: url.to_owned(),
        reference,
    })
}

/// `https://github.com/owner/repo` (no archive path): a repository, not a download.
fn is_git_host_repository(url: &str) -> bool {
    ["github.com/", "gitlab.com/", "bitbucket.org/"]
        .iter()
        .any(|host| {
            url.split_once(host)
                .is_some_and(|(_, path)| path.trim_end_matches('/').matches('/').count() == 1)
        })
}

/// A relative path without `./` segments and trailing `/`; `.` for the directory itself.
pub(super) fn normalize_relative(path: &str) -> String {
    let segments = crate::collapse_dot_segments(path);
    if segments.is_empty() {
        ".".to_owned()
    } else {
        segments.join("/")
    }
}

/// `relative` resolved against the directory `base`, both relative to the lockfile.
pub(super) fn join_relative(base: &str, relative: &str) -> String {
    normalize_relative(&format!("{base}/{relative}"))
}

/// One package as a lockfile describes it, before it becomes a [`Component`].
#[derive(Debug, Clone)]
pub(super) struct Package {
    pub(super) name: String,
    pub(super) version: Option<String>,
    pub(super) origin: Origin,
    pub(super) line: Option<usize>,
    pub(super) hashes: Vec<Hash>,
    pub(super) download_url: Option<String>,
    pub(super) license: Option<String>,
    pub(super) scope: Scope,
    pub(super) properties: BTreeMap<String, String>,
}

impl Package {
    pub(super) fn new(name: impl Into<String>, version: Option<String>, origin: Origin) -> Self {
        Self {
            name: name.into(),
            version: version.filter(|version| !version.is_empty()),
            origin,
            line: None,
            hashes: Vec::new(),
            download_url: None,
            license: None,
            scope: Scope::Required,
            properties: BTreeMap::new(),
        }
    }

    pub(super) fn at_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }

    /// The component id this package gets: its purl for registry, git and tarball packages (git
    /// and tarball purls carry `vcs_url` / `download_url`, so they never equal a registry
    /// package's), and `workspace:PATH` / `NAME@path:PATH` for local ones.
    fn identity(&self) -> (ComponentId, Option<Purl>) {
        let purl = npm_purl(&self.name, self.version.as_deref());
        let qualified = match &self.origin {
            Origin::Git { url, reference } => {
                let vcs_url = match reference {
                    Some(reference) => format!("{url}@{reference}"),
                    None => url.clone(),
                };
                purl.and_then(|purl| purl.with_qualifier("vcs_url", &vcs_url).ok())
            }
            Origin::Tarball(url) => {
                purl.and_then(|purl| purl.with_qualifier("download_url", url).ok())
            }
            Origin::Registry(_) | Origin::Path(_) | Origin::Workspace(_) => purl,
        };
        let id = match (&self.origin, &qualified) {
            (Origin::Workspace(path), _) => format!("workspace:{path}"),
            // Several names may link to one directory (a stub shared by overrides).
            (Origin::Path(path), _) => format!("{}@path:{path}", self.name),
            (_, Some(purl)) => purl.to_string(),
            (_, None) => match &self.version {
                Some(version) => format!("npm:{}@{version}", self.name),
                None => format!("npm:{}", self.name),
            },
        };
        (ComponentId::new(id), qualified)
    }

    fn into_component(self, input: &Input<'_>) -> Component {
        let (id, purl) = self.identity();
        let mut component = match purl {
            Some(purl) => Component::package(Ecosystem::Npm, purl),
            None => {
                let mut component =
                    Component::new(ComponentKind::Library, &self.name, self.version.clone());
                component.ecosystem = Some(Ecosystem::Npm);
                component
            }
        };
        component.id = id;
        if matches!(&self.origin, Origin::Workspace(path) if path == ".") {
            component.kind = ComponentKind::Application;
        }
        component.source = self.origin.source();
        component.scope = self.scope;
        component.hashes = self.hashes;
        component.download_url = self.download_url;
        component.licenses = self.license.into_iter().collect();
        component.properties = self.properties;
        component.locations = vec![input.location(self.line)];
        component
    }
}

/// The components and edges of one lockfile, each distinct package once.
#[derive(Debug, Default)]
pub(super) struct PackageSet {
    components: Vec<Component>,
    positions: HashMap<ComponentId, usize>,
    relationships: BTreeSet<Relationship>,
    warnings: Vec<String>,
}

impl PackageSet {
    /// Adds a package, merging it into an earlier one with the same identity (the same package
    /// installed at two paths): the most needed scope wins and every location is kept.
    pub(super) fn add(&mut self, input: &Input<'_>, package: Package) -> ComponentId {
        let component = package.into_component(input);
        let id = component.id.clone();
        match self.positions.get(&id) {
            Some(&position) => {
                if let Some(existing) = self.components.get_mut(position) {
                    merge_into(existing, component);
                }
            }
            None => {
                self.positions.insert(id.clone(), self.components.len());
                self.components.push(component);
            }
        }
        id
    }

    pub(super) fn contains(&self, id: &ComponentId) -> bool {
        self.positions.contains_key(id)
    }

    pub(super) fn components_mut(&mut self) -> impl Iterator<Item = &mut Component> {
        self.components.iter_mut()
    }

    pub(super) fn component_mut(&mut self, id: &ComponentId) -> Option<&mut Component> {
        let position = *self.positions.get(id)?;
        self.components.get_mut(position)
    }

    /// Records `from KIND to`; both must have been added. A package depending on itself (npm
    /// allows it through aliases) is not an edge worth keeping.
    pub(super) fn relate(&mut self, from: &ComponentId, kind: RelationshipKind, to: &ComponentId) {
        if from != to && self.contains(from) && self.contains(to) {
            self.relationships
                .insert(Relationship::new(from.clone(), kind, to.clone()));
        }
    }

    pub(super) fn warn(&mut self, line: Option<usize>, message: impl std::fmt::Display) {
        self.warnings.push(match line {
            Some(line) => format!("line {line}: {message}"),
            None => message.to_string(),
        });
    }

    pub(super) fn warnings_mut(&mut self) -> &mut Vec<String> {
        &mut self.warnings
    }

    /// Marks the packages the `projects` (the root and workspace members) depend on as direct
    /// and every other package as transitive.
    pub(super) fn mark_direct(&mut self, projects: &BTreeSet<ComponentId>) {
        let direct: BTreeSet<ComponentId> = self
            .relationships
            .iter()
            .filter(|edge| projects.contains(&edge.from))
            .map(|edge| edge.to.clone())
            .collect();
        for component in &mut self.components {
            if !projects.contains(&component.id) {
                component.direct = Some(direct.contains(&component.id));
            }
        }
    }

    /// Scopes derived from the graph: a package gets the most needed scope over every path from
    /// a project to it, a path being as weak as its weakest edge (a dev dependency's runtime
    /// dependencies are dev). Packages no project reaches keep the scope they have; the ones
    /// reached are returned.
    pub(super) fn scope_from_graph(
        &mut self,
        projects: &BTreeSet<ComponentId>,
    ) -> BTreeSet<ComponentId> {
        let mut outgoing: HashMap<&ComponentId, Vec<(&ComponentId, Scope)>> = HashMap::new();
        for edge in &self.relationships {
            outgoing
                .entry(&edge.from)
                .or_default()
                .push((&edge.to, relationship_scope(edge.kind)));
        }
        let mut reached: HashMap<ComponentId, Scope> = HashMap::new();
        for level in [Scope::Required, Scope::Optional, Scope::Dev, Scope::Peer] {
            let mut queue: VecDeque<&ComponentId> = projects.iter().collect();
            let mut seen: BTreeSet<&ComponentId> = projects.iter().collect();
            while let Some(from) = queue.pop_front() {
                for (to, scope) in outgoing.get(from).into_iter().flatten() {
                    if *scope <= level && !projects.contains(*to) && seen.insert(*to) {
                        reached.entry((*to).clone()).or_insert(level);
                        queue.push_back(to);
                    }
                }
            }
        }
        for component in &mut self.components {
            if let Some(scope) = reached.get(&component.id) {
                component.scope = *scope;
            }
        }
        reached.into_keys().collect()
    }

    pub(super) fn finish(self) -> Catalog {
        Catalog {
            components: self.components,
            relationships: self.relationships.into_iter().collect(),
            warnings: self.warnings,
        }
    }
}

fn merge_into(existing: &mut Component, other: Component) {
    existing.scope = existing.scope.min(other.scope);
    for location in other.locations {
        if !existing.locations.contains(&location) {
            existing.locations.push(location);
        }
    }
    for hash in other.hashes {
        if !existing.hashes.contains(&hash) {
            existing.hashes.push(hash);
        }
    }
    for license in other.licenses {
        if !existing.licenses.contains(&license) {
            existing.licenses.push(license);
        }
    }
    for (key, value) in other.properties {
        existing.properties.entry(key).or_insert(value);
    }
    if existing.download_url.is_none() {
        existing.download_url = other.download_url;
    }
}

/// Hashes of a Subresource Integrity string (`sha512-BASE64 sha1-BASE64`), hex-encoded. Unknown
/// algorithms and undecodable digests are returned as the error text, for a warning.
pub(super) fn integrity_hashes(integrity: &str) -> Result<Vec<Hash>, String> {
    let mut hashes = Vec::new();
    for token in integrity.split_whitespace() {
        let token = token.split('?').next().unwrap_or(token);
        let Some((algorithm_name, digest)) = token.split_once('-') else {
            return Err(format!("integrity `{token}` is not `algorithm-base64`"));
        };
        let algorithm = match algorithm_name {
            "sha1" => HashAlgorithm::Sha1,
            "sha256" => HashAlgorithm::Sha256,
            "sha384" => HashAlgorithm::Sha384,
            "sha512" => HashAlgorithm::Sha512,
            _ => {
                return Err(format!(
                    "integrity algorithm `{algorithm_name}` is not known"
                ));
            }
        };
        let bytes = decode_base64(digest)
            .filter(|bytes| bytes.len() * 2 == algorithm.hex_len())
            .ok_or_else(|| format!("integrity `{token}` is not a valid {algorithm_name} digest"))?;
        hashes.push(Hash::new(algorithm, hex(&bytes)));
    }
    Ok(hashes)
}

/// Adds the hashes of `integrity` to `package`, or a warning when it cannot be read.
pub(super) fn add_integrity(packages: &mut PackageSet, package: &mut Package, integrity: &str) {
    match integrity_hashes(integrity) {
        Ok(hashes) => package.hashes.extend(hashes),
        Err(message) => packages.warn(package.line, format!("{}: {message}", package.name)),
    }
}

/// A 40-digit hex SHA-1, as Yarn classic appends to registry tarball URLs (`.tgz#SHA1`).
pub(super) fn sha1_fragment(resolved: &str) -> Option<Hash> {
    let (_, fragment) = resolved.rsplit_once('#')?;
    (fragment.len() == 40 && fragment.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| Hash::new(HashAlgorithm::Sha1, fragment))
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut output = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            output.push(((buffer >> bits) & 0xff) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(output)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut text, byte| {
            let _ = write!(text, "{byte:02x}");
            text
        })
}

/// Finds the lines where JSON object keys are declared, walking forward through the text in the
/// order the keys are visited (serde_json keeps file order), so the whole search is one pass.
#[derive(Debug)]
pub(super) struct KeyLines<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> KeyLines<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the next `"key": {` or `"key": [` after the previous match. The cursor stays
    /// put when the key is not found, so one miss does not lose the following keys.
    pub(super) fn find(&mut self, key: &str) -> Option<usize> {
        let needle = serde_json::to_string(key).ok()?;
        let mut search_from = self.offset;
        loop {
            let start = search_from + self.text.get(search_from..)?.find(&needle)?;
            let after = start + needle.len();
            let value = self
                .text
                .get(after..)?
                .trim_start()
                .strip_prefix(':')
                .map(str::trim_start);
            if value.is_some_and(|value| value.starts_with(['{', '['])) {
                self.line += self.text.get(self.offset..start)?.matches('\n').count();
                // Past the key (which holds no line break), so the same key is found anew.
                self.offset = after;
                return Some(self.line);
            }
            search_from = after;
        }
    }
}

/// The name of the directory holding the lockfile, to name a project its lockfile leaves
/// unnamed. `None` when the path has no directory part.
pub(super) fn directory_name(input: &Input<'_>) -> Option<String> {
    let (directory, _) = input.path.rsplit_once('/')?;
    let name = directory.rsplit('/').next().unwrap_or(directory);
    (!name.is_empty() && name != "." && name != "..").then(|| name.to_owned())
}

/// The `package.json` of the workspace member at `member_path` (`.` for the project), when present.
pub(super) fn read_member_manifest(
    input: &Input<'_>,
    member_path: &str,
    packages: &mut PackageSet,
) -> Result<Option<Manifest>, CatalogError> {
    let relative = if member_path == "." {
        "package.json".to_owned()
    } else {
        format!("{member_path}/package.json")
    };
    Manifest::read(input, &relative, packages.warnings_mut())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_sha512_is_hex() {
        let hashes = integrity_hashes(
            "sha512-quJQXlTSUGL2LH9SUXo8VwsY4soanhgo6LNSm84E1LBcE8s3O0wpdiRzyR9z/ZZJMlMWv37qOOb9pdJlMUEKFQ==",
        );
        assert_eq!(
            hashes,
            Ok(vec![Hash::new(
                HashAlgorithm::Sha512,
                "aae2505e54d25062f62c7f52517a3c570b18e2ca1a9e1828e8b3529bce04d4b05c13cb373b4c29762473c91f73fd9649325316bf7eea38e6fda5d26531410a15"
            )])
        );
    }

    #[test]
    fn sri_sha1_and_bad_digest() {
        assert_eq!(
            integrity_hashes("sha1-yxAt8cVvUSPquLZ817mAJ6AnkXg="),
            Ok(vec![Hash::new(
                HashAlgorithm::Sha1,
                "cb102df1c56f5123eab8b67cd7b98027a0279178"
            )])
        );
        assert!(integrity_hashes("sha1-!!").is_err());
        assert!(integrity_hashes("md5-AAAA").is_err());
    }

    #[test]
    fn git_spellings_are_git() {
        assert_eq!(
            Origin::from_resolved("git+ssh://git@github.com/a/b.git#0123"),
            Origin::Git {
                url: "git+ssh://git@github.com/a/b.git".to_owned(),
                reference: Some("0123".to_owned())
            }
        );
        assert_eq!(
            Origin::from_resolved("https://codeload.github.com/a/b/tar.gz/abc"),
            Origin::Git {
                url: "https://github.com/a/b".to_owned(),
                reference: Some("abc".to_owned())
            }
        );
        assert_eq!(
            Origin::from_resolved("https://github.com/a/b.git#commit=abc"),
            Origin::Git {
                url: "https://github.com/a/b.git".to_owned(),
                reference: Some("abc".to_owned())
            }
        );
        assert_eq!(
            Origin::from_resolved("github:a/b#abc"),
            Origin::Git {
                url: "https://github.com/a/b".to_owned(),
                reference: Some("abc".to_owned())
            }
        );
    }

    #[test]
    fn registry_tarballs_name_their_registry() {
        assert_eq!(
            Origin::from_resolved("https://registry.npmjs.org/@babel/core/-/core-7.0.0.tgz"),
            Origin::Registry(None)
        );
        assert_eq!(
            Origin::from_resolved("https://npm.example.com/repo/@s/p/-/p-1.0.0.tgz"),
            Origin::Registry(Some("https://npm.example.com/repo".to_owned()))
        );
        assert_eq!(
            Origin::from_resolved("https://example.com/p.tgz"),
            Origin::Tarball("https://example.com/p.tgz".to_owned())
        );
        assert_eq!(
            Origin::from_resolved("file:./deps/../deps/etag/"),
            Origin::Path("deps/etag".to_owned())
        );
    }

    #[test]
    fn key_lines_walk_forward() {
        let text = "{\n  \"a\": \"x\",\n  \"b\": {\n    \"a\": {}\n  }\n}";
        let mut lines = KeyLines::new(text);
        assert_eq!(lines.find("b"), Some(3));
        assert_eq!(lines.find("a"), Some(4));
        assert_eq!(lines.find("missing"), None);
        assert_eq!(lines.find("a"), None);
    }

    #[test]
    fn names_split_at_the_version_at() {
        assert_eq!(split_name_spec("@a/b@^1.0.0"), Some(("@a/b", "^1.0.0")));
        assert_eq!(split_name_spec("a@npm:b@1"), Some(("a", "npm:b@1")));
        assert_eq!(split_name_spec("@a/b"), None);
        assert_eq!(split_scope("@a/b"), (Some("@a"), "b"));
    }

    #[test]
    fn package_chains_split_before_the_last_package() {
        assert_eq!(split_last_package("a/@s/b"), (Some("a"), "@s/b"));
        assert_eq!(split_last_package("a/b"), (Some("a"), "b"));
        assert_eq!(split_last_package("@s/b"), (None, "@s/b"));
        assert_eq!(split_last_package("a"), (None, "a"));
        assert_eq!(split_last_package("@s/a/@t/b"), (Some("@s/a"), "@t/b"));
    }
}

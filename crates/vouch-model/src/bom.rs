use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::purl::Purl;

/// A bill of materials in the neutral model: what a subject is made of.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bom {
    pub metadata: Metadata,
    pub components: Vec<Component>,
    pub relationships: Vec<Relationship>,
}

/// Facts about the document itself rather than about any component.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    /// The thing the BOM describes (a project directory, an image, ...), if known.
    pub subject: Option<Component>,
    /// Authors of the BOM data ("Organization: X", "Person: Y" or a plain name).
    pub authors: Vec<String>,
    /// Tools that produced the data, as `name-version` strings.
    pub tools: Vec<String>,
    /// Creation time as RFC 3339 UTC, when the source document carried one.
    pub timestamp: Option<String>,
    /// Document name, when the source document carried one.
    pub name: Option<String>,
    /// Serial number or namespace of the source document, when read from one.
    pub serial: Option<String>,
}

/// Identifier of a component within one [`Bom`]; relationships refer to components by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ComponentId(pub String);

impl ComponentId {
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// One package, application or file in a BOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    pub id: ComponentId,
    pub kind: ComponentKind,
    pub name: String,
    /// Namespace-like grouping where the ecosystem has one (Maven groupId, npm scope, Go module prefix).
    pub group: Option<String>,
    pub version: Option<String>,
    pub ecosystem: Option<Ecosystem>,
    pub purl: Option<Purl>,
    pub hashes: Vec<Hash>,
    /// SPDX licence expressions as declared by the package.
    pub licenses: Vec<String>,
    pub scope: Scope,
    /// `Some(true)` for a direct dependency of the project, `Some(false)` for a transitive one,
    /// `None` when the source does not say.
    pub direct: Option<bool>,
    pub source: Source,
    pub supplier: Option<String>,
    pub description: Option<String>,
    /// Where the package can be downloaded from, when the lockfile records it.
    pub download_url: Option<String>,
    /// Files (and lines) where this component was found.
    pub locations: Vec<Location>,
    /// Extra facts that have no field of their own, sorted by key.
    pub properties: BTreeMap<String, String>,
}

impl Component {
    /// A library component whose id is derived from its purl (or from ecosystem, name and version
    /// when no purl can be built).
    pub fn new(kind: ComponentKind, name: impl Into<String>, version: Option<String>) -> Self {
        let name = name.into();
        let id = ComponentId::new(match &version {
            Some(version) => format!("{name}@{version}"),
            None => name.clone(),
        });
        Self {
            id,
            kind,
            name,
            group: None,
            version,
            ecosystem: None,
            purl: None,
            hashes: Vec::new(),
            licenses: Vec::new(),
            scope: Scope::Required,
            direct: None,
            source: Source::Registry { url: None },
            supplier: None,
            description: None,
            download_url: None,
            locations: Vec::new(),
            properties: BTreeMap::new(),
        }
    }

    /// A package from a registry of `ecosystem`, identified by `purl`; the id is the purl.
    pub fn package(ecosystem: Ecosystem, purl: Purl) -> Self {
        let mut component = Self::new(
            ComponentKind::Library,
            purl.name().to_owned(),
            purl.version().map(str::to_owned),
        );
        component.group = purl.namespace().map(str::to_owned);
        component.id = ComponentId::new(purl.to_string());
        component.ecosystem = Some(ecosystem);
        component.purl = Some(purl);
        component
    }

    /// `group/name` (or `name`) for display, in the ecosystem's own spelling.
    pub fn qualified_name(&self) -> String {
        match &self.group {
            Some(group) => {
                let separator = match self.ecosystem {
                    Some(Ecosystem::Maven) => ':',
                    _ => '/',
                };
                format!("{group}{separator}{}", self.name)
            }
            None => self.name.clone(),
        }
    }
}

/// What a component is, mirroring the CycloneDX component types we produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    Application,
    Framework,
    Library,
    Container,
    Platform,
    OperatingSystem,
    Device,
    DeviceDriver,
    Firmware,
    File,
    MachineLearningModel,
    Data,
    CryptographicAsset,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 13] = [
        Self::Application,
        Self::Framework,
        Self::Library,
        Self::Container,
        Self::Platform,
        Self::OperatingSystem,
        Self::Device,
        Self::DeviceDriver,
        Self::Firmware,
        Self::File,
        Self::MachineLearningModel,
        Self::Data,
        Self::CryptographicAsset,
    ];

    /// The CycloneDX spelling (`operating-system`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Application => "application",
            Self::Framework => "framework",
            Self::Library => "library",
            Self::Container => "container",
            Self::Platform => "platform",
            Self::OperatingSystem => "operating-system",
            Self::Device => "device",
            Self::DeviceDriver => "device-driver",
            Self::Firmware => "firmware",
            Self::File => "file",
            Self::MachineLearningModel => "machine-learning-model",
            Self::Data => "data",
            Self::CryptographicAsset => "cryptographic-asset",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// Why a component is in the dependency tree. Users filter on this.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Needed at run time (the default when a lockfile says nothing).
    #[default]
    Required,
    /// Only needed when an optional feature or extra is enabled.
    Optional,
    /// Only needed to develop or test the project.
    Dev,
    /// Expected to be provided by the consumer (npm peer dependencies).
    Peer,
    /// Only needed to build (build scripts, compile-time tools).
    Build,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Optional => "optional",
            Self::Dev => "dev",
            Self::Peer => "peer",
            Self::Build => "build",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::Required,
            Self::Optional,
            Self::Dev,
            Self::Peer,
            Self::Build,
        ]
        .into_iter()
        .find(|scope| scope.as_str() == name)
    }
}

/// Where a component's code comes from. Local and VCS packages are never confused with registry
/// packages: vulnerability matching only trusts registry identity.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Source {
    /// A package registry; `url` when it is not the ecosystem's default registry.
    Registry { url: Option<String> },
    /// A VCS checkout at `reference` (commit, tag or branch as the lockfile records it).
    Git {
        url: String,
        reference: Option<String>,
    },
    /// A directory on disk, relative to the lockfile.
    Path { path: String },
    /// A member of the project's own workspace.
    Workspace,
    /// A direct download (tarball URL).
    Url { url: String },
}

impl Source {
    pub fn is_registry(&self) -> bool {
        matches!(self, Self::Registry { .. })
    }

    /// Short name used in properties and tables.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Registry { .. } => "registry",
            Self::Git { .. } => "git",
            Self::Path { .. } => "path",
            Self::Workspace => "workspace",
            Self::Url { .. } => "url",
        }
    }
}

/// A file (and line) where a component was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Location {
    /// Path relative to the scanned root, `/`-separated.
    pub path: String,
    pub line: Option<u32>,
}

/// `path:line`, or `path` when the line is unknown: how messages and reports name a place.
impl fmt::Display for Location {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(formatter, "{}:{line}", self.path),
            None => formatter.write_str(&self.path),
        }
    }
}

/// Package ecosystems vouch knows, named as OSV names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Ecosystem {
    #[serde(rename = "crates.io")]
    Cargo,
    #[serde(rename = "npm")]
    Npm,
    PyPI,
    Go,
    RubyGems,
    Packagist,
    Hex,
    Maven,
    NuGet,
    Pub,
    #[serde(rename = "CRAN")]
    Cran,
    ConanCenter,
    SwiftURL,
    CocoaPods,
    Hackage,
    Julia,
    Debian,
    Alpine,
    #[serde(rename = "Red Hat")]
    RedHat,
    #[serde(rename = "GitHub Actions")]
    GitHubActions,
    /// Anything else, kept verbatim.
    #[serde(untagged)]
    Other(String),
}

impl Ecosystem {
    /// The OSV ecosystem name.
    pub fn osv_name(&self) -> &str {
        match self {
            Self::Cargo => "crates.io",
            Self::Npm => "npm",
            Self::PyPI => "PyPI",
            Self::Go => "Go",
            Self::RubyGems => "RubyGems",
            Self::Packagist => "Packagist",
            Self::Hex => "Hex",
            Self::Maven => "Maven",
            Self::NuGet => "NuGet",
            Self::Pub => "Pub",
            Self::Cran => "CRAN",
            Self::ConanCenter => "ConanCenter",
            Self::SwiftURL => "SwiftURL",
            Self::CocoaPods => "CocoaPods",
            Self::Hackage => "Hackage",
            Self::Julia => "Julia",
            Self::Debian => "Debian",
            Self::Alpine => "Alpine",
            Self::RedHat => "Red Hat",
            Self::GitHubActions => "GitHub Actions",
            Self::Other(name) => name,
        }
    }

    /// The purl type packages of this ecosystem use.
    pub fn purl_type(&self) -> &str {
        match self {
            Self::Cargo => "cargo",
            Self::Npm => "npm",
            Self::PyPI => "pypi",
            Self::Go => "golang",
            Self::RubyGems => "gem",
            Self::Packagist => "composer",
            Self::Hex => "hex",
            Self::Maven => "maven",
            Self::NuGet => "nuget",
            Self::Pub => "pub",
            Self::Cran => "cran",
            Self::ConanCenter => "conan",
            Self::SwiftURL => "swift",
            Self::CocoaPods => "cocoapods",
            Self::Hackage => "hackage",
            Self::Julia => "julia",
            Self::Debian => "deb",
            Self::Alpine => "apk",
            Self::RedHat => "rpm",
            Self::GitHubActions => "githubactions",
            Self::Other(_) => "generic",
        }
    }

    /// The ecosystem a purl type belongs to, if vouch knows it.
    pub fn from_purl_type(purl_type: &str) -> Option<Self> {
        Some(match purl_type {
            "cargo" => Self::Cargo,
            "npm" => Self::Npm,
            "pypi" => Self::PyPI,
            "golang" => Self::Go,
            "gem" => Self::RubyGems,
            "composer" => Self::Packagist,
            "hex" => Self::Hex,
            "maven" => Self::Maven,
            "nuget" => Self::NuGet,
            "pub" => Self::Pub,
            "cran" => Self::Cran,
            "conan" => Self::ConanCenter,
            "swift" => Self::SwiftURL,
            "cocoapods" => Self::CocoaPods,
            "hackage" => Self::Hackage,
            "julia" => Self::Julia,
            "deb" => Self::Debian,
            "apk" => Self::Alpine,
            "rpm" => Self::RedHat,
            "githubactions" => Self::GitHubActions,
            _ => return None,
        })
    }
}

/// The PEP 503 form of a Python distribution name: lower-case, each run of `-`, `_` and `.`
/// folded to one `-`. Lockfiles, manifests and advisories all compare names in this form.
pub fn pep503_normalize(name: &str) -> String {
    let mut normalized = String::with_capacity(name.len());
    let mut in_separator_run = false;
    for character in name.trim().chars() {
        if matches!(character, '-' | '_' | '.') {
            if !in_separator_run {
                normalized.push('-');
            }
            in_separator_run = true;
        } else {
            normalized.extend(character.to_lowercase());
            in_separator_run = false;
        }
    }
    normalized
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.osv_name())
    }
}

/// A content digest. One internal enum; every format maps its own spelling at the edge.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hash {
    pub algorithm: HashAlgorithm,
    /// Lower-case hex.
    pub value: String,
}

impl Hash {
    /// A hash with its hex value lower-cased.
    pub fn new(algorithm: HashAlgorithm, value: impl AsRef<str>) -> Self {
        Self {
            algorithm,
            value: value.as_ref().to_ascii_lowercase(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum HashAlgorithm {
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha3_256,
    Sha3_384,
    Sha3_512,
    Blake2b256,
    Blake2b384,
    Blake2b512,
    Blake3,
}

impl HashAlgorithm {
    /// Length of a hex digest of this algorithm.
    pub fn hex_len(self) -> usize {
        match self {
            Self::Md5 => 32,
            Self::Sha1 => 40,
            Self::Sha224 => 56,
            Self::Sha256 | Self::Sha3_256 | Self::Blake2b256 | Self::Blake3 => 64,
            Self::Sha384 | Self::Sha3_384 | Self::Blake2b384 => 96,
            Self::Sha512 | Self::Sha3_512 | Self::Blake2b512 => 128,
        }
    }
}

/// How two components relate; read as "`from` KIND `to`".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RelationshipKind {
    /// `from` needs `to` at run time.
    DependsOn,
    /// `from` needs `to` only for development and tests.
    DevDependsOn,
    /// `from` needs `to` only when an optional feature is enabled.
    OptionalDependsOn,
    /// `from` expects its consumer to provide `to`.
    PeerDependsOn,
    /// `from` needs `to` only to build.
    BuildDependsOn,
    /// `from` contains `to` (an archive or image holding a package, a package holding a file).
    Contains,
}

/// A directed edge between two components of the same BOM.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Relationship {
    pub from: ComponentId,
    pub kind: RelationshipKind,
    pub to: ComponentId,
}

impl Relationship {
    pub fn new(from: ComponentId, kind: RelationshipKind, to: ComponentId) -> Self {
        Self { from, kind, to }
    }
}

impl Bom {
    /// Sorts components by id and relationships, and drops exact duplicates, so that the same
    /// input always yields the same document.
    pub fn normalize(&mut self) {
        self.components.sort_by(|a, b| a.id.cmp(&b.id));
        // Equal components need not be adjacent after sorting by id (`[A1, A2, A1]` with one id),
        // so compare against the whole run of the same id.
        let mut kept: Vec<Component> = Vec::with_capacity(self.components.len());
        for component in self.components.drain(..) {
            let duplicate = kept
                .iter()
                .rev()
                .take_while(|previous| previous.id == component.id)
                .any(|previous| *previous == component);
            if !duplicate {
                kept.push(component);
            }
        }
        self.components = kept;
        self.relationships.sort();
        self.relationships.dedup();
    }

    pub fn component(&self, id: &ComponentId) -> Option<&Component> {
        self.components.iter().find(|component| &component.id == id)
    }
}

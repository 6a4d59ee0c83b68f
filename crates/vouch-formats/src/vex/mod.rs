//! VEX (Vulnerability Exploitability eXchange): a neutral model of "is product P affected by
//! vulnerability V" statements, readers for OpenVEX, CycloneDX VEX and CSAF 2.0, writers for
//! OpenVEX 0.2.0 and CycloneDX 1.6, and the matching a scanner needs to apply them to findings.

mod csaf;
mod cyclonedx;
mod openvex;

use std::fmt;

use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use vouch_model::{Hash, Purl};

use crate::FormatError;
use crate::read::{self, Parsed, read_error};

pub use cyclonedx::{
    alias_references as cyclonedx_alias_references, analysis_json as cyclonedx_analysis,
    write_cyclonedx,
};
pub use openvex::{OpenVexOptions, write_openvex};

/// A set of VEX statements and who made them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VexDocument {
    /// OpenVEX `@id`, CycloneDX `serialNumber`, CSAF `tracking.id`.
    pub id: Option<String>,
    pub author: Option<String>,
    pub role: Option<String>,
    /// RFC 3339; statements without their own timestamp inherit it when read.
    pub timestamp: Option<String>,
    pub last_updated: Option<String>,
    pub version: Option<u64>,
    pub tooling: Option<String>,
    pub statements: Vec<VexStatement>,
}

/// One status claim: these products have this status for this vulnerability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexStatement {
    pub vulnerability: VulnerabilityRef,
    pub products: Vec<ProductRef>,
    pub status: VexStatus,
    pub justification: Option<Justification>,
    /// The justification as the source document spelled it (a CycloneDX `analysis.justification`
    /// or an unknown CSAF flag label) when it is not an OpenVEX label: the mapping is lossy.
    pub source_justification: Option<String>,
    pub impact_statement: Option<String>,
    pub action_statement: Option<String>,
    pub status_notes: Option<String>,
    pub supplier: Option<String>,
    pub timestamp: Option<String>,
    pub last_updated: Option<String>,
}

impl VexStatement {
    /// A statement with only the required parts set.
    pub fn new(
        vulnerability: VulnerabilityRef,
        products: Vec<ProductRef>,
        status: VexStatus,
    ) -> Self {
        Self {
            vulnerability,
            products,
            status,
            justification: None,
            source_justification: None,
            impact_statement: None,
            action_statement: None,
            status_notes: None,
            supplier: None,
            timestamp: None,
            last_updated: None,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VulnerabilityRef {
    /// `CVE-2023-1234`, `GHSA-...`: the name the document gives first.
    pub id: String,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

impl VulnerabilityRef {
    pub fn new(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            ..Self::default()
        }
    }

    /// Whether `id` names this vulnerability (its id or an alias; ids are case-insensitive).
    pub fn is_named(&self, id: &str) -> bool {
        std::iter::once(&self.id)
            .chain(&self.aliases)
            .any(|name| name.eq_ignore_ascii_case(id))
    }
}

/// A product or subcomponent a statement is about, by any of the identifiers documents use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductRef {
    /// Its identifier in the source document: OpenVEX `@id`, CycloneDX `bom-ref`, CSAF
    /// `product_id`.
    pub id: Option<String>,
    pub name: Option<String>,
    pub purl: Option<Purl>,
    pub cpe: Option<String>,
    pub hashes: Vec<Hash>,
    /// The components of this product the statement is about.
    pub subcomponents: Vec<ProductRef>,
}

impl ProductRef {
    pub fn from_purl(purl: Purl) -> Self {
        Self {
            purl: Some(purl),
            ..Self::default()
        }
    }

    /// Whether this product (not its subcomponents) is the package `package`.
    pub fn matches_purl(&self, package: &Purl) -> bool {
        self.purl
            .as_ref()
            .is_some_and(|purl| purl_matches(purl, package))
    }
}

/// Whether a statement's purl covers a package's purl, as OpenVEX tools match them: type,
/// namespace and name are equal; a statement purl without version covers every version; every
/// qualifier of the statement is present with the same value in the package (the package may
/// have more); a statement subpath must be equal. Both are canonical, so equality is exact.
pub fn purl_matches(statement: &Purl, package: &Purl) -> bool {
    statement.purl_type() == package.purl_type()
        && statement.namespace() == package.namespace()
        && statement.name() == package.name()
        && statement
            .version()
            .is_none_or(|version| Some(version) == package.version())
        && statement
            .qualifiers()
            .iter()
            .all(|(key, value)| package.qualifier(key) == Some(value.as_str()))
        && statement
            .subpath()
            .is_none_or(|subpath| Some(subpath) == package.subpath())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VexStatus {
    NotAffected,
    Affected,
    Fixed,
    UnderInvestigation,
}

impl VexStatus {
    /// The OpenVEX spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotAffected => "not_affected",
            Self::Affected => "affected",
            Self::Fixed => "fixed",
            Self::UnderInvestigation => "under_investigation",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [
            Self::NotAffected,
            Self::Affected,
            Self::Fixed,
            Self::UnderInvestigation,
        ]
        .into_iter()
        .find(|status| status.as_str() == name)
    }
}

impl fmt::Display for VexStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Why a product is not affected: the five OpenVEX (and CSAF flag) labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Justification {
    ComponentNotPresent,
    VulnerableCodeNotPresent,
    VulnerableCodeNotInExecutePath,
    VulnerableCodeCannotBeControlledByAdversary,
    InlineMitigationsAlreadyExist,
}

impl Justification {
    pub const ALL: [Self; 5] = [
        Self::ComponentNotPresent,
        Self::VulnerableCodeNotPresent,
        Self::VulnerableCodeNotInExecutePath,
        Self::VulnerableCodeCannotBeControlledByAdversary,
        Self::InlineMitigationsAlreadyExist,
    ];

    /// The OpenVEX spelling, which CSAF flags share.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ComponentNotPresent => "component_not_present",
            Self::VulnerableCodeNotPresent => "vulnerable_code_not_present",
            Self::VulnerableCodeNotInExecutePath => "vulnerable_code_not_in_execute_path",
            Self::VulnerableCodeCannotBeControlledByAdversary => {
                "vulnerable_code_cannot_be_controlled_by_adversary"
            }
            Self::InlineMitigationsAlreadyExist => "inline_mitigations_already_exist",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|justification| justification.as_str() == name)
    }
}

impl fmt::Display for Justification {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl VexStatement {
    /// Whether this statement speaks about `vulnerability` (id or alias) in package `package`.
    ///
    /// `subject` is the product being scanned (an image, an application), when known. A product
    /// without subcomponents applies to the package it names, and to every package of the
    /// subject when it names the subject. A product with subcomponents applies to those
    /// subcomponents inside that product; when the subject is unknown it applies to the
    /// subcomponents wherever they are found, since a scanner reading a VEX beside an SBOM
    /// usually cannot tell which product it scanned, and dropping the statement would hide the
    /// author's triage.
    pub fn applies_to(&self, vulnerability: &str, package: &Purl, subject: Option<&Purl>) -> bool {
        self.vulnerability.is_named(vulnerability)
            && self.products.iter().any(|product| {
                let in_subject = subject.is_none_or(|subject| product.matches_purl(subject));
                if product.subcomponents.is_empty() {
                    product.matches_purl(package)
                        || subject.is_some_and(|subject| product.matches_purl(subject))
                } else {
                    in_subject
                        && product
                            .subcomponents
                            .iter()
                            .any(|subcomponent| subcomponent.matches_purl(package))
                }
            })
    }

    /// When the statement was last changed: `last_updated`, else `timestamp`.
    fn effective_time(&self) -> Option<OffsetDateTime> {
        self.last_updated
            .as_deref()
            .or(self.timestamp.as_deref())
            .and_then(|text| OffsetDateTime::parse(text, &Rfc3339).ok())
    }
}

/// The statement that decides `vulnerability` in `package` among all `documents` (see
/// [`VexStatement::applies_to`]). Several may apply: as go-vex and vexctl do, the newest wins;
/// statements without a readable time count as oldest, and among equal times the later one (in
/// document order, then statement order) wins.
pub fn effective_statement<'a>(
    documents: &'a [VexDocument],
    vulnerability: &str,
    package: &Purl,
    subject: Option<&Purl>,
) -> Option<&'a VexStatement> {
    deciding_statement(documents, &[vulnerability], package, subject)
        .map(|(_, statement)| statement)
}

/// [`effective_statement`] for a vulnerability known by several names (an id and its aliases):
/// a statement naming any of them applies. Also gives the index of the statement's document.
pub fn deciding_statement<'a>(
    documents: &'a [VexDocument],
    names: &[&str],
    package: &Purl,
    subject: Option<&Purl>,
) -> Option<(usize, &'a VexStatement)> {
    documents
        .iter()
        .enumerate()
        .flat_map(|(index, document)| {
            document
                .statements
                .iter()
                .map(move |statement| (index, statement))
        })
        .filter(|(_, statement)| {
            names
                .iter()
                .any(|name| statement.applies_to(name, package, subject))
        })
        // Each statement's time is parsed once; on equal keys the last one wins, as documented.
        .max_by_key(|(_, statement)| statement.effective_time())
}

/// The VEX format of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VexFormat {
    OpenVex,
    CycloneDx,
    Csaf,
}

impl fmt::Display for VexFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::OpenVex => "OpenVEX",
            Self::CycloneDx => "CycloneDX VEX",
            Self::Csaf => "CSAF",
        })
    }
}

/// A VEX document read into the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexReadOutcome {
    pub document: VexDocument,
    pub format: VexFormat,
    /// The version the document declares (`0.2.0`, `1.4`, `2.0`).
    pub version: String,
    /// One entry per dropped item: where it was (JSON pointer or XML line) and why.
    pub skipped: Vec<String>,
    /// Requirements of the format's VEX profile the document breaks (a `not_affected` without
    /// justification, a CSAF `known_affected` without remediation). The statements are still
    /// read: a consumer decides whether to trust them.
    pub problems: Vec<String>,
}

/// Reads a VEX document in any supported format, detected from the content.
pub fn read_vex(bytes: &[u8], origin: &str) -> Result<VexReadOutcome, FormatError> {
    match read::parse(bytes, origin)? {
        Parsed::Json(value) | Parsed::Yaml(value) => {
            if value.get("bomFormat").is_some() {
                cyclonedx::from_json(&value, origin)
            } else if value.get("@context").is_some() {
                openvex::read(&value, origin)
            } else if value
                .get("document")
                .and_then(|document| document.get("csaf_version"))
                .is_some()
            {
                csaf::read(&value, origin)
            } else {
                Err(read_error(
                    origin,
                    "not a VEX document: no `@context` (OpenVEX), `bomFormat` (CycloneDX) or `/document/csaf_version` (CSAF)",
                ))
            }
        }
        Parsed::Xml(root) if root.name == "bom" => cyclonedx::from_xml(&root, origin),
        Parsed::Xml(root) => Err(read_error(
            origin,
            format!(
                "line {}: XML root element <{}> is not a CycloneDX <bom>",
                root.line, root.name
            ),
        )),
        Parsed::TagValue(_) => Err(read_error(origin, "SPDX tag-value holds no VEX statements")),
    }
}

/// Errors of the VEX writers.
#[derive(Debug, thiserror::Error)]
pub enum VexWriteError {
    #[error("cannot write {format}: {message}")]
    Invalid { format: VexFormat, message: String },
    #[error("cannot serialise {format}: {source}")]
    Serialize {
        format: VexFormat,
        source: serde_json::Error,
    },
}

/// Pretty JSON with a final newline, as every writer of this crate emits.
fn to_json_bytes(value: &Value, format: VexFormat) -> Result<Vec<u8>, VexWriteError> {
    let mut bytes = serde_json::to_vec_pretty(value)
        .map_err(|source| VexWriteError::Serialize { format, source })?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Parses a purl from a third-party document; `None` (with a skipped entry) when it is invalid.
fn lenient_purl(text: &str, location: &str, skipped: &mut read::Skipped) -> Option<Purl> {
    match Purl::parse_lenient(text) {
        Ok(purl) => Some(purl),
        Err(error) => {
            skipped.push(location, format!("invalid purl `{text}`: {error}"));
            None
        }
    }
}

/// Non-empty text, trimmed.
fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|text| !text.is_empty())
        .map(str::to_owned)
}

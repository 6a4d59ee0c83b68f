//! SBOM formats over the neutral model: writers for CycloneDX 1.6 (JSON, XML), SPDX 2.3 (JSON,
//! tag-value) and SPDX 3.0.1 (JSON-LD); readers for the same plus older versions; validation
//! against the official schemas.

mod cyclonedx;
mod schema;
mod spdx2;
mod spdx3;
mod write;

use std::fmt;
use std::str::FromStr;

use vouch_model::Bom;

pub use schema::{Schema, Violation, validate_json};

/// An output format of `vouch sbom`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    SpdxTagValue,
    Spdx3Json,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Self::CycloneDxJson,
        Self::CycloneDxXml,
        Self::SpdxJson,
        Self::SpdxTagValue,
        Self::Spdx3Json,
    ];

    /// The name users type (`--format cyclonedx-json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CycloneDxJson => "cyclonedx-json",
            Self::CycloneDxXml => "cyclonedx-xml",
            Self::SpdxJson => "spdx-json",
            Self::SpdxTagValue => "spdx-tv",
            Self::Spdx3Json => "spdx3-json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|format| format.as_str() == name)
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown format `{name}`; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// What kind of SBOM is being written (SPDX 3 `software_sbomType`, CycloneDX lifecycle phase).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SbomType {
    #[default]
    Source,
    Build,
    Analyzed,
}

/// Document-level settings a writer needs and cannot derive from the BOM.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// Creation time, RFC 3339 UTC without fractional seconds (`2026-01-02T03:04:05Z`).
    pub created: String,
    /// Unique id of this document: CycloneDX serial number and the SPDX namespace's suffix.
    pub document_id: uuid::Uuid,
    /// Name of the document (usually the scanned directory's name).
    pub document_name: String,
    pub sbom_type: SbomType,
    /// `name` and `version` of the tool writing the document.
    pub tool_name: String,
    pub tool_version: String,
}

#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    #[error("{origin}: {message}")]
    Read { origin: String, message: String },
    #[error("cannot write {format}: {message}")]
    Write { format: Format, message: String },
}

/// Serialises `bom` in `format`.
pub fn write(bom: &Bom, format: Format, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    match format {
        Format::CycloneDxJson => cyclonedx::write_json(bom, options),
        Format::CycloneDxXml => cyclonedx::write_xml(bom, options),
        Format::SpdxJson => spdx2::write_json(bom, options),
        Format::SpdxTagValue => spdx2::write_tag_value(bom, options),
        Format::Spdx3Json => spdx3::write_json(bom, options),
    }
}

mod read;

pub use read::{DetectedFormat, FormatFamily, ReadOutcome, Serialization, read};

mod convert;
mod validate;

pub use convert::convert;

pub mod vex;
pub use validate::{ValidationReport, validate};

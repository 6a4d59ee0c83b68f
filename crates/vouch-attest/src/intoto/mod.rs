//! in-toto attestations: the Statement (v1, and v0.1 as still seen in the wild) and, in
//! [`metadata`], the classic signed links and layouts of in-toto-golang.

pub mod metadata;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::digest::ArtifactDigests;

pub const STATEMENT_TYPE_V1: &str = "https://in-toto.io/Statement/v1";
pub const STATEMENT_TYPE_V0_1: &str = "https://in-toto.io/Statement/v0.1";
/// The DSSE `payloadType` of a Statement.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";

/// Why a Statement could not be read.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error("not an in-toto Statement: {0}")]
    Json(#[from] serde_json::Error),
    #[error(
        "unsupported Statement `_type` `{0}` (expected {STATEMENT_TYPE_V1} or {STATEMENT_TYPE_V0_1})"
    )]
    UnsupportedType(String),
    #[error("the Statement has no subjects")]
    NoSubjects,
    #[error("subject {index} (`{name}`) has no digest")]
    SubjectWithoutDigest { index: usize, name: String },
    #[error("subject {index} (`{name}`) has an invalid `{algorithm}` digest `{value}`: {reason}")]
    InvalidDigest {
        index: usize,
        name: String,
        algorithm: String,
        value: String,
        reason: &'static str,
    },
    #[error("the Statement has an empty `predicateType`")]
    EmptyPredicateType,
}

/// Why a Statement does not describe an artifact.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubjectMismatch {
    #[error(
        "no subject of the Statement has the artifact's digest (sha256 {sha256}); subjects: {subjects}"
    )]
    NoMatchingSubject { sha256: String, subjects: String },
}

/// An in-toto Statement. Unknown fields are ignored, as the specification requires of consumers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    #[serde(rename = "_type")]
    pub statement_type: String,
    pub subject: Vec<Subject>,
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub predicate: Value,
}

/// A subject: an artifact identified by its digests. `name` is informational only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    #[serde(default)]
    pub digest: BTreeMap<String, String>,
}

/// Lengths in hex digits of the DigestSet algorithms that have a fixed length.
const HEX_DIGEST_LENGTHS: &[(&str, usize)] = &[
    ("md5", 32),
    ("sha1", 40),
    ("ripemd160", 40),
    ("sha224", 56),
    ("sha512_224", 56),
    ("sha3_224", 56),
    ("sha256", 64),
    ("sha512_256", 64),
    ("sha3_256", 64),
    ("sm3", 64),
    ("sha384", 96),
    ("sha3_384", 96),
    ("sha512", 128),
    ("sha3_512", 128),
];

impl Statement {
    /// A v1 Statement.
    pub fn new(subject: Vec<Subject>, predicate_type: impl Into<String>, predicate: Value) -> Self {
        Self {
            statement_type: STATEMENT_TYPE_V1.to_owned(),
            subject,
            predicate_type: predicate_type.into(),
            predicate,
        }
    }

    /// Reads and checks a Statement: a known `_type`, at least one subject, a digest on every
    /// subject (lower-case hex of the right length for the fixed-length algorithms), a
    /// `predicateType`.
    pub fn from_json(json: &[u8]) -> Result<Self, StatementError> {
        let statement: Self = serde_json::from_slice(json)?;
        if statement.statement_type != STATEMENT_TYPE_V1
            && statement.statement_type != STATEMENT_TYPE_V0_1
        {
            return Err(StatementError::UnsupportedType(statement.statement_type));
        }
        if statement.subject.is_empty() {
            return Err(StatementError::NoSubjects);
        }
        for (index, subject) in statement.subject.iter().enumerate() {
            subject.check(index)?;
        }
        if statement.predicate_type.is_empty() {
            return Err(StatementError::EmptyPredicateType);
        }
        Ok(statement)
    }

    pub fn to_json(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(self)
    }

    /// The subject whose digests match the artifact's: at least one algorithm in common, and
    /// every algorithm in common equal.
    pub fn matching_subject(&self, digests: &ArtifactDigests) -> Result<&Subject, SubjectMismatch> {
        self.subject
            .iter()
            .find(|subject| subject.matches(digests))
            .ok_or_else(|| SubjectMismatch::NoMatchingSubject {
                sha256: digests.sha256.clone(),
                subjects: self
                    .subject
                    .iter()
                    .map(Subject::describe)
                    .collect::<Vec<_>>()
                    .join(", "),
            })
    }
}

impl Subject {
    /// A subject naming an artifact by its SHA-256.
    pub fn from_digests(name: impl Into<String>, digests: &ArtifactDigests) -> Self {
        Self {
            name: name.into(),
            digest: BTreeMap::from([("sha256".to_owned(), digests.sha256.clone())]),
        }
    }

    fn check(&self, index: usize) -> Result<(), StatementError> {
        if self.digest.is_empty() {
            return Err(StatementError::SubjectWithoutDigest {
                index,
                name: self.name.clone(),
            });
        }
        for (algorithm, value) in &self.digest {
            let Some(&(_, length)) = HEX_DIGEST_LENGTHS
                .iter()
                .find(|(name, _)| name == algorithm)
            else {
                continue;
            };
            let reason = if value.len() != length {
                "wrong length for the algorithm"
            } else if !value
                .bytes()
                .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
            {
                "not lower-case hex"
            } else {
                continue;
            };
            return Err(StatementError::InvalidDigest {
                index,
                name: self.name.clone(),
                algorithm: algorithm.clone(),
                value: value.clone(),
                reason,
            });
        }
        Ok(())
    }

    fn matches(&self, digests: &ArtifactDigests) -> bool {
        let mut common = self
            .digest
            .iter()
            .filter_map(|(algorithm, value)| Some((digests.get(algorithm)?, value)))
            .peekable();
        common.peek().is_some() && common.all(|(computed, claimed)| computed == claimed)
    }

    fn describe(&self) -> String {
        let digests = self
            .digest
            .iter()
            .map(|(algorithm, value)| format!("{algorithm}:{value}"))
            .collect::<Vec<_>>()
            .join(" ");
        if self.name.is_empty() {
            digests
        } else {
            format!("{} ({digests})", self.name)
        }
    }
}

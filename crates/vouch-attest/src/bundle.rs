//! Sigstore bundles (`application/vnd.dev.sigstore.bundle…`, v0.1 to v0.3): reading with the
//! per-version rules, writing key-based bundles, and verifying them with a public key.
//!
//! Key-based verification checks the signature, the artifact digest and, for DSSE, the in-toto
//! subject and predicate type. It does not check transparency-log entries or RFC 3161
//! timestamps; [`KeyVerification`] counts what it left unchecked so callers can require none.

use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256, Sha384, Sha512};

use crate::digest::ArtifactDigests;
use crate::dsse::Envelope;
use crate::encoding::{base64_bytes, base64_bytes_list, base64_bytes_option, int64};
use crate::intoto::{self, Statement, StatementError, SubjectMismatch};
use crate::keys::{KeyError, PrivateKey, PublicKey, PublicKeyKind, SignatureEncoding};

pub const MEDIA_TYPE_V0_1: &str = "application/vnd.dev.sigstore.bundle+json;version=0.1";
pub const MEDIA_TYPE_V0_2: &str = "application/vnd.dev.sigstore.bundle+json;version=0.2";
pub const MEDIA_TYPE_V0_3: &str = "application/vnd.dev.sigstore.bundle.v0.3+json";
/// The older spelling of v0.3 that clients still accept.
const MEDIA_TYPE_V0_3_LEGACY: &str = "application/vnd.dev.sigstore.bundle+json;version=0.3";

/// Why a bundle could not be read or built.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("not a Sigstore bundle: {0}")]
    Json(#[from] serde_json::Error),
    #[error("unsupported bundle mediaType `{0}`")]
    UnsupportedMediaType(String),
    #[error(
        "verificationMaterial holds {0}; exactly one of publicKey, x509CertificateChain, certificate is required"
    )]
    SignerMaterial(&'static str),
    #[error("the bundle holds {0}; exactly one of messageSignature, dsseEnvelope is required")]
    Content(&'static str),
    #[error("x509CertificateChain has no certificates")]
    EmptyCertificateChain,
    #[error("a v0.3 bundle must carry a single `certificate`, not an x509CertificateChain")]
    ChainInV0_3,
    #[error("the dsseEnvelope has {0} signatures; a bundle carries exactly one")]
    DsseSignatureCount(usize),
    #[error("tlogEntries[{index}] has no inclusionPromise, which a v0.1 bundle requires")]
    MissingInclusionPromise { index: usize },
    #[error("tlogEntries[{index}] has no inclusionProof, which a {version} bundle requires")]
    MissingInclusionProof {
        index: usize,
        version: BundleVersion,
    },
    #[error(
        "tlogEntries[{index}].inclusionProof has no checkpoint, which a {version} bundle requires"
    )]
    MissingCheckpoint {
        index: usize,
        version: BundleVersion,
    },
    #[error("cannot sign: {0}")]
    Signing(#[source] KeyError),
}

/// Why a bundle did not verify with a key.
#[derive(Debug, thiserror::Error)]
pub enum BundleVerifyError {
    #[error("the bundle is signed by a {0}, not a public key")]
    NotKeyMaterial(&'static str),
    #[error("messageDigest ({algorithm}) is {claimed} but the artifact's is {computed}")]
    MessageDigestMismatch {
        algorithm: HashAlgorithm,
        claimed: String,
        computed: String,
    },
    #[error("the message signature does not verify: {0}")]
    MessageSignature(#[source] KeyError),
    #[error("the DSSE envelope has {0} signatures; a bundle carries exactly one")]
    DsseSignatureCount(usize),
    #[error("the DSSE signature does not verify: {0}")]
    DsseSignature(#[source] KeyError),
    #[error("the DSSE payloadType is `{0}`, not `{payload_type}`", payload_type = intoto::PAYLOAD_TYPE)]
    PayloadType(String),
    #[error("the signed payload is not a valid in-toto Statement: {0}")]
    Statement(#[source] StatementError),
    #[error("the Statement does not cover the artifact: {0}")]
    Subject(#[source] SubjectMismatch),
    #[error("the bundle holds a message signature, not an attestation of type `{expected}`")]
    NotAnAttestation { expected: String },
    #[error("the Statement's predicateType is `{found}`, not `{expected}`")]
    PredicateType { expected: String, found: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum BundleVersion {
    #[serde(rename = "0.1")]
    V0_1,
    #[serde(rename = "0.2")]
    V0_2,
    #[serde(rename = "0.3")]
    V0_3,
}

impl std::fmt::Display for BundleVersion {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::V0_1 => "v0.1",
            Self::V0_2 => "v0.2",
            Self::V0_3 => "v0.3",
        })
    }
}

impl BundleVersion {
    fn from_media_type(media_type: &str) -> Option<Self> {
        match media_type {
            MEDIA_TYPE_V0_1 => Some(Self::V0_1),
            MEDIA_TYPE_V0_2 => Some(Self::V0_2),
            MEDIA_TYPE_V0_3 | MEDIA_TYPE_V0_3_LEGACY => Some(Self::V0_3),
            _ => None,
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::V0_1 => MEDIA_TYPE_V0_1,
            Self::V0_2 => MEDIA_TYPE_V0_2,
            Self::V0_3 => MEDIA_TYPE_V0_3,
        }
    }
}

/// A parsed, structurally valid bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub version: BundleVersion,
    pub signer: SignerMaterial,
    pub tlog_entries: Vec<TransparencyLogEntry>,
    /// DER RFC 3161 timestamp responses.
    pub rfc3161_timestamps: Vec<Vec<u8>>,
    pub content: BundleContent,
}

/// Who signed: a public key named by an opaque hint, or a certificate (leaf first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerMaterial {
    PublicKey { hint: String },
    Certificate(Vec<u8>),
    CertificateChain(Vec<Vec<u8>>),
}

impl SignerMaterial {
    fn describe(&self) -> &'static str {
        match self {
            Self::PublicKey { .. } => "public key",
            Self::Certificate(_) => "certificate",
            Self::CertificateChain(_) => "certificate chain",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleContent {
    MessageSignature(MessageSignature),
    DsseEnvelope(Envelope),
}

/// A signature over an artifact's bytes, with the artifact's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageSignature {
    pub message_digest: MessageDigest,
    #[serde(with = "base64_bytes")]
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageDigest {
    pub algorithm: HashAlgorithm,
    #[serde(with = "base64_bytes")]
    pub digest: Vec<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HashAlgorithm {
    #[serde(rename = "SHA2_256")]
    Sha2_256,
    #[serde(rename = "SHA2_384")]
    Sha2_384,
    #[serde(rename = "SHA2_512")]
    Sha2_512,
}

impl std::fmt::Display for HashAlgorithm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(match self {
            Self::Sha2_256 => "SHA2_256",
            Self::Sha2_384 => "SHA2_384",
            Self::Sha2_512 => "SHA2_512",
        })
    }
}

impl HashAlgorithm {
    fn digest(self, bytes: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha2_256 => Sha256::digest(bytes).to_vec(),
            Self::Sha2_384 => Sha384::digest(bytes).to_vec(),
            Self::Sha2_512 => Sha512::digest(bytes).to_vec(),
        }
    }
}

/// A transparency-log entry, kept as read; key-based verification does not check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransparencyLogEntry {
    #[serde(default, with = "int64")]
    pub log_index: i64,
    pub log_id: LogId,
    pub kind_version: KindVersion,
    #[serde(default, with = "int64")]
    pub integrated_time: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusion_promise: Option<InclusionPromise>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inclusion_proof: Option<InclusionProof>,
    #[serde(
        default,
        with = "base64_bytes_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub canonicalized_body: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogId {
    #[serde(with = "base64_bytes")]
    pub key_id: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindVersion {
    pub kind: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionPromise {
    #[serde(with = "base64_bytes")]
    pub signed_entry_timestamp: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InclusionProof {
    #[serde(default, with = "int64")]
    pub log_index: i64,
    #[serde(with = "base64_bytes")]
    pub root_hash: Vec<u8>,
    #[serde(default, with = "int64")]
    pub tree_size: i64,
    #[serde(default, with = "base64_bytes_list")]
    pub hashes: Vec<Vec<u8>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<Checkpoint>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub envelope: String,
}

/// The JSON shape, with the proto `oneof`s as optional members.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBundle {
    media_type: String,
    verification_material: WireVerificationMaterial,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    message_signature: Option<MessageSignature>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    dsse_envelope: Option<Envelope>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireVerificationMaterial {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    public_key: Option<WirePublicKey>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    x509_certificate_chain: Option<WireCertificateChain>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    certificate: Option<WireCertificate>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tlog_entries: Vec<TransparencyLogEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timestamp_verification_data: Option<WireTimestampData>,
}

#[derive(Serialize, Deserialize)]
struct WirePublicKey {
    #[serde(default)]
    hint: String,
}

#[derive(Serialize, Deserialize)]
struct WireCertificateChain {
    #[serde(default)]
    certificates: Vec<WireCertificate>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCertificate {
    #[serde(with = "base64_bytes")]
    raw_bytes: Vec<u8>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTimestampData {
    #[serde(default)]
    rfc3161_timestamps: Vec<WireTimestamp>,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTimestamp {
    #[serde(with = "base64_bytes")]
    signed_timestamp: Vec<u8>,
}

/// What key-based verification established, and what it left unchecked.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyVerification {
    pub content: VerifiedContent,
    /// Transparency-log entries in the bundle that were not verified.
    pub unverified_tlog_entries: usize,
    /// RFC 3161 timestamps in the bundle that were not verified.
    pub unverified_timestamps: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum VerifiedContent {
    /// The signature covers the artifact's bytes.
    MessageSignature,
    /// The signed Statement names the artifact among its subjects.
    Statement(Statement),
}

impl Bundle {
    /// Reads a bundle and checks the rules of its version.
    pub fn from_json(json: &[u8]) -> Result<Self, BundleError> {
        let wire: WireBundle = serde_json::from_slice(json)?;
        let version = BundleVersion::from_media_type(&wire.media_type)
            .ok_or_else(|| BundleError::UnsupportedMediaType(wire.media_type.clone()))?;
        let material = wire.verification_material;
        let signer = match (
            material.public_key,
            material.x509_certificate_chain,
            material.certificate,
        ) {
            (Some(public_key), None, None) => SignerMaterial::PublicKey {
                hint: public_key.hint,
            },
            (None, Some(chain), None) => {
                if version >= BundleVersion::V0_3 {
                    return Err(BundleError::ChainInV0_3);
                }
                if chain.certificates.is_empty() {
                    return Err(BundleError::EmptyCertificateChain);
                }
                SignerMaterial::CertificateChain(
                    chain
                        .certificates
                        .into_iter()
                        .map(|certificate| certificate.raw_bytes)
                        .collect(),
                )
            }
            (None, None, Some(certificate)) => SignerMaterial::Certificate(certificate.raw_bytes),
            (None, None, None) => return Err(BundleError::SignerMaterial("none of them")),
            _ => return Err(BundleError::SignerMaterial("more than one of them")),
        };
        for (index, entry) in material.tlog_entries.iter().enumerate() {
            check_tlog_entry(version, index, entry)?;
        }
        let content = match (wire.message_signature, wire.dsse_envelope) {
            (Some(signature), None) => BundleContent::MessageSignature(signature),
            (None, Some(envelope)) => {
                if envelope.signatures.len() != 1 {
                    return Err(BundleError::DsseSignatureCount(envelope.signatures.len()));
                }
                BundleContent::DsseEnvelope(envelope)
            }
            (None, None) => return Err(BundleError::Content("neither")),
            (Some(_), Some(_)) => return Err(BundleError::Content("both")),
        };
        Ok(Self {
            version,
            signer,
            tlog_entries: material.tlog_entries,
            rfc3161_timestamps: material
                .timestamp_verification_data
                .map(|data| {
                    data.rfc3161_timestamps
                        .into_iter()
                        .map(|timestamp| timestamp.signed_timestamp)
                        .collect()
                })
                .unwrap_or_default(),
            content,
        })
    }

    /// The JSON form (proto3 JSON: lowerCamelCase, standard base64, 64-bit integers as strings).
    pub fn to_json(&self) -> Result<Vec<u8>, BundleError> {
        let (public_key, x509_certificate_chain, certificate) = match &self.signer {
            SignerMaterial::PublicKey { hint } => {
                (Some(WirePublicKey { hint: hint.clone() }), None, None)
            }
            SignerMaterial::CertificateChain(chain) => (
                None,
                Some(WireCertificateChain {
                    certificates: chain
                        .iter()
                        .map(|raw_bytes| WireCertificate {
                            raw_bytes: raw_bytes.clone(),
                        })
                        .collect(),
                }),
                None,
            ),
            SignerMaterial::Certificate(raw_bytes) => (
                None,
                None,
                Some(WireCertificate {
                    raw_bytes: raw_bytes.clone(),
                }),
            ),
        };
        let (message_signature, dsse_envelope) = match &self.content {
            BundleContent::MessageSignature(signature) => (Some(signature.clone()), None),
            BundleContent::DsseEnvelope(envelope) => (None, Some(envelope.clone())),
        };
        let wire = WireBundle {
            media_type: self.version.media_type().to_owned(),
            verification_material: WireVerificationMaterial {
                public_key,
                x509_certificate_chain,
                certificate,
                tlog_entries: self.tlog_entries.clone(),
                timestamp_verification_data: (!self.rfc3161_timestamps.is_empty()).then(|| {
                    WireTimestampData {
                        rfc3161_timestamps: self
                            .rfc3161_timestamps
                            .iter()
                            .map(|signed_timestamp| WireTimestamp {
                                signed_timestamp: signed_timestamp.clone(),
                            })
                            .collect(),
                    }
                }),
            },
            message_signature,
            dsse_envelope,
        };
        Ok(serde_json::to_vec_pretty(&wire)?)
    }

    /// A v0.3 bundle signing `artifact` with `key` (DER ECDSA, as cosign writes), naming the key
    /// by its hint and carrying no transparency-log entries.
    pub fn sign_message(key: &PrivateKey, artifact: &[u8]) -> Result<Self, BundleError> {
        let algorithm = match key.public_key().kind() {
            PublicKeyKind::EcdsaP384 => HashAlgorithm::Sha2_384,
            _ => HashAlgorithm::Sha2_256,
        };
        let signature = key
            .sign(artifact, SignatureEncoding::Der)
            .map_err(BundleError::Signing)?;
        Ok(Self::key_based(
            key.public_key().hint(),
            BundleContent::MessageSignature(MessageSignature {
                message_digest: MessageDigest {
                    algorithm,
                    digest: algorithm.digest(artifact),
                },
                signature,
            }),
        ))
    }

    /// A v0.3 bundle carrying `statement` in a DSSE envelope signed by `key`.
    pub fn sign_statement(key: &PrivateKey, statement: &Statement) -> Result<Self, BundleError> {
        let mut envelope = Envelope::new(intoto::PAYLOAD_TYPE, statement.to_json()?);
        envelope
            .sign(key, "", SignatureEncoding::Der)
            .map_err(|error| match error {
                crate::dsse::DsseError::Signing(source) => BundleError::Signing(source),
                crate::dsse::DsseError::Json(source) => BundleError::Json(source),
            })?;
        Ok(Self::key_based(
            key.public_key().hint(),
            BundleContent::DsseEnvelope(envelope),
        ))
    }

    /// A v0.3 bundle signed by a key named by `hint`, with no transparency-log entries.
    pub(crate) fn key_based(hint: String, content: BundleContent) -> Self {
        Self {
            version: BundleVersion::V0_3,
            signer: SignerMaterial::PublicKey { hint },
            tlog_entries: Vec::new(),
            rfc3161_timestamps: Vec::new(),
            content,
        }
    }

    /// Verifies a key-based bundle for `artifact` with `key`. The hint is not consulted: only
    /// the signature decides. For a DSSE bundle the payload must be an in-toto Statement with the
    /// artifact among its subjects and, when given, the expected predicate type; a message
    /// signature fails when a predicate type is expected.
    pub fn verify_with_key(
        &self,
        key: &PublicKey,
        artifact: &[u8],
        expected_predicate_type: Option<&str>,
    ) -> Result<KeyVerification, BundleVerifyError> {
        if !matches!(self.signer, SignerMaterial::PublicKey { .. }) {
            return Err(BundleVerifyError::NotKeyMaterial(self.signer.describe()));
        }
        let content = match &self.content {
            BundleContent::MessageSignature(signature) => {
                if let Some(expected) = expected_predicate_type {
                    return Err(BundleVerifyError::NotAnAttestation {
                        expected: expected.to_owned(),
                    });
                }
                let algorithm = signature.message_digest.algorithm;
                let computed = algorithm.digest(artifact);
                if computed != signature.message_digest.digest {
                    return Err(BundleVerifyError::MessageDigestMismatch {
                        algorithm,
                        claimed: hex::encode(&signature.message_digest.digest),
                        computed: hex::encode(computed),
                    });
                }
                key.verify(artifact, &signature.signature)
                    .map_err(BundleVerifyError::MessageSignature)?;
                VerifiedContent::MessageSignature
            }
            BundleContent::DsseEnvelope(envelope) => {
                // Comparing the type before the signature reads nothing unverified and names
                // the problem exactly.
                if envelope.payload_type != intoto::PAYLOAD_TYPE {
                    return Err(BundleVerifyError::PayloadType(
                        envelope.payload_type.clone(),
                    ));
                }
                let [signature] = envelope.signatures.as_slice() else {
                    return Err(BundleVerifyError::DsseSignatureCount(
                        envelope.signatures.len(),
                    ));
                };
                key.verify(&envelope.pae(), &signature.sig)
                    .map_err(BundleVerifyError::DsseSignature)?;
                // The payload just verified, parsed from the same bytes.
                let statement = Statement::from_json(&envelope.payload)
                    .map_err(BundleVerifyError::Statement)?;
                statement
                    .matching_subject(&ArtifactDigests::of_bytes(artifact))
                    .map_err(BundleVerifyError::Subject)?;
                if let Some(expected) = expected_predicate_type
                    && statement.predicate_type != expected
                {
                    return Err(BundleVerifyError::PredicateType {
                        expected: expected.to_owned(),
                        found: statement.predicate_type,
                    });
                }
                VerifiedContent::Statement(statement)
            }
        };
        Ok(KeyVerification {
            content,
            unverified_tlog_entries: self.tlog_entries.len(),
            unverified_timestamps: self.rfc3161_timestamps.len(),
        })
    }
}

fn check_tlog_entry(
    version: BundleVersion,
    index: usize,
    entry: &TransparencyLogEntry,
) -> Result<(), BundleError> {
    if version == BundleVersion::V0_1 {
        if entry.inclusion_promise.is_none() {
            return Err(BundleError::MissingInclusionPromise { index });
        }
        return Ok(());
    }
    let proof = entry
        .inclusion_proof
        .as_ref()
        .ok_or(BundleError::MissingInclusionProof { index, version })?;
    if proof.checkpoint.is_none() {
        return Err(BundleError::MissingCheckpoint { index, version });
    }
    Ok(())
}

//! SLSA provenance verification for artifacts built on GitHub Actions, with slsa-verifier's
//! semantics (verifiers/internal/gha).
//!
//! The order of the checks is slsa-verifier's: the Sigstore bundle (signature, Fulcio chain,
//! transparency log, through [`SigstoreVerifier`]); the builder identity in the certificate
//! (GitHub Actions issuer, a trusted slsa-github-generator workflow or the caller's builder id,
//! at a release tag); the certificate's source repository; then the provenance: its builder id,
//! its triggering and source repository, the artifact digest among its subjects, the branch and
//! the tag. The first failing check is the error.
//!
//! Accepted documents: a Sigstore bundle, a bare DSSE envelope, an npm attestation set
//! (provenance plus the registry's publish attestation, see `npm`), or one of those per line
//! (`*.intoto.jsonl`), where the first document that verifies decides. A bare envelope has no
//! transparency-log entry; slsa-verifier fetches it from Rekor, which needs the network, so
//! offline such an envelope is [`SlsaError::TransparencyLogLookupRequired`].
//!
//! Where provenance records no GitHub ref type (the GitHub workflow build types, npm CLI v0.2),
//! the tag and branch are read from the verified trigger ref rather than refused.

mod identity;
mod npm;
mod provenance;

use serde_json::Value;
use sigstore_verify::crypto::FulcioCiClaims;

use crate::digest::ArtifactDigests;
use crate::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreError, SigstoreVerifier, VerifiedSigner,
};
use identity::{BuilderId, TRUSTED_BUILDER_PREFIX, certificate_repository};
use provenance::Provenance;

pub use provenance::{PROVENANCE_V1, PROVENANCE_V02};

/// The digest algorithms subjects are matched by, strongest last.
const DIGEST_ALGORITHMS: [&str; 2] = ["sha256", "sha512"];

/// The artifact the provenance must describe: one digest, or every digest of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedArtifact {
    /// `(algorithm, lower-case hex)` pairs; a subject matching any of them is the artifact.
    digests: Vec<(&'static str, String)>,
}

impl ExpectedArtifact {
    /// The digests of an artifact read from disk.
    pub fn from_digests(digests: &ArtifactDigests) -> Self {
        Self {
            digests: vec![
                ("sha256", digests.sha256.clone()),
                ("sha512", digests.sha512.clone()),
            ],
        }
    }

    /// Parses `sha256:HEX` (64 digits) or `sha512:HEX` (128 digits); `None` otherwise.
    pub fn from_digest_argument(argument: &str) -> Option<Self> {
        let digest = match ArtifactInput::from_digest_argument(argument)? {
            ArtifactInput::Sha256(digest) => ("sha256", hex::encode(digest)),
            ArtifactInput::Sha512(digest) => ("sha512", hex::encode(digest)),
            ArtifactInput::Bytes(_) => return None,
        };
        Some(Self {
            digests: vec![digest],
        })
    }

    fn describe(&self) -> String {
        let digests: Vec<String> = self
            .digests
            .iter()
            .map(|(algorithm, hex)| format!("{algorithm}:{hex}"))
            .collect();
        digests.join(" or ")
    }
}

/// What the caller expects of the provenance.
#[derive(Debug, Clone)]
pub struct ProvenanceOptions {
    pub artifact: ExpectedArtifact,
    /// `github.com/OWNER/REPO` (a `git+https://` or `https://` prefix is accepted too).
    pub source_uri: String,
    /// The tag the artifact must have been built from (`v1.2.3`, without `refs/tags/`).
    pub source_tag: Option<String>,
    /// The branch the build must have run on (`main`, without `refs/heads/`).
    pub source_branch: Option<String>,
    /// The builder: a workflow URL, optionally `@TAG` or `@refs/tags/TAG`. Without a ref any
    /// trusted release of that builder matches; without a builder id, any trusted builder.
    pub builder_id: Option<String>,
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifiedProvenance {
    /// The builder, `name@ref`.
    pub builder_id: String,
    /// The source repository, `git+https://github.com/OWNER/REPO`.
    pub source_uri: String,
    /// The ref that triggered the build, e.g. `refs/tags/v1.2.3`.
    pub source_ref: String,
    pub predicate_type: String,
    /// The statement's subject names, in order.
    pub subjects: Vec<String>,
    /// The line of the `*.intoto.jsonl` document that verified (1 for a single document).
    pub line: usize,
}

/// Why provenance was not accepted. Each variant is one check; messages say what was
/// expected and what was found.
#[derive(Debug, thiserror::Error)]
pub enum SlsaError {
    #[error("line {line}: not a Sigstore bundle or DSSE envelope: {reason}")]
    Document { line: usize, reason: String },
    #[error("the provenance file holds no document")]
    Empty,
    #[error("the source URI {found:?} is not a github.com repository (github.com/OWNER/REPO)")]
    InvalidSourceUri { found: String },
    #[error("the builder id {found:?} is malformed (expected WORKFLOW_URL[@REF])")]
    InvalidBuilderId { found: String },
    #[error(
        "the DSSE envelope carries no transparency-log entry; slsa-verifier looks it up in Rekor, \
         which needs the network: verify a Sigstore bundle of it instead"
    )]
    TransparencyLogLookupRequired,
    #[error("the Sigstore bundle does not verify: {0}")]
    Signature(#[source] SigstoreError),
    #[error("the bundle is signed by a key, not by a GitHub Actions certificate")]
    NotKeyless,
    #[error("the signing certificate is not usable: {reason}")]
    Certificate { reason: String },
    #[error("the certificate was issued by {found:?}, expected {expected:?}")]
    Issuer {
        expected: &'static str,
        found: String,
    },
    #[error(
        "the builder {found:?} is not a trusted slsa-github-generator workflow (give --builder-id \
         to trust another)"
    )]
    UntrustedBuilder { found: String },
    #[error("the builder {builder:?} ran at {found:?}, expected a release tag refs/tags/vX.Y.Z")]
    BuilderRef { builder: String, found: String },
    #[error("the {checked} builder id is {found:?}, expected {expected:?}")]
    BuilderMismatch {
        checked: &'static str,
        expected: String,
        found: String,
    },
    #[error("the {checked} source repository is {found:?}, expected {expected:?}")]
    SourceMismatch {
        checked: &'static str,
        expected: String,
        found: String,
    },
    #[error("the provenance's trigger {trigger:?} and source {source_uri:?} differ")]
    SourceInconsistent { trigger: String, source_uri: String },
    #[error("no subject has digest {expected}; subjects: {found}")]
    SubjectDigestMismatch { expected: String, found: String },
    #[error(
        "the build ran for {}, expected tag {expected:?}",
        found.as_deref().unwrap_or("no tag")
    )]
    TagMismatch {
        expected: String,
        found: Option<String>,
    },
    #[error(
        "the build ran on {}, expected branch {expected:?}",
        found.as_deref().unwrap_or("no branch")
    )]
    BranchMismatch {
        expected: String,
        found: Option<String>,
    },
    #[error("the npm attestations are not usable: {reason}")]
    NpmAttestations { reason: String },
    #[error("npm provenance needs --builder-id: the npm CLI or the trusted builder that made it")]
    MissingBuilderId,
    #[error(
        "the certificate's runner environment is {}, expected {expected}",
        found.as_deref().unwrap_or("not recorded")
    )]
    Runner {
        expected: &'static str,
        found: Option<String>,
    },
    #[error("the npm publish attestation does not verify: {0}")]
    PublishSignature(#[source] SigstoreError),
    #[error("the publish attestation is signed by {hint:?}, not a known npm registry key")]
    RegistryKey { hint: String },
    #[error(
        "the provenance's {field} is {provenance:?} but the certificate says {}",
        certificate.as_deref().unwrap_or("nothing")
    )]
    CertificateMismatch {
        field: &'static str,
        provenance: String,
        certificate: Option<String>,
    },
    #[error("the provenance claims {field} = {value}, which no certificate can confirm")]
    UnverifiableClaim { field: String, value: String },
    #[error("the predicate type {found:?} is not SLSA provenance v0.2 or v1")]
    PredicateType { found: String },
    #[error("the provenance field {field} is not usable: {reason}")]
    Predicate { field: &'static str, reason: String },
}

impl SlsaError {
    /// Whether the input itself (a file or an argument) is malformed, as opposed to a
    /// well-formed provenance that failed a check.
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            Self::Document { .. }
                | Self::Empty
                | Self::InvalidSourceUri { .. }
                | Self::InvalidBuilderId { .. }
                | Self::MissingBuilderId
        )
    }
}

/// One document of a provenance file.
#[derive(Debug)]
enum Document {
    Bundle {
        json: Vec<u8>,
        payload: Vec<u8>,
    },
    Envelope,
    /// An npm attestation set (`{"attestations": [...]}`).
    Npm(serde_json::Map<String, Value>),
}

/// Verifies `provenance` (a file's bytes) for `options.artifact`; the first document that
/// verifies decides, otherwise the first document's error is returned.
pub fn verify_provenance(
    verifier: &SigstoreVerifier,
    provenance: &[u8],
    options: &ProvenanceOptions,
) -> Result<VerifiedProvenance, SlsaError> {
    let expected_source = normalize_source_uri(&options.source_uri)?;
    let expected_builder = options
        .builder_id
        .as_deref()
        .filter(|id| !id.is_empty())
        .map(|id| {
            BuilderId::parse(id).ok_or_else(|| SlsaError::InvalidBuilderId {
                found: id.to_owned(),
            })
        })
        .transpose()?;
    let documents = parse_documents(provenance)?;
    let mut first_error = None;
    let expected = Expected {
        options,
        source: &expected_source,
        builder: expected_builder.as_ref(),
    };
    for (line, document) in documents {
        match verify_document(verifier, &document, line, &expected) {
            Ok(verified) => return Ok(verified),
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(SlsaError::Empty))
}

/// A whole-file JSON document, or one per non-blank line.
fn parse_documents(provenance: &[u8]) -> Result<Vec<(usize, Document)>, SlsaError> {
    if let Ok(value) = serde_json::from_slice::<Value>(provenance) {
        return Ok(vec![(1, document(1, provenance, &value)?)]);
    }
    let mut documents = Vec::new();
    for (index, line) in provenance.split(|byte| *byte == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let number = index + 1;
        let value = serde_json::from_slice::<Value>(line).map_err(|error| SlsaError::Document {
            line: number,
            reason: error.to_string(),
        })?;
        documents.push((number, document(number, line, &value)?));
    }
    if documents.is_empty() {
        return Err(SlsaError::Empty);
    }
    Ok(documents)
}

fn document(line: usize, json: &[u8], value: &Value) -> Result<Document, SlsaError> {
    let malformed = |reason: &str| SlsaError::Document {
        line,
        reason: reason.to_owned(),
    };
    let object = value
        .as_object()
        .ok_or_else(|| malformed("not a JSON object"))?;
    if object.contains_key("mediaType") {
        let envelope = object
            .get("dsseEnvelope")
            .ok_or_else(|| malformed("the bundle carries no DSSE envelope"))?;
        let payload = envelope
            .get("payload")
            .and_then(Value::as_str)
            .ok_or_else(|| malformed("the DSSE envelope has no payload"))?;
        let payload = crate::encoding::decode_base64(payload)
            .map_err(|error| malformed(&format!("the DSSE payload is not base64: {error}")))?;
        return Ok(Document::Bundle {
            json: json.to_vec(),
            payload,
        });
    }
    if object.contains_key("payloadType") {
        crate::dsse::Envelope::from_json(json).map_err(|error| malformed(&error.to_string()))?;
        return Ok(Document::Envelope);
    }
    if object.contains_key("attestations") {
        return Ok(Document::Npm(object.clone()));
    }
    Err(malformed(
        "neither a Sigstore bundle (mediaType), a DSSE envelope (payloadType) nor npm \
         attestations (attestations)",
    ))
}

/// The caller's options, with the source URI normalized and the builder id parsed.
#[derive(Clone, Copy)]
struct Expected<'a> {
    options: &'a ProvenanceOptions,
    source: &'a str,
    builder: Option<&'a BuilderId>,
}

fn verify_document(
    verifier: &SigstoreVerifier,
    document: &Document,
    line: usize,
    expected: &Expected<'_>,
) -> Result<VerifiedProvenance, SlsaError> {
    let Expected {
        options,
        source: expected_source,
        builder: expected_builder,
    } = *expected;
    let (json, payload) = match document {
        Document::Bundle { json, payload } => (json, payload),
        Document::Envelope => return Err(SlsaError::TransparencyLogLookupRequired),
        Document::Npm(set) => {
            let attestations = npm::NpmAttestations::parse(set)?;
            return npm::verify(verifier, &attestations, line, expected);
        }
    };
    let provenance = Provenance::parse(payload)?;
    let signed = verify_keyless(verifier, json, &provenance)?;
    let builder =
        identity::verify_builder_identity(&signed.identity, &signed.issuer, expected_builder)?;
    verify_certificate_source(&signed.claims, expected_source)?;
    provenance.check_header()?;
    let builder_id = verify_provenance_builder(&provenance, &builder, expected_builder)?;
    let (source_ref, subjects) = verify_source_and_subject(&provenance, options, expected_source)?;
    Ok(VerifiedProvenance {
        builder_id,
        source_uri: expected_source.to_owned(),
        source_ref,
        predicate_type: provenance.predicate_type.clone(),
        subjects,
        line,
    })
}

/// The signer of a bundle whose signature, certificate chain and transparency-log entry
/// verified.
struct KeylessSigner {
    identity: String,
    issuer: String,
    claims: FulcioCiClaims,
}

/// Verifies a keyless bundle of `provenance` through the Sigstore verifier.
fn verify_keyless(
    verifier: &SigstoreVerifier,
    json: &[u8],
    provenance: &Provenance,
) -> Result<KeylessSigner, SlsaError> {
    // The signature covers the statement, so any of its subject digests binds the bundle;
    // whether the caller's artifact is among them is checked last, as slsa-verifier does.
    let binding = binding_digest(provenance)?;
    // Who signed is checked afterwards, claim by claim, so each mismatch has its own error.
    let requirement = Requirement::Identity(IdentityPolicy::any());
    let verified = verifier
        .verify(binding, json, &requirement)
        .map_err(SlsaError::Signature)?;
    match (verified.signer, verified.certificate_claims) {
        (VerifiedSigner::Certificate { identity, issuer }, Some(claims)) => Ok(KeylessSigner {
            identity,
            issuer,
            claims,
        }),
        _ => Err(SlsaError::NotKeyless),
    }
}

/// The certificate's source repository must be the expected one.
fn verify_certificate_source(
    claims: &FulcioCiClaims,
    expected_source: &str,
) -> Result<(), SlsaError> {
    let repository = certificate_repository(
        claims.source_repository_uri.as_deref(),
        claims.deprecated_github.workflow_repository.as_deref(),
    )?;
    let expected_repository = expected_source.trim_start_matches("git+https://github.com/");
    if repository != expected_repository {
        return Err(SlsaError::SourceMismatch {
            checked: "certificate",
            expected: expected_repository.to_owned(),
            found: repository,
        });
    }
    Ok(())
}

/// slsa-verifier's common provenance checks: source, subject digest, branch, tag. Returns the
/// triggering ref and the subject names.
fn verify_source_and_subject(
    provenance: &Provenance,
    options: &ProvenanceOptions,
    expected_source: &str,
) -> Result<(String, Vec<String>), SlsaError> {
    let source_ref = verify_source(provenance, expected_source)?;
    let subjects = verify_subject(provenance, &options.artifact)?;
    if let Some(expected) = &options.source_branch {
        let found = provenance.branch_ref()?;
        if !names(found.as_deref(), "refs/heads/", expected) {
            return Err(SlsaError::BranchMismatch {
                expected: expected.clone(),
                found,
            });
        }
    }
    if let Some(expected) = &options.source_tag {
        let found = provenance.tag_ref()?;
        if !names(found.as_deref(), "refs/tags/", expected) {
            return Err(SlsaError::TagMismatch {
                expected: expected.clone(),
                found,
            });
        }
    }
    Ok((source_ref, subjects))
}

/// Whether the git ref `reference` is `prefix` followed by `expected`.
fn names(reference: Option<&str>, prefix: &str, expected: &str) -> bool {
    reference.and_then(|reference| reference.strip_prefix(prefix)) == Some(expected)
}

/// The first sha256 (else sha512) subject digest, for the bundle's artifact binding.
fn binding_digest(provenance: &Provenance) -> Result<ArtifactInput<'static>, SlsaError> {
    let subjects = provenance.subjects()?;
    for subject in &subjects {
        if let Some(digest) = subject
            .digest("sha256")
            .and_then(|hex| hex::decode(hex).ok())
            && let Ok(digest) = <[u8; 32]>::try_from(digest)
        {
            return Ok(ArtifactInput::Sha256(digest));
        }
        if let Some(digest) = subject
            .digest("sha512")
            .and_then(|hex| hex::decode(hex).ok())
            && let Ok(digest) = <[u8; 64]>::try_from(digest)
        {
            return Ok(ArtifactInput::Sha512(digest));
        }
    }
    Err(SlsaError::Predicate {
        field: "subject[].digest",
        reason: "no subject has a sha256 or sha512 digest".to_owned(),
    })
}

/// The builder id in the provenance: for a builder that signs itself it must equal the
/// certificate's `name@ref`; a delegator's must be a trusted (or the caller's) builder at a
/// release tag. Returns the builder id to report.
fn verify_provenance_builder(
    provenance: &Provenance,
    builder: &identity::CertificateBuilder,
    expected_builder: Option<&BuilderId>,
) -> Result<String, SlsaError> {
    let found = provenance.builder_id()?;
    let mismatch = |expected: String| SlsaError::BuilderMismatch {
        checked: "provenance",
        expected,
        found: found.to_owned(),
    };
    let provenance_builder = BuilderId::parse(found).ok_or_else(|| mismatch(builder.id.full()))?;
    if !builder.delegator {
        if !provenance_builder.matches(&builder.id, true) {
            return Err(mismatch(builder.id.full()));
        }
        return Ok(builder.id.full());
    }
    if !identity::is_release_tag_ref(&provenance_builder.version) {
        return Err(SlsaError::BuilderRef {
            builder: provenance_builder.name.clone(),
            found: provenance_builder.version.clone(),
        });
    }
    match expected_builder {
        Some(expected) if !provenance_builder.matches(expected, false) => {
            Err(mismatch(expected.full()))
        }
        Some(_) => Ok(provenance_builder.full()),
        None if provenance_builder.name.starts_with(TRUSTED_BUILDER_PREFIX) => {
            Ok(provenance_builder.full())
        }
        None => Err(SlsaError::UntrustedBuilder {
            found: provenance_builder.full(),
        }),
    }
}

/// The trigger and the source material must both be the expected repository, and the same
/// ref. Returns the trigger's ref.
fn verify_source(provenance: &Provenance, expected_source: &str) -> Result<String, SlsaError> {
    let trigger = provenance.trigger_uri()?;
    let (trigger_repository, trigger_ref) = split_git_uri(&trigger, "trigger")?;
    if trigger_repository != expected_source {
        return Err(SlsaError::SourceMismatch {
            checked: "provenance trigger",
            expected: expected_source.to_owned(),
            found: trigger.clone(),
        });
    }
    if trigger_ref.is_empty() {
        return Err(SlsaError::Predicate {
            field: "trigger",
            reason: format!("{trigger:?} has no ref"),
        });
    }
    let source = provenance.source_uri()?;
    let (source_repository, source_ref) = split_git_uri(source, "source")?;
    if source_repository != expected_source {
        return Err(SlsaError::SourceMismatch {
            checked: "provenance source",
            expected: expected_source.to_owned(),
            found: source.to_owned(),
        });
    }
    if source_ref.is_empty() {
        if provenance::allows_refless_source(provenance.build_type()?) {
            return Ok(trigger_ref.to_owned());
        }
        return Err(SlsaError::Predicate {
            field: "source",
            reason: format!("{source:?} has no ref"),
        });
    }
    if trigger != source {
        return Err(SlsaError::SourceInconsistent {
            trigger: trigger.clone(),
            source_uri: source.to_owned(),
        });
    }
    Ok(trigger_ref.to_owned())
}

/// `git+https://host/path[@ref]` into repository and ref (empty when absent).
fn split_git_uri<'a>(uri: &'a str, field: &'static str) -> Result<(&'a str, &'a str), SlsaError> {
    if !uri.starts_with("git+https://") && !uri.starts_with("git+ssh://") {
        return Err(SlsaError::Predicate {
            field,
            reason: format!("{uri:?} is not a git+https:// or git+ssh:// URI"),
        });
    }
    let mut parts = uri.split('@');
    let repository = parts.next().unwrap_or_default();
    let reference = parts.next().unwrap_or_default();
    if parts.next().is_some() {
        return Err(SlsaError::Predicate {
            field,
            reason: format!("{uri:?} has more than one '@'"),
        });
    }
    Ok((repository, reference))
}

fn verify_subject(
    provenance: &Provenance,
    expected: &ExpectedArtifact,
) -> Result<Vec<String>, SlsaError> {
    let subjects = provenance.subjects()?;
    let found = subjects.iter().any(|subject| {
        expected
            .digests
            .iter()
            .any(|(algorithm, hex)| subject.digest(algorithm) == Some(hex.as_str()))
    });
    if !found {
        let listed: Vec<String> = subjects
            .iter()
            .flat_map(|subject| {
                DIGEST_ALGORITHMS.iter().filter_map(|algorithm| {
                    subject
                        .digest(algorithm)
                        .map(|hex| format!("{} {algorithm}:{hex}", subject.name))
                })
            })
            .collect();
        return Err(SlsaError::SubjectDigestMismatch {
            expected: expected.describe(),
            found: listed.join(", "),
        });
    }
    Ok(subjects
        .iter()
        .map(|subject| subject.name.to_owned())
        .collect())
}

/// `github.com/o/r`, `https://github.com/o/r` or `git+https://github.com/o/r` to the last form.
fn normalize_source_uri(source: &str) -> Result<String, SlsaError> {
    let without_scheme = source
        .strip_prefix("git+https://")
        .or_else(|| source.strip_prefix("https://"))
        .unwrap_or(source);
    let repository = without_scheme.strip_prefix("github.com/");
    let valid = repository.is_some_and(|repository| {
        let mut parts = repository.split('/');
        let (owner, name) = (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        );
        !owner.is_empty() && !name.is_empty() && parts.next().is_none() && !repository.contains('@')
    });
    if !valid {
        return Err(SlsaError::InvalidSourceUri {
            found: source.to_owned(),
        });
    }
    Ok(format!("git+https://{without_scheme}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_uri_forms_normalize_to_git_https() -> Result<(), SlsaError> {
        for form in [
            "github.com/octo/repo",
            "https://github.com/octo/repo",
            "git+https://github.com/octo/repo",
        ] {
            assert_eq!(
                normalize_source_uri(form)?,
                "git+https://github.com/octo/repo"
            );
        }
        for rejected in [
            "gitlab.com/octo/repo",
            "github.com/octo",
            "github.com/octo/repo/extra",
            "",
        ] {
            assert!(
                matches!(
                    normalize_source_uri(rejected),
                    Err(SlsaError::InvalidSourceUri { .. })
                ),
                "{rejected}"
            );
        }
        Ok(())
    }

    #[test]
    fn digest_argument_takes_sha256_and_sha512_hex() {
        let sha256 = format!("sha256:{}", "AB".repeat(32));
        assert_eq!(
            ExpectedArtifact::from_digest_argument(&sha256),
            Some(ExpectedArtifact {
                digests: vec![("sha256", "ab".repeat(32))]
            })
        );
        let sha512 = format!("sha512:{}", "0".repeat(128));
        assert!(ExpectedArtifact::from_digest_argument(&sha512).is_some());
        for rejected in [
            "sha256:abc",
            "md5:00",
            "sha256",
            &format!("sha256:{}", "g".repeat(64)),
        ] {
            assert_eq!(
                ExpectedArtifact::from_digest_argument(rejected),
                None,
                "{rejected}"
            );
        }
    }

    #[test]
    fn documents_are_read_whole_or_one_per_line() {
        assert!(matches!(parse_documents(b""), Err(SlsaError::Empty)));
        assert!(matches!(parse_documents(b"\n \n"), Err(SlsaError::Empty)));
        assert!(matches!(
            parse_documents(
                b"{\"payloadType\":\"x\",\"payload\":\"\",\"signatures\":[]}\nnot json\n"
            ),
            Err(SlsaError::Document { line: 2, .. })
        ));
        assert!(matches!(
            parse_documents(b"[1]"),
            Err(SlsaError::Document { line: 1, .. })
        ));
    }
}

//! Verification of one bundle against one artifact under one requirement (identity or key).

use sigstore_verify::crypto::FulcioCiClaims;
use sigstore_verify::types::{
    Artifact, ArtifactDigest, Bundle, DerPublicKey, HashAlgorithm, Sha256Hash,
};
use sigstore_verify::{PublicKeyVerificationPolicy, VerificationPolicy, Verifier};

use super::policy::{IdentityPolicy, PolicyError};
use super::trust_root::TrustRoot;
use crate::keys::PublicKey;

/// What was signed: the artifact bytes, or only their SHA-256 (`sha256:HEX`) or SHA-512 digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArtifactInput<'a> {
    Bytes(&'a [u8]),
    Sha256([u8; 32]),
    /// npm binds its tarballs by SHA-512 only.
    Sha512([u8; 64]),
}

impl ArtifactInput<'static> {
    /// Parses `sha256:HEX` (64 hexadecimal digits) or `sha512:HEX` (128); `None` for anything
    /// else.
    pub fn from_digest_argument(argument: &str) -> Option<Self> {
        if let Some(hex_digits) = argument.strip_prefix("sha256:") {
            let digest = hex::decode(hex_digits).ok()?;
            return <[u8; 32]>::try_from(digest).ok().map(Self::Sha256);
        }
        let digest = hex::decode(argument.strip_prefix("sha512:")?).ok()?;
        <[u8; 64]>::try_from(digest).ok().map(Self::Sha512)
    }
}

/// Who must have signed.
#[derive(Debug, Clone)]
pub enum Requirement {
    /// A keyless bundle: a Fulcio certificate issued to this identity.
    Identity(IdentityPolicy),
    /// A managed-key bundle: a signature by this key (its hint, if any, must name it).
    Key(PublicKey),
}

/// Why a bundle was rejected.
#[derive(Debug, thiserror::Error)]
pub enum SigstoreError {
    #[error("the trusted root {origin} is not usable: {source}")]
    TrustRoot {
        origin: String,
        #[source]
        source: Box<sigstore_verify::Error>,
    },
    #[error("the bundle is not a valid Sigstore bundle: {source}")]
    Bundle {
        #[source]
        source: sigstore_verify::types::Error,
    },
    #[error("the bundle does not verify: {source}")]
    Verification {
        #[source]
        source: Box<sigstore_verify::Error>,
    },
    #[error("the bundle's signing certificate does not satisfy the identity policy: {source}")]
    Policy {
        #[source]
        source: PolicyError,
    },
}

/// The signer of a verified bundle.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum VerifiedSigner {
    /// A Fulcio certificate with this SAN and OIDC issuer.
    Certificate { identity: String, issuer: String },
    /// The managed key with this fingerprint (lowercase hex SHA-256 of its SPKI).
    Key { fingerprint: String },
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBundle {
    pub signer: VerifiedSigner,
    /// Every authenticated time (RFC 3161 and SET-backed Rekor integrated times), RFC 3339.
    pub verified_times: Vec<String>,
    /// Whether transparency-log inclusion was verified.
    pub transparency_log_verified: bool,
    /// The Fulcio CI claims (source repository, ref, runner, ...) of the verified certificate;
    /// `None` for a managed-key bundle.
    pub certificate_claims: Option<FulcioCiClaims>,
}

/// Verifies bundles against one trusted root.
pub struct SigstoreVerifier {
    verifier: Verifier,
}

impl std::fmt::Debug for SigstoreVerifier {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("SigstoreVerifier")
            .finish_non_exhaustive()
    }
}

impl SigstoreVerifier {
    /// Prepares the trusted root's keys and anchors; fails on malformed or window-less material.
    pub fn new(trust_root: &TrustRoot) -> Result<Self, SigstoreError> {
        let verifier =
            Verifier::new(&trust_root.root).map_err(|source| SigstoreError::TrustRoot {
                origin: trust_root.origin().to_owned(),
                source: Box::new(source),
            })?;
        Ok(Self { verifier })
    }

    /// Verifies `bundle_json` over `artifact`; every check must pass.
    pub fn verify(
        &self,
        artifact: ArtifactInput<'_>,
        bundle_json: &[u8],
        requirement: &Requirement,
    ) -> Result<VerifiedBundle, SigstoreError> {
        let bundle = std::str::from_utf8(bundle_json)
            .map_err(|error| sigstore_verify::types::Error::Validation(error.to_string()))
            .and_then(Bundle::from_json)
            .map_err(|source| SigstoreError::Bundle { source })?;
        let artifact = match artifact {
            ArtifactInput::Bytes(bytes) => Artifact::from_blob(bytes),
            ArtifactInput::Sha256(digest) => Artifact::from(Sha256Hash::from(digest)),
            ArtifactInput::Sha512(digest) => {
                ArtifactDigest::new(HashAlgorithm::Sha2512, digest.to_vec())
                    .map(Artifact::from_digest)
                    .map_err(|source| SigstoreError::Bundle { source })?
            }
        };
        let verification = |source| SigstoreError::Verification {
            source: Box::new(source),
        };
        match requirement {
            Requirement::Identity(policy) => {
                // The library checks chain, SCT, logs and signature; the identity policy (which may be
                // a regex) is ours and runs on the claims of the certificate it verified.
                let result = self
                    .verifier
                    .verify(artifact, &bundle, &VerificationPolicy::any_identity())
                    .map_err(verification)?;
                let identity = result.identity().map(|name| name.as_str());
                policy
                    .check(identity, result.issuer())
                    .map_err(|source| SigstoreError::Policy { source })?;
                Ok(VerifiedBundle {
                    signer: VerifiedSigner::Certificate {
                        identity: identity.unwrap_or_default().to_owned(),
                        issuer: result.issuer().unwrap_or_default().to_owned(),
                    },
                    verified_times: times(result.verified_timestamps()),
                    transparency_log_verified: result.tlog_verified(),
                    certificate_claims: result
                        .certificate()
                        .map(|certificate| certificate.ci_claims.clone()),
                })
            }
            Requirement::Key(key) => {
                let policy =
                    PublicKeyVerificationPolicy::new(DerPublicKey::new(key.spki_der().to_vec()));
                let result = self
                    .verifier
                    .verify(artifact, &bundle, &policy)
                    .map_err(verification)?;
                Ok(VerifiedBundle {
                    signer: VerifiedSigner::Key {
                        fingerprint: hex::encode(key.fingerprint()),
                    },
                    verified_times: times(result.verified_timestamps()),
                    transparency_log_verified: result.tlog_verified(),
                    certificate_claims: None,
                })
            }
        }
    }
}

fn times(timestamps: &[impl ToString]) -> Vec<String> {
    timestamps.iter().map(ToString::to_string).collect()
}

//! Verifying a model against its signature: the signature over the DSSE envelope, the signer
//! (key, certificate chain, or Sigstore identity), the statement, then the model itself
//! re-hashed with the recorded serialisation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::payload::{PREDICATE_TYPE, PayloadError, SignedManifest, parse_statement};
use super::serialization::{HashingOptions, Resource, SerializeError, hash_model, root_digest};
use super::signature::{ModelSignature, SignatureFileError, Signer, public_key_hint};
use super::x509::{
    CertificateError, ParsedCertificate, SignatureHash, verify_path, verify_raw_signature,
};
use crate::dsse::pae;
use crate::intoto::PAYLOAD_TYPE;
use crate::keys::{KeyError, PublicKey, PublicKeyKind};
use crate::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreError, SigstoreVerifier, VerifiedSigner,
};

/// Why a model did not verify.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    SignatureFile {
        path: PathBuf,
        #[source]
        source: SignatureFileError,
    },
    #[error("the signature is by a {found}, but verification was asked with a {expected}")]
    SignerKind {
        expected: &'static str,
        found: &'static str,
    },
    #[error(
        "the signature names public key {found} but the given key is {expected} (hex SHA-256 of its PEM)"
    )]
    KeyHint { expected: String, found: String },
    #[error("cannot use the key: {0}")]
    Key(#[source] KeyError),
    #[error("the DSSE signature does not verify with {signer}")]
    BadSignature { signer: String },
    #[error("the certificate chain is not trusted: {0}")]
    Certificate(#[from] CertificateError),
    #[error("the Sigstore signature is rejected: {0}")]
    Sigstore(#[from] SigstoreError),
    #[error("the signed statement has no SHA-256 subject for the Sigstore signature to cover")]
    NoSubject,
    #[error("the DSSE payloadType is `{0}`, not `{PAYLOAD_TYPE}`")]
    PayloadType(String),
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error("cannot hash the model: {0}")]
    Serialize(#[from] SerializeError),
    #[error("the model does not match its signature: {}", describe_mismatches(.0))]
    Mismatch(Vec<Mismatch>),
}

/// One way the model on disk differs from what was signed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Mismatch {
    /// The resource's bytes changed.
    Modified {
        resource: String,
        expected: String,
        actual: String,
    },
    /// A signed resource is gone.
    Missing { resource: String },
    /// A resource that was not signed (and is not ignored) is present.
    Extra { resource: String },
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Modified {
                resource,
                expected,
                actual,
            } => write!(
                formatter,
                "`{resource}` was modified (signed digest {expected}, now {actual})"
            ),
            Self::Missing { resource } => write!(formatter, "`{resource}` is missing"),
            Self::Extra { resource } => write!(formatter, "`{resource}` was not signed"),
        }
    }
}

fn describe_mismatches(mismatches: &[Mismatch]) -> String {
    mismatches
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Who must have signed.
#[derive(Debug)]
pub enum Verifier {
    /// The signature must verify with this key; the bundle's hint, when present, must name it.
    Key(PublicKey),
    /// The bundle's leaf certificate must chain (through the bundle's other certificates) to
    /// one of these, checked as of the leaf's `notBefore` as model_signing does. A private
    /// PKI: no transparency log, no timestamps.
    CertificateChain(Vec<Vec<u8>>),
    /// A Fulcio certificate whose identity and OIDC issuer satisfy `policy`, with every check
    /// `verifier` makes of a Sigstore bundle: the chain at each verified time, the SCTs, the
    /// transparency-log entries (SET, inclusion proof, checkpoint, body) and RFC 3161
    /// timestamps. (Boxed: the prepared trusted root is large.)
    Sigstore {
        policy: IdentityPolicy,
        verifier: Box<SigstoreVerifier>,
    },
}

impl Verifier {
    fn describe(&self) -> &'static str {
        match self {
            Self::Key(_) => "public key",
            Self::CertificateChain(_) | Self::Sigstore { .. } => "certificate",
        }
    }
}

/// What a successful verification established.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    pub predicate_type: &'static str,
    pub model_name: Option<String>,
    pub method: &'static str,
    pub hash_type: &'static str,
    /// Resources checked (files, or shards).
    pub resources: usize,
    /// Who signed: the key hint, the leaf certificate's subject, or the Sigstore identity.
    pub signer: String,
    /// Authenticated signing times, RFC 3339 (RFC 3161 timestamps and SET-backed log
    /// integration times); empty for keys and certificate chains, which carry none.
    pub verified_times: Vec<String>,
    /// Whether a transparency-log entry was verified (only `sigstore` signatures have one).
    pub transparency_log_verified: bool,
}

/// The signer of a verified signature, and the evidence that came with it.
struct Attribution {
    signer: String,
    verified_times: Vec<String>,
    transparency_log_verified: bool,
}

impl Attribution {
    /// A key or a private certificate chain: the signature is all the evidence.
    fn signature_only(signer: String) -> Self {
        Self {
            signer,
            verified_times: Vec::new(),
            transparency_log_verified: false,
        }
    }
}

/// Checks the bundle's signature and signer, and returns the statement it vouches for.
/// `bundle_json` is the file `signature` was read from; a Sigstore verification reads it whole.
fn verify_signature(
    bundle_json: &[u8],
    signature: &ModelSignature,
    verifier: &Verifier,
) -> Result<(SignedManifest, Attribution), VerifyError> {
    let attribution = match (verifier, &signature.signer) {
        (Verifier::Key(key), Signer::PublicKey { hint }) => {
            let expected = public_key_hint(key).map_err(VerifyError::Key)?;
            // Bundles from before model_signing v1.0 carry no hint.
            if !hint.is_empty() && !hint.eq_ignore_ascii_case(&expected) {
                return Err(VerifyError::KeyHint {
                    expected,
                    found: hint.clone(),
                });
            }
            check_envelope_signature(signature, key.spki_der(), key.kind(), || {
                format!("the public key {expected}")
            })?;
            Attribution::signature_only(format!("public key {expected}"))
        }
        (Verifier::CertificateChain(anchors), Signer::Certificates(chain)) => {
            let (leaf, intermediates) = parse_chain(chain)?;
            let anchors = anchors
                .iter()
                .map(|der| ParsedCertificate::from_der(der, "a trusted certificate"))
                .collect::<Result<Vec<_>, _>>()?;
            verify_path(&leaf, &intermediates, &anchors, leaf.not_before())?;
            leaf.check_can_sign()?;
            Attribution::signature_only(verify_with_certificate(signature, &leaf)?)
        }
        (Verifier::Sigstore { policy, verifier }, Signer::Certificates(_)) => {
            check_payload_type(signature)?;
            let signed = parse_statement(&signature.payload)?;
            let attribution = verify_sigstore(bundle_json, &signed, policy, verifier)?;
            return Ok((signed, attribution));
        }
        (_, found) => {
            return Err(VerifyError::SignerKind {
                expected: verifier.describe(),
                found: match found {
                    Signer::PublicKey { .. } => "public key",
                    Signer::Certificates(_) => "certificate",
                },
            });
        }
    };
    check_payload_type(signature)?;
    Ok((parse_statement(&signature.payload)?, attribution))
}

fn check_payload_type(signature: &ModelSignature) -> Result<(), VerifyError> {
    if signature.payload_type == PAYLOAD_TYPE {
        Ok(())
    } else {
        Err(VerifyError::PayloadType(signature.payload_type.clone()))
    }
}

/// Verifies a Sigstore bundle as a whole. The artifact it must cover is a subject of the
/// statement `signed` was read from: for v1.0 the root digest of the resources (which
/// [`parse_statement`] checked equals the subject), for v0.2 the first file's digest.
///
/// The payload was read before it was verified because the artifact digest comes from it;
/// nothing of it is returned unless the bundle verifies. [`ModelSignature::from_json`]
/// rejects duplicate members, so the payload it read is the only one the verifier can see.
fn verify_sigstore(
    bundle_json: &[u8],
    signed: &SignedManifest,
    policy: &IdentityPolicy,
    verifier: &SigstoreVerifier,
) -> Result<Attribution, VerifyError> {
    let subject = if signed.predicate_type == PREDICATE_TYPE {
        Some(root_digest(
            signed
                .resources
                .iter()
                .map(|resource| resource.digest.as_slice()),
        ))
    } else {
        signed
            .resources
            .first()
            .and_then(|resource| <[u8; 32]>::try_from(resource.digest.as_slice()).ok())
    };
    let subject = subject.ok_or(VerifyError::NoSubject)?;
    let verified = verifier.verify(
        ArtifactInput::Sha256(subject),
        bundle_json,
        &Requirement::Identity(policy.clone()),
    )?;
    let signer = match verified.signer {
        VerifiedSigner::Certificate { identity, issuer } => {
            format!("Sigstore certificate for {identity} (OIDC issuer {issuer})")
        }
        // An identity requirement admits only certificates; named all the same if not.
        VerifiedSigner::Key { fingerprint } => format!("public key {fingerprint}"),
    };
    Ok(Attribution {
        signer,
        verified_times: verified.verified_times,
        transparency_log_verified: verified.transparency_log_verified,
    })
}

fn parse_chain(
    chain: &[Vec<u8>],
) -> Result<(ParsedCertificate, Vec<ParsedCertificate>), CertificateError> {
    let mut parsed = chain
        .iter()
        .enumerate()
        .map(|(index, der)| {
            ParsedCertificate::from_der(der, &format!("bundle certificate {index}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if parsed.is_empty() {
        return Err(CertificateError::Parse {
            what: "the bundle".to_owned(),
            reason: "it holds no certificate".to_owned(),
        });
    }
    let leaf = parsed.remove(0);
    Ok((leaf, parsed))
}

fn verify_with_certificate(
    signature: &ModelSignature,
    leaf: &ParsedCertificate,
) -> Result<String, VerifyError> {
    let spki = leaf.spki_der()?;
    let key = PublicKey::from_spki_der(&spki).map_err(VerifyError::Key)?;
    let describe = || format!("certificate `{}`", leaf.subject());
    check_envelope_signature(signature, &spki, key.kind(), describe)?;
    Ok(describe())
}

/// Verifies the one DSSE signature: over the standard PAE with the key's own hash, or, for
/// model_signing v0.2 signatures, over its flawed PAE with SHA-256.
fn check_envelope_signature(
    signature: &ModelSignature,
    spki: &[u8],
    kind: PublicKeyKind,
    describe_signer: impl FnOnce() -> String,
) -> Result<(), VerifyError> {
    let standard_hash = match kind {
        PublicKeyKind::EcdsaP256 | PublicKeyKind::Rsa => SignatureHash::Sha256,
        PublicKeyKind::EcdsaP384 => SignatureHash::Sha384,
        PublicKeyKind::EcdsaP521 => SignatureHash::Sha512,
        PublicKeyKind::Ed25519 => SignatureHash::None,
    };
    let standard = pae(&signature.payload_type, &signature.payload);
    let verified = verify_raw_signature(spki, standard_hash, &standard, &signature.signature)
        .is_ok()
        || (kind != PublicKeyKind::Ed25519
            && verify_raw_signature(
                spki,
                SignatureHash::Sha256,
                &pae_v0_2(&signature.payload_type, &signature.payload),
                &signature.signature,
            )
            .is_ok());
    if verified {
        Ok(())
    } else {
        Err(VerifyError::BadSignature {
            signer: describe_signer(),
        })
    }
}

/// The PAE model_signing v0.2 signed: `DSSEV1` (capital V), and the payload written as a
/// Python `bytes` literal (`b'...'`) instead of the bytes themselves.
fn pae_v0_2(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut encoded = format!(
        "DSSEV1 {} {payload_type} {} ",
        payload_type.len(),
        payload.len()
    );
    encoded.push_str(&python_bytes_repr(payload));
    encoded.into_bytes()
}

/// `repr(bytes)` in Python: single quotes unless the bytes hold `'` and no `"`.
fn python_bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut text = String::with_capacity(bytes.len() + 3);
    text.push('b');
    text.push(quote);
    for &byte in bytes {
        match byte {
            b'\\' => text.push_str("\\\\"),
            b'\t' => text.push_str("\\t"),
            b'\n' => text.push_str("\\n"),
            b'\r' => text.push_str("\\r"),
            _ if char::from(byte) == quote => {
                text.push('\\');
                text.push(quote);
            }
            0x20..=0x7e => text.push(char::from(byte)),
            _ => text.push_str(&format!("\\x{byte:02x}")),
        }
    }
    text.push(quote);
    text
}

/// Options for [`verify_model`].
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// More paths (relative to the model) to leave out, beyond those the signature records,
    /// the git paths and the signature file.
    pub ignore_paths: Vec<String>,
}

/// Verifies the model at `model_path` against the signature file at `signature_path`.
pub fn verify_model(
    model_path: &Path,
    signature_path: &Path,
    verifier: &Verifier,
    options: &VerifyOptions,
) -> Result<Verified, VerifyError> {
    let bytes = std::fs::read(signature_path).map_err(|source| VerifyError::Io {
        path: signature_path.to_path_buf(),
        source,
    })?;
    let signature =
        ModelSignature::from_json(&bytes).map_err(|source| VerifyError::SignatureFile {
            path: signature_path.to_path_buf(),
            source,
        })?;
    let (signed, attribution) = verify_signature(&bytes, &signature, verifier)?;
    let mut ignore_paths = signed.serialization.ignore_paths.clone();
    ignore_paths.extend(options.ignore_paths.iter().cloned());
    ignore_paths.extend(super::path_in_model(model_path, signature_path));
    let actual = hash_model(
        model_path,
        &HashingOptions {
            method: signed.serialization.method,
            hash: signed.serialization.hash,
            allow_symlinks: signed.serialization.allow_symlinks,
            ignore_paths,
            ignore_git_paths: true,
        },
    )?;
    let mismatches = compare(&signed.resources, &actual.resources);
    if !mismatches.is_empty() {
        return Err(VerifyError::Mismatch(mismatches));
    }
    Ok(Verified {
        predicate_type: signed.predicate_type,
        model_name: signed.model_name,
        method: signed.serialization.method.name(),
        hash_type: signed.serialization.hash.name(),
        resources: signed.resources.len(),
        signer: attribution.signer,
        verified_times: attribution.verified_times,
        transparency_log_verified: attribution.transparency_log_verified,
    })
}

/// Every difference between the signed and the actual resources, in name order.
fn compare(signed: &[Resource], actual: &[Resource]) -> Vec<Mismatch> {
    let signed: BTreeMap<String, &[u8]> = signed
        .iter()
        .map(|resource| (resource.name(), resource.digest.as_slice()))
        .collect();
    let actual: BTreeMap<String, &[u8]> = actual
        .iter()
        .map(|resource| (resource.name(), resource.digest.as_slice()))
        .collect();
    let mut mismatches = Vec::new();
    for (name, expected) in &signed {
        match actual.get(name) {
            None => mismatches.push(Mismatch::Missing {
                resource: name.clone(),
            }),
            Some(found) if found != expected => mismatches.push(Mismatch::Modified {
                resource: name.clone(),
                expected: hex::encode(expected),
                actual: hex::encode(found),
            }),
            Some(_) => {}
        }
    }
    for name in actual.keys() {
        if !signed.contains_key(name) {
            mismatches.push(Mismatch::Extra {
                resource: name.clone(),
            });
        }
    }
    mismatches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_bytes_repr_escapes_as_python_does() {
        assert_eq!(
            python_bytes_repr(b"{\n  \"a\": 1\t}"),
            r#"b'{\n  "a": 1\t}'"#
        );
        assert_eq!(python_bytes_repr(b"it's"), r#"b"it's""#);
        assert_eq!(
            python_bytes_repr(b"'\"\\\x00\x7f\xff"),
            r#"b'\'"\\\x00\x7f\xff'"#
        );
    }

    #[test]
    fn comparison_names_modified_missing_and_extra_resources() {
        let resource = |path: &str, digest: u8| Resource {
            path: path.to_owned(),
            shard: None,
            digest: vec![digest],
        };
        let mismatches = compare(
            &[resource("a", 1), resource("b", 2)],
            &[resource("a", 3), resource("c", 4)],
        );
        assert_eq!(
            mismatches,
            [
                Mismatch::Modified {
                    resource: "a".to_owned(),
                    expected: "01".to_owned(),
                    actual: "03".to_owned(),
                },
                Mismatch::Missing {
                    resource: "b".to_owned()
                },
                Mismatch::Extra {
                    resource: "c".to_owned()
                },
            ]
        );
    }
}

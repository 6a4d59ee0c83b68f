//! Verifying a model against its signature: the signature over the DSSE envelope, the signer
//! (key, certificate chain, or Sigstore identity), the statement, then the model itself
//! re-hashed with the recorded serialisation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::payload::{PayloadError, SignedManifest, parse_statement};
use super::serialization::{HashingOptions, Resource, SerializeError, hash_model};
use super::signature::{ModelSignature, SignatureFileError, Signer, public_key_hint};
use super::x509::{
    CertificateError, ParsedCertificate, SignatureHash, describe_time, verify_path,
    verify_raw_signature,
};
use crate::dsse::pae;
use crate::encoding::base64_bytes;
use crate::intoto::PAYLOAD_TYPE;
use crate::keys::{KeyError, PublicKey, PublicKeyKind};

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
    #[error("{path}: {source}")]
    TrustedRoot {
        path: PathBuf,
        #[source]
        source: TrustedRootError,
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
    #[error("the certificate identities {found:?} do not include `{expected}`")]
    Identity {
        expected: String,
        found: Vec<String>,
    },
    #[error(
        "the certificate's OIDC issuer is {}, not `{expected}`",
        found.as_deref().map_or_else(|| "absent".to_owned(), |found| format!("`{found}`"))
    )]
    Issuer {
        expected: String,
        found: Option<String>,
    },
    #[error("a Sigstore signature needs at least one transparency-log entry; the bundle has none")]
    NoTransparencyLogEntry,
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

/// Why a Sigstore trusted root could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TrustedRootError {
    #[error("not a Sigstore trusted root: {0}")]
    Json(#[from] serde_json::Error),
    #[error("certificateAuthorities[{index}]: {reason}")]
    Authority { index: usize, reason: String },
}

/// A Fulcio certificate authority of a trusted root.
#[derive(Debug, Clone)]
struct CertificateAuthority {
    /// The chain, the trust anchor last.
    chain: Vec<ParsedCertificate>,
    valid_from: u64,
    valid_until: Option<u64>,
}

/// The certificate authorities of a Sigstore `trusted_root.json`.
#[derive(Debug, Clone)]
pub struct FulcioRoots {
    authorities: Vec<CertificateAuthority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireTrustedRoot {
    #[serde(default)]
    certificate_authorities: Vec<WireAuthority>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireAuthority {
    cert_chain: WireChain,
    valid_for: WireValidity,
}

#[derive(Deserialize)]
struct WireChain {
    certificates: Vec<WireCertificate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCertificate {
    #[serde(with = "base64_bytes")]
    raw_bytes: Vec<u8>,
}

#[derive(Deserialize)]
struct WireValidity {
    start: String,
    end: Option<String>,
}

impl FulcioRoots {
    pub fn from_json(json: &[u8]) -> Result<Self, TrustedRootError> {
        let wire: WireTrustedRoot = serde_json::from_slice(json)?;
        let authorities = wire
            .certificate_authorities
            .into_iter()
            .enumerate()
            .map(|(index, authority)| {
                let error = |reason: String| TrustedRootError::Authority { index, reason };
                let chain = authority
                    .cert_chain
                    .certificates
                    .iter()
                    .map(|certificate| {
                        ParsedCertificate::from_der(&certificate.raw_bytes, "a CA certificate")
                            .map_err(|parse| error(parse.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                if chain.is_empty() {
                    return Err(error("certChain has no certificates".to_owned()));
                }
                let valid_from = parse_time(&authority.valid_for.start).map_err(error)?;
                let valid_until = authority
                    .valid_for
                    .end
                    .as_deref()
                    .map(parse_time)
                    .transpose()
                    .map_err(error)?;
                Ok(CertificateAuthority {
                    chain,
                    valid_from,
                    valid_until,
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { authorities })
    }
}

fn parse_time(text: &str) -> Result<u64, String> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|time| u64::try_from(time.unix_timestamp()).ok())
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 time after 1970"))
}

/// Who must have signed.
#[derive(Debug, Clone)]
pub enum Verifier {
    /// The signature must verify with this key; the bundle's hint, when present, must name it.
    Key(PublicKey),
    /// The bundle's leaf certificate must chain (through the bundle's other certificates) to
    /// one of these, checked as of the leaf's `notBefore` as model_signing does.
    CertificateChain(Vec<Vec<u8>>),
    /// A Fulcio certificate for `identity` from `issuer`, chaining to `roots`.
    Sigstore {
        identity: String,
        issuer: String,
        roots: FulcioRoots,
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
    /// Who signed: the key hint, or the leaf certificate's subject and identities.
    pub signer: String,
    /// Checks the method leaves to others: for `sigstore`, the transparency log and
    /// timestamps (so the time the certificate is checked at is the log's unverified
    /// `integratedTime`); empty for keys and certificate chains.
    pub unchecked: Vec<&'static str>,
}

/// What [`Verifier::Sigstore`] does not verify.
const SIGSTORE_UNCHECKED: [&str; 3] = [
    "transparency-log inclusion promise, inclusion proof and checkpoint (integratedTime is taken as is)",
    "signed certificate timestamps",
    "RFC 3161 timestamps",
];

/// Checks the bundle's signature and signer, and returns the statement it vouches for.
pub fn verify_signature(
    signature: &ModelSignature,
    verifier: &Verifier,
) -> Result<(SignedManifest, String), VerifyError> {
    let signer = match (verifier, &signature.signer) {
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
            format!("public key {expected}")
        }
        (Verifier::CertificateChain(anchors), Signer::Certificates(chain)) => {
            let (leaf, intermediates) = parse_chain(chain)?;
            let anchors = anchors
                .iter()
                .map(|der| ParsedCertificate::from_der(der, "a trusted certificate"))
                .collect::<Result<Vec<_>, _>>()?;
            verify_path(&leaf, &intermediates, &anchors, leaf.not_before())?;
            leaf.check_can_sign()?;
            verify_with_certificate(signature, &leaf)?
        }
        (
            Verifier::Sigstore {
                identity,
                issuer,
                roots,
            },
            Signer::Certificates(chain),
        ) => {
            let (leaf, _) = parse_chain(chain)?;
            verify_sigstore_certificate(signature, &leaf, identity, issuer, roots)?;
            verify_with_certificate(signature, &leaf)?
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
    if signature.payload_type != PAYLOAD_TYPE {
        return Err(VerifyError::PayloadType(signature.payload_type.clone()));
    }
    Ok((parse_statement(&signature.payload)?, signer))
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
    let subject = leaf.subject();
    let identities = leaf.identities();
    let describe = || match (subject.is_empty(), identities.is_empty()) {
        (_, true) => format!("certificate `{subject}`"),
        (true, false) => format!("certificate for {}", identities.join(", ")),
        (false, false) => format!("certificate `{subject}` ({})", identities.join(", ")),
    };
    check_envelope_signature(signature, &spki, key.kind(), describe)?;
    Ok(describe())
}

/// The checks of the `sigstore` method that need no transparency log: identity, issuer, and a
/// path to a Fulcio CA of the trusted root, all as of each entry's `integratedTime`.
fn verify_sigstore_certificate(
    signature: &ModelSignature,
    leaf: &ParsedCertificate,
    identity: &str,
    issuer: &str,
    roots: &FulcioRoots,
) -> Result<(), VerifyError> {
    let identities = leaf.identities();
    if !identities.iter().any(|found| found == identity) {
        return Err(VerifyError::Identity {
            expected: identity.to_owned(),
            found: identities,
        });
    }
    let found_issuer = leaf.fulcio_issuer();
    if found_issuer.as_deref() != Some(issuer) {
        return Err(VerifyError::Issuer {
            expected: issuer.to_owned(),
            found: found_issuer,
        });
    }
    leaf.check_can_sign()?;
    if signature.tlog_entries.is_empty() {
        return Err(VerifyError::NoTransparencyLogEntry);
    }
    for entry in &signature.tlog_entries {
        let time = u64::try_from(entry.integrated_time).unwrap_or_default();
        let mut last_error = None;
        let trusted = roots
            .authorities
            .iter()
            .filter(|authority| {
                authority.valid_from <= time
                    && authority.valid_until.is_none_or(|until| time <= until)
            })
            .any(|authority| {
                let Some((anchor, intermediates)) = authority.chain.split_last() else {
                    return false;
                };
                match verify_path(leaf, intermediates, std::slice::from_ref(anchor), time) {
                    Ok(()) => true,
                    Err(error) => {
                        last_error = Some(error);
                        false
                    }
                }
            });
        if !trusted {
            return Err(VerifyError::Certificate(last_error.unwrap_or_else(|| {
                CertificateError::Untrusted {
                    subject: leaf.subject(),
                    reason: format!(
                        "no Fulcio CA of the trusted root is valid at {}",
                        describe_time(time)
                    ),
                }
            })));
        }
    }
    Ok(())
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
    let (signed, signer) = verify_signature(&signature, verifier)?;
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
        signer,
        unchecked: match verifier {
            Verifier::Sigstore { .. } => SIGSTORE_UNCHECKED.to_vec(),
            Verifier::Key(_) | Verifier::CertificateChain(_) => Vec::new(),
        },
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

//! X.509 for the `certificate` method, a private PKI with no Sigstore: signature checks with any
//! hash/curve pairing a certificate or an old signer used, and path building from a leaf to a
//! trust anchor at a given time. Fulcio certificates (the `sigstore` method) are verified by
//! [`crate::sigstore`] instead, with their transparency-log and timestamp evidence.
//!
//! Path validation follows what model_signing's verifier (OpenSSL) checks: each certificate
//! signed by the next, all valid at the given time, issuers are CAs (basicConstraints) allowed
//! to sign certificates (keyUsage, when present), names chain. Name constraints, policies and
//! revocation are not checked; neither does model_signing check them.

use aws_lc_rs::signature::{self as lc, VerificationAlgorithm};
use der::asn1::ObjectIdentifier;
use der::{Decode as _, Encode as _};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage};

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_SHA256_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
const OID_SHA384_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
const OID_SHA512_WITH_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
const OID_ECDSA_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");
const OID_ECDSA_SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.3");
const OID_ECDSA_SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.4");
const OID_CODE_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3");

/// Chains longer than this are refused rather than searched.
const MAX_PATH_LENGTH: usize = 8;

/// Why a certificate or a chain was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertificateError {
    #[error("{what} is not a valid X.509 certificate: {reason}")]
    Parse { what: String, reason: String },
    #[error("no path from `{subject}` to a trusted certificate: {reason}")]
    Untrusted { subject: String, reason: String },
    #[error("the signing certificate `{subject}` allows neither digitalSignature nor codeSigning")]
    NotForSigning { subject: String },
    #[error("unsupported signature: {0}")]
    UnsupportedAlgorithm(String),
}

/// The hash a signature was computed with, for pairings [`crate::keys::PublicKey`] does not
/// take (a P-384 key over SHA-256, as model_signing v0.2 and some CAs sign).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignatureHash {
    Sha256,
    Sha384,
    Sha512,
    /// Ed25519 signs the message itself.
    None,
}

/// A parsed certificate.
#[derive(Debug, Clone)]
pub(crate) struct ParsedCertificate {
    certificate: Certificate,
}

/// The DER of every certificate in PEM text (text between blocks is skipped), for
/// [`super::Verifier::CertificateChain`]. `what` names the source in errors.
pub fn certificates_from_pem(pem: &[u8], what: &str) -> Result<Vec<Vec<u8>>, CertificateError> {
    let parse_error = |reason: String| CertificateError::Parse {
        what: what.to_owned(),
        reason,
    };
    let certificates =
        Certificate::load_pem_chain(pem).map_err(|error| parse_error(error.to_string()))?;
    if certificates.is_empty() {
        return Err(parse_error("no CERTIFICATE block".to_owned()));
    }
    certificates
        .iter()
        .map(|certificate| {
            certificate
                .to_der()
                .map_err(|error| parse_error(error.to_string()))
        })
        .collect()
}

impl ParsedCertificate {
    pub(crate) fn from_der(der: &[u8], what: &str) -> Result<Self, CertificateError> {
        let certificate = Certificate::from_der(der).map_err(|error| CertificateError::Parse {
            what: what.to_owned(),
            reason: error.to_string(),
        })?;
        Ok(Self { certificate })
    }

    pub(crate) fn subject(&self) -> String {
        self.certificate.tbs_certificate().subject().to_string()
    }

    /// `notBefore` in seconds since the Unix epoch.
    pub(crate) fn not_before(&self) -> u64 {
        self.certificate
            .tbs_certificate()
            .validity()
            .not_before
            .to_unix_duration()
            .as_secs()
    }

    fn valid_at(&self, time: u64) -> bool {
        let validity = self.certificate.tbs_certificate().validity();
        validity.not_before.to_unix_duration().as_secs() <= time
            && time <= validity.not_after.to_unix_duration().as_secs()
    }

    pub(crate) fn spki_der(&self) -> Result<Vec<u8>, CertificateError> {
        self.certificate
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|error| CertificateError::Parse {
                what: self.subject(),
                reason: error.to_string(),
            })
    }

    fn extension<'a, T>(&'a self) -> Option<T>
    where
        T: der::Decode<'a, Error = der::Error> + der::oid::AssociatedOid,
    {
        self.certificate
            .tbs_certificate()
            .get_extension::<T>()
            .ok()
            .flatten()
            .map(|(_, extension)| extension)
    }

    fn is_ca(&self) -> bool {
        let basic = self
            .extension::<BasicConstraints>()
            .is_some_and(|constraints| constraints.ca);
        let usage = self
            .extension::<KeyUsage>()
            .is_none_or(|usage| usage.key_cert_sign());
        basic && usage
    }

    /// model_signing's rule for the signing certificate: keyUsage digitalSignature, or else
    /// extendedKeyUsage codeSigning.
    pub(crate) fn check_can_sign(&self) -> Result<(), CertificateError> {
        let digital_signature = self
            .extension::<KeyUsage>()
            .is_some_and(|usage| usage.digital_signature());
        let code_signing = self
            .extension::<ExtendedKeyUsage>()
            .is_some_and(|usage| usage.0.contains(&OID_CODE_SIGNING));
        if digital_signature || code_signing {
            Ok(())
        } else {
            Err(CertificateError::NotForSigning {
                subject: self.subject(),
            })
        }
    }

    /// Whether `issuer`'s key signed this certificate.
    fn signed_by(&self, issuer: &Self) -> Result<(), String> {
        let algorithm = &self.certificate.signature_algorithm().oid;
        let hash = match *algorithm {
            OID_SHA256_WITH_RSA | OID_ECDSA_SHA256 => SignatureHash::Sha256,
            OID_SHA384_WITH_RSA | OID_ECDSA_SHA384 => SignatureHash::Sha384,
            OID_SHA512_WITH_RSA | OID_ECDSA_SHA512 => SignatureHash::Sha512,
            OID_ED25519 => SignatureHash::None,
            other => return Err(format!("signature algorithm {other} is not supported")),
        };
        let signature = self
            .certificate
            .signature()
            .as_bytes()
            .ok_or("the signature BIT STRING has unused bits")?;
        let tbs = self
            .certificate
            .tbs_certificate()
            .to_der()
            .map_err(|error| error.to_string())?;
        let key = issuer.spki_der().map_err(|error| error.to_string())?;
        verify_raw_signature(&key, hash, &tbs, signature).map_err(|error| error.to_string())
    }
}

/// Verifies `signature` over `message` with the DER SubjectPublicKeyInfo `spki`, hashing with
/// `hash` whatever the key's size.
pub(crate) fn verify_raw_signature(
    spki: &[u8],
    hash: SignatureHash,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CertificateError> {
    let info = spki::SubjectPublicKeyInfoRef::from_der(spki)
        .map_err(|error| CertificateError::UnsupportedAlgorithm(error.to_string()))?;
    let key_bits = info.subject_public_key.as_bytes().ok_or_else(|| {
        CertificateError::UnsupportedAlgorithm("the public key has unused bits".to_owned())
    })?;
    let oid = info.algorithm.oid;
    let curve = info.algorithm.parameters_oid().ok();
    let algorithm: &'static dyn VerificationAlgorithm = match (oid, curve, hash) {
        (OID_EC_PUBLIC_KEY, Some(OID_P256), SignatureHash::Sha256) => &lc::ECDSA_P256_SHA256_ASN1,
        (OID_EC_PUBLIC_KEY, Some(OID_P256), SignatureHash::Sha384) => &lc::ECDSA_P256_SHA384_ASN1,
        (OID_EC_PUBLIC_KEY, Some(OID_P384), SignatureHash::Sha256) => &lc::ECDSA_P384_SHA256_ASN1,
        (OID_EC_PUBLIC_KEY, Some(OID_P384), SignatureHash::Sha384) => &lc::ECDSA_P384_SHA384_ASN1,
        (OID_EC_PUBLIC_KEY, Some(OID_P521), SignatureHash::Sha512) => &lc::ECDSA_P521_SHA512_ASN1,
        (OID_RSA_ENCRYPTION, _, SignatureHash::Sha256) => &lc::RSA_PKCS1_2048_8192_SHA256,
        (OID_RSA_ENCRYPTION, _, SignatureHash::Sha384) => &lc::RSA_PKCS1_2048_8192_SHA384,
        (OID_RSA_ENCRYPTION, _, SignatureHash::Sha512) => &lc::RSA_PKCS1_2048_8192_SHA512,
        (OID_ED25519, _, SignatureHash::None) => &lc::ED25519,
        _ => {
            return Err(CertificateError::UnsupportedAlgorithm(format!(
                "key {oid} (curve {curve:?}) with hash {hash:?}"
            )));
        }
    };
    lc::UnparsedPublicKey::new(algorithm, key_bits)
        .verify(message, signature)
        .map_err(|_| {
            CertificateError::UnsupportedAlgorithm("the signature does not verify".to_owned())
        })
}

/// Finds a path from `leaf` through `intermediates` to one of `anchors`, every certificate
/// valid at `time` (seconds since the Unix epoch).
pub(crate) fn verify_path(
    leaf: &ParsedCertificate,
    intermediates: &[ParsedCertificate],
    anchors: &[ParsedCertificate],
    time: u64,
) -> Result<(), CertificateError> {
    let untrusted = |reason: String| CertificateError::Untrusted {
        subject: leaf.subject(),
        reason,
    };
    if !leaf.valid_at(time) {
        return Err(untrusted(format!(
            "it is not valid at {}",
            describe_time(time)
        )));
    }
    let mut used = Vec::new();
    extend_path(leaf, intermediates, anchors, time, &mut used).map_err(untrusted)
}

fn extend_path(
    current: &ParsedCertificate,
    intermediates: &[ParsedCertificate],
    anchors: &[ParsedCertificate],
    time: u64,
    used: &mut Vec<usize>,
) -> Result<(), String> {
    let mut reason = format!(
        "no certificate named `{}` issued `{}`",
        current.certificate.tbs_certificate().issuer(),
        current.subject()
    );
    for anchor in anchors {
        match issued(current, anchor, time) {
            Candidate::Accepted => return Ok(()),
            Candidate::Rejected(problem) => reason = problem,
            Candidate::NotIssuer => {}
        }
    }
    if used.len() >= MAX_PATH_LENGTH {
        return Err(format!(
            "the path is longer than {MAX_PATH_LENGTH} certificates"
        ));
    }
    for (index, intermediate) in intermediates.iter().enumerate() {
        if used.contains(&index) {
            continue;
        }
        match issued(current, intermediate, time) {
            Candidate::Accepted => {
                used.push(index);
                match extend_path(intermediate, intermediates, anchors, time, used) {
                    Ok(()) => return Ok(()),
                    Err(problem) => reason = problem,
                }
                used.pop();
            }
            Candidate::Rejected(problem) => reason = problem,
            Candidate::NotIssuer => {}
        }
    }
    Err(reason)
}

/// Whether `candidate` can be the issuer of `certificate`.
enum Candidate {
    /// Its subject is not the certificate's issuer name.
    NotIssuer,
    /// It has the right name but cannot have issued the certificate at that time.
    Rejected(String),
    Accepted,
}

fn issued(certificate: &ParsedCertificate, candidate: &ParsedCertificate, time: u64) -> Candidate {
    if candidate.certificate.tbs_certificate().subject()
        != certificate.certificate.tbs_certificate().issuer()
    {
        return Candidate::NotIssuer;
    }
    if !candidate.valid_at(time) {
        return Candidate::Rejected(format!(
            "`{}` is not valid at {}",
            candidate.subject(),
            describe_time(time)
        ));
    }
    if !candidate.is_ca() {
        return Candidate::Rejected(format!(
            "`{}` is not a CA allowed to sign certificates",
            candidate.subject()
        ));
    }
    match certificate.signed_by(candidate) {
        Ok(()) => Candidate::Accepted,
        Err(error) => Candidate::Rejected(format!(
            "`{}` did not sign `{}`: {error}",
            candidate.subject(),
            certificate.subject()
        )),
    }
}

fn describe_time(seconds: u64) -> String {
    i64::try_from(seconds)
        .ok()
        .and_then(|seconds| time::OffsetDateTime::from_unix_timestamp(seconds).ok())
        .and_then(|time| {
            time.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| format!("{seconds} s after the epoch"))
}

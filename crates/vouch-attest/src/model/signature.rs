//! Model signature files: Sigstore bundles as model_signing writes them.
//!
//! model_signing departs from the bundle rules that [`crate::bundle::Bundle`] enforces: its
//! `certificate` method writes a v0.3 bundle with an `x509CertificateChain`, and v0.2 wrote
//! `"keyid": null`. This reader accepts both and takes out what the key and certificate
//! methods check themselves; a `sigstore` bundle is verified whole by [`crate::sigstore`], its
//! transparency-log entries and timestamps included. What the signature covers is checked by
//! [`super::verify`].

use serde::Deserialize;

use crate::bundle::MEDIA_TYPE_V0_3;
use crate::encoding::base64_bytes;
use crate::keys::PublicKey;

/// The bundle media type model_signing writes and requires.
pub const MEDIA_TYPE: &str = MEDIA_TYPE_V0_3;

/// Why a signature file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SignatureFileError {
    #[error("not a model signature bundle: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the bundle mediaType is `{0}`; model signatures are `{MEDIA_TYPE}`")]
    MediaType(String),
    #[error(
        "verificationMaterial holds {0}; exactly one of publicKey, x509CertificateChain, certificate is required"
    )]
    Material(&'static str),
    #[error("x509CertificateChain has no certificates")]
    EmptyChain,
    #[error("the bundle has no dsseEnvelope; model signatures are DSSE envelopes")]
    NoEnvelope,
    #[error("the dsseEnvelope has {0} signatures; a model signature has exactly one")]
    SignatureCount(usize),
    #[error("cannot write the bundle: {0}")]
    Write(#[source] crate::bundle::BundleError),
}

/// Who signed, as the bundle says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signer {
    /// `publicKey.hint`: hex SHA-256 of the signer's PEM public key (empty before v1.0).
    PublicKey { hint: String },
    /// DER certificates, leaf first: `x509CertificateChain`, or a lone `certificate`.
    Certificates(Vec<Vec<u8>>),
}

/// A parsed model signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSignature {
    pub signer: Signer,
    pub payload_type: String,
    pub payload: Vec<u8>,
    /// The one DSSE signature.
    pub signature: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    media_type: String,
    verification_material: WireMaterial,
    dsse_envelope: Option<WireEnvelope>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireMaterial {
    public_key: Option<WirePublicKey>,
    x509_certificate_chain: Option<WireChain>,
    certificate: Option<WireCertificate>,
}

#[derive(Deserialize)]
struct WirePublicKey {
    hint: Option<String>,
}

#[derive(Deserialize)]
struct WireChain {
    #[serde(default)]
    certificates: Vec<WireCertificate>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireCertificate {
    #[serde(with = "base64_bytes")]
    raw_bytes: Vec<u8>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireEnvelope {
    #[serde(with = "base64_bytes")]
    payload: Vec<u8>,
    payload_type: String,
    #[serde(default)]
    signatures: Vec<WireSignature>,
}

#[derive(Deserialize)]
struct WireSignature {
    #[serde(with = "base64_bytes")]
    sig: Vec<u8>,
}

impl ModelSignature {
    /// Reads a signature bundle. Nothing is verified here.
    pub fn from_json(json: &[u8]) -> Result<Self, SignatureFileError> {
        let wire: Wire = serde_json::from_slice(json)?;
        if wire.media_type != MEDIA_TYPE {
            return Err(SignatureFileError::MediaType(wire.media_type));
        }
        let material = wire.verification_material;
        let signer = match (
            material.public_key,
            material.x509_certificate_chain,
            material.certificate,
        ) {
            (Some(public_key), None, None) => Signer::PublicKey {
                hint: public_key.hint.unwrap_or_default(),
            },
            (None, Some(chain), None) => {
                if chain.certificates.is_empty() {
                    return Err(SignatureFileError::EmptyChain);
                }
                Signer::Certificates(
                    chain
                        .certificates
                        .into_iter()
                        .map(|certificate| certificate.raw_bytes)
                        .collect(),
                )
            }
            (None, None, Some(certificate)) => Signer::Certificates(vec![certificate.raw_bytes]),
            (None, None, None) => return Err(SignatureFileError::Material("none of them")),
            _ => return Err(SignatureFileError::Material("more than one of them")),
        };
        let envelope = wire.dsse_envelope.ok_or(SignatureFileError::NoEnvelope)?;
        let count = envelope.signatures.len();
        let Some(signature) = envelope
            .signatures
            .into_iter()
            .next()
            .filter(|_| count == 1)
        else {
            return Err(SignatureFileError::SignatureCount(count));
        };
        Ok(Self {
            signer,
            payload_type: envelope.payload_type,
            payload: envelope.payload,
            signature: signature.sig,
        })
    }
}

/// model_signing's key hint: lower-case hex SHA-256 of the PEM `PUBLIC KEY` text (64-column
/// lines, LF endings), not the Sigstore hint of the DER key.
pub fn public_key_hint(key: &PublicKey) -> Result<String, crate::keys::KeyError> {
    use sha2::Digest as _;
    Ok(hex::encode(sha2::Sha256::digest(key.to_pem()?.as_bytes())))
}

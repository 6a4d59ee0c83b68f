//! DSSE v1.0 envelopes (secure-systems-lab/dsse): pre-authentication encoding, JSON form,
//! signing and threshold verification.

use serde::{Deserialize, Serialize};

use crate::encoding::base64_bytes;
use crate::keys::{KeyError, PrivateKey, PublicKey, SignatureEncoding};

/// Why an envelope could not be read or built.
#[derive(Debug, thiserror::Error)]
pub enum DsseError {
    #[error("not a DSSE envelope: {0}")]
    Json(#[from] serde_json::Error),
    #[error("cannot sign the envelope: {0}")]
    Signing(#[source] KeyError),
}

/// Why an envelope did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DsseVerifyError {
    #[error("the envelope has no signatures")]
    NoSignatures,
    #[error("the threshold must be at least 1")]
    ZeroThreshold,
    #[error(
        "{verified} of the {trusted} trusted keys signed the envelope, {threshold} required \
         (payloadType `{payload_type}`, {signatures} signatures)"
    )]
    ThresholdNotMet {
        verified: usize,
        threshold: usize,
        trusted: usize,
        signatures: usize,
        payload_type: String,
    },
}

/// A DSSE envelope. `payload` holds the decoded bytes that were (or will be) signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Envelope {
    #[serde(with = "base64_bytes")]
    pub payload: Vec<u8>,
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    pub signatures: Vec<Signature>,
}

/// One signature of an envelope. `keyid` is an unauthenticated hint; empty means unset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub keyid: String,
    #[serde(with = "base64_bytes")]
    pub sig: Vec<u8>,
}

/// What a successful verification vouches for: the payload bytes that were verified and which
/// trusted keys (indices into the slice given to [`Envelope::verify`]) signed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPayload<'a> {
    pub payload_type: &'a str,
    pub payload: &'a [u8],
    pub signed_by: Vec<usize>,
}

/// The pre-authentication encoding `DSSEv1 SP LEN(type) SP type SP LEN(body) SP body`, the bytes
/// every signature covers.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let type_length = payload_type.len().to_string();
    let payload_length = payload.len().to_string();
    let mut encoded = Vec::with_capacity(
        10 + type_length.len() + payload_type.len() + payload_length.len() + payload.len(),
    );
    for part in [
        b"DSSEv1".as_slice(),
        type_length.as_bytes(),
        payload_type.as_bytes(),
        payload_length.as_bytes(),
    ] {
        encoded.extend_from_slice(part);
        encoded.push(b' ');
    }
    encoded.extend_from_slice(payload);
    encoded
}

impl Envelope {
    /// An unsigned envelope.
    pub fn new(payload_type: impl Into<String>, payload: Vec<u8>) -> Self {
        Self {
            payload,
            payload_type: payload_type.into(),
            signatures: Vec::new(),
        }
    }

    /// Reads the JSON form. `payload` and `sig` may be standard or URL-safe base64, padded or not.
    pub fn from_json(json: &[u8]) -> Result<Self, DsseError> {
        Ok(serde_json::from_slice(json)?)
    }

    /// The JSON form, with standard padded base64.
    pub fn to_json(&self) -> Result<Vec<u8>, DsseError> {
        Ok(serde_json::to_vec(self)?)
    }

    /// The bytes signatures cover.
    pub fn pae(&self) -> Vec<u8> {
        pae(&self.payload_type, &self.payload)
    }

    /// Adds a signature by `key`; `keyid` may be empty.
    pub fn sign(
        &mut self,
        key: &PrivateKey,
        keyid: impl Into<String>,
        encoding: SignatureEncoding,
    ) -> Result<(), DsseError> {
        let sig = key
            .sign(&self.pae(), encoding)
            .map_err(DsseError::Signing)?;
        self.signatures.push(Signature {
            keyid: keyid.into(),
            sig,
        });
        Ok(())
    }

    /// Succeeds when at least `threshold` distinct keys of `trusted` each verify one of the
    /// signatures. Key ids are not consulted: they are hints and decide nothing.
    pub fn verify(
        &self,
        trusted: &[PublicKey],
        threshold: usize,
    ) -> Result<VerifiedPayload<'_>, DsseVerifyError> {
        if threshold == 0 {
            return Err(DsseVerifyError::ZeroThreshold);
        }
        if self.signatures.is_empty() {
            return Err(DsseVerifyError::NoSignatures);
        }
        let message = self.pae();
        let signed_by: Vec<usize> = trusted
            .iter()
            .enumerate()
            .filter(|(_, key)| {
                self.signatures
                    .iter()
                    .any(|signature| key.verify(&message, &signature.sig).is_ok())
            })
            .map(|(index, _)| index)
            .collect();
        if signed_by.len() < threshold {
            return Err(DsseVerifyError::ThresholdNotMet {
                verified: signed_by.len(),
                threshold,
                trusted: trusted.len(),
                signatures: self.signatures.len(),
                payload_type: self.payload_type.clone(),
            });
        }
        Ok(VerifiedPayload {
            payload_type: &self.payload_type,
            payload: &self.payload,
            signed_by,
        })
    }
}

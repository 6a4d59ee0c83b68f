//! Classic in-toto metadata (links and layouts as in-toto-golang and in-toto-python write them):
//! `{"signed": {...}, "signatures": [{"keyid", "sig"}]}` where each `sig` is hex over the
//! canonical JSON of `signed`, and the securesystemslib key dictionaries layouts carry.

use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::canonical::{CanonicalJsonError, to_canonical_json};
use crate::keys::{KeyError, PublicKey, PublicKeyKind, RsaPadding};

/// Why metadata or a key could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MetadataError {
    #[error("not in-toto signed metadata: {0}")]
    Json(#[from] serde_json::Error),
    #[error("signature {index} is not hex: {source}")]
    SignatureHex {
        index: usize,
        #[source]
        source: hex::FromHexError,
    },
    #[error("cannot canonicalise `signed`: {0}")]
    Canonical(#[from] CanonicalJsonError),
    #[error("key `{keyid}`: {reason}")]
    InvalidKey { keyid: String, reason: String },
    #[error("key `{keyid}`: {source}")]
    KeyMaterial {
        keyid: String,
        #[source]
        source: KeyError,
    },
    #[error("key `{keyid}`: scheme `{scheme}` does not fit a {kind} key")]
    SchemeMismatch {
        keyid: String,
        scheme: String,
        kind: PublicKeyKind,
    },
    #[error("the layout has no key `{0}`")]
    UnknownKey(String),
}

/// Why metadata did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MetadataVerifyError {
    #[error("the metadata has no signatures")]
    NoSignatures,
    #[error("none of the {signatures} signatures verifies with key `{keyid}`")]
    NoSignatureByKey { keyid: String, signatures: usize },
    #[error("`signed` has no canonical JSON form, so no signature can cover it: {0}")]
    NotCanonical(CanonicalJsonError),
}

/// Signed metadata: the `signed` document and its signatures.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedMetadata {
    pub signed: Value,
    pub signatures: Vec<MetadataSignature>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataSignature {
    pub keyid: String,
    pub sig: Vec<u8>,
}

#[derive(Deserialize)]
struct WireMetadata {
    signed: Value,
    signatures: Vec<WireSignature>,
}

#[derive(Deserialize)]
struct WireSignature {
    #[serde(default)]
    keyid: String,
    sig: String,
}

impl SignedMetadata {
    pub fn from_json(json: &[u8]) -> Result<Self, MetadataError> {
        let wire: WireMetadata = serde_json::from_slice(json)?;
        let signatures = wire
            .signatures
            .into_iter()
            .enumerate()
            .map(|(index, signature)| {
                Ok(MetadataSignature {
                    keyid: signature.keyid,
                    sig: hex::decode(&signature.sig)
                        .map_err(|source| MetadataError::SignatureHex { index, source })?,
                })
            })
            .collect::<Result<_, MetadataError>>()?;
        Ok(Self {
            signed: wire.signed,
            signatures,
        })
    }

    /// `signed._type`: `link` or `layout`.
    pub fn metadata_type(&self) -> Option<&str> {
        self.signed.get("_type").and_then(Value::as_str)
    }

    /// Succeeds when one of the signatures verifies with `key` over the canonical JSON of
    /// `signed`. Key ids are hints; the signature decides.
    pub fn verify(&self, key: &InTotoKey) -> Result<(), MetadataVerifyError> {
        if self.signatures.is_empty() {
            return Err(MetadataVerifyError::NoSignatures);
        }
        let message = to_canonical_json(&self.signed).map_err(MetadataVerifyError::NotCanonical)?;
        if self
            .signatures
            .iter()
            .any(|signature| key.public_key.verify(&message, &signature.sig).is_ok())
        {
            Ok(())
        } else {
            Err(MetadataVerifyError::NoSignatureByKey {
                keyid: key.keyid.clone(),
                signatures: self.signatures.len(),
            })
        }
    }

    /// The keys a layout declares in `signed.keys`, each checked against its key id.
    pub fn layout_keys(&self) -> Result<Vec<InTotoKey>, MetadataError> {
        let Some(keys) = self.signed.get("keys").and_then(Value::as_object) else {
            return Ok(Vec::new());
        };
        keys.iter()
            .map(|(keyid, dictionary)| {
                let key = InTotoKey::from_securesystemslib(dictionary)?;
                if &key.keyid != keyid {
                    return Err(MetadataError::InvalidKey {
                        keyid: keyid.clone(),
                        reason: format!("the key hashes to key id `{}`", key.keyid),
                    });
                }
                Ok(key)
            })
            .collect()
    }

    /// The layout key with id `keyid`.
    pub fn layout_key(&self, keyid: &str) -> Result<InTotoKey, MetadataError> {
        self.layout_keys()?
            .into_iter()
            .find(|key| key.keyid == keyid)
            .ok_or_else(|| MetadataError::UnknownKey(keyid.to_owned()))
    }
}

/// A securesystemslib public key: its key id, signature scheme and key material.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InTotoKey {
    pub keyid: String,
    pub scheme: String,
    public_key: PublicKey,
}

impl InTotoKey {
    /// Reads a key dictionary `{keytype, scheme, keyid_hash_algorithms, keyval: {public}}`. The
    /// key id is the SHA-256 of the canonical JSON of those members with only the public part of
    /// `keyval`, as securesystemslib computes it; a declared `keyid` must equal it.
    pub fn from_securesystemslib(dictionary: &Value) -> Result<Self, MetadataError> {
        let text = |pointer: &str| dictionary.pointer(pointer).and_then(Value::as_str);
        let declared = text("/keyid").unwrap_or_default();
        let invalid = |reason: String| MetadataError::InvalidKey {
            keyid: declared.to_owned(),
            reason,
        };
        let keytype = text("/keytype").ok_or_else(|| invalid("no `keytype`".to_owned()))?;
        let scheme = text("/scheme").ok_or_else(|| invalid("no `scheme`".to_owned()))?;
        let public =
            text("/keyval/public").ok_or_else(|| invalid("no `keyval.public`".to_owned()))?;
        let mut public_part = json!({
            "keytype": keytype,
            "scheme": scheme,
            "keyval": {"public": public},
        });
        if let (Some(algorithms), Some(members)) = (
            dictionary.get("keyid_hash_algorithms"),
            public_part.as_object_mut(),
        ) {
            members.insert("keyid_hash_algorithms".to_owned(), algorithms.clone());
        }
        let keyid = hex::encode(Sha256::digest(to_canonical_json(&public_part)?));
        if !declared.is_empty() && declared != keyid {
            return Err(invalid(format!("the key hashes to key id `{keyid}`")));
        }
        let scheme = scheme.to_owned();
        let public_key = PublicKey::from_pem(public.as_bytes()).map_err(|source| {
            MetadataError::KeyMaterial {
                keyid: keyid.clone(),
                source,
            }
        })?;
        Self::with_scheme(keyid, scheme, public_key)
    }

    /// The key as in-toto-golang would load it from a PEM file: its dictionary lists the key id
    /// hash algorithms `sha256` and `sha512` and the PEM without a final newline.
    pub fn from_public_key(public_key: PublicKey, scheme: &str) -> Result<Self, MetadataError> {
        let keytype = match public_key.kind() {
            PublicKeyKind::Rsa => "rsa",
            PublicKeyKind::Ed25519 => "ed25519",
            PublicKeyKind::EcdsaP256 | PublicKeyKind::EcdsaP384 | PublicKeyKind::EcdsaP521 => {
                "ecdsa"
            }
        };
        let pem = public_key
            .to_pem()
            .map_err(|source| MetadataError::KeyMaterial {
                keyid: String::new(),
                source,
            })?;
        Self::from_securesystemslib(&json!({
            "keytype": keytype,
            "scheme": scheme,
            "keyid_hash_algorithms": ["sha256", "sha512"],
            "keyval": {"public": pem.trim_end()},
        }))
    }

    fn with_scheme(
        keyid: String,
        scheme: String,
        public_key: PublicKey,
    ) -> Result<Self, MetadataError> {
        let kind = public_key.kind();
        let public_key = match (scheme.as_str(), kind) {
            ("rsassa-pss-sha256", PublicKeyKind::Rsa) => {
                public_key.with_rsa_padding(RsaPadding::Pss)
            }
            ("rsa-pkcs1v15-sha256", PublicKeyKind::Rsa) => {
                public_key.with_rsa_padding(RsaPadding::Pkcs1v15)
            }
            ("ecdsa-sha2-nistp256", PublicKeyKind::EcdsaP256)
            | ("ecdsa-sha2-nistp384", PublicKeyKind::EcdsaP384)
            | ("ecdsa-sha2-nistp521", PublicKeyKind::EcdsaP521)
            | ("ed25519", PublicKeyKind::Ed25519) => public_key,
            _ => {
                return Err(MetadataError::SchemeMismatch {
                    keyid,
                    scheme,
                    kind,
                });
            }
        };
        Ok(Self {
            keyid,
            scheme,
            public_key,
        })
    }

    /// The key, set up for its scheme (RSA padding), to verify DSSE-wrapped metadata with.
    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }
}

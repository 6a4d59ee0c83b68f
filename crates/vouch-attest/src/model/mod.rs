//! OpenSSF Model Signing (OMS v1.0), interoperable with sigstore/model-transparency
//! (`model_signing`): hashing a model directory into a manifest, signing it as an in-toto
//! Statement in a DSSE envelope inside a Sigstore bundle, and verifying a model against such a
//! signature made by a key, a certificate chain or Sigstore.
//!
//! A `sigstore` signature is verified by [`crate::sigstore`], like any other Sigstore bundle;
//! only the key and private certificate-chain methods, which model_signing alone defines, are
//! checked here.

mod hashing;
mod payload;
mod serialization;
mod signature;
mod verify;
mod x509;

use std::path::{Component, Path, PathBuf};

pub use hashing::HashAlgorithm;
pub use payload::{
    PREDICATE_TYPE, PREDICATE_TYPE_V0_2, PayloadError, SignedManifest, parse_statement,
    statement_json,
};
pub use serialization::{
    DEFAULT_SHARD_SIZE, GIT_PATHS, HashingOptions, MAX_SHARD_SIZE, Manifest, Method, Resource,
    Serialization, SerializeError, hash_model,
};
pub use signature::{MEDIA_TYPE, ModelSignature, SignatureFileError, Signer, public_key_hint};
pub use verify::{Mismatch, Verified, Verifier, VerifyError, VerifyOptions, verify_model};
pub use x509::{CertificateError, certificates_from_pem};

use crate::bundle::{Bundle, BundleContent};
use crate::dsse::{DsseError, Envelope};
use crate::intoto::PAYLOAD_TYPE;
use crate::keys::{KeyError, PrivateKey, SignatureEncoding};

/// Why a model could not be signed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("cannot hash the model: {0}")]
    Serialize(#[from] SerializeError),
    #[error("{path} holds no file to sign")]
    EmptyModel { path: PathBuf },
    #[error("cannot write the statement: {0}")]
    Statement(#[source] serde_json::Error),
    #[error("cannot sign: {0}")]
    Key(#[from] KeyError),
    #[error(transparent)]
    Bundle(#[from] SignatureFileError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What signing produced.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Signed {
    pub signature: PathBuf,
    pub model_name: String,
    /// Hex SHA-256 over the resource digests: the statement's subject digest.
    pub root_digest: String,
    pub method: &'static str,
    pub hash_type: &'static str,
    pub resources: usize,
    /// The signing key's model_signing hint.
    pub key_hint: String,
}

/// Hashes the model at `model_path` and writes its signature, signed by `key`, to
/// `signature_path`. The signature file itself is left out of the model when it lies inside.
pub fn sign_model(
    model_path: &Path,
    signature_path: &Path,
    key: &PrivateKey,
    options: &HashingOptions,
) -> Result<Signed, SignError> {
    let mut options = options.clone();
    options
        .ignore_paths
        .extend(path_in_model(model_path, signature_path));
    let manifest = hash_model(model_path, &options)?;
    if manifest.resources.is_empty() {
        return Err(SignError::EmptyModel {
            path: model_path.to_path_buf(),
        });
    }
    let payload = statement_json(&manifest).map_err(SignError::Statement)?;
    // model_signing's key bundle: v0.3, its own key hint, one DSSE signature without a key id,
    // no transparency-log entries.
    let key_hint = public_key_hint(key.public_key())?;
    let mut envelope = Envelope::new(PAYLOAD_TYPE, payload);
    envelope
        .sign(key, "", SignatureEncoding::Der)
        .map_err(|error| match error {
            DsseError::Signing(source) => SignError::Key(source),
            DsseError::Json(source) => SignError::Statement(source),
        })?;
    let bundle = Bundle::key_based(key_hint.clone(), BundleContent::DsseEnvelope(envelope))
        .to_json()
        .map_err(|error| SignError::Bundle(SignatureFileError::Write(error)))?;
    write_atomically(signature_path, &bundle)?;
    Ok(Signed {
        signature: signature_path.to_path_buf(),
        model_name: manifest.model_name.clone(),
        root_digest: hex::encode(manifest.root_digest()),
        method: manifest.serialization.method.name(),
        hash_type: manifest.serialization.hash.name(),
        resources: manifest.resources.len(),
        key_hint,
    })
}

/// Writes beside `path` then renames, so a reader never sees half a signature.
fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), SignError> {
    use std::io::Write as _;
    let write_error = |source| SignError::Write {
        path: path.to_path_buf(),
        source,
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".vouch-signature-")
        .tempfile_in(directory)
        .map_err(write_error)?;
    temporary.write_all(contents).map_err(write_error)?;
    temporary
        .persist(path)
        .map_err(|error| write_error(error.error))?;
    Ok(())
}

/// `path` (absolute, or relative to the working directory) as an ignore path: relative to the
/// model directory, `/`-separated. `None` when it lies outside the model (or is the model).
/// The signature file goes through this so it is never hashed into the model.
pub fn path_in_model(model_path: &Path, path: &Path) -> Option<String> {
    let model = absolute(model_path)?;
    let path = absolute(path)?;
    let relative = path.strip_prefix(&model).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|component| component.as_os_str().to_str())
        .collect();
    parts
        .filter(|parts| !parts.is_empty())
        .map(|parts| parts.join("/"))
}

/// The path made absolute and lexically normalised (`.` and `..` resolved, links kept).
fn absolute(path: &Path) -> Option<PathBuf> {
    let absolute = std::path::absolute(path).ok()?;
    let mut normalized = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                normalized.pop();
            }
            Component::CurDir => {}
            other => normalized.push(other),
        }
    }
    Some(normalized)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_inside_the_model_is_ignored_by_its_relative_path() {
        assert_eq!(
            path_in_model(
                Path::new("/m/model"),
                Path::new("/m/model/sub/../model.sig")
            ),
            Some("model.sig".to_owned())
        );
        assert_eq!(
            path_in_model(Path::new("/m/model"), Path::new("/m/model.sig")),
            None
        );
    }
}

//! Digests of an artifact, computed in one pass, under their in-toto names.

use std::io::Read;
use std::path::Path;

use sha2::{Digest as _, Sha256, Sha384, Sha512};

/// Why an artifact could not be hashed.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {path}: {source}")]
pub struct DigestError {
    pub path: std::path::PathBuf,
    #[source]
    pub source: std::io::Error,
}

/// The SHA-2 digests of an artifact as lower-case hex.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArtifactDigests {
    pub sha256: String,
    pub sha384: String,
    pub sha512: String,
}

impl ArtifactDigests {
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self {
            sha256: hex::encode(Sha256::digest(bytes)),
            sha384: hex::encode(Sha384::digest(bytes)),
            sha512: hex::encode(Sha512::digest(bytes)),
        }
    }

    /// Hashes a file without holding it in memory.
    pub fn of_file(path: &Path) -> Result<Self, DigestError> {
        let error = |source| DigestError {
            path: path.to_path_buf(),
            source,
        };
        let mut file = std::fs::File::open(path).map_err(error)?;
        let (mut sha256, mut sha384, mut sha512) = (Sha256::new(), Sha384::new(), Sha512::new());
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let read = match file.read(&mut buffer) {
                Ok(0) => break,
                Ok(read) => read,
                Err(source) if source.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => return Err(error(source)),
            };
            let chunk = buffer.get(..read).unwrap_or_default();
            sha256.update(chunk);
            sha384.update(chunk);
            sha512.update(chunk);
        }
        Ok(Self {
            sha256: hex::encode(sha256.finalize()),
            sha384: hex::encode(sha384.finalize()),
            sha512: hex::encode(sha512.finalize()),
        })
    }

    /// The digest under its in-toto DigestSet name (`sha256`, `sha384`, `sha512`).
    pub fn get(&self, algorithm: &str) -> Option<&str> {
        match algorithm {
            "sha256" => Some(&self.sha256),
            "sha384" => Some(&self.sha384),
            "sha512" => Some(&self.sha512),
            _ => None,
        }
    }
}

//! The trusted root: Fulcio CAs, transparency logs, CT logs and timestamp authorities, each with
//! its validity window.

use std::path::{Path, PathBuf};

use sigstore_verify::trust_root::TrustedRoot;

/// The Sigstore public-good trusted root, vendored in `trust/` (see the README there).
pub const PRODUCTION_TRUSTED_ROOT: &str = include_str!("../../trust/trusted_root.json");

/// Why a trusted root could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum TrustRootError {
    #[error("cannot read trusted root {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("trusted root {origin} is not valid: {source}")]
    Parse {
        origin: String,
        #[source]
        source: sigstore_verify::trust_root::Error,
    },
}

/// A parsed trusted root and where it came from (for messages).
#[derive(Debug, Clone)]
pub struct TrustRoot {
    pub(crate) root: TrustedRoot,
    origin: String,
}

impl TrustRoot {
    /// The embedded Sigstore public-good trusted root.
    pub fn production() -> Result<Self, TrustRootError> {
        Self::from_json(PRODUCTION_TRUSTED_ROOT, "embedded production root")
    }

    /// Parses a `trusted_root.json` document; `origin` names it in errors.
    pub fn from_json(json: &str, origin: &str) -> Result<Self, TrustRootError> {
        let root = TrustedRoot::from_json(json).map_err(|source| TrustRootError::Parse {
            origin: origin.to_owned(),
            source,
        })?;
        Ok(Self {
            root,
            origin: origin.to_owned(),
        })
    }

    /// Reads and parses a `trusted_root.json` file.
    pub fn read_file(path: &Path) -> Result<Self, TrustRootError> {
        let json = std::fs::read_to_string(path).map_err(|source| TrustRootError::Read {
            path: path.to_owned(),
            source,
        })?;
        Self::from_json(&json, &path.display().to_string())
    }

    /// The trusted root in `path`, or the embedded production root when none is given.
    pub fn read_file_or_production(path: Option<&Path>) -> Result<Self, TrustRootError> {
        path.map_or_else(Self::production, Self::read_file)
    }

    /// Where this root came from: a file path or the embedded production root.
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

pub(crate) mod attest;
pub(crate) mod db;
pub(crate) mod fix;
pub(crate) mod input;
pub(crate) mod model;
pub(crate) mod provenance;
pub(crate) mod sbom;
pub(crate) mod scan;
pub(crate) mod sigstore;
pub(crate) mod version;

use std::path::Path;

use crate::error::CliError;

/// The bytes of a file named on the command line; failing to read it is bad input.
pub(crate) fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path)
        .map_err(|error| CliError::usage(format!("cannot read {}: {error}", path.display())))
}

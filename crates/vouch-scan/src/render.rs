//! Renderings of a [`crate::ScanReport`]: each is a view of the same data.

pub mod cyclonedx;
pub mod openvex;
pub mod sarif;
pub mod table;

/// Why a rendering could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot write the SBOM: {0}")]
    Sbom(#[from] vouch_formats::FormatError),
    #[error("cannot write the VEX document: {0}")]
    Vex(#[from] vouch_formats::vex::VexWriteError),
    #[error("cannot serialise the {format} document: {source}")]
    Json {
        format: &'static str,
        source: serde_json::Error,
    },
}

/// Pretty JSON with a final newline, as every JSON rendering is written.
pub(crate) fn to_json_bytes(
    value: &serde_json::Value,
    format: &'static str,
) -> Result<Vec<u8>, RenderError> {
    let mut bytes =
        serde_json::to_vec_pretty(value).map_err(|source| RenderError::Json { format, source })?;
    bytes.push(b'\n');
    Ok(bytes)
}

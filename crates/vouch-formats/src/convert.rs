//! `vouch sbom convert`: read any supported SBOM and write it in another format.

use crate::{Format, FormatError, ReadOutcome, WriteOptions, read, write};

/// Reads `bytes` (format detected from the content) and writes the result as `to`. The
/// outcome is returned alongside so that callers can show what the model could not hold.
pub fn convert(
    bytes: &[u8],
    origin: &str,
    to: Format,
    options: &WriteOptions,
) -> Result<(Vec<u8>, ReadOutcome), FormatError> {
    let outcome = read(bytes, origin)?;
    let written = write(&outcome.bom, to, options)?;
    Ok((written, outcome))
}

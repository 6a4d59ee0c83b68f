use vouch_model::Bom;

use crate::{Format, FormatError, WriteOptions};

pub(crate) fn write_json(_bom: &Bom, _options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    Err(FormatError::Write {
        format: Format::Spdx3Json,
        message: "pending".into(),
    })
}

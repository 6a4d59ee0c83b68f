use vouch_model::Bom;

use crate::{Format, FormatError, WriteOptions};

pub(crate) fn write_json(_bom: &Bom, _options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    Err(FormatError::Write {
        format: Format::SpdxJson,
        message: "pending".into(),
    })
}

pub(crate) fn write_tag_value(_bom: &Bom, _options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    Err(FormatError::Write {
        format: Format::SpdxTagValue,
        message: "pending".into(),
    })
}

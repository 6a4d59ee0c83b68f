use vouch_model::Bom;

use crate::{Format, FormatError, WriteOptions};

pub(crate) fn write_json(_bom: &Bom, _options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    Err(FormatError::Write {
        format: Format::CycloneDxJson,
        message: "pending".into(),
    })
}

pub(crate) fn write_xml(_bom: &Bom, _options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    Err(FormatError::Write {
        format: Format::CycloneDxXml,
        message: "pending".into(),
    })
}

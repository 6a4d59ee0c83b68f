//! CycloneDX: JSON and XML.

mod write;

pub(crate) use write::{write_json, write_xml};

//! CycloneDX: JSON and XML.

pub(crate) mod read;
mod write;

pub(crate) use write::{algorithm_name, write_json, write_xml};

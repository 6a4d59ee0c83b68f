//! SPDX 3.0: JSON-LD.

mod write;

pub(crate) use write::write_json;

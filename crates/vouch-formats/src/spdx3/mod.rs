//! SPDX 3.0: JSON-LD.

pub(crate) mod read;
mod write;

pub(crate) use write::write_json;

//! SPDX 2.x: JSON and tag-value.

mod write;

pub(crate) use write::{write_json, write_tag_value};

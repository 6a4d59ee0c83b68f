//! SPDX 2.x: JSON and tag-value.

pub(crate) mod read;
pub(crate) mod tag_value;
mod write;

pub(crate) use write::{write_json, write_tag_value};

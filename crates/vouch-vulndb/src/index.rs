//! The on-disk format of a snapshot: `records.bin` holds every record, and `index.bin` two
//! sorted tables over it that are searched in place, so opening a snapshot parses nothing.
//!
//! `records.bin` is a sequence of frames: a little-endian `u32` length, then the JSON of a
//! [`Frame`] (the record and the source it came from).
//!
//! `index.bin` is `MAGIC`, the package table, the id table, then the SHA-256 of all that.
//! A table is a `u32` row count, rows of four `u32` (key offset, key length, value offset,
//! value length; offsets count from the start of the table's data area), a `u32` data length
//! and the data area. Rows are sorted by key bytes. Package keys are
//! `ecosystem NUL normalised-name` and their values the JSON of the entries for matching;
//! id keys are record ids and their values `(u64 offset, u32 length)` frame locations.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::osv::{Osv, Severity};

pub(crate) const MAGIC: &[u8; 8] = b"VOUCHDB1";
const ROW_BYTES: usize = 16;
const LOCATION_BYTES: usize = 12;
const DIGEST_BYTES: usize = 32;

/// Where one record's frame is in `records.bin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordLocation {
    pub(crate) offset: u64,
    pub(crate) length: u32,
}

/// One frame of `records.bin`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Frame {
    pub(crate) source: String,
    pub(crate) record: Osv,
}

/// What matching needs of one `affected[]` entry, as the package table stores it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct StoredEntry {
    pub(crate) id: String,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) modified: Option<String>,
    pub(crate) source: String,
    pub(crate) ecosystem: String,
    pub(crate) package: String,
    #[serde(default)]
    pub(crate) ranges: Vec<StoredRange>,
    #[serde(default)]
    pub(crate) versions: Vec<String>,
    #[serde(default)]
    pub(crate) informational: Option<String>,
    #[serde(default)]
    pub(crate) severity: Vec<Severity>,
    pub(crate) record: RecordLocation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredRange {
    pub(crate) kind: StoredRangeKind,
    #[serde(default)]
    pub(crate) repo: Option<String>,
    pub(crate) events: Vec<(StoredEventKind, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum StoredRangeKind {
    SemVer,
    Ecosystem,
    Git,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum StoredEventKind {
    Introduced,
    Fixed,
    LastAffected,
    Limit,
}

/// The key of a package in the package table.
pub(crate) fn package_key(ecosystem: &str, normalized_name: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(ecosystem.len() + normalized_name.len() + 1);
    key.extend_from_slice(ecosystem.as_bytes());
    key.push(0);
    key.extend_from_slice(normalized_name.as_bytes());
    key
}

/// Serialises the two tables and the digest. `packages` and `ids` must be sorted by key
/// (a `BTreeMap`'s order).
pub(crate) fn encode<'a>(
    packages: impl ExactSizeIterator<Item = (&'a [u8], Vec<u8>)>,
    ids: impl ExactSizeIterator<Item = (&'a [u8], Vec<u8>)>,
) -> Result<Vec<u8>, String> {
    let mut bytes = MAGIC.to_vec();
    encode_table(&mut bytes, packages)?;
    encode_table(&mut bytes, ids)?;
    let digest = Sha256::digest(&bytes);
    bytes.extend_from_slice(&digest);
    Ok(bytes)
}

fn encode_table<'a>(
    bytes: &mut Vec<u8>,
    rows: impl ExactSizeIterator<Item = (&'a [u8], Vec<u8>)>,
) -> Result<(), String> {
    let too_big = |_| "the index is over 4 GiB".to_owned();
    bytes.extend_from_slice(&u32::try_from(rows.len()).map_err(too_big)?.to_le_bytes());
    let mut data = Vec::new();
    let mut table = Vec::with_capacity(rows.len() * ROW_BYTES);
    for (key, value) in rows {
        for part in [key, value.as_slice()] {
            table.extend_from_slice(&u32::try_from(data.len()).map_err(too_big)?.to_le_bytes());
            table.extend_from_slice(&u32::try_from(part.len()).map_err(too_big)?.to_le_bytes());
            data.extend_from_slice(part);
        }
    }
    bytes.extend_from_slice(&table);
    bytes.extend_from_slice(&u32::try_from(data.len()).map_err(too_big)?.to_le_bytes());
    bytes.extend_from_slice(&data);
    Ok(())
}

/// A table read in place from the index bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Table {
    rows_start: usize,
    row_count: usize,
    data_start: usize,
    data_len: usize,
}

/// The two tables of an index, bounds-checked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tables {
    pub(crate) packages: Table,
    pub(crate) ids: Table,
}

/// Checks the header and table bounds (not the digest, which [`verify_digest`] checks).
pub(crate) fn read_tables(bytes: &[u8]) -> Result<Tables, String> {
    if bytes.get(..MAGIC.len()) != Some(MAGIC.as_slice()) {
        return Err("not a vouch advisory index (bad magic)".to_owned());
    }
    let (packages, next) = read_table(bytes, MAGIC.len())?;
    let (ids, end) = read_table(bytes, next)?;
    if end + DIGEST_BYTES != bytes.len() {
        return Err("the index has trailing bytes or is truncated".to_owned());
    }
    Ok(Tables { packages, ids })
}

pub(crate) fn verify_digest(bytes: &[u8]) -> Result<(), String> {
    let split = bytes
        .len()
        .checked_sub(DIGEST_BYTES)
        .ok_or("the index is truncated")?;
    let (content, digest) = bytes.split_at(split);
    if Sha256::digest(content).as_slice() != digest {
        return Err("the index checksum does not match".to_owned());
    }
    Ok(())
}

fn read_u32(bytes: &[u8], at: usize) -> Result<usize, String> {
    let field = bytes
        .get(at..at + 4)
        .and_then(|field| <[u8; 4]>::try_from(field).ok())
        .ok_or("the index is truncated")?;
    Ok(u32::from_le_bytes(field) as usize)
}

fn read_table(bytes: &[u8], start: usize) -> Result<(Table, usize), String> {
    let row_count = read_u32(bytes, start)?;
    let rows_start = start + 4;
    let rows_end = row_count
        .checked_mul(ROW_BYTES)
        .and_then(|length| length.checked_add(rows_start))
        .ok_or("the index row count is out of range")?;
    let data_len = read_u32(bytes, rows_end)?;
    let data_start = rows_end + 4;
    let end = data_start
        .checked_add(data_len)
        .filter(|&end| end <= bytes.len())
        .ok_or("the index data area is truncated")?;
    Ok((
        Table {
            rows_start,
            row_count,
            data_start,
            data_len,
        },
        end,
    ))
}

impl Table {
    pub(crate) fn len(self) -> usize {
        self.row_count
    }

    /// Row `row`'s key and value; `None` when the row points outside the data area.
    pub(crate) fn row(self, bytes: &[u8], row: usize) -> Option<(&[u8], &[u8])> {
        let at = self.rows_start + row.checked_mul(ROW_BYTES)?;
        let field = |index: usize| read_u32(bytes, at + index * 4).ok();
        let slice = |offset: usize, length: usize| {
            let end = offset.checked_add(length)?;
            (end <= self.data_len)
                .then(|| bytes.get(self.data_start + offset..self.data_start + end))?
        };
        Some((slice(field(0)?, field(1)?)?, slice(field(2)?, field(3)?)?))
    }

    /// The value stored under `key`, by binary search.
    pub(crate) fn find<'a>(self, bytes: &'a [u8], key: &[u8]) -> Result<Option<&'a [u8]>, String> {
        let (mut low, mut high) = (0, self.row_count);
        while low < high {
            let middle = low + (high - low) / 2;
            let (row_key, value) = self
                .row(bytes, middle)
                .ok_or_else(|| format!("index row {middle} points outside the index"))?;
            match row_key.cmp(key) {
                Ordering::Less => low = middle + 1,
                Ordering::Greater => high = middle,
                Ordering::Equal => return Ok(Some(value)),
            }
        }
        Ok(None)
    }
}

pub(crate) fn encode_locations(locations: &[RecordLocation]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(locations.len() * LOCATION_BYTES);
    for location in locations {
        bytes.extend_from_slice(&location.offset.to_le_bytes());
        bytes.extend_from_slice(&location.length.to_le_bytes());
    }
    bytes
}

pub(crate) fn decode_locations(bytes: &[u8]) -> Result<Vec<RecordLocation>, String> {
    if !bytes.len().is_multiple_of(LOCATION_BYTES) {
        return Err("a record location list has a partial entry".to_owned());
    }
    Ok(bytes
        .chunks_exact(LOCATION_BYTES)
        .map(|chunk| {
            let (offset, length) = chunk.split_at(8);
            RecordLocation {
                offset: u64::from_le_bytes(offset.try_into().unwrap_or_default()),
                length: u32::from_le_bytes(length.try_into().unwrap_or_default()),
            }
        })
        .collect())
}

//! The local advisory store.
//!
//! ```text
//! <db>/lock                 held (flock) by the one process writing
//! <db>/current              the name of the snapshot in use; replaced by rename
//! <db>/ecosystems.json      the ecosystems the last scan saw, for `update` without arguments
//! <db>/snapshots/<name>/    manifest.json, index.bin, records.bin
//! ```
//!
//! A writer builds a complete snapshot beside the one in use, re-opens and checks it, then
//! renames a new `current` over the old. A reader reads `current` once and opens that
//! snapshot, so it sees the old store or the new one, never a mix; a writer killed at any
//! point leaves `current` naming the old, complete snapshot.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File, TryLockError};
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use vouch_version::{Event, Range, RangeKind};

use crate::index::{
    self, Frame, RecordLocation, StoredEntry, StoredEventKind, StoredRange, StoredRangeKind, Tables,
};
use crate::normalize;
use crate::osv::{Osv, Severity};
use crate::{DbError, Problem};

const CURRENT: &str = "current";
const LOCK: &str = "lock";
const SNAPSHOTS: &str = "snapshots";
const SCANNED_ECOSYSTEMS: &str = "ecosystems.json";
const MANIFEST: &str = "manifest.json";
const INDEX: &str = "index.bin";
const RECORDS: &str = "records.bin";
const FORMAT: u32 = 1;
/// A frame larger than this is a corrupt length, not a record.
const MAX_FRAME_BYTES: u32 = 256 * 1024 * 1024;

/// Where one source's records came from and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// `osv.dev:<ECOSYSTEM>` for downloads, the absolute path for imports.
    pub name: String,
    /// What the records were read from: a URL or a path.
    pub location: String,
    pub record_count: usize,
    /// RFC 3339, UTC.
    pub imported_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

impl SourceInfo {
    /// Seconds from the import or download to `now`; `None` if the recorded time is unreadable.
    pub fn age_seconds(&self, now: time::OffsetDateTime) -> Option<i64> {
        time::OffsetDateTime::parse(
            &self.imported_at,
            &time::format_description::well_known::Rfc3339,
        )
        .ok()
        .map(|at| (now - at).whole_seconds())
    }
}

/// What a snapshot holds; `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    pub created_at: String,
    pub record_count: usize,
    pub withdrawn_count: usize,
    pub sources: Vec<SourceInfo>,
    /// Records affecting at least one package of each ecosystem.
    pub ecosystems: BTreeMap<String, usize>,
}

/// One `affected[]` entry of a record, with what matching needs.
#[derive(Debug, Clone, PartialEq)]
pub struct AffectedEntry {
    pub id: String,
    pub aliases: Vec<String>,
    pub modified: Option<String>,
    /// The [`SourceInfo::name`] the record came from.
    pub source: String,
    /// The ecosystem and name as the record writes them.
    pub ecosystem: String,
    pub package: String,
    pub ranges: Vec<Range>,
    /// The `repo` of each `GIT` range, in the order of `ranges`.
    pub git_repos: Vec<Option<String>>,
    pub versions: Vec<String>,
    /// RustSec's `informational` kind (`unmaintained`, `unsound`, `notice`): a warning.
    pub informational: Option<String>,
    /// The entry's severities, or the record's when the entry has none.
    pub severity: Vec<Severity>,
    pub record: RecordLocation,
}

/// The store directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// The lock a writer holds; released when dropped or when the process dies.
#[derive(Debug)]
pub(crate) struct WriteLock {
    _file: File,
}

/// The records of one source, ready to replace what the store holds for it.
#[derive(Debug)]
pub(crate) struct SourceRecords {
    pub(crate) info: SourceInfo,
    pub(crate) records: Vec<Osv>,
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// `$XDG_CACHE_HOME/vouch/db`, else `~/.cache/vouch/db` (`%LOCALAPPDATA%` on Windows).
    pub fn default_location() -> Option<PathBuf> {
        let non_empty = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
        let cache = if cfg!(windows) {
            non_empty("LOCALAPPDATA").map(PathBuf::from)
        } else {
            non_empty("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .filter(|path| path.is_absolute())
                .or_else(|| non_empty("HOME").map(|home| PathBuf::from(home).join(".cache")))
        }?;
        Some(cache.join("vouch").join("db"))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The snapshot in use, or `None` before the first import.
    pub fn open(&self) -> Result<Option<Snapshot>, DbError> {
        // A writer may remove the snapshot between our reading `current` and opening it; it
        // has then renamed a newer `current` first, so reading again finds that one.
        let mut attempts = 0;
        loop {
            let Some(name) = self.current_name()? else {
                return Ok(None);
            };
            match Snapshot::open(&self.root.join(SNAPSHOTS).join(&name)) {
                Err(DbError::Io { source, .. })
                    if source.kind() == io::ErrorKind::NotFound && attempts < 3 =>
                {
                    attempts += 1;
                }
                result => return result.map(Some),
            }
        }
    }

    fn current_name(&self) -> Result<Option<String>, DbError> {
        let path = self.root.join(CURRENT);
        match fs::read_to_string(&path) {
            Ok(name) => {
                let name = name.trim();
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    return Err(DbError::Corrupt {
                        path,
                        reason: format!("`{name}` is not a snapshot name"),
                    });
                }
                Ok(Some(name.to_owned()))
            }
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(DbError::Io { path, source }),
        }
    }

    /// Takes the writer lock, failing at once if another process holds it.
    pub(crate) fn lock(&self) -> Result<WriteLock, DbError> {
        create_dir(&self.root)?;
        let path = self.root.join(LOCK);
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| DbError::io(&path, source))?;
        match file.try_lock() {
            Ok(()) => Ok(WriteLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(DbError::Locked { path }),
            Err(TryLockError::Error(source)) => Err(DbError::io(&path, source)),
        }
    }

    /// Writes a new snapshot holding `replacements` and every other source of the current
    /// one, checks it, and makes it current. The caller holds the lock.
    pub(crate) fn commit(
        &self,
        _lock: &WriteLock,
        replacements: Vec<SourceRecords>,
    ) -> Result<Manifest, DbError> {
        let replaced: BTreeSet<&str> = replacements
            .iter()
            .map(|source| source.info.name.as_str())
            .collect();
        let mut sources = Vec::new();
        let mut frames = Vec::new();
        if let Some(current) = self.open()? {
            for info in &current.manifest.sources {
                if !replaced.contains(info.name.as_str()) {
                    sources.push(info.clone());
                }
            }
            for frame in current.frames()? {
                if !replaced.contains(frame.source.as_str()) {
                    frames.push(frame);
                }
            }
        }
        for source in replacements {
            frames.extend(source.records.into_iter().map(|record| Frame {
                source: source.info.name.clone(),
                record,
            }));
            sources.push(source.info);
        }
        sources.sort_by(|left, right| left.name.cmp(&right.name));

        let snapshots = self.root.join(SNAPSHOTS);
        create_dir(&snapshots)?;
        let name = format!("{}-{}", unix_nanos(), std::process::id());
        let directory = snapshots.join(&name);
        create_dir(&directory)?;
        let manifest = write_snapshot(&directory, sources, &frames)?;
        let reopened = Snapshot::open(&directory)?;
        reopened.validate()?;
        if reopened.manifest != manifest {
            return Err(DbError::Corrupt {
                path: directory.join(MANIFEST),
                reason: "the manifest read back differs from the one written".to_owned(),
            });
        }
        drop(reopened);
        write_atomically(&self.root.join(CURRENT), name.as_bytes())?;
        self.remove_other_snapshots(&name);
        Ok(manifest)
    }

    /// Removes snapshots other than `keep`, including those of writers that died mid-way.
    /// Only a lock holder calls this, so no other writer is building one. Failure to remove
    /// leaves garbage, not damage, and is retried by the next writer.
    fn remove_other_snapshots(&self, keep: &str) {
        let Ok(entries) = fs::read_dir(self.root.join(SNAPSHOTS)) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name() != keep {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }

    /// Remembers the ecosystems a scan saw, for an `update` that names none.
    pub fn remember_scanned_ecosystems(&self, ecosystems: &[String]) -> Result<(), DbError> {
        create_dir(&self.root)?;
        let unique: BTreeSet<&String> = ecosystems.iter().collect();
        let path = self.root.join(SCANNED_ECOSYSTEMS);
        let json = serde_json::to_vec_pretty(&unique).map_err(|error| DbError::Corrupt {
            path: path.clone(),
            reason: error.to_string(),
        })?;
        // Scans usually see the same ecosystems as the last one; rewriting (and syncing) the file
        // each time would cost a scan more than its matching does.
        if fs::read(&path).is_ok_and(|current| current == json) {
            return Ok(());
        }
        write_atomically(&path, &json)
    }

    /// The ecosystems [`Store::remember_scanned_ecosystems`] last stored; none if never.
    pub fn scanned_ecosystems(&self) -> Result<Vec<String>, DbError> {
        let path = self.root.join(SCANNED_ECOSYSTEMS);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| DbError::Corrupt {
                path,
                reason: error.to_string(),
            }),
            Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(source) => Err(DbError::Io { path, source }),
        }
    }
}

/// One opened snapshot. The index is held in memory and searched in place; records are read
/// from `records.bin` on demand.
#[derive(Debug)]
pub struct Snapshot {
    directory: PathBuf,
    manifest: Manifest,
    index: Vec<u8>,
    tables: Tables,
    records: Mutex<File>,
    records_len: u64,
}

impl Snapshot {
    fn open(directory: &Path) -> Result<Self, DbError> {
        let manifest_path = directory.join(MANIFEST);
        let manifest_bytes =
            fs::read(&manifest_path).map_err(|source| DbError::io(&manifest_path, source))?;
        let manifest: Manifest =
            serde_json::from_slice(&manifest_bytes).map_err(|error| DbError::Corrupt {
                path: manifest_path.clone(),
                reason: error.to_string(),
            })?;
        if manifest.format != FORMAT {
            return Err(DbError::Corrupt {
                path: manifest_path,
                reason: format!("format {} is not the supported {FORMAT}", manifest.format),
            });
        }
        let index_path = directory.join(INDEX);
        let index = fs::read(&index_path).map_err(|source| DbError::io(&index_path, source))?;
        let tables = index::read_tables(&index).map_err(|reason| DbError::Corrupt {
            path: index_path,
            reason,
        })?;
        let records_path = directory.join(RECORDS);
        let records =
            File::open(&records_path).map_err(|source| DbError::io(&records_path, source))?;
        let records_len = records
            .metadata()
            .map_err(|source| DbError::io(&records_path, source))?
            .len();
        Ok(Self {
            directory: directory.to_owned(),
            manifest,
            index,
            tables,
            records: Mutex::new(records),
            records_len,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    fn corrupt(&self, file: &str, reason: impl Into<String>) -> DbError {
        DbError::Corrupt {
            path: self.directory.join(file),
            reason: reason.into(),
        }
    }

    /// The affected entries for a package: withdrawn records left out, and a record that
    /// several sources hold given once (the most recently modified copy).
    pub fn affected(&self, ecosystem: &str, name: &str) -> Result<Vec<AffectedEntry>, DbError> {
        let normalized = normalize::package_name(ecosystem, name);
        let key = index::package_key(ecosystem, &normalized);
        let Some(value) = self
            .tables
            .packages
            .find(&self.index, &key)
            .map_err(|reason| self.corrupt(INDEX, reason))?
        else {
            return Ok(Vec::new());
        };
        let stored: Vec<StoredEntry> = serde_json::from_slice(value)
            .map_err(|error| self.corrupt(INDEX, error.to_string()))?;
        let mut newest: HashMap<&str, (&Option<String>, RecordLocation)> = HashMap::new();
        for entry in &stored {
            let best = newest
                .entry(&entry.id)
                .or_insert((&entry.modified, entry.record));
            if entry.modified > *best.0 {
                *best = (&entry.modified, entry.record);
            }
        }
        let keep: BTreeSet<RecordLocation> = newest.values().map(|(_, record)| *record).collect();
        Ok(stored
            .iter()
            .filter(|entry| keep.contains(&entry.record))
            .map(AffectedEntry::from)
            .collect())
    }

    /// The full record an entry came from.
    pub fn record(&self, location: RecordLocation) -> Result<Osv, DbError> {
        Ok(self.read_frame(location)?.record)
    }

    /// Every copy of the record with this id (one per source that holds it), withdrawn or not.
    pub fn records_by_id(&self, id: &str) -> Result<Vec<Osv>, DbError> {
        let Some(value) = self
            .tables
            .ids
            .find(&self.index, id.as_bytes())
            .map_err(|reason| self.corrupt(INDEX, reason))?
        else {
            return Ok(Vec::new());
        };
        index::decode_locations(value)
            .map_err(|reason| self.corrupt(INDEX, reason))?
            .into_iter()
            .map(|location| self.record(location))
            .collect()
    }

    fn read_frame(&self, location: RecordLocation) -> Result<Frame, DbError> {
        let end = location.offset.checked_add(u64::from(location.length) + 4);
        if end.is_none_or(|end| end > self.records_len) {
            return Err(self.corrupt(RECORDS, format!("no record at offset {}", location.offset)));
        }
        let mut bytes = vec![0; location.length as usize];
        {
            let mut file = self
                .records
                .lock()
                .map_err(|_| self.corrupt(RECORDS, "a reader panicked"))?;
            let path = self.directory.join(RECORDS);
            file.seek(SeekFrom::Start(location.offset + 4))
                .and_then(|_| file.read_exact(&mut bytes))
                .map_err(|source| DbError::io(&path, source))?;
        }
        serde_json::from_slice(&bytes).map_err(|error| {
            self.corrupt(
                RECORDS,
                format!("record at offset {}: {error}", location.offset),
            )
        })
    }

    /// Every frame, in file order.
    pub(crate) fn frames(&self) -> Result<Vec<Frame>, DbError> {
        let path = self.directory.join(RECORDS);
        let bytes = fs::read(&path).map_err(|source| DbError::io(&path, source))?;
        let mut frames = Vec::new();
        let mut rest = bytes.as_slice();
        let mut offset = 0usize;
        while !rest.is_empty() {
            let (length, after) = rest
                .split_first_chunk::<4>()
                .ok_or_else(|| self.corrupt(RECORDS, format!("truncated at offset {offset}")))?;
            let length = u32::from_le_bytes(*length);
            if length > MAX_FRAME_BYTES {
                return Err(self.corrupt(RECORDS, format!("bad length at offset {offset}")));
            }
            let (frame, after) = after
                .split_at_checked(length as usize)
                .ok_or_else(|| self.corrupt(RECORDS, format!("truncated at offset {offset}")))?;
            frames.push(serde_json::from_slice(frame).map_err(|error| {
                self.corrupt(RECORDS, format!("record at offset {offset}: {error}"))
            })?);
            offset += 4 + length as usize;
            rest = after;
        }
        Ok(frames)
    }

    /// A full check: the digest, table order and bounds, every entry decodes and points at a
    /// record, and the record count is the manifest's.
    pub fn validate(&self) -> Result<(), DbError> {
        index::verify_digest(&self.index).map_err(|reason| self.corrupt(INDEX, reason))?;
        let frames = self.frames()?;
        if frames.len() != self.manifest.record_count {
            return Err(self.corrupt(
                RECORDS,
                format!(
                    "{} records where the manifest counts {}",
                    frames.len(),
                    self.manifest.record_count
                ),
            ));
        }
        for table in [self.tables.packages, self.tables.ids] {
            let mut previous: Option<&[u8]> = None;
            for row in 0..table.len() {
                let (key, _) = table
                    .row(&self.index, row)
                    .ok_or_else(|| self.corrupt(INDEX, format!("row {row} is out of bounds")))?;
                if previous.is_some_and(|previous| previous >= key) {
                    return Err(self.corrupt(INDEX, format!("row {row} is out of order")));
                }
                previous = Some(key);
            }
        }
        for row in 0..self.tables.packages.len() {
            let (_, value) = self
                .tables
                .packages
                .row(&self.index, row)
                .ok_or_else(|| self.corrupt(INDEX, format!("row {row} is out of bounds")))?;
            let entries: Vec<StoredEntry> = serde_json::from_slice(value)
                .map_err(|error| self.corrupt(INDEX, format!("row {row}: {error}")))?;
            for entry in entries {
                self.read_frame(entry.record)?;
            }
        }
        for row in 0..self.tables.ids.len() {
            let (_, value) = self
                .tables
                .ids
                .row(&self.index, row)
                .ok_or_else(|| self.corrupt(INDEX, format!("row {row} is out of bounds")))?;
            for location in
                index::decode_locations(value).map_err(|reason| self.corrupt(INDEX, reason))?
            {
                self.read_frame(location)?;
            }
        }
        Ok(())
    }
}

impl From<&StoredEntry> for AffectedEntry {
    fn from(stored: &StoredEntry) -> Self {
        let ranges = stored
            .ranges
            .iter()
            .map(|range| Range {
                kind: match range.kind {
                    StoredRangeKind::SemVer => RangeKind::SemVer,
                    StoredRangeKind::Ecosystem => RangeKind::Ecosystem,
                    StoredRangeKind::Git => RangeKind::Git,
                },
                events: range
                    .events
                    .iter()
                    .map(|(kind, value)| match kind {
                        StoredEventKind::Introduced => Event::Introduced(value.clone()),
                        StoredEventKind::Fixed => Event::Fixed(value.clone()),
                        StoredEventKind::LastAffected => Event::LastAffected(value.clone()),
                        StoredEventKind::Limit => Event::Limit(value.clone()),
                    })
                    .collect(),
            })
            .collect();
        Self {
            id: stored.id.clone(),
            aliases: stored.aliases.clone(),
            modified: stored.modified.clone(),
            source: stored.source.clone(),
            ecosystem: stored.ecosystem.clone(),
            package: stored.package.clone(),
            ranges,
            git_repos: stored
                .ranges
                .iter()
                .map(|range| range.repo.clone())
                .collect(),
            versions: stored.versions.clone(),
            informational: stored.informational.clone(),
            severity: stored.severity.clone(),
            record: stored.record,
        }
    }
}

/// The entries matching needs from one record: one per `affected[]` with a package.
fn stored_entries(
    record: &Osv,
    source: &str,
    location: RecordLocation,
) -> Vec<(Vec<u8>, StoredEntry)> {
    record
        .affected
        .iter()
        .filter(|affected| !affected.package.ecosystem.is_empty())
        .map(|affected| {
            let package = &affected.package;
            let key = index::package_key(
                &package.ecosystem,
                &normalize::package_name(&package.ecosystem, &package.name),
            );
            let ranges = affected
                .ranges
                .iter()
                .filter_map(|range| {
                    let kind = match range.kind.as_str() {
                        "SEMVER" => StoredRangeKind::SemVer,
                        "ECOSYSTEM" => StoredRangeKind::Ecosystem,
                        "GIT" => StoredRangeKind::Git,
                        _ => return None,
                    };
                    let events = range
                        .events
                        .iter()
                        .flat_map(|event| {
                            [
                                (StoredEventKind::Introduced, &event.introduced),
                                (StoredEventKind::Fixed, &event.fixed),
                                (StoredEventKind::LastAffected, &event.last_affected),
                                (StoredEventKind::Limit, &event.limit),
                            ]
                        })
                        .filter_map(|(kind, value)| Some((kind, value.clone()?)))
                        .collect();
                    Some(StoredRange {
                        kind,
                        repo: range.repo.clone(),
                        events,
                    })
                })
                .collect();
            let severity = if affected.severity.is_empty() {
                record.severity.clone()
            } else {
                affected.severity.clone()
            };
            let entry = StoredEntry {
                id: record.id.clone(),
                aliases: record.aliases.clone(),
                modified: record.modified.clone(),
                source: source.to_owned(),
                ecosystem: package.ecosystem.clone(),
                package: package.name.clone(),
                ranges,
                versions: affected.versions.clone(),
                informational: affected.informational().map(str::to_owned),
                severity,
                record: location,
            };
            (key, entry)
        })
        .collect()
}

/// Range types the index cannot evaluate, so that importing reports them.
pub(crate) fn unknown_range_problems(record: &Osv, file: &str) -> Vec<Problem> {
    record
        .affected
        .iter()
        .enumerate()
        .flat_map(|(affected_index, affected)| {
            affected
                .ranges
                .iter()
                .enumerate()
                .filter(|(_, range)| !matches!(range.kind.as_str(), "SEMVER" | "ECOSYSTEM" | "GIT"))
                .map(move |(range_index, range)| Problem {
                    file: file.to_owned(),
                    reason: format!(
                        "{}: affected[{affected_index}].ranges[{range_index}] has the unknown type `{}`; the range is not used",
                        record.id, range.kind
                    ),
                })
        })
        .collect()
}

fn write_snapshot(
    directory: &Path,
    sources: Vec<SourceInfo>,
    frames: &[Frame],
) -> Result<Manifest, DbError> {
    let records_path = directory.join(RECORDS);
    let file = File::create(&records_path).map_err(|source| DbError::io(&records_path, source))?;
    let mut writer = BufWriter::new(file);
    let mut packages: BTreeMap<Vec<u8>, Vec<StoredEntry>> = BTreeMap::new();
    let mut ids: BTreeMap<Vec<u8>, Vec<RecordLocation>> = BTreeMap::new();
    let mut ecosystems: BTreeMap<String, usize> = BTreeMap::new();
    let mut withdrawn_count = 0;
    let mut offset = 0u64;
    let too_big = |reason: &str| DbError::Corrupt {
        path: records_path.clone(),
        reason: reason.to_owned(),
    };
    for frame in frames {
        let json = serde_json::to_vec(frame).map_err(|error| too_big(&error.to_string()))?;
        let length = u32::try_from(json.len())
            .ok()
            .filter(|&length| length <= MAX_FRAME_BYTES)
            .ok_or_else(|| too_big(&format!("record {} is too large", frame.record.id)))?;
        writer
            .write_all(&length.to_le_bytes())
            .and_then(|()| writer.write_all(&json))
            .map_err(|source| DbError::io(&records_path, source))?;
        let location = RecordLocation { offset, length };
        offset += 4 + u64::from(length);
        ids.entry(frame.record.id.as_bytes().to_vec())
            .or_default()
            .push(location);
        let record_ecosystems: BTreeSet<&str> = frame
            .record
            .affected
            .iter()
            .map(|affected| affected.package.ecosystem.as_str())
            .filter(|ecosystem| !ecosystem.is_empty())
            .collect();
        for ecosystem in record_ecosystems {
            *ecosystems.entry(ecosystem.to_owned()).or_default() += 1;
        }
        if frame.record.withdrawn.is_some() {
            withdrawn_count += 1;
            continue;
        }
        for (key, entry) in stored_entries(&frame.record, &frame.source, location) {
            packages.entry(key).or_default().push(entry);
        }
    }
    let file = writer
        .into_inner()
        .map_err(|error| DbError::io(&records_path, error.into_error()))?;
    file.sync_all()
        .map_err(|source| DbError::io(&records_path, source))?;

    let index_path = directory.join(INDEX);
    let package_values = packages
        .iter()
        .map(|(key, entries)| Ok((key.as_slice(), serde_json::to_vec(entries)?)))
        .collect::<Result<Vec<_>, serde_json::Error>>()
        .map_err(|error| DbError::Corrupt {
            path: index_path.clone(),
            reason: error.to_string(),
        })?;
    let id_values: Vec<_> = ids
        .iter()
        .map(|(key, locations)| (key.as_slice(), index::encode_locations(locations)))
        .collect();
    let index_bytes =
        index::encode(package_values.into_iter(), id_values.into_iter()).map_err(|reason| {
            DbError::Corrupt {
                path: index_path.clone(),
                reason,
            }
        })?;
    write_synced(&index_path, &index_bytes)?;

    let manifest = Manifest {
        format: FORMAT,
        created_at: now_rfc3339(),
        record_count: frames.len(),
        withdrawn_count,
        sources,
        ecosystems,
    };
    let manifest_path = directory.join(MANIFEST);
    let json = serde_json::to_vec_pretty(&manifest).map_err(|error| DbError::Corrupt {
        path: manifest_path.clone(),
        reason: error.to_string(),
    })?;
    write_synced(&manifest_path, &json)?;
    sync_directory(directory)?;
    Ok(manifest)
}

fn create_dir(path: &Path) -> Result<(), DbError> {
    fs::create_dir_all(path).map_err(|source| DbError::io(path, source))
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), DbError> {
    let mut file = File::create(path).map_err(|source| DbError::io(path, source))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|source| DbError::io(path, source))
}

/// Writes `path` through a temporary file and a rename, so readers see the old content or
/// the new, whole.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), DbError> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".{}.tmp", std::process::id()));
    let temporary = PathBuf::from(temporary);
    write_synced(&temporary, bytes)?;
    fs::rename(&temporary, path).map_err(|source| DbError::io(path, source))?;
    match path.parent() {
        Some(parent) => sync_directory(parent),
        None => Ok(()),
    }
}

/// Makes a rename or a new file durable. Windows cannot open directories for this, and its
/// renames go through the journal.
fn sync_directory(directory: &Path) -> Result<(), DbError> {
    if cfg!(windows) {
        return Ok(());
    }
    File::open(directory)
        .and_then(|handle| handle.sync_all())
        .map_err(|source| DbError::io(directory, source))
}

fn unix_nanos() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos())
}

pub(crate) fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|now| {
            now.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() -> Result<(), DbError> {
        let directory =
            tempfile::tempdir().map_err(|source| DbError::io(Path::new("."), source))?;
        let store = Store::new(directory.path());
        let first = store.lock()?;
        assert!(matches!(store.lock(), Err(DbError::Locked { .. })));
        assert!(matches!(
            crate::import(&store, &[]),
            Err(DbError::Locked { .. })
        ));
        drop(first);
        let report = crate::import(&store, &[])?;
        assert_eq!(report.record_count, 0);
        Ok(())
    }

    #[test]
    fn a_damaged_current_pointer_or_index_is_reported() -> Result<(), DbError> {
        let directory =
            tempfile::tempdir().map_err(|source| DbError::io(Path::new("."), source))?;
        let store = Store::new(directory.path());
        let file = directory.path().join("advisory.json");
        let record = br#"{"id":"X-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"PyPI","name":"Foo.Bar"},"versions":["1.0"]}]}"#;
        fs::write(&file, record).map_err(|source| DbError::io(&file, source))?;
        crate::import(&store, std::slice::from_ref(&file))?;
        let Some(snapshot) = store.open()? else {
            panic!("the import left no snapshot");
        };
        let entries = snapshot.affected("PyPI", "foo_bar")?;
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].package, "Foo.Bar");
        assert_eq!(entries[0].versions, ["1.0"]);
        let index_path = snapshot.directory.join(INDEX);
        drop(snapshot);

        let mut index = fs::read(&index_path).map_err(|source| DbError::io(&index_path, source))?;
        if let Some(byte) = index.get_mut(20) {
            *byte ^= 0xff;
        }
        fs::write(&index_path, &index).map_err(|source| DbError::io(&index_path, source))?;
        let reopened = store.open()?;
        assert!(matches!(
            reopened.map(|snapshot| snapshot.validate()),
            Some(Err(DbError::Corrupt { .. }))
        ));

        fs::write(directory.path().join(CURRENT), "../elsewhere")
            .map_err(|source| DbError::io(directory.path(), source))?;
        assert!(matches!(store.open(), Err(DbError::Corrupt { .. })));
        Ok(())
    }

    #[test]
    fn lookups_give_ranges_as_vouch_version_types_and_skip_withdrawn_records()
    -> Result<(), Box<dyn std::error::Error>> {
        let directory = tempfile::tempdir()?;
        let store = Store::new(directory.path());
        let advisories = directory.path().join("advisories");
        fs::create_dir(&advisories)?;
        fs::write(
            advisories.join("live.json"),
            r#"{"id":"GHSA-live","modified":"2024-02-01T00:00:00Z","aliases":["CVE-2024-1"],
                "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N"}],
                "affected":[{"package":{"ecosystem":"Go","name":"example.com/m"},
                  "ranges":[{"type":"GIT","repo":"https://example.com/m","events":[{"introduced":"0"},{"fixed":"abc"}]},
                            {"type":"SEMVER","events":[{"introduced":"1.0.0"},{"last_affected":"1.2.0"},{"limit":"2.0.0"}]}],
                  "versions":["1.1.0"]}]}"#,
        )?;
        fs::write(
            advisories.join("withdrawn.yaml"),
            "id: GHSA-gone\nwithdrawn: '2024-03-01T00:00:00Z'\naffected:\n- package: {ecosystem: Go, name: example.com/m}\n",
        )?;
        let report = crate::import(&store, std::slice::from_ref(&advisories))?;
        assert_eq!(report.record_count, 2);
        let Some(snapshot) = store.open()? else {
            panic!("the import left no snapshot");
        };
        assert_eq!(snapshot.manifest().withdrawn_count, 1);
        let entries = snapshot.affected("Go", "example.com/m")?;
        assert_eq!(entries.len(), 1);
        let entry = &entries[0];
        assert_eq!(entry.id, "GHSA-live");
        assert_eq!(entry.aliases, ["CVE-2024-1"]);
        assert_eq!(entry.severity[0].score, "CVSS:3.1/AV:N");
        assert_eq!(
            entry.ranges,
            [
                Range {
                    kind: RangeKind::Git,
                    events: vec![Event::Introduced("0".into()), Event::Fixed("abc".into())],
                },
                Range {
                    kind: RangeKind::SemVer,
                    events: vec![
                        Event::Introduced("1.0.0".into()),
                        Event::LastAffected("1.2.0".into()),
                        Event::Limit("2.0.0".into()),
                    ],
                },
            ]
        );
        assert_eq!(
            entry.git_repos,
            [Some("https://example.com/m".to_owned()), None]
        );
        assert_eq!(entry.versions, ["1.1.0"]);
        // The withdrawn record is still there by id, for VEX and explanations.
        assert_eq!(
            snapshot.records_by_id("GHSA-gone")?[0].withdrawn.as_deref(),
            Some("2024-03-01T00:00:00Z")
        );
        Ok(())
    }
}

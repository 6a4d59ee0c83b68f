//! Vulnerability advisories: the OSV model, RustSec conversion, and vouch's local advisory
//! store with its import and update.
//!
//! ```no_run
//! use vouch_vulndb::Store;
//!
//! let store = Store::new("/tmp/vouch-db");
//! vouch_vulndb::import(&store, &["advisory-db".into()])?;
//! if let Some(snapshot) = store.open()? {
//!     for entry in snapshot.affected("crates.io", "openssl")? {
//!         let record = snapshot.record(entry.record)?;
//!         assert_eq!(record.id, entry.id);
//!     }
//! }
//! # Ok::<(), vouch_vulndb::DbError>(())
//! ```

mod index;
mod load;
mod normalize;
pub mod osv;
pub mod rustsec;
mod store;
mod update;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

pub use index::RecordLocation;
pub use load::{Loaded, SourceKind, load_path, parse_bytes};
pub use normalize::package_name as normalize_package_name;
pub use store::{AffectedEntry, Manifest, Snapshot, SourceInfo, Store};
pub use update::{
    DEFAULT_BASE_URL, EcosystemOutcome, EcosystemUpdate, UpdateOptions, UpdateReport,
    stale_ecosystems, update,
};

/// A file that held no usable advisory, and why. Nothing is skipped without one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The file, or `archive.zip!entry.json` inside an archive.
    pub file: String,
    pub reason: String,
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: another vouch process is updating the advisory database")]
    Locked { path: PathBuf },
    #[error("{path}: the advisory database is damaged: {reason}")]
    Corrupt { path: PathBuf, reason: String },
    #[error("{path}: not a usable zip archive: {reason}")]
    Archive { path: PathBuf, reason: String },
    #[error("{url}: {reason}")]
    Http { url: String, reason: String },
    #[error("no ecosystems to update: name them, or scan a project first so that vouch knows them")]
    NoEcosystems,
}

impl DbError {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// What one imported path contributed.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub name: String,
    pub kind: SourceKind,
    pub record_count: usize,
    pub problems: Vec<Problem>,
}

/// The outcome of [`import`].
#[derive(Debug, Clone, Serialize)]
pub struct ImportReport {
    pub sources: Vec<SourceReport>,
    /// Records in the store afterwards, from every source.
    pub record_count: usize,
}

/// Imports advisories from `paths` (see [`load_path`]); each path is one source, replacing
/// what an earlier import of the same path stored. Every path is read before the store is
/// touched, so a path that cannot be read leaves the store as it was.
pub fn import(store: &Store, paths: &[PathBuf]) -> Result<ImportReport, DbError> {
    let lock = store.lock()?;
    let mut replacements = Vec::new();
    let mut sources = Vec::new();
    for path in paths {
        let absolute = std::path::absolute(path).map_err(|source| DbError::io(path, source))?;
        let loaded = load_path(&absolute)?;
        let name = absolute.display().to_string();
        sources.push(SourceReport {
            name: name.clone(),
            kind: loaded.kind,
            record_count: loaded.records.len(),
            problems: loaded.problems,
        });
        replacements.push(store::SourceRecords {
            info: SourceInfo {
                name: name.clone(),
                location: name,
                record_count: loaded.records.len(),
                imported_at: store::now_rfc3339(),
                etag: None,
                last_modified: None,
            },
            records: loaded.records,
        });
    }
    let manifest = store.commit(&lock, replacements)?;
    Ok(ImportReport {
        sources,
        record_count: manifest.record_count,
    })
}

/// `db status`: what the store holds, per source and per ecosystem.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub location: PathBuf,
    /// `None` before the first import or update.
    pub snapshot: Option<SnapshotStatus>,
    pub scanned_ecosystems: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SnapshotStatus {
    pub created_at: String,
    pub record_count: usize,
    pub withdrawn_count: usize,
    pub sources: Vec<SourceStatus>,
    pub ecosystems: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceStatus {
    #[serde(flatten)]
    pub source: SourceInfo,
    /// Seconds since the source was imported or downloaded; `None` if its time is unreadable.
    pub age_seconds: Option<i64>,
}

pub fn status(store: &Store) -> Result<Status, DbError> {
    let now = time::OffsetDateTime::now_utc();
    let snapshot = store.open()?.map(|snapshot| {
        let manifest = snapshot.manifest().clone();
        SnapshotStatus {
            created_at: manifest.created_at,
            record_count: manifest.record_count,
            withdrawn_count: manifest.withdrawn_count,
            sources: manifest
                .sources
                .into_iter()
                .map(|source| SourceStatus {
                    age_seconds: source.age_seconds(now),
                    source,
                })
                .collect(),
            ecosystems: manifest.ecosystems,
        }
    });
    Ok(Status {
        location: store.root().to_owned(),
        snapshot,
        scanned_ecosystems: store.scanned_ecosystems()?,
    })
}

//! Reading advisories from files, directories, osv.dev archives and RustSec checkouts.

use std::fs::{self, File};
use std::io::Read;
use std::path::Path;

use serde::Serialize;
use walkdir::WalkDir;

use crate::osv::{self, Osv};
use crate::rustsec;
use crate::store::unknown_range_problems;
use crate::{DbError, Problem};

/// No OSV record comes near this; a larger file or archive entry is refused unread.
const MAX_RECORD_BYTES: u64 = 32 * 1024 * 1024;
/// osv.dev's largest ecosystem archives hold a few hundred thousand records.
const MAX_ARCHIVE_ENTRIES: usize = 2_000_000;
/// Bounds what an archive may inflate to, whatever its headers claim.
const MAX_ARCHIVE_BYTES: u64 = 16 * 1024 * 1024 * 1024;

/// What kind of input a source was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    OsvFile,
    OsvDirectory,
    OsvArchive,
    RustSecCheckout,
    RustSecAdvisory,
}

/// The records read from one input, and every file that could not be read.
#[derive(Debug)]
pub struct Loaded {
    pub kind: SourceKind,
    pub records: Vec<Osv>,
    pub problems: Vec<Problem>,
}

impl Loaded {
    fn new(kind: SourceKind) -> Self {
        Self {
            kind,
            records: Vec::new(),
            problems: Vec::new(),
        }
    }

    fn take(&mut self, file: String, parsed: Result<Osv, String>) {
        match parsed {
            Ok(record) => {
                self.problems.extend(unknown_range_problems(&record, &file));
                self.records.push(record);
            }
            Err(reason) => self.problems.push(Problem { file, reason }),
        }
    }
}

/// Reads every advisory `path` holds: an OSV JSON or YAML file, a RustSec advisory, a zip
/// archive of OSV JSON, a RustSec advisory-db checkout, or a directory searched recursively
/// for OSV files.
pub fn load_path(path: &Path) -> Result<Loaded, DbError> {
    let metadata = fs::metadata(path).map_err(|source| DbError::io(path, source))?;
    if metadata.is_dir() {
        return if is_rustsec_checkout(path) {
            load_rustsec_checkout(path)
        } else {
            load_directory(path)
        };
    }
    let kind = match extension(path).as_deref() {
        Some("zip") => return load_archive(path),
        Some("md") => SourceKind::RustSecAdvisory,
        _ => SourceKind::OsvFile,
    };
    let mut loaded = Loaded::new(kind);
    loaded.take(path.display().to_string(), parse_file(path));
    Ok(loaded)
}

fn extension(path: &Path) -> Option<String> {
    path.extension()
        .and_then(|extension| extension.to_str())
        .map(str::to_ascii_lowercase)
}

/// advisory-db's layout: `crates/<name>/RUSTSEC-*.md`.
fn is_rustsec_checkout(path: &Path) -> bool {
    let Ok(crates) = fs::read_dir(path.join("crates")) else {
        return false;
    };
    crates.flatten().take(50).any(|entry| {
        fs::read_dir(entry.path()).is_ok_and(|mut files| {
            files.any(|file| {
                file.is_ok_and(|file| {
                    let name = file.file_name();
                    let name = name.to_string_lossy();
                    name.starts_with("RUSTSEC-") && name.ends_with(".md")
                })
            })
        })
    })
}

/// The TOML advisories, `crates/<crate>/RUSTSEC-*.md` and `rust/<component>/CVE-*.md`;
/// other directories (such as an `osv/` export beside them) are not advisories of the checkout.
fn load_rustsec_checkout(root: &Path) -> Result<Loaded, DbError> {
    let mut loaded = Loaded::new(SourceKind::RustSecCheckout);
    for directory in ["crates", "rust"] {
        let base = root.join(directory);
        for path in walk(&base)? {
            let in_package_directory = path.parent().and_then(Path::parent) == Some(base.as_path());
            if in_package_directory && extension(&path).as_deref() == Some("md") {
                loaded.take(path.display().to_string(), parse_file(&path));
            }
        }
    }
    Ok(loaded)
}

fn load_directory(root: &Path) -> Result<Loaded, DbError> {
    let mut loaded = Loaded::new(SourceKind::OsvDirectory);
    for path in walk(root)? {
        if matches!(extension(&path).as_deref(), Some("json" | "yaml" | "yml")) {
            loaded.take(path.display().to_string(), parse_file(&path));
        }
    }
    Ok(loaded)
}

/// The files under `root`, sorted, skipping hidden directories such as `.git`.
fn walk(root: &Path) -> Result<Vec<std::path::PathBuf>, DbError> {
    if !root.exists() {
        return Ok(Vec::new());
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
        });
    for entry in walker {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(root).to_owned();
            DbError::io(&path, error.into())
        })?;
        if entry.file_type().is_file() {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

fn parse_file(path: &Path) -> Result<Osv, String> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_RECORD_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|error| error.to_string())?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(format!("larger than {MAX_RECORD_BYTES} bytes"));
    }
    parse_bytes(extension(path).as_deref(), &bytes)
}

/// Parses one file's bytes by its extension: `.yaml`/`.yml` OSV, `.md` RustSec, else OSV JSON.
pub fn parse_bytes(extension: Option<&str>, bytes: &[u8]) -> Result<Osv, String> {
    match extension {
        Some("yaml" | "yml" | "md") => {
            let text = std::str::from_utf8(bytes).map_err(|error| format!("not UTF-8: {error}"))?;
            if extension == Some("md") {
                rustsec::parse_advisory(text).map_err(|error| error.to_string())
            } else {
                osv::parse_yaml(text).map_err(|error| error.to_string())
            }
        }
        _ => osv::parse_json(bytes).map_err(|error| error.to_string()),
    }
}

/// An osv.dev export: a zip of OSV JSON records, read with bounds on entry count and sizes,
/// and refusing entries whose names leave the archive (`..`, absolute paths).
pub(crate) fn load_archive(path: &Path) -> Result<Loaded, DbError> {
    let file = File::open(path).map_err(|source| DbError::io(path, source))?;
    let archive_error = |reason: String| DbError::Archive {
        path: path.to_owned(),
        reason,
    };
    let mut archive =
        zip::ZipArchive::new(file).map_err(|error| archive_error(error.to_string()))?;
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        return Err(archive_error(format!(
            "{} entries, more than the {MAX_ARCHIVE_ENTRIES} allowed",
            archive.len()
        )));
    }
    let mut loaded = Loaded::new(SourceKind::OsvArchive);
    let mut inflated = 0u64;
    for position in 0..archive.len() {
        let mut entry = archive
            .by_index(position)
            .map_err(|error| archive_error(format!("entry {position}: {error}")))?;
        let entry_name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(error) => {
                loaded.problems.push(Problem {
                    file: format!("{}!entry {position}", path.display()),
                    reason: format!("the entry name cannot be read: {error}"),
                });
                continue;
            }
        };
        let label = format!("{}!{entry_name}", path.display());
        if entry.is_dir() {
            continue;
        }
        if entry.enclosed_name().is_none() {
            loaded.problems.push(Problem {
                file: label,
                reason: "the entry name leaves the archive".to_owned(),
            });
            continue;
        }
        if extension(Path::new(&entry_name)).as_deref() != Some("json") {
            continue;
        }
        let mut bytes = Vec::new();
        // The declared size is the archive's word; the bound is on what is actually inflated.
        if let Err(error) = entry
            .by_ref()
            .take(MAX_RECORD_BYTES + 1)
            .read_to_end(&mut bytes)
        {
            loaded.problems.push(Problem {
                file: label,
                reason: error.to_string(),
            });
            continue;
        }
        inflated += bytes.len() as u64;
        if inflated > MAX_ARCHIVE_BYTES {
            return Err(archive_error(format!(
                "inflates to more than {MAX_ARCHIVE_BYTES} bytes"
            )));
        }
        let parsed = if bytes.len() as u64 > MAX_RECORD_BYTES {
            Err(format!("larger than {MAX_RECORD_BYTES} bytes"))
        } else {
            osv::parse_json(&bytes).map_err(|error| error.to_string())
        };
        loaded.take(label, parsed);
    }
    Ok(loaded)
}

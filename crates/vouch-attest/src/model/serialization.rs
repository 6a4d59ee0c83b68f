//! Serialising a model into a manifest: which files belong to it, how they are named, and their
//! digests, by whole file (`files`) or by fixed-size shard (`shards`).
//!
//! Enumeration follows model_signing: every regular file under the model root, named by its
//! path relative to the root with `/` separators; a model that is a single file is one resource
//! named `.`. Ignored paths match whole components (`a/b` ignores `a/b` and everything under
//! it, not `a/bc`). Symbolic links are refused unless allowed; when allowed, a link to a file is
//! hashed as its target under the link's name and a link to a directory is neither followed
//! nor recorded.

use std::cmp::Ordering;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest as _, Sha256};

use super::hashing::{HashAlgorithm, hash_file_range};

/// The default shard size of model_signing (1 GB).
pub const DEFAULT_SHARD_SIZE: u64 = 1_000_000_000;

/// The largest shard size: statements record it as a JSON double (as model_signing's
/// protobuf `Struct` does), exact only up to 2^53.
pub const MAX_SHARD_SIZE: u64 = 1 << 53;

/// Paths model_signing leaves out of every model by default: what git keeps beside the files.
pub const GIT_PATHS: [&str; 4] = [".git", ".gitattributes", ".github", ".gitignore"];

/// Why a model could not be serialised.
#[derive(Debug, thiserror::Error)]
pub enum SerializeError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is a symbolic link; symbolic links are followed only when allowed")]
    Symlink { path: PathBuf },
    #[error("{path} is a broken symbolic link")]
    BrokenSymlink { path: PathBuf },
    #[error("{path} is neither a regular file nor a directory")]
    SpecialFile { path: PathBuf },
    #[error("{path} is not valid UTF-8, so it cannot be named in a manifest")]
    NonUtf8Path { path: PathBuf },
    #[error(
        "ignore path `{path}` must be relative to the model, without `..` (model_signing ignores nothing outside the model)"
    )]
    IgnorePathOutsideModel { path: String },
    #[error("the shard size {0} is not between 1 byte and 2^53 bytes")]
    ShardSize(u64),
}

/// How files are cut into resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "method", rename_all = "lowercase")]
pub enum Method {
    /// One resource per file.
    Files,
    /// One resource per `shard_size` bytes of each file; empty files have none.
    Shards { shard_size: u64 },
}

impl Method {
    /// The `method` value of the serialisation description.
    pub fn name(self) -> &'static str {
        match self {
            Self::Files => "files",
            Self::Shards { .. } => "shards",
        }
    }
}

/// The parameters a manifest was serialised with, as the signature records them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Serialization {
    pub method: Method,
    pub hash: HashAlgorithm,
    pub allow_symlinks: bool,
    /// Ignored paths relative to the model root, `/`-separated, sorted.
    pub ignore_paths: Vec<String>,
}

impl Serialization {
    /// The `algorithm` every resource carries: the hash name, or for shards
    /// `<hash>-sharded-<shard_size>`.
    pub fn resource_algorithm(&self) -> String {
        match self.method {
            Method::Files => self.hash.name().to_owned(),
            Method::Shards { shard_size } => format!("{}-sharded-{shard_size}", self.hash.name()),
        }
    }
}

/// One file, or one shard of a file, and its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The file's path relative to the model root (`.` for a single-file model).
    pub path: String,
    /// `start..end` byte offsets for a shard.
    pub shard: Option<(u64, u64)>,
    pub digest: Vec<u8>,
}

impl Resource {
    /// The resource's name: the path, or `path:start:end` for a shard.
    pub fn name(&self) -> String {
        match self.shard {
            None => self.path.clone(),
            Some((start, end)) => format!("{}:{start}:{end}", self.path),
        }
    }

    /// model_signing's order: by path components, then by shard offsets as numbers, so
    /// `a/b` precedes `a-c` and `f:8:16` precedes `f:16:24`.
    pub(crate) fn order(&self, other: &Self) -> Ordering {
        self.path
            .split('/')
            .cmp(other.path.split('/'))
            .then_with(|| self.shard.cmp(&other.shard))
    }
}

/// A serialised model: its name (informational), how it was serialised, and its resources in
/// model_signing's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub model_name: String,
    pub serialization: Serialization,
    pub resources: Vec<Resource>,
}

impl Manifest {
    /// SHA-256 over the concatenated resource digests, in resource order: the statement's
    /// subject digest, whatever the resource hash algorithm.
    pub fn root_digest(&self) -> [u8; 32] {
        root_digest(
            self.resources
                .iter()
                .map(|resource| resource.digest.as_slice()),
        )
    }
}

pub(crate) fn root_digest<'a>(digests: impl Iterator<Item = &'a [u8]>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for digest in digests {
        hasher.update(digest);
    }
    hasher.finalize().into()
}

/// What to hash and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashingOptions {
    pub method: Method,
    pub hash: HashAlgorithm,
    pub allow_symlinks: bool,
    /// Paths relative to the model root to leave out, with everything under them.
    pub ignore_paths: Vec<String>,
    /// Also leave out [`GIT_PATHS`], as model_signing does by default.
    pub ignore_git_paths: bool,
}

impl Default for HashingOptions {
    fn default() -> Self {
        Self {
            method: Method::Files,
            hash: HashAlgorithm::Sha256,
            allow_symlinks: false,
            ignore_paths: Vec::new(),
            ignore_git_paths: true,
        }
    }
}

impl HashingOptions {
    /// The ignore paths in force, normalised and sorted.
    fn effective_ignore_paths(&self) -> Result<Vec<String>, SerializeError> {
        let mut paths = self
            .ignore_paths
            .iter()
            .map(|path| normalize_relative(path))
            .collect::<Result<Vec<_>, _>>()?;
        if self.ignore_git_paths {
            paths.extend(GIT_PATHS.iter().map(|path| (*path).to_owned()));
        }
        paths.retain(|path| !path.is_empty());
        paths.sort();
        paths.dedup();
        Ok(paths)
    }
}

/// `a/./b/` → `a/b`; rejects absolute paths and `..` (model_signing drops ignore paths that
/// leave the model; refusing them says so instead of silently ignoring nothing).
fn normalize_relative(path: &str) -> Result<String, SerializeError> {
    let mut parts = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => match part.to_str() {
                Some(part) => parts.push(part),
                None => {
                    return Err(SerializeError::NonUtf8Path {
                        path: PathBuf::from(path),
                    });
                }
            },
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(SerializeError::IgnorePathOutsideModel {
                    path: path.to_owned(),
                });
            }
        }
    }
    Ok(parts.join("/"))
}

/// Whether `relative` is one of `ignored` or lies under one of them.
fn is_ignored(relative: &str, ignored: &[String]) -> bool {
    ignored.iter().any(|ignored| {
        relative == ignored
            || relative
                .strip_prefix(ignored.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// A file to hash, found under the model root.
struct ModelFile {
    /// Where to read it (a symbolic link is read through).
    location: PathBuf,
    name: String,
    length: u64,
}

/// Serialises the model at `model_path` (a directory or a single file).
pub fn hash_model(model_path: &Path, options: &HashingOptions) -> Result<Manifest, SerializeError> {
    if let Method::Shards { shard_size } = options.method
        && !(1..=MAX_SHARD_SIZE).contains(&shard_size)
    {
        return Err(SerializeError::ShardSize(shard_size));
    }
    let ignore_paths = options.effective_ignore_paths()?;
    let files = enumerate(model_path, options.allow_symlinks, &ignore_paths)?;
    let mut resources = hash_resources(&files, &plan(&files, options.method), options.hash)?;
    resources.sort_by(Resource::order);
    Ok(Manifest {
        model_name: model_name(model_path),
        serialization: Serialization {
            method: options.method,
            hash: options.hash,
            allow_symlinks: options.allow_symlinks,
            ignore_paths,
        },
        resources,
    })
}

/// One resource to hash: a whole file, or one shard of it.
struct Job {
    /// Index into the model's files.
    file: usize,
    shard: Option<(u64, u64)>,
    /// Bytes to read.
    length: u64,
}

/// The resources `method` cuts `files` into.
fn plan(files: &[ModelFile], method: Method) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (index, file) in files.iter().enumerate() {
        match method {
            Method::Files => jobs.push(Job {
                file: index,
                shard: None,
                length: file.length,
            }),
            Method::Shards { shard_size } => {
                let mut start = 0;
                while start < file.length {
                    let end = start.saturating_add(shard_size).min(file.length);
                    jobs.push(Job {
                        file: index,
                        shard: Some((start, end)),
                        length: end - start,
                    });
                    start = end;
                }
            }
        }
    }
    jobs
}

/// Hashes every job on the rayon pool, largest first so that no worker is left alone with a
/// big file at the end. Jobs are handed out one at a time (`with_max_len(1)`): rayon would
/// otherwise cut the schedule into a few contiguous runs up front, and the first run, holding
/// all the largest files, would be hashed by one worker while the other ran out of work.
fn hash_resources(
    files: &[ModelFile],
    jobs: &[Job],
    hash: HashAlgorithm,
) -> Result<Vec<Resource>, SerializeError> {
    let mut schedule: Vec<&Job> = jobs.iter().collect();
    schedule.sort_by_key(|job| std::cmp::Reverse(job.length));
    schedule
        .into_par_iter()
        .with_max_len(1)
        .map(|job| {
            let file = &files[job.file];
            let (start, end) = job
                .shard
                .map_or((0, None), |(start, end)| (start, Some(end)));
            let digest = hash_file_range(&file.location, hash, start, end).map_err(|source| {
                SerializeError::Io {
                    path: file.location.clone(),
                    source,
                }
            })?;
            Ok(Resource {
                path: file.name.clone(),
                shard: job.shard,
                digest,
            })
        })
        .collect()
}

/// The last component of the model path, or of its canonical form for `.`, `..` and `/`.
fn model_name(model_path: &Path) -> String {
    let name = match model_path.components().next_back() {
        Some(Component::Normal(name)) => Some(name.to_string_lossy().into_owned()),
        _ => fs::canonicalize(model_path).ok().and_then(|canonical| {
            canonical
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
        }),
    };
    name.unwrap_or_default()
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> SerializeError + '_ {
    move |source| SerializeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a path is once model_signing's symlink rule is applied.
enum Kind {
    File(u64),
    Directory,
    /// A symbolic link to a directory, allowed but not followed.
    LinkedDirectory,
}

fn classify(path: &Path, allow_symlinks: bool) -> Result<Kind, SerializeError> {
    let metadata = fs::symlink_metadata(path).map_err(io_error(path))?;
    let file_type = metadata.file_type();
    if file_type.is_symlink() {
        if !allow_symlinks {
            return Err(SerializeError::Symlink {
                path: path.to_path_buf(),
            });
        }
        let target = fs::metadata(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                SerializeError::BrokenSymlink {
                    path: path.to_path_buf(),
                }
            } else {
                io_error(path)(source)
            }
        })?;
        return if target.is_file() {
            Ok(Kind::File(target.len()))
        } else if target.is_dir() {
            Ok(Kind::LinkedDirectory)
        } else {
            Err(SerializeError::SpecialFile {
                path: path.to_path_buf(),
            })
        };
    }
    if file_type.is_file() {
        Ok(Kind::File(metadata.len()))
    } else if file_type.is_dir() {
        Ok(Kind::Directory)
    } else {
        Err(SerializeError::SpecialFile {
            path: path.to_path_buf(),
        })
    }
}

fn enumerate(
    model_path: &Path,
    allow_symlinks: bool,
    ignore_paths: &[String],
) -> Result<Vec<ModelFile>, SerializeError> {
    match classify(model_path, allow_symlinks)? {
        Kind::File(length) => {
            return Ok(vec![ModelFile {
                location: model_path.to_path_buf(),
                name: ".".to_owned(),
                length,
            }]);
        }
        Kind::LinkedDirectory => return Ok(Vec::new()),
        Kind::Directory => {}
    }
    let mut files = Vec::new();
    let mut walker = walkdir::WalkDir::new(model_path)
        .min_depth(1)
        .follow_links(false)
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|error| {
            let path = error.path().unwrap_or(model_path).to_path_buf();
            SerializeError::Io {
                source: error.into_io_error().unwrap_or_else(|| {
                    std::io::Error::other("directory loop while walking the model")
                }),
                path,
            }
        })?;
        let path = entry.path();
        let name = relative_name(model_path, path)?;
        if is_ignored(&name, ignore_paths) {
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        match classify(path, allow_symlinks)? {
            Kind::File(length) => files.push(ModelFile {
                location: path.to_path_buf(),
                name,
                length,
            }),
            Kind::Directory | Kind::LinkedDirectory => {}
        }
    }
    Ok(files)
}

fn relative_name(model_path: &Path, path: &Path) -> Result<String, SerializeError> {
    let relative = path
        .strip_prefix(model_path)
        .map_err(|_| SerializeError::NonUtf8Path {
            path: path.to_path_buf(),
        })?;
    let mut parts = Vec::new();
    for component in relative.components() {
        let part = component
            .as_os_str()
            .to_str()
            .ok_or_else(|| SerializeError::NonUtf8Path {
                path: path.to_path_buf(),
            })?;
        parts.push(part);
    }
    Ok(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignore_paths_match_whole_components() {
        let ignored = vec!["a/b".to_owned()];
        assert!(is_ignored("a/b", &ignored));
        assert!(is_ignored("a/b/c", &ignored));
        assert!(!is_ignored("a/bc", &ignored));
        assert!(!is_ignored("a", &ignored));
    }

    #[test]
    fn ignore_paths_are_normalised_and_kept_inside_the_model() {
        assert_eq!(normalize_relative("./a//b/").ok(), Some("a/b".to_owned()));
        assert!(matches!(
            normalize_relative("../x"),
            Err(SerializeError::IgnorePathOutsideModel { .. })
        ));
        assert!(matches!(
            normalize_relative("/etc/passwd"),
            Err(SerializeError::IgnorePathOutsideModel { .. })
        ));
    }

    #[test]
    fn resources_sort_by_components_then_numeric_offsets() {
        let resource = |path: &str, shard| Resource {
            path: path.to_owned(),
            shard,
            digest: Vec::new(),
        };
        let mut resources = [
            resource("a-c", None),
            resource("f", Some((16, 24))),
            resource("a/b", None),
            resource("f", Some((8, 16))),
        ];
        resources.sort_by(Resource::order);
        let names: Vec<String> = resources.iter().map(Resource::name).collect();
        assert_eq!(names, ["a/b", "a-c", "f:8:16", "f:16:24"]);
    }
}

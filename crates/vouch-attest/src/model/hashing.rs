//! The digests a model's resources are recorded with, computed by streaming a byte range of a
//! file through a bounded buffer.

use std::cell::RefCell;
use std::fs::File;
use std::io::{Read as _, Seek as _, SeekFrom};
use std::path::Path;

use sha2::Digest as _;

/// Bytes read from a file per call. Small enough that the buffer stays in the core's L2 cache
/// between the kernel's copy into it and the hash reading it: from the page cache, a 128 KiB
/// buffer costs a fifth of the system time of a 256 KiB or larger one (0.08 s against 0.4 s
/// per GiB on the benchmark machine, see bench/results/model.md), while SHA-256 itself runs
/// at the same speed. Large enough that the read calls cost nothing next to the hashing.
const READ_BUFFER_SIZE: usize = 128 * 1024;

thread_local! {
    /// Each thread's read buffer, reused across the files it hashes: allocating and faulting
    /// in a fresh buffer per small file costs as much as reading it.
    static READ_BUFFER: RefCell<Vec<u8>> = RefCell::new(vec![0; READ_BUFFER_SIZE]);
}

/// A hash algorithm of the OMS algorithm registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlgorithm {
    #[default]
    Sha256,
    /// BLAKE2b with a 512-bit digest.
    Blake2b,
    Blake3,
}

impl HashAlgorithm {
    /// The name recorded in `hash_type` and in each resource's `algorithm`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Blake2b => "blake2b",
            Self::Blake3 => "blake3",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha256" => Some(Self::Sha256),
            "blake2b" => Some(Self::Blake2b),
            "blake3" => Some(Self::Blake3),
            _ => None,
        }
    }

    /// The digest length in bytes.
    pub fn digest_length(self) -> usize {
        match self {
            Self::Sha256 | Self::Blake3 => 32,
            Self::Blake2b => 64,
        }
    }

    fn hasher(self) -> Hasher {
        match self {
            Self::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Self::Blake2b => Hasher::Blake2b(blake2::Blake2b512::new()),
            Self::Blake3 => Hasher::Blake3(Box::new(blake3::Hasher::new())),
        }
    }
}

impl std::fmt::Display for HashAlgorithm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

enum Hasher {
    Sha256(sha2::Sha256),
    Blake2b(blake2::Blake2b512),
    Blake3(Box<blake3::Hasher>),
}

impl Hasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha256(hasher) => hasher.update(bytes),
            Self::Blake2b(hasher) => hasher.update(bytes),
            Self::Blake3(hasher) => {
                hasher.update(bytes);
            }
        }
    }

    fn finish(self) -> Vec<u8> {
        match self {
            Self::Sha256(hasher) => hasher.finalize().to_vec(),
            Self::Blake2b(hasher) => hasher.finalize().to_vec(),
            Self::Blake3(hasher) => hasher.finalize().as_bytes().to_vec(),
        }
    }
}

/// Hashes bytes `start..end` of `path` (the whole file when `end` is `None`) through this
/// thread's read buffer. A file shorter than `end` hashes what it has, so a truncated file
/// yields a different digest, not an error.
pub(crate) fn hash_file_range(
    path: &Path,
    algorithm: HashAlgorithm,
    start: u64,
    end: Option<u64>,
) -> std::io::Result<Vec<u8>> {
    READ_BUFFER.with_borrow_mut(|buffer| hash_range_through(path, algorithm, start, end, buffer))
}

fn hash_range_through(
    path: &Path,
    algorithm: HashAlgorithm,
    start: u64,
    end: Option<u64>,
    buffer: &mut [u8],
) -> std::io::Result<Vec<u8>> {
    let mut file = File::open(path)?;
    if start > 0 {
        file.seek(SeekFrom::Start(start))?;
    }
    let mut remaining = end.map(|end| end.saturating_sub(start));
    let mut hasher = algorithm.hasher();
    loop {
        let wanted = match remaining {
            Some(0) => break,
            Some(remaining) => usize::try_from(remaining)
                .map_or(buffer.len(), |remaining| remaining.min(buffer.len())),
            None => buffer.len(),
        };
        let Some(window) = buffer.get_mut(..wanted) else {
            break;
        };
        let read = match file.read(window) {
            Ok(0) => break,
            Ok(read) => read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        hasher.update(window.get(..read).unwrap_or_default());
        if let Some(remaining) = remaining.as_mut() {
            *remaining -= read as u64;
        }
    }
    Ok(hasher.finish())
}

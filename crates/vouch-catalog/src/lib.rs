//! Source catalogers: each reads one lockfile or manifest format into the neutral model.
//!
//! A cataloger is pure: it gets the file's text (and a way to read files next to it, for
//! `-r` includes, `go.sum` or Maven parents) and returns components and relationships. The
//! directory walk in [`walk`] finds files, runs the matching cataloger on each in parallel, and
//! merges the results into one [`vouch_model::Bom`].

mod cpp;
mod dart;
mod dotnet;
mod elixir;
mod go;
mod haskell;
mod java;
mod javascript;
mod julia;
pub mod manifest;
mod php;
mod python;
mod r;
mod ruby;
mod rust;
mod swift;
pub mod walk;
mod yaml;

use std::path::{Path, PathBuf};

use vouch_model::{Component, Relationship};

pub use manifest::{
    DeclaredRequirement, DeclaredRequirements, DependencyKind, SkippedDeclaration,
    declared_requirements, parse_manifest,
};
pub use walk::{CatalogOptions, CatalogReport, FileFailure, catalog_path};

/// What one cataloger found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    pub components: Vec<Component>,
    pub relationships: Vec<Relationship>,
    /// Things the cataloger skipped or could not interpret, said in a sentence each, with the line
    /// where there is one. Lenient, never silent.
    pub warnings: Vec<String>,
}

impl Catalog {
    /// Whether a component with `id` is already catalogued.
    pub(crate) fn contains(&self, id: &vouch_model::ComponentId) -> bool {
        self.components.iter().any(|known| &known.id == id)
    }

    /// Adds `component` unless one with its id is already catalogued: the first entry wins.
    pub(crate) fn push_unique(&mut self, component: Component) {
        if !self.contains(&component.id) {
            self.components.push(component);
        }
    }
}

/// One file handed to a cataloger.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    /// Path of the file as shown to users: relative to the scanned root, `/`-separated.
    pub path: &'a str,
    pub contents: &'a str,
    /// Reads files relative to the directory holding this file.
    pub files: &'a dyn FileSource,
}

impl std::fmt::Debug for Input<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Input")
            .field("path", &self.path)
            .field("contents_len", &self.contents.len())
            .finish()
    }
}

impl<'a> Input<'a> {
    /// An error at `line` (1-based) of this file.
    pub fn error(&self, line: Option<usize>, message: impl Into<String>) -> CatalogError {
        CatalogError::Parse {
            path: self.path.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// A location in this file.
    pub fn location(&self, line: Option<usize>) -> vouch_model::Location {
        vouch_model::Location {
            path: self.path.to_owned(),
            line: line.and_then(|line| u32::try_from(line).ok()),
        }
    }

    /// This file as a JSON document of shape `T`; `None` when it is blank (nothing to catalog).
    /// Syntax and shape errors carry their line, their message after `error_prefix`.
    pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
        &self,
        error_prefix: &str,
    ) -> Result<Option<T>, CatalogError> {
        if self.contents.trim().is_empty() {
            return Ok(None);
        }
        serde_json::from_str(self.contents)
            .map(Some)
            .map_err(|error| self.error(Some(error.line()), format!("{error_prefix}{error}")))
    }

    /// A location in the file `name` beside this one (a manifest read through [`Input::files`]).
    pub fn sibling_location(&self, name: &str, line: Option<usize>) -> vouch_model::Location {
        let path = match self.path.rsplit_once('/') {
            Some((directory, _)) => format!("{directory}/{name}"),
            None => name.to_owned(),
        };
        vouch_model::Location {
            path,
            line: line.and_then(|line| u32::try_from(line).ok()),
        }
    }
}

/// Access to files beside the one being catalogued.
pub trait FileSource: Sync {
    /// Reads `relative` (resolved against the catalogued file's directory). `Ok(None)` when the
    /// file does not exist.
    fn read(&self, relative: &str) -> Result<Option<String>, CatalogError>;
}

/// Reads from the real file system, relative to `directory`.
#[derive(Debug, Clone)]
pub struct DirectorySource {
    pub directory: PathBuf,
}

impl FileSource for DirectorySource {
    fn read(&self, relative: &str) -> Result<Option<String>, CatalogError> {
        let path = self.directory.join(relative);
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(CatalogError::Io { path, source }),
        }
    }
}

/// A source with no files at all: for a lockfile read from stdin, and for fuzzing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoFiles;

impl FileSource for NoFiles {
    fn read(&self, _relative: &str) -> Result<Option<String>, CatalogError> {
        Ok(None)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{path}{}: {message}", line.map(|line| format!(":{line}")).unwrap_or_default())]
    Parse {
        path: String,
        line: Option<usize>,
        message: String,
    },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// A reader of one lockfile or manifest format.
pub trait Cataloger: Send + Sync {
    /// Stable short name (`cargo-lock`, `package-lock`, ...), used in properties and messages.
    fn name(&self) -> &'static str;

    /// Whether a file with this name (no directory) is this cataloger's format.
    fn matches(&self, file_name: &str) -> bool;

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError>;
}

/// Every cataloger vouch has, in a fixed order.
pub fn catalogers() -> Vec<Box<dyn Cataloger>> {
    [
        rust::catalogers(),
        javascript::catalogers(),
        python::catalogers(),
        go::catalogers(),
        ruby::catalogers(),
        php::catalogers(),
        elixir::catalogers(),
        java::catalogers(),
        dotnet::catalogers(),
        dart::catalogers(),
        r::catalogers(),
        cpp::catalogers(),
        swift::catalogers(),
        haskell::catalogers(),
        julia::catalogers(),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// The cataloger for a file name, if any.
pub fn cataloger_for(file_name: &str) -> Option<Box<dyn Cataloger>> {
    catalogers()
        .into_iter()
        .find(|cataloger| cataloger.matches(file_name))
}

/// Catalogs one file on disk with the cataloger its name selects. `display_path` is how the file
/// is named in locations and errors.
/// A lockfile or manifest as text: invalid UTF-8 replaced rather than refused, since the
/// formats are ASCII in their structure and a stray byte in a description must not lose the
/// file, and without the byte-order mark some Windows editors write.
pub(crate) fn read_text(path: &Path) -> std::io::Result<String> {
    let bytes = std::fs::read(path)?;
    // Valid UTF-8, the usual case, is taken without a copy.
    let mut text = String::from_utf8(bytes)
        .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

pub fn catalog_file(
    cataloger: &dyn Cataloger,
    path: &Path,
    display_path: &str,
) -> Result<Catalog, CatalogError> {
    let contents = read_text(path).map_err(|source| CatalogError::Io {
        path: path.to_owned(),
        source,
    })?;
    let files = DirectorySource {
        directory: path.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    cataloger.catalog(&Input {
        path: display_path,
        contents: &contents,
        files: &files,
    })
}

/// The hash `value` spells, when it is a hex digest of `algorithm`'s length (any case).
pub fn hex_hash(algorithm: vouch_model::HashAlgorithm, value: &str) -> Option<vouch_model::Hash> {
    (value.len() == algorithm.hex_len() && value.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .then(|| vouch_model::Hash::new(algorithm, value))
}

/// Line numbers (1-based) of increasing byte offsets, counted in one pass over the text: finding
/// each entry's line with [`line_of_offset`] would rescan the file from the start every time.
#[derive(Debug, Clone)]
pub struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of `offset`; offsets are expected in increasing order.
    pub fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            return line_of_offset(self.text, offset);
        }
        let skipped = self
            .text
            .as_bytes()
            .get(self.offset..offset)
            .unwrap_or_default();
        self.line += skipped.iter().filter(|&&byte| byte == b'\n').count();
        self.offset = offset;
        self.line
    }
}

/// Line number (1-based) of byte `offset` in `text`.
pub fn line_of_offset(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&byte| byte == b'\n')
        .count()
        + 1
}

/// The edge kind that gives its target `scope`.
pub(crate) fn relationship_kind(scope: vouch_model::Scope) -> vouch_model::RelationshipKind {
    use vouch_model::{RelationshipKind, Scope};
    match scope {
        Scope::Required => RelationshipKind::DependsOn,
        Scope::Optional => RelationshipKind::OptionalDependsOn,
        Scope::Dev => RelationshipKind::DevDependsOn,
        Scope::Peer => RelationshipKind::PeerDependsOn,
        Scope::Build => RelationshipKind::BuildDependsOn,
    }
}

/// The segments of a `/`-separated relative path with `.` and empty segments dropped and each
/// `..` cancelling the segment before it; leading `..` segments are kept.
pub(crate) fn collapse_dot_segments(path: &str) -> Vec<&str> {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." if segments.last().is_some_and(|last| *last != "..") => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    segments
}

//! Declared requirements: the version ranges a project's manifests allow for its direct
//! dependencies (`serde = "1.0"` in Cargo.toml, `"lodash": "^4.17"` in package.json,
//! `requests>=2.8,<3` in pyproject.toml), with where each is written.
//!
//! A lockfile says which version is installed; the manifest says which versions the project
//! accepts. `vouch fix` needs both: an upgrade that stays inside the declared range is a lockfile
//! refresh, one outside it is a manifest edit.
//!
//! Only registry dependencies have a range to check. Declarations of path, git, URL and
//! workspace-protocol dependencies are reported in [`DeclaredRequirements::skipped`] with the
//! reason, never dropped silently.

mod cargo;
mod npm;
mod python;

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue};
use vouch_model::{Ecosystem, Location, pep503_normalize};

use crate::walk::{CatalogOptions, FileFailure, WalkError, find_files};
use crate::{CatalogError, line_of_offset, read_text};

/// One dependency declaration with a version range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredRequirement {
    /// [`Ecosystem::Cargo`], [`Ecosystem::Npm`] or [`Ecosystem::PyPI`]; its
    /// [`Ecosystem::osv_name`] picks the requirement syntax.
    pub ecosystem: Ecosystem,
    /// The registry package: the crate a Cargo rename points at, the package an `npm:` alias
    /// installs, PyPI names PEP 503 normalised.
    pub name: String,
    /// The name the manifest declares it under, when that is not [`Self::name`] (Cargo's
    /// `package = "..."`, npm's `npm:` aliases).
    pub alias: Option<String>,
    /// The version text as the manifest writes it (`^1.2`, `npm:lodash@^4`, `requests>=2,<3`,
    /// a poetry `~1.4`).
    pub written: String,
    /// The range in the ecosystem's requirement syntax (Cargo, node-semver or PEP 440): the
    /// written text, less an `npm:` alias or a PEP 508 name, and with poetry's `^` and `~`
    /// spelled in PEP 440. Empty means any version.
    pub requirement: String,
    pub kind: DependencyKind,
    /// The target (`cfg(windows)`), extra or dependency group the declaration belongs to.
    pub group: Option<String>,
    /// The manifest and line of the declaration.
    pub location: Location,
    /// For a Cargo `workspace = true` dependency, the `[workspace.dependencies]` entry that
    /// writes its range.
    pub inherited_from: Option<Location>,
}

/// What a declaration is needed for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DependencyKind {
    /// Needed at run time.
    Normal,
    /// Needed only with a feature or extra: Cargo `optional = true`, npm
    /// `optionalDependencies`, PEP 621 optional dependencies, poetry `optional = true`.
    Optional,
    /// Needed to develop or test the project.
    Dev,
    /// Needed by Cargo build scripts.
    Build,
    /// npm `peerDependencies`: provided by whoever installs the package.
    Peer,
    /// Cargo `[workspace.dependencies]`: a range the workspace's members inherit.
    Workspace,
}

/// A declaration with no version range to check, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedDeclaration {
    pub ecosystem: Ecosystem,
    /// The name as the manifest declares it.
    pub name: String,
    pub location: Location,
    pub reason: String,
}

/// What the manifests under a directory declare.
#[derive(Debug, Default)]
pub struct DeclaredRequirements {
    /// Sorted by manifest path and line.
    pub requirements: Vec<DeclaredRequirement>,
    pub skipped: Vec<SkippedDeclaration>,
    /// Manifests that could not be read; the others are still reported.
    pub failures: Vec<FileFailure>,
}

impl DeclaredRequirements {
    /// The requirements declared for the package `name` of the ecosystem OSV calls
    /// `osv_ecosystem` (`crates.io`, `npm`, `PyPI`), by any manifest. PyPI names match in any
    /// spelling PEP 503 equates (`Foo_Bar` is `foo-bar`).
    pub fn declared_for(
        &self,
        osv_ecosystem: &str,
        name: &str,
    ) -> impl Iterator<Item = &DeclaredRequirement> {
        let name = if osv_ecosystem == Ecosystem::PyPI.osv_name() {
            pep503_normalize(name)
        } else {
            name.to_owned()
        };
        let osv_ecosystem = osv_ecosystem.to_owned();
        self.requirements.iter().filter(move |declared| {
            declared.ecosystem.osv_name() == osv_ecosystem && declared.name == name
        })
    }

    fn extend(&mut self, other: Self) {
        self.requirements.extend(other.requirements);
        self.skipped.extend(other.skipped);
        self.failures.extend(other.failures);
    }

    fn sort(&mut self) {
        let key = |location: &Location| (location.path.clone(), location.line);
        self.requirements
            .sort_by_key(|declared| (key(&declared.location), declared.name.clone()));
        self.skipped
            .sort_by_key(|skipped| (key(&skipped.location), skipped.name.clone()));
    }
}

/// The manifest formats read, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    CargoToml,
    PackageJson,
    PyprojectToml,
    /// pip requirements (`requirements*.txt`) and pip-tools inputs (`requirements*.in`).
    Requirements,
}

impl Format {
    fn of(file_name: &str) -> Option<Self> {
        let lower = file_name.to_ascii_lowercase();
        match file_name {
            "Cargo.toml" => Some(Self::CargoToml),
            "package.json" => Some(Self::PackageJson),
            "pyproject.toml" => Some(Self::PyprojectToml),
            _ if lower.contains("requirements")
                && (lower.ends_with(".txt") || lower.ends_with(".in")) =>
            {
                Some(Self::Requirements)
            }
            _ => None,
        }
    }
}

/// Reads every manifest under `root` (a directory, walked with the same exclusions as
/// [`crate::catalog_path`], or one manifest file). Cargo `workspace = true` dependencies take
/// their range from the workspace root, found by walking up from the member as Cargo does, even
/// above `root`.
pub fn declared_requirements(
    root: &Path,
    options: &CatalogOptions,
) -> Result<DeclaredRequirements, WalkError> {
    let metadata = std::fs::metadata(root).map_err(|_| WalkError::NotFound {
        path: root.to_owned(),
    })?;
    let files = if metadata.is_file() {
        let name = root
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        if Format::of(&name).is_none() {
            return Err(WalkError::UnknownFormat {
                path: root.to_owned(),
            });
        }
        vec![(root.to_owned(), name)]
    } else {
        find_files(root, options, &|name| Format::of(name).is_some())?
    };
    let mut workspaces = cargo::Workspaces::default();
    let mut declared = DeclaredRequirements::default();
    for (path, display) in files {
        let format = path
            .file_name()
            .and_then(|name| Format::of(&name.to_string_lossy()));
        let result = read_text(&path)
            .map_err(|source| CatalogError::Io {
                path: path.clone(),
                source,
            })
            .and_then(|contents| {
                let contents = contents.as_str();
                match format {
                    Some(Format::CargoToml) => {
                        cargo::read(&path, &display, contents, &mut workspaces)
                    }
                    Some(format) => parse(format, &display, contents),
                    None => Err(not_a_manifest(&display)),
                }
            });
        match result {
            Ok(found) => declared.extend(found),
            Err(error) => declared.failures.push(FileFailure {
                path: display,
                error,
            }),
        }
    }
    declared.sort();
    Ok(declared)
}

/// Reads one manifest from its text. `file_name` picks the format; `path` names the file in
/// locations and errors. A Cargo `workspace = true` dependency is skipped here, since its range
/// is in another file: [`declared_requirements`] resolves it.
pub fn parse_manifest(
    file_name: &str,
    path: &str,
    contents: &str,
) -> Result<DeclaredRequirements, CatalogError> {
    let format = Format::of(file_name).ok_or_else(|| not_a_manifest(path))?;
    let mut found = parse(format, path, contents)?;
    found.sort();
    Ok(found)
}

fn not_a_manifest(path: &str) -> CatalogError {
    CatalogError::Parse {
        path: path.to_owned(),
        line: None,
        message: "not a manifest vouch reads (Cargo.toml, package.json, pyproject.toml, \
                  requirements*.txt or requirements*.in)"
            .to_owned(),
    }
}

fn parse(format: Format, path: &str, contents: &str) -> Result<DeclaredRequirements, CatalogError> {
    let mut found = Collector::new(path, contents);
    match format {
        Format::CargoToml => return cargo::parse(path, contents).map(cargo::Manifest::standalone),
        Format::PackageJson => npm::read(&mut found)?,
        Format::PyprojectToml => python::read_pyproject(&mut found)?,
        Format::Requirements => python::read_requirements(&mut found),
    }
    Ok(found.finish())
}

/// Declarations of one manifest, as they are found.
struct Collector<'a> {
    path: &'a str,
    contents: &'a str,
    found: DeclaredRequirements,
}

/// A declaration being recorded: everything but where it is.
struct Declaration {
    ecosystem: Ecosystem,
    name: String,
    alias: Option<String>,
    written: String,
    requirement: String,
    kind: DependencyKind,
    group: Option<String>,
}

impl<'a> Collector<'a> {
    fn new(path: &'a str, contents: &'a str) -> Self {
        Self {
            path,
            contents,
            found: DeclaredRequirements::default(),
        }
    }

    /// The location of byte `offset` of this manifest.
    fn location(&self, offset: usize) -> Location {
        location(self.path, line_of_offset(self.contents, offset))
    }

    fn declare(&mut self, declaration: Declaration, offset: usize) {
        let location = self.location(offset);
        self.declare_at(declaration, location, None);
    }

    fn declare_at(
        &mut self,
        declaration: Declaration,
        location: Location,
        inherited_from: Option<Location>,
    ) {
        let Declaration {
            ecosystem,
            name,
            alias,
            written,
            requirement,
            kind,
            group,
        } = declaration;
        self.found.requirements.push(DeclaredRequirement {
            ecosystem,
            name,
            alias,
            written,
            requirement,
            kind,
            group,
            location,
            inherited_from,
        });
    }

    fn skip(&mut self, ecosystem: Ecosystem, name: &str, offset: usize, reason: impl Into<String>) {
        let location = self.location(offset);
        self.skip_at(ecosystem, name, location, reason);
    }

    fn skip_at(
        &mut self,
        ecosystem: Ecosystem,
        name: &str,
        location: Location,
        reason: impl Into<String>,
    ) {
        self.found.skipped.push(SkippedDeclaration {
            ecosystem,
            name: name.to_owned(),
            location,
            reason: reason.into(),
        });
    }

    /// An error at 1-based `line` of this manifest.
    fn error(&self, line: Option<usize>, message: impl Into<String>) -> CatalogError {
        CatalogError::Parse {
            path: self.path.to_owned(),
            line,
            message: message.into(),
        }
    }

    /// This manifest as a TOML document, every key and value with its span.
    fn toml(&self) -> Result<Spanned<DeTable<'a>>, CatalogError> {
        DeTable::parse(self.contents).map_err(|error| {
            self.error(
                error
                    .span()
                    .map(|span| line_of_offset(self.contents, span.start)),
                format!("invalid TOML: {}", error.message().trim()),
            )
        })
    }

    fn finish(self) -> DeclaredRequirements {
        self.found
    }
}

fn location(path: &str, line: usize) -> Location {
    Location {
        path: path.to_owned(),
        line: u32::try_from(line).ok(),
    }
}

/// The value under `key` of a TOML table, with its key's span.
fn toml_entry<'t, 'i>(
    table: &'t DeTable<'i>,
    key: &str,
) -> Option<(
    &'t Spanned<std::borrow::Cow<'i, str>>,
    &'t Spanned<DeValue<'i>>,
)> {
    table.iter().find(|(name, _)| name.get_ref() == key)
}

/// The value under `key` of a TOML table.
fn toml_get<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeValue<'i>> {
    toml_entry(table, key).map(|(_, value)| value.get_ref())
}

/// The table under `key` of a TOML table, when it is one.
fn toml_table<'t, 'i>(table: &'t DeTable<'i>, key: &str) -> Option<&'t DeTable<'i>> {
    toml_get(table, key).and_then(DeValue::as_table)
}

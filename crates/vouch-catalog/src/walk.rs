//! Finding lockfiles under a directory and merging what their catalogers found.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use rayon::prelude::*;
use vouch_model::{
    Bom, Component, ComponentId, ComponentKind, Relationship, RelationshipKind, Source,
};

use crate::{Catalog, CatalogError, Cataloger, catalog_file, catalogers, relationship_kind};

/// Directory names never descended into unless the walk starts inside them: they hold installed
/// or vendored copies of dependencies, not the project's own declarations.
pub const DEFAULT_EXCLUDED_DIRECTORIES: [&str; 6] = [
    "node_modules",
    ".git",
    "target",
    "vendor",
    ".venv",
    "__pycache__",
];

#[derive(Debug, Clone, Default)]
pub struct CatalogOptions {
    /// Glob patterns (matched against paths relative to the root, and against bare names) to skip.
    pub exclude: Vec<String>,
    /// Descend into the default-excluded directories too.
    pub include_default_excluded: bool,
}

/// A lockfile that could not be catalogued; the walk goes on without it.
#[derive(Debug)]
pub struct FileFailure {
    pub path: String,
    pub error: CatalogError,
}

/// What a walk found: the merged BOM, per-file failures and warnings, and the files read.
#[derive(Debug, Default)]
pub struct CatalogReport {
    pub bom: Bom,
    pub files: Vec<CatalogedFile>,
    pub failures: Vec<FileFailure>,
    /// `(path, warning)` pairs from catalogers.
    pub warnings: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogedFile {
    pub path: String,
    pub cataloger: &'static str,
    pub components: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: no cataloger reads a file of this name", path.display())]
    UnknownFormat { path: PathBuf },
    #[error("invalid --exclude pattern `{pattern}`: {message}")]
    BadPattern { pattern: String, message: String },
    #[error("cannot walk {}: {message}", path.display())]
    Walk { path: PathBuf, message: String },
}

/// Catalogs `root`, a directory (walked recursively) or a single lockfile. `progress` is called
/// once per file as it is finished.
pub fn catalog_path(
    root: &Path,
    options: &CatalogOptions,
    progress: &(dyn Fn(&str) + Sync),
) -> Result<CatalogReport, WalkError> {
    let catalogers = catalogers();
    let metadata = std::fs::metadata(root).map_err(|_| WalkError::NotFound {
        path: root.to_owned(),
    })?;
    let found: Vec<(PathBuf, String, &dyn Cataloger)> = if metadata.is_file() {
        let name = file_name(root);
        let cataloger = catalogers
            .iter()
            .find(|cataloger| cataloger.matches(&name))
            .ok_or_else(|| WalkError::UnknownFormat {
                path: root.to_owned(),
            })?;
        vec![(root.to_owned(), name, cataloger.as_ref())]
    } else {
        find_lockfiles(root, options, &catalogers)?
    };

    let results: Vec<(String, &'static str, Result<Catalog, CatalogError>)> = found
        .par_iter()
        .map(|(path, display, cataloger)| {
            let result = catalog_file(*cataloger, path, display);
            progress(display);
            (display.clone(), cataloger.name(), result)
        })
        .collect();

    let mut report = CatalogReport::default();
    let mut merger = Merger::new(subject_for(root, metadata.is_file()));
    for (path, cataloger, result) in results {
        match result {
            Ok(catalog) => {
                report.files.push(CatalogedFile {
                    path: path.clone(),
                    cataloger,
                    components: catalog.components.len(),
                });
                report
                    .warnings
                    .extend(catalog.warnings.iter().map(|w| (path.clone(), w.clone())));
                merger.add(&path, catalog);
            }
            Err(error) => report.failures.push(FileFailure { path, error }),
        }
    }
    report.bom = merger.finish();
    Ok(report)
}

/// The component a walk describes: the scanned directory (or the directory of the one lockfile),
/// named after it.
fn subject_for(root: &Path, is_file: bool) -> Component {
    let directory = if is_file { root.parent() } else { Some(root) };
    let name = directory
        .and_then(|directory| std::fs::canonicalize(directory).ok())
        .map(|directory| file_name(&directory))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "project".to_owned());
    let mut subject = Component::new(ComponentKind::Application, name, None);
    subject.id = ComponentId::new(SUBJECT_ID);
    subject.source = Source::Workspace;
    subject
}

/// Id of the walk's subject component.
pub const SUBJECT_ID: &str = "vouch:subject";

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn build_globs(patterns: &[String]) -> Result<GlobSet, WalkError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|error| WalkError::BadPattern {
            pattern: pattern.clone(),
            message: error.to_string(),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|error| WalkError::BadPattern {
        pattern: patterns.join(", "),
        message: error.to_string(),
    })
}

fn find_lockfiles<'c>(
    root: &Path,
    options: &CatalogOptions,
    catalogers: &'c [Box<dyn Cataloger>],
) -> Result<Vec<(PathBuf, String, &'c dyn Cataloger)>, WalkError> {
    let cataloger_for = |name: &str| catalogers.iter().find(|cataloger| cataloger.matches(name));
    Ok(
        find_files(root, options, &|name| cataloger_for(name).is_some())?
            .into_iter()
            .filter_map(|(path, relative)| {
                let cataloger = cataloger_for(&file_name(&path))?;
                Some((path, relative, cataloger.as_ref()))
            })
            .collect(),
    )
}

/// The files under `root` whose name `wanted` accepts, each with its path relative to `root`
/// (`/`-separated), in name order; excluded and default-excluded directories are not entered.
pub(crate) fn find_files(
    root: &Path,
    options: &CatalogOptions,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Vec<(PathBuf, String)>, WalkError> {
    let excluded = build_globs(&options.exclude)?;
    let relative = |path: &Path| -> String {
        path.strip_prefix(root)
            .unwrap_or(path)
            .components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    };
    let walker = walkdir::WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_dir()
                && !options.include_default_excluded
                && DEFAULT_EXCLUDED_DIRECTORIES.contains(&name.as_ref())
            {
                return false;
            }
            let path = relative(entry.path());
            !(excluded.is_match(&path) || excluded.is_match(name.as_ref()))
        });
    let mut found = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|error| WalkError::Walk {
            path: error
                .path()
                .map(Path::to_path_buf)
                .unwrap_or_else(|| root.to_owned()),
            message: error.to_string(),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        if wanted(&entry.file_name().to_string_lossy()) {
            found.push((entry.path().to_owned(), relative(entry.path())));
        }
    }
    Ok(found)
}

/// Merges per-file catalogs: the same registry package found in two lockfiles becomes one
/// component with both locations; local packages stay distinct per lockfile.
struct Merger {
    subject: Component,
    components: BTreeMap<ComponentId, Component>,
    relationships: Vec<Relationship>,
}

impl Merger {
    fn new(subject: Component) -> Self {
        Self {
            subject,
            components: BTreeMap::new(),
            relationships: Vec::new(),
        }
    }

    fn add(&mut self, path: &str, mut catalog: Catalog) {
        let links = self.subject_links(&catalog);
        catalog.relationships.extend(links);
        // Path and workspace packages are only meaningful inside their own project: scope their
        // ids by the lockfile so two projects' `app@0.1.0` never merge.
        let mut renamed: HashMap<ComponentId, ComponentId> = HashMap::new();
        for mut component in catalog.components {
            if matches!(component.source, Source::Path { .. } | Source::Workspace) {
                let scoped = ComponentId::new(format!("{path}#{}", component.id));
                renamed.insert(component.id.clone(), scoped.clone());
                component.id = scoped;
            }
            match self.components.get_mut(&component.id) {
                Some(existing) => merge_component(existing, component),
                None => {
                    self.components.insert(component.id.clone(), component);
                }
            }
        }
        let rename = |id: ComponentId| renamed.get(&id).cloned().unwrap_or(id);
        self.relationships
            .extend(catalog.relationships.into_iter().map(|relationship| {
                Relationship::new(
                    rename(relationship.from),
                    relationship.kind,
                    rename(relationship.to),
                )
            }));
    }

    /// Hangs a file's top onto the subject: its projects when it names them (the subject contains
    /// them), otherwise its direct dependencies (the subject depends on them).
    fn subject_links(&self, catalog: &Catalog) -> Vec<Relationship> {
        let has_target = |id: &ComponentId| {
            catalog
                .relationships
                .iter()
                .any(|relationship| &relationship.to == id)
        };
        let projects: Vec<&Component> = catalog
            .components
            .iter()
            .filter(|component| component.source == Source::Workspace && !has_target(&component.id))
            .collect();
        let subject = &self.subject.id;
        if projects.is_empty() {
            catalog
                .components
                .iter()
                .filter(|component| component.direct == Some(true))
                .map(|component| {
                    Relationship::new(
                        subject.clone(),
                        relationship_kind(component.scope),
                        component.id.clone(),
                    )
                })
                .collect()
        } else {
            projects
                .into_iter()
                .map(|project| {
                    Relationship::new(
                        subject.clone(),
                        RelationshipKind::Contains,
                        project.id.clone(),
                    )
                })
                .collect()
        }
    }

    fn finish(self) -> Bom {
        let mut bom = Bom {
            components: self.components.into_values().collect(),
            relationships: self.relationships,
            ..Bom::default()
        };
        bom.metadata.subject = Some(self.subject);
        bom.normalize();
        bom
    }
}

fn merge_component(existing: &mut Component, other: Component) {
    for location in other.locations {
        if !existing.locations.contains(&location) {
            existing.locations.push(location);
        }
    }
    existing.locations.sort();
    for hash in other.hashes {
        if !existing.hashes.contains(&hash) {
            existing.hashes.push(hash);
        }
    }
    existing.hashes.sort();
    for license in other.licenses {
        if !existing.licenses.contains(&license) {
            existing.licenses.push(license);
        }
    }
    // Needed at run time by anyone means needed at run time.
    existing.scope = existing.scope.min(other.scope);
    existing.direct = match (existing.direct, other.direct) {
        (Some(a), Some(b)) => Some(a || b),
        (a, b) => a.or(b),
    };
    for (key, value) in other.properties {
        existing.properties.entry(key).or_insert(value);
    }
    existing.download_url = existing.download_url.take().or(other.download_url);
    existing.supplier = existing.supplier.take().or(other.supplier);
    existing.description = existing.description.take().or(other.description);
}

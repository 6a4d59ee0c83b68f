//! Cargo.toml: `[dependencies]`, `[dev-dependencies]` and `[build-dependencies]` (also their
//! pre-2024 `_` spellings and their `[target.'cfg(..)'.*]` forms), `package = "..."` renames, and
//! `workspace = true` dependencies, whose range is in the workspace root's
//! `[workspace.dependencies]`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use toml::de::DeValue;
use vouch_model::{Ecosystem, Location};

use super::{Collector, Declaration, DeclaredRequirements, DependencyKind, toml_get, toml_table};
use crate::{CatalogError, collapse_dot_segments};

/// Dependency tables and the kind each gives.
const SECTIONS: [(&str, DependencyKind); 5] = [
    ("dependencies", DependencyKind::Normal),
    ("dev-dependencies", DependencyKind::Dev),
    ("dev_dependencies", DependencyKind::Dev),
    ("build-dependencies", DependencyKind::Build),
    ("build_dependencies", DependencyKind::Build),
];

/// One Cargo.toml, its inherited dependencies not yet resolved.
pub(super) struct Manifest<'a> {
    found: Collector<'a>,
    inherited: Vec<Inherited>,
    /// `[workspace.dependencies]`, when this manifest is a workspace root.
    workspace: Option<Rc<WorkspaceDependencies>>,
    /// `package.workspace`: the directory of the workspace root, relative to this manifest.
    workspace_path: Option<String>,
}

/// A `name = { workspace = true }` declaration.
struct Inherited {
    key: String,
    kind: DependencyKind,
    group: Option<String>,
    location: Location,
}

/// A workspace root's `[workspace.dependencies]`, by key.
#[derive(Default)]
pub(super) struct WorkspaceDependencies {
    entries: HashMap<String, Result<WorkspaceEntry, String>>,
}

#[derive(Clone)]
struct WorkspaceEntry {
    name: String,
    alias: Option<String>,
    written: String,
    location: Location,
}

/// How one dependency is given.
enum Specification {
    Registry {
        name: String,
        written: String,
    },
    Inherited,
    /// No crates.io range, for the reason given.
    Other(String),
}

/// Parses `contents`, the Cargo.toml shown as `path`.
pub(super) fn parse<'a>(path: &'a str, contents: &'a str) -> Result<Manifest<'a>, CatalogError> {
    let mut found = Collector::new(path, contents);
    let document = found.toml()?;
    let root = document.get_ref();
    let mut inherited = Vec::new();
    let targets = toml_table(root, "target")
        .into_iter()
        .flatten()
        .filter_map(|(target, table)| {
            Some((
                Some(target.get_ref().to_string()),
                table.get_ref().as_table()?,
            ))
        });
    for (group, table) in std::iter::once((None, root)).chain(targets) {
        for (section, kind) in SECTIONS {
            let Some(dependencies) = toml_table(table, section) else {
                continue;
            };
            for (key, value) in dependencies {
                let offset = key.span().start;
                let optional = value
                    .get_ref()
                    .as_table()
                    .and_then(|table| toml_get(table, "optional"))
                    .and_then(DeValue::as_bool)
                    == Some(true);
                let kind = if optional && kind == DependencyKind::Normal {
                    DependencyKind::Optional
                } else {
                    kind
                };
                match specification(key.get_ref(), value.get_ref()) {
                    Specification::Registry { name, written } => found.declare(
                        declaration(key.get_ref(), name, written, kind, group.clone()),
                        offset,
                    ),
                    Specification::Inherited => inherited.push(Inherited {
                        key: key.get_ref().to_string(),
                        kind,
                        group: group.clone(),
                        location: found.location(offset),
                    }),
                    Specification::Other(reason) => {
                        found.skip(Ecosystem::Cargo, key.get_ref(), offset, reason);
                    }
                }
            }
        }
    }
    let workspace = toml_table(root, "workspace").map(|workspace| {
        let mut dependencies = WorkspaceDependencies::default();
        for (key, value) in toml_table(workspace, "dependencies").into_iter().flatten() {
            let offset = key.span().start;
            let entry = match specification(key.get_ref(), value.get_ref()) {
                Specification::Registry { name, written } => {
                    let declared = declaration(
                        key.get_ref(),
                        name,
                        written,
                        DependencyKind::Workspace,
                        None,
                    );
                    let entry = WorkspaceEntry {
                        name: declared.name.clone(),
                        alias: declared.alias.clone(),
                        written: declared.written.clone(),
                        location: found.location(offset),
                    };
                    found.declare(declared, offset);
                    Ok(entry)
                }
                Specification::Inherited => {
                    Err("a workspace dependency cannot itself be inherited".to_owned())
                }
                Specification::Other(reason) => Err(reason),
            };
            if let Err(reason) = &entry {
                found.skip(Ecosystem::Cargo, key.get_ref(), offset, reason.clone());
            }
            dependencies
                .entries
                .insert(key.get_ref().to_string(), entry);
        }
        Rc::new(dependencies)
    });
    let workspace_path = toml_table(root, "package")
        .and_then(|package| toml_get(package, "workspace"))
        .and_then(DeValue::as_str)
        .map(str::to_owned);
    Ok(Manifest {
        found,
        inherited,
        workspace,
        workspace_path,
    })
}

fn declaration(
    key: &str,
    name: String,
    written: String,
    kind: DependencyKind,
    group: Option<String>,
) -> Declaration {
    Declaration {
        ecosystem: Ecosystem::Cargo,
        alias: (name != key).then(|| key.to_owned()),
        name,
        requirement: written.clone(),
        written,
        kind,
        group,
    }
}

fn specification(key: &str, value: &DeValue<'_>) -> Specification {
    let table = match value {
        DeValue::String(version) => {
            return Specification::Registry {
                name: key.to_owned(),
                written: version.to_string(),
            };
        }
        DeValue::Table(table) => table,
        other => {
            return Specification::Other(format!(
                "a {} where a version or a table belongs",
                other.type_str()
            ));
        }
    };
    let text = |field: &str| toml_get(table, field).and_then(DeValue::as_str);
    if toml_get(table, "workspace").and_then(DeValue::as_bool) == Some(true) {
        return Specification::Inherited;
    }
    if let Some(url) = text("git") {
        return Specification::Other(format!("a git dependency ({url})"));
    }
    if let Some(path) = text("path") {
        return Specification::Other(format!("a path dependency ({path})"));
    }
    if let Some(registry) = text("registry").filter(|registry| *registry != "crates-io") {
        return Specification::Other(format!("from the registry `{registry}`, not crates.io"));
    }
    if text("registry-index").is_some() {
        return Specification::Other("from a registry index other than crates.io".to_owned());
    }
    match text("version") {
        Some(version) => Specification::Registry {
            name: text("package").unwrap_or(key).to_owned(),
            written: version.to_owned(),
        },
        None => Specification::Other("no version, path or git source".to_owned()),
    }
}

impl Manifest<'_> {
    /// The declarations, with inherited ones resolved against this manifest's own
    /// `[workspace.dependencies]` when it has them, and skipped otherwise.
    pub(super) fn standalone(self) -> DeclaredRequirements {
        let workspace = self.workspace.clone();
        let path = self.found.path.to_owned();
        self.resolve(workspace.as_deref(), &path)
    }

    fn resolve(
        mut self,
        workspace: Option<&WorkspaceDependencies>,
        root_path: &str,
    ) -> DeclaredRequirements {
        for inherited in std::mem::take(&mut self.inherited) {
            let entry = match workspace {
                None => Err(format!(
                    "inherits its range from the workspace root, and {root_path} has no \
                     [workspace] table"
                )),
                Some(workspace) => match workspace.entries.get(&inherited.key) {
                    None => Err(format!(
                        "inherits its range, but {root_path} has no [workspace.dependencies] \
                         entry `{}`",
                        inherited.key
                    )),
                    Some(Err(reason)) => Err(format!("inherits {reason} from {root_path}")),
                    Some(Ok(entry)) => Ok(entry.clone()),
                },
            };
            match entry {
                Ok(entry) => self.found.declare_at(
                    Declaration {
                        ecosystem: Ecosystem::Cargo,
                        name: entry.name,
                        alias: entry.alias,
                        requirement: entry.written.clone(),
                        written: entry.written,
                        kind: inherited.kind,
                        group: inherited.group,
                    },
                    inherited.location,
                    Some(entry.location),
                ),
                Err(reason) => {
                    self.found.skip_at(
                        Ecosystem::Cargo,
                        &inherited.key,
                        inherited.location,
                        reason,
                    );
                }
            }
        }
        self.found.finish()
    }
}

/// Workspace roots read so far, by file: members of one workspace share them.
#[derive(Default)]
pub(super) struct Workspaces {
    roots: HashMap<PathBuf, Result<Option<Rc<WorkspaceDependencies>>, String>>,
}

impl Workspaces {
    /// The `[workspace.dependencies]` of the Cargo.toml at `path`; `Ok(None)` when it has no
    /// `[workspace]`.
    fn load(
        &mut self,
        path: &Path,
        display: &str,
    ) -> Result<Option<Rc<WorkspaceDependencies>>, String> {
        if let Some(known) = self.roots.get(path) {
            return known.clone();
        }
        let loaded = match crate::read_text(path) {
            Err(error) => Err(format!("{display} could not be read: {error}")),
            Ok(contents) => parse(display, &contents)
                .map(|manifest| manifest.workspace)
                .map_err(|error| error.to_string()),
        };
        self.roots.insert(path.to_owned(), loaded.clone());
        loaded
    }
}

/// Reads the Cargo.toml at `path` (shown as `display`), resolving `workspace = true`
/// dependencies against the workspace root: `package.workspace` when set, otherwise the first
/// Cargo.toml with a `[workspace]` table in the directories above, as Cargo looks for it.
pub(super) fn read(
    path: &Path,
    display: &str,
    contents: &str,
    workspaces: &mut Workspaces,
) -> Result<DeclaredRequirements, CatalogError> {
    let manifest = parse(display, contents)?;
    if manifest.inherited.is_empty() || manifest.workspace.is_some() {
        return Ok(manifest.standalone());
    }
    // `Cargo.toml` alone has the empty path as its parent, which names no directory.
    let directory = path
        .parent()
        .filter(|directory| !directory.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let display_directory = display
        .rsplit_once('/')
        .map_or("", |(directory, _)| directory);
    let shown = |relative: &str| {
        collapse_dot_segments(&format!("{display_directory}/{relative}/Cargo.toml")).join("/")
    };
    let root = match &manifest.workspace_path {
        Some(relative) => {
            let root_display = shown(relative);
            workspaces
                .load(&directory.join(relative).join("Cargo.toml"), &root_display)
                .map(|workspace| (workspace, root_display))
        }
        None => find_root(directory, workspaces, shown),
    };
    Ok(match root {
        Ok((workspace, root_display)) => manifest.resolve(workspace.as_deref(), &root_display),
        Err(reason) => {
            let mut manifest = manifest;
            for inherited in std::mem::take(&mut manifest.inherited) {
                manifest.found.skip_at(
                    Ecosystem::Cargo,
                    &inherited.key,
                    inherited.location,
                    format!("inherits its range from the workspace root, but {reason}"),
                );
            }
            manifest.found.finish()
        }
    })
}

/// The nearest Cargo.toml above `directory` with a `[workspace]` table, and how it is shown.
fn find_root(
    directory: &Path,
    workspaces: &mut Workspaces,
    shown: impl Fn(&str) -> String,
) -> Result<(Option<Rc<WorkspaceDependencies>>, String), String> {
    let directory = directory
        .canonicalize()
        .map_err(|error| format!("{} cannot be resolved: {error}", directory.display()))?;
    let mut relative = String::from(".");
    for ancestor in directory.ancestors().skip(1) {
        relative.push_str("/..");
        let candidate = ancestor.join("Cargo.toml");
        if !candidate.is_file() {
            continue;
        }
        let root_display = shown(&relative);
        if let Some(workspace) = workspaces.load(&candidate, &root_display)? {
            return Ok((Some(workspace), root_display));
        }
    }
    Err("no Cargo.toml with a [workspace] table is in the directories above".to_owned())
}

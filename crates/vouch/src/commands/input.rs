//! What `vouch scan` and `vouch fix` look at: a directory or lockfile (through the catalogers) or
//! an SBOM document (through the readers), turned into one `Bom`.

use std::path::{Path, PathBuf};

use clap::Args;
use vouch_catalog::{CatalogOptions, catalog_path, cataloger_for};
use vouch_model::Bom;

use crate::error::CliError;

#[derive(Debug, Clone, Args)]
pub(crate) struct TargetArgs {
    /// A directory to walk for lockfiles, a lockfile, or an SBOM document (`-` reads stdin)
    #[arg(default_value = ".")]
    pub(crate) path: PathBuf,

    /// Skip paths matching this glob when walking a directory (repeatable)
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,

    /// Also walk into directories skipped by default (node_modules, .git, target, vendor, .venv)
    #[arg(long)]
    pub(crate) include_vendored: bool,
}

impl TargetArgs {
    /// The directory lockfile locations are relative to: the path, or a lockfile's directory.
    pub(crate) fn directory(&self) -> PathBuf {
        if self.path.is_dir() {
            self.path.clone()
        } else {
            self.path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        }
    }
}

/// `path` as a `/`-separated path relative to the working directory (which is what SARIF
/// consumers take as the source root), without `.` components; an absolute path outside the
/// working directory stays absolute.
pub(crate) fn uri_path(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|here| path.strip_prefix(here).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf());
    if relative.is_absolute() {
        return relative.to_string_lossy().into_owned();
    }
    relative
        .components()
        .filter(|component| !matches!(component, std::path::Component::CurDir))
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// The packages to look at and how they were found.
#[derive(Debug)]
pub(crate) struct Target {
    pub(crate) bom: Bom,
    /// Lockfiles that could not be read.
    pub(crate) problems: Vec<String>,
    /// SBOM parts the reader skipped: fields vouch does not model, which do not change what is
    /// scanned.
    pub(crate) skipped: Vec<String>,
    /// Whether the packages come from lockfiles on disk (not an SBOM), so manifests are beside.
    pub(crate) from_lockfiles: bool,
}

/// The directory walk the target's flags ask for.
pub(crate) fn catalog_options(args: &TargetArgs) -> CatalogOptions {
    CatalogOptions {
        exclude: args.exclude.clone(),
        include_default_excluded: args.include_vendored,
    }
}

pub(crate) fn load(args: &TargetArgs) -> Result<Target, CliError> {
    let path = &args.path;
    let is_sbom = path == Path::new("-")
        || (path.is_file()
            && path
                .file_name()
                .and_then(|name| name.to_str())
                .is_none_or(|name| cataloger_for(name).is_none()));
    if is_sbom {
        let bytes = crate::commands::sbom::read_input(path)?;
        let outcome = vouch_formats::read(&bytes, &path.display().to_string())
            .map_err(|error| CliError::usage(error.to_string()))?;
        return Ok(Target {
            bom: outcome.bom,
            problems: Vec::new(),
            skipped: outcome.skipped,
            from_lockfiles: false,
        });
    }
    let report = catalog_path(path, &catalog_options(args), &|_| {})
        .map_err(|error| CliError::usage(error.to_string()))?;
    Ok(Target {
        bom: report.bom,
        problems: report
            .failures
            .iter()
            .map(|failure| failure.error.to_string())
            .collect(),
        skipped: Vec::new(),
        from_lockfiles: true,
    })
}

//! `vouch db`: import advisories, update them from osv.dev, and show what the store holds.

use std::path::PathBuf;

use clap::Args;
use vouch_vulndb::{DbError, ImportReport, Status, Store, UpdateOptions, UpdateReport};

use crate::error::CliError;

/// Where the advisory store is; shared by every `db` subcommand.
#[derive(Debug, Clone, Args)]
pub(crate) struct DbLocationArgs {
    /// The advisory database directory [default: $XDG_CACHE_HOME/vouch/db or ~/.cache/vouch/db]
    #[arg(long = "db", value_name = "DIR", env = "VOUCH_DB")]
    pub(crate) db: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ImportArgs {
    #[command(flatten)]
    pub(crate) location: DbLocationArgs,
    /// OSV JSON or YAML files, directories of them, osv.dev `all.zip` archives, or a RustSec
    /// advisory-db checkout
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct UpdateArgs {
    #[command(flatten)]
    pub(crate) location: DbLocationArgs,
    /// OSV ecosystems to download (`PyPI`, `crates.io`, `Debian:12`, ...) [default: those the
    /// last scan saw]
    #[arg(value_name = "ECOSYSTEM")]
    pub(crate) ecosystems: Vec<String>,
    /// Where the per-ecosystem exports are
    #[arg(long, value_name = "URL", default_value = vouch_vulndb::DEFAULT_BASE_URL)]
    pub(crate) base_url: String,
}

#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    #[command(flatten)]
    pub(crate) location: DbLocationArgs,
}

pub(crate) fn store(location: &DbLocationArgs) -> Result<Store, CliError> {
    location
        .db
        .clone()
        .or_else(Store::default_location)
        .map(Store::new)
        .ok_or_else(|| {
            CliError::usage("no cache directory (HOME is not set): pass --db DIR".to_owned())
        })
}

fn cli_error(error: DbError) -> CliError {
    match error {
        DbError::Locked { .. } | DbError::NoEcosystems | DbError::Archive { .. } => {
            CliError::usage(error.to_string())
        }
        DbError::Io { .. } | DbError::Corrupt { .. } | DbError::Http { .. } => {
            CliError::internal(error.to_string())
        }
    }
}

pub(crate) fn run_import(args: &ImportArgs) -> Result<ImportReport, CliError> {
    vouch_vulndb::import(&store(&args.location)?, &args.paths).map_err(cli_error)
}

pub(crate) fn run_update(args: &UpdateArgs) -> Result<UpdateReport, CliError> {
    let options = UpdateOptions {
        base_url: args.base_url.clone(),
        ..UpdateOptions::default()
    };
    vouch_vulndb::update(&store(&args.location)?, &args.ecosystems, &options).map_err(cli_error)
}

pub(crate) fn run_status(args: &StatusArgs) -> Result<Status, CliError> {
    vouch_vulndb::status(&store(&args.location)?).map_err(cli_error)
}

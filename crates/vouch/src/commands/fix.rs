//! `vouch fix`: the smallest upgrade of each vulnerable package, checked against the manifests.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use vouch_catalog::DeclaredRequirements;
use vouch_scan::fix::{Declaration, FixReport};

use crate::commands::scan::ScanInputArgs;
use crate::error::CliError;
use crate::output::Messages;

#[derive(Debug, Args)]
pub(crate) struct FixArgs {
    #[command(flatten)]
    pub(crate) inputs: ScanInputArgs,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = FixFormat::Table)]
    pub(crate) format: FixFormat,

    /// Write the output to FILE instead of stdout (written beside, then renamed into place)
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FixFormat {
    /// One paragraph per vulnerable package
    Table,
    /// The fix report as JSON (`schema_version` 1; see docs/scan-report.md)
    Json,
}

pub(crate) fn run(args: &FixArgs, messages: &Messages) -> Result<FixReport, CliError> {
    let outcome = crate::commands::scan::run(&args.inputs, messages)?;
    let target = &args.inputs.target;
    // Manifests are read only for a directory or a lockfile on disk: an SBOM declares no ranges.
    let declarations = if outcome.target.from_lockfiles {
        let root = target.directory();
        let options = crate::commands::input::catalog_options(target);
        let read = vouch_catalog::declared_requirements(&root, &options)
            .map_err(|error| CliError::usage(error.to_string()))?;
        for failure in &read.failures {
            messages.warning(&format!("skipped: {}", failure.error));
        }
        for skipped in &read.skipped {
            messages.detail(&format!(
                "{}: {} has no range to check: {}",
                skipped.location, skipped.name, skipped.reason
            ));
        }
        read
    } else {
        DeclaredRequirements::default()
    };
    let declared = |ecosystem: &str, package: &str| -> Vec<Declaration> {
        declarations
            .declared_for(ecosystem, package)
            .map(|declared| {
                // A Cargo `workspace = true` dependency's range is written in the workspace
                // root: that is the line to edit.
                let location = declared
                    .inherited_from
                    .as_ref()
                    .unwrap_or(&declared.location);
                Declaration {
                    manifest: location.path.clone(),
                    line: location.line,
                    requirement: declared.requirement.clone(),
                }
            })
            .collect()
    };
    Ok(vouch_scan::fix::plan(&outcome.report, &declared))
}

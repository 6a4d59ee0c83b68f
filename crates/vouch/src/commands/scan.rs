//! `vouch scan`: which known vulnerabilities affect a project's packages, with VEX applied.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use vouch_scan::{Database, FailOn, ReportContext, ScanReport, Tool, VexInput};
use vouch_vulndb::{Snapshot, Store, UpdateOptions};

use crate::commands::db::{DbLocationArgs, store};
use crate::commands::input::{Target, TargetArgs};
use crate::error::CliError;
use crate::output::Messages;

#[derive(Debug, Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub(crate) inputs: ScanInputArgs,

    /// Also list findings that VEX statements suppress (table and SARIF; JSON always has them)
    #[arg(long)]
    pub(crate) show_suppressed: bool,

    /// Output format
    #[arg(long, short, value_enum, default_value_t = ScanFormat::Table)]
    pub(crate) format: ScanFormat,

    /// Write the output to FILE instead of stdout (written beside, then renamed into place)
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit 1 when an unsuppressed finding is at least this severe (unknown severity counts
    /// for `low` only)
    #[arg(long, value_name = "SEVERITY", value_parser = parse_fail_on)]
    pub(crate) fail_on: Option<FailOn>,
}

/// What is scanned, against which advisories, with which VEX: shared by `scan` and `fix`.
#[derive(Debug, Args)]
pub(crate) struct ScanInputArgs {
    #[command(flatten)]
    pub(crate) target: TargetArgs,

    #[command(flatten)]
    pub(crate) store: StoreArgs,

    /// VEX documents to apply: OpenVEX, CycloneDX VEX or CSAF 2.0 (repeatable)
    #[arg(long, value_name = "FILE")]
    pub(crate) vex: Vec<PathBuf>,
}

/// Where advisories come from.
#[derive(Debug, Args)]
pub(crate) struct StoreArgs {
    #[command(flatten)]
    pub(crate) location: DbLocationArgs,

    /// Never use the network: scan with the store as it is, and fail if there is none
    #[arg(long, env = "VOUCH_OFFLINE")]
    pub(crate) offline: bool,

    /// Where osv.dev's per-ecosystem exports are, for refreshing the store before a scan
    #[arg(long, value_name = "URL", default_value = vouch_vulndb::DEFAULT_BASE_URL, hide = true)]
    pub(crate) base_url: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ScanFormat {
    /// Findings grouped by package, with the fixing version
    Table,
    /// The report as JSON (`schema_version` 1; see docs/scan-report.md)
    Json,
    /// SARIF 2.1.0, for GitHub code scanning
    Sarif,
    /// A CycloneDX 1.6 BOM with `vulnerabilities`
    Cyclonedx,
    /// OpenVEX 0.2.0: the findings and their triage as VEX statements
    Openvex,
}

fn parse_fail_on(text: &str) -> Result<FailOn, String> {
    text.parse()
}

/// A refresh older than this is repeated before a scan (conditional requests make it cheap).
const REFRESH_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// The scan and what it was made from.
#[derive(Debug)]
pub(crate) struct ScanOutcome {
    pub(crate) report: ScanReport,
    pub(crate) target: Target,
}

/// Loads the target, the VEX documents and the store, matches, and builds the report; shared by
/// `scan` and `fix`.
pub(crate) fn run(inputs: &ScanInputArgs, messages: &Messages) -> Result<ScanOutcome, CliError> {
    let target_args = &inputs.target;
    let mut vex = VexInput::default();
    for path in &inputs.vex {
        let bytes = crate::commands::sbom::read_input(path)?;
        let origin = path.display().to_string();
        let outcome = vouch_formats::vex::read_vex(&bytes, &origin)
            .map_err(|error| CliError::usage(error.to_string()))?;
        for skipped in &outcome.skipped {
            messages.warning(&format!("{origin}: skipped {skipped}"));
        }
        // The statements are still applied, as the author meant them; the reader decides
        // whether to trust a document that breaks its format's VEX rules.
        for problem in &outcome.problems {
            messages.warning(&format!("{origin}: {problem}"));
        }
        vex.add(origin, outcome.document);
    }
    let target = crate::commands::input::load(target_args)?;
    for problem in &target.problems {
        messages.warning(problem);
    }
    for skipped in &target.skipped {
        messages.detail(&format!(
            "{}: not read: {skipped}",
            target_args.path.display()
        ));
    }
    let (snapshot, database) = open_store(&inputs.store, &target, messages)?;
    let scan = vouch_match::scan(&target.bom, &snapshot)
        .map_err(|error| CliError::internal(error.to_string()))?;
    let context = ReportContext {
        tool: Tool {
            name: env!("CARGO_PKG_NAME").to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        target: target_args.path.display().to_string(),
        database,
    };
    let report = vouch_scan::build_report(&target.bom, scan, &vex, context);
    Ok(ScanOutcome { report, target })
}

/// Opens the advisory store, first refreshing the scan's ecosystems from osv.dev unless
/// offline. A failed refresh falls back to the store as it is, with a warning.
pub(crate) fn open_store(
    args: &StoreArgs,
    target: &Target,
    messages: &Messages,
) -> Result<(Snapshot, Database), CliError> {
    let store = store(&args.location)?;
    let ecosystems = scan_ecosystems(target);
    let open = || {
        store
            .open()
            .map_err(|error| CliError::internal(error.to_string()))
    };
    let mut snapshot = open()?;
    if !args.offline {
        let stale = vouch_vulndb::stale_ecosystems(snapshot.as_ref(), &ecosystems, REFRESH_AFTER);
        // Only a download changes the store; otherwise the snapshot at hand is current.
        if !stale.is_empty() && refresh(&store, &stale, &args.base_url, messages) {
            snapshot = open()?;
        }
    }
    let snapshot = snapshot.ok_or_else(|| {
        CliError::usage(format!(
            "no advisory store at {}{}: run `vouch db update ECOSYSTEM...` while online, or \
             `vouch db import PATH...` with OSV files or a RustSec advisory-db checkout",
            store.root().display(),
            if args.offline { " (--offline)" } else { "" }
        ))
    })?;
    // Remembering what was scanned is what makes a bare `vouch db update` useful; failing to
    // remember it must not fail the scan.
    if let Err(error) = store.remember_scanned_ecosystems(&ecosystems) {
        messages.detail(&format!("could not record the scanned ecosystems: {error}"));
    }
    let manifest = snapshot.manifest();
    let database = Database {
        created_at: manifest.created_at.clone(),
        record_count: manifest.record_count,
        sources: manifest
            .sources
            .iter()
            .map(|source| source.name.clone())
            .collect(),
    };
    Ok((snapshot, database))
}

/// The OSV ecosystems of the target's packages, as `vouch db update` names them.
fn scan_ecosystems(target: &Target) -> Vec<String> {
    let mut ecosystems: Vec<String> = target
        .bom
        .components
        .iter()
        .filter_map(|component| component.purl.as_ref())
        .filter_map(|purl| vouch_match::osv_package(purl, None).ok())
        .map(|package| package.ecosystem)
        .collect();
    ecosystems.sort();
    ecosystems.dedup();
    ecosystems
}

/// Downloads `stale`; whether any ecosystem was downloaded (and the store changed).
fn refresh(store: &Store, stale: &[String], base_url: &str, messages: &Messages) -> bool {
    messages.info(&format!(
        "updating advisories for {} from {base_url}",
        stale.join(", ")
    ));
    let options = UpdateOptions {
        base_url: base_url.to_owned(),
        ..UpdateOptions::default()
    };
    match vouch_vulndb::update(store, stale, &options) {
        Ok(report) => {
            for ecosystem in &report.ecosystems {
                if let vouch_vulndb::EcosystemOutcome::Failed { reason } = &ecosystem.outcome {
                    messages.warning(&format!(
                        "{}: not updated, scanning with the stored advisories: {reason}",
                        ecosystem.ecosystem
                    ));
                }
            }
            report.ecosystems.iter().any(|ecosystem| {
                matches!(
                    ecosystem.outcome,
                    vouch_vulndb::EcosystemOutcome::Downloaded { .. }
                )
            })
        }
        Err(error) => {
            messages.warning(&format!(
                "advisories not updated, scanning with the stored ones (use --offline to skip \
                 updating): {error}"
            ));
            false
        }
    }
}

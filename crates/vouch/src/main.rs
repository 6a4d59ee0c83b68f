//! The `vouch` binary: parses the command line, resolves settings, runs a command from the
//! libraries and prints its report. No domain logic lives here.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod error;
mod output;
mod settings;

use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use clap::Parser;

/// Catalogers and writers allocate many small strings; the system allocator spent a quarter of
/// all instructions of `vouch sbom` on a large yarn.lock (callgrind), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use crate::cli::{
    Cli, Command, ConvertArgs, DbAction, GenerateArgs, KeyAction, ModelAction, SbomAction,
    SigstoreAction, ValidateArgs, VerifyAction, VersionAction,
};
use crate::error::{CliError, Exit};
use crate::output::Messages;
use crate::output::{emit_report, json_bytes};
use crate::settings::Settings;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            // clap prints help and version itself; everything else it reports is bad usage.
            let _ = error.print();
            return match error.kind() {
                clap::error::ErrorKind::DisplayHelp
                | clap::error::ErrorKind::DisplayVersion
                | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                    Exit::Ok.into()
                }
                _ => Exit::Usage.into(),
            };
        }
    };
    let settings = match Settings::resolve(&cli.global) {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("error: {error}");
            return error.exit.into();
        }
    };
    let messages = Messages::new(settings);
    match run(cli.command, &settings, &messages) {
        Ok(exit) => exit.into(),
        Err(error) => {
            messages.error(&error.message);
            error.exit.into()
        }
    }
}

fn run(command: Command, settings: &Settings, messages: &Messages) -> Result<Exit, CliError> {
    match command {
        Command::Sbom(sbom) => match sbom.action {
            None => generate(&sbom.generate, settings, messages),
            Some(SbomAction::Validate(args)) => validate(&args),
            Some(SbomAction::Convert(args)) => convert(&args, settings, messages),
        },
        Command::Scan(args) => scan(&args, settings, messages),
        Command::Fix(args) => {
            let report = commands::fix::run(&args, messages)?;
            let document = match args.format {
                commands::fix::FixFormat::Table => {
                    vouch_scan::fix::render_table(&report).into_bytes()
                }
                commands::fix::FixFormat::Json => json_bytes(&report)?,
            };
            output::emit(&document, args.output.as_deref())?;
            Ok(Exit::Ok)
        }
        Command::Version(VersionAction::Compare(args)) => {
            let answer = commands::version::compare(&args)?;
            output::emit(format!("{answer}\n").as_bytes(), None)?;
            Ok(Exit::Ok)
        }
        Command::Db(DbAction::Import(args)) => report(commands::db::run_import(&args)),
        Command::Db(DbAction::Update(args)) => report(commands::db::run_update(&args)),
        Command::Db(DbAction::Status(args)) => report(commands::db::run_status(&args)),
        Command::Key(KeyAction::Generate(args)) => {
            report(commands::attest::run_key_generate(&args))
        }
        Command::Sign(args) => report(commands::attest::run_sign(&args)),
        Command::Attest(args) => report(commands::attest::run_attest(&args)),
        Command::Verify(verify) => match (verify.action, verify.bundle) {
            (Some(VerifyAction::Provenance(args)), _) => report(commands::provenance::run(&args)),
            (None, Some(args)) => report(commands::attest::run_verify(&args)),
            (None, None) => Err(CliError::usage(
                "give FILE --bundle BUNDLE --key PUB, or a subcommand (see vouch verify --help)",
            )),
        },
        Command::Model(ModelAction::Sign(args)) => report(commands::model::run_sign(&args)),
        Command::Model(ModelAction::Verify(args)) => report(commands::model::run_verify(&args)),
        Command::Sigstore(SigstoreAction::VerifyBundle(args)) => {
            report(commands::sigstore::run_verify_bundle(&args))
        }
    }
}

/// A command that succeeded prints its report; one that failed carries its exit code.
fn report<T: serde::Serialize>(result: Result<T, CliError>) -> Result<Exit, CliError> {
    emit_report(&result?)?;
    Ok(Exit::Ok)
}

fn generate(
    args: &GenerateArgs,
    settings: &Settings,
    messages: &Messages,
) -> Result<Exit, CliError> {
    let spinner = settings.progress.then(|| {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.enable_steady_tick(Duration::from_millis(100));
        spinner
    });
    let done = AtomicUsize::new(0);
    let progress = |path: &str| {
        let count = done.fetch_add(1, Ordering::Relaxed) + 1;
        if let Some(spinner) = &spinner {
            spinner.set_message(format!("{count} lockfiles catalogued: {path}"));
        }
    };
    let outcome = commands::sbom::generate(args, settings, &progress);
    if let Some(spinner) = &spinner {
        spinner.finish_and_clear();
    }
    let outcome = outcome?;
    let report = &outcome.report;
    for failure in &report.failures {
        messages.warning(&format!("skipped: {}", failure.error));
    }
    for (path, warning) in &report.warnings {
        messages.detail(&format!("{path}: {warning}"));
    }
    output::emit(&outcome.document, args.output.as_deref())?;
    messages.info(&format!(
        "{} components from {} lockfiles{}",
        report.bom.components.len(),
        report.files.len(),
        match report.failures.len() {
            0 => String::new(),
            failed => format!(" ({failed} could not be parsed)"),
        }
    ));
    Ok(Exit::Ok)
}

fn scan(
    args: &commands::scan::ScanArgs,
    settings: &Settings,
    messages: &Messages,
) -> Result<Exit, CliError> {
    use commands::scan::ScanFormat;

    let outcome = commands::scan::run(&args.inputs, messages)?;
    let report = &outcome.report;
    let document = match args.format {
        ScanFormat::Table => vouch_scan::table::render(
            report,
            vouch_scan::table::TableOptions {
                show_suppressed: args.show_suppressed,
            },
        )
        .into_bytes(),
        ScanFormat::Json => json_bytes(report)?,
        ScanFormat::Sarif => vouch_scan::sarif::render(
            report,
            &vouch_scan::sarif::SarifOptions {
                show_suppressed: args.show_suppressed,
                fallback_uri: commands::input::uri_path(&args.inputs.target.path),
                scanned_directory: commands::input::uri_path(&args.inputs.target.directory()),
            },
        )
        .map_err(|error| CliError::internal(error.to_string()))?,
        ScanFormat::Cyclonedx => {
            let bom = &outcome.target.bom;
            let name = commands::sbom::document_name(bom);
            let options = commands::sbom::write_options(
                bom,
                name,
                vouch_formats::SbomType::Source,
                settings,
            )?;
            vouch_scan::cyclonedx::render(report, bom, &options)
                .map_err(|error| CliError::internal(error.to_string()))?
        }
        ScanFormat::Openvex => vouch_scan::openvex::render(
            report,
            &vouch_scan::openvex::OpenVexRenderOptions {
                timestamp: settings.created()?,
                author: None,
            },
        )
        .map_err(|error| CliError::internal(error.to_string()))?,
    };
    output::emit(&document, args.output.as_deref())?;
    for skipped in &report.skipped {
        messages.detail(&format!(
            "not scanned: {}: {}",
            skipped.name, skipped.reason
        ));
    }
    for problem in &report.problems {
        messages.warning(&format!("{}: {}", problem.id, problem.reason));
    }
    Ok(match args.fail_on {
        Some(threshold) if threshold.is_tripped_by(report) => Exit::GateFailed,
        _ => Exit::Ok,
    })
}

fn validate(args: &ValidateArgs) -> Result<Exit, CliError> {
    let mut exit = Exit::Ok;
    let mut text = String::new();
    for path in &args.files {
        let bytes = commands::sbom::read_input(path)?;
        let origin = path.display().to_string();
        let report = vouch_formats::validate(&bytes, &origin)
            .map_err(|error| CliError::usage(error.to_string()))?;
        let format = format!(
            "{} {} {}",
            report.family,
            report.version.as_deref().unwrap_or("(undeclared version)"),
            report.serialization
        );
        if report.is_valid() {
            text.push_str(&format!("{origin}: valid {format}\n"));
        } else {
            exit = Exit::GateFailed;
            text.push_str(&format!(
                "{origin}: INVALID {format} ({} problems)\n",
                report.violations.len()
            ));
            for violation in &report.violations {
                let pointer = if violation.pointer.is_empty() {
                    "(document)"
                } else {
                    &violation.pointer
                };
                text.push_str(&format!("  {origin}#{pointer}: {}\n", violation.message));
            }
        }
        for note in &report.notes {
            text.push_str(&format!("  note: {note}\n"));
        }
    }
    output::emit(text.as_bytes(), None)?;
    Ok(exit)
}

fn convert(args: &ConvertArgs, settings: &Settings, messages: &Messages) -> Result<Exit, CliError> {
    let (document, outcome) = commands::sbom::convert(&args.file, args.to, settings)?;
    for skipped in &outcome.skipped {
        messages.warning(&format!(
            "{}: not converted: {skipped}",
            args.file.display()
        ));
    }
    output::emit(&document, args.output.as_deref())?;
    Ok(Exit::Ok)
}

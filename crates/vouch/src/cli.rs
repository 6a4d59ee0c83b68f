//! Command-line surface. Parsing only: settings are resolved in `settings`, work happens in the
//! libraries, printing in `output`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use vouch_formats::Format;

#[derive(Debug, Parser)]
#[command(
    name = "vouch",
    version,
    about = "Know what is in your software, where it came from, and whether it is safe.",
    propagate_version = true,
    max_term_width = 100
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub(crate) quiet: bool,

    /// Also print warnings about every skipped entry.
    #[arg(long, short, global = true)]
    pub(crate) verbose: bool,

    /// When to colour messages on stderr (NO_COLOR is honoured with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub(crate) color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Make an SBOM of a directory or lockfile, or validate and convert SBOMs.
    #[command(args_conflicts_with_subcommands = true)]
    Sbom(SbomArgs),
    /// Find known vulnerabilities in a directory, lockfile or SBOM, with VEX applied.
    Scan(crate::commands::scan::ScanArgs),
    /// The smallest upgrade of each vulnerable package, checked against the manifests' ranges.
    Fix(crate::commands::fix::FixArgs),
    /// Compare versions by an ecosystem's own ordering rules.
    #[command(subcommand)]
    Version(VersionAction),
    /// Manage the local OSV advisory store.
    #[command(subcommand)]
    Db(DbAction),
    /// Generate signing keys.
    #[command(subcommand)]
    Key(KeyAction),
    /// Sign a file with a key, writing a Sigstore bundle.
    Sign(crate::commands::attest::SignArgs),
    /// Attest to a file: a DSSE-signed in-toto Statement in a Sigstore bundle.
    Attest(crate::commands::attest::AttestArgs),
    /// Verify a bundle made by `vouch sign` or `vouch attest` with a public key.
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Verify(VerifyCommand),
    /// Sign and verify machine-learning models (OpenSSF Model Signing).
    #[command(subcommand)]
    Model(ModelAction),
    /// Verify Sigstore bundles against a trusted root, offline.
    #[command(subcommand)]
    Sigstore(SigstoreAction),
}

#[derive(Debug, Args)]
pub(crate) struct VerifyCommand {
    #[command(subcommand)]
    pub(crate) action: Option<VerifyAction>,

    #[command(flatten)]
    pub(crate) bundle: Option<crate::commands::attest::VerifyArgs>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum VerifyAction {
    /// Verify SLSA provenance of a GitHub Actions build, as slsa-verifier does, offline.
    Provenance(crate::commands::provenance::ProvenanceArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum DbAction {
    /// Import OSV files, directories, osv.dev zip archives or a RustSec advisory-db checkout.
    Import(crate::commands::db::ImportArgs),
    /// Download osv.dev's per-ecosystem exports, skipping what has not changed.
    Update(crate::commands::db::UpdateArgs),
    /// Show the store's sources, record counts and ages.
    Status(crate::commands::db::StatusArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum KeyAction {
    /// Generate a key pair: FILE (private, mode 0600) and FILE.pub.
    Generate(crate::commands::attest::KeyGenerateArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum ModelAction {
    /// Hash a model directory (or file) and sign the manifest.
    Sign(crate::commands::model::ModelSignArgs),
    /// Check a model against its signature: every file present, unchanged, and nothing extra.
    Verify(crate::commands::model::ModelVerifyArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum SigstoreAction {
    /// Verify one bundle (the sigstore-conformance client protocol).
    VerifyBundle(crate::commands::sigstore::VerifyBundleArgs),
}

#[derive(Debug, Subcommand)]
pub(crate) enum VersionAction {
    /// Print `<`, `=` or `>`: how the first version orders against the second.
    Compare(crate::commands::version::CompareArgs),
}

#[derive(Debug, Args)]
pub(crate) struct SbomArgs {
    #[command(subcommand)]
    pub(crate) action: Option<SbomAction>,

    #[command(flatten)]
    pub(crate) generate: GenerateArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum SbomAction {
    /// Check SBOM documents against the official schemas of their format and version.
    Validate(ValidateArgs),
    /// Convert an SBOM document into another format.
    Convert(ConvertArgs),
}

#[derive(Debug, Args)]
pub(crate) struct GenerateArgs {
    /// Directory to walk for lockfiles, or a single lockfile.
    #[arg(default_value = ".")]
    pub(crate) path: PathBuf,

    /// Output format: cyclonedx-json, cyclonedx-xml, spdx-json, spdx-tv or spdx3-json.
    #[arg(long, short, default_value = "cyclonedx-json", value_parser = parse_format)]
    pub(crate) format: Format,

    /// Write the SBOM to FILE instead of stdout (written beside, then renamed into place).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Skip paths matching this glob (repeatable), e.g. `--exclude 'tests/**'`.
    #[arg(long, value_name = "GLOB")]
    pub(crate) exclude: Vec<String>,

    /// Also walk into directories skipped by default (node_modules, .git, target, vendor, .venv).
    #[arg(long)]
    pub(crate) include_vendored: bool,

    /// Fail (exit 2) when any lockfile cannot be parsed, instead of reporting it and going on.
    #[arg(long)]
    pub(crate) strict: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// SBOM documents to check (CycloneDX 1.2–1.6, SPDX 2.2/2.3, SPDX 3.0).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// The SBOM document to convert (any format `vouch sbom validate` reads).
    pub(crate) file: PathBuf,

    /// Target format: cyclonedx-json, cyclonedx-xml, spdx-json, spdx-tv or spdx3-json.
    #[arg(long, short, value_parser = parse_format)]
    pub(crate) to: Format,

    /// Write to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

fn parse_format(name: &str) -> Result<Format, String> {
    name.parse()
}

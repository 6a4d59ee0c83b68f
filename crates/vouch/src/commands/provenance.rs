//! `vouch verify provenance`: SLSA provenance of a GitHub Actions build, checked the way
//! slsa-verifier checks it, offline against a pinned Sigstore trusted root.
//!
//! `run` returns a report and prints nothing. Provenance that fails a check is a failed gate
//! (exit 1); unreadable files, malformed documents and malformed arguments are bad usage
//! (exit 2).

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;
use vouch_attest::digest::ArtifactDigests;
use vouch_attest::slsa::{
    ExpectedArtifact, ProvenanceOptions, VerifiedProvenance, verify_provenance,
};

use crate::error::{CliError, Exit};

/// `vouch verify provenance`.
#[derive(Debug, Args)]
pub(crate) struct ProvenanceArgs {
    /// The provenance: a Sigstore bundle, a DSSE envelope, npm attestations (`dist.attestations`),
    /// or one per line (`.intoto.jsonl`).
    #[arg(long, value_name = "FILE")]
    pub(crate) provenance: PathBuf,

    /// The artifact the provenance must describe.
    #[arg(long, value_name = "FILE", required_unless_present = "digest")]
    pub(crate) artifact: Option<PathBuf>,

    /// The artifact's digest instead of the artifact: `sha256:HEX` or `sha512:HEX`.
    #[arg(long, value_name = "ALGORITHM:HEX", conflicts_with = "artifact")]
    pub(crate) digest: Option<String>,

    /// The repository the artifact must have been built from: `github.com/OWNER/REPO`.
    #[arg(long, value_name = "URI")]
    pub(crate) source_uri: String,

    /// The tag the build must have run for (`v1.2.3`).
    #[arg(long, value_name = "TAG", conflicts_with = "source_branch")]
    pub(crate) source_tag: Option<String>,

    /// The branch the build must have run on (`main`).
    #[arg(long, value_name = "BRANCH")]
    pub(crate) source_branch: Option<String>,

    /// The builder workflow to trust, optionally `@TAG`; without it, the slsa-github-generator
    /// builders are trusted at any release. npm provenance needs it (for the npm CLI:
    /// https://github.com/actions/runner/github-hosted).
    #[arg(long, value_name = "ID")]
    pub(crate) builder_id: Option<String>,

    /// Trusted root JSON to verify against instead of the embedded Sigstore public-good root.
    #[arg(long, value_name = "FILE")]
    pub(crate) trusted_root: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ProvenanceReport {
    pub(crate) schema_version: u32,
    pub(crate) provenance: PathBuf,
    /// The artifact path or digest, as given.
    pub(crate) artifact: String,
    /// The trusted root used: a path, or the embedded production root.
    pub(crate) trusted_root: String,
    /// Builder, source, ref, predicate type, subjects and the line that verified.
    #[serde(flatten)]
    pub(crate) verified: VerifiedProvenance,
}

pub(crate) fn run(args: &ProvenanceArgs) -> Result<ProvenanceReport, CliError> {
    let (artifact, given) = expected_artifact(args)?;
    let (trust_root, verifier) = super::sigstore::trusted_verifier(args.trusted_root.as_deref())?;
    let provenance = super::read(&args.provenance)?;
    let options = ProvenanceOptions {
        artifact,
        source_uri: args.source_uri.clone(),
        source_tag: args.source_tag.clone(),
        source_branch: args.source_branch.clone(),
        builder_id: args.builder_id.clone(),
    };
    let verified =
        verify_provenance(&verifier, &provenance, &options).map_err(|error| CliError {
            exit: if error.is_bad_input() {
                Exit::Usage
            } else {
                Exit::GateFailed
            },
            message: format!("{}: {error}", args.provenance.display()),
        })?;
    Ok(ProvenanceReport {
        schema_version: 1,
        provenance: args.provenance.clone(),
        artifact: given,
        trusted_root: trust_root.origin().to_owned(),
        verified,
    })
}

/// The artifact's digests, and the artifact as the user named it.
fn expected_artifact(args: &ProvenanceArgs) -> Result<(ExpectedArtifact, String), CliError> {
    match (&args.artifact, &args.digest) {
        (Some(path), None) => {
            let digests = ArtifactDigests::of_file(path)
                .map_err(|error| CliError::usage(error.to_string()))?;
            Ok((
                ExpectedArtifact::from_digests(&digests),
                path.display().to_string(),
            ))
        }
        (None, Some(digest)) => ExpectedArtifact::from_digest_argument(digest)
            .map(|artifact| (artifact, digest.clone()))
            .ok_or_else(|| {
                CliError::usage(format!(
                    "{digest}: expected sha256:HEX (64 digits) or sha512:HEX (128 digits)"
                ))
            }),
        _ => Err(CliError::usage("give either --artifact or --digest")),
    }
}

//! `vouch sigstore verify-bundle`: offline verification of a Sigstore bundle, keyless (Fulcio
//! identity) or with a managed key, speaking the sigstore-conformance client protocol verbatim.
//!
//! `run_verify_bundle` returns a report and prints nothing. A bundle that does not verify is a
//! failed gate (exit 1); unreadable arguments, keys or trusted roots are bad usage (exit 2).

use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;
use vouch_attest::keys::PublicKey;
use vouch_attest::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreError, SigstoreVerifier, TrustRoot,
    VerifiedSigner,
};

use super::read;
use crate::error::{CliError, Exit};

/// `vouch sigstore verify-bundle`.
#[derive(Debug, Args)]
pub(crate) struct VerifyBundleArgs {
    /// The Sigstore bundle (`.sigstore.json`).
    #[arg(long, value_name = "FILE")]
    pub(crate) bundle: PathBuf,

    /// The certificate subject alternative name (URI or email) the signer must have.
    #[arg(
        long,
        value_name = "IDENTITY",
        requires = "certificate_oidc_issuer",
        required_unless_present = "key"
    )]
    pub(crate) certificate_identity: Option<String>,

    /// The OIDC issuer that must have vouched for the identity.
    #[arg(long, value_name = "URL", requires = "certificate_identity")]
    pub(crate) certificate_oidc_issuer: Option<String>,

    /// Verify a managed-key bundle with this PEM public key instead of a certificate identity.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["certificate_identity", "certificate_oidc_issuer"])]
    pub(crate) key: Option<PathBuf>,

    /// Trusted root JSON to verify against instead of the embedded Sigstore public-good root.
    #[arg(long, value_name = "FILE")]
    pub(crate) trusted_root: Option<PathBuf>,

    /// The signed artifact, or its digest as `sha256:HEX` or `sha512:HEX`.
    #[arg(value_name = "FILE_OR_DIGEST")]
    pub(crate) file_or_digest: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct VerifyBundleReport {
    pub(crate) bundle: PathBuf,
    /// The artifact path or `sha256:HEX` digest, as given.
    pub(crate) artifact: String,
    /// The trusted root used: a path, or the embedded production root.
    pub(crate) trusted_root: String,
    pub(crate) signer: VerifiedSigner,
    /// Authenticated signing times (RFC 3161 timestamps, SET-backed Rekor integrated times).
    pub(crate) verified_times: Vec<String>,
    pub(crate) transparency_log_verified: bool,
}

pub(crate) fn run_verify_bundle(args: &VerifyBundleArgs) -> Result<VerifyBundleReport, CliError> {
    let requirement = requirement(args)?;
    let (trust_root, verifier) = trusted_verifier(args.trusted_root.as_deref())?;
    let bundle = read(&args.bundle)?;
    let artifact_bytes;
    let artifact = match parse_digest(&args.file_or_digest)? {
        Some(digest) => digest,
        None => {
            artifact_bytes = read(Path::new(&args.file_or_digest))?;
            ArtifactInput::Bytes(&artifact_bytes)
        }
    };
    let verified = verifier
        .verify(artifact, &bundle, &requirement)
        .map_err(|error| rejected(args, &error))?;
    Ok(VerifyBundleReport {
        bundle: args.bundle.clone(),
        artifact: args.file_or_digest.clone(),
        trusted_root: trust_root.origin().to_owned(),
        signer: verified.signer,
        verified_times: verified.verified_times,
        transparency_log_verified: verified.transparency_log_verified,
    })
}

/// The trusted root at `path`, or the embedded production root, and a verifier for it.
pub(crate) fn trusted_verifier(
    path: Option<&Path>,
) -> Result<(TrustRoot, SigstoreVerifier), CliError> {
    let trust_root = TrustRoot::read_file_or_production(path)
        .map_err(|error| CliError::usage(error.to_string()))?;
    let verifier =
        SigstoreVerifier::new(&trust_root).map_err(|error| CliError::usage(error.to_string()))?;
    Ok((trust_root, verifier))
}

fn requirement(args: &VerifyBundleArgs) -> Result<Requirement, CliError> {
    match (
        &args.key,
        &args.certificate_identity,
        &args.certificate_oidc_issuer,
    ) {
        (Some(key), None, None) => PublicKey::read_pem_file(key)
            .map(Requirement::Key)
            .map_err(|error| CliError::usage(format!("{}: {error}", key.display()))),
        (None, Some(identity), Some(issuer)) => Ok(Requirement::Identity(IdentityPolicy::exact(
            identity.clone(),
            issuer.clone(),
        ))),
        _ => Err(CliError::usage(
            "give either --certificate-identity with --certificate-oidc-issuer, or --key",
        )),
    }
}

/// `sha256:HEX` or `sha512:HEX` names a digest; anything else is a path. A digest prefix with a
/// malformed digest is an error rather than a file name, so a typo cannot silently read a stray
/// file.
fn parse_digest(argument: &str) -> Result<Option<ArtifactInput<'static>>, CliError> {
    if !argument.starts_with("sha256:") && !argument.starts_with("sha512:") {
        return Ok(None);
    }
    ArtifactInput::from_digest_argument(argument)
        .map(Some)
        .ok_or_else(|| {
            CliError::usage(format!(
                "{argument}: a digest is sha256: and 64 or sha512: and 128 hexadecimal characters"
            ))
        })
}

fn rejected(args: &VerifyBundleArgs, error: &SigstoreError) -> CliError {
    CliError {
        exit: Exit::GateFailed,
        message: format!(
            "{} does not verify {}: {error}",
            args.bundle.display(),
            args.file_or_digest
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_prefixes_name_a_digest_and_anything_else_a_path() -> Result<(), CliError> {
        let parsed = parse_digest(&format!("sha256:{}", "0f".repeat(32)))?;
        assert_eq!(parsed, Some(ArtifactInput::Sha256([0x0f; 32])));
        let parsed = parse_digest(&format!("sha512:{}", "0f".repeat(64)))?;
        assert_eq!(parsed, Some(ArtifactInput::Sha512([0x0f; 64])));
        assert_eq!(parse_digest("artifact.tar.gz")?, None);
        let error = parse_digest("sha256:abc").err().map(|error| error.exit);
        assert_eq!(error, Some(Exit::Usage));
        Ok(())
    }
}

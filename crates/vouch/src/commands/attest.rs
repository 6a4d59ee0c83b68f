//! `vouch key generate`, `vouch sign`, `vouch attest` and `vouch verify`: key-based signatures
//! and in-toto attestations of artifacts, in Sigstore bundles.
//!
//! Each `run_*` returns a report and prints nothing. Bad input maps to exit code 2; a bundle
//! that does not verify is a failed gate, exit code 1.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;
use vouch_attest::bundle::{Bundle, BundleVersion, VerifiedContent};
use vouch_attest::digest::ArtifactDigests;
use vouch_attest::intoto::{Statement, Subject};
use vouch_attest::keys::{PrivateKey, PublicKey, SigningAlgorithm};

use super::read;
use crate::error::{CliError, Exit};
use crate::output::write_file_atomically;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KeyAlgorithmArg {
    /// ECDSA over NIST P-256 with SHA-256 (what cosign generates).
    P256,
    /// ECDSA over NIST P-384 with SHA-384.
    P384,
    /// Ed25519.
    Ed25519,
}

impl From<KeyAlgorithmArg> for SigningAlgorithm {
    fn from(algorithm: KeyAlgorithmArg) -> Self {
        match algorithm {
            KeyAlgorithmArg::P256 => Self::EcdsaP256,
            KeyAlgorithmArg::P384 => Self::EcdsaP384,
            KeyAlgorithmArg::Ed25519 => Self::Ed25519,
        }
    }
}

/// `vouch key generate`.
#[derive(Debug, Args)]
pub(crate) struct KeyGenerateArgs {
    /// Signature algorithm of the new key.
    #[arg(long, value_enum, default_value_t = KeyAlgorithmArg::P256)]
    pub(crate) algorithm: KeyAlgorithmArg,

    /// Encrypt the private key with the passphrase held in this environment variable.
    #[arg(long, value_name = "VAR")]
    pub(crate) passphrase_env: Option<String>,

    /// Where to write the private key (mode 0600); the public key goes to FILE.pub.
    #[arg(long, value_name = "FILE")]
    pub(crate) output_key: PathBuf,
}

/// The private key a signing command uses.
#[derive(Debug, Args)]
pub(crate) struct SigningKeyArgs {
    /// Private key PEM file.
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,

    /// Environment variable holding the passphrase of an encrypted key.
    #[arg(long, value_name = "VAR")]
    pub(crate) passphrase_env: Option<String>,
}

impl SigningKeyArgs {
    fn load(&self) -> Result<PrivateKey, CliError> {
        private_key(&self.key, self.passphrase_env.as_deref())
    }
}

/// `vouch sign`.
#[derive(Debug, Args)]
pub(crate) struct SignArgs {
    /// The artifact to sign.
    pub(crate) file: PathBuf,

    #[command(flatten)]
    pub(crate) signing_key: SigningKeyArgs,

    /// Where to write the Sigstore bundle [default: FILE.sigstore.json].
    #[arg(long, short, value_name = "BUNDLE")]
    pub(crate) output: Option<PathBuf>,
}

/// `vouch attest`.
#[derive(Debug, Args)]
pub(crate) struct AttestArgs {
    /// The artifact the attestation is about.
    #[arg(long, value_name = "FILE")]
    pub(crate) subject: PathBuf,

    /// The predicate's type URI, e.g. https://slsa.dev/provenance/v1.
    #[arg(long, value_name = "URI")]
    pub(crate) predicate_type: String,

    /// JSON file holding the predicate.
    #[arg(long, value_name = "FILE")]
    pub(crate) predicate: PathBuf,

    #[command(flatten)]
    pub(crate) signing_key: SigningKeyArgs,

    /// Where to write the Sigstore bundle [default: SUBJECT.sigstore.json].
    #[arg(long, short, value_name = "BUNDLE")]
    pub(crate) output: Option<PathBuf>,
}

/// `vouch verify`.
#[derive(Debug, Args)]
pub(crate) struct VerifyArgs {
    /// The artifact the bundle signs or attests.
    pub(crate) file: PathBuf,

    /// The Sigstore bundle.
    #[arg(long, value_name = "BUNDLE")]
    pub(crate) bundle: PathBuf,

    /// Public key PEM file (or a certificate whose key to use).
    #[arg(long, value_name = "PUB")]
    pub(crate) key: PathBuf,

    /// Require an attestation with this predicate type URI.
    #[arg(long, value_name = "URI")]
    pub(crate) predicate_type: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct KeyGenerateReport {
    pub(crate) algorithm: SigningAlgorithm,
    pub(crate) private_key: PathBuf,
    pub(crate) public_key: PathBuf,
    pub(crate) encrypted: bool,
    /// Base64 SHA-256 of the public key, the hint bundles name it by.
    pub(crate) key_hint: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct SignReport {
    pub(crate) artifact: PathBuf,
    pub(crate) sha256: String,
    pub(crate) bundle: PathBuf,
    pub(crate) key_hint: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct AttestReport {
    pub(crate) subject: PathBuf,
    pub(crate) sha256: String,
    pub(crate) predicate_type: String,
    pub(crate) bundle: PathBuf,
    pub(crate) key_hint: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum VerifiedKind {
    MessageSignature,
    Attestation,
}

#[derive(Debug, Serialize)]
pub(crate) struct VerifyReport {
    pub(crate) artifact: PathBuf,
    pub(crate) sha256: String,
    pub(crate) bundle: PathBuf,
    pub(crate) bundle_version: BundleVersion,
    pub(crate) verified: VerifiedKind,
    /// The attestation's predicate type, for an attestation.
    pub(crate) predicate_type: Option<String>,
    pub(crate) key_hint: String,
    /// Transparency-log entries and RFC 3161 timestamps in the bundle that key-based
    /// verification did not check.
    pub(crate) unverified_tlog_entries: usize,
    pub(crate) unverified_timestamps: usize,
}

pub(crate) fn run_key_generate(args: &KeyGenerateArgs) -> Result<KeyGenerateReport, CliError> {
    let passphrase = passphrase(args.passphrase_env.as_deref())?;
    let key = PrivateKey::generate(args.algorithm.into())
        .map_err(|error| CliError::internal(error.to_string()))?;
    let public_key = key
        .write_pem_files(&args.output_key, passphrase.as_deref().map(str::as_bytes))
        .map_err(|error| CliError::usage(error.to_string()))?;
    Ok(KeyGenerateReport {
        algorithm: key.algorithm(),
        private_key: args.output_key.clone(),
        public_key,
        encrypted: passphrase.is_some(),
        key_hint: key.public_key().hint(),
    })
}

pub(crate) fn run_sign(args: &SignArgs) -> Result<SignReport, CliError> {
    let key = args.signing_key.load()?;
    let artifact = read(&args.file)?;
    let bundle = Bundle::sign_message(&key, &artifact)
        .map_err(|error| CliError::internal(error.to_string()))?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_bundle_path(&args.file));
    write_bundle(&bundle, &output)?;
    Ok(SignReport {
        artifact: args.file.clone(),
        sha256: ArtifactDigests::of_bytes(&artifact).sha256,
        bundle: output,
        key_hint: key.public_key().hint(),
    })
}

pub(crate) fn run_attest(args: &AttestArgs) -> Result<AttestReport, CliError> {
    let key = args.signing_key.load()?;
    let digests = ArtifactDigests::of_file(&args.subject)
        .map_err(|error| CliError::usage(error.to_string()))?;
    let predicate: serde_json::Value =
        serde_json::from_slice(&read(&args.predicate)?).map_err(|error| {
            CliError::usage(format!(
                "{}: the predicate is not JSON: {error}",
                args.predicate.display()
            ))
        })?;
    let name = args
        .subject
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let statement = Statement::new(
        vec![Subject::from_digests(name, &digests)],
        args.predicate_type.clone(),
        predicate,
    );
    let bundle = Bundle::sign_statement(&key, &statement)
        .map_err(|error| CliError::internal(error.to_string()))?;
    let output = args
        .output
        .clone()
        .unwrap_or_else(|| default_bundle_path(&args.subject));
    write_bundle(&bundle, &output)?;
    Ok(AttestReport {
        subject: args.subject.clone(),
        sha256: digests.sha256,
        predicate_type: args.predicate_type.clone(),
        bundle: output,
        key_hint: key.public_key().hint(),
    })
}

pub(crate) fn run_verify(args: &VerifyArgs) -> Result<VerifyReport, CliError> {
    let key =
        PublicKey::read_pem_file(&args.key).map_err(|error| CliError::usage(error.to_string()))?;
    let bundle = Bundle::from_json(&read(&args.bundle)?)
        .map_err(|error| CliError::usage(format!("{}: {error}", args.bundle.display())))?;
    let artifact = read(&args.file)?;
    let verification = bundle
        .verify_with_key(&key, &artifact, args.predicate_type.as_deref())
        .map_err(|error| CliError {
            exit: Exit::GateFailed,
            message: format!(
                "{} does not verify {} with key {}: {error}",
                args.bundle.display(),
                args.file.display(),
                args.key.display()
            ),
        })?;
    let (verified, predicate_type) = match verification.content {
        VerifiedContent::MessageSignature => (VerifiedKind::MessageSignature, None),
        VerifiedContent::Statement(statement) => {
            (VerifiedKind::Attestation, Some(statement.predicate_type))
        }
    };
    Ok(VerifyReport {
        artifact: args.file.clone(),
        sha256: ArtifactDigests::of_bytes(&artifact).sha256,
        bundle: args.bundle.clone(),
        bundle_version: bundle.version,
        verified,
        predicate_type,
        key_hint: key.hint(),
        unverified_tlog_entries: verification.unverified_tlog_entries,
        unverified_timestamps: verification.unverified_timestamps,
    })
}

/// The passphrase held in the environment variable `name`; it must be set and not empty.
/// The private key at `path`, decrypted with the passphrase in the variable `passphrase_env`.
pub(super) fn private_key(
    path: &Path,
    passphrase_env: Option<&str>,
) -> Result<PrivateKey, CliError> {
    let passphrase = passphrase(passphrase_env)?;
    PrivateKey::read_pem_file(path, passphrase.as_deref().map(str::as_bytes))
        .map_err(|error| CliError::usage(error.to_string()))
}

fn passphrase(name: Option<&str>) -> Result<Option<String>, CliError> {
    let Some(name) = name else {
        return Ok(None);
    };
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => Ok(Some(value)),
        Ok(_) => Err(CliError::usage(format!(
            "the passphrase variable {name} is empty"
        ))),
        Err(_) => Err(CliError::usage(format!(
            "the passphrase variable {name} is not set (or not UTF-8)"
        ))),
    }
}

/// `<artifact>.sigstore.json`, where Sigstore clients look for an artifact's bundle.
fn default_bundle_path(artifact: &Path) -> PathBuf {
    let mut path = artifact.as_os_str().to_owned();
    path.push(".sigstore.json");
    PathBuf::from(path)
}

fn write_bundle(bundle: &Bundle, path: &Path) -> Result<(), CliError> {
    let json = bundle
        .to_json()
        .map_err(|error| CliError::internal(error.to_string()))?;
    write_file_atomically(path, &json)
}

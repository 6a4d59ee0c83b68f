//! `vouch model sign` and `vouch model verify`: OpenSSF Model Signing (OMS v1.0) signatures of
//! model directories, interoperable with sigstore/model-transparency's `model_signing`.
//!
//! Each `run_*` returns a report and prints nothing. Bad input maps to exit code 2; a model or
//! signature that does not verify is a failed gate, exit code 1.

use std::path::{Path, PathBuf};

use clap::{ArgGroup, Args, ValueEnum};
use serde::Serialize;
use vouch_attest::keys::PublicKey;
use vouch_attest::model::{
    HashAlgorithm, HashingOptions, Method, SignError, Signed, Verified, Verifier, VerifyError,
    VerifyOptions, certificates_from_pem, path_in_model, sign_model, verify_model,
};
use vouch_attest::sigstore::IdentityPolicy;

use super::attest::private_key;
use super::read;
use crate::error::{CliError, Exit};

/// The name model_signing gives a signature by default.
const DEFAULT_SIGNATURE_NAME: &str = "model.sig";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ModelHashArg {
    /// SHA-256, the default and the one every verifier supports.
    Sha256,
    /// BLAKE2b-512.
    Blake2b,
    /// BLAKE3.
    Blake3,
}

impl From<ModelHashArg> for HashAlgorithm {
    fn from(hash: ModelHashArg) -> Self {
        match hash {
            ModelHashArg::Sha256 => Self::Sha256,
            ModelHashArg::Blake2b => Self::Blake2b,
            ModelHashArg::Blake3 => Self::Blake3,
        }
    }
}

/// `vouch model sign`.
#[derive(Debug, Args)]
pub(crate) struct ModelSignArgs {
    /// The model: a directory, or a single file.
    pub(crate) model: PathBuf,

    /// Private key PEM file (ECDSA P-256 or P-384 for model_signing to verify it; Ed25519
    /// signatures verify with vouch only).
    #[arg(long, value_name = "FILE")]
    pub(crate) key: PathBuf,

    /// Environment variable holding the passphrase of an encrypted key.
    #[arg(long, value_name = "VAR")]
    pub(crate) passphrase_env: Option<String>,

    /// Where to write the signature [default: MODEL/model.sig for a directory, MODEL.sig for
    /// a file]. Inside the model, it is left out of what is signed.
    #[arg(long, value_name = "FILE")]
    pub(crate) signature: Option<PathBuf>,

    /// Files or directories of the model to leave unsigned (as paths from the working
    /// directory, like model_signing's `--ignore-paths`).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub(crate) ignore_paths: Vec<PathBuf>,

    /// Sign the git files at the model's top level (.git, .gitattributes, .github,
    /// .gitignore) instead of leaving them out.
    #[arg(long)]
    pub(crate) include_git_paths: bool,

    /// Hash of each file (or shard).
    #[arg(long, value_enum, default_value_t = ModelHashArg::Sha256)]
    pub(crate) hash: ModelHashArg,

    /// Hash files in shards of this many bytes (`shards` serialisation) instead of whole.
    #[arg(long, value_name = "BYTES", value_parser = clap::value_parser!(u64).range(1..))]
    pub(crate) shard_size: Option<u64>,

    /// Follow symbolic links to files (hashing the target under the link's name) instead of
    /// refusing them.
    #[arg(long)]
    pub(crate) allow_symlinks: bool,
}

/// `vouch model verify`: one of `--key`, `--certificate-chain` or `--identity`/`--issuer`.
#[derive(Debug, Args)]
#[command(group(
    ArgGroup::new("signer")
        .required(true)
        .args(["key", "certificate_chain", "identity"])
))]
pub(crate) struct ModelVerifyArgs {
    /// The model: a directory, or a single file.
    pub(crate) model: PathBuf,

    /// The signature (a Sigstore bundle).
    #[arg(long, value_name = "FILE")]
    pub(crate) signature: PathBuf,

    /// Public key PEM file the model was signed with.
    #[arg(long, value_name = "PUB")]
    pub(crate) key: Option<PathBuf>,

    /// PEM files of the CA certificates the signing certificate must chain to.
    #[arg(long, value_name = "PEM", num_args = 1..)]
    pub(crate) certificate_chain: Vec<PathBuf>,

    /// Sigstore: the signer identity (certificate SAN: email or URI) that must have signed.
    #[arg(long, value_name = "IDENTITY", requires = "issuer")]
    pub(crate) identity: Option<String>,

    /// Sigstore: the OIDC issuer that must have vouched for the identity.
    #[arg(long, value_name = "URL", requires = "identity")]
    pub(crate) issuer: Option<String>,

    /// Sigstore: the trusted_root.json to verify against (Fulcio CAs, transparency and CT
    /// logs, timestamp authorities) [default: the embedded Sigstore public-good root].
    #[arg(long, value_name = "FILE", requires = "identity")]
    pub(crate) trusted_root: Option<PathBuf>,

    /// Files or directories of the model to leave out, beyond those the signature records
    /// (as paths from the working directory).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub(crate) ignore_paths: Vec<PathBuf>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ModelSignReport {
    pub(crate) model: PathBuf,
    #[serde(flatten)]
    pub(crate) signed: Signed,
}

#[derive(Debug, Serialize)]
pub(crate) struct ModelVerifyReport {
    pub(crate) model: PathBuf,
    pub(crate) signature: PathBuf,
    #[serde(flatten)]
    pub(crate) verified: Verified,
}

pub(crate) fn run_sign(args: &ModelSignArgs) -> Result<ModelSignReport, CliError> {
    let key = private_key(&args.key, args.passphrase_env.as_deref())?;
    let signature = args
        .signature
        .clone()
        .unwrap_or_else(|| default_signature_path(&args.model));
    let options = HashingOptions {
        method: args
            .shard_size
            .map_or(Method::Files, |shard_size| Method::Shards { shard_size }),
        hash: args.hash.into(),
        allow_symlinks: args.allow_symlinks,
        ignore_paths: ignore_paths(&args.model, &args.ignore_paths)?,
        ignore_git_paths: !args.include_git_paths,
    };
    let signed = sign_model(&args.model, &signature, &key, &options).map_err(|error| {
        let exit = match error {
            SignError::Key(_) | SignError::Bundle(_) | SignError::Statement(_) => Exit::Internal,
            _ => Exit::Usage,
        };
        CliError {
            exit,
            message: format!("cannot sign {}: {error}", args.model.display()),
        }
    })?;
    Ok(ModelSignReport {
        model: args.model.clone(),
        signed,
    })
}

pub(crate) fn run_verify(args: &ModelVerifyArgs) -> Result<ModelVerifyReport, CliError> {
    let verifier = verifier(args)?;
    let options = VerifyOptions {
        ignore_paths: ignore_paths(&args.model, &args.ignore_paths)?,
    };
    let verified =
        verify_model(&args.model, &args.signature, &verifier, &options).map_err(|error| {
            let exit = match error {
                VerifyError::Io { .. } | VerifyError::Key(_) => Exit::Usage,
                _ => Exit::GateFailed,
            };
            CliError {
                exit,
                message: format!(
                    "{} does not verify {}: {error}",
                    args.signature.display(),
                    args.model.display()
                ),
            }
        })?;
    Ok(ModelVerifyReport {
        model: args.model.clone(),
        signature: args.signature.clone(),
        verified,
    })
}

fn verifier(args: &ModelVerifyArgs) -> Result<Verifier, CliError> {
    if let Some(key) = &args.key {
        return PublicKey::read_pem_file(key)
            .map(Verifier::Key)
            .map_err(|error| CliError::usage(error.to_string()));
    }
    if let (Some(identity), Some(issuer)) = (&args.identity, &args.issuer) {
        let (_, verifier) = super::sigstore::trusted_verifier(args.trusted_root.as_deref())?;
        return Ok(Verifier::Sigstore {
            policy: IdentityPolicy::exact(identity.clone(), issuer.clone()),
            verifier: Box::new(verifier),
        });
    }
    let mut anchors = Vec::new();
    for path in &args.certificate_chain {
        let what = path.display().to_string();
        anchors.extend(
            certificates_from_pem(&read(path)?, &what)
                .map_err(|error| CliError::usage(error.to_string()))?,
        );
    }
    // clap requires a signer and at least one chain file, and a file without certificates is
    // an error above, so the anchors are never empty here.
    Ok(Verifier::CertificateChain(anchors))
}

/// `paths` relative to the model; a path outside the model is refused, since it could
/// never match.
fn ignore_paths(model: &Path, paths: &[PathBuf]) -> Result<Vec<String>, CliError> {
    paths
        .iter()
        .map(|path| {
            path_in_model(model, path).ok_or_else(|| {
                CliError::usage(format!(
                    "ignore path {} is not inside the model {}",
                    path.display(),
                    model.display()
                ))
            })
        })
        .collect()
}

/// `MODEL/model.sig` for a directory (model_signing's name), `MODEL.sig` beside a file.
fn default_signature_path(model: &Path) -> PathBuf {
    if model.is_dir() {
        model.join(DEFAULT_SIGNATURE_NAME)
    } else {
        let mut path = model.as_os_str().to_owned();
        path.push(".sig");
        PathBuf::from(path)
    }
}

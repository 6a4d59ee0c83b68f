//! Model signing against sigstore/model-transparency: its golden manifests and statements
//! (byte for byte, on models rebuilt as its fixtures build them), every signed model its
//! releases produced, and tampering.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest as _, Sha256};
use vouch_attest::keys::{PrivateKey, PublicKey, SigningAlgorithm};
use vouch_attest::model::{
    HashAlgorithm, HashingOptions, Method, Mismatch, Verifier, VerifyError, VerifyOptions,
    certificates_from_pem, hash_model, sign_model, statement_json, verify_model,
};
use vouch_attest::sigstore::{IdentityPolicy, SigstoreError, SigstoreVerifier, TrustRoot};

const MODEL_TRANSPARENCY: &str = "model-transparency";
/// The production trusted root, relative to the model-transparency data.
const PRODUCTION_ROOT: &str = "../sigstore-trust-roots/production/trusted_root.json";

/// The models of model-transparency's `tests/conftest.py`, each built in a fresh directory.
#[derive(Debug, Clone, Copy)]
enum Fixture {
    SampleModelFile,
    EmptyModelFile,
    SampleModelFolder,
    EmptyModelFolder,
    ModelFolderWithEmptyFile,
    DeepModelFolder,
    SymlinkModelFolder,
}

impl Fixture {
    fn golden_name(self) -> &'static str {
        match self {
            Self::SampleModelFile => "sample_model_file",
            Self::EmptyModelFile => "empty_model_file",
            Self::SampleModelFolder => "sample_model_folder",
            Self::EmptyModelFolder => "empty_model_folder",
            Self::ModelFolderWithEmptyFile => "model_folder_with_empty_file",
            Self::DeepModelFolder => "deep_model_folder",
            Self::SymlinkModelFolder => "symlink_model_folder",
        }
    }

    /// Builds the model under `root` and returns its path.
    fn build(self, root: &Path) -> PathBuf {
        let write = |path: PathBuf, text: &str| {
            fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
            fs::write(path, text).expect("write a model file");
        };
        match self {
            Self::SampleModelFile => {
                let model = root.join("file_model");
                write(model.clone(), "This is a simple model");
                model
            }
            Self::EmptyModelFile => {
                let model = root.join("empty_file_model");
                write(model.clone(), "");
                model
            }
            Self::SampleModelFolder => {
                let model = root.join("sample_model");
                for i in 0..2 {
                    for j in 0..3 {
                        write(
                            model.join(format!("d{i}/f{i}{j}")),
                            &format!("This is file f{i}{j} in d{i}."),
                        );
                    }
                }
                for i in 0..4 {
                    write(
                        model.join(format!("f{i}")),
                        &format!("This is file f{i} in root."),
                    );
                }
                model
            }
            Self::EmptyModelFolder => {
                let model = root.join("empty_folder_model");
                fs::create_dir_all(&model).expect("create the model directory");
                model
            }
            Self::ModelFolderWithEmptyFile => {
                let model = root.join("empty_file_inside_model");
                write(model.join("empty_file"), "");
                model
            }
            Self::DeepModelFolder => {
                let model = root.join("deep_model");
                for i in 0..4 {
                    write(
                        model.join(format!("d0/d1/d2/d3/d4/f{i}")),
                        &format!("This is file f{i}."),
                    );
                }
                model
            }
            Self::SymlinkModelFolder => {
                let target = root.join("external/file");
                write(target.clone(), "This is a simple model");
                let model = root.join("symlink_model");
                fs::create_dir_all(&model).expect("create the model directory");
                std::os::unix::fs::symlink(&target, model.join("symlink_file"))
                    .expect("create the symlink");
                model
            }
        }
    }
}

/// The serialisations the goldens were made with: model_signing's test serialisers allow
/// symbolic links and ignore nothing.
fn golden_options(method: Method) -> HashingOptions {
    HashingOptions {
        method,
        hash: HashAlgorithm::Sha256,
        allow_symlinks: true,
        ignore_paths: Vec::new(),
        ignore_git_paths: false,
    }
}

/// `tests/_serialization/testdata/<kind>/TestSerializer/<golden>`: one `name:digest` line per
/// resource.
fn check_manifest_golden(fixture: Fixture, kind: &str, method: Method, suffix: &str) {
    let Some(golden) = vouch_test_support::data_path(&format!(
        "{MODEL_TRANSPARENCY}/tests/_serialization/testdata/{kind}/TestSerializer/{}{suffix}",
        fixture.golden_name()
    )) else {
        return;
    };
    let expected = fs::read_to_string(&golden).expect("read the golden manifest");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = fixture.build(directory.path());
    let manifest = hash_model(&model, &golden_options(method)).expect("hash the model");
    let actual: String = manifest
        .resources
        .iter()
        .map(|resource| format!("{}:{}\n", resource.name(), hex::encode(&resource.digest)))
        .collect();
    assert_eq!(actual, expected, "{}", golden.display());
}

/// `tests/_signing/testdata/signing/TestPayload/<golden>`: the statement as model_signing's
/// protobuf JSON writes it, plus the newline the golden file ends with.
fn check_payload_golden(fixture: Fixture, method: Method, suffix: &str) {
    let Some(golden) = vouch_test_support::data_path(&format!(
        "{MODEL_TRANSPARENCY}/tests/_signing/testdata/signing/TestPayload/{}{suffix}",
        fixture.golden_name()
    )) else {
        return;
    };
    let expected = fs::read(&golden).expect("read the golden statement");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = fixture.build(directory.path());
    let manifest = hash_model(&model, &golden_options(method)).expect("hash the model");
    let mut actual = statement_json(&manifest).expect("write the statement");
    actual.push(b'\n');
    assert_eq!(
        String::from_utf8_lossy(&actual),
        String::from_utf8_lossy(&expected),
        "{}",
        golden.display()
    );
}

const FILES: Method = Method::Files;
const SHARDS: Method = Method::Shards {
    shard_size: 1_000_000_000,
};
const SMALL_SHARDS: Method = Method::Shards { shard_size: 8 };

macro_rules! manifest_goldens {
    ($($test:ident: $fixture:ident, $kind:literal, $method:expr, $suffix:literal;)*) => {$(
        #[test]
        fn $test() {
            check_manifest_golden(Fixture::$fixture, $kind, $method, $suffix);
        }
    )*};
}

macro_rules! payload_goldens {
    ($($test:ident: $fixture:ident, $method:expr, $suffix:literal;)*) => {$(
        #[test]
        fn $test() {
            check_payload_golden(Fixture::$fixture, $method, $suffix);
        }
    )*};
}

manifest_goldens! {
    manifest_files_sample_model_file: SampleModelFile, "file", FILES, "";
    manifest_files_empty_model_file: EmptyModelFile, "file", FILES, "";
    manifest_files_sample_model_folder: SampleModelFolder, "file", FILES, "";
    manifest_files_empty_model_folder: EmptyModelFolder, "file", FILES, "";
    manifest_files_model_folder_with_empty_file: ModelFolderWithEmptyFile, "file", FILES, "";
    manifest_files_deep_model_folder: DeepModelFolder, "file", FILES, "";
    manifest_files_symlink_model_folder: SymlinkModelFolder, "file", FILES, "";
    manifest_shards_sample_model_file: SampleModelFile, "file_shard", SHARDS, "";
    manifest_shards_empty_model_file: EmptyModelFile, "file_shard", SHARDS, "";
    manifest_shards_sample_model_folder: SampleModelFolder, "file_shard", SHARDS, "";
    manifest_shards_empty_model_folder: EmptyModelFolder, "file_shard", SHARDS, "";
    manifest_shards_model_folder_with_empty_file: ModelFolderWithEmptyFile, "file_shard", SHARDS, "";
    manifest_shards_deep_model_folder: DeepModelFolder, "file_shard", SHARDS, "";
    manifest_shards_symlink_model_folder: SymlinkModelFolder, "file_shard", SHARDS, "";
    manifest_small_shards_sample_model_file: SampleModelFile, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_empty_model_file: EmptyModelFile, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_sample_model_folder: SampleModelFolder, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_empty_model_folder: EmptyModelFolder, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_model_folder_with_empty_file: ModelFolderWithEmptyFile, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_deep_model_folder: DeepModelFolder, "file_shard", SMALL_SHARDS, "_small_shards";
    manifest_small_shards_symlink_model_folder: SymlinkModelFolder, "file_shard", SMALL_SHARDS, "_small_shards";
}

payload_goldens! {
    payload_files_sample_model_file: SampleModelFile, FILES, "";
    payload_files_empty_model_file: EmptyModelFile, FILES, "";
    payload_files_sample_model_folder: SampleModelFolder, FILES, "";
    payload_files_empty_model_folder: EmptyModelFolder, FILES, "";
    payload_files_model_folder_with_empty_file: ModelFolderWithEmptyFile, FILES, "";
    payload_files_deep_model_folder: DeepModelFolder, FILES, "";
    payload_files_symlink_model_folder: SymlinkModelFolder, FILES, "";
    payload_shards_sample_model_file: SampleModelFile, SHARDS, "_shard";
    payload_shards_empty_model_file: EmptyModelFile, SHARDS, "_shard";
    payload_shards_sample_model_folder: SampleModelFolder, SHARDS, "_shard";
    payload_shards_empty_model_folder: EmptyModelFolder, SHARDS, "_shard";
    payload_shards_model_folder_with_empty_file: ModelFolderWithEmptyFile, SHARDS, "_shard";
    payload_shards_deep_model_folder: DeepModelFolder, SHARDS, "_shard";
    payload_shards_symlink_model_folder: SymlinkModelFolder, SHARDS, "_shard";
    payload_small_shards_sample_model_file: SampleModelFile, SMALL_SHARDS, "_small_shards";
    payload_small_shards_empty_model_file: EmptyModelFile, SMALL_SHARDS, "_small_shards";
    payload_small_shards_sample_model_folder: SampleModelFolder, SMALL_SHARDS, "_small_shards";
    payload_small_shards_empty_model_folder: EmptyModelFolder, SMALL_SHARDS, "_small_shards";
    payload_small_shards_model_folder_with_empty_file: ModelFolderWithEmptyFile, SMALL_SHARDS, "_small_shards";
    payload_small_shards_deep_model_folder: DeepModelFolder, SMALL_SHARDS, "_small_shards";
    payload_small_shards_symlink_model_folder: SymlinkModelFolder, SMALL_SHARDS, "_small_shards";
}

#[test]
fn symlinks_are_refused_unless_allowed() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = Fixture::SymlinkModelFolder.build(directory.path());
    let error = hash_model(&model, &HashingOptions::default()).expect_err("a symlink");
    assert_eq!(
        error.to_string(),
        format!(
            "{} is a symbolic link; symbolic links are followed only when allowed",
            model.join("symlink_file").display()
        )
    );
}

#[test]
fn git_paths_and_ignored_directories_are_left_out() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = Fixture::SampleModelFolder.build(directory.path());
    for path in [
        ".git/HEAD",
        ".gitignore",
        ".github/workflows/ci.yml",
        "d0/.gitignore",
    ] {
        let path = model.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
        fs::write(path, "git").expect("write a git file");
    }
    let options = HashingOptions {
        ignore_paths: vec!["d1".to_owned(), "./f3".to_owned()],
        ..HashingOptions::default()
    };
    let manifest = hash_model(&model, &options).expect("hash the model");
    let names: Vec<String> = manifest
        .resources
        .iter()
        .map(|resource| resource.name())
        .collect();
    // Only top-level git paths are ignored, as model_signing does.
    assert_eq!(
        names,
        [
            "d0/.gitignore",
            "d0/f00",
            "d0/f01",
            "d0/f02",
            "f0",
            "f1",
            "f2"
        ]
    );
    assert_eq!(
        manifest.serialization.ignore_paths,
        [
            ".git",
            ".gitattributes",
            ".github",
            ".gitignore",
            "d1",
            "f3"
        ]
    );
}

#[test]
fn blake2b_and_blake3_resources_carry_their_own_digests() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = Fixture::SampleModelFile.build(directory.path());
    for (hash, expected) in [
        (
            HashAlgorithm::Blake2b,
            // `printf 'This is a simple model' | b2sum`
            "20e68afc59075f50f66f399d2cc590f2a93f58349dd6626c0f93bfa19d142b17\
             41029b102cbc7ec0b36ad8dc771d66e904ca9a874c76fcc242fee0bea557463f",
        ),
        (
            HashAlgorithm::Blake3,
            // Python `blake3.blake3(b'This is a simple model').hexdigest()`
            "c5703594582ac4f912c577904cd485aeaeeb38ecce4b147c736b4a23b5323e59",
        ),
    ] {
        let options = HashingOptions {
            hash,
            ..HashingOptions::default()
        };
        let manifest = hash_model(&model, &options).expect("hash the model");
        assert_eq!(manifest.resources.len(), 1);
        assert_eq!(
            hex::encode(&manifest.resources[0].digest),
            expected,
            "{hash}"
        );
    }
}

/// The `sigstore` method against the production trusted root.
fn sigstore_verifier(
    data: &Path,
    identity: &str,
    issuer: &str,
) -> Result<Verifier, Box<dyn std::error::Error>> {
    let trust_root = TrustRoot::read_file(&data.join(PRODUCTION_ROOT))?;
    Ok(Verifier::Sigstore {
        policy: IdentityPolicy::exact(identity, issuer),
        verifier: Box::new(SigstoreVerifier::new(&trust_root)?),
    })
}

/// One entry of model-transparency's `verify-cases.json`.
fn case_verifier(case: &Value, data: &Path) -> Result<Verifier, String> {
    let field = |name: &str| case.get(name).and_then(Value::as_str);
    let read = |relative: &str| {
        fs::read(data.join(relative)).map_err(|error| format!("{relative}: {error}"))
    };
    match field("method") {
        Some("elliptic-key") => {
            let path = field("public_key").ok_or("no public_key")?;
            PublicKey::from_pem(&read(path)?)
                .map(Verifier::Key)
                .map_err(|error| error.to_string())
        }
        Some("certificate") => {
            let path = field("certificate_chain").ok_or("no certificate_chain")?;
            certificates_from_pem(&read(path)?, path)
                .map(Verifier::CertificateChain)
                .map_err(|error| error.to_string())
        }
        Some("sigstore") => sigstore_verifier(
            data,
            field("identity").ok_or("no identity")?,
            field("identity_provider").ok_or("no identity_provider")?,
        )
        .map_err(|error| error.to_string()),
        other => Err(format!("unknown method {other:?}")),
    }
}

#[test]
fn every_model_signed_by_a_model_signing_release_verifies() {
    let Some(data) = vouch_test_support::data_path(MODEL_TRANSPARENCY) else {
        return;
    };
    let cases: Vec<Value> = serde_json::from_slice(
        &fs::read(data.join("verify-cases.json")).expect("read verify-cases.json"),
    )
    .expect("parse verify-cases.json");
    let mut failures = Vec::new();
    for case in &cases {
        let model_dir = case["model_dir"].as_str().expect("model_dir");
        let outcome = case_verifier(case, &data).and_then(|verifier| {
            let ignore_paths = case["ignore_paths"]
                .as_str()
                .map(|path| {
                    let relative = path
                        .strip_prefix(model_dir)
                        .expect("ignore paths lie inside the model");
                    vec![relative.trim_start_matches('/').to_owned()]
                })
                .unwrap_or_default();
            verify_model(
                &data.join(model_dir),
                &data.join(case["signature"].as_str().expect("signature")),
                &verifier,
                &VerifyOptions { ignore_paths },
            )
            .map_err(|error| error.to_string())
        });
        match outcome {
            Ok(verified) => assert_eq!(verified.resources, 2, "{model_dir}"),
            Err(error) => failures.push(format!("{model_dir}: {error}")),
        }
    }
    assert_eq!(cases.len(), 7);
    assert!(
        failures.is_empty(),
        "failed cases:\n{}",
        failures.join("\n")
    );
}

/// A copy of the v1.1.0 elliptic-key model (signme-1, signme-2, ignore-me, model.sig) and the
/// key that verifies it, or `None` when the data is absent.
fn signed_model_copy() -> Option<(tempfile::TempDir, PathBuf, Verifier)> {
    let (directory, model) = model_copy("v1.1.0-elliptic-key")?;
    let data = vouch_test_support::data_path(MODEL_TRANSPARENCY)?;
    let key =
        PublicKey::read_pem_file(&data.join("scripts/tests/keys/certificate/signing-key-pub.pem"))
            .expect("read the public key");
    Some((directory, model, Verifier::Key(key)))
}

/// A copy of one of the v1.1.0 models (signme-1, signme-2, ignore-me, model.sig), or `None`
/// when the data is absent.
fn model_copy(version: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    let source = vouch_test_support::data_path(MODEL_TRANSPARENCY)?
        .join("scripts/tests")
        .join(version);
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = directory.path().join("model");
    fs::create_dir(&model).expect("create the model directory");
    for name in ["signme-1", "signme-2", "ignore-me", "model.sig"] {
        fs::copy(source.join(name), model.join(name)).expect("copy the model");
    }
    Some((directory, model))
}

fn verify_copy(model: &Path, verifier: &Verifier) -> Result<(), VerifyError> {
    verify_model(
        model,
        &model.join("model.sig"),
        verifier,
        &VerifyOptions::default(),
    )
    .map(drop)
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn a_changed_byte_names_the_modified_file() {
    let Some((_directory, model, verifier)) = signed_model_copy() else {
        return;
    };
    verify_copy(&model, &verifier).expect("the untouched copy verifies");
    fs::write(model.join("signme-1"), "signme-X\n").expect("change a byte");
    let error = verify_copy(&model, &verifier).expect_err("a changed file");
    let VerifyError::Mismatch(mismatches) = error else {
        panic!("expected a mismatch, got {error}");
    };
    assert_eq!(
        mismatches,
        [Mismatch::Modified {
            resource: "signme-1".to_owned(),
            // The digest the v1.1.0 signature records for `signme-1\n`.
            expected: "bc9a717db6064a32cbe9eae6fc40651dd6d36ef1757183f590eff2b1765d7ebc".to_owned(),
            actual: hex_sha256(b"signme-X\n"),
        }]
    );
}

#[test]
fn a_missing_file_is_named() {
    let Some((_directory, model, verifier)) = signed_model_copy() else {
        return;
    };
    fs::remove_file(model.join("signme-2")).expect("remove a file");
    let error = verify_copy(&model, &verifier).expect_err("a missing file");
    assert_eq!(
        error.to_string(),
        "the model does not match its signature: `signme-2` is missing"
    );
    assert!(matches!(
        error,
        VerifyError::Mismatch(mismatches) if mismatches == [Mismatch::Missing { resource: "signme-2".to_owned() }]
    ));
}

#[test]
fn an_extra_file_is_named_unless_ignored() {
    let Some((_directory, model, verifier)) = signed_model_copy() else {
        return;
    };
    fs::create_dir(model.join("extra")).expect("create a directory");
    fs::write(model.join("extra/weights.bin"), "unsigned").expect("add a file");
    let error = verify_copy(&model, &verifier).expect_err("an extra file");
    assert!(matches!(
        error,
        VerifyError::Mismatch(mismatches) if mismatches == [Mismatch::Extra { resource: "extra/weights.bin".to_owned() }]
    ));
    let options = VerifyOptions {
        ignore_paths: vec!["extra".to_owned()],
    };
    verify_model(&model, &model.join("model.sig"), &verifier, &options)
        .expect("the extra directory is ignored");
}

#[test]
fn a_changed_signature_is_rejected() {
    let Some((_directory, model, verifier)) = signed_model_copy() else {
        return;
    };
    let signature_path = model.join("model.sig");
    let mut bundle: Value =
        serde_json::from_slice(&fs::read(&signature_path).expect("read the signature"))
            .expect("parse the signature");
    let sig = &mut bundle["dsseEnvelope"]["signatures"][0]["sig"];
    let original = sig.as_str().expect("a base64 signature").to_owned();
    // Flip one base64 digit in the middle of the DER signature.
    let mut changed = original.into_bytes();
    changed[20] = if changed[20] == b'A' { b'B' } else { b'A' };
    *sig = Value::String(String::from_utf8(changed).expect("ASCII"));
    fs::write(
        &signature_path,
        serde_json::to_vec(&bundle).expect("write JSON"),
    )
    .expect("write the signature");
    let error = verify_copy(&model, &verifier).expect_err("a changed signature");
    assert!(
        matches!(error, VerifyError::BadSignature { .. }),
        "unexpected error: {error}"
    );
}

#[test]
fn a_different_key_is_named_by_its_hint() {
    let Some((_directory, model, _)) = signed_model_copy() else {
        return;
    };
    let other = PrivateKey::generate(SigningAlgorithm::EcdsaP384).expect("generate a key");
    let error =
        verify_copy(&model, &Verifier::Key(other.public_key().clone())).expect_err("another key");
    assert!(
        matches!(&error, VerifyError::KeyHint { found, .. }
            if found == "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e"),
        "unexpected error: {error}"
    );
}

#[test]
fn models_signed_by_vouch_verify_with_every_serialisation() {
    for (algorithm, method, hash) in [
        (
            SigningAlgorithm::EcdsaP256,
            Method::Files,
            HashAlgorithm::Sha256,
        ),
        (
            SigningAlgorithm::EcdsaP384,
            SMALL_SHARDS,
            HashAlgorithm::Blake2b,
        ),
        (
            SigningAlgorithm::Ed25519,
            Method::Files,
            HashAlgorithm::Blake3,
        ),
    ] {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let model = Fixture::SampleModelFolder.build(directory.path());
        let signature = model.join("model.sig");
        let key = PrivateKey::generate(algorithm).expect("generate a key");
        let options = HashingOptions {
            method,
            hash,
            ..HashingOptions::default()
        };
        let signed = sign_model(&model, &signature, &key, &options).expect("sign the model");
        let verifier = Verifier::Key(key.public_key().clone());
        let verified = verify_model(&model, &signature, &verifier, &VerifyOptions::default())
            .expect("verify the model");
        assert_eq!(verified.resources, signed.resources, "{algorithm}");
        assert_eq!(verified.model_name.as_deref(), Some("sample_model"));
        assert_eq!(verified.hash_type, hash.name());
        fs::write(model.join("d1/f12"), "changed").expect("change a file");
        let error = verify_model(&model, &signature, &verifier, &VerifyOptions::default())
            .expect_err("a changed file");
        assert!(matches!(error, VerifyError::Mismatch(_)), "{error}");
    }
}

#[test]
fn signing_an_empty_model_is_refused() {
    let directory = tempfile::tempdir().expect("a temporary directory");
    let model = Fixture::EmptyModelFolder.build(directory.path());
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate a key");
    let error = sign_model(
        &model,
        &directory.path().join("model.sig"),
        &key,
        &HashingOptions::default(),
    )
    .expect_err("an empty model");
    assert_eq!(
        error.to_string(),
        format!("{} holds no file to sign", model.display())
    );
}

/// The v1.1.0 Sigstore-signed model (signme-1, signme-2, ignore-me, model.sig) in the data.
fn sigstore_model() -> Option<(PathBuf, PathBuf)> {
    let data = vouch_test_support::data_path(MODEL_TRANSPARENCY)?;
    Some((data.clone(), data.join("scripts/tests/v1.1.0-sigstore")))
}

/// Verifies the v1.1.0 Sigstore model against `signature` (which may lie outside it).
fn verify_sigstore_model(
    data: &Path,
    model: &Path,
    signature: &Path,
    identity: &str,
    issuer: &str,
) -> Result<vouch_attest::model::Verified, VerifyError> {
    let verifier = sigstore_verifier(data, identity, issuer).expect("the production root loads");
    let options = VerifyOptions {
        // The model's own model.sig is not part of the model when another file is verified.
        ignore_paths: vec!["ignore-me".to_owned(), "model.sig".to_owned()],
    };
    verify_model(model, signature, &verifier, &options)
}

const IBM_IDENTITY: &str = "stefanb@us.ibm.com";
const IBM_ISSUER: &str = "https://sigstore.verify.ibm.com/oauth2";

#[test]
fn sigstore_signatures_are_bound_to_identity_and_issuer() {
    let Some((data, model)) = sigstore_model() else {
        return;
    };
    let signature = model.join("model.sig");
    let verify = |identity: &str, issuer: &str| {
        verify_sigstore_model(&data, &model, &signature, identity, issuer)
    };
    let verified = verify(IBM_IDENTITY, IBM_ISSUER).expect("the recorded identity verifies");
    assert_eq!(
        verified.signer,
        "Sigstore certificate for stefanb@us.ibm.com (OIDC issuer https://sigstore.verify.ibm.com/oauth2)"
    );
    assert!(verified.transparency_log_verified);
    // The RFC 3161 timestamp and the Rekor entry's SET-backed integratedTime, both 2025-10-10
    // 02:12:20 UTC (genTime of the token, integratedTime 1760062340).
    assert_eq!(
        verified.verified_times,
        ["2025-10-10T02:12:20Z", "2025-10-10T02:12:20Z"]
    );
    let error = verify("someone@example.com", IBM_ISSUER).expect_err("another identity");
    assert!(
        matches!(&error, VerifyError::Sigstore(SigstoreError::Policy { .. })),
        "{error}"
    );
    let error = verify(IBM_IDENTITY, "https://accounts.google.com").expect_err("another issuer");
    assert_eq!(
        error.to_string(),
        "the Sigstore signature is rejected: the bundle's signing certificate does not satisfy \
         the identity policy: the certificate OIDC issuer \"https://sigstore.verify.ibm.com/oauth2\" \
         does not match the expected \"https://accounts.google.com\""
    );
}

/// Rewrites one field of the v1.1.0 Sigstore signature into a file outside the model, and
/// checks that the Sigstore verification then rejects it for `expected` (a part of the reason).
fn assert_sigstore_rejects(tamper: impl FnOnce(&mut Value) -> Option<()>, expected: &str) {
    let Some((data, model)) = sigstore_model() else {
        return;
    };
    let mut bundle: Value =
        serde_json::from_slice(&fs::read(model.join("model.sig")).expect("read the signature"))
            .expect("parse the signature");
    tamper(&mut bundle).expect("the field to tamper with is present");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let signature = directory.path().join("model.sig");
    fs::write(&signature, serde_json::to_vec(&bundle).expect("write JSON"))
        .expect("write the signature");
    let error = verify_sigstore_model(&data, &model, &signature, IBM_IDENTITY, IBM_ISSUER)
        .expect_err("a tampered transparency-log entry");
    assert!(
        matches!(
            &error,
            VerifyError::Sigstore(SigstoreError::Verification { .. })
        ),
        "rejected, but not by the Sigstore verification: {error}"
    );
    assert!(
        error.to_string().contains(expected),
        "rejected, but not for {expected:?}: {error}"
    );
}

/// Flips the lowest bit of the last byte of a base64 string field.
fn flip_last_base64_byte(field: &mut Value) -> Option<()> {
    use base64::Engine as _;
    let engine = base64::engine::general_purpose::STANDARD;
    let mut bytes = engine.decode(field.as_str()?).ok()?;
    *bytes.last_mut()? ^= 1;
    *field = Value::String(engine.encode(bytes));
    Some(())
}

const TLOG_ENTRY: &str = "/verificationMaterial/tlogEntries/0";

#[test]
fn sigstore_model_with_a_tampered_inclusion_proof_is_rejected() {
    assert_sigstore_rejects(
        |bundle| {
            flip_last_base64_byte(
                bundle.pointer_mut(&format!("{TLOG_ENTRY}/inclusionProof/hashes/0"))?,
            )
        },
        "invalid inclusion proof",
    );
}

#[test]
fn sigstore_model_with_a_tampered_log_index_is_rejected() {
    // The SET signs the global log index: moving the entry elsewhere in the log breaks it.
    assert_sigstore_rejects(
        |bundle| {
            let index = bundle.pointer_mut(&format!("{TLOG_ENTRY}/logIndex"))?;
            let moved = index.as_str()?.parse::<u64>().ok()? + 1;
            *index = Value::String(moved.to_string());
            Some(())
        },
        "invalid inclusion promise",
    );
}

#[test]
fn sigstore_model_with_a_tampered_signed_entry_timestamp_is_rejected() {
    assert_sigstore_rejects(
        |bundle| {
            flip_last_base64_byte(bundle.pointer_mut(&format!(
                "{TLOG_ENTRY}/inclusionPromise/signedEntryTimestamp"
            ))?)
        },
        "invalid inclusion promise",
    );
}

#[test]
fn sigstore_model_without_a_transparency_log_entry_is_rejected() {
    assert_sigstore_rejects(
        |bundle| {
            *bundle.pointer_mut("/verificationMaterial/tlogEntries")? = Value::Array(Vec::new());
            Some(())
        },
        "must have an inclusion proof",
    );
}

#[test]
fn sigstore_model_signature_with_a_second_payload_is_refused() {
    let Some((data, model)) = sigstore_model() else {
        return;
    };
    // A second `payload` member: one reader could take the first, another the last. The
    // statement `{}` would never verify, but it must not even be read.
    let text = fs::read_to_string(model.join("model.sig")).expect("read the signature");
    let doubled = text.replacen(
        "\"dsseEnvelope\":{",
        "\"dsseEnvelope\":{\"payload\":\"e30=\",",
        1,
    );
    assert_ne!(doubled, text, "the envelope member is present");
    let directory = tempfile::tempdir().expect("a temporary directory");
    let signature = directory.path().join("model.sig");
    fs::write(&signature, doubled).expect("write the signature");
    let error = verify_sigstore_model(&data, &model, &signature, IBM_IDENTITY, IBM_ISSUER)
        .expect_err("a duplicated payload");
    assert!(
        matches!(&error, VerifyError::SignatureFile { source, .. }
            if source.to_string().contains("duplicate field `payload`")),
        "{error}"
    );
}

#[test]
fn sigstore_model_with_a_changed_file_names_it() {
    let (Some(data), Some((_directory, model))) = (
        vouch_test_support::data_path(MODEL_TRANSPARENCY),
        model_copy("v1.1.0-sigstore"),
    ) else {
        return;
    };
    fs::write(model.join("signme-2"), "signme-X\n").expect("change a byte");
    let error = verify_sigstore_model(
        &data,
        &model,
        &model.join("model.sig"),
        IBM_IDENTITY,
        IBM_ISSUER,
    )
    .expect_err("a changed file");
    // The bundle verifies (it covers the signed manifest); the model then differs from it.
    assert!(
        matches!(&error, VerifyError::Mismatch(mismatches)
            if matches!(mismatches.as_slice(), [Mismatch::Modified { resource, actual, .. }]
                if resource == "signme-2" && *actual == hex_sha256(b"signme-X\n"))),
        "{error}"
    );
}

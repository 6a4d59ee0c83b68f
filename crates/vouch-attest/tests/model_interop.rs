//! Interoperability with sigstore/model-transparency's `model_signing` CLI (PyPI
//! `model-signing`): models it signs verify with vouch, and models vouch signs verify with it.
//! The executable is `$VOUCH_MODEL_SIGNING`, else `model_signing` on PATH; the tests skip when
//! it (or openssl, which makes its keys) does not run.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use vouch_attest::keys::{PrivateKey, PublicKey, SigningAlgorithm};
use vouch_attest::model::{
    HashingOptions, Mismatch, Verifier, VerifyError, VerifyOptions, sign_model, verify_model,
};

fn model_signing() -> Option<PathBuf> {
    let program = std::env::var_os("VOUCH_MODEL_SIGNING")
        .map_or_else(|| PathBuf::from("model_signing"), PathBuf::from);
    let program_text = program.to_string_lossy().into_owned();
    vouch_test_support::external_tool(&program_text, &["--version"]).then_some(program)
}

fn run(command: &mut Command) -> Output {
    let output = command.output().expect("run the command");
    assert!(
        output.status.success(),
        "{command:?} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// A small model with a nested file, an empty file and git metadata that is left unsigned.
fn build_model(root: &Path) -> PathBuf {
    let model = root.join("model");
    for (path, contents) in [
        ("config.json", "{\"layers\": 2}\n"),
        ("weights/layer-0.bin", "\u{1}\u{2}\u{3}"),
        ("weights/empty.bin", ""),
        (".gitattributes", "*.bin filter=lfs\n"),
    ] {
        let path = model.join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create directories");
        fs::write(path, contents).expect("write a model file");
    }
    model
}

#[test]
fn models_signed_by_model_signing_with_elliptic_keys_verify() {
    let Some(model_signing) = model_signing() else {
        return;
    };
    if !vouch_test_support::external_tool("openssl", &["version"]) {
        return;
    }
    for curve in ["P-256", "P-384"] {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let model = build_model(directory.path());
        let private_key = directory.path().join("key.pem");
        let public_key = directory.path().join("key.pub.pem");
        run(Command::new("openssl")
            .args(["genpkey", "-algorithm", "EC", "-pkeyopt"])
            .arg(format!("ec_paramgen_curve:{curve}"))
            .arg("-out")
            .arg(&private_key));
        run(Command::new("openssl")
            .args(["pkey", "-pubout", "-in"])
            .arg(&private_key)
            .arg("-out")
            .arg(&public_key));
        let signature = model.join("model.sig");
        run(Command::new(&model_signing)
            .args(["sign", "key"])
            .arg(&model)
            .arg("--private_key")
            .arg(&private_key)
            .arg("--signature")
            .arg(&signature));
        let verifier = Verifier::Key(PublicKey::read_pem_file(&public_key).expect("read the key"));
        let verified = verify_model(&model, &signature, &verifier, &VerifyOptions::default())
            .unwrap_or_else(|error| panic!("{curve}: {error}"));
        // config.json, weights/layer-0.bin, weights/empty.bin; .gitattributes is not signed.
        assert_eq!(verified.resources, 3, "{curve}");
        assert_eq!(verified.model_name.as_deref(), Some("model"));

        fs::write(model.join("weights/layer-0.bin"), "\u{1}\u{2}\u{4}").expect("change a byte");
        let error = verify_model(&model, &signature, &verifier, &VerifyOptions::default())
            .expect_err("a changed file");
        assert!(
            matches!(&error, VerifyError::Mismatch(mismatches)
                if matches!(mismatches.as_slice(), [Mismatch::Modified { resource, .. }]
                    if resource == "weights/layer-0.bin")),
            "{curve}: {error}"
        );
    }
}

#[test]
fn models_signed_by_vouch_verify_with_model_signing() {
    let Some(model_signing) = model_signing() else {
        return;
    };
    for algorithm in [SigningAlgorithm::EcdsaP256, SigningAlgorithm::EcdsaP384] {
        let directory = tempfile::tempdir().expect("a temporary directory");
        let model = build_model(directory.path());
        let key = PrivateKey::generate(algorithm).expect("generate a key");
        let public_key = directory.path().join("key.pub.pem");
        fs::write(
            &public_key,
            key.public_key().to_pem().expect("encode the public key"),
        )
        .expect("write the public key");
        let signature = model.join("model.sig");
        sign_model(&model, &signature, &key, &HashingOptions::default()).expect("sign the model");
        let verify = || {
            Command::new(&model_signing)
                .args(["verify", "key"])
                .arg(&model)
                .arg("--public_key")
                .arg(&public_key)
                .arg("--signature")
                .arg(&signature)
                .output()
                .expect("run model_signing")
        };
        let output = verify();
        assert!(
            output.status.success(),
            "{algorithm}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout).trim(),
            "Verification succeeded"
        );

        fs::write(model.join("weights/extra.bin"), "unsigned").expect("add a file");
        let output = verify();
        assert!(
            !output.status.success(),
            "{algorithm}: an extra file verified"
        );
    }
}

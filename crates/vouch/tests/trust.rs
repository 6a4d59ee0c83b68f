//! Signing, attesting, model signing, Sigstore bundles and the advisory store, as users run them.

mod common;

use std::process::Output;

use common::vouch;

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn report(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("the report is JSON")
}

#[test]
fn key_sign_attest_verify_round_trip_and_tampering() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let here = directory.path();
    let generated = vouch(
        &[
            "key",
            "generate",
            "--algorithm",
            "p256",
            "--output-key",
            "signer.pem",
        ],
        here,
    );
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    std::fs::write(here.join("release.tar"), b"release bytes\n").expect("write");
    std::fs::write(here.join("predicate.json"), br#"{"buildType":"local"}"#).expect("write");

    let signed = vouch(
        &[
            "sign",
            "release.tar",
            "--key",
            "signer.pem",
            "-o",
            "sig.json",
        ],
        here,
    );
    assert_eq!(signed.status.code(), Some(0), "{}", stderr(&signed));
    let verified = vouch(
        &[
            "verify",
            "release.tar",
            "--bundle",
            "sig.json",
            "--key",
            "signer.pem.pub",
        ],
        here,
    );
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    // sha256 of "release bytes\n".
    assert_eq!(
        report(&verified)["sha256"],
        "fee19ee9931cf7f5f2b8321a7cfd6195ef12910d804847cc1c689ce3831922ef"
    );

    let attested = vouch(
        &[
            "attest",
            "--subject",
            "release.tar",
            "--predicate-type",
            "https://slsa.dev/provenance/v1",
            "--predicate",
            "predicate.json",
            "--key",
            "signer.pem",
            "-o",
            "att.json",
        ],
        here,
    );
    assert_eq!(attested.status.code(), Some(0), "{}", stderr(&attested));
    let wrong_type = vouch(
        &[
            "verify",
            "release.tar",
            "--bundle",
            "att.json",
            "--key",
            "signer.pem.pub",
            "--predicate-type",
            "https://spdx.dev/Document",
        ],
        here,
    );
    assert_eq!(wrong_type.status.code(), Some(1), "{}", stderr(&wrong_type));

    std::fs::write(here.join("release.tar"), b"release bytes, changed\n").expect("write");
    let tampered = vouch(
        &[
            "verify",
            "release.tar",
            "--bundle",
            "sig.json",
            "--key",
            "signer.pem.pub",
        ],
        here,
    );
    assert_eq!(tampered.status.code(), Some(1));
    assert!(
        stderr(&tampered).contains("release.tar"),
        "{}",
        stderr(&tampered)
    );
}

#[test]
fn model_signature_names_the_extra_file() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let here = directory.path();
    let model = here.join("model");
    std::fs::create_dir_all(model.join("weights")).expect("mkdir");
    std::fs::write(model.join("config.json"), b"{}").expect("write");
    std::fs::write(model.join("weights/layer0.bin"), [7u8; 4096]).expect("write");
    let generated = vouch(
        &[
            "key",
            "generate",
            "--algorithm",
            "p384",
            "--output-key",
            "model.pem",
        ],
        here,
    );
    assert_eq!(generated.status.code(), Some(0), "{}", stderr(&generated));
    let signed = vouch(&["model", "sign", "model", "--key", "model.pem"], here);
    assert_eq!(signed.status.code(), Some(0), "{}", stderr(&signed));
    let verify = || {
        vouch(
            &[
                "model",
                "verify",
                "model",
                "--signature",
                "model/model.sig",
                "--key",
                "model.pem.pub",
            ],
            here,
        )
    };
    assert_eq!(verify().status.code(), Some(0), "{}", stderr(&verify()));
    std::fs::write(model.join("weights/extra.bin"), b"x").expect("write");
    let rejected = verify();
    assert_eq!(rejected.status.code(), Some(1));
    assert!(
        stderr(&rejected).contains("`weights/extra.bin` was not signed"),
        "{}",
        stderr(&rejected)
    );
}

#[test]
fn sigstore_conformance_protocol_accepts_and_rejects() {
    let Some(cases) = vouch_test_support::data_path("sigstore-conformance") else {
        return;
    };
    let identity = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
    let run = |case: &str| {
        vouch(
            &[
                "sigstore",
                "verify-bundle",
                "--bundle",
                &format!("bundle-verify/{case}/bundle.sigstore.json"),
                "--certificate-identity",
                identity,
                "--certificate-oidc-issuer",
                "https://token.actions.githubusercontent.com",
                "--trusted-root",
                "../sigstore-trust-roots/production/trusted_root.json",
                "bundle-verify/a.txt",
            ],
            &cases,
        )
    };
    let accepted = run("happy-path-v0.3");
    assert_eq!(accepted.status.code(), Some(0), "{}", stderr(&accepted));
    let rejected = run("bundle-invalid-base64-signature_fail");
    assert_eq!(rejected.status.code(), Some(1), "{}", stderr(&rejected));
}

#[test]
fn advisory_import_and_status() {
    let Some(advisories) = vouch_test_support::data_path("r-advisory-database") else {
        return;
    };
    let directory = tempfile::tempdir().expect("temporary directory");
    let store = directory.path().join("db");
    let store_text = store.to_string_lossy().into_owned();
    let imported = vouch(
        &[
            "db",
            "import",
            "--db",
            &store_text,
            &advisories.to_string_lossy(),
        ],
        directory.path(),
    );
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    let status = vouch(&["db", "status", "--db", &store_text], directory.path());
    assert_eq!(status.status.code(), Some(0), "{}", stderr(&status));
    let text = String::from_utf8_lossy(&status.stdout).into_owned();
    assert!(text.contains("\"CRAN\""), "{text}");
    assert!(text.contains("11"), "the 11 R advisories: {text}");
}

#[test]
fn sigstore_model_signature_verifies_against_the_embedded_root() {
    let Some(data) = vouch_test_support::data_path("model-transparency") else {
        return;
    };
    let verify = |identity: &str| {
        vouch(
            &[
                "model",
                "verify",
                "scripts/tests/v1.1.0-sigstore",
                "--signature",
                "scripts/tests/v1.1.0-sigstore/model.sig",
                "--identity",
                identity,
                "--issuer",
                "https://sigstore.verify.ibm.com/oauth2",
                "--ignore-paths",
                "scripts/tests/v1.1.0-sigstore/ignore-me",
            ],
            &data,
        )
    };
    let verified = verify("stefanb@us.ibm.com");
    assert_eq!(verified.status.code(), Some(0), "{}", stderr(&verified));
    let report = report(&verified);
    assert_eq!(report["transparency_log_verified"], true);
    assert_eq!(report["resources"], 2);
    let rejected = verify("someone@example.com");
    assert_eq!(rejected.status.code(), Some(1));
    assert!(
        stderr(&rejected).contains("\"someone@example.com\""),
        "{}",
        stderr(&rejected)
    );
}

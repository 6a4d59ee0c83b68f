//! `vouch verify provenance` as users run it, on slsa-verifier's test data: the report, the
//! exit codes, and a failure message that says which check failed.

mod common;

use std::path::Path;
use std::process::Output;

use common::{text, vouch};

/// SLSA v0.2 provenance of the Go builder v2.1.0 for example-package's tag v14, in a bundle.
const GO_V14: &str = "gha_go/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl";
/// The digest of that build's only subject, `gha_go-binary-linux-amd64-v14`.
const GO_V14_DIGEST: &str =
    "sha256:f6ab7ad0c7549b5a4942c3b0690519d791c28c4c0f8b286208cb40da3322a066";
const EXAMPLE_PACKAGE: &str = "github.com/slsa-framework/example-package";

fn testdata() -> Option<std::path::PathBuf> {
    vouch_test_support::data_path("slsa-verifier-testdata/cli/slsa-verifier/testdata")
}

fn verify_go_v14(extra: &[&str], directory: &Path) -> Output {
    let mut args = vec![
        "verify",
        "provenance",
        "--provenance",
        GO_V14,
        "--digest",
        GO_V14_DIGEST,
        "--source-uri",
        EXAMPLE_PACKAGE,
    ];
    args.extend_from_slice(extra);
    vouch(&args, directory)
}

#[test]
fn verified_provenance_reports_builder_source_and_subjects() {
    let Some(directory) = testdata() else {
        return;
    };
    let output = verify_go_v14(&["--source-tag", "v14"], &directory);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    insta::assert_snapshot!("go_v14_verified", text(&output.stdout));
}

#[test]
fn wrong_tag_fails_the_gate_and_names_both_refs() {
    let Some(directory) = testdata() else {
        return;
    };
    let output = verify_go_v14(&["--source-tag", "v15"], &directory);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    insta::assert_snapshot!("go_v14_wrong_tag_stderr", text(&output.stderr));
}

#[test]
fn artifact_file_is_hashed_and_matched() {
    let Some(directory) = testdata() else {
        return;
    };
    // The container-based builder's artifact is an empty file, present beside its provenance.
    let output = vouch(
        &[
            "verify",
            "provenance",
            "--provenance",
            "gha_container-based/v2.1.0/binary-linux-amd64-push-v14.intoto.build.slsa",
            "--artifact",
            "gha_container-based/v2.1.0/binary-linux-amd64-push-v14",
            "--source-uri",
            EXAMPLE_PACKAGE,
            "--source-tag",
            "v14",
        ],
        &directory,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    assert_eq!(
        report["builder_id"],
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml@refs/tags/v2.1.0"
    );
    assert_eq!(report["predicate_type"], "https://slsa.dev/provenance/v1");
}

#[test]
fn malformed_arguments_are_bad_usage() {
    let Some(directory) = testdata() else {
        return;
    };
    let bad_digest = vouch(
        &[
            "verify",
            "provenance",
            "--provenance",
            GO_V14,
            "--digest",
            "sha256:abc",
            "--source-uri",
            EXAMPLE_PACKAGE,
        ],
        &directory,
    );
    assert_eq!(bad_digest.status.code(), Some(2));
    let not_github = vouch(
        &[
            "verify",
            "provenance",
            "--provenance",
            GO_V14,
            "--digest",
            GO_V14_DIGEST,
            "--source-uri",
            "gitlab.com/slsa-framework/example-package",
        ],
        &directory,
    );
    assert_eq!(not_github.status.code(), Some(2));
    let both_refs = verify_go_v14(
        &["--source-tag", "v14", "--source-branch", "main"],
        &directory,
    );
    assert_eq!(both_refs.status.code(), Some(2));
}

#[test]
fn npm_attestations_verify_with_the_npm_cli_builder_and_need_it() {
    let Some(directory) = testdata() else {
        return;
    };
    // The sha512 of supreme-goggles 1.0.5's tarball, as its provenance and publish
    // attestation record it.
    let digest = "sha512:1e2ebece757250876cde9d0f6c636ed6e0088a23a6c477fe0cd1afcc11800a5ba0c932f4a57a12537063d49d717bb7ae76b8a2938b3d48e7f02617f6564ad919";
    let run = |builder: &[&str]| {
        let mut args = vec![
            "verify",
            "provenance",
            "--provenance",
            "npm/gha/supreme-googles-cli-v02-tag.tgz.json",
            "--digest",
            digest,
            "--source-uri",
            "github.com/trishankatdatadog/supreme-goggles",
            "--source-tag",
            "v1.0.5",
        ];
        args.extend_from_slice(builder);
        vouch(&args, &directory)
    };
    let verified = run(&[
        "--builder-id",
        "https://github.com/actions/runner/github-hosted",
    ]);
    assert_eq!(
        verified.status.code(),
        Some(0),
        "{}",
        text(&verified.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&verified.stdout).expect("JSON report");
    assert_eq!(report["builder_id"], "https://github.com/actions/runner");
    assert_eq!(
        report["subjects"],
        serde_json::json!(["pkg:npm/%40trishankatdatadog/supreme-goggles@1.0.5"])
    );
    let without_builder = run(&[]);
    assert_eq!(without_builder.status.code(), Some(2));
}

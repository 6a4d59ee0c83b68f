//! Drives every bundle-verify case of sigstore-conformance, plus the sigstore-python and
//! sigstore-go bundles whose verdict follows from their name, through the offline verifier.
//!
//! Caveat: the upstream verdicts assume verification "now" against the current trust root; some
//! fail cases depend on validity windows, so a future trust-root update may move a case.

use std::path::Path;

use serde::Deserialize;
use vouch_attest::keys::PublicKey;
use vouch_attest::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreError, SigstoreVerifier, TrustRoot,
};

#[derive(Debug, Deserialize)]
struct Case {
    case: String,
    expect: String,
    files: Vec<String>,
    artifact: String,
    verification: String,
    identity: Option<String>,
    issuer: Option<String>,
    trusted_root: String,
}

/// Everything the conformance harness would pass on the command line.
struct Invocation<'a> {
    bundle: &'a Path,
    artifact: &'a Path,
    trusted_root: &'a Path,
    requirement: Requirement,
}

fn verify(invocation: &Invocation<'_>) -> Result<(), String> {
    let trust_root =
        TrustRoot::read_file(invocation.trusted_root).map_err(|error| error.to_string())?;
    let verifier = SigstoreVerifier::new(&trust_root).map_err(|error| error.to_string())?;
    let bundle = std::fs::read(invocation.bundle).map_err(|error| error.to_string())?;
    let artifact = std::fs::read(invocation.artifact).map_err(|error| error.to_string())?;
    verifier
        .verify(
            ArtifactInput::Bytes(&artifact),
            &bundle,
            &invocation.requirement,
        )
        .map(drop)
        .map_err(|error: SigstoreError| error.to_string())
}

/// Counts (passes verified, failures rejected) and describes each wrong verdict with its reason;
/// the final assertion prints those descriptions.
fn tally(
    cases: impl Iterator<Item = (String, bool, Result<(), String>)>,
) -> (usize, usize, Vec<String>) {
    let (mut verified, mut rejected, mut wrong) = (0, 0, Vec::new());
    for (name, expect_pass, outcome) in cases {
        match (expect_pass, outcome) {
            (true, Ok(())) => verified += 1,
            (false, Err(_)) => rejected += 1,
            (true, Err(reason)) => {
                wrong.push(format!("{name}: expected to verify, rejected: {reason}"))
            }
            (false, Ok(())) => wrong.push(format!("{name}: expected to be rejected, verified")),
        }
    }
    (verified, rejected, wrong)
}

#[test]
fn every_conformance_case_gets_the_expected_verdict() -> Result<(), Box<dyn std::error::Error>> {
    let Some(root) = vouch_test_support::data_path("sigstore-conformance") else {
        return Ok(());
    };
    let cases: Vec<Case> = serde_json::from_slice(&std::fs::read(root.join("cases.index.json"))?)?;
    let outcomes = cases.iter().map(|case| {
        let directory = root.join("bundle-verify").join(&case.case);
        let requirement = if case.verification == "key" {
            match PublicKey::read_pem_file(&directory.join("key.pub")) {
                Ok(key) => Requirement::Key(key),
                Err(error) => {
                    return (
                        case.case.clone(),
                        case.expect == "pass",
                        Err(error.to_string()),
                    );
                }
            }
        } else {
            Requirement::Identity(IdentityPolicy::exact(
                case.identity.clone().unwrap_or_default(),
                case.issuer.clone().unwrap_or_default(),
            ))
        };
        assert!(
            case.files.iter().any(|file| file == "bundle.sigstore.json"),
            "{}",
            case.case
        );
        let outcome = verify(&Invocation {
            bundle: &directory.join("bundle.sigstore.json"),
            artifact: &root.join(&case.artifact),
            trusted_root: &root.join(&case.trusted_root),
            requirement,
        });
        (case.case.clone(), case.expect == "pass", outcome)
    });
    let (verified, rejected, wrong) = tally(outcomes);
    assert_eq!((verified, rejected, wrong.len()), (17, 41, 0), "{wrong:#?}");
    Ok(())
}

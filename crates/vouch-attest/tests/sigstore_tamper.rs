//! One flipped byte per field family of a valid conformance bundle: each must be rejected, and
//! for the reason that names the field, so a check cannot hide behind another one failing first.

use std::path::{Path, PathBuf};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use vouch_attest::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreVerifier, TrustRoot,
};

const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const ACTIONS: &str = "https://token.actions.githubusercontent.com";

/// A Rekor v1 message-signature bundle with SET, inclusion proof and checkpoint.
const REKOR_V1: &str = "happy-path-v0.3";
/// A Rekor v2 DSSE bundle timed by an RFC 3161 timestamp, with its own (staging) trusted root.
const REKOR_V2_DSSE: &str = "rekor2-dsse-happy-path";

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn conformance() -> Option<PathBuf> {
    vouch_test_support::data_path("sigstore-conformance")
}

/// Verifies the case's bundle after `tamper` edits it (or the artifact) and returns why it was
/// rejected; an error if the tamper found no field to edit or the bundle still verified.
fn rejection(
    root: &Path,
    case: &str,
    tamper: impl FnOnce(&mut Value, &mut Vec<u8>) -> Option<()>,
) -> Result<String, Box<dyn std::error::Error>> {
    let directory = root.join("bundle-verify").join(case);
    let trusted_root = directory.join("trusted_root.json");
    let trust_root = if trusted_root.exists() {
        TrustRoot::read_file(&trusted_root)?
    } else {
        TrustRoot::production()?
    };
    let verifier = SigstoreVerifier::new(&trust_root)?;
    let requirement = Requirement::Identity(IdentityPolicy::exact(BEACON, ACTIONS));
    let verify = |bundle: &Value, artifact: &[u8]| -> Result<(), String> {
        let json = serde_json::to_vec(bundle).map_err(|error| error.to_string())?;
        verifier
            .verify(ArtifactInput::Bytes(artifact), &json, &requirement)
            .map(drop)
            .map_err(|error| error.to_string())
    };
    let mut bundle: Value =
        serde_json::from_slice(&std::fs::read(directory.join("bundle.sigstore.json"))?)?;
    let mut artifact = std::fs::read(root.join("a.txt"))?;
    // The untouched bundle verifies, so the rejection below is the tamper's doing.
    verify(&bundle, &artifact)?;
    tamper(&mut bundle, &mut artifact).ok_or("the field to tamper with is missing")?;
    match verify(&bundle, &artifact) {
        Ok(()) => Err("the tampered bundle verified".into()),
        Err(reason) => Ok(reason),
    }
}

/// Flips the lowest bit of the byte `from_end` bytes before the end of a base64 string field.
fn flip_base64(field: &mut Value, from_end: usize) -> Option<()> {
    let mut bytes = STANDARD.decode(field.as_str()?).ok()?;
    let index = bytes.len().checked_sub(from_end + 1)?;
    *bytes.get_mut(index)? ^= 1;
    *field = Value::String(STANDARD.encode(bytes));
    Some(())
}

fn tlog_entry(bundle: &mut Value) -> Option<&mut Value> {
    bundle.pointer_mut("/verificationMaterial/tlogEntries/0")
}

fn assert_rejected_for(reason: &str, expected: &str) {
    assert!(
        reason.contains(expected),
        "rejected, but not for {expected:?}: {reason}"
    );
}

#[test]
fn flipped_artifact_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    let reason = rejection(&root, REKOR_V1, |_, artifact| {
        *artifact.first_mut()? ^= 1;
        Some(())
    })?;
    assert_rejected_for(&reason, "artifact mismatch");
    Ok(())
}

#[test]
fn flipped_message_signature_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    let reason = rejection(&root, REKOR_V1, |bundle, _| {
        flip_base64(bundle.pointer_mut("/messageSignature/signature")?, 0)
    })?;
    assert_rejected_for(&reason, "invalid signature");
    Ok(())
}

#[test]
fn flipped_dsse_payload_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    // Flip a letter inside the statement (`https` becomes `httpr`) so that it still parses and
    // only the signature can catch the change.
    let reason = rejection(&root, REKOR_V2_DSSE, |bundle, _| {
        let payload = bundle.pointer_mut("/dsseEnvelope/payload")?;
        let mut statement = STANDARD.decode(payload.as_str()?).ok()?;
        let index = statement.windows(5).position(|window| window == b"https")? + 4;
        *statement.get_mut(index)? ^= 1;
        *payload = Value::String(STANDARD.encode(statement));
        Some(())
    })?;
    assert_rejected_for(&reason, "DSSE signature verification failed");
    Ok(())
}

#[test]
fn flipped_certificate_signature_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    // The last bytes of the DER are the issuer's signature: the certificate still parses.
    let reason = rejection(&root, REKOR_V1, |bundle, _| {
        flip_base64(
            bundle.pointer_mut("/verificationMaterial/certificate/rawBytes")?,
            0,
        )
    })?;
    assert_rejected_for(&reason, "certificate chain is invalid");
    Ok(())
}

#[test]
fn flipped_inclusion_proof_hash_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    let reason = rejection(&root, REKOR_V1, |bundle, _| {
        flip_base64(
            tlog_entry(bundle)?.pointer_mut("/inclusionProof/hashes/0")?,
            0,
        )
    })?;
    assert_rejected_for(&reason, "invalid inclusion proof");
    Ok(())
}

#[test]
fn flipped_checkpoint_signature_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    let reason = rejection(&root, REKOR_V1, |bundle, _| {
        let envelope = tlog_entry(bundle)?.pointer_mut("/inclusionProof/checkpoint/envelope")?;
        let text = envelope.as_str()?;
        // The signature line is `— <name> <base64(key id ‖ signature)>`; flip a signature byte.
        let (body, signature_line) = text.trim_end().rsplit_once('\n')?;
        let (prefix, encoded) = signature_line.rsplit_once(' ')?;
        let mut signature = Value::String(encoded.to_owned());
        flip_base64(&mut signature, 0)?;
        *envelope = Value::String(format!("{body}\n{prefix} {}\n", signature.as_str()?));
        Some(())
    })?;
    assert_rejected_for(&reason, "invalid checkpoint");
    Ok(())
}

#[test]
fn flipped_signed_entry_timestamp_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    let reason = rejection(&root, REKOR_V1, |bundle, _| {
        flip_base64(
            tlog_entry(bundle)?.pointer_mut("/inclusionPromise/signedEntryTimestamp")?,
            0,
        )
    })?;
    assert_rejected_for(&reason, "invalid inclusion promise");
    Ok(())
}

#[test]
fn flipped_timestamp_token_byte_is_rejected() -> TestResult {
    let Some(root) = conformance() else {
        return Ok(());
    };
    // The token ends with the TSA's signature over the signed attributes.
    let reason = rejection(&root, REKOR_V2_DSSE, |bundle, _| {
        flip_base64(
            bundle.pointer_mut(
                "/verificationMaterial/timestampVerificationData/rfc3161Timestamps/0/signedTimestamp",
            )?,
            0,
        )
    })?;
    assert_rejected_for(&reason, "invalid RFC 3161 timestamp");
    Ok(())
}

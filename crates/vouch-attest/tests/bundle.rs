//! Sigstore bundles: every bundle of the Sigstore test suites parses or is rejected with its
//! reason; key-based bundles are written, read back and verified; each tampering is rejected
//! with its own reason.

use std::path::{Path, PathBuf};

use serde_json::json;
use vouch_attest::bundle::{
    Bundle, BundleContent, BundleError, BundleVerifyError, BundleVersion, HashAlgorithm,
    MEDIA_TYPE_V0_3, SignerMaterial, VerifiedContent,
};
use vouch_attest::digest::ArtifactDigests;
use vouch_attest::intoto::{Statement, StatementError, Subject, SubjectMismatch};
use vouch_attest::keys::{KeyError, PrivateKey, PublicKey, PublicKeyKind, SigningAlgorithm};

const PREDICATE_TYPE: &str = "https://slsa.dev/provenance/v1";

fn bundle_files(directory: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(&directory).expect("list test data") {
            let path = entry.expect("directory entry").path();
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or_default();
            if path.is_dir() {
                pending.push(path);
            } else if name.ends_with(".sigstore") || name.ends_with(".sigstore.json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Parses every bundle under `source` and returns the rejected ones (relative path, reason).
fn rejected_bundles(source: &str) -> Option<(usize, Vec<(String, String)>)> {
    let directory = vouch_test_support::data_path(source)?;
    let files = bundle_files(&directory);
    let rejected = files
        .iter()
        .filter_map(|path| {
            let error = Bundle::from_json(&std::fs::read(path).expect("read bundle")).err()?;
            let relative = path.strip_prefix(&directory).expect("under the directory");
            Some((relative.display().to_string(), error.to_string()))
        })
        .collect();
    Some((files.len(), rejected))
}

#[test]
fn conformance_bundles_parse_except_the_malformed_fail_cases() {
    let Some((count, rejected)) = rejected_bundles("sigstore-conformance/bundle-verify") else {
        return;
    };
    assert_eq!(count, 58);
    let rejected: Vec<(&str, &str)> = rejected
        .iter()
        .map(|(path, reason)| (path.as_str(), reason.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (
                "bundle-empty-certificate-chain_fail/bundle.sigstore.json",
                "x509CertificateChain has no certificates"
            ),
            (
                "bundle-invalid-base64-signature_fail/bundle.sigstore.json",
                "not a Sigstore bundle: invalid base64: Invalid symbol 33, offset 7. at line 55 column 5"
            ),
            (
                "bundle-malformed-json_fail/bundle.sigstore.json",
                "not a Sigstore bundle: EOF while parsing a string at line 1 column 4753"
            ),
            (
                "bundle-unknown-version_fail/bundle.sigstore.json",
                "unsupported bundle mediaType `application/vnd.dev.sigstore.bundle+json;version=99.9`"
            ),
            (
                "intoto-missing-inclusion-proof_fail/bundle.sigstore.json",
                "tlogEntries[0] has no inclusionProof, which a v0.2 bundle requires"
            ),
            (
                "invalid-inclusion-proof_fail/bundle.sigstore.json",
                "tlogEntries[0].inclusionProof has no checkpoint, which a v0.2 bundle requires"
            ),
            (
                "rekor2-no-inclusion-proof_fail/bundle.sigstore.json",
                "tlogEntries[0] has no inclusionProof, which a v0.3 bundle requires"
            ),
        ]
    );
    assert!(rejected.iter().all(|(path, _)| path.contains("_fail/")));
}

#[test]
fn sigstore_python_bundles_parse_except_the_invalid_ones() {
    let Some((count, rejected)) = rejected_bundles("sigstore-python-assets") else {
        return;
    };
    assert_eq!(count, 14);
    let rejected: Vec<&str> = rejected.iter().map(|(path, _)| path.as_str()).collect();
    assert_eq!(
        rejected,
        [
            "bundle_invalid_version.txt.sigstore",
            "bundle_no_cert_v1.txt.sigstore",
            "bundle_no_checkpoint.txt.sigstore",
        ]
    );
}

#[test]
fn sigstore_go_bundles_parse_except_two_dsse_signatures() {
    let Some((count, rejected)) = rejected_bundles("sigstore-go-testdata") else {
        return;
    };
    assert_eq!(count, 4);
    assert_eq!(
        rejected,
        [(
            "bundles/dsse-2sigs.sigstore.json".to_owned(),
            "the dsseEnvelope has 2 signatures; a bundle carries exactly one".to_owned()
        )]
    );
}

#[test]
fn happy_path_v0_1_has_its_log_entry_and_certificate_chain() {
    let Some(path) = vouch_test_support::data_path(
        "sigstore-conformance/bundle-verify/happy-path-v0.1/bundle.sigstore.json",
    ) else {
        return;
    };
    let bundle = Bundle::from_json(&std::fs::read(path).expect("read")).expect("parse");
    assert_eq!(bundle.version, BundleVersion::V0_1);
    assert!(matches!(&bundle.signer, SignerMaterial::CertificateChain(chain) if chain.len() == 1));
    assert_eq!(bundle.tlog_entries.len(), 1);
    assert_eq!(bundle.tlog_entries[0].kind_version.kind, "hashedrekord");
    // Certificate-based bundles are for keyless verification, not for a key.
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    assert!(matches!(
        bundle.verify_with_key(key.public_key(), b"", None),
        Err(BundleVerifyError::NotKeyMaterial("certificate chain"))
    ));
}

struct ManagedKeyCase {
    bundle: Bundle,
    key: PublicKey,
    artifact: Vec<u8>,
}

fn managed_key_case(case: &str) -> Option<ManagedKeyCase> {
    let directory =
        vouch_test_support::data_path(&format!("sigstore-conformance/bundle-verify/{case}"))?;
    let artifact_path = vouch_test_support::data_path("sigstore-conformance/bundle-verify/a.txt")?;
    Some(ManagedKeyCase {
        bundle: Bundle::from_json(
            &std::fs::read(directory.join("bundle.sigstore.json")).expect("read"),
        )
        .expect("parse"),
        key: PublicKey::read_pem_file(&directory.join("key.pub")).expect("key.pub"),
        artifact: std::fs::read(artifact_path).expect("a.txt"),
    })
}

#[test]
fn managed_key_conformance_bundles_verify_with_their_key() {
    for case in ["managed-key-happy-path", "managed-key-and-trusted-root"] {
        let Some(case_data) = managed_key_case(case) else {
            return;
        };
        assert!(matches!(
            &case_data.bundle.signer,
            SignerMaterial::PublicKey { hint } if *hint == case_data.key.hint()
        ));
        let verification = case_data
            .bundle
            .verify_with_key(&case_data.key, &case_data.artifact, None)
            .expect(case);
        assert_eq!(verification.content, VerifiedContent::MessageSignature);
        assert_eq!(verification.unverified_tlog_entries, 1, "{case}");
    }
}

#[test]
fn managed_key_bundle_fails_with_another_key_or_artifact() {
    let Some(case) = managed_key_case("managed-key-happy-path") else {
        return;
    };
    let other = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    assert!(matches!(
        case.bundle
            .verify_with_key(other.public_key(), &case.artifact, None),
        Err(BundleVerifyError::MessageSignature(
            KeyError::SignatureMismatch { .. }
        ))
    ));
    let mut artifact = case.artifact.clone();
    artifact.push(b'\n');
    assert!(matches!(
        case.bundle.verify_with_key(&case.key, &artifact, None),
        Err(BundleVerifyError::MessageDigestMismatch {
            algorithm: HashAlgorithm::Sha2_256,
            ..
        })
    ));
}

#[test]
fn message_signature_bundle_round_trips_and_verifies() {
    for algorithm in [
        SigningAlgorithm::EcdsaP256,
        SigningAlgorithm::EcdsaP384,
        SigningAlgorithm::Ed25519,
    ] {
        let key = PrivateKey::generate(algorithm).expect("generate");
        let bundle = Bundle::sign_message(&key, b"artifact bytes").expect("sign");
        let json = bundle.to_json().expect("serialise");
        let value: serde_json::Value = serde_json::from_slice(&json).expect("JSON");
        assert_eq!(value["mediaType"], MEDIA_TYPE_V0_3);
        assert_eq!(
            value["verificationMaterial"],
            json!({"publicKey": {"hint": key.public_key().hint()}})
        );
        let expected_algorithm = if algorithm == SigningAlgorithm::EcdsaP384 {
            "SHA2_384"
        } else {
            "SHA2_256"
        };
        assert_eq!(
            value["messageSignature"]["messageDigest"]["algorithm"],
            expected_algorithm
        );
        let reread = Bundle::from_json(&json).expect("reread");
        assert_eq!(reread, bundle);
        let verification = reread
            .verify_with_key(key.public_key(), b"artifact bytes", None)
            .expect("verifies");
        assert_eq!(verification.unverified_tlog_entries, 0);
    }
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let bundle = Bundle::sign_message(&key, b"hello world").expect("sign");
    let BundleContent::MessageSignature(signature) = &bundle.content else {
        panic!("a message signature bundle");
    };
    assert_eq!(
        hex::encode(&signature.message_digest.digest),
        "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    );
}

fn statement_for(artifact: &[u8], predicate_type: &str) -> Statement {
    Statement::new(
        vec![Subject::from_digests(
            "artifact",
            &ArtifactDigests::of_bytes(artifact),
        )],
        predicate_type,
        json!({"buildDefinition": {"buildType": "https://example.com/build/v1"}}),
    )
}

fn dsse_bundle_json(key: &PrivateKey, artifact: &[u8]) -> serde_json::Value {
    let bundle =
        Bundle::sign_statement(key, &statement_for(artifact, PREDICATE_TYPE)).expect("sign");
    serde_json::from_slice(&bundle.to_json().expect("serialise")).expect("JSON")
}

fn verify_json(
    value: &serde_json::Value,
    key: &PublicKey,
    artifact: &[u8],
    predicate_type: Option<&str>,
) -> Result<(), BundleVerifyError> {
    let bundle = Bundle::from_json(value.to_string().as_bytes()).expect("still a bundle");
    bundle
        .verify_with_key(key, artifact, predicate_type)
        .map(|_| ())
}

#[test]
fn dsse_statement_bundle_verifies_subject_and_predicate_type() {
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let value = dsse_bundle_json(&key, b"artifact");
    assert_eq!(
        value["dsseEnvelope"]["payloadType"],
        "application/vnd.in-toto+json"
    );
    let bundle = Bundle::from_json(value.to_string().as_bytes()).expect("parse");
    let verification = bundle
        .verify_with_key(key.public_key(), b"artifact", Some(PREDICATE_TYPE))
        .expect("verifies");
    let VerifiedContent::Statement(statement) = verification.content else {
        panic!("a Statement");
    };
    assert_eq!(statement.predicate_type, PREDICATE_TYPE);

    assert!(matches!(
        verify_json(&value, key.public_key(), b"artifact", Some("https://example.com/other")),
        Err(BundleVerifyError::PredicateType { expected, found })
            if expected == "https://example.com/other" && found == PREDICATE_TYPE
    ));
}

/// Each tampering is rejected with its own reason, as far as one exists: a well-formed
/// signature over other bytes cannot tell whether the bytes or the signature changed.
#[test]
fn tampered_dsse_bundles_are_rejected_each_with_its_reason() {
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let value = dsse_bundle_json(&key, b"artifact");
    let public = key.public_key();
    let mismatch = |result| {
        matches!(
            result,
            Err(BundleVerifyError::DsseSignature(
                KeyError::SignatureMismatch {
                    kind: PublicKeyKind::EcdsaP256,
                    ..
                }
            ))
        )
    };

    // A byte of the payload.
    let mut payload = base64_decode(&value["dsseEnvelope"]["payload"]);
    payload[10] ^= 0x01;
    let mut tampered = value.clone();
    tampered["dsseEnvelope"]["payload"] = base64_encode(&payload);
    assert!(mismatch(verify_json(&tampered, public, b"artifact", None)));

    // The payload type.
    let mut tampered = value.clone();
    tampered["dsseEnvelope"]["payloadType"] = json!("application/vnd.in-toto+jsoN");
    assert!(matches!(
        verify_json(&tampered, public, b"artifact", None),
        Err(BundleVerifyError::PayloadType(found)) if found == "application/vnd.in-toto+jsoN"
    ));

    // A byte of the signature: its last byte (still DER), then its first (no longer DER).
    let signature = base64_decode(&value["dsseEnvelope"]["signatures"][0]["sig"]);
    let mut last_flipped = signature.clone();
    let last = last_flipped.len() - 1;
    last_flipped[last] ^= 0x01;
    let mut tampered = value.clone();
    tampered["dsseEnvelope"]["signatures"][0]["sig"] = base64_encode(&last_flipped);
    assert!(mismatch(verify_json(&tampered, public, b"artifact", None)));
    let mut first_flipped = signature;
    first_flipped[0] ^= 0x01;
    let length = first_flipped.len();
    tampered["dsseEnvelope"]["signatures"][0]["sig"] = base64_encode(&first_flipped);
    assert!(matches!(
        verify_json(&tampered, public, b"artifact", None),
        Err(BundleVerifyError::DsseSignature(KeyError::MalformedSignature { length: found, .. }))
            if found == length
    ));

    // A byte of the key: the point leaves the curve, and the key is refused when read.
    let mut spki = public.spki_der().to_vec();
    let last = spki.len() - 1;
    spki[last] ^= 0x01;
    assert!(matches!(
        PublicKey::from_spki_der(&spki),
        Err(KeyError::Rejected {
            kind: PublicKeyKind::EcdsaP256,
            ..
        })
    ));
    // Another valid key: the signature does not verify.
    let other = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    assert!(mismatch(verify_json(
        &value,
        other.public_key(),
        b"artifact",
        None
    )));

    // The artifact, so the subject digest no longer matches.
    assert!(matches!(
        verify_json(&value, public, b"artifacT", None),
        Err(BundleVerifyError::Subject(SubjectMismatch::NoMatchingSubject { sha256, .. }))
            if sha256 == ArtifactDigests::of_bytes(b"artifacT").sha256
    ));
}

#[test]
fn signed_payload_that_is_not_a_statement_is_rejected() {
    let key = PrivateKey::generate(SigningAlgorithm::Ed25519).expect("generate");
    let mut envelope =
        vouch_attest::dsse::Envelope::new("application/vnd.in-toto+json", b"{}".to_vec());
    envelope
        .sign(&key, "", vouch_attest::keys::SignatureEncoding::Der)
        .expect("sign");
    let bundle = Bundle {
        version: BundleVersion::V0_3,
        signer: SignerMaterial::PublicKey {
            hint: String::new(),
        },
        tlog_entries: Vec::new(),
        rfc3161_timestamps: Vec::new(),
        content: BundleContent::DsseEnvelope(envelope),
    };
    assert!(matches!(
        bundle.verify_with_key(key.public_key(), b"artifact", None),
        Err(BundleVerifyError::Statement(StatementError::Json(_)))
    ));
}

#[test]
fn structural_rules_are_enforced() {
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let value = dsse_bundle_json(&key, b"artifact");
    let parse = |value: &serde_json::Value| Bundle::from_json(value.to_string().as_bytes());

    let mut two_signatures = value.clone();
    let signature = two_signatures["dsseEnvelope"]["signatures"][0].clone();
    two_signatures["dsseEnvelope"]["signatures"]
        .as_array_mut()
        .expect("signatures")
        .push(signature);
    assert!(matches!(
        parse(&two_signatures),
        Err(BundleError::DsseSignatureCount(2))
    ));

    let mut no_material = value.clone();
    no_material["verificationMaterial"] = json!({});
    assert!(matches!(
        parse(&no_material),
        Err(BundleError::SignerMaterial("none of them"))
    ));

    let mut both_contents = value.clone();
    both_contents["messageSignature"] =
        json!({"messageDigest": {"algorithm": "SHA2_256", "digest": ""}, "signature": ""});
    assert!(matches!(
        parse(&both_contents),
        Err(BundleError::Content("both"))
    ));

    let mut chain_in_v0_3 = value.clone();
    chain_in_v0_3["verificationMaterial"] =
        json!({"x509CertificateChain": {"certificates": [{"rawBytes": "AAAA"}]}});
    assert!(matches!(
        parse(&chain_in_v0_3),
        Err(BundleError::ChainInV0_3)
    ));

    let mut legacy_v0_3 = value.clone();
    legacy_v0_3["mediaType"] = json!("application/vnd.dev.sigstore.bundle+json;version=0.3");
    assert_eq!(
        parse(&legacy_v0_3).expect("legacy v0.3 media type").version,
        BundleVersion::V0_3
    );

    // URL-safe base64 without padding is accepted on input.
    let mut url_safe = value.clone();
    let sig = base64_decode(&value["dsseEnvelope"]["signatures"][0]["sig"]);
    url_safe["dsseEnvelope"]["signatures"][0]["sig"] = json!(base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        sig
    ));
    verify_json(&url_safe, key.public_key(), b"artifact", None).expect("URL-safe signature");
}

fn base64_decode(value: &serde_json::Value) -> Vec<u8> {
    base64::Engine::decode(
        &base64::engine::general_purpose::STANDARD,
        value.as_str().expect("a base64 string"),
    )
    .expect("standard base64")
}

fn base64_encode(bytes: &[u8]) -> serde_json::Value {
    json!(base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        bytes
    ))
}

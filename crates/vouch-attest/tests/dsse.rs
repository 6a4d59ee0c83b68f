//! DSSE: the protocol test vector byte for byte, signing round trips, tampering, parsing.

mod common;

use vouch_attest::dsse::{DsseVerifyError, Envelope, pae};
use vouch_attest::keys::{PrivateKey, SignatureEncoding};

fn vector() -> Option<serde_json::Value> {
    let path = vouch_test_support::data_path("dsse/protocol-test-vector.json")?;
    let text = std::fs::read(path).expect("read the DSSE vector");
    Some(serde_json::from_slice(&text).expect("DSSE vector is JSON"))
}

fn field<'a>(value: &'a serde_json::Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(serde_json::Value::as_str)
        .unwrap_or_else(|| panic!("vector has {pointer}"))
}

/// The vector's key: a SEC1 `ECPrivateKey` on P-256 built from the decimal scalar `d`.
fn vector_key(vector: &serde_json::Value) -> PrivateKey {
    let scalar = common::decimal_to_be_bytes(field(vector, "/key/d"), 32);
    let mut sec1 = vec![0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20];
    sec1.extend_from_slice(&scalar);
    sec1.extend_from_slice(&[
        0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07,
    ]);
    PrivateKey::from_sec1_der(&sec1).expect("the vector's key is a valid P-256 scalar")
}

#[test]
fn pae_of_the_protocol_example() {
    assert_eq!(
        pae("http://example.com/HelloWorld", b"hello world"),
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    );
    assert_eq!(pae("", b""), b"DSSEv1 0  0 ");
}

#[test]
fn protocol_vector_is_reproduced_byte_for_byte() {
    let Some(vector) = vector() else { return };
    let payload_type = field(&vector, "/payload_type");
    let body = field(&vector, "/serialized_body");
    assert_eq!(
        pae(payload_type, body.as_bytes()),
        field(&vector, "/pae").as_bytes()
    );

    let key = vector_key(&vector);
    let mut point = vec![0x04];
    point.extend(common::decimal_to_be_bytes(field(&vector, "/key/x"), 32));
    point.extend(common::decimal_to_be_bytes(field(&vector, "/key/y"), 32));
    assert!(key.public_key().spki_der().ends_with(&point));

    let mut envelope = Envelope::new(payload_type, body.as_bytes().to_vec());
    envelope
        .sign(&key, "", SignatureEncoding::Fixed)
        .expect("sign");
    let expected: serde_json::Value = vector["envelope"].clone();
    let produced: serde_json::Value =
        serde_json::from_slice(&envelope.to_json().expect("serialise")).expect("JSON");
    assert_eq!(produced, expected);
    assert_eq!(
        field(&produced, "/signatures/0/sig"),
        "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="
    );
}

#[test]
fn protocol_vector_envelope_verifies_with_its_public_key() {
    let Some(vector) = vector() else { return };
    let public = vector_key(&vector).public_key().clone();
    let envelope = Envelope::from_json(&serde_json::to_vec(&vector["envelope"]).expect("JSON"))
        .expect("the vector envelope parses");
    let verified = envelope.verify(&[public], 1).expect("verifies");
    assert_eq!(verified.payload, b"hello world");
    assert_eq!(verified.payload_type, "http://example.com/HelloWorld");
    assert_eq!(verified.signed_by, vec![0]);
}

#[test]
fn threshold_counts_distinct_trusted_keys() {
    use vouch_attest::keys::SigningAlgorithm;
    let keys: Vec<PrivateKey> = [
        SigningAlgorithm::EcdsaP256,
        SigningAlgorithm::Ed25519,
        SigningAlgorithm::EcdsaP384,
    ]
    .into_iter()
    .map(|algorithm| PrivateKey::generate(algorithm).expect("generate"))
    .collect();
    let mut envelope = Envelope::new("application/example", b"payload".to_vec());
    for (key, keyid) in keys.iter().take(2).zip(["first", "second"]) {
        envelope
            .sign(key, keyid, SignatureEncoding::Der)
            .expect("sign");
    }
    // The same signature twice does not count twice.
    let duplicate = envelope.signatures[0].clone();
    envelope.signatures.push(duplicate);
    let trusted: Vec<_> = keys.iter().map(|key| key.public_key().clone()).collect();

    let verified = envelope.verify(&trusted, 2).expect("two of three signed");
    assert_eq!(verified.signed_by, vec![0, 1]);
    assert_eq!(
        envelope.verify(&trusted, 3),
        Err(DsseVerifyError::ThresholdNotMet {
            verified: 2,
            threshold: 3,
            trusted: 3,
            signatures: 3,
            payload_type: "application/example".to_owned(),
        })
    );
    assert_eq!(
        envelope.verify(&trusted, 0),
        Err(DsseVerifyError::ZeroThreshold)
    );
    assert_eq!(
        Envelope::new("t", Vec::new()).verify(&trusted, 1),
        Err(DsseVerifyError::NoSignatures)
    );

    // Key ids are hints only: a wrong one changes nothing.
    envelope.signatures[0].keyid = "someone else".to_owned();
    assert!(envelope.verify(&trusted[..1], 1).is_ok());
}

#[test]
fn envelope_json_accepts_url_safe_unpadded_base64_and_emits_standard() {
    let envelope =
        Envelope::from_json(br#"{"payload":"_-8","payloadType":"t","signatures":[{"sig":"AQ"}]}"#)
            .expect("URL-safe, unpadded");
    assert_eq!(envelope.payload, [0xff, 0xef]);
    assert_eq!(envelope.signatures[0].sig, [0x01]);
    assert_eq!(envelope.signatures[0].keyid, "");
    assert_eq!(
        envelope.to_json().expect("serialise"),
        br#"{"payload":"/+8=","payloadType":"t","signatures":[{"sig":"AQ=="}]}"#
    );
}

#[test]
fn envelope_without_required_fields_is_rejected() {
    for (json, missing) in [
        (r#"{"payloadType":"t","signatures":[]}"#, "payload"),
        (r#"{"payload":"","signatures":[]}"#, "payloadType"),
        (r#"{"payload":"","payloadType":"t"}"#, "signatures"),
        (
            r#"{"payload":"","payloadType":"t","signatures":[{"keyid":"k"}]}"#,
            "sig",
        ),
    ] {
        let error = Envelope::from_json(json.as_bytes()).expect_err(missing);
        assert!(
            error
                .to_string()
                .contains(&format!("missing field `{missing}`")),
            "{error}"
        );
    }
    let error = Envelope::from_json(br#"{"payload":"a+_b","payloadType":"t","signatures":[]}"#)
        .expect_err("mixed alphabets");
    assert!(error.to_string().contains("invalid base64"), "{error}");
}

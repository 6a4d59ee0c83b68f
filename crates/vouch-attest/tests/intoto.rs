//! in-toto: Statements (v1 and v0.1), subject matching, canonical JSON, and in-toto-golang's
//! signed layouts and links (classic and DSSE-wrapped) verified with their keys.

use serde_json::json;
use vouch_attest::canonical::{CanonicalJsonError, to_canonical_json};
use vouch_attest::digest::ArtifactDigests;
use vouch_attest::dsse::{DsseVerifyError, Envelope};
use vouch_attest::intoto::metadata::{InTotoKey, MetadataVerifyError, SignedMetadata};
use vouch_attest::intoto::{self, Statement, StatementError, Subject, SubjectMismatch};
use vouch_attest::keys::PublicKey;

const ALICE_KEYID: &str = "70ca5750c2eda80b18f41f4ec5f92146789b5d68dd09577be422a0159bd13680";
const DAN_KEYID: &str = "b7d643dec0a051096ee5d87221b5d91a33daa658699d30903e1cefb90c418401";
const LINK_KEYID: &str = "d3ffd1086938b3698618adf088bf14b13db4c8ae19e4e78d73da49ee88492710";
const DSSE_LINK_KEYID: &str = "776a00e29f3559e0141b3b096f696abc6cfb0c657ab40f441132b345b08453f5";
const HELLO_SHA256: &str = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";

fn data(name: &str) -> Option<Vec<u8>> {
    let path = vouch_test_support::data_path(&format!("in-toto-golang/test/data/{name}"))?;
    Some(std::fs::read(path).expect("read in-toto-golang test data"))
}

fn alice() -> Option<InTotoKey> {
    let public = PublicKey::from_pem(&data("alice.pub")?).expect("alice.pub");
    Some(InTotoKey::from_public_key(public, "rsassa-pss-sha256").expect("alice as in-toto key"))
}

fn flip_byte(bytes: &mut [u8], needle: &[u8]) {
    let position = bytes
        .windows(needle.len())
        .position(|window| window == needle)
        .expect("needle present");
    bytes[position] ^= 0x01;
}

#[test]
fn canonical_json_sorts_keys_and_escapes_only_quote_and_backslash() {
    let value = json!({"b": [1, -2, true, null], "a": "\u{1b}\u{ffff}\\\"é", "": {}});
    assert_eq!(
        String::from_utf8(to_canonical_json(&value).expect("canonical")).expect("UTF-8"),
        "{\"\":{},\"a\":\"\u{1b}\u{ffff}\\\\\\\"é\",\"b\":[1,-2,true,null]}"
    );
    assert_eq!(
        to_canonical_json(&json!({"x": 1.5})),
        Err(CanonicalJsonError::NonIntegerNumber {
            number: "1.5".to_owned()
        })
    );
}

#[test]
fn canonical_test_link_encodes_control_characters_raw() {
    let Some(bytes) = data("canonical-test.link") else {
        return;
    };
    let metadata = SignedMetadata::from_json(&bytes).expect("link");
    let canonical = to_canonical_json(&metadata.signed["environment"]).expect("canonical");
    assert_eq!(
        canonical,
        "{\"a\":\"WTF\",\"b\":true,\"c\":false,\"d\":null,\"e\":1,\"f\":\"\u{1b}\u{ffff}F\\\\n\\\"\"}"
            .as_bytes()
    );
    assert_eq!(
        metadata.verify(&alice().expect("alice")),
        Err(MetadataVerifyError::NoSignatures)
    );
}

#[test]
fn key_id_of_a_pem_file_matches_the_layout() {
    let Some(alice) = alice() else { return };
    assert_eq!(alice.keyid, ALICE_KEYID);
    let dan = InTotoKey::from_public_key(
        PublicKey::from_pem(&data("dan.pub").expect("dan.pub")).expect("dan.pub"),
        "rsassa-pss-sha256",
    )
    .expect("dan as in-toto key");
    assert_eq!(dan.keyid, DAN_KEYID);
}

#[test]
fn demo_layout_verifies_with_alice_and_its_links_with_the_layout_keys() {
    let (Some(layout), Some(alice)) = (data("demo.layout"), alice()) else {
        return;
    };
    let layout = SignedMetadata::from_json(&layout).expect("layout");
    assert_eq!(layout.metadata_type(), Some("layout"));
    layout.verify(&alice).expect("alice signed the layout");

    let keys = layout.layout_keys().expect("layout keys");
    let mut keyids: Vec<&str> = keys.iter().map(|key| key.keyid.as_str()).collect();
    keyids.sort_unstable();
    assert_eq!(keyids, [DAN_KEYID, LINK_KEYID]);

    for (link, keyid) in [
        ("foo.d3ffd108.link", LINK_KEYID),
        ("package.d3ffd108.link", LINK_KEYID),
        ("foo.b7d643de.link", DAN_KEYID),
        ("write-code.b7d643de.link", DAN_KEYID),
    ] {
        let metadata = SignedMetadata::from_json(&data(link).expect(link)).expect(link);
        assert_eq!(metadata.metadata_type(), Some("link"), "{link}");
        let key = layout.layout_key(keyid).expect(keyid);
        metadata.verify(&key).expect(link);
        // The other key of the layout did not sign it.
        let other = keys
            .iter()
            .find(|other| other.keyid != keyid)
            .expect("two keys");
        assert_eq!(
            metadata.verify(other),
            Err(MetadataVerifyError::NoSignatureByKey {
                keyid: other.keyid.clone(),
                signatures: 1
            }),
            "{link}"
        );
    }
}

#[test]
fn a_tampered_byte_in_signed_metadata_is_rejected() {
    let (Some(mut layout), Some(alice)) = (data("demo.layout"), alice()) else {
        return;
    };
    flip_byte(&mut layout, b"write-code.example.com");
    let layout = SignedMetadata::from_json(&layout).expect("still JSON");
    assert_eq!(
        layout.verify(&alice),
        Err(MetadataVerifyError::NoSignatureByKey {
            keyid: ALICE_KEYID.to_owned(),
            signatures: 1
        })
    );
}

#[test]
fn signed_metadata_with_a_float_cannot_verify() {
    let Some(alice) = alice() else { return };
    let metadata = SignedMetadata::from_json(
        br#"{"signed": {"_type": "link", "ratio": 0.5}, "signatures": [{"keyid": "k", "sig": "00ff"}]}"#,
    )
    .expect("metadata");
    assert_eq!(metadata.signatures[0].sig, [0x00, 0xff]);
    assert_eq!(
        metadata.verify(&alice),
        Err(MetadataVerifyError::NotCanonical(
            CanonicalJsonError::NonIntegerNumber {
                number: "0.5".to_owned()
            }
        ))
    );
    assert!(matches!(
        SignedMetadata::from_json(br#"{"signed": {}, "signatures": [{"sig": "0g"}]}"#),
        Err(vouch_attest::intoto::metadata::MetadataError::SignatureHex { index: 0, .. })
    ));
}

#[test]
fn dsse_wrapped_layout_and_link_verify_with_their_keys() {
    let Some(alice) = alice() else { return };
    for layout_name in ["demo.dsse.layout", "dsse-only.root.layout"] {
        let envelope =
            Envelope::from_json(&data(layout_name).expect(layout_name)).expect(layout_name);
        let verified = envelope
            .verify(std::slice::from_ref(alice.public_key()), 1)
            .expect(layout_name);
        assert_eq!(verified.payload_type, intoto::PAYLOAD_TYPE);
        let layout: serde_json::Value = serde_json::from_slice(verified.payload).expect("JSON");
        assert_eq!(layout["_type"], "layout", "{layout_name}");
    }

    let root = Envelope::from_json(&data("dsse-only.root.layout").expect("root")).expect("root");
    let layout = SignedMetadata {
        signed: serde_json::from_slice(&root.payload).expect("layout JSON"),
        signatures: Vec::new(),
    };
    let link_key = layout.layout_key(DSSE_LINK_KEYID).expect("link key");
    let link = Envelope::from_json(&data("clone-dsse.776a00e2.link").expect("link")).expect("link");
    let verified = link
        .verify(std::slice::from_ref(link_key.public_key()), 1)
        .expect("clone link verifies");
    let link: serde_json::Value = serde_json::from_slice(verified.payload).expect("link JSON");
    assert_eq!(link["name"], "clone-dsse");
    assert_eq!(
        link["products"]["demo-project/foo.py"]["sha256"],
        "ebebf8778035e0e842a4f1aeb92a601be8ea8e621195f3b972316c60c9e12235"
    );

    // Alice signed the layouts, not the link.
    assert!(matches!(
        Envelope::from_json(&data("clone-dsse.776a00e2.link").expect("link"))
            .expect("link")
            .verify(std::slice::from_ref(alice.public_key()), 1),
        Err(DsseVerifyError::ThresholdNotMet { verified: 0, .. })
    ));
}

#[test]
fn statement_v1_round_trips_and_matches_its_subject() {
    let digests = ArtifactDigests::of_bytes(b"hello world");
    assert_eq!(digests.sha256, HELLO_SHA256);
    let statement = Statement::new(
        vec![Subject::from_digests("hello.txt", &digests)],
        "https://example.com/predicate/v1",
        json!({"ok": true}),
    );
    let json = statement.to_json().expect("serialise");
    assert_eq!(
        String::from_utf8(json.clone()).expect("UTF-8"),
        format!(
            "{{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{{\"name\":\"hello.txt\",\
             \"digest\":{{\"sha256\":\"{HELLO_SHA256}\"}}}}],\"predicateType\":\
             \"https://example.com/predicate/v1\",\"predicate\":{{\"ok\":true}}}}"
        )
    );
    let reread = Statement::from_json(&json).expect("parse");
    assert_eq!(reread, statement);
    assert_eq!(
        reread.matching_subject(&digests).expect("match").name,
        "hello.txt"
    );
    let other = ArtifactDigests::of_bytes(b"hello world!");
    assert!(matches!(
        reread.matching_subject(&other),
        Err(SubjectMismatch::NoMatchingSubject { sha256, .. }) if sha256 == other.sha256
    ));
}

#[test]
fn subject_matching_needs_every_common_digest_to_agree() {
    let digests = ArtifactDigests::of_bytes(b"hello world");
    let statement = |digest: serde_json::Value| {
        Statement::from_json(
            json!({"_type": intoto::STATEMENT_TYPE_V0_1, "predicateType": "p",
                   "subject": [{"name": "a", "digest": digest}]})
            .to_string()
            .as_bytes(),
        )
        .expect("statement")
    };
    let right_sha512 = digests.sha512.clone();
    let wrong_sha512 = "0".repeat(128);
    assert!(
        statement(json!({"sha256": HELLO_SHA256, "sha512": right_sha512}))
            .matching_subject(&digests)
            .is_ok()
    );
    assert!(
        statement(json!({"sha256": HELLO_SHA256, "sha512": wrong_sha512}))
            .matching_subject(&digests)
            .is_err()
    );
    // Only algorithms we do not compute: nothing to compare, no match.
    assert!(
        statement(json!({"gitCommit": "abc"}))
            .matching_subject(&digests)
            .is_err()
    );
}

#[test]
fn malformed_statements_are_rejected_with_a_reason() {
    let parse = |value: serde_json::Value| Statement::from_json(value.to_string().as_bytes());
    let subject = json!([{"digest": {"sha256": HELLO_SHA256}}]);
    assert!(matches!(
        parse(json!({"_type": "https://in-toto.io/Statement/v2", "subject": subject, "predicateType": "p"})),
        Err(StatementError::UnsupportedType(found)) if found == "https://in-toto.io/Statement/v2"
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1, "subject": [], "predicateType": "p"})),
        Err(StatementError::NoSubjects)
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1, "subject": [{"name": "x"}], "predicateType": "p"})),
        Err(StatementError::SubjectWithoutDigest { index: 0, name }) if name == "x"
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1,
                     "subject": [{"digest": {"sha256": HELLO_SHA256.to_uppercase()}}], "predicateType": "p"})),
        Err(StatementError::InvalidDigest {
            reason: "not lower-case hex",
            ..
        })
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1,
                     "subject": [{"digest": {"sha256": "abc"}}], "predicateType": "p"})),
        Err(StatementError::InvalidDigest {
            reason: "wrong length for the algorithm",
            ..
        })
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1, "subject": subject, "predicateType": ""})),
        Err(StatementError::EmptyPredicateType)
    ));
    assert!(matches!(
        parse(json!({"_type": intoto::STATEMENT_TYPE_V1, "subject": subject})),
        Err(StatementError::Json(_))
    ));
}

#[test]
fn conformance_statement_parses() {
    let Some(path) = vouch_test_support::data_path("sigstore-conformance/statement.json") else {
        return;
    };
    let statement = Statement::from_json(&std::fs::read(path).expect("read")).expect("statement");
    assert_eq!(statement.statement_type, intoto::STATEMENT_TYPE_V1);
}

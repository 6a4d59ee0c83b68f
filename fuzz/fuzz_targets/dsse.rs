//! Parses arbitrary bytes as a DSSE envelope. Whatever parses must serialise and parse back to
//! an equal envelope, and verifying it with a fixed key must fail without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_attest::dsse::Envelope;
use vouch_attest::keys::PublicKey;

/// An Ed25519 SubjectPublicKeyInfo (RFC 8410 example key).
const KEY: &[u8] = &[
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, 0x19, 0xbf, 0x44, 0x09,
    0x69, 0x84, 0xcd, 0xfe, 0x85, 0x41, 0xba, 0xc1, 0x67, 0xdc, 0x3b, 0x96, 0xc8, 0x50, 0x86, 0xaa,
    0x30, 0xb6, 0xb6, 0xcb, 0x0c, 0x5c, 0x38, 0xad, 0x70, 0x31, 0x66, 0xe1,
];

fuzz_target!(|data: &[u8]| {
    let Ok(envelope) = Envelope::from_json(data) else {
        return;
    };
    let json = envelope.to_json().expect("a parsed envelope serialises");
    assert_eq!(
        Envelope::from_json(&json).expect("serialised envelope parses"),
        envelope
    );
    let key = PublicKey::from_spki_der(KEY).expect("fixed key");
    assert!(envelope.verify(&[key], 1).is_err());
});

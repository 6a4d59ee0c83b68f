//! Parses arbitrary bytes as a Sigstore trusted root and prepares a verifier from whatever
//! parses: malformed keys, certificates and validity windows must be errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_attest::sigstore::{SigstoreVerifier, TrustRoot};

fuzz_target!(|data: &[u8]| {
    let Ok(json) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(trust_root) = TrustRoot::from_json(json, "fuzz input") else {
        return;
    };
    let _ = SigstoreVerifier::new(&trust_root);
});

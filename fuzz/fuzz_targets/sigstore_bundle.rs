//! Parses arbitrary bytes as a Sigstore bundle. Whatever parses must serialise and parse back
//! to an equal bundle.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_attest::bundle::Bundle;

fuzz_target!(|data: &[u8]| {
    let Ok(bundle) = Bundle::from_json(data) else {
        return;
    };
    let json = bundle.to_json().expect("a parsed bundle serialises");
    assert_eq!(
        Bundle::from_json(&json).expect("serialised bundle parses"),
        bundle
    );
});

//! Reads arbitrary bytes as an SBOM of any format vouch detects, and validates them.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = vouch_formats::read(data, "fuzzed");
    let _ = vouch_formats::validate(data, "fuzzed");
});

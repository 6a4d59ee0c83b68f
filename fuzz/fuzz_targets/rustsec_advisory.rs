//! Parses arbitrary UTF-8 as a RustSec advisory (TOML front matter and Markdown) and converts
//! it to OSV. Whatever converts has exactly one affected crate and one SEMVER range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_vulndb::rustsec;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(record) = rustsec::parse_advisory(text) {
        assert_eq!(record.affected.len(), 1);
        assert_eq!(record.affected[0].ranges.len(), 1);
        assert_eq!(record.affected[0].ranges[0].kind, "SEMVER");
    }
});

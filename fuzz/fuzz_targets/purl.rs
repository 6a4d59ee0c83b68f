//! Parses arbitrary UTF-8 as a purl, strictly and leniently. Whatever parses must print a
//! canonical form that parses back to an equal value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_model::{Purl, PurlError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parsers: [(&str, fn(&str) -> Result<Purl, PurlError>); 2] = [
        ("strict", str::parse),
        ("lenient", Purl::parse_lenient),
    ];
    for (mode, parse) in parsers {
        if let Ok(purl) = parse(text) {
            let printed = purl.to_string();
            assert_eq!(
                parse(&printed).as_ref(),
                Ok(&purl),
                "{mode} parse of {text:?} printed as {printed:?}"
            );
        }
    }
});

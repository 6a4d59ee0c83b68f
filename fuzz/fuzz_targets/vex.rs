//! Reads arbitrary bytes as a VEX document of any format vouch detects. Whatever reads must
//! write as OpenVEX (when it has a timestamp) and as CycloneDX, and each output must read back
//! with the same number of statements.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_formats::vex::{OpenVexOptions, read_vex, write_cyclonedx, write_openvex};

fuzz_target!(|data: &[u8]| {
    let Ok(outcome) = read_vex(data, "fuzzed") else {
        return;
    };
    let document = &outcome.document;
    let statements = document.statements.len();
    let written = write_cyclonedx(document).expect("CycloneDX VEX writes");
    let reread = read_vex(&written, "written").expect("written CycloneDX VEX reads");
    assert_eq!(reread.document.statements.len(), statements);
    if document.timestamp.is_some() {
        let written =
            write_openvex(document, &OpenVexOptions::default()).expect("OpenVEX writes");
        let reread = read_vex(&written, "written").expect("written OpenVEX reads");
        assert_eq!(reread.document.statements.len(), statements);
    }
});

//! Parses arbitrary bytes as an OSV record in JSON and in YAML. Whatever parses must write
//! back to JSON that parses to an equal record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_vulndb::osv::{self, Osv};

fn round_trips(record: &Osv) {
    let Ok(json) = serde_json::to_vec(record) else {
        return;
    };
    assert_eq!(osv::parse_json(&json).as_ref(), Ok(record));
}

fuzz_target!(|data: &[u8]| {
    if let Ok(record) = osv::parse_json(data) {
        round_trips(&record);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(record) = osv::parse_yaml(text)
    {
        round_trips(&record);
    }
});

//! Parses arbitrary bytes as an in-toto Statement. Whatever parses must serialise and parse
//! back to an equal Statement.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_attest::intoto::Statement;

fuzz_target!(|data: &[u8]| {
    let Ok(statement) = Statement::from_json(data) else {
        return;
    };
    let json = statement.to_json().expect("a parsed Statement serialises");
    assert_eq!(
        Statement::from_json(&json).expect("serialised Statement parses"),
        statement
    );
});

//! Parses arbitrary bytes as a model signature bundle and as the statement it signs. A
//! statement that parses must describe itself consistently and write back to the same manifest.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vouch_attest::model::{
    Manifest, ModelSignature, PREDICATE_TYPE, parse_statement, statement_json,
};

fuzz_target!(|data: &[u8]| {
    // The bundle reader must only accept or reject.
    let _ = ModelSignature::from_json(data);
    let Ok(signed) = parse_statement(data) else {
        return;
    };
    let digest_length = signed.serialization.hash.digest_length();
    for resource in &signed.resources {
        assert_eq!(resource.digest.len(), digest_length);
        if let Some((start, end)) = resource.shard {
            assert!(start < end);
        }
    }
    if signed.predicate_type != PREDICATE_TYPE {
        return;
    }
    let manifest = Manifest {
        model_name: signed.model_name.clone().unwrap_or_default(),
        serialization: signed.serialization.clone(),
        resources: signed.resources.clone(),
    };
    let json = statement_json(&manifest).expect("a parsed manifest writes");
    let reparsed = parse_statement(&json).expect("a written statement parses");
    assert_eq!(reparsed, signed);
});

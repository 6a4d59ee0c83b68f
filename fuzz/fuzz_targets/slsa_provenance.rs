//! Verifies arbitrary bytes as SLSA provenance (a bundle, an envelope or JSON lines) against
//! the production trusted root: malformed documents, statements and predicates must be
//! errors, never panics.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use vouch_attest::sigstore::{SigstoreVerifier, TrustRoot};
use vouch_attest::slsa::{ExpectedArtifact, ProvenanceOptions, verify_provenance};

fn verifier() -> &'static SigstoreVerifier {
    static VERIFIER: OnceLock<SigstoreVerifier> = OnceLock::new();
    VERIFIER.get_or_init(|| {
        let root = TrustRoot::production().expect("the embedded trusted root parses");
        SigstoreVerifier::new(&root).expect("the embedded trusted root is usable")
    })
}

fuzz_target!(|data: &[u8]| {
    let options = ProvenanceOptions {
        artifact: ExpectedArtifact::from_digest_argument(&format!("sha256:{}", "0".repeat(64)))
            .expect("a well-formed digest argument"),
        source_uri: "github.com/slsa-framework/example-package".to_owned(),
        source_tag: Some("v1.0.0".to_owned()),
        source_branch: Some("main".to_owned()),
        builder_id: None,
    };
    let _ = verify_provenance(verifier(), data, &options);
});

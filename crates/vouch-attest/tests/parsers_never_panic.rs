//! Every parser of untrusted input returns an error instead of panicking: random bytes, and
//! valid documents with a byte changed or cut short.

use proptest::prelude::*;
use vouch_attest::bundle::Bundle;
use vouch_attest::dsse::Envelope;
use vouch_attest::intoto::Statement;
use vouch_attest::intoto::metadata::SignedMetadata;
use vouch_attest::keys::{PrivateKey, PublicKey};

const ENVELOPE: &str = r#"{"payload":"aGVsbG8gd29ybGQ=","payloadType":"http://example.com/HelloWorld","signatures":[{"keyid":"k","sig":"A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="}]}"#;
const STATEMENT: &str = r#"{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"a","digest":{"sha256":"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"}}],"predicateType":"p","predicate":{"x":[1,2.5,null]}}"#;
const BUNDLE: &str = r#"{"mediaType":"application/vnd.dev.sigstore.bundle+json;version=0.2","verificationMaterial":{"publicKey":{"hint":"aGludA=="},"tlogEntries":[{"logIndex":"7","logId":{"keyId":"AAAA"},"kindVersion":{"kind":"hashedrekord","version":"0.0.1"},"integratedTime":12,"inclusionProof":{"logIndex":"1","rootHash":"AAAA","treeSize":"2","hashes":["AAAA"],"checkpoint":{"envelope":"x"}}}]},"messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"AAAA"},"signature":"AAAA"}}"#;
const PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n";

fn parse_everything(bytes: &[u8]) {
    let _ = Envelope::from_json(bytes);
    let _ = Statement::from_json(bytes);
    let _ = Bundle::from_json(bytes);
    let _ = SignedMetadata::from_json(bytes);
    let _ = PublicKey::from_pem(bytes);
    let _ = PrivateKey::from_pem(bytes, Some(b"passphrase"));
    let _ = PublicKey::from_spki_der(bytes);
    let _ = PrivateKey::from_pkcs8_der(bytes);
    let _ = PrivateKey::from_sec1_der(bytes);
}

#[test]
fn the_seed_documents_parse() {
    Envelope::from_json(ENVELOPE.as_bytes()).expect("envelope");
    Statement::from_json(STATEMENT.as_bytes()).expect("statement");
    Bundle::from_json(BUNDLE.as_bytes()).expect("bundle");
    PublicKey::from_pem(PUBLIC_KEY.as_bytes()).expect("public key");
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        parse_everything(&bytes);
    }

    #[test]
    fn damaged_documents_never_panic(
        seed in 0..4usize,
        position in any::<prop::sample::Index>(),
        replacement in any::<u8>(),
        cut in any::<prop::sample::Index>(),
    ) {
        let document = [ENVELOPE, STATEMENT, BUNDLE, PUBLIC_KEY][seed].as_bytes();
        let mut damaged = document.to_vec();
        damaged[position.index(document.len())] = replacement;
        parse_everything(&damaged);
        parse_everything(&document[..cut.index(document.len() + 1)]);
    }
}

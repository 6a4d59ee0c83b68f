//! The key-based workflow end to end through files, as `vouch key generate`, `vouch sign`,
//! `vouch attest` and `vouch verify` run it: an encrypted key on disk, bundles written and read
//! back, verification with the public key file.

use serde_json::json;
use vouch_attest::bundle::{Bundle, BundleVerifyError, VerifiedContent};
use vouch_attest::digest::ArtifactDigests;
use vouch_attest::intoto::{Statement, Subject};
use vouch_attest::keys::{PrivateKey, PublicKey, SigningAlgorithm};

const PASSPHRASE: &[u8] = b"workflow passphrase";
const PREDICATE_TYPE: &str = "https://slsa.dev/provenance/v1";

struct Workspace {
    directory: tempfile::TempDir,
    key: PrivateKey,
    public_key: PublicKey,
}

impl Workspace {
    fn new(algorithm: SigningAlgorithm) -> Self {
        let directory = tempfile::tempdir().expect("temporary directory");
        let key_path = directory.path().join("release.key");
        PrivateKey::generate(algorithm)
            .expect("generate")
            .write_pem_files(&key_path, Some(PASSPHRASE))
            .expect("write key files");
        let key = PrivateKey::read_pem_file(&key_path, Some(PASSPHRASE)).expect("read key");
        let public_key =
            PublicKey::read_pem_file(&directory.path().join("release.key.pub")).expect("read .pub");
        assert_eq!(key.public_key(), &public_key);
        Self {
            directory,
            key,
            public_key,
        }
    }

    fn write(&self, name: &str, contents: &[u8]) -> std::path::PathBuf {
        let path = self.directory.path().join(name);
        std::fs::write(&path, contents).expect("write");
        path
    }
}

#[test]
fn signed_file_verifies_from_its_bundle_file() {
    for algorithm in [
        SigningAlgorithm::EcdsaP256,
        SigningAlgorithm::EcdsaP384,
        SigningAlgorithm::Ed25519,
    ] {
        let workspace = Workspace::new(algorithm);
        let artifact = b"release tarball bytes";
        let bundle = Bundle::sign_message(&workspace.key, artifact).expect("sign");
        let bundle_path = workspace.write(
            "release.tar.gz.sigstore.json",
            &bundle.to_json().expect("serialise"),
        );

        let reread = Bundle::from_json(&std::fs::read(bundle_path).expect("read")).expect("parse");
        let verification = reread
            .verify_with_key(&workspace.public_key, artifact, None)
            .expect("verifies");
        assert_eq!(verification.content, VerifiedContent::MessageSignature);
        assert_eq!(verification.unverified_tlog_entries, 0);
        assert_eq!(verification.unverified_timestamps, 0);

        assert!(matches!(
            reread.verify_with_key(&workspace.public_key, b"another tarball", None),
            Err(BundleVerifyError::MessageDigestMismatch { .. })
        ));
        // A message signature is no attestation, whatever predicate type is asked for.
        assert!(matches!(
            reread.verify_with_key(&workspace.public_key, artifact, Some(PREDICATE_TYPE)),
            Err(BundleVerifyError::NotAnAttestation { expected }) if expected == PREDICATE_TYPE
        ));
    }
}

#[test]
fn attestation_verifies_subject_and_predicate_type_from_files() {
    let workspace = Workspace::new(SigningAlgorithm::EcdsaP256);
    let subject_path = workspace.write("app.whl", b"wheel bytes");
    let digests = ArtifactDigests::of_file(&subject_path).expect("hash subject");
    assert_eq!(digests, ArtifactDigests::of_bytes(b"wheel bytes"));
    let statement = Statement::new(
        vec![Subject::from_digests("app.whl", &digests)],
        PREDICATE_TYPE,
        json!({"runDetails": {"builder": {"id": "https://example.com/builder"}}}),
    );
    let bundle = Bundle::sign_statement(&workspace.key, &statement).expect("attest");
    let bundle_path = workspace.write("app.whl.sigstore.json", &bundle.to_json().expect("JSON"));

    let reread = Bundle::from_json(&std::fs::read(bundle_path).expect("read")).expect("parse");
    let verification = reread
        .verify_with_key(&workspace.public_key, b"wheel bytes", Some(PREDICATE_TYPE))
        .expect("verifies");
    let VerifiedContent::Statement(verified) = verification.content else {
        panic!("an attestation");
    };
    assert_eq!(verified, statement);
    assert_eq!(verified.subject[0].digest["sha256"], digests.sha256);

    assert!(matches!(
        reread.verify_with_key(
            &workspace.public_key,
            b"wheel bytes",
            Some("https://spdx.dev/Document")
        ),
        Err(BundleVerifyError::PredicateType { .. })
    ));
    let stranger = Workspace::new(SigningAlgorithm::EcdsaP256);
    assert!(matches!(
        reread.verify_with_key(&stranger.public_key, b"wheel bytes", Some(PREDICATE_TYPE)),
        Err(BundleVerifyError::DsseSignature(_))
    ));
}

//! Keys: generation, PEM round trips, passphrase encryption, file modes, and interop with the
//! openssl command line in both directions.

use std::path::Path;
use std::process::Command;

use vouch_attest::keys::{
    KeyError, PrivateKey, PublicKey, PublicKeyKind, SignatureEncoding, SigningAlgorithm,
};

const ALGORITHMS: [SigningAlgorithm; 3] = [
    SigningAlgorithm::EcdsaP256,
    SigningAlgorithm::EcdsaP384,
    SigningAlgorithm::Ed25519,
];

fn openssl_available() -> bool {
    vouch_test_support::external_tool("openssl", &["version"])
}

fn openssl(arguments: &[&str]) -> std::process::Output {
    let output = Command::new("openssl")
        .args(arguments)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {arguments:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("temporary paths are UTF-8")
}

/// Signs `message` with openssl's `dgst -sign` (`pkeyutl -rawin` for Ed25519, which has no digest).
fn openssl_sign(key: &Path, message: &Path, signature: &Path, kind: PublicKeyKind) {
    match kind {
        PublicKeyKind::Ed25519 => openssl(&[
            "pkeyutl",
            "-sign",
            "-rawin",
            "-inkey",
            path_str(key),
            "-in",
            path_str(message),
            "-out",
            path_str(signature),
        ]),
        PublicKeyKind::EcdsaP384 => openssl(&[
            "dgst",
            "-sha384",
            "-sign",
            path_str(key),
            "-out",
            path_str(signature),
            path_str(message),
        ]),
        _ => openssl(&[
            "dgst",
            "-sha256",
            "-sign",
            path_str(key),
            "-out",
            path_str(signature),
            path_str(message),
        ]),
    };
}

/// Verifies with openssl; returns whether it printed success.
fn openssl_verifies(public: &Path, message: &Path, signature: &Path, kind: PublicKeyKind) -> bool {
    let mut command = Command::new("openssl");
    match kind {
        PublicKeyKind::Ed25519 => command.args([
            "pkeyutl",
            "-verify",
            "-rawin",
            "-pubin",
            "-inkey",
            path_str(public),
            "-in",
            path_str(message),
            "-sigfile",
            path_str(signature),
        ]),
        PublicKeyKind::EcdsaP384 => command.args([
            "dgst",
            "-sha384",
            "-verify",
            path_str(public),
            "-signature",
            path_str(signature),
            path_str(message),
        ]),
        _ => command.args([
            "dgst",
            "-sha256",
            "-verify",
            path_str(public),
            "-signature",
            path_str(signature),
            path_str(message),
        ]),
    };
    command.output().expect("run openssl").status.success()
}

#[test]
fn generated_keys_sign_and_verify_and_reject_another_message() {
    for algorithm in ALGORITHMS {
        let key = PrivateKey::generate(algorithm).expect("generate");
        assert_eq!(key.algorithm(), algorithm);
        assert_eq!(key.public_key().kind(), PublicKeyKind::from(algorithm));
        let signature = key.sign(b"message", SignatureEncoding::Der).expect("sign");
        key.public_key()
            .verify(b"message", &signature)
            .expect("own signature verifies");
        let error = key
            .public_key()
            .verify(b"messagf", &signature)
            .expect_err("another message must not verify");
        assert!(
            matches!(error, KeyError::SignatureMismatch { kind, .. } if kind == PublicKeyKind::from(algorithm)),
            "{error}"
        );
    }
}

#[test]
fn ecdsa_signatures_verify_in_der_and_fixed_encodings() {
    for (algorithm, fixed_length) in [
        (SigningAlgorithm::EcdsaP256, 64),
        (SigningAlgorithm::EcdsaP384, 96),
    ] {
        let key = PrivateKey::generate(algorithm).expect("generate");
        let fixed = key
            .sign(b"payload", SignatureEncoding::Fixed)
            .expect("sign");
        assert_eq!(fixed.len(), fixed_length);
        let der = key.sign(b"payload", SignatureEncoding::Der).expect("sign");
        assert_eq!(der.first(), Some(&0x30), "DER starts with a SEQUENCE");
        for signature in [fixed, der] {
            key.public_key()
                .verify(b"payload", &signature)
                .expect("verifies");
        }
    }
}

#[test]
fn malformed_signatures_are_told_apart_from_mismatches() {
    for (algorithm, malformed) in [
        (SigningAlgorithm::EcdsaP256, vec![0x30, 0x03, 0x02, 0x01]),
        (SigningAlgorithm::EcdsaP384, vec![0x01; 95]),
        (SigningAlgorithm::Ed25519, vec![0x01; 63]),
    ] {
        let key = PrivateKey::generate(algorithm).expect("generate");
        let length = malformed.len();
        assert!(
            matches!(
                key.public_key().verify(b"message", &malformed),
                Err(KeyError::MalformedSignature { kind, length: found })
                    if kind == PublicKeyKind::from(algorithm) && found == length
            ),
            "{algorithm}"
        );
    }
    // DER with trailing bytes is not DER.
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let mut signature = key.sign(b"message", SignatureEncoding::Der).expect("sign");
    signature.push(0);
    assert!(matches!(
        key.public_key().verify(b"message", &signature),
        Err(KeyError::MalformedSignature { .. })
    ));
}

#[test]
fn ecdsa_signing_is_deterministic() {
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    assert_eq!(
        key.sign(b"same", SignatureEncoding::Der).expect("sign"),
        key.sign(b"same", SignatureEncoding::Der).expect("sign")
    );
}

#[test]
fn pem_round_trip_keeps_the_key() {
    for algorithm in ALGORITHMS {
        let key = PrivateKey::generate(algorithm).expect("generate");
        let pem = key.to_pem(None).expect("PEM");
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let reread = PrivateKey::from_pem(pem.as_bytes(), None).expect("reread");
        assert_eq!(reread.public_key(), key.public_key());

        let public_pem = key.public_key().to_pem().expect("public PEM");
        assert!(public_pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
        assert_eq!(
            &PublicKey::from_pem(public_pem.as_bytes()).expect("public key"),
            key.public_key()
        );
    }
}

#[test]
fn encrypted_key_needs_the_right_passphrase() {
    let key = PrivateKey::generate(SigningAlgorithm::EcdsaP256).expect("generate");
    let pem = key.to_pem(Some(b"correct horse")).expect("encrypt");
    assert!(pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"));
    let reread = PrivateKey::from_pem(pem.as_bytes(), Some(b"correct horse")).expect("decrypt");
    assert_eq!(reread.public_key(), key.public_key());
    assert!(matches!(
        PrivateKey::from_pem(pem.as_bytes(), None),
        Err(KeyError::PassphraseRequired)
    ));
    assert!(matches!(
        PrivateKey::from_pem(pem.as_bytes(), Some(b"wrong horse")),
        Err(KeyError::Decryption { .. })
    ));
}

#[test]
fn key_files_are_written_private_and_never_overwritten() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("signing.key");
    let key = PrivateKey::generate(SigningAlgorithm::Ed25519).expect("generate");
    let public_path = key.write_pem_files(&path, None).expect("write");
    assert_eq!(public_path, directory.path().join("signing.key.pub"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode =
            |path: &Path| std::fs::metadata(path).expect("stat").permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&public_path), 0o644);
    }
    assert_eq!(
        &PublicKey::read_pem_file(&public_path).expect("read public key"),
        key.public_key()
    );
    let error = key
        .write_pem_files(&path, None)
        .expect_err("an existing key must not be overwritten");
    assert!(matches!(error, KeyError::AlreadyExists { path: existing } if existing == path));
    let leftovers: Vec<_> = std::fs::read_dir(directory.path())
        .expect("list")
        .map(|entry| entry.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers.len(), 2, "no temporary files left: {leftovers:?}");
}

#[test]
fn public_key_of_a_certificate_is_read() {
    let Some(path) =
        vouch_test_support::data_path("in-toto-golang/test/data/example.com.write-code.cert.pem")
    else {
        return;
    };
    let key = PublicKey::read_pem_file(&path).expect("certificate public key");
    assert_eq!(key.kind(), PublicKeyKind::Rsa);
}

#[test]
fn pem_without_a_key_is_rejected_with_its_label() {
    assert!(matches!(
        PublicKey::from_pem(b"no pem here"),
        Err(KeyError::NoPemBlock { .. })
    ));
    let wrong_label = "-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n";
    assert!(matches!(
        PublicKey::from_pem(wrong_label.as_bytes()),
        Err(KeyError::UnexpectedPemLabel { label, .. }) if label == "NOTHING"
    ));
}

#[test]
fn in_toto_golang_public_keys_load_with_their_kinds() {
    let expected = [
        ("alice.pub", Ok(PublicKeyKind::Rsa)),
        ("carol.pub", Ok(PublicKeyKind::Ed25519)),
        ("dan.pub", Ok(PublicKeyKind::Rsa)),
        // secp256k1, secp224r1: curves no verifier here supports.
        ("erin.pub", Err("1.3.132.0.10")),
        ("frank.pub", Ok(PublicKeyKind::EcdsaP521)),
        ("grace.pub", Ok(PublicKeyKind::EcdsaP384)),
        ("heidi.pub", Err("1.3.132.0.33")),
    ];
    for (name, kind) in expected {
        let Some(path) = vouch_test_support::data_path(&format!("in-toto-golang/test/data/{name}"))
        else {
            return;
        };
        let loaded = PublicKey::read_pem_file(&path);
        match (loaded, kind) {
            (Ok(key), Ok(kind)) => assert_eq!(key.kind(), kind, "{name}"),
            (Err(KeyError::File { source, .. }), Err(curve)) => assert!(
                matches!(&*source, KeyError::UnsupportedCurve { curve: found } if found == curve),
                "{name}: {source}"
            ),
            (other, _) => panic!("{name}: unexpected {other:?}"),
        }
    }
}

#[test]
fn openssl_generated_keys_sign_and_verify_both_ways() {
    if !openssl_available() {
        return;
    }
    let directory = tempfile::tempdir().expect("temporary directory");
    let message = directory.path().join("message.txt");
    std::fs::write(&message, b"interop between vouch and openssl\n").expect("write message");
    let generators: [(&str, &[&str], PublicKeyKind); 4] = [
        (
            "p256-pkcs8.pem",
            &[
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
            ],
            PublicKeyKind::EcdsaP256,
        ),
        (
            "p384-sec1.pem",
            &["ecparam", "-name", "secp384r1", "-genkey"],
            PublicKeyKind::EcdsaP384,
        ),
        (
            "p256-sec1.pem",
            &["ecparam", "-name", "prime256v1", "-genkey", "-noout"],
            PublicKeyKind::EcdsaP256,
        ),
        (
            "ed25519.pem",
            &["genpkey", "-algorithm", "ed25519"],
            PublicKeyKind::Ed25519,
        ),
    ];
    for (name, arguments, kind) in generators {
        let key_path = directory.path().join(name);
        let mut arguments = arguments.to_vec();
        arguments.extend(["-out", path_str(&key_path)]);
        openssl(&arguments);
        let public_path = directory.path().join(format!("{name}.pub"));
        openssl(&[
            "pkey",
            "-in",
            path_str(&key_path),
            "-pubout",
            "-out",
            path_str(&public_path),
        ]);

        let key = PrivateKey::read_pem_file(&key_path, None).expect(name);
        let public = PublicKey::read_pem_file(&public_path).expect(name);
        assert_eq!(key.public_key(), &public, "{name}");
        assert_eq!(public.kind(), kind, "{name}");

        // openssl signs, vouch verifies; a flipped bit is rejected.
        let openssl_signature = directory.path().join(format!("{name}.openssl.sig"));
        openssl_sign(&key_path, &message, &openssl_signature, kind);
        let mut signature = std::fs::read(&openssl_signature).expect("read signature");
        let message_bytes = std::fs::read(&message).expect("read message");
        public.verify(&message_bytes, &signature).expect(name);
        if let Some(last) = signature.last_mut() {
            *last ^= 1;
        }
        assert!(public.verify(&message_bytes, &signature).is_err(), "{name}");

        // vouch signs, openssl verifies.
        let vouch_signature = directory.path().join(format!("{name}.vouch.sig"));
        std::fs::write(
            &vouch_signature,
            key.sign(&message_bytes, SignatureEncoding::Der)
                .expect("sign"),
        )
        .expect("write signature");
        assert!(
            openssl_verifies(&public_path, &message, &vouch_signature, kind),
            "{name}"
        );
    }
}

#[test]
fn openssl_reads_keys_vouch_writes_with_and_without_passphrase() {
    if !openssl_available() {
        return;
    }
    let directory = tempfile::tempdir().expect("temporary directory");
    for algorithm in ALGORITHMS {
        for passphrase in [None, Some("s3cret passphrase")] {
            let path = directory
                .path()
                .join(format!("{algorithm}-{}.pem", passphrase.is_some()).replace(' ', "_"));
            let key = PrivateKey::generate(algorithm).expect("generate");
            key.write_pem_files(&path, passphrase.map(str::as_bytes))
                .expect("write");
            let password = format!("pass:{}", passphrase.unwrap_or(""));
            let output = openssl(&[
                "pkey",
                "-in",
                path_str(&path),
                "-passin",
                &password,
                "-pubout",
            ]);
            assert_eq!(
                String::from_utf8(output.stdout).expect("PEM is UTF-8"),
                key.public_key().to_pem().expect("PEM"),
                "{algorithm} encrypted: {}",
                passphrase.is_some()
            );
        }
    }
}

#[test]
fn openssl_encrypted_pkcs8_with_pbkdf2_is_read() {
    if !openssl_available() {
        return;
    }
    let directory = tempfile::tempdir().expect("temporary directory");
    let plain = directory.path().join("plain.pem");
    let encrypted = directory.path().join("encrypted.pem");
    openssl(&[
        "genpkey",
        "-algorithm",
        "EC",
        "-pkeyopt",
        "ec_paramgen_curve:P-384",
        "-out",
        path_str(&plain),
    ]);
    // openssl's default PKCS#8 encryption: PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC.
    openssl(&[
        "pkcs8",
        "-topk8",
        "-in",
        path_str(&plain),
        "-passout",
        "pass:hunter2",
        "-out",
        path_str(&encrypted),
    ]);
    let key = PrivateKey::read_pem_file(&encrypted, Some(b"hunter2")).expect("decrypt");
    let reference = PrivateKey::read_pem_file(&plain, None).expect("plain key");
    assert_eq!(key.public_key(), reference.public_key());
    assert_eq!(key.algorithm(), SigningAlgorithm::EcdsaP384);
}

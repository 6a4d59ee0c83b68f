//! Signing and verification keys: generation, PEM reading and writing, signing, verification.
//!
//! Private keys are held as PKCS#8 DER whatever form they were read from (PKCS#8, encrypted
//! PKCS#8, SEC1 `EC PRIVATE KEY`), so writing a key back out is always PKCS#8. Public keys are
//! held as SubjectPublicKeyInfo DER, read from `PUBLIC KEY` or from an X.509 `CERTIFICATE`.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use aws_lc_rs::signature::{self as lc, KeyPair as _};
use base64::Engine as _;
use der::asn1::{ObjectIdentifier, OctetStringRef};
use der::{Decode, Encode};
use p256::pkcs8::{DecodePrivateKey as _, EncodePublicKey as _};
use pkcs8::{EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};
use sha2::{Digest as _, Sha256};
use spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use zeroize::Zeroizing;

const OID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const OID_P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const OID_P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const OID_P521: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const OID_ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const OID_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

const LABEL_PRIVATE_KEY: &str = "PRIVATE KEY";
const LABEL_ENCRYPTED_PRIVATE_KEY: &str = "ENCRYPTED PRIVATE KEY";
const LABEL_EC_PRIVATE_KEY: &str = "EC PRIVATE KEY";
const LABEL_EC_PARAMETERS: &str = "EC PARAMETERS";
const LABEL_PUBLIC_KEY: &str = "PUBLIC KEY";
const LABEL_CERTIFICATE: &str = "CERTIFICATE";

/// Why a key could not be read, written or used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("{path}: {source}")]
    File {
        path: PathBuf,
        #[source]
        source: Box<KeyError>,
    },
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} already exists; refusing to overwrite a key")]
    AlreadyExists { path: PathBuf },
    #[error("no PEM block found (expected {expected})")]
    NoPemBlock { expected: &'static str },
    #[error("PEM block `{label}` is not valid PEM: {reason}")]
    Pem { label: String, reason: String },
    #[error("PEM block `{label}` is not a {expected}")]
    UnexpectedPemLabel {
        label: String,
        expected: &'static str,
    },
    #[error("malformed {what}: {reason}")]
    Der { what: &'static str, reason: String },
    #[error("unsupported key algorithm {oid}")]
    UnsupportedAlgorithm { oid: String },
    #[error("unsupported elliptic curve {curve}")]
    UnsupportedCurve { curve: String },
    #[error("{kind} keys can verify but not sign")]
    VerifyOnly { kind: PublicKeyKind },
    #[error("the private key is encrypted and no passphrase was given")]
    PassphraseRequired,
    #[error("cannot decrypt the private key (wrong passphrase or corrupt key): {reason}")]
    Decryption { reason: String },
    #[error("cannot encrypt the private key: {reason}")]
    Encryption { reason: String },
    #[error("the {kind} key was rejected: {reason}")]
    Rejected { kind: PublicKeyKind, reason: String },
    #[error("key generation failed")]
    Generation,
    #[error("signing failed")]
    Signing,
    #[error("signature does not verify with the {kind} key {hint}")]
    SignatureMismatch { kind: PublicKeyKind, hint: String },
    #[error("the {length}-byte signature is not a well-formed {kind} signature")]
    MalformedSignature { kind: PublicKeyKind, length: usize },
}

impl KeyError {
    fn in_file(self, path: &Path) -> Self {
        Self::File {
            path: path.to_path_buf(),
            source: Box::new(self),
        }
    }

    fn der(what: &'static str, error: impl fmt::Display) -> Self {
        Self::Der {
            what,
            reason: error.to_string(),
        }
    }
}

/// The algorithms `vouch` generates keys for and signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SigningAlgorithm {
    /// ECDSA over NIST P-256 with SHA-256.
    EcdsaP256,
    /// ECDSA over NIST P-384 with SHA-384.
    EcdsaP384,
    /// Ed25519 (pure, the message is not pre-hashed).
    Ed25519,
}

impl fmt::Display for SigningAlgorithm {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        PublicKeyKind::from(*self).fmt(formatter)
    }
}

/// The kinds of public key signatures can be verified with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublicKeyKind {
    EcdsaP256,
    EcdsaP384,
    EcdsaP521,
    Ed25519,
    Rsa,
}

impl From<SigningAlgorithm> for PublicKeyKind {
    fn from(algorithm: SigningAlgorithm) -> Self {
        match algorithm {
            SigningAlgorithm::EcdsaP256 => Self::EcdsaP256,
            SigningAlgorithm::EcdsaP384 => Self::EcdsaP384,
            SigningAlgorithm::Ed25519 => Self::Ed25519,
        }
    }
}

impl PublicKeyKind {
    /// The algorithm that checks a key of this kind is usable.
    fn verification_algorithm(self) -> &'static dyn lc::VerificationAlgorithm {
        match self {
            Self::EcdsaP256 => &lc::ECDSA_P256_SHA256_ASN1,
            Self::EcdsaP384 => &lc::ECDSA_P384_SHA384_ASN1,
            Self::EcdsaP521 => &lc::ECDSA_P521_SHA512_ASN1,
            Self::Ed25519 => &lc::ED25519,
            Self::Rsa => &lc::RSA_PKCS1_2048_8192_SHA256,
        }
    }

    /// Bytes in one ECDSA scalar (`r` or `s`) of the curve.
    fn ecdsa_scalar_length(self) -> Option<usize> {
        match self {
            Self::EcdsaP256 => Some(32),
            Self::EcdsaP384 => Some(48),
            Self::EcdsaP521 => Some(66),
            Self::Ed25519 | Self::Rsa => None,
        }
    }

    /// Whether `signature` has the shape of a signature of this kind, so that a damaged
    /// encoding is told apart from a signature over other bytes.
    fn is_well_formed_signature(self, signature: &[u8]) -> bool {
        match (self, self.ecdsa_scalar_length()) {
            (Self::Ed25519, _) => signature.len() == 64,
            (_, Some(scalar_length)) => {
                signature.len() == 2 * scalar_length || is_der_ecdsa_signature(signature)
            }
            (_, None) => !signature.is_empty(),
        }
    }
}

/// Whether `signature` is a DER `Ecdsa-Sig-Value`: a SEQUENCE of two INTEGERs and nothing after.
fn is_der_ecdsa_signature(signature: &[u8]) -> bool {
    use der::Reader as _;
    let Ok(mut reader) = der::SliceReader::new(signature) else {
        return false;
    };
    reader
        .sequence(|sequence| {
            der::asn1::UintRef::decode(sequence)?;
            der::asn1::UintRef::decode(sequence)?;
            Ok::<(), der::Error>(())
        })
        .is_ok()
        && reader.is_finished()
}

impl fmt::Display for PublicKeyKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::EcdsaP256 => "ECDSA P-256",
            Self::EcdsaP384 => "ECDSA P-384",
            Self::EcdsaP521 => "ECDSA P-521",
            Self::Ed25519 => "Ed25519",
            Self::Rsa => "RSA",
        })
    }
}

/// How an ECDSA signature is encoded. Other algorithms have a single encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SignatureEncoding {
    /// ASN.1 DER `Ecdsa-Sig-Value`, what cosign, sigstore-go and openssl emit.
    #[default]
    Der,
    /// Fixed-width big-endian `r || s`.
    Fixed,
}

/// The padding RSA signatures use; both hash with SHA-256.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RsaPadding {
    /// RSASSA-PKCS1-v1_5, the Sigstore default.
    #[default]
    Pkcs1v15,
    /// RSASSA-PSS with a salt as long as the hash, what in-toto's `rsassa-pss-sha256` uses.
    Pss,
}

// ECDSA signing goes through RustCrypto p256/p384 because they sign deterministically
// (RFC 6979), which reproduces published vectors byte for byte; aws-lc-rs signs with a random nonce.
enum Signer {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
    Ed25519(lc::Ed25519KeyPair),
}

/// A private key that can sign.
pub struct PrivateKey {
    signer: Signer,
    pkcs8: Zeroizing<Vec<u8>>,
    public_key: PublicKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("PrivateKey")
            .field("algorithm", &self.algorithm())
            .field("public_key", &self.public_key.hint())
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Generates a fresh key from the system's random source.
    pub fn generate(algorithm: SigningAlgorithm) -> Result<Self, KeyError> {
        let document = match algorithm {
            SigningAlgorithm::EcdsaP256 => {
                lc::EcdsaKeyPair::generate(&lc::ECDSA_P256_SHA256_ASN1_SIGNING)
                    .and_then(|pair| pair.to_pkcs8v1())
            }
            SigningAlgorithm::EcdsaP384 => {
                lc::EcdsaKeyPair::generate(&lc::ECDSA_P384_SHA384_ASN1_SIGNING)
                    .and_then(|pair| pair.to_pkcs8v1())
            }
            SigningAlgorithm::Ed25519 => {
                lc::Ed25519KeyPair::generate().and_then(|pair| pair.to_pkcs8v1())
            }
        }
        .map_err(|_| KeyError::Generation)?;
        Self::from_pkcs8_der(document.as_ref())
    }

    /// Reads a private key from PEM: `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY` (needs `passphrase`)
    /// or `EC PRIVATE KEY`. An `EC PARAMETERS` block before it (`openssl ecparam -genkey`) is skipped.
    pub fn from_pem(pem: &[u8], passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        const EXPECTED: &str = "private key";
        let block = pem_blocks(pem, EXPECTED)?
            .into_iter()
            .find(|block| block.label != LABEL_EC_PARAMETERS)
            .ok_or(KeyError::NoPemBlock { expected: EXPECTED })?;
        let der = Zeroizing::new(block.der);
        match block.label.as_str() {
            LABEL_PRIVATE_KEY => Self::from_pkcs8_der(&der),
            LABEL_ENCRYPTED_PRIVATE_KEY => {
                let passphrase = passphrase.ok_or(KeyError::PassphraseRequired)?;
                let encrypted = EncryptedPrivateKeyInfoRef::from_der(&der)
                    .map_err(|error| KeyError::der("encrypted PKCS#8 private key", error))?;
                let decrypted =
                    encrypted
                        .decrypt(passphrase)
                        .map_err(|error| KeyError::Decryption {
                            reason: error.to_string(),
                        })?;
                Self::from_pkcs8_der(decrypted.as_bytes())
            }
            LABEL_EC_PRIVATE_KEY => Self::from_sec1_der(&der),
            _ => Err(KeyError::UnexpectedPemLabel {
                label: block.label,
                expected: EXPECTED,
            }),
        }
    }

    /// Reads a private key PEM file; see [`PrivateKey::from_pem`].
    pub fn read_pem_file(path: &Path, passphrase: Option<&[u8]>) -> Result<Self, KeyError> {
        let pem = Zeroizing::new(read_file(path)?);
        Self::from_pem(&pem, passphrase).map_err(|error| error.in_file(path))
    }

    /// Reads an unencrypted PKCS#8 (v1 or v2) private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let info = PrivateKeyInfoRef::from_der(der)
            .map_err(|error| KeyError::der("PKCS#8 private key", error))?;
        let algorithm = info.algorithm.oid;
        let signer = if algorithm == OID_EC_PUBLIC_KEY {
            let curve = curve_parameter(&info.algorithm)?;
            if curve == OID_P256 {
                Signer::P256(
                    p256::ecdsa::SigningKey::from_pkcs8_der(der).map_err(|error| {
                        KeyError::Rejected {
                            kind: PublicKeyKind::EcdsaP256,
                            reason: error.to_string(),
                        }
                    })?,
                )
            } else if curve == OID_P384 {
                Signer::P384(
                    p384::ecdsa::SigningKey::from_pkcs8_der(der).map_err(|error| {
                        KeyError::Rejected {
                            kind: PublicKeyKind::EcdsaP384,
                            reason: error.to_string(),
                        }
                    })?,
                )
            } else if curve == OID_P521 {
                return Err(KeyError::VerifyOnly {
                    kind: PublicKeyKind::EcdsaP521,
                });
            } else {
                return Err(KeyError::UnsupportedCurve {
                    curve: curve.to_string(),
                });
            }
        } else if algorithm == OID_ED25519 {
            Signer::Ed25519(lc::Ed25519KeyPair::from_pkcs8_maybe_unchecked(der).map_err(
                |error| KeyError::Rejected {
                    kind: PublicKeyKind::Ed25519,
                    reason: error.to_string(),
                },
            )?)
        } else if algorithm == OID_RSA_ENCRYPTION {
            return Err(KeyError::VerifyOnly {
                kind: PublicKeyKind::Rsa,
            });
        } else {
            return Err(KeyError::UnsupportedAlgorithm {
                oid: algorithm.to_string(),
            });
        };
        let public_key = match &signer {
            Signer::P256(key) => key
                .verifying_key()
                .to_public_key_der()
                .map(|document| document.as_bytes().to_vec()),
            Signer::P384(key) => key
                .verifying_key()
                .to_public_key_der()
                .map(|document| document.as_bytes().to_vec()),
            Signer::Ed25519(pair) => {
                der::asn1::BitStringRef::from_bytes(pair.public_key().as_ref())
                    .and_then(|bits| {
                        SubjectPublicKeyInfoRef {
                            algorithm: AlgorithmIdentifierRef {
                                oid: OID_ED25519,
                                parameters: None,
                            },
                            subject_public_key: bits,
                        }
                        .to_der()
                    })
                    .map_err(spki::Error::from)
            }
        }
        .map_err(|error| KeyError::der("public key", error))?;
        Ok(Self {
            signer,
            pkcs8: Zeroizing::new(der.to_vec()),
            public_key: PublicKey::from_spki_der(&public_key)?,
        })
    }

    /// Reads a SEC1 `ECPrivateKey` (what `openssl ecparam -genkey` writes) by wrapping it in PKCS#8.
    pub fn from_sec1_der(der: &[u8]) -> Result<Self, KeyError> {
        let sec1 = sec1::EcPrivateKey::from_der(der)
            .map_err(|error| KeyError::der("SEC1 EC private key", error))?;
        let curve = sec1
            .parameters
            .and_then(sec1::EcParameters::named_curve)
            .ok_or_else(|| KeyError::Der {
                what: "SEC1 EC private key",
                reason: "no named curve in the parameters".to_owned(),
            })?;
        let curve_der = curve
            .to_der()
            .map_err(|error| KeyError::der("curve identifier", error))?;
        let curve_any = der::asn1::AnyRef::from_der(&curve_der)
            .map_err(|error| KeyError::der("curve identifier", error))?;
        let private_key = OctetStringRef::new(der)
            .map_err(|error| KeyError::der("SEC1 EC private key", error))?;
        let info = PrivateKeyInfoRef::new(
            AlgorithmIdentifierRef {
                oid: OID_EC_PUBLIC_KEY,
                parameters: Some(curve_any),
            },
            private_key,
        );
        let pkcs8 = Zeroizing::new(
            info.to_der()
                .map_err(|error| KeyError::der("PKCS#8 private key", error))?,
        );
        Self::from_pkcs8_der(&pkcs8)
    }

    pub fn algorithm(&self) -> SigningAlgorithm {
        match self.signer {
            Signer::P256(_) => SigningAlgorithm::EcdsaP256,
            Signer::P384(_) => SigningAlgorithm::EcdsaP384,
            Signer::Ed25519(_) => SigningAlgorithm::Ed25519,
        }
    }

    pub fn public_key(&self) -> &PublicKey {
        &self.public_key
    }

    /// Signs `message`: ECDSA hashes it with SHA-256 (P-256) or SHA-384 (P-384) and encodes the
    /// signature as `encoding` says; Ed25519 signs it as is.
    pub fn sign(&self, message: &[u8], encoding: SignatureEncoding) -> Result<Vec<u8>, KeyError> {
        use p256::ecdsa::signature::Signer as _;
        Ok(match (&self.signer, encoding) {
            (Signer::P256(key), SignatureEncoding::Der) => {
                let signature: p256::ecdsa::Signature =
                    key.try_sign(message).map_err(|_| KeyError::Signing)?;
                signature.to_der().as_bytes().to_vec()
            }
            (Signer::P256(key), SignatureEncoding::Fixed) => {
                let signature: p256::ecdsa::Signature =
                    key.try_sign(message).map_err(|_| KeyError::Signing)?;
                signature.to_bytes().to_vec()
            }
            (Signer::P384(key), SignatureEncoding::Der) => {
                let signature: p384::ecdsa::Signature =
                    key.try_sign(message).map_err(|_| KeyError::Signing)?;
                signature.to_der().as_bytes().to_vec()
            }
            (Signer::P384(key), SignatureEncoding::Fixed) => {
                let signature: p384::ecdsa::Signature =
                    key.try_sign(message).map_err(|_| KeyError::Signing)?;
                signature.to_bytes().to_vec()
            }
            (Signer::Ed25519(pair), _) => pair.sign(message).as_ref().to_vec(),
        })
    }

    /// The key as PKCS#8 PEM, encrypted (PBES2: scrypt and AES-256-CBC) when `passphrase` is given.
    pub fn to_pem(&self, passphrase: Option<&[u8]>) -> Result<Zeroizing<String>, KeyError> {
        match passphrase {
            None => encode_pem(LABEL_PRIVATE_KEY, &self.pkcs8),
            Some(passphrase) => {
                let info = PrivateKeyInfoRef::from_der(&self.pkcs8)
                    .map_err(|error| KeyError::der("PKCS#8 private key", error))?;
                let encrypted = info
                    .encrypt(passphrase)
                    .map_err(|error| KeyError::Encryption {
                        reason: error.to_string(),
                    })?;
                encode_pem(LABEL_ENCRYPTED_PRIVATE_KEY, encrypted.as_bytes())
            }
        }
        .map(Zeroizing::new)
    }

    /// Writes the private key to `path` (mode 0600) and its public key to `path.pub`. Neither
    /// file may exist yet; each is written beside its final name and renamed into place.
    pub fn write_pem_files(
        &self,
        path: &Path,
        passphrase: Option<&[u8]>,
    ) -> Result<PathBuf, KeyError> {
        let mut public_path = path.as_os_str().to_owned();
        public_path.push(".pub");
        let public_path = PathBuf::from(public_path);
        for existing in [path, public_path.as_path()] {
            if existing.exists() {
                return Err(KeyError::AlreadyExists {
                    path: existing.to_path_buf(),
                });
            }
        }
        let private_pem = self.to_pem(passphrase)?;
        write_new_file(path, private_pem.as_bytes(), 0o600)?;
        write_new_file(&public_path, self.public_key.to_pem()?.as_bytes(), 0o644)?;
        Ok(public_path)
    }
}

/// A public key that verifies signatures.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    kind: PublicKeyKind,
    spki: Vec<u8>,
    /// The SubjectPublicKeyInfo's BIT STRING: an EC point, 32 Ed25519 bytes or a PKCS#1 RSA key.
    key_bits: Vec<u8>,
    rsa_padding: RsaPadding,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("PublicKey")
            .field("kind", &self.kind)
            .field("hint", &self.hint())
            .field("rsa_padding", &self.rsa_padding)
            .finish()
    }
}

impl PublicKey {
    /// Reads a `PUBLIC KEY` (SubjectPublicKeyInfo) or the public key of the first `CERTIFICATE`.
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        const EXPECTED: &str = "public key or certificate";
        let block = pem_blocks(pem, EXPECTED)?
            .into_iter()
            .next()
            .ok_or(KeyError::NoPemBlock { expected: EXPECTED })?;
        match block.label.as_str() {
            LABEL_PUBLIC_KEY => Self::from_spki_der(&block.der),
            LABEL_CERTIFICATE => Self::from_certificate_der(&block.der),
            _ => Err(KeyError::UnexpectedPemLabel {
                label: block.label,
                expected: EXPECTED,
            }),
        }
    }

    /// Reads a public key PEM file; see [`PublicKey::from_pem`].
    pub fn read_pem_file(path: &Path) -> Result<Self, KeyError> {
        Self::from_pem(&read_file(path)?).map_err(|error| error.in_file(path))
    }

    /// Reads the subject public key of a DER X.509 certificate (the certificate is not validated).
    pub fn from_certificate_der(der: &[u8]) -> Result<Self, KeyError> {
        let certificate = x509_cert::Certificate::from_der(der)
            .map_err(|error| KeyError::der("X.509 certificate", error))?;
        let spki = certificate
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|error| KeyError::der("certificate public key", error))?;
        Self::from_spki_der(&spki)
    }

    /// Reads a DER SubjectPublicKeyInfo.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|error| KeyError::der("SubjectPublicKeyInfo", error))?;
        let algorithm = spki.algorithm.oid;
        let kind = if algorithm == OID_EC_PUBLIC_KEY {
            let curve = curve_parameter(&spki.algorithm)?;
            if curve == OID_P256 {
                PublicKeyKind::EcdsaP256
            } else if curve == OID_P384 {
                PublicKeyKind::EcdsaP384
            } else if curve == OID_P521 {
                PublicKeyKind::EcdsaP521
            } else {
                return Err(KeyError::UnsupportedCurve {
                    curve: curve.to_string(),
                });
            }
        } else if algorithm == OID_ED25519 {
            PublicKeyKind::Ed25519
        } else if algorithm == OID_RSA_ENCRYPTION {
            PublicKeyKind::Rsa
        } else {
            return Err(KeyError::UnsupportedAlgorithm {
                oid: algorithm.to_string(),
            });
        };
        let key_bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or_else(|| KeyError::Der {
                what: "SubjectPublicKeyInfo",
                reason: "the public key BIT STRING has unused bits".to_owned(),
            })?
            .to_vec();
        // Refuse keys that cannot verify anything (an EC point off the curve, an RSA modulus
        // outside 2048 to 8192 bits) when they are read, not at the first signature.
        lc::ParsedPublicKey::new(kind.verification_algorithm(), &key_bits).map_err(|error| {
            KeyError::Rejected {
                kind,
                reason: error.to_string(),
            }
        })?;
        Ok(Self {
            kind,
            spki: der.to_vec(),
            key_bits,
            rsa_padding: RsaPadding::default(),
        })
    }

    /// The same key, verifying RSA signatures with `padding` (no effect on other kinds).
    #[must_use]
    pub fn with_rsa_padding(mut self, padding: RsaPadding) -> Self {
        self.rsa_padding = padding;
        self
    }

    pub fn kind(&self) -> PublicKeyKind {
        self.kind
    }

    /// The DER SubjectPublicKeyInfo.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    /// SHA-256 of the DER SubjectPublicKeyInfo.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(&self.spki).into()
    }

    /// Base64 of [`PublicKey::fingerprint`]: what Sigstore clients put in a bundle's
    /// `publicKey.hint`.
    pub fn hint(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.fingerprint())
    }

    pub fn to_pem(&self) -> Result<String, KeyError> {
        encode_pem(LABEL_PUBLIC_KEY, &self.spki)
    }

    /// Verifies `signature` over `message`. ECDSA hashes with SHA-256 (P-256), SHA-384 (P-384) or
    /// SHA-512 (P-521) and accepts DER or fixed-width `r || s`; RSA hashes with SHA-256.
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<(), KeyError> {
        if !self.kind.is_well_formed_signature(signature) {
            return Err(KeyError::MalformedSignature {
                kind: self.kind,
                length: signature.len(),
            });
        }
        let verified = match self.kind {
            PublicKeyKind::EcdsaP256 => self.verify_ecdsa(
                &lc::ECDSA_P256_SHA256_ASN1,
                &lc::ECDSA_P256_SHA256_FIXED,
                message,
                signature,
            ),
            PublicKeyKind::EcdsaP384 => self.verify_ecdsa(
                &lc::ECDSA_P384_SHA384_ASN1,
                &lc::ECDSA_P384_SHA384_FIXED,
                message,
                signature,
            ),
            PublicKeyKind::EcdsaP521 => self.verify_ecdsa(
                &lc::ECDSA_P521_SHA512_ASN1,
                &lc::ECDSA_P521_SHA512_FIXED,
                message,
                signature,
            ),
            PublicKeyKind::Ed25519 => lc::UnparsedPublicKey::new(&lc::ED25519, &self.key_bits)
                .verify(message, signature)
                .is_ok(),
            PublicKeyKind::Rsa => {
                let algorithm: &'static dyn lc::VerificationAlgorithm = match self.rsa_padding {
                    RsaPadding::Pkcs1v15 => &lc::RSA_PKCS1_2048_8192_SHA256,
                    RsaPadding::Pss => &lc::RSA_PSS_2048_8192_SHA256,
                };
                lc::UnparsedPublicKey::new(algorithm, &self.key_bits)
                    .verify(message, signature)
                    .is_ok()
            }
        };
        if verified {
            Ok(())
        } else {
            Err(KeyError::SignatureMismatch {
                kind: self.kind,
                hint: self.hint(),
            })
        }
    }

    fn verify_ecdsa(
        &self,
        der_algorithm: &'static lc::EcdsaVerificationAlgorithm,
        fixed_algorithm: &'static lc::EcdsaVerificationAlgorithm,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        let fixed_length = self.kind.ecdsa_scalar_length().map(|length| 2 * length);
        // A DER signature of exactly 2 * scalar_length bytes is possible but rare, so the fixed
        // form is tried only when DER fails and the length fits.
        lc::UnparsedPublicKey::new(der_algorithm, &self.key_bits)
            .verify(message, signature)
            .is_ok()
            || (Some(signature.len()) == fixed_length
                && lc::UnparsedPublicKey::new(fixed_algorithm, &self.key_bits)
                    .verify(message, signature)
                    .is_ok())
    }
}

fn curve_parameter(algorithm: &AlgorithmIdentifierRef<'_>) -> Result<ObjectIdentifier, KeyError> {
    algorithm
        .parameters_oid()
        .map_err(|error| KeyError::der("EC key curve parameter", error))
}

struct PemBlock {
    label: String,
    der: Vec<u8>,
}

/// Splits text holding one or more PEM blocks (text between them is ignored, as openssl does).
fn pem_blocks(text: &[u8], expected: &'static str) -> Result<Vec<PemBlock>, KeyError> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    const END: &[u8] = b"-----END ";
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = find(rest, BEGIN) {
        let from_begin = &rest[start..];
        let Some(end_marker) = find(from_begin, END) else {
            break;
        };
        // The block runs to the end of the END line.
        let after_end = &from_begin[end_marker..];
        let end_line = find(after_end, b"\n").map_or(after_end.len(), |newline| newline + 1);
        let block = &from_begin[..end_marker + end_line];
        let (label, der) = pem_rfc7468::decode_vec(block).map_err(|error| {
            let label = pem_rfc7468::decode_label(block).unwrap_or("?").to_owned();
            KeyError::Pem {
                label,
                reason: error.to_string(),
            }
        })?;
        blocks.push(PemBlock {
            label: label.to_owned(),
            der,
        });
        rest = &from_begin[end_marker + end_line..];
    }
    if blocks.is_empty() {
        return Err(KeyError::NoPemBlock { expected });
    }
    Ok(blocks)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

fn encode_pem(label: &'static str, der: &[u8]) -> Result<String, KeyError> {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der).map_err(|error| {
        KeyError::Pem {
            label: label.to_owned(),
            reason: error.to_string(),
        }
    })
}

fn read_file(path: &Path) -> Result<Vec<u8>, KeyError> {
    std::fs::read(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `contents` to a temporary file beside `path` and renames it to `path`, failing if
/// `path` appeared in the meantime, so a reader never sees half a key.
#[cfg_attr(not(unix), allow(unused_variables))]
fn write_new_file(path: &Path, contents: &[u8], mode: u32) -> Result<(), KeyError> {
    let io_error = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".vouch-key-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temporary = builder.tempfile_in(directory).map_err(io_error)?;
    temporary.write_all(contents).map_err(io_error)?;
    temporary.as_file().sync_all().map_err(io_error)?;
    temporary.persist_noclobber(path).map_err(|error| {
        if error.error.kind() == std::io::ErrorKind::AlreadyExists {
            KeyError::AlreadyExists {
                path: path.to_path_buf(),
            }
        } else {
            io_error(error.error)
        }
    })?;
    Ok(())
}

//! Bundles from sigstore-python's and sigstore-go's test suites whose verdict follows from the
//! file name, verified offline against the trusted root of the instance that produced them.

use std::path::Path;

use vouch_attest::sigstore::{
    ArtifactInput, IdentityPolicy, Requirement, SigstoreVerifier, TrustRoot,
};

const STAGING: &str = "sigstore-trust-roots/staging/trusted_root.json";
const GITHUB_OAUTH: &str = "https://github.com/login/oauth";
const ACTIONS: &str = "https://token.actions.githubusercontent.com";
const BEACON: &str = "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main";

/// What the bundle signs: a file next to it, or a `sha256:HEX` / `sha512:HEX` digest as given on
/// the command line.
enum Signed {
    File(&'static str),
    Digest(&'static str),
}

struct Asset {
    bundle: &'static str,
    artifact: Signed,
    trusted_root: &'static str,
    identity: &'static str,
    issuer: &'static str,
    verifies: bool,
}

const PYTHON: &str = "sigstore-python-assets";

/// Every asset and its expected verdict, with the reason in the comment.
const ASSETS: &[Asset] = &[
    // v0.1 bundle with a chain, SET, proof and checkpoint.
    Asset {
        bundle: "bundle.txt.sigstore",
        artifact: Signed::File("bundle.txt"),
        trusted_root: STAGING,
        identity: "a@tny.town",
        issuer: GITHUB_OAUTH,
        verifies: true,
    },
    // v0.3 bundle with a single leaf certificate.
    Asset {
        bundle: "bundle_v3.txt.sigstore",
        artifact: Signed::File("bundle_v3.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: true,
    },
    Asset {
        bundle: "integration/bundle_v3.txt.sigstore",
        artifact: Signed::File("integration/bundle_v3.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: true,
    },
    // Rekor v2 entry timed by an RFC 3161 timestamp, message signature and DSSE.
    Asset {
        bundle: "staging-rekor-v2.txt.sigstore.json",
        artifact: Signed::File("staging-rekor-v2.txt"),
        trusted_root: STAGING,
        identity: "jku@goto.fi",
        issuer: GITHUB_OAUTH,
        verifies: true,
    },
    Asset {
        bundle: "a.dsse.staging-rekor-v2.txt.sigstore.json",
        artifact: Signed::Digest(
            "sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf",
        ),
        trusted_root: STAGING,
        identity: BEACON,
        issuer: ACTIONS,
        verifies: true,
    },
    // The log entry is for a different artifact than the bundle's signature (CVE-2022-36056).
    Asset {
        bundle: "bundle_cve_2022_36056.txt.sigstore",
        artifact: Signed::File("bundle_cve_2022_36056.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
    // Media type names no bundle version.
    Asset {
        bundle: "bundle_invalid_version.txt.sigstore",
        artifact: Signed::File("bundle_invalid_version.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
    // Empty certificate chain.
    Asset {
        bundle: "bundle_no_cert_v1.txt.sigstore",
        artifact: Signed::File("bundle_no_cert_v1.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
    // v0.2 requires a checkpoint in the inclusion proof.
    Asset {
        bundle: "bundle_no_checkpoint.txt.sigstore",
        artifact: Signed::File("bundle_no_checkpoint.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
    // No SET and no timestamp: nothing establishes when the certificate was used.
    Asset {
        bundle: "bundle_v3_no_signed_time.txt.sigstore.json",
        artifact: Signed::File("bundle_v3_no_signed_time.txt"),
        trusted_root: STAGING,
        identity: "william@yossarian.net",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
];

fn verify_asset(
    data: &Path,
    directory: &str,
    asset: &Asset,
) -> Result<(), Box<dyn std::error::Error>> {
    let trust_root = TrustRoot::read_file(&data.join(asset.trusted_root))?;
    let directory = data.join(directory);
    let bundle = std::fs::read(directory.join(asset.bundle))?;
    let bytes;
    let artifact = match asset.artifact {
        Signed::File(name) => {
            bytes = std::fs::read(directory.join(name))?;
            ArtifactInput::Bytes(&bytes)
        }
        Signed::Digest(digest) => ArtifactInput::from_digest_argument(digest)
            .ok_or("the asset table holds a malformed digest")?,
    };
    let requirement = Requirement::Identity(IdentityPolicy::exact(asset.identity, asset.issuer));
    SigstoreVerifier::new(&trust_root)?.verify(artifact, &bundle, &requirement)?;
    Ok(())
}

/// Every asset of `table` whose verdict differs from the expected one, with why.
fn wrong_verdicts(data: &Path, directory: &str, table: &[Asset]) -> Vec<String> {
    table
        .iter()
        .filter_map(
            |asset| match (asset.verifies, verify_asset(data, directory, asset)) {
                (true, Err(error)) => Some(format!("{}: rejected: {error}", asset.bundle)),
                (false, Ok(())) => Some(format!("{}: verified", asset.bundle)),
                _ => None,
            },
        )
        .collect()
}

#[test]
fn sigstore_python_assets_get_the_verdict_their_names_imply() {
    let Some(data) = vouch_test_support::data_dir() else {
        return;
    };
    let wrong = wrong_verdicts(&data, PYTHON, ASSETS);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

const GO: &str = "sigstore-go-testdata/bundles";
const PUBLIC_GOOD: &str = "sigstore-go-testdata/trusted-roots/public-good.json";
/// The npm tarball both sigstore-go DSSE bundles attest to, by the SHA-512 npm binds it with.
const SLSA_PROVENANCE_TGZ: &str = "sha512:bbfd372fc9beeb777fe35d05bb10c0c70a9733d366a75fed7dd18866c7391de3ee7e88ba74dd47abf3e15c845e547fcf0e5c3da80854c751554224d3a6d4e55f";

/// sigstore-go's bundles. Left out: `public-key-validity.sigstore.json`, a v0.3 managed-key
/// bundle whose verdict its name does not imply (sigstore-go uses it to test key validity
/// windows); vouch rejects it because it carries only an RFC 3161 timestamp and the verifier
/// requires a transparency-log entry with an inclusion proof.
const GO_ASSETS: &[Asset] = &[
    // A v0.1 DSSE bundle signed by an email identity.
    Asset {
        bundle: "dsse.sigstore.json",
        artifact: Signed::Digest(SLSA_PROVENANCE_TGZ),
        trusted_root: PUBLIC_GOOD,
        identity: "brian@dehamer.com",
        issuer: GITHUB_OAUTH,
        verifies: true,
    },
    // The same envelope with a second signature: a bundle's DSSE envelope has exactly one.
    Asset {
        bundle: "dsse-2sigs.sigstore.json",
        artifact: Signed::Digest(SLSA_PROVENANCE_TGZ),
        trusted_root: PUBLIC_GOOD,
        identity: "brian@dehamer.com",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
    // sigstore-js 2.0.0's npm provenance, signed by its release workflow.
    Asset {
        bundle: "sigstore.js@2.0.0-provenance.sigstore.json",
        artifact: Signed::Digest(
            "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c",
        ),
        trusted_root: PUBLIC_GOOD,
        identity: "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main",
        issuer: ACTIONS,
        verifies: true,
    },
    // The right bundle, another signer: the identity policy must reject it.
    Asset {
        bundle: "sigstore.js@2.0.0-provenance.sigstore.json",
        artifact: Signed::Digest(
            "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c",
        ),
        trusted_root: PUBLIC_GOOD,
        identity: "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/other",
        issuer: ACTIONS,
        verifies: false,
    },
    // The right signer, another artifact.
    Asset {
        bundle: "dsse.sigstore.json",
        artifact: Signed::Digest(
            "sha512:46d4e2f74c4877316640000a6fdf8a8b59f1e0847667973e9859f774dd31b8f1e0937813b777fb66a2ac67d50540fe34640966eee9fc2ccca387082b4c85cd3c",
        ),
        trusted_root: PUBLIC_GOOD,
        identity: "brian@dehamer.com",
        issuer: GITHUB_OAUTH,
        verifies: false,
    },
];

#[test]
fn sigstore_go_bundles_get_their_verdicts() {
    let Some(data) = vouch_test_support::data_dir() else {
        return;
    };
    let wrong = wrong_verdicts(&data, GO, GO_ASSETS);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

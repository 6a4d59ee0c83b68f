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

/// What the bundle signs: a file next to it, or a `sha256:HEX` digest as given on the command line.
enum Signed {
    File(&'static str),
    Sha256(&'static str),
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
        artifact: Signed::Sha256(
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

fn verify_asset(data: &Path, asset: &Asset) -> Result<(), Box<dyn std::error::Error>> {
    let trust_root = TrustRoot::read_file(&data.join(asset.trusted_root))?;
    let directory = data.join(PYTHON);
    let bundle = std::fs::read(directory.join(asset.bundle))?;
    let bytes;
    let artifact = match asset.artifact {
        Signed::File(name) => {
            bytes = std::fs::read(directory.join(name))?;
            ArtifactInput::Bytes(&bytes)
        }
        Signed::Sha256(digest) => ArtifactInput::from_sha256_argument(digest)
            .ok_or("the asset table holds a malformed sha256 digest")?,
    };
    let requirement = Requirement::Identity(IdentityPolicy::exact(asset.identity, asset.issuer));
    SigstoreVerifier::new(&trust_root)?.verify(artifact, &bundle, &requirement)?;
    Ok(())
}

#[test]
fn sigstore_python_assets_get_the_verdict_their_names_imply() {
    let Some(data) = vouch_test_support::data_dir() else {
        return;
    };
    let wrong: Vec<String> = ASSETS
        .iter()
        .filter_map(|asset| match (asset.verifies, verify_asset(&data, asset)) {
            (true, Err(error)) => Some(format!("{}: rejected: {error}", asset.bundle)),
            (false, Ok(())) => Some(format!("{}: verified", asset.bundle)),
            _ => None,
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

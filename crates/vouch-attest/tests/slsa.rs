//! SLSA provenance verification against slsa-verifier's own test data: every GitHub Actions
//! provenance file gets the verdict slsa-verifier gives it, and each check rejects with its
//! own error.
//!
//! The artifacts were not copied with the test data, so each case's artifact digest is the one
//! its statement records (the data's README says to do so); the wrong-artifact case below
//! shows the digest is checked.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use vouch_attest::sigstore::{SigstoreVerifier, TrustRoot};
use vouch_attest::slsa::{
    ExpectedArtifact, ProvenanceOptions, SlsaError, VerifiedProvenance, verify_provenance,
};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const EXAMPLE_PACKAGE: &str = "github.com/slsa-framework/example-package";
const WORKFLOWS: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows";
const RULES_LINT: &str = "github.com/aspect-build/rules_lint";
const PUBLISH_TO_BCR: &str =
    "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml";
const RELEASE_RULESET: &str =
    "https://github.com/bazel-contrib/.github/.github/workflows/release_ruleset.yaml";
const NPM_CLI_GITHUB_HOSTED: &str = "https://github.com/actions/runner/github-hosted";
const NPM_CLI_LEGACY: &str = "https://github.com/actions/runner";
const NODEJS_BUILDER: &str = "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_nodejs_slsa3.yml";

/// A Sigstore bundle v0.3 of SLSA v0.2 provenance from the Go builder v2.1.0, for the tag v14.
const GO_V14: &str =
    "cli/slsa-verifier/testdata/gha_go/v2.1.0/binary-linux-amd64-push-v14.intoto.jsonl";
/// A Sigstore bundle v0.2 of SLSA v1 provenance from the Maven builder v2.1.0 (signed by the
/// BYOB delegator), for the tag v14.
const MAVEN_V14: &str =
    "cli/slsa-verifier/testdata/gha_maven/v2.1.0/binary-linux-amd64-push-v14.build.slsa";

fn testdata() -> Option<PathBuf> {
    vouch_test_support::data_path("slsa-verifier-testdata")
}

fn verifier() -> Result<SigstoreVerifier, Box<dyn std::error::Error>> {
    Ok(SigstoreVerifier::new(&TrustRoot::production()?)?)
}

/// The verdict slsa-verifier gives a file under the options of its test table.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Verified {
        builder_id: String,
        source_ref: String,
    },
    Rejected(&'static str),
}

struct Case {
    source: &'static str,
    tag: Option<String>,
    branch: Option<String>,
    builder_id: Option<&'static str>,
    verdict: Verdict,
}

fn rejected(source: &'static str, builder_id: Option<&'static str>, check: &'static str) -> Case {
    Case {
        source,
        tag: None,
        branch: None,
        builder_id,
        verdict: Verdict::Rejected(check),
    }
}

/// The error variant's name: the check that failed.
fn check_name(error: &SlsaError) -> &'static str {
    match error {
        SlsaError::Document { .. } => "Document",
        SlsaError::Empty => "Empty",
        SlsaError::InvalidSourceUri { .. } => "InvalidSourceUri",
        SlsaError::InvalidBuilderId { .. } => "InvalidBuilderId",
        SlsaError::TransparencyLogLookupRequired => "TransparencyLogLookupRequired",
        SlsaError::Signature(_) => "Signature",
        SlsaError::NotKeyless => "NotKeyless",
        SlsaError::Certificate { .. } => "Certificate",
        SlsaError::Issuer { .. } => "Issuer",
        SlsaError::UntrustedBuilder { .. } => "UntrustedBuilder",
        SlsaError::BuilderRef { .. } => "BuilderRef",
        SlsaError::BuilderMismatch { .. } => "BuilderMismatch",
        SlsaError::SourceMismatch { .. } => "SourceMismatch",
        SlsaError::SourceInconsistent { .. } => "SourceInconsistent",
        SlsaError::SubjectDigestMismatch { .. } => "SubjectDigestMismatch",
        SlsaError::TagMismatch { .. } => "TagMismatch",
        SlsaError::BranchMismatch { .. } => "BranchMismatch",
        SlsaError::PredicateType { .. } => "PredicateType",
        SlsaError::Predicate { .. } => "Predicate",
        SlsaError::NpmAttestations { .. } => "NpmAttestations",
        SlsaError::MissingBuilderId => "MissingBuilderId",
        SlsaError::Runner { .. } => "Runner",
        SlsaError::PublishSignature(_) => "PublishSignature",
        SlsaError::RegistryKey { .. } => "RegistryKey",
        SlsaError::CertificateMismatch { .. } => "CertificateMismatch",
        SlsaError::UnverifiableClaim { .. } => "UnverifiableClaim",
    }
}

/// What slsa-verifier's tests expect of `relative` (a path under the test data), or `None`
/// for files that are not GitHub Actions provenance (GCB, VSA, artifacts).
fn case(relative: &str, document: &Value) -> Option<Case> {
    if document.get("attestations").is_some() {
        return npm_case(relative);
    }
    let is_provenance = [".intoto.jsonl", ".sigstore", ".slsa"]
        .iter()
        .any(|extension| relative.ends_with(extension));
    if !is_provenance || relative.contains("/vsa/") {
        return None;
    }
    // A bare DSSE envelope needs its Rekor entry, which slsa-verifier fetches online.
    if document.get("payloadType").is_some() {
        return Some(rejected(
            EXAMPLE_PACKAGE,
            None,
            "TransparencyLogLookupRequired",
        ));
    }
    let file = relative.rsplit('/').next()?;
    if relative.contains("/bcr/") {
        return Some(match file {
            "MODULE.bazel.intoto.jsonl" => Case {
                source: RULES_LINT,
                tag: None,
                branch: Some("publish-to-bcr".to_owned()),
                builder_id: Some(PUBLISH_TO_BCR),
                verdict: Verdict::Verified {
                    builder_id: format!("{PUBLISH_TO_BCR}@refs/tags/v0.0.1"),
                    source_ref: "refs/heads/publish-to-bcr".to_owned(),
                },
            },
            "rules_lint-v1.3.1.tar.gz.intoto.jsonl" => Case {
                source: RULES_LINT,
                tag: None,
                branch: None,
                builder_id: Some(RELEASE_RULESET),
                verdict: Verdict::Verified {
                    builder_id: format!("{RELEASE_RULESET}@refs/tags/v7.1.0"),
                    source_ref: "refs/heads/publish-to-bcr".to_owned(),
                },
            },
            // Signed by loosebazooka/aa-test's workflow, not publish-to-bcr's.
            _ => rejected(RULES_LINT, Some(PUBLISH_TO_BCR), "BuilderMismatch"),
        });
    }
    if relative.contains("/gha/testdata/bundle/") {
        let check = match file {
            // Corrupted DSSE signature, SET, and a log entry for another envelope.
            "invalid-dsse-sig.intoto.sigstore"
            | "invalid-set.intoto.sigstore"
            | "mismatch-tlog.intoto.sigstore" => "Signature",
            // Signed by laurentsimon/slsa-delegator, and by builder_docker-based: neither trusted.
            "attestation.intoto.sigstore" | "valid.intoto.sigstore" => "UntrustedBuilder",
            // A trusted builder, but at refs/heads/main: only release tags are trusted.
            _ => "BuilderRef",
        };
        return Some(rejected(EXAMPLE_PACKAGE, None, check));
    }
    // gha_<builder>/<builder version>/<name>: a build of example-package at a tag named in the
    // file name, or of main by workflow_dispatch.
    let mut segments = relative.rsplit('/');
    let (_, version, builder) = (segments.next()?, segments.next()?, segments.next()?);
    let workflow = match builder {
        "gha_container-based" => "builder_container-based_slsa3.yml",
        "gha_generic" => "generator_generic_slsa3.yml",
        "gha_go" => "builder_go_slsa3.yml",
        // Signed by the BYOB delegator; the provenance names the Maven builder.
        "gha_maven" => "builder_maven_slsa3.yml",
        _ => return None,
    };
    let stem = [
        ".intoto.build.slsa",
        ".build.slsa",
        ".intoto.sigstore",
        ".intoto.jsonl",
    ]
    .iter()
    .find_map(|extension| file.strip_suffix(extension))?;
    let (tag, branch, source_ref) = if stem.ends_with("workflow_dispatch") {
        (None, Some("main".to_owned()), "refs/heads/main".to_owned())
    } else {
        let tag = format!("v{}", stem.rsplit_once("-v")?.1);
        let source_ref = format!("refs/tags/{tag}");
        (Some(tag), None, source_ref)
    };
    Some(Case {
        source: EXAMPLE_PACKAGE,
        tag,
        branch,
        builder_id: None,
        verdict: Verdict::Verified {
            builder_id: format!("{WORKFLOWS}/{workflow}@refs/tags/{version}"),
            source_ref,
        },
    })
}

/// npm attestation sets: `cli/.../npm/gha/` has five packages, each also with its provenance
/// (`invalidsigprov`) and its publish attestation (`invalidsigpub`) signature broken; the
/// `verifiers/.../npm-*` sets were edited after signing, or carry certificates too old to say
/// which runner the build ran on.
fn npm_case(relative: &str) -> Option<Case> {
    let file = relative.rsplit('/').next()?;
    let (source, builder_id): (&'static str, &'static str) = if file.starts_with("gundam-visor") {
        (
            "github.com/ramonpetgrave64/gundam-visor",
            NPM_CLI_GITHUB_HOSTED,
        )
    } else if file.starts_with("provenance-npm-test-cli-v1") {
        ("github.com/sigstore/sigstore-js", NPM_CLI_GITHUB_HOSTED)
    } else if file.starts_with("supreme-googles") {
        (
            "github.com/trishankatdatadog/supreme-goggles",
            NPM_CLI_GITHUB_HOSTED,
        )
    } else if file.starts_with("provenance-npm-test-ossf") {
        (
            "github.com/laurentsimon/provenance-npm-test",
            NODEJS_BUILDER,
        )
    } else {
        (
            "github.com/laurentsimon/provenance-npm-test",
            NPM_CLI_GITHUB_HOSTED,
        )
    };
    let verified = |builder_id: String, source_ref: &str| Verdict::Verified {
        builder_id,
        source_ref: source_ref.to_owned(),
    };
    let verdict = match file {
        _ if file.contains("-invalidsigprov") => Verdict::Rejected("Signature"),
        _ if file.contains("-invalidsigpub") => Verdict::Rejected("PublishSignature"),
        "gundam-visor-cli-v1-tag.tgz.json" => {
            verified(NPM_CLI_GITHUB_HOSTED.to_owned(), "refs/tags/v1.0.1")
        }
        "provenance-npm-test-cli-v02-prega.tgz.json" => {
            verified(NPM_CLI_LEGACY.to_owned(), "refs/heads/main")
        }
        "provenance-npm-test-cli-v1-prega.tgz.json" => {
            verified(NPM_CLI_GITHUB_HOSTED.to_owned(), "refs/heads/main")
        }
        "provenance-npm-test-ossf.tgz.json" => verified(
            format!("{NODEJS_BUILDER}@refs/tags/v1.6.0"),
            "refs/heads/main",
        ),
        "supreme-googles-cli-v02-tag.tgz.json" => {
            verified(NPM_CLI_LEGACY.to_owned(), "refs/tags/v1.0.5")
        }
        // A payload type or statement of the provenance edited after signing.
        "npm-att-mismatch-prov-payloadtype.intoto.sigstore"
        | "npm-att-mismatch-pub-payloadtype.intoto.sigstore"
        | "npm-att-prov-invalid-signature.intoto.sigstore"
        | "npm-stmt-mismatch-prov-predicatetype.intoto.sigstore"
        | "npm-stmt-mismatch-prov-type.intoto.sigstore" => Verdict::Rejected("Signature"),
        // The set's predicate type misspelt: no provenance, or no publish attestation.
        "npm-att-mismatch-prov-predicatetype.intoto.sigstore"
        | "npm-att-mismatch-pub-predicatetype.intoto.sigstore" => {
            Verdict::Rejected("NpmAttestations")
        }
        // Certificates from before Fulcio recorded the runner environment: an npm CLI build's
        // runner cannot be checked, which slsa-verifier refuses.
        _ => Verdict::Rejected("Runner"),
    };
    Some(Case {
        source,
        tag: None,
        branch: None,
        builder_id: Some(builder_id),
        verdict,
    })
}

/// The document of a file: the whole file, or its first line.
fn first_document(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    serde_json::from_slice(bytes).or_else(|_| {
        let first = bytes
            .split(|byte| *byte == b'\n')
            .next()
            .unwrap_or_default();
        serde_json::from_slice(first)
    })
}

/// The envelope of a bundle, a bare envelope, or an npm set's provenance bundle.
fn envelope(document: &Value) -> &Value {
    let npm_provenance = document
        .get("attestations")
        .and_then(Value::as_array)
        .and_then(|attestations| attestations.first())
        .and_then(|provenance| provenance.get("bundle"));
    let bundle = npm_provenance.unwrap_or(document);
    bundle.get("dsseEnvelope").unwrap_or(bundle)
}

/// The statement's first subject digest, as `sha256:HEX` or (npm) `sha512:HEX`.
fn first_subject_digest(document: &Value) -> Result<String, Box<dyn std::error::Error>> {
    let payload = envelope(document)
        .get("payload")
        .and_then(Value::as_str)
        .ok_or("no payload")?;
    let statement: Value = serde_json::from_slice(&STANDARD.decode(payload)?)?;
    ["sha256", "sha512"]
        .iter()
        .find_map(|algorithm| {
            statement
                .pointer(&format!("/subject/0/digest/{algorithm}"))
                .and_then(Value::as_str)
                .map(|digest| format!("{algorithm}:{digest}"))
        })
        .ok_or_else(|| "no sha256 or sha512 subject".into())
}

fn relative_files(root: &Path) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut files = Vec::new();
    let mut directories = vec![root.to_path_buf()];
    while let Some(directory) = directories.pop() {
        for entry in std::fs::read_dir(&directory)? {
            let path = entry?.path();
            if path.is_dir() {
                directories.push(path);
            } else {
                let relative = path.strip_prefix(root)?.to_string_lossy().into_owned();
                files.push(relative);
            }
        }
    }
    files.sort();
    Ok(files)
}

fn options(
    digest: &str,
    source: &str,
    tag: Option<&str>,
    branch: Option<&str>,
    builder_id: Option<&str>,
) -> Result<ProvenanceOptions, Box<dyn std::error::Error>> {
    Ok(ProvenanceOptions {
        artifact: ExpectedArtifact::from_digest_argument(digest).ok_or("bad digest")?,
        source_uri: source.to_owned(),
        source_tag: tag.map(str::to_owned),
        source_branch: branch.map(str::to_owned),
        builder_id: builder_id.map(str::to_owned),
    })
}

#[test]
fn every_github_actions_provenance_file_gets_slsa_verifiers_verdict() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let verifier = verifier()?;
    let mut wrong = Vec::new();
    let mut tally: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut not_provenance = 0;
    for relative in relative_files(&root)? {
        let bytes = std::fs::read(root.join(&relative))?;
        let document = first_document(&bytes).unwrap_or(Value::Null);
        let Some(case) = case(&relative, &document) else {
            not_provenance += 1;
            continue;
        };
        let digest = first_subject_digest(&document)?;
        let options = options(
            &digest,
            case.source,
            case.tag.as_deref(),
            case.branch.as_deref(),
            case.builder_id,
        )?;
        let verdict = match verify_provenance(&verifier, &bytes, &options) {
            Ok(VerifiedProvenance {
                builder_id,
                source_ref,
                ..
            }) => Verdict::Verified {
                builder_id,
                source_ref,
            },
            Err(error) => Verdict::Rejected(check_name(&error)),
        };
        let name = match &verdict {
            Verdict::Verified { .. } => "Verified",
            Verdict::Rejected(check) => check,
        };
        *tally.entry(name).or_default() += 1;
        if verdict != case.verdict {
            wrong.push(format!(
                "{relative}: expected {:?}, got {verdict:?}",
                case.verdict
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let expected: BTreeMap<&str, usize> = [
        // 24 container-based, 16 Maven, 4 generic and 4 Go bundles, 2 bcr bundles, 5 npm
        // packages.
        ("Verified", 55),
        ("TransparencyLogLookupRequired", 117),
        // 3 bundles and 10 npm sets.
        ("Signature", 13),
        ("PublishSignature", 5),
        ("NpmAttestations", 2),
        ("Runner", 6),
        ("UntrustedBuilder", 2),
        ("BuilderRef", 1),
        ("BuilderMismatch", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(tally, expected);
    // GCB (76) and VSA (2) files, the artifacts, OCI layouts and digests (55), and LICENSE
    // and SOURCE.txt.
    assert_eq!(not_provenance, 135);
    Ok(())
}

/// Verifies `relative` with the options `configure` sets on top of the matching ones.
fn verify_with(
    root: &Path,
    relative: &str,
    configure: impl FnOnce(&mut ProvenanceOptions),
) -> Result<Result<VerifiedProvenance, SlsaError>, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(root.join(relative))?;
    let digest = first_subject_digest(&first_document(&bytes)?)?;
    let mut options = options(&digest, EXAMPLE_PACKAGE, Some("v14"), None, None)?;
    configure(&mut options);
    Ok(verify_provenance(&verifier()?, &bytes, &options))
}

#[test]
fn go_builder_bundle_reports_builder_source_and_subject() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_with(&root, GO_V14, |_| {})?;
    assert_eq!(
        result?,
        VerifiedProvenance {
            builder_id: format!("{WORKFLOWS}/builder_go_slsa3.yml@refs/tags/v2.1.0"),
            source_uri: "git+https://github.com/slsa-framework/example-package".to_owned(),
            source_ref: "refs/tags/v14".to_owned(),
            predicate_type: "https://slsa.dev/provenance/v0.2".to_owned(),
            subjects: vec!["gha_go-binary-linux-amd64-v14".to_owned()],
            line: 1,
        }
    );
    Ok(())
}

#[test]
fn builder_id_without_ref_matches_any_trusted_ref_and_with_ref_only_that_one() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let go = format!("{WORKFLOWS}/builder_go_slsa3.yml");
    for accepted in [
        go.clone(),
        format!("{go}@v2.1.0"),
        format!("{go}@refs/tags/v2.1.0"),
    ] {
        let result = verify_with(&root, GO_V14, |options| options.builder_id = Some(accepted))?;
        result?;
    }
    let result = verify_with(&root, GO_V14, |options| {
        options.builder_id = Some(format!("{go}@v2.0.0"))
    })?;
    assert!(matches!(
        result,
        Err(SlsaError::BuilderMismatch {
            checked: "certificate",
            ..
        })
    ));
    Ok(())
}

#[test]
fn wrong_builder_id_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_with(&root, GO_V14, |options| {
        options.builder_id = Some(format!("{WORKFLOWS}/generator_generic_slsa3.yml"));
    })?;
    match result {
        Err(SlsaError::BuilderMismatch {
            checked,
            expected,
            found,
        }) => {
            assert_eq!(checked, "certificate");
            assert_eq!(expected, format!("{WORKFLOWS}/generator_generic_slsa3.yml"));
            assert_eq!(
                found,
                format!("{WORKFLOWS}/builder_go_slsa3.yml@refs/tags/v2.1.0")
            );
        }
        other => panic!("expected a builder mismatch, got {other:?}"),
    }
    Ok(())
}

#[test]
fn delegated_maven_build_matches_the_builder_named_in_the_provenance() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let maven = format!("{WORKFLOWS}/builder_maven_slsa3.yml");
    let result = verify_with(&root, MAVEN_V14, |options| {
        options.builder_id = Some(format!("{maven}@v2.1.0"));
    })?;
    let verified = result?;
    assert_eq!(verified.builder_id, format!("{maven}@refs/tags/v2.1.0"));
    assert_eq!(verified.predicate_type, "https://slsa.dev/provenance/v1");
    assert_eq!(verified.subjects, ["test-java-project-1.23.90.jar"]);
    let result = verify_with(&root, MAVEN_V14, |options| {
        options.builder_id = Some(format!("{maven}@v2.0.0"));
    })?;
    assert!(matches!(
        result,
        Err(SlsaError::BuilderMismatch {
            checked: "provenance",
            ..
        })
    ));
    Ok(())
}

#[test]
fn wrong_source_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_with(&root, GO_V14, |options| {
        options.source_uri = "github.com/slsa-framework/example-package-fork".to_owned();
    })?;
    match result {
        Err(SlsaError::SourceMismatch {
            checked,
            expected,
            found,
        }) => {
            assert_eq!(checked, "certificate");
            assert_eq!(expected, "slsa-framework/example-package-fork");
            assert_eq!(found, "slsa-framework/example-package");
        }
        other => panic!("expected a source mismatch, got {other:?}"),
    }
    Ok(())
}

#[test]
fn wrong_tag_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_with(&root, GO_V14, |options| {
        options.source_tag = Some("v14.2".to_owned())
    })?;
    match result {
        Err(SlsaError::TagMismatch { expected, found }) => {
            assert_eq!(expected, "v14.2");
            assert_eq!(found.as_deref(), Some("refs/tags/v14"));
        }
        other => panic!("expected a tag mismatch, got {other:?}"),
    }
    Ok(())
}

#[test]
fn wrong_branch_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let dispatch = "cli/slsa-verifier/testdata/gha_go/v2.1.0/binary-linux-amd64-workflow_dispatch.intoto.jsonl";
    let result = verify_with(&root, dispatch, |options| {
        options.source_tag = None;
        options.source_branch = Some("release".to_owned());
    })?;
    match result {
        Err(SlsaError::BranchMismatch { expected, found }) => {
            assert_eq!(expected, "release");
            assert_eq!(found.as_deref(), Some("refs/heads/main"));
        }
        other => panic!("expected a branch mismatch, got {other:?}"),
    }
    // A tag build's branch is the one the tag was pushed from: the push event's base_ref.
    let result = verify_with(&root, GO_V14, |options| {
        options.source_branch = Some("main".to_owned());
    })?;
    assert_eq!(result?.source_ref, "refs/tags/v14");
    Ok(())
}

#[test]
fn wrong_artifact_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    // SHA-256 of the empty file: the container-based builds' artifact, not the Go binary.
    let empty = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    let wrong = ExpectedArtifact::from_digest_argument(empty).ok_or("bad digest")?;
    let result = verify_with(&root, GO_V14, |options| options.artifact = wrong)?;
    match result {
        Err(SlsaError::SubjectDigestMismatch { expected, found }) => {
            assert_eq!(expected, empty);
            assert_eq!(
                found,
                "gha_go-binary-linux-amd64-v14 sha256:f6ab7ad0c7549b5a4942c3b0690519d791c28c4c0f8b286208cb40da3322a066"
            );
        }
        other => panic!("expected a subject digest mismatch, got {other:?}"),
    }
    Ok(())
}

/// Verifies `relative` after `tamper` edits its (single) bundle.
fn verify_tampered(
    relative: &str,
    tamper: impl FnOnce(&mut Value) -> Option<()>,
) -> Result<Option<Result<VerifiedProvenance, SlsaError>>, Box<dyn std::error::Error>> {
    let Some(root) = testdata() else {
        return Ok(None);
    };
    let mut bundle = first_document(&std::fs::read(root.join(relative))?)?;
    let digest = first_subject_digest(&bundle)?;
    tamper(&mut bundle).ok_or("the field to tamper with is missing")?;
    let options = options(&digest, EXAMPLE_PACKAGE, None, None, None)?;
    Ok(Some(verify_provenance(
        &verifier()?,
        &serde_json::to_vec(&bundle)?,
        &options,
    )))
}

/// Flips one bit of the byte at `index` of a base64 field.
fn flip_base64(field: &mut Value, index: usize) -> Option<()> {
    let mut bytes = STANDARD.decode(field.as_str()?).ok()?;
    *bytes.get_mut(index)? ^= 0x01;
    *field = Value::String(STANDARD.encode(bytes));
    Some(())
}

#[test]
fn flipped_payload_signature_or_certificate_byte_is_rejected() -> TestResult {
    // The untouched bundle verifies, so each rejection below is the flip's doing.
    let Some(untouched) = verify_tampered(GO_V14, |_| Some(()))? else {
        return Ok(());
    };
    untouched?;
    type Tamper = fn(&mut Value) -> Option<()>;
    let tampers: [(&str, Tamper); 3] = [
        ("payload", |bundle| {
            // Inside the predicate, so the subject used for the binding is unchanged.
            flip_base64(bundle.pointer_mut("/dsseEnvelope/payload")?, 400)
        }),
        ("signature", |bundle| {
            flip_base64(bundle.pointer_mut("/dsseEnvelope/signatures/0/sig")?, 20)
        }),
        ("certificate", |bundle| {
            flip_base64(
                bundle.pointer_mut("/verificationMaterial/certificate/rawBytes")?,
                300,
            )
        }),
    ];
    for (field, tamper) in tampers {
        let Some(result) = verify_tampered(GO_V14, tamper)? else {
            return Ok(());
        };
        assert!(
            matches!(result, Err(SlsaError::Signature(_))),
            "flipped {field}: {result:?}"
        );
    }
    Ok(())
}

#[test]
fn first_line_that_verifies_decides() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let valid = std::fs::read(root.join(GO_V14))?;
    let mut tampered = first_document(&valid)?;
    flip_base64(
        tampered
            .pointer_mut("/dsseEnvelope/signatures/0/sig")
            .ok_or("no signature")?,
        20,
    )
    .ok_or("cannot flip")?;
    let tampered = serde_json::to_vec(&tampered)?;
    let digest = first_subject_digest(&first_document(&valid)?)?;
    let options = options(&digest, EXAMPLE_PACKAGE, Some("v14"), None, None)?;
    let verifier = verifier()?;

    let mut tampered_then_valid = tampered.clone();
    tampered_then_valid.push(b'\n');
    tampered_then_valid.extend_from_slice(&valid);
    assert_eq!(
        verify_provenance(&verifier, &tampered_then_valid, &options)?.line,
        2
    );

    // No line verifies: the first line's error is reported.
    let mut tampered_twice = tampered.clone();
    tampered_twice.push(b'\n');
    tampered_twice.extend_from_slice(&tampered);
    assert!(matches!(
        verify_provenance(&verifier, &tampered_twice, &options),
        Err(SlsaError::Signature(_))
    ));
    Ok(())
}

#[test]
fn bare_envelope_needs_the_transparency_log() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let relative =
        "cli/slsa-verifier/testdata/gha_generic/v1.2.1/binary-linux-amd64-push-v14.intoto.jsonl";
    let bytes = std::fs::read(root.join(relative))?;
    let digest = first_subject_digest(&first_document(&bytes)?)?;
    let options = options(&digest, EXAMPLE_PACKAGE, Some("v14"), None, None)?;
    assert!(matches!(
        verify_provenance(&verifier()?, &bytes, &options),
        Err(SlsaError::TransparencyLogLookupRequired)
    ));
    Ok(())
}

const SUPREME_GOGGLES: &str =
    "cli/slsa-verifier/testdata/npm/gha/supreme-googles-cli-v02-tag.tgz.json";

/// Verifies supreme-goggles 1.0.5's npm attestations with the options `configure` sets on top
/// of the matching ones.
fn verify_npm_with(
    root: &Path,
    configure: impl FnOnce(&mut ProvenanceOptions),
) -> Result<Result<VerifiedProvenance, SlsaError>, Box<dyn std::error::Error>> {
    let bytes = std::fs::read(root.join(SUPREME_GOGGLES))?;
    let digest = first_subject_digest(&first_document(&bytes)?)?;
    let mut options = options(
        &digest,
        "github.com/trishankatdatadog/supreme-goggles",
        Some("v1.0.5"),
        None,
        Some(NPM_CLI_GITHUB_HOSTED),
    )?;
    configure(&mut options);
    Ok(verify_provenance(&verifier()?, &bytes, &options))
}

#[test]
fn npm_package_provenance_and_publish_attestation_verify() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_npm_with(&root, |_| {})?;
    assert_eq!(
        result?,
        VerifiedProvenance {
            builder_id: NPM_CLI_LEGACY.to_owned(),
            source_uri: "git+https://github.com/trishankatdatadog/supreme-goggles".to_owned(),
            source_ref: "refs/tags/v1.0.5".to_owned(),
            predicate_type: "https://slsa.dev/provenance/v0.2".to_owned(),
            subjects: vec!["pkg:npm/%40trishankatdatadog/supreme-goggles@1.0.5".to_owned()],
            line: 1,
        }
    );
    Ok(())
}

#[test]
fn npm_provenance_needs_the_builder_id_and_its_runner() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let result = verify_npm_with(&root, |options| options.builder_id = None)?;
    assert!(matches!(result, Err(SlsaError::MissingBuilderId)));
    let result = verify_npm_with(&root, |options| {
        options.builder_id = Some("https://github.com/actions/runner/self-hosted".to_owned());
    })?;
    match result {
        Err(SlsaError::Runner { expected, found }) => {
            assert_eq!(expected, "self-hosted");
            assert_eq!(found.as_deref(), Some("github-hosted"));
        }
        other => panic!("expected a runner mismatch, got {other:?}"),
    }
    let result = verify_npm_with(&root, |options| {
        options.builder_id = Some(format!("{WORKFLOWS}/generator_generic_slsa3.yml"));
    })?;
    assert!(matches!(result, Err(SlsaError::UntrustedBuilder { .. })));
    Ok(())
}

#[test]
fn npm_package_with_another_tarball_digest_is_rejected() -> TestResult {
    let Some(root) = testdata() else {
        return Ok(());
    };
    let other = format!("sha512:{}", "ab".repeat(64));
    let wrong = ExpectedArtifact::from_digest_argument(&other).ok_or("bad digest")?;
    let result = verify_npm_with(&root, |options| options.artifact = wrong)?;
    assert!(matches!(
        result,
        Err(SlsaError::SubjectDigestMismatch { .. })
    ));
    Ok(())
}

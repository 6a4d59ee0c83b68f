//! npm package provenance (`npm view PKG dist.attestations`): a keyless SLSA provenance bundle
//! and a publish attestation the npm registry signed, checked as slsa-verifier's
//! `verify-npm-package` checks them.
//!
//! Provenance from the npm CLI on a plain GitHub runner is not made by a trusted builder: its
//! fields could say anything, so each one the certificate also records must agree with it
//! (slsa-verifier's `provenance_forgeable.go`). slsa-verifier leaves the v1 fields of that check
//! to do (its issue #566); vouch checks the v1 counterparts of the same claims.

use serde_json::{Map, Value};
use sigstore_verify::crypto::FulcioCiClaims;

use super::identity::{self, BuilderId, GITHUB_ACTIONS_ISSUER};
use super::provenance::{PROVENANCE_V1, PROVENANCE_V02, Provenance};
use super::{Expected, SlsaError, VerifiedProvenance};
use crate::keys::PublicKey;
use crate::sigstore::{Requirement, SigstoreVerifier};

const PUBLISH_PREDICATE_PREFIX: &str =
    "https://github.com/npm/attestation/tree/main/specs/publish/";

/// The builder id the npm CLI records on a GitHub-hosted runner, before and after it started
/// naming the runner kind, and on a self-hosted runner.
const NPM_CLI_LEGACY: &str = "https://github.com/actions/runner";
const NPM_CLI_GITHUB_HOSTED: &str = "https://github.com/actions/runner/github-hosted";
const NPM_CLI_SELF_HOSTED: &str = "https://github.com/actions/runner/self-hosted";

/// The registry's publish-attestation keys by key id: the `npm:attestations` entries of
/// `registry.npmjs.org/keys.json`, which slsa-verifier reads from Sigstore's TUF repository.
/// Pinned here because offline there is no TUF client to fetch them.
const REGISTRY_KEYS: [(&str, &str); 1] = [(
    "SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA",
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE1Olb3zMAFFxXKHiIkQO5cJ3Yhl5i6UPp+IhuteBJbuHcA5UogKo0EWtlWwW6KSaKoTNEYL7JlCQiVnkhBktUgg==",
)];

/// The provenance and publish bundles of an npm attestation set, as JSON.
pub(crate) struct NpmAttestations {
    provenance: Vec<u8>,
    provenance_payload: Vec<u8>,
    publish: Vec<u8>,
    publish_payload: Vec<u8>,
    publish_key_hint: String,
}

impl NpmAttestations {
    /// Picks the provenance (SLSA v0.2 or v1) and publish attestations out of the set.
    pub(crate) fn parse(set: &Map<String, Value>) -> Result<Self, SlsaError> {
        let invalid = |reason: String| SlsaError::NpmAttestations { reason };
        let attestations = set
            .get("attestations")
            .and_then(Value::as_array)
            .filter(|attestations| attestations.len() >= 2)
            .ok_or_else(|| invalid("expected a list of at least two attestations".to_owned()))?;
        let mut provenance = None;
        let mut publish = None;
        for attestation in attestations {
            let predicate_type = attestation.get("predicateType").and_then(Value::as_str);
            let bundle = attestation.get("bundle");
            match (predicate_type, bundle) {
                (Some(PROVENANCE_V02 | PROVENANCE_V1), Some(bundle)) => provenance = Some(bundle),
                (Some(predicate_type), Some(bundle))
                    if predicate_type.starts_with(PUBLISH_PREDICATE_PREFIX) =>
                {
                    publish = Some(bundle);
                }
                _ => {}
            }
        }
        let (Some(provenance), Some(publish)) = (provenance, publish) else {
            return Err(invalid(
                "expected a SLSA provenance and an npm publish attestation".to_owned(),
            ));
        };
        let publish_key_hint = publish
            .pointer("/verificationMaterial/publicKey/hint")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid("the publish attestation names no registry key".to_owned()))?
            .to_owned();
        Ok(Self {
            provenance_payload: envelope_payload(provenance, "provenance")?,
            provenance: bundle_json(provenance)?,
            publish_payload: envelope_payload(publish, "publish")?,
            publish: bundle_json(publish)?,
            publish_key_hint,
        })
    }
}

fn bundle_json(bundle: &Value) -> Result<Vec<u8>, SlsaError> {
    serde_json::to_vec(bundle).map_err(|error| SlsaError::NpmAttestations {
        reason: error.to_string(),
    })
}

fn envelope_payload(bundle: &Value, which: &str) -> Result<Vec<u8>, SlsaError> {
    let payload = bundle
        .pointer("/dsseEnvelope/payload")
        .and_then(Value::as_str)
        .ok_or_else(|| SlsaError::NpmAttestations {
            reason: format!("the {which} attestation carries no DSSE payload"),
        })?;
    crate::encoding::decode_base64(payload).map_err(|error| SlsaError::NpmAttestations {
        reason: format!("the {which} attestation's payload is not base64: {error}"),
    })
}

/// Verifies an npm attestation set, in slsa-verifier's order: the provenance signature, the
/// builder and source, the publish attestation's signature and digest, then the statements'
/// types.
pub(crate) fn verify(
    verifier: &SigstoreVerifier,
    attestations: &NpmAttestations,
    line: usize,
    expected: &Expected<'_>,
) -> Result<VerifiedProvenance, SlsaError> {
    let provenance = Provenance::parse(&attestations.provenance_payload)?;
    let signer = super::verify_keyless(verifier, &attestations.provenance, &provenance)?;
    let builder_id = verify_builder(&provenance, &signer, expected)?;
    let (source_ref, subjects) =
        super::verify_source_and_subject(&provenance, expected.options, expected.source)?;
    if !builder_id.trusted {
        verify_matches_certificate(&provenance, &signer.identity, &signer.claims)?;
    }

    let publish = Provenance::parse(&attestations.publish_payload)?;
    let key = registry_key(&attestations.publish_key_hint)?;
    let binding = super::binding_digest(&publish)?;
    verifier
        .verify(binding, &attestations.publish, &Requirement::Key(key))
        .map_err(SlsaError::PublishSignature)?;
    super::verify_subject(&publish, &expected.options.artifact)?;

    provenance.check_header()?;
    publish.check_statement_type()?;
    if !publish.predicate_type.starts_with(PUBLISH_PREDICATE_PREFIX) {
        return Err(SlsaError::PredicateType {
            found: publish.predicate_type.clone(),
        });
    }
    Ok(VerifiedProvenance {
        builder_id: builder_id.id,
        source_uri: expected.source.to_owned(),
        source_ref,
        predicate_type: provenance.predicate_type.clone(),
        subjects,
        line,
    })
}

/// The builder the provenance names, and whether a trusted builder made it.
struct NpmBuilder {
    id: String,
    trusted: bool,
}

/// The certificate is either a trusted BYOB delegator at a release tag (the slsa-github-generator
/// Node.js builder) or any other workflow, which is the npm CLI on a GitHub runner. Either way the
/// caller names the builder, and the provenance must name the same one.
fn verify_builder(
    provenance: &Provenance,
    signer: &super::KeylessSigner,
    expected: &Expected<'_>,
) -> Result<NpmBuilder, SlsaError> {
    if signer.issuer != GITHUB_ACTIONS_ISSUER {
        return Err(SlsaError::Issuer {
            expected: GITHUB_ACTIONS_ISSUER,
            found: signer.issuer.clone(),
        });
    }
    let certificate = BuilderId::parse(&signer.identity).ok_or_else(|| SlsaError::Certificate {
        reason: format!(
            "the subject alternative name {:?} is not a workflow URL with a ref",
            signer.identity
        ),
    })?;
    let trusted = identity::is_trusted_delegator(&certificate.name);
    if trusted && !identity::is_release_tag_ref(&certificate.version) {
        return Err(SlsaError::BuilderRef {
            builder: certificate.name,
            found: certificate.version,
        });
    }
    super::verify_certificate_source(&signer.claims, expected.source)?;
    let expected_builder = expected.builder.ok_or(SlsaError::MissingBuilderId)?;
    let runner = signer.claims.runner_environment.as_deref();
    if trusted {
        if runner.is_some_and(|runner| runner != "github-hosted") {
            return Err(SlsaError::Runner {
                expected: "github-hosted",
                found: runner.map(str::to_owned),
            });
        }
    } else {
        let required = match expected_builder.full().as_str() {
            NPM_CLI_LEGACY | NPM_CLI_GITHUB_HOSTED => "github-hosted",
            NPM_CLI_SELF_HOSTED => "self-hosted",
            _ => {
                return Err(SlsaError::UntrustedBuilder {
                    found: certificate.full(),
                });
            }
        };
        if runner != Some(required) {
            return Err(SlsaError::Runner {
                expected: required,
                found: runner.map(str::to_owned),
            });
        }
    }
    let found = provenance.builder_id()?;
    let provenance_builder = BuilderId::parse(found);
    if !provenance_builder
        .as_ref()
        .is_some_and(|builder| matches_with_or_without_runner(builder, expected_builder))
    {
        return Err(SlsaError::BuilderMismatch {
            checked: "provenance",
            expected: expected_builder.full(),
            found: found.to_owned(),
        });
    }
    Ok(NpmBuilder {
        id: found.to_owned(),
        trusted,
    })
}

/// Older npm provenance names the GitHub-hosted runner without the `/github-hosted` suffix, so
/// either spelling of the caller's builder id matches either spelling in the provenance.
fn matches_with_or_without_runner(provenance: &BuilderId, expected: &BuilderId) -> bool {
    const HOSTED: &str = "/github-hosted";
    let alternative = match expected.name.strip_suffix(HOSTED) {
        Some(name) => name.to_owned(),
        None => format!("{}{HOSTED}", expected.name),
    };
    provenance.matches(expected, false)
        || provenance.matches(
            &BuilderId {
                name: alternative,
                version: expected.version.clone(),
            },
            false,
        )
}

fn registry_key(hint: &str) -> Result<PublicKey, SlsaError> {
    let unknown = || SlsaError::RegistryKey {
        hint: hint.to_owned(),
    };
    let (_, encoded) = REGISTRY_KEYS
        .iter()
        .find(|(key_id, _)| *key_id == hint)
        .ok_or_else(unknown)?;
    let der = crate::encoding::decode_base64(encoded).map_err(|_| unknown())?;
    PublicKey::from_spki_der(&der).map_err(|_| unknown())
}

/// Every claim of npm CLI provenance that the certificate also makes must agree with it.
fn verify_matches_certificate(
    provenance: &Provenance,
    san: &str,
    claims: &FulcioCiClaims,
) -> Result<(), SlsaError> {
    let certificate = CertificateFacts::new(san, claims)?;
    let subjects = provenance.subjects()?;
    if subjects.len() != 1
        || subjects
            .iter()
            .any(|subject| subject.digest("sha512").is_none())
    {
        return Err(SlsaError::CertificateMismatch {
            field: "subject",
            provenance: format!("{} subjects", subjects.len()),
            certificate: Some("one package with a sha512 digest".to_owned()),
        });
    }
    if provenance.source_count() != Some(1) {
        return Err(SlsaError::CertificateMismatch {
            field: "materials",
            provenance: format!("{:?} entries", provenance.source_count()),
            certificate: Some("the one source repository".to_owned()),
        });
    }
    same(
        "build trigger path",
        provenance.trigger_path()?,
        certificate.build_config_path.as_deref(),
    )?;
    let facts = provenance.npm_cli_facts()?;
    if let Some(invocation) = facts.invocation_id
        && !invocation.is_empty()
    {
        same(
            "invocation id",
            invocation,
            Some(&certificate.invocation_id(facts.invocation_is_url)),
        )?;
    }
    for (name, value) in facts.variables {
        let certificate_value = match name.as_str() {
            "GITHUB_EVENT_NAME" => certificate.trigger.clone(),
            "GITHUB_REF" => certificate.source_ref.clone(),
            "GITHUB_REPOSITORY" => Some(certificate.repository.clone()),
            "GITHUB_REPOSITORY_ID" => certificate.repository_id.clone(),
            "GITHUB_REPOSITORY_OWNER_ID" => certificate.owner_id.clone(),
            "GITHUB_SHA" => certificate.commit.clone(),
            "GITHUB_WORKFLOW_REF" => Some(certificate.workflow_ref.clone()),
            "GITHUB_WORKFLOW_SHA" => certificate.workflow_commit.clone(),
            "GITHUB_RUN_ID" => certificate.run.as_ref().map(|(id, _)| id.clone()),
            "GITHUB_RUN_ATTEMPT" => certificate.run.as_ref().map(|(_, attempt)| attempt.clone()),
            _ => {
                return Err(SlsaError::CertificateMismatch {
                    field: "environment",
                    provenance: name,
                    certificate: None,
                });
            }
        };
        same("environment", &value, certificate_value.as_deref())?;
    }
    Ok(())
}

fn same(field: &'static str, provenance: &str, certificate: Option<&str>) -> Result<(), SlsaError> {
    if certificate == Some(provenance) {
        Ok(())
    } else {
        Err(SlsaError::CertificateMismatch {
            field,
            provenance: provenance.to_owned(),
            certificate: certificate.map(str::to_owned),
        })
    }
}

/// What the certificate says about the workflow run, in the forms the npm CLI records.
struct CertificateFacts {
    repository: String,
    /// The SAN without `https://github.com/`: `owner/repo/.github/workflows/x.yml@ref`.
    workflow_ref: String,
    trigger: Option<String>,
    source_ref: Option<String>,
    repository_id: Option<String>,
    owner_id: Option<String>,
    commit: Option<String>,
    workflow_commit: Option<String>,
    /// The workflow file that ran, relative to the repository.
    build_config_path: Option<String>,
    run_invocation_uri: Option<String>,
    /// Run id and attempt, from `.../actions/runs/ID/attempts/N`.
    run: Option<(String, String)>,
}

impl CertificateFacts {
    fn new(san: &str, claims: &FulcioCiClaims) -> Result<Self, SlsaError> {
        let repository = identity::certificate_repository(
            claims.source_repository_uri.as_deref(),
            claims.deprecated_github.workflow_repository.as_deref(),
        )?;
        let repository_url = format!("https://github.com/{repository}/");
        let build_config_path = claims
            .build_config_uri
            .as_deref()
            .and_then(|uri| uri.split_once('@'))
            .and_then(|(path, _)| path.strip_prefix(&repository_url))
            .map(str::to_owned);
        let run = claims
            .run_invocation_uri
            .as_deref()
            .and_then(|uri| uri.strip_prefix(&format!("{repository_url}actions/runs/")))
            .and_then(|run| {
                let mut parts = run.split('/');
                match (parts.next(), parts.next(), parts.next(), parts.next()) {
                    (Some(id), Some("attempts"), Some(attempt), None) => {
                        Some((id.to_owned(), attempt.to_owned()))
                    }
                    _ => None,
                }
            });
        let deprecated = &claims.deprecated_github;
        Ok(Self {
            workflow_ref: san
                .strip_prefix("https://github.com/")
                .unwrap_or(san)
                .to_owned(),
            trigger: claims
                .build_trigger
                .clone()
                .or_else(|| deprecated.workflow_trigger.clone()),
            source_ref: claims
                .source_repository_ref
                .clone()
                .or_else(|| deprecated.workflow_ref.clone()),
            repository_id: claims.source_repository_identifier.clone(),
            owner_id: claims.source_repository_owner_identifier.clone(),
            commit: claims
                .source_repository_digest
                .clone()
                .or_else(|| deprecated.workflow_sha.clone()),
            workflow_commit: claims.build_signer_digest.clone(),
            build_config_path,
            run_invocation_uri: claims.run_invocation_uri.clone(),
            run,
            repository,
        })
    }

    /// v0.2 records the run as `ID-ATTEMPT`, v1 as the run's URL.
    fn invocation_id(&self, as_url: bool) -> String {
        if as_url {
            return self.run_invocation_uri.clone().unwrap_or_default();
        }
        self.run
            .as_ref()
            .map(|(id, attempt)| format!("{id}-{attempt}"))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_keys_parse_and_unknown_hints_are_refused() -> Result<(), SlsaError> {
        for (key_id, _) in REGISTRY_KEYS {
            registry_key(key_id)?;
        }
        assert!(matches!(
            registry_key("SHA256:unknown"),
            Err(SlsaError::RegistryKey { .. })
        ));
        Ok(())
    }

    /// The claims of supreme-goggles 1.0.5's certificate (slsa-verifier's npm test data), as
    /// npm CLI v0.2 provenance records them.
    fn supreme_goggles() -> (FulcioCiClaims, Value) {
        let mut claims = FulcioCiClaims::default();
        claims.source_repository_uri =
            Some("https://github.com/trishankatdatadog/supreme-goggles".to_owned());
        claims.build_trigger = Some("release".to_owned());
        claims.source_repository_ref = Some("refs/tags/v1.0.5".to_owned());
        claims.source_repository_identifier = Some("636292006".to_owned());
        claims.source_repository_owner_identifier = Some("33133073".to_owned());
        claims.source_repository_digest =
            Some("38ebf99444e033b2f1550c9aaaeacd62d02a12ba".to_owned());
        claims.build_signer_digest = Some("38ebf99444e033b2f1550c9aaaeacd62d02a12ba".to_owned());
        claims.build_config_uri = Some(format!(
            "{REPOSITORY}/.github/workflows/npm-publish.yml@refs/tags/v1.0.5"
        ));
        claims.run_invocation_uri =
            Some(format!("{REPOSITORY}/actions/runs/4994975790/attempts/1"));
        let statement = serde_json::json!({
            "_type": "https://in-toto.io/Statement/v0.1",
            "predicateType": PROVENANCE_V02,
            "subject": [{"name": "pkg:npm/%40trishankatdatadog/supreme-goggles@1.0.5", "digest": {"sha512": "1e2e"}}],
            "predicate": {
                "buildType": "https://github.com/npm/cli/gha/v2",
                "builder": {"id": NPM_CLI_LEGACY},
                "invocation": {
                    "configSource": {"uri": "git+https://github.com/trishankatdatadog/supreme-goggles@refs/tags/v1.0.5", "entryPoint": ".github/workflows/npm-publish.yml"},
                    "parameters": {},
                    "environment": {
                        "GITHUB_EVENT_NAME": "release",
                        "GITHUB_REF": "refs/tags/v1.0.5",
                        "GITHUB_REPOSITORY": "trishankatdatadog/supreme-goggles",
                        "GITHUB_REPOSITORY_ID": "636292006",
                        "GITHUB_REPOSITORY_OWNER_ID": "33133073",
                        "GITHUB_RUN_ATTEMPT": "1",
                        "GITHUB_RUN_ID": "4994975790",
                        "GITHUB_SHA": "38ebf99444e033b2f1550c9aaaeacd62d02a12ba",
                        "GITHUB_WORKFLOW_REF": "trishankatdatadog/supreme-goggles/.github/workflows/npm-publish.yml@refs/tags/v1.0.5",
                        "GITHUB_WORKFLOW_SHA": "38ebf99444e033b2f1550c9aaaeacd62d02a12ba"
                    }
                },
                "metadata": {"buildInvocationId": "4994975790-1", "completeness": {"parameters": false}, "reproducible": false},
                "materials": [{"uri": "git+https://github.com/trishankatdatadog/supreme-goggles@refs/tags/v1.0.5"}]
            }
        });
        (claims, statement)
    }

    const REPOSITORY: &str = "https://github.com/trishankatdatadog/supreme-goggles";
    const SAN: &str = "https://github.com/trishankatdatadog/supreme-goggles/.github/workflows/npm-publish.yml@refs/tags/v1.0.5";

    fn check(statement: &Value, claims: &FulcioCiClaims) -> Result<(), SlsaError> {
        let provenance = Provenance::parse(statement.to_string().as_bytes())?;
        verify_matches_certificate(&provenance, SAN, claims)
    }

    #[test]
    fn npm_cli_provenance_must_agree_with_its_certificate() -> Result<(), SlsaError> {
        let (claims, statement) = supreme_goggles();
        check(&statement, &claims)?;

        let mut other_commit = statement.clone();
        other_commit["predicate"]["invocation"]["environment"]["GITHUB_SHA"] =
            Value::from("0000000000000000000000000000000000000000");
        assert!(matches!(
            check(&other_commit, &claims),
            Err(SlsaError::CertificateMismatch {
                field: "environment",
                ..
            })
        ));

        let mut other_run = statement.clone();
        other_run["predicate"]["metadata"]["buildInvocationId"] = Value::from("4994975790-2");
        assert!(matches!(
            check(&other_run, &claims),
            Err(SlsaError::CertificateMismatch {
                field: "invocation id",
                ..
            })
        ));

        let mut other_workflow = statement.clone();
        other_workflow["predicate"]["invocation"]["configSource"]["entryPoint"] =
            Value::from(".github/workflows/other.yml");
        assert!(matches!(
            check(&other_workflow, &claims),
            Err(SlsaError::CertificateMismatch {
                field: "build trigger path",
                ..
            })
        ));

        let mut unknown_variable = statement.clone();
        unknown_variable["predicate"]["invocation"]["environment"]["GITHUB_ACTOR"] =
            Value::from("someone");
        assert!(matches!(
            check(&unknown_variable, &claims),
            Err(SlsaError::CertificateMismatch {
                field: "environment",
                ..
            })
        ));

        let mut timed = statement;
        timed["predicate"]["metadata"]["buildStartedOn"] = Value::from("2023-05-16T00:00:00Z");
        assert!(matches!(
            check(&timed, &claims),
            Err(SlsaError::UnverifiableClaim { .. })
        ));
        Ok(())
    }

    #[test]
    fn hosted_runner_suffix_is_optional_on_either_side() -> Result<(), String> {
        let id =
            |text: &str| BuilderId::parse(text).ok_or_else(|| format!("{text} does not parse"));
        for (provenance, expected) in [
            (NPM_CLI_LEGACY, NPM_CLI_GITHUB_HOSTED),
            (NPM_CLI_GITHUB_HOSTED, NPM_CLI_LEGACY),
            (NPM_CLI_GITHUB_HOSTED, NPM_CLI_GITHUB_HOSTED),
        ] {
            assert!(matches_with_or_without_runner(
                &id(provenance)?,
                &id(expected)?
            ));
        }
        assert!(!matches_with_or_without_runner(
            &id(NPM_CLI_SELF_HOSTED)?,
            &id(NPM_CLI_LEGACY)?
        ));
        Ok(())
    }
}

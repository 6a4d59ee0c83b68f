//! What the provenance says: builder id, triggering and source repository, tag and branch, and
//! subjects, read from SLSA v0.2 and v1 predicates where slsa-verifier reads them.

use serde_json::{Map, Value};

use super::SlsaError;

/// The SLSA provenance v0.2 predicate type.
pub const PROVENANCE_V02: &str = "https://slsa.dev/provenance/v0.2";
/// The SLSA provenance v1 predicate type (also v1.1).
pub const PROVENANCE_V1: &str = "https://slsa.dev/provenance/v1";
const STATEMENT_TYPES: [&str; 2] = [
    crate::intoto::STATEMENT_TYPE_V0_1,
    crate::intoto::STATEMENT_TYPE_V1,
];

/// Build types whose source material carries no ref, which slsa-verifier accepts: npm
/// packages built before npm provenance went GA, and BYOB builders that build a commit other
/// than the triggering ref.
const REFLESS_SOURCE_BUILD_TYPES: [&str; 2] = [
    "https://github.com/npm/cli/gha/v2",
    "https://github.com/slsa-framework/slsa-github-generator/delegator-generic@v0",
];

/// A parsed in-toto statement carrying SLSA provenance.
#[derive(Debug)]
pub(crate) struct Provenance {
    pub(crate) predicate_type: String,
    statement: Map<String, Value>,
}

impl Provenance {
    /// Reads the statement as a JSON object; [`Self::check_header`] checks what it claims to be
    /// once its signature has been verified.
    pub(crate) fn parse(payload: &[u8]) -> Result<Self, SlsaError> {
        let statement: Map<String, Value> =
            serde_json::from_slice(payload).map_err(|error| SlsaError::Predicate {
                field: "statement",
                reason: error.to_string(),
            })?;
        let predicate_type = statement
            .get("predicateType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        Ok(Self {
            predicate_type,
            statement,
        })
    }

    /// An in-toto statement, v0.1 or v1.
    pub(crate) fn check_statement_type(&self) -> Result<(), SlsaError> {
        let statement_type = string_field(&self.statement, "_type", "_type")?;
        if !STATEMENT_TYPES.contains(&statement_type) {
            return Err(SlsaError::Predicate {
                field: "_type",
                reason: format!("{statement_type:?} is not an in-toto statement type"),
            });
        }
        Ok(())
    }

    /// An in-toto statement whose predicate is SLSA provenance v0.2 or v1.
    pub(crate) fn check_header(&self) -> Result<(), SlsaError> {
        self.check_statement_type()?;
        if self.predicate_type != PROVENANCE_V02 && self.predicate_type != PROVENANCE_V1 {
            return Err(SlsaError::PredicateType {
                found: self.predicate_type.clone(),
            });
        }
        Ok(())
    }

    fn is_v1(&self) -> bool {
        self.predicate_type == PROVENANCE_V1
    }

    fn predicate(&self) -> Result<&Map<String, Value>, SlsaError> {
        object_field(&self.statement, "predicate", "predicate")
    }

    /// v1 `buildDefinition`.
    fn build_definition(&self) -> Result<&Map<String, Value>, SlsaError> {
        object_field(
            self.predicate()?,
            "buildDefinition",
            "predicate.buildDefinition",
        )
    }

    /// `predicate.builder.id` (v0.2) or `predicate.runDetails.builder.id` (v1).
    pub(crate) fn builder_id(&self) -> Result<&str, SlsaError> {
        let predicate = self.predicate()?;
        if self.is_v1() {
            let run_details = object_field(predicate, "runDetails", "predicate.runDetails")?;
            let builder = object_field(run_details, "builder", "predicate.runDetails.builder")?;
            string_field(builder, "id", "predicate.runDetails.builder.id")
        } else {
            let builder = object_field(predicate, "builder", "predicate.builder")?;
            string_field(builder, "id", "predicate.builder.id")
        }
    }

    /// `predicate.buildType` (v0.2) or `predicate.buildDefinition.buildType` (v1).
    pub(crate) fn build_type(&self) -> Result<&str, SlsaError> {
        if self.is_v1() {
            string_field(
                self.build_definition()?,
                "buildType",
                "predicate.buildDefinition.buildType",
            )
        } else {
            string_field(self.predicate()?, "buildType", "predicate.buildType")
        }
    }

    /// The repository and ref whose event started the build, as `git+https://...@ref`: v0.2
    /// `invocation.configSource.uri`; v1 `externalParameters.workflow` (the GitHub workflow
    /// build types) or else the `GITHUB_WORKFLOW_REF` the builder recorded.
    pub(crate) fn trigger_uri(&self) -> Result<String, SlsaError> {
        if !self.is_v1() {
            let invocation = object_field(self.predicate()?, "invocation", "predicate.invocation")?;
            let config_source = object_field(
                invocation,
                "configSource",
                "predicate.invocation.configSource",
            )?;
            return string_field(
                config_source,
                "uri",
                "predicate.invocation.configSource.uri",
            )
            .map(str::to_owned);
        }
        let build_definition = self.build_definition()?;
        let external = object_field(
            build_definition,
            "externalParameters",
            "predicate.buildDefinition.externalParameters",
        )?;
        if let Some(Value::Object(workflow)) = external.get("workflow") {
            const FIELD: &str = "predicate.buildDefinition.externalParameters.workflow";
            let repository = string_field(workflow, "repository", FIELD)?;
            let reference = string_field(workflow, "ref", FIELD)?;
            return Ok(format!("git+{repository}@{reference}"));
        }
        let internal = object_field(
            build_definition,
            "internalParameters",
            "predicate.buildDefinition.internalParameters",
        )?;
        let workflow_ref = github_env(internal, "workflow_ref")?;
        // `owner/repo/path/to/workflow.yml@ref`: the first two segments name the repository.
        let malformed = || SlsaError::Predicate {
            field: "GITHUB_WORKFLOW_REF",
            reason: format!("{workflow_ref:?} is not OWNER/REPO/PATH@REF"),
        };
        let (path, reference) = workflow_ref.split_once('@').ok_or_else(malformed)?;
        let mut segments = path.splitn(3, '/');
        let (Some(owner), Some(repository)) = (segments.next(), segments.next()) else {
            return Err(malformed());
        };
        if reference.is_empty() || reference.contains('@') {
            return Err(malformed());
        }
        Ok(format!(
            "git+https://github.com/{owner}/{repository}@{reference}"
        ))
    }

    /// The source that was built: v0.2 `materials[0].uri`; v1
    /// `externalParameters.source.uri` when the builder records one, else
    /// `resolvedDependencies[0].uri`.
    pub(crate) fn source_uri(&self) -> Result<&str, SlsaError> {
        if !self.is_v1() {
            let first = first_uri(self.predicate()?, "materials", "predicate.materials[0].uri")?;
            return Ok(first);
        }
        let build_definition = self.build_definition()?;
        if let Some(Value::Object(source)) = build_definition
            .get("externalParameters")
            .and_then(|external| external.get("source"))
        {
            return string_field(
                source,
                "uri",
                "predicate.buildDefinition.externalParameters.source.uri",
            );
        }
        first_uri(
            build_definition,
            "resolvedDependencies",
            "predicate.buildDefinition.resolvedDependencies[0].uri",
        )
    }

    /// The GitHub environment the builder recorded: v0.2 `invocation.environment`, v1
    /// `internalParameters`; `None` for build types that record none.
    fn environment(&self) -> Option<&Map<String, Value>> {
        let predicate = self.statement.get("predicate")?;
        let environment = if self.is_v1() {
            predicate
                .get("buildDefinition")?
                .get("internalParameters")?
        } else {
            predicate.get("invocation")?.get("environment")?
        };
        environment
            .as_object()
            .filter(|environment| github_env(environment, "ref_type").is_ok())
    }

    /// The tag the build ran for (`refs/tags/...`), or `None` for a branch build.
    pub(crate) fn tag_ref(&self) -> Result<Option<String>, SlsaError> {
        let Some(environment) = self.environment() else {
            return self.trigger_ref_of_kind("refs/tags/");
        };
        match github_env(environment, "ref_type")? {
            "branch" => Ok(None),
            "tag" => github_env(environment, "ref").map(|tag| Some(tag.to_owned())),
            other => Err(unknown_ref_type(other)),
        }
    }

    /// The branch the build ran on (`refs/heads/...`). For a tag build that is the branch the
    /// tag was pushed from, as GitHub reports it: `GITHUB_BASE_REF`, the push event's
    /// `base_ref`, or a release's `target_commitish`. `None` when GitHub did not say.
    pub(crate) fn branch_ref(&self) -> Result<Option<String>, SlsaError> {
        let Some(environment) = self.environment() else {
            return self.trigger_ref_of_kind("refs/heads/");
        };
        match github_env(environment, "ref_type")? {
            "branch" => github_env(environment, "ref").map(|branch| Some(branch.to_owned())),
            "tag" => branch_of_tag(environment),
            other => Err(unknown_ref_type(other)),
        }
    }

    fn trigger_ref_of_kind(&self, prefix: &str) -> Result<Option<String>, SlsaError> {
        let trigger = self.trigger_uri()?;
        let reference = trigger.rsplit_once('@').map(|(_, reference)| reference);
        Ok(reference
            .filter(|reference| reference.starts_with(prefix))
            .map(str::to_owned))
    }

    /// Subject names and digest sets.
    pub(crate) fn subjects(&self) -> Result<Vec<Subject<'_>>, SlsaError> {
        let subjects = match self.statement.get("subject") {
            Some(Value::Array(subjects)) if !subjects.is_empty() => subjects,
            _ => {
                return Err(SlsaError::Predicate {
                    field: "subject",
                    reason: "the statement has no subjects".to_owned(),
                });
            }
        };
        subjects
            .iter()
            .map(|subject| {
                let subject = subject.as_object().ok_or_else(|| SlsaError::Predicate {
                    field: "subject",
                    reason: "a subject is not an object".to_owned(),
                })?;
                let name = subject
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let digest = object_field(subject, "digest", "subject[].digest")?;
                Ok(Subject { name, digest })
            })
            .collect()
    }
}

impl Provenance {
    /// How many source materials (v0.2) or resolved dependencies (v1) are recorded.
    pub(crate) fn source_count(&self) -> Option<usize> {
        let predicate = self.statement.get("predicate")?;
        let list = if self.is_v1() {
            predicate
                .get("buildDefinition")?
                .get("resolvedDependencies")?
        } else {
            predicate.get("materials")?
        };
        list.as_array().map(Vec::len)
    }

    /// The workflow file that ran: v0.2 `invocation.configSource.entryPoint`, v1
    /// `externalParameters.workflow.path`.
    pub(crate) fn trigger_path(&self) -> Result<&str, SlsaError> {
        let predicate = self.predicate()?;
        if self.is_v1() {
            let build_definition = self.build_definition()?;
            const FIELD: &str = "predicate.buildDefinition.externalParameters.workflow";
            let external = object_field(build_definition, "externalParameters", FIELD)?;
            let workflow = object_field(external, "workflow", FIELD)?;
            return string_field(workflow, "path", FIELD);
        }
        const FIELD: &str = "predicate.invocation.configSource";
        let invocation = object_field(predicate, "invocation", FIELD)?;
        let config_source = object_field(invocation, "configSource", FIELD)?;
        string_field(config_source, "entryPoint", FIELD)
    }

    /// What npm CLI provenance says about its run, to compare with the certificate. Claims no
    /// certificate can confirm (build times, parameters, completeness) are errors.
    pub(crate) fn npm_cli_facts(&self) -> Result<RunFacts<'_>, SlsaError> {
        let predicate = self.predicate()?;
        if self.is_v1() {
            let build_definition = self.build_definition()?;
            let metadata = predicate
                .get("runDetails")
                .and_then(|run_details| run_details.get("metadata"))
                .and_then(Value::as_object);
            reject_present(metadata, &["startedOn", "finishedOn"])?;
            let mut variables = Vec::new();
            if let Some(internal) = build_definition.get("internalParameters") {
                let internal = internal
                    .as_object()
                    .ok_or_else(|| unverifiable("internalParameters", internal))?;
                for (key, value) in internal {
                    let github = match (key.as_str(), value) {
                        ("github", Value::Object(github)) => github,
                        _ => return Err(unverifiable(key, value)),
                    };
                    for (name, value) in github {
                        let variable = format!("GITHUB_{}", name.to_uppercase());
                        variables.push((variable, recorded_string(name, value)?));
                    }
                }
            }
            return Ok(RunFacts {
                invocation_id: metadata
                    .and_then(|metadata| metadata.get("invocationId"))
                    .and_then(Value::as_str),
                invocation_is_url: true,
                variables,
            });
        }
        let invocation = predicate.get("invocation").and_then(Value::as_object);
        for field in ["parameters", "buildConfig"] {
            let value = if field == "parameters" {
                invocation.and_then(|invocation| invocation.get(field))
            } else {
                predicate.get(field)
            };
            match value {
                None | Some(Value::Null) => {}
                Some(Value::Object(object)) if object.is_empty() => {}
                Some(value) => return Err(unverifiable(field, value)),
            }
        }
        let metadata = predicate.get("metadata").and_then(Value::as_object);
        reject_present(metadata, &["buildStartedOn", "buildFinishedOn"])?;
        if let Some(metadata) = metadata {
            let claimed = |value: Option<&Value>| value.and_then(Value::as_bool) == Some(true);
            if claimed(metadata.get("reproducible")) {
                return Err(unverifiable("reproducible", &Value::Bool(true)));
            }
            if let Some(completeness) = metadata.get("completeness")
                && ["parameters", "environment", "materials"]
                    .iter()
                    .any(|key| claimed(completeness.get(key)))
            {
                return Err(unverifiable("completeness", completeness));
            }
        }
        let mut variables = Vec::new();
        if let Some(environment) = invocation.and_then(|invocation| invocation.get("environment")) {
            let environment = environment
                .as_object()
                .ok_or_else(|| unverifiable("environment", environment))?;
            for (name, value) in environment {
                variables.push((name.clone(), recorded_string(name, value)?));
            }
        }
        Ok(RunFacts {
            invocation_id: metadata
                .and_then(|metadata| metadata.get("buildInvocationId"))
                .and_then(Value::as_str),
            invocation_is_url: false,
            variables,
        })
    }
}

/// What npm CLI provenance claims about its run.
pub(crate) struct RunFacts<'a> {
    pub(crate) invocation_id: Option<&'a str>,
    /// v1 records the run's URL, v0.2 `RUN_ID-ATTEMPT`.
    pub(crate) invocation_is_url: bool,
    /// `GITHUB_*` variables and their values.
    pub(crate) variables: Vec<(String, String)>,
}

fn reject_present(object: Option<&Map<String, Value>>, keys: &[&str]) -> Result<(), SlsaError> {
    for key in keys {
        if let Some(value) = object.and_then(|object| object.get(*key)) {
            return Err(unverifiable(key, value));
        }
    }
    Ok(())
}

fn recorded_string(name: &str, value: &Value) -> Result<String, SlsaError> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| unverifiable(name, value))
}

fn unverifiable(field: &str, value: &Value) -> SlsaError {
    SlsaError::UnverifiableClaim {
        field: field.to_owned(),
        value: value.to_string(),
    }
}

/// One statement subject.
#[derive(Debug)]
pub(crate) struct Subject<'a> {
    pub(crate) name: &'a str,
    pub(crate) digest: &'a Map<String, Value>,
}

impl Subject<'_> {
    /// The lower-case hex digest under `algorithm` (`sha256`, `sha512`), if recorded.
    pub(crate) fn digest(&self, algorithm: &str) -> Option<&str> {
        self.digest.get(algorithm).and_then(Value::as_str)
    }
}

fn branch_of_tag(environment: &Map<String, Value>) -> Result<Option<String>, SlsaError> {
    if let Ok(base_ref) = github_env(environment, "base_ref")
        && !base_ref.is_empty()
    {
        return Ok(Some(base_ref.to_owned()));
    }
    let event_name = github_env(environment, "event_name")?;
    let payload = environment
        .get("github_event_payload")
        .or_else(|| environment.get("GITHUB_EVENT_PAYLOAD"))
        .and_then(Value::as_object)
        .ok_or_else(|| SlsaError::Predicate {
            field: "github_event_payload",
            reason: "the environment records no event payload".to_owned(),
        })?;
    match event_name {
        // `base_ref` is null when the tag was pushed for a commit on no branch.
        "push" => Ok(payload
            .get("base_ref")
            .and_then(Value::as_str)
            .map(str::to_owned)),
        "release" => {
            let release = object_field(payload, "release", "github_event_payload.release")?;
            let target = string_field(
                release,
                "target_commitish",
                "github_event_payload.release.target_commitish",
            )?;
            Ok(Some(format!("refs/heads/{target}")))
        }
        _ => Ok(None),
    }
}

/// A `GITHUB_*` value, recorded lower-case in v0.2 and upper-case in v1.
fn github_env<'a>(environment: &'a Map<String, Value>, name: &str) -> Result<&'a str, SlsaError> {
    let lower = format!("github_{name}");
    let value = environment
        .get(&lower)
        .or_else(|| environment.get(&lower.to_uppercase()))
        .ok_or_else(|| SlsaError::Predicate {
            field: "environment",
            reason: format!("no {lower} recorded"),
        })?;
    value.as_str().ok_or_else(|| SlsaError::Predicate {
        field: "environment",
        reason: format!("{lower} is not a string"),
    })
}

fn unknown_ref_type(ref_type: &str) -> SlsaError {
    SlsaError::Predicate {
        field: "github_ref_type",
        reason: format!("unknown ref type {ref_type:?}"),
    }
}

fn first_uri<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<&'a str, SlsaError> {
    object
        .get(key)
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(|first| first.get("uri"))
        .and_then(Value::as_str)
        .ok_or(SlsaError::Predicate {
            field,
            reason: "missing".to_owned(),
        })
}

fn object_field<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<&'a Map<String, Value>, SlsaError> {
    match object.get(key) {
        Some(Value::Object(inner)) => Ok(inner),
        Some(_) => Err(SlsaError::Predicate {
            field,
            reason: "not an object".to_owned(),
        }),
        None => Err(SlsaError::Predicate {
            field,
            reason: "missing".to_owned(),
        }),
    }
}

fn string_field<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    field: &'static str,
) -> Result<&'a str, SlsaError> {
    match object.get(key) {
        Some(Value::String(text)) => Ok(text),
        Some(_) => Err(SlsaError::Predicate {
            field,
            reason: format!("{key} is not a string"),
        }),
        None => Err(SlsaError::Predicate {
            field,
            reason: format!("{key} is missing"),
        }),
    }
}

/// Whether a build type may record its source without a ref.
pub(crate) fn allows_refless_source(build_type: &str) -> bool {
    REFLESS_SOURCE_BUILD_TYPES.contains(&build_type)
}

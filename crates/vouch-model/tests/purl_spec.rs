//! Drives the official purl-spec test suite (`tests/spec/specification-test.json` and every
//! `tests/types/*-test.json`) through `Purl`, asserting each case's exact expected output or
//! expected failure.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::Value;
use vouch_model::Purl;

/// Cases in the suite at the pinned purl-spec commit; a file that stops loading cannot shrink
/// the run unnoticed.
const CASE_COUNT: usize = 509;

/// A case of the pinned suite that contradicts ECMA-427 and the rest of the suite.
struct Erratum {
    file: &'static str,
    index: usize,
    input: &'static str,
    why: &'static str,
}

/// Errata are still run, with the outcome the standard gives: the strict parser must reject
/// the input and the lenient one must produce the case's expected output. Each entry must
/// still match the data, so an upstream fix fails this test until the entry is removed.
const ERRATA: &[Erratum] = &[Erratum {
    file: "maven-test.json",
    index: 13,
    input: "pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release",
    why: "a \"required\" parse case accepting the qualifier key `repositorY_url`, which ECMA-427 \
          §5.6.6 forbids (keys are lower case) and which gem-test.json #1 and rpm-test.json #1 \
          reject for the same reason (purl-spec issue #942; the gem case was fixed in PR #951)",
}];

#[derive(Debug, Deserialize)]
struct SuiteFile {
    tests: Vec<Case>,
}

#[derive(Debug, Clone, Deserialize)]
struct Case {
    description: String,
    test_group: Group,
    test_type: TestType,
    input: Value,
    #[serde(default)]
    expected_output: Value,
    #[serde(default)]
    expected_failure: bool,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Group {
    /// Conformance with ECMA-427.
    Required,
    /// Tolerant handling of invalid input, normalised instead of rejected.
    Recommended,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum TestType {
    /// Decoded components to a canonical string.
    Build,
    /// A string to decoded components.
    Parse,
    /// A string to its canonical form (the suite's "roundtrip" cases).
    Validate,
}

/// Decoded components, as build inputs and parse outputs give them.
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Components {
    #[serde(rename = "type")]
    purl_type: Option<String>,
    namespace: Option<String>,
    name: Option<String>,
    version: Option<String>,
    qualifiers: Option<BTreeMap<String, String>>,
    subpath: Option<String>,
}

impl Components {
    fn of(purl: &Purl) -> Self {
        Self {
            purl_type: Some(purl.purl_type().to_owned()),
            namespace: purl.namespace().map(str::to_owned),
            name: Some(purl.name().to_owned()),
            version: purl.version().map(str::to_owned),
            qualifiers: Some(purl.qualifiers().clone()),
            subpath: purl.subpath().map(str::to_owned),
        }
        .with_empty_qualifiers_as_none()
    }

    /// The suite writes "no qualifiers" as `null` or `{}`.
    fn with_empty_qualifiers_as_none(mut self) -> Self {
        if self.qualifiers.as_ref().is_some_and(BTreeMap::is_empty) {
            self.qualifiers = None;
        }
        self
    }
}

/// What a case produces: a canonical string (build, validate) or components (parse).
#[derive(Debug, PartialEq, Eq)]
enum Output {
    Canonical(String),
    Components(Components),
}

/// The parser a group is about: the "required" group holds parsers to the standard (upper-case
/// qualifier keys are invalid), the "recommended" group expects such keys to be lower-cased.
/// The two groups contradict each other on `pkg:gem/jruby-launcher@1.1.2?Platform=java`, so no
/// single parser can pass both.
fn parse(case: &Case) -> Result<Purl, String> {
    let text = case
        .input
        .as_str()
        .ok_or_else(|| format!("{:?} input is not a string", case.test_type))?;
    let parsed = match case.test_group {
        Group::Required => text.parse(),
        Group::Recommended => Purl::parse_lenient(text),
    };
    parsed.map_err(|error| error.to_string())
}

fn build(case: &Case) -> Result<Purl, String> {
    let components: Components = serde_json::from_value(case.input.clone())
        .map_err(|error| format!("build input is not components: {error}"))?;
    // A missing type or name is passed as empty, which the builder rejects as missing.
    Purl::from_parts(
        components.purl_type.as_deref().unwrap_or_default(),
        components.namespace.as_deref(),
        components.name.as_deref().unwrap_or_default(),
        components.version.as_deref(),
        components.qualifiers.unwrap_or_default(),
        components.subpath.as_deref(),
    )
    .map_err(|error| error.to_string())
}

fn expected_output(case: &Case) -> Result<Output, String> {
    let expected = case.expected_output.clone();
    match case.test_type {
        TestType::Parse => serde_json::from_value(expected).map(|components: Components| {
            Output::Components(components.with_empty_qualifiers_as_none())
        }),
        TestType::Build | TestType::Validate => {
            serde_json::from_value(expected).map(Output::Canonical)
        }
    }
    .map_err(|error| format!("malformed expected_output: {error}"))
}

/// Runs one case: `Err` says how the outcome differs from the expected one.
fn run(case: &Case) -> Result<(), String> {
    let outcome = match case.test_type {
        TestType::Build => build(case).map(|purl| Output::Canonical(purl.to_string())),
        TestType::Parse => parse(case).map(|purl| Output::Components(Components::of(&purl))),
        TestType::Validate => parse(case).map(|purl| Output::Canonical(purl.to_string())),
    };
    match (outcome, case.expected_failure) {
        (Err(_), true) => Ok(()),
        (Ok(actual), true) => Err(format!("expected a failure, got {actual:?}")),
        (Err(error), false) => Err(format!(
            "expected {}, got error: {error}",
            case.expected_output
        )),
        (Ok(actual), false) => {
            let expected = expected_output(case)?;
            if actual == expected {
                Ok(())
            } else {
                Err(format!("expected {expected:?}, got {actual:?}"))
            }
        }
    }
}

/// Runs an erratum with the outcome the standard gives (see [`ERRATA`]).
fn run_erratum(case: &Case, erratum: &Erratum) -> Result<(), String> {
    if case.input.as_str() != Some(erratum.input) {
        return Err(format!(
            "the erratum no longer matches the data (expected input {}); remove it",
            erratum.input
        ));
    }
    if let Ok(purl) = erratum.input.parse::<Purl>() {
        return Err(format!(
            "erratum ({}): strict parsing accepted it as {purl}",
            erratum.why
        ));
    }
    let lenient = Case {
        test_group: Group::Recommended,
        ..case.clone()
    };
    run(&lenient).map_err(|problem| format!("erratum, lenient parsing: {problem}"))
}

fn suite_files(root: &Path) -> Vec<PathBuf> {
    let types_dir = root.join("tests/types");
    let mut type_files: Vec<PathBuf> = fs::read_dir(&types_dir)
        .unwrap_or_else(|error| panic!("cannot list {}: {error}", types_dir.display()))
        .map(|entry| match entry {
            Ok(entry) => entry.path(),
            Err(error) => panic!("cannot list {}: {error}", types_dir.display()),
        })
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.ends_with("-test.json"))
        })
        .collect();
    type_files.sort();
    let mut files = vec![root.join("tests/spec/specification-test.json")];
    files.extend(type_files);
    files
}

fn load(path: &Path) -> SuiteFile {
    let text = fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not a purl test file: {error}", path.display()))
}

#[test]
fn every_case_of_the_purl_spec_suite_passes() {
    let Some(root) = vouch_test_support::data_path("purl-spec") else {
        return;
    };
    let mut case_count = 0;
    let mut failures = Vec::new();
    for path in suite_files(&root) {
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (index, case) in load(&path).tests.iter().enumerate() {
            case_count += 1;
            let erratum = ERRATA
                .iter()
                .find(|erratum| erratum.file == file_name && erratum.index == index);
            let outcome = match erratum {
                Some(erratum) => run_erratum(case, erratum),
                None => run(case),
            };
            if let Err(problem) = outcome {
                failures.push(format!(
                    "{file_name} #{index} [{:?} {:?}] {}\n    input: {}\n    {problem}",
                    case.test_group, case.test_type, case.description, case.input
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {case_count} purl-spec cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(case_count, CASE_COUNT, "the suite's case count changed");
}

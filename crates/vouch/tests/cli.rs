//! The binary as users run it: exit codes, messages, files written, determinism.

mod common;

use std::process::Command;

use common::{fixture, json, text, vouch};

#[test]
fn help_texts() {
    let here = fixture("mixed-project");
    insta::assert_snapshot!("vouch_help", text(&vouch(&["--help"], &here).stdout));
    insta::assert_snapshot!("sbom_help", text(&vouch(&["sbom", "--help"], &here).stdout));
}

#[test]
fn mixed_project_catalogs_every_lockfile_and_reports_the_broken_one() {
    let output = vouch(&["sbom", "."], &fixture("mixed-project"));
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("broken/Cargo.lock:5"),
        "the parse failure names file and line: {stderr}"
    );
    let document = json(&output);
    let mut purls: Vec<&str> = document["components"]
        .as_array()
        .expect("components")
        .iter()
        .filter_map(|component| component["purl"].as_str())
        .collect();
    purls.sort_unstable();
    // node_modules is skipped: `should-not-appear` must not be here.
    assert_eq!(
        purls,
        [
            "pkg:cargo/itoa@1.0.15",
            "pkg:cargo/mixed-project@0.1.0",
            "pkg:cargo/serde_json@1.0.140",
            "pkg:npm/%40babel/code-frame@7.26.2",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/web@2.0.0",
            "pkg:pypi/requests@2.32.3",
            "pkg:pypi/urllib3@2.2.3",
        ]
    );
    insta::assert_snapshot!("mixed_project_stderr", stderr);
}

#[test]
fn strict_makes_a_broken_lockfile_fatal() {
    let output = vouch(&["sbom", ".", "--strict"], &fixture("mixed-project"));
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty(), "no document is written");
    assert!(text(&output.stderr).contains("broken/Cargo.lock:5"));
}

#[test]
fn exclude_skips_matching_paths() {
    let output = vouch(
        &["sbom", ".", "--exclude", "broken", "--exclude", "web/**"],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!text(&output.stderr).contains("broken"));
    let names: Vec<String> = json(&output)["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|component| component["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(!names.iter().any(|name| name == "left-pad"), "{names:?}");
    assert!(names.iter().any(|name| name == "itoa"), "{names:?}");
}

#[test]
fn same_input_gives_byte_identical_output_in_every_format() {
    for format in [
        "cyclonedx-json",
        "cyclonedx-xml",
        "spdx-json",
        "spdx-tv",
        "spdx3-json",
    ] {
        let first = vouch(
            &["sbom", ".", "--format", format],
            &fixture("mixed-project"),
        );
        let second = vouch(
            &["sbom", ".", "--format", format],
            &fixture("mixed-project"),
        );
        assert_eq!(
            first.status.code(),
            Some(0),
            "{format}: {}",
            text(&first.stderr)
        );
        assert!(!first.stdout.is_empty(), "{format} wrote nothing");
        assert_eq!(first.stdout, second.stdout, "{format} is not deterministic");
        insta::assert_snapshot!(format!("mixed_project_{format}"), text(&first.stdout));
    }
}

#[test]
fn missing_path_is_bad_input() {
    let output = vouch(&["sbom", "does-not-exist"], &fixture("mixed-project"));
    assert_eq!(output.status.code(), Some(2));
    insta::assert_snapshot!("missing_path_stderr", text(&output.stderr));
}

#[test]
fn unknown_format_is_bad_usage() {
    let output = vouch(
        &["sbom", ".", "--format", "spdx-yaml"],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown format `spdx-yaml`"));
}

#[test]
fn bad_source_date_epoch_is_bad_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(["sbom", "."])
        .current_dir(fixture("mixed-project"))
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .output()
        .expect("the vouch binary runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("SOURCE_DATE_EPOCH must be a whole number"));
}

#[test]
fn output_file_is_written_whole_or_not_at_all() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let target = directory.path().join("sbom.cdx.json");
    let target_text = target.to_string_lossy().into_owned();
    let output = vouch(
        &["sbom", ".", "-o", &target_text],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&target).expect("written")).expect("JSON");
    assert_eq!(written["bomFormat"], "CycloneDX");
    let leftovers: Vec<_> = std::fs::read_dir(directory.path())
        .expect("list")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left: {leftovers:?}"
    );

    let missing = directory.path().join("no-such-directory/sbom.json");
    let output = vouch(
        &["sbom", ".", "-o", &missing.to_string_lossy()],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!missing.exists());
}

#[test]
fn a_single_lockfile_can_be_catalogued() {
    let output = vouch(
        &["sbom", "web/package-lock.json"],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let count = json(&output)["components"]
        .as_array()
        .map(Vec::len)
        .unwrap_or_default();
    assert_eq!(count, 3, "web, @babel/code-frame and left-pad");
}

#[test]
fn validate_accepts_our_own_output_and_rejects_a_broken_document() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let good = directory.path().join("good.cdx.json");
    let output = vouch(
        &["sbom", ".", "-o", &good.to_string_lossy()],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(0));
    let output = vouch(
        &["sbom", "validate", &good.to_string_lossy()],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));

    let bad = directory.path().join("bad.cdx.json");
    std::fs::write(
        &bad,
        r#"{"bomFormat":"CycloneDX","specVersion":"1.6","version":1,"components":[{"type":"gadget","name":"x"}]}"#,
    )
    .expect("write");
    let output = vouch(&["sbom", "validate", "bad.cdx.json"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(
        stdout.contains("bad.cdx.json#/components/0/type"),
        "the problem is named by file and JSON pointer: {stdout}"
    );
}

#[test]
fn convert_keeps_every_component() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let source = directory.path().join("source.cdx.json");
    let output = vouch(
        &["sbom", ".", "-o", &source.to_string_lossy()],
        &fixture("mixed-project"),
    );
    assert_eq!(output.status.code(), Some(0));
    let output = vouch(
        &["sbom", "convert", "source.cdx.json", "--to", "spdx-json"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let document = json(&output);
    let mut purls: Vec<String> = document["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .flat_map(|package| {
            package["externalRefs"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter(|reference| reference["referenceType"] == "purl")
        .filter_map(|reference| reference["referenceLocator"].as_str().map(str::to_owned))
        .collect();
    purls.sort();
    assert_eq!(purls.len(), 8, "{purls:?}");
}

#[test]
fn version_compare_uses_each_ecosystem_order() {
    let here = fixture("mixed-project");
    let answer = |args: &[&str]| {
        let output = vouch(args, &here);
        (output.status.code(), text(&output.stdout))
    };
    assert_eq!(
        answer(&["version", "compare", "Debian", "1.0~rc1", "1.0"]),
        (Some(0), "<\n".to_owned())
    );
    assert_eq!(
        answer(&["version", "compare", "PyPI", "1.0.0", "1.0"]),
        (Some(0), "=\n".to_owned())
    );
    assert_eq!(
        answer(&["version", "compare", "Maven", "1.0-SNAPSHOT", "1.0-rc1"]),
        (Some(0), ">\n".to_owned())
    );
    let output = vouch(&["version", "compare", "Cobol", "1", "2"], &here);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown ecosystem `Cobol`"));
}

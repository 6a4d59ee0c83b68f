//! `validate` against the CycloneDX conformance suite, the SPDX examples and broken documents.

use std::path::{Path, PathBuf};

use vouch_formats::{Schema, ValidationReport, validate};

fn files(directory: &Path, keep: impl Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(&keep)
        })
        .collect();
    files.sort();
    files
}

fn validate_path(path: &Path) -> ValidationReport {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    validate(&bytes, &path.display().to_string())
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

const CYCLONEDX_VERSIONS: [&str; 5] = ["1.2", "1.3", "1.4", "1.5", "1.6"];

#[test]
fn every_valid_cyclonedx_json_test_resource_is_accepted() {
    let Some(root) = vouch_test_support::data_path("cyclonedx-specification/test-resources") else {
        return;
    };
    let mut failures = Vec::new();
    let mut accepted = 0;
    for version in CYCLONEDX_VERSIONS {
        for path in files(&root.join(version), |name| {
            name.starts_with("valid-") && name.ends_with(".json")
        }) {
            let report = validate_path(&path);
            assert_eq!(
                report.schema,
                Schema::cyclonedx(version),
                "{}",
                path.display()
            );
            if report.is_valid() {
                accepted += 1;
            } else {
                failures.push(format!("{}:\n{report}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(accepted, 12 + 22 + 19 + 30 + 41);
}

#[test]
fn every_invalid_cyclonedx_json_test_resource_is_rejected_with_a_pointer() {
    let Some(root) = vouch_test_support::data_path("cyclonedx-specification/test-resources") else {
        return;
    };
    let mut failures = Vec::new();
    let mut rejected = 0;
    for version in CYCLONEDX_VERSIONS {
        for path in files(&root.join(version), |name| {
            name.starts_with("invalid-") && name.ends_with(".json")
        }) {
            let report = validate_path(&path);
            let pointed = report
                .violations
                .iter()
                .any(|violation| violation.pointer.starts_with('/'));
            if pointed {
                rejected += 1;
            } else {
                failures.push(format!("{}:\n{report}", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "accepted or unlocated:\n{}",
        failures.join("\n")
    );
    assert_eq!(rejected, 18 + 21 + 21 + 16 + 21);
}

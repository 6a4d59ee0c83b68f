//! Readers against real documents from the shared test data.

use std::path::{Path, PathBuf};

use vouch_formats::{FormatFamily, ReadOutcome, read};

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

fn read_path(path: &Path) -> Result<ReadOutcome, String> {
    let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
    read(&bytes, &path.display().to_string()).map_err(|error| error.to_string())
}

#[test]
fn every_valid_cyclonedx_test_resource_reads() {
    let Some(root) = vouch_test_support::data_path("cyclonedx-specification/test-resources") else {
        return;
    };
    let mut failures = Vec::new();
    let mut read_count = 0;
    for version in ["1.2", "1.3", "1.4", "1.5", "1.6"] {
        for path in files(&root.join(version), |name| {
            name.starts_with("valid-") && (name.ends_with(".json") || name.ends_with(".xml"))
        }) {
            match read_path(&path) {
                Ok(outcome) => {
                    assert_eq!(
                        outcome.format.family,
                        FormatFamily::CycloneDx,
                        "{}",
                        path.display()
                    );
                    assert_eq!(outcome.format.version, version, "{}", path.display());
                    read_count += 1;
                }
                Err(error) => failures.push(error),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(read_count, 12 + 15 + 22 + 25 + 19 + 21 + 30 + 31 + 41 + 44);
}

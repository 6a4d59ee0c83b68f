//! `vouch fix` as users run it: the smallest clearing upgrade per vulnerable package, checked
//! against the Cargo.toml and pyproject.toml requirements beside the lockfiles.
//!
//! Expected answers, from the staged advisories:
//! - smallvec 0.6.9: RUSTSEC-2019-0009 [0.6.5, 0.6.10), RUSTSEC-2019-0012 [0.6.3, 0.6.10) and
//!   RUSTSEC-2021-0003 [0.6.3, 0.6.14) affect it (RUSTSEC-2018-0018 is informational). 0.6.10
//!   still has RUSTSEC-2021-0003, so 0.6.14 is the smallest clearing version; `0.6` allows it.
//! - h2 0.4.7: RUSTSEC-2026-0258 (patched >= 0.4.16); `=0.4.7` excludes 0.4.16.
//! - rsa 0.9.10: RUSTSEC-2023-0071 has no patched version.
//! - crossbeam-epoch 0.9.18: RUSTSEC-2026-0204 (patched >= 0.9.20); no manifest declares it.
//! - PyYAML 5.3: PYSEC-2020-96 [5.1, 5.3.1) and PYSEC-2021-142 [0, 5.4); 5.3.1 still has the
//!   second, so 5.4; pyproject's `>=5.1,<5.4` excludes it. (requirements.txt pins `==5.3`, which
//!   is the lock, not a range.)

mod common;

use serde_json::{Value, json};

use common::{fixture, vouch};

/// A store of the RustSec and PyPA advisories; `None` when the data is absent.
fn store() -> Option<tempfile::TempDir> {
    let rustsec = vouch_test_support::data_path("rustsec-advisory-db")?;
    let pypa = vouch_test_support::data_path("pypa-advisory-database/vulns")?;
    let directory = tempfile::tempdir().expect("a temporary directory");
    let db = directory.path().to_string_lossy().into_owned();
    let output = vouch(
        &[
            "db",
            "import",
            "--db",
            &db,
            &rustsec.to_string_lossy(),
            &pypa.to_string_lossy(),
        ],
        directory.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(directory)
}

#[test]
fn fixes_are_checked_against_the_declared_ranges() {
    let Some(db) = store() else {
        return;
    };
    let db = db.path().to_string_lossy().into_owned();
    let output = vouch(
        &["fix", "--offline", "--db", &db, "--format", "json", "."],
        &fixture("fix-cargo-and-python"),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(report["schema_version"], "1");
    assert_eq!(
        report["summary"],
        json!({ "vulnerable_packages": 5, "lockfile_update": 2, "manifest_change": 2, "no_fix": 1 })
    );
    let packages: Vec<Value> = report["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|package| {
            json!([
                package["purl"],
                package["fixed_version"],
                package["finding_ids"],
                package["action"],
                package["declarations"],
            ])
        })
        .collect();
    assert_eq!(
        packages,
        [
            json!([
                "pkg:cargo/crossbeam-epoch@0.9.18",
                "0.9.20",
                ["RUSTSEC-2026-0204"],
                "update_transitive",
                []
            ]),
            json!([
                "pkg:cargo/h2@0.4.7",
                "0.4.16",
                ["RUSTSEC-2026-0258"],
                "edit_manifest",
                [{ "manifest": "Cargo.toml", "line": 8, "requirement": "=0.4.7", "allows_fix": false }]
            ]),
            json!([
                "pkg:cargo/rsa@0.9.10",
                null,
                ["RUSTSEC-2023-0071"],
                "no_fix",
                [{ "manifest": "Cargo.toml", "line": 9, "requirement": "0.9", "allows_fix": null }]
            ]),
            json!([
                "pkg:cargo/smallvec@0.6.9",
                "0.6.14",
                ["RUSTSEC-2019-0009", "RUSTSEC-2019-0012", "RUSTSEC-2021-0003"],
                "update_lockfile",
                [{ "manifest": "Cargo.toml", "line": 7, "requirement": "0.6", "allows_fix": true }]
            ]),
            json!([
                "pkg:pypi/pyyaml@5.3",
                "5.4",
                ["PYSEC-2020-96", "PYSEC-2021-142"],
                "edit_manifest",
                [{ "manifest": "pyproject.toml", "line": 5, "requirement": ">=5.1,<5.4", "allows_fix": false }]
            ]),
        ]
    );
}

#[test]
fn fix_table_says_what_to_do_per_package() {
    let Some(db) = store() else {
        return;
    };
    let db = db.path().to_string_lossy().into_owned();
    let output = vouch(
        &["fix", "--offline", "--db", &db, "."],
        &fixture("fix-cargo-and-python"),
    );
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(
        "fix_table_cargo_and_python",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn fix_without_a_store_offline_says_how_to_make_one() {
    let empty = tempfile::tempdir().expect("a temporary directory");
    let db = empty.path().join("db").to_string_lossy().into_owned();
    let output = vouch(
        &["fix", "--offline", "--db", &db, "."],
        &fixture("fix-cargo-and-python"),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no advisory store at") && stderr.contains("vouch db import"),
        "{stderr}"
    );
}

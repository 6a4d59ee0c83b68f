//! `vouch scan` against cargo-audit, the scanner Rust projects already run: on the same
//! Cargo.lock files and the same RustSec advisories, offline, both must report the same
//! vulnerabilities and the same informational warnings (unmaintained, unsound, notice), each
//! for the same package version.
//!
//! cargo-audit is `VOUCH_CARGO_AUDIT` (a path to the binary) or `cargo-audit` on the PATH; the
//! tests skip without it, unless `VOUCH_REQUIRE_EXTERNAL=1` (CI installs it).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use common::{text, vouch};

/// One advisory reported against one package version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Reported {
    /// `vulnerability`, or the informational kind: `unmaintained`, `unsound`, `notice`.
    kind: String,
    advisory: String,
    package: String,
    version: String,
}

impl Reported {
    fn new(kind: &str, advisory: &Value, package: &Value, version: &Value) -> Self {
        let string = |value: &Value, what: &str| {
            value
                .as_str()
                .unwrap_or_else(|| panic!("{what} is not a string: {value}"))
                .to_owned()
        };
        Self {
            kind: kind.to_owned(),
            advisory: string(advisory, "advisory id"),
            package: string(package, "package name"),
            version: string(version, "package version"),
        }
    }
}

/// What the comparison needs: cargo-audit, the advisory-db checkout, and a vouch store
/// imported from that same checkout (in `directory`, removed when the test ends).
struct Setup {
    cargo_audit: String,
    advisory_db: PathBuf,
    store: PathBuf,
    directory: tempfile::TempDir,
}

/// `None` when the data or cargo-audit is absent.
fn setup() -> Option<Setup> {
    let advisory_db = vouch_test_support::data_path("rustsec-advisory-db")?;
    let cargo_audit =
        std::env::var("VOUCH_CARGO_AUDIT").unwrap_or_else(|_| "cargo-audit".to_owned());
    if !vouch_test_support::external_tool(&cargo_audit, &["audit", "--version"]) {
        return None;
    }
    let directory = tempfile::tempdir().expect("temporary directory");
    let store = directory.path().join("db");
    let import = vouch(
        &[
            "--quiet",
            "db",
            "import",
            "--db",
            utf8(&store),
            utf8(&advisory_db),
        ],
        directory.path(),
    );
    assert_eq!(import.status.code(), Some(0), "{}", text(&import.stderr));
    Some(Setup {
        cargo_audit,
        advisory_db,
        store,
        directory,
    })
}

fn utf8(path: &Path) -> &str {
    path.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", path.display()))
}

/// The JSON report of a run that exited with one of `success_codes`.
fn report(output: &Output, success_codes: &[i32], tool: &str, lockfile: &Path) -> Value {
    assert!(
        output
            .status
            .code()
            .is_some_and(|code| success_codes.contains(&code)),
        "{tool} on {} exited with {:?}: {}",
        lockfile.display(),
        output.status.code(),
        text(&output.stderr)
    );
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{tool} on {}: not JSON: {error}", lockfile.display()))
}

fn array<'a>(value: &'a Value, pointer: &str) -> &'a [Value] {
    value
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no array at {pointer}"))
}

/// Every store record a finding merged counts, so that two RustSec advisories merged into one
/// finding through a shared alias still match cargo-audit's two entries.
fn vouch_reports(setup: &Setup, lockfile: &Path) -> BTreeSet<Reported> {
    let arguments = [
        "--quiet",
        "scan",
        utf8(lockfile),
        "--db",
        utf8(&setup.store),
        "--offline",
        "--format",
        "json",
    ];
    let output = vouch(&arguments, setup.directory.path());
    // Without `--fail-on` there is no gate: findings or not, a scan succeeds.
    let report = report(&output, &[0], "vouch scan", lockfile);
    let mut reported = BTreeSet::new();
    for finding in array(&report, "/findings") {
        for record in array(finding, "/records") {
            reported.insert(Reported::new(
                "vulnerability",
                &record["id"],
                &finding["package"],
                &finding["version"],
            ));
        }
    }
    for warning in array(&report, "/warnings") {
        let kind = warning["kind"].as_str().expect("a warning has a kind");
        reported.insert(Reported::new(
            kind,
            &warning["record"]["id"],
            &warning["package"],
            &warning["version"],
        ));
    }
    reported
}

/// Yanked crates need the crates.io index, which neither tool has offline: `--no-yanked`.
/// With `--no-fetch` cargo-audit only reads the database, so it is given the shared checkout
/// itself, not a copy, and needs no git repository.
fn cargo_audit_reports(setup: &Setup, lockfile: &Path) -> BTreeSet<Reported> {
    let output = Command::new(&setup.cargo_audit)
        .args(["audit", "--no-fetch", "--no-yanked", "--json", "--db"])
        .arg(&setup.advisory_db)
        .arg("--file")
        .arg(lockfile)
        .output()
        .expect("cargo-audit runs");
    // cargo-audit exits 1 when it finds vulnerabilities.
    let report = report(&output, &[0, 1], "cargo-audit", lockfile);
    let mut reported = BTreeSet::new();
    for vulnerability in array(&report, "/vulnerabilities/list") {
        let package = &vulnerability["package"];
        reported.insert(Reported::new(
            "vulnerability",
            &vulnerability["advisory"]["id"],
            &package["name"],
            &package["version"],
        ));
    }
    let warnings = report["warnings"]
        .as_object()
        .expect("cargo-audit's warnings are grouped by kind");
    for (kind, list) in warnings {
        for warning in list.as_array().expect("a list of warnings") {
            let package = &warning["package"];
            reported.insert(Reported::new(
                kind,
                &warning["advisory"]["id"],
                &package["name"],
                &package["version"],
            ));
        }
    }
    reported
}

/// Runs both tools on each lockfile; fails listing, per lockfile, what only one of them reported.
/// Returns how many entries cargo-audit reported in all, so callers can see the comparison was
/// not of two empty sets.
fn assert_same_reports(setup: &Setup, lockfiles: &[PathBuf]) -> usize {
    let mut differences = Vec::new();
    let mut compared = 0;
    for lockfile in lockfiles {
        let from_vouch = vouch_reports(setup, lockfile);
        let from_cargo_audit = cargo_audit_reports(setup, lockfile);
        compared += from_cargo_audit.len();
        let only_vouch: Vec<_> = from_vouch.difference(&from_cargo_audit).collect();
        let only_cargo_audit: Vec<_> = from_cargo_audit.difference(&from_vouch).collect();
        if !only_vouch.is_empty() || !only_cargo_audit.is_empty() {
            differences.push(format!(
                "{}:\n  only vouch: {only_vouch:#?}\n  only cargo-audit: {only_cargo_audit:#?}",
                lockfile.display()
            ));
        }
    }
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    compared
}

/// The Cargo.lock files under `directory`, sorted.
fn cargo_lockfiles(directory: &Path) -> Vec<PathBuf> {
    let mut lockfiles: Vec<PathBuf> = walkdir::WalkDir::new(directory)
        .into_iter()
        .map(|entry| entry.expect("the test data is readable"))
        .filter(|entry| entry.file_name() == "Cargo.lock")
        .map(walkdir::DirEntry::into_path)
        .collect();
    lockfiles.sort();
    lockfiles
}

#[test]
fn big_cargo_lockfiles_get_the_advisories_cargo_audit_reports() {
    let Some(setup) = setup() else { return };
    let Some(big) = vouch_test_support::data_path("big-lockfiles") else {
        return;
    };
    let lockfiles = cargo_lockfiles(&big);
    assert_eq!(lockfiles, [big.join("deno/Cargo.lock")]);
    assert!(assert_same_reports(&setup, &lockfiles) > 0);
}

/// cargo-audit's own test lockfiles: one per warning kind, a vulnerable one, one fixed by a
/// newer release, one with nothing to report, and the large branch-regression lock.
#[test]
fn cargo_audit_test_lockfiles_get_the_advisories_cargo_audit_reports() {
    let Some(setup) = setup() else { return };
    let Some(support) =
        vouch_test_support::data_path("rustsec-crate-fixtures/cargo-audit/tests/support")
    else {
        return;
    };
    let lockfiles = cargo_lockfiles(&support);
    // base64_vuln, both binaries/*, branch-regression, no_vulns, notice, unaffected-newer,
    // unmaintained and yanked; `empty` holds no Cargo.lock.
    assert_eq!(lockfiles.len(), 9);
    assert!(assert_same_reports(&setup, &lockfiles) > 0);
}

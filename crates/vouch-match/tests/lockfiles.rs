//! From a lockfile to findings: cargo-audit's own test projects, catalogued by vouch and matched
//! against the RustSec advisory database. Expected answers were read from the lockfiles and the
//! advisories they name.

#[allow(
    dead_code,
    reason = "these tests scan catalogued lockfiles, not BOMs of purls"
)]
mod common;

use std::path::Path;

use vouch_match::Scan;

/// Catalogs `fixture` (a directory under cargo-audit's `tests/support`) and scans it.
fn scan_project(fixture: &str) -> Option<Scan> {
    let snapshot = common::snapshot()?;
    let directory = vouch_test_support::data_path(&format!(
        "rustsec-crate-fixtures/cargo-audit/tests/support/{fixture}"
    ))?;
    let report = vouch_catalog::catalog_path(
        Path::new(&directory).join("Cargo.lock").as_path(),
        &vouch_catalog::CatalogOptions::default(),
        &|_| {},
    )
    .unwrap_or_else(|error| panic!("{fixture}: {error}"));
    assert!(
        report.failures.is_empty(),
        "{fixture}: {:?}",
        report.failures
    );
    Some(vouch_match::scan(&report.bom, snapshot).unwrap_or_else(|error| panic!("{error}")))
}

/// (package, version, advisory id) of each finding.
fn found(scan: &Scan) -> Vec<(&str, &str, &str)> {
    scan.findings
        .iter()
        .map(|finding| {
            (
                finding.package.as_str(),
                finding.version.as_str(),
                finding.id.as_str(),
            )
        })
        .collect()
}

#[test]
fn a_vulnerable_dependency_is_found_with_its_fix() {
    // base64 0.5.1 is below RUSTSEC-2017-0004's fix, 0.5.2; byteorder 1.3.1 has no advisory.
    let Some(scan) = scan_project("base64_vuln") else {
        return;
    };
    assert_eq!(found(&scan), [("base64", "0.5.1", "RUSTSEC-2017-0004")]);
    assert_eq!(scan.warnings, []);
    assert_eq!(scan.remediations.len(), 1);
    assert_eq!(scan.remediations[0].fixed_version.as_deref(), Some("0.5.2"));
}

#[test]
fn unmaintained_and_notice_advisories_are_warnings() {
    // RUSTSEC-2022-0061: parity-wasm is unmaintained. RUSTSEC-2022-0058: a notice about
    // inconceivable. Neither has a patched version.
    for (fixture, expected) in [
        (
            "unmaintained",
            ("parity-wasm", "0.45.0", "RUSTSEC-2022-0061", "unmaintained"),
        ),
        (
            "notice",
            ("inconceivable", "0.9.0", "RUSTSEC-2022-0058", "notice"),
        ),
    ] {
        let Some(scan) = scan_project(fixture) else {
            return;
        };
        assert_eq!(scan.findings, [], "{fixture}");
        assert_eq!(scan.remediations, [], "{fixture}");
        let warnings: Vec<_> = scan
            .warnings
            .iter()
            .map(|warning| {
                (
                    warning.package.as_str(),
                    warning.version.as_str(),
                    warning.id.as_str(),
                    warning.kind.as_str(),
                )
            })
            .collect();
        assert_eq!(warnings, [expected], "{fixture}");
    }
}

#[test]
fn an_unaffected_newer_range_is_a_fix_and_later_advisories_still_match() {
    // cargo-audit's `unaffected-newer` project locks hickory-proto 0.25.2. RUSTSEC-2026-0118 has
    // no patched version but `unaffected = [">= 0.26.0-beta.1"]`; RUSTSEC-2026-0119 is patched
    // in 0.26.1. Of the lockfile's 94 packages, the other RustSec advisories (tokio, smallvec,
    // ring, rand, zerocopy, ...) all end below the locked versions, and ring's unmaintained
    // RUSTSEC-2025-0007 is withdrawn.
    let Some(scan) = scan_project("unaffected-newer") else {
        return;
    };
    assert_eq!(
        found(&scan),
        [
            ("hickory-proto", "0.25.2", "RUSTSEC-2026-0118"),
            ("hickory-proto", "0.25.2", "RUSTSEC-2026-0119"),
        ]
    );
    assert_eq!(scan.findings[0].aliases, ["GHSA-3v94-mw7p-v465"]);
    assert_eq!(scan.findings[0].fixed_versions, ["0.26.0-beta.1"]);
    assert_eq!(scan.findings[1].aliases, ["GHSA-q2qq-hmj6-3wpp"]);
    assert_eq!(scan.findings[1].fixed_versions, ["0.26.1"]);
    // 0.26.0-beta.1 is still below RUSTSEC-2026-0119's fix.
    assert_eq!(
        scan.remediations[0].fixed_version.as_deref(),
        Some("0.26.1")
    );
    assert_eq!(scan.warnings, []);
}

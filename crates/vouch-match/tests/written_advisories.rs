//! Cases no staged database has, on advisories written for these tests (ids `TEST-*`; the
//! GHSA-style ones are marked by their `TEST` summary): GIT-only entries, advisories that cannot
//! be evaluated, distribution packages, severities merged across records, and upgrades past
//! ranges with several intervals.

#[allow(
    dead_code,
    reason = "these tests build their own stores and use only the BOM builder"
)]
mod common;

use vouch_match::{Scan, SeverityLevel, SeveritySource};
use vouch_vulndb::Store;

/// Imports `records` (file name, OSV JSON) into a fresh store and scans `purls` against it.
fn scan_against(
    records: &[(&str, &str)],
    purls: &[&str],
) -> Result<Scan, Box<dyn std::error::Error>> {
    let directory = tempfile::tempdir()?;
    let advisories = directory.path().join("advisories");
    std::fs::create_dir(&advisories)?;
    for (name, json) in records {
        std::fs::write(advisories.join(name), json)?;
    }
    let store = Store::new(directory.path().join("db"));
    let report = vouch_vulndb::import(&store, std::slice::from_ref(&advisories))?;
    assert_eq!(report.record_count, records.len());
    let snapshot = store.open()?.ok_or("the import left no snapshot")?;
    Ok(vouch_match::scan(&common::bom(purls), &snapshot)?)
}

fn ids(scan: &Scan) -> Vec<(&str, &str)> {
    scan.findings
        .iter()
        .map(|finding| (finding.component_id.as_str(), finding.id.as_str()))
        .collect()
}

#[test]
fn a_git_only_entry_matches_through_its_versions_list_and_never_errs()
-> Result<(), Box<dyn std::error::Error>> {
    let git_only = r#"{"id":"TEST-GIT-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"PyPI","name":"example"},
          "ranges":[{"type":"GIT","repo":"https://example.com/example",
                     "events":[{"introduced":"0"},{"fixed":"4b825dc642cb6eb9a060e54bf8d69288fbee4904"}]}],
          "versions":["1.0","1.1"]}]}"#;
    let git_without_versions = r#"{"id":"TEST-GIT-2","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"PyPI","name":"example"},
          "ranges":[{"type":"GIT","repo":"https://example.com/example",
                     "events":[{"introduced":"0"}]}]}]}"#;
    let scan = scan_against(
        &[
            ("git-only.json", git_only),
            ("git-bare.json", git_without_versions),
        ],
        &["pkg:pypi/example@1.1", "pkg:pypi/example@1.2"],
    )?;
    assert_eq!(ids(&scan), [("pkg:pypi/example@1.1", "TEST-GIT-1")]);
    // A GIT range has no fixed version, so nothing is known to clear the finding.
    assert_eq!(scan.findings[0].fixed_versions, Vec::<String>::new());
    assert_eq!(scan.remediations[0].fixed_version, None);
    assert_eq!(scan.problems, []);
    Ok(())
}

#[test]
fn an_advisory_that_cannot_be_evaluated_is_a_problem_and_the_others_still_match()
-> Result<(), Box<dyn std::error::Error>> {
    let broken = r#"{"id":"TEST-BROKEN-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"crates.io","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"one.two"}]}]}]}"#;
    let sound = r#"{"id":"TEST-SOUND-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"crates.io","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.0"}]}]}]}"#;
    let scan = scan_against(
        &[("broken.json", broken), ("sound.json", sound)],
        &["pkg:cargo/example@1.0.0"],
    )?;
    assert_eq!(ids(&scan), [("pkg:cargo/example@1.0.0", "TEST-SOUND-1")]);
    let [problem] = scan.problems.as_slice() else {
        panic!("expected one problem, got {:?}", scan.problems);
    };
    assert_eq!(problem.component_id.as_str(), "pkg:cargo/example@1.0.0");
    assert_eq!(problem.id, "TEST-BROKEN-1");
    assert!(
        problem.reason.starts_with("ranges[0].events[1].fixed: "),
        "{}",
        problem.reason
    );
    Ok(())
}

#[test]
fn distribution_packages_match_their_source_package_in_their_release()
-> Result<(), Box<dyn std::error::Error>> {
    let debian = r#"{"id":"TEST-DEB-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"Debian:12","name":"openssl"},
          "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"3.0.13-1~deb12u1"}]}]}]}"#;
    let alpine = r#"{"id":"TEST-APK-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"Alpine:v3.18","name":"busybox"},
          "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.36.1-r1"}]}]}]}"#;
    let scan = scan_against(
        &[("debian.json", debian), ("alpine.json", alpine)],
        &[
            // dpkg orders `~deb12u1` before the plain revision, so 3.0.11-1~deb12u2 is older.
            "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl",
            "pkg:deb/debian/libssl3@3.0.13-1~deb12u1?distro=debian-12&upstream=openssl",
            // The same package in another release is another ecosystem.
            "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u5?distro=debian-11&upstream=openssl",
            "pkg:apk/alpine/busybox@1.36.1-r0?distro=alpine-3.18.4",
            "pkg:apk/alpine/busybox@1.36.1-r1?distro=alpine-3.18.4",
        ],
    )?;
    assert_eq!(
        ids(&scan),
        [
            (
                "pkg:apk/alpine/busybox@1.36.1-r0?distro=alpine-3.18.4",
                "TEST-APK-1"
            ),
            (
                "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?distro=debian-12&upstream=openssl",
                "TEST-DEB-1"
            ),
        ]
    );
    assert_eq!(scan.findings[1].ecosystem, "Debian:12");
    assert_eq!(scan.findings[1].package, "openssl");
    assert_eq!(
        scan.remediations
            .iter()
            .map(|remediation| remediation.fixed_version.as_deref())
            .collect::<Vec<_>>(),
        [Some("1.36.1-r1"), Some("3.0.13-1~deb12u1")]
    );
    Ok(())
}

#[test]
fn a_merged_finding_takes_the_worst_severity_of_its_records()
-> Result<(), Box<dyn std::error::Error>> {
    // One flaw in two databases: the GHSA-style record rates it CRITICAL without a vector, the
    // other gives a medium CVSS vector (AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N is 5.4).
    let rated = r#"{"id":"GHSA-test-test-test","modified":"2024-02-01T00:00:00Z",
        "aliases":["CVE-2024-0001"],"summary":"TEST: rated by its database",
        "database_specific":{"severity":"CRITICAL"},
        "affected":[{"package":{"ecosystem":"npm","name":"@example/lib"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.4.2"}]}]}]}"#;
    let scored = r#"{"id":"TEST-CVSS-1","modified":"2024-01-01T00:00:00Z",
        "aliases":["CVE-2024-0001"],
        "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N"}],
        "affected":[{"package":{"ecosystem":"npm","name":"@example/lib"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"1.0.0"},{"fixed":"1.4.1"}]}]}]}"#;
    let scan = scan_against(
        &[("rated.json", rated), ("scored.json", scored)],
        &["pkg:npm/%40example/lib@1.2.0"],
    )?;
    let [finding] = scan.findings.as_slice() else {
        panic!("expected one merged finding, got {:?}", scan.findings);
    };
    // GHSA is preferred over other databases outside crates.io, Go, PyPI and CRAN.
    assert_eq!(finding.id, "GHSA-test-test-test");
    assert_eq!(finding.aliases, ["CVE-2024-0001", "TEST-CVSS-1"]);
    assert_eq!(finding.severity.level, SeverityLevel::Critical);
    assert_eq!(finding.severity.source, SeveritySource::DatabaseSpecific);
    assert_eq!(
        finding.summary.as_deref(),
        Some("TEST: rated by its database")
    );
    assert_eq!(finding.fixed_versions, ["1.4.1", "1.4.2"]);
    assert_eq!(finding.modified.as_deref(), Some("2024-02-01T00:00:00Z"));
    // 1.4.1 is still inside the GHSA record's range.
    assert_eq!(scan.remediations[0].fixed_version.as_deref(), Some("1.4.2"));
    Ok(())
}

#[test]
fn the_upgrade_can_be_a_later_fix_of_a_range_with_several_intervals()
-> Result<(), Box<dyn std::error::Error>> {
    // TEST-BRANCHES-1 holds [0, 1.2.0) and [1.5.0, 2.0.0); TEST-WIDE-1 holds [0, 1.8.0). At
    // 1.0.0, 1.2.0 is still in TEST-WIDE-1 and 1.8.0 in TEST-BRANCHES-1's second interval:
    // only 2.0.0, which ends that interval, clears both.
    let branches = r#"{"id":"TEST-BRANCHES-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"crates.io","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.2.0"},
                                               {"introduced":"1.5.0"},{"fixed":"2.0.0"}]}]}]}"#;
    let wide = r#"{"id":"TEST-WIDE-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"crates.io","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.8.0"}]}]}]}"#;
    let scan = scan_against(
        &[("branches.json", branches), ("wide.json", wide)],
        &["pkg:cargo/example@1.0.0"],
    )?;
    assert_eq!(
        ids(&scan),
        [
            ("pkg:cargo/example@1.0.0", "TEST-BRANCHES-1"),
            ("pkg:cargo/example@1.0.0", "TEST-WIDE-1"),
        ]
    );
    // Each finding names the fix of the interval the version is in.
    assert_eq!(scan.findings[0].fixed_versions, ["1.2.0"]);
    assert_eq!(scan.findings[1].fixed_versions, ["1.8.0"]);
    assert_eq!(scan.remediations[0].fixed_version.as_deref(), Some("2.0.0"));
    Ok(())
}

#[test]
fn an_incompatible_module_is_upgraded_to_the_incompatible_spelling_of_its_fix()
-> Result<(), Box<dyn std::error::Error>> {
    // The Go database writes the fix with `+incompatible`, GHSA without; both name one release,
    // and `go get` resolves only the spelling the module's versions carry.
    let go = r#"{"id":"TEST-GO-1","modified":"2024-01-01T00:00:00Z","aliases":["TEST-GHSA-1"],
        "affected":[{"package":{"ecosystem":"Go","name":"example.com/module"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"2.0.1+incompatible"}]}]}]}"#;
    let ghsa = r#"{"id":"TEST-GHSA-1","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"Go","name":"example.com/module"},
          "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"2.0.1"}]}]}]}"#;
    for (current, expected) in [
        ("v2.0.0%2Bincompatible", "2.0.1+incompatible"),
        ("v1.9.0", "2.0.1"),
    ] {
        let scan = scan_against(
            &[("go.json", go), ("ghsa.json", ghsa)],
            &[&format!("pkg:golang/example.com/module@{current}")],
        )?;
        assert_eq!(scan.findings.len(), 1, "{current}");
        assert_eq!(
            scan.remediations[0].fixed_version.as_deref(),
            Some(expected),
            "{current}"
        );
    }
    Ok(())
}

#[test]
fn an_upgrade_skips_versions_that_another_advisory_affects()
-> Result<(), Box<dyn std::error::Error>> {
    // 1.0.0 has TEST-A only; its fix 1.1.0 is inside TEST-B's range, which 1.0.0 is not.
    let first = r#"{"id":"TEST-A","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"npm","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.1.0"}]}]}]}"#;
    let second = r#"{"id":"TEST-B","modified":"2024-01-01T00:00:00Z",
        "affected":[{"package":{"ecosystem":"npm","name":"example"},
          "ranges":[{"type":"SEMVER","events":[{"introduced":"1.1.0"},{"fixed":"1.2.0"}]}]}]}"#;
    let scan = scan_against(
        &[("a.json", first), ("b.json", second)],
        &["pkg:npm/example@1.0.0"],
    )?;
    assert_eq!(ids(&scan), [("pkg:npm/example@1.0.0", "TEST-A")]);
    assert_eq!(scan.findings[0].fixed_versions, ["1.1.0"]);
    assert_eq!(scan.remediations[0].fixed_version.as_deref(), Some("1.2.0"));
    Ok(())
}

//! Matching against the staged advisory databases. Every expected answer was read from the
//! advisory files named beside it.

mod common;

use vouch_match::{Finding, Scan, Severity, SeverityLevel, SeveritySource, SkipReason};
use vouch_model::{Bom, Component, ComponentKind};

fn scan_bom(bom: &Bom) -> Option<Scan> {
    let snapshot = common::snapshot()?;
    Some(vouch_match::scan(bom, snapshot).unwrap_or_else(|error| panic!("{error}")))
}

fn scan_purls(purls: &[&str]) -> Option<Scan> {
    scan_bom(&common::bom(purls))
}

fn scan_purl(purl: &str) -> Option<Scan> {
    scan_purls(&[purl])
}

/// The primary ids of the findings, in the scan's order.
fn ids(scan: &Scan) -> Vec<&str> {
    scan.findings
        .iter()
        .map(|finding| finding.id.as_str())
        .collect()
}

/// The finding with primary id `id`.
fn finding<'a>(scan: &'a Scan, id: &str) -> &'a Finding {
    scan.findings
        .iter()
        .find(|finding| finding.id == id)
        .unwrap_or_else(|| panic!("no finding {id} in {:?}", ids(scan)))
}

fn fixed_version(scan: &Scan) -> Option<Option<&str>> {
    match scan.remediations.as_slice() {
        [] => None,
        [remediation] => Some(remediation.fixed_version.as_deref()),
        more => panic!("{} remediations for one component", more.len()),
    }
}

fn cvss(level: SeverityLevel, score: f64, vector: &str) -> Severity {
    Severity {
        level,
        score: Some(score),
        vector: Some(vector.to_owned()),
        source: SeveritySource::Cvss,
    }
}

/// The record ids a finding merged, with the staged set each came from.
fn records(finding: &Finding) -> Vec<(&str, &str)> {
    finding
        .records
        .iter()
        .map(|record| {
            let set = common::SOURCES
                .iter()
                .find(|set| record.source.ends_with(*set))
                .unwrap_or_else(|| panic!("{} is not a staged set", record.source));
            (record.id.as_str(), *set)
        })
        .collect()
}

const GO_GETTER: &str = "pkg:golang/github.com/hashicorp/go-getter";

// golang-vulndb holds six GO records for github.com/hashicorp/go-getter: GO-2022-0438 [0, 1.5.11),
// GO-2022-0586 [0, 1.6.1), GO-2023-1578 [0, 1.7.0), GO-2024-2800 [1.5.9, 1.7.4),
// GO-2025-3892 [0, 1.7.9), GO-2026-5058 [0, 1.8.6). The GitHub sample's GHSA-28r2-q6m8-9hpx
// covers [0, 1.6.1) and [2.0.0, 2.1.0), and GO-2022-0586 lists it among its aliases.

#[test]
fn a_go_record_and_its_ghsa_record_merge_into_one_finding() {
    let Some(scan) = scan_purls(&[&format!("{GO_GETTER}@v1.6.0")]) else {
        return;
    };
    assert_eq!(
        ids(&scan),
        [
            "GO-2022-0586",
            "GO-2023-1578",
            "GO-2024-2800",
            "GO-2025-3892",
            "GO-2026-5058"
        ]
    );
    let merged = finding(&scan, "GO-2022-0586");
    assert_eq!(merged.ecosystem, "Go");
    assert_eq!(merged.package, "github.com/hashicorp/go-getter");
    assert_eq!(merged.version, "1.6.0");
    assert_eq!(
        merged.aliases,
        [
            "CVE-2022-26945",
            "CVE-2022-30321",
            "CVE-2022-30322",
            "CVE-2022-30323",
            "GHSA-28r2-q6m8-9hpx",
            "GHSA-cjr4-fv6c-f3mv",
            "GHSA-fcgg-rvwg-jv58",
            "GHSA-x24g-9w7v-vprh",
        ]
    );
    assert_eq!(
        records(merged),
        [
            ("GHSA-28r2-q6m8-9hpx", "github-advisory-database-sample"),
            ("GO-2022-0586", "golang-vulndb/osv"),
        ]
    );
    // The GO record's summary, though the GHSA record has one too.
    assert_eq!(
        merged.summary.as_deref(),
        Some("Resource exhaustion in github.com/hashicorp/go-getter and related modules")
    );
    assert_eq!(merged.url, "https://osv.dev/vulnerability/GO-2022-0586");
    // The GO record has no severity; the GHSA record's vector is AV:N/AC:L/PR:N/UI:N/S:U with
    // C:L/I:L/A:H: 8.22 × 0.85 × 0.77 × 0.85 × 0.85 = 3.887 exploitability, 6.42 × 0.7323 = 4.701
    // impact, rounded up 8.6.
    assert_eq!(
        merged.severity,
        cvss(
            SeverityLevel::High,
            8.6,
            "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:H"
        )
    );
    assert_eq!(merged.fixed_versions, ["1.6.1"]);
    // golang-vulndb writes the zero time; the GHSA record's is the later.
    assert_eq!(merged.modified.as_deref(), Some("2022-11-21T19:45:07Z"));
    assert_eq!(finding(&scan, "GO-2024-2800").fixed_versions, ["1.7.4"]);
    assert_eq!(
        finding(&scan, "GO-2024-2800").severity.level,
        SeverityLevel::Unknown
    );
    // The smallest fix above 1.6.0 that none of the five affects is the last of them.
    assert_eq!(fixed_version(&scan), Some(Some("1.8.6")));
    assert_eq!(scan.remediations[0].finding_ids, ids(&scan));
    assert_eq!(scan.problems, []);
}

#[test]
fn a_version_exactly_at_introduced_is_affected_and_one_below_is_not() {
    let Some(at) = scan_purls(&[&format!("{GO_GETTER}@v1.5.9")]) else {
        return;
    };
    assert_eq!(
        ids(&at),
        [
            "GO-2022-0438",
            "GO-2022-0586",
            "GO-2023-1578",
            "GO-2024-2800",
            "GO-2025-3892",
            "GO-2026-5058"
        ]
    );
    let Some(below) = scan_purls(&[&format!("{GO_GETTER}@v1.5.8")]) else {
        return;
    };
    assert_eq!(
        ids(&below),
        [
            "GO-2022-0438",
            "GO-2022-0586",
            "GO-2023-1578",
            "GO-2025-3892",
            "GO-2026-5058"
        ]
    );
}

#[test]
fn a_version_exactly_at_fixed_is_not_affected() {
    let Some(scan) = scan_purls(&[&format!("{GO_GETTER}@v1.7.4")]) else {
        return;
    };
    assert_eq!(ids(&scan), ["GO-2025-3892", "GO-2026-5058"]);
    assert_eq!(fixed_version(&scan), Some(Some("1.8.6")));
    let Some(fixed) = scan_purl(&format!("{GO_GETTER}@v1.8.6")) else {
        return;
    };
    assert_eq!(ids(&fixed), Vec::<&str>::new());
    assert_eq!(fixed.remediations, []);
}

// github.com/docker/docker in golang-vulndb: 30 GO records, their SEMVER events written with
// `+incompatible`; GO-2024-2500 [0, 20.10.9+incompatible) is also the GitHub sample's
// GHSA-3fwx-pjgw-3558, whose ECOSYSTEM range [0, 20.10.9) has no `+incompatible`.

#[test]
fn an_incompatible_go_version_matches_ranges_with_and_without_the_suffix() {
    let docker = "pkg:golang/github.com/docker/docker";
    let Some(before) = scan_purls(&[&format!("{docker}@v20.10.8%2Bincompatible")]) else {
        return;
    };
    // Of the 30 records, those whose ranges hold 20.10.8: from 0 or 1.12.0 up to a later
    // 20.10.x fix, from 20.10.0 (GO-2024-3005), and the five with no fix at all.
    assert_eq!(
        ids(&before),
        [
            "GO-2022-0390",
            "GO-2022-0985",
            "GO-2022-1107",
            "GO-2023-1699",
            "GO-2023-1700",
            "GO-2023-1701",
            "GO-2024-2500",
            "GO-2024-2512",
            "GO-2024-2913",
            "GO-2024-2914",
            "GO-2024-3005",
            "GO-2026-4883",
            "GO-2026-4887",
            "GO-2026-5617",
            "GO-2026-5668",
            "GO-2026-5746",
        ]
    );
    let merged = finding(&before, "GO-2024-2500");
    assert_eq!(merged.version, "20.10.8+incompatible");
    assert_eq!(merged.aliases, ["CVE-2021-41091", "GHSA-3fwx-pjgw-3558"]);
    assert_eq!(merged.fixed_versions, ["20.10.9", "20.10.9+incompatible"]);
    // GO-2024-3005's range has three intervals; only the first holds 20.10.8.
    assert_eq!(
        finding(&before, "GO-2024-3005").fixed_versions,
        ["25.0.6+incompatible"]
    );
    // Five records have no fix, so no upgrade clears everything.
    assert_eq!(fixed_version(&before), Some(None));

    let Some(at_fix) = scan_purls(&[&format!("{docker}@v20.10.9%2Bincompatible")]) else {
        return;
    };
    let remaining = ids(&at_fix);
    assert_eq!(remaining.len(), 14);
    assert!(!remaining.contains(&"GO-2024-2500"));
    assert!(!remaining.contains(&"GO-2024-2913"));
}

// GHSA-8525-52vg-jv6v: com.qualys.plugins:qualys-pc, introduced 0, last_affected 1.0.5, no fix.

#[test]
fn a_version_exactly_at_last_affected_is_affected_and_the_next_is_not() {
    let Some(at) = scan_purl("pkg:maven/com.qualys.plugins/qualys-pc@1.0.5") else {
        return;
    };
    assert_eq!(ids(&at), ["GHSA-8525-52vg-jv6v"]);
    let affected = finding(&at, "GHSA-8525-52vg-jv6v");
    assert_eq!(affected.package, "com.qualys.plugins:qualys-pc");
    assert_eq!(affected.aliases, ["CVE-2023-6147"]);
    assert_eq!(affected.fixed_versions, Vec::<String>::new());
    // AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:N/A:N: 2.068 exploitability + 3.595 impact, rounded up 5.7.
    assert_eq!(
        affected.severity,
        cvss(
            SeverityLevel::Medium,
            5.7,
            "CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:U/C:H/I:N/A:N"
        )
    );
    // Nothing fixes it, so no upgrade clears it.
    assert_eq!(fixed_version(&at), Some(None));

    let Some(after) = scan_purl("pkg:maven/com.qualys.plugins/qualys-pc@1.0.6") else {
        return;
    };
    assert_eq!(ids(&after), Vec::<&str>::new());
}

#[test]
fn ghsa_database_severity_stands_in_for_a_missing_vector() {
    // GHSA-23rx-79r7-6cpx has no `severity[]`, and `database_specific.severity: MODERATE`.
    let Some(scan) = scan_purl("pkg:maven/de.tum.in.ase/artemis-java-test-sandbox@1.7.5") else {
        return;
    };
    assert_eq!(ids(&scan), ["GHSA-23rx-79r7-6cpx"]);
    assert_eq!(
        scan.findings[0].severity,
        Severity {
            level: SeverityLevel::Medium,
            score: None,
            vector: None,
            source: SeveritySource::DatabaseSpecific,
        }
    );
    assert_eq!(scan.findings[0].fixed_versions, ["1.7.6"]);
    assert_eq!(fixed_version(&scan), Some(Some("1.7.6")));
}

#[test]
fn an_npm_pre_release_before_the_fixing_pre_release_is_affected() {
    // GHSA-32r3-57hp-cgfw: @evershop/evershop from 0, fixed 1.0.0-rc.9.
    let Some(scan) = scan_purls(&[
        "pkg:npm/%40evershop/evershop@1.0.0-rc.8",
        "pkg:npm/%40evershop/evershop@1.0.0-rc.9",
        "pkg:npm/%40evershop/evershop@1.0.0",
    ]) else {
        return;
    };
    assert_eq!(ids(&scan), ["GHSA-32r3-57hp-cgfw"]);
    let affected = &scan.findings[0];
    assert_eq!(
        affected.component_id.as_str(),
        "pkg:npm/%40evershop/evershop@1.0.0-rc.8"
    );
    assert_eq!(affected.package, "@evershop/evershop");
    // AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:L: 2.221 + 5.452, rounded up 7.7.
    assert_eq!(affected.severity.level, SeverityLevel::High);
    assert_eq!(affected.severity.score, Some(7.7));
    assert_eq!(fixed_version(&scan), Some(Some("1.0.0-rc.9")));
}

// RustSec's tokio advisories: RUSTSEC-2021-0072 [0.3.0, 1.5.1) [1.6.0, 1.6.3) [1.7.0, 1.7.2)
// [1.8.0, 1.8.1); RUSTSEC-2021-0124 [0.1.14, 1.8.4) [1.9.0, 1.13.1); RUSTSEC-2023-0001
// [1.7.0, 1.18.4) [1.19.0, 1.20.3) [1.21.0, 1.23.1); RUSTSEC-2023-0005 (informational
// `unsound`) [0.2.0, 1.18.5) [1.19.0, 1.20.4) [1.21.0, 1.24.2).

#[test]
fn rustsec_ranges_with_several_branches_and_an_unsound_warning() {
    let Some(scan) = scan_purl("pkg:cargo/tokio@1.8.0") else {
        return;
    };
    assert_eq!(
        ids(&scan),
        [
            "RUSTSEC-2021-0072",
            "RUSTSEC-2021-0124",
            "RUSTSEC-2023-0001"
        ]
    );
    assert_eq!(
        finding(&scan, "RUSTSEC-2021-0072").aliases,
        ["CVE-2021-38191", "GHSA-2grh-hm3w-w7hv"]
    );
    assert_eq!(
        finding(&scan, "RUSTSEC-2021-0072").fixed_versions,
        ["1.8.1"]
    );
    assert_eq!(
        finding(&scan, "RUSTSEC-2021-0124").fixed_versions,
        ["1.8.4"]
    );
    assert_eq!(
        finding(&scan, "RUSTSEC-2023-0001").fixed_versions,
        ["1.18.4"]
    );
    // 1.8.1 is still in RUSTSEC-2021-0124, 1.8.4 in RUSTSEC-2023-0001; 1.18.4 is in none.
    assert_eq!(fixed_version(&scan), Some(Some("1.18.4")));
    let [warning] = scan.warnings.as_slice() else {
        panic!("expected one warning, got {:?}", scan.warnings);
    };
    assert_eq!(warning.id, "RUSTSEC-2023-0005");
    assert_eq!(warning.kind, "unsound");
    assert_eq!(warning.aliases, ["GHSA-4q83-7cq4-p6wg"]);
    assert_eq!(warning.fixed_versions, ["1.18.5"]);

    let Some(at_fix) = scan_purl("pkg:cargo/tokio@1.8.1") else {
        return;
    };
    assert_eq!(ids(&at_fix), ["RUSTSEC-2021-0124", "RUSTSEC-2023-0001"]);

    // Fixed on every vulnerability, still inside the unsound range: a warning and no finding.
    let Some(later) = scan_purl("pkg:cargo/tokio@1.23.1") else {
        return;
    };
    assert_eq!(ids(&later), Vec::<&str>::new());
    assert_eq!(later.remediations, []);
    assert_eq!(later.warnings.len(), 1);
    assert_eq!(later.warnings[0].id, "RUSTSEC-2023-0005");
}

#[test]
fn a_rustsec_cvss_3_0_vector_is_scored() {
    // RUSTSEC-2017-0004: base64 below 0.5.2, CVSS:3.0 AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H.
    let Some(scan) = scan_purls(&["pkg:cargo/base64@0.5.1", "pkg:cargo/base64@0.5.2"]) else {
        return;
    };
    assert_eq!(ids(&scan), ["RUSTSEC-2017-0004"]);
    let affected = &scan.findings[0];
    assert_eq!(affected.component_id.as_str(), "pkg:cargo/base64@0.5.1");
    assert_eq!(
        affected.aliases,
        ["CVE-2017-1000430", "GHSA-x67x-vg9m-65c3"]
    );
    assert_eq!(
        affected.summary.as_deref(),
        Some("Integer overflow leads to heap-based buffer overflow in encode_config_buf")
    );
    assert_eq!(
        affected.severity,
        cvss(
            SeverityLevel::Critical,
            9.8,
            "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        )
    );
    assert_eq!(fixed_version(&scan), Some(Some("0.5.2")));
}

#[test]
fn an_unmaintained_crate_is_a_warning_not_a_vulnerability() {
    // RUSTSEC-2021-0139: ansi_term is unmaintained, every version, no fix.
    let Some(scan) = scan_purl("pkg:cargo/ansi_term@0.12.1") else {
        return;
    };
    assert_eq!(scan.findings, []);
    assert_eq!(scan.remediations, []);
    let [warning] = scan.warnings.as_slice() else {
        panic!("expected one warning, got {:?}", scan.warnings);
    };
    assert_eq!(warning.id, "RUSTSEC-2021-0139");
    assert_eq!(warning.kind, "unmaintained");
    assert_eq!(
        warning.summary.as_deref(),
        Some("ansi_term is Unmaintained")
    );
    assert_eq!(
        warning.url,
        "https://osv.dev/vulnerability/RUSTSEC-2021-0139"
    );
    assert_eq!(warning.aliases, Vec::<String>::new());
    assert_eq!(warning.fixed_versions, Vec::<String>::new());
}

#[test]
fn a_withdrawn_advisory_matches_nothing() -> Result<(), vouch_vulndb::DbError> {
    // RUSTSEC-2020-0053 ("dirs is unmaintained") was withdrawn on 2021-04-19; it is the only
    // advisory about `dirs`.
    let Some(snapshot) = common::snapshot() else {
        return Ok(());
    };
    let stored = snapshot.records_by_id("RUSTSEC-2020-0053")?;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].withdrawn.as_deref(), Some("2021-04-19T12:00:00Z"));
    let Some(scan) = scan_purl("pkg:cargo/dirs@3.0.2") else {
        return Ok(());
    };
    assert_eq!(scan.findings, []);
    assert_eq!(scan.warnings, []);
    assert_eq!(scan.problems, []);
    Ok(())
}

#[test]
fn an_explicit_versions_list_matches_its_versions_only() {
    // PYSEC-2024-1: gratient, no ranges, `versions: ["0.5"]`; PEP 440 makes 0.5.0 the same.
    let Some(scan) = scan_purls(&[
        "pkg:pypi/gratient@0.4",
        "pkg:pypi/gratient@0.5",
        "pkg:pypi/gratient@0.5.0",
        "pkg:pypi/gratient@0.6",
    ]) else {
        return;
    };
    let affected: Vec<(&str, &str)> = scan
        .findings
        .iter()
        .map(|finding| (finding.component_id.as_str(), finding.id.as_str()))
        .collect();
    assert_eq!(
        affected,
        [
            ("pkg:pypi/gratient@0.5", "PYSEC-2024-1"),
            ("pkg:pypi/gratient@0.5.0", "PYSEC-2024-1"),
        ]
    );
    assert_eq!(
        scan.findings[0].summary.as_deref(),
        Some("gratient 0.5 contains credential harvesting code")
    );
    // No fix exists.
    assert!(
        scan.remediations
            .iter()
            .all(|remediation| remediation.fixed_version.is_none())
    );
    assert_eq!(scan.remediations.len(), 2);
}

#[test]
fn a_git_range_beside_an_ecosystem_range_is_left_out_without_a_problem() {
    // PYSEC-2017-19: mlalchemy, a GIT range and ECOSYSTEM [0, 0.2.2), versions 0.1.0 to 0.2.1.
    let Some(scan) = scan_purls(&["pkg:pypi/MLAlchemy@0.2.1", "pkg:pypi/mlalchemy@0.2.2"]) else {
        return;
    };
    assert_eq!(ids(&scan), ["PYSEC-2017-19"]);
    let affected = &scan.findings[0];
    assert_eq!(affected.package, "mlalchemy");
    assert_eq!(affected.aliases, ["CVE-2017-16615", "GHSA-xpm8-98mx-h4c5"]);
    assert_eq!(affected.fixed_versions, ["0.2.2"]);
    assert_eq!(affected.severity, Severity::unknown());
    assert_eq!(
        affected.modified.as_deref(),
        Some("2021-07-05T00:01:22.762966Z")
    );
    assert_eq!(scan.problems, []);
}

#[test]
fn cran_advisories_of_one_package_clear_at_the_later_fix() {
    // RSEC-2023-6: commonmark [0.2, 1.8); RSEC-2023-8: commonmark [0.2, 1.9.2).
    let Some(scan) = scan_purl("pkg:cran/commonmark@1.7") else {
        return;
    };
    assert_eq!(ids(&scan), ["RSEC-2023-6", "RSEC-2023-8"]);
    assert_eq!(fixed_version(&scan), Some(Some("1.9.2")));
    let Some(at_first_fix) = scan_purl("pkg:cran/commonmark@1.8") else {
        return;
    };
    assert_eq!(ids(&at_first_fix), ["RSEC-2023-8"]);

    // RSEC-2026-1: png [0.1-3, 0.1-9), R's `-` separating version components.
    let Some(png) = scan_purls(&["pkg:cran/png@0.1-8", "pkg:cran/png@0.1-9"]) else {
        return;
    };
    assert_eq!(ids(&png), ["RSEC-2026-1"]);
    assert_eq!(fixed_version(&png), Some(Some("0.1-9")));
}

#[test]
fn drupal_projects_match_drupals_registry_qualified_advisories() {
    // DRUPAL-CONTRIB-2025-083: drupal/simple_sitemap [0, 4.2.2), ecosystem
    // `Packagist:https://packages.drupal.org/8`.
    let Some(scan) = scan_purl("pkg:composer/drupal/simple_sitemap@4.2.1") else {
        return;
    };
    assert_eq!(ids(&scan), ["DRUPAL-CONTRIB-2025-083"]);
    assert_eq!(scan.findings[0].aliases, ["CVE-2025-6676"]);
    assert_eq!(scan.findings[0].ecosystem, "Packagist");
    assert_eq!(fixed_version(&scan), Some(Some("4.2.2")));
    assert_eq!(
        records(&scan.findings[0]),
        [(
            "DRUPAL-CONTRIB-2025-083",
            "drupal-advisory-database/advisories"
        )]
    );
}

#[test]
fn components_osv_cannot_look_up_are_skipped_with_the_reason() {
    let mut bom = common::bom(&[
        "pkg:generic/openssl@3.0.0",
        "pkg:cargo/tokio",
        "pkg:cargo/tokio@not-a-version",
    ]);
    bom.components.push(Component::new(
        ComponentKind::Library,
        "vendored-zlib",
        Some("1.3".to_owned()),
    ));
    let Some(scan) = scan_bom(&bom) else {
        return;
    };
    assert_eq!(scan.findings, []);
    let skipped: Vec<(&str, &SkipReason)> = scan
        .skipped
        .iter()
        .map(|skipped| (skipped.component_id.as_str(), &skipped.reason))
        .collect();
    let [no_version, invalid, generic, no_purl] = skipped.as_slice() else {
        panic!("expected four skipped components, got {skipped:?}");
    };
    assert_eq!(*no_version, ("pkg:cargo/tokio", &SkipReason::NoVersion));
    assert_eq!(invalid.0, "pkg:cargo/tokio@not-a-version");
    assert!(
        matches!(invalid.1, SkipReason::InvalidVersion { version, .. } if version == "not-a-version"),
        "{invalid:?}"
    );
    assert_eq!(
        *generic,
        (
            "pkg:generic/openssl@3.0.0",
            &SkipReason::UnsupportedType {
                purl_type: "generic".to_owned()
            }
        )
    );
    assert_eq!(*no_purl, ("vendored-zlib@1.3", &SkipReason::NoPurl));
}

#[test]
fn findings_are_sorted_by_component_then_id_whatever_the_bom_order() {
    let purls = [
        "pkg:cargo/tokio@1.8.0",
        "pkg:cargo/base64@0.5.1",
        &format!("{GO_GETTER}@v1.7.4"),
    ];
    let Some(forward) = scan_purls(&purls) else {
        return;
    };
    let reversed: Vec<&str> = purls.iter().rev().copied().collect();
    let Some(backward) = scan_purls(&reversed) else {
        return;
    };
    assert_eq!(forward, backward);
    let order: Vec<(&str, &str)> = forward
        .findings
        .iter()
        .map(|finding| (finding.component_id.as_str(), finding.id.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("pkg:cargo/base64@0.5.1", "RUSTSEC-2017-0004"),
            ("pkg:cargo/tokio@1.8.0", "RUSTSEC-2021-0072"),
            ("pkg:cargo/tokio@1.8.0", "RUSTSEC-2021-0124"),
            ("pkg:cargo/tokio@1.8.0", "RUSTSEC-2023-0001"),
            (
                "pkg:golang/github.com/hashicorp/go-getter@v1.7.4",
                "GO-2025-3892"
            ),
            (
                "pkg:golang/github.com/hashicorp/go-getter@v1.7.4",
                "GO-2026-5058"
            ),
        ]
    );
}

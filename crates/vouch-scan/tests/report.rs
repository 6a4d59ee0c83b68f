//! The decisions of a scan report, on hand-made findings: which VEX statements suppress or
//! annotate a finding, which upgrades remain, when `--fail-on` trips, and how the SARIF and
//! table renderings rate and place each finding.

use serde_json::Value;
use vouch_formats::vex::{
    Justification, ProductRef, VexDocument, VexStatement, VexStatus, VulnerabilityRef,
};
use vouch_match::{Finding, Remediation, Scan, Severity, SeverityLevel, SeveritySource};
use vouch_model::{Bom, Component, Ecosystem, Location, Purl};
use vouch_scan::sarif::SarifOptions;
use vouch_scan::table::TableOptions;
use vouch_scan::{Database, FailOn, ReportContext, ScanReport, Tool, VexInput, build_report};

fn purl(text: &str) -> Purl {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

/// A crates.io component pinned in `Cargo.lock` at `line`.
fn component(purl_text: &str, line: u32) -> Component {
    let mut component = Component::package(Ecosystem::Cargo, purl(purl_text));
    component.locations = vec![Location {
        path: "Cargo.lock".to_owned(),
        line: Some(line),
    }];
    component
}

fn severity(level: SeverityLevel, score: Option<f64>) -> Severity {
    Severity {
        level,
        score,
        vector: None,
        source: if score.is_some() {
            SeveritySource::Cvss
        } else {
            SeveritySource::DatabaseSpecific
        },
    }
}

/// A finding of advisory `id` (also known as `aliases`) in the package of `purl_text`.
fn finding(purl_text: &str, id: &str, aliases: &[&str], severity: Severity) -> Finding {
    let purl = purl(purl_text);
    Finding {
        component_id: Component::package(Ecosystem::Cargo, purl.clone()).id,
        package: purl.name().to_owned(),
        version: purl.version().unwrap_or_default().to_owned(),
        purl,
        ecosystem: "crates.io".to_owned(),
        id: id.to_owned(),
        aliases: aliases.iter().map(|alias| (*alias).to_owned()).collect(),
        summary: Some(format!("summary of {id}")),
        url: vouch_match::advisory_url(id),
        severity,
        fixed_versions: Vec::new(),
        records: Vec::new(),
        modified: None,
    }
}

fn remediation(finding: &Finding, fixed_version: Option<&str>, ids: &[&str]) -> Remediation {
    Remediation {
        component_id: finding.component_id.clone(),
        purl: finding.purl.clone(),
        ecosystem: finding.ecosystem.clone(),
        package: finding.package.clone(),
        version: finding.version.clone(),
        fixed_version: fixed_version.map(str::to_owned),
        finding_ids: ids.iter().map(|id| (*id).to_owned()).collect(),
    }
}

fn context() -> ReportContext {
    ReportContext {
        tool: Tool {
            name: "vouch".to_owned(),
            version: "0.0.0-test".to_owned(),
        },
        target: "project".to_owned(),
        database: Database {
            created_at: "2026-01-01T00:00:00Z".to_owned(),
            record_count: 0,
            sources: Vec::new(),
        },
    }
}

/// The report of `findings` in a BOM of `components`, with `remediations` and `vex` applied.
fn report(
    components: Vec<Component>,
    findings: Vec<Finding>,
    remediations: Vec<Remediation>,
    vex: &VexInput,
) -> ScanReport {
    let bom = Bom {
        components,
        ..Bom::default()
    };
    let scan = Scan {
        findings,
        warnings: Vec::new(),
        remediations,
        skipped: Vec::new(),
        problems: Vec::new(),
    };
    build_report(&bom, scan, vex, context())
}

/// A VEX statement that `vulnerability` has `status` in the package `purl_text`.
fn statement(vulnerability: &str, purl_text: &str, status: VexStatus) -> VexStatement {
    let mut statement = VexStatement::new(
        VulnerabilityRef::new(vulnerability),
        vec![ProductRef::from_purl(purl(purl_text))],
        status,
    );
    if status == VexStatus::NotAffected {
        statement.justification = Some(Justification::VulnerableCodeNotPresent);
    }
    statement
}

fn vex(statements: Vec<VexStatement>) -> VexInput {
    let mut input = VexInput::default();
    input.add(
        "triage.openvex.json",
        VexDocument {
            timestamp: Some("2026-03-01T00:00:00Z".to_owned()),
            statements,
            ..VexDocument::default()
        },
    );
    input
}

fn ids(findings: &[vouch_scan::ReportedFinding]) -> Vec<&str> {
    findings
        .iter()
        .map(|finding| finding.finding.id.as_str())
        .collect()
}

#[test]
fn fail_on_trips_at_its_level_and_above_and_unknown_trips_low_only() {
    // Rows: low, medium, high, critical; columns: SeverityLevel::ALL.
    let expected = [
        (FailOn::Low, [true, false, true, true, true, true]),
        (FailOn::Medium, [false, false, false, true, true, true]),
        (FailOn::High, [false, false, false, false, true, true]),
        (FailOn::Critical, [false, false, false, false, false, true]),
    ];
    for (threshold, trips) in expected {
        for (level, tripped) in SeverityLevel::ALL.into_iter().zip(trips) {
            let only = finding(
                "pkg:cargo/smallvec@1.6.0",
                "RUSTSEC-2021-0003",
                &[],
                severity(level, None),
            );
            let report = report(
                vec![component("pkg:cargo/smallvec@1.6.0", 1)],
                vec![only],
                Vec::new(),
                &VexInput::default(),
            );
            assert_eq!(
                threshold.is_tripped_by(&report),
                tripped,
                "{threshold:?} on {level:?}"
            );
        }
    }
}

#[test]
fn fail_on_reads_any_case_and_names_the_accepted_levels() {
    assert_eq!("HIGH".parse::<FailOn>(), Ok(FailOn::High));
    assert_eq!("Critical".parse::<FailOn>(), Ok(FailOn::Critical));
    assert_eq!(
        "severe".parse::<FailOn>(),
        Err("`severe` is not a severity: use low, medium, high or critical".to_owned())
    );
}

#[test]
fn not_affected_and_fixed_suppress_while_affected_and_under_investigation_annotate() {
    let packages = [
        (
            "pkg:cargo/a@1.0.0",
            "RUSTSEC-2026-0001",
            "CVE-2026-1001",
            VexStatus::NotAffected,
        ),
        (
            "pkg:cargo/b@1.0.0",
            "RUSTSEC-2026-0002",
            "CVE-2026-1002",
            VexStatus::Fixed,
        ),
        (
            "pkg:cargo/c@1.0.0",
            "RUSTSEC-2026-0003",
            "CVE-2026-1003",
            VexStatus::Affected,
        ),
        (
            "pkg:cargo/d@1.0.0",
            "RUSTSEC-2026-0004",
            "CVE-2026-1004",
            VexStatus::UnderInvestigation,
        ),
    ];
    let components = packages
        .iter()
        .zip(1..)
        .map(|((purl_text, ..), line)| component(purl_text, line))
        .collect();
    let findings: Vec<Finding> = packages
        .iter()
        .map(|(purl_text, id, cve, _)| {
            finding(
                purl_text,
                id,
                &[cve],
                severity(SeverityLevel::High, Some(7.5)),
            )
        })
        .collect();
    let remediations = findings
        .iter()
        .map(|finding| remediation(finding, Some("1.0.1"), &[finding.id.as_str()]))
        .collect();
    // Each statement names the CVE alias, not the finding's RUSTSEC id.
    let statements = packages
        .iter()
        .map(|(purl_text, _, cve, status)| statement(cve, purl_text, *status))
        .collect();
    let report = report(components, findings, remediations, &vex(statements));

    assert_eq!(
        ids(&report.suppressed),
        ["RUSTSEC-2026-0001", "RUSTSEC-2026-0002"]
    );
    assert_eq!(
        ids(&report.findings),
        ["RUSTSEC-2026-0003", "RUSTSEC-2026-0004"]
    );
    let decisions: Vec<(&str, &str, Option<&str>, &str)> = report
        .suppressed
        .iter()
        .chain(&report.findings)
        .filter_map(|finding| finding.vex.as_ref())
        .map(|decision| {
            (
                decision.status(),
                decision.vulnerability(),
                decision.justification(),
                decision.document.as_str(),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        [
            (
                "not_affected",
                "CVE-2026-1001",
                Some("vulnerable_code_not_present"),
                "triage.openvex.json"
            ),
            ("fixed", "CVE-2026-1002", None, "triage.openvex.json"),
            ("affected", "CVE-2026-1003", None, "triage.openvex.json"),
            (
                "under_investigation",
                "CVE-2026-1004",
                None,
                "triage.openvex.json"
            ),
        ]
    );
    let upgrades: Vec<&str> = report
        .remediations
        .iter()
        .map(|remediation| remediation.package.as_str())
        .collect();
    assert_eq!(upgrades, ["c", "d"]);
    assert_eq!(
        (
            report.summary.findings,
            report.summary.suppressed,
            report.summary.vulnerable_packages
        ),
        (2, 2, 2)
    );
}

#[test]
fn a_statement_about_another_version_or_another_vulnerability_does_not_apply() {
    let only = finding(
        "pkg:cargo/smallvec@1.6.0",
        "RUSTSEC-2021-0003",
        &["CVE-2021-25900"],
        severity(SeverityLevel::Critical, Some(9.8)),
    );
    let statements = vec![
        statement(
            "CVE-2021-25900",
            "pkg:cargo/smallvec@1.6.1",
            VexStatus::NotAffected,
        ),
        statement(
            "CVE-2019-15551",
            "pkg:cargo/smallvec@1.6.0",
            VexStatus::NotAffected,
        ),
        statement(
            "CVE-2021-25900",
            "pkg:cargo/smallvec-derive@1.6.0",
            VexStatus::Fixed,
        ),
    ];
    let report = report(
        vec![component("pkg:cargo/smallvec@1.6.0", 3)],
        vec![only],
        Vec::new(),
        &vex(statements),
    );
    assert_eq!(ids(&report.findings), ["RUSTSEC-2021-0003"]);
    assert!(report.findings[0].vex.is_none());
    assert!(report.suppressed.is_empty());
    assert!(FailOn::Critical.is_tripped_by(&report));
}

#[test]
fn a_versionless_statement_covers_every_version_and_suppressed_findings_never_trip() {
    let only = finding(
        "pkg:cargo/smallvec@1.6.0",
        "RUSTSEC-2021-0003",
        &[],
        severity(SeverityLevel::Critical, Some(9.8)),
    );
    let fixed = remediation(&only, Some("1.6.1"), &["RUSTSEC-2021-0003"]);
    let report = report(
        vec![component("pkg:cargo/smallvec@1.6.0", 3)],
        vec![only],
        vec![fixed],
        &vex(vec![statement(
            "RUSTSEC-2021-0003",
            "pkg:cargo/smallvec",
            VexStatus::NotAffected,
        )]),
    );
    assert_eq!(ids(&report.suppressed), ["RUSTSEC-2021-0003"]);
    assert!(report.remediations.is_empty());
    for threshold in [FailOn::Low, FailOn::Medium, FailOn::High, FailOn::Critical] {
        assert!(!threshold.is_tripped_by(&report), "{threshold:?}");
    }
    let zero: Vec<usize> = SeverityLevel::ALL
        .iter()
        .map(|level| {
            report
                .summary
                .by_severity
                .get(level)
                .copied()
                .unwrap_or(usize::MAX)
        })
        .collect();
    assert_eq!(zero, [0; 6], "every level is present, at zero");
}

#[test]
fn a_package_keeps_its_upgrade_while_one_of_its_findings_is_not_suppressed() {
    let first = finding(
        "pkg:cargo/time@0.1.44",
        "RUSTSEC-2020-0071",
        &["CVE-2020-26235"],
        severity(SeverityLevel::Medium, Some(6.2)),
    );
    let second = finding(
        "pkg:cargo/time@0.1.44",
        "RUSTSEC-2026-0009",
        &[],
        severity(SeverityLevel::Medium, Some(6.8)),
    );
    let upgrade = remediation(
        &first,
        Some("0.3.47"),
        &["RUSTSEC-2020-0071", "RUSTSEC-2026-0009"],
    );
    let report = report(
        vec![component("pkg:cargo/time@0.1.44", 9)],
        vec![first, second],
        vec![upgrade.clone()],
        &vex(vec![statement(
            "CVE-2020-26235",
            "pkg:cargo/time@0.1.44",
            VexStatus::NotAffected,
        )]),
    );
    assert_eq!(ids(&report.findings), ["RUSTSEC-2026-0009"]);
    assert_eq!(report.remediations, [upgrade]);
}

fn sarif(report: &ScanReport, show_suppressed: bool) -> Value {
    let bytes = vouch_scan::sarif::render(
        report,
        &SarifOptions {
            show_suppressed,
            fallback_uri: "bom.cdx.json".to_owned(),
            scanned_directory: String::new(),
        },
    )
    .unwrap_or_else(|error| panic!("SARIF: {error}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|error| panic!("SARIF is JSON: {error}"))
}

#[test]
fn sarif_security_severity_is_the_cvss_score_or_the_floor_of_the_rated_band() {
    // Database ratings without a score take the lowest score GitHub puts in the same band.
    let cases = [
        (SeverityLevel::Critical, None, Some("9.0"), "error"),
        (SeverityLevel::High, None, Some("7.0"), "error"),
        (SeverityLevel::High, Some(8.1), Some("8.1"), "error"),
        (SeverityLevel::Medium, None, Some("4.0"), "warning"),
        (SeverityLevel::Low, None, Some("0.1"), "note"),
        (SeverityLevel::None, None, Some("0.0"), "note"),
        (SeverityLevel::Unknown, None, None, "warning"),
    ];
    for (level, score, expected, expected_level) in cases {
        let only = finding(
            "pkg:cargo/smallvec@1.6.0",
            "RUSTSEC-2021-0003",
            &[],
            severity(level, score),
        );
        let report = report(
            vec![component("pkg:cargo/smallvec@1.6.0", 3)],
            vec![only],
            Vec::new(),
            &VexInput::default(),
        );
        let log = sarif(&report, false);
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(
            rule["properties"]["security-severity"].as_str(),
            expected,
            "{level:?} {score:?}"
        );
        assert_eq!(rule["defaultConfiguration"]["level"], expected_level);
        assert_eq!(log["runs"][0]["results"][0]["level"], expected_level);
    }
}

#[test]
fn sarif_has_one_rule_per_advisory_rated_by_its_worst_package() {
    // One advisory about two crates of a workspace, rated differently per crate.
    let medium = finding(
        "pkg:cargo/hyper@0.14.9",
        "GHSA-5h46-h7hh-c6x9",
        &[],
        severity(SeverityLevel::Medium, Some(5.3)),
    );
    let high = finding(
        "pkg:cargo/hyper-util@0.1.0",
        "GHSA-5h46-h7hh-c6x9",
        &[],
        severity(SeverityLevel::High, Some(7.5)),
    );
    let report = report(
        vec![
            component("pkg:cargo/hyper@0.14.9", 20),
            component("pkg:cargo/hyper-util@0.1.0", 27),
        ],
        vec![medium, high],
        Vec::new(),
        &VexInput::default(),
    );
    let log = sarif(&report, false);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(rules.len(), 1);
    assert_eq!(rules[0]["properties"]["security-severity"], "7.5");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
    let results: Vec<(u64, &str, u64)> = log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|result| {
            (
                result["ruleIndex"].as_u64().unwrap_or(u64::MAX),
                result["level"].as_str().unwrap_or_default(),
                result["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(results, [(0, "warning", 20), (0, "error", 27)]);
}

#[test]
fn sarif_points_a_package_without_a_lockfile_line_at_the_scanned_document() {
    let only = finding(
        "pkg:cargo/smallvec@1.6.0",
        "RUSTSEC-2021-0003",
        &[],
        severity(SeverityLevel::Critical, Some(9.8)),
    );
    // Components read from an SBOM have no lockfile location.
    let report = report(
        vec![Component::package(
            Ecosystem::Cargo,
            purl("pkg:cargo/smallvec@1.6.0"),
        )],
        vec![only],
        Vec::new(),
        &VexInput::default(),
    );
    let log = sarif(&report, false);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"],
        serde_json::json!([{
            "physicalLocation": {
                "artifactLocation": { "uri": "bom.cdx.json", "uriBaseId": "%SRCROOT%" }
            }
        }])
    );
}

#[test]
fn sarif_percent_encodes_the_lockfile_path_into_a_uri() {
    let only = finding(
        "pkg:cargo/smallvec@1.6.0",
        "RUSTSEC-2021-0003",
        &[],
        severity(SeverityLevel::Critical, Some(9.8)),
    );
    let mut pinned = component("pkg:cargo/smallvec@1.6.0", 3);
    pinned.locations = vec![Location {
        path: "services/report #2/Cargo.lock".to_owned(),
        line: Some(3),
    }];
    let report = report(vec![pinned], vec![only], Vec::new(), &VexInput::default());
    let log = sarif(&report, false);
    assert_eq!(
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "services/report%20%232/Cargo.lock"
    );
}

#[test]
fn table_says_so_when_there_was_nothing_to_scan() {
    let empty = report(Vec::new(), Vec::new(), Vec::new(), &VexInput::default());
    assert_eq!(
        vouch_scan::table::render(&empty, TableOptions::default()),
        "No packages found in project: nothing was scanned\n"
    );
}

#[test]
fn table_summary_counts_in_words_and_says_when_nothing_was_found() {
    let clean = report(
        vec![
            component("pkg:cargo/itoa@1.0.15", 1),
            component("pkg:cargo/libc@0.2.136", 7),
        ],
        Vec::new(),
        Vec::new(),
        &VexInput::default(),
    );
    assert_eq!(
        vouch_scan::table::render(&clean, TableOptions::default()),
        "No known vulnerabilities in 2 packages (2 scanned)\n"
    );
    let one = finding(
        "pkg:cargo/smallvec@1.6.0",
        "RUSTSEC-2021-0003",
        &["CVE-2021-25900"],
        severity(SeverityLevel::Critical, Some(9.8)),
    );
    let fixed = remediation(&one, Some("1.6.1"), &["RUSTSEC-2021-0003"]);
    let vulnerable = report(
        vec![
            component("pkg:cargo/itoa@1.0.15", 1),
            component("pkg:cargo/smallvec@1.6.0", 7),
        ],
        vec![one],
        vec![fixed],
        &VexInput::default(),
    );
    assert_eq!(
        vouch_scan::table::render(&vulnerable, TableOptions::default()),
        "smallvec 1.6.0 (crates.io) in Cargo.lock:7\n\
         \x20 fix: upgrade to 1.6.1\n\
         \x20 critical 9.8 RUSTSEC-2021-0003  summary of RUSTSEC-2021-0003\n\
         \x20              also CVE-2021-25900\n\
         \n\
         1 vulnerability in 1 of 2 packages: 1 critical\n"
    );
}

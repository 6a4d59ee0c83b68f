//! VEX: reading OpenVEX, CycloneDX VEX and CSAF documents from the upstream corpora, matching
//! statements to packages, and writing OpenVEX and CycloneDX VEX that validate.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;
use vouch_formats::vex::{
    Justification, OpenVexOptions, ProductRef, VexDocument, VexFormat, VexReadOutcome,
    VexStatement, VexStatus, VulnerabilityRef, effective_statement, purl_matches, read_vex,
    write_cyclonedx, write_openvex,
};
use vouch_formats::{Schema, validate_json};
use vouch_model::Purl;

fn purl(text: &str) -> Purl {
    Purl::parse_lenient(text).unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn read_path(path: &Path) -> VexReadOutcome {
    let bytes = std::fs::read(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    read_vex(&bytes, &path.display().to_string()).unwrap_or_else(|error| panic!("{error}"))
}

/// The document at `relative` under the shared data, `None` when the data is absent.
fn read_data(relative: &str) -> Option<VexReadOutcome> {
    vouch_test_support::data_path(relative).map(|path| read_path(&path))
}

fn read_text(text: &str) -> VexReadOutcome {
    read_vex(text.as_bytes(), "inline").unwrap_or_else(|error| panic!("{error}"))
}

fn product_purls(product: &ProductRef) -> ProductPurls {
    (
        product.purl.as_ref().map(ToString::to_string),
        product
            .subcomponents
            .iter()
            .filter_map(|subcomponent| subcomponent.purl.as_ref().map(ToString::to_string))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// OpenVEX

#[test]
fn openvex_v020_with_subcomponents() {
    let Some(outcome) = read_data("openvex/go-vex/pkg/vex/testdata/v0.2.0.json") else {
        return;
    };
    assert_eq!(outcome.format, VexFormat::OpenVex);
    assert_eq!(outcome.version, "0.2.0");
    assert_eq!(outcome.skipped, Vec::<String>::new());
    assert_eq!(outcome.problems, Vec::<String>::new());
    let document = &outcome.document;
    assert_eq!(
        document.author.as_deref(),
        Some("The OpenVEX Project <openvex@openssf.org>")
    );
    assert_eq!(document.version, Some(1));
    let names: Vec<&str> = document
        .statements
        .iter()
        .map(|statement| statement.vulnerability.id.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "CVE-2023-1255",
            "CVE-2023-2650",
            "CVE-2023-2975",
            "CVE-2023-3446",
            "CVE-2023-3817"
        ]
    );
    let statement = &document.statements[3];
    assert_eq!(statement.status, VexStatus::NotAffected);
    assert_eq!(
        statement.justification,
        Some(Justification::VulnerableCodeNotPresent)
    );
    assert_eq!(
        statement.impact_statement.as_deref(),
        Some("affected functions were removed before packaging")
    );
    // Statements inherit the document's timestamp.
    assert_eq!(
        statement.timestamp.as_deref(),
        Some("2023-07-17T18:28:47.696004345-06:00")
    );
    assert_eq!(statement.products.len(), 1);
    assert_eq!(
        product_purls(&statement.products[0]),
        (
            Some(
                // Canonical: `:` needs no escaping in a version.
                "pkg:oci/alpine@sha256:124c7d2707904eea7431fffe91522a01e5a861a624ee31d03372cc1d138a3126"
                    .to_owned()
            ),
            vec![
                "pkg:apk/alpine/libssl3@3.0.8-r3".to_owned(),
                "pkg:apk/alpine/libcrypto3@3.0.8-r3".to_owned()
            ]
        )
    );
}

#[test]
fn openvex_v001_strings_and_string_version() {
    let Some(outcome) = read_data("openvex/go-vex/pkg/vex/testdata/v0.0.1.json") else {
        return;
    };
    assert_eq!(outcome.version, "0.0.1");
    let document = &outcome.document;
    assert_eq!(document.version, Some(1));
    assert_eq!(document.role.as_deref(), Some("Document Creator"));
    assert_eq!(document.statements.len(), 1);
    let statement = &document.statements[0];
    assert_eq!(statement.vulnerability.id, "CVE-2023-12345");
    assert_eq!(statement.status, VexStatus::Fixed);
    let products: Vec<_> = statement.products.iter().map(product_purls).collect();
    assert_eq!(
        products,
        [
            (
                Some("pkg:apk/wolfi/git@2.39.0-r1?arch=armv7".to_owned()),
                vec![]
            ),
            (
                Some("pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64".to_owned()),
                vec![]
            )
        ]
    );
}

#[test]
fn openvex_aliases_and_unmodelled_statement_field() {
    let Some(outcome) = read_data("openvex/vexctl/examples/sarif/sample-1statement.openvex.json")
    else {
        return;
    };
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.vulnerability.id, "CVE-2023-27103");
    assert_eq!(
        statement.vulnerability.aliases,
        ["SNYK-DEBIAN12-LIBDE265-3361563"]
    );
    assert!(
        statement
            .vulnerability
            .is_named("snyk-debian12-libde265-3361563")
    );
    assert_eq!(
        statement.justification,
        Some(Justification::ComponentNotPresent)
    );
    // `statement` is not an OpenVEX field: reported, not silently dropped.
    assert_eq!(outcome.skipped, ["/statements/0: not modelled: statement"]);
}

#[test]
fn openvex_statements_without_products_are_problems() {
    let Some(outcome) = read_data("openvex/vexctl/pkg/ctl/testdata/test.vex.json") else {
        return;
    };
    assert_eq!(outcome.document.statements.len(), 2);
    assert_eq!(
        outcome.problems,
        [
            "/statements/0: statement lists no products (OpenVEX allows inheriting them only from an enclosing attestation)",
            "/statements/1: statement lists no products (OpenVEX allows inheriting them only from an enclosing attestation)"
        ]
    );
}

#[test]
fn openvex_yaml_reads_like_json() {
    let outcome = read_text(
        r#""@context": https://openvex.dev/ns/v0.2.0
"@id": https://example.com/vex-1
author: Example
timestamp: "2024-01-01T00:00:00Z"
version: 2
statements:
  - vulnerability: {name: CVE-2024-0001}
    products: [{"@id": "pkg:npm/left-pad@1.3.0"}]
    status: affected
    action_statement: upgrade
"#,
    );
    assert_eq!(outcome.format, VexFormat::OpenVex);
    assert_eq!(outcome.document.version, Some(2));
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.status, VexStatus::Affected);
    assert_eq!(statement.action_statement.as_deref(), Some("upgrade"));
    assert_eq!(
        product_purls(&statement.products[0]).0.as_deref(),
        Some("pkg:npm/left-pad@1.3.0")
    );
}

#[test]
fn openvex_profile_problems_and_unknown_values() {
    let outcome = read_text(
        r#"{"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
            "timestamp": "2024-01-01T00:00:00Z", "version": 1, "statements": [
              {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "not_affected"},
              {"vulnerability": {"name": "CVE-2"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "affected"},
              {"vulnerability": {"name": "CVE-3"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "broken"},
              {"vulnerability": {"name": "CVE-4"}, "products": [{"@id": "pkg:npm/a@1"}], "status": "not_affected",
               "justification": "trust_me"}
            ]}"#,
    );
    assert_eq!(outcome.document.statements.len(), 3);
    assert_eq!(
        outcome.problems,
        [
            "/statements/0: not_affected without justification or impact statement",
            "/statements/1: affected without action statement"
        ]
    );
    assert_eq!(
        outcome.skipped,
        [
            "/statements/2/status: unknown status `broken`: statement dropped",
            "/statements/3/justification: unknown justification `trust_me` kept only as the source label"
        ]
    );
    assert_eq!(
        outcome.document.statements[2]
            .source_justification
            .as_deref(),
        Some("trust_me")
    );
}

// ---------------------------------------------------------------------------------------------
// CycloneDX VEX

#[test]
fn cyclonedx_cisa_case_2_nineteen_not_affected() {
    let Some(outcome) = read_data("cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-2/vex.json")
    else {
        return;
    };
    assert_eq!(outcome.format, VexFormat::CycloneDx);
    assert_eq!(outcome.version, "1.4");
    let statements = &outcome.document.statements;
    assert_eq!(statements.len(), 19);
    assert!(
        statements
            .iter()
            .all(|statement| statement.status == VexStatus::NotAffected)
    );
    let first = &statements[0];
    assert_eq!(first.vulnerability.id, "CVE-2020-11896");
    assert_eq!(
        first.justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
    assert_eq!(
        first.source_justification.as_deref(),
        Some("code_not_reachable")
    );
    assert_eq!(
        first.impact_statement.as_deref(),
        Some(
            "This version of Product ABC is not affected by the vulnerability. Linux TCP/IP used and therefore not vulnerable."
        )
    );
    // `product-ABC` is the metadata component, which has no purl.
    assert_eq!(first.products.len(), 1);
    assert_eq!(first.products[0].id.as_deref(), Some("product-ABC"));
    assert_eq!(first.products[0].name.as_deref(), Some("ABC"));
    assert_eq!(first.products[0].purl, None);
    assert_eq!(first.timestamp.as_deref(), Some("2022-03-03T00:00:00Z"));
}

#[test]
fn cyclonedx_cisa_case_3_statuses() {
    let Some(outcome) = read_data("cyclonedx-bom-examples/VEX/CISA-Use-Cases/Case-3/vex.json")
    else {
        return;
    };
    let count = |status| {
        outcome
            .document
            .statements
            .iter()
            .filter(|statement| statement.status == status)
            .count()
    };
    assert_eq!(
        [
            count(VexStatus::NotAffected),
            count(VexStatus::UnderInvestigation),
            count(VexStatus::Affected),
            count(VexStatus::Fixed)
        ],
        [6, 5, 5, 3]
    );
    // Every not_affected has a justification or detail; CycloneDX asks nothing of the others.
    assert_eq!(outcome.problems, Vec::<String>::new());
}

#[test]
fn cyclonedx_not_affected_without_justification_is_a_problem() {
    let outcome = read_text(
        r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [
            {"id": "CVE-1", "analysis": {"state": "false_positive"}, "affects": [{"ref": "pkg:npm/a@1"}]}]}"#,
    );
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.status, VexStatus::NotAffected);
    // An unresolved ref that is a purl is the product's purl.
    assert_eq!(
        product_purls(&statement.products[0]).0.as_deref(),
        Some("pkg:npm/a@1")
    );
    assert_eq!(
        outcome.problems,
        ["/vulnerabilities/0: not_affected without justification or impact statement"]
    );
}

#[test]
fn cyclonedx_lossy_justification_keeps_the_label() {
    let Some(outcome) = read_data("cyclonedx-bom-examples/VEX/Use-Cases/Case-12/vex.json") else {
        return;
    };
    let statements = &outcome.document.statements;
    let summary: Vec<_> = statements
        .iter()
        .map(|statement| {
            (
                statement.vulnerability.id.as_str(),
                statement.status,
                statement.justification,
                statement.source_justification.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "CVE-2020-25649",
                VexStatus::NotAffected,
                Some(Justification::VulnerableCodeNotInExecutePath),
                Some("code_not_reachable")
            ),
            ("CVE-2020-35491", VexStatus::Affected, None, None),
            (
                "CVE-2020-14195",
                VexStatus::NotAffected,
                Some(Justification::InlineMitigationsAlreadyExist),
                Some("protected_by_mitigating_control")
            ),
        ]
    );
    assert_eq!(
        statements[1].action_statement.as_deref(),
        Some("response: will_not_fix, update")
    );
    assert_eq!(
        statements[1].status_notes.as_deref(),
        Some("Update to Acme Product v2.4.0 or higher")
    );
}

#[test]
fn cyclonedx_bom_link_to_own_metadata_component() {
    let Some(outcome) = read_data("guac-exampledata/cyclonedx-vex-affected.json") else {
        return;
    };
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.vulnerability.id, "CVE-2021-44228");
    assert_eq!(statement.status, VexStatus::Affected);
    assert_eq!(statement.products[0].id.as_deref(), Some("product-ABC"));
    assert_eq!(statement.products[0].name.as_deref(), Some("ABC"));
    assert_eq!(
        outcome.skipped,
        [
            "/vulnerabilities/0/affects/0/versions: version ranges of an affected component not modelled"
        ]
    );
}

#[test]
fn cyclonedx_xml_with_unresolved_bom_link() {
    let Some(outcome) = read_data("guac-exampledata/cyclonedx-vex.xml") else {
        return;
    };
    assert_eq!(outcome.version, "1.5");
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.vulnerability.id, "CVE-2018-7489");
    assert_eq!(statement.status, VexStatus::NotAffected);
    assert_eq!(
        statement.justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
    assert_eq!(
        statement.action_statement.as_deref(),
        Some(
            "Upgrade com.fasterxml.jackson.core:jackson-databind to version 2.6.7.5, 2.8.11.1, 2.9.5 or higher."
        )
    );
    // The BOM-Link points into another BOM: kept as the product's id.
    assert_eq!(
        statement.products[0].id.as_deref(),
        Some("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#jackson-databind-2.8.0")
    );
    assert_eq!(statement.products[0].purl, None);
}

#[test]
fn cyclonedx_xml_resolves_refs_through_nested_components() {
    let outcome = read_text(
        r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <components>
    <component type="application" bom-ref="app">
      <name>app</name>
      <purl>pkg:generic/app@2.0</purl>
      <components>
        <component type="library" bom-ref="jackson">
          <name>jackson-databind</name>
          <purl>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.8.0</purl>
          <hashes><hash alg="SHA-256">ABCDEF</hash></hashes>
        </component>
      </components>
    </component>
  </components>
  <vulnerabilities>
    <vulnerability>
      <id>CVE-2018-7489</id>
      <references><reference><id>GHSA-645p-88qh-w398</id></reference></references>
      <analysis>
        <state>resolved</state>
        <lastUpdated>2024-02-01T00:00:00Z</lastUpdated>
      </analysis>
      <affects>
        <target><ref>urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#jackson</ref></target>
      </affects>
    </vulnerability>
  </vulnerabilities>
</bom>"#,
    );
    assert_eq!(outcome.skipped, Vec::<String>::new());
    let statement = &outcome.document.statements[0];
    assert_eq!(statement.status, VexStatus::Fixed);
    assert_eq!(statement.vulnerability.aliases, ["GHSA-645p-88qh-w398"]);
    assert_eq!(
        statement.last_updated.as_deref(),
        Some("2024-02-01T00:00:00Z")
    );
    assert_eq!(
        product_purls(&statement.products[0]),
        (
            Some("pkg:generic/app@2.0".to_owned()),
            vec!["pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.8.0".to_owned()]
        )
    );
    assert_eq!(
        statement.products[0].subcomponents[0].hashes[0].value,
        "abcdef"
    );
    assert!(statement.applies_to(
        "GHSA-645p-88qh-w398",
        &purl("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.8.0"),
        Some(&purl("pkg:generic/app@2.0"))
    ));
}

#[test]
fn cyclonedx_vulnerability_without_analysis_is_skipped() {
    let Some(outcome) = read_data("guac-exampledata/cyclonedx-vex-no-analysis.json") else {
        return;
    };
    assert_eq!(outcome.document.statements.len(), 0);
    assert_eq!(
        outcome.skipped,
        ["/vulnerabilities/0: CVE-2021-44228 has no `analysis`: not a VEX statement"]
    );
}

// ---------------------------------------------------------------------------------------------
// CSAF

#[test]
fn csaf_red_hat_relationships_become_subcomponents_with_purls() {
    let Some(outcome) = read_data("guac-exampledata/rhsa-csaf.json") else {
        return;
    };
    assert_eq!(outcome.format, VexFormat::Csaf);
    assert_eq!(outcome.version, "2.0");
    assert_eq!(outcome.problems, Vec::<String>::new());
    // The severity is a threat that names no product.
    assert_eq!(
        outcome.skipped,
        ["/vulnerabilities/0/threats/0: names no product: applies to no statement"]
    );
    let document = &outcome.document;
    assert_eq!(document.id.as_deref(), Some("RHSA-2023:1441"));
    assert_eq!(document.author.as_deref(), Some("Red Hat Product Security"));
    // One vulnerability: one known_affected product, 35 fixed ones sharing one remediation.
    let summary: Vec<_> = document
        .statements
        .iter()
        .map(|statement| (statement.status, statement.products.len()))
        .collect();
    assert_eq!(summary, [(VexStatus::Affected, 1), (VexStatus::Fixed, 35)]);
    let affected = &document.statements[0];
    assert_eq!(affected.vulnerability.id, "CVE-2023-0286");
    let product = &affected.products[0];
    assert_eq!(
        product.id.as_deref(),
        Some("BaseOS-8.6.0.Z.EUS:openssl-1:1.1.1k-7.el8_6.x86_64")
    );
    assert_eq!(
        product_purls(product).1,
        ["pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=x86_64&epoch=1"]
    );
    assert!(affected.action_statement.as_deref().is_some_and(|action| {
        action.starts_with("vendor_fix: For details on how to apply this update")
    }));
    assert!(affected.applies_to(
        "CVE-2023-0286",
        &purl("pkg:rpm/redhat/openssl@1.1.1k-7.el8_6?arch=x86_64&epoch=1&distro=rhel-8.6"),
        None
    ));
    assert!(!affected.applies_to(
        "CVE-2023-0286",
        &purl("pkg:rpm/redhat/openssl@1.1.1k-8.el8_6?arch=x86_64&epoch=1"),
        None
    ));
}

#[test]
fn csaf_big_red_hat_advisory() {
    let Some(outcome) = read_data("openvex/go-vex/pkg/csaf/testdata/rhsa-2020_1358.json") else {
        return;
    };
    let summary: Vec<_> = outcome
        .document
        .statements
        .iter()
        .map(|statement| {
            (
                statement.vulnerability.id.as_str(),
                statement.status,
                statement.products.len(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("CVE-2020-1711", VexStatus::Fixed, 737),
            ("CVE-2020-7039", VexStatus::Fixed, 737)
        ]
    );
    let product = &outcome.document.statements[0].products[0];
    assert_eq!(
        product.cpe.as_deref(),
        Some("cpe:/a:redhat:enterprise_linux:8::appstream")
    );
    assert_eq!(
        product.subcomponents[0].id.as_deref(),
        Some("SLOF-0:20171214-6.gitfa98132.module+el8.1.0+4066+0f1aadab.noarch")
    );
}

#[test]
fn csaf_flags_and_threats() {
    let Some(outcome) = read_data("csaf/csaf_2.0/examples/csaf/csaf_vex/sec-vex-2022-0001.json")
    else {
        return;
    };
    let statements = &outcome.document.statements;
    let names: Vec<&str> = statements
        .iter()
        .map(|statement| statement.vulnerability.id.as_str())
        .collect();
    assert_eq!(
        names,
        ["CVE-2021-44228", "CVE-2021-45046", "CVE-2021-45105"]
    );
    for statement in statements {
        assert_eq!(statement.status, VexStatus::NotAffected);
        assert_eq!(
            statement.justification,
            Some(Justification::ComponentNotPresent)
        );
        assert!(statement.impact_statement.is_some());
        assert_eq!(statement.products[0].id.as_deref(), Some("CSAFPID-0001"));
        assert_eq!(
            statement.products[0].name.as_deref(),
            Some("Secvisogram <=1.14.0")
        );
    }
}

#[test]
fn csaf_vex_without_product_tree_is_a_problem() {
    let document = |category: &str| {
        format!(
            r#"{{"document": {{"csaf_version": "2.0", "category": "{category}"}},
                "vulnerabilities": [{{"cve": "CVE-1", "product_status": {{"fixed": ["P1"]}}}}]}}"#
        )
    };
    let vex = read_text(&document("csaf_vex"));
    assert_eq!(
        vex.problems,
        ["/product_tree: missing; the VEX profile requires it (test 6.1.27.4)"]
    );
    assert_eq!(
        vex.skipped,
        [
            "/vulnerabilities/0/product_status/fixed/0: product `P1` is not in the product tree; kept by id"
        ]
    );
    assert_eq!(
        vex.document.statements[0].products[0].id.as_deref(),
        Some("P1")
    );
    let advisory = read_text(&document("csaf_security_advisory"));
    assert_eq!(advisory.problems, Vec::<String>::new());
}

#[test]
fn csaf_use_case_counts() {
    let cases = [
        ("2022-evd-uc-01-a-001.json", VexStatus::Affected, 1),
        ("2022-evd-uc-01-f-001.json", VexStatus::Fixed, 1),
        ("2022-evd-uc-01-na-001.json", VexStatus::NotAffected, 1),
        (
            "2022-evd-uc-01-ui-001.json",
            VexStatus::UnderInvestigation,
            1,
        ),
        ("2022-evd-uc-02-na-001.json", VexStatus::NotAffected, 19),
        ("2022-evd-uc-05-001.json", VexStatus::UnderInvestigation, 1),
    ];
    for (name, status, count) in cases {
        let Some(outcome) = read_data(&format!("csaf/csaf_2.0/examples/csaf/csaf_vex/{name}"))
        else {
            return;
        };
        assert_eq!(outcome.problems, Vec::<String>::new(), "{name}");
        assert_eq!(outcome.document.statements.len(), count, "{name}");
        assert!(
            outcome
                .document
                .statements
                .iter()
                .all(|statement| statement.status == status),
            "{name}"
        );
    }
}

/// The validator suite's mandatory tests of the VEX profile (6.1.27.7 product status, .8
/// vulnerability id, .9 impact statement, .10 action statement; its product tree cases, 6.1.27.4,
/// are security advisories): documents expected invalid get a problem naming the test, valid
/// ones none.
#[test]
fn csaf_vex_profile_tests_from_the_validator_suite() {
    let Some(directory) = vouch_test_support::data_path("csaf/csaf_2.0/test/validator/data") else {
        return;
    };
    let index: Value = serde_json::from_slice(
        &std::fs::read(directory.join("testcases.json")).unwrap_or_else(|error| panic!("{error}")),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let tests = index["tests"].as_array().cloned().unwrap_or_default();
    let mut checked = 0;
    for test in tests {
        let id = test["id"].as_str().unwrap_or_default().to_owned();
        if !["6.1.27.7", "6.1.27.8", "6.1.27.9", "6.1.27.10"].contains(&id.as_str()) {
            continue;
        }
        for group in ["failures", "valid"] {
            for case in test[group].as_array().into_iter().flatten() {
                let name = case["name"].as_str().unwrap_or_default();
                let expected_valid = case["valid"].as_bool().unwrap_or_default();
                let outcome = read_path(&directory.join(name));
                let complaints: Vec<&String> = outcome
                    .problems
                    .iter()
                    .filter(|problem| problem.ends_with(&format!("(test {id})")))
                    .collect();
                assert_eq!(
                    complaints.is_empty(),
                    expected_valid,
                    "{name}: {:?}",
                    outcome.problems
                );
                checked += 1;
            }
        }
    }
    // 6.1.27.7, .8 and .10 have one failing case each, .9 has six failing and six valid.
    assert_eq!(checked, 15);
}

// ---------------------------------------------------------------------------------------------
// Every document of the corpora

fn files_under(directory: PathBuf, extensions: &[&str]) -> Vec<PathBuf> {
    let mut pending = vec![directory];
    let mut files = Vec::new();
    while let Some(path) = pending.pop() {
        if path.is_dir() {
            let entries = std::fs::read_dir(&path).unwrap_or_else(|error| panic!("{error}"));
            pending.extend(entries.filter_map(Result::ok).map(|entry| entry.path()));
        } else if path
            .extension()
            .and_then(|extension| extension.to_str())
            .is_some_and(|extension| extensions.contains(&extension))
        {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn every_vex_document_of_the_corpora_reads() {
    let corpora = [
        ("openvex/go-vex", 9),
        ("openvex/vexctl", 15),
        ("cyclonedx-bom-examples/VEX", 25),
        ("csaf/csaf_2.0/examples/csaf", 16),
    ];
    for (directory, expected_files) in corpora {
        let Some(path) = vouch_test_support::data_path(directory) else {
            return;
        };
        let files = files_under(path, &["json", "xml"]);
        // The SPDX SBOM beside vexctl's CSAF example is not VEX.
        let files: Vec<_> = files
            .into_iter()
            .filter(|file| !file.ends_with("sbom.spdx.json"))
            .collect();
        assert_eq!(files.len(), expected_files, "{directory}");
        for file in files {
            let bytes = std::fs::read(&file).unwrap_or_else(|error| panic!("{error}"));
            if let Err(error) = read_vex(&bytes, &file.display().to_string()) {
                panic!("{error}");
            }
        }
    }
    let guac = [
        (
            "guac-exampledata/open-vex-not-affected.json",
            VexFormat::OpenVex,
            1,
        ),
        (
            "guac-exampledata/cyclonedx-vex.xml",
            VexFormat::CycloneDx,
            1,
        ),
        (
            "guac-exampledata/cyclonedx-unaffected-vex.json",
            VexFormat::CycloneDx,
            1,
        ),
        (
            "guac-exampledata/cyclonedx-vex-resolved-with-pedigree.json",
            VexFormat::CycloneDx,
            2,
        ),
        ("guac-exampledata/rhsa-csaf.json", VexFormat::Csaf, 2),
    ];
    for (name, format, statements) in guac {
        let Some(outcome) = read_data(name) else {
            return;
        };
        assert_eq!(outcome.format, format, "{name}");
        assert_eq!(outcome.document.statements.len(), statements, "{name}");
    }
}

#[test]
fn malformed_documents_name_the_pointer() {
    let cases = [
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": {}}"#,
            "inline: /statements: expected an array, found an object",
        ),
        (
            r#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1"}}]}"#,
            "inline: /statements/0: required field `status` is missing",
        ),
        (
            r#"{"@context": "https://example.com/other"}"#,
            "inline: /@context: \"https://example.com/other\" is not an OpenVEX context (https://openvex.dev/ns/v...)",
        ),
        (
            r#"{"bomFormat": "CycloneDX", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "in_triage"}, "affects": [{}]}]}"#,
            "inline: /vulnerabilities/0/affects/0: required field `ref` is missing",
        ),
        (
            r#"{"document": {"csaf_version": "2.0", "category": "csaf_vex"}, "product_tree": {"branches": [{"product": {"name": "x"}}]}}"#,
            "inline: /product_tree/branches/0/product: required field `product_id` is missing",
        ),
        (
            r#"{"spdxVersion": "SPDX-2.3"}"#,
            "inline: not a VEX document: no `@context` (OpenVEX), `bomFormat` (CycloneDX) or `/document/csaf_version` (CSAF)",
        ),
    ];
    for (text, expected) in cases {
        let error = read_vex(text.as_bytes(), "inline").map(|outcome| outcome.document);
        assert_eq!(
            error.map_err(|error| error.to_string()),
            Err(expected.to_owned())
        );
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = read_vex(&bytes, "random");
    }

    #[test]
    fn random_openvex_shapes_never_panic(
        status in "[a-z_]{0,20}",
        product in "[ -~]{0,40}",
        justification in "[a-z_]{0,40}",
    ) {
        let document = serde_json::json!({
            "@context": "https://openvex.dev/ns/v0.2.0",
            "statements": [{"vulnerability": {"name": "CVE-1"}, "status": status,
                "justification": justification, "products": [{"@id": product}]}]
        });
        let _ = read_vex(document.to_string().as_bytes(), "random");
    }
}

// ---------------------------------------------------------------------------------------------
// Matching

#[test]
fn purl_matching_follows_openvex_practice() {
    let cases = [
        ("pkg:npm/lodash", "pkg:npm/lodash@4.17.21", true),
        ("pkg:npm/lodash@4.17.21", "pkg:npm/lodash@4.17.21", true),
        ("pkg:npm/lodash@4.17.20", "pkg:npm/lodash@4.17.21", false),
        ("pkg:npm/lodash", "pkg:npm/underscore@1.0.0", false),
        (
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64&distro=wolfi",
            true,
        ),
        (
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
            "pkg:apk/wolfi/git@2.39.0-r1",
            false,
        ),
        (
            "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64",
            "pkg:apk/wolfi/git@2.39.0-r1?arch=armv7",
            false,
        ),
        ("pkg:apk/wolfi/git", "pkg:apk/alpine/git@2.39.0-r1", false),
        // Canonical forms compare equal: PyPI names are normalised.
        ("pkg:pypi/Django_Rest", "pkg:pypi/django-rest@3.0", true),
    ];
    for (statement, package, expected) in cases {
        assert_eq!(
            purl_matches(&purl(statement), &purl(package)),
            expected,
            "{statement} vs {package}"
        );
    }
}

fn statement_on(
    vulnerability: &str,
    product: &str,
    subcomponents: &[&str],
    status: VexStatus,
    timestamp: &str,
) -> VexStatement {
    let product = ProductRef {
        subcomponents: subcomponents
            .iter()
            .map(|text| ProductRef::from_purl(purl(text)))
            .collect(),
        ..ProductRef::from_purl(purl(product))
    };
    let mut statement =
        VexStatement::new(VulnerabilityRef::new(vulnerability), vec![product], status);
    statement.timestamp = Some(timestamp.to_owned());
    statement
}

#[test]
fn subcomponents_apply_inside_their_product_or_anywhere_when_the_subject_is_unknown() {
    let statement = statement_on(
        "CVE-2023-1255",
        "pkg:oci/alpine@sha256%3A124c",
        &["pkg:apk/alpine/libssl3@3.0.8-r3"],
        VexStatus::Fixed,
        "2023-07-17T00:00:00Z",
    );
    let libssl = purl("pkg:apk/alpine/libssl3@3.0.8-r3");
    let image = purl("pkg:oci/alpine@sha256%3A124c");
    let other_image = purl("pkg:oci/debian@sha256%3Aabcd");
    assert!(statement.applies_to("CVE-2023-1255", &libssl, Some(&image)));
    assert!(statement.applies_to("cve-2023-1255", &libssl, None));
    assert!(!statement.applies_to("CVE-2023-1255", &libssl, Some(&other_image)));
    assert!(!statement.applies_to("CVE-2023-9999", &libssl, None));
    assert!(!statement.applies_to(
        "CVE-2023-1255",
        &purl("pkg:apk/alpine/libcrypto3@3.0.8-r3"),
        Some(&image)
    ));
}

#[test]
fn product_without_subcomponents_covers_the_subject_packages() {
    let statement = statement_on(
        "CVE-2024-1",
        "pkg:oci/app",
        &[],
        VexStatus::NotAffected,
        "2024-01-01T00:00:00Z",
    );
    let package = purl("pkg:npm/left-pad@1.3.0");
    assert!(statement.applies_to(
        "CVE-2024-1",
        &package,
        Some(&purl("pkg:oci/app@sha256%3Aaa"))
    ));
    assert!(!statement.applies_to("CVE-2024-1", &package, None));
    assert!(statement.applies_to("CVE-2024-1", &purl("pkg:oci/app@sha256%3Abb"), None));
}

#[test]
fn newest_statement_wins() {
    let package = purl("pkg:npm/left-pad@1.3.0");
    let older = VexDocument {
        statements: vec![statement_on(
            "CVE-2024-1",
            "pkg:npm/left-pad",
            &[],
            VexStatus::UnderInvestigation,
            "2024-03-01T10:00:00+02:00",
        )],
        ..VexDocument::default()
    };
    let newer = VexDocument {
        statements: vec![
            statement_on(
                "CVE-2024-1",
                "pkg:npm/left-pad@1.3.0",
                &[],
                VexStatus::NotAffected,
                // Later than the other despite the smaller clock reading.
                "2024-03-01T09:30:00Z",
            ),
            statement_on(
                "CVE-2024-2",
                "pkg:npm/left-pad@1.3.0",
                &[],
                VexStatus::Affected,
                "2025-01-01T00:00:00Z",
            ),
        ],
        ..VexDocument::default()
    };
    let documents = [newer, older];
    let winner = effective_statement(&documents, "CVE-2024-1", &package, None);
    assert_eq!(
        winner.map(|statement| statement.status),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(
        effective_statement(&documents, "CVE-2024-3", &package, None),
        None
    );
}

// ---------------------------------------------------------------------------------------------
// Writers

fn openvex_schema() -> Option<jsonschema::Validator> {
    let path = vouch_test_support::data_path("openvex/spec/openvex_json_schema.json")?;
    let schema: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    Some(jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("{error}")))
}

fn sample_document() -> VexDocument {
    let mut not_affected = statement_on(
        "CVE-2023-3446",
        "pkg:oci/alpine@sha256%3A124c",
        &[
            "pkg:apk/alpine/libssl3@3.0.8-r3",
            "pkg:apk/alpine/libcrypto3@3.0.8-r3",
        ],
        VexStatus::NotAffected,
        "2023-07-17T18:28:47Z",
    );
    not_affected.justification = Some(Justification::ComponentNotPresent);
    not_affected.vulnerability.aliases = vec!["GHSA-xxxx-yyyy-zzzz".to_owned()];
    let mut affected = statement_on(
        "CVE-2024-1",
        "pkg:npm/left-pad@1.3.0",
        &[],
        VexStatus::Affected,
        "2024-01-01T00:00:00Z",
    );
    affected.action_statement = Some("upgrade to 1.3.1".to_owned());
    VexDocument {
        author: Some("Example Inc.".to_owned()),
        timestamp: Some("2024-01-02T00:00:00Z".to_owned()),
        statements: vec![not_affected, affected],
        ..VexDocument::default()
    }
}

#[test]
fn openvex_writer_output_validates_and_has_a_content_id() {
    let Some(validator) = openvex_schema() else {
        return;
    };
    let document = sample_document();
    let written = write_openvex(&document, &OpenVexOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    let value: Value = serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(errors, Vec::<String>::new());
    let id = value["@id"].as_str().unwrap_or_default();
    assert!(
        id.starts_with("https://openvex.dev/docs/public/vex-"),
        "{id}"
    );
    assert_eq!(id.len(), "https://openvex.dev/docs/public/vex-".len() + 64);
    // Same content, same id; other content, other id.
    let again = write_openvex(&document, &OpenVexOptions::default())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(written, again);
    let mut changed = document.clone();
    changed.statements[1].status = VexStatus::Fixed;
    let other: Value = serde_json::from_slice(
        &write_openvex(&changed, &OpenVexOptions::default())
            .unwrap_or_else(|error| panic!("{error}")),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert_ne!(other["@id"], value["@id"]);
    let named = write_openvex(
        &document,
        &OpenVexOptions {
            id: Some("https://example.com/vex/1".to_owned()),
        },
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let named: Value = serde_json::from_slice(&named).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(named["@id"], "https://example.com/vex/1");
    // And it reads back as written.
    let reread = read_vex(&written, "written").unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(essentials(&reread.document), essentials(&document));
    assert_eq!(
        reread.document.statements[1].action_statement.as_deref(),
        Some("upgrade to 1.3.1")
    );
}

#[test]
fn openvex_writer_needs_a_timestamp() {
    let document = VexDocument {
        timestamp: None,
        ..sample_document()
    };
    let error = write_openvex(&document, &OpenVexOptions::default()).map(|_| ());
    assert_eq!(
        error.map_err(|error| error.to_string()),
        Err("cannot write OpenVEX: the document has no timestamp".to_owned())
    );
}

#[test]
fn openvex_corpus_documents_rewrite_valid() {
    let Some(validator) = openvex_schema() else {
        return;
    };
    for name in [
        "openvex/go-vex/pkg/vex/testdata/v0.2.0.json",
        "openvex/go-vex/pkg/vex/testdata/v0.0.1.json",
        "openvex/vexctl/examples/openvex/demo.vex.json",
    ] {
        let Some(outcome) = read_data(name) else {
            return;
        };
        let written = write_openvex(&outcome.document, &OpenVexOptions::default())
            .unwrap_or_else(|error| panic!("{error}"));
        let value: Value =
            serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert_eq!(errors, Vec::<String>::new(), "{name}");
    }
}

/// A product by its purl and its subcomponents' purls.
type ProductPurls = (Option<String>, Vec<String>);

/// What a round trip must keep of a statement.
type Essentials = (String, VexStatus, Option<Justification>, Vec<ProductPurls>);

fn essentials(document: &VexDocument) -> Vec<Essentials> {
    document
        .statements
        .iter()
        .map(|statement| {
            (
                statement.vulnerability.id.clone(),
                statement.status,
                statement.justification,
                statement.products.iter().map(product_purls).collect(),
            )
        })
        .collect()
}

#[test]
fn cyclonedx_writer_output_validates_and_round_trips() {
    let document = sample_document();
    let written = write_cyclonedx(&document).unwrap_or_else(|error| panic!("{error}"));
    let value: Value = serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(validate_json(&value, Schema::CycloneDx16), Vec::new());
    let reread = read_vex(&written, "written").unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(reread.skipped, Vec::<String>::new());
    assert_eq!(essentials(&reread.document), essentials(&document));
    let statements = &reread.document.statements;
    assert_eq!(statements[0].vulnerability.aliases, ["GHSA-xxxx-yyyy-zzzz"]);
    assert_eq!(
        statements[1].action_statement.as_deref(),
        Some("upgrade to 1.3.1")
    );
    assert_eq!(
        statements[0].timestamp.as_deref(),
        Some("2023-07-17T18:28:47Z")
    );
    // Only a UUID URN can be a serial number.
    assert_eq!(value.get("serialNumber"), None);
    let with_serial = VexDocument {
        id: Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79".to_owned()),
        ..document
    };
    let written = write_cyclonedx(&with_serial).unwrap_or_else(|error| panic!("{error}"));
    let value: Value = serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        value["serialNumber"],
        "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79"
    );
}

#[test]
fn openvex_to_cyclonedx_to_model_keeps_the_statements() {
    for name in [
        "openvex/go-vex/pkg/vex/testdata/v0.2.0.json",
        "openvex/vexctl/pkg/ctl/testdata/images.vex.json",
        "openvex/vexctl/examples/sarif/sample-2vulns.openvex.json",
    ] {
        let Some(outcome) = read_data(name) else {
            return;
        };
        let written = write_cyclonedx(&outcome.document).unwrap_or_else(|error| panic!("{error}"));
        let value: Value =
            serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            validate_json(&value, Schema::CycloneDx16),
            Vec::new(),
            "{name}"
        );
        let reread = read_vex(&written, name).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            essentials(&reread.document),
            essentials(&outcome.document),
            "{name}"
        );
    }
}

#[test]
fn cyclonedx_justifications_survive_the_round_trip() {
    for justification in Justification::ALL {
        let mut statement = statement_on(
            "CVE-1",
            "pkg:npm/a@1.0.0",
            &[],
            VexStatus::NotAffected,
            "2024-01-01T00:00:00Z",
        );
        statement.justification = Some(justification);
        let document = VexDocument {
            statements: vec![statement],
            ..VexDocument::default()
        };
        let written = write_cyclonedx(&document).unwrap_or_else(|error| panic!("{error}"));
        let reread = read_vex(&written, "written").unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            reread.document.statements[0].justification,
            Some(justification)
        );
    }
    // A lossy CycloneDX label read from a source is written back as it was.
    let Some(outcome) = read_data("cyclonedx-bom-examples/VEX/Use-Cases/Case-12/vex.json") else {
        return;
    };
    let written = write_cyclonedx(&outcome.document).unwrap_or_else(|error| panic!("{error}"));
    let value: Value = serde_json::from_slice(&written).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        value["vulnerabilities"][2]["analysis"]["justification"],
        "protected_by_mitigating_control"
    );
}

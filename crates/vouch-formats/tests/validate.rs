//! `validate` against the CycloneDX conformance suite, the SPDX examples and broken documents.

use std::path::{Path, PathBuf};

use vouch_formats::{FormatFamily, Schema, Serialization, ValidationReport, validate};

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

fn validate_text(text: &str) -> ValidationReport {
    validate(text.as_bytes(), "test").unwrap_or_else(|error| panic!("{error}"))
}

/// `(pointer, message)` of every violation.
fn violations(report: &ValidationReport) -> Vec<(String, String)> {
    report
        .violations
        .iter()
        .map(|violation| (violation.pointer.clone(), violation.message.clone()))
        .collect()
}

#[test]
fn spdx_json_and_yaml_examples_are_valid_against_the_bundled_schema() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    for path in [
        "spdx-spec-examples/v2.3/examples/SPDXJSONExample-v2.3.spdx.json",
        "spdx-spec-examples/v2.3/examples/SPDXYAMLExample-2.3.spdx.yaml",
        "spdx-spec-examples/v2.2/examples/SPDXJSONExample-v2.2.spdx.json",
        "spdx-tools-java/testResources/SPDXJSONExample-v2.2.spdx.json",
        "spdx-spec-examples/v3.0/examples/jsonld/package_sbom.json",
        "spdx-tools-java/testResources/SPDXJsonLDExample-v3.0.1.json",
    ] {
        let report = validate_path(&data.join(path));
        assert!(report.is_valid(), "{path}:\n{report}");
        assert!(report.schema.is_some(), "{path}");
    }
}

#[test]
fn xml_and_tag_value_are_checked_by_reading_without_a_schema() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    for (path, family, serialization) in [
        (
            "spdx-spec-examples/v2.3/examples/SPDXTagExample-v2.3.spdx",
            FormatFamily::Spdx2,
            Serialization::TagValue,
        ),
        (
            "spdx-spec-examples/v2.3/examples/SPDXXMLExample-v2.3.spdx.xml",
            FormatFamily::Spdx2,
            Serialization::Xml,
        ),
        (
            "cyclonedx-specification/test-resources/1.6/valid-bom-1.6.xml",
            FormatFamily::CycloneDx,
            Serialization::Xml,
        ),
    ] {
        let report = validate_path(&data.join(path));
        assert!(report.is_valid(), "{path}:\n{report}");
        assert_eq!(
            (report.family, report.serialization),
            (family, serialization)
        );
        assert_eq!(report.schema, None);
        assert_eq!(
            report.notes,
            [format!(
                "no schema is applied to {serialization}; the document was checked by reading it"
            )]
        );
    }
}

#[test]
fn an_spdx22_document_using_spdx23_fields_is_rejected() {
    let Some(path) = vouch_test_support::data_path(
        "spdx-tools-java/testResources/SPDXJSONExample-wrongversion.spdx.json",
    ) else {
        return;
    };
    let report = validate_path(&path);
    let found: Vec<String> = report
        .violations
        .iter()
        .map(|violation| violation.pointer.clone())
        .collect();
    // The first package (glibc) carries all four fields SPDX 2.3 introduced.
    assert_eq!(
        found,
        [
            "/packages/0/primaryPackagePurpose",
            "/packages/0/releaseDate",
            "/packages/0/builtDate",
            "/packages/0/validUntilDate",
        ],
        "{report}"
    );
}

#[test]
fn guac_invalid_sboms_are_rejected() {
    let Some(data) = vouch_test_support::data_path("guac-exampledata") else {
        return;
    };
    let identifier = validate_path(&data.join("invalid-spdx-identifier-spdx.json"));
    assert!(
        violations(&identifier).contains(&(
            "/SPDXID".to_owned(),
            "the document's SPDXID must be `SPDXRef-DOCUMENT`, found ``".to_owned()
        )),
        "{identifier}"
    );
    let version = validate_path(&data.join("invalid-spdx.json"));
    assert_eq!(version.version, None);
    assert!(!version.is_valid(), "{version}");
    let cyclonedx = validate_path(&data.join("invalid-cyclonedx.json"));
    assert_eq!(
        violations(&cyclonedx),
        [(
            "/bomFormat".to_owned(),
            "cannot be read: expected `CycloneDX`, found `CDX`".to_owned()
        )],
        "{cyclonedx}"
    );
    let unreadable = validate(
        &std::fs::read(data.join("invalid-cyclonedx.xml")).unwrap_or_default(),
        "invalid-cyclonedx.xml",
    )
    .err()
    .map(|error| error.to_string());
    assert_eq!(
        unreadable.as_deref(),
        Some("invalid-cyclonedx.xml: invalid XML at line 1: document has no root element")
    );
}

#[test]
fn cyclonedx_bom_refs_must_be_unique_and_every_reference_must_resolve() {
    let report = validate_text(
        r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.6",
  "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
  "components": [
    {"type": "library", "name": "a", "bom-ref": "a",
     "components": [{"type": "library", "name": "a2", "bom-ref": "app"}]}
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["a", "ghost"]},
    {"ref": "nobody"},
    {"ref": "a", "dependsOn": ["urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#x"]}
  ],
  "vulnerabilities": [{"id": "CVE-2024-0001", "affects": [{"ref": "missing"}]}]
}"#,
    );
    assert_eq!(report.schema, Some(Schema::CycloneDx16));
    assert_eq!(
        violations(&report),
        [
            (
                "/components/0/components/0/bom-ref".to_owned(),
                "bom-ref `app` is not unique; also used at /metadata/component/bom-ref".to_owned()
            ),
            (
                "/dependencies/0/dependsOn/1".to_owned(),
                "`ghost` is not the bom-ref of any component or service".to_owned()
            ),
            (
                "/dependencies/1/ref".to_owned(),
                "`nobody` is not the bom-ref of any component or service".to_owned()
            ),
            (
                "/vulnerabilities/0/affects/0/ref".to_owned(),
                "`missing` is not the bom-ref of any component or service".to_owned()
            ),
        ]
    );
}

#[test]
fn spdx_identifiers_endpoints_and_namespace_are_checked() {
    let report = validate_text(
        r#"{
  "spdxVersion": "SPDX-2.3",
  "dataLicense": "CC0-1.0",
  "SPDXID": "SPDXRef-DOCUMENT",
  "name": "demo",
  "creationInfo": {"created": "2024-01-02T03:04:05Z", "creators": ["Tool: vouch-0.1.0"]},
  "documentDescribes": ["SPDXRef-app"],
  "externalDocumentRefs": [{"externalDocumentId": "DocumentRef-other", "spdxDocument": "https://example.com/other",
    "checksum": {"algorithm": "SHA1", "checksumValue": "85ed0817af83a24ad8da68c2b5094de69833983c"}}],
  "packages": [
    {"SPDXID": "SPDXRef-app", "name": "app", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-my_lib", "name": "my_lib", "downloadLocation": "NOASSERTION"},
    {"SPDXID": "SPDXRef-app", "name": "again", "downloadLocation": "NOASSERTION"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-ghost"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-other:SPDXRef-x"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-unknown:SPDXRef-x"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "NOASSERTION"}
  ]
}"#,
    );
    assert_eq!(report.schema, Some(Schema::Spdx23));
    let found = violations(&report);
    for expected in [
        ("", "\"documentNamespace\" is a required property"),
        (
            "/packages/1/SPDXID",
            "SPDXID `SPDXRef-my_lib` does not match SPDXRef-[A-Za-z0-9.-]+",
        ),
        ("/packages/2/SPDXID", "SPDXID `SPDXRef-app` is not unique"),
        (
            "/relationships/0/relatedSpdxElement",
            "`SPDXRef-ghost` is not an element of this document or a declared external document",
        ),
        (
            "/relationships/2/relatedSpdxElement",
            "`DocumentRef-unknown:SPDXRef-x` is not an element of this document or a declared external document",
        ),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} not in {found:#?}"
        );
    }
    // Only the namespace comes from the schema; the rest are the checks schemas cannot express.
    assert_eq!(found.len(), 5, "{found:#?}");
}

#[test]
fn a_cyclonedx_version_without_bundled_schema_says_so() {
    let report =
        validate_text(r#"{"bomFormat": "CycloneDX", "specVersion": "1.7", "components": []}"#);
    assert_eq!(report.schema, None);
    assert!(report.is_valid(), "{report}");
    assert_eq!(
        report.notes,
        [
            "no schema is bundled for CycloneDX 1.7; only the semantic checks and the reader were applied"
        ]
    );
}

#[test]
fn cyclonedx_xml_references_are_checked_by_line() {
    let report = validate_text(
        r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6">
  <components>
    <component type="library" bom-ref="a"><name>a</name></component>
    <component type="library" bom-ref="a"><name>b</name></component>
  </components>
  <dependencies>
    <dependency ref="a"><dependency ref="ghost"/></dependency>
  </dependencies>
</bom>"#,
    );
    assert_eq!(
        violations(&report),
        [
            (
                String::new(),
                "line 5 <component>: bom-ref `a` is not unique; also used at line 4 <component>"
                    .to_owned()
            ),
            (
                String::new(),
                "line 8 <dependency>: `ghost` is not the bom-ref of any component or service"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn every_valid_cyclonedx_xml_test_resource_passes_the_reader_and_reference_checks() {
    let Some(root) = vouch_test_support::data_path("cyclonedx-specification/test-resources") else {
        return;
    };
    let mut failures = Vec::new();
    let mut accepted = 0;
    for version in CYCLONEDX_VERSIONS {
        for path in files(&root.join(version), |name| {
            name.starts_with("valid-") && name.ends_with(".xml")
        }) {
            let report = validate_path(&path);
            if report.is_valid() {
                accepted += 1;
            } else {
                failures.push(format!("{}:\n{report}", path.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(accepted, 15 + 25 + 21 + 31 + 44);
}

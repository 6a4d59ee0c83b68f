//! Readers against real documents from the shared test data, and against small documents whose
//! every field is checked.

use std::path::{Path, PathBuf};

use vouch_formats::{FormatFamily, ReadOutcome, Serialization, read};
use vouch_model::{
    Component, ComponentKind, Ecosystem, Hash, HashAlgorithm, Location, RelationshipKind, Scope,
    Source,
};

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

fn read_ok(path: &Path) -> ReadOutcome {
    read_path(path).unwrap_or_else(|error| panic!("{error}"))
}

fn read_text(text: &str) -> ReadOutcome {
    read(text.as_bytes(), "test").unwrap_or_else(|error| panic!("{error}"))
}

fn component<'a>(outcome: &'a ReadOutcome, id: &str) -> &'a Component {
    outcome
        .bom
        .components
        .iter()
        .find(|component| component.id.as_str() == id)
        .unwrap_or_else(|| panic!("no component {id}"))
}

/// `(from, kind, to)` of every relationship, as plain strings.
fn edges(outcome: &ReadOutcome) -> Vec<(String, RelationshipKind, String)> {
    outcome
        .bom
        .relationships
        .iter()
        .map(|edge| (edge.from.to_string(), edge.kind, edge.to.to_string()))
        .collect()
}

fn edge(from: &str, kind: RelationshipKind, to: &str) -> (String, RelationshipKind, String) {
    (from.to_owned(), kind, to.to_owned())
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
    // valid JSON + XML documents per version: 1.2 12+15, 1.3 22+25, 1.4 19+21, 1.5 30+31,
    // 1.6 41+44.
    assert_eq!(read_count, 27 + 47 + 40 + 61 + 85);
}

/// (dropwizard's pair is left out: its XML lacks a licence expression the JSON has.)
#[test]
fn cyclonedx_json_and_xml_of_the_same_bom_read_alike() {
    let Some(root) = vouch_test_support::data_path("cyclonedx-bom-examples/SBOM") else {
        return;
    };
    for (json, xml) in [
        ("laravel-7.12.0/bom.1.4.json", "laravel-7.12.0/bom.1.4.xml"),
        ("laravel-7.12.0/bom.1.2.json", "laravel-7.12.0/bom.1.2.xml"),
        (
            "proton-bridge/proton-bridge-v1.6.3.bom.json",
            "proton-bridge/proton-bridge-v1.6.3.bom.xml",
        ),
    ] {
        let json = read_ok(&root.join(json));
        let xml = read_ok(&root.join(xml));
        assert_eq!(json.format.serialization, Serialization::Json);
        assert_eq!(xml.format.serialization, Serialization::Xml);
        assert_eq!(json.bom.components, xml.bom.components, "{json:?}");
        assert_eq!(json.bom.relationships, xml.bom.relationships);
        // Each serialisation was generated separately: timestamps and serials differ.
        assert_eq!(json.bom.metadata.subject, xml.bom.metadata.subject);
        assert_eq!(json.bom.metadata.tools, xml.bom.metadata.tools);
        assert_eq!(json.bom.metadata.authors, xml.bom.metadata.authors);
    }
}

#[test]
fn real_cyclonedx_and_spdx_sboms_read_with_exact_counts() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    // (document, components, relationships, subject): components count every nested
    // component outside metadata.component (or every package but the described one);
    // relationships count resolvable dependsOn entries plus nesting.
    let expected: [(&str, usize, usize, Option<&str>); 14] = [
        (
            "cyclonedx-bom-examples/SBOM/dropwizard-1.3.15/bom.json",
            167,
            170,
            Some("dropwizard-parent"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.json",
            840,
            0,
            Some("juice-shop"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2/bom.xml",
            840,
            0,
            Some("juice-shop"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/juice-shop/via_npm/flat/bom.1.4.json",
            1115,
            1775,
            Some("juice-shop"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/laravel-7.12.0/bom.1.4.json",
            62,
            113,
            Some("cyclonedx-php-composer-demo"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/proton-bridge/proton-bridge-v1.6.3.bom.json",
            201,
            232,
            Some("github.com/ProtonMail/proton-bridge"),
        ),
        (
            "cyclonedx-bom-examples/SBOM/cern-lhc-vdm-editor-e564943/bom.json",
            43,
            0,
            Some("lhc-vdm-editor"),
        ),
        (
            "guac-exampledata/big-mongo-cyclonedx.json",
            293,
            0,
            Some("docker.io/library/mongo"),
        ),
        (
            "guac-exampledata/quarkus-deps-cyclonedx.json",
            94,
            206,
            Some("getting-started"),
        ),
        (
            "guac-exampledata/alpine-cyclonedx.json",
            15,
            0,
            Some("docker.io/library/alpine:latest"),
        ),
        ("guac-exampledata/alpine-spdx.json", 14, 0, None),
        ("guac-exampledata/oci-spdx.json", 15, 0, None),
        (
            "guac-exampledata/oci-kubectl-linux-amd64-spdx.json",
            88,
            0,
            None,
        ),
        (
            "guac-exampledata/oci-kubectl-linux-amd64-spdx-1.json",
            88,
            88,
            Some("k8supstream.azurecr.io/public/oss/kubernetes/kubectl"),
        ),
    ];
    for (path, components, relationships, subject) in expected {
        let outcome = read_ok(&data.join(path));
        assert_eq!(outcome.bom.components.len(), components, "{path}");
        assert_eq!(outcome.bom.relationships.len(), relationships, "{path}");
        let subject_name = outcome
            .bom
            .metadata
            .subject
            .as_ref()
            .map(|s| s.name.as_str());
        assert_eq!(subject_name, subject, "{path}");
    }
}

#[test]
fn every_cyclonedx_bom_example_and_guac_sbom_reads() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    let mut documents = Vec::new();
    let mut stack = vec![data.join("cyclonedx-bom-examples")];
    while let Some(directory) = stack.pop() {
        for path in files(&directory, |_| true) {
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "json" || ext == "xml")
            {
                documents.push(path);
            }
        }
    }
    assert_eq!(documents.len(), 48);
    // guac's SBOMs, except the deliberately invalid ones and small-spdx.json, which is not
    // SPDX (creators as objects, `packageName` instead of `name`).
    documents.extend(files(&data.join("guac-exampledata"), |name| {
        ["cyclonedx", "cdx", "spdx"]
            .iter()
            .any(|marker| name.contains(marker))
            && !name.starts_with("invalid-")
            && name != "small-spdx.json"
    }));
    let failures: Vec<String> = documents
        .iter()
        .filter_map(|path| read_path(path).err())
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(documents.len(), 48 + 27);
}

#[test]
fn guac_small_spdx_is_rejected_for_its_creators() {
    let Some(path) = vouch_test_support::data_path("guac-exampledata/small-spdx.json") else {
        return;
    };
    let error = read_path(&path).err().unwrap_or_default();
    assert!(
        error.ends_with("/creationInfo/creators/0: expected a string, found an object"),
        "{error}"
    );
}

#[test]
fn nested_cyclonedx_components_are_flattened_with_contains() {
    let Some(path) =
        vouch_test_support::data_path("guac-exampledata/cyclonedx-components-nested.json")
    else {
        return;
    };
    let outcome = read_ok(&path);
    let ids: Vec<&str> = outcome
        .bom
        .components
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids.len(), 3);
    let contains = outcome
        .bom
        .relationships
        .iter()
        .filter(|edge| edge.kind == RelationshipKind::Contains)
        .count();
    // Two components are nested one level down.
    assert_eq!(contains, 2, "{:?}", outcome.bom.relationships);
}

/// The SPDX 2.3 example in every serialisation yields the same BOM: glibc as subject, three
/// packages, glibc dynamically linking Saxon.
#[test]
fn spdx23_example_reads_alike_in_json_yaml_xml_and_tag_value() {
    let Some(examples) = vouch_test_support::data_path("spdx-spec-examples/v2.3/examples") else {
        return;
    };
    let outcomes: Vec<ReadOutcome> = [
        ("SPDXJSONExample-v2.3.spdx.json", Serialization::Json),
        ("SPDXYAMLExample-2.3.spdx.yaml", Serialization::Yaml),
        ("SPDXXMLExample-v2.3.spdx.xml", Serialization::Xml),
        ("SPDXTagExample-v2.3.spdx", Serialization::TagValue),
    ]
    .into_iter()
    .map(|(name, serialization)| {
        let outcome = read_ok(&examples.join(name));
        assert_eq!(outcome.format.family, FormatFamily::Spdx2);
        assert_eq!(outcome.format.version, "2.3");
        assert_eq!(outcome.format.serialization, serialization, "{name}");
        outcome
    })
    .collect();
    let json = &outcomes[0];
    for other in &outcomes[1..] {
        assert_eq!(other.bom, json.bom, "{}", other.format);
    }

    let glibc = json
        .bom
        .metadata
        .subject
        .as_ref()
        .unwrap_or_else(|| panic!("no subject"));
    assert_eq!(glibc.id.as_str(), "SPDXRef-Package");
    assert_eq!(glibc.name, "glibc");
    assert_eq!(glibc.version.as_deref(), Some("2.11.1"));
    assert_eq!(
        glibc.supplier.as_deref(),
        Some("Jane Doe (jane.doe@example.com)")
    );
    assert_eq!(glibc.licenses, ["(LGPL-2.0-only AND LicenseRef-3)"]);
    assert_eq!(
        glibc.download_url.as_deref(),
        Some("http://ftp.gnu.org/gnu/glibc/glibc-ports-2.15.tar.gz")
    );
    assert_eq!(
        glibc.hashes,
        [
            Hash::new(HashAlgorithm::Md5, "624c1abb3664f4b35547e7c73864ad24"),
            Hash::new(
                HashAlgorithm::Sha1,
                "85ed0817af83a24ad8da68c2b5094de69833983c"
            ),
            Hash::new(
                HashAlgorithm::Sha256,
                "11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd"
            ),
            Hash::new(
                HashAlgorithm::Blake2b384,
                "aaabd89c926ab525c242e6621f2f5fa73aa4afe3d9e24aed727faaadd6af38b620bdb623dd2b4788b1c8086984af8706"
            ),
        ]
    );
    let ids: Vec<&str> = json.bom.components.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "SPDXRef-fromDoap-1",
            "pkg:maven/org.apache.jena/apache-jena@3.12.0",
            "SPDXRef-Saxon"
        ]
    );
    let jena = component(json, "pkg:maven/org.apache.jena/apache-jena@3.12.0");
    assert_eq!((jena.name.as_str(), jena.group.as_deref()), ("Jena", None));
    assert_eq!(jena.ecosystem, Some(Ecosystem::Maven));
    assert_eq!(jena.licenses, Vec::<String>::new());
    let saxon = component(json, "SPDXRef-Saxon");
    assert_eq!(saxon.version.as_deref(), Some("8.8"));
    assert_eq!(saxon.licenses, ["MPL-1.0"]);
    assert_eq!(
        edges(json),
        [edge(
            "SPDXRef-Package",
            RelationshipKind::DependsOn,
            "SPDXRef-Saxon"
        )]
    );
    assert_eq!(json.bom.metadata.tools, ["LicenseFind-1.0"]);
    assert_eq!(
        json.bom.metadata.authors,
        ["Organization: ExampleCodeInspect ()", "Person: Jane Doe ()"]
    );
    assert_eq!(
        json.bom.metadata.timestamp.as_deref(),
        Some("2010-01-29T18:30:22Z")
    );
    // Files, snippets and the relationships that need them are listed, never dropped silently.
    for expected in [
        "file SPDXRef-File is not modelled",
        "snippet SPDXRef-Snippet is not modelled",
        "described element SPDXRef-File is not a package",
        "file SPDXRef-JenaLib is not modelled",
        "sourceInfo is not modelled",
    ] {
        for outcome in &outcomes {
            assert!(
                outcome
                    .skipped
                    .iter()
                    .any(|entry| entry.ends_with(expected)),
                "{}: {expected} not in {:#?}",
                outcome.format,
                outcome.skipped
            );
        }
    }
    let tag_value = &outcomes[3];
    assert!(
        tag_value
            .skipped
            .contains(&"line 41: file SPDXRef-File is not modelled".to_owned()),
        "{:#?}",
        tag_value.skipped
    );
    assert!(
        json.skipped
            .contains(&"/files/0: file SPDXRef-DoapSource is not modelled".to_owned()),
        "{:#?}",
        json.skipped
    );
}

#[test]
fn every_spdx_example_parses() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    let mut documents = Vec::new();
    for directory in [
        "spdx-spec-examples/v2.2/examples",
        "spdx-spec-examples/v2.3/examples",
        "spdx-spec-examples/v3.0/examples/jsonld",
        "spdx-tools-java/testResources",
    ] {
        documents.extend(files(&data.join(directory), |name| {
            (name.contains("Example") || name.contains("package_sbom")) && !name.contains("Rdf")
        }));
    }
    // Invalid YAML upstream; see the_official_spdx22_yaml_example_is_not_valid_yaml.
    documents.retain(|path| !path.ends_with("v2.2/examples/SPDXYAMLExample-2.2.spdx.yaml"));
    let mut stack = vec![data.join("spdx-examples")];
    while let Some(directory) = stack.pop() {
        for path in files(&directory, |_| true) {
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "json" || ext == "spdx")
            {
                documents.push(path);
            }
        }
    }
    let mut counts = [0usize; 2];
    let mut failures = Vec::new();
    for path in &documents {
        match read_path(path) {
            Ok(outcome) => {
                counts[match outcome.format.family {
                    FormatFamily::CycloneDx => unreachable!("{}", path.display()),
                    FormatFamily::Spdx2 => 0,
                    FormatFamily::Spdx3 => 1,
                }] += 1;
            }
            Err(error) => failures.push(error),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // SPDX 2: spec 2.2 (JSON, tag-value, XML) + 2.3 (JSON, YAML, XML, tag-value) +
    // tools-java 9 + spdx-examples 23; SPDX 3: spec 1 + tools-java 1 + spdx-examples 17.
    assert_eq!(counts, [3 + 4 + 9 + 23, 1 + 1 + 17], "{documents:#?}");
}

#[test]
fn the_official_spdx22_yaml_example_is_not_valid_yaml() {
    // It puts unescaped double quotes inside a double-quoted scalar ("Software").
    let Some(path) = vouch_test_support::data_path(
        "spdx-spec-examples/v2.2/examples/SPDXYAMLExample-2.2.spdx.yaml",
    ) else {
        return;
    };
    let error = read_path(&path).err().unwrap_or_default();
    assert!(
        error.ends_with(
            "not JSON, XML or SPDX tag-value, and not valid YAML: line 324: invalid trailing content after double-quoted scalar"
        ),
        "{error}"
    );
}

#[test]
fn spdx3_example_names_the_root_package_as_subject() {
    let Some(path) =
        vouch_test_support::data_path("spdx-spec-examples/v3.0/examples/jsonld/package_sbom.json")
    else {
        return;
    };
    let outcome = read_ok(&path);
    assert_eq!(outcome.format.family, FormatFamily::Spdx3);
    assert_eq!(outcome.format.version, "3.0.1");
    let subject = outcome
        .bom
        .metadata
        .subject
        .as_ref()
        .unwrap_or_else(|| panic!("no subject"));
    assert_eq!(subject.id.as_str(), "http://spdx.example.com/Package1");
    assert_eq!(subject.name, "my-package");
    assert_eq!(subject.version.as_deref(), Some("1.0"));
    assert_eq!(
        subject.download_url.as_deref(),
        Some("http://dl.example.com/my-package_1.0.0.tar")
    );
    assert_eq!(outcome.bom.components, []);
    assert_eq!(outcome.bom.metadata.authors, ["Joshua Watt"]);
    assert_eq!(
        outcome.skipped,
        [
            "/@graph/4: not modelled: builtTime, originatedBy",
            "/@graph/5: software_File myprogram is not modelled",
            "/@graph/6/to/0: relationship to `http://spdx.example.com/Package1/myprogram`, which is not a component",
        ]
    );
}

#[test]
fn invalid_documents_are_rejected_with_what_and_where() {
    let Some(data) = vouch_test_support::data_path("") else {
        return;
    };
    for (path, message) in [
        (
            "guac-exampledata/invalid-cyclonedx.json",
            "/bomFormat: expected `CycloneDX`, found `CDX`",
        ),
        (
            "guac-exampledata/invalid-cyclonedx.xml",
            "invalid XML at line 1: document has no root element",
        ),
        (
            "guac-exampledata/invalid-spdx.json",
            "/spdxVersion: expected a string, found a number",
        ),
        (
            "guac-exampledata/invalid-spdx-identifier-spdx.json",
            "/creationInfo/creators/0: expected a string, found an object",
        ),
        (
            "guac-exampledata/open-vex-not-affected.json",
            "JSON-LD document with @context \"https://openvex.dev/ns\" is not SPDX 3",
        ),
        (
            "spdx-tools-java/testResources/BadJSON.spdx.json",
            "/packages/1/name: expected a string, found null",
        ),
        (
            "spdx-tools-java/testResources/SPDXRdfExample-v2.3.spdx.rdf",
            "SPDX RDF/XML is not supported; convert it to SPDX JSON or tag-value first",
        ),
    ] {
        let full = data.join(path);
        let error = read_path(&full).err().unwrap_or_default();
        assert_eq!(error, format!("{}: {message}", full.display()));
    }
}

const CYCLONEDX_JSON: &str = r#"{
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
  "metadata": {
    "timestamp": "2024-01-02T03:04:05Z",
    "tools": {"components": [{"type": "application", "name": "syft", "version": "1.0.0"}]},
    "authors": [{"name": "Jane"}],
    "component": {"type": "application", "bom-ref": "app", "name": "app", "version": "1.0"}
  },
  "components": [
    {
      "type": "library",
      "bom-ref": "pkg:npm/%40scope/outer@2.0.0",
      "group": "@scope",
      "name": "outer",
      "version": "2.0.0",
      "purl": "pkg:npm/%40scope/outer@2.0.0",
      "scope": "excluded",
      "hashes": [
        {"alg": "SHA-256", "content": "A74F733635A19AEFB1F73E5947CEF59CD7440C6952EF0F03D09D974274CBD6DF"},
        {"alg": "SHA-1", "content": "abc"}
      ],
      "licenses": [{"license": {"id": "MIT"}}, {"license": {"name": "Custom"}}],
      "supplier": {"name": "Acme"},
      "cpe": "cpe:2.3:a:acme:outer:2.0.0:*:*:*:*:*:*:*",
      "components": [
        {"type": "file", "name": "inner.js", "purl": "not a purl"}
      ]
    },
    {
      "type": "library",
      "bom-ref": "expr@3",
      "name": "expr",
      "version": "3",
      "licenses": [{"expression": "MIT OR Apache-2.0"}],
      "properties": [{"name": "note", "value": "kept"}, {"name": "vouch:scope", "value": "build"}]
    }
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["pkg:npm/%40scope/outer@2.0.0", "missing"]},
    {"ref": "pkg:npm/%40scope/outer@2.0.0", "dependsOn": ["expr@3"], "provides": ["x"]}
  ],
  "services": [{"name": "api"}]
}"#;

#[test]
fn cyclonedx_json_fields_nesting_and_skips_are_exact() {
    let outcome = read_text(CYCLONEDX_JSON);
    assert_eq!(outcome.format.to_string(), "CycloneDX 1.5 JSON");
    let metadata = &outcome.bom.metadata;
    assert_eq!(metadata.tools, ["syft-1.0.0"]);
    assert_eq!(metadata.authors, ["Jane"]);
    assert_eq!(metadata.timestamp.as_deref(), Some("2024-01-02T03:04:05Z"));
    assert_eq!(
        metadata.serial.as_deref(),
        Some("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79")
    );
    let subject = metadata
        .subject
        .as_ref()
        .unwrap_or_else(|| panic!("no subject"));
    assert_eq!(
        (subject.id.as_str(), subject.kind),
        ("app", ComponentKind::Application)
    );

    let outer = component(&outcome, "pkg:npm/%40scope/outer@2.0.0");
    assert_eq!(outer.group.as_deref(), Some("@scope"));
    assert_eq!(outer.name, "outer");
    assert_eq!(outer.ecosystem, Some(Ecosystem::Npm));
    assert_eq!(outer.scope, Scope::Dev);
    assert_eq!(outer.supplier.as_deref(), Some("Acme"));
    assert_eq!(outer.licenses, ["MIT", "Custom"]);
    assert_eq!(
        outer.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "a74f733635a19aefb1f73e5947cef59cd7440c6952ef0f03d09d974274cbd6df"
        )]
    );
    let inner = component(&outcome, "inner.js");
    assert_eq!(
        (inner.kind, inner.purl.as_ref()),
        (ComponentKind::File, None)
    );
    let expr = component(&outcome, "expr@3");
    assert_eq!(expr.licenses, ["MIT OR Apache-2.0"]);
    assert_eq!(expr.scope, Scope::Build);
    assert_eq!(
        expr.properties.iter().collect::<Vec<_>>(),
        [(&"note".to_owned(), &"kept".to_owned())]
    );
    assert_eq!(
        edges(&outcome),
        [
            edge(
                "app",
                RelationshipKind::DependsOn,
                "pkg:npm/%40scope/outer@2.0.0"
            ),
            edge(
                "pkg:npm/%40scope/outer@2.0.0",
                RelationshipKind::DependsOn,
                "expr@3"
            ),
            edge(
                "pkg:npm/%40scope/outer@2.0.0",
                RelationshipKind::Contains,
                "inner.js"
            ),
        ]
    );
    assert_eq!(
        outcome.skipped,
        [
            "document: not modelled: services",
            "/components/0: not modelled: cpe",
            "/components/0/hashes/1: SHA-1 digest `abc` is not 40 hex digits",
            "/components/0/components/0/purl: invalid purl `not a purl`: purl must start with `pkg:`",
            "/dependencies/0/dependsOn/1: relationship to `missing`, which is not a component",
            "/dependencies/1/provides: `provides` relationships are not modelled",
        ]
    );
}

/// The same BOM in CycloneDX XML reads into the same model.
#[test]
fn cyclonedx_xml_reads_like_json() {
    let xml = r#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79">
  <metadata>
    <timestamp>2024-01-02T03:04:05Z</timestamp>
    <tools><components><component type="application"><name>syft</name><version>1.0.0</version></component></components></tools>
    <authors><author><name>Jane</name></author></authors>
    <component type="application" bom-ref="app"><name>app</name><version>1.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/%40scope/outer@2.0.0">
      <supplier><name>Acme</name></supplier>
      <group>@scope</group>
      <name>outer</name>
      <version>2.0.0</version>
      <scope>excluded</scope>
      <hashes>
        <hash alg="SHA-256">A74F733635A19AEFB1F73E5947CEF59CD7440C6952EF0F03D09D974274CBD6DF</hash>
        <hash alg="SHA-1">abc</hash>
      </hashes>
      <licenses><license><id>MIT</id></license><license><name>Custom</name></license></licenses>
      <cpe>cpe:2.3:a:acme:outer:2.0.0:*:*:*:*:*:*:*</cpe>
      <purl>pkg:npm/%40scope/outer@2.0.0</purl>
      <components><component type="file"><name>inner.js</name><purl>not a purl</purl></component></components>
    </component>
    <component type="library" bom-ref="expr@3">
      <name>expr</name>
      <version>3</version>
      <licenses><expression>MIT OR Apache-2.0</expression></licenses>
      <properties><property name="note">kept</property><property name="vouch:scope">build</property></properties>
    </component>
  </components>
  <services><service><name>api</name></service></services>
  <dependencies>
    <dependency ref="app"><dependency ref="pkg:npm/%40scope/outer@2.0.0"/><dependency ref="missing"/></dependency>
    <dependency ref="pkg:npm/%40scope/outer@2.0.0"><dependency ref="expr@3"/></dependency>
  </dependencies>
</bom>"#;
    let from_xml = read_text(xml);
    let from_json = read_text(CYCLONEDX_JSON);
    assert_eq!(from_xml.format.to_string(), "CycloneDX 1.5 XML");
    assert_eq!(from_xml.bom, from_json.bom);
    assert_eq!(
        from_xml.skipped,
        [
            "line 2 <bom>: not modelled: services",
            "line 10 <component>: not modelled: cpe",
            "line 18 <hash>: SHA-1 digest `abc` is not 40 hex digits",
            "line 23 <purl>: invalid purl `not a purl`: purl must start with `pkg:`",
            "line 34 <dependency>: relationship to `missing`, which is not a component",
        ]
    );
}

#[test]
fn spdx_tag_value_relationships_point_from_the_dependent() {
    let document = "\
SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: demo
DocumentNamespace: https://example.com/demo
Creator: Tool: vouch-0.1.0
Created: 2024-01-02T03:04:05Z

PackageName: app
SPDXID: SPDXRef-app
PackageDownloadLocation: NOASSERTION

PackageName: @babel/core
SPDXID: SPDXRef-core
PackageVersion: 7.0.0
PackageDownloadLocation: https://registry.npmjs.org/@babel/core/-/core-7.0.0.tgz
PackageChecksum: SHA512: 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
PackageLicenseDeclared: NOASSERTION
PackageLicenseConcluded: MIT
ExternalRef: PACKAGE_MANAGER purl pkg:npm/%40babel/core@7.0.0
PackageComment: <text>two
lines</text>
PrimaryPackagePurpose: LIBRARY
PackageSourceInfo: found in package-lock.json:12, package.json

PackageName: jest
SPDXID: SPDXRef-jest
PackageDownloadLocation: NOASSERTION

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-app
Relationship: SPDXRef-core DEPENDENCY_OF SPDXRef-app
Relationship: SPDXRef-jest DEV_DEPENDENCY_OF SPDXRef-app
Relationship: SPDXRef-app CONTAINS SPDXRef-jest
Relationship: SPDXRef-app AMENDS SPDXRef-core
";
    let outcome = read_text(document);
    assert_eq!(outcome.format.to_string(), "SPDX 2 2.3 tag-value");
    assert_eq!(
        outcome.bom.metadata.subject.as_ref().map(|s| s.id.as_str()),
        Some("SPDXRef-app")
    );
    let core = component(&outcome, "pkg:npm/%40babel/core@7.0.0");
    assert_eq!(core.group.as_deref(), Some("@babel"));
    assert_eq!(core.name, "core");
    assert_eq!(core.version.as_deref(), Some("7.0.0"));
    assert_eq!(core.licenses, ["MIT"]);
    assert_eq!(core.hashes.len(), 1);
    assert_eq!(core.hashes[0].algorithm, HashAlgorithm::Sha512);
    assert_eq!(
        core.locations,
        [
            Location {
                path: "package-lock.json".into(),
                line: Some(12)
            },
            Location {
                path: "package.json".into(),
                line: None
            },
        ]
    );
    assert_eq!(core.source, Source::Registry { url: None });
    assert_eq!(
        edges(&outcome),
        [
            edge(
                "SPDXRef-app",
                RelationshipKind::DependsOn,
                "pkg:npm/%40babel/core@7.0.0"
            ),
            edge(
                "SPDXRef-app",
                RelationshipKind::DevDependsOn,
                "SPDXRef-jest"
            ),
            edge("SPDXRef-app", RelationshipKind::Contains, "SPDXRef-jest"),
        ]
    );
    assert_eq!(
        outcome.skipped,
        [
            "line 13: not modelled: PackageComment",
            "line 34: relationship SPDXRef-app AMENDS SPDXRef-core is not modelled",
        ]
    );
}

#[test]
fn unterminated_tag_value_text_names_its_line() {
    let error = read(
        b"SPDXVersion: SPDX-2.3\nDocumentComment: <text>never closed\n",
        "doc.spdx",
    )
    .err()
    .map(|error| error.to_string());
    assert_eq!(
        error.as_deref(),
        Some("doc.spdx: line 2: DocumentComment: <text> is never closed by </text>")
    );
}

#[test]
fn spdx3_lifecycle_scopes_and_declared_licences() {
    let document = r#"{
  "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
  "@graph": [
    {"type": "CreationInfo", "@id": "_:c", "specVersion": "3.0.1", "created": "2024-01-02T03:04:05Z", "createdBy": ["urn:x#org"], "createdUsing": ["urn:x#tool"]},
    {"type": "Organization", "spdxId": "urn:x#org", "name": "Acme", "creationInfo": "_:c"},
    {"type": "Tool", "spdxId": "urn:x#tool", "name": "vouch-0.1.0", "creationInfo": "_:c"},
    {"type": "SpdxDocument", "spdxId": "urn:x#doc", "name": "demo", "creationInfo": "_:c", "rootElement": ["urn:x#sbom"]},
    {"type": "software_Sbom", "spdxId": "urn:x#sbom", "creationInfo": "_:c", "rootElement": ["urn:x#app"]},
    {"type": "software_Package", "spdxId": "urn:x#app", "name": "app", "creationInfo": "_:c"},
    {"type": "software_Package", "spdxId": "urn:x#serde", "name": "serde", "creationInfo": "_:c",
     "software_packageVersion": "1.0.210", "software_packageUrl": "pkg:cargo/serde@1.0.210",
     "verifiedUsing": [{"type": "Hash", "algorithm": "sha3_256", "hashValue": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}],
     "suppliedBy": ["urn:x#org"], "software_primaryPurpose": "library"},
    {"type": "software_Package", "spdxId": "urn:x#cc", "name": "cc", "creationInfo": "_:c", "software_primaryPurpose": "install"},
    {"type": "simplelicensing_LicenseExpression", "spdxId": "urn:x#lic", "creationInfo": "_:c", "simplelicensing_licenseExpression": "MIT OR Apache-2.0"},
    {"type": "Relationship", "spdxId": "urn:x#r1", "creationInfo": "_:c", "from": "urn:x#serde", "relationshipType": "hasDeclaredLicense", "to": ["urn:x#lic"]},
    {"type": "Relationship", "spdxId": "urn:x#r2", "creationInfo": "_:c", "from": "urn:x#app", "relationshipType": "dependsOn", "to": ["urn:x#serde"]},
    {"type": "LifecycleScopedRelationship", "spdxId": "urn:x#r3", "creationInfo": "_:c", "from": "urn:x#app", "relationshipType": "dependsOn", "scope": "build", "to": ["urn:x#cc"]},
    {"type": "Relationship", "spdxId": "urn:x#r4", "creationInfo": "_:c", "from": "urn:x#app", "relationshipType": "hasOptionalDependency", "to": ["urn:x#cc", "urn:x#gone"]}
  ]
}"#;
    let outcome = read_text(document);
    assert_eq!(outcome.format.to_string(), "SPDX 3 3.0.1 JSON-LD");
    assert_eq!(outcome.bom.metadata.authors, ["Acme"]);
    assert_eq!(outcome.bom.metadata.tools, ["vouch-0.1.0"]);
    assert_eq!(outcome.bom.metadata.name.as_deref(), Some("demo"));
    assert_eq!(
        outcome.bom.metadata.subject.as_ref().map(|s| s.id.as_str()),
        Some("urn:x#app")
    );
    let serde = component(&outcome, "pkg:cargo/serde@1.0.210");
    assert_eq!(serde.licenses, ["MIT OR Apache-2.0"]);
    assert_eq!(serde.supplier.as_deref(), Some("Acme"));
    assert_eq!(serde.ecosystem, Some(Ecosystem::Cargo));
    assert_eq!(serde.hashes[0].algorithm, HashAlgorithm::Sha3_256);
    assert_eq!(
        edges(&outcome),
        [
            edge(
                "urn:x#app",
                RelationshipKind::DependsOn,
                "pkg:cargo/serde@1.0.210"
            ),
            edge("urn:x#app", RelationshipKind::OptionalDependsOn, "urn:x#cc"),
            edge("urn:x#app", RelationshipKind::BuildDependsOn, "urn:x#cc"),
        ]
    );
    assert_eq!(
        outcome.skipped,
        [
            "/@graph/7: primary purpose install has no component kind; read as library",
            "/@graph/12/to/1: relationship to `urn:x#gone`, which is not a component",
        ]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let json = format!(
        "{{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\", \"components\": [{}]}}",
        "{\"type\": \"library\", \"name\": \"x\", \"components\": [".repeat(5000)
    );
    assert!(read(json.as_bytes(), "deep.json").is_err());
    let xml = format!(
        "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>{}",
        "<component type=\"library\"><name>x</name><components>".repeat(5000)
    );
    let error = read(xml.as_bytes(), "deep.xml")
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        error.as_deref(),
        Some("deep.xml: invalid XML at line 1: elements nested deeper than 128 levels")
    );
}

/// Documents cut short or with bytes flipped are rejected or read leniently, never a panic.
mod damaged_documents {
    use proptest::prelude::*;

    use super::*;

    const DOCUMENTS: [&str; 5] = [
        "cyclonedx-specification/test-resources/1.6/valid-bom-1.6.json",
        "cyclonedx-specification/test-resources/1.6/valid-dependency-1.6.xml",
        "spdx-spec-examples/v2.3/examples/SPDXTagExample-v2.3.spdx",
        "spdx-spec-examples/v2.3/examples/SPDXYAMLExample-2.3.spdx.yaml",
        "spdx-spec-examples/v3.0/examples/jsonld/package_sbom.json",
    ];

    fn documents() -> Vec<Vec<u8>> {
        let Some(data) = vouch_test_support::data_path("") else {
            return Vec::new();
        };
        DOCUMENTS
            .iter()
            .map(|path| std::fs::read(data.join(path)).unwrap_or_default())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn never_panic(which in 0..DOCUMENTS.len(), cut in 0.0..1.0f64, flips in prop::collection::vec((0.0..1.0f64, any::<u8>()), 0..4)) {
            let documents = documents();
            let Some(document) = documents.get(which) else {
                return Ok(());
            };
            let mut bytes = document.clone();
            for (position, byte) in flips {
                let index = (position * bytes.len() as f64) as usize;
                if let Some(slot) = bytes.get_mut(index) {
                    *slot = byte;
                }
            }
            bytes.truncate((cut * bytes.len() as f64) as usize);
            let _ = read(&bytes, "damaged");
            let _ = vouch_formats::validate(&bytes, "damaged");
        }
    }
}

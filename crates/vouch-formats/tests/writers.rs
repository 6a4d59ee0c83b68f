//! The SBOM writers: every format of every BOM validates against the official schema (and the
//! SPDX project's own validator and the NTIA checker where installed), carries the facts of
//! the BOM in each format's spelling, and is byte-identical from run to run.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use vouch_formats::{Format, FormatError, SbomType, Schema, WriteOptions, validate_json, write};
use vouch_model::{
    Bom, Component, ComponentId, ComponentKind, Ecosystem, Hash, HashAlgorithm, Location, Purl,
    Relationship, RelationshipKind, Scope, Source,
};

const DOCUMENT_ID: &str = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";

fn options() -> WriteOptions {
    WriteOptions {
        created: "2026-01-02T03:04:05Z".into(),
        document_id: uuid::Uuid::from_u128(0x3f2504e0_4f89_41d3_9a0c_0305e82c3301),
        document_name: "my-app".into(),
        sbom_type: SbomType::Source,
        tool_name: "vouch".into(),
        tool_version: "0.1.0".into(),
    }
}

fn purl(text: &str) -> Purl {
    text.parse()
        .unwrap_or_else(|error| panic!("{text}: {error}"))
}

fn package(ecosystem: Ecosystem, purl_text: &str) -> Component {
    Component::package(ecosystem, purl(purl_text))
}

/// A digest of `algorithm`'s length made of one repeated hex digit.
fn repeated_digest(digit: char, algorithm: HashAlgorithm) -> Hash {
    Hash::new(
        algorithm,
        std::iter::repeat_n(digit, algorithm.hex_len()).collect::<String>(),
    )
}

fn id(text: &str) -> ComponentId {
    ComponentId::new(text)
}

fn edge(from: &str, kind: RelationshipKind, to: &str) -> Relationship {
    Relationship::new(id(from), kind, id(to))
}

const APP: &str = "my-app@1.0.0";
const BABEL: &str = "pkg:npm/%40babel/core@7.24.0";
const COMMONS: &str =
    "pkg:maven/org.apache.commons/commons-lang3@3.14.0?classifier=sources&type=jar";
const SERDE_JSON: &str = "pkg:cargo/serde_json@1.0.120";
const WASI: &str = "pkg:cargo/wasi@0.11.0%2Bwasi-snapshot-preview1";
const GIT_DEP: &str = "my_git_dep@0.1.0";
const LEFT_PAD: &str = "left-pad@1.3.0";
const LOCAL_LIB: &str = "local_lib";
const ERRORS: &str = "pkg:golang/github.com/pkg/errors@v0.9.1";
const APP_CORE: &str = "app_core@1.0.0";
const OPENSSL: &str = "pkg:generic/openssl@3.0.0";
const REACT: &str = "pkg:npm/react@18.2.0";
const VENDOR: &str = "vendor.tar.gz";
const VENDORED: &str = "vendored_lib@2.0";
const PRIVATE: &str = "pkg:pypi/private-pkg@0.3";

/// A BOM using every field and kind the model has.
fn full_bom() -> Bom {
    let mut subject = Component::new(ComponentKind::Application, "my-app", Some("1.0.0".into()));
    subject.source = Source::Path { path: ".".into() };
    subject.supplier = Some("Organization: Example Corp".into());

    let mut babel = package(Ecosystem::Npm, BABEL);
    babel.hashes = vec![repeated_digest('a', HashAlgorithm::Sha512)];
    babel.licenses = vec!["MIT".into()];
    babel.supplier = Some("Babel".into());
    babel.direct = Some(true);
    babel.download_url = Some("https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz".into());
    babel.locations = vec![Location {
        path: "package-lock.json".into(),
        line: Some(12),
    }];
    babel
        .properties
        .insert("npm:integrity".into(), "sha512-qqqq".into());

    let mut commons = package(Ecosystem::Maven, COMMONS);
    commons.hashes = vec![
        repeated_digest('1', HashAlgorithm::Sha256),
        repeated_digest('2', HashAlgorithm::Sha1),
        repeated_digest('3', HashAlgorithm::Md5),
    ];
    commons.licenses = vec!["apache-2.0".into()];
    commons.direct = Some(false);
    commons.description = Some("Apache Commons Lang,\na utility library.".into());

    let mut serde_json = package(Ecosystem::Cargo, SERDE_JSON);
    serde_json.licenses = vec!["MIT OR Apache-2.0".into()];
    serde_json.hashes = vec![repeated_digest('4', HashAlgorithm::Sha256)];
    serde_json.locations = vec![
        Location {
            path: "Cargo.lock".into(),
            line: None,
        },
        Location {
            path: "crates/a/Cargo.lock".into(),
            line: Some(7),
        },
    ];

    let mut wasi = package(Ecosystem::Cargo, WASI);
    wasi.licenses = vec!["Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT".into()];
    wasi.hashes = vec![
        repeated_digest('5', HashAlgorithm::Blake2b256),
        repeated_digest('6', HashAlgorithm::Blake3),
        repeated_digest('7', HashAlgorithm::Sha3_512),
    ];

    let mut git_dep = Component::new(ComponentKind::Library, "my_git_dep", Some("0.1.0".into()));
    git_dep.ecosystem = Some(Ecosystem::Cargo);
    git_dep.source = Source::Git {
        url: "https://github.com/example/my_git_dep".into(),
        reference: Some("4b2f9d4158d7099a7beef99c8083a0d26f2d26f1".into()),
    };
    git_dep.scope = Scope::Dev;
    git_dep.direct = Some(true);

    let mut left_pad = Component::new(ComponentKind::Library, "left-pad", Some("1.3.0".into()));
    left_pad.ecosystem = Some(Ecosystem::Npm);
    left_pad.source = Source::Git {
        url: "git@github.com:example/left-pad.git".into(),
        reference: None,
    };
    left_pad.scope = Scope::Optional;

    let mut local_lib = Component::new(ComponentKind::Library, "local_lib", None);
    local_lib.ecosystem = Some(Ecosystem::PyPI);
    local_lib.source = Source::Path {
        path: "../local_lib".into(),
    };
    local_lib.scope = Scope::Build;

    let errors = package(Ecosystem::Go, ERRORS);

    let mut app_core = Component::new(ComponentKind::Library, "app_core", Some("1.0.0".into()));
    app_core.source = Source::Workspace;
    app_core.direct = Some(true);

    let mut openssl = package(Ecosystem::Other("generic".into()), OPENSSL);
    openssl.source = Source::Url {
        url: "https://www.openssl.org/source/openssl-3.0.0.tar.gz".into(),
    };
    openssl.hashes = vec![
        repeated_digest('8', HashAlgorithm::Sha224),
        repeated_digest('9', HashAlgorithm::Sha384),
    ];
    openssl.licenses = vec!["Custom licence, see LICENSE".into(), "Apache-2.0".into()];
    openssl.kind = ComponentKind::Platform;

    let mut react = package(Ecosystem::Npm, REACT);
    react.scope = Scope::Peer;

    let mut vendor = Component::new(ComponentKind::File, "vendor.tar.gz", None);
    vendor.hashes = vec![repeated_digest('b', HashAlgorithm::Sha3_256)];
    let vendored = Component::new(ComponentKind::Library, "vendored_lib", Some("2.0".into()));

    let mut private = package(Ecosystem::PyPI, PRIVATE);
    private.source = Source::Registry {
        url: Some("https://pypi.example.com/simple".into()),
    };
    private.hashes = vec![
        repeated_digest('c', HashAlgorithm::Blake2b512),
        repeated_digest('d', HashAlgorithm::Blake2b384),
    ];
    private.licenses = vec!["LicenseRef-Proprietary".into()];

    let mut bom = Bom::default();
    bom.metadata.subject = Some(subject);
    bom.metadata.authors = vec!["Organization: Example Corp".into(), "Jane Doe".into()];
    bom.metadata.tools = vec!["syft-1.2.3".into()];
    bom.components = vec![
        babel, commons, serde_json, wasi, git_dep, left_pad, local_lib, errors, app_core, openssl,
        react, vendor, vendored, private,
    ];
    bom.relationships = vec![
        edge(APP, RelationshipKind::DependsOn, BABEL),
        edge(BABEL, RelationshipKind::DependsOn, COMMONS),
        edge(APP, RelationshipKind::DependsOn, SERDE_JSON),
        edge(SERDE_JSON, RelationshipKind::DependsOn, WASI),
        edge(APP, RelationshipKind::DevDependsOn, GIT_DEP),
        edge(APP, RelationshipKind::OptionalDependsOn, LEFT_PAD),
        edge(APP, RelationshipKind::BuildDependsOn, LOCAL_LIB),
        edge(BABEL, RelationshipKind::PeerDependsOn, REACT),
        edge(APP_CORE, RelationshipKind::DependsOn, ERRORS),
        edge(APP, RelationshipKind::DependsOn, OPENSSL),
        edge(APP, RelationshipKind::Contains, VENDOR),
        edge(VENDOR, RelationshipKind::Contains, VENDORED),
        edge(APP, RelationshipKind::DependsOn, PRIVATE),
    ];
    bom
}

/// A small BOM for the snapshots: a project, one direct dependency and one dev dependency.
fn small_bom() -> Bom {
    let mut subject = Component::new(ComponentKind::Application, "demo", Some("0.1.0".into()));
    subject.source = Source::Workspace;
    subject.supplier = Some("Organization: Demo Ltd".into());
    let mut serde = package(Ecosystem::Cargo, "pkg:cargo/serde@1.0.210");
    serde.hashes = vec![Hash::new(
        HashAlgorithm::Sha256,
        "c8e3f5d2ecb9ae5f2c5b5a3c1d1d1a0f5b1e6c2b2b2a2a2f2e2d2c2b2a292827",
    )];
    serde.licenses = vec!["MIT OR Apache-2.0".into()];
    serde.direct = Some(true);
    serde.supplier = Some("Person: David Tolnay".into());
    serde.locations = vec![Location {
        path: "Cargo.lock".into(),
        line: Some(42),
    }];
    let mut proptest = package(Ecosystem::Cargo, "pkg:cargo/proptest@1.5.0");
    proptest.scope = Scope::Dev;
    proptest.direct = Some(true);
    proptest.licenses = vec!["MIT".into()];
    proptest.supplier = Some("proptest-rs".into());
    let mut bom = Bom::default();
    bom.metadata.subject = Some(subject);
    bom.components = vec![serde, proptest];
    bom.relationships = vec![
        edge(
            "demo@0.1.0",
            RelationshipKind::DependsOn,
            "pkg:cargo/serde@1.0.210",
        ),
        edge(
            "demo@0.1.0",
            RelationshipKind::DevDependsOn,
            "pkg:cargo/proptest@1.5.0",
        ),
    ];
    bom
}

/// The full BOM without a subject, so the writers must find the roots themselves.
fn subjectless_bom() -> Bom {
    let mut bom = full_bom();
    bom.metadata.subject = None;
    bom.relationships
        .retain(|relationship| relationship.from.as_str() != APP);
    bom
}

fn boms() -> [(&'static str, Bom); 4] {
    [
        ("full", full_bom()),
        ("small", small_bom()),
        ("subjectless", subjectless_bom()),
        ("empty", Bom::default()),
    ]
}

fn written(bom: &Bom, format: Format) -> Vec<u8> {
    written_with(bom, format, &options())
}

fn written_with(bom: &Bom, format: Format, options: &WriteOptions) -> Vec<u8> {
    write(bom, format, options).unwrap_or_else(|error| panic!("{format}: {error}"))
}

fn written_text(bom: &Bom, format: Format) -> String {
    String::from_utf8(written(bom, format)).unwrap_or_else(|error| panic!("{format}: {error}"))
}

fn written_json(bom: &Bom, format: Format) -> Value {
    serde_json::from_slice(&written(bom, format))
        .unwrap_or_else(|error| panic!("{format}: {error}"))
}

/// Writes `bytes` to a file in a fresh temporary directory, removed when the guard drops.
fn temporary_file(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let path = directory.path().join(name);
    std::fs::write(&path, bytes).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    (directory, path)
}

fn run(command: &mut Command) -> (bool, String) {
    let output = command
        .output()
        .unwrap_or_else(|error| panic!("{command:?}: {error}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn json_outputs_validate_against_the_bundled_official_schemas() {
    for (name, bom) in boms() {
        for (format, schema) in [
            (Format::CycloneDxJson, Schema::CycloneDx16),
            (Format::SpdxJson, Schema::Spdx23),
            (Format::Spdx3Json, Schema::Spdx30),
        ] {
            let document = written_json(&bom, format);
            assert_eq!(validate_json(&document, schema), vec![], "{name} {format}");
        }
    }
}

#[test]
fn cyclonedx_xml_validates_against_the_official_xsd() {
    let Some(schemas) = vouch_test_support::data_path("cyclonedx-specification/schema") else {
        return;
    };
    if !vouch_test_support::external_tool("xmllint", &["--version"]) {
        return;
    }
    for (name, bom) in boms() {
        let (_directory, path) = temporary_file(
            &format!("{name}.cdx.xml"),
            &written(&bom, Format::CycloneDxXml),
        );
        let (valid, report) = run(Command::new("xmllint")
            .arg("--noout")
            .arg("--nonet")
            .arg("--schema")
            .arg(schemas.join("bom-1.6.xsd"))
            .arg(&path)
            .env("XML_CATALOG_FILES", schemas.join("xmlcatalog.xml")));
        assert!(valid, "{name}: {report}");
    }
}

/// spdx-tools 0.8.5 wants BLAKE3 digests of at least 256 hex digits: its table means 256
/// bits (64 digits, what BLAKE3 produces by default) but checks digits.
const SPDX_TOOLS_BLAKE3_BUG: &str =
    "value of ChecksumAlgorithm.BLAKE3 must consist of at least 256";

#[test]
fn spdx2_outputs_pass_the_spdx_tools_validator() {
    if !vouch_test_support::external_tool("pyspdxtools", &["--help"]) {
        return;
    }
    for (name, bom) in boms() {
        for (format, extension) in [
            (Format::SpdxJson, "spdx.json"),
            (Format::SpdxTagValue, "spdx"),
        ] {
            let (_directory, path) =
                temporary_file(&format!("{name}.{extension}"), &written(&bom, format));
            let (valid, report) = run(Command::new("pyspdxtools").arg("-i").arg(&path));
            if name == "full" || name == "subjectless" {
                // The one BLAKE3 digest of these BOMs trips the bug above; nothing else may fail.
                let issues: Vec<&str> = report
                    .lines()
                    .skip_while(|line| !line.contains("The following issues have been found"))
                    .skip(1)
                    .filter(|line| !line.trim().is_empty())
                    .collect();
                assert!(!valid, "{name} {format}: {report}");
                assert_eq!(issues.len(), 1, "{name} {format}: {report}");
                assert!(
                    issues[0].starts_with(SPDX_TOOLS_BLAKE3_BUG),
                    "{name} {format}: {report}"
                );
            } else {
                assert!(valid, "{name} {format}: {report}");
            }
        }
    }
}

#[test]
fn spdx_json_meets_the_ntia_minimum_elements() {
    if !vouch_test_support::external_tool("sbomcheck", &["--version"]) {
        return;
    }
    let (_directory, path) =
        temporary_file("ntia.spdx.json", &written(&small_bom(), Format::SpdxJson));
    let (_, report) = run(Command::new("sbomcheck")
        .args(["--comply", "ntia", "--output", "json", "--quiet"])
        .arg(&path));
    // The JSON report comes first; anything after it is a human summary.
    let json_end = report.find("\n}").map_or(report.len(), |end| end + 2);
    let report: Value = serde_json::from_str(&report[..json_end])
        .unwrap_or_else(|error| panic!("{error}: {report}"));
    assert_eq!(report["isNtiaConformant"], Value::Bool(true), "{report:#}");
    for element in [
        "authorNameProvided",
        "timestampProvided",
        "dependencyRelationshipsProvided",
    ] {
        assert_eq!(report[element], Value::Bool(true), "{element}: {report:#}");
    }
    for element in [
        "componentNames",
        "componentVersions",
        "componentIdentifiers",
        "componentSuppliers",
    ] {
        assert_eq!(
            report[element]["allProvided"],
            Value::Bool(true),
            "{element}: {report:#}"
        );
    }
}

/// SHACL validation against the SPDX 3.0.1 model, as `spdx3-validate` does it, but with the
/// context and model read from the shared data instead of fetched from spdx.org.
const SPDX3_SHACL_CHECK: &str = r#"
import json, sys, rdflib, pyshacl
context_path, model_path, document_path = sys.argv[1:4]
with open(context_path) as context, open(document_path) as document:
    context, document = json.load(context), json.load(document)
document["@context"] = context["@context"]
data = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
shapes = rdflib.Graph().parse(model_path, format="turtle")
conforms, _, report = pyshacl.validate(data, shacl_graph=shapes, ont_graph=shapes)
print(report)
sys.exit(0 if conforms else 1)
"#;

#[test]
fn spdx3_outputs_conform_to_the_shacl_model() {
    let Some(rdf) = vouch_test_support::data_path("spdx-spec-examples/v3.0/rdf") else {
        return;
    };
    if !vouch_test_support::external_tool("python3", &["-c", "import pyshacl, rdflib"]) {
        return;
    }
    for (name, bom) in boms() {
        let (_directory, path) = temporary_file(
            &format!("{name}.spdx3.json"),
            &written(&bom, Format::Spdx3Json),
        );
        let (conforms, report) = run(Command::new("python3")
            .args(["-c", SPDX3_SHACL_CHECK])
            .arg(rdf.join("spdx-context.jsonld"))
            .arg(rdf.join("spdx-model.ttl"))
            .arg(&path));
        assert!(conforms, "{name}: {report}");
    }
}

#[test]
fn outputs_are_byte_identical_whatever_the_input_order() {
    let mut shuffled = full_bom();
    shuffled.components.reverse();
    shuffled.relationships.reverse();
    for format in Format::ALL {
        let first = written(&full_bom(), format);
        assert_eq!(first, written(&full_bom(), format), "{format}");
        assert_eq!(first, written(&shuffled, format), "{format}");
        assert_eq!(first.last(), Some(&b'\n'), "{format}");
    }
}

fn cyclonedx_component<'a>(document: &'a Value, bom_ref: &str) -> &'a Value {
    fn find<'a>(components: &'a Value, bom_ref: &str) -> Option<&'a Value> {
        components.as_array()?.iter().find_map(|component| {
            if component["bom-ref"] == bom_ref {
                Some(component)
            } else {
                find(&component["components"], bom_ref)
            }
        })
    }
    find(&document["components"], bom_ref).unwrap_or_else(|| panic!("no component {bom_ref}"))
}

fn properties(component: &Value) -> Vec<(String, String)> {
    component["properties"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|property| {
            (
                property["name"].as_str().unwrap_or_default().to_owned(),
                property["value"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

#[test]
fn cyclonedx_carries_metadata_in_the_1_6_forms() {
    let document = written_json(&full_bom(), Format::CycloneDxJson);
    assert_eq!(document["specVersion"], "1.6");
    assert_eq!(document["serialNumber"], format!("urn:uuid:{DOCUMENT_ID}"));
    let metadata = &document["metadata"];
    assert_eq!(metadata["timestamp"], "2026-01-02T03:04:05Z");
    assert_eq!(
        metadata["lifecycles"],
        serde_json::json!([{"phase": "pre-build"}])
    );
    assert_eq!(
        metadata["tools"],
        serde_json::json!({"components": [
            {"type": "application", "name": "syft", "version": "1.2.3"},
            {"type": "application", "name": "vouch", "version": "0.1.0"},
        ]})
    );
    assert_eq!(
        metadata["authors"],
        serde_json::json!([{"name": "Example Corp"}, {"name": "Jane Doe"}])
    );
    assert_eq!(metadata["component"]["bom-ref"], APP);
    assert_eq!(metadata["component"]["type"], "application");
    assert_eq!(metadata["component"]["supplier"]["name"], "Example Corp");
}

#[test]
fn cyclonedx_components_carry_every_field() {
    let document = written_json(&full_bom(), Format::CycloneDxJson);
    let babel = cyclonedx_component(&document, BABEL);
    assert_eq!(babel["group"], "@babel");
    assert_eq!(babel["name"], "core");
    assert_eq!(babel["version"], "7.24.0");
    assert_eq!(babel["purl"], BABEL);
    assert_eq!(babel["scope"], "required");
    assert_eq!(babel["supplier"]["name"], "Babel");
    assert_eq!(
        babel["licenses"],
        serde_json::json!([{"license": {"id": "MIT"}}])
    );
    assert_eq!(babel["hashes"][0]["alg"], "SHA-512");
    assert_eq!(
        babel["evidence"],
        serde_json::json!({"occurrences": [{"location": "package-lock.json", "line": 12}]})
    );
    assert_eq!(
        babel["externalReferences"],
        serde_json::json!([{
            "type": "distribution",
            "url": "https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz"
        }])
    );
    assert_eq!(
        properties(babel),
        pairs(&[("npm:integrity", "sha512-qqqq"), ("vouch:direct", "true")])
    );

    let commons = cyclonedx_component(&document, COMMONS);
    assert_eq!(commons["purl"], COMMONS);
    let algorithms: Vec<&str> = commons["hashes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hash| hash["alg"].as_str())
        .collect();
    assert_eq!(algorithms, ["MD5", "SHA-1", "SHA-256"]);
    assert_eq!(
        commons["licenses"],
        serde_json::json!([{"license": {"id": "Apache-2.0"}}])
    );
    assert_eq!(
        commons["description"],
        "Apache Commons Lang,\na utility library."
    );

    let serde_json = cyclonedx_component(&document, SERDE_JSON);
    assert_eq!(
        serde_json["licenses"],
        serde_json::json!([{"expression": "MIT OR Apache-2.0"}])
    );

    let wasi = cyclonedx_component(&document, WASI);
    assert_eq!(wasi["version"], "0.11.0+wasi-snapshot-preview1");
    let algorithms: Vec<&str> = wasi["hashes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hash| hash["alg"].as_str())
        .collect();
    assert_eq!(algorithms, ["BLAKE2b-256", "BLAKE3", "SHA3-512"]);

    // CycloneDX has no SHA-224: only the SHA-384 digest remains. Licences that are not one
    // expression become a list; free text becomes a name.
    let openssl = cyclonedx_component(&document, OPENSSL);
    assert_eq!(openssl["type"], "platform");
    assert_eq!(
        openssl["hashes"],
        serde_json::json!([{"alg": "SHA-384", "content": "9".repeat(96)}])
    );
    assert_eq!(
        openssl["licenses"],
        serde_json::json!([
            {"license": {"name": "Custom licence, see LICENSE"}},
            {"license": {"id": "Apache-2.0"}},
        ])
    );
}

#[test]
fn cyclonedx_keeps_scopes_and_sources() {
    let document = written_json(&full_bom(), Format::CycloneDxJson);
    let git_dep = cyclonedx_component(&document, GIT_DEP);
    assert_eq!(git_dep["scope"], "optional");
    assert_eq!(
        git_dep["externalReferences"],
        serde_json::json!([{"type": "vcs", "url": "https://github.com/example/my_git_dep"}])
    );
    assert_eq!(
        properties(git_dep),
        pairs(&[
            ("vouch:direct", "true"),
            ("vouch:ecosystem", "crates.io"),
            ("vouch:scope", "dev"),
            ("vouch:source", "git"),
            (
                "vouch:source:reference",
                "4b2f9d4158d7099a7beef99c8083a0d26f2d26f1"
            ),
            ("vouch:source:url", "https://github.com/example/my_git_dep"),
        ])
    );

    let left_pad = cyclonedx_component(&document, LEFT_PAD);
    assert_eq!(
        left_pad["externalReferences"],
        serde_json::json!([{"type": "vcs", "url": "ssh://git@github.com/example/left-pad.git"}])
    );
    assert!(properties(left_pad).contains(&("vouch:scope".into(), "optional".into())));

    let local_lib = cyclonedx_component(&document, LOCAL_LIB);
    assert_eq!(local_lib["scope"], "optional");
    assert_eq!(local_lib.get("externalReferences"), None);
    assert_eq!(
        properties(local_lib),
        pairs(&[
            ("vouch:ecosystem", "PyPI"),
            ("vouch:scope", "build"),
            ("vouch:source", "path"),
            ("vouch:source:path", "../local_lib"),
        ])
    );

    let app_core = cyclonedx_component(&document, APP_CORE);
    assert_eq!(
        properties(app_core),
        pairs(&[("vouch:direct", "true"), ("vouch:source", "workspace")])
    );
    let react = cyclonedx_component(&document, REACT);
    assert_eq!(react["scope"], "optional");
    assert_eq!(properties(react), pairs(&[("vouch:scope", "peer")]));
    let private = cyclonedx_component(&document, PRIVATE);
    assert_eq!(
        properties(private),
        pairs(&[
            ("vouch:source", "registry"),
            ("vouch:source:url", "https://pypi.example.com/simple"),
        ])
    );
}

#[test]
fn cyclonedx_lists_dependencies_of_every_component_and_nests_contained_ones() {
    let document = written_json(&full_bom(), Format::CycloneDxJson);
    let dependencies = document["dependencies"]
        .as_array()
        .unwrap_or_else(|| panic!("no dependencies"));
    // The subject and all 14 components, each once, sorted by ref.
    let refs: Vec<&str> = dependencies
        .iter()
        .filter_map(|dependency| dependency["ref"].as_str())
        .collect();
    let mut sorted = refs.clone();
    sorted.sort_unstable();
    assert_eq!(refs, sorted);
    assert_eq!(refs.len(), 15);
    let depends_on = |reference: &str| {
        dependencies
            .iter()
            .find(|dependency| dependency["ref"] == reference)
            .map(|dependency| dependency["dependsOn"].clone())
            .unwrap_or_else(|| panic!("no entry for {reference}"))
    };
    // Containment is not a dependency, and writers add no edges: app_core is direct, but the
    // BOM says nothing of who depends on it.
    assert_eq!(
        depends_on(APP),
        serde_json::json!([
            LEFT_PAD, LOCAL_LIB, GIT_DEP, SERDE_JSON, OPENSSL, BABEL, PRIVATE
        ])
    );
    assert_eq!(depends_on(BABEL), serde_json::json!([COMMONS, REACT]));
    assert_eq!(depends_on(COMMONS), serde_json::json!([]));
    assert_eq!(depends_on(VENDORED), serde_json::json!([]));

    // vendor.tar.gz is contained by the subject (metadata), so it stays at the top; the library
    // it contains is nested inside it.
    let top: Vec<&str> = document["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|component| component["bom-ref"].as_str())
        .collect();
    assert!(top.contains(&VENDOR));
    assert!(!top.contains(&VENDORED));
    assert_eq!(
        cyclonedx_component(&document, VENDOR)["components"][0]["bom-ref"],
        VENDORED
    );
}

fn spdx_packages(document: &Value) -> &Vec<Value> {
    document["packages"]
        .as_array()
        .unwrap_or_else(|| panic!("no packages"))
}

fn spdx_package<'a>(document: &'a Value, name: &str) -> &'a Value {
    spdx_packages(document)
        .iter()
        .find(|package| package["name"] == name)
        .unwrap_or_else(|| panic!("no package {name}"))
}

fn spdx_relationships(document: &Value) -> Vec<(String, String, String)> {
    document["relationships"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|relationship| {
            let text = |key: &str| relationship[key].as_str().unwrap_or_default().to_owned();
            (
                text("spdxElementId"),
                text("relationshipType"),
                text("relatedSpdxElement"),
            )
        })
        .collect()
}

#[test]
fn spdx2_ids_are_valid_unique_and_readable() {
    let document = written_json(&full_bom(), Format::SpdxJson);
    let ids: Vec<&str> = spdx_packages(&document)
        .iter()
        .filter_map(|package| package["SPDXID"].as_str())
        .collect();
    assert_eq!(ids.len(), 15);
    for id in &ids {
        let idstring = id.strip_prefix("SPDXRef-").unwrap_or_default();
        assert!(
            !idstring.is_empty()
                && idstring
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'),
            "{id}"
        );
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    let babel_id = spdx_package(&document, "@babel/core")["SPDXID"]
        .as_str()
        .unwrap_or_default();
    assert!(
        babel_id.starts_with("SPDXRef-Package-babel-core-7.24.0-"),
        "{babel_id}"
    );
    let wasi_id = spdx_package(&document, "wasi")["SPDXID"]
        .as_str()
        .unwrap_or_default();
    assert!(
        wasi_id.starts_with("SPDXRef-Package-wasi-0.11.0-wasi-snapshot-preview1-"),
        "{wasi_id}"
    );
}

#[test]
fn spdx2_document_and_packages_follow_the_2_3_rules() {
    let document = written_json(&full_bom(), Format::SpdxJson);
    assert_eq!(document["spdxVersion"], "SPDX-2.3");
    assert_eq!(document["dataLicense"], "CC0-1.0");
    assert_eq!(
        document["documentNamespace"],
        format!("https://spdx.org/spdxdocs/my-app-{DOCUMENT_ID}")
    );
    assert_eq!(
        document["creationInfo"],
        serde_json::json!({
            "created": "2026-01-02T03:04:05Z",
            "creators": [
                "Organization: Example Corp",
                "Person: Jane Doe",
                "Tool: syft-1.2.3",
                "Tool: vouch-0.1.0",
            ],
        })
    );
    for package in spdx_packages(&document) {
        assert_eq!(package["filesAnalyzed"], false);
        assert_eq!(package["licenseConcluded"], "NOASSERTION");
    }

    let babel = spdx_package(&document, "@babel/core");
    assert_eq!(babel["versionInfo"], "7.24.0");
    assert_eq!(babel["supplier"], "Organization: Babel");
    assert_eq!(
        babel["downloadLocation"],
        "https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz"
    );
    assert_eq!(
        babel["externalRefs"],
        serde_json::json!([{
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": BABEL,
        }])
    );
    assert_eq!(babel["sourceInfo"], "found in package-lock.json:12");
    assert_eq!(babel["primaryPackagePurpose"], "LIBRARY");
    assert_eq!(babel["checksums"][0]["algorithm"], "SHA512");

    let commons = spdx_package(&document, "org.apache.commons:commons-lang3");
    let algorithms: Vec<&str> = commons["checksums"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|checksum| checksum["algorithm"].as_str())
        .collect();
    assert_eq!(algorithms, ["MD5", "SHA1", "SHA256"]);
    assert_eq!(commons["supplier"], "NOASSERTION");
    assert_eq!(commons["downloadLocation"], "NOASSERTION");

    let wasi = spdx_package(&document, "wasi");
    assert_eq!(
        wasi["licenseDeclared"],
        "Apache-2.0 WITH LLVM-exception OR Apache-2.0 OR MIT"
    );
    let algorithms: Vec<&str> = wasi["checksums"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|checksum| checksum["algorithm"].as_str())
        .collect();
    assert_eq!(algorithms, ["BLAKE2b-256", "BLAKE3", "SHA3-512"]);

    assert_eq!(
        spdx_package(&document, "my_git_dep")["downloadLocation"],
        "git+https://github.com/example/my_git_dep@4b2f9d4158d7099a7beef99c8083a0d26f2d26f1"
    );
    assert_eq!(
        spdx_package(&document, "left-pad")["downloadLocation"],
        "git+ssh://git@github.com/example/left-pad.git"
    );
    assert_eq!(
        spdx_package(&document, "local_lib")["downloadLocation"],
        "NOASSERTION"
    );
    assert_eq!(
        spdx_package(&document, "app_core")["downloadLocation"],
        "NOASSERTION"
    );
    assert_eq!(
        spdx_package(&document, "github.com/pkg/errors")["versionInfo"],
        "v0.9.1"
    );

    let openssl = spdx_package(&document, "openssl");
    assert_eq!(
        openssl["downloadLocation"],
        "https://www.openssl.org/source/openssl-3.0.0.tar.gz"
    );
    let algorithms: Vec<&str> = openssl["checksums"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|checksum| checksum["algorithm"].as_str())
        .collect();
    assert_eq!(algorithms, ["SHA224", "SHA384"]);
    let declared = openssl["licenseDeclared"].as_str().unwrap_or_default();
    let reference = declared
        .strip_suffix(" AND Apache-2.0")
        .unwrap_or_else(|| panic!("{declared}"));
    assert!(
        reference.starts_with("LicenseRef-Custom-licence-see-LICENSE-"),
        "{reference}"
    );
    assert_eq!(
        document["hasExtractedLicensingInfos"],
        serde_json::json!([
            {
                "licenseId": reference,
                "extractedText": "Custom licence, see LICENSE",
                "name": "Custom licence, see LICENSE",
            },
            {
                "licenseId": "LicenseRef-Proprietary",
                "extractedText": "NOASSERTION",
                "name": "Proprietary",
            },
        ])
    );
    assert_eq!(
        spdx_package(&document, "private-pkg")["licenseDeclared"],
        "LicenseRef-Proprietary"
    );
}

#[test]
fn spdx2_relationships_read_in_the_specified_direction() {
    let document = written_json(&full_bom(), Format::SpdxJson);
    let id = |name: &str| {
        spdx_package(&document, name)["SPDXID"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let relationships = spdx_relationships(&document);
    let app = id("my-app");
    for expected in [
        ("SPDXRef-DOCUMENT".to_owned(), "DESCRIBES", app.clone()),
        (app.clone(), "DEPENDS_ON", id("@babel/core")),
        (
            id("@babel/core"),
            "DEPENDS_ON",
            id("org.apache.commons:commons-lang3"),
        ),
        (id("my_git_dep"), "DEV_DEPENDENCY_OF", app.clone()),
        (id("left-pad"), "OPTIONAL_DEPENDENCY_OF", app.clone()),
        (id("local_lib"), "BUILD_DEPENDENCY_OF", app.clone()),
        (id("react"), "PROVIDED_DEPENDENCY_OF", id("@babel/core")),
        (app.clone(), "CONTAINS", id("vendor.tar.gz")),
        (id("vendor.tar.gz"), "CONTAINS", id("vendored_lib")),
    ] {
        let expected = (expected.0, expected.1.to_owned(), expected.2);
        assert!(relationships.contains(&expected), "{expected:?}");
    }
    // 13 edges of the BOM and one DESCRIBES.
    assert_eq!(relationships.len(), 14);
}

#[test]
fn spdx2_without_subject_describes_the_roots_and_an_empty_bom_describes_none() {
    let document = written_json(&subjectless_bom(), Format::SpdxJson);
    let described: Vec<String> = spdx_relationships(&document)
        .into_iter()
        .filter(|(_, kind, _)| kind == "DESCRIBES")
        .map(|(_, _, related)| related)
        .collect();
    let names: Vec<&str> = described
        .iter()
        .map(|id| {
            spdx_packages(&document)
                .iter()
                .find(|package| package["SPDXID"] == id.as_str())
                .and_then(|package| package["name"].as_str())
                .unwrap_or_default()
        })
        .collect();
    let mut names = names;
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "@babel/core",
            "app_core",
            "left-pad",
            "local_lib",
            "my_git_dep",
            "openssl",
            "private-pkg",
            "serde_json",
            "vendor.tar.gz",
        ]
    );

    let empty = written_json(&Bom::default(), Format::SpdxJson);
    assert_eq!(
        spdx_relationships(&empty),
        [(
            "SPDXRef-DOCUMENT".to_owned(),
            "DESCRIBES".to_owned(),
            "NONE".to_owned()
        )]
    );
    assert_eq!(empty["packages"], serde_json::json!([]));
}

#[test]
fn spdx_tag_value_carries_the_json_facts() {
    let text = written_text(&full_bom(), Format::SpdxTagValue);
    let json = written_json(&full_bom(), Format::SpdxJson);
    assert!(
        text.starts_with("SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\n")
    );
    assert!(text.contains(&format!(
        "DocumentNamespace: https://spdx.org/spdxdocs/my-app-{DOCUMENT_ID}\n"
    )));
    assert!(text.contains(&format!("ExternalRef: PACKAGE-MANAGER purl {BABEL}\n")));
    assert!(
        text.contains(
            "PackageDescription: <text>Apache Commons Lang,\na utility library.</text>\n"
        )
    );
    assert_eq!(
        text.matches("PackageName: ").count(),
        spdx_packages(&json).len()
    );
    assert_eq!(text.matches("FilesAnalyzed: false\n").count(), 15);
    for (element, kind, related) in spdx_relationships(&json) {
        assert!(text.contains(&format!("Relationship: {element} {kind} {related}\n")));
    }
    assert_eq!(text.matches("Relationship: ").count(), 14);
}

fn spdx3_elements<'a>(document: &'a Value, kind: &str) -> Vec<&'a Value> {
    document["@graph"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|element| element["type"] == kind)
        .collect()
}

#[test]
fn spdx3_document_is_an_sbom_rooted_at_the_subject() {
    let document = written_json(&full_bom(), Format::Spdx3Json);
    let namespace = format!("https://spdx.org/spdxdocs/my-app-{DOCUMENT_ID}");
    assert_eq!(
        document["@context"],
        "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
    );
    let creation = spdx3_elements(&document, "CreationInfo");
    assert_eq!(creation.len(), 1);
    assert_eq!(creation[0]["specVersion"], "3.0.1");
    assert_eq!(creation[0]["created"], "2026-01-02T03:04:05Z");
    assert_eq!(creation[0]["createdBy"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        creation[0]["createdUsing"].as_array().map(Vec::len),
        Some(2)
    );

    let spdx_documents = spdx3_elements(&document, "SpdxDocument");
    assert_eq!(spdx_documents.len(), 1);
    assert_eq!(
        spdx_documents[0]["rootElement"],
        serde_json::json!([format!("{namespace}#SPDXRef-Sbom")])
    );
    let sboms = spdx3_elements(&document, "software_Sbom");
    assert_eq!(sboms.len(), 1);
    assert_eq!(sboms[0]["software_sbomType"], serde_json::json!(["source"]));
    let packages = spdx3_elements(&document, "software_Package");
    assert_eq!(packages.len(), 15);
    let app = packages
        .iter()
        .find(|package| package["name"] == "my-app")
        .unwrap_or_else(|| panic!("no subject"));
    assert_eq!(sboms[0]["rootElement"], serde_json::json!([app["spdxId"]]));
    for package in &packages {
        let id = package["spdxId"].as_str().unwrap_or_default();
        assert!(
            id.starts_with(&format!("{namespace}#SPDXRef-Package-")),
            "{id}"
        );
    }

    let babel = packages
        .iter()
        .find(|package| package["name"] == "@babel/core")
        .unwrap_or_else(|| panic!("no @babel/core"));
    assert_eq!(babel["software_packageUrl"], BABEL);
    assert_eq!(babel["software_packageVersion"], "7.24.0");
    assert_eq!(babel["software_primaryPurpose"], "library");
    assert_eq!(babel["verifiedUsing"][0]["algorithm"], "sha512");
    let supplier = spdx3_elements(&document, "Organization")
        .into_iter()
        .find(|organization| organization["name"] == "Babel")
        .unwrap_or_else(|| panic!("no supplier"));
    assert_eq!(babel["suppliedBy"], supplier["spdxId"]);
}

#[test]
fn spdx3_scoped_dependencies_are_lifecycle_scoped() {
    let document = written_json(&full_bom(), Format::Spdx3Json);
    let package_id = |name: &str| {
        spdx3_elements(&document, "software_Package")
            .into_iter()
            .find(|package| package["name"] == name)
            .map(|package| package["spdxId"].clone())
            .unwrap_or_else(|| panic!("no {name}"))
    };
    let scoped = spdx3_elements(&document, "LifecycleScopedRelationship");
    let summary: Vec<(Value, &Value, &Value, &Value)> = scoped
        .iter()
        .map(|relationship| {
            (
                relationship["from"].clone(),
                &relationship["relationshipType"],
                &relationship["scope"],
                &relationship["to"],
            )
        })
        .collect();
    assert_eq!(summary.len(), 2);
    assert!(summary.contains(&(
        package_id("my-app"),
        &Value::from("dependsOn"),
        &Value::from("development"),
        &serde_json::json!([package_id("my_git_dep")]),
    )));
    assert!(summary.contains(&(
        package_id("my-app"),
        &Value::from("dependsOn"),
        &Value::from("build"),
        &serde_json::json!([package_id("local_lib")]),
    )));

    let plain = spdx3_elements(&document, "Relationship");
    let find = |kind: &str, from: &str| {
        plain
            .iter()
            .find(|relationship| {
                relationship["relationshipType"] == kind && relationship["from"] == package_id(from)
            })
            .map(|relationship| relationship["to"].clone())
            .unwrap_or_else(|| panic!("no {kind} from {from}"))
    };
    assert_eq!(
        find("hasOptionalDependency", "my-app"),
        serde_json::json!([package_id("left-pad")])
    );
    assert_eq!(
        find("hasProvidedDependency", "@babel/core"),
        serde_json::json!([package_id("react")])
    );
    assert_eq!(
        find("contains", "vendor.tar.gz"),
        serde_json::json!([package_id("vendored_lib")])
    );
    let license = find("hasDeclaredLicense", "serde_json");
    let expression = spdx3_elements(&document, "simplelicensing_LicenseExpression")
        .into_iter()
        .find(|element| serde_json::json!([element["spdxId"]]) == license)
        .unwrap_or_else(|| panic!("no licence element"));
    assert_eq!(
        expression["simplelicensing_licenseExpression"],
        "MIT OR Apache-2.0"
    );
}

#[test]
fn sbom_type_selects_the_lifecycle_phase_and_sbom_type() {
    for (sbom_type, phase, spdx_type) in [
        (SbomType::Source, "pre-build", "source"),
        (SbomType::Build, "build", "build"),
        (SbomType::Analyzed, "post-build", "analyzed"),
    ] {
        let options = WriteOptions {
            sbom_type,
            ..options()
        };
        let cyclonedx: Value =
            serde_json::from_slice(&written_with(&small_bom(), Format::CycloneDxJson, &options))
                .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(cyclonedx["metadata"]["lifecycles"][0]["phase"], phase);
        let spdx3: Value =
            serde_json::from_slice(&written_with(&small_bom(), Format::Spdx3Json, &options))
                .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            spdx3_elements(&spdx3, "software_Sbom")[0]["software_sbomType"],
            serde_json::json!([spdx_type])
        );
    }
}

fn write_error(bom: &Bom, options: &WriteOptions) -> String {
    match write(bom, Format::SpdxJson, options) {
        Err(error @ FormatError::Write { .. }) => error.to_string(),
        other => panic!("expected a write error, got {other:?}"),
    }
}

#[test]
fn writers_refuse_inconsistent_boms() {
    let mut dangling = small_bom();
    dangling.relationships.push(edge(
        "pkg:cargo/serde@1.0.210",
        RelationshipKind::DependsOn,
        "ghost@1",
    ));
    assert_eq!(
        write_error(&dangling, &options()),
        "cannot write spdx-json: relationship `pkg:cargo/serde@1.0.210` depends-on `ghost@1` \
         refers to `ghost@1`, which is no component of the BOM"
    );

    let mut bad_hash = small_bom();
    bad_hash.components[0].hashes = vec![Hash::new(HashAlgorithm::Sha256, "abc")];
    assert_eq!(
        write_error(&bad_hash, &options()),
        "cannot write spdx-json: component `pkg:cargo/serde@1.0.210`: Sha256 digest `abc` is \
         not 64 hex digits"
    );

    let mut twice = small_bom();
    let mut clash = twice.components[0].clone();
    clash.version = Some("9.9.9".into());
    twice.components.push(clash);
    assert_eq!(
        write_error(&twice, &options()),
        "cannot write spdx-json: component id `pkg:cargo/serde@1.0.210` is used by two \
         different components"
    );

    let late = WriteOptions {
        created: "yesterday".into(),
        ..options()
    };
    assert_eq!(
        write_error(&small_bom(), &late),
        "cannot write spdx-json: creation time `yesterday` is not an RFC 3339 timestamp"
    );
}

#[test]
fn snapshots_of_a_small_bom() {
    let bom = small_bom();
    insta::assert_snapshot!("cyclonedx.json", written_text(&bom, Format::CycloneDxJson));
    insta::assert_snapshot!("cyclonedx.xml", written_text(&bom, Format::CycloneDxXml));
    insta::assert_snapshot!("spdx.json", written_text(&bom, Format::SpdxJson));
    insta::assert_snapshot!("spdx.tv", written_text(&bom, Format::SpdxTagValue));
    insta::assert_snapshot!("spdx3.json", written_text(&bom, Format::Spdx3Json));
}

mod random {
    use proptest::prelude::*;
    use quick_xml::Reader;
    use quick_xml::events::Event;

    use super::*;

    /// Text of any kind: control characters, markup, non-ASCII, the non-characters XML forbids.
    fn text() -> impl Strategy<Value = String> {
        "[\\x00-\\x7f\u{e9}\u{2028}\u{fffe}\u{1f600}]{0,12}"
    }

    fn source() -> impl Strategy<Value = Source> {
        prop_oneof![
            proptest::option::of(text()).prop_map(|url| Source::Registry { url }),
            (text(), proptest::option::of(text()))
                .prop_map(|(url, reference)| Source::Git { url, reference }),
            text().prop_map(|path| Source::Path { path }),
            Just(Source::Workspace),
            text().prop_map(|url| Source::Url { url }),
        ]
    }

    fn component(index: usize) -> impl Strategy<Value = Component> {
        (
            (
                proptest::sample::select(ComponentKind::ALL.to_vec()),
                text(),
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::collection::vec(text(), 0..3),
                proptest::sample::select(vec![
                    Scope::Required,
                    Scope::Optional,
                    Scope::Dev,
                    Scope::Peer,
                    Scope::Build,
                ]),
            ),
            (
                proptest::option::of(any::<bool>()),
                source(),
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::option::of(text()),
                proptest::collection::vec((text(), proptest::option::of(any::<u32>())), 0..3),
                proptest::collection::btree_map(text(), text(), 0..3),
            ),
        )
            .prop_map(
                move |(
                    (kind, name, group, version, licenses, scope),
                    (direct, source, supplier, description, download_url, locations, properties),
                )| {
                    let mut component = Component::new(kind, name, version);
                    component.id = ComponentId::new(format!("component-{index}"));
                    component.group = group;
                    component.licenses = licenses;
                    component.scope = scope;
                    component.direct = direct;
                    component.source = source;
                    component.supplier = supplier;
                    component.description = description;
                    component.download_url = download_url;
                    component.locations = locations
                        .into_iter()
                        .map(|(path, line)| Location { path, line })
                        .collect();
                    component.properties = properties;
                    component.hashes = vec![repeated_digest('f', HashAlgorithm::Sha256)];
                    component
                },
            )
    }

    fn bom() -> impl Strategy<Value = Bom> {
        (0usize..6, any::<bool>(), text(), text()).prop_flat_map(
            |(count, with_subject, author, tool)| {
                let components: Vec<_> = (0..count).map(component).collect();
                let edges = proptest::collection::vec(
                    (
                        0..count.max(1),
                        proptest::sample::select(vec![
                            RelationshipKind::DependsOn,
                            RelationshipKind::DevDependsOn,
                            RelationshipKind::OptionalDependsOn,
                            RelationshipKind::PeerDependsOn,
                            RelationshipKind::BuildDependsOn,
                            RelationshipKind::Contains,
                        ]),
                        0..count.max(1),
                    ),
                    0..8,
                );
                (components, edges).prop_map(move |(mut components, edges)| {
                    let mut bom = Bom::default();
                    if with_subject && !components.is_empty() {
                        bom.metadata.subject = Some(components.remove(0));
                    }
                    let count = components.len() + usize::from(bom.metadata.subject.is_some());
                    if count > 0 {
                        bom.relationships = edges
                            .into_iter()
                            .filter(|(from, _, to)| *from < count && *to < count)
                            .map(|(from, kind, to)| {
                                Relationship::new(
                                    ComponentId::new(format!("component-{from}")),
                                    kind,
                                    ComponentId::new(format!("component-{to}")),
                                )
                            })
                            .collect();
                    }
                    bom.components = components;
                    bom.metadata.authors = vec![author.clone()];
                    bom.metadata.tools = vec![tool.clone()];
                    bom
                })
            },
        )
    }

    /// The characters XML 1.0 allows (its `Char` production).
    fn is_xml_char(character: char) -> bool {
        matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Whatever text the components hold, every output is valid against its schema and
        /// the XML is well-formed.
        #[test]
        fn any_consistent_bom_yields_valid_documents(bom in bom()) {
            for (format, schema) in [
                (Format::CycloneDxJson, Schema::CycloneDx16),
                (Format::SpdxJson, Schema::Spdx23),
                (Format::Spdx3Json, Schema::Spdx30),
            ] {
                let document = written_json(&bom, format);
                prop_assert_eq!(validate_json(&document, schema), vec![], "{}", format);
            }
            let xml = written_text(&bom, Format::CycloneDxXml);
            prop_assert!(xml.chars().all(is_xml_char), "{}", xml);
            let mut reader = Reader::from_str(&xml);
            loop {
                match reader.read_event() {
                    Ok(Event::Eof) => break,
                    Ok(_) => {}
                    Err(error) => prop_assert!(false, "{error}: {xml}"),
                }
            }
            written_text(&bom, Format::SpdxTagValue);
        }
    }
}

//! Every lockfile fixture, catalogued and written in every format, gives documents that the
//! official schemas accept; the big real-world tree also passes the outside validators.

use std::path::Path;
use std::process::Command;

use vouch_catalog::{CatalogOptions, catalog_file, catalog_path, catalogers};
use vouch_formats::{Format, SbomType, Schema, WriteOptions, validate_json, write};
use vouch_model::Bom;

const FIXTURE_TREES: [&str; 5] = [
    "osv-scalibr-testdata/extractor/filesystem/language",
    "osv-scanner-testdata",
    "rustsec-crate-fixtures",
    "uv-requirements-txt",
    "big-lockfiles",
];

fn options(name: &str) -> WriteOptions {
    WriteOptions {
        created: "2026-01-01T00:00:00Z".to_owned(),
        document_id: uuid::Uuid::from_u128(0x1234_5678_9abc_4def_8123_4567_89ab_cdef),
        document_name: name.to_owned(),
        sbom_type: SbomType::Source,
        tool_name: "vouch".to_owned(),
        tool_version: "0.1.0".to_owned(),
    }
}

fn schema_of(format: Format) -> Option<Schema> {
    match format {
        Format::CycloneDxJson => Some(Schema::CycloneDx16),
        Format::SpdxJson => Some(Schema::Spdx23),
        Format::Spdx3Json => Some(Schema::Spdx30),
        Format::CycloneDxXml | Format::SpdxTagValue => None,
    }
}

/// Writes `bom` in every format; returns one line per problem.
fn problems_of(bom: &Bom, name: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for format in Format::ALL {
        let bytes = match write(bom, format, &options(name)) {
            Ok(bytes) => bytes,
            Err(error) => {
                problems.push(format!("{name} as {format}: {error}"));
                continue;
            }
        };
        let Some(schema) = schema_of(format) else {
            continue;
        };
        match serde_json::from_slice(&bytes) {
            Ok(document) => problems.extend(validate_json(&document, schema).into_iter().map(
                |violation| {
                    format!(
                        "{name} as {format}: {}: {}",
                        violation.pointer, violation.message
                    )
                },
            )),
            Err(error) => problems.push(format!("{name} as {format}: not JSON: {error}")),
        }
    }
    problems
}

#[test]
fn every_fixture_in_every_format_is_schema_valid() {
    let Some(data) = vouch_test_support::data_dir() else {
        return;
    };
    let catalogers = catalogers();
    let mut problems = Vec::new();
    let mut written = 0;
    for tree in FIXTURE_TREES {
        for entry in walkdir::WalkDir::new(data.join(tree)).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            // The big lockfiles are written whole by the test below.
            let small = entry
                .metadata()
                .is_ok_and(|metadata| metadata.len() < 64 * 1024);
            if !entry.file_type().is_file() || !small {
                continue;
            }
            let display = entry
                .path()
                .strip_prefix(&data)
                .unwrap_or(entry.path())
                .display()
                .to_string();
            // Fixtures are often named after their scenario (`one-package`), so every cataloger
            // tries every file; what a cataloger accepts must be written validly. Deliberately
            // broken fixtures fail to catalogue: the catalogers' own tests cover that.
            for cataloger in &catalogers {
                let Ok(catalog) = catalog_file(cataloger.as_ref(), entry.path(), &display) else {
                    continue;
                };
                if catalog.components.is_empty() {
                    continue;
                }
                let mut bom = Bom {
                    components: catalog.components,
                    relationships: catalog.relationships,
                    ..Bom::default()
                };
                bom.normalize();
                problems.extend(problems_of(
                    &bom,
                    &format!("{display} ({})", cataloger.name()),
                ));
                written += 1;
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(written > 300, "only {written} fixtures were catalogued");
}

fn write_to(directory: &Path, name: &str, bom: &Bom, format: Format) -> std::path::PathBuf {
    let path = directory.join(name);
    let bytes = write(bom, format, &options("big-lockfiles")).expect("writes");
    std::fs::write(&path, bytes).expect("saved");
    path
}

#[test]
fn big_real_tree_passes_the_outside_validators() {
    let Some(tree) = vouch_test_support::data_path("big-lockfiles") else {
        return;
    };
    let report = catalog_path(&tree, &CatalogOptions::default(), &|_| {}).expect("walks");
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    let problems = problems_of(&report.bom, "big-lockfiles");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let directory = tempfile::tempdir().expect("temporary directory");
    if vouch_test_support::external_tool("pyspdxtools", &["--help"]) {
        // The SPDX validator is quadratic: on the whole tree it needs minutes, on one real
        // lockfile of 264 gems a few seconds.
        let rails =
            catalog_path(&tree.join("rails"), &CatalogOptions::default(), &|_| {}).expect("walks");
        for (name, format) in [
            ("big.spdx.json", Format::SpdxJson),
            ("big.spdx", Format::SpdxTagValue),
        ] {
            let path = write_to(directory.path(), name, &rails.bom, format);
            let output = Command::new("pyspdxtools")
                .arg("-i")
                .arg(&path)
                .output()
                .expect("pyspdxtools runs");
            let text = String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "{name}: {text}");
        }
    }
    if vouch_test_support::external_tool("xmllint", &["--version"]) {
        let Some(schemas) = vouch_test_support::data_path("cyclonedx-specification/schema") else {
            return;
        };
        let path = write_to(
            directory.path(),
            "big.cdx.xml",
            &report.bom,
            Format::CycloneDxXml,
        );
        let output = Command::new("xmllint")
            .env("XML_CATALOG_FILES", schemas.join("xmlcatalog.xml"))
            .args(["--noout", "--nonet", "--schema"])
            .arg(schemas.join("bom-1.6.xsd"))
            .arg(&path)
            .output()
            .expect("xmllint runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

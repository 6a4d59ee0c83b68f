//! mix.lock cataloger against the osv-scalibr fixtures.

mod common;

use common::{component, sorted_purls as ids};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{Hash, HashAlgorithm, RelationshipKind, Source};

const ERLANG: &str = "osv-scalibr-testdata/extractor/filesystem/language/erlang/mixlock/testdata";
const ELIXIR: &str = "osv-scalibr-testdata/extractor/filesystem/language/elixir/mixlock/testdata";

fn catalog(relative: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(relative, "mix.lock")
}

fn catalog_text(contents: &str) -> Result<Catalog, CatalogError> {
    common::catalog_text("mix.lock", contents)
}

#[test]
fn hex_entries_with_checksums_and_edges() {
    let Some(result) = catalog(&format!("{ERLANG}/two-packages.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        ids(&catalog),
        ["pkg:hex/plug@1.11.1", "pkg:hex/plug_crypto@1.2.2"]
    );
    let plug = component(&catalog, "pkg:hex/plug@1.11.1");
    assert_eq!(
        plug.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f"
        )]
    );
    assert_eq!(
        plug.properties
            .get("vouch:hex-inner-checksum")
            .map(String::as_str),
        Some("f2992bac66fdae679453c9e86134a4201f6f43a687d8ff1cd1b2862d53c80259")
    );
    assert_eq!(plug.locations[0].line, Some(2));
    assert_eq!(plug.source, Source::Registry { url: None });
    assert_eq!(plug.direct, None);
    let edges: Vec<(&str, RelationshipKind, &str)> = catalog
        .relationships
        .iter()
        .map(|edge| (edge.from.as_str(), edge.kind, edge.to.as_str()))
        .collect();
    assert_eq!(
        edges,
        [(
            "pkg:hex/plug@1.11.1",
            RelationshipKind::DependsOn,
            "pkg:hex/plug_crypto@1.2.2"
        )]
    );
    assert_eq!(
        catalog.warnings,
        [
            "`plug` depends on `mime`, which is not locked",
            "`plug` depends on `telemetry`, which is not locked",
        ]
    );
}

#[test]
fn git_entries_are_git_sources_without_version() {
    let Some(result) = catalog(&format!("{ERLANG}/git.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        ids(&catalog),
        [
            "pkg:hex/bar?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fmy-org%2Fbar%40bef3ee1d3618017061498b96c75043e8449ef9b5",
            "pkg:hex/foe?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fmy-org%2Ffoe.git%40a9574ab75d6ed01e1288c453ae1d943d7a964595",
            "pkg:hex/foo?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fmy-org%2Ffoo.git%40fc94cce7830fa4dc455024bc2a83720afe244531",
        ]
    );
    let foo = catalog
        .components
        .iter()
        .find(|component| component.name == "foo")
        .expect("foo locked");
    assert_eq!(foo.version, None);
    assert_eq!(
        foo.source,
        Source::Git {
            url: "https://github.com/my-org/foo.git".to_owned(),
            reference: Some("fc94cce7830fa4dc455024bc2a83720afe244531".to_owned()),
        }
    );
}

#[test]
fn many_packages_with_an_optional_edge() {
    let Some(result) = catalog(&format!("{ERLANG}/many.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 21);
    assert_eq!(catalog.relationships.len(), 19);
    let optional: Vec<(&str, &str)> = catalog
        .relationships
        .iter()
        .filter(|edge| edge.kind == RelationshipKind::OptionalDependsOn)
        .map(|edge| (edge.from.as_str(), edge.to.as_str()))
        .collect();
    assert_eq!(optional, [("pkg:hex/pow@1.0.15", "pkg:hex/plug@1.11.1")]);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn empty_maps_and_files_are_empty_catalogs() {
    for file in [format!("{ERLANG}/empty.lock"), format!("{ELIXIR}/empty")] {
        let Some(result) = catalog(&file) else {
            return;
        };
        assert_eq!(result.expect("parses"), Catalog::default(), "{file}");
    }
    assert_eq!(catalog_text("").expect("empty"), Catalog::default());
}

#[test]
fn elixir_fixtures_valid_and_invalid() {
    let Some(valid) = catalog(&format!("{ELIXIR}/valid")) else {
        return;
    };
    assert_eq!(
        ids(&valid.expect("parses")),
        ["pkg:hex/bunt@1.0.0", "pkg:hex/certifi@2.12.0"]
    );
    let Some(invalid) = catalog(&format!("{ELIXIR}/invalid")) else {
        return;
    };
    let error = invalid.expect_err("truncated entry").to_string();
    assert!(error.contains("invalid:3: `certifi`"), "{error}");
}

#[test]
fn organisation_packages_and_unknown_entry_kinds() {
    let catalog = catalog_text(
        r#"%{
  "secret": {:hex, :secret, "0.3.0", "81344f561357dc40a8344afa53767c32669153355b626ea9fcbc8da6b3045826", [:mix], [], "hexpm:acme", "dad79704ce5440f3d5a3681c8590b9dc25d1a561e8f5a9c995281012860901e3"},
  "local": {:path, "../local", []},
  # mix never writes comments, but Elixir allows them
  "old": {:hex, :old_name, "1.0.0", "cf0cfff8995fb20562f822e5cc47d8ccf664c5ecdc26a684cbe85c225f9d7c39", [:rebar3], []},
}"#,
    )
    .expect("parses");
    assert_eq!(
        ids(&catalog),
        ["pkg:hex/acme/secret@0.3.0", "pkg:hex/old_name@1.0.0"]
    );
    assert!(
        component(&catalog, "pkg:hex/old_name@1.0.0")
            .hashes
            .is_empty()
    );
    assert_eq!(
        catalog.warnings,
        ["line 3: skipped `local`: unknown lock entry kind `:path`"]
    );
}

#[test]
fn text_that_is_no_elixir_map_is_an_error() {
    for (text, line) in [
        ("[1, 2]", 1),
        ("%{\n  \"a\": {:hex, :a, \"1\"", 2),
        ("%{\"a\" {:hex}}", 1),
        ("%{}\ntrailing", 2),
        (&"[".repeat(100), 1),
    ] {
        let error = catalog_text(text).expect_err(text).to_string();
        assert!(
            error.starts_with(&format!("mix.lock:{line}:")),
            "{text}: {error}"
        );
    }
}

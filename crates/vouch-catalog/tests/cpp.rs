//! conan.lock cataloger against the osv-scalibr fixtures (Conan 1 graph lockfiles of every
//! version and Conan 2 lists).

mod common;

use common::{package, purl_scope_direct as packages};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, RelationshipKind, Scope, Source};

const CONAN: &str = "osv-scalibr-testdata/extractor/filesystem/language/cpp/conanlock/testdata";

fn run(fixture: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(&format!("{CONAN}/{fixture}"), "conan.lock")
}

#[test]
fn conan_v1_graph_has_project_direct_and_transitive_packages() {
    let Some(result) = run("nested-dependencies.v1.json") else {
        return;
    };
    let catalog = result.expect("parses");
    let transitive = |purl| package(purl, Scope::Required, Some(false));
    assert_eq!(
        packages(&catalog),
        [
            transitive("pkg:conan/brotli@1.0.9"),
            transitive("pkg:conan/bzip2@1.0.8"),
            package("pkg:conan/freetype@2.12.1", Scope::Required, Some(true)),
            transitive("pkg:conan/libpng@1.6.39"),
            package("pkg:conan/test@1.0", Scope::Required, None),
            transitive("pkg:conan/zlib@1.2.13"),
        ]
    );
    let project = catalog
        .components
        .iter()
        .find(|component| component.name == "test")
        .expect("project node");
    assert_eq!(project.kind, ComponentKind::Application);
    assert_eq!(project.source, Source::Workspace);
    // test→freetype, freetype→4, libpng→zlib.
    assert_eq!(catalog.relationships.len(), 6);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn conan_v1_revisions_become_rrev_qualifiers() {
    let Some(result) = run("nested-dependencies.v1.revisions.json") else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(packages(&catalog).contains(&package(
        "pkg:conan/zlib@1.2.13?rrev=13c96f538b52e1600c40b88994de240f",
        Scope::Required,
        Some(false)
    )));
    assert_eq!(catalog.components.len(), 6);
}

#[test]
fn conan_build_requirements_are_build_scope() {
    let Some(result) = run("one-package-dev.v1.json") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            package("pkg:conan/ninja@1.11.1", Scope::Build, Some(true)),
            package("pkg:conan/test@1.0", Scope::Required, None),
        ]
    );
    assert_eq!(
        catalog.relationships[0].kind,
        RelationshipKind::BuildDependsOn
    );
    let Some(result) = run("one-package-dev.v2.json") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [package(
            "pkg:conan/ninja@1.11.1?rrev=a2f0b832705907016f336839f96963f8",
            Scope::Build,
            None
        )]
    );
}

#[test]
fn conan_v2_lists_drop_timestamps_from_revisions() {
    let Some(result) = run("nested-dependencies.v2.json") else {
        return;
    };
    let catalog = result.expect("parses");
    let required = |purl| package(purl, Scope::Required, None);
    assert_eq!(
        packages(&catalog),
        [
            required("pkg:conan/brotli@1.0.9?rrev=4bfbb302b87df342ccd6a2b5fdad307a"),
            required("pkg:conan/bzip2@1.0.8?rrev=464be69744fa6d48ed01928cfe470008"),
            required("pkg:conan/freetype@2.12.1?rrev=7e1b67634f54f38a979bbad44fd09a2c"),
            required("pkg:conan/libpng@1.6.39?rrev=7927e8ce5b2576a6ea497c6ca70e9751"),
            required("pkg:conan/zlib@1.2.13?rrev=13c96f538b52e1600c40b88994de240f"),
        ]
    );
    assert_eq!(catalog.components[0].locations[0].line, Some(4));
}

#[test]
fn conan_old_formats_read_package_references_and_user_channel() {
    let Some(result) = run("old-format-0.0.json") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [package(
            "pkg:conan/zlib@1.2.11?channel=testing&rrev=5f4917ce0a630b102f472afd00102d40&user=bincrafters",
            Scope::Required,
            Some(true)
        )]
    );
    for fixture in [
        "old-format-0.1.json",
        "old-format-0.2.json",
        "old-format-0.3.json",
    ] {
        let Some(result) = run(fixture) else {
            return;
        };
        let catalog = result.expect("parses");
        assert!(
            packages(&catalog).contains(&package(
                "pkg:conan/zlib@1.2.11?rrev=5f4917ce0a630b102f472afd00102d40",
                Scope::Required,
                Some(true)
            )),
            "{fixture}: {:?}",
            packages(&catalog)
        );
        assert_eq!(catalog.components.len(), 2, "{fixture}");
    }
}

#[test]
fn conan_reference_without_name_is_skipped_with_a_warning() {
    for (fixture, expected) in [
        (
            "no-name.v1.json",
            package("pkg:conan/zlib@1.2.11", Scope::Required, Some(true)),
        ),
        (
            "no-name.v2.json",
            package(
                "pkg:conan/zlib@1.2.11?rrev=ffa77daf83a57094149707928bdce823",
                Scope::Required,
                None,
            ),
        ),
    ] {
        let Some(result) = run(fixture) else {
            return;
        };
        let catalog = result.expect("parses");
        assert!(packages(&catalog).contains(&expected), "{fixture}");
        assert_eq!(
            catalog.warnings.len(),
            1,
            "{fixture}: {:?}",
            catalog.warnings
        );
        assert!(catalog.warnings[0].contains("is not a name/version reference"));
    }
}

#[test]
fn conan_empty_lockfiles_hold_no_dependencies_and_invalid_ones_fail() {
    for fixture in ["empty.v1.json", "empty.v1.revisions.json", "empty.v2.json"] {
        let Some(result) = run(fixture) else {
            return;
        };
        let catalog = result.expect("parses");
        assert!(
            catalog
                .components
                .iter()
                .all(|component| component.kind == ComponentKind::Application),
            "{fixture}"
        );
        assert!(catalog.relationships.is_empty(), "{fixture}");
    }
    let Some(result) = run("not-json.txt") else {
        return;
    };
    assert!(matches!(
        result,
        Err(CatalogError::Parse { line: Some(1), .. })
    ));
    let Some(result) = run("null.v2.jsontest") else {
        return;
    };
    let error = result.expect_err("null is not a lockfile");
    assert_eq!(
        error.to_string(),
        format!("{CONAN}/null.v2.jsontest:1: a Conan lockfile is a JSON object")
    );
}

//! Manifest.toml cataloger against the osv-scalibr fixtures.

mod common;

use common::purls;
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, RelationshipKind, Scope, Source};

const MANIFESTS: &str =
    "osv-scalibr-testdata/extractor/filesystem/language/julia/manifesttoml/testdata";

fn run(fixture: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(&format!("{MANIFESTS}/{fixture}"), "Manifest.toml")
}

#[test]
fn manifest_v2_packages_carry_uuid_qualifier_and_git_sources() {
    let Some(result) = run("git-dependency-with-commit.toml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:julia/DataStructures@0.17.0?uuid=864edb3b-99cc-5e75-8d2d-829cb0a9cfe8",
            "pkg:julia/Unregistered@0.2.0?uuid=dcb67f36-efa0-11e8-0cef-2fc465ed98ae",
        ]
    );
    let data_structures = &catalog.components[0];
    assert_eq!(data_structures.source, Source::Registry { url: None });
    assert_eq!(data_structures.locations[0].line, Some(6));
    assert_eq!(
        data_structures
            .properties
            .get("julia:git-tree-sha1")
            .map(String::as_str),
        Some("0809951a1774dc724da22d26e4289bbaab77809a")
    );
    assert_eq!(
        catalog.components[1].source,
        Source::Git {
            url: "https://github.com/00vareladavid/Unregistered.jl".to_owned(),
            reference: None,
        }
    );
    // Nothing says whether they are direct without a Project.toml.
    assert!(
        catalog
            .components
            .iter()
            .all(|component| component.direct.is_none())
    );
    // The fixture lists dependencies it does not contain.
    assert_eq!(
        catalog.warnings,
        [
            format!(
                "{MANIFESTS}/git-dependency-with-commit.toml: dependency InteractiveUtils of DataStructures is not in the manifest"
            ),
            format!(
                "{MANIFESTS}/git-dependency-with-commit.toml: dependency OrderedCollections of DataStructures is not in the manifest"
            ),
            format!(
                "{MANIFESTS}/git-dependency-with-commit.toml: dependency Example of Unregistered is not in the manifest"
            ),
        ]
    );
}

#[test]
fn manifest_v2_version_only_and_several_packages() {
    let Some(result) = run("only-version-dependency.toml") else {
        return;
    };
    assert_eq!(
        purls(&result.expect("parses")),
        ["pkg:julia/JSON@0.20.0?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6"]
    );
    let Some(result) = run("more-than-two-dependencies.toml") else {
        return;
    };
    assert_eq!(
        purls(&result.expect("parses")),
        [
            "pkg:julia/JSON@1.0.0?uuid=11111111111-22222-22222-22222-1111111111111",
            "pkg:julia/TOML@2.0.0?uuid=11111111111-44444-3333-33333-1111111111111",
        ]
    );
}

#[test]
fn manifest_standard_libraries_and_empty_manifests_hold_no_packages() {
    for fixture in ["no-version-dependency.toml", "no-dependency.toml"] {
        let Some(result) = run(fixture) else {
            return;
        };
        assert_eq!(result.expect("parses"), Catalog::default(), "{fixture}");
    }
    let Some(result) = run("not-toml.txt") else {
        return;
    };
    let error = result.expect_err("not TOML");
    assert!(
        matches!(error, CatalogError::Parse { line: Some(1), .. }),
        "{error}"
    );
}

#[test]
fn manifest_v1_with_project_gives_root_direct_and_test_dependencies() {
    let files = common::MemoryFiles::from([(
        "Project.toml",
        r#"name = "MyApp"
uuid = "a1b2c3d4-0000-4000-8000-000000000001"
version = "0.1.0"

[deps]
JSON = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
Dates = "ade2ca70-3891-5945-98fb-dc099432e06a"

[extras]
Test = "8dfed614-e22c-5e08-85e1-65c5234f0b40"
Aqua = "4c88cf16-eb10-579e-8560-4a9242c79595"

[targets]
test = ["Aqua", "Test"]
"#,
    )]);
    // Format 1.0: packages at the top level, no manifest_format.
    let contents = r#"# This file is machine-generated - editing it directly is not advised

[[Aqua]]
git-tree-sha1 = "12e575f31a6f233ba2485ed86b9325b85df37c61"
uuid = "4c88cf16-eb10-579e-8560-4a9242c79595"
version = "0.8.7"

[[Dates]]
deps = ["Printf"]
uuid = "ade2ca70-3891-5945-98fb-dc099432e06a"

[[JSON]]
deps = ["Dates", "Mmap", "Parsers", "Unicode"]
git-tree-sha1 = "31e996f0a15c7b280ba9f76636b3ff9e2ae58c9a"
uuid = "682c06a0-de6a-54ab-a142-c8b1cf79cde6"
version = "0.21.4"

[[Parsers]]
deps = ["Dates"]
git-tree-sha1 = "8489905bcdbcfac64d1daa51ca07c0d8f0283821"
uuid = "69de0a69-1ddd-5017-9359-2bf0b02dc9f0"
version = "2.8.1"

[[Mmap]]
uuid = "a63ad114-7e13-5084-954f-fe012c677804"

[[Unicode]]
uuid = "4ec0a83e-493e-50e2-b9ac-8f72acf5a8f5"
"#;
    let catalog = common::catalog_text_with("app/Manifest.toml", contents, &files).expect("parses");
    let summary: Vec<_> = catalog
        .components
        .iter()
        .map(|component| (component.name.as_str(), component.scope, component.direct))
        .collect();
    assert_eq!(
        summary,
        [
            ("MyApp", Scope::Required, None),
            ("Aqua", Scope::Dev, Some(true)),
            ("JSON", Scope::Required, Some(true)),
            ("Parsers", Scope::Required, Some(false)),
        ]
    );
    assert_eq!(catalog.components[0].kind, ComponentKind::Application);
    assert_eq!(catalog.components[0].source, Source::Workspace);
    let root = "pkg:julia/MyApp@0.1.0?uuid=a1b2c3d4-0000-4000-8000-000000000001";
    let json = "pkg:julia/JSON@0.21.4?uuid=682c06a0-de6a-54ab-a142-c8b1cf79cde6";
    let aqua = "pkg:julia/Aqua@0.8.7?uuid=4c88cf16-eb10-579e-8560-4a9242c79595";
    let parsers = "pkg:julia/Parsers@2.8.1?uuid=69de0a69-1ddd-5017-9359-2bf0b02dc9f0";
    let edges: Vec<_> = catalog
        .relationships
        .iter()
        .map(|edge| (edge.from.as_str(), edge.kind, edge.to.as_str()))
        .collect();
    assert_eq!(
        edges,
        [
            (json, RelationshipKind::DependsOn, parsers),
            (root, RelationshipKind::DependsOn, json),
            (root, RelationshipKind::DevDependsOn, aqua),
        ]
    );
    // Standard libraries (Dates, Mmap, Unicode) are part of Julia; Test is not in the manifest.
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

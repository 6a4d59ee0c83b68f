//! NuGet packages.lock.json and packages.config catalogers against the osv-scalibr and
//! osv-scanner fixtures.

mod common;

use common::{catalog_fixture as run, package, purl_scope_direct as packages};
use vouch_catalog::CatalogError;
use vouch_model::{Hash, HashAlgorithm, RelationshipKind, Scope, Source};

const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/dotnet";
const LOCKS: &str = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-scalibr";

#[test]
fn packages_lock_marks_direct_packages_hashes_and_edges() {
    let Some(result) = run(
        &format!("{SCALIBR}/packageslockjson/testdata/valid/packages.lock.json"),
        "packages.lock.json",
    ) else {
        return;
    };
    let catalog = result.expect("parses");
    let transitive = |purl| package(purl, Scope::Required, Some(false));
    assert_eq!(
        packages(&catalog),
        [
            transitive("pkg:nuget/Another.Longer.Name.Dep@4.5.4"),
            package("pkg:nuget/Core.Dep@1.24.0", Scope::Required, Some(true)),
            transitive("pkg:nuget/Some.Dep.Five@4.7.2"),
            transitive("pkg:nuget/Some.Dep.Four@4.5.0"),
            transitive("pkg:nuget/Some.Dep.One@1.1.1"),
            transitive("pkg:nuget/Some.Dep.Three@1.0.2"),
            transitive("pkg:nuget/Some.Dep.Two@4.6.0"),
            transitive("pkg:nuget/Some.Longer.Name.Dep@4.7.2"),
        ]
    );
    // Core.Dep needs 7 packages, Some.Dep.Three 2.
    assert_eq!(catalog.relationships.len(), 9);
    assert!(
        catalog
            .relationships
            .iter()
            .all(|edge| edge.kind == RelationshipKind::DependsOn)
    );
    let core = catalog
        .components
        .iter()
        .find(|component| component.name == "Core.Dep")
        .expect("Core.Dep");
    assert_eq!(core.locations[0].line, Some(5));
    // base64 "+/qI1j2o...y0Uw==" is the SHA-512 below.
    assert_eq!(
        core.hashes,
        [Hash::new(
            HashAlgorithm::Sha512,
            "fbfa88d63da85354b8fe7bf16f693fc03b28974d2219fd40c895f98377a957b78ea5010fff6c5c821fdcc6028c785827dd4d9f9a04a206741976457e979cb453"
        )]
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn packages_lock_osv_scanner_fixture_has_one_direct_package() {
    let Some(result) = run(&format!("{LOCKS}/packages.lock.json"), "packages.lock.json") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [package(
            "pkg:nuget/Newtonsoft.Json@13.0.3",
            Scope::Required,
            Some(true)
        )]
    );
}

#[test]
fn packages_lock_merges_frameworks_and_keeps_project_references_local() {
    let contents = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Serilog": { "type": "Transitive", "resolved": "3.1.1" },
      "MyCompany.Shared": { "type": "Project", "dependencies": { "serilog": "[3.1.1, )" } }
    },
    "net8.0": {
      "Serilog": { "type": "Direct", "requested": "[3.1.1, )", "resolved": "3.1.1" },
      "Polly": { "type": "CentralTransitive", "requested": "[8.2.0, )", "resolved": "8.2.0",
                 "dependencies": { "Polly.Core": "8.2.0" } }
    }
  }
}"#;
    let catalog = common::catalog_text("packages.lock.json", contents).expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            package("pkg:nuget/MyCompany.Shared", Scope::Required, Some(true)),
            package("pkg:nuget/Polly@8.2.0", Scope::Required, Some(false)),
            package("pkg:nuget/Serilog@3.1.1", Scope::Required, Some(true)),
        ]
    );
    let shared = catalog
        .components
        .iter()
        .find(|component| component.name == "MyCompany.Shared")
        .expect("project reference");
    assert_eq!(shared.source, Source::Workspace);
    assert_eq!(catalog.relationships.len(), 1);
    assert_eq!(
        catalog.relationships[0].to.as_str(),
        "pkg:nuget/Serilog@3.1.1"
    );
    assert_eq!(
        catalog.warnings,
        [
            "packages.lock.json: net8.0: dependency Polly.Core of Polly is not resolved in the lockfile"
        ]
    );
}

#[test]
fn packages_lock_that_is_not_json_is_an_error() {
    let Some(result) = run(
        &format!("{SCALIBR}/packageslockjson/testdata/invalid/invalid"),
        "packages.lock.json",
    ) else {
        return;
    };
    let error = result.expect_err("not JSON");
    assert!(
        matches!(error, CatalogError::Parse { line: Some(1), .. }),
        "{error}"
    );
}

#[test]
fn packages_config_lists_packages_with_development_ones_as_dev() {
    for fixture in [
        format!("{SCALIBR}/packagesconfig/testdata/valid"),
        format!("{LOCKS}/packages.config"),
    ] {
        let Some(result) = run(&fixture, "packages.config") else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(
            packages(&catalog),
            [
                package(
                    "pkg:nuget/Microsoft.CodeDom.Providers.DotNetCompilerPlatform@1.0.0",
                    Scope::Required,
                    None
                ),
                package("pkg:nuget/Microsoft.Net.Compilers@1.0.0", Scope::Dev, None),
            ]
        );
        assert_eq!(catalog.components[1].locations[0].line, Some(4));
        assert_eq!(
            catalog.components[0]
                .properties
                .get("nuget:target-framework")
                .map(String::as_str),
            Some("net46")
        );
    }
}

#[test]
fn packages_config_skips_packages_without_id_or_version() {
    for (fixture, warning) in [
        ("nopackage", "<package> without an id is skipped"),
        (
            "noversion",
            "package Microsoft.Net.Compilers has no version; skipped",
        ),
    ] {
        let relative = format!("{SCALIBR}/packagesconfig/testdata/{fixture}");
        let Some(result) = run(&relative, "packages.config") else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(
            packages(&catalog),
            [package(
                "pkg:nuget/Microsoft.CodeDom.Providers.DotNetCompilerPlatform@1.0.0",
                Scope::Required,
                None
            )]
        );
        assert_eq!(catalog.warnings, [format!("{relative}:4: {warning}")]);
    }
    let Some(result) = run(
        &format!("{SCALIBR}/packagesconfig/testdata/invalid"),
        "packages.config",
    ) else {
        return;
    };
    let error = result.expect_err("plain text is not XML");
    assert!(matches!(error, CatalogError::Parse { .. }), "{error}");
}

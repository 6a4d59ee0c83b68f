//! cabal.project.freeze and stack.yaml.lock catalogers against the osv-scalibr and osv-scanner
//! fixtures.

mod common;

use common::{catalog_fixture as run, purls};
use vouch_model::{Hash, HashAlgorithm, Scope, Source};

const CABAL: &str = "osv-scalibr-testdata/extractor/filesystem/language/haskell/cabal/testdata";
const STACK: &str = "osv-scalibr-testdata/extractor/filesystem/language/haskell/stacklock/testdata";
const LOCKS: &str = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-scalibr";

#[test]
fn cabal_freeze_pins_packages_and_ignores_flags() {
    let Some(result) = run(&format!("{CABAL}/valid"), "cabal.project.freeze") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:hackage/AC-Angle@1.0",
            "pkg:hackage/ALUT@2.4.0.3",
            "pkg:hackage/ANum@0.2.0.2",
            "pkg:hackage/Agda@2.6.4.3",
            "pkg:hackage/Allure@0.11.0.0",
        ]
    );
    let lines: Vec<_> = catalog
        .components
        .iter()
        .map(|component| component.locations[0].line)
        .collect();
    assert_eq!(lines, [Some(1), Some(2), Some(3), Some(4), Some(6)]);
    assert!(
        catalog
            .components
            .iter()
            .all(|component| component.direct.is_none())
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);

    let Some(result) = run(
        &format!("{LOCKS}/cabal.project.freeze"),
        "cabal.project.freeze",
    ) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 6);
    assert_eq!(
        catalog.components[5].id.as_str(),
        "pkg:hackage/biscuit-haskell@0.3.0.0"
    );
}

#[test]
fn cabal_freeze_reads_unqualified_constraints_across_blank_lines() {
    let Some(result) = run(&format!("{CABAL}/valid_2"), "cabal.project.freeze") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:hackage/AC-Angle@1.0",
            "pkg:hackage/foo@2.4.0.3",
            "pkg:hackage/ANum@0.2.0.2",
            "pkg:hackage/Agda@2.6.4.3",
            "pkg:hackage/Allure@0.11.0.0",
        ]
    );
    assert_eq!(
        catalog.warnings,
        [format!(
            "{CABAL}/valid_2:1: `test` is not a `field: value` line; ignored"
        )]
    );
}

#[test]
fn cabal_freeze_without_constraints_has_only_warnings() {
    let Some(result) = run(&format!("{CABAL}/invalid"), "cabal.project.freeze") else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.components.is_empty());
    assert_eq!(
        catalog.warnings,
        [
            format!("{CABAL}/invalid:2: `foo` is not a `field: value` line; ignored"),
            format!("{CABAL}/invalid:3: `foo` is not a `field: value` line; ignored"),
        ]
    );
}

#[test]
fn cabal_freeze_setup_qualified_and_installed_constraints() {
    let contents = "active-repositories: hackage.haskell.org:merge
constraints: any.Cabal ==3.10.3.0, setup.Cabal ==3.8.1.0,
             any.base installed,
             aeson +ordered-keymap, any.text ==2.1
index-state: hackage.haskell.org 2024-06-01T00:00:00Z
package aeson
  flags: +ordered-keymap
";
    let catalog = common::catalog_text("cabal.project.freeze", contents).expect("parses");
    let scopes: Vec<_> = catalog
        .components
        .iter()
        .map(|component| (component.id.as_str(), component.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            ("pkg:hackage/Cabal@3.10.3.0", Scope::Required),
            ("pkg:hackage/Cabal@3.8.1.0", Scope::Build),
            ("pkg:hackage/text@2.1", Scope::Required),
        ]
    );
    assert_eq!(
        catalog.warnings,
        [
            "cabal.project.freeze:3: constraint `any.base installed` uses the compiler's installed version, which the file does not say; skipped"
        ]
    );
}

#[test]
fn stack_lock_lists_extra_dependencies_and_reports_the_snapshot() {
    for fixture in [format!("{STACK}/valid"), format!("{LOCKS}/stack.yaml.lock")] {
        let Some(result) = run(&fixture, "stack.yaml.lock") else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(
            purls(&catalog),
            [
                "pkg:hackage/fuzzyset@0.2.4",
                "pkg:hackage/hasql-pool@1.0.1",
                "pkg:hackage/jose-jwt@0.10.0",
                "pkg:hackage/postgresql-libpq@0.10.1.0",
            ]
        );
        let fuzzyset = &catalog.components[0];
        assert_eq!(fuzzyset.locations[0].line, Some(7));
        assert!(fuzzyset.hashes.is_empty());
        assert_eq!(
            fuzzyset
                .properties
                .get("hackage:cabal-file-sha256")
                .map(String::as_str),
            Some("f1b6de8bf33277bf6255207541d65028f1f1ea93af5541b654c86b5674995485")
        );
        assert_eq!(
            catalog.warnings,
            [format!(
                "{fixture}:36: the packages of snapshot lts-22.41 are not listed in the lockfile"
            )]
        );
    }
}

#[test]
fn stack_lock_git_and_archive_locations_keep_their_source() {
    let contents = "packages:
- completed:
    name: servant
    version: 0.20.1
    git: https://github.com/haskell-servant/servant.git
    commit: 0f2d7a4bbeb6d3b0a6f5c8a3d8a1a5b1e8d0c1f2
    subdir: servant
  original:
    git: https://github.com/haskell-servant/servant.git
- completed:
    name: acme
    version: 1.0.0
    url: https://example.org/acme-1.0.0.tar.gz
    sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
    size: 1234
  original:
    url: https://example.org/acme-1.0.0.tar.gz
snapshots: []
";
    let catalog = common::catalog_text("stack.yaml.lock", contents).expect("parses");
    assert_eq!(
        purls(&catalog),
        ["pkg:hackage/servant@0.20.1", "pkg:hackage/acme@1.0.0"]
    );
    assert_eq!(
        catalog.components[0].source,
        Source::Git {
            url: "https://github.com/haskell-servant/servant.git".to_owned(),
            reference: Some("0f2d7a4bbeb6d3b0a6f5c8a3d8a1a5b1e8d0c1f2".to_owned()),
        }
    );
    assert_eq!(
        catalog.components[1].hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        )]
    );
    assert!(catalog.warnings.is_empty());
}

#[test]
fn stack_lock_with_null_packages_is_an_error() {
    let Some(result) = run(&format!("{STACK}/invalid"), "stack.yaml.lock") else {
        return;
    };
    let error = result.expect_err("`packages:` without a list");
    assert!(
        error.to_string().ends_with("`packages` is not a list"),
        "{error}"
    );
}

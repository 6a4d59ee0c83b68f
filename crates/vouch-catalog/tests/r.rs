//! renv.lock cataloger against the osv-scalibr fixtures.

mod common;

use common::purls;
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{Ecosystem, RelationshipKind, Source};

const RENV: &str = "osv-scalibr-testdata/extractor/filesystem/language/r/renvlock/testdata";

fn run(fixture: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(&format!("{RENV}/{fixture}"), "renv.lock")
}

#[test]
fn renv_repository_packages_are_cran_with_the_description_hash_as_property() {
    let Some(result) = run("two-packages.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        ["pkg:cran/markdown@1.0", "pkg:cran/mime@0.7"]
    );
    let markdown = &catalog.components[0];
    assert_eq!(markdown.ecosystem, Some(Ecosystem::Cran));
    assert_eq!(markdown.source, Source::Registry { url: None });
    assert!(markdown.hashes.is_empty());
    assert_eq!(
        markdown.properties.get("renv:hash").map(String::as_str),
        Some("4584a57f565dd7987d59dda3a02cfb41")
    );
    assert_eq!(
        markdown
            .properties
            .get("renv:repository")
            .map(String::as_str),
        Some("CRAN")
    );
    assert_eq!(markdown.locations[0].line, Some(12));
    assert_eq!(markdown.direct, None);
}

#[test]
fn renv_github_package_is_a_git_source_and_base_requirements_are_silent() {
    let Some(result) = run("with-mixed-sources.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        ["pkg:cran/markdown@1.0", "pkg:cran/mime@0.12.1"]
    );
    assert_eq!(
        catalog.components[1].source,
        Source::Git {
            url: "https://github.com/yihui/mime".to_owned(),
            reference: Some("1763e0dcb72fb58d97bab97bb834fc71f1e012bc".to_owned()),
        }
    );
    // `tools` ships with R.
    assert!(catalog.relationships.is_empty());
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn renv_bioconductor_package_is_not_claimed_by_cran() {
    let Some(result) = run("with-bioconductor.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        ["pkg:cran/BH@1.75.0-0", "pkg:bioconductor/BSgenome@1.60.0"]
    );
    assert_eq!(
        catalog.components[1].ecosystem,
        Some(Ecosystem::Other("Bioconductor".to_owned()))
    );
}

#[test]
fn renv_requirements_outside_the_lockfile_are_warnings() {
    for fixture in ["one-package.lock", "without-repository.lock"] {
        let Some(result) = run(fixture) else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(purls(&catalog), ["pkg:cran/morning@0.1.0"]);
        assert_eq!(
            catalog.warnings,
            [
                format!("{RENV}/{fixture}: requirement coffee of morning is not in the lockfile"),
                format!("{RENV}/{fixture}: requirement toast of morning is not in the lockfile"),
            ]
        );
    }
}

#[test]
fn renv_requirement_inside_the_lockfile_is_an_edge() {
    let files = vouch_catalog::NoFiles;
    let contents = r#"{"Packages": {
        "rlang": {"Package": "rlang", "Version": "1.1.3", "Source": "Repository", "Repository": "RSPM"},
        "vctrs": {"Package": "vctrs", "Version": "0.6.5", "Requirements": ["rlang", "utils"]}
    }, "R": {"Version": "4.3.2", "Repositories": [{"Name": "RSPM", "URL": "https://packagemanager.posit.co/cran/latest"}]}}"#;
    let catalog = common::catalog_text_with("renv.lock", contents, &files).expect("parses");
    assert_eq!(
        catalog.components[0].source,
        Source::Registry {
            url: Some("https://packagemanager.posit.co/cran/latest".to_owned())
        }
    );
    assert_eq!(catalog.relationships.len(), 1);
    assert_eq!(
        catalog.relationships[0].from.as_str(),
        "pkg:cran/vctrs@0.6.5"
    );
    assert_eq!(catalog.relationships[0].kind, RelationshipKind::DependsOn);
    assert_eq!(catalog.relationships[0].to.as_str(), "pkg:cran/rlang@1.1.3");
}

#[test]
fn renv_empty_object_is_empty_and_text_is_an_error() {
    let Some(result) = run("empty.lock") else {
        return;
    };
    assert_eq!(result.expect("parses"), Catalog::default());
    let Some(result) = run("not-json.txt") else {
        return;
    };
    let error = result.expect_err("not JSON");
    assert!(
        matches!(error, CatalogError::Parse { line: Some(1), .. }),
        "{error}"
    );
}

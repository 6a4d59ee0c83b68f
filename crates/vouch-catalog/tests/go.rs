//! go.mod cataloger against the osv-scalibr, osv-scanner and prometheus fixtures.

mod common;

use std::collections::BTreeMap;

use common::{component, purl_direct as packages};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, RelationshipKind, Source};

const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/golang/gomod/testdata";

/// Reads `relative` as a go.mod; `sum`, when given, is served as the `go.sum` beside it.
fn catalog(relative: &str, sum: Option<&str>) -> Option<Result<Catalog, CatalogError>> {
    let Some(sum) = sum else {
        return common::catalog_fixture(relative, "go.mod");
    };
    let path = vouch_test_support::data_path(relative)?;
    let sum_text = std::fs::read_to_string(vouch_test_support::data_path(sum)?).ok()?;
    let contents = std::fs::read_to_string(&path).expect("fixture readable");
    let files = go_sum(&sum_text);
    Some(common::catalog_text_as(
        "go.mod", relative, &contents, &files,
    ))
}

/// Serves one text as `go.sum` (the scalibr fixtures name theirs after the go.mod).
fn go_sum(text: &str) -> common::MemoryFiles {
    common::MemoryFiles::from([("go.sum", text)])
}

/// A purl and whether the module is a direct dependency.
type Package<'a> = (&'a str, Option<bool>);

const TOML: &str = "pkg:golang/github.com/BurntSushi/toml@v1.0.0";

#[test]
fn main_module_is_the_root_and_requires_are_its_direct_dependencies() {
    let Some(result) = catalog(&format!("{SCALIBR}/indirect-packages.mod"), None) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[
            // A one-element module path cannot be a golang purl: the path is the id.
            ("my-library", None),
            (TOML, Some(true)),
            (
                "pkg:golang/github.com/mattn/go-colorable@v0.1.9",
                Some(false)
            ),
            ("pkg:golang/github.com/mattn/go-isatty@v0.0.14", Some(false)),
            (
                "pkg:golang/golang.org/x/sys@v0.0.0-20210630005230-0f9fa26af87c",
                Some(false)
            ),
            ("pkg:golang/gopkg.in/yaml.v2@v2.4.0", Some(true)),
        ]
    );
    let root = component(&catalog, "my-library");
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    assert_eq!(root.purl, None);
    assert_eq!(root.ecosystem, Some(vouch_model::Ecosystem::Go));
    assert_eq!(root.locations[0].line, Some(1));
    let toml = component(&catalog, TOML);
    assert_eq!(toml.group.as_deref(), Some("github.com/BurntSushi"));
    assert_eq!(toml.name, "toml");
    assert_eq!(toml.locations[0].line, Some(6));
    let mut targets: Vec<(RelationshipKind, String)> = catalog
        .relationships
        .iter()
        .inspect(|edge| assert_eq!(edge.from.as_str(), "my-library"))
        .map(|edge| (edge.kind, edge.to.to_string()))
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            (RelationshipKind::DependsOn, TOML.to_owned()),
            (
                RelationshipKind::DependsOn,
                "pkg:golang/gopkg.in/yaml.v2@v2.4.0".to_owned()
            ),
        ]
    );
}

#[test]
fn toolchain_and_go_directives_are_not_packages() {
    for file in [
        "toolchain.mod",
        "toolchain-with-suffix.mod",
        "one-package.mod",
    ] {
        let Some(result) = catalog(&format!("{SCALIBR}/{file}"), None) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(
            packages(&catalog),
            &[("my-library", None), (TOML, Some(true))],
            "{file}"
        );
    }
}

#[test]
fn before_go_1_17_go_sum_supplies_the_transitive_modules() {
    let Some(result) = catalog(
        &format!("{SCALIBR}/indirect-1.16.mod"),
        Some(&format!("{SCALIBR}/indirect-1.16.sum")),
    ) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:golang/github.com/davecgh/go-spew@v1.1.1", Some(false)),
            (
                "pkg:golang/github.com/pmezard/go-difflib@v1.0.0",
                Some(false)
            ),
            ("pkg:golang/github.com/sirupsen/logrus@v1.9.3", Some(true)),
            ("pkg:golang/github.com/stretchr/testify@v1.7.0", Some(false)),
            (
                "pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8",
                Some(false)
            ),
            (
                "pkg:golang/gopkg.in/yaml.v3@v3.0.0-20200313102051-9f266ea9e77c",
                Some(false)
            ),
            ("test", None),
        ]
    );
    let logrus = component(&catalog, "pkg:golang/github.com/sirupsen/logrus@v1.9.3");
    assert_eq!(
        logrus.properties.get("vouch:go-sum").map(String::as_str),
        Some("h1:dueUQJ1C2q9oE3F7wvmSGAaVtTmUizReu6fjN8uqzbQ=")
    );
    assert!(logrus.hashes.is_empty());
    let spew = component(&catalog, "pkg:golang/github.com/davecgh/go-spew@v1.1.1");
    assert_eq!(
        spew.locations,
        [vouch_model::Location {
            path: format!("{SCALIBR}/go.sum"),
            line: Some(2)
        }]
    );
}

#[test]
fn malformed_go_sum_is_ignored_with_a_warning() {
    let Some(result) = catalog(
        &format!("{SCALIBR}/indirect-1.23.mod"),
        Some(&format!("{SCALIBR}/indirect-1.23.sum")),
    ) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:golang/github.com/sirupsen/logrus@v1.9.3", Some(true)),
            (
                "pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8",
                Some(false)
            ),
            ("test", None),
        ]
    );
    assert_eq!(
        catalog.warnings,
        ["go.sum line 1: not `module version hash`; ignored go.sum"]
    );
}

#[test]
fn replace_directives_substitute_the_required_module() {
    let cases: [(&str, &[Package<'_>]); 4] = [
        (
            "replace-one.mod",
            &[("pkg:golang/example.com/fork/net@v1.4.5", Some(true))],
        ),
        (
            "replace-different.mod",
            &[
                ("pkg:golang/example.com/fork/foe@v1.4.2", Some(true)),
                ("pkg:golang/example.com/fork/foe@v1.4.5", Some(true)),
            ],
        ),
        (
            "replace-mixed.mod",
            &[
                ("pkg:golang/example.com/fork/net@v1.4.5", Some(true)),
                ("pkg:golang/golang.org/x/net@v0.5.6", Some(true)),
            ],
        ),
        (
            // A rule for every version sends both requirements to the same fork: one package.
            "replace-no-version.mod",
            &[("pkg:golang/example.com/fork/net@v1.4.5", Some(true))],
        ),
    ];
    for (file, expected) in cases {
        let Some(result) = catalog(&format!("{SCALIBR}/{file}"), None) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(packages(&catalog), expected, "{file}");
        assert!(catalog.relationships.is_empty(), "no main module, no root");
    }
    let Some(result) = catalog(&format!("{SCALIBR}/replace-one.mod"), None) else {
        return;
    };
    let catalog = result.expect("parses");
    let fork = component(&catalog, "pkg:golang/example.com/fork/net@v1.4.5");
    assert_eq!(
        fork.properties.get("vouch:go-replaces").map(String::as_str),
        Some("golang.org/x/net@v1.2.3")
    );
    assert_eq!(fork.source, Source::Registry { url: None });
}

#[test]
fn replace_of_a_module_not_required_changes_nothing() {
    let Some(result) = catalog(&format!("{SCALIBR}/replace-not-required.mod"), None) else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        &[
            (TOML, Some(true)),
            ("pkg:golang/golang.org/x/net@v0.5.6", Some(true)),
        ]
    );
}

#[test]
fn replace_with_a_directory_is_a_path_package_without_version() {
    let Some(result) = catalog(&format!("{SCALIBR}/replace-local.mod"), None) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[
            (TOML, Some(true)),
            ("pkg:golang/golang.org/x/net", Some(true))
        ]
    );
    let net = component(&catalog, "pkg:golang/golang.org/x/net");
    assert_eq!(
        net.source,
        Source::Path {
            path: "./fork/net".to_owned()
        }
    );
    assert_eq!(net.version, None);
}

#[test]
fn empty_file_is_an_empty_catalog_and_prose_is_an_error() {
    let Some(empty) = catalog(&format!("{SCALIBR}/empty.mod"), None) else {
        return;
    };
    assert_eq!(empty.expect("empty parses"), Catalog::default());
    let Some(prose) = catalog(&format!("{SCALIBR}/not-go-mod.mod"), None) else {
        return;
    };
    let error = prose.expect_err("not go.mod").to_string();
    assert!(
        error.ends_with(":1: unknown go.mod directive `this`"),
        "{error}"
    );
}

#[test]
fn osv_scanner_projects() {
    let base = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata";
    let cases: [(&str, &[Package<'_>]); 3] = [
        (
            "go-project/go.mod",
            &[("pkg:golang/github.com/ossf-tests/osv-e2e", None)],
        ),
        (
            "call-analysis-go-project/go.mod",
            &[
                ("pkg:golang/github.com/gogo/protobuf@v1.3.1", Some(true)),
                ("pkg:golang/github.com/ipfs/go-bitfield@v1.0.0", Some(true)),
                ("pkg:golang/github.com/ossf-tests/osv-e2e", None),
                ("pkg:golang/golang.org/x/image@v0.4.0", Some(false)),
            ],
        ),
        (
            "call-analysis-go-project-all-uncalled/go.mod",
            &[
                ("pkg:golang/github.com/gogo/protobuf@v1.3.1", Some(true)),
                ("pkg:golang/github.com/ossf-tests/osv-e2e", None),
            ],
        ),
    ];
    for (file, expected) in cases {
        let Some(result) = catalog(&format!("{base}/{file}"), None) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(packages(&catalog), expected, "{file}");
    }
}

#[test]
fn prometheus_requires_and_go_sum_hashes() {
    let Some(result) = catalog("big-lockfiles/prometheus/go.mod", None) else {
        return;
    };
    let catalog = result.expect("parses");
    // 250 required modules (141 of them `// indirect`) and the main module.
    assert_eq!(catalog.components.len(), 251);
    let direct = catalog
        .components
        .iter()
        .filter(|component| component.direct == Some(true))
        .count();
    assert_eq!(direct, 109);
    assert_eq!(catalog.relationships.len(), 109);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    let azcore = component(
        &catalog,
        "pkg:golang/github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.22.0",
    );
    assert_eq!(
        azcore.properties,
        BTreeMap::from([(
            "vouch:go-sum".to_owned(),
            "h1:aokoqcHvaGjiM3VpjKDfMMnF/8epJ+Q1HLJ7CudztqE=".to_owned()
        )])
    );
    // Excluded versions never enter the build.
    assert!(
        catalog
            .components
            .iter()
            .all(|component| component.version.as_deref() != Some("v1.14.7"))
    );
}

#[test]
fn without_a_go_directive_go_sum_also_supplies_transitive_modules() {
    let sum = go_sum(
        "example.com/a v1.0.0 h1:AAAA=\nexample.com/a v1.0.0/go.mod h1:BBBB=\nexample.com/b v0.9.0 h1:CCCC=\nexample.com/b v0.10.0 h1:DDDD=\nexample.com/c v1.0.0/go.mod h1:EEEE=\n",
    );
    let catalog = common::catalog_text_with(
        "go.mod",
        "module example.com/app\n\nrequire example.com/a v1.0.0\n",
        &sum,
    )
    .expect("parses");
    // b: the highest version by semver (v0.10.0 > v0.9.0); c: only its go.mod was hashed.
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:golang/example.com/a@v1.0.0", Some(true)),
            ("pkg:golang/example.com/app", None),
            ("pkg:golang/example.com/b@v0.10.0", Some(false)),
        ]
    );
}

//! Cargo.lock cataloger against the RustSec and osv-scalibr fixtures.

mod common;

use common::{component, edges, sorted_purls as purls};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, Hash, HashAlgorithm, RelationshipKind, Scope, Source};

const EXAMPLES: &str = "rustsec-crate-fixtures/cargo-lock/tests/examples";
const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/rust/cargolock/testdata";

fn catalog(relative: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(relative, "Cargo.lock")
}

#[test]
fn v4_lockfile_has_workspace_root_git_sources_and_direct_dependencies() {
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock.v4")) else {
        return;
    };
    let catalog = result.expect("v4 parses");
    assert_eq!(catalog.components.len(), 25);
    // The fixture was cut down: three of toml's dependencies are not in it.
    assert_eq!(
        catalog.warnings,
        [
            "line 182: dependency `serde_spanned 0.6.6` of `toml` matches no single package of the lockfile",
            "line 182: dependency `toml_datetime 0.6.6` of `toml` matches no single package of the lockfile",
            "line 182: dependency `toml_edit 0.22.14` of `toml` matches no single package of the lockfile",
        ]
    );

    let root = component(&catalog, "pkg:cargo/cargo-lock@7.0.1");
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    assert_eq!(root.locations[0].line, Some(12));

    let toml = component(
        &catalog,
        "pkg:cargo/toml@0.8.14?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fweihanglo%2Ftoml.git%409e406273177740fa85b86b78e6d5105e932edef0",
    );
    assert_eq!(
        toml.source,
        Source::Git {
            url: "https://github.com/weihanglo/toml.git".to_owned(),
            reference: Some("9e406273177740fa85b86b78e6d5105e932edef0".to_owned()),
        }
    );
    assert!(toml.hashes.is_empty());

    let autocfg = component(&catalog, "pkg:cargo/autocfg@1.1.0");
    assert_eq!(autocfg.direct, Some(false));
    assert_eq!(autocfg.source, Source::Registry { url: None });
    assert_eq!(
        autocfg.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "d468802bab17cbc0cc575e9b053f41e72aa36bfa6b7f55e3529ffa43161b97fa"
        )]
    );

    let direct: Vec<&str> = catalog
        .components
        .iter()
        .filter(|component| component.direct == Some(true))
        .map(|component| component.name.as_str())
        .collect();
    assert_eq!(
        direct,
        ["gumdrop", "petgraph", "semver", "serde", "toml", "url"]
    );
    let from_root: Vec<_> = edges(&catalog)
        .into_iter()
        .filter(|(from, _, _)| from == "pkg:cargo/cargo-lock@7.0.1")
        .map(|(_, kind, to)| (kind, to))
        .collect();
    assert_eq!(from_root.len(), 6);
    assert!(
        from_root
            .iter()
            .all(|(kind, _)| *kind == RelationshipKind::DependsOn)
    );
}

#[test]
fn v1_lockfile_takes_checksums_from_metadata() {
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock.v1")) else {
        return;
    };
    let catalog = result.expect("v1 parses");
    assert_eq!(catalog.components.len(), 141);
    let adler = component(&catalog, "pkg:cargo/adler32@1.0.4");
    assert_eq!(
        adler.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "5d2e7343e7fc9de883d1b0341e0b13970f764c14101234857d2ddafa1cb1cac2"
        )]
    );
    let aho = "pkg:cargo/aho-corasick@0.7.6".to_owned();
    assert!(edges(&catalog).contains(&(
        aho,
        RelationshipKind::DependsOn,
        "pkg:cargo/memchr@2.2.1".to_owned()
    )));
}

#[test]
fn v1_lockfile_beside_its_manifest_marks_the_declared_dependency_direct() {
    let Some(result) =
        catalog("rustsec-crate-fixtures/cargo-audit/tests/support/base64_vuln/Cargo.lock")
    else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:cargo/base64@0.5.1",
            "pkg:cargo/base64_vuln@0.1.0",
            "pkg:cargo/byteorder@1.3.1"
        ]
    );
    let base64 = component(&catalog, "pkg:cargo/base64@0.5.1");
    assert_eq!((base64.direct, base64.scope), (Some(true), Scope::Required));
    assert_eq!(
        base64.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "124e5332dfc4e387b4ca058909aa175c0c3eccf03846b7c1a969b9ad067b8df2"
        )]
    );
    assert_eq!(
        component(&catalog, "pkg:cargo/byteorder@1.3.1").direct,
        Some(false)
    );
}

#[test]
fn unused_patch_entries_are_not_packages() {
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock.unused-patch")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        ["pkg:cargo/bitflags@2.10.0", "pkg:cargo/rust-example@0.1.0"]
    );
}

#[test]
fn git_ref_entries_resolve_to_the_source_they_name() {
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock.git-ref")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 5);
    let foo = "pkg:cargo/foo@0.0.0".to_owned();
    let targets: Vec<String> = edges(&catalog)
        .into_iter()
        .filter(|(from, _, _)| *from == foo)
        .map(|(_, _, to)| to)
        .collect();
    assert_eq!(
        targets,
        [
            "pkg:cargo/branch@0.0.0",
            "pkg:cargo/branch@0.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40b8e3025aa30ea65144372bd68d26090c0f31bea2",
            "pkg:cargo/tag@0.0.0",
            "pkg:cargo/tag@0.0.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40c460e54ecd66a5da8d9725ee419b5199b552e0e6",
        ]
    );
}

#[test]
fn same_commit_reached_through_two_rev_specs_is_one_package() {
    // Cargo keeps `?rev=tracing-tracy-v0.10.1` and `?rev=tracy-client-v0.15.0` apart, but both
    // resolve to the same commit: the same code, so one component each.
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock.same-git")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    let vcs = "?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fnagisa%2Frust_tracy_client%40d15b1ea01c6c9a496c2f169a212acd5b17fd0b1a";
    let tracing = format!("pkg:cargo/tracing-tracy@0.10.1{vcs}");
    let client = format!("pkg:cargo/tracy-client@0.15.0{vcs}");
    let sys = format!("pkg:cargo/tracy-client-sys@0.19.0{vcs}");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:cargo/foo@0.1.0".to_owned(),
            tracing.clone(),
            // `-` sorts before `@`.
            sys.clone(),
            client.clone(),
        ]
    );
    let depends = RelationshipKind::DependsOn;
    assert_eq!(
        edges(&catalog),
        [
            ("pkg:cargo/foo@0.1.0".to_owned(), depends, tracing.clone()),
            ("pkg:cargo/foo@0.1.0".to_owned(), depends, client.clone()),
            (tracing, depends, client.clone()),
            (client, depends, sys),
        ]
    );
}

#[test]
fn source_disambiguation_picks_the_exact_package() {
    let cases = [
        (
            "single_version_different_registries",
            [
                "pkg:cargo/bytes@1.2.1?repository_url=https:%2F%2Fgithub.com%2Frustsec%2Frustsec",
                "pkg:cargo/bytestring@1.1.0",
            ],
        ),
        (
            "single_version_different_source_types",
            [
                "pkg:cargo/bytes@1.2.1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%4019152556777da5248ee0e7b562fdb37c76457c4b",
                "pkg:cargo/bytestring@1.1.0",
            ],
        ),
        (
            "two_versions_different_registries",
            [
                "pkg:cargo/bytes@0.6.0?repository_url=https:%2F%2Fgithub.com%2Frustsec%2Frustsec",
                "pkg:cargo/bytestring@1.1.0",
            ],
        ),
        (
            "two_versions_different_source_types",
            [
                "pkg:cargo/bytes@0.6.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frustsec%2Frustsec%40d6629dbc30725ed892f781042adb3393a43ad4be",
                "pkg:cargo/bytestring@1.1.0",
            ],
        ),
    ];
    for (case, expected) in cases {
        let Some(result) = catalog(&format!(
            "{EXAMPLES}/source_disambiguation/Cargo.lock.{case}"
        )) else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(catalog.components.len(), 4, "{case}");
        let from_example: Vec<String> = edges(&catalog)
            .into_iter()
            .filter(|(from, _, _)| from == "pkg:cargo/example@0.1.0")
            .map(|(_, _, to)| to)
            .collect();
        assert_eq!(from_example, expected, "{case}");
        assert!(edges(&catalog).contains(&(
            "pkg:cargo/bytestring@1.1.0".to_owned(),
            RelationshipKind::DependsOn,
            "pkg:cargo/bytes@1.2.1".to_owned()
        )));
    }
}

#[test]
fn alternative_registry_is_recorded_as_source_and_purl_qualifier() {
    let Some(result) = catalog(&format!(
        "{EXAMPLES}/source_disambiguation/Cargo.lock.single_version_different_registries"
    )) else {
        return;
    };
    let catalog = result.expect("parses");
    let bytes = component(
        &catalog,
        "pkg:cargo/bytes@1.2.1?repository_url=https:%2F%2Fgithub.com%2Frustsec%2Frustsec",
    );
    assert_eq!(
        bytes.source,
        Source::Registry {
            url: Some("https://github.com/rustsec/rustsec".to_owned())
        }
    );
    assert_eq!(bytes.direct, Some(true));
    assert_eq!(
        component(&catalog, "pkg:cargo/bytes@1.2.1").direct,
        Some(false)
    );
}

#[test]
fn lockfile_that_is_a_symlink_name_is_rejected() {
    // Upstream the file is a symlink; stored as text it holds `Cargo.lock.v3`, which is no TOML.
    let Some(result) = catalog(&format!("{EXAMPLES}/Cargo.lock")) else {
        return;
    };
    let error = result.expect_err("not TOML").to_string();
    assert!(error.contains("Cargo.lock:1:"), "{error}");
}

#[test]
fn scalibr_fixtures() {
    let expectations: [(&str, &[&str]); 8] = [
        ("empty.lock", &[]),
        ("one-package.lock", &["pkg:cargo/addr2line@0.15.2"]),
        (
            "two-packages.lock",
            &["pkg:cargo/addr2line@0.15.2", "pkg:cargo/syn@1.0.73"],
        ),
        (
            "two-packages-with-local.lock",
            &[
                "pkg:cargo/addr2line@0.15.2",
                "pkg:cargo/local-rust-pkg@0.1.0",
            ],
        ),
        (
            "duplicate.lock",
            &["pkg:cargo/syn@1.0.73", "pkg:cargo/syn@2.0.0"],
        ),
        (
            "many-packages.lock",
            &[
                "pkg:cargo/aho-corasick@0.7.18",
                "pkg:cargo/libc@0.2.140",
                "pkg:cargo/memchr@2.4.1",
                "pkg:cargo/syn@1.0.109",
                "pkg:cargo/syn@2.0.15",
                "pkg:cargo/zstd@0.11.2",
            ],
        ),
        (
            "package-with-build-string.lock",
            &["pkg:cargo/wasi@0.10.2%2Bwasi-snapshot-preview1"],
        ),
        (
            "package-with-comments.lock",
            &[
                "pkg:cargo/addr2line@0.15.2",
                "pkg:cargo/syn@1.0.73?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Frust-lang%2Fcargo%40061a9ab4cfabf2a403dbeab4bbcb8ff97d344dff",
            ],
        ),
    ];
    for (file, expected) in expectations {
        let Some(result) = catalog(&format!("{SCALIBR}/{file}")) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(purls(&catalog), expected, "{file}");
    }
}

#[test]
fn dependency_missing_from_the_lockfile_is_a_warning() {
    let Some(result) = catalog(&format!("{SCALIBR}/one-package.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.relationships.is_empty());
    assert_eq!(
        catalog.warnings,
        ["line 6: dependency `gimli` of `addr2line` matches no single package of the lockfile"]
    );
}

#[test]
fn text_that_is_not_toml_is_an_error() {
    let Some(result) = catalog(&format!("{SCALIBR}/not-toml.txt")) else {
        return;
    };
    assert!(result.is_err());
}

#[test]
fn deno_workspace_lockfile_counts_every_package() {
    let Some(result) = catalog("big-lockfiles/deno/Cargo.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 1128);
    let members = catalog
        .components
        .iter()
        .filter(|component| component.source == Source::Workspace)
        .count();
    assert_eq!(members, 81);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

const WORKSPACE_LOCK: &str = r#"version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "cc",
 "helper",
 "pretty_assertions",
 "serde",
]

[[package]]
name = "helper"
version = "0.1.0"
dependencies = [
 "insta",
]

[[package]]
name = "cc"
version = "1.2.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "insta"
version = "1.40.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "pretty_assertions"
version = "1.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "serde"
version = "1.0.200"
source = "sparse+https://index.crates.io/"
"#;

#[test]
fn manifests_beside_the_lockfile_set_dev_and_build_scopes() {
    let files = common::MemoryFiles::from([
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"crates/helper\", \"crates/*\"]\n\n[package]\nname = \"app\"\n\n[dependencies]\nserde = \"1\"\nhelper = { path = \"crates/helper\" }\n\n[build-dependencies]\ncc = \"1\"\n\n[target.'cfg(unix)'.dev-dependencies]\nassertions = { package = \"pretty_assertions\", version = \"1\" }\n",
        ),
        (
            "crates/helper/Cargo.toml",
            "[package]\nname = \"helper\"\n\n[dev-dependencies]\ninsta = \"1\"\n",
        ),
    ]);
    let catalog = common::catalog_text_with("Cargo.lock", WORKSPACE_LOCK, &files).expect("parses");
    let scopes: Vec<(&str, Option<bool>, Scope)> = catalog
        .components
        .iter()
        .filter(|component| component.kind == ComponentKind::Library)
        .map(|component| (component.name.as_str(), component.direct, component.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            ("cc", Some(true), Scope::Build),
            ("insta", Some(true), Scope::Dev),
            ("pretty_assertions", Some(true), Scope::Dev),
            ("serde", Some(true), Scope::Required),
        ]
    );
    assert_eq!(
        edges(&catalog),
        [
            (
                "pkg:cargo/app@0.1.0".to_owned(),
                RelationshipKind::DependsOn,
                "pkg:cargo/helper@0.1.0".to_owned()
            ),
            (
                "pkg:cargo/app@0.1.0".to_owned(),
                RelationshipKind::DependsOn,
                "pkg:cargo/serde@1.0.200".to_owned()
            ),
            (
                "pkg:cargo/app@0.1.0".to_owned(),
                RelationshipKind::DevDependsOn,
                "pkg:cargo/pretty_assertions@1.4.0".to_owned()
            ),
            (
                "pkg:cargo/app@0.1.0".to_owned(),
                RelationshipKind::BuildDependsOn,
                "pkg:cargo/cc@1.2.0".to_owned()
            ),
            (
                "pkg:cargo/helper@0.1.0".to_owned(),
                RelationshipKind::DevDependsOn,
                "pkg:cargo/insta@1.40.0".to_owned()
            ),
        ]
    );
}

#[test]
fn without_a_manifest_every_direct_dependency_is_required() {
    let catalog = common::catalog_text("Cargo.lock", WORKSPACE_LOCK).expect("parses");
    assert!(
        catalog
            .components
            .iter()
            .all(|component| component.scope == Scope::Required)
    );
}

#[test]
fn bare_name_naming_one_commit_behind_two_git_specs_resolves() {
    let lock = r#"version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "client",
]

[[package]]
name = "client"
version = "1.0.0"
source = "git+https://example.com/repo?branch=main#0123456789abcdef0123456789abcdef01234567"

[[package]]
name = "client"
version = "1.0.0"
source = "git+https://example.com/repo?rev=v1#0123456789abcdef0123456789abcdef01234567"
"#;
    let catalog = common::catalog_text("Cargo.lock", lock).expect("parses");
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    let client = "pkg:cargo/client@1.0.0?vcs_url=git%2Bhttps:%2F%2Fexample.com%2Frepo%400123456789abcdef0123456789abcdef01234567";
    assert_eq!(purls(&catalog), ["pkg:cargo/app@0.1.0", client]);
    assert_eq!(
        edges(&catalog),
        [(
            "pkg:cargo/app@0.1.0".to_owned(),
            RelationshipKind::DependsOn,
            client.to_owned()
        )]
    );
}

//! pubspec.lock cataloger against the osv-scalibr fixtures.

mod common;

use common::component;
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, Hash, HashAlgorithm, RelationshipKind, Scope, Source};

const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/dart/pubspec/testdata";

fn catalog(file: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(&format!("{SCALIBR}/{file}"), "pubspec.lock")
}

/// A purl, whether the package is direct, and its scope.
type Package<'a> = (&'a str, Option<bool>, Scope);

/// `(purl, direct, scope)` of every component, sorted.
fn packages(catalog: &Catalog) -> Vec<Package<'_>> {
    common::sorted_by(catalog, |component| {
        (component.id.as_str(), component.direct, component.scope)
    })
}

const INTERCEPTOR: Package<'static> = (
    "pkg:pub/back_button_interceptor@6.0.1",
    Some(true),
    Scope::Required,
);
const BUILD_RUNNER: Package<'static> = ("pkg:pub/build_runner@2.2.1", Some(true), Scope::Dev);
const SHELF: Package<'static> = ("pkg:pub/shelf@1.3.2", Some(false), Scope::Required);
const SHELF_WEB_SOCKET: Package<'static> = (
    "pkg:pub/shelf_web_socket@1.0.2",
    Some(false),
    Scope::Required,
);

#[test]
fn dependency_kinds_set_direct_and_scope() {
    let cases: [(&str, &[Package<'_>]); 6] = [
        ("one-package.lock", &[INTERCEPTOR]),
        ("one-package-dev.lock", &[BUILD_RUNNER]),
        ("two-packages.lock", &[SHELF, SHELF_WEB_SOCKET]),
        (
            "mixed-packages.lock",
            &[INTERCEPTOR, BUILD_RUNNER, SHELF, SHELF_WEB_SOCKET],
        ),
        ("no-packages.lock", &[]),
        ("empty.lock", &[]),
    ];
    for (file, expected) in cases {
        let Some(result) = catalog(file) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(packages(&catalog), expected, "{file}");
        assert!(
            catalog.warnings.is_empty(),
            "{file}: {:?}",
            catalog.warnings
        );
        // No pubspec.yaml beside the fixtures: no project, no edges.
        assert!(catalog.relationships.is_empty(), "{file}");
    }
    let Some(result) = catalog("one-package.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    let interceptor = component(&catalog, INTERCEPTOR.0);
    assert_eq!(interceptor.source, Source::Registry { url: None });
    assert_eq!(interceptor.locations[0].line, Some(4));
}

#[test]
fn git_packages_are_pinned_to_the_resolved_commit() {
    let Some(result) = catalog("source-git.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    let bridge = "pkg:pub/flutter_rust_bridge@1.32.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FSoLongAndThanksForAllThePizza%2Fflutter_rust_bridge%40e5adce55eea0b74d3680e66a2c5252edf17b07e1";
    let retriever = "pkg:pub/screen_retriever@0.1.2?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FKingtous%2Frustdesk_screen_retriever.git%40406b9b038b2c1d779f1e7bf609c8c248be247372";
    let tray = "pkg:pub/tray_manager@0.1.8?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FKingtous%2Frustdesk_tray_manager%403aa37c86e47ea748e7b5507cbe59f2c54ebdb23a";
    let window = "pkg:pub/window_manager@0.2.7?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FKingtous%2Frustdesk_window_manager%4088487257cbafc501599ab4f82ec343b46acec020";
    assert_eq!(
        packages(&catalog),
        &[
            (bridge, Some(true), Scope::Required),
            (retriever, Some(false), Scope::Required),
            ("pkg:pub/toggle_switch@1.4.0", Some(true), Scope::Required),
            (tray, Some(true), Scope::Required),
            (window, Some(true), Scope::Required),
        ]
    );
    assert_eq!(
        component(&catalog, retriever).source,
        Source::Git {
            url: "https://github.com/Kingtous/rustdesk_screen_retriever.git".to_owned(),
            reference: Some("406b9b038b2c1d779f1e7bf609c8c248be247372".to_owned()),
        }
    );
}

#[test]
fn path_packages_are_local() {
    let Some(result) = catalog("source-path.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[("pkg:pub/maa_core@0.0.1", Some(true), Scope::Required)]
    );
    assert_eq!(
        catalog.components[0].source,
        Source::Path {
            path: "..".to_owned()
        }
    );
}

#[test]
fn sdk_packages_are_skipped_with_a_warning() {
    let Some(result) = catalog("source-sdk.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.components.is_empty());
    assert_eq!(
        catalog.warnings,
        [
            "line 4: skipped `flutter_web_plugins`: it ships with the flutter SDK, not from a repository"
        ]
    );
}

#[test]
fn text_that_is_no_lockfile_is_an_error() {
    let Some(result) = catalog("not-yaml.txt") else {
        return;
    };
    let error = result.expect_err("a bare string").to_string();
    assert!(
        error.ends_with("not-yaml.txt:1: expected a mapping with a `packages` key"),
        "{error}"
    );
}

#[test]
fn nesting_deep_enough_to_exhaust_the_parser_is_refused() {
    let deep = format!("packages:\n{}x\n", "- ".repeat(20_000));
    let error = common::catalog_text("pubspec.lock", &deep)
        .expect_err("too deep")
        .to_string();
    assert_eq!(error, "pubspec.lock:2: YAML nested deeper than 128 levels");
}

#[test]
fn project_from_pubspec_yaml_with_hashes_and_other_repositories() {
    let lock = r#"packages:
  http:
    dependency: "direct main"
    description:
      name: http
      sha256: "5895291c13fa8a3bd82e76d5627f69e0d85ca6a30dcac95c4ea19a5d555879c2"
      url: "https://pub.dev"
    source: hosted
    version: "0.13.6"
  lints:
    dependency: "direct dev"
    description:
      name: lints
      url: "https://dart.example.com"
    source: hosted
    version: "2.1.1"
  meta:
    dependency: "direct overridden"
    description:
      name: meta
      url: "https://pub.dev"
    source: hosted
    version: "1.9.1"
sdks:
  dart: ">=3.0.0 <4.0.0"
"#;
    let files =
        common::MemoryFiles::from([("pubspec.yaml", "name: weather_app\nversion: 1.2.0+3\n")]);
    let catalog = common::catalog_text_with("app/pubspec.lock", lock, &files).expect("parses");
    let lints = "pkg:pub/lints@2.1.1?repository_url=https:%2F%2Fdart.example.com";
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:pub/http@0.13.6", Some(true), Scope::Required),
            (lints, Some(true), Scope::Dev),
            ("pkg:pub/meta@1.9.1", Some(true), Scope::Required),
            ("pkg:pub/weather_app@1.2.0%2B3", None, Scope::Required),
        ]
    );
    assert_eq!(
        component(&catalog, "pkg:pub/http@0.13.6").hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "5895291c13fa8a3bd82e76d5627f69e0d85ca6a30dcac95c4ea19a5d555879c2"
        )]
    );
    assert_eq!(
        component(&catalog, lints).source,
        Source::Registry {
            url: Some("https://dart.example.com".to_owned())
        }
    );
    let root = component(&catalog, "pkg:pub/weather_app@1.2.0%2B3");
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    assert_eq!(root.locations[0].path, "app/pubspec.yaml");
    let mut edges: Vec<(&str, RelationshipKind, &str)> = catalog
        .relationships
        .iter()
        .map(|edge| (edge.from.as_str(), edge.kind, edge.to.as_str()))
        .collect();
    edges.sort_unstable();
    let root = "pkg:pub/weather_app@1.2.0%2B3";
    assert_eq!(
        edges,
        [
            (root, RelationshipKind::DependsOn, "pkg:pub/http@0.13.6"),
            (root, RelationshipKind::DependsOn, "pkg:pub/meta@1.9.1"),
            (root, RelationshipKind::DevDependsOn, lints),
        ]
    );
}

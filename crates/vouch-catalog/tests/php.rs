//! composer.lock cataloger against the osv-scalibr, osv-scanner and Composer fixtures.

mod common;

use common::component;
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, Hash, HashAlgorithm, RelationshipKind, Scope, Source};

const SCALIBR: &str =
    "osv-scalibr-testdata/extractor/filesystem/language/php/composerlock/testdata";

fn catalog(relative: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(relative, "composer.lock")
}

/// `(purl, scope)` of every component, sorted.
fn packages(catalog: &Catalog) -> Vec<(&str, Scope)> {
    common::sorted_by(catalog, |component| {
        (component.id.as_str(), component.scope)
    })
}

const SENTRY: &str = "pkg:composer/sentry/sdk@2.0.4";
const TOKENIZER: &str = "pkg:composer/theseer/tokenizer@1.1.3";

#[test]
fn packages_and_dev_packages_get_their_scopes() {
    let cases: [(&str, &[(&str, Scope)]); 5] = [
        ("one-package.json", &[(SENTRY, Scope::Required)]),
        ("one-package-dev.json", &[(SENTRY, Scope::Dev)]),
        (
            "two-packages.json",
            &[(SENTRY, Scope::Required), (TOKENIZER, Scope::Dev)],
        ),
        (
            "two-packages-alt.json",
            &[(SENTRY, Scope::Required), (TOKENIZER, Scope::Required)],
        ),
        ("empty.json", &[]),
    ];
    for (file, expected) in cases {
        let Some(result) = catalog(&format!("{SCALIBR}/{file}")) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(packages(&catalog), expected, "{file}");
        // No composer.json beside these: whether a package is direct is unknown.
        assert!(
            catalog
                .components
                .iter()
                .all(|component| component.direct.is_none())
        );
    }
}

#[test]
fn package_details_come_from_dist_and_metadata() {
    let Some(result) = catalog(&format!("{SCALIBR}/one-package.json")) else {
        return;
    };
    let catalog = result.expect("parses");
    let sentry = component(&catalog, SENTRY);
    assert_eq!(sentry.group.as_deref(), Some("sentry"));
    assert_eq!(sentry.name, "sdk");
    assert_eq!(sentry.licenses, ["MIT"]);
    assert_eq!(sentry.source, Source::Registry { url: None });
    assert_eq!(
        sentry.download_url.as_deref(),
        Some(
            "https://api.github.com/repos/getsentry/sentry-php-sdk/zipball/4c115873c86ad5bd0ac6d962db70ca53bf8fb874"
        )
    );
    // An empty `shasum` is no hash.
    assert!(sentry.hashes.is_empty());
    assert_eq!(sentry.locations[0].line, Some(10));
    // Its requirements are not in this cut-down lockfile.
    assert_eq!(catalog.warnings.len(), 3);
}

#[test]
fn packages_from_another_composer_repository_keep_it() {
    let Some(result) = catalog(&format!("{SCALIBR}/drupal-packages.json")) else {
        return;
    };
    let catalog = result.expect("parses");
    let tfa =
        "pkg:composer/drupal/tfa@2.0.0-alpha4?repository_url=https:%2F%2Fpackages.drupal.org%2F8";
    let field_time = "pkg:composer/drupal/field_time@1.0.0-beta5?repository_url=https:%2F%2Fpackages.drupal.org%2F8";
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:composer/drupal/core@10.4.5", Scope::Required),
            (field_time, Scope::Dev),
            (tfa, Scope::Required),
            (TOKENIZER, Scope::Required),
        ]
    );
    let tfa = component(&catalog, tfa);
    assert_eq!(
        tfa.source,
        Source::Registry {
            url: Some("https://packages.drupal.org/8".to_owned())
        }
    );
    assert_eq!(
        tfa.hashes,
        [Hash::new(
            HashAlgorithm::Sha1,
            "70b03b6c7868ced71ed0b3ca596ad83e76c2adc0"
        )]
    );
    assert_eq!(tfa.locations[0].line, Some(174));
}

#[test]
fn a_package_listed_twice_is_one_component_per_version() {
    let Some(result) = catalog(&format!("{SCALIBR}/duplicate-packages.json")) else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        &[
            (SENTRY, Scope::Required),
            ("pkg:composer/sentry/sdk@2.0.5", Scope::Required),
            ("pkg:composer/sentry/sdk@3.0.0-dev", Scope::Dev),
        ]
    );
}

#[test]
fn invalid_json_is_an_error_and_null_is_empty_with_a_warning() {
    let Some(not_json) = catalog(&format!("{SCALIBR}/not-json.txt")) else {
        return;
    };
    assert!(not_json.expect_err("not JSON").to_string().contains(":1:"));
    let Some(null) = catalog(&format!("{SCALIBR}/null.jsontest")) else {
        return;
    };
    let null = null.expect("null parses");
    assert!(null.components.is_empty());
    assert_eq!(null.warnings.len(), 1);
    let Some(trailing_comma) = catalog(
        "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-many-with-invalid/composer.lock",
    ) else {
        return;
    };
    assert!(
        trailing_comma
            .expect_err("stray comma")
            .to_string()
            .contains("composer.lock:7:")
    );
}

#[test]
fn osv_scanner_lockfiles() {
    let base = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata";
    let cases = [
        ("locks-empty/composer.lock", 0),
        ("locks-many/composer.lock", 1),
        ("locks-insecure/composer.lock", 1),
        ("locks-many-with-insecure/composer.lock", 6),
    ];
    for (file, count) in cases {
        let Some(result) = catalog(&format!("{base}/{file}")) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(catalog.components.len(), count, "{file}");
    }
}

#[test]
fn composer_project_with_manifest_has_root_edges_and_direct_flags() {
    let Some(result) = catalog("big-lockfiles/composer/composer.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    // 30 packages, 6 dev packages and the project from composer.json.
    assert_eq!(catalog.components.len(), 37);
    let dev = catalog
        .components
        .iter()
        .filter(|component| component.scope == Scope::Dev)
        .count();
    assert_eq!(dev, 6);
    let root = component(&catalog, "pkg:composer/composer/composer");
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    assert_eq!(
        root.locations[0].path,
        "big-lockfiles/composer/composer.json"
    );
    assert_eq!(root.locations[0].line, Some(2));
    let from_root: Vec<RelationshipKind> = catalog
        .relationships
        .iter()
        .filter(|edge| edge.from == root.id)
        .map(|edge| edge.kind)
        .collect();
    assert_eq!(from_root.len(), 27);
    assert_eq!(
        from_root
            .iter()
            .filter(|kind| **kind == RelationshipKind::DevDependsOn)
            .count(),
        6
    );
    assert_eq!(catalog.relationships.len(), 27 + 28);
    let direct = catalog
        .components
        .iter()
        .filter(|component| component.direct == Some(true))
        .count();
    assert_eq!(direct, 27);
    let phpstan = catalog
        .components
        .iter()
        .find(|component| {
            component.name == "phpstan" && component.group.as_deref() == Some("phpstan")
        })
        .expect("phpstan locked");
    assert_eq!((phpstan.scope, phpstan.direct), (Scope::Dev, Some(true)));
    assert!(catalog.relationships.iter().any(|edge| {
        edge.from.as_str() == "pkg:composer/composer/xdebug-handler@3.0.5"
            && edge.kind == RelationshipKind::DependsOn
            && edge.to.as_str() == "pkg:composer/psr/log@1.1.4"
    }));
}

#[test]
fn requirement_on_a_replaced_or_provided_name_points_to_the_locked_package() {
    let lock = r#"{
  "packages": [
    {"name": "acme/app-kit", "version": "1.0.0", "require": {"psr/log-implementation": "^1.0", "symfony/polyfill-php80": "*", "php": ">=8.1"}},
    {"name": "monolog/monolog", "version": "3.5.0", "provide": {"psr/log-implementation": "3.0.0"}},
    {"name": "symfony/polyfill", "version": "1.29.0", "replace": {"symfony/polyfill-php80": "self.version"}}
  ],
  "packages-dev": []
}"#;
    let catalog = common::catalog_text("composer.lock", lock).expect("parses");
    let mut targets: Vec<&str> = catalog
        .relationships
        .iter()
        .map(|edge| edge.to.as_str())
        .collect();
    targets.sort_unstable();
    assert_eq!(
        targets,
        [
            "pkg:composer/monolog/monolog@3.5.0",
            "pkg:composer/symfony/polyfill@1.29.0"
        ]
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn path_repositories_and_vcs_only_packages_are_not_registry_packages() {
    let lock = r#"{
  "packages": [
    {"name": "acme/local", "version": "dev-main", "dist": {"type": "path", "url": "../packages/local", "reference": "abc"}},
    {"name": "acme/forked", "version": "dev-fix", "source": {"type": "git", "url": "https://git.example.com/acme/forked.git", "reference": "0123456789abcdef0123456789abcdef01234567"}}
  ]
}"#;
    let catalog = common::catalog_text("composer.lock", lock).expect("parses");
    assert_eq!(
        component(&catalog, "pkg:composer/acme/local@dev-main").source,
        Source::Path {
            path: "../packages/local".to_owned()
        }
    );
    assert_eq!(
        component(&catalog, "pkg:composer/acme/forked@dev-fix").source,
        Source::Git {
            url: "https://git.example.com/acme/forked.git".to_owned(),
            reference: Some("0123456789abcdef0123456789abcdef01234567".to_owned()),
        }
    );
}

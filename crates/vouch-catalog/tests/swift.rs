//! Package.resolved and Podfile.lock catalogers against the osv-scalibr and osv-scanner
//! fixtures.

mod common;

use common::{catalog_fixture as run, purls};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{Hash, HashAlgorithm, RelationshipKind, Source};

const RESOLVED: &str =
    "osv-scalibr-testdata/extractor/filesystem/language/swift/packageresolved/testdata";
const PODS: &str = "osv-scalibr-testdata/extractor/filesystem/language/swift/podfilelock/testdata";
const LOCKS: &str = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-scalibr";

#[test]
fn package_resolved_v2_pins_are_swift_url_packages() {
    let Some(result) = run(&format!("{RESOLVED}/valid"), "Package.resolved") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:swift/github.com/apple/swift-algorithms@1.0.0",
            "pkg:swift/github.com/apple/swift-async-algorithms@0.1.0",
            "pkg:swift/github.com/apple/swift-atomics@1.1.0",
        ]
    );
    let first = &catalog.components[0];
    // The line of the pin's location URL.
    assert_eq!(first.locations[0].line, Some(6));
    assert_eq!(first.source, Source::Registry { url: None });
    assert_eq!(
        first.properties.get("swift:revision").map(String::as_str),
        Some("b14b7f4c528c942f121c8b860b9410b2bf57825e")
    );
    assert!(catalog.warnings.is_empty());

    for (fixture, expected) in [
        (
            format!("{RESOLVED}/cve-packages"),
            vec![
                "pkg:swift/github.com/apple/swift-crypto@3.0.0",
                "pkg:swift/github.com/apple/swift-nio@2.65.0",
                "pkg:swift/github.com/apple/swift-nio-http2@1.29.0",
            ],
        ),
        (
            format!("{LOCKS}/Package.resolved"),
            vec![
                "pkg:swift/github.com/apple/swift-nio-http2@1.19.1",
                "pkg:swift/github.com/pytorch/executorch@0.6.0",
            ],
        ),
    ] {
        let Some(result) = run(&fixture, "Package.resolved") else {
            return;
        };
        assert_eq!(purls(&result.expect("parses")), expected, "{fixture}");
    }
}

#[test]
fn package_resolved_v1_and_branch_pins() {
    let contents = r#"{
  "object": {
    "pins": [
      {
        "package": "Alamofire",
        "repositoryURL": "https://github.com/Alamofire/Alamofire.git",
        "state": { "branch": null, "revision": "f96b619bcb2383b43d898402283924b80e2c4bae", "version": "5.4.3" }
      },
      {
        "package": "Nimble",
        "repositoryURL": "git@github.com:Quick/Nimble.git",
        "state": { "branch": "main", "revision": "1f3bde57bde12f5e7b07909848c071e9b73d6edc", "version": null }
      }
    ]
  },
  "version": 1
}"#;
    let catalog = common::catalog_text("Package.resolved", contents).expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            "pkg:swift/github.com/Quick/Nimble",
        ]
    );
    assert_eq!(
        catalog.components[1].source,
        Source::Git {
            url: "git@github.com:Quick/Nimble.git".to_owned(),
            reference: Some("1f3bde57bde12f5e7b07909848c071e9b73d6edc".to_owned()),
        }
    );
    assert_eq!(catalog.components[1].version, None);
}

#[test]
fn package_resolved_empty_is_empty_and_text_is_an_error() {
    let Some(result) = run(&format!("{RESOLVED}/empty"), "Package.resolved") else {
        return;
    };
    assert_eq!(result.expect("parses"), Catalog::default());
    let Some(result) = run(&format!("{RESOLVED}/invalid"), "Package.resolved") else {
        return;
    };
    assert!(matches!(
        result,
        Err(CatalogError::Parse { line: Some(1), .. })
    ));
}

#[test]
fn podfile_lock_pods_with_subspecs_direct_flags_and_checksums() {
    for fixture in [format!("{PODS}/valid"), format!("{LOCKS}/Podfile.lock")] {
        let Some(result) = run(&fixture, "Podfile.lock") else {
            return;
        };
        let catalog = result.expect("parses");
        assert_eq!(
            purls(&catalog),
            [
                "pkg:cocoapods/GlossButtonNode@3.1.2",
                "pkg:cocoapods/PINCache@3.0.3"
            ]
        );
        let gloss = &catalog.components[0];
        assert_eq!(gloss.direct, Some(true));
        assert_eq!(gloss.locations[0].line, Some(2));
        assert_eq!(
            gloss.hashes,
            [Hash::new(
                HashAlgorithm::Sha1,
                "4ea1197a744f2fb5fb875fe31caf17ded4762e8f"
            )]
        );
        // PINCache is only pulled in, and lists two of its own subspecs.
        let pin_cache = &catalog.components[1];
        assert_eq!(pin_cache.direct, Some(false));
        assert!(pin_cache.properties.is_empty());
        // The fixture is cut down: Texture and friends are required but not in PODS.
        assert!(catalog.relationships.is_empty());
        assert_eq!(
            catalog.warnings,
            [
                format!("{fixture}:2: GlossButtonNode requires Texture, which is not in PODS"),
                format!(
                    "{fixture}:2: GlossButtonNode requires TextureSwiftSupport, which is not in PODS"
                ),
                format!("{fixture}: dependency Reveal-SDK is not in PODS"),
                format!("{fixture}: dependency SwiftGen is not in PODS"),
                format!("{fixture}: dependency Texture is not in PODS"),
                format!("{fixture}: dependency TextureSwiftSupport is not in PODS"),
                format!("{fixture}: dependency TinyConstraints is not in PODS"),
            ]
        );
    }
    let Some(result) = run(&format!("{PODS}/valid2"), "Podfile.lock") else {
        return;
    };
    assert_eq!(
        purls(&result.expect("parses")),
        [
            "pkg:cocoapods/GlossButtonNode@3.1.2",
            "pkg:cocoapods/PINCache@3.0.3",
            "pkg:cocoapods/Reveal-SDK@1.5.0",
            "pkg:cocoapods/SwiftGen@6.0.0",
        ]
    );
}

#[test]
fn podfile_lock_subspecs_merge_into_their_pod_and_external_sources_are_kept() {
    let contents = "PODS:
  - Firebase/Core (10.0.0):
    - FirebaseAnalytics (= 10.0.0)
  - Firebase/Messaging (10.0.0)
  - FirebaseAnalytics (10.0.0)
  - MyKit (0.1.0)
  - Forked (2.0.0)

DEPENDENCIES:
  - Firebase/Core
  - Firebase/Messaging
  - MyKit (from `../MyKit`)
  - Forked (from `https://github.com/me/Forked.git`, branch `main`)

EXTERNAL SOURCES:
  MyKit:
    :path: \"../MyKit\"
  Forked:
    :branch: main
    :git: https://github.com/me/Forked.git

CHECKOUT OPTIONS:
  Forked:
    :commit: 0123456789abcdef0123456789abcdef01234567
    :git: https://github.com/me/Forked.git
";
    let catalog = common::catalog_text("Podfile.lock", contents).expect("parses");
    assert_eq!(
        purls(&catalog),
        [
            "pkg:cocoapods/Firebase@10.0.0",
            "pkg:cocoapods/FirebaseAnalytics@10.0.0",
            "pkg:cocoapods/Forked@2.0.0",
            "pkg:cocoapods/MyKit@0.1.0",
        ]
    );
    assert_eq!(
        catalog.components[0]
            .properties
            .get("cocoapods:subspecs")
            .map(String::as_str),
        Some("Core,Messaging")
    );
    assert_eq!(catalog.components[1].direct, Some(false));
    assert_eq!(
        catalog.components[2].source,
        Source::Git {
            url: "https://github.com/me/Forked.git".to_owned(),
            reference: Some("0123456789abcdef0123456789abcdef01234567".to_owned()),
        }
    );
    assert_eq!(
        catalog.components[3].source,
        Source::Path {
            path: "../MyKit".to_owned()
        }
    );
    assert_eq!(catalog.relationships.len(), 1);
    assert_eq!(catalog.relationships[0].kind, RelationshipKind::DependsOn);
    assert_eq!(
        catalog.relationships[0].to.as_str(),
        "pkg:cocoapods/FirebaseAnalytics@10.0.0"
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn podfile_lock_empty_is_empty_and_plain_text_is_an_error() {
    let Some(result) = run(&format!("{PODS}/empty"), "Podfile.lock") else {
        return;
    };
    assert_eq!(result.expect("parses"), Catalog::default());
    let Some(result) = run(&format!("{PODS}/invalid"), "Podfile.lock") else {
        return;
    };
    let error = result.expect_err("plain text is not a Podfile.lock");
    assert!(
        matches!(error, CatalogError::Parse { line: Some(1), .. }),
        "{error}"
    );
}

#[test]
fn podfile_lock_nested_too_deep_is_an_error_not_a_stack_overflow() {
    let contents = "PODS:\n".to_owned() + &"- ".repeat(5000) + "x\n";
    let error = common::catalog_text("Podfile.lock", &contents).expect_err("too deep");
    assert_eq!(
        error.to_string(),
        "Podfile.lock:2: YAML nested deeper than 128 levels"
    );
}

#[test]
fn package_resolved_v3_local_and_registry_pins() {
    let contents = r#"{
  "originHash" : "4f1f0b5b8e4f3a1f6cf0d7d1b0b0e9f6a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6",
  "pins" : [
    {
      "identity" : "mykit",
      "kind" : "localSourceControl",
      "location" : "/Users/me/src/MyKit",
      "state" : { "revision" : "5b2c1f8e9d0a7b6c5d4e3f2a1b0c9d8e7f6a5b4c", "version" : "1.2.0" }
    },
    {
      "identity" : "mona.linkedlist",
      "kind" : "registry",
      "location" : "",
      "state" : { "version" : "1.1.0" }
    }
  ],
  "version" : 3
}"#;
    let catalog = common::catalog_text("Package.resolved", contents).expect("parses");
    let local = &catalog.components[0];
    assert_eq!(local.name, "MyKit");
    assert_eq!(local.version.as_deref(), Some("1.2.0"));
    assert_eq!(local.purl, None);
    assert_eq!(
        local.source,
        Source::Path {
            path: "/Users/me/src/MyKit".to_owned()
        }
    );
    assert_eq!(
        catalog.components[1].id.as_str(),
        "pkg:swift/mona/linkedlist@1.1.0"
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

//! Gemfile.lock cataloger against the osv-scalibr, osv-scanner and rails fixtures.

mod common;

use common::{component, purl_direct as packages};
use vouch_catalog::{Catalog, CatalogError};
use vouch_model::{ComponentKind, Hash, HashAlgorithm, RelationshipKind, Source};

const SCALIBR: &str =
    "osv-scalibr-testdata/extractor/filesystem/language/ruby/gemfilelock/testdata";

fn catalog(relative: &str) -> Option<Result<Catalog, CatalogError>> {
    common::catalog_fixture(relative, "Gemfile.lock")
}

fn edges(catalog: &Catalog) -> Vec<(String, String)> {
    catalog
        .relationships
        .iter()
        .inspect(|edge| assert_eq!(edge.kind, RelationshipKind::DependsOn))
        .map(|edge| (edge.from.to_string(), edge.to.to_string()))
        .collect()
}

#[test]
fn gems_with_dependency_edges_and_direct_flags() {
    let Some(result) = catalog(&format!("{SCALIBR}/some-gems.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:gem/coderay@1.1.3", Some(false)),
            ("pkg:gem/method_source@1.0.0", Some(false)),
            ("pkg:gem/pry@0.14.1", Some(true)),
        ]
    );
    assert_eq!(
        edges(&catalog),
        [
            (
                "pkg:gem/pry@0.14.1".to_owned(),
                "pkg:gem/coderay@1.1.3".to_owned()
            ),
            (
                "pkg:gem/pry@0.14.1".to_owned(),
                "pkg:gem/method_source@1.0.0".to_owned()
            ),
        ]
    );
    let pry = component(&catalog, "pkg:gem/pry@0.14.1");
    assert_eq!(pry.locations[0].line, Some(6));
    assert_eq!(pry.source, Source::Registry { url: None });
}

#[test]
fn git_sections_give_git_sources_at_their_revision() {
    let Some(result) = catalog(&format!("{SCALIBR}/has-git-gem.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    let controller = "pkg:gem/hanami-controller@2.0.0.alpha1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fhanami%2Fcontroller.git%40027dbe2e56397b534e859fc283990cad1b6addd6";
    let utils = "pkg:gem/hanami-utils@2.0.0.alpha1?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fhanami%2Futils.git%405904fc9a70683b8749aa2861257d0c8c01eae4aa";
    assert_eq!(
        packages(&catalog),
        &[
            ("pkg:gem/concurrent-ruby@1.1.7", Some(false)),
            (controller, Some(false)),
            (utils, Some(true)),
            ("pkg:gem/rack@2.2.3", Some(false)),
            ("pkg:gem/transproc@1.1.1", Some(false)),
        ]
    );
    assert_eq!(
        component(&catalog, utils).source,
        Source::Git {
            url: "https://github.com/hanami/utils.git".to_owned(),
            reference: Some("5904fc9a70683b8749aa2861257d0c8c01eae4aa".to_owned()),
        }
    );
    assert_eq!(
        edges(&catalog),
        [
            (controller.to_owned(), utils.to_owned()),
            (controller.to_owned(), "pkg:gem/rack@2.2.3".to_owned()),
            (utils.to_owned(), "pkg:gem/concurrent-ruby@1.1.7".to_owned()),
            (utils.to_owned(), "pkg:gem/transproc@1.1.1".to_owned()),
        ]
    );
}

#[test]
fn path_sections_and_platform_suffixes() {
    let Some(result) = catalog(&format!("{SCALIBR}/has-local-gem.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 30);
    let backbone = component(&catalog, "pkg:gem/backbone-on-rails@1.2.0.0");
    assert_eq!(
        backbone.source,
        Source::Path {
            path: "vendor/gem/backbone-on-rails".to_owned()
        }
    );
    assert_eq!(backbone.direct, Some(true));
    let nokogiri = component(&catalog, "pkg:gem/nokogiri@1.13.3?platform=x86_64-linux");
    assert_eq!(nokogiri.version.as_deref(), Some("1.13.3"));
    assert_eq!(nokogiri.direct, Some(false));
    assert!(edges(&catalog).contains(&(
        "pkg:gem/loofah@2.14.0".to_owned(),
        "pkg:gem/nokogiri@1.13.3?platform=x86_64-linux".to_owned()
    )));
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn scalibr_fixture_counts_and_direct_dependencies() {
    let cases: [(&str, usize, &[&str]); 7] = [
        ("one-gem.lock", 1, &["ast"]),
        ("source-section-at-end.lock", 1, &["ast"]),
        ("multiple-gems.lock", 6, &["bundler-audit", "dotenv", "pry"]),
        ("rubocop.lock", 10, &["rubocop"]),
        ("rails.lock", 46, &["rails"]),
        ("no-gems.lock", 0, &[]),
        ("no-spec-section.lock", 0, &[]),
    ];
    for (file, count, direct) in cases {
        let Some(result) = catalog(&format!("{SCALIBR}/{file}")) else {
            return;
        };
        let catalog = result.unwrap_or_else(|error| panic!("{file}: {error}"));
        assert_eq!(catalog.components.len(), count, "{file}");
        let found: Vec<&str> = catalog
            .components
            .iter()
            .filter(|component| component.direct == Some(true))
            .map(|component| component.name.as_str())
            .collect();
        assert_eq!(found, direct, "{file}");
        assert!(
            catalog.warnings.is_empty(),
            "{file}: {:?}",
            catalog.warnings
        );
    }
}

#[test]
fn lockfile_without_sources_is_empty() {
    let Some(result) = catalog(&format!("{SCALIBR}/no-gem-section.lock")) else {
        return;
    };
    assert_eq!(result.expect("parses"), Catalog::default());
}

#[test]
fn spec_without_version_is_skipped_with_a_warning() {
    let Some(result) = catalog(&format!("{SCALIBR}/invalid.lock")) else {
        return;
    };
    let catalog = result.expect("parses");
    assert!(catalog.components.is_empty());
    assert_eq!(
        catalog.warnings,
        ["line 4: skipped spec `invalid-name`: no version in parentheses"]
    );
}

#[test]
fn gems_locked_with_parent_path_gem_and_platform_variants() {
    let Some(result) = catalog(
        "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-scalibr/gems.locked",
    ) else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 26);
    let rubydns = component(&catalog, "pkg:gem/rubydns@2.0.2");
    assert_eq!(
        rubydns.source,
        Source::Path {
            path: "..".to_owned()
        }
    );
    assert_eq!(rubydns.direct, Some(true));
    // `nokogiri` in DEPENDENCIES covers every platform variant; both depend on racc.
    for platform in ["arm64-darwin", "x86_64-linux-gnu"] {
        let id = format!("pkg:gem/nokogiri@1.18.2?platform={platform}");
        assert_eq!(component(&catalog, &id).direct, Some(true));
        assert!(edges(&catalog).contains(&(id, "pkg:gem/racc@1.8.1".to_owned())));
    }
}

#[test]
fn rails_repository_lockfile() {
    let Some(result) = catalog("big-lockfiles/rails/Gemfile.lock") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 264);
    // 82 DEPENDENCIES entries; gems locked for several platforms count once per platform.
    assert_eq!(
        catalog
            .components
            .iter()
            .filter(|component| component.direct == Some(true))
            .count(),
        96
    );
    let rails = component(&catalog, "pkg:gem/rails@8.2.0.alpha");
    assert_eq!(rails.kind, ComponentKind::Application);
    assert_eq!(rails.source, Source::Workspace);
    assert_eq!(rails.direct, Some(true));
    let releaser = component(&catalog, "pkg:gem/releaser@1.0.0");
    assert_eq!(
        releaser.source,
        Source::Path {
            path: "tools/releaser".to_owned()
        }
    );
    let trix = component(&catalog, "pkg:gem/action_text-trix@2.1.16");
    assert_eq!(
        trix.hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "f645a2c21821b8449fd1d6770708f4031c91a2eedf9ef476e9be93c64e703a8a"
        )]
    );
    assert!(
        component(&catalog, "pkg:gem/actioncable@8.2.0.alpha")
            .hashes
            .is_empty()
    );
}

fn catalog_text(contents: &str) -> Result<Catalog, CatalogError> {
    common::catalog_text("gems.locked", contents)
}

#[test]
fn other_gem_servers_plugin_sources_and_platform_checksums() {
    let lock = "\
GEM
  remote: https://gems.example.com/
  specs:
    internal (1.0.0)

PLUGIN SOURCE
  remote: s3://bucket/gems
  type: aws-s3
  specs:
    private (2.0.0)

GEM
  remote: https://rubygems.org/
  specs:
    ffi (1.17.1-x86_64-linux-gnu)

DEPENDENCIES
  ffi
  internal!

CHECKSUMS
  ffi (1.17.1-x86_64-linux-gnu) sha256=3F6E9C2A1B3D5E7F9A1B3C5D7E9F1A3B5C7D9E1F3A5B7C9D1E3F5A7B9C1D3E5F
  internal (1.0.0)

FUTURE SECTION
  something
";
    let catalog = catalog_text(lock).expect("parses");
    let internal = "pkg:gem/internal@1.0.0?repository_url=https:%2F%2Fgems.example.com%2F";
    let private = "pkg:gem/private@2.0.0?repository_url=s3:%2F%2Fbucket%2Fgems";
    let ffi = "pkg:gem/ffi@1.17.1?platform=x86_64-linux-gnu";
    assert_eq!(
        packages(&catalog),
        &[
            (ffi, Some(true)),
            (internal, Some(true)),
            (private, Some(false)),
        ]
    );
    assert_eq!(
        component(&catalog, private).source,
        Source::Registry {
            url: Some("s3://bucket/gems".to_owned())
        }
    );
    assert_eq!(
        component(&catalog, ffi).hashes,
        [Hash::new(
            HashAlgorithm::Sha256,
            "3f6e9c2a1b3d5e7f9a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3f5a7b9c1d3e5f"
        )]
    );
    assert!(component(&catalog, internal).hashes.is_empty());
    assert_eq!(
        catalog.warnings,
        ["line 25: skipped unknown section `FUTURE SECTION`"]
    );
}

#[test]
fn unexpected_indentation_in_a_source_section_is_an_error() {
    let error = catalog_text("GEM\n  specs:\n        deep (1.0)\n")
        .expect_err("eight spaces")
        .to_string();
    assert_eq!(
        error,
        "gems.locked:3: unexpected indentation of 8 spaces in a source section"
    );
}

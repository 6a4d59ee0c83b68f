//! The JavaScript catalogers against real lockfiles: osv-scalibr's and osv-scanner's fixtures
//! and three large projects. Expectations are read off the fixtures themselves.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use common::{MemoryFiles, component, edges};
use vouch_catalog::{Catalog, CatalogError, Input, catalog_file, cataloger_for};
use vouch_model::{Hash, HashAlgorithm, RelationshipKind, Scope, Source};

const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/javascript";

/// Catalogs a fixture as if it were called `as_name` in a directory `project/`.
fn load(relative: &str, as_name: &str) -> Option<Result<Catalog, CatalogError>> {
    let path = vouch_test_support::data_path(relative)?;
    Some(catalog_path(&path, as_name))
}

fn catalog_path(path: &Path, as_name: &str) -> Result<Catalog, CatalogError> {
    catalog_file(
        common::cataloger(as_name).as_ref(),
        path,
        &format!("project/{as_name}"),
    )
}

/// Catalogs a fixture with `files` standing in for the files beside it.
fn catalog_with(relative: &str, as_name: &str, files: &[(&str, &str)]) -> Option<Catalog> {
    let path = vouch_test_support::data_path(relative)?;
    let contents = std::fs::read_to_string(path).expect("fixture is readable");
    let files = MemoryFiles::from(files);
    let display = format!("project/{as_name}");
    Some(common::catalog_text_as(as_name, &display, &contents, &files).expect("fixture catalogs"))
}

/// Catalogs `relative` of osv-scalibr's `directory` fixtures, which must parse, as `as_name`.
fn scalibr_fixture(directory: &str, relative: &str, as_name: &str) -> Option<Catalog> {
    load(
        &format!("{SCALIBR}/{directory}/testdata/{relative}"),
        as_name,
    )
    .map(|result| result.expect("catalogs"))
}

/// `(id, version, scope, direct, first line)` of every component, sorted by id.
type Row = (String, Option<String>, Scope, Option<bool>, Option<u32>);

fn rows(catalog: &Catalog) -> Vec<Row> {
    common::sorted_by(catalog, |component| {
        (
            component.id.to_string(),
            component.version.clone(),
            component.scope,
            component.direct,
            component
                .locations
                .first()
                .and_then(|location| location.line),
        )
    })
}

fn row(id: &str, version: Option<&str>, scope: Scope, direct: Option<bool>, line: u32) -> Row {
    (
        id.to_owned(),
        version.map(str::to_owned),
        scope,
        direct,
        Some(line),
    )
}

fn edge(from: &str, kind: RelationshipKind, to: &str) -> (String, RelationshipKind, String) {
    (from.to_owned(), kind, to.to_owned())
}

/// Every relationship must join two emitted components.
fn assert_edges_closed(catalog: &Catalog) {
    for relationship in &catalog.relationships {
        for end in [&relationship.from, &relationship.to] {
            assert!(
                catalog
                    .components
                    .iter()
                    .any(|component| &component.id == end),
                "dangling relationship end {end}"
            );
        }
    }
}

use RelationshipKind::{DependsOn, DevDependsOn, OptionalDependsOn, PeerDependsOn};
use Scope::{Dev, Optional, Peer, Required};

// ---------------------------------------------------------------------------------------------
// package-lock.json

#[test]
fn package_lock_v2_alias_names_the_real_package() {
    let Some(result) = load(
        &format!("{SCALIBR}/packagelockjson/testdata/alias.v2.json"),
        "package-lock.json",
    ) else {
        return;
    };
    let catalog = result.expect("catalogs");
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/%40babel/code-frame@7.0.0",
                Some("7.0.0"),
                Required,
                Some(true),
                13
            ),
            row(
                "pkg:npm/string-width@4.2.0",
                Some("4.2.0"),
                Required,
                Some(true),
                32
            ),
            row(
                "pkg:npm/string-width@5.1.2",
                Some("5.1.2"),
                Required,
                Some(true),
                22
            ),
            row("workspace:.", None, Required, None, 6),
        ]
    );
    let project = component(&catalog, "workspace:.");
    assert_eq!(project.name, "my-library");
    assert_eq!(project.kind, vouch_model::ComponentKind::Application);
    assert_eq!(project.source, Source::Workspace);
    let code_frame = component(&catalog, "pkg:npm/%40babel/code-frame@7.0.0");
    assert_eq!(code_frame.group.as_deref(), Some("@babel"));
    assert_eq!(code_frame.name, "code-frame");
    assert_eq!(
        code_frame.hashes,
        vec![Hash::new(
            HashAlgorithm::Sha512,
            "39f0b6b9e99a9275ebf3b6dd2d4916a20ee762e96233d223e4751c6a3b1570c0a942b70b9adc516d515322a99c4a449e611045051c6cd85894a852432dd89e6c"
        )]
    );
    assert_eq!(
        code_frame.download_url.as_deref(),
        Some("https://registry.npmjs.org/@babel/code-frame/-/code-frame-7.0.0.tgz")
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge(
                "workspace:.",
                DependsOn,
                "pkg:npm/%40babel/code-frame@7.0.0"
            ),
            edge("workspace:.", DependsOn, "pkg:npm/string-width@4.2.0"),
            edge("workspace:.", DependsOn, "pkg:npm/string-width@5.1.2"),
        ]
    );
}

#[test]
fn package_lock_v2_same_package_at_many_paths_is_one_component() {
    let Some(result) = load(
        &format!("{SCALIBR}/packagelockjson/testdata/same-package-different-groups.v2.json"),
        "package-lock.json",
    ) else {
        return;
    };
    let catalog = result.expect("catalogs");
    // ajv 5.5.2 is installed five times: dev, dev, optional, plain and devOptional. Needed at
    // run time under `table`, so required.
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/ajv@5.5.2",
                Some("5.5.2"),
                Required,
                Some(false),
                10
            ),
            row("pkg:npm/eslint@1.2.3", Some("1.2.3"), Dev, Some(false), 22),
            row(
                "pkg:npm/table@1.0.0",
                Some("1.0.0"),
                Required,
                Some(false),
                50
            ),
            row("workspace:.", None, Required, None, 6),
        ]
    );
    let lines: Vec<_> = component(&catalog, "pkg:npm/ajv@5.5.2")
        .locations
        .iter()
        .map(|location| location.line)
        .collect();
    assert_eq!(
        lines,
        vec![Some(10), Some(26), Some(38), Some(53), Some(64)]
    );
    // The project declares no dependencies; ajv's own are not in this trimmed lock.
    assert_eq!(edges(&catalog), vec![]);
}

#[test]
fn package_lock_v2_file_directory_and_git_packages() {
    let Some(result) = load(
        &format!("{SCALIBR}/packagelockjson/testdata/files.v2.json"),
        "package-lock.json",
    ) else {
        return;
    };
    let catalog = result.expect("catalogs");
    assert_eq!(
        rows(&catalog),
        vec![
            row("etag@path:deps/etag", Some("1.8.0"), Dev, Some(true), 16),
            row("pkg:npm/abbrev@1.0.9", Some("1.0.9"), Dev, Some(false), 36),
            row("pkg:npm/abbrev@2.3.4", Some("2.3.4"), Dev, Some(false), 42),
            row("workspace:.", None, Required, None, 5),
        ]
    );
    let etag = component(&catalog, "etag@path:deps/etag");
    assert_eq!(
        etag.source,
        Source::Path {
            path: "deps/etag".to_owned()
        }
    );
    assert_eq!(
        etag.hashes,
        vec![Hash::new(
            HashAlgorithm::Sha1,
            "6f631aef336d6c46362b51764044ce216be3c051"
        )]
    );
    // The project is named after its directory, which the lock leaves unnamed.
    assert_eq!(component(&catalog, "workspace:.").name, "project");
    assert_eq!(
        edges(&catalog),
        vec![edge("workspace:.", DevDependsOn, "etag@path:deps/etag")]
    );
    // chalk, lodash and stopwords are declared but not installed in this trimmed lock.
    assert_eq!(catalog.warnings.len(), 3, "{:?}", catalog.warnings);

    let Some(result) = catalog_opt(&format!(
        "{SCALIBR}/packagelockjson/testdata/commits.v2.json"
    )) else {
        return;
    };
    let catalog = result.expect("catalogs");
    let raven = component(
        &catalog,
        "pkg:npm/raven-js?vcs_url=git%2Bssh:%2F%2Fgit%40github.com%2Fgetsentry%2Fraven-js.git%40c2b377e7a254264fd4a1fe328e4e3cfc9e245570",
    );
    assert_eq!(
        raven.version, None,
        "the lock records no version for raven-js"
    );
    assert_eq!(
        raven.source,
        Source::Git {
            url: "git+ssh://git@github.com/getsentry/raven-js.git".to_owned(),
            reference: Some("c2b377e7a254264fd4a1fe328e4e3cfc9e245570".to_owned()),
        }
    );
    // 13 install paths (root excluded), each a distinct git commit or registry package, plus
    // the project.
    assert_eq!(catalog.components.len(), 15);
    let dev = catalog
        .components
        .iter()
        .filter(|component| component.scope == Dev)
        .count();
    assert_eq!(dev, 10);
}

fn catalog_opt(relative: &str) -> Option<Result<Catalog, CatalogError>> {
    load(relative, "package-lock.json")
}

#[test]
fn package_lock_v1_resolves_nested_requirements() {
    let Some(result) = catalog_opt(&format!(
        "{SCALIBR}/packagelockjson/testdata/nested-dependencies.v1.json"
    )) else {
        return;
    };
    let catalog = result.expect("catalogs");
    // Version 1 does not say what the project depends on directly, and there is no package.json.
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/postcss-calc@7.0.1",
                Some("7.0.1"),
                Required,
                None,
                15
            ),
            row("pkg:npm/postcss@6.0.23", Some("6.0.23"), Required, None, 5),
            row("pkg:npm/postcss@7.0.16", Some("7.0.16"), Required, None, 26),
            row(
                "pkg:npm/supports-color@5.5.0",
                Some("5.5.0"),
                Required,
                None,
                46
            ),
            row(
                "pkg:npm/supports-color@6.1.0",
                Some("6.1.0"),
                Required,
                None,
                36
            ),
            row("workspace:.", None, Required, None, 1),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge(
                "pkg:npm/postcss-calc@7.0.1",
                DependsOn,
                "pkg:npm/postcss@7.0.16"
            ),
            edge(
                "pkg:npm/postcss@6.0.23",
                DependsOn,
                "pkg:npm/supports-color@5.5.0"
            ),
            edge(
                "pkg:npm/postcss@7.0.16",
                DependsOn,
                "pkg:npm/supports-color@6.1.0"
            ),
        ]
    );
}

#[test]
fn package_lock_v1_reads_direct_dependencies_from_package_json() {
    let manifest = r#"{"name": "app", "version": "2.0.0",
        "dependencies": {"postcss-calc": "^7.0.0"}, "devDependencies": {"postcss": "^6.0.0"}}"#;
    let Some(catalog) = catalog_with(
        &format!("{SCALIBR}/packagelockjson/testdata/nested-dependencies.v1.json"),
        "package-lock.json",
        &[("package.json", manifest)],
    ) else {
        return;
    };
    let project = component(&catalog, "workspace:.");
    assert_eq!(
        (project.name.as_str(), project.version.as_deref()),
        ("app", Some("2.0.0"))
    );
    let direct: Vec<_> = rows(&catalog)
        .into_iter()
        .filter(|row| row.3 == Some(true))
        .map(|row| row.0)
        .collect();
    assert_eq!(
        direct,
        vec!["pkg:npm/postcss-calc@7.0.1", "pkg:npm/postcss@6.0.23"]
    );
    assert!(edges(&catalog).contains(&edge("workspace:.", DevDependsOn, "pkg:npm/postcss@6.0.23")));
}

#[test]
fn package_lock_v1_alias_and_git_versions() {
    let Some(result) = catalog_opt(&format!("{SCALIBR}/packagelockjson/testdata/alias.v1.json"))
    else {
        return;
    };
    let ids: Vec<_> = rows(&result.expect("catalogs"))
        .into_iter()
        .map(|row| row.0)
        .collect();
    assert_eq!(
        ids,
        vec![
            "pkg:npm/%40babel/code-frame@7.0.0",
            "pkg:npm/string-width@4.2.0",
            "pkg:npm/string-width@5.1.2",
            "workspace:.",
        ]
    );
    let Some(result) = catalog_opt(&format!(
        "{SCALIBR}/packagelockjson/testdata/commits.v1.json"
    )) else {
        return;
    };
    let catalog = result.expect("catalogs");
    // v1 git dependencies carry the repository in `version`: no release version is invented.
    let git: Vec<_> = catalog
        .components
        .iter()
        .filter(|component| matches!(component.source, Source::Git { .. }))
        .map(|component| (component.name.as_str(), component.version.as_deref()))
        .collect();
    assert!(git.iter().all(|(_, version)| version.is_none()), "{git:?}");
    // 13 entries have a git `version` (`git+ssh:`, `git+https:`, `git:`, `github:`, `gitlab:`).
    assert_eq!(git.len(), 13);
}

#[test]
fn package_lock_shrinkwrap_and_invalid_files() {
    let Some(result) = load(
        &format!("{SCALIBR}/packagelockjson/testdata/npm-shrinkwrap-only/npm-shrinkwrap.json"),
        "npm-shrinkwrap.json",
    ) else {
        return;
    };
    assert!(result.is_ok());
    let Some(Err(error)) = catalog_opt(&format!("{SCALIBR}/packagelockjson/testdata/not-json.txt"))
    else {
        panic!("not-json.txt must fail");
    };
    assert!(
        error
            .to_string()
            .starts_with("project/package-lock.json:1: not valid JSON"),
        "{error}"
    );
    let Some(Err(error)) = catalog_opt(&format!(
        "{SCALIBR}/packagelockjson/testdata/null.v2.jsontest"
    )) else {
        panic!("null must fail");
    };
    assert!(
        error.to_string().contains("must be a JSON object"),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// yarn.lock

fn yarn(relative: &str) -> Option<Catalog> {
    scalibr_fixture("yarnlock", relative, "yarn.lock")
}

#[test]
fn yarn_classic_aliases_hashes_and_no_manifest() {
    let Some(catalog) = yarn("with-aliases.v1.lock") else {
        return;
    };
    // Without package.json nothing says what is direct.
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                Some("7.22.20"),
                Required,
                None,
                15
            ),
            row("pkg:npm/ansi-regex@5.0.1", Some("5.0.1"), Required, None, 5),
            row(
                "pkg:npm/ansi-regex@6.0.1",
                Some("6.0.1"),
                Required,
                None,
                10
            ),
        ]
    );
    let ansi_regex = component(&catalog, "pkg:npm/ansi-regex@5.0.1");
    assert_eq!(
        ansi_regex.hashes,
        vec![
            Hash::new(
                HashAlgorithm::Sha512,
                "aae2505e54d25062f62c7f52517a3c570b18e2ca1a9e1828e8b3529bce04d4b05c13cb373b4c29762473c91f73fd9649325316bf7eea38e6fda5d26531410a15"
            ),
            Hash::new(
                HashAlgorithm::Sha1,
                "082cb2c89c9fe8659a311a53bd6a4dc5301db304"
            ),
        ]
    );
    assert_eq!(
        ansi_regex.download_url.as_deref(),
        Some("https://registry.yarnpkg.com/ansi-regex/-/ansi-regex-5.0.1.tgz")
    );
}

#[test]
fn yarn_classic_reads_direct_and_dev_from_package_json() {
    let manifest = r#"{"name": "app", "version": "1.0.0",
        "dependencies": {"ansi-regex": "^6.0.0"},
        "optionalDependencies": {"ansi-regex-cjs": "npm:ansi-regex@^5.0.0"},
        "devDependencies": {"babel-hvi": "npm:@babel/helper-validator-identifier@^7.0.0"}}"#;
    let Some(catalog) = catalog_with(
        &format!("{SCALIBR}/yarnlock/testdata/with-aliases.v1.lock"),
        "yarn.lock",
        &[("package.json", manifest)],
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                Some("7.22.20"),
                Dev,
                Some(true),
                15
            ),
            row(
                "pkg:npm/ansi-regex@5.0.1",
                Some("5.0.1"),
                Optional,
                Some(true),
                5
            ),
            row(
                "pkg:npm/ansi-regex@6.0.1",
                Some("6.0.1"),
                Required,
                Some(true),
                10
            ),
            (
                "workspace:.".to_owned(),
                Some("1.0.0".to_owned()),
                Required,
                None,
                None
            ),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge("workspace:.", DependsOn, "pkg:npm/ansi-regex@6.0.1"),
            edge(
                "workspace:.",
                DevDependsOn,
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20"
            ),
            edge("workspace:.", OptionalDependsOn, "pkg:npm/ansi-regex@5.0.1"),
        ]
    );
}

#[test]
fn yarn_classic_workspace_members_leave_direct_unknown() {
    let manifest = r#"{"private": true, "workspaces": ["packages/*"],
        "dependencies": {"ansi-regex": "^6.0.0"}}"#;
    let Some(catalog) = catalog_with(
        &format!("{SCALIBR}/yarnlock/testdata/with-aliases.v1.lock"),
        "yarn.lock",
        &[("package.json", manifest)],
    ) else {
        return;
    };
    let direct: Vec<_> = rows(&catalog)
        .into_iter()
        .map(|row| (row.0, row.3))
        .collect();
    assert_eq!(
        direct,
        vec![
            (
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20".to_owned(),
                None
            ),
            ("pkg:npm/ansi-regex@5.0.1".to_owned(), None),
            ("pkg:npm/ansi-regex@6.0.1".to_owned(), Some(true)),
            ("workspace:.".to_owned(), None),
        ]
    );
    // The unnamed project takes its directory's name.
    assert_eq!(component(&catalog, "workspace:.").name, "project");
    assert_eq!(catalog.warnings.len(), 1, "{:?}", catalog.warnings);
}

#[test]
fn yarn_classic_file_link_and_git_sources() {
    let Some(catalog) = yarn("files.v1.lock") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row("etag@path:deps/etag", Some("1.8.0"), Required, None, 27),
            row(
                "filedep@path:../../correct/path/filedep",
                Some("1.2.0"),
                Required,
                None,
                9
            ),
            row(
                "other_package@path:deps/other_package",
                Some("0.0.2"),
                Required,
                None,
                16
            ),
            row("pkg:npm/etag@1.8.1", Some("1.8.1"), Required, None, 5),
            row("pkg:npm/lodash@1.3.1", Some("1.3.1"), Required, None, 12),
            row(
                "sprintf-js@path:mocks/sprintf-js",
                Some("0.0.0"),
                Required,
                None,
                24
            ),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge(
                "other_package@path:deps/other_package",
                DependsOn,
                "pkg:npm/lodash@1.3.1"
            ),
            edge(
                "other_package@path:deps/other_package",
                OptionalDependsOn,
                "pkg:npm/etag@1.8.1"
            ),
        ]
    );

    let Some(catalog) = yarn("commits.v1.lock") else {
        return;
    };
    // 18 entries; the two `mine4` entries resolve to different commits, so all are distinct.
    assert_eq!(catalog.components.len(), 18);
    let mine2 = catalog
        .components
        .iter()
        .find(|component| component.name == "mine2")
        .expect("mine2");
    assert_eq!(
        mine2.source,
        Source::Git {
            url: "https://github.com/G-Rath/npm-git-repo-2".to_owned(),
            reference: Some("0a2d2506c1fe299691fc5db53a2097db3bd615bc".to_owned()),
        }
    );
    assert!(
        catalog
            .components
            .iter()
            .all(|component| !component.source.is_registry()),
        "every commits.v1.lock entry is a git or tarball package"
    );
}

#[test]
fn yarn_classic_malformed_lines_are_errors_with_lines() {
    let input = Input {
        path: "yarn.lock",
        contents: "a@^1:\n  version \"1.0.0\"\n   odd indentation\n",
        files: &vouch_catalog::NoFiles,
    };
    let cataloger = cataloger_for("yarn.lock").expect("yarn cataloger");
    let error = cataloger
        .catalog(&input)
        .expect_err("three-space indentation is malformed");
    assert_eq!(error.to_string(), "yarn.lock:3: unexpected indentation");
    let empty = Input {
        contents: "# yarn lockfile v1\n\n",
        ..input
    };
    assert_eq!(
        cataloger.catalog(&empty).expect("comments only").components,
        vec![]
    );
}

#[test]
fn yarn_berry_workspaces_are_projects() {
    let Some(catalog) = yarn("exclude-root.v2.lock") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/ansi-regex@6.1.0",
                Some("6.1.0"),
                Required,
                Some(true),
                16
            ),
            row("workspace:.", None, Required, None, 23),
            row("workspace:ansi-regex", None, Required, None, 8),
        ]
    );
    assert_eq!(
        component(&catalog, "workspace:ansi-regex").name,
        "ansi-regex"
    );
    assert_eq!(
        component(&catalog, "workspace:ansi-regex").group.as_deref(),
        Some("@ws")
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge("workspace:.", DependsOn, "pkg:npm/ansi-regex@6.1.0"),
            edge("workspace:.", DependsOn, "workspace:ansi-regex"),
            edge(
                "workspace:ansi-regex",
                DependsOn,
                "pkg:npm/ansi-regex@6.1.0"
            ),
        ]
    );
    // Yarn's checksum digests its cache archive, not the registry tarball.
    let ansi_regex = component(&catalog, "pkg:npm/ansi-regex@6.1.0");
    assert!(ansi_regex.hashes.is_empty());
    assert_eq!(
        ansi_regex
            .properties
            .get("yarn:checksum")
            .map(String::as_str),
        Some(
            "10c0/a91daeddd54746338478eef88af3439a7edf30f8e23196e2d6ed182da9add559c601266dbef01c2efa46a958ad6f1f8b176799657616c702b5b02e799e7fd8dc"
        )
    );
}

#[test]
fn yarn_berry_dev_dependencies_come_from_package_json() {
    let manifest = r#"{"name": "mine", "version": "3.0.0",
        "dependencies": {"ansi-regex": "^6.0.0"},
        "devDependencies": {"babel-hvi": "npm:@babel/helper-validator-identifier@^7.0.0",
                            "ansi-regex-cjs": "npm:ansi-regex@^5.0.0"}}"#;
    let Some(catalog) = catalog_with(
        &format!("{SCALIBR}/yarnlock/testdata/with-aliases.v2.lock"),
        "yarn.lock",
        &[("package.json", manifest)],
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/%40babel/helper-validator-identifier@7.22.20",
                Some("7.22.20"),
                Dev,
                Some(true),
                22
            ),
            row(
                "pkg:npm/ansi-regex@5.0.1",
                Some("5.0.1"),
                Dev,
                Some(true),
                8
            ),
            row(
                "pkg:npm/ansi-regex@6.0.1",
                Some("6.0.1"),
                Required,
                Some(true),
                15
            ),
            row("workspace:.", Some("3.0.0"), Required, None, 29),
        ]
    );
}

#[test]
fn yarn_berry_git_and_file_resolutions() {
    let Some(catalog) = yarn("commits.v2.lock") else {
        return;
    };
    assert_eq!(catalog.components.len(), 7);
    let typegoose = catalog
        .components
        .iter()
        .find(|component| component.name == "typegoose")
        .expect("typegoose");
    assert_eq!(
        typegoose.source,
        Source::Git {
            url: "https://github.com/typegoose/typegoose.git".to_owned(),
            reference: Some("3ed06e5097ab929f69755676fee419318aaec73a".to_owned()),
        }
    );
    let Some(catalog) = yarn("files.v2.lock") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![row(
            "my-package@path:../../deps/my-local-package",
            Some("0.0.2"),
            Required,
            None,
            8
        )]
    );
    let Some(catalog) = yarn("metadata-only.v2.lock") else {
        return;
    };
    assert_eq!(catalog.components, vec![]);
}

// ---------------------------------------------------------------------------------------------
// pnpm-lock.yaml

fn pnpm(relative: &str) -> Option<Catalog> {
    scalibr_fixture("pnpmlock", relative, "pnpm-lock.yaml")
}

#[test]
fn pnpm_dependency_groups_in_each_lockfile_version() {
    // 5.4 says `dev: true` / `optional: true`; 9.0 only lists the importer's groups, so the
    // scopes come from the graph. Both must agree.
    // The project is the top level of a 5.4 lock (line 1) and the `.` importer in 9.0.
    for (file, lines) in [
        ("mixed-groups.v54.yaml", [19, 24, 29, 1]),
        ("mixed-groups.v9.yaml", [25, 29, 33, 9]),
    ] {
        let Some(catalog) = pnpm(file) else { return };
        assert_eq!(
            rows(&catalog),
            vec![
                row(
                    "pkg:npm/ansi-regex@5.0.1",
                    Some("5.0.1"),
                    Required,
                    Some(true),
                    lines[0]
                ),
                row(
                    "pkg:npm/is-number@7.0.0",
                    Some("7.0.0"),
                    Dev,
                    Some(true),
                    lines[1]
                ),
                row(
                    "pkg:npm/uuid@8.3.2",
                    Some("8.3.2"),
                    Optional,
                    Some(true),
                    lines[2]
                ),
                row("workspace:.", None, Required, None, lines[3]),
            ],
            "{file}"
        );
        assert_eq!(
            edges(&catalog),
            vec![
                edge("workspace:.", DependsOn, "pkg:npm/ansi-regex@5.0.1"),
                edge("workspace:.", DevDependsOn, "pkg:npm/is-number@7.0.0"),
                edge("workspace:.", OptionalDependsOn, "pkg:npm/uuid@8.3.2"),
            ],
            "{file}"
        );
    }
}

#[test]
fn pnpm_v6_peer_variants_resolve() {
    let Some(catalog) = pnpm("peer-dependencies-advanced-v6.yaml") else {
        return;
    };
    let canary = "18.3.0-canary-ab31a9ed2-20230824";
    let react = format!("pkg:npm/react@{canary}");
    let react_dom = format!("pkg:npm/react-dom@{canary}");
    let scheduler = "pkg:npm/scheduler@0.24.0-canary-ab31a9ed2-20230824";
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/js-tokens@4.0.0",
                Some("4.0.0"),
                Required,
                Some(false),
                14
            ),
            row(
                "pkg:npm/loose-envify@1.4.0",
                Some("1.4.0"),
                Required,
                Some(false),
                18
            ),
            row(&react_dom, Some(canary), Required, Some(true), 25),
            row(&react, Some(canary), Required, Some(false), 35),
            row(
                scheduler,
                Some("0.24.0-canary-ab31a9ed2-20230824"),
                Required,
                Some(false),
                42
            ),
            row("workspace:.", None, Required, None, 1),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge(
                "pkg:npm/loose-envify@1.4.0",
                DependsOn,
                "pkg:npm/js-tokens@4.0.0"
            ),
            edge(&react_dom, DependsOn, "pkg:npm/loose-envify@1.4.0"),
            edge(&react_dom, DependsOn, &react),
            edge(&react_dom, DependsOn, scheduler),
            edge(&react, DependsOn, "pkg:npm/loose-envify@1.4.0"),
            edge(scheduler, DependsOn, "pkg:npm/loose-envify@1.4.0"),
            edge("workspace:.", DependsOn, &react_dom),
        ]
    );
}

#[test]
fn pnpm_v5_exotic_keys_and_local_packages() {
    let Some(catalog) = pnpm("exotic.yaml") else {
        return;
    };
    let packages: Vec<_> = catalog
        .components
        .iter()
        .filter(|component| component.id.as_str() != "workspace:.")
        .map(|component| {
            (
                component.qualified_name(),
                component.version.clone().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        packages,
        [
            ("foo", "1.0.0"),
            ("@foo/bar", "1.0.0"),
            ("foo", "1.1.0"),
            ("@foo/bar", "1.1.0"),
            ("foo", "1.2.0"),
            ("foo", "1.3.0"),
            ("foo", "1.4.0")
        ]
        .map(|(name, version)| (name.to_owned(), version.to_owned()))
    );
    // `github.com/kevva/is-positive` and `/foo/bar` name no version; the importer's dependency
    // is not among the packages.
    assert_eq!(catalog.warnings.len(), 3, "{:?}", catalog.warnings);

    let Some(catalog) = pnpm("files.yaml") else {
        return;
    };
    let local: Vec<_> = catalog
        .components
        .iter()
        .filter_map(|component| match &component.source {
            Source::Path { path } => Some((component.name.as_str(), path.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        local,
        vec![
            ("my-file-package", "projects/package-a.tgz"),
            ("a-local-package", "../local-package"),
            ("a-nested-local-package", "../a-local-package/nested"),
            ("one-up", ".."),
            ("one-up-with-peer", ".."),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![edge(
            "workspace:.",
            DependsOn,
            "my-file-package@path:projects/package-a.tgz"
        )]
    );

    let Some(catalog) = pnpm("tarball.yaml") else {
        return;
    };
    let package = component(&catalog, "pkg:npm/%40my-org/my-package@3.2.3");
    assert_eq!((package.scope, package.direct), (Dev, Some(true)));
    assert_eq!(
        package.source,
        Source::Registry {
            url: Some("https://gitlab.my-org.org/api/v4/projects/1/packages/npm".to_owned())
        }
    );
}

#[test]
fn pnpm_git_and_invalid_inputs() {
    let Some(catalog) = pnpm("commits.v9.yaml") else {
        return;
    };
    let is_number = catalog
        .components
        .iter()
        .find(|component| component.name == "is-number")
        .expect("is-number");
    assert_eq!(is_number.version.as_deref(), Some("7.0.0"));
    assert_eq!(
        is_number.source,
        Source::Git {
            url: "https://github.com/jonschlinkert/is-number".to_owned(),
            reference: Some("98e8ff1da1a89f93d1397a24d7413ed15421c139".to_owned()),
        }
    );
    assert_eq!(is_number.direct, Some(true));

    let Some(catalog) = pnpm("invalid-path.yaml") else {
        return;
    };
    let ids: Vec<_> = rows(&catalog).into_iter().map(|row| row.0).collect();
    assert_eq!(ids, vec!["pkg:npm/acorn@8.7.0", "workspace:."]);
    assert!(
        catalog
            .warnings
            .iter()
            .any(|warning| warning.contains("`invalidpath`"))
    );

    let Some(catalog) = pnpm("empty.yaml") else {
        return;
    };
    assert_eq!(catalog.components, vec![]);
    let Some(result) = load(
        &format!("{SCALIBR}/pnpmlock/testdata/not-yaml.txt"),
        "pnpm-lock.yaml",
    ) else {
        return;
    };
    let error = result.expect_err("a plain string is no lockfile");
    assert_eq!(
        error.to_string(),
        "project/pnpm-lock.yaml:1: pnpm-lock.yaml must be a YAML mapping"
    );
}

// ---------------------------------------------------------------------------------------------
// bun.lock

fn bun(relative: &str) -> Option<Catalog> {
    scalibr_fixture("bunlock", relative, "bun.lock")
}

#[test]
fn bun_nested_install_paths_and_dev_reach() {
    let Some(catalog) = bun("nested-dependencies.json5") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row(
                "pkg:npm/ansi-styles@4.3.0",
                Some("4.3.0"),
                Dev,
                Some(false),
                16
            ),
            row("pkg:npm/chalk@4.1.2", Some("4.1.2"), Dev, Some(true), 18),
            row(
                "pkg:npm/color-convert@2.0.1",
                Some("2.0.1"),
                Dev,
                Some(false),
                20
            ),
            row(
                "pkg:npm/color-name@1.1.4",
                Some("1.1.4"),
                Dev,
                Some(false),
                22
            ),
            row(
                "pkg:npm/has-flag@2.0.0",
                Some("2.0.0"),
                Required,
                Some(true),
                24
            ),
            row(
                "pkg:npm/has-flag@3.0.0",
                Some("3.0.0"),
                Required,
                Some(false),
                30
            ),
            row(
                "pkg:npm/has-flag@4.0.0",
                Some("4.0.0"),
                Dev,
                Some(false),
                32
            ),
            row(
                "pkg:npm/supports-color@5.5.0",
                Some("5.5.0"),
                Required,
                Some(true),
                26
            ),
            row(
                "pkg:npm/supports-color@7.2.0",
                Some("7.2.0"),
                Dev,
                Some(false),
                28
            ),
            row("workspace:.", None, Required, None, 4),
        ]
    );
    assert_eq!(
        edges(&catalog),
        vec![
            edge(
                "pkg:npm/ansi-styles@4.3.0",
                DependsOn,
                "pkg:npm/color-convert@2.0.1"
            ),
            edge(
                "pkg:npm/chalk@4.1.2",
                DependsOn,
                "pkg:npm/ansi-styles@4.3.0"
            ),
            edge(
                "pkg:npm/chalk@4.1.2",
                DependsOn,
                "pkg:npm/supports-color@7.2.0"
            ),
            edge(
                "pkg:npm/color-convert@2.0.1",
                DependsOn,
                "pkg:npm/color-name@1.1.4"
            ),
            edge(
                "pkg:npm/supports-color@5.5.0",
                DependsOn,
                "pkg:npm/has-flag@3.0.0"
            ),
            edge(
                "pkg:npm/supports-color@7.2.0",
                DependsOn,
                "pkg:npm/has-flag@4.0.0"
            ),
            edge("workspace:.", DependsOn, "pkg:npm/has-flag@2.0.0"),
            edge("workspace:.", DependsOn, "pkg:npm/supports-color@5.5.0"),
            edge("workspace:.", DevDependsOn, "pkg:npm/chalk@4.1.2"),
        ]
    );
    assert_eq!(component(&catalog, "workspace:.").name, "bun-lockfile");
}

#[test]
fn bun_git_file_and_bad_tuples() {
    let Some(catalog) = bun("files.json5") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        vec![
            row("etag@path:deps/etag", None, Dev, Some(true), 15),
            row(
                "pkg:npm/lodash@1.3.1",
                Some("1.3.1"),
                Required,
                Some(true),
                17
            ),
            row("workspace:.", None, Required, None, 4),
        ]
    );
    let Some(catalog) = bun("bad-tuple.json5") else {
        return;
    };
    let ids: Vec<_> = rows(&catalog).into_iter().map(|row| row.0).collect();
    assert_eq!(ids, vec!["pkg:npm/wrappy@1.0.2", "workspace:."]);
    assert_eq!(
        component(&catalog, "pkg:npm/wrappy@1.0.2").hashes,
        vec![Hash::new(
            HashAlgorithm::Sha512,
            "9784a9fc346c7a8afdc0be84bd5dbe4ee427eb774c90f8d9feca7d5e48214c46d5f4a94f4b5c54b19deeeff2103b8c31b5c141e1b82940f45c477402bdeccf71"
        )]
    );
    assert_eq!(catalog.warnings.len(), 2, "{:?}", catalog.warnings);

    let Some(catalog) = bun("commits.json5") else {
        return;
    };
    let slick = catalog
        .components
        .iter()
        .find(|component| component.name == "slick-carousel")
        .expect("slick-carousel");
    assert_eq!(slick.version, None);
    assert_eq!(
        slick.source,
        Source::Git {
            url: "https://github.com/brianfryer/slick".to_owned(),
            reference: Some("fc6f7d8".to_owned())
        }
    );
    // jquery is only there as slick-carousel's peer.
    assert_eq!(component(&catalog, "pkg:npm/jquery@3.7.1").scope, Peer);
    assert!(
        edges(&catalog)
            .iter()
            .any(|(_, kind, to)| *kind == PeerDependsOn && to == "pkg:npm/jquery@3.7.1")
    );

    let Some(result) = load(
        &format!("{SCALIBR}/bunlock/testdata/not-json.txt"),
        "bun.lock",
    ) else {
        return;
    };
    assert!(
        result
            .expect_err("not JSON")
            .to_string()
            .starts_with("project/bun.lock:1: not valid JSON")
    );
}

// ---------------------------------------------------------------------------------------------
// Every fixture, and the big lockfiles

/// Fixtures that are deliberately not lockfiles.
const INVALID: [&str; 4] = [
    "not-json.txt",
    "null.v2.jsontest",
    "not-yaml.txt",
    "invalid_zip.vsix",
];

fn fixture_files(directory: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(directory) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            fixture_files(&path, found);
        } else {
            found.push(path);
        }
    }
}

#[test]
fn every_fixture_catalogs_or_fails_cleanly() {
    let Some(scalibr) = vouch_test_support::data_path(SCALIBR) else {
        return;
    };
    let Some(scanner) = vouch_test_support::data_path("osv-scanner-testdata/cmd/osv-scanner")
    else {
        return;
    };
    let formats = [
        ("packagelockjson", "package-lock.json"),
        ("yarnlock", "yarn.lock"),
        ("pnpmlock", "pnpm-lock.yaml"),
        ("bunlock", "bun.lock"),
    ];
    let mut checked = 0;
    for (directory, as_name) in formats {
        let mut files = Vec::new();
        fixture_files(&scalibr.join(directory).join("testdata"), &mut files);
        for path in files {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or_default();
            let result = catalog_path(&path, as_name);
            if INVALID.contains(&name) {
                assert!(result.is_err(), "{} should fail", path.display());
            } else {
                let catalog = result.unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                assert_edges_closed(&catalog);
            }
            checked += 1;
        }
    }
    let mut files = Vec::new();
    fixture_files(&scanner, &mut files);
    if let Some(remediation) = vouch_test_support::data_path(
        "osv-scalibr-testdata/guidedremediation/internal/lockfile/npm",
    ) {
        fixture_files(&remediation, &mut files);
    }
    for path in files {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        let as_name = match name {
            "package-lock.json" | "my-package-lock.json" | "want.package-lock.json" => {
                "package-lock.json"
            }
            "yarn.lock" | "my-yarn.lock" => "yarn.lock",
            "bun.lock" => "bun.lock",
            _ => continue,
        };
        let catalog = catalog_path(&path, as_name)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        assert_edges_closed(&catalog);
        checked += 1;
    }
    assert!(checked > 100, "only {checked} fixtures found");
}

#[test]
fn osv_scanner_fixtures_match_its_package_counts() {
    // command_test.snap: "locks-many/package-lock.json ... found 1 package", the same for
    // yarn.lock, and "locks-insecure/bun.lock ... found 2 packages". osv-scanner does not count
    // the project itself, which the npm and Bun locks name.
    let base = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata";
    let libraries = |catalog: &Catalog| {
        catalog
            .components
            .iter()
            .filter(|component| component.source != Source::Workspace)
            .map(|component| component.id.to_string())
            .collect::<Vec<_>>()
    };
    let Some(result) = load(
        &format!("{base}/locks-many/package-lock.json"),
        "package-lock.json",
    ) else {
        return;
    };
    assert_eq!(
        libraries(&result.expect("catalogs")),
        vec!["pkg:npm/ansi-html@0.0.8"]
    );
    let Some(result) = load(&format!("{base}/locks-many/yarn.lock"), "yarn.lock") else {
        return;
    };
    assert_eq!(
        libraries(&result.expect("catalogs")),
        vec!["pkg:npm/balanced-match@1.0.2"]
    );
    let Some(result) = load(&format!("{base}/locks-insecure/bun.lock"), "bun.lock") else {
        return;
    };
    assert_eq!(
        libraries(&result.expect("catalogs")),
        vec!["pkg:npm/has-flag@4.0.0", "pkg:npm/wrappy@1.0.2"]
    );
}

/// Components of a big lockfile by source kind.
fn counts_by_source(catalog: &Catalog) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for component in &catalog.components {
        *counts.entry(component.source.kind_name()).or_insert(0) += 1;
    }
    counts
}

#[test]
fn big_playwright_package_lock() {
    let Some(result) = load(
        "big-lockfiles/playwright/package-lock.json",
        "package-lock.json",
    ) else {
        return;
    };
    let catalog = result.expect("catalogs");
    // 699 `packages` entries: the project (""), 16 workspace members (`packages/*`), 16 `link`
    // entries pointing at them (symlinks, not packages), and 666 `node_modules` installs of
    // 639 distinct name@version pairs (27 are installed at a second path). 1 + 16 + 639 = 656.
    assert_eq!(catalog.components.len(), 656);
    assert_eq!(
        counts_by_source(&catalog),
        BTreeMap::from([("registry", 639), ("workspace", 17)])
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    assert_edges_closed(&catalog);
}

#[test]
fn big_babel_yarn_berry_lock() {
    let Some(result) = load("big-lockfiles/babel/yarn.lock", "yarn.lock") else {
        return;
    };
    let catalog = result.expect("catalogs");
    // 1749 entries besides `__metadata`: 1573 `npm:`, 163 `workspace:` (the root and 162
    // members), 9 `patch:` and 4 `link:`. Each patch is of a package also locked unpatched, so it
    // is that package (with a `yarn:patch` property); the two `$repo-utils` links (from the root
    // and from `benchmark`) are one directory, while `@types/babel__core` and
    // `@types/eslint-scope` both link `./nope` under their own names. 1573 + 163 + 3 = 1739.
    assert_eq!(catalog.components.len(), 1739);
    assert_eq!(
        counts_by_source(&catalog),
        BTreeMap::from([("path", 3), ("registry", 1573), ("workspace", 163)])
    );
    // Each of the 9 patch entries patches a different package.
    assert_eq!(
        catalog
            .components
            .iter()
            .filter(|component| component.properties.contains_key("yarn:patch"))
            .count(),
        9
    );
    assert_edges_closed(&catalog);
}

#[test]
fn big_vite_pnpm_lock() {
    let Some(result) = load("big-lockfiles/vite/pnpm-lock.yaml", "pnpm-lock.yaml") else {
        return;
    };
    let catalog = result.expect("catalogs");
    // 1405 `packages` keys, one per distinct name@version (the 1406 `snapshots` are their peer
    // variants): 1296 registry packages and 109 `file:` directories; plus 279 importers (the
    // root and 278 workspace members). 1405 + 279 = 1684.
    assert_eq!(catalog.components.len(), 1684);
    assert_eq!(
        counts_by_source(&catalog),
        BTreeMap::from([("path", 109), ("registry", 1296), ("workspace", 279)])
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    assert_edges_closed(&catalog);
}

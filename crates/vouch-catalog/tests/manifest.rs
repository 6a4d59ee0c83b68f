//! Declared requirements read from the manifests of small fixtures written for these tests
//! (tests/fixtures/manifests) and of real projects in the shared test data.

use std::path::{Path, PathBuf};

use vouch_catalog::{
    CatalogError, CatalogOptions, DeclaredRequirement, DeclaredRequirements, DependencyKind,
    declared_requirements, parse_manifest,
};
use vouch_model::Ecosystem;

fn fixture(scenario: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/manifests")
        .join(scenario)
}

fn read(root: &Path) -> DeclaredRequirements {
    declared_requirements(root, &CatalogOptions::default())
        .unwrap_or_else(|error| panic!("{}: {error}", root.display()))
}

/// `path:line`.
fn at(location: &vouch_model::Location) -> String {
    format!("{}:{}", location.path, location.line.unwrap_or(0))
}

/// One requirement as `(where, name, alias, requirement, kind, group, inherited from)`.
type Row = (
    String,
    String,
    Option<String>,
    String,
    DependencyKind,
    Option<String>,
    Option<String>,
);

fn rows(found: &DeclaredRequirements) -> Vec<Row> {
    found
        .requirements
        .iter()
        .map(|declared| {
            (
                at(&declared.location),
                declared.name.clone(),
                declared.alias.clone(),
                declared.requirement.clone(),
                declared.kind,
                declared.group.clone(),
                declared.inherited_from.as_ref().map(at),
            )
        })
        .collect()
}

fn row(
    location: &str,
    name: &str,
    alias: Option<&str>,
    requirement: &str,
    kind: DependencyKind,
    group: Option<&str>,
    inherited_from: Option<&str>,
) -> Row {
    (
        location.to_owned(),
        name.to_owned(),
        alias.map(str::to_owned),
        requirement.to_owned(),
        kind,
        group.map(str::to_owned),
        inherited_from.map(str::to_owned),
    )
}

/// Skipped declarations as `(where, name, reason)`.
fn skipped(found: &DeclaredRequirements) -> Vec<(String, String, String)> {
    found
        .skipped
        .iter()
        .map(|skipped| {
            (
                at(&skipped.location),
                skipped.name.clone(),
                skipped.reason.clone(),
            )
        })
        .collect()
}

fn skip(location: &str, name: &str, reason: &str) -> (String, String, String) {
    (location.to_owned(), name.to_owned(), reason.to_owned())
}

fn assert_no_failures(found: &DeclaredRequirements) {
    let failures: Vec<String> = found
        .failures
        .iter()
        .map(|failure| format!("{}: {}", failure.path, failure.error))
        .collect();
    assert!(failures.is_empty(), "{failures:?}");
}

#[test]
fn cargo_workspace_members_inherit_renamed_and_target_specific_requirements() {
    use DependencyKind::{Build, Dev, Normal, Optional, Workspace};
    let found = read(&fixture("cargo-workspace"));
    assert_no_failures(&found);
    let app = "crates/app/Cargo.toml";
    assert_eq!(
        rows(&found),
        [
            row(
                "Cargo.toml:6",
                "serde",
                None,
                "1.0.190",
                Workspace,
                None,
                None
            ),
            row("Cargo.toml:7", "log", None, "0.4", Workspace, None, None),
            row(
                "Cargo.toml:8",
                "tokio",
                Some("tokio-old"),
                "~0.2.25",
                Workspace,
                None,
                None
            ),
            row(
                &format!("{app}:7"),
                "serde",
                None,
                "1.0.190",
                Normal,
                None,
                Some("Cargo.toml:6")
            ),
            row(
                &format!("{app}:8"),
                "tokio",
                Some("tokio-old"),
                "~0.2.25",
                Optional,
                None,
                Some("Cargo.toml:8"),
            ),
            row(
                &format!("{app}:9"),
                "regex",
                None,
                "1.10",
                Normal,
                None,
                None
            ),
            row(
                &format!("{app}:10"),
                "serde_json",
                Some("json"),
                ">=1.0.100, <2",
                Normal,
                None,
                None
            ),
            row(
                &format!("{app}:16"),
                "log",
                None,
                "0.4",
                Dev,
                None,
                Some("Cargo.toml:7")
            ),
            row(
                &format!("{app}:17"),
                "proptest",
                None,
                "=1.4.0",
                Dev,
                None,
                None
            ),
            row(&format!("{app}:20"), "cc", None, "1", Build, None, None),
            row(
                &format!("{app}:23"),
                "winapi",
                None,
                "0.3.9",
                Normal,
                Some("cfg(windows)"),
                None
            ),
            row(
                "crates/util/Cargo.toml:6",
                "log",
                None,
                "0.4",
                Normal,
                None,
                Some("Cargo.toml:7"),
            ),
        ]
    );
    assert_eq!(
        skipped(&found),
        [
            skip(
                "Cargo.toml:9",
                "helper",
                "a path dependency (crates/helper)"
            ),
            skip(&format!("{app}:11"), "util", "a path dependency (../util)"),
            skip(
                &format!("{app}:12"),
                "missing",
                "inherits its range, but Cargo.toml has no [workspace.dependencies] entry `missing`",
            ),
            skip(
                &format!("{app}:13"),
                "helper",
                "inherits a path dependency (crates/helper) from Cargo.toml",
            ),
            skip(
                &format!("{app}:26"),
                "nix",
                "a git dependency (https://github.com/nix-rust/nix)",
            ),
        ]
    );
    // The rename is matched by the crate it points at, not by the name the manifest uses.
    let tokio: Vec<&str> = found
        .declared_for(Ecosystem::Cargo.osv_name(), "tokio")
        .map(|declared| declared.location.path.as_str())
        .collect();
    assert_eq!(tokio, ["Cargo.toml", app]);
    assert_eq!(
        found
            .declared_for(Ecosystem::Cargo.osv_name(), "tokio-old")
            .count(),
        0
    );
    assert_eq!(
        found
            .declared_for(Ecosystem::Npm.osv_name(), "serde")
            .count(),
        0
    );
}

#[test]
fn a_member_scanned_alone_finds_its_workspace_root_above_the_scan() {
    let found = read(&fixture("cargo-workspace/crates/util"));
    assert_no_failures(&found);
    assert_eq!(
        rows(&found),
        [row(
            "Cargo.toml:6",
            "log",
            None,
            "0.4",
            DependencyKind::Normal,
            None,
            Some("../../Cargo.toml:7"),
        )]
    );
    let [declared] = found.requirements.as_slice() else {
        panic!("one requirement");
    };
    assert_eq!(declared.written, "0.4");
}

#[test]
fn package_json_spec_kinds_and_excluded_installed_copies() {
    use DependencyKind::{Dev, Normal, Optional, Peer};
    let found = read(&fixture("npm-specs"));
    assert_no_failures(&found);
    let json = "package.json";
    assert_eq!(
        rows(&found),
        [
            row(
                &format!("{json}:5"),
                "lodash",
                None,
                "^4.17.21",
                Normal,
                None,
                None
            ),
            row(
                &format!("{json}:6"),
                "left-pad",
                None,
                "1.3.0",
                Normal,
                None,
                None
            ),
            row(
                &format!("{json}:7"),
                "express",
                None,
                ">=4.18.0 <5",
                Normal,
                None,
                None
            ),
            row(
                &format!("{json}:8"),
                "react",
                Some("my-react"),
                "^18.2.0",
                Normal,
                None,
                None
            ),
            row(
                &format!("{json}:9"),
                "@scope/pkg",
                None,
                "~2.1.0",
                Normal,
                None,
                None
            ),
            row(
                &format!("{json}:17"),
                "typescript",
                None,
                "5.4.x",
                Dev,
                None,
                None
            ),
            row(
                &format!("{json}:18"),
                "eslint",
                None,
                "8.0.0 - 8.57.0 || ^9",
                Dev,
                None,
                None
            ),
            row(
                &format!("{json}:21"),
                "fsevents",
                None,
                "*",
                Optional,
                None,
                None
            ),
            row(
                &format!("{json}:24"),
                "react",
                None,
                ">=17",
                Peer,
                None,
                None
            ),
        ]
    );
    assert_eq!(
        skipped(&found),
        [
            skip(
                &format!("{json}:10"),
                "local",
                "a local directory or tarball"
            ),
            skip(
                &format!("{json}:11"),
                "sibling",
                "a package of this workspace (`workspace:`)"
            ),
            skip(&format!("{json}:12"), "from-git", "a git repository"),
            skip(&format!("{json}:13"), "shorthand", "a git repository"),
            skip(&format!("{json}:14"), "tarball", "a tarball URL"),
        ]
    );
    let alias = found
        .requirements
        .iter()
        .find(|declared| declared.alias.as_deref() == Some("my-react"));
    assert_eq!(
        alias.map(|declared| declared.written.as_str()),
        Some("npm:react@^18.2.0")
    );
    assert_eq!(
        found
            .declared_for(Ecosystem::Npm.osv_name(), "react")
            .count(),
        2
    );
}

#[test]
fn pyproject_pep621_poetry_and_requirements_in() {
    use DependencyKind::{Dev, Normal, Optional};
    let found = read(&fixture("python-project"));
    assert_no_failures(&found);
    let toml = "pyproject.toml";
    assert_eq!(
        rows(&found),
        [
            row(
                &format!("{toml}:5"),
                "requests",
                None,
                ">=2.31,<3",
                Normal,
                None,
                None
            ),
            row(
                &format!("{toml}:6"),
                "flask-login",
                None,
                "~=0.6.3",
                Normal,
                None,
                None
            ),
            row(&format!("{toml}:7"), "numpy", None, "", Normal, None, None),
            row(
                &format!("{toml}:12"),
                "pyyaml",
                None,
                ">=6.0",
                Optional,
                Some("yaml"),
                None
            ),
            row(
                &format!("{toml}:16"),
                "django",
                None,
                ">=4.2,<5.0.0",
                Normal,
                None,
                None
            ),
            row(
                &format!("{toml}:17"),
                "pendulum",
                None,
                ">=2.1,<2.2.0",
                Optional,
                None,
                None
            ),
            row(
                &format!("{toml}:18"),
                "black",
                None,
                "==23.*",
                Normal,
                None,
                None
            ),
            row(
                &format!("{toml}:23"),
                "pytest",
                None,
                ">=7.0,<8",
                Dev,
                Some("test"),
                None
            ),
            row(
                "requirements.in:3",
                "django",
                None,
                ">=4.2,<5",
                Normal,
                None,
                None
            ),
            row(
                "requirements.in:5",
                "celery",
                None,
                "~=5.3",
                Normal,
                None,
                None
            ),
        ]
    );
    assert_eq!(
        skipped(&found),
        [
            skip(
                &format!("{toml}:8"),
                "pkg",
                "installed from a URL, not an index"
            ),
            skip(&format!("{toml}:19"), "mylib", "a git dependency"),
            skip(
                &format!("{toml}:20"),
                "union",
                "`^1.0 || ^2.0` is a union (`||`), which PEP 440 cannot write",
            ),
        ]
    );
    let written: Vec<&str> = found
        .declared_for(Ecosystem::PyPI.osv_name(), "Flask_Login")
        .chain(found.declared_for(Ecosystem::PyPI.osv_name(), "DJANGO"))
        .map(|declared| declared.written.as_str())
        .collect();
    assert_eq!(
        written,
        [
            "Flask_Login ~= 0.6.3 ; python_version >= '3.8'",
            "^4.2",
            "Django>=4.2,<5"
        ]
    );
}

#[test]
fn malformed_manifests_are_located_failures_and_the_others_still_read() {
    let found = read(&fixture("malformed"));
    assert!(found.requirements.is_empty());
    let failures: Vec<(&str, Option<usize>)> = found
        .failures
        .iter()
        .map(|failure| match &failure.error {
            CatalogError::Parse { path, line, .. } => (path.as_str(), *line),
            CatalogError::Io { .. } => (failure.path.as_str(), None),
        })
        .collect();
    // The trailing comma is found at the `}` after it; the array is still open on the last line.
    assert_eq!(
        failures,
        [("js/package.json", Some(5)), ("py/pyproject.toml", Some(4))]
    );
    let messages: Vec<String> = found
        .failures
        .iter()
        .map(|failure| failure.error.to_string())
        .collect();
    assert!(
        messages[0].starts_with("js/package.json:5: invalid JSON: trailing comma"),
        "{messages:?}"
    );
    assert!(
        messages[1].starts_with("py/pyproject.toml:4: invalid TOML: "),
        "{messages:?}"
    );
}

#[test]
fn parse_manifest_refuses_syntax_errors_with_their_line() {
    for (file_name, contents, line) in [
        (
            "Cargo.toml",
            "[package]\nname = \"a\"\n[dependencies\nserde = \"1\"\n",
            3,
        ),
        (
            "package.json",
            "{\n  \"dependencies\": {\n    \"a\": 1.2.3\n  }\n}\n",
            3,
        ),
        (
            "pyproject.toml",
            "[project]\ndependencies = \"requests\n",
            2,
        ),
    ] {
        match parse_manifest(file_name, file_name, contents) {
            Err(CatalogError::Parse {
                line: Some(found), ..
            }) => assert_eq!(found, line, "{file_name}"),
            other => panic!("{file_name}: expected a located parse error, got {other:?}"),
        }
    }
}

#[test]
fn parse_manifest_skips_inheritance_it_cannot_resolve() {
    let found = parse_manifest(
        "Cargo.toml",
        "member/Cargo.toml",
        "[dependencies]\nserde.workspace = true\n",
    )
    .unwrap_or_else(|error| panic!("{error}"));
    assert!(found.requirements.is_empty());
    assert_eq!(
        skipped(&found),
        [skip(
            "member/Cargo.toml:2",
            "serde",
            "inherits its range from the workspace root, and member/Cargo.toml has no \
             [workspace] table",
        )]
    );
}

/// Requirements by kind, and the number skipped, for a real manifest in the shared test data.
fn counts(relative: &str) -> Option<(Vec<(DependencyKind, usize)>, usize)> {
    let path = vouch_test_support::data_path(relative)?;
    let found = read(&path);
    assert_no_failures(&found);
    let mut kinds: Vec<(DependencyKind, usize)> = Vec::new();
    for declared in &found.requirements {
        match kinds.iter_mut().find(|(kind, _)| *kind == declared.kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((declared.kind, 1)),
        }
    }
    kinds.sort();
    Some((kinds, found.skipped.len()))
}

fn find<'a>(
    found: &'a DeclaredRequirements,
    ecosystem: &Ecosystem,
    name: &str,
) -> Vec<&'a DeclaredRequirement> {
    found.declared_for(ecosystem.osv_name(), name).collect()
}

#[test]
fn deno_workspace_dependencies() {
    let Some(path) = vouch_test_support::data_path("big-lockfiles/deno/Cargo.toml") else {
        return;
    };
    let found = read(&path);
    assert_no_failures(&found);
    // 342 entries: 63 are path dependencies (most with a version for publishing).
    assert_eq!(found.requirements.len(), 279);
    assert_eq!(found.skipped.len(), 63);
    assert!(
        found
            .requirements
            .iter()
            .all(|declared| declared.kind == DependencyKind::Workspace)
    );
    let [tokio] = find(&found, &Ecosystem::Cargo, "tokio")[..] else {
        panic!("tokio is declared once");
    };
    assert_eq!(
        (tokio.written.as_str(), at(&tokio.location)),
        ("1.47.1", "Cargo.toml:327".to_owned())
    );
    let [tower] = find(&found, &Ecosystem::Cargo, "deno_tower_lsp")[..] else {
        panic!("tower-lsp is a rename of deno_tower_lsp");
    };
    assert_eq!(tower.alias.as_deref(), Some("tower-lsp"));
    let deno_core = found
        .skipped
        .iter()
        .find(|skipped| skipped.name == "deno_core");
    assert_eq!(
        deno_core.map(|skipped| (at(&skipped.location), skipped.reason.as_str())),
        Some((
            "Cargo.toml:154".to_owned(),
            "a path dependency (./libs/core)"
        ))
    );
}

#[test]
fn big_package_json_manifests() {
    // babel skips a `link:`, three `workspace:^` and two Yarn `patch:` specifications, vite one
    // `workspace:*`.
    for (project, declared, skipped) in [("babel", 62, 6), ("vite", 30, 1), ("playwright", 109, 0)]
    {
        let Some(path) =
            vouch_test_support::data_path(&format!("big-lockfiles/{project}/package.json"))
        else {
            return;
        };
        let found = read(&path);
        assert_no_failures(&found);
        assert_eq!(
            (found.requirements.len(), found.skipped.len()),
            (declared, skipped),
            "{project}"
        );
    }
}

#[test]
fn osv_scalibr_npm_manifests_with_aliases_and_workspaces() {
    use DependencyKind::{Dev, Normal, Optional, Peer};
    let Some(root) = vouch_test_support::data_path(
        "osv-scalibr-testdata/guidedremediation/internal/manifest/npm/testdata",
    ) else {
        return;
    };
    let found = read(&root);
    assert_no_failures(&found);
    // package.json (10), workspaces/package.json (3), ws/jquery (1), ws/ugh (2), z (2).
    assert_eq!(found.requirements.len(), 18);
    assert!(found.skipped.is_empty());
    let top: Vec<Row> = rows(&found)
        .into_iter()
        .filter(|(location, ..)| location.starts_with("package.json:"))
        .collect();
    assert_eq!(
        top,
        [
            row(
                "package.json:12",
                "@isaacs/cliui",
                Some("cliui"),
                "^8.0.2",
                Normal,
                None,
                None
            ),
            row(
                "package.json:13",
                "jquery",
                None,
                "latest",
                Normal,
                None,
                None
            ),
            row(
                "package.json:14",
                "lodash",
                None,
                "4.17.17",
                Normal,
                None,
                None
            ),
            row(
                "package.json:15",
                "lodash.merge",
                None,
                "4.6.1",
                Normal,
                None,
                None
            ),
            row(
                "package.json:16",
                "@scoped/pkg.name",
                None,
                "1.0.0",
                Normal,
                None,
                None
            ),
            row(
                "package.json:17",
                "string-width",
                None,
                "^5.1.2",
                Normal,
                None,
                None
            ),
            row(
                "package.json:18",
                "string-width",
                Some("string-width-aliased"),
                "^4.2.3",
                Normal,
                None,
                None,
            ),
            row(
                "package.json:21",
                "eslint",
                None,
                "^8.57.0",
                Dev,
                None,
                None
            ),
            row(
                "package.json:24",
                "glob",
                None,
                "^10.3.10",
                Optional,
                None,
                None
            ),
            row(
                "package.json:27",
                "@babel/core",
                None,
                "^7.24.0",
                Peer,
                None,
                None
            ),
        ]
    );
    let Some(packagejson) = counts(
        "osv-scalibr-testdata/extractor/filesystem/language/javascript/packagejson/testdata",
    ) else {
        return;
    };
    // Seven package.json files, one (window-size) without dependencies.
    assert_eq!(
        packagejson.0.iter().map(|(_, count)| count).sum::<usize>(),
        40
    );
}

#[test]
fn real_pyproject_manifests() {
    use DependencyKind::{Dev, Normal, Optional};
    // pydantic: four runtime, two extras, and 48 requirements in PEP 735 groups, whose seven
    // `include-group` entries name groups read on their own.
    assert_eq!(
        counts("big-lockfiles/pydantic/pyproject.toml"),
        vouch_test_support::data_path("big-lockfiles/pydantic/pyproject.toml")
            .map(|_| (vec![(Normal, 4), (Optional, 2), (Dev, 48)], 0))
    );
    // poetry: 22 PEP 621 requirements, one of them a git URL, and 14 in poetry groups.
    assert_eq!(
        counts("big-lockfiles/poetry/pyproject.toml"),
        vouch_test_support::data_path("big-lockfiles/poetry/pyproject.toml")
            .map(|_| (vec![(Normal, 21), (Dev, 14)], 1))
    );
    if let Some(path) = vouch_test_support::data_path("big-lockfiles/poetry/pyproject.toml") {
        let found = read(&path);
        let [annotate] = find(
            &found,
            &Ecosystem::PyPI,
            "pytest-github-actions-annotate-failures",
        )[..] else {
            panic!("declared once");
        };
        assert_eq!(
            (
                annotate.written.as_str(),
                annotate.requirement.as_str(),
                annotate.group.as_deref()
            ),
            ("^0.1.7", ">=0.1.7,<0.2.0", Some("github-actions"))
        );
        let [build] = find(&found, &Ecosystem::PyPI, "build")[..] else {
            panic!("declared once");
        };
        assert_eq!(
            (build.requirement.as_str(), at(&build.location)),
            (">=1.2.1,<2.0.0", "pyproject.toml:8".to_owned())
        );
    }
    let Some(path) = vouch_test_support::data_path(
        "osv-scalibr-testdata/guidedremediation/internal/manifest/python/testdata/poetry/pyproject.toml",
    ) else {
        return;
    };
    let found = read(&path);
    assert_no_failures(&found);
    assert_eq!(
        rows(&found),
        [
            row(
                "pyproject.toml:5",
                "requests",
                None,
                "~=2.25.1",
                Normal,
                None,
                None
            ),
            row(
                "pyproject.toml:6",
                "numpy",
                None,
                "==1.22.0",
                Normal,
                None,
                None
            ),
            row(
                "pyproject.toml:7",
                "django",
                None,
                ">2.1,<3.0",
                Normal,
                None,
                None
            ),
            row(
                "pyproject.toml:8",
                "django",
                None,
                ">2.0,<3.0",
                Normal,
                None,
                None
            ),
            row(
                "pyproject.toml:13",
                "black",
                None,
                "==22.3.0",
                Optional,
                Some("dev"),
                None
            ),
            row(
                "pyproject.toml:13",
                "pytest",
                None,
                ">=6.2.5",
                Optional,
                Some("dev"),
                None
            ),
        ]
    );
}

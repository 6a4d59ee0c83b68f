//! Python catalogers against the uv, osv-scalibr and osv-scanner fixtures and the big poetry
//! and pydantic lockfiles. Expected values come from reading the fixtures (and, for requirements
//! files, uv's insta snapshots of its own parse).

mod common;

use common::{catalog_fixture as catalog, component, edges, parsed_fixture as parsed};
use vouch_catalog::{Catalog, cataloger_for};
use vouch_model::{Component, RelationshipKind, Scope, Source};

const SCALIBR: &str = "osv-scalibr-testdata/extractor/filesystem/language/python";
const UV_REQUIREMENTS: &str =
    "uv-requirements-txt/crates/uv-requirements-txt/test-data/requirements-txt";
const OSV_SCANNER_REQUIREMENTS: &str =
    "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-requirements";

/// `(id, version, scope, direct)` of every component, sorted by id.
fn rows(catalog: &Catalog) -> Vec<(String, Option<String>, Scope, Option<bool>)> {
    common::sorted_by(catalog, |component| {
        (
            component.id.to_string(),
            component.version.clone(),
            component.scope,
            component.direct,
        )
    })
}

fn row(
    id: &str,
    version: Option<&str>,
    scope: Scope,
    direct: Option<bool>,
) -> (String, Option<String>, Scope, Option<bool>) {
    (id.to_owned(), version.map(str::to_owned), scope, direct)
}

/// A direct, required requirement from a requirements file.
fn declared(id: &str, version: Option<&str>) -> (String, Option<String>, Scope, Option<bool>) {
    row(id, version, Scope::Required, Some(true))
}

fn property<'a>(component: &'a Component, key: &str) -> Option<&'a str> {
    component.properties.get(key).map(String::as_str)
}

// ---- requirements.txt: uv's parser snapshots ----

#[test]
fn uv_basic_requirements_are_pinned_direct_dependencies() {
    let Some(catalog) = parsed(&format!("{UV_REQUIREMENTS}/basic.txt"), "requirements.txt") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/numpy@1.24.2", Some("1.24.2")),
            declared("pkg:pypi/pandas@2.0.0", Some("2.0.0")),
            declared("pkg:pypi/python-dateutil@2.8.2", Some("2.8.2")),
            declared("pkg:pypi/pytz@2023.3", Some("2023.3")),
            declared("pkg:pypi/six@1.16.0", Some("1.16.0")),
            declared("pkg:pypi/tzdata@2023.3", Some("2023.3")),
        ]
    );
    let tzdata = component(&catalog, "pkg:pypi/tzdata@2023.3");
    assert_eq!(tzdata.locations[0].line, Some(6));
    assert_eq!(tzdata.source, Source::Registry { url: None });
    assert!(catalog.warnings.is_empty());
}

#[test]
fn uv_constraint_file_entries_are_not_components() {
    // constraints-a.txt: `-c constraints-b.txt` then `django-debug-toolbar<2.2`; b pins django
    // and pytz, neither of which a declares.
    let Some(catalog) = parsed(
        &format!("{UV_REQUIREMENTS}/constraints-a.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [declared("pkg:pypi/django-debug-toolbar", None)]
    );
    let toolbar = &catalog.components[0];
    assert_eq!(property(toolbar, "vouch:requirement"), Some("<2.2"));
    assert_eq!(toolbar.locations[0].line, Some(2));
    assert!(catalog.warnings.is_empty());

    let Some(catalog) = parsed(
        &format!("{UV_REQUIREMENTS}/constraints-b.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/django@2.1.15", Some("2.1.15")),
            declared("pkg:pypi/pytz@2023.3", Some("2023.3")),
        ]
    );
}

#[test]
fn uv_include_reads_the_included_file() {
    let relative = format!("{UV_REQUIREMENTS}/include-a.txt");
    let Some(catalog) = parsed(&relative, "requirements.txt") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/numpy@1.24.2", Some("1.24.2")),
            declared("pkg:pypi/tomli", None),
        ]
    );
    let tomli = component(&catalog, "pkg:pypi/tomli");
    assert_eq!(
        tomli.locations[0].path,
        format!("{UV_REQUIREMENTS}/include-b.txt")
    );
    assert_eq!(tomli.locations[0].line, Some(1));
    assert_eq!(property(tomli, "vouch:requirement"), None);
}

#[test]
fn uv_small_empty_and_poetry_style_files() {
    let Some(small) = parsed(&format!("{UV_REQUIREMENTS}/small.txt"), "requirements.txt") else {
        return;
    };
    assert_eq!(
        rows(&small),
        [
            declared("pkg:pypi/tomli-w@1.0.0", Some("1.0.0")),
            declared("pkg:pypi/tqdm@4.65.0", Some("4.65.0")),
        ]
    );
    let empty =
        parsed(&format!("{UV_REQUIREMENTS}/empty.txt"), "requirements.txt").expect("data present");
    assert_eq!(empty, Catalog::default());

    let poetry = parsed(
        &format!("{UV_REQUIREMENTS}/for-poetry.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&poetry),
        [
            declared("pkg:pypi/inflection@0.5.1", Some("0.5.1")),
            declared("pkg:pypi/numpy", None),
            declared("pkg:pypi/pandas", None),
            declared("pkg:pypi/upsidedown@0.4", Some("0.4")),
        ]
    );
    let pandas = component(&poetry, "pkg:pypi/pandas");
    assert_eq!(property(pandas, "vouch:requirement"), Some(">=1,<2"));
    assert_eq!(property(pandas, "vouch:extras"), Some("tabulate"));
}

#[test]
fn uv_bare_paths_are_path_sources_merged_per_directory() {
    let Some(catalog) = parsed(
        &format!("{UV_REQUIREMENTS}/bare-url.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("path:./test/packages/black editable", None),
            declared("path:./test/packages/black_editable", None),
            declared("path:/test/packages/black_editable", None),
        ]
    );
    let relative = component(&catalog, "path:./test/packages/black_editable");
    assert_eq!(relative.name, "black-editable");
    assert_eq!(
        relative.source,
        Source::Path {
            path: "./test/packages/black_editable".to_owned()
        }
    );
    assert_eq!(property(relative, "vouch:extras"), Some("dev"));
    let lines: Vec<Option<u32>> = relative.locations.iter().map(|l| l.line).collect();
    assert_eq!(lines, [Some(1), Some(2)]);
    // Lines 4 and 6 select it unconditionally, so line 5's marker does not restrict it.
    let spaced = component(&catalog, "path:./test/packages/black editable");
    assert_eq!(spaced.name, "black editable");
    assert_eq!(spaced.locations.len(), 3);
    assert_eq!(property(spaced, "vouch:marker"), None);
}

#[test]
fn uv_editables_are_marked_and_an_unterminated_extra_is_part_of_the_path() {
    let Some(catalog) = parsed(
        &format!("{UV_REQUIREMENTS}/editable.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("path:./editable", None),
            declared("path:./editable[d", None),
        ]
    );
    let editable = component(&catalog, "path:./editable");
    assert_eq!(editable.locations.len(), 7);
    assert_eq!(property(editable, "vouch:editable"), Some("true"));
    assert_eq!(property(editable, "vouch:extras"), Some("d,dev"));
    assert_eq!(property(editable, "vouch:marker"), None);
}

#[test]
fn uv_comment_without_leading_space_is_reported() {
    let Some(catalog) = parsed(&format!("{UV_REQUIREMENTS}/hash.txt"), "requirements.txt") else {
        return;
    };
    assert!(catalog.components.is_empty());
    assert_eq!(
        catalog.warnings,
        [
            "line 2: `./editable# comment` holds `#`: a comment must be preceded by whitespace; requirement skipped"
        ]
    );
}

// ---- requirements.txt: osv-scalibr and osv-scanner fixtures ----

#[test]
fn scalibr_example_covers_specifiers_urls_paths_and_includes() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/requirements/testdata/example.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared(
                "path:./downloads/numpy-1.9.2-cp34-none-win32.whl",
                Some("1.9.2")
            ),
            declared("pkg:pypi/beautifulsoup4", None),
            declared("pkg:pypi/coverage", None),
            declared("pkg:pypi/docopt@0.6.1", Some("0.6.1")),
            declared("pkg:pypi/keyring", None),
            declared("pkg:pypi/mopidy-dirble", None),
            declared("pkg:pypi/pandas@2.2.3", Some("2.2.3")),
            declared("pkg:pypi/pytest", None),
            declared("pkg:pypi/pytest-cov", None),
            declared("pkg:pypi/requests", None),
            declared(
                "pkg:pypi/urllib3?download_url=https:%2F%2Fgithub.com%2Furllib3%2Furllib3%2Farchive%2Frefs%2Ftags%2F1.26.8.zip",
                None
            ),
            declared(
                "pkg:pypi/wxpython-phoenix@3.0.3.dev1820%2B49a8884?download_url=http:%2F%2Fwxpython.org%2FPhoenix%2Fsnapshot-builds%2FwxPython_Phoenix-3.0.3.dev1820%2B49a8884-cp34-none-win_amd64.whl",
                Some("3.0.3.dev1820+49a8884")
            ),
        ]
    );
    let requests = component(&catalog, "pkg:pypi/requests");
    assert_eq!(
        property(requests, "vouch:requirement"),
        Some(">=2.8.1,==2.8.*")
    );
    assert_eq!(
        property(requests, "vouch:marker"),
        Some(r#"python_version < "2.7""#)
    );
    assert_eq!(property(requests, "vouch:extras"), Some("security"));
    assert_eq!(
        property(
            component(&catalog, "pkg:pypi/mopidy-dirble"),
            "vouch:requirement"
        ),
        Some("~=1.1")
    );
    let numpy = component(&catalog, "path:./downloads/numpy-1.9.2-cp34-none-win32.whl");
    assert_eq!(numpy.name, "numpy");
    // `-c constraints.txt` names a file the fixture does not have.
    assert_eq!(
        catalog.warnings,
        ["line 22: included file `constraints.txt` does not exist"]
    );
}

#[test]
fn scalibr_names_are_normalised_and_unpinned_versions_stay_unknown() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/requirements/testdata/with_versions.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/asdf", None),
            declared("pkg:pypi/combination-.--.also--.-valid", None),
            declared("pkg:pypi/hy-phen@1.2", Some("1.2")),
            declared("pkg:pypi/newspaper3k", None),
            declared("pkg:pypi/nltk@3.2.2", Some("3.2.2")),
            declared("pkg:pypi/pkg", None),
            declared("pkg:pypi/pkg.dot.name@5.0.0", Some("5.0.0")),
            declared("pkg:pypi/qwerty@0.1", Some("0.1")),
            declared("pkg:pypi/tabulate@0.7.7", Some("0.7.7")),
            declared("pkg:pypi/under-score@1.3", Some("1.3")),
            declared("pkg:pypi/yolo@1.0", Some("1.0")),
        ]
    );
    assert_eq!(
        property(component(&catalog, "pkg:pypi/asdf"), "vouch:requirement"),
        Some("==0.7.*")
    );
    // `qwerty \` continues on line 6.
    assert_eq!(
        component(&catalog, "pkg:pypi/qwerty@0.1").locations[0].line,
        Some(5)
    );
}

#[test]
fn scalibr_comments_extras_and_missing_versions() {
    let Some(comments) = parsed(
        &format!("{SCALIBR}/requirements/testdata/comments.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&comments),
        [
            declared("pkg:pypi/gmpy2@1", Some("1")),
            declared("pkg:pypi/pycrypto@1.2-alpha", Some("1.2-alpha")),
            declared("pkg:pypi/requests@1.0", Some("1.0")),
            declared("pkg:pypi/six@1.2", Some("1.2")),
            declared("pkg:pypi/sympy@1.2", Some("1.2")),
        ]
    );
    let extras = parsed(
        &format!("{SCALIBR}/requirements/testdata/extras.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&extras),
        [
            declared("pkg:pypi/celery@4.4.7", Some("4.4.7")),
            declared("pkg:pypi/pyjwt@2.1.0", Some("2.1.0")),
        ]
    );
    assert_eq!(
        property(component(&extras, "pkg:pypi/celery@4.4.7"), "vouch:extras"),
        Some("pytest,redis")
    );
    let no_version = parsed(
        &format!("{SCALIBR}/requirements/testdata/no_version.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&no_version),
        [
            declared("pkg:pypi/gmpy2", None),
            declared("pkg:pypi/pycrypto", None),
            declared("pkg:pypi/sympy", None),
        ]
    );
}

#[test]
fn scalibr_environment_variables_are_left_unexpanded() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/requirements/testdata/env_var.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/another@1.0", Some("1.0")),
            declared("pkg:pypi/asdf@1.2", Some("1.2")),
            declared("pkg:pypi/qwert", None),
        ]
    );
    assert_eq!(
        property(component(&catalog, "pkg:pypi/qwert"), "vouch:requirement"),
        Some("==${MY_VARIABLE_1}")
    );
    assert_eq!(
        catalog.warnings,
        ["line 2: environment variable `${MY_VARIABLE_1}` is left unexpanded"]
    );
}

#[test]
fn scalibr_include_cycle_is_reported_once() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/requirements/testdata/loop.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert!(catalog.components.is_empty());
    assert_eq!(
        catalog.warnings,
        [format!(
            "{SCALIBR}/requirements/testdata/other-loop.txt line 2: `loop.txt` includes itself through a cycle; not read again"
        )]
    );
}

#[test]
fn scalibr_hashes_continuations_and_invalid_lines() {
    let Some(multiline) = parsed(
        &format!("{SCALIBR}/requirements/testdata/multiline_and_comments.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&multiline),
        [
            declared("pkg:pypi/pkga@1.0", Some("1.0")),
            declared("pkg:pypi/pkgb@2.0", Some("2.0")),
        ]
    );
    assert_eq!(
        multiline.warnings,
        ["line 3: `--hash=sha256:123` is not `algorithm:hex digest`; ignored"]
    );
    let trailing = parsed(
        &format!("{SCALIBR}/requirements/testdata/trailing_backslash.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&trailing),
        [declared("pkg:pypi/pkg1@1.0", Some("1.0"))]
    );

    let invalid = parsed(
        &format!("{SCALIBR}/requirements/testdata/invalid.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&invalid),
        [declared(
            "pkg:pypi/urllib3?download_url=https:%2F%2Fgithub.com%2Furllib3%2Furllib3%2Farchive%2Frefs%2Ftags%2F%3D%3D1.26.8.zip",
            None
        )]
    );
    let skipped_lines: Vec<&str> = invalid
        .warnings
        .iter()
        .filter_map(|warning| warning.split(':').next())
        .collect();
    assert_eq!(skipped_lines, ["line 1", "line 2", "line 3"]);
}

#[test]
fn scalibr_per_requirement_options() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/requirements/testdata/per_req_options.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    let names: Vec<String> = rows(&catalog).into_iter().map(|row| row.0).collect();
    // foo7 (text before the options), foo10 and foo15 (`==` without version) are not valid
    // requirements.
    assert_eq!(
        names,
        [
            "pkg:pypi/foo11@1.0",
            "pkg:pypi/foo12@1.0",
            "pkg:pypi/foo13@1.0",
            "pkg:pypi/foo14@1.0",
            "pkg:pypi/foo16-client@1.0",
            "pkg:pypi/foo17--hash@1.0",
            "pkg:pypi/foo18-client@1.0",
            "pkg:pypi/foo1@1.0",
            "pkg:pypi/foo2@1.0",
            "pkg:pypi/foo3@1.0",
            "pkg:pypi/foo4@1.0",
            "pkg:pypi/foo5@1.0",
            "pkg:pypi/foo6@1.0",
            "pkg:pypi/foo8@1.0",
            "pkg:pypi/foo9@1.0",
        ]
    );
    assert_eq!(
        property(component(&catalog, "pkg:pypi/foo5@1.0"), "vouch:marker"),
        Some(r#"python_version < "2.7""#)
    );
    let warned_lines: Vec<&str> = catalog
        .warnings
        .iter()
        .filter_map(|warning| warning.split(':').next())
        .collect();
    assert_eq!(
        warned_lines,
        [
            "line 1", "line 3", "line 5", "line 7", "line 9", "line 11", "line 11", "line 13",
            "line 13", "line 15", "line 15", "line 17", "line 17", "line 20", "line 20", "line 20",
            "line 22", "line 24", "line 26", "line 30",
        ]
    );
}

#[test]
fn real_hashes_are_kept_as_lower_case_hex() {
    let hex = "2C2349112351B88699D8D4B6B075022C0808887CB7AD10069318A8B0BC88DB44";
    let contents = format!("itsdangerous==2.1.2 \\\n    --hash=sha256:{hex}\n");
    let catalog = common::catalog_text("requirements.txt", &contents).expect("parses");
    assert_eq!(
        catalog.components[0].hashes,
        [vouch_model::Hash::new(
            vouch_model::HashAlgorithm::Sha256,
            hex.to_ascii_lowercase()
        )]
    );
}

#[test]
fn osv_scanner_requirement_file_names_and_transitive_include() {
    for name in [
        "requirements.txt",
        "requirements-dev.txt",
        "requirements.prod.txt",
        "my-requirements.txt",
        "the_requirements_for_test.txt",
    ] {
        assert_eq!(
            cataloger_for(name).map(|cataloger| cataloger.name()),
            Some("requirements-txt"),
            "{name}"
        );
    }
    let Some(catalog) = parsed(
        &format!("{OSV_SCANNER_REQUIREMENTS}/requirements-transitive.txt"),
        "requirements.txt",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            declared("pkg:pypi/django@1.11.29", Some("1.11.29")),
            declared("pkg:pypi/flask@1.0.0", Some("1.0.0")),
            declared("pkg:pypi/numpy@2.3.1", Some("2.3.1")),
            declared("pkg:pypi/requests@2.20.0", Some("2.20.0")),
        ]
    );
    let prod = parsed(
        &format!("{OSV_SCANNER_REQUIREMENTS}/requirements.prod.txt"),
        "requirements.txt",
    )
    .expect("data present");
    assert_eq!(
        rows(&prod),
        [declared("pkg:pypi/django@2.2.24", Some("2.2.24"))]
    );
}

// ---- poetry.lock ----

#[test]
fn poetry_v1_category_optional_and_metadata_hashes() {
    let dir = format!("{SCALIBR}/poetrylock/testdata");
    let Some(one) = parsed(&format!("{dir}/one-package.lock"), "poetry.lock") else {
        return;
    };
    assert_eq!(
        rows(&one),
        [row(
            "pkg:pypi/numpy@1.23.3",
            Some("1.23.3"),
            Scope::Required,
            None
        )]
    );
    assert_eq!(one.components[0].locations[0].line, Some(2));
    let optional = parsed(&format!("{dir}/optional-package.lock"), "poetry.lock").expect("data");
    assert_eq!(
        rows(&optional),
        [row(
            "pkg:pypi/numpy@1.23.3",
            Some("1.23.3"),
            Scope::Optional,
            None
        )]
    );
    let with_metadata = parsed(
        &format!("{dir}/one-package-with-metadata.lock"),
        "poetry.lock",
    )
    .expect("data");
    assert_eq!(
        with_metadata.components[0].hashes,
        [vouch_model::Hash::new(
            vouch_model::HashAlgorithm::Sha256,
            "297fac7ec9e86f7b602792c28eb6f04819ba67ab88a34c56afcde52243a9a105"
        )]
    );
    let two = parsed(&format!("{dir}/two-packages.lock"), "poetry.lock").expect("data");
    assert_eq!(
        edges(&two),
        [(
            "pkg:pypi/proto-plus@1.22.0".to_owned(),
            RelationshipKind::DependsOn,
            "pkg:pypi/protobuf@4.21.5".to_owned()
        )]
    );
}

#[test]
fn poetry_git_and_legacy_sources() {
    let dir = format!("{SCALIBR}/poetrylock/testdata");
    let Some(git) = parsed(&format!("{dir}/source-git.lock"), "poetry.lock") else {
        return;
    };
    let ike = &git.components[0];
    assert_eq!(
        ike.id.as_str(),
        "pkg:pypi/ike@0.2.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fdzshn%2Fike%40cd66602cd29f61a2d2e7fb995fef1e61708c034d"
    );
    assert_eq!(
        ike.source,
        Source::Git {
            url: "https://github.com/dzshn/ike".to_owned(),
            reference: Some("cd66602cd29f61a2d2e7fb995fef1e61708c034d".to_owned())
        }
    );
    let legacy = parsed(&format!("{dir}/source-legacy.lock"), "poetry.lock").expect("data");
    assert_eq!(
        legacy.components[0].source,
        Source::Registry {
            url: Some("https://piwheels.org/simple".to_owned())
        }
    );
}

#[test]
fn poetry_v2_groups_give_scopes_and_duplicate_names_keep_both_versions() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/poetrylock/testdata/multiple-packages.v2.lock"),
        "poetry.lock",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            row(
                "pkg:pypi/async-timeout@5.0.1",
                Some("5.0.1"),
                Scope::Optional,
                None
            ),
            row(
                "pkg:pypi/factory-boy@3.3.1",
                Some("3.3.1"),
                Scope::Dev,
                None
            ),
            row("pkg:pypi/faker@33.3.0", Some("33.3.0"), Scope::Dev, None),
            row(
                "pkg:pypi/proto-plus@1.22.0",
                Some("1.22.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/proto-plus@1.23.0",
                Some("1.23.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/protobuf@4.25.5",
                Some("4.25.5"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/python-dateutil@2.9.0.post0",
                Some("2.9.0.post0"),
                Scope::Dev,
                None
            ),
            row("pkg:pypi/redis@5.2.1", Some("5.2.1"), Scope::Optional, None),
            row("pkg:pypi/six@1.17.0", Some("1.17.0"), Scope::Required, None),
            row(
                "pkg:pypi/typing-extensions@4.12.2",
                Some("4.12.2"),
                Scope::Dev,
                None
            ),
            row("pkg:pypi/urllib3@2.3.0", Some("2.3.0"), Scope::Dev, None),
        ]
    );
    let depends = |from: &str, to: &str| {
        (
            format!("pkg:pypi/{from}"),
            RelationshipKind::DependsOn,
            format!("pkg:pypi/{to}"),
        )
    };
    assert_eq!(
        edges(&catalog),
        [
            depends("factory-boy@3.3.1", "faker@33.3.0"),
            depends("faker@33.3.0", "python-dateutil@2.9.0.post0"),
            depends("faker@33.3.0", "typing-extensions@4.12.2"),
            depends("proto-plus@1.22.0", "protobuf@4.25.5"),
            depends("proto-plus@1.23.0", "protobuf@4.25.5"),
            depends("python-dateutil@2.9.0.post0", "six@1.17.0"),
            depends("redis@5.2.1", "async-timeout@5.0.1"),
        ]
    );
    assert_eq!(
        component(&catalog, "pkg:pypi/async-timeout@5.0.1")
            .hashes
            .len(),
        2
    );
}

#[test]
fn poetry_empty_invalid_and_stray_names() {
    let dir = format!("{SCALIBR}/poetrylock/testdata");
    let Some(empty) = parsed(&format!("{dir}/empty.lock"), "poetry.lock") else {
        return;
    };
    assert_eq!(empty, Catalog::default());
    let empty_file = parsed(&format!("{dir}/empty-file.lock"), "poetry.lock").expect("data");
    assert_eq!(empty_file, Catalog::default());
    let error = catalog(&format!("{dir}/not-toml.txt"), "poetry.lock")
        .expect("data")
        .expect_err("not TOML");
    assert!(
        error
            .to_string()
            .starts_with(&format!("{dir}/not-toml.txt:1: invalid TOML")),
        "{error}"
    );
    let stray = parsed(
        &format!("{dir}/names-outside-package-block.lock"),
        "poetry.lock",
    )
    .expect("data");
    assert_eq!(
        rows(&stray),
        [
            row(
                "pkg:pypi/first-pkg@1.0.0",
                Some("1.0.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/second-pkg@2.0.0",
                Some("2.0.0"),
                Scope::Required,
                None
            ),
        ]
    );
}

#[test]
fn poetry_big_lockfile_with_pyproject_root() {
    let Some(catalog) = parsed("big-lockfiles/poetry/poetry.lock", "poetry.lock") else {
        return;
    };
    // 78 [[package]] entries plus the project itself from pyproject.toml.
    assert_eq!(catalog.components.len(), 79);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    let root = component(&catalog, "pkg:pypi/poetry@2.5.0.dev0");
    assert_eq!(root.kind, vouch_model::ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    let count = |predicate: &dyn Fn(&Component) -> bool| {
        catalog.components.iter().filter(|c| predicate(c)).count()
    };
    // 35 distinct names across [project] dependencies and the four poetry groups.
    assert_eq!(count(&|c| c.direct == Some(true)), 35);
    assert_eq!(count(&|c| c.scope == Scope::Dev), 25);
    assert_eq!(count(&|c| c.scope == Scope::Required), 54);
    let poetry_core = catalog
        .components
        .iter()
        .find(|c| c.name == "poetry-core")
        .expect("poetry-core locked");
    assert_eq!(
        poetry_core.source,
        Source::Git {
            url: "https://github.com/python-poetry/poetry-core.git".to_owned(),
            reference: Some("e3998b0e111dc03e4aa721fd054c48e5c7de6fc5".to_owned())
        }
    );
    let root_edges: Vec<_> = catalog
        .relationships
        .iter()
        .filter(|edge| edge.from == root.id)
        .collect();
    assert_eq!(root_edges.len(), 35);
    let kind_of = |id: &str| {
        root_edges
            .iter()
            .find(|edge| edge.to.as_str() == id)
            .map(|edge| edge.kind)
    };
    assert_eq!(
        kind_of("pkg:pypi/pytest@9.0.3"),
        Some(RelationshipKind::DevDependsOn)
    );
    // dulwich is both a runtime and a test dependency: the runtime edge wins.
    assert_eq!(
        kind_of("pkg:pypi/dulwich@1.2.1"),
        Some(RelationshipKind::DependsOn)
    );
}

// ---- uv.lock ----

#[test]
fn uv_lock_project_root_with_direct_dependencies() {
    let dir = format!("{SCALIBR}/uvlock/testdata");
    let Some(catalog) = parsed(&format!("{dir}/two-packages.lock"), "uv.lock") else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            row(
                "pkg:pypi/emoji@2.14.0",
                Some("2.14.0"),
                Scope::Required,
                Some(true)
            ),
            row(
                "pkg:pypi/protobuf@4.25.5",
                Some("4.25.5"),
                Scope::Required,
                Some(true)
            ),
            row(
                "pkg:pypi/uv-lockfiles@0.1.0",
                Some("0.1.0"),
                Scope::Required,
                None
            ),
        ]
    );
    let root = component(&catalog, "pkg:pypi/uv-lockfiles@0.1.0");
    assert_eq!(root.kind, vouch_model::ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    let emoji = component(&catalog, "pkg:pypi/emoji@2.14.0");
    assert_eq!(emoji.hashes.len(), 2);
    assert_eq!(
        emoji.download_url.as_deref(),
        Some(
            "https://files.pythonhosted.org/packages/13/64/812d7e2ae0ac2ade0d6583f911f99240c80f700afbe8391df10e547f564d/emoji-2.14.0.tar.gz"
        )
    );
    assert_eq!(emoji.locations[0].line, Some(5));
    assert_eq!(
        edges(&catalog),
        [
            (
                "pkg:pypi/uv-lockfiles@0.1.0".to_owned(),
                RelationshipKind::DependsOn,
                "pkg:pypi/emoji@2.14.0".to_owned()
            ),
            (
                "pkg:pypi/uv-lockfiles@0.1.0".to_owned(),
                RelationshipKind::DependsOn,
                "pkg:pypi/protobuf@4.25.5".to_owned()
            ),
        ]
    );
}

#[test]
fn uv_lock_project_extras_make_their_trees_optional() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/uvlock/testdata/grouped-packages.lock"),
        "uv.lock",
    ) else {
        return;
    };
    let optional = |name: &str, version: &str, direct: bool| {
        row(
            &format!("pkg:pypi/{name}@{version}"),
            Some(version),
            Scope::Optional,
            Some(direct),
        )
    };
    assert_eq!(
        rows(&catalog),
        [
            optional("black", "24.10.0", true),
            optional("click", "8.1.7", true),
            optional("colorama", "0.4.6", false),
            row(
                "pkg:pypi/emoji@2.14.0",
                Some("2.14.0"),
                Scope::Required,
                Some(true)
            ),
            optional("flake8", "7.1.1", true),
            optional("mccabe", "0.7.0", false),
            optional("mypy-extensions", "1.0.0", false),
            optional("packaging", "24.2", false),
            optional("pathspec", "0.12.1", false),
            optional("platformdirs", "4.3.6", false),
            optional("pycodestyle", "2.12.1", false),
            optional("pyflakes", "3.2.0", false),
            optional("tomli", "2.2.1", false),
            optional("typing-extensions", "4.12.2", false),
            row(
                "pkg:pypi/uv-lockfiles@0.1.0",
                Some("0.1.0"),
                Scope::Required,
                None
            ),
        ]
    );
    let root_edges: Vec<_> = edges(&catalog)
        .into_iter()
        .filter(|edge| edge.0 == "pkg:pypi/uv-lockfiles@0.1.0")
        .map(|edge| (edge.1, edge.2))
        .collect();
    assert_eq!(
        root_edges,
        [
            (
                RelationshipKind::DependsOn,
                "pkg:pypi/emoji@2.14.0".to_owned()
            ),
            (
                RelationshipKind::OptionalDependsOn,
                "pkg:pypi/black@24.10.0".to_owned()
            ),
            (
                RelationshipKind::OptionalDependsOn,
                "pkg:pypi/click@8.1.7".to_owned()
            ),
            (
                RelationshipKind::OptionalDependsOn,
                "pkg:pypi/flake8@7.1.1".to_owned()
            ),
        ]
    );
    assert_eq!(catalog.relationships.len(), 4 + 7 + 1 + 3);
}

#[test]
fn uv_lock_git_source_and_edge_cases() {
    let dir = format!("{SCALIBR}/uvlock/testdata");
    let Some(git) = parsed(&format!("{dir}/source-git.lock"), "uv.lock") else {
        return;
    };
    let ruff = catalog_component_named(&git, "ruff");
    assert_eq!(
        ruff.source,
        Source::Git {
            url: "https://github.com/astral-sh/ruff".to_owned(),
            reference: Some("84748be16341b76e073d117329f7f5f4ee2941ad".to_owned())
        }
    );
    assert_eq!(ruff.direct, Some(true));
    let alone = parsed(&format!("{dir}/no-dependencies.lock"), "uv.lock").expect("data");
    assert_eq!(
        rows(&alone),
        [row(
            "pkg:pypi/uv-lockfiles@0.1.0",
            Some("0.1.0"),
            Scope::Required,
            None
        )]
    );
    for empty in ["empty.lock", "no-packages.lock"] {
        assert_eq!(
            parsed(&format!("{dir}/{empty}"), "uv.lock").expect("data"),
            Catalog::default()
        );
    }
    assert!(
        catalog(&format!("{dir}/not-toml.txt"), "uv.lock")
            .expect("data")
            .is_err()
    );
    let stray = parsed(
        &format!("{dir}/names-outside-package-block.lock"),
        "uv.lock",
    )
    .expect("data");
    assert_eq!(
        rows(&stray),
        [
            row(
                "pkg:pypi/first-pkg@1.0.0",
                Some("1.0.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/second-pkg@2.0.0",
                Some("2.0.0"),
                Scope::Required,
                None
            ),
        ]
    );
}

fn catalog_component_named<'a>(catalog: &'a Catalog, name: &str) -> &'a Component {
    catalog
        .components
        .iter()
        .find(|component| component.name == name)
        .unwrap_or_else(|| panic!("{name} not catalogued"))
}

#[test]
fn uv_lock_big_pydantic_workspace() {
    let Some(catalog) = parsed("big-lockfiles/pydantic/uv.lock", "uv.lock") else {
        return;
    };
    assert_eq!(catalog.components.len(), 176);
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
    let members: Vec<&str> = catalog
        .components
        .iter()
        .filter(|c| c.source == Source::Workspace)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(members, ["pkg:pypi/pydantic", "pkg:pypi/pydantic-core"]);
    // 59 names the two members depend on directly, two of them locked at two versions.
    assert_eq!(
        catalog
            .components
            .iter()
            .filter(|c| c.direct == Some(true))
            .count(),
        61
    );
    let scope_of = |name: &str| catalog_component_named(&catalog, name).scope;
    assert_eq!(scope_of("typing-inspection"), Scope::Required);
    assert_eq!(scope_of("email-validator"), Scope::Optional);
    assert_eq!(scope_of("mkdocs"), Scope::Dev);
    let numpy: Vec<&str> = catalog
        .components
        .iter()
        .filter(|c| c.name == "numpy")
        .filter_map(|c| c.version.as_deref())
        .collect();
    assert_eq!(numpy, ["2.2.6", "2.3.4"]);
    assert!(matches!(
        &catalog_component_named(&catalog, "pydantic-docs").source,
        Source::Git { reference: Some(commit), .. } if commit == "6f657b30593b00cf5f7c0b7eca74e83b3b6b7819"
    ));
}

// ---- Pipfile.lock ----

#[test]
fn pipfile_lock_sections_give_scopes_and_hashes() {
    let dir = format!("{SCALIBR}/pipfilelock/testdata");
    let Some(one) = parsed(&format!("{dir}/one-package.json"), "Pipfile.lock") else {
        return;
    };
    assert_eq!(
        rows(&one),
        [row(
            "pkg:pypi/markupsafe@2.1.1",
            Some("2.1.1"),
            Scope::Required,
            None
        )]
    );
    let markupsafe = &one.components[0];
    assert_eq!(markupsafe.hashes.len(), 40);
    assert_eq!(markupsafe.locations[0].line, Some(19));
    assert_eq!(
        property(markupsafe, "vouch:marker"),
        Some("python_version >= '3.7'")
    );
    let dev = parsed(&format!("{dir}/one-package-dev.json"), "Pipfile.lock").expect("data");
    assert_eq!(
        rows(&dev),
        [row(
            "pkg:pypi/markupsafe@2.1.1",
            Some("2.1.1"),
            Scope::Dev,
            None
        )]
    );
    let two = parsed(&format!("{dir}/two-packages.json"), "Pipfile.lock").expect("data");
    assert_eq!(
        rows(&two),
        [
            row(
                "pkg:pypi/itsdangerous@2.1.2",
                Some("2.1.2"),
                Scope::Required,
                None
            ),
            row("pkg:pypi/markupsafe@2.1.1", Some("2.1.1"), Scope::Dev, None),
        ]
    );
    let minified = parsed(&format!("{dir}/minified.json"), "Pipfile.lock").expect("data");
    assert_eq!(minified.components[0].locations[0].line, Some(1));
}

#[test]
fn pipfile_lock_package_in_both_sections_is_listed_once_as_required() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/pipfilelock/testdata/multiple-packages.json"),
        "Pipfile.lock",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            row(
                "pkg:pypi/itsdangerous@2.1.2",
                Some("2.1.2"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/markupsafe@2.1.1",
                Some("2.1.1"),
                Scope::Required,
                None
            ),
            row("pkg:pypi/pluggy@1.0.0", Some("1.0.0"), Scope::Dev, None),
            row(
                "pkg:pypi/pluggy@1.0.1",
                Some("1.0.1"),
                Scope::Required,
                None
            ),
        ]
    );
    assert_eq!(
        component(&catalog, "pkg:pypi/itsdangerous@2.1.2")
            .locations
            .len(),
        2
    );
}

#[test]
fn pipfile_lock_git_entries_and_empty_or_invalid_files() {
    let dir = format!("{SCALIBR}/pipfilelock/testdata");
    let Some(git) = parsed(&format!("{dir}/no-version.json"), "Pipfile.lock") else {
        return;
    };
    assert_eq!(
        rows(&git),
        [
            row(
                "pkg:pypi/itsdangerous?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpallets%2Fitsdangerous%40de09cad488a4d7c7bbcbcdb8e1c2dfde64325f48",
                None,
                Scope::Dev,
                None
            ),
            row(
                "pkg:pypi/markupsafe?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2Fpallets%2Fmarkupsafe%40b36054111bc1e8bbadb5d0d60158feb72926f467",
                None,
                Scope::Required,
                None
            ),
        ]
    );
    for empty in ["empty.json", "empty-file"] {
        assert_eq!(
            parsed(&format!("{dir}/{empty}"), "Pipfile.lock").expect("data"),
            Catalog::default()
        );
    }
    let error = catalog(&format!("{dir}/not-json.txt"), "Pipfile.lock")
        .expect("data")
        .expect_err("not JSON");
    assert!(
        error
            .to_string()
            .starts_with(&format!("{dir}/not-json.txt:1: invalid JSON")),
        "{error}"
    );
}

// ---- pdm.lock ----

#[test]
fn pdm_lock_groups_hashes_and_edges() {
    let dir = format!("{SCALIBR}/pdmlock/testdata");
    let Some(dev) = parsed(&format!("{dir}/dev-dependency.toml"), "pdm.lock") else {
        return;
    };
    assert_eq!(
        rows(&dev),
        [
            row("pkg:pypi/pyroute2@0.7.11", Some("0.7.11"), Scope::Dev, None),
            row(
                "pkg:pypi/toml@0.10.2",
                Some("0.10.2"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/win-inet-pton@1.1.0",
                Some("1.1.0"),
                Scope::Dev,
                None
            ),
        ]
    );
    assert_eq!(
        edges(&dev),
        [(
            "pkg:pypi/pyroute2@0.7.11".to_owned(),
            RelationshipKind::DependsOn,
            "pkg:pypi/win-inet-pton@1.1.0".to_owned()
        )]
    );
    assert_eq!(component(&dev, "pkg:pypi/toml@0.10.2").hashes.len(), 2);
    assert_eq!(
        component(&dev, "pkg:pypi/win-inet-pton@1.1.0").locations[0].line,
        Some(34)
    );
    // Without pyproject.toml, a group other than `default` and `dev` may be an extra.
    let optional = parsed(&format!("{dir}/optional-dependency.toml"), "pdm.lock").expect("data");
    assert_eq!(
        rows(&optional),
        [
            row(
                "pkg:pypi/pyroute2@0.7.11",
                Some("0.7.11"),
                Scope::Optional,
                None
            ),
            row(
                "pkg:pypi/toml@0.10.2",
                Some("0.10.2"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/win-inet-pton@1.1.0",
                Some("1.1.0"),
                Scope::Optional,
                None
            ),
        ]
    );
    let two = parsed(&format!("{dir}/two-packages.toml"), "pdm.lock").expect("data");
    assert_eq!(
        rows(&two),
        [
            row("pkg:pypi/six@1.16.0", Some("1.16.0"), Scope::Required, None),
            row(
                "pkg:pypi/toml@0.10.2",
                Some("0.10.2"),
                Scope::Required,
                None
            ),
        ]
    );
}

#[test]
fn pdm_lock_git_source_and_edge_cases() {
    let dir = format!("{SCALIBR}/pdmlock/testdata");
    let Some(git) = parsed(&format!("{dir}/git-dependency.toml"), "pdm.lock") else {
        return;
    };
    assert_eq!(
        git.components[0].source,
        Source::Git {
            url: "https://github.com/uiri/toml.git".to_owned(),
            reference: Some("65bab7582ce14c55cdeec2244c65ea23039c9e6f".to_owned())
        }
    );
    assert_eq!(git.components[0].version.as_deref(), Some("0.10.2"));
    for empty in ["empty.toml", "empty-file.toml"] {
        assert_eq!(
            parsed(&format!("{dir}/{empty}"), "pdm.lock").expect("data"),
            Catalog::default()
        );
    }
    assert!(
        catalog(&format!("{dir}/not-toml.txt"), "pdm.lock")
            .expect("data")
            .is_err()
    );
    let stray = parsed(
        &format!("{dir}/names-outside-package-block.toml"),
        "pdm.lock",
    )
    .expect("data");
    assert_eq!(
        rows(&stray),
        [
            row(
                "pkg:pypi/first-pkg@1.0.0",
                Some("1.0.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/second-pkg@2.0.0",
                Some("2.0.0"),
                Scope::Required,
                None
            ),
        ]
    );
}

// ---- pylock.toml ----

#[test]
fn pylock_file_names() {
    for (name, expected) in [
        ("pylock.toml", Some("pylock")),
        ("pylock.dev.toml", Some("pylock")),
        ("pylock.a.b.toml", None),
        ("Pipfile.lock", Some("pipfile-lock")),
        ("pdm.lock", Some("pdm-lock")),
        ("uv.lock", Some("uv-lock")),
        ("poetry.lock", Some("poetry-lock")),
    ] {
        assert_eq!(
            cataloger_for(name).map(|cataloger| cataloger.name()),
            expected,
            "{name}"
        );
    }
}

#[test]
fn pylock_example_dependencies_and_hashes() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/pylock/testdata/example.toml"),
        "pylock.toml",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            row(
                "pkg:pypi/attrs@25.1.0",
                Some("25.1.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/cattrs@24.1.2",
                Some("24.1.2"),
                Scope::Required,
                None
            ),
            row("pkg:pypi/numpy@2.2.3", Some("2.2.3"), Scope::Required, None),
        ]
    );
    assert_eq!(
        edges(&catalog),
        [(
            "pkg:pypi/cattrs@24.1.2".to_owned(),
            RelationshipKind::DependsOn,
            "pkg:pypi/attrs@25.1.0".to_owned()
        )]
    );
    let numpy = component(&catalog, "pkg:pypi/numpy@2.2.3");
    assert_eq!(numpy.hashes.len(), 2);
    assert_eq!(numpy.locations[0].line, Some(31));
    assert_eq!(
        component(&catalog, "pkg:pypi/attrs@25.1.0")
            .download_url
            .as_deref(),
        Some(
            "https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/attrs-25.1.0-py3-none-any.whl"
        )
    );
}

#[test]
fn pylock_vcs_directory_and_project_packages() {
    let dir = format!("{SCALIBR}/pylock/testdata");
    let Some(catalog) = parsed(&format!("{dir}/commits.toml"), "pylock.toml") else {
        return;
    };
    let ids: Vec<String> = rows(&catalog).into_iter().map(|row| row.0).collect();
    assert_eq!(
        ids,
        [
            "pkg:pypi/click@8.2.1",
            "pkg:pypi/mleroc@0.1.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com%2FVeggente%2Fmleroc.git%40735093f03c4d8be70bfaaae44074ac92d7419b6d",
            "pkg:pypi/net-inf-eval",
            "pkg:pypi/packaging@24.2",
            "pkg:pypi/pathspec@0.12.1",
            "pkg:pypi/python-dateutil@2.9.0.post0",
            "pkg:pypi/scikit-learn@1.6.1",
            "pkg:pypi/tqdm@4.67.1",
        ]
    );
    let project = component(&catalog, "pkg:pypi/net-inf-eval");
    assert_eq!(project.kind, vouch_model::ComponentKind::Application);
    assert_eq!(project.source, Source::Workspace);
    assert_eq!(
        component(&catalog, "pkg:pypi/click@8.2.1").source,
        Source::Registry { url: None }
    );
    let just_self = parsed(&format!("{dir}/pip-just-self.toml"), "pylock.toml").expect("data");
    assert_eq!(
        rows(&just_self),
        [row(
            "pkg:pypi/hspaans-github-io",
            None,
            Scope::Required,
            None
        )]
    );
    let pip = parsed(&format!("{dir}/pip-full.toml"), "pylock.toml").expect("data");
    assert_eq!(pip.components.len(), 5);
    assert!(pip.components.iter().all(|c| c.hashes.len() == 1));
}

#[test]
fn pylock_markers_decide_extras_and_groups() {
    let Some(catalog) = parsed(
        &format!("{SCALIBR}/pylock/testdata/pdm-full.toml"),
        "pylock.toml",
    ) else {
        return;
    };
    let scopes: Vec<(String, Scope)> = catalog
        .components
        .iter()
        .map(|c| (c.name.clone(), c.scope))
        .collect();
    let expected = [
        ("certifi", Scope::Optional),
        ("chardet", Scope::Required),
        ("charset-normalizer", Scope::Optional),
        ("colorama", Scope::Optional),
        ("idna", Scope::Required),
        ("py", Scope::Optional),
        ("pytest", Scope::Optional),
        ("requests", Scope::Optional),
        ("setuptools", Scope::Optional),
        ("urllib3", Scope::Optional),
    ]
    .map(|(name, scope)| (name.to_owned(), scope));
    assert_eq!(scopes, expected);
    assert!(catalog.components.iter().all(|c| c.hashes.len() == 2));
}

#[test]
fn pylock_empty_invalid_and_stray_names() {
    let dir = format!("{SCALIBR}/pylock/testdata");
    let Some(empty) = parsed(&format!("{dir}/empty.toml"), "pylock.toml") else {
        return;
    };
    assert_eq!(empty, Catalog::default());
    assert!(
        catalog(&format!("{dir}/not-toml.txt"), "pylock.toml")
            .expect("data")
            .is_err()
    );
    let stray = parsed(
        &format!("{dir}/names-outside-package-block.toml"),
        "pylock.toml",
    )
    .expect("data");
    assert_eq!(
        rows(&stray),
        [
            row(
                "pkg:pypi/first-pkg@1.0.0",
                Some("1.0.0"),
                Scope::Required,
                None
            ),
            row(
                "pkg:pypi/second-pkg@2.0.0",
                Some("2.0.0"),
                Scope::Required,
                None
            ),
        ]
    );
}

// ---- real-world inputs ----

#[test]
fn uv_compiled_real_world_requirements_parse_completely() {
    // Requirement lines (those starting with a letter or digit), counted with grep.
    let expected = [
        ("compiled/all-kinds.txt", 35),
        ("compiled/black.txt", 8),
        ("compiled/boto3.txt", 7),
        ("compiled/dtlssocket.txt", 2),
        ("compiled/flyte.txt", 107),
        ("compiled/jupyter.txt", 93),
        ("compiled/pdm_2193.txt", 13),
        ("compiled/scispacy.txt", 84),
        ("compiled/trio.txt", 38),
        ("airflow2-constraints.txt", 299),
    ];
    for (file, count) in expected {
        let relative = format!("uv-requirements-txt/test/requirements/{file}");
        let Some(catalog) = parsed(&relative, "requirements.txt") else {
            return;
        };
        assert_eq!(catalog.components.len(), count, "{file}");
        assert!(
            catalog.warnings.is_empty(),
            "{file}: {:?}",
            catalog.warnings
        );
        let unversioned: Vec<&str> = catalog
            .components
            .iter()
            .filter(|c| c.version.is_none())
            .map(|c| c.name.as_str())
            .collect();
        let expected_unversioned: &[&str] = if file == "compiled/all-kinds.txt" {
            &["pydantic-extra-types"]
        } else {
            &[]
        };
        assert_eq!(unversioned, expected_unversioned, "{file}");
    }
    let all_kinds = parsed(
        "uv-requirements-txt/test/requirements/compiled/all-kinds.txt",
        "requirements.txt",
    )
    .expect("data");
    let by_name = |name: &str| catalog_component_named(&all_kinds, name);
    assert_eq!(by_name("werkzeug").version.as_deref(), Some("3.0.1"));
    assert_eq!(by_name("flask").version.as_deref(), Some("3.0.0"));
    assert_eq!(
        by_name("pydantic-extra-types").source,
        Source::Git {
            url: "https://github.com/pydantic/pydantic-extra-types.git".to_owned(),
            reference: Some("5ebc5bba58605c656a821eed773973725e35cf83".to_owned())
        }
    );
}

#[test]
fn osv_scanner_uv_lock() {
    let Some(catalog) = parsed(
        "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/locks-scalibr/uv.lock",
        "uv.lock",
    ) else {
        return;
    };
    assert_eq!(
        rows(&catalog),
        [
            row(
                "pkg:pypi/emoji@2.14.0",
                Some("2.14.0"),
                Scope::Required,
                Some(true)
            ),
            row(
                "pkg:pypi/protobuf@4.25.5",
                Some("4.25.5"),
                Scope::Required,
                Some(true)
            ),
            row(
                "pkg:pypi/uv-lockfiles@0.1.0",
                Some("0.1.0"),
                Scope::Required,
                None
            ),
        ]
    );
}

#[test]
fn directory_walk_merges_requirements_files_and_includes() {
    let Some(root) = vouch_test_support::data_path(OSV_SCANNER_REQUIREMENTS) else {
        return;
    };
    let report =
        vouch_catalog::catalog_path(&root, &Default::default(), &|_| {}).expect("directory walks");
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert_eq!(report.files.len(), 7);
    let flask = report
        .bom
        .components
        .iter()
        .find(|component| component.id.as_str() == "pkg:pypi/flask@1.0.0")
        .expect("flask catalogued");
    // Declared in three files; requirements-transitive.txt reaches requirements.txt's line
    // through its include, which is the same location.
    let locations: Vec<(&str, Option<u32>)> = flask
        .locations
        .iter()
        .map(|location| (location.path.as_str(), location.line))
        .collect();
    assert_eq!(
        locations,
        [
            ("my-requirements.txt", Some(1)),
            ("requirements.txt", Some(1)),
            ("unresolvable-requirements.txt", Some(1)),
        ]
    );
    let ids: Vec<&str> = report
        .bom
        .components
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "pkg:pypi/black@25.1.0",
            "pkg:pypi/django@1.11.29",
            "pkg:pypi/django@2.2.24",
            "pkg:pypi/flask-cors@1.0.0",
            "pkg:pypi/flask@1.0.0",
            "pkg:pypi/numpy@2.3.1",
            "pkg:pypi/pandas@0.23.4",
            "pkg:pypi/requests@2.20.0",
        ]
    );
}

#[test]
fn every_scalibr_fixture_of_these_formats_parses_or_is_deliberately_invalid() {
    let formats = [
        ("requirements", "requirements.txt"),
        ("poetrylock", "poetry.lock"),
        ("uvlock", "uv.lock"),
        ("pipfilelock", "Pipfile.lock"),
        ("pdmlock", "pdm.lock"),
        ("pylock", "pylock.toml"),
    ];
    for (directory, format) in formats {
        let Some(path) = vouch_test_support::data_path(&format!("{SCALIBR}/{directory}/testdata"))
        else {
            return;
        };
        let mut entries: Vec<_> = std::fs::read_dir(&path)
            .expect("fixture directory")
            .map(|entry| entry.expect("directory entry").file_name())
            .collect();
        entries.sort();
        for file in entries {
            let file = file.to_string_lossy().into_owned();
            let result = catalog(&format!("{SCALIBR}/{directory}/testdata/{file}"), format)
                .expect("data present");
            // `not-toml.txt` and `not-json.txt` are the deliberately broken ones.
            assert_eq!(
                result.is_err(),
                file.starts_with("not-"),
                "{directory}/{file}: {result:?}"
            );
        }
    }
}

//! The store survives writers killed mid-way, and `update` downloads only what changed.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;

use vouch_test_support::data_path;
use vouch_test_support::mirror::{Contents, LAST_MODIFIED, Mirror};
use vouch_vulndb::{DbError, EcosystemOutcome, Store, UpdateOptions};

type TestResult = Result<(), Box<dyn std::error::Error>>;

const CRASH_DB: &str = "VOUCH_VULNDB_CRASH_DB";

/// Run by `a_writer_killed_at_any_point_leaves_a_usable_store` in a child process.
#[test]
#[ignore = "child process of the crash test"]
fn crash_child_imports_a_large_set() -> TestResult {
    let (Some(database), Some(go), Some(pypa)) = (
        std::env::var_os(CRASH_DB),
        data_path("golang-vulndb/osv"),
        data_path("pypa-advisory-database/vulns"),
    ) else {
        return Ok(());
    };
    vouch_vulndb::import(&Store::new(database), &[go, pypa])?;
    Ok(())
}

fn spawn_crash_child(database: &Path) -> std::io::Result<std::process::Child> {
    Command::new(std::env::current_exe()?)
        .args(["--exact", "crash_child_imports_a_large_set", "--ignored"])
        .env(CRASH_DB, database)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
}

#[test]
fn a_writer_killed_at_any_point_leaves_a_usable_store() -> TestResult {
    let (Some(r), Some(_), Some(_)) = (
        data_path("r-advisory-database/vulns"),
        data_path("golang-vulndb/osv"),
        data_path("pypa-advisory-database/vulns"),
    ) else {
        return Ok(());
    };
    let (old, new) = (11, 11 + 3823 + 2399);
    let fresh_store = || -> Result<(tempfile::TempDir, Store), Box<dyn std::error::Error>> {
        let directory = tempfile::tempdir()?;
        let store = Store::new(directory.path());
        vouch_vulndb::import(&store, std::slice::from_ref(&r))?;
        Ok((directory, store))
    };

    // An undisturbed child, to learn how long a whole import takes.
    let (_directory, store) = fresh_store()?;
    let started = std::time::Instant::now();
    assert!(spawn_crash_child(store.root())?.wait()?.success());
    let whole = started.elapsed();
    assert_eq!(
        store
            .open()?
            .map(|snapshot| snapshot.manifest().record_count),
        Some(new)
    );

    // Kills spread over the whole import: parsing, writing the snapshot, the swap.
    let mut outcomes = Vec::new();
    for percent in [0u32, 25, 50, 75, 90, 95, 98, 99] {
        let (_directory, store) = fresh_store()?;
        let mut child = spawn_crash_child(store.root())?;
        thread::sleep(whole * percent / 100);
        // SIGKILL on Unix: no destructor, no cleanup.
        child.kill()?;
        child.wait()?;
        let Some(snapshot) = store.open()? else {
            panic!("killed at {percent}%: the store lost its snapshot");
        };
        snapshot.validate()?;
        let count = snapshot.manifest().record_count;
        assert!(
            count == old || count == new,
            "killed at {percent}%: {count} records"
        );
        if count == old {
            assert!(!snapshot.affected("CRAN", "jsonlite")?.is_empty());
        }
        outcomes.push(count);
        drop(snapshot);
        // The dead writer's lock is gone, and its half-written snapshot is cleared away.
        let report = vouch_vulndb::import(&store, std::slice::from_ref(&r))?;
        assert_eq!(report.record_count, count);
        let snapshots = std::fs::read_dir(store.root().join("snapshots"))?.count();
        assert_eq!(snapshots, 1, "killed at {percent}%");
    }
    assert!(
        outcomes.contains(&old),
        "no kill landed before the swap: {outcomes:?}"
    );
    Ok(())
}

/// A zip of the first `count` Go advisories, as osv.dev exports them.
fn archive_of(files: &[PathBuf], count: usize) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for file in files.iter().take(count) {
        let name = file
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        writer.start_file(name, zip::write::SimpleFileOptions::default())?;
        writer.write_all(&std::fs::read(file)?)?;
    }
    Ok(writer.finish()?.into_inner())
}

fn go_advisories(directory: &Path) -> Result<Vec<PathBuf>, std::io::Error> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(directory)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    Ok(files)
}

#[test]
fn update_downloads_only_what_changed() -> TestResult {
    let Some(go) = data_path("golang-vulndb/osv") else {
        return Ok(());
    };
    let files = go_advisories(&go)?;
    let mirror = Mirror::start(Contents {
        archives: BTreeMap::from([("/Go/all.zip".to_owned(), archive_of(&files, 40)?)]),
        etag: "\"v1\"".to_owned(),
        ..Contents::default()
    })?;
    let options = UpdateOptions {
        base_url: mirror.base_url().to_owned(),
        ..UpdateOptions::default()
    };
    let directory = tempfile::tempdir()?;
    let store = Store::new(directory.path());
    let requests = || mirror.requests();
    let ecosystems = ["Go".to_owned()];

    // First update: a plain GET, the whole archive.
    let report = vouch_vulndb::update(&store, &ecosystems, &options)?;
    assert_eq!(
        report.ecosystems[0].outcome,
        EcosystemOutcome::Downloaded {
            record_count: 40,
            problems: Vec::new()
        }
    );
    assert_eq!(report.record_count, 40);
    let first = &requests()[0];
    assert_eq!(first.path, "/Go/all.zip");
    assert_eq!((first.if_none_match.as_deref(), first.status), (None, 200));

    // Second: conditional, answered 304, nothing downloaded and nothing rewritten.
    let before = store.open()?.map(|snapshot| snapshot.manifest().clone());
    let report = vouch_vulndb::update(&store, &ecosystems, &options)?;
    assert_eq!(report.ecosystems[0].outcome, EcosystemOutcome::Unchanged);
    let second = &requests()[1];
    assert_eq!(second.if_none_match.as_deref(), Some("\"v1\""));
    assert_eq!(second.if_modified_since.as_deref(), Some(LAST_MODIFIED));
    assert_eq!((second.status, second.body_bytes), (304, 0));
    assert_eq!(
        store.open()?.map(|snapshot| snapshot.manifest().clone()),
        before
    );

    // A changed archive is downloaded again; a reader holding the old snapshot keeps reading it.
    let reader = store.open()?;
    let archive = archive_of(&files, 45)?;
    mirror.update(|contents| {
        contents.archives.insert("/Go/all.zip".to_owned(), archive);
        contents.etag = "\"v2\"".to_owned();
    });
    let report = vouch_vulndb::update(&store, &ecosystems, &options)?;
    assert_eq!(report.record_count, 45);
    assert_eq!(requests()[2].status, 200);
    if let Some(reader) = reader {
        assert_eq!(reader.manifest().record_count, 40);
        assert_eq!(reader.records_by_id("GO-2020-0001")?.len(), 1);
    }

    // A server error changes nothing.
    mirror.update(|contents| contents.fail = true);
    let report = vouch_vulndb::update(&store, &ecosystems, &options)?;
    assert!(matches!(
        &report.ecosystems[0].outcome,
        EcosystemOutcome::Failed { reason } if reason.contains("500")
    ));
    let Some(snapshot) = store.open()? else {
        panic!("the store lost its snapshot");
    };
    snapshot.validate()?;
    assert_eq!(snapshot.manifest().record_count, 45);
    assert_eq!(
        snapshot.manifest().sources[0].etag.as_deref(),
        Some("\"v2\"")
    );

    let status = vouch_vulndb::status(&store)?;
    let Some(held) = status.snapshot else {
        panic!("status sees no snapshot");
    };
    assert_eq!(held.record_count, 45);
    assert_eq!(held.ecosystems.get("Go"), Some(&45));
    let source = &held.sources[0];
    assert_eq!(source.source.name, "osv.dev:Go");
    assert_eq!(
        source.source.location,
        format!("{}/Go/all.zip", options.base_url)
    );
    assert_eq!(source.source.last_modified.as_deref(), Some(LAST_MODIFIED));
    assert!(
        source
            .age_seconds
            .is_some_and(|age| (0..600).contains(&age))
    );
    Ok(())
}

#[test]
fn update_without_ecosystems_uses_those_the_last_scan_saw() -> TestResult {
    let directory = tempfile::tempdir()?;
    let store = Store::new(directory.path());
    assert!(matches!(
        vouch_vulndb::update(&store, &[], &UpdateOptions::default()),
        Err(DbError::NoEcosystems)
    ));
    store.remember_scanned_ecosystems(&["npm".to_owned(), "PyPI".to_owned(), "npm".to_owned()])?;
    assert_eq!(store.scanned_ecosystems()?, ["PyPI", "npm"]);
    Ok(())
}

#[test]
fn archive_entries_that_leave_the_archive_are_reported() -> TestResult {
    let directory = tempfile::tempdir()?;
    let path = directory.path().join("all.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&path)?);
    for (name, body) in [
        ("../escape.json", r#"{"id":"X-1"}"#),
        (
            "ok.json",
            r#"{"id":"X-2","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}"#,
        ),
        ("broken.json", r#"{"summary":"no id"}"#),
    ] {
        writer.start_file(name, zip::write::SimpleFileOptions::default())?;
        writer.write_all(body.as_bytes())?;
    }
    writer.finish()?;
    let loaded = vouch_vulndb::load_path(&path)?;
    assert_eq!(loaded.records.len(), 1);
    assert_eq!(loaded.records[0].id, "X-2");
    let reasons: Vec<_> = loaded
        .problems
        .iter()
        .map(|problem| {
            (
                problem.file.rsplit('!').next().unwrap_or_default(),
                problem.reason.as_str(),
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            ("../escape.json", "the entry name leaves the archive"),
            ("broken.json", "the record has no `id`"),
        ]
    );
    Ok(())
}

//! A store built once per test binary from the staged advisory sets, and BOMs of purls.

use std::path::PathBuf;
use std::sync::OnceLock;

use vouch_model::{Bom, Component, Ecosystem, Purl};
use vouch_vulndb::{Snapshot, Store};

/// The advisory sets the tests import, relative to the shared data directory.
pub(crate) const SOURCES: [&str; 6] = [
    "rustsec-advisory-db",
    "golang-vulndb/osv",
    "pypa-advisory-database/vulns",
    "github-advisory-database-sample",
    "drupal-advisory-database/advisories",
    "r-advisory-database/vulns",
];

/// The snapshot of a store holding every set in [`SOURCES`], or `None` when the data is absent.
/// Built once per test binary under cargo's scratch directory, since importing takes seconds.
pub(crate) fn snapshot() -> Option<&'static Snapshot> {
    static SNAPSHOT: OnceLock<Option<Snapshot>> = OnceLock::new();
    SNAPSHOT.get_or_init(build).as_ref()
}

fn build() -> Option<Snapshot> {
    let paths: Vec<PathBuf> = SOURCES
        .iter()
        .map(|source| vouch_test_support::data_path(source))
        .collect::<Option<_>>()?;
    let binary = std::env::current_exe()
        .ok()
        .and_then(|path| {
            path.file_stem()
                .map(|stem| stem.to_string_lossy().into_owned())
        })
        .unwrap_or_default();
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("vouch-match-{binary}"));
    // A store left by an earlier run is rebuilt, so that the data and the importer are current.
    if root.exists() {
        std::fs::remove_dir_all(&root)
            .unwrap_or_else(|error| panic!("{}: {error}", root.display()));
    }
    let store = Store::new(&root);
    let report = vouch_vulndb::import(&store, &paths)
        .unwrap_or_else(|error| panic!("importing the staged advisories: {error}"));
    for source in &report.sources {
        assert_eq!(source.problems, [], "{}", source.name);
    }
    Some(
        store
            .open()
            .unwrap_or_else(|error| panic!("opening the store: {error}"))
            .unwrap_or_else(|| panic!("the import left no snapshot")),
    )
}

/// A BOM of one package component per purl.
pub(crate) fn bom(purls: &[&str]) -> Bom {
    Bom {
        components: purls
            .iter()
            .map(|text| {
                let purl: Purl = text
                    .parse()
                    .unwrap_or_else(|error| panic!("{text}: {error}"));
                let ecosystem = Ecosystem::from_purl_type(purl.purl_type())
                    .unwrap_or_else(|| Ecosystem::Other(purl.purl_type().to_owned()));
                Component::package(ecosystem, purl)
            })
            .collect(),
        ..Bom::default()
    }
}

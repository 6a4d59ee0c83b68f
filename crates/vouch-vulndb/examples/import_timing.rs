//! Times parsing every staged advisory set against importing the same sets into a fresh store,
//! then opening the store and looking one package up (what a scan pays at start).
//!
//! `cargo run --release -p vouch-vulndb --example import_timing -- <shared/data>`
#![allow(clippy::print_stdout, reason = "a measuring tool reports on stdout")]

use std::path::PathBuf;
use std::time::Instant;

use vouch_vulndb::{Store, load_path};

const SETS: [&str; 7] = [
    "rustsec-advisory-db",
    "rustsec-advisory-db/osv",
    "golang-vulndb/osv",
    "pypa-advisory-database/vulns",
    "github-advisory-database-sample",
    "drupal-advisory-database/advisories",
    "r-advisory-database/vulns",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let data = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: import_timing <shared/data>")?,
    );
    let paths: Vec<PathBuf> = SETS.iter().map(|set| data.join(set)).collect();

    let started = Instant::now();
    let mut records = 0;
    for path in &paths {
        records += load_path(path)?.records.len();
    }
    let parse = started.elapsed();

    let directory =
        std::env::temp_dir().join(format!("vouch-import-timing-{}", std::process::id()));
    let store = Store::new(&directory);
    let started = Instant::now();
    let report = vouch_vulndb::import(&store, &paths)?;
    let import = started.elapsed();

    let started = Instant::now();
    let snapshot = store.open()?.ok_or("the import left no snapshot")?;
    let entries = snapshot.affected("crates.io", "openssl")?;
    let lookup = started.elapsed();

    println!("records parsed:   {records}");
    println!("records imported: {}", report.record_count);
    println!("parse only:       {parse:?}");
    println!("import (parse + snapshot write + validate + swap): {import:?}");
    println!("open + one lookup ({} entries): {lookup:?}", entries.len());
    drop(snapshot);
    std::fs::remove_dir_all(&directory)?;
    Ok(())
}

//! Reads and parses advisories exactly as `vouch db import` does, without storing them: the
//! parse-only baseline that `bench/scan.sh` times import against.
//!
//! `cargo run --release -p vouch --example parse_advisories -- PATH...`
//!
//! It lives beside the binary to share its allocator: a baseline on another allocator would
//! measure the allocators, not the work.
#![allow(clippy::print_stdout, reason = "a measuring tool reports on stdout")]

use std::path::PathBuf;

use vouch_vulndb::load_path;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: parse_advisories PATH...".into());
    }
    let mut records = 0;
    let mut problems = 0;
    for path in &paths {
        // Import resolves each path before loading it; so does the baseline.
        let absolute =
            std::path::absolute(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let loaded = load_path(&absolute)?;
        records += loaded.records.len();
        problems += loaded.problems.len();
    }
    println!("{records} records parsed, {problems} files skipped");
    Ok(())
}

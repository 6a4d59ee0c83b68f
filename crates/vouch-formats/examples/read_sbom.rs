//! Reads SBOM files into the model with [`vouch_formats::read`], as `vouch scan` does before
//! matching: the parse-only baseline that `bench/scan.sh` times a scan against.
//!
//! `cargo run --release -p vouch-formats --example read_sbom -- SBOM...`
#![allow(clippy::print_stdout, reason = "a measuring tool reports on stdout")]

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: read_sbom SBOM...".into());
    }
    for path in &paths {
        let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
        let outcome = vouch_formats::read(&bytes, &path.display().to_string())?;
        println!(
            "{}: {} ({} components)",
            path.display(),
            outcome.format,
            outcome.bom.components.len()
        );
    }
    Ok(())
}

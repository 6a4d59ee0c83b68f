//! Reads SBOM files into the model with [`vouch_formats::read`], as `vouch scan` does before
//! matching: the parse-only baseline that `bench/scan.sh` times a scan against.
//!
//! `cargo run --release -p vouch --example read_sbom -- SBOM...`
//!
//! It lives beside the binary to share its allocator: a baseline on another allocator would
//! measure the allocators, not the work.
#![allow(clippy::print_stdout, reason = "a measuring tool reports on stdout")]

use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

//! Helpers for tests: where the shared third-party test data lives, whether an outside tool
//! (a validator or a peer implementation) may be skipped when it is absent, and a loopback
//! mirror of osv.dev's exports for download tests.
#![allow(clippy::print_stderr)]

pub mod mirror;

use std::path::PathBuf;
use std::process::Command;

/// The shared test data directory: `VOUCH_TEST_DATA`, or `../shared/data` beside the workspace.
/// `None` (after printing a notice) when it does not exist; callers then skip.
pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VOUCH_TEST_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "notice: test data not found at {}; set VOUCH_TEST_DATA. Skipping.",
            dir.display()
        );
        None
    }
}

/// A path inside the shared test data, or `None` (with a notice) when the data is absent.
pub fn data_path(relative: &str) -> Option<PathBuf> {
    data_dir().map(|dir| dir.join(relative))
}

/// Whether outside tools are required (`VOUCH_REQUIRE_EXTERNAL=1`, as CI sets it).
pub fn external_required() -> bool {
    std::env::var("VOUCH_REQUIRE_EXTERNAL").is_ok_and(|value| value == "1")
}

/// Whether `program` runs (`program ARGS` exits successfully). When it does not, prints a skip
/// notice and returns false, or panics if [`external_required`] says the tool must be present.
pub fn external_tool(program: &str, probe_args: &[&str]) -> bool {
    let available = Command::new(program)
        .args(probe_args)
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        assert!(
            !external_required(),
            "{program} is required (VOUCH_REQUIRE_EXTERNAL=1) but does not run"
        );
        eprintln!("notice: {program} is not installed; skipping the checks that need it");
    }
    available
}

//! Running the built binary the way users do; shared by the CLI tests.
#![allow(dead_code, reason = "each test file uses the helpers it needs")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub(crate) fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// Runs vouch in `directory` with a pinned `SOURCE_DATE_EPOCH`, no colour, and none of the
/// caller's `VOUCH_DB` / `VOUCH_OFFLINE`, so that results depend on the arguments alone.
pub(crate) fn vouch(args: &[&str], directory: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vouch"))
        .args(args)
        .current_dir(directory)
        .env("SOURCE_DATE_EPOCH", "1767225600")
        .env("NO_COLOR", "1")
        .env_remove("VOUCH_DB")
        .env_remove("VOUCH_OFFLINE")
        .output()
        .expect("the vouch binary runs")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// stdout as JSON; the panic shows stderr, which says why there is none.
pub(crate) fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is not JSON ({error}); stderr: {}",
            text(&output.stderr)
        )
    })
}

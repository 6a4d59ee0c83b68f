//! Everything the binary prints or writes. Machine output goes to stdout (or `-o FILE`), human
//! messages to stderr, so every command pipes.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::path::Path;

use crate::error::CliError;
use crate::settings::Settings;

/// Writes `bytes` to `path` without ever leaving a half-written file there: the data goes to a
/// temporary file beside it, which is renamed into place once complete.
pub(crate) fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let file_name = path
        .file_name()
        .ok_or_else(|| CliError::usage(format!("{}: not a file path", path.display())))?;
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(file_name);
    temporary_name.push(format!(".{}.tmp", std::process::id()));
    let temporary = path.with_file_name(temporary_name);
    let result = std::fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| std::fs::rename(&temporary, path));
    result.map_err(|error| {
        // Best effort: the temporary may not exist if creating it was what failed.
        let _ = std::fs::remove_file(&temporary);
        CliError::usage(format!("cannot write {}: {error}", path.display()))
    })
}

/// Sends a document to `-o FILE` or stdout.
pub(crate) fn emit(bytes: &[u8], output: Option<&Path>) -> Result<(), CliError> {
    match output {
        Some(path) => write_file_atomically(path, bytes),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|()| stdout.flush())
                .or_else(|error| {
                    // A closed pipe (`vouch sbom | head`) is the reader's choice, not a failure.
                    if error.kind() == std::io::ErrorKind::BrokenPipe {
                        Ok(())
                    } else {
                        Err(CliError::internal(format!(
                            "cannot write to stdout: {error}"
                        )))
                    }
                })
        }
    }
}

/// A report as pretty JSON with a final newline.
pub(crate) fn json_bytes<T: serde::Serialize>(report: &T) -> Result<Vec<u8>, CliError> {
    let mut bytes = serde_json::to_vec_pretty(report)
        .map_err(|error| CliError::internal(format!("cannot serialise the report: {error}")))?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Sends a command's report to stdout as pretty JSON.
pub(crate) fn emit_report<T: serde::Serialize>(report: &T) -> Result<(), CliError> {
    emit(&json_bytes(report)?, None)
}

/// Prints human messages on stderr according to the settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Messages {
    settings: Settings,
}

impl Messages {
    pub(crate) fn new(settings: Settings) -> Self {
        Self { settings }
    }

    fn paint(&self, code: &str, label: &str) -> String {
        if self.settings.color {
            format!("\x1b[{code}m{label}\x1b[0m")
        } else {
            label.to_owned()
        }
    }

    pub(crate) fn error(&self, message: &str) {
        eprintln!("{}: {message}", self.paint("1;31", "error"));
    }

    pub(crate) fn warning(&self, message: &str) {
        if !self.settings.quiet {
            eprintln!("{}: {message}", self.paint("1;33", "warning"));
        }
    }

    /// A detail shown only with `--verbose`.
    pub(crate) fn detail(&self, message: &str) {
        if self.settings.verbose {
            eprintln!("{}: {message}", self.paint("2", "note"));
        }
    }

    pub(crate) fn info(&self, message: &str) {
        if !self.settings.quiet {
            eprintln!("{message}");
        }
    }
}

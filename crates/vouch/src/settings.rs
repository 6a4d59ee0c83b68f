//! Settings resolved from flags and environment before any work starts.

use std::io::IsTerminal;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cli::{ColorChoice, GlobalArgs};
use crate::error::CliError;

/// How and where messages are printed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub(crate) quiet: bool,
    pub(crate) verbose: bool,
    pub(crate) color: bool,
    /// Whether stderr is a terminal that can show a progress spinner.
    pub(crate) progress: bool,
    /// `SOURCE_DATE_EPOCH`, when set: pins timestamps and makes document ids content-derived.
    pub(crate) source_date_epoch: Option<i64>,
}

impl Settings {
    pub(crate) fn resolve(global: &GlobalArgs) -> Result<Self, CliError> {
        let stderr_terminal = std::io::stderr().is_terminal();
        let color = match global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stderr_terminal && std::env::var_os("NO_COLOR").is_none(),
        };
        let source_date_epoch = match std::env::var("SOURCE_DATE_EPOCH") {
            Ok(value) => Some(value.trim().parse::<i64>().map_err(|_| {
                CliError::usage(format!(
                    "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not `{value}`"
                ))
            })?),
            Err(_) => None,
        };
        Ok(Self {
            quiet: global.quiet,
            verbose: global.verbose,
            color,
            progress: stderr_terminal && !global.quiet,
            source_date_epoch,
        })
    }

    /// The creation time documents carry: `SOURCE_DATE_EPOCH` or now, in whole seconds.
    pub(crate) fn created(&self) -> Result<String, CliError> {
        let moment = match self.source_date_epoch {
            Some(epoch) => OffsetDateTime::from_unix_timestamp(epoch).map_err(|_| {
                CliError::usage(format!(
                    "SOURCE_DATE_EPOCH {epoch} is outside the representable range"
                ))
            })?,
            None => OffsetDateTime::now_utc(),
        };
        let moment = moment.replace_nanosecond(0).unwrap_or(moment);
        moment
            .format(&Rfc3339)
            .map_err(|error| CliError::internal(format!("cannot format a timestamp: {error}")))
    }
}

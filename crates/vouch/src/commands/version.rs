//! `vouch version compare`: how vouch orders two versions of an ecosystem, the way
//! `dpkg --compare-versions` helps people debug a range that matched or did not.

use std::cmp::Ordering;

use clap::Args;
use vouch_version::Scheme;

use crate::error::CliError;

#[derive(Debug, Args)]
pub(crate) struct CompareArgs {
    /// OSV ecosystem name: crates.io, npm, PyPI, Go, Maven, NuGet, RubyGems, Packagist, Hex, Pub,
    /// Debian, Ubuntu, Alpine, Red Hat, CRAN, Hackage, ...
    pub(crate) ecosystem: String,
    pub(crate) left: String,
    pub(crate) right: String,
}

/// `<`, `=` or `>`: how `left` orders against `right` in `ecosystem`.
pub(crate) fn compare(args: &CompareArgs) -> Result<&'static str, CliError> {
    let scheme = Scheme::for_osv_ecosystem(&args.ecosystem).ok_or_else(|| {
        CliError::usage(format!(
            "unknown ecosystem `{}`; use an OSV ecosystem name such as crates.io, npm, PyPI, Go, \
             Maven or Debian (names are case-sensitive)",
            args.ecosystem
        ))
    })?;
    let ordering = scheme
        .compare(&args.left, &args.right)
        .map_err(|error| CliError::usage(error.to_string()))?;
    Ok(match ordering {
        Ordering::Less => "<",
        Ordering::Equal => "=",
        Ordering::Greater => ">",
    })
}

//! Matches the components of a [`Bom`] against the local OSV advisory store.
//!
//! For each component with a purl, [`osv_package`] names the package as OSV does, the store
//! gives the advisories about it, and each advisory's `ranges[]` and `versions[]` are evaluated
//! with the ecosystem's version order ([`vouch_version::is_affected`]). Records of one component
//! that name each other through ids and aliases (a CVE, its GHSA, its PYSEC) become one
//! [`Finding`]; RustSec's informational advisories (unmaintained, unsound, notice) become
//! [`Warning`]s instead. Each vulnerable component gets a [`Remediation`]: the smallest upgrade
//! that clears all its findings.
//!
//! ```no_run
//! use vouch_model::{Bom, Component, Ecosystem, Purl};
//! use vouch_vulndb::Store;
//!
//! let purl: Purl = "pkg:cargo/smallvec@1.6.0".parse()?;
//! let bom = Bom {
//!     components: vec![Component::package(Ecosystem::Cargo, purl)],
//!     ..Bom::default()
//! };
//! let store = Store::new("/tmp/vouch-db");
//! if let Some(snapshot) = store.open()? {
//!     let scan = vouch_match::scan(&bom, &snapshot)?;
//!     for finding in &scan.findings {
//!         let fixed = finding.fixed_versions.join(", ");
//!         eprintln!("{} {}: {} (fixed in {fixed})", finding.package, finding.version, finding.id);
//!     }
//!     for remediation in &scan.remediations {
//!         eprintln!("{}: upgrade to {:?}", remediation.package, remediation.fixed_version);
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![warn(missing_docs)]

mod matcher;
mod merge;
mod package;
mod remediation;
mod severity;

use serde::Serialize;
use vouch_model::{Bom, ComponentId, Purl};
use vouch_vulndb::{DbError, Snapshot};

pub use package::{OsvPackage, SkipReason, osv_package};
pub use severity::{Severity, SeverityLevel, SeveritySource};

/// The outcome of [`scan`]. Every list is sorted by component id, then advisory id.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Scan {
    /// Vulnerabilities: one per flaw and component, merged across databases.
    pub findings: Vec<Finding>,
    /// Informational advisories (unmaintained, unsound, notice, yanked) that match a component.
    pub warnings: Vec<Warning>,
    /// The smallest upgrade of each component that has findings.
    pub remediations: Vec<Remediation>,
    /// Components that were not matched, and why.
    pub skipped: Vec<Skipped>,
    /// Advisories that could not be evaluated against a component (a range event its
    /// ecosystem cannot parse, an order the scheme does not define).
    pub problems: Vec<Problem>,
}

/// One vulnerability of one component: every matched record about the same flaw, merged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The component in the scanned [`Bom`].
    pub component_id: ComponentId,
    /// The component's purl, as the BOM gives it.
    pub purl: Purl,
    /// The OSV ecosystem the component was looked up in (`crates.io`, `Debian:12`).
    pub ecosystem: String,
    /// The package name in OSV's form.
    pub package: String,
    /// The component's version, in OSV's form.
    pub version: String,
    /// The primary id: the ecosystem's own database first (see [`Finding::aliases`]).
    ///
    /// `RUSTSEC` for crates.io, `GO` for Go, `PYSEC` then `GHSA` for PyPI, `RSEC` for CRAN;
    /// then `GHSA`, then other databases, `CVE` last; ties by string order. Only the id of a
    /// record in the store can be primary, so that its summary and URL exist.
    pub id: String,
    /// Every other id and alias of the merged records, sorted and without duplicates.
    pub aliases: Vec<String>,
    /// From the primary record, else from the first merged record (by id) that has one.
    pub summary: Option<String>,
    /// `https://osv.dev/vulnerability/<id>`.
    pub url: String,
    /// The highest severity of the merged records.
    pub severity: Severity,
    /// The fixes that end the ranges' intervals holding the version, from every merged record,
    /// in the ecosystem's order. Empty when no fix is known.
    pub fixed_versions: Vec<String>,
    /// The records merged into this finding, sorted by id.
    pub records: Vec<RecordSource>,
    /// The latest `modified` time of the merged records (RFC 3339).
    pub modified: Option<String>,
}

/// One advisory record a finding or warning came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordSource {
    /// The record's id.
    pub id: String,
    /// The store source that held the record: an imported path or `osv.dev:<ECOSYSTEM>`.
    pub source: String,
}

/// An informational advisory that matches a component: not a vulnerability, but worth knowing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The component in the scanned [`Bom`].
    pub component_id: ComponentId,
    /// The component's purl, as the BOM gives it.
    pub purl: Purl,
    /// The OSV ecosystem the component was looked up in.
    pub ecosystem: String,
    /// The package name in OSV's form.
    pub package: String,
    /// The component's version, in OSV's form.
    pub version: String,
    /// The advisory's id.
    pub id: String,
    /// The advisory's aliases, sorted.
    pub aliases: Vec<String>,
    /// RustSec's kind: `unmaintained`, `unsound`, `notice` or `yanked`.
    pub kind: String,
    /// The advisory's summary.
    pub summary: Option<String>,
    /// `https://osv.dev/vulnerability/<id>`.
    pub url: String,
    /// The fixes that end the ranges' intervals holding the version, in the ecosystem's order.
    pub fixed_versions: Vec<String>,
    /// The record the warning came from.
    pub record: RecordSource,
    /// The record's `modified` time (RFC 3339).
    pub modified: Option<String>,
}

/// The smallest upgrade that clears every finding of one component.
///
/// The rule: when some finding has no fixed version, no upgrade is known to clear it and there
/// is no answer. Otherwise the candidates are the fixed versions greater than the current
/// version of every range of the package's vulnerability advisories (those that affect the
/// current version and those that affect only others), in ascending order of the ecosystem's
/// scheme, and the answer is the first candidate that none of those advisories affects: one
/// advisory's fix can lie inside another advisory's range, and an upgrade into a vulnerability
/// the current version does not have is no fix. Informational advisories (warnings) never hold an
/// upgrade back.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Remediation {
    /// The component in the scanned [`Bom`].
    pub component_id: ComponentId,
    /// The component's purl, as the BOM gives it.
    pub purl: Purl,
    /// The OSV ecosystem the component was looked up in.
    pub ecosystem: String,
    /// The package name in OSV's form.
    pub package: String,
    /// The version now, in OSV's form.
    pub version: String,
    /// The smallest fixed version that no matched advisory affects (OSV's form, so a Go
    /// version has no `v`), or `None` when some finding has no fix or no fix clears them all.
    pub fixed_version: Option<String>,
    /// The primary ids of the findings it clears, sorted.
    pub finding_ids: Vec<String>,
}

/// A component that was not matched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The component in the scanned [`Bom`].
    pub component_id: ComponentId,
    /// The component's name, for a report when there is no purl.
    pub name: String,
    /// The component's purl, if it has one.
    pub purl: Option<Purl>,
    /// Why it was not matched.
    pub reason: SkipReason,
}

/// An advisory that could not be evaluated against a component.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// The component in the scanned [`Bom`].
    pub component_id: ComponentId,
    /// The advisory's id.
    pub id: String,
    /// What went wrong, with the range and event (`ranges[0].events[1].fixed: ...`).
    pub reason: String,
}

/// Why a scan failed: only the store itself can fail it; problems with single components or
/// advisories are reported in the [`Scan`].
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    /// The store could not be read: see [`DbError`].
    #[error("reading the advisory store: {0}")]
    Store(#[from] DbError),
}

/// Matches every component of `bom` against `snapshot`.
///
/// Components without a purl or version, or whose purl type OSV does not know, are
/// [`Scan::skipped`]; withdrawn advisories are never matched (the store leaves them out).
/// `GIT` ranges are not evaluated, since a package version is not a commit: an entry with only
/// `GIT` ranges matches through its `versions[]` alone.
pub fn scan(bom: &Bom, snapshot: &Snapshot) -> Result<Scan, MatchError> {
    matcher::scan(bom, snapshot)
}

/// The osv.dev page of an advisory.
pub fn advisory_url(id: &str) -> String {
    format!("https://osv.dev/vulnerability/{id}")
}

//! What a scan decides and how it is shown.
//!
//! [`vouch_match::scan`] says which advisories affect which components. This crate takes that
//! answer the rest of the way: VEX statements suppress or annotate findings ([`apply_vex`]),
//! `--fail-on` turns the result into a gate ([`FailOn`]), and one [`ScanReport`] is rendered as
//! a table, JSON, SARIF 2.1.0, a CycloneDX 1.6 BOM with `vulnerabilities`, or OpenVEX, so every
//! consumer sees the same findings and the same triage.

pub mod fix;
mod render;
mod vex;

use std::collections::BTreeMap;

use serde::Serialize;
use vouch_match::{Finding, Problem, Remediation, Scan, SeverityLevel, Skipped, Warning};
use vouch_model::{Bom, ComponentId, Location};

pub use render::{RenderError, cyclonedx, openvex, sarif, table};
pub use vex::{VexDecision, VexInput};

/// The version of the JSON shape of [`ScanReport`]; it changes only when a field is removed or
/// changes meaning (new fields may appear within a version).
pub const SCHEMA_VERSION: &str = "1";

/// Everything `vouch scan` found, in the order it is shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScanReport {
    pub schema_version: &'static str,
    pub tool: Tool,
    /// What was scanned, as given on the command line.
    pub target: String,
    pub database: Database,
    pub summary: Summary,
    /// Vulnerabilities no VEX statement suppresses, sorted by package then id.
    pub findings: Vec<ReportedFinding>,
    /// Vulnerabilities a VEX statement declares `not_affected` or `fixed`.
    pub suppressed: Vec<ReportedFinding>,
    /// Informational advisories: unmaintained, unsound, notice, yanked.
    pub warnings: Vec<Warning>,
    /// The smallest upgrade of each package that still has findings.
    pub remediations: Vec<Remediation>,
    /// Components that could not be looked up, and why.
    pub skipped: Vec<Skipped>,
    /// Advisories that could not be evaluated against a component.
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// Which advisory data the scan used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Database {
    /// When the store's snapshot was written (RFC 3339).
    pub created_at: String,
    pub record_count: usize,
    /// The store's sources: imported paths and `osv.dev:<ECOSYSTEM>`.
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub components: usize,
    /// Components that were looked up (had a purl, a version and a known ecosystem).
    pub scanned: usize,
    pub vulnerable_packages: usize,
    pub findings: usize,
    /// Findings per severity level, every level present.
    pub by_severity: BTreeMap<SeverityLevel, usize>,
    pub suppressed: usize,
    pub warnings: usize,
}

impl ScanReport {
    /// The upgrade of the package `component`; `None` when it has no unsuppressed finding.
    pub fn remediation(&self, component: &ComponentId) -> Option<&Remediation> {
        self.remediations
            .iter()
            .find(|remediation| remediation.component_id == *component)
    }

    /// The version clearing every finding of `component`, when there is one.
    pub fn fixed_version(&self, component: &ComponentId) -> Option<&str> {
        self.remediation(component)
            .and_then(|remediation| remediation.fixed_version.as_deref())
    }
}

/// A finding, where its package was found, and the VEX statement that speaks about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedFinding {
    #[serde(flatten)]
    pub finding: Finding,
    /// The package's name as the lockfile or SBOM spells it, with its group or namespace
    /// (`github.com/hashicorp/vault`, `@babel/core`, `org.yaml:snakeyaml`); OSV's form may
    /// differ.
    pub name: String,
    /// Lockfiles (with line) that pin the package; empty for an SBOM.
    pub locations: Vec<Location>,
    /// The deciding VEX statement, when one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vex: Option<VexDecision>,
}

impl ReportedFinding {
    /// Every name the finding goes by: its id, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.finding.id.as_str())
            .chain(self.finding.aliases.iter().map(String::as_str))
    }
}

/// What the report is about besides the scan itself.
#[derive(Debug, Clone)]
pub struct ReportContext {
    pub tool: Tool,
    pub target: String,
    pub database: Database,
}

/// Builds the report of `scan` over `bom`, with `vex` applied.
pub fn build_report(bom: &Bom, scan: Scan, vex: &VexInput, context: ReportContext) -> ScanReport {
    let components: BTreeMap<&str, &vouch_model::Component> = bom
        .components
        .iter()
        .map(|component| (component.id.as_str(), component))
        .collect();
    let subject = bom
        .metadata
        .subject
        .as_ref()
        .and_then(|subject| subject.purl.as_ref());
    let mut findings = Vec::new();
    let mut suppressed = Vec::new();
    for finding in scan.findings {
        let component = components.get(finding.component_id.as_str());
        let mut reported = ReportedFinding {
            name: component.map_or_else(
                || finding.package.clone(),
                |component| component.qualified_name(),
            ),
            locations: component
                .map(|component| component.locations.clone())
                .unwrap_or_default(),
            vex: None,
            finding,
        };
        reported.vex = vex.decide(&reported, subject);
        if reported.vex.as_ref().is_some_and(VexDecision::suppresses) {
            suppressed.push(reported);
        } else {
            findings.push(reported);
        }
    }
    // A package whose every finding is suppressed needs no upgrade.
    let remediations = scan
        .remediations
        .into_iter()
        .filter(|remediation| {
            findings
                .iter()
                .any(|finding| finding.finding.component_id == remediation.component_id)
        })
        .collect();
    let mut by_severity: BTreeMap<SeverityLevel, usize> = SeverityLevel::ALL
        .into_iter()
        .map(|level| (level, 0))
        .collect();
    for finding in &findings {
        *by_severity
            .entry(finding.finding.severity.level)
            .or_default() += 1;
    }
    let vulnerable_packages = findings
        .iter()
        .map(|finding| finding.finding.component_id.as_str())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let summary = Summary {
        components: bom.components.len(),
        scanned: bom.components.len().saturating_sub(scan.skipped.len()),
        vulnerable_packages,
        findings: findings.len(),
        by_severity,
        suppressed: suppressed.len(),
        warnings: scan.warnings.len(),
    };
    ScanReport {
        schema_version: SCHEMA_VERSION,
        tool: context.tool,
        target: context.target,
        database: context.database,
        summary,
        findings,
        suppressed,
        warnings: scan.warnings,
        remediations,
        skipped: scan.skipped,
        problems: scan.problems,
    }
}

/// The `--fail-on` threshold: the scan fails when an unsuppressed finding is at least this bad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Low,
    Medium,
    High,
    Critical,
}

impl FailOn {
    /// Whether `report` trips the gate. A finding whose severity is unknown trips `low` only:
    /// it is a vulnerability, but nothing says it is medium or worse.
    pub fn is_tripped_by(self, report: &ScanReport) -> bool {
        let threshold = match self {
            Self::Low => SeverityLevel::Low,
            Self::Medium => SeverityLevel::Medium,
            Self::High => SeverityLevel::High,
            Self::Critical => SeverityLevel::Critical,
        };
        report.findings.iter().any(|finding| {
            let level = finding.finding.severity.level;
            level >= threshold || (self == Self::Low && level == SeverityLevel::Unknown)
        })
    }
}

impl std::str::FromStr for FailOn {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.to_ascii_lowercase().as_str() {
            "low" => Ok(Self::Low),
            "medium" => Ok(Self::Medium),
            "high" => Ok(Self::High),
            "critical" => Ok(Self::Critical),
            _ => Err(format!(
                "`{text}` is not a severity: use low, medium, high or critical"
            )),
        }
    }
}

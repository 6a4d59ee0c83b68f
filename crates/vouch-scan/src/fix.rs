//! `vouch fix`: for each vulnerable package, the smallest version that clears its advisories, and
//! whether the manifests that declare the package already allow it (then updating the lockfile
//! is enough) or must be edited.

use serde::Serialize;
use vouch_version::requirement::{Requirement, RequirementSyntax};

use crate::{Database, ScanReport, Tool};

/// A requirement a manifest declares for a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declaration {
    /// The manifest, relative to the scanned directory.
    pub manifest: String,
    pub line: Option<u32>,
    /// As written (`^1.2`, `>=2.8,<3`).
    pub requirement: String,
}

/// What `vouch fix` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FixReport {
    pub schema_version: &'static str,
    pub tool: Tool,
    pub target: String,
    pub database: Database,
    pub summary: FixSummary,
    /// One entry per vulnerable package, in the scan's order.
    pub packages: Vec<PackageFix>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixSummary {
    pub vulnerable_packages: usize,
    /// The fix is allowed by every manifest that declares the package, or none declares it.
    pub lockfile_update: usize,
    /// Some manifest's requirement excludes the fix.
    pub manifest_change: usize,
    /// No released version clears every advisory.
    pub no_fix: usize,
}

/// The fix of one package.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PackageFix {
    pub name: String,
    pub ecosystem: String,
    pub purl: String,
    pub version: String,
    /// The smallest version no matched advisory affects; `None` when there is none.
    pub fixed_version: Option<String>,
    /// The primary ids of the findings the upgrade clears.
    pub finding_ids: Vec<String>,
    pub action: FixAction,
    /// The manifests declaring the package, each checked against the fix.
    pub declarations: Vec<DeclarationCheck>,
}

/// What the user has to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FixAction {
    /// Every declaring manifest allows the fix: update the lockfile
    /// (`cargo update -p`, `npm update`, `uv lock --upgrade-package`).
    UpdateLockfile,
    /// No manifest declares the package (it is transitive, or its ecosystem's manifests are not
    /// read): update the lockfile, or the dependency that pulls it in.
    UpdateTransitive,
    /// At least one manifest's requirement excludes the fix: edit it.
    EditManifest,
    /// No version clears every advisory: replace or remove the package, or accept the risk in a
    /// VEX statement.
    NoFix,
}

/// One declaration, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeclarationCheck {
    pub manifest: String,
    pub line: Option<u32>,
    pub requirement: String,
    /// Whether the requirement allows the fixed version; `None` when there is no fix or the
    /// requirement cannot be read (then `problem` says why).
    pub allows_fix: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// Builds the fix plan of `report`. `declared(ecosystem, package)` gives the manifest
/// declarations of a package, by its OSV ecosystem and OSV name.
pub fn plan(report: &ScanReport, declared: &dyn Fn(&str, &str) -> Vec<Declaration>) -> FixReport {
    let mut packages = Vec::new();
    for remediation in &report.remediations {
        let name = report
            .findings
            .iter()
            .find(|finding| finding.finding.component_id == remediation.component_id)
            .map_or_else(
                || remediation.package.clone(),
                |finding| finding.name.clone(),
            );
        let declarations: Vec<DeclarationCheck> =
            declared(&remediation.ecosystem, &remediation.package)
                .into_iter()
                .map(|declaration| {
                    check(
                        &remediation.ecosystem,
                        declaration,
                        remediation.fixed_version.as_deref(),
                    )
                })
                .collect();
        let action = match &remediation.fixed_version {
            None => FixAction::NoFix,
            Some(_) if declarations.is_empty() => FixAction::UpdateTransitive,
            Some(_)
                if declarations
                    .iter()
                    .all(|check| check.allows_fix == Some(true)) =>
            {
                FixAction::UpdateLockfile
            }
            Some(_) => FixAction::EditManifest,
        };
        packages.push(PackageFix {
            name,
            ecosystem: remediation.ecosystem.clone(),
            purl: remediation.purl.to_string(),
            version: remediation.version.clone(),
            fixed_version: remediation.fixed_version.clone(),
            finding_ids: remediation.finding_ids.clone(),
            action,
            declarations,
        });
    }
    let count = |action: FixAction| {
        packages
            .iter()
            .filter(|package| package.action == action)
            .count()
    };
    let summary = FixSummary {
        vulnerable_packages: packages.len(),
        lockfile_update: count(FixAction::UpdateLockfile) + count(FixAction::UpdateTransitive),
        manifest_change: count(FixAction::EditManifest),
        no_fix: count(FixAction::NoFix),
    };
    FixReport {
        schema_version: crate::SCHEMA_VERSION,
        tool: report.tool.clone(),
        target: report.target.clone(),
        database: report.database.clone(),
        summary,
        packages,
    }
}

fn check(ecosystem: &str, declaration: Declaration, fixed: Option<&str>) -> DeclarationCheck {
    let verdict = fixed.map(|fixed| {
        // An empty requirement (`"*"` spelled as nothing, a bare PEP 508 name) allows any version.
        if declaration.requirement.trim().is_empty() {
            return Ok(true);
        }
        RequirementSyntax::for_osv_ecosystem(ecosystem)
            .and_then(|syntax| Requirement::parse_as(syntax, &declaration.requirement))
            .map_err(|error| error.to_string())
            .and_then(|requirement| requirement.allows(fixed).map_err(|error| error.to_string()))
    });
    let (allows_fix, problem) = match verdict {
        None => (None, None),
        Some(Ok(allows)) => (Some(allows), None),
        Some(Err(problem)) => (None, Some(problem)),
    };
    DeclarationCheck {
        manifest: declaration.manifest,
        line: declaration.line,
        requirement: declaration.requirement,
        allows_fix,
        problem,
    }
}

/// The human rendering of a fix plan.
pub fn render_table(report: &FixReport) -> String {
    use std::fmt::Write;

    let mut text = String::new();
    for package in &report.packages {
        let _ = writeln!(
            text,
            "{} {} ({}): {}",
            package.name,
            package.version,
            package.ecosystem,
            package.finding_ids.join(", ")
        );
        let advice = match (&package.fixed_version, package.action) {
            (Some(version), FixAction::UpdateLockfile) => {
                format!("upgrade to {version}: the manifest allows it, update the lockfile")
            }
            (Some(version), FixAction::UpdateTransitive) => format!(
                "upgrade to {version}: not declared in a manifest, update the lockfile or the \
                 dependency that requires it"
            ),
            (Some(version), FixAction::EditManifest) => {
                format!("upgrade to {version}: edit the manifest, its requirement excludes it")
            }
            _ => "no released version clears every advisory".to_owned(),
        };
        let _ = writeln!(text, "  {advice}");
        for declaration in &package.declarations {
            let place = vouch_model::Location {
                path: declaration.manifest.clone(),
                line: declaration.line,
            };
            let verdict = match (declaration.allows_fix, &declaration.problem) {
                (Some(true), _) => "allows it".to_owned(),
                (Some(false), _) => "excludes it".to_owned(),
                (None, Some(problem)) => format!("cannot be checked: {problem}"),
                (None, None) => "(no fixed version to check)".to_owned(),
            };
            let _ = writeln!(text, "  {place}: `{}` {verdict}", declaration.requirement);
        }
        text.push('\n');
    }
    let summary = &report.summary;
    let _ = writeln!(
        text,
        "{} vulnerable packages: {} fixed by a lockfile update, {} need a manifest change, {} \
         without a fix",
        summary.vulnerable_packages,
        summary.lockfile_update,
        summary.manifest_change,
        summary.no_fix
    );
    text
}

//! The default, human rendering: findings grouped by package, worst first within a package.

use std::fmt::Write;

use vouch_match::SeverityLevel;

use crate::{ReportedFinding, ScanReport};

/// What the table shows besides the findings.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableOptions {
    /// List findings a VEX statement suppresses, with the statement.
    pub show_suppressed: bool,
}

pub fn render(report: &ScanReport, options: TableOptions) -> String {
    let mut text = String::new();
    for (_, findings) in by_package(&report.findings) {
        let Some(first) = findings.first() else {
            continue;
        };
        package_heading(&mut text, first);
        match report.fixed_version(&first.finding.component_id) {
            Some(version) => {
                let _ = writeln!(text, "  fix: upgrade to {version}");
            }
            None => text.push_str("  fix: no version clears every advisory\n"),
        }
        for finding in findings {
            advisory_lines(&mut text, finding);
        }
        text.push('\n');
    }
    if options.show_suppressed && !report.suppressed.is_empty() {
        text.push_str("Suppressed by VEX\n\n");
        for (_, findings) in by_package(&report.suppressed) {
            let Some(first) = findings.first() else {
                continue;
            };
            package_heading(&mut text, first);
            for finding in findings {
                advisory_lines(&mut text, finding);
            }
            text.push('\n');
        }
    }
    if !report.warnings.is_empty() {
        text.push_str("Warnings (informational advisories)\n\n");
        for warning in &report.warnings {
            let _ = write!(
                text,
                "{} {} ({}): {} {}",
                warning.package, warning.version, warning.ecosystem, warning.kind, warning.id
            );
            if let Some(summary) = &warning.summary {
                let _ = write!(text, "  {}", one_line(summary));
            }
            text.push('\n');
        }
        text.push('\n');
    }
    text.push_str(&summary_line(report));
    text.push('\n');
    text
}

/// Findings of one package together, packages in report order, worst finding first.
fn by_package(findings: &[ReportedFinding]) -> Vec<(&str, Vec<&ReportedFinding>)> {
    let mut groups: Vec<(&str, Vec<&ReportedFinding>)> = Vec::new();
    for finding in findings {
        let id = finding.finding.component_id.as_str();
        match groups.iter_mut().find(|(group, _)| *group == id) {
            Some((_, members)) => members.push(finding),
            None => groups.push((id, vec![finding])),
        }
    }
    for (_, members) in &mut groups {
        members.sort_by(|left, right| {
            right
                .finding
                .severity
                .level
                .cmp(&left.finding.severity.level)
                .then_with(|| left.finding.id.cmp(&right.finding.id))
        });
    }
    groups
}

fn package_heading(text: &mut String, finding: &ReportedFinding) {
    let _ = write!(
        text,
        "{} {} ({})",
        finding.name, finding.finding.version, finding.finding.ecosystem
    );
    let places: Vec<String> = finding.locations.iter().map(ToString::to_string).collect();
    if !places.is_empty() {
        let _ = write!(text, " in {}", places.join(", "));
    }
    text.push('\n');
}

/// The advisory's line, its aliases, and the VEX statement about it when there is one (an
/// `affected` or `under_investigation` statement keeps the finding but is part of its triage).
fn advisory_lines(text: &mut String, reported: &ReportedFinding) {
    let finding = &reported.finding;
    let severity = match finding.severity.score {
        Some(score) => format!("{} {score:.1}", finding.severity.level.as_str()),
        None => finding.severity.level.as_str().to_owned(),
    };
    let _ = write!(text, "  {severity:<12} {}", finding.id);
    if let Some(summary) = &finding.summary {
        let _ = write!(text, "  {}", one_line(summary));
    }
    text.push('\n');
    if !finding.aliases.is_empty() {
        let _ = writeln!(text, "  {:<12} also {}", "", finding.aliases.join(", "));
    }
    if let Some(decision) = &reported.vex {
        let _ = write!(text, "  {:<12} {}", "", decision.status());
        if let Some(justification) = decision.justification() {
            let _ = write!(text, " ({justification})");
        }
        let _ = writeln!(text, " in {}", decision.document);
    }
}

/// Summaries are meant for one line; some advisories wrap them.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn summary_line(report: &ScanReport) -> String {
    let summary = &report.summary;
    let mut line = if summary.components == 0 {
        // Not a clean result: a path without lockfiles (or an empty SBOM) proves nothing.
        format!(
            "No packages found in {}: nothing was scanned",
            report.target
        )
    } else if summary.findings == 0 {
        format!(
            "No known vulnerabilities in {} packages ({} scanned)",
            summary.components, summary.scanned
        )
    } else {
        // Worst first, unknown last: the order a reader triages in.
        let levels: Vec<String> = SeverityLevel::ALL[1..]
            .iter()
            .rev()
            .chain(&SeverityLevel::ALL[..1])
            .copied()
            .filter_map(|level| {
                let count = summary.by_severity.get(&level).copied().unwrap_or(0);
                (count > 0).then(|| format!("{count} {}", level.as_str()))
            })
            .collect();
        format!(
            "{} {} in {} of {} packages: {}",
            summary.findings,
            plural(summary.findings, "vulnerability", "vulnerabilities"),
            summary.vulnerable_packages,
            summary.scanned,
            levels.join(", ")
        )
    };
    if summary.suppressed > 0 {
        let _ = write!(line, "; {} suppressed by VEX", summary.suppressed);
    }
    if summary.warnings > 0 {
        let _ = write!(
            line,
            "; {} {}",
            summary.warnings,
            plural(summary.warnings, "warning", "warnings")
        );
    }
    line
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

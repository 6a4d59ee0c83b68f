//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers.
//!
//! One rule per advisory (its primary id), one result per advisory and package. GitHub reads
//! the rule's `security-severity` (a CVSS-like score as text) to rank alerts, needs a physical
//! location for every result, and keys alerts across runs by `ruleId`, location and
//! `partialFingerprints`, all of which stay the same for the same package and advisory.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use vouch_match::{Finding, SeverityLevel};

use super::{RenderError, to_json_bytes};
use crate::{ReportedFinding, ScanReport};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/vouch-dev/vouch";

/// What the SARIF log shows besides the findings.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions {
    /// Also write findings a VEX statement suppresses, as results with an external
    /// suppression (GitHub shows them as dismissed).
    pub show_suppressed: bool,
    /// The artifact a result points at when its package has no lockfile location (an SBOM
    /// given on the command line), relative to `%SRCROOT%`.
    pub fallback_uri: String,
    /// Where the scanned directory is under `%SRCROOT%` (`/`-separated, empty when it is the
    /// root): lockfile locations are relative to the scanned directory, and code scanning
    /// resolves URIs from the repository root.
    pub scanned_directory: String,
}

pub fn render(report: &ScanReport, options: &SarifOptions) -> Result<Vec<u8>, RenderError> {
    let suppressed: &[ReportedFinding] = if options.show_suppressed {
        &report.suppressed
    } else {
        &[]
    };
    let mut rules: BTreeMap<&str, &Finding> = BTreeMap::new();
    for finding in report.findings.iter().chain(suppressed) {
        let current = rules
            .entry(finding.finding.id.as_str())
            .or_insert(&finding.finding);
        // The same advisory can carry different severities per package (ecosystem-specific
        // ratings); the rule shows the worst.
        if finding.finding.severity.level > current.severity.level {
            *current = &finding.finding;
        }
    }
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(index, id)| (*id, index))
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .chain(suppressed)
        .map(|finding| result(finding, &rule_index, report, options))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": INFORMATION_URI,
                    "rules": rules.values().map(|finding| rule(finding)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": {
                "%SRCROOT%": { "description": { "text": "The scanned directory." } }
            },
            "results": results,
        }]
    });
    to_json_bytes(&log, "SARIF")
}

fn rule(finding: &Finding) -> Value {
    let title = finding.summary.as_deref().unwrap_or(&finding.id);
    let mut help = format!("{title}\n\nAdvisory: {}", finding.url);
    if !finding.aliases.is_empty() {
        help.push_str(&format!("\nAlso known as: {}", finding.aliases.join(", ")));
    }
    let mut tags = vec![json!("security"), json!("vulnerability")];
    tags.extend(finding.aliases.iter().map(|alias| json!(alias)));
    let mut properties = Map::new();
    if let Some(score) = security_severity(finding) {
        properties.insert("security-severity".to_owned(), json!(score));
    }
    properties.insert("tags".to_owned(), Value::Array(tags));
    json!({
        "id": finding.id,
        "name": rule_name(&finding.id),
        "shortDescription": { "text": title },
        "fullDescription": { "text": title },
        "helpUri": finding.url,
        "help": { "text": help, "markdown": help_markdown(finding, title) },
        "defaultConfiguration": { "level": level(finding.severity.level) },
        "properties": properties,
    })
}

/// SARIF rule names are PascalCase identifiers; an advisory id is not, so make one of it.
fn rule_name(id: &str) -> String {
    id.split(|character: char| !character.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut characters = part.chars();
            characters.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + &characters.as_str().to_ascii_lowercase()
            })
        })
        .collect()
}

fn help_markdown(finding: &Finding, title: &str) -> String {
    let mut markdown = format!(
        "**{}**: {title}\n\n[{}]({})",
        finding.id, finding.url, finding.url
    );
    if !finding.aliases.is_empty() {
        markdown.push_str(&format!(
            "\n\nAlso known as: {}",
            finding.aliases.join(", ")
        ));
    }
    markdown
}

/// GitHub's `security-severity`: the CVSS base score when there is one; for a rating without
/// a score, the lowest score of that rating's band (so GitHub puts it in the same band).
fn security_severity(finding: &Finding) -> Option<String> {
    if let Some(score) = finding.severity.score {
        return Some(format!("{score:.1}"));
    }
    let band_floor = match finding.severity.level {
        SeverityLevel::Critical => "9.0",
        SeverityLevel::High => "7.0",
        SeverityLevel::Medium => "4.0",
        SeverityLevel::Low => "0.1",
        SeverityLevel::None => "0.0",
        SeverityLevel::Unknown => return None,
    };
    Some(band_floor.to_owned())
}

/// SARIF levels: `error` for high and critical, `warning` for medium and unknown (a
/// vulnerability nobody rated is not a note), `note` for low and none.
fn level(severity: SeverityLevel) -> &'static str {
    match severity {
        SeverityLevel::Critical | SeverityLevel::High => "error",
        SeverityLevel::Medium | SeverityLevel::Unknown => "warning",
        SeverityLevel::Low | SeverityLevel::None => "note",
    }
}

fn result(
    reported: &ReportedFinding,
    rule_index: &BTreeMap<&str, usize>,
    report: &ScanReport,
    options: &SarifOptions,
) -> Value {
    let finding = &reported.finding;
    let remediation = report.remediation(&finding.component_id);
    let mut message = format!(
        "{} {} is affected by {}",
        reported.name, finding.version, finding.id
    );
    if let Some(summary) = &finding.summary {
        message.push_str(&format!(": {summary}"));
    }
    match (remediation, finding.fixed_versions.first()) {
        (Some(remediation), _) => match &remediation.fixed_version {
            Some(version) => message.push_str(&format!(". Upgrade to {version}.")),
            None => {
                message.push_str(". No fixed version clears every advisory of this package.");
            }
        },
        // No remediation: VEX suppressed every finding of the package, so no upgrade is due,
        // but the advisory's own fix is still worth showing beside the suppression.
        (None, Some(version)) => message.push_str(&format!(". Fixed in {version}.")),
        (None, None) => message.push('.'),
    }
    let locations: Vec<Value> = if reported.locations.is_empty() {
        vec![physical_location(&options.fallback_uri, None)]
    } else {
        reported
            .locations
            .iter()
            .map(|location| {
                let path = match options.scanned_directory.trim_end_matches('/') {
                    "" => location.path.clone(),
                    directory => format!("{directory}/{}", location.path),
                };
                physical_location(&path, location.line)
            })
            .collect()
    };
    let fingerprint = {
        let digest = Sha256::digest(format!("{}\n{}", finding.id, finding.purl).as_bytes());
        digest
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>()
    };
    let mut result = json!({
        "ruleId": finding.id,
        "ruleIndex": rule_index.get(finding.id.as_str()).copied().unwrap_or(0),
        "level": level(finding.severity.level),
        "message": { "text": message },
        "locations": locations,
        "partialFingerprints": { "vouchFinding/v1": fingerprint },
        "properties": {
            "purl": finding.purl.to_string(),
            "ecosystem": finding.ecosystem,
            "version": finding.version,
            "aliases": finding.aliases,
            "fixedVersions": finding.fixed_versions,
        },
    });
    if let (Some(decision), Some(object)) = (&reported.vex, result.as_object_mut())
        && decision.suppresses()
    {
        let justification = [
            Some(decision.status()),
            decision.justification(),
            decision.statement.impact_statement.as_deref(),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(": ");
        object.insert(
            "suppressions".to_owned(),
            json!([{
                "kind": "external",
                "status": "accepted",
                "justification": format!("{justification} (VEX {})", decision.document),
            }]),
        );
    }
    result
}

fn physical_location(path: &str, line: Option<u32>) -> Value {
    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".to_owned(),
        json!({ "uri": relative_uri(path), "uriBaseId": "%SRCROOT%" }),
    );
    if let Some(line) = line.filter(|line| *line >= 1) {
        physical.insert("region".to_owned(), json!({ "startLine": line }));
    }
    json!({ "physicalLocation": physical })
}

/// A `/`-separated relative path as a URI reference: SARIF `uri`s are URIs, so a space or a
/// `#` in a directory name must be percent-encoded, or consumers read a fragment or reject it.
fn relative_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

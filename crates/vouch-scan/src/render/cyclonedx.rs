//! A CycloneDX 1.6 BOM of the scanned packages with a `vulnerabilities` section: the SBOM and
//! the VEX in one document. Suppressed findings are included with their VEX analysis, so a
//! consumer of the BOM sees the same triage as the scan.

use serde_json::{Map, Value, json};
use vouch_formats::vex::{cyclonedx_alias_references, cyclonedx_analysis};
use vouch_formats::{Format, WriteOptions};
use vouch_model::Bom;

use super::{RenderError, to_json_bytes};
use crate::{ReportedFinding, ScanReport};

pub fn render(
    report: &ScanReport,
    bom: &Bom,
    options: &WriteOptions,
) -> Result<Vec<u8>, RenderError> {
    let document = vouch_formats::write(bom, Format::CycloneDxJson, options)?;
    let mut document: Value =
        serde_json::from_slice(&document).map_err(|source| RenderError::Json {
            format: "CycloneDX",
            source,
        })?;
    let vulnerabilities: Vec<Value> = report
        .findings
        .iter()
        .chain(&report.suppressed)
        .map(|finding| vulnerability(finding, report))
        .collect();
    if let Some(root) = document.as_object_mut() {
        root.insert("vulnerabilities".to_owned(), Value::Array(vulnerabilities));
    }
    to_json_bytes(&document, "CycloneDX")
}

/// One vulnerability per advisory and package: CycloneDX keeps one `analysis` per
/// vulnerability, and a VEX statement may clear one package and not another.
fn vulnerability(reported: &ReportedFinding, report: &ScanReport) -> Value {
    let finding = &reported.finding;
    let mut map = Map::new();
    map.insert(
        "bom-ref".to_owned(),
        json!(format!("{}|{}", finding.id, finding.component_id)),
    );
    map.insert("id".to_owned(), json!(finding.id));
    map.insert(
        "source".to_owned(),
        json!({ "name": "OSV", "url": finding.url }),
    );
    if !finding.aliases.is_empty() {
        map.insert(
            "references".to_owned(),
            cyclonedx_alias_references(&finding.aliases),
        );
    }
    map.insert("ratings".to_owned(), json!([rating(finding)]));
    if let Some(summary) = &finding.summary {
        map.insert("description".to_owned(), json!(summary));
    }
    if let Some(version) = report.fixed_version(&finding.component_id) {
        map.insert(
            "recommendation".to_owned(),
            json!(format!("Upgrade {} to {version}", reported.name)),
        );
    }
    map.insert("advisories".to_owned(), json!([{ "url": finding.url }]));
    if let Some(modified) = &finding.modified {
        map.insert("updated".to_owned(), json!(modified));
    }
    if let Some(decision) = &reported.vex {
        map.insert(
            "analysis".to_owned(),
            cyclonedx_analysis(&decision.statement),
        );
    }
    let mut versions = vec![json!({ "version": finding.version, "status": "affected" })];
    versions.extend(
        finding
            .fixed_versions
            .iter()
            .map(|version| json!({ "version": version, "status": "unaffected" })),
    );
    map.insert(
        "affects".to_owned(),
        json!([{ "ref": finding.component_id.as_str(), "versions": versions }]),
    );
    Value::Object(map)
}

fn rating(finding: &vouch_match::Finding) -> Value {
    let severity = &finding.severity;
    let mut rating = Map::new();
    if let Some(score) = severity.score {
        rating.insert("score".to_owned(), json!(score));
    }
    rating.insert("severity".to_owned(), json!(severity.level.as_str()));
    let method = match severity.vector.as_deref() {
        Some(vector) if vector.starts_with("CVSS:4.0/") => "CVSSv4",
        Some(vector) if vector.starts_with("CVSS:3.1/") => "CVSSv31",
        Some(vector) if vector.starts_with("CVSS:3.0/") => "CVSSv3",
        Some(_) => "CVSSv2",
        None => "other",
    };
    rating.insert("method".to_owned(), json!(method));
    if let Some(vector) = &severity.vector {
        rating.insert("vector".to_owned(), json!(vector));
    }
    rating.insert("source".to_owned(), json!({ "name": "OSV" }));
    Value::Object(rating)
}

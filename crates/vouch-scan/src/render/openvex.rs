//! OpenVEX 0.2.0 from a scan: one statement per finding and package, so the scan's triage can
//! be handed on. Active findings are `affected` with the upgrade as action statement;
//! suppressed ones repeat the statement that suppressed them.

use vouch_formats::vex::{
    OpenVexOptions, ProductRef, VexDocument, VexStatement, VexStatus, VulnerabilityRef,
    write_openvex,
};

use super::RenderError;
use crate::{ReportedFinding, ScanReport};

/// Document settings: OpenVEX requires a timestamp.
#[derive(Debug, Clone)]
pub struct OpenVexRenderOptions {
    /// RFC 3339.
    pub timestamp: String,
    pub author: Option<String>,
}

pub fn render(report: &ScanReport, options: &OpenVexRenderOptions) -> Result<Vec<u8>, RenderError> {
    let statements = report
        .findings
        .iter()
        .chain(&report.suppressed)
        .map(|finding| statement(finding, report))
        .collect();
    let document = VexDocument {
        author: options.author.clone(),
        timestamp: Some(options.timestamp.clone()),
        version: Some(1),
        tooling: Some(format!("{} {}", report.tool.name, report.tool.version)),
        statements,
        ..VexDocument::default()
    };
    Ok(write_openvex(&document, &OpenVexOptions::default())?)
}

fn statement(reported: &ReportedFinding, report: &ScanReport) -> VexStatement {
    let finding = &reported.finding;
    let vulnerability = VulnerabilityRef {
        id: finding.id.clone(),
        aliases: finding.aliases.clone(),
        description: finding.summary.clone(),
    };
    let products = vec![ProductRef::from_purl(finding.purl.clone())];
    match &reported.vex {
        // The decision stands as it was made, about this package under the finding's name.
        Some(decision) => VexStatement {
            vulnerability,
            products,
            ..decision.statement.clone()
        },
        None => {
            let fix = report.fixed_version(&finding.component_id);
            let mut statement = VexStatement::new(vulnerability, products, VexStatus::Affected);
            statement.action_statement = Some(match fix {
                Some(version) => format!("Upgrade {} to {version}.", reported.name),
                None => format!(
                    "No released version of {} clears every advisory; remove or replace it.",
                    reported.name
                ),
            });
            statement
        }
    }
}

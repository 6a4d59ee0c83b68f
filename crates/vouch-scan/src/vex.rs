//! VEX applied to findings: the statement that decides a finding, and whether it suppresses it.

use serde::Serialize;
use vouch_formats::vex::{VexDocument, VexStatement, VexStatus, deciding_statement};
use vouch_model::Purl;

use crate::ReportedFinding;

/// The VEX documents a scan applies, with where each came from.
#[derive(Debug, Clone, Default)]
pub struct VexInput {
    documents: Vec<VexDocument>,
    origins: Vec<String>,
}

impl VexInput {
    pub fn add(&mut self, origin: impl Into<String>, document: VexDocument) {
        self.documents.push(document);
        self.origins.push(origin.into());
    }

    /// The statement deciding `finding`: among the statements about its package that name its
    /// id or any alias, the newest (see [`vouch_formats::vex::effective_statement`]).
    pub(crate) fn decide(
        &self,
        finding: &ReportedFinding,
        subject: Option<&Purl>,
    ) -> Option<VexDecision> {
        let names: Vec<&str> = finding.names().collect();
        let (index, statement) =
            deciding_statement(&self.documents, &names, &finding.finding.purl, subject)?;
        Some(VexDecision {
            status: statement.status.as_str(),
            vulnerability: statement.vulnerability.id.clone(),
            justification: statement
                .justification
                .map(|justification| justification.as_str().to_owned())
                .or_else(|| statement.source_justification.clone()),
            impact_statement: statement.impact_statement.clone(),
            action_statement: statement.action_statement.clone(),
            status_notes: statement.status_notes.clone(),
            document: self.origins.get(index).cloned().unwrap_or_default(),
            statement: statement.clone(),
        })
    }
}

/// The VEX statement that decides a finding, as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VexDecision {
    /// OpenVEX's spelling: `not_affected`, `affected`, `fixed`, `under_investigation`.
    pub status: &'static str,
    /// The vulnerability name the statement used (the finding's id or one of its aliases).
    pub vulnerability: String,
    /// OpenVEX's justification label, or the source document's own when it has no OpenVEX
    /// equivalent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_notes: Option<String>,
    /// The VEX document the statement came from, as named on the command line.
    pub document: String,
    /// The statement itself, for the VEX renderings.
    #[serde(skip)]
    pub statement: VexStatement,
}

impl VexDecision {
    /// `not_affected` and `fixed` take a finding out of the results; `affected` and
    /// `under_investigation` keep it, with the statement attached.
    pub fn suppresses(&self) -> bool {
        self.status == VexStatus::NotAffected.as_str() || self.status == VexStatus::Fixed.as_str()
    }

    /// The status as the VEX model names it.
    pub fn vex_status(&self) -> Option<VexStatus> {
        VexStatus::from_name(self.status)
    }
}

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
            statement: statement.clone(),
            document: self.origins.get(index).cloned().unwrap_or_default(),
        })
    }
}

/// The VEX statement that decides a finding, and the document it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VexDecision {
    pub statement: VexStatement,
    /// The VEX document the statement came from, as named on the command line.
    pub document: String,
}

impl VexDecision {
    /// OpenVEX's spelling: `not_affected`, `affected`, `fixed`, `under_investigation`.
    pub fn status(&self) -> &'static str {
        self.statement.status.as_str()
    }

    /// The vulnerability name the statement used (the finding's id or one of its aliases).
    pub fn vulnerability(&self) -> &str {
        &self.statement.vulnerability.id
    }

    /// OpenVEX's justification label, or the source document's own when it has no OpenVEX
    /// equivalent.
    pub fn justification(&self) -> Option<&str> {
        self.statement
            .justification
            .map(|justification| justification.as_str())
            .or(self.statement.source_justification.as_deref())
    }

    /// `not_affected` and `fixed` take a finding out of the results; `affected` and
    /// `under_investigation` keep it, with the statement attached.
    pub fn suppresses(&self) -> bool {
        matches!(
            self.statement.status,
            VexStatus::NotAffected | VexStatus::Fixed
        )
    }
}

/// The report's view of a decision: the statement's fields a reader needs, and the document.
impl Serialize for VexDecision {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            status: &'a str,
            vulnerability: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            justification: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            impact_statement: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            action_statement: Option<&'a str>,
            #[serde(skip_serializing_if = "Option::is_none")]
            status_notes: Option<&'a str>,
            document: &'a str,
        }
        View {
            status: self.status(),
            vulnerability: self.vulnerability(),
            justification: self.justification(),
            impact_statement: self.statement.impact_statement.as_deref(),
            action_statement: self.statement.action_statement.as_deref(),
            status_notes: self.statement.status_notes.as_deref(),
            document: &self.document,
        }
        .serialize(serializer)
    }
}

//! How bad a finding is: a CVSS base score where the advisory gives a vector, else the
//! qualitative rating its database or ecosystem gives.

use std::cmp::Reverse;
use std::str::FromStr;

use serde::Serialize;
use serde_json::Value;
use vouch_vulndb::osv;

/// The qualitative rating, in CVSS's scale, ordered from `Unknown` (nothing said) to `Critical`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeverityLevel {
    /// The advisory gives neither a usable vector nor a rating.
    Unknown,
    /// CVSS 0.0.
    None,
    /// CVSS 0.1 to 3.9, or rated low.
    Low,
    /// CVSS 4.0 to 6.9, or rated moderate or medium.
    Medium,
    /// CVSS 7.0 to 8.9, or rated high or important.
    High,
    /// CVSS 9.0 to 10.0, or rated critical.
    Critical,
}

impl SeverityLevel {
    /// Every level, from `Unknown` to `Critical`.
    pub const ALL: [Self; 6] = [
        Self::Unknown,
        Self::None,
        Self::Low,
        Self::Medium,
        Self::High,
        Self::Critical,
    ];

    /// The lower-case name, as reports write it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unknown => "unknown",
            Self::None => "none",
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    /// A database's or ecosystem's own rating: GHSA's `LOW`/`MODERATE`/`HIGH`/`CRITICAL`,
    /// Ubuntu's `negligible` to `critical`, and the `medium`/`important` spellings other
    /// distributions use; case does not matter.
    pub fn from_rating(rating: &str) -> Option<Self> {
        Some(match rating.trim().to_ascii_lowercase().as_str() {
            "none" => Self::None,
            // Ubuntu's "technically a security problem, but only theoretical": still reported.
            "negligible" | "low" => Self::Low,
            "moderate" | "medium" => Self::Medium,
            "high" | "important" => Self::High,
            "critical" => Self::Critical,
            _ => return None,
        })
    }
}

/// Where a finding's severity came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SeveritySource {
    /// A CVSS vector in the record's or the affected entry's `severity[]`.
    Cvss,
    /// A qualitative rating in `severity[]` (OSV's `Ubuntu` type).
    Ubuntu,
    /// `affected[].ecosystem_specific.severity`: the rating for this package.
    EcosystemSpecific,
    /// The record's `database_specific.severity`, as GHSA writes it.
    DatabaseSpecific,
    /// Nothing: the level is `unknown`.
    None,
}

/// A finding's severity: the level, and the score and vector when CVSS gave it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Severity {
    /// The qualitative level.
    pub level: SeverityLevel,
    /// The CVSS base score, 0.0 to 10.0.
    pub score: Option<f64>,
    /// The CVSS vector the score was computed from, as the advisory wrote it.
    pub vector: Option<String>,
    /// What gave the level.
    pub source: SeveritySource,
}

impl Severity {
    /// The severity of an advisory that says nothing usable.
    pub fn unknown() -> Self {
        Self {
            level: SeverityLevel::Unknown,
            score: None,
            vector: None,
            source: SeveritySource::None,
        }
    }

    /// Whether `self` is worse than `other`: the higher level, then the higher score.
    fn is_worse_than(&self, other: &Self) -> bool {
        (self.level, self.score.unwrap_or(-1.0)) > (other.level, other.score.unwrap_or(-1.0))
    }
}

/// The worst of `severities` (the first of equals), or `unknown` when there are none.
pub(crate) fn worst(severities: impl Iterator<Item = Severity>) -> Severity {
    severities
        .reduce(|worst, next| {
            if next.is_worse_than(&worst) {
                next
            } else {
                worst
            }
        })
        .unwrap_or_else(Severity::unknown)
}

/// The severity of one matched record.
///
/// A CVSS vector wins: of several, the newest CVSS version (v4.0 over v3.1 over v3.0 over v2),
/// the publisher's most current assessment. Without a usable vector, a qualitative `Ubuntu` rating
/// in `severity[]`, then the affected entry's `ecosystem_specific.severity` (it rates this
/// package), then the record's `database_specific.severity`; otherwise `unknown`.
pub(crate) fn assess(
    vectors: &[osv::Severity],
    affected: Option<&osv::Affected>,
    record: &osv::Osv,
) -> Severity {
    let newest_vector = vectors
        .iter()
        .filter(|severity| matches!(severity.kind.as_str(), "CVSS_V2" | "CVSS_V3" | "CVSS_V4"))
        .filter_map(|severity| {
            let parsed = cvss::Cvss::from_str(severity.score.trim()).ok()?;
            Some((cvss_version(&parsed), parsed, &severity.score))
        })
        // The first listed of the newest version.
        .min_by_key(|(version, _, _)| Reverse(*version));
    if let Some((_, parsed, vector)) = newest_vector {
        let score = parsed.score();
        return Severity {
            level: level_of_score(score),
            score: Some(score),
            vector: Some(vector.clone()),
            source: SeveritySource::Cvss,
        };
    }
    let rating = |specific: Option<&Value>| {
        specific?
            .get("severity")?
            .as_str()
            .and_then(SeverityLevel::from_rating)
    };
    let listed_rating = vectors
        .iter()
        .filter(|severity| severity.kind == "Ubuntu")
        .find_map(|severity| SeverityLevel::from_rating(&severity.score));
    let fallbacks = [
        (listed_rating, SeveritySource::Ubuntu),
        (
            rating(affected.and_then(|affected| affected.ecosystem_specific.as_ref())),
            SeveritySource::EcosystemSpecific,
        ),
        (
            rating(record.database_specific.as_ref()),
            SeveritySource::DatabaseSpecific,
        ),
    ];
    fallbacks
        .into_iter()
        .find_map(|(level, source)| {
            Some(Severity {
                level: level?,
                score: None,
                vector: None,
                source,
            })
        })
        .unwrap_or_else(Severity::unknown)
}

/// A parsed vector's CVSS version, as a number that orders them: 20, 30, 31, 40.
fn cvss_version(vector: &cvss::Cvss) -> u8 {
    match vector {
        cvss::Cvss::CvssV20(_) => 20,
        cvss::Cvss::CvssV30(_) => 30,
        cvss::Cvss::CvssV31(_) => 31,
        cvss::Cvss::CvssV40(_) => 40,
        // A version newer than this crate knows of is the newest.
        _ => u8::MAX,
    }
}

/// CVSS's qualitative scale (v3.1 §5, v4.0 §6), applied to every version's score alike so
/// that one number always means one level. CVSS v2 itself has no `critical`; NVD's v2 rating
/// would call 9.0 to 10.0 `high`.
fn level_of_score(score: f64) -> SeverityLevel {
    if score >= 9.0 {
        SeverityLevel::Critical
    } else if score >= 7.0 {
        SeverityLevel::High
    } else if score >= 4.0 {
        SeverityLevel::Medium
    } else if score > 0.0 {
        SeverityLevel::Low
    } else {
        SeverityLevel::None
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    fn vector(kind: &str, score: &str) -> osv::Severity {
        osv::Severity {
            kind: kind.to_owned(),
            score: score.to_owned(),
        }
    }

    #[test]
    fn cvss_vectors_of_each_version_give_their_base_score() {
        let record = osv::Osv::default();
        for (kind, text, score, level) in [
            // The v3.1 specification's example: network, low complexity, no privileges,
            // no interaction, unchanged scope, high C/I/A is 9.8.
            (
                "CVSS_V3",
                "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
                9.8,
                SeverityLevel::Critical,
            ),
            (
                "CVSS_V3",
                "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L",
                3.7,
                SeverityLevel::Low,
            ),
            (
                "CVSS_V2",
                "AV:N/AC:L/Au:N/C:P/I:P/A:P",
                7.5,
                SeverityLevel::High,
            ),
            (
                "CVSS_V4",
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
                SeverityLevel::Critical,
            ),
        ] {
            let severity = assess(&[vector(kind, text)], None, &record);
            assert_eq!(
                severity,
                Severity {
                    level,
                    score: Some(score),
                    vector: Some(text.to_owned()),
                    source: SeveritySource::Cvss,
                },
                "{text}"
            );
        }
    }

    #[test]
    fn the_newest_cvss_version_wins_over_an_older_one() {
        let v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N";
        let severity = assess(
            &[
                vector("CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                vector("CVSS_V4", v4),
            ],
            None,
            &osv::Osv::default(),
        );
        assert_eq!(severity.vector.as_deref(), Some(v4));
        assert_eq!(severity.level, SeverityLevel::Medium);
        assert_eq!(severity.score, Some(6.9));

        // Both are `CVSS_V3`; 3.1 is the newer. The 3.0 vector alone would score 9.8.
        let v3_1 = "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:L";
        let severity = assess(
            &[
                vector("CVSS_V3", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
                vector("CVSS_V3", v3_1),
            ],
            None,
            &osv::Osv::default(),
        );
        assert_eq!(severity.vector.as_deref(), Some(v3_1));
        assert_eq!(severity.score, Some(3.7));
    }

    #[test]
    fn without_a_vector_a_listed_then_ecosystem_then_database_rating_is_used() {
        let record = osv::Osv {
            database_specific: Some(json!({"severity": "MODERATE"})),
            ..osv::Osv::default()
        };
        let affected = osv::Affected {
            ecosystem_specific: Some(json!({"severity": "HIGH"})),
            ..osv::Affected::default()
        };
        let rated = |level, source| Severity {
            level,
            score: None,
            vector: None,
            source,
        };
        assert_eq!(
            assess(&[], Some(&affected), &record),
            rated(SeverityLevel::High, SeveritySource::EcosystemSpecific)
        );
        assert_eq!(
            assess(&[vector("CVSS_V3", "not a vector")], None, &record),
            rated(SeverityLevel::Medium, SeveritySource::DatabaseSpecific)
        );
        assert_eq!(
            assess(&[vector("Ubuntu", "negligible")], Some(&affected), &record),
            rated(SeverityLevel::Low, SeveritySource::Ubuntu)
        );
        assert_eq!(assess(&[], None, &osv::Osv::default()), Severity::unknown());
    }

    proptest! {
        #[test]
        fn any_vector_text_gives_a_severity(text in "(CVSS:[234]\\.[01]/)?([A-Za-z]{1,3}:[A-Za-z]{0,2}/?){0,12}") {
            for kind in ["CVSS_V2", "CVSS_V3", "CVSS_V4"] {
                let _ = assess(&[vector(kind, &text)], None, &osv::Osv::default());
            }
        }

        /// Real metric names with any of their values, missing, repeated or out of order: the
        /// shapes a careless publisher writes.
        #[test]
        fn vectors_of_real_metrics_give_a_severity(
            prefix in "(CVSS:3\\.1/|CVSS:4\\.0/|)",
            metrics in proptest::collection::vec(
                "(AV|AC|AT|PR|UI|S|C|I|A|VC|VI|VA|SC|SI|SA|E|RL|RC|Au|MSI|MSA|CR):[NALPHMRUCSXDY]",
                0..16,
            ),
        ) {
            let text = format!("{prefix}{}", metrics.join("/"));
            for kind in ["CVSS_V2", "CVSS_V3", "CVSS_V4"] {
                let severity = assess(&[vector(kind, &text)], None, &osv::Osv::default());
                if let Some(score) = severity.score {
                    prop_assert!((0.0..=10.0).contains(&score), "{text}: {score}");
                }
            }
        }
    }
}

//! RustSec advisories (`crates/<name>/RUSTSEC-*.md`: TOML front matter, then Markdown),
//! converted to OSV as RustSec's own exporter converts them.
//!
//! RustSec lists the versions that are *not* affected (`patched`, `unaffected`) as Cargo
//! requirements; OSV lists affected intervals. The conversion takes the complement: each
//! requirement becomes one interval, the intervals are sorted, and the gaps between them are
//! the affected ranges, written as one `SEMVER` range whose first `introduced` is `0.0.0-0`,
//! the lowest SemVer version.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use semver::{Comparator, Op, Prerelease, Version, VersionReq};
use serde::Deserialize;
use serde_json::json;

use crate::osv::{Affected, Event, Osv, Package, Range, Reference, Severity};

/// The ecosystem of every RustSec advisory, including those about `std` and the toolchain.
const ECOSYSTEM: &str = "crates.io";

/// Why a RustSec advisory could not be converted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RustSecError {
    #[error("the advisory does not start with a ```toml front matter block")]
    NoFrontMatter,
    #[error("the ```toml front matter block is not closed")]
    UnclosedFrontMatter,
    #[error("front matter: {0}")]
    Toml(String),
    #[error("`{requirement}` in [versions] or [affected]: {reason}")]
    Requirement { requirement: String, reason: String },
    #[error("the unaffected versions `{first}` and `{second}` overlap")]
    Overlap { first: String, second: String },
}

#[derive(Debug, Deserialize)]
struct RawAdvisory {
    advisory: Metadata,
    #[serde(default)]
    affected: Option<RawAffected>,
    #[serde(default)]
    versions: RawVersions,
}

#[derive(Debug, Deserialize)]
struct Metadata {
    id: String,
    package: String,
    date: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    references: Vec<String>,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    related: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    license: Option<String>,
    /// Version 1 advisories carry their text here instead of in the Markdown.
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct RawAffected {
    #[serde(default)]
    arch: Vec<String>,
    #[serde(default)]
    os: Vec<String>,
    #[serde(default)]
    functions: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct RawVersions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

/// Parses one advisory file and converts it to OSV.
pub fn parse_advisory(text: &str) -> Result<Osv, RustSecError> {
    let (front_matter, markdown) = split_front_matter(text)?;
    let raw: RawAdvisory =
        toml::from_str(front_matter).map_err(|error| RustSecError::Toml(error.to_string()))?;
    let (title, description) = title_and_description(markdown);
    let metadata = raw.advisory;
    let affected = raw.affected.unwrap_or_default();
    let ranges = affected_ranges(&raw.versions)?;

    let mut references = vec![
        Reference {
            kind: "PACKAGE".to_owned(),
            url: format!("https://crates.io/crates/{}", metadata.package),
        },
        Reference {
            kind: "ADVISORY".to_owned(),
            url: format!("https://rustsec.org/advisories/{}.html", metadata.id),
        },
    ];
    references.extend(
        metadata
            .url
            .iter()
            .chain(&metadata.references)
            .map(|url| Reference {
                kind: reference_kind(url).to_owned(),
                url: url.clone(),
            }),
    );
    let severity = metadata
        .cvss
        .iter()
        .filter_map(|vector| {
            let kind = if vector.starts_with("CVSS:4") {
                "CVSS_V4"
            } else if vector.starts_with("CVSS:3") {
                "CVSS_V3"
            } else {
                return None;
            };
            Some(Severity {
                kind: kind.to_owned(),
                score: vector.clone(),
            })
        })
        .collect();
    let published = rfc3339_noon(&metadata.date);
    Ok(Osv {
        schema_version: None,
        id: metadata.id,
        // The exporter takes the file's last commit time; a checkout's files carry none, and
        // the publication date is the closest date the advisory states.
        modified: Some(published.clone()),
        published: Some(published),
        withdrawn: metadata.withdrawn.as_deref().map(rfc3339_noon),
        aliases: metadata.aliases,
        upstream: Vec::new(),
        related: metadata.related,
        summary: metadata.title.or(title),
        details: metadata.description.or(description),
        severity,
        affected: vec![Affected {
            package: Package {
                ecosystem: ECOSYSTEM.to_owned(),
                purl: Some(format!("pkg:cargo/{}", metadata.package)),
                name: metadata.package,
            },
            severity: Vec::new(),
            ranges: vec![Range {
                kind: "SEMVER".to_owned(),
                repo: None,
                events: ranges,
                database_specific: None,
            }],
            versions: Vec::new(),
            ecosystem_specific: Some(json!({
                "affects": {
                    "arch": affected.arch,
                    "os": affected.os,
                    "functions": affected.functions.keys().collect::<Vec<_>>(),
                },
            })),
            database_specific: Some(json!({
                "categories": metadata.categories,
                "cvss": metadata.cvss,
                "informational": metadata.informational,
            })),
        }],
        references,
        credits: Vec::new(),
        database_specific: Some(json!({
            "license": metadata.license.as_deref().unwrap_or("CC0-1.0"),
        })),
    })
}

fn split_front_matter(text: &str) -> Result<(&str, &str), RustSecError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let body = text
        .strip_prefix("```toml")
        .and_then(|rest| {
            rest.strip_prefix('\n')
                .or_else(|| rest.strip_prefix("\r\n"))
        })
        .ok_or(RustSecError::NoFrontMatter)?;
    let end = body
        .match_indices("```")
        .map(|(index, _)| index)
        .find(|&index| index == 0 || body[..index].ends_with('\n'))
        .ok_or(RustSecError::UnclosedFrontMatter)?;
    let after = &body[end + 3..];
    Ok((&body[..end], after))
}

/// The first `# ` heading is the title; everything after it is the description.
fn title_and_description(markdown: &str) -> (Option<String>, Option<String>) {
    let mut lines = markdown.lines();
    for line in lines.by_ref() {
        if let Some(title) = line.strip_prefix("# ") {
            let rest: Vec<&str> = lines.collect();
            let description = rest.join("\n").trim().to_owned();
            return (
                Some(title.trim().to_owned()),
                (!description.is_empty()).then_some(description),
            );
        }
    }
    (None, None)
}

fn rfc3339_noon(date: &str) -> String {
    format!("{}T12:00:00Z", date.trim())
}

/// The exporter's guess of a reference's type from its URL.
fn reference_kind(url: &str) -> &'static str {
    if (url.contains("://github.com/") || url.contains("://gitlab.")) && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/") || url.contains("://cve.mitre.org/") {
        "ADVISORY"
    } else if url.contains("://crates.io/crates/") {
        "PACKAGE"
    } else {
        "WEB"
    }
}

/// One end of an interval of unaffected versions.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Bound {
    Unbounded,
    Inclusive(Version),
    Exclusive(Version),
}

impl Bound {
    fn version(&self) -> Option<&Version> {
        match self {
            Self::Unbounded => None,
            Self::Inclusive(version) | Self::Exclusive(version) => Some(version),
        }
    }
}

/// An interval of versions that are not affected.
#[derive(Debug, Clone)]
struct Unaffected {
    requirement: String,
    start: Bound,
    end: Bound,
}

/// Whether `start` (the lower bound of one interval) is at or below `end` (the upper bound of
/// another), i.e. whether some version can be in both.
fn reaches(start: &Bound, end: &Bound) -> bool {
    match (start.version(), end.version()) {
        (None, _) | (_, None) => true,
        (Some(low), Some(high)) => match low.cmp(high) {
            Ordering::Less => true,
            Ordering::Equal => {
                matches!((start, end), (Bound::Inclusive(_), Bound::Inclusive(_)))
            }
            Ordering::Greater => false,
        },
    }
}

/// The affected ranges, as `introduced`/`fixed` events of one SEMVER range.
fn affected_ranges(versions: &RawVersions) -> Result<Vec<Event>, RustSecError> {
    let mut unaffected = versions
        .unaffected
        .iter()
        .chain(&versions.patched)
        .map(|requirement| unaffected_interval(requirement))
        .collect::<Result<Vec<_>, _>>()?;
    for (index, first) in unaffected.iter().enumerate() {
        for second in unaffected.iter().skip(index + 1) {
            if reaches(&first.start, &second.end) && reaches(&second.start, &first.end) {
                return Err(RustSecError::Overlap {
                    first: first.requirement.clone(),
                    second: second.requirement.clone(),
                });
            }
        }
    }
    // Disjoint intervals sort by their start alone.
    unaffected.sort_by(|first, second| first.start.version().cmp(&second.start.version()));

    let introduced = |version: Option<Version>| Event {
        introduced: Some(version.map_or_else(|| "0.0.0-0".to_owned(), |v| v.to_string())),
        ..Event::default()
    };
    let fixed = |version: Version| Event {
        fixed: Some(version.to_string()),
        ..Event::default()
    };
    let mut events = Vec::new();
    let (Some(first), Some(last)) = (unaffected.first(), unaffected.last()) else {
        // Nothing is unaffected: every version is affected.
        return Ok(vec![introduced(None)]);
    };
    match &first.start {
        Bound::Unbounded => {}
        Bound::Inclusive(version) => events.extend([introduced(None), fixed(version.clone())]),
        Bound::Exclusive(version) => events.extend([introduced(None), fixed(successor(version))]),
    }
    for pair in unaffected.windows(2) {
        let [before, after] = pair else { continue };
        // Only the first start and the last end can be unbounded, since the intervals are
        // disjoint and sorted.
        let start = match &before.end {
            Bound::Unbounded => continue,
            Bound::Exclusive(version) => version.clone(),
            Bound::Inclusive(version) => successor(version),
        };
        let end = match &after.start {
            Bound::Unbounded => continue,
            Bound::Exclusive(version) => successor(version),
            Bound::Inclusive(version) => version.clone(),
        };
        events.extend([introduced(Some(start)), fixed(end)]);
    }
    match &last.end {
        Bound::Unbounded => {}
        Bound::Exclusive(version) => events.push(introduced(Some(version.clone()))),
        Bound::Inclusive(version) => events.push(introduced(Some(successor(version)))),
    }
    Ok(events)
}

/// The lowest version above `version` in SemVer precedence: `1.2.3` → `1.2.4-0`, and for a
/// pre-release one more pre-release identifier, `1.2.3-rc.1` → `1.2.3-rc.1.0`.
fn successor(version: &Version) -> Version {
    let mut next = version.clone();
    next.build = semver::BuildMetadata::EMPTY;
    let pre = if version.pre.is_empty() {
        next.patch = next.patch.saturating_add(1);
        "0".to_owned()
    } else {
        format!("{}.0", version.pre)
    };
    // Both forms are valid pre-releases: "0", or a valid one with ".0" appended.
    next.pre = Prerelease::new(&pre).unwrap_or(Prerelease::EMPTY);
    next
}

/// One Cargo requirement as an interval; at most one lower and one upper bound, and `=`, `^`
/// and `~` only alone, as the exporter accepts.
fn unaffected_interval(requirement: &str) -> Result<Unaffected, RustSecError> {
    let error = |reason: &str| RustSecError::Requirement {
        requirement: requirement.to_owned(),
        reason: reason.to_owned(),
    };
    let parsed = VersionReq::parse(requirement).map_err(|parse| error(&parse.to_string()))?;
    if parsed.comparators.len() > 2 {
        return Err(error("more than two comparators"));
    }
    let alone = parsed.comparators.len() == 1;
    let mut start = Bound::Unbounded;
    let mut end = Bound::Unbounded;
    for comparator in &parsed.comparators {
        let version = comparator_version(comparator);
        let (slot, bound) = match comparator.op {
            Op::Greater => (&mut start, Bound::Exclusive(version)),
            Op::GreaterEq => (&mut start, Bound::Inclusive(version)),
            Op::Less => (&mut end, Bound::Exclusive(version)),
            Op::LessEq => (&mut end, Bound::Inclusive(version)),
            Op::Exact | Op::Caret | Op::Tilde if !alone => {
                return Err(error("`=`, `^` and `~` must stand alone"));
            }
            Op::Exact => {
                start = Bound::Inclusive(version.clone());
                end = Bound::Inclusive(version);
                continue;
            }
            Op::Caret | Op::Tilde => {
                let upper = compatible_upper_bound(comparator);
                start = Bound::Inclusive(version);
                end = Bound::Exclusive(upper);
                continue;
            }
            _ => return Err(error("unsupported operator")),
        };
        if *slot != Bound::Unbounded {
            return Err(error("two bounds on the same side"));
        }
        *slot = bound;
    }
    if !reaches(&start, &end) {
        return Err(error("the lower bound is above the upper bound"));
    }
    Ok(Unaffected {
        requirement: requirement.to_owned(),
        start,
        end,
    })
}

/// `^` and `~` upper bounds, with the `-0` pre-release so that `^1.0` excludes `2.0.0-alpha`.
fn compatible_upper_bound(comparator: &Comparator) -> Version {
    let major = comparator.major;
    let mut upper = match (comparator.op, comparator.minor, comparator.patch) {
        (Op::Caret, Some(0), Some(patch)) if major == 0 => {
            Version::new(0, 0, patch.saturating_add(1))
        }
        (Op::Caret, Some(minor), _) if major == 0 => Version::new(0, minor.saturating_add(1), 0),
        (Op::Caret, _, _) | (_, None, _) => Version::new(major.saturating_add(1), 0, 0),
        (_, Some(minor), _) => Version::new(major, minor.saturating_add(1), 0),
    };
    upper.pre = Prerelease::new("0").unwrap_or(Prerelease::EMPTY);
    upper
}

fn comparator_version(comparator: &Comparator) -> Version {
    Version {
        major: comparator.major,
        minor: comparator.minor.unwrap_or(0),
        patch: comparator.patch.unwrap_or(0),
        pre: comparator.pre.clone(),
        build: semver::BuildMetadata::EMPTY,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn events(patched: &[&str], unaffected: &[&str]) -> Result<Vec<String>, RustSecError> {
        let versions = RawVersions {
            patched: patched.iter().map(|text| (*text).to_owned()).collect(),
            unaffected: unaffected.iter().map(|text| (*text).to_owned()).collect(),
        };
        Ok(affected_ranges(&versions)?
            .into_iter()
            .map(|event| match (event.introduced, event.fixed) {
                (Some(version), _) => format!("introduced {version}"),
                (_, Some(version)) => format!("fixed {version}"),
                _ => String::new(),
            })
            .collect())
    }

    #[test]
    fn patched_and_unaffected_become_the_gaps_between_them() -> Result<(), RustSecError> {
        assert_eq!(events(&[], &[])?, ["introduced 0.0.0-0"]);
        assert_eq!(
            events(&[">= 0.10.3"], &["< 0.10.0"])?,
            ["introduced 0.10.0", "fixed 0.10.3"]
        );
        assert_eq!(
            events(&["^1.2.3", ">= 2.0.1"], &[])?,
            [
                "introduced 0.0.0-0",
                "fixed 1.2.3",
                "introduced 2.0.0-0",
                "fixed 2.0.1"
            ]
        );
        assert_eq!(
            events(&["> 1.0.0", "~0.9.4"], &["<= 0.1.0"])?,
            [
                "introduced 0.1.1-0",
                "fixed 0.9.4",
                "introduced 0.10.0-0",
                "fixed 1.0.1-0"
            ]
        );
        assert_eq!(events(&["< 1.0.0-rc.1"], &[])?, ["introduced 1.0.0-rc.1"]);
        assert_eq!(events(&["= 1.0.0-rc.1"], &[])?[1], "fixed 1.0.0-rc.1");
        assert_eq!(
            events(&["= 1.0.0-rc.1"], &[])?[2],
            "introduced 1.0.0-rc.1.0"
        );
        assert_eq!(events(&["^0.0.3"], &[])?[2], "introduced 0.0.4-0");
        Ok(())
    }

    #[test]
    fn overlapping_or_malformed_requirements_are_errors() {
        assert!(matches!(
            events(&[">= 1.0.0"], &[">= 1.5.0"]),
            Err(RustSecError::Overlap { .. })
        ));
        assert!(matches!(
            events(&[">= 1.0.0, >= 2.0.0"], &[]),
            Err(RustSecError::Requirement { .. })
        ));
        assert!(matches!(
            events(&["not a version"], &[]),
            Err(RustSecError::Requirement { .. })
        ));
    }

    #[test]
    fn markdown_gives_title_and_description() -> Result<(), RustSecError> {
        let record = parse_advisory(
            "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"demo\"\ndate = \"2099-01-02\"\n\
             informational = \"unsound\"\nwithdrawn = \"2099-02-03\"\naliases = [\"CVE-2099-1\"]\n\n\
             [affected]\nos = [\"windows\"]\n[affected.functions]\n\"demo::b\" = [\"< 1.0\"]\n\"demo::a\" = [\"< 1.0\"]\n\n\
             [versions]\npatched = [\">= 1.0\"]\n```\n\n# Demo is unsound\n\nIt is.\n",
        )?;
        assert_eq!(record.id, "RUSTSEC-2099-0001");
        assert_eq!(record.summary.as_deref(), Some("Demo is unsound"));
        assert_eq!(record.details.as_deref(), Some("It is."));
        assert_eq!(record.withdrawn.as_deref(), Some("2099-02-03T12:00:00Z"));
        assert_eq!(record.aliases, ["CVE-2099-1"]);
        let affected = &record.affected[0];
        assert_eq!(affected.informational(), Some("unsound"));
        assert_eq!(
            affected.ecosystem_specific,
            Some(
                json!({"affects": {"arch": [], "os": ["windows"], "functions": ["demo::a", "demo::b"]}})
            )
        );
        assert_eq!(
            affected.ranges[0].events,
            [
                Event {
                    introduced: Some("0.0.0-0".to_owned()),
                    ..Event::default()
                },
                Event {
                    fixed: Some("1.0.0".to_owned()),
                    ..Event::default()
                }
            ]
        );
        Ok(())
    }

    #[test]
    fn a_file_without_front_matter_is_refused() {
        assert_eq!(
            parse_advisory("# Title\n"),
            Err(RustSecError::NoFrontMatter)
        );
        assert_eq!(
            parse_advisory("```toml\n[advisory]\n"),
            Err(RustSecError::UnclosedFrontMatter)
        );
    }

    proptest! {
        #[test]
        fn parser_takes_any_text(text in "(?s).{0,256}") {
            let _ = parse_advisory(&text);
        }

        #[test]
        fn parser_takes_any_front_matter(
            body in "(\\[advisory\\]|\\[versions\\]|id = \"X\"|package = \"p\"|date = \"d\"|patched = \\[|unaffected = \\[|\"[<>=^~]{0,2} ?[0-9]{1,2}(\\.[0-9]{1,2}){0,2}(-[a-z0-9.]{1,4})?\"|, |\\]|\n){0,40}"
        ) {
            let _ = parse_advisory(&format!("```toml\n{body}\n```\n# t\n"));
        }
    }
}

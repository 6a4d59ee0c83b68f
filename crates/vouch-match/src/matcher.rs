//! The scan: look up each component, evaluate its advisories, merge, rate and remediate.

use std::collections::{BTreeMap, BTreeSet};

use vouch_model::{Bom, Component, Purl};
use vouch_version::{RangeError, RangeKind, Scheme, is_affected, range_holds};
use vouch_vulndb::osv::Osv;
use vouch_vulndb::{AffectedEntry, Snapshot};

use crate::package::{OsvPackage, SkipReason, osv_package};
use crate::severity::{self, Severity};
use crate::{
    Finding, MatchError, Problem, RecordSource, Remediation, Scan, Skipped, Warning, advisory_url,
    merge, remediation,
};

/// One component being matched: what it is and how its ecosystem orders versions.
struct Subject<'a> {
    component: &'a Component,
    purl: &'a Purl,
    package: OsvPackage,
    scheme: Scheme,
}

/// An affected entry the component's version is in.
pub(crate) struct Hit {
    pub(crate) entry: AffectedEntry,
    pub(crate) fixes: Fixes,
}

/// The `fixed` events of the ranges that hold a version.
#[derive(Debug, Default)]
pub(crate) struct Fixes {
    /// Per range, the fix ending the interval that holds the version.
    pub(crate) closing: Vec<String>,
    /// Every `fixed` event above the version in those ranges: the closing fixes, and those
    /// ending later intervals of the same ranges.
    pub(crate) above: Vec<String>,
}

/// One matched, non-informational record, ready to merge.
struct MatchedRecord {
    source: RecordSource,
    aliases: Vec<String>,
    summary: Option<String>,
    modified: Option<String>,
    severity: Severity,
    fixed: Vec<String>,
}

pub(crate) fn scan(bom: &Bom, snapshot: &Snapshot) -> Result<Scan, MatchError> {
    let mut scan = Scan::default();
    for component in &bom.components {
        let subject = match subject(component) {
            Ok(subject) => subject,
            Err(reason) => {
                scan.skipped.push(Skipped {
                    component_id: component.id.clone(),
                    name: component.qualified_name(),
                    purl: component.purl.clone(),
                    reason,
                });
                continue;
            }
        };
        scan_component(&subject, snapshot, &mut scan)?;
    }
    scan.findings.sort_by(|left, right| {
        (&left.component_id, &left.id).cmp(&(&right.component_id, &right.id))
    });
    scan.warnings.sort_by(|left, right| {
        (&left.component_id, &left.id).cmp(&(&right.component_id, &right.id))
    });
    scan.remediations
        .sort_by(|left, right| left.component_id.cmp(&right.component_id));
    scan.skipped
        .sort_by(|left, right| left.component_id.cmp(&right.component_id));
    scan.problems.sort_by(|left, right| {
        (&left.component_id, &left.id, &left.reason).cmp(&(
            &right.component_id,
            &right.id,
            &right.reason,
        ))
    });
    Ok(scan)
}

fn subject(component: &Component) -> Result<Subject<'_>, SkipReason> {
    let purl = component.purl.as_ref().ok_or(SkipReason::NoPurl)?;
    let package = osv_package(purl, component.version.as_deref())?;
    let scheme = Scheme::for_osv_ecosystem(&package.ecosystem).ok_or_else(|| {
        SkipReason::UnknownEcosystem {
            ecosystem: package.ecosystem.clone(),
        }
    })?;
    scheme
        .parse(&package.version)
        .map_err(|error| SkipReason::InvalidVersion {
            version: package.version.clone(),
            reason: error.to_string(),
        })?;
    Ok(Subject {
        component,
        purl,
        package,
        scheme,
    })
}

fn scan_component(
    subject: &Subject<'_>,
    snapshot: &Snapshot,
    scan: &mut Scan,
) -> Result<(), MatchError> {
    // A record can affect the package through several `affected[]` entries; group them by id.
    let mut hits_by_id: BTreeMap<String, Vec<Hit>> = BTreeMap::new();
    // Vulnerabilities of other versions: an upgrade must not land in one of them.
    let mut other_versions = Vec::new();
    for ecosystem in subject.package.advisory_ecosystems() {
        for entry in snapshot.affected(ecosystem, &subject.package.name)? {
            match evaluate(subject.scheme, &subject.package.version, &entry) {
                Ok(Some(fixes)) => hits_by_id
                    .entry(entry.id.clone())
                    .or_default()
                    .push(Hit { entry, fixes }),
                Ok(None) if entry.informational.is_none() => other_versions.push(entry),
                Ok(None) => {}
                Err(error) => scan.problems.push(Problem {
                    component_id: subject.component.id.clone(),
                    id: entry.id.clone(),
                    reason: error.to_string(),
                }),
            }
        }
    }

    let mut matched = Vec::new();
    let mut vulnerable_hits = Vec::new();
    for (id, hits) in hits_by_id {
        let Some(first) = hits.first() else {
            continue;
        };
        let record = snapshot.record(first.entry.record)?;
        let source = RecordSource {
            id,
            source: first.entry.source.clone(),
        };
        let fixed = sorted_versions(
            subject.scheme,
            hits.iter()
                .flat_map(|hit| hit.fixes.closing.iter().cloned()),
        );
        let informational = hits
            .iter()
            .map(|hit| hit.entry.informational.as_deref())
            .collect::<Option<Vec<_>>>();
        if let Some(kind) = informational.and_then(|kinds| kinds.first().copied()) {
            scan.warnings.push(Warning {
                component_id: subject.component.id.clone(),
                purl: subject.purl.clone(),
                ecosystem: subject.package.ecosystem.clone(),
                package: subject.package.name.clone(),
                version: subject.package.version.clone(),
                url: advisory_url(&source.id),
                id: source.id.clone(),
                aliases: sorted_unique(record.aliases.iter().cloned()),
                kind: kind.to_owned(),
                summary: record.summary.clone(),
                fixed_versions: fixed,
                record: source,
                modified: record.modified.clone(),
            });
            continue;
        }
        let severity = severity::worst(hits.iter().map(|hit| record_severity(&hit.entry, &record)));
        matched.push(MatchedRecord {
            source,
            aliases: record.aliases,
            summary: record.summary,
            modified: record.modified,
            severity,
            fixed,
        });
        vulnerable_hits.extend(hits);
    }
    if matched.is_empty() {
        return Ok(());
    }

    let links: Vec<(&str, &[String])> = matched
        .iter()
        .map(|record| (record.source.id.as_str(), record.aliases.as_slice()))
        .collect();
    let findings: Vec<Finding> = merge::connected(&links)
        .into_iter()
        .filter_map(|group| merged_finding(subject, &matched, &group))
        .collect();
    let fixes: Vec<&[String]> = findings
        .iter()
        .map(|finding| finding.fixed_versions.as_slice())
        .collect();
    scan.remediations.push(Remediation {
        component_id: subject.component.id.clone(),
        purl: subject.purl.clone(),
        ecosystem: subject.package.ecosystem.clone(),
        package: subject.package.name.clone(),
        version: subject.package.version.clone(),
        fixed_version: remediation::smallest_fix(
            subject.scheme,
            &subject.package.version,
            &fixes,
            &vulnerable_hits,
            &other_versions,
        ),
        finding_ids: sorted_unique(findings.iter().map(|finding| finding.id.clone())),
    });
    scan.findings.extend(findings);
    Ok(())
}

/// The finding of one group of connected records (indices into `matched`).
fn merged_finding(
    subject: &Subject<'_>,
    matched: &[MatchedRecord],
    group: &[usize],
) -> Option<Finding> {
    let mut records: Vec<&MatchedRecord> = group
        .iter()
        .filter_map(|&index| matched.get(index))
        .collect();
    records.sort_by(|left, right| left.source.id.cmp(&right.source.id));
    let primary = merge::primary_id(
        &subject.package.ecosystem,
        records.iter().map(|record| record.source.id.as_str()),
    )?
    .to_owned();
    let aliases = sorted_unique(
        records
            .iter()
            .flat_map(|record| std::iter::once(&record.source.id).chain(&record.aliases))
            .filter(|name| **name != primary)
            .cloned(),
    );
    let summary = records
        .iter()
        .find(|record| record.source.id == primary)
        .and_then(|record| record.summary.clone())
        .or_else(|| records.iter().find_map(|record| record.summary.clone()));
    let severity = severity::worst(records.iter().map(|record| record.severity.clone()));
    Some(Finding {
        component_id: subject.component.id.clone(),
        purl: subject.purl.clone(),
        ecosystem: subject.package.ecosystem.clone(),
        package: subject.package.name.clone(),
        version: subject.package.version.clone(),
        url: advisory_url(&primary),
        id: primary,
        aliases,
        summary,
        severity,
        fixed_versions: sorted_versions(
            subject.scheme,
            records
                .iter()
                .flat_map(|record| record.fixed.iter().cloned()),
        ),
        // RFC 3339 times in UTC order as text.
        modified: records
            .iter()
            .filter_map(|record| record.modified.clone())
            .max(),
        records: records.iter().map(|record| record.source.clone()).collect(),
    })
}

/// The severity one record gives, for the package of `entry`.
fn record_severity(entry: &AffectedEntry, record: &Osv) -> Severity {
    let affected = record.affected.iter().find(|affected| {
        affected.package.ecosystem == entry.ecosystem && affected.package.name == entry.package
    });
    severity::assess(&entry.severity, affected, record)
}

/// Whether `version` is affected by `entry`: `Some` with the fixes of the ranges holding it
/// (none when only `versions[]` lists it), or `None`.
///
/// `GIT` ranges are left out: a package version is not a commit, and OSV requires entries with
/// them to enumerate `versions[]`. A range that cannot be evaluated is an error only when no
/// other range or the list shows the version affected, since a match elsewhere is certain.
pub(crate) fn evaluate(
    scheme: Scheme,
    version: &str,
    entry: &AffectedEntry,
) -> Result<Option<Fixes>, RangeError> {
    let mut first_error = None;
    let mut affected = match is_affected(scheme, version, &[], &entry.versions) {
        Ok(listed) => listed,
        Err(error) => {
            first_error = Some(error);
            false
        }
    };
    let mut fixes = Fixes::default();
    for (index, range) in entry
        .ranges
        .iter()
        .enumerate()
        .filter(|(_, range)| range.kind != RangeKind::Git)
    {
        // Evaluated one at a time to know which ranges hold the version.
        match range_holds(scheme, version, index, range) {
            Ok(true) => {
                affected = true;
                let above = range.fixes_above(scheme, version);
                fixes.closing.extend(above.first().cloned());
                fixes.above.extend(above);
            }
            Ok(false) => {}
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    match (affected, first_error) {
        (true, _) => Ok(Some(fixes)),
        (false, Some(error)) => Err(error),
        (false, None) => Ok(None),
    }
}

/// `versions` in the scheme's order without repeats; those the scheme cannot parse follow, in
/// text order.
pub(crate) fn sorted_versions(
    scheme: Scheme,
    versions: impl Iterator<Item = String>,
) -> Vec<String> {
    let mut parsed = Vec::new();
    let mut unparsed = Vec::new();
    for version in versions.collect::<BTreeSet<_>>() {
        match scheme.parse(&version) {
            Ok(parsed_version) => parsed.push(parsed_version),
            Err(_) => unparsed.push(version),
        }
    }
    // `Version`'s `Ord` is total within one scheme; equal versions keep text order.
    parsed.sort_by(|left, right| {
        left.cmp(right)
            .then_with(|| left.as_str().cmp(right.as_str()))
    });
    parsed
        .iter()
        .map(|version| version.as_str().to_owned())
        .chain(unparsed)
        .collect()
}

fn sorted_unique(items: impl Iterator<Item = String>) -> Vec<String> {
    items.collect::<BTreeSet<_>>().into_iter().collect()
}

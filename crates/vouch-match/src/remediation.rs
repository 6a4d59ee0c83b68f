//! The smallest upgrade that clears every finding of a component.

use vouch_version::Scheme;

use vouch_vulndb::AffectedEntry;

use crate::matcher::{Hit, evaluate};

/// The smallest version that clears every finding, by the rule documented on
/// [`crate::Remediation`]; `finding_fixes` holds each finding's fixed versions, `hits` every
/// matched entry of the component, and `other_versions` the package's vulnerability entries
/// that do not affect the current version. A candidate must clear all of them: an upgrade that
/// lands in another advisory's range is no fix, and that range's own fixes become candidates.
/// A range's later fixes are candidates too: when another advisory's fix lies in a range's
/// later interval, only that interval's end clears both. An entry that cannot be evaluated at a
/// candidate does not clear it.
pub(crate) fn smallest_fix(
    scheme: Scheme,
    current: &str,
    finding_fixes: &[&[String]],
    hits: &[Hit],
    other_versions: &[AffectedEntry],
) -> Option<String> {
    if finding_fixes.iter().any(|fixes| fixes.is_empty()) {
        return None;
    }
    let current_text = current;
    let current = scheme.parse(current).ok()?;
    let other_fixes = other_versions.iter().flat_map(|entry| {
        entry
            .ranges
            .iter()
            .flat_map(|range| range.fixes_above(scheme, current_text))
    });
    let mut candidates: Vec<_> = hits
        .iter()
        .flat_map(|hit| hit.fixes.above.iter().cloned())
        .chain(other_fixes)
        .filter_map(|fixed| scheme.parse(&fixed).ok())
        .filter(|candidate| candidate.try_cmp(&current).is_ok_and(|order| order.is_gt()))
        .collect();
    // Versions equal in order can differ in spelling: Go's `20.10.9` and `20.10.9+incompatible`
    // are one release, but only the spelling with the current version's build suffix is one
    // the package manager resolves for this module, so that one is kept.
    let suffix = |text: &str| text.split_once('+').map(|(_, suffix)| suffix.to_owned());
    let current_suffix = suffix(current.as_str());
    candidates.sort_by(|left, right| {
        left.cmp(right).then_with(|| {
            let differs =
                |version: &vouch_version::Version| suffix(version.as_str()) != current_suffix;
            differs(left).cmp(&differs(right))
        })
    });
    candidates.dedup_by(|later, earlier| later == earlier);
    candidates
        .into_iter()
        .find(|candidate| {
            hits.iter()
                .map(|hit| &hit.entry)
                .chain(other_versions)
                .all(|entry| matches!(evaluate(scheme, candidate.as_str(), entry), Ok(None)))
        })
        .map(|candidate| candidate.as_str().to_owned())
}

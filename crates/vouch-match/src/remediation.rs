//! The smallest upgrade that clears every finding of a component.

use vouch_version::Scheme;

use crate::matcher::{Hit, evaluate};

/// The smallest version that clears every finding, by the rule documented on
/// [`crate::Remediation`]; `finding_fixes` holds each finding's fixed versions, and `hits` every
/// matched entry of the component. A range's later fixes are candidates too: when another
/// advisory's fix lies in a range's later interval, only that interval's end clears both. An entry that cannot be evaluated at a candidate does not
/// clear it.
pub(crate) fn smallest_fix(
    scheme: Scheme,
    current: &str,
    finding_fixes: &[&[String]],
    hits: &[Hit],
) -> Option<String> {
    if finding_fixes.iter().any(|fixes| fixes.is_empty()) {
        return None;
    }
    let current = scheme.parse(current).ok()?;
    let mut candidates: Vec<_> = hits
        .iter()
        .flat_map(|hit| &hit.fixes.above)
        .filter_map(|fixed| scheme.parse(fixed).ok())
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
                .all(|hit| matches!(evaluate(scheme, candidate.as_str(), &hit.entry), Ok(None)))
        })
        .map(|candidate| candidate.as_str().to_owned())
}

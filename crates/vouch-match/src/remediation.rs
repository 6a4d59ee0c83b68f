//! The smallest upgrade that clears every finding of a component.

use vouch_version::Scheme;

use crate::matcher::{Hit, evaluate};

/// The smallest version that clears all findings, or `None`.
///
/// The rule: when some finding lists no `fixed` version, nothing clears it, so there is no
/// answer. Otherwise the candidates are the `fixed` versions of all matched ranges that are
/// greater than `current`, taken in ascending order of the ecosystem's scheme; the answer is the
/// first candidate that none of the matched entries (`hits`) affects. Each candidate is checked
/// against every entry again because one advisory's fix can sit inside another's range (a fix
/// on the 1.x branch that a 2.x-wide advisory still covers). An entry that cannot be evaluated
/// at a candidate does not clear it.
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
        .flat_map(|hit| &hit.fixed)
        .filter_map(|fixed| scheme.parse(fixed).ok())
        .filter(|candidate| candidate.try_cmp(&current).is_ok_and(|order| order.is_gt()))
        .collect();
    candidates.sort();
    candidates.dedup();
    candidates
        .into_iter()
        .find(|candidate| {
            hits.iter()
                .all(|hit| matches!(evaluate(scheme, candidate.as_str(), &hit.entry), Ok(None)))
        })
        .map(|candidate| candidate.as_str().to_owned())
}

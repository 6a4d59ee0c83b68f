//! OSV `affected[]` evaluation: is a version inside `ranges[]` or listed in `versions[]`?
//!
//! Follows the OSV schema's evaluation pseudocode: events are sorted by version first (publishers
//! need not sort them), `introduced: "0"` sorts before everything, `last_affected` is inclusive,
//! and `limit` bounds a range from above (`"*"`, or no limit at all, is no bound).

use std::cmp::Ordering;

use crate::{Scheme, Version, VersionError};

/// The `type` of an OSV range: which order its events are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RangeKind {
    /// SemVer 2.0 precedence, whatever the ecosystem.
    SemVer,
    /// The ecosystem's own order.
    Ecosystem,
    /// Commit hashes, ordered by ancestry in a repository.
    Git,
}

/// One OSV range event.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Event {
    /// Affected from this version on; `"0"` means from the very first version.
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to and including this version.
    LastAffected(String),
    /// Nothing at or above this version is in the range; `"*"` is no bound.
    Limit(String),
}

impl Event {
    fn value(&self) -> &str {
        match self {
            Self::Introduced(value)
            | Self::Fixed(value)
            | Self::LastAffected(value)
            | Self::Limit(value) => value,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Self::Introduced(_) => "introduced",
            Self::Fixed(_) => "fixed",
            Self::LastAffected(_) => "last_affected",
            Self::Limit(_) => "limit",
        }
    }
}

/// One entry of OSV `affected[].ranges[]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

/// Why a range could not be evaluated. Indices count from 0, as in the OSV JSON arrays.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RangeError {
    #[error("ranges[{range}] is a GIT range; it needs the repository's commit graph")]
    GitRange { range: usize },
    #[error("the version being checked: {0}")]
    Version(VersionError),
    #[error("ranges[{range}].events[{event}].{name}: {source}")]
    Event {
        range: usize,
        event: usize,
        name: &'static str,
        source: VersionError,
    },
    #[error("ranges[{range}]: {source}")]
    Unordered { range: usize, source: VersionError },
}

/// Whether `version` is affected: listed in `versions` (exactly, after the scheme's
/// normalisation: `1.0` lists `1.0.0` in PyPI) or inside any of `ranges`.
///
/// GIT ranges need a commit graph and are not evaluated: when the version is not found
/// affected otherwise, their presence is [`RangeError::GitRange`] (OSV requires such entries to
/// enumerate `versions[]`, which a caller may then rely on).
///
/// `SEMVER` ranges are read with SemVer precedence; for the Go and npm schemes, whose orders are
/// SemVer's, with the scheme's own parser, which accepts their `v` prefix. Empty `ranges` and
/// `versions` affect nothing.
pub fn is_affected(
    scheme: Scheme,
    version: &str,
    ranges: &[Range],
    versions: &[String],
) -> Result<bool, RangeError> {
    if is_listed(scheme, version, versions)? {
        return Ok(true);
    }
    let mut git_range = None;
    for (index, range) in ranges.iter().enumerate() {
        if range.kind == RangeKind::Git {
            git_range.get_or_insert(index);
        } else if range_holds(scheme, version, index, range)? {
            return Ok(true);
        }
    }
    // Affected through another range or `versions[]` is certain; unaffected is not while a GIT
    // range is left unevaluated.
    match git_range {
        Some(range) => Err(RangeError::GitRange { range }),
        None => Ok(false),
    }
}

/// `versions[]` membership. A listed string the scheme cannot parse can still match exactly.
fn is_listed(scheme: Scheme, version: &str, versions: &[String]) -> Result<bool, RangeError> {
    if versions.is_empty() {
        return Ok(false);
    }
    let parsed = scheme.parse(version).map_err(RangeError::Version)?;
    for listed in versions {
        let matches = match scheme.parse(listed) {
            Ok(listed) => parsed.same_release(&listed).map_err(RangeError::Version)?,
            Err(_) => listed == version,
        };
        if matches {
            return Ok(true);
        }
    }
    Ok(false)
}

/// An event's version, or `None` for the two values that are not versions: `introduced: "0"`
/// (before everything) and `limit: "*"` (after everything).
struct Bound<'a> {
    event: &'a Event,
    version: Option<Version>,
}

impl Range {
    /// The order this range's events are in for a package of `scheme`: the scheme's own for an
    /// `ECOSYSTEM` range; SemVer precedence for a `SEMVER` range, read with the Go and npm
    /// parsers for those schemes (their orders are SemVer's, and they accept a `v` prefix);
    /// none for a `GIT` range.
    pub fn order(&self, scheme: Scheme) -> Option<Scheme> {
        match (self.kind, scheme) {
            (RangeKind::SemVer, Scheme::Go | Scheme::Npm) | (RangeKind::Ecosystem, _) => {
                Some(scheme)
            }
            (RangeKind::SemVer, _) => Some(Scheme::SemVer),
            (RangeKind::Git, _) => None,
        }
    }

    /// The `fixed` events of this range above `version`, ascending. A range may hold several
    /// intervals (`introduced 1.0, fixed 1.2, introduced 2.0, fixed 2.3`): for a version the
    /// range holds, the first of these ends its interval and the others end later ones. Events
    /// or a version the range's order cannot read are left out.
    pub fn fixes_above(&self, scheme: Scheme, version: &str) -> Vec<String> {
        let Some(scheme) = self.order(scheme) else {
            return Vec::new();
        };
        let Ok(current) = scheme.parse(version) else {
            return Vec::new();
        };
        let mut above: Vec<_> = self
            .events
            .iter()
            .filter_map(|event| match event {
                Event::Fixed(fixed) => scheme.parse(fixed).ok(),
                _ => None,
            })
            .filter(|fixed| fixed.try_cmp(&current).is_ok_and(|order| order.is_gt()))
            .collect();
        above.sort();
        above
            .iter()
            .map(|fixed| fixed.as_str().to_owned())
            .collect()
    }
}

/// Whether `range`, the entry's `ranges[index]` (errors name that index), holds `version`; see
/// [`is_affected`] for how each kind is read. A `GIT` range is [`RangeError::GitRange`].
pub fn range_holds(
    scheme: Scheme,
    version: &str,
    index: usize,
    range: &Range,
) -> Result<bool, RangeError> {
    let scheme = range
        .order(scheme)
        .ok_or(RangeError::GitRange { range: index })?;
    let version = scheme.parse(version).map_err(RangeError::Version)?;

    let mut bounds = range
        .events
        .iter()
        .enumerate()
        .map(|(event_index, event)| {
            let unbounded = matches!(
                (event, event.value()),
                (Event::Introduced(_), "0") | (Event::Limit(_), "*")
            );
            let version = if unbounded {
                None
            } else {
                Some(
                    scheme
                        .parse(event.value())
                        .map_err(|source| RangeError::Event {
                            range: index,
                            event: event_index,
                            name: event.name(),
                            source,
                        })?,
                )
            };
            Ok(Bound { event, version })
        })
        .collect::<Result<Vec<_>, RangeError>>()?;

    let mut limited = false;
    let mut below_a_limit = false;
    for bound in &bounds {
        if let Event::Limit(_) = bound.event {
            limited = true;
            below_a_limit |= match &bound.version {
                None => true,
                Some(limit) => compare(&version, limit, index)? == Ordering::Less,
            };
        }
    }
    if limited && !below_a_limit {
        return Ok(false);
    }

    // Versions of one scheme always compare except under `Scheme::Exact`, where unequal texts
    // have no order; check that before sorting, which cannot fail.
    for (left, right) in bounds.iter().zip(bounds.iter().skip(1)) {
        if let (Some(left), Some(right)) = (&left.version, &right.version) {
            compare(left, right, index)?;
        }
    }
    // A stable sort keeps the publisher's order between events at one version; "0" goes first.
    bounds.sort_by(|left, right| match (&left.version, &right.version) {
        (Some(left), Some(right)) => left.cmp(right),
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
    });

    let mut affected = false;
    for bound in &bounds {
        let at_or_above = |bound: &Option<Version>| -> Result<Ordering, RangeError> {
            match bound {
                None => Ok(Ordering::Greater),
                Some(bound) => compare(&version, bound, index),
            }
        };
        match bound.event {
            Event::Introduced(_) if at_or_above(&bound.version)?.is_ge() => affected = true,
            Event::Fixed(_) if at_or_above(&bound.version)?.is_ge() => affected = false,
            Event::LastAffected(_) if at_or_above(&bound.version)?.is_gt() => affected = false,
            _ => {}
        }
    }
    Ok(affected)
}

fn compare(left: &Version, right: &Version, range: usize) -> Result<Ordering, RangeError> {
    left.try_cmp(right)
        .map_err(|source| RangeError::Unordered { range, source })
}

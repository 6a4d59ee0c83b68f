//! OSV range evaluation: boundaries, unsorted events, `versions[]`, and the errors.

use vouch_version::{Event, Range, RangeError, RangeKind, Scheme, VersionError, is_affected};

fn introduced(version: &str) -> Event {
    Event::Introduced(version.to_owned())
}

fn fixed(version: &str) -> Event {
    Event::Fixed(version.to_owned())
}

fn last_affected(version: &str) -> Event {
    Event::LastAffected(version.to_owned())
}

fn limit(version: &str) -> Event {
    Event::Limit(version.to_owned())
}

fn range(kind: RangeKind, events: Vec<Event>) -> Range {
    Range { kind, events }
}

/// Asserts, for each `(version, affected)`, what [`is_affected`] answers.
fn assert_affected(scheme: Scheme, ranges: &[Range], versions: &[&str], cases: &[(&str, bool)]) {
    let versions: Vec<String> = versions
        .iter()
        .map(|version| (*version).to_owned())
        .collect();
    for (version, affected) in cases {
        assert_eq!(
            is_affected(scheme, version, ranges, &versions),
            Ok(*affected),
            "{version} in {ranges:?} / {versions:?}"
        );
    }
}

#[test]
fn introduced_is_inclusive_and_fixed_is_exclusive() {
    let ranges = [range(
        RangeKind::SemVer,
        vec![introduced("1.0.0"), fixed("1.2.0")],
    )];
    assert_affected(
        Scheme::SemVer,
        &ranges,
        &[],
        &[
            ("0.9.9", false),
            ("1.0.0-rc.1", false),
            ("1.0.0", true),
            ("1.1.9", true),
            // A pre-release of the fix precedes it.
            ("1.2.0-rc.1", true),
            ("1.2.0", false),
            ("1.2.1", false),
        ],
    );
}

#[test]
fn introduced_zero_is_before_every_version() {
    let ranges = [range(
        RangeKind::Ecosystem,
        vec![introduced("0"), fixed("2.0")],
    )];
    assert_affected(
        Scheme::PyPI,
        &ranges,
        &[],
        &[
            ("0", true),
            ("0.0.1.dev0", true),
            ("1.9.9", true),
            ("2.0", false),
        ],
    );
}

#[test]
fn rustsec_lowest_pre_release_affects_every_earlier_release() {
    let ranges = [range(
        RangeKind::SemVer,
        vec![introduced("0.0.0-0"), fixed("0.3.1")],
    )];
    assert_affected(
        Scheme::SemVer,
        &ranges,
        &[],
        &[
            ("0.0.0-0", true),
            ("0.0.0", true),
            ("0.3.0", true),
            ("0.3.1", false),
        ],
    );
}

#[test]
fn last_affected_is_inclusive() {
    let ranges = [range(
        RangeKind::Ecosystem,
        vec![introduced("1.0"), last_affected("1.4.0")],
    )];
    assert_affected(
        Scheme::Maven,
        &ranges,
        &[],
        &[
            ("0.9", false),
            ("1.0", true),
            ("1.4.0", true),
            ("1.4", true),
            ("1.4.0.1", false),
            ("1.4.1", false),
        ],
    );
}

#[test]
fn limit_is_an_exclusive_ceiling_and_star_is_none() {
    let limited = [range(
        RangeKind::Ecosystem,
        vec![introduced("1.0"), limit("2.0")],
    )];
    assert_affected(
        Scheme::RubyGems,
        &limited,
        &[],
        &[
            ("0.9", false),
            ("1.0", true),
            ("1.9.9", true),
            ("2.0", false),
            ("2.0.a", true),
            ("3.0", false),
        ],
    );
    let unlimited = [range(
        RangeKind::Ecosystem,
        vec![introduced("1.0"), limit("*")],
    )];
    assert_affected(
        Scheme::RubyGems,
        &unlimited,
        &[],
        &[("0.9", false), ("99.0", true)],
    );
}

#[test]
fn events_are_sorted_before_evaluation() {
    // Two affected spans, [1.0, 1.5) and [1.8, 2.0), given out of order.
    let ranges = [range(
        RangeKind::Ecosystem,
        vec![
            fixed("2.0"),
            introduced("1.8"),
            fixed("1.5"),
            introduced("1.0"),
        ],
    )];
    assert_affected(
        Scheme::Debian,
        &ranges,
        &[],
        &[
            ("0.9", false),
            ("1.0", true),
            ("1.4-3", true),
            ("1.5", false),
            ("1.7", false),
            ("1.8~rc1", false),
            ("1.8", true),
            ("1.9", true),
            ("2.0~rc1", true),
            ("2.0", false),
        ],
    );
}

#[test]
fn any_range_may_affect() {
    let ranges = [
        range(RangeKind::Ecosystem, vec![introduced("1.0"), fixed("1.1")]),
        range(RangeKind::Ecosystem, vec![introduced("2.0"), fixed("2.1")]),
    ];
    assert_affected(
        Scheme::NuGet,
        &ranges,
        &[],
        &[
            ("1.0.5", true),
            ("1.5", false),
            ("2.0.0.1", true),
            ("2.1", false),
        ],
    );
}

#[test]
fn versions_list_matches_after_normalisation() {
    assert_affected(
        Scheme::PyPI,
        &[],
        &["1.0", "2.0rc1"],
        &[
            ("1.0.0", true),
            ("1.0.post1", false),
            ("2.0-RC1", true),
            ("2.0", false),
        ],
    );
    // SemVer ignores build metadata when ordering, but `+a` and `+b` are different releases.
    assert_affected(
        Scheme::SemVer,
        &[],
        &["1.0.0+a"],
        &[("1.0.0+a", true), ("1.0.0+b", false), ("1.0.0", false)],
    );
    // A listed string the scheme cannot read still matches itself, and nothing else.
    assert_affected(Scheme::SemVer, &[], &["release-7"], &[("1.0.0", false)]);
    assert_affected(
        Scheme::Exact,
        &[],
        &["release-7"],
        &[("release-7", true), ("release-8", false)],
    );
}

#[test]
fn empty_ranges_and_versions_affect_nothing() {
    assert_affected(Scheme::Npm, &[], &[], &[("1.0.0", false)]);
    assert_affected(
        Scheme::Npm,
        &[range(RangeKind::SemVer, Vec::new())],
        &[],
        &[("1.0.0", false)],
    );
}

#[test]
fn semver_ranges_use_the_go_parser_for_go_and_strict_semver_otherwise() {
    let ranges = [range(
        RangeKind::SemVer,
        vec![introduced("0"), fixed("1.2.4")],
    )];
    assert_affected(
        Scheme::Go,
        &ranges,
        &[],
        &[
            ("v1.2.3", true),
            ("v1.2.4-0.20240102150405-abcdefabcdef", true),
            ("v1.2.4", false),
        ],
    );
    assert_eq!(
        is_affected(Scheme::SemVer, "v1.2.3", &ranges, &[]),
        Err(RangeError::Version(VersionError::LeadingV {
            scheme: Scheme::SemVer,
            version: "v1.2.3".to_owned(),
            without_v: "1.2.3".to_owned(),
        }))
    );
    // A Pub ecosystem's SEMVER range orders by SemVer, where build metadata does not count.
    let build = [range(
        RangeKind::SemVer,
        vec![introduced("1.0.0+1"), fixed("1.0.1")],
    )];
    assert_affected(Scheme::Pub, &build, &[], &[("1.0.0", true)]);
}

#[test]
fn git_ranges_need_a_commit_graph() {
    let ranges = [
        range(RangeKind::Ecosystem, vec![introduced("0"), fixed("1.0")]),
        range(
            RangeKind::Git,
            vec![
                introduced("0"),
                fixed("6b9f9c0a5e0e0a1b2c3d4e5f60718293a4b5c6d7"),
            ],
        ),
    ];
    // Affected through the ECOSYSTEM range or `versions[]` is certain regardless of the GIT one.
    assert_eq!(is_affected(Scheme::PyPI, "0.5", &ranges, &[]), Ok(true));
    assert_eq!(
        is_affected(Scheme::PyPI, "1.5", &ranges, &["1.5".to_owned()]),
        Ok(true)
    );
    // Unaffected by them is not: the GIT range might still cover the version.
    assert_eq!(
        is_affected(Scheme::PyPI, "1.5", &ranges, &[]),
        Err(RangeError::GitRange { range: 1 })
    );
}

#[test]
fn an_unreadable_event_says_where_it_is() {
    let ranges = [
        range(RangeKind::Ecosystem, vec![introduced("2.0")]),
        range(
            RangeKind::Ecosystem,
            vec![introduced("1.0"), fixed("not a version")],
        ),
    ];
    let error = is_affected(Scheme::Debian, "1.0", &ranges, &[]);
    assert!(
        matches!(
            &error,
            Err(RangeError::Event {
                range: 1,
                event: 1,
                name: "fixed",
                source: VersionError::Invalid { .. }
            })
        ),
        "{error:?}"
    );
    assert_eq!(
        error.map_err(|error| error.to_string()),
        Err("ranges[1].events[1].fixed: `not a version` is not a valid dpkg version: a version has \
             no embedded spaces"
            .to_owned())
    );
}

#[test]
fn exact_scheme_refuses_to_order_ranges() {
    let ranges = [range(
        RangeKind::Ecosystem,
        vec![introduced("0"), fixed("abc")],
    )];
    assert!(matches!(
        is_affected(Scheme::Exact, "abd", &ranges, &[]),
        Err(RangeError::Unordered { range: 0, .. })
    ));
}

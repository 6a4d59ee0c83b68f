//! Real OSV advisories from the RustSec and Go vulnerability databases: every event of every
//! range must parse under the ecosystem's scheme, and every range must evaluate, with each
//! `introduced` version inside it (unless the same version is also `fixed`) and each `fixed`
//! version outside.
#![allow(clippy::print_stderr)]

use std::path::Path;

use serde_json::Value;
use vouch_version::{Event, Range, RangeKind, Scheme, is_affected};

/// Counts of what one database held, to pin the walk to the data.
#[derive(Debug, Default, PartialEq, Eq)]
struct Tally {
    advisories: usize,
    ranges: usize,
    events: usize,
}

fn range_from_json(range: &Value, location: &str) -> Range {
    let kind = match range["type"].as_str() {
        Some("SEMVER") => RangeKind::SemVer,
        Some("ECOSYSTEM") => RangeKind::Ecosystem,
        Some("GIT") => RangeKind::Git,
        other => panic!("{location}: unknown range type {other:?}"),
    };
    let events = range["events"]
        .as_array()
        .unwrap_or_else(|| panic!("{location}: events is not an array"))
        .iter()
        .map(|event| {
            let field = |name: &str| event[name].as_str().map(str::to_owned);
            if let Some(version) = field("introduced") {
                Event::Introduced(version)
            } else if let Some(version) = field("fixed") {
                Event::Fixed(version)
            } else if let Some(version) = field("last_affected") {
                Event::LastAffected(version)
            } else if let Some(version) = field("limit") {
                Event::Limit(version)
            } else {
                panic!("{location}: event {event} has no known field")
            }
        })
        .collect();
    Range { kind, events }
}

/// Walks every `*.json` advisory under `directory` and checks its ranges for `ecosystem`.
fn check_database(directory: &Path, ecosystem: &str) -> Tally {
    let scheme =
        Scheme::for_osv_ecosystem(ecosystem).unwrap_or_else(|| panic!("{ecosystem} has no scheme"));
    let mut paths = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let entries = std::fs::read_dir(&directory)
            .unwrap_or_else(|error| panic!("listing {}: {error}", directory.display()));
        for entry in entries {
            let path = entry
                .unwrap_or_else(|error| panic!("listing {}: {error}", directory.display()))
                .path();
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();

    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for path in &paths {
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|error| panic!("reading {}: {error}", path.display()));
        let advisory: Value = serde_json::from_str(&text)
            .unwrap_or_else(|error| panic!("parsing {}: {error}", path.display()));
        tally.advisories += 1;
        for (affected_index, affected) in advisory["affected"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            assert_eq!(
                affected["package"]["ecosystem"].as_str(),
                Some(ecosystem),
                "{}",
                path.display()
            );
            for (range_index, range) in affected["ranges"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let location = format!(
                    "{}: affected[{affected_index}].ranges[{range_index}]",
                    path.display()
                );
                let range = range_from_json(range, &location);
                tally.ranges += 1;
                tally.events += range.events.len();
                let ranges = std::slice::from_ref(&range);
                for event in &range.events {
                    let (version, expected) = match event {
                        // `introduced: X, fixed: X` is an empty span some advisories carry.
                        Event::Introduced(version) if version != "0" => (
                            version,
                            !range.events.contains(&Event::Fixed(version.clone())),
                        ),
                        Event::Fixed(version) => (version, false),
                        _ => continue,
                    };
                    let answer = is_affected(scheme, version, ranges, &[]);
                    if answer != Ok(expected) {
                        failures.push(format!(
                            "{location}: {version}: {answer:?}, expected Ok({expected})"
                        ));
                    }
                }
            }
        }
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    assert!(
        failures.is_empty(),
        "{} range checks failed",
        failures.len()
    );
    tally
}

#[test]
fn every_rustsec_range_evaluates_under_strict_semver() {
    let Some(directory) = vouch_test_support::data_path("rustsec-advisory-db/osv/crates") else {
        return;
    };
    assert_eq!(
        check_database(&directory, "crates.io"),
        Tally {
            advisories: 1101,
            ranges: 1101,
            events: 2254
        }
    );
}

#[test]
fn every_go_vulndb_range_evaluates_under_go_versions() {
    let Some(directory) = vouch_test_support::data_path("golang-vulndb/osv") else {
        return;
    };
    assert_eq!(
        check_database(&directory, "Go"),
        Tally {
            advisories: 3823,
            ranges: 5482,
            events: 11431
        }
    );
}

//! vouch's answers against osv.dev's own, as osv-scanner's test cassettes recorded them
//! (`osv-scanner-testdata/derived/querybatch-expectations.json`).
//!
//! Compared ecosystems, and why the staged data covers them:
//! - crates.io: the RustSec advisory-db checkout is staged whole, and osv.dev's crates.io
//!   advisories are RustSec's.
//! - Go: golang-vulndb is osv.dev's source for Go; the staged copy leaves out about a tenth of
//!   its records, which shows as ids absent from the store.
//! - PyPI: the PyPA database (a 2024-10 snapshot, about a tenth left out) and the GitHub sample;
//!   osv.dev's newer PYSEC records and its GHSA-only records show as ids absent from the store.
//! - Packagist, `drupal/*` only: Drupal's advisory database is staged (about an eighth left out);
//!   other Packagist advisories come from GHSA and FriendsOfPHP, which are not staged.
//!
//! Not compared: Maven, npm, RubyGems, NuGet, Hackage, SwiftURL and the distributions have no
//! staged database beyond a few GHSA samples. Go queries for `stdlib`, `toolchain` and other
//! names without a module path are left out too: a Go component is a `golang` purl, which needs a
//! namespace, so the model cannot hold them.
//!
//! A query agrees when every id osv.dev returned is the id or an alias of one of vouch's findings
//! or warnings, and each of those names at least one of osv.dev's ids. An id osv.dev returned
//! that no staged record has, and that no staged record of the package names as an alias, is
//! counted as absent: the staged data cannot answer it. Every other difference is pinned below.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use vouch_model::Purl;
use vouch_vulndb::Snapshot;

#[derive(Deserialize)]
struct Expectation {
    query: Query,
    vuln_ids: Vec<String>,
}

#[derive(Deserialize)]
struct Query {
    package: Option<QueryPackage>,
    version: Option<String>,
}

#[derive(Deserialize)]
struct QueryPackage {
    ecosystem: String,
    name: String,
}

/// (ecosystem, name, version) as osv.dev was asked.
type Key = (String, String, String);

/// Differences that are not the staged data lacking a record: (ecosystem, name, version, id,
/// why). `missing` means osv.dev reports the id and vouch does not; `extra` the reverse.
const PINNED: [(&str, &str, &str, &str, &str); 4] = [
    (
        "Go",
        "golang.org/x/image",
        "0.4.0",
        "GO-2026-6222",
        "extra: osv.dev's answer predates GO-2026-6222 [0, 0.45.0): the cassette's newest x/image \
         record is GO-2026-5066, and golang-vulndb is staged from two weeks after the cassettes",
    ),
    (
        "PyPI",
        "django",
        "1.11.29",
        "GHSA-8x94-hmjh-97hq",
        "missing: the GHSA record is not staged; the staged PYSEC-2022-245, which lists it as an \
         alias, covers only [3.2, 3.2.15) and [4.0, 4.0.7), so osv.dev's GHSA record must cover \
         older releases",
    ),
    (
        "PyPI",
        "django",
        "2.2.24",
        "GHSA-8x94-hmjh-97hq",
        "missing: as for 1.11.29, the staged PYSEC-2022-245 covers only [3.2, 3.2.15) and \
         [4.0, 4.0.7)",
    ),
    (
        "PyPI",
        "urllib3",
        "1.24.3",
        "PYSEC-2021-108",
        "extra: the staged PYSEC-2021-108 (modified 2021-07-02) has ECOSYSTEM [0, 1.26.5), which \
         holds 1.24.3; osv.dev reports neither it nor its alias GHSA-q2q7-5pp4-w6pg, so the \
         record osv.dev holds has a narrower range",
    ),
];

/// The outcome of comparing every covered query.
#[derive(Debug, Default)]
struct Comparison {
    compared: usize,
    /// Queries answered exactly as osv.dev answered them.
    agreed: usize,
    /// Per ecosystem, ids osv.dev returned that the staged data has no record of.
    absent: BTreeMap<String, usize>,
    /// (ecosystem, name, version, id) of every other difference.
    differences: Vec<(String, String, String, String)>,
}

#[test]
fn vouch_agrees_with_osv_dev_wherever_the_staged_data_can_answer() {
    let (Some(snapshot), Some(path)) = (
        common::snapshot(),
        vouch_test_support::data_path("osv-scanner-testdata/derived/querybatch-expectations.json"),
    ) else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let expectations: Vec<Expectation> = serde_json::from_slice(&bytes)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));

    // Several cassettes ask the same question; their answers must not differ.
    let mut answers: BTreeMap<Key, BTreeSet<String>> = BTreeMap::new();
    for expectation in expectations {
        let (Some(package), Some(version)) = (expectation.query.package, expectation.query.version)
        else {
            continue;
        };
        let ids: BTreeSet<String> = expectation.vuln_ids.into_iter().collect();
        let key = (package.ecosystem, package.name, version);
        if let Some(earlier) = answers.insert(key.clone(), ids.clone()) {
            assert_eq!(earlier, ids, "two cassettes answer {key:?} differently");
        }
    }

    let mut comparison = Comparison::default();
    for (key, expected) in &answers {
        let Some(purl) = purl(key) else {
            continue;
        };
        compare(snapshot, key, &purl, expected, &mut comparison);
    }

    let pinned: Vec<(String, String, String, String)> = PINNED
        .iter()
        .map(|(ecosystem, name, version, id, _)| {
            (
                (*ecosystem).to_owned(),
                (*name).to_owned(),
                (*version).to_owned(),
                (*id).to_owned(),
            )
        })
        .collect();
    assert_eq!(comparison.differences, pinned);
    // 33 crates.io, 9 Go, 3 Drupal and 31 PyPI questions.
    assert_eq!(comparison.compared, 76, "{comparison:?}");
    assert_eq!(comparison.agreed, 56, "{comparison:?}");
    assert_eq!(
        comparison.absent,
        BTreeMap::from([
            ("Go".to_owned(), 7),
            ("Packagist".to_owned(), 10),
            ("PyPI".to_owned(), 88),
        ])
    );
}

/// The purl a component of the queried package would carry, for the compared ecosystems.
fn purl((ecosystem, name, version): &Key) -> Option<Purl> {
    let (purl_type, namespace, name) = match ecosystem.as_str() {
        "crates.io" => ("cargo", None, name.as_str()),
        "PyPI" => ("pypi", None, name.as_str()),
        "Go" => {
            let (module_prefix, last) = name.rsplit_once('/')?;
            ("golang", Some(module_prefix), last)
        }
        "Packagist" if name.starts_with("drupal/") => {
            let (vendor, project) = name.split_once('/')?;
            ("composer", Some(vendor), project)
        }
        _ => return None,
    };
    let purl = Purl::from_parts(
        purl_type,
        namespace,
        name,
        Some(version),
        BTreeMap::new(),
        None,
    )
    .unwrap_or_else(|error| panic!("{ecosystem} {name}: {error}"));
    Some(purl)
}

fn compare(
    snapshot: &Snapshot,
    key: &Key,
    purl: &Purl,
    expected: &BTreeSet<String>,
    comparison: &mut Comparison,
) {
    let (ecosystem, name, version) = key;
    let package =
        vouch_match::osv_package(purl, None).unwrap_or_else(|reason| panic!("{key:?}: {reason}"));
    let bom = common::bom(&[&purl.to_string()]);
    let scan = vouch_match::scan(&bom, snapshot).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(scan.problems, [], "{key:?}");
    comparison.compared += 1;

    // Each finding and warning: its id, and every name it goes by.
    let reported: Vec<(&str, BTreeSet<&str>)> = scan
        .findings
        .iter()
        .map(|finding| (finding.id.as_str(), &finding.aliases))
        .chain(
            scan.warnings
                .iter()
                .map(|warning| (warning.id.as_str(), &warning.aliases)),
        )
        .map(|(id, aliases)| {
            let names = std::iter::once(id)
                .chain(aliases.iter().map(String::as_str))
                .collect();
            (id, names)
        })
        .collect();
    let ours: BTreeSet<&str> = reported
        .iter()
        .flat_map(|(_, names)| names.iter().copied())
        .collect();
    // Every id or alias that any staged record of the package carries, affected or not.
    let mut named: BTreeSet<String> = BTreeSet::new();
    for advisory_ecosystem in package.advisory_ecosystems() {
        for entry in snapshot
            .affected(advisory_ecosystem, &package.name)
            .unwrap_or_else(|error| panic!("{error}"))
        {
            named.insert(entry.id);
            named.extend(entry.aliases);
        }
    }

    let mut differing = Vec::new();
    let mut absent = 0;
    for id in expected.iter().filter(|id| !ours.contains(id.as_str())) {
        let staged = !snapshot
            .records_by_id(id)
            .unwrap_or_else(|error| panic!("{error}"))
            .is_empty();
        if staged || named.contains(id) {
            differing.push(id.as_str());
        } else {
            absent += 1;
        }
    }
    for (id, names) in &reported {
        if names.is_disjoint(&expected.iter().map(String::as_str).collect()) {
            differing.push(id);
        }
    }
    if differing.is_empty() && absent == 0 {
        comparison.agreed += 1;
    }
    if absent > 0 {
        *comparison.absent.entry(ecosystem.clone()).or_default() += absent;
    }
    comparison
        .differences
        .extend(differing.into_iter().map(|id| {
            (
                ecosystem.clone(),
                name.clone(),
                version.clone(),
                id.to_owned(),
            )
        }));
}

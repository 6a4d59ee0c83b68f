//! Every staged advisory set loads completely, and the RustSec conversion agrees with RustSec's
//! own OSV export.

use std::collections::BTreeMap;
use std::path::PathBuf;

use vouch_test_support::data_path;
use vouch_vulndb::osv::Osv;
use vouch_vulndb::{SourceKind, Store, load_path};

/// (staged directory, kind detected, records: the number of advisory files it holds).
const SOURCES: [(&str, SourceKind, usize); 7] = [
    ("rustsec-advisory-db", SourceKind::RustSecCheckout, 1120),
    ("rustsec-advisory-db/osv", SourceKind::OsvDirectory, 1101),
    ("golang-vulndb/osv", SourceKind::OsvDirectory, 3823),
    (
        "pypa-advisory-database/vulns",
        SourceKind::OsvDirectory,
        2399,
    ),
    (
        "github-advisory-database-sample",
        SourceKind::OsvDirectory,
        31,
    ),
    (
        "drupal-advisory-database/advisories",
        SourceKind::OsvDirectory,
        530,
    ),
    ("r-advisory-database/vulns", SourceKind::OsvDirectory, 11),
];

fn staged() -> Option<Vec<(PathBuf, SourceKind, usize)>> {
    SOURCES
        .iter()
        .map(|(path, kind, count)| Some((data_path(path)?, *kind, *count)))
        .collect()
}

#[test]
fn every_staged_set_loads_every_record() -> Result<(), vouch_vulndb::DbError> {
    let Some(sources) = staged() else {
        return Ok(());
    };
    for (path, kind, count) in sources {
        let loaded = load_path(&path)?;
        assert_eq!(loaded.problems, [], "{}", path.display());
        assert_eq!(loaded.kind, kind, "{}", path.display());
        assert_eq!(loaded.records.len(), count, "{}", path.display());
    }
    Ok(())
}

#[test]
fn the_store_answers_lookups_across_all_staged_sets() -> Result<(), Box<dyn std::error::Error>> {
    let Some(sources) = staged() else {
        return Ok(());
    };
    let directory = tempfile::tempdir()?;
    let store = Store::new(directory.path());
    let paths: Vec<PathBuf> = sources.iter().map(|(path, _, _)| path.clone()).collect();
    let report = vouch_vulndb::import(&store, &paths)?;
    let total: usize = SOURCES.iter().map(|(_, _, count)| count).sum();
    assert_eq!(report.record_count, total);
    for (source, (_, _, count)) in report.sources.iter().zip(SOURCES) {
        assert_eq!(source.record_count, count, "{}", source.name);
    }
    let Some(snapshot) = store.open()? else {
        panic!("an import leaves a snapshot");
    };
    snapshot.validate()?;

    // RUSTSEC-2016-0001 is in both the TOML checkout and the OSV export: one entry, not two.
    let openssl = snapshot.affected("crates.io", "openssl")?;
    let old_defaults: Vec<_> = openssl
        .iter()
        .filter(|entry| entry.id == "RUSTSEC-2016-0001")
        .collect();
    assert_eq!(old_defaults.len(), 1);
    assert_eq!(
        old_defaults[0].aliases,
        ["CVE-2016-10931", "GHSA-34p9-f4q3-c4r7"]
    );
    assert_eq!(
        old_defaults[0].severity[0].score,
        "CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"
    );
    assert_eq!(
        snapshot.record(old_defaults[0].record)?.id,
        "RUSTSEC-2016-0001"
    );

    // PyPA names its directory and package `accesscontrol`; PEP 503 finds it as written.
    let zope = snapshot.affected("PyPI", "AccessControl")?;
    assert!(zope.iter().any(|entry| entry.id == "PYSEC-2021-335"));
    let record = snapshot.records_by_id("PYSEC-2021-335")?;
    assert_eq!(record.len(), 1);
    assert_eq!(
        record[0].affected[0].versions,
        ["4.0", "4.1", "4.2", "5.0", "5.1"]
    );

    // The Drupal registry-qualified ecosystem is kept verbatim.
    let manifest = snapshot.manifest();
    assert!(manifest.ecosystems["Packagist:https://packages.drupal.org/8"] > 0);
    assert_eq!(manifest.record_count, total);
    Ok(())
}

/// Advisories whose conversion legitimately differs from the published export, with why.
const KNOWN_EXPORT_DIFFERENCES: &[(&str, &str)] = &[];

/// The converted TOML advisories against RustSec's OSV export: ranges, aliases, withdrawn and
/// informational must agree exactly for every advisory present in both.
#[test]
fn rustsec_conversion_matches_the_official_osv_export() -> Result<(), vouch_vulndb::DbError> {
    let (Some(checkout), Some(export)) = (
        data_path("rustsec-advisory-db"),
        data_path("rustsec-advisory-db/osv"),
    ) else {
        return Ok(());
    };
    let by_id = |records: Vec<Osv>| -> BTreeMap<String, Osv> {
        records
            .into_iter()
            .map(|record| (record.id.clone(), record))
            .collect()
    };
    let converted = by_id(load_path(&checkout)?.records);
    let official = by_id(load_path(&export)?.records);
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (id, expected) in &official {
        let Some(actual) = converted.get(id) else {
            continue;
        };
        compared += 1;
        let facts = |record: &Osv| {
            let affected: Vec<_> = record
                .affected
                .iter()
                .map(|affected| {
                    (
                        affected.package.clone(),
                        affected.ranges.clone(),
                        affected.informational().map(str::to_owned),
                    )
                })
                .collect();
            (affected, record.aliases.clone(), record.withdrawn.clone())
        };
        if facts(actual) != facts(expected)
            && !KNOWN_EXPORT_DIFFERENCES
                .iter()
                .any(|(known, _)| known == id)
        {
            mismatches.push(format!(
                "{id}:\n  converted {:?}\n  official  {:?}",
                facts(actual),
                facts(expected)
            ));
        }
    }
    // The export's 1101 less RUSTSEC-2025-0000, which only the osv branch still holds.
    assert_eq!(compared, 1100);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    Ok(())
}

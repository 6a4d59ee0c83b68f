//! Downloading osv.dev's per-ecosystem exports (`<base>/<ECOSYSTEM>/all.zip`) with
//! conditional requests, so an unchanged export is never downloaded twice.

use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;

use crate::load::load_archive;
use crate::store::{self, Snapshot, SourceInfo, SourceRecords, Store};
use crate::{DbError, Problem};

pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Characters left as they are in an ecosystem path segment (`Red Hat` → `Red%20Hat`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

#[derive(Debug, Clone)]
pub struct UpdateOptions {
    /// Where the exports are; tests point this at a loopback server.
    pub base_url: String,
    pub timeout: Duration,
    /// The largest archive accepted.
    pub max_download_bytes: u64,
}

impl Default for UpdateOptions {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            timeout: Duration::from_secs(600),
            max_download_bytes: 4 * 1024 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum EcosystemOutcome {
    Downloaded {
        record_count: usize,
        problems: Vec<Problem>,
    },
    /// The server answered 304: the stored copy is current.
    Unchanged,
    /// Nothing was changed for this ecosystem.
    Failed { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EcosystemUpdate {
    pub ecosystem: String,
    pub url: String,
    #[serde(flatten)]
    pub outcome: EcosystemOutcome,
}

#[derive(Debug, Clone, Serialize)]
pub struct UpdateReport {
    pub ecosystems: Vec<EcosystemUpdate>,
    /// Records in the store afterwards.
    pub record_count: usize,
}

/// The source name of an ecosystem's osv.dev export.
fn source_name(ecosystem: &str) -> String {
    format!("osv.dev:{ecosystem}")
}

/// The ecosystems among `ecosystems` whose osv.dev export `snapshot` lacks, or downloaded more
/// than `max_age` ago: what a refresh before a scan should fetch.
pub fn stale_ecosystems(
    snapshot: Option<&Snapshot>,
    ecosystems: &[String],
    max_age: Duration,
) -> Vec<String> {
    let now = time::OffsetDateTime::now_utc();
    let max_age = i64::try_from(max_age.as_secs()).unwrap_or(i64::MAX);
    ecosystems
        .iter()
        .filter(|ecosystem| {
            let name = source_name(ecosystem);
            !snapshot.is_some_and(|snapshot| {
                snapshot.manifest().sources.iter().any(|source| {
                    source.name == name && source.age_seconds(now).is_some_and(|age| age < max_age)
                })
            })
        })
        .cloned()
        .collect()
}

/// Updates the given ecosystems, or those the last scan saw when `ecosystems` is empty.
/// Ecosystems that download are committed together; one that fails keeps its old records.
pub fn update(
    store: &Store,
    ecosystems: &[String],
    options: &UpdateOptions,
) -> Result<UpdateReport, DbError> {
    let ecosystems = if ecosystems.is_empty() {
        store.scanned_ecosystems()?
    } else {
        ecosystems.to_vec()
    };
    if ecosystems.is_empty() {
        return Err(DbError::NoEcosystems);
    }
    let lock = store.lock()?;
    let previous = store.open()?;
    let agent = agent(options.timeout);
    let downloads = store.root().join("downloads");
    fs::create_dir_all(&downloads).map_err(|source| DbError::io(&downloads, source))?;

    let mut report = Vec::new();
    let mut replacements = Vec::new();
    for ecosystem in ecosystems {
        let name = source_name(&ecosystem);
        let url = format!(
            "{}/{}/all.zip",
            options.base_url.trim_end_matches('/'),
            utf8_percent_encode(&ecosystem, SEGMENT)
        );
        let known = previous.as_ref().and_then(|snapshot| {
            snapshot
                .manifest()
                .sources
                .iter()
                .find(|source| source.name == name)
        });
        let archive = downloads.join(format!(
            "{}.zip.part",
            utf8_percent_encode(&ecosystem, SEGMENT)
        ));
        let outcome = match fetch(&agent, &url, known, &archive, options.max_download_bytes) {
            Ok(Fetched::NotModified) => EcosystemOutcome::Unchanged,
            Ok(Fetched::Archive {
                etag,
                last_modified,
            }) => match load_archive(&archive) {
                Ok(loaded) => {
                    let outcome = EcosystemOutcome::Downloaded {
                        record_count: loaded.records.len(),
                        problems: loaded.problems,
                    };
                    replacements.push(SourceRecords {
                        info: SourceInfo {
                            name,
                            location: url.clone(),
                            record_count: loaded.records.len(),
                            imported_at: store::now_rfc3339(),
                            etag,
                            last_modified,
                        },
                        records: loaded.records,
                    });
                    outcome
                }
                Err(error) => EcosystemOutcome::Failed {
                    reason: error.to_string(),
                },
            },
            Err(reason) => EcosystemOutcome::Failed { reason },
        };
        let _ = fs::remove_file(&archive);
        report.push(EcosystemUpdate {
            ecosystem,
            url,
            outcome,
        });
    }
    drop(previous);
    let record_count = if replacements.is_empty() {
        store
            .open()?
            .map_or(0, |snapshot| snapshot.manifest().record_count)
    } else {
        store.commit(&lock, replacements)?.record_count
    };
    Ok(UpdateReport {
        ecosystems: report,
        record_count,
    })
}

enum Fetched {
    NotModified,
    Archive {
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// HTTPS through rustls on the aws-lc-rs provider, with the Mozilla roots.
fn agent(timeout: Duration) -> ureq::Agent {
    let tls = ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::WebPki)
        .unversioned_rustls_crypto_provider(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
        .build();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build()
        .new_agent()
}

/// GETs `url` into `destination`, conditionally on what `known` recorded.
fn fetch(
    agent: &ureq::Agent,
    url: &str,
    known: Option<&SourceInfo>,
    destination: &Path,
    max_bytes: u64,
) -> Result<Fetched, String> {
    let mut request = agent.get(url);
    if let Some(etag) = known.and_then(|known| known.etag.as_deref()) {
        request = request.header("If-None-Match", etag);
    }
    if let Some(date) = known.and_then(|known| known.last_modified.as_deref()) {
        request = request.header("If-Modified-Since", date);
    }
    let mut response = request.call().map_err(|error| error.to_string())?;
    match response.status().as_u16() {
        304 => return Ok(Fetched::NotModified),
        200 => {}
        status => return Err(format!("the server answered HTTP {status}")),
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let etag = header("etag");
    let last_modified = header("last-modified");
    let mut body = response.body_mut().with_config().limit(max_bytes).reader();
    let mut file = File::create(destination).map_err(|error| error.to_string())?;
    io::copy(&mut body, &mut file).map_err(|error| error.to_string())?;
    Ok(Fetched::Archive {
        etag,
        last_modified,
    })
}

//! The in-toto Statement a model signature carries: written as model_signing writes it, read
//! in both the v1.0 form (`https://model_signing/signature/v1.0`) and the verify-only v0.2 form
//! (`https://model_signing/Digests/v0.1`, one subject per file).

use serde::Serialize;
use serde_json::Value;

use super::hashing::HashAlgorithm;
use super::serialization::{
    MAX_SHARD_SIZE, Manifest, Method, Resource, Serialization, root_digest,
};
use crate::intoto::STATEMENT_TYPE_V1;

/// The predicate type of OMS v1.0 signatures.
pub const PREDICATE_TYPE: &str = "https://model_signing/signature/v1.0";
/// The predicate type model_signing v0.2 signed with; read for verification only.
pub const PREDICATE_TYPE_V0_2: &str = "https://model_signing/Digests/v0.1";

/// Why a signed payload does not describe a model.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("the signed payload is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the signed payload's `_type` is `{0}`, not `{STATEMENT_TYPE_V1}`")]
    StatementType(String),
    #[error(
        "the signed payload's `predicateType` is `{0}`, neither `{PREDICATE_TYPE}` nor `{PREDICATE_TYPE_V0_2}`"
    )]
    PredicateType(String),
    #[error("the signed payload has {0} subjects; a model signature has exactly one")]
    SubjectCount(usize),
    #[error("the signed payload is missing `{field}` or it has the wrong type")]
    Field { field: String },
    #[error("`predicate.serialization.method` is `{0}`, neither `files` nor `shards`")]
    Method(String),
    #[error("`predicate.serialization.hash_type` `{0}` is not sha256, blake2b or blake3")]
    HashType(String),
    #[error("`predicate.serialization.shard_size` {0} is not a whole number from 1 to 2^53")]
    ShardSize(String),
    #[error("resource {index} (`{name}`): {reason}")]
    Resource {
        index: usize,
        name: String,
        reason: String,
    },
    #[error("resource `{0}` is listed twice")]
    DuplicateResource(String),
    #[error(
        "the subject digest is {claimed} but the resources hash to {computed}: the manifest is inconsistent"
    )]
    RootDigest { claimed: String, computed: String },
}

/// The statement, in the member order model_signing's protobuf JSON gives it.
#[derive(Serialize)]
struct StatementOut<'a> {
    #[serde(rename = "_type")]
    statement_type: &'static str,
    subject: [SubjectOut<'a>; 1],
    #[serde(rename = "predicateType")]
    predicate_type: &'static str,
    predicate: PredicateOut<'a>,
}

#[derive(Serialize)]
struct SubjectOut<'a> {
    name: &'a str,
    digest: RootDigestOut,
}

#[derive(Serialize)]
struct RootDigestOut {
    sha256: String,
}

#[derive(Serialize)]
struct PredicateOut<'a> {
    serialization: SerializationOut<'a>,
    resources: Vec<ResourceOut>,
}

#[derive(Serialize)]
struct SerializationOut<'a> {
    method: &'static str,
    hash_type: &'static str,
    allow_symlinks: bool,
    /// A protobuf `Struct` number, hence a double: model_signing writes `1000000000.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_size: Option<f64>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    ignore_paths: &'a [String],
}

#[derive(Serialize)]
struct ResourceOut {
    algorithm: String,
    digest: String,
    name: String,
}

/// The statement bytes to sign for `manifest`: model_signing's layout (two-space indented
/// JSON), so a payload from either tool reads the same.
pub fn statement_json(manifest: &Manifest) -> Result<Vec<u8>, serde_json::Error> {
    let serialization = &manifest.serialization;
    let algorithm = serialization.resource_algorithm();
    let statement = StatementOut {
        statement_type: STATEMENT_TYPE_V1,
        subject: [SubjectOut {
            name: &manifest.model_name,
            digest: RootDigestOut {
                sha256: hex::encode(manifest.root_digest()),
            },
        }],
        predicate_type: PREDICATE_TYPE,
        predicate: PredicateOut {
            serialization: SerializationOut {
                method: serialization.method.name(),
                hash_type: serialization.hash.name(),
                allow_symlinks: serialization.allow_symlinks,
                // Exact: hashing refuses shard sizes above 2^53.
                shard_size: match serialization.method {
                    Method::Files => None,
                    Method::Shards { shard_size } => Some(shard_size as f64),
                },
                ignore_paths: &serialization.ignore_paths,
            },
            resources: manifest
                .resources
                .iter()
                .map(|resource| ResourceOut {
                    algorithm: algorithm.clone(),
                    digest: hex::encode(&resource.digest),
                    name: resource.name(),
                })
                .collect(),
        },
    };
    serde_json::to_vec_pretty(&statement)
}

/// A verified payload read as a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedManifest {
    pub predicate_type: &'static str,
    /// The subject name (informational; absent from v0.2 payloads).
    pub model_name: Option<String>,
    pub serialization: Serialization,
    /// In the order the payload lists them.
    pub resources: Vec<Resource>,
}

/// Reads a signed statement. For v1.0 the subject digest must equal the root digest of the
/// resources in the order listed, and every resource's algorithm must be the one the
/// serialisation implies.
pub fn parse_statement(payload: &[u8]) -> Result<SignedManifest, PayloadError> {
    let statement: Value = serde_json::from_slice(payload)?;
    let statement_type = string(&statement, &["_type"])?;
    if statement_type != STATEMENT_TYPE_V1 {
        return Err(PayloadError::StatementType(statement_type.to_owned()));
    }
    let subjects = array(&statement, &["subject"])?;
    match string(&statement, &["predicateType"])? {
        PREDICATE_TYPE => parse_v1(&statement, subjects),
        PREDICATE_TYPE_V0_2 => parse_v0_2(subjects),
        other => Err(PayloadError::PredicateType(other.to_owned())),
    }
}

fn parse_v1(statement: &Value, subjects: &[Value]) -> Result<SignedManifest, PayloadError> {
    let [subject] = subjects else {
        return Err(PayloadError::SubjectCount(subjects.len()));
    };
    let model_name = string(subject, &["name"])?.to_owned();
    let claimed_root = string(subject, &["digest", "sha256"])?;
    let serialization = parse_serialization(statement)?;
    let expected_algorithm = serialization.resource_algorithm();
    let mut resources = Vec::new();
    for (index, resource) in array(statement, &["predicate", "resources"])?
        .iter()
        .enumerate()
    {
        let name = string(resource, &["name"])?;
        let resource_error = |reason: String| PayloadError::Resource {
            index,
            name: name.to_owned(),
            reason,
        };
        let algorithm = string(resource, &["algorithm"])?;
        if algorithm != expected_algorithm {
            return Err(resource_error(format!(
                "algorithm `{algorithm}` differs from the serialisation's `{expected_algorithm}`"
            )));
        }
        let digest = parse_digest(string(resource, &["digest"])?, serialization.hash)
            .map_err(resource_error)?;
        let (path, shard) = match serialization.method {
            Method::Files => (name.to_owned(), None),
            Method::Shards { .. } => {
                let (path, start, end) = parse_shard_name(name).map_err(resource_error)?;
                (path.to_owned(), Some((start, end)))
            }
        };
        resources.push(Resource {
            path,
            shard,
            digest,
        });
    }
    let computed = hex::encode(root_digest(
        resources.iter().map(|resource| resource.digest.as_slice()),
    ));
    if !computed.eq_ignore_ascii_case(claimed_root) {
        return Err(PayloadError::RootDigest {
            claimed: claimed_root.to_owned(),
            computed,
        });
    }
    check_unique(&resources)?;
    Ok(SignedManifest {
        predicate_type: PREDICATE_TYPE,
        model_name: Some(model_name),
        serialization,
        resources,
    })
}

/// v0.2 payloads name each file as a subject with its SHA-256; the serialisation was always
/// whole files, SHA-256, no symbolic links.
fn parse_v0_2(subjects: &[Value]) -> Result<SignedManifest, PayloadError> {
    let mut resources = Vec::new();
    for (index, subject) in subjects.iter().enumerate() {
        let name = string(subject, &["name"])?;
        let digest = parse_digest(
            string(subject, &["digest", "sha256"])?,
            HashAlgorithm::Sha256,
        )
        .map_err(|reason| PayloadError::Resource {
            index,
            name: name.to_owned(),
            reason,
        })?;
        resources.push(Resource {
            path: name.to_owned(),
            shard: None,
            digest,
        });
    }
    check_unique(&resources)?;
    Ok(SignedManifest {
        predicate_type: PREDICATE_TYPE_V0_2,
        model_name: None,
        serialization: Serialization {
            method: Method::Files,
            hash: HashAlgorithm::Sha256,
            allow_symlinks: false,
            ignore_paths: Vec::new(),
        },
        resources,
    })
}

fn parse_serialization(statement: &Value) -> Result<Serialization, PayloadError> {
    const PATH: [&str; 2] = ["predicate", "serialization"];
    let field = |name: &'static str| [PATH[0], PATH[1], name];
    let hash_type = string(statement, &field("hash_type"))?;
    let hash = HashAlgorithm::from_name(hash_type)
        .ok_or_else(|| PayloadError::HashType(hash_type.to_owned()))?;
    let method = match string(statement, &field("method"))? {
        "files" => Method::Files,
        "shards" => {
            let size = lookup(statement, &field("shard_size"))?;
            Method::Shards {
                shard_size: whole_number(size)
                    .filter(|size| (1..=MAX_SHARD_SIZE).contains(size))
                    .ok_or_else(|| PayloadError::ShardSize(size.to_string()))?,
            }
        }
        other => return Err(PayloadError::Method(other.to_owned())),
    };
    let allow_symlinks = lookup(statement, &field("allow_symlinks"))?
        .as_bool()
        .ok_or_else(|| field_error(&field("allow_symlinks")))?;
    let ignore_paths = match lookup(statement, &field("ignore_paths")) {
        Err(_) => Vec::new(),
        Ok(paths) => paths
            .as_array()
            .and_then(|paths| {
                paths
                    .iter()
                    .map(|path| path.as_str().map(str::to_owned))
                    .collect::<Option<Vec<_>>>()
            })
            .ok_or_else(|| field_error(&field("ignore_paths")))?,
    };
    Ok(Serialization {
        method,
        hash,
        allow_symlinks,
        ignore_paths,
    })
}

/// An integer, or a double with no fractional part (protobuf `Struct` numbers).
fn whole_number(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        let float = value.as_f64()?;
        // Exact up to 2^53; the range check keeps the cast lossless.
        let whole = float as u64;
        (float.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&float)).then_some(whole)
    })
}

/// Splits `path:start:end` at the last two colons (paths may hold colons).
fn parse_shard_name(name: &str) -> Result<(&str, u64, u64), String> {
    let malformed = || format!("a shard name is `path:start:end`, not `{name}`");
    let (rest, end) = name.rsplit_once(':').ok_or_else(malformed)?;
    let (path, start) = rest.rsplit_once(':').ok_or_else(malformed)?;
    let start: u64 = start.parse().map_err(|_| malformed())?;
    let end: u64 = end.parse().map_err(|_| malformed())?;
    if start >= end {
        return Err(format!("shard {start}..{end} is empty or reversed"));
    }
    Ok((path, start, end))
}

fn parse_digest(hex_digest: &str, algorithm: HashAlgorithm) -> Result<Vec<u8>, String> {
    let digest =
        hex::decode(hex_digest).map_err(|error| format!("digest `{hex_digest}`: {error}"))?;
    if digest.len() != algorithm.digest_length() {
        return Err(format!(
            "a {algorithm} digest has {} bytes, `{hex_digest}` has {}",
            algorithm.digest_length(),
            digest.len()
        ));
    }
    Ok(digest)
}

fn check_unique(resources: &[Resource]) -> Result<(), PayloadError> {
    let mut names: Vec<String> = resources.iter().map(Resource::name).collect();
    names.sort_unstable();
    match names.windows(2).find(|pair| pair[0] == pair[1]) {
        Some(pair) => Err(PayloadError::DuplicateResource(pair[0].clone())),
        None => Ok(()),
    }
}

fn field_error(path: &[&str]) -> PayloadError {
    PayloadError::Field {
        field: path.join("."),
    }
}

fn lookup<'a>(value: &'a Value, path: &[&str]) -> Result<&'a Value, PayloadError> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .ok_or_else(|| field_error(path))
}

fn string<'a>(value: &'a Value, path: &[&str]) -> Result<&'a str, PayloadError> {
    lookup(value, path)?
        .as_str()
        .ok_or_else(|| field_error(path))
}

fn array<'a>(value: &'a Value, path: &[&str]) -> Result<&'a [Value], PayloadError> {
    lookup(value, path)?
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| field_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_names_split_at_the_last_two_colons() {
        assert_eq!(parse_shard_name("a:b:0:8"), Ok(("a:b", 0, 8)));
        assert!(parse_shard_name("a:8").is_err());
        assert!(parse_shard_name("a:8:8").is_err());
        assert!(parse_shard_name("a:x:8").is_err());
    }

    fn statement(serialization: &Value, resources: &Value, root: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "_type": STATEMENT_TYPE_V1,
            "subject": [{"name": "model", "digest": {"sha256": root}}],
            "predicateType": PREDICATE_TYPE,
            "predicate": {"serialization": serialization, "resources": resources},
        }))
        .unwrap_or_default()
    }

    fn two_resources(second_name: &str, algorithm: &str) -> Value {
        serde_json::json!([
            {"name": "a", "algorithm": algorithm, "digest": "00".repeat(32)},
            {"name": second_name, "algorithm": algorithm, "digest": "01".repeat(32)},
        ])
    }

    fn files_sha256() -> Value {
        serde_json::json!({"method": "files", "hash_type": "sha256", "allow_symlinks": false})
    }

    fn root_of_two() -> String {
        hex::encode(root_digest(
            [[0_u8; 32], [1_u8; 32]].iter().map(|digest| &digest[..]),
        ))
    }

    #[test]
    fn a_consistent_statement_reads_back_its_resources() {
        let signed = parse_statement(&statement(
            &files_sha256(),
            &two_resources("b", "sha256"),
            &root_of_two(),
        ))
        .expect("a consistent statement");
        let names: Vec<String> = signed.resources.iter().map(Resource::name).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(signed.model_name.as_deref(), Some("model"));
    }

    #[test]
    fn a_root_digest_that_does_not_cover_the_resources_is_rejected() {
        let wrong = "ff".repeat(32);
        let error = parse_statement(&statement(
            &files_sha256(),
            &two_resources("b", "sha256"),
            &wrong,
        ))
        .expect_err("a wrong root digest");
        assert!(
            matches!(&error, PayloadError::RootDigest { claimed, computed }
                if *claimed == wrong && *computed == root_of_two()),
            "{error}"
        );
    }

    #[test]
    fn resources_must_carry_the_serialisation_algorithm_once_each() {
        let error = parse_statement(&statement(
            &files_sha256(),
            &two_resources("b", "blake3"),
            &root_of_two(),
        ))
        .expect_err("a foreign algorithm");
        assert_eq!(
            error.to_string(),
            "resource 0 (`a`): algorithm `blake3` differs from the serialisation's `sha256`"
        );
        let error = parse_statement(&statement(
            &files_sha256(),
            &two_resources("a", "sha256"),
            &root_of_two(),
        ))
        .expect_err("a duplicate");
        assert_eq!(error.to_string(), "resource `a` is listed twice");
    }

    #[test]
    fn shard_sizes_may_be_protobuf_doubles() {
        assert_eq!(whole_number(&serde_json::json!(8)), Some(8));
        assert_eq!(
            whole_number(&serde_json::json!(1_000_000_000.0)),
            Some(1_000_000_000)
        );
        assert_eq!(whole_number(&serde_json::json!(8.5)), None);
        assert_eq!(whole_number(&serde_json::json!(-8.0)), None);
    }
}

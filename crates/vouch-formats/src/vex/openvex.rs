//! OpenVEX: reads v0.2.0 and the earlier v0.0.1 (plain-string vulnerabilities and products,
//! statement-level subcomponents), JSON or YAML; writes v0.2.0 JSON.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use vouch_model::{Hash, HashAlgorithm};

use super::{
    Justification, ProductRef, VexDocument, VexFormat, VexReadOutcome, VexStatement, VexStatus,
    VexWriteError, VulnerabilityRef, lenient_purl, non_empty, to_json_bytes,
};
use crate::FormatError;
use crate::read::json::{self, ShapeError, array, child, object, string};
use crate::read::{Skipped, read_error};

const CONTEXT_PREFIX: &str = "https://openvex.dev/ns";
const WRITTEN_CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";
/// Where vexctl publishes documents; `@id`s built from content live under it.
const ID_PREFIX: &str = "https://openvex.dev/docs/public/vex-";
/// vexctl's author when none is given; the schema requires one.
const UNKNOWN_AUTHOR: &str = "Unknown Author";

/// The OpenVEX hash keys the model has an algorithm for (`sha3-224` and `blake2s-256` it has not).
const HASH_KEYS: [(&str, HashAlgorithm); 10] = [
    ("md5", HashAlgorithm::Md5),
    ("sha1", HashAlgorithm::Sha1),
    ("sha-256", HashAlgorithm::Sha256),
    ("sha-384", HashAlgorithm::Sha384),
    ("sha-512", HashAlgorithm::Sha512),
    ("sha3-256", HashAlgorithm::Sha3_256),
    ("sha3-384", HashAlgorithm::Sha3_384),
    ("sha3-512", HashAlgorithm::Sha3_512),
    ("blake2b-256", HashAlgorithm::Blake2b256),
    ("blake2b-512", HashAlgorithm::Blake2b512),
];

/// The version an OpenVEX `@context` names: `https://openvex.dev/ns/v0.2.0` is `0.2.0`, the bare
/// namespace is `0.0.1`.
fn context_version(context: &Value) -> Option<String> {
    match context {
        Value::String(url) => {
            let rest = url.strip_prefix(CONTEXT_PREFIX)?;
            match rest.trim_end_matches('/') {
                "" => Some("0.0.1".to_owned()),
                version => version.strip_prefix("/v").map(str::to_owned),
            }
        }
        Value::Array(items) => items.iter().find_map(context_version),
        _ => None,
    }
}

pub(super) fn read(value: &Value, origin: &str) -> Result<VexReadOutcome, FormatError> {
    let context = value.get("@context").unwrap_or(&Value::Null);
    let version = context_version(context).ok_or_else(|| {
        read_error(
            origin,
            format!("/@context: {context} is not an OpenVEX context ({CONTEXT_PREFIX}/v...)"),
        )
    })?;
    let mut skipped = Skipped::default();
    let mut problems = Vec::new();
    let document = read_document(value, &mut skipped, &mut problems)
        .map_err(|error| read_error(origin, error))?;
    Ok(VexReadOutcome {
        document,
        format: VexFormat::OpenVex,
        version,
        skipped: skipped.into_inner(),
        problems,
    })
}

const DOCUMENT_FIELDS: &[&str] = &[
    "@context",
    "@id",
    "author",
    "role",
    "timestamp",
    "last_updated",
    "version",
    "tooling",
    "statements",
    // v0.0.1 only: the media type, always `text/vex+json`.
    "format",
];

fn read_document(
    value: &Value,
    skipped: &mut Skipped,
    problems: &mut Vec<String>,
) -> Result<VexDocument, ShapeError> {
    let map = object(value, "")?;
    skipped.unmodelled("", map.keys().map(String::as_str), DOCUMENT_FIELDS);
    let mut document = VexDocument {
        id: non_empty(string(map, "@id", "")?),
        author: non_empty(string(map, "author", "")?),
        role: non_empty(string(map, "role", "")?),
        timestamp: non_empty(string(map, "timestamp", "")?),
        last_updated: non_empty(string(map, "last_updated", "")?),
        version: document_version(map)?,
        tooling: non_empty(string(map, "tooling", "")?),
        statements: Vec::new(),
    };
    for (pointer, item) in array(map, "statements", "")? {
        if let Some(statement) = read_statement(item, &pointer, &document, skipped, problems)? {
            document.statements.push(statement);
        }
    }
    Ok(document)
}

/// `version` is an integer in v0.2.0 and a numeric string in v0.0.1 documents.
fn document_version(map: &Map<String, Value>) -> Result<Option<u64>, ShapeError> {
    let malformed = |value: &Value| ShapeError {
        pointer: "/version".to_owned(),
        message: format!("expected a non-negative integer, found {value}"),
    };
    match map.get("version") {
        None => Ok(None),
        Some(Value::Number(number)) => number
            .as_u64()
            .map(Some)
            .ok_or_else(|| malformed(&Value::Number(number.clone()))),
        Some(Value::String(text)) => text
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| malformed(&Value::String(text.clone()))),
        Some(other) => Err(malformed(other)),
    }
}

const STATEMENT_FIELDS: &[&str] = &[
    "vulnerability",
    "products",
    "subcomponents",
    "status",
    "status_notes",
    "justification",
    "impact_statement",
    "action_statement",
    "timestamp",
    "last_updated",
    "supplier",
    // v0.0.1 spelling of the vulnerability's description.
    "vuln_description",
];

fn read_statement(
    value: &Value,
    pointer: &str,
    document: &VexDocument,
    skipped: &mut Skipped,
    problems: &mut Vec<String>,
) -> Result<Option<VexStatement>, ShapeError> {
    let map = object(value, pointer)?;
    skipped.unmodelled(pointer, map.keys().map(String::as_str), STATEMENT_FIELDS);
    let Some(vulnerability) = read_vulnerability(map, pointer)? else {
        skipped.push(pointer, "statement names no vulnerability");
        return Ok(None);
    };
    let status_text = json::required_string(map, "status", pointer)?;
    let Some(status) = VexStatus::from_name(status_text) else {
        skipped.push(
            child(pointer, "status"),
            format!("unknown status `{status_text}`: statement dropped"),
        );
        return Ok(None);
    };
    // v0.0.1 lists subcomponents beside the products; they belong to each of them.
    let shared_subcomponents = read_products(map, "subcomponents", pointer, skipped)?;
    let mut products = read_products(map, "products", pointer, skipped)?;
    for product in &mut products {
        product
            .subcomponents
            .extend(shared_subcomponents.iter().cloned());
    }
    let mut statement = VexStatement::new(vulnerability, products, status);
    if let Some(label) = non_empty(string(map, "justification", pointer)?) {
        statement.justification = Justification::from_name(&label);
        if statement.justification.is_none() {
            skipped.push(
                child(pointer, "justification"),
                format!("unknown justification `{label}` kept only as the source label"),
            );
            statement.source_justification = Some(label);
        }
    }
    statement.impact_statement = non_empty(string(map, "impact_statement", pointer)?);
    statement.action_statement = non_empty(string(map, "action_statement", pointer)?);
    statement.status_notes = non_empty(string(map, "status_notes", pointer)?);
    statement.supplier = non_empty(string(map, "supplier", pointer)?);
    // Statements inherit the document's values (OpenVEX "inheritance").
    statement.timestamp =
        non_empty(string(map, "timestamp", pointer)?).or_else(|| document.timestamp.clone());
    statement.last_updated =
        non_empty(string(map, "last_updated", pointer)?).or_else(|| document.last_updated.clone());
    if statement.products.is_empty() {
        problems.push(format!(
            "{pointer}: statement lists no products (OpenVEX allows inheriting them only from an enclosing attestation)"
        ));
    }
    problems.extend(profile_problem(&statement, pointer));
    Ok(Some(statement))
}

/// What OpenVEX requires of a statement's status: `not_affected` needs a justification or an
/// impact statement, `affected` an action statement.
pub(super) fn profile_problem(statement: &VexStatement, location: &str) -> Option<String> {
    match statement.status {
        VexStatus::NotAffected
            if statement.justification.is_none()
                && statement.source_justification.is_none()
                && statement.impact_statement.is_none() =>
        {
            Some(format!(
                "{location}: not_affected without justification or impact statement"
            ))
        }
        VexStatus::Affected if statement.action_statement.is_none() => {
            Some(format!("{location}: affected without action statement"))
        }
        _ => None,
    }
}

fn read_vulnerability(
    map: &Map<String, Value>,
    pointer: &str,
) -> Result<Option<VulnerabilityRef>, ShapeError> {
    let vulnerability_pointer = child(pointer, "vulnerability");
    let mut vulnerability = match map.get("vulnerability") {
        None => return Ok(None),
        Some(Value::String(name)) => VulnerabilityRef::new(name.trim()),
        Some(value) => {
            let fields = object(value, &vulnerability_pointer)?;
            let name = string(fields, "name", &vulnerability_pointer)?
                .or(string(fields, "@id", &vulnerability_pointer)?)
                .unwrap_or_default();
            let mut vulnerability = VulnerabilityRef::new(name.trim());
            vulnerability.description =
                non_empty(string(fields, "description", &vulnerability_pointer)?);
            vulnerability.aliases = json::strings(fields, "aliases", &vulnerability_pointer)?
                .into_iter()
                .map(|(_, alias)| alias.trim().to_owned())
                .filter(|alias| !alias.is_empty())
                .collect();
            vulnerability
        }
    };
    if vulnerability.id.is_empty() {
        return Ok(None);
    }
    if vulnerability.description.is_none() {
        vulnerability.description = non_empty(string(map, "vuln_description", pointer)?);
    }
    Ok(Some(vulnerability))
}

const PRODUCT_FIELDS: &[&str] = &["@id", "identifiers", "hashes", "subcomponents"];

fn read_products(
    map: &Map<String, Value>,
    key: &str,
    pointer: &str,
    skipped: &mut Skipped,
) -> Result<Vec<ProductRef>, ShapeError> {
    array(map, key, pointer)?
        .into_iter()
        .map(|(pointer, value)| read_product(value, &pointer, skipped))
        .collect()
}

fn read_product(
    value: &Value,
    pointer: &str,
    skipped: &mut Skipped,
) -> Result<ProductRef, ShapeError> {
    let mut product = ProductRef::default();
    let map = match value {
        Value::String(id) => {
            product.id = non_empty(Some(id));
            product.purl = purl_from_id(id, pointer, skipped);
            return Ok(product);
        }
        value => object(value, pointer)?,
    };
    skipped.unmodelled(pointer, map.keys().map(String::as_str), PRODUCT_FIELDS);
    product.id = non_empty(string(map, "@id", pointer)?);
    if let Some(identifiers) = map.get("identifiers") {
        let identifiers_pointer = child(pointer, "identifiers");
        let identifiers = object(identifiers, &identifiers_pointer)?;
        if let Some(purl) = string(identifiers, "purl", &identifiers_pointer)? {
            product.purl = lenient_purl(purl, &child(&identifiers_pointer, "purl"), skipped);
        }
        product.cpe = non_empty(
            string(identifiers, "cpe23", &identifiers_pointer)?.or(string(
                identifiers,
                "cpe22",
                &identifiers_pointer,
            )?),
        );
    }
    if product.purl.is_none()
        && let Some(id) = product.id.as_deref()
    {
        product.purl = purl_from_id(id, pointer, skipped);
    }
    if let Some(hashes) = map.get("hashes") {
        let hashes_pointer = child(pointer, "hashes");
        for (key, digest) in object(hashes, &hashes_pointer)? {
            let digest_pointer = child(&hashes_pointer, key);
            let digest = json::as_str(digest, &digest_pointer)?;
            match HASH_KEYS.iter().find(|(name, _)| name == key) {
                Some((_, algorithm)) => product.hashes.push(Hash::new(*algorithm, digest)),
                None => skipped.push(digest_pointer, "hash algorithm not modelled"),
            }
        }
    }
    product.subcomponents = read_products(map, "subcomponents", pointer, skipped)?;
    Ok(product)
}

/// Product `@id`s are usually purls; other IRIs (image digests, URLs) stay ids only.
fn purl_from_id(id: &str, pointer: &str, skipped: &mut Skipped) -> Option<vouch_model::Purl> {
    id.starts_with("pkg:")
        .then(|| lenient_purl(id, pointer, skipped))
        .flatten()
}

/// Settings of [`write_openvex`].
#[derive(Debug, Clone, Default)]
pub struct OpenVexOptions {
    /// The document `@id`; by default `https://openvex.dev/docs/public/vex-<sha-256 of the
    /// content>`, so that the same statements always get the same id.
    pub id: Option<String>,
}

/// Serialises `document` as OpenVEX 0.2.0 JSON. The document needs a timestamp (the schema
/// requires one); a missing author is written as vexctl does, `Unknown Author`. Hashes whose
/// algorithm OpenVEX does not list (SHA-224, BLAKE2b-384, BLAKE3) are left out.
pub fn write_openvex(
    document: &VexDocument,
    options: &OpenVexOptions,
) -> Result<Vec<u8>, VexWriteError> {
    let timestamp = document
        .timestamp
        .as_deref()
        .ok_or_else(|| VexWriteError::Invalid {
            format: VexFormat::OpenVex,
            message: "the document has no timestamp".to_owned(),
        })?;
    let mut root = Map::new();
    root.insert("@context".to_owned(), json!(WRITTEN_CONTEXT));
    root.insert(
        "author".to_owned(),
        json!(document.author.as_deref().unwrap_or(UNKNOWN_AUTHOR)),
    );
    insert_text(&mut root, "role", document.role.as_deref());
    root.insert("timestamp".to_owned(), json!(timestamp));
    insert_text(&mut root, "last_updated", document.last_updated.as_deref());
    root.insert("version".to_owned(), json!(document.version.unwrap_or(1)));
    insert_text(&mut root, "tooling", document.tooling.as_deref());
    root.insert(
        "statements".to_owned(),
        Value::Array(document.statements.iter().map(statement_json).collect()),
    );
    let id = match &options.id {
        Some(id) => id.clone(),
        None => {
            let content = serde_json::to_vec(&root).map_err(|source| VexWriteError::Serialize {
                format: VexFormat::OpenVex,
                source,
            })?;
            let digest = Sha256::digest(&content);
            let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
            format!("{ID_PREFIX}{hex}")
        }
    };
    root.insert("@id".to_owned(), json!(id));
    to_json_bytes(&Value::Object(root), VexFormat::OpenVex)
}

fn insert_text(map: &mut Map<String, Value>, key: &str, text: Option<&str>) {
    if let Some(text) = text {
        map.insert(key.to_owned(), json!(text));
    }
}

fn statement_json(statement: &VexStatement) -> Value {
    let mut vulnerability = Map::new();
    vulnerability.insert("name".to_owned(), json!(statement.vulnerability.id));
    insert_text(
        &mut vulnerability,
        "description",
        statement.vulnerability.description.as_deref(),
    );
    if !statement.vulnerability.aliases.is_empty() {
        vulnerability.insert("aliases".to_owned(), json!(statement.vulnerability.aliases));
    }
    let mut map = Map::new();
    map.insert("vulnerability".to_owned(), Value::Object(vulnerability));
    map.insert(
        "products".to_owned(),
        Value::Array(statement.products.iter().map(product_json).collect()),
    );
    map.insert("status".to_owned(), json!(statement.status.as_str()));
    insert_text(
        &mut map,
        "justification",
        statement.justification.map(Justification::as_str),
    );
    insert_text(
        &mut map,
        "impact_statement",
        statement.impact_statement.as_deref(),
    );
    insert_text(
        &mut map,
        "action_statement",
        statement.action_statement.as_deref(),
    );
    insert_text(&mut map, "status_notes", statement.status_notes.as_deref());
    insert_text(&mut map, "supplier", statement.supplier.as_deref());
    insert_text(&mut map, "timestamp", statement.timestamp.as_deref());
    insert_text(&mut map, "last_updated", statement.last_updated.as_deref());
    Value::Object(map)
}

/// A product: `@id` is the purl when there is one (what OpenVEX tools match on), else the
/// source document's id; identifiers and hashes follow.
fn product_json(product: &ProductRef) -> Value {
    let mut map = Map::new();
    let purl = product.purl.as_ref().map(ToString::to_string);
    insert_text(&mut map, "@id", purl.as_deref().or(product.id.as_deref()));
    let mut identifiers = Map::new();
    insert_text(&mut identifiers, "purl", purl.as_deref());
    if let Some(cpe) = &product.cpe {
        let key = if cpe.starts_with("cpe:2.3:") {
            "cpe23"
        } else {
            "cpe22"
        };
        identifiers.insert(key.to_owned(), json!(cpe));
    }
    if !identifiers.is_empty() {
        map.insert("identifiers".to_owned(), Value::Object(identifiers));
    }
    let hashes: Map<String, Value> = product
        .hashes
        .iter()
        .filter_map(|hash| {
            HASH_KEYS
                .iter()
                .find(|(_, algorithm)| *algorithm == hash.algorithm)
                .map(|(key, _)| ((*key).to_owned(), json!(hash.value)))
        })
        .collect();
    if !hashes.is_empty() {
        map.insert("hashes".to_owned(), Value::Object(hashes));
    }
    if !product.subcomponents.is_empty() {
        map.insert(
            "subcomponents".to_owned(),
            Value::Array(product.subcomponents.iter().map(product_json).collect()),
        );
    }
    Value::Object(map)
}

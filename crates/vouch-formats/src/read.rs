//! Reading SBOMs into the model: format detection from the content, and the assembly every
//! reader shares (component ids, purls, hashes, relationship endpoints, the skipped list).

pub(crate) mod json;
pub(crate) mod yaml;

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::fmt;

use serde_json::Value;
use vouch_model::{
    Bom, Component, ComponentId, ComponentKind, Ecosystem, Hash, HashAlgorithm, Location, Metadata,
    Purl, Relationship, RelationshipKind, Scope, Source,
};

use crate::{FormatError, cyclonedx, spdx2, spdx3};

/// The standard a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatFamily {
    CycloneDx,
    Spdx2,
    Spdx3,
}

impl fmt::Display for FormatFamily {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::CycloneDx => "CycloneDX",
            Self::Spdx2 => "SPDX 2",
            Self::Spdx3 => "SPDX 3",
        })
    }
}

/// How a document is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Serialization {
    Json,
    Xml,
    Yaml,
    TagValue,
    JsonLd,
}

impl fmt::Display for Serialization {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::Json => "JSON",
            Self::Xml => "XML",
            Self::Yaml => "YAML",
            Self::TagValue => "tag-value",
            Self::JsonLd => "JSON-LD",
        })
    }
}

/// What [`read`] found the document to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetectedFormat {
    pub family: FormatFamily,
    /// The version the document declares (`1.6`, `2.3`, `3.0.1`).
    pub version: String,
    pub serialization: Serialization,
}

impl fmt::Display for DetectedFormat {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            formatter,
            "{} {} {}",
            self.family, self.version, self.serialization
        )
    }
}

/// A document read into the model, and everything in it the model could not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOutcome {
    pub bom: Bom,
    pub format: DetectedFormat,
    /// One entry per dropped item: where it was (JSON pointer, XML line or tag-value line) and why.
    pub skipped: Vec<String>,
}

/// Reads an SBOM in any supported format, detected from the content (never from the name).
pub fn read(bytes: &[u8], origin: &str) -> Result<ReadOutcome, FormatError> {
    let parsed = parse(bytes, origin)?;
    read_parsed(&parsed, origin)
}

/// A document parsed into its serialisation's tree, before its family is interpreted.
#[derive(Debug)]
pub(crate) enum Parsed {
    Json(Value),
    Xml(vouch_xml::Element),
    Yaml(Value),
    TagValue(String),
}

pub(crate) fn read_error(origin: &str, message: impl fmt::Display) -> FormatError {
    FormatError::Read {
        origin: origin.to_owned(),
        message: message.to_string(),
    }
}

/// Decodes the bytes (UTF-8, or UTF-16 with a byte-order mark) and parses the serialisation.
pub(crate) fn parse(bytes: &[u8], origin: &str) -> Result<Parsed, FormatError> {
    let text = decode(bytes).map_err(|message| read_error(origin, message))?;
    // Leading whitespace is skipped only to look at the first character: parsers get the whole
    // text so that the lines they report are the file's.
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return serde_json::from_str(&text)
            .map(Parsed::Json)
            .map_err(|error| {
                read_error(
                    origin,
                    format!(
                        "invalid JSON at line {}, column {}: {error}",
                        error.line(),
                        error.column()
                    ),
                )
            });
    }
    if trimmed.starts_with('<') {
        return vouch_xml::parse(&text).map(Parsed::Xml).map_err(|error| {
            read_error(
                origin,
                format!("invalid XML at line {}: {}", error.line, error.message),
            )
        });
    }
    if spdx2::tag_value::looks_like_tag_value(trimmed) {
        return Ok(Parsed::TagValue(text));
    }
    match yaml::parse(&text) {
        Ok(value @ Value::Object(_)) => Ok(Parsed::Yaml(value)),
        Ok(_) => Err(read_error(
            origin,
            "not an SBOM: expected a JSON or YAML object, XML, or SPDX tag-value",
        )),
        Err(message) => Err(read_error(
            origin,
            format!("not JSON, XML or SPDX tag-value, and not valid YAML: {message}"),
        )),
    }
}

fn decode(bytes: &[u8]) -> Result<String, String> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        let pairs = bytes.chunks_exact(2);
        if !pairs.remainder().is_empty() {
            return Err("UTF-16 text has an odd number of bytes".to_owned());
        }
        let units: Vec<u16> = pairs
            .filter_map(|pair| <[u8; 2]>::try_from(pair).ok())
            .map(from)
            .collect();
        String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_owned())
    };
    match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => String::from_utf8(rest.to_vec()),
        [0xFF, 0xFE, rest @ ..] => return utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => return utf16(rest, u16::from_be_bytes),
        _ => String::from_utf8(bytes.to_vec()),
    }
    .map_err(|error| {
        format!(
            "not UTF-8 text (invalid byte at offset {})",
            error.utf8_error().valid_up_to()
        )
    })
}

/// The family and serialisation of a parsed document, from its content alone.
pub(crate) fn detect(
    parsed: &Parsed,
    origin: &str,
) -> Result<(FormatFamily, Serialization), FormatError> {
    match parsed {
        Parsed::Json(value) => {
            if value.get("bomFormat").is_some() {
                Ok((FormatFamily::CycloneDx, Serialization::Json))
            } else if value.get("spdxVersion").is_some() {
                Ok((FormatFamily::Spdx2, Serialization::Json))
            } else if let Some(context) = value.get("@context") {
                if is_spdx3_context(context) {
                    Ok((FormatFamily::Spdx3, Serialization::JsonLd))
                } else {
                    Err(read_error(
                        origin,
                        format!("JSON-LD document with @context {context} is not SPDX 3"),
                    ))
                }
            } else {
                Err(read_error(
                    origin,
                    "JSON document is neither CycloneDX (no `bomFormat`), SPDX 2 (no `spdxVersion`) nor SPDX 3 (no `@context`)",
                ))
            }
        }
        Parsed::Xml(root) => match root.name.as_str() {
            "bom" => Ok((FormatFamily::CycloneDx, Serialization::Xml)),
            "Document" => Ok((FormatFamily::Spdx2, Serialization::Xml)),
            "RDF" => Err(read_error(
                origin,
                "SPDX RDF/XML is not supported; convert it to SPDX JSON or tag-value first",
            )),
            other => Err(read_error(
                origin,
                format!(
                    "XML root element <{other}> is neither a CycloneDX <bom> nor an SPDX <Document>"
                ),
            )),
        },
        Parsed::Yaml(value) => {
            if value.get("spdxVersion").is_some() {
                Ok((FormatFamily::Spdx2, Serialization::Yaml))
            } else {
                Err(read_error(
                    origin,
                    "YAML document has no `spdxVersion`; only SPDX 2 is read from YAML",
                ))
            }
        }
        Parsed::TagValue(_) => Ok((FormatFamily::Spdx2, Serialization::TagValue)),
    }
}

/// SPDX 3 documents name the published context (`https://spdx.org/rdf/3.0.1/spdx-context.jsonld`),
/// alone or in a list.
fn is_spdx3_context(context: &Value) -> bool {
    match context {
        Value::String(url) => url.starts_with("https://spdx.org/rdf/3."),
        Value::Array(items) => items.iter().any(is_spdx3_context),
        _ => false,
    }
}

pub(crate) fn read_parsed(parsed: &Parsed, origin: &str) -> Result<ReadOutcome, FormatError> {
    let (family, serialization) = detect(parsed, origin)?;
    match (parsed, family) {
        (Parsed::Json(value), FormatFamily::CycloneDx) => cyclonedx::read::from_json(value, origin),
        (Parsed::Xml(root), FormatFamily::CycloneDx) => cyclonedx::read::from_xml(root, origin),
        (Parsed::Json(value) | Parsed::Yaml(value), FormatFamily::Spdx2) => {
            spdx2::read::from_json(value, serialization, origin)
        }
        (Parsed::Xml(root), FormatFamily::Spdx2) => spdx2::read::from_xml(root, origin),
        (Parsed::TagValue(text), _) => spdx2::tag_value::read(text, origin),
        (Parsed::Json(value), FormatFamily::Spdx3) => spdx3::read::from_json(value, origin),
        (Parsed::Xml(_) | Parsed::Yaml(_), FormatFamily::Spdx3)
        | (Parsed::Yaml(_), FormatFamily::CycloneDx) => Err(read_error(
            origin,
            format!("{family} is not read from {serialization}"),
        )),
    }
}

/// Collects what a reader leaves out, so that nothing is dropped silently.
#[derive(Debug, Default)]
pub(crate) struct Skipped(Vec<String>);

impl Skipped {
    pub(crate) fn push(&mut self, location: impl fmt::Display, what: impl fmt::Display) {
        let location = location.to_string();
        // The empty JSON pointer is the whole document.
        let location = if location.is_empty() {
            "document"
        } else {
            &location
        };
        self.0.push(format!("{location}: {what}"));
    }

    /// Records the fields of an item that the model has no place for, in one entry.
    pub(crate) fn unmodelled<'a>(
        &mut self,
        location: impl fmt::Display,
        fields: impl IntoIterator<Item = &'a str>,
        known: &[&str],
    ) {
        let mut unknown: Vec<&str> = fields
            .into_iter()
            .filter(|field| !known.contains(field))
            .collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            self.push(location, format!("not modelled: {}", unknown.join(", ")));
        }
    }

    pub(crate) fn into_inner(self) -> Vec<String> {
        self.0
    }
}

/// A component as a document states it, before it is checked and given a model id.
#[derive(Debug)]
pub(crate) struct RawComponent {
    /// Where it was, for skipped entries.
    pub(crate) location: String,
    /// The document's own identifier (bom-ref, SPDXID, spdxId), which relationships use.
    pub(crate) document_id: Option<String>,
    /// SPDX conventions: element ids are derived rather than chosen, so the purl names the
    /// component, and names are qualified (`group/name`) for want of a group field.
    pub(crate) spdx: bool,
    pub(crate) kind: ComponentKind,
    pub(crate) name: String,
    pub(crate) group: Option<String>,
    pub(crate) version: Option<String>,
    pub(crate) purls: Vec<Located>,
    pub(crate) hashes: Vec<RawHash>,
    pub(crate) licenses: Vec<String>,
    pub(crate) scope: Option<Scope>,
    pub(crate) direct: Option<bool>,
    pub(crate) source: Option<Source>,
    /// Stated outright; otherwise derived from the purl.
    pub(crate) ecosystem: Option<Ecosystem>,
    pub(crate) supplier: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) download_url: Option<String>,
    pub(crate) locations: Vec<Location>,
    pub(crate) properties: Vec<(String, String)>,
}

impl RawComponent {
    pub(crate) fn new(location: String, kind: ComponentKind, name: String) -> Self {
        Self {
            location,
            document_id: None,
            spdx: false,
            kind,
            name,
            group: None,
            version: None,
            purls: Vec::new(),
            hashes: Vec::new(),
            licenses: Vec::new(),
            scope: None,
            direct: None,
            source: None,
            ecosystem: None,
            supplier: None,
            description: None,
            download_url: None,
            locations: Vec::new(),
            properties: Vec::new(),
        }
    }
}

/// A string value and where it was found.
#[derive(Debug, Clone)]
pub(crate) struct Located {
    pub(crate) location: String,
    pub(crate) value: String,
}

#[derive(Debug)]
pub(crate) struct RawHash {
    pub(crate) location: String,
    pub(crate) algorithm: String,
    pub(crate) value: String,
}

/// Maps every format's spelling of a digest algorithm (`SHA-256`, `SHA256`, `sha256`, `SHA3-256`,
/// `sha3_256`, `BLAKE2b-256`, `blake2b256`) to the model's enum.
pub(crate) fn hash_algorithm(name: &str) -> Option<HashAlgorithm> {
    let folded: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Some(match folded.as_str() {
        "MD5" => HashAlgorithm::Md5,
        "SHA1" => HashAlgorithm::Sha1,
        "SHA224" => HashAlgorithm::Sha224,
        "SHA256" => HashAlgorithm::Sha256,
        "SHA384" => HashAlgorithm::Sha384,
        "SHA512" => HashAlgorithm::Sha512,
        "SHA3256" => HashAlgorithm::Sha3_256,
        "SHA3384" => HashAlgorithm::Sha3_384,
        "SHA3512" => HashAlgorithm::Sha3_512,
        "BLAKE2B256" => HashAlgorithm::Blake2b256,
        "BLAKE2B384" => HashAlgorithm::Blake2b384,
        "BLAKE2B512" => HashAlgorithm::Blake2b512,
        "BLAKE3" => HashAlgorithm::Blake3,
        _ => return None,
    })
}

/// Splits an SPDX package name qualified by its purl's namespace (`@babel/core`,
/// `org.slf4j:slf4j-api`) into group and name, as the model keeps them.
fn split_qualified_name(purl: &Purl, name: String) -> (Option<String>, String) {
    let Some(namespace) = purl.namespace() else {
        return (None, name);
    };
    let rest = name
        .strip_prefix(namespace)
        .and_then(|rest| rest.strip_prefix('/').or_else(|| rest.strip_prefix(':')))
        .filter(|rest| !rest.is_empty());
    match rest {
        Some(rest) => (Some(namespace.to_owned()), rest.to_owned()),
        None => (None, name),
    }
}

/// Prefix of the text in which vouch's writers list where a component was found.
const LOCATIONS_PREFIX: &str = "found in ";

/// Reads `found in path:line, path` (SPDX `sourceInfo` as vouch writes it) back into
/// locations; `None` for any other text.
pub(crate) fn parse_locations(text: &str) -> Option<Vec<Location>> {
    let list = text.strip_prefix(LOCATIONS_PREFIX)?;
    Some(
        list.split(", ")
            .map(|entry| match entry.rsplit_once(':') {
                Some((path, line)) if line.bytes().all(|b| b.is_ascii_digit()) => Location {
                    path: path.to_owned(),
                    line: line.parse().ok(),
                },
                _ => Location {
                    path: entry.to_owned(),
                    line: None,
                },
            })
            .collect(),
    )
}

/// Values that SPDX uses to say "nothing" or "unknown" rather than a real value.
pub(crate) fn is_no_assertion(value: &str) -> bool {
    matches!(value.trim(), "" | "NOASSERTION" | "NONE")
}

/// Builds the model from raw components and relationships: allocates unique ids, resolves
/// relationship endpoints, and records whatever cannot be kept.
#[derive(Debug, Default)]
pub(crate) struct Assembly {
    components: Vec<Component>,
    subject: Option<Component>,
    /// Document identifier → model id.
    ids: HashMap<String, ComponentId>,
    used: HashSet<ComponentId>,
    relationships: Vec<Relationship>,
    pub(crate) skipped: Skipped,
}

impl Assembly {
    /// Adds a component and returns its model id (also registered under its document id).
    pub(crate) fn add(&mut self, raw: RawComponent) -> ComponentId {
        let component = self.build(raw);
        let id = component.id.clone();
        self.components.push(component);
        id
    }

    /// Sets the BOM's subject (CycloneDX `metadata.component`).
    pub(crate) fn set_subject(&mut self, raw: RawComponent) -> ComponentId {
        let component = self.build(raw);
        let id = component.id.clone();
        self.subject = Some(component);
        id
    }

    /// Moves an already added component to the subject (SPDX `DESCRIBES`, `rootElement`).
    pub(crate) fn promote_to_subject(&mut self, document_id: &str) {
        let Some(id) = self.ids.get(document_id) else {
            return;
        };
        if let Some(index) = self.components.iter().position(|c| &c.id == id) {
            self.subject = Some(self.components.remove(index));
        }
    }

    /// Adds an edge between components already added (CycloneDX nesting).
    pub(crate) fn relate_ids(
        &mut self,
        from: &ComponentId,
        kind: RelationshipKind,
        to: &ComponentId,
    ) {
        self.relationships
            .push(Relationship::new(from.clone(), kind, to.clone()));
    }

    /// Whether `document_id` names a component read so far.
    pub(crate) fn is_component(&self, document_id: &str) -> bool {
        self.ids.contains_key(document_id)
    }

    /// Adds "`from` KIND `to`" between two document ids; an unknown endpoint skips the edge.
    pub(crate) fn relate(&mut self, location: &str, from: &str, kind: RelationshipKind, to: &str) {
        match (self.ids.get(from), self.ids.get(to)) {
            (Some(from), Some(to)) => {
                self.relationships
                    .push(Relationship::new(from.clone(), kind, to.clone()));
            }
            (None, _) => self.skipped.push(
                location,
                format!("relationship from `{from}`, which is not a component"),
            ),
            (_, None) => self.skipped.push(
                location,
                format!("relationship to `{to}`, which is not a component"),
            ),
        }
    }

    pub(crate) fn finish(self, metadata: Metadata) -> (Bom, Vec<String>) {
        let mut relationships = self.relationships;
        relationships.sort();
        relationships.dedup();
        let bom = Bom {
            metadata: Metadata {
                subject: self.subject,
                ..metadata
            },
            components: self.components,
            relationships,
        };
        (bom, self.skipped.into_inner())
    }

    fn build(&mut self, raw: RawComponent) -> Component {
        let purl = self.first_valid_purl(&raw);
        let hashes = self.hashes(&raw.hashes);
        let (group, name) = match (&purl, raw.spdx) {
            (Some(purl), true) => split_qualified_name(purl, raw.name),
            _ => (raw.group, raw.name),
        };
        let mut component = Component::new(raw.kind, name, raw.version);
        component.group = group;
        component.ecosystem = raw.ecosystem.or_else(|| {
            purl.as_ref()
                .and_then(|purl| Ecosystem::from_purl_type(purl.purl_type()))
        });
        component.hashes = hashes;
        component.licenses = raw.licenses;
        component.scope = raw.scope.unwrap_or_default();
        component.direct = raw.direct;
        component.source = raw.source.unwrap_or(Source::Registry { url: None });
        component.supplier = raw.supplier;
        component.description = raw.description;
        component.download_url = raw.download_url;
        component.locations = raw.locations;
        for (key, value) in raw.properties {
            if component.properties.insert(key.clone(), value).is_some() {
                self.skipped.push(
                    &raw.location,
                    format!("property `{key}` repeats; the last value is kept"),
                );
            }
        }
        // CycloneDX's bom-ref is chosen by the author and kept; SPDX ids are derived, so there
        // the purl (the model's usual id) comes first. name@version is the last resort.
        let purl_text = purl.as_ref().map(ToString::to_string);
        let derived = Some(component.id.0.clone());
        let candidates: Vec<String> = if raw.spdx {
            [purl_text, raw.document_id.clone(), derived]
        } else {
            [raw.document_id.clone(), purl_text, derived]
        }
        .into_iter()
        .flatten()
        .collect();
        component.purl = purl;
        component.id = self.unique_id(&candidates);
        if let Some(document_id) = raw.document_id {
            match self.ids.entry(document_id) {
                Entry::Occupied(first) => self.skipped.push(
                    &raw.location,
                    format!(
                        "identifier `{}` is used twice; this one is read as `{}` and relationships refer to the first",
                        first.key(),
                        component.id
                    ),
                ),
                Entry::Vacant(entry) => {
                    entry.insert(component.id.clone());
                }
            }
        }
        component
    }

    /// The first candidate no other component uses, else the first with a numeric suffix.
    fn unique_id(&mut self, candidates: &[String]) -> ComponentId {
        let free = candidates
            .iter()
            .map(|candidate| ComponentId::new(candidate.clone()))
            .find(|candidate| !self.used.contains(candidate));
        let id = free.unwrap_or_else(|| {
            let first = candidates.first().map_or("component", String::as_str);
            (2..)
                .map(|counter| ComponentId::new(format!("{first}#{counter}")))
                .find(|candidate| !self.used.contains(candidate))
                .unwrap_or_else(|| ComponentId::new(first))
        });
        self.used.insert(id.clone());
        id
    }

    fn first_valid_purl(&mut self, raw: &RawComponent) -> Option<Purl> {
        let mut chosen: Option<Purl> = None;
        for located in &raw.purls {
            match located.value.parse::<Purl>() {
                Ok(purl) if chosen.is_none() => chosen = Some(purl),
                Ok(purl) if chosen.as_ref() == Some(&purl) => {}
                Ok(purl) => self.skipped.push(
                    &located.location,
                    format!("second purl `{purl}`; only one purl per component is modelled"),
                ),
                Err(error) => self.skipped.push(
                    &located.location,
                    format!("invalid purl `{}`: {error}", located.value),
                ),
            }
        }
        chosen
    }

    fn hashes(&mut self, raw: &[RawHash]) -> Vec<Hash> {
        let mut hashes = Vec::new();
        for hash in raw {
            let Some(algorithm) = hash_algorithm(&hash.algorithm) else {
                self.skipped.push(
                    &hash.location,
                    format!("hash algorithm `{}` is not modelled", hash.algorithm),
                );
                continue;
            };
            let value = hash.value.trim();
            if value.len() != algorithm.hex_len() || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
                self.skipped.push(
                    &hash.location,
                    format!(
                        "{} digest `{value}` is not {} hex digits",
                        hash.algorithm,
                        algorithm.hex_len()
                    ),
                );
                continue;
            }
            hashes.push(Hash::new(algorithm, value));
        }
        // Documents list digests in any order; the model's order is the algorithm's.
        hashes.sort();
        hashes.dedup();
        hashes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_algorithm_spellings_of_every_format_agree() {
        for name in ["SHA-256", "SHA256", "sha256"] {
            assert_eq!(hash_algorithm(name), Some(HashAlgorithm::Sha256), "{name}");
        }
        for name in ["SHA3-512", "sha3_512"] {
            assert_eq!(
                hash_algorithm(name),
                Some(HashAlgorithm::Sha3_512),
                "{name}"
            );
        }
        for name in ["BLAKE2b-384", "blake2b384"] {
            assert_eq!(
                hash_algorithm(name),
                Some(HashAlgorithm::Blake2b384),
                "{name}"
            );
        }
        assert_eq!(hash_algorithm("MD4"), None);
        assert_eq!(hash_algorithm("sha3_224"), None);
    }

    #[test]
    fn decodes_utf16_with_byte_order_mark() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("{}".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(&bytes).as_deref(), Ok("{}"));
    }

    #[test]
    fn rejects_unrecognised_json_with_the_origin() {
        let error = read(b"{\"hello\": 1}", "x.json")
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            error.as_deref(),
            Some(
                "x.json: JSON document is neither CycloneDX (no `bomFormat`), SPDX 2 (no `spdxVersion`) nor SPDX 3 (no `@context`)"
            )
        );
    }

    #[test]
    fn reports_json_syntax_errors_with_line() {
        let error = read(b"{\n\"bomFormat\": \n}", "bad.json")
            .err()
            .map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|message| message.starts_with("bad.json: invalid JSON at line 3")),
            "{error:?}"
        );
    }

    #[test]
    fn deep_json_nesting_is_an_error_not_a_crash() {
        let document = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let document = format!("{{\"bomFormat\": {document}}}");
        assert!(read(document.as_bytes(), "deep.json").is_err());
    }

    #[test]
    fn duplicate_ids_are_disambiguated_and_reported() {
        let mut assembly = Assembly::default();
        for _ in 0..2 {
            let mut raw = RawComponent::new("/x".into(), ComponentKind::Library, "a".into());
            raw.document_id = Some("a".into());
            assembly.add(raw);
        }
        let (bom, skipped) = assembly.finish(Metadata::default());
        let ids: Vec<_> = bom.components.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["a", "a#2"]);
        assert_eq!(
            skipped,
            [
                "/x: identifier `a` is used twice; this one is read as `a#2` and relationships refer to the first"
            ]
        );
    }
}

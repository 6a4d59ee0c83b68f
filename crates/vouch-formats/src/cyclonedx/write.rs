//! CycloneDX 1.6 writers. Both serialisations render one intermediate document, so JSON and
//! XML always carry the same facts.
//!
//! Mapping choices: a component that one other component contains is nested inside it
//! (CycloneDX has no containment edge); every `*-depends-on` edge becomes a `dependsOn` entry
//! and the component's own scope is kept as `scope` (`optional` for anything not required)
//! plus a `vouch:scope` property. SHA-224 digests are left out: CycloneDX has no such
//! algorithm.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::{Map, Value, json};
use vouch_model::{Bom, Component, ComponentId, HashAlgorithm, RelationshipKind, Scope, Source};

use crate::write::license::License;
use crate::write::{Prepared, json_bytes, parse_agent, repository_url, split_tool};
use crate::{Format, FormatError, SbomType, WriteOptions};

const SPEC_VERSION: &str = "1.6";

pub(crate) fn write_json(bom: &Bom, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    let document = Document::new(bom, Format::CycloneDxJson, options)?;
    json_bytes(&document.to_json(), Format::CycloneDxJson)
}

pub(crate) fn write_xml(bom: &Bom, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    let document = Document::new(bom, Format::CycloneDxXml, options)?;
    document.to_xml().map_err(|error| FormatError::Write {
        format: Format::CycloneDxXml,
        message: error.to_string(),
    })
}

/// The facts of one CycloneDX BOM, in the order the specification lists them.
#[derive(Debug)]
struct Document {
    serial_number: String,
    timestamp: String,
    phase: &'static str,
    /// `(name, version)` of each tool.
    tools: Vec<(String, Option<String>)>,
    authors: Vec<String>,
    subject: Option<Node>,
    components: Vec<Node>,
    /// Every component's bom-ref with the bom-refs it directly depends on.
    dependencies: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug)]
struct Node {
    kind: &'static str,
    bom_ref: String,
    supplier: Option<String>,
    group: Option<String>,
    name: String,
    version: Option<String>,
    description: Option<String>,
    scope: &'static str,
    /// `(alg, content)`, sorted.
    hashes: Vec<(&'static str, String)>,
    licenses: Licenses,
    purl: Option<String>,
    /// `(type, url)`, sorted.
    external_references: BTreeSet<(&'static str, String)>,
    properties: BTreeMap<String, String>,
    components: Vec<Node>,
    /// `(path, line)`, sorted.
    occurrences: Vec<(String, Option<u32>)>,
}

/// CycloneDX takes either licences or one expression, never both.
#[derive(Debug)]
enum Licenses {
    None,
    Expression(String),
    /// `(field, value)`: `id` for an id of the SPDX list, `name` for anything else.
    List(Vec<(&'static str, String)>),
}

impl Document {
    fn new(bom: &Bom, format: Format, options: &WriteOptions) -> Result<Self, FormatError> {
        let prepared = Prepared::new(bom, format, options)?;
        let mut tools = vec![(
            options.tool_name.clone(),
            Some(options.tool_version.clone()),
        )];
        tools.extend(bom.metadata.tools.iter().map(|tool| {
            let (name, version) = split_tool(tool);
            (name.to_owned(), version.map(str::to_owned))
        }));
        tools.sort();
        tools.dedup();
        let mut authors: Vec<String> = bom
            .metadata
            .authors
            .iter()
            .map(|author| parse_agent(author).1.to_owned())
            .collect();
        authors.sort();
        authors.dedup();

        let mut dependencies: BTreeMap<String, BTreeSet<String>> = prepared
            .all()
            .map(|component| (component.id.to_string(), BTreeSet::new()))
            .collect();
        for relationship in &prepared.relationships {
            if relationship.kind != RelationshipKind::Contains
                && let Some(targets) = dependencies.get_mut(relationship.from.as_str())
            {
                targets.insert(relationship.to.to_string());
            }
        }

        let parents = containment_parents(&prepared);
        let mut children: BTreeMap<&ComponentId, Vec<&Component>> = BTreeMap::new();
        for component in &prepared.components {
            if let Some(parent) = parents.get(&component.id) {
                children.entry(parent).or_default().push(component);
            }
        }
        let subject = prepared
            .subject
            .map(|subject| Node::new(subject, &children));
        let components = prepared
            .components
            .iter()
            .filter(|component| !parents.contains_key(&component.id))
            .map(|component| Node::new(component, &children))
            .collect();
        Ok(Self {
            serial_number: format!("urn:uuid:{}", options.document_id),
            timestamp: prepared.created,
            phase: match options.sbom_type {
                SbomType::Source => "pre-build",
                SbomType::Build => "build",
                SbomType::Analyzed => "post-build",
            },
            tools,
            authors,
            subject,
            components,
            dependencies,
        })
    }

    fn to_json(&self) -> Value {
        let mut metadata = Map::new();
        metadata.insert("timestamp".into(), json!(self.timestamp));
        metadata.insert("lifecycles".into(), json!([{"phase": self.phase}]));
        let tools: Vec<Value> = self
            .tools
            .iter()
            .map(|(name, version)| {
                let mut tool = Map::new();
                tool.insert("type".into(), json!("application"));
                tool.insert("name".into(), json!(name));
                if let Some(version) = version {
                    tool.insert("version".into(), json!(version));
                }
                Value::Object(tool)
            })
            .collect();
        metadata.insert("tools".into(), json!({ "components": tools }));
        if !self.authors.is_empty() {
            let authors: Vec<Value> = self
                .authors
                .iter()
                .map(|name| json!({ "name": name }))
                .collect();
            metadata.insert("authors".into(), Value::Array(authors));
        }
        if let Some(subject) = &self.subject {
            metadata.insert("component".into(), subject.to_json());
        }

        let mut document = Map::new();
        document.insert(
            "$schema".into(),
            json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
        );
        document.insert("bomFormat".into(), json!("CycloneDX"));
        document.insert("specVersion".into(), json!(SPEC_VERSION));
        document.insert("serialNumber".into(), json!(self.serial_number));
        document.insert("version".into(), json!(1));
        document.insert("metadata".into(), Value::Object(metadata));
        document.insert(
            "components".into(),
            Value::Array(self.components.iter().map(Node::to_json).collect()),
        );
        let dependencies: Vec<Value> = self
            .dependencies
            .iter()
            .map(|(reference, targets)| json!({"ref": reference, "dependsOn": targets}))
            .collect();
        document.insert("dependencies".into(), Value::Array(dependencies));
        Value::Object(document)
    }

    fn to_xml(&self) -> std::io::Result<Vec<u8>> {
        let mut xml = Xml(Writer::new_with_indent(Vec::new(), b' ', 2));
        xml.0
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        xml.open(
            "bom",
            &[
                ("xmlns", "http://cyclonedx.org/schema/bom/1.6"),
                ("serialNumber", &self.serial_number),
                ("version", "1"),
            ],
        )?;
        xml.open("metadata", &[])?;
        xml.text("timestamp", &self.timestamp)?;
        xml.open("lifecycles", &[])?;
        xml.open("lifecycle", &[])?;
        xml.text("phase", self.phase)?;
        xml.close("lifecycle")?;
        xml.close("lifecycles")?;
        xml.open("tools", &[])?;
        xml.open("components", &[])?;
        for (name, version) in &self.tools {
            xml.open("component", &[("type", "application")])?;
            xml.text("name", name)?;
            if let Some(version) = version {
                xml.text("version", version)?;
            }
            xml.close("component")?;
        }
        xml.close("components")?;
        xml.close("tools")?;
        if !self.authors.is_empty() {
            xml.open("authors", &[])?;
            for name in &self.authors {
                xml.open("author", &[])?;
                xml.text("name", name)?;
                xml.close("author")?;
            }
            xml.close("authors")?;
        }
        if let Some(subject) = &self.subject {
            subject.to_xml(&mut xml, "component")?;
        }
        xml.close("metadata")?;
        xml.open("components", &[])?;
        for component in &self.components {
            component.to_xml(&mut xml, "component")?;
        }
        xml.close("components")?;
        xml.open("dependencies", &[])?;
        for (reference, targets) in &self.dependencies {
            if targets.is_empty() {
                xml.empty("dependency", &[("ref", reference)])?;
            } else {
                xml.open("dependency", &[("ref", reference)])?;
                for target in targets {
                    xml.empty("dependency", &[("ref", target)])?;
                }
                xml.close("dependency")?;
            }
        }
        xml.close("dependencies")?;
        xml.close("bom")?;
        let mut bytes = xml.0.into_inner();
        bytes.push(b'\n');
        Ok(bytes)
    }
}

/// For each component contained by exactly one other non-subject component, that container;
/// containment cycles and shared children stay at the top level.
fn containment_parents<'p>(
    prepared: &'p Prepared<'_>,
) -> BTreeMap<&'p ComponentId, &'p ComponentId> {
    let subject = prepared.subject.map(|subject| &subject.id);
    let mut containers: BTreeMap<&ComponentId, BTreeSet<&ComponentId>> = BTreeMap::new();
    for component in &prepared.components {
        for relationship in &prepared.relationships {
            if relationship.kind == RelationshipKind::Contains
                && relationship.to == component.id
                && Some(&relationship.from) != subject
            {
                containers
                    .entry(&component.id)
                    .or_default()
                    .insert(&relationship.from);
            }
        }
    }
    let mut parents: BTreeMap<&ComponentId, &ComponentId> = containers
        .into_iter()
        .filter_map(|(child, containers)| match containers.len() {
            1 => containers.into_iter().next().map(|parent| (child, parent)),
            _ => None,
        })
        .collect();
    // Walking up from a component must end at the top; a walk longer than the number of
    // nested components went round a cycle.
    let cyclic: Vec<&ComponentId> = parents
        .keys()
        .copied()
        .filter(|start| {
            let mut current = *start;
            for _ in 0..=parents.len() {
                match parents.get(current) {
                    Some(parent) if parent == start => return true,
                    Some(parent) => current = parent,
                    None => return false,
                }
            }
            true
        })
        .collect();
    for child in cyclic {
        parents.remove(child);
    }
    parents
}

impl Node {
    fn new(component: &Component, children: &BTreeMap<&ComponentId, Vec<&Component>>) -> Self {
        let mut external_references = BTreeSet::new();
        let mut properties = component.properties.clone();
        // CycloneDX requires IRI references; the source URL stays in a property regardless.
        let mut add_reference = |kind: &'static str, url: &str| match iri_reference(url) {
            Some(url) => {
                external_references.insert((kind, url));
                true
            }
            None => false,
        };
        match &component.source {
            Source::Registry { url: None } => {}
            Source::Registry { url: Some(url) } => {
                properties.insert("vouch:source".into(), "registry".into());
                properties.insert("vouch:source:url".into(), url.clone());
            }
            Source::Git { url, reference } => {
                add_reference("vcs", &repository_url(url));
                properties.insert("vouch:source".into(), "git".into());
                properties.insert("vouch:source:url".into(), url.clone());
                if let Some(reference) = reference {
                    properties.insert("vouch:source:reference".into(), reference.clone());
                }
            }
            Source::Path { path } => {
                properties.insert("vouch:source".into(), "path".into());
                properties.insert("vouch:source:path".into(), path.clone());
            }
            Source::Workspace => {
                properties.insert("vouch:source".into(), "workspace".into());
            }
            Source::Url { url } => {
                add_reference("distribution", url);
                properties.insert("vouch:source".into(), "url".into());
                properties.insert("vouch:source:url".into(), url.clone());
            }
        }
        if let Some(url) = &component.download_url
            && !add_reference("distribution", url)
        {
            properties.insert("vouch:download-url".into(), url.clone());
        }
        if component.scope != Scope::Required {
            properties.insert("vouch:scope".into(), component.scope.as_str().into());
        }
        if let Some(direct) = component.direct {
            properties.insert("vouch:direct".into(), direct.to_string());
        }
        if component.purl.is_none()
            && let Some(ecosystem) = &component.ecosystem
        {
            properties.insert("vouch:ecosystem".into(), ecosystem.osv_name().into());
        }

        let mut hashes: Vec<(&'static str, String)> = component
            .hashes
            .iter()
            .filter_map(|hash| {
                algorithm_name(hash.algorithm)
                    .map(|algorithm| (algorithm, hash.value.to_ascii_lowercase()))
            })
            .collect();
        hashes.sort();
        hashes.dedup();

        let mut occurrences: Vec<(String, Option<u32>)> = component
            .locations
            .iter()
            .map(|location| (location.path.clone(), location.line))
            .collect();
        occurrences.sort();
        occurrences.dedup();

        Self {
            kind: component.kind.as_str(),
            bom_ref: component.id.to_string(),
            supplier: component
                .supplier
                .as_deref()
                .map(|supplier| parse_agent(supplier).1.to_owned()),
            group: component.group.clone(),
            name: component.name.clone(),
            version: component.version.clone(),
            description: component.description.clone(),
            scope: match component.scope {
                Scope::Required => "required",
                Scope::Optional | Scope::Dev | Scope::Peer | Scope::Build => "optional",
            },
            hashes,
            licenses: licenses(&component.licenses),
            purl: component.purl.as_ref().map(ToString::to_string),
            external_references,
            properties,
            components: children
                .get(&component.id)
                .into_iter()
                .flatten()
                .map(|child| Self::new(child, children))
                .collect(),
            occurrences,
        }
    }

    fn to_json(&self) -> Value {
        let mut node = Map::new();
        node.insert("type".into(), json!(self.kind));
        node.insert("bom-ref".into(), json!(self.bom_ref));
        if let Some(supplier) = &self.supplier {
            node.insert("supplier".into(), json!({ "name": supplier }));
        }
        if let Some(group) = &self.group {
            node.insert("group".into(), json!(group));
        }
        node.insert("name".into(), json!(self.name));
        if let Some(version) = &self.version {
            node.insert("version".into(), json!(version));
        }
        if let Some(description) = &self.description {
            node.insert("description".into(), json!(description));
        }
        node.insert("scope".into(), json!(self.scope));
        if !self.hashes.is_empty() {
            let hashes: Vec<Value> = self
                .hashes
                .iter()
                .map(|(algorithm, content)| json!({"alg": algorithm, "content": content}))
                .collect();
            node.insert("hashes".into(), Value::Array(hashes));
        }
        match &self.licenses {
            Licenses::None => {}
            Licenses::Expression(expression) => {
                node.insert("licenses".into(), json!([{ "expression": expression }]));
            }
            Licenses::List(list) => {
                let list: Vec<Value> = list
                    .iter()
                    .map(|(field, value)| json!({ "license": { *field: value } }))
                    .collect();
                node.insert("licenses".into(), Value::Array(list));
            }
        }
        if let Some(purl) = &self.purl {
            node.insert("purl".into(), json!(purl));
        }
        if !self.external_references.is_empty() {
            let references: Vec<Value> = self
                .external_references
                .iter()
                .map(|(kind, url)| json!({"type": kind, "url": url}))
                .collect();
            node.insert("externalReferences".into(), Value::Array(references));
        }
        if !self.properties.is_empty() {
            let properties: Vec<Value> = self
                .properties
                .iter()
                .map(|(name, value)| json!({"name": name, "value": value}))
                .collect();
            node.insert("properties".into(), Value::Array(properties));
        }
        if !self.components.is_empty() {
            node.insert(
                "components".into(),
                Value::Array(self.components.iter().map(Self::to_json).collect()),
            );
        }
        if !self.occurrences.is_empty() {
            let occurrences: Vec<Value> = self
                .occurrences
                .iter()
                .map(|(path, line)| match line {
                    Some(line) => json!({"location": path, "line": line}),
                    None => json!({ "location": path }),
                })
                .collect();
            node.insert("evidence".into(), json!({ "occurrences": occurrences }));
        }
        Value::Object(node)
    }

    fn to_xml(&self, xml: &mut Xml, element: &str) -> std::io::Result<()> {
        xml.open(element, &[("type", self.kind), ("bom-ref", &self.bom_ref)])?;
        if let Some(supplier) = &self.supplier {
            xml.open("supplier", &[])?;
            xml.text("name", supplier)?;
            xml.close("supplier")?;
        }
        if let Some(group) = &self.group {
            xml.text("group", group)?;
        }
        xml.text("name", &self.name)?;
        if let Some(version) = &self.version {
            xml.text("version", version)?;
        }
        if let Some(description) = &self.description {
            xml.text("description", description)?;
        }
        xml.text("scope", self.scope)?;
        if !self.hashes.is_empty() {
            xml.open("hashes", &[])?;
            for (algorithm, content) in &self.hashes {
                xml.text_with("hash", &[("alg", algorithm)], content)?;
            }
            xml.close("hashes")?;
        }
        match &self.licenses {
            Licenses::None => {}
            Licenses::Expression(expression) => {
                xml.open("licenses", &[])?;
                xml.text("expression", expression)?;
                xml.close("licenses")?;
            }
            Licenses::List(list) => {
                xml.open("licenses", &[])?;
                for (field, value) in list {
                    xml.open("license", &[])?;
                    xml.text(field, value)?;
                    xml.close("license")?;
                }
                xml.close("licenses")?;
            }
        }
        if let Some(purl) = &self.purl {
            xml.text("purl", purl)?;
        }
        if !self.external_references.is_empty() {
            xml.open("externalReferences", &[])?;
            for (kind, url) in &self.external_references {
                xml.open("reference", &[("type", kind)])?;
                xml.text("url", url)?;
                xml.close("reference")?;
            }
            xml.close("externalReferences")?;
        }
        if !self.properties.is_empty() {
            xml.open("properties", &[])?;
            for (name, value) in &self.properties {
                xml.text_with("property", &[("name", name)], value)?;
            }
            xml.close("properties")?;
        }
        if !self.components.is_empty() {
            xml.open("components", &[])?;
            for component in &self.components {
                component.to_xml(xml, "component")?;
            }
            xml.close("components")?;
        }
        if !self.occurrences.is_empty() {
            xml.open("evidence", &[])?;
            xml.open("occurrences", &[])?;
            for (path, line) in &self.occurrences {
                xml.open("occurrence", &[])?;
                xml.text("location", path)?;
                if let Some(line) = line {
                    xml.text("line", &line.to_string())?;
                }
                xml.close("occurrence")?;
            }
            xml.close("occurrences")?;
            xml.close("evidence")?;
        }
        xml.close(element)
    }
}

/// `url` as an IRI reference: as it is when valid, else with the characters IRIs cannot hold
/// percent-encoded; `None` when even that is no IRI reference.
fn iri_reference(url: &str) -> Option<String> {
    if fluent_uri::IriRef::parse(url).is_ok() {
        return Some(url.to_owned());
    }
    let mut encoded = String::with_capacity(url.len());
    let bytes = url.as_bytes();
    for (index, character) in url.char_indices() {
        let escape_start = character == '%'
            && bytes
                .get(index + 1..index + 3)
                .is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit));
        let keep = character.is_ascii_graphic()
            && !matches!(
                character,
                '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}'
            )
            && (character != '%' || escape_start);
        if keep {
            encoded.push(character);
        } else {
            let mut buffer = [0; 4];
            for byte in character.encode_utf8(&mut buffer).bytes() {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    fluent_uri::IriRef::parse(encoded.as_str())
        .is_ok()
        .then_some(encoded)
}

/// A one-element expression when the licences need one, otherwise a list of ids and names.
fn licenses(declared: &[String]) -> Licenses {
    let classified: Vec<License> = declared
        .iter()
        .map(|text| License::classify(text))
        .collect();
    match classified.as_slice() {
        [] => Licenses::None,
        [License::Expression(expression)] => Licenses::Expression(expression.clone()),
        _ => Licenses::List(
            classified
                .into_iter()
                .map(|license| match license {
                    License::Id(id) => ("id", id),
                    License::Expression(text) | License::Text(text) => ("name", text),
                })
                .collect(),
        ),
    }
}

/// The CycloneDX spelling; `None` for algorithms CycloneDX does not list.
pub(crate) fn algorithm_name(algorithm: HashAlgorithm) -> Option<&'static str> {
    Some(match algorithm {
        HashAlgorithm::Md5 => "MD5",
        HashAlgorithm::Sha1 => "SHA-1",
        HashAlgorithm::Sha224 => return None,
        HashAlgorithm::Sha256 => "SHA-256",
        HashAlgorithm::Sha384 => "SHA-384",
        HashAlgorithm::Sha512 => "SHA-512",
        HashAlgorithm::Sha3_256 => "SHA3-256",
        HashAlgorithm::Sha3_384 => "SHA3-384",
        HashAlgorithm::Sha3_512 => "SHA3-512",
        HashAlgorithm::Blake2b256 => "BLAKE2b-256",
        HashAlgorithm::Blake2b384 => "BLAKE2b-384",
        HashAlgorithm::Blake2b512 => "BLAKE2b-512",
        HashAlgorithm::Blake3 => "BLAKE3",
    })
}

/// `text` with the characters XML 1.0 cannot carry (most control characters, U+FFFE, U+FFFF)
/// replaced by U+FFFD; escaping `<`, `&` and quotes is left to the writer.
fn xml_characters(text: &str) -> Cow<'_, str> {
    let allowed = |character: char| matches!(character, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..);
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(
            text.chars()
                .map(|character| {
                    if allowed(character) {
                        character
                    } else {
                        '\u{fffd}'
                    }
                })
                .collect(),
        )
    }
}

/// Element-at-a-time XML output with indentation.
struct Xml(Writer<Vec<u8>>);

impl Xml {
    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.0
            .write_event(Event::Start(Self::start(name, attributes)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> std::io::Result<()> {
        self.0
            .write_event(Event::Empty(Self::start(name, attributes)))
    }

    fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attributes {
            start.push_attribute((*key, xml_characters(value).as_ref()));
        }
        start
    }

    fn close(&mut self, name: &str) -> std::io::Result<()> {
        self.0.write_event(Event::End(BytesEnd::new(name)))
    }

    fn text(&mut self, name: &str, text: &str) -> std::io::Result<()> {
        self.text_with(name, &[], text)
    }

    fn text_with(
        &mut self,
        name: &str,
        attributes: &[(&str, &str)],
        text: &str,
    ) -> std::io::Result<()> {
        self.open(name, attributes)?;
        let text = xml_characters(text);
        self.0.write_event(Event::Text(BytesText::new(&text)))?;
        self.close(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_become_iri_references_or_nothing() {
        assert_eq!(
            iri_reference("https://example.com/a b").as_deref(),
            Some("https://example.com/a%20b")
        );
        assert_eq!(
            iri_reference("https://example.com/é").as_deref(),
            Some("https://example.com/é")
        );
        assert_eq!(
            iri_reference("https://example.com/100%").as_deref(),
            Some("https://example.com/100%25")
        );
        // A relative reference cannot have `:` in its first segment.
        assert_eq!(iri_reference("git@github.com:owner/repo"), None);
    }

    #[test]
    fn xml_drops_characters_it_cannot_carry() {
        assert_eq!(
            xml_characters("a\u{1}b\u{fffe}c\td"),
            "a\u{fffd}b\u{fffd}c\td"
        );
        assert!(matches!(xml_characters("plain <text>"), Cow::Borrowed(_)));
    }
}

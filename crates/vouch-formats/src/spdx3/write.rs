//! SPDX 3.0.1 JSON-LD writer: one `SpdxDocument` whose root is a `software_Sbom`.
//!
//! Every element's `spdxId` is an IRI in the document namespace, its fragment derived from the
//! component id (the same fragment as the SPDX 2.3 `SPDXID`), so ids are stable across runs.
//! Dev and build dependencies are `LifecycleScopedRelationship`s with their scope; relationships
//! sharing `from`, type and scope are one element with several `to`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use vouch_model::{Bom, Component, ComponentId, ComponentKind, HashAlgorithm, RelationshipKind};

use crate::write::license::{License, combined_expression};
use crate::write::{
    AgentKind, Prepared, digest, document_namespace, download_location, id_characters, json_bytes,
    locations_text, parse_agent, spdx_ids,
};
use crate::{Format, FormatError, SbomType, WriteOptions};

const CONTEXT: &str = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld";
const CREATION_INFO: &str = "_:creationinfo";

pub(crate) fn write_json(bom: &Bom, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    let format = Format::Spdx3Json;
    let prepared = Prepared::new(bom, format, options)?;
    let mut graph = Graph {
        namespace: document_namespace(options),
        ..Graph::default()
    };
    let package_ids: BTreeMap<ComponentId, String> = spdx_ids(&prepared)
        .into_iter()
        .map(|(component, fragment)| (component, graph.iri(&fragment)))
        .collect();
    let package_iri = |id: &ComponentId| {
        package_ids
            .get(id)
            .cloned()
            .ok_or_else(|| FormatError::Write {
                format,
                message: format!("component `{id}` has no SPDX id"),
            })
    };

    let mut authors: Vec<String> = bom
        .metadata
        .authors
        .iter()
        .map(|author| graph.agent(author, "Person"))
        .collect();
    if authors.is_empty() {
        // CreationInfo needs an agent: without named authors, vouch itself produced the data.
        authors.push(graph.agent(&options.tool_name, "SoftwareAgent"));
    }
    authors.sort();
    authors.dedup();
    let tools: Vec<String> =
        std::iter::once(format!("{}-{}", options.tool_name, options.tool_version))
            .chain(bom.metadata.tools.iter().cloned())
            .map(|tool| graph.tool(&tool))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();

    for component in prepared.all() {
        let id = package_iri(&component.id)?;
        let supplier = component
            .supplier
            .as_deref()
            .map(|supplier| graph.agent(supplier, "Organization"));
        let declared: Vec<License> = component
            .licenses
            .iter()
            .map(|text| License::classify(text))
            .collect();
        if let Some(expression) = combined_expression(&declared) {
            let license = graph.license(&expression);
            graph.edge(&id, "hasDeclaredLicense", None, license);
        }
        let package = package_element(component, &id, supplier.as_deref());
        graph.packages.insert(id, package);
    }
    for relationship in &prepared.relationships {
        let (kind, scope) = match relationship.kind {
            RelationshipKind::DependsOn => ("dependsOn", None),
            RelationshipKind::DevDependsOn => ("dependsOn", Some("development")),
            RelationshipKind::BuildDependsOn => ("dependsOn", Some("build")),
            RelationshipKind::OptionalDependsOn => ("hasOptionalDependency", None),
            RelationshipKind::PeerDependsOn => ("hasProvidedDependency", None),
            RelationshipKind::Contains => ("contains", None),
        };
        let from = package_iri(&relationship.from)?;
        graph.edge(&from, kind, scope, package_iri(&relationship.to)?);
    }
    let roots: Vec<String> = prepared
        .roots()
        .into_iter()
        .map(|root| package_iri(&root.id))
        .collect::<Result<_, _>>()?;

    let relationships = graph.relationships();
    let sbom_id = graph.iri("SPDXRef-Sbom");
    let sbom_elements: Vec<&String> = graph
        .packages
        .keys()
        .chain(graph.licenses.keys())
        .chain(relationships.keys())
        .chain(graph.agents.keys())
        .collect();
    let mut sbom = element("software_Sbom", &sbom_id, &options.document_name);
    if let Value::Object(fields) = &mut sbom {
        fields.insert(
            "software_sbomType".into(),
            json!([match options.sbom_type {
                SbomType::Source => "source",
                SbomType::Build => "build",
                SbomType::Analyzed => "analyzed",
            }]),
        );
        if !roots.is_empty() {
            fields.insert("rootElement".into(), json!(roots));
        }
        if !sbom_elements.is_empty() {
            fields.insert("element".into(), json!(sbom_elements));
        }
    }
    let mut document = element(
        "SpdxDocument",
        &graph.iri("SPDXRef-DOCUMENT"),
        &options.document_name,
    );
    if let Value::Object(fields) = &mut document {
        fields.insert(
            "profileConformance".into(),
            json!(["core", "software", "simpleLicensing"]),
        );
        fields.insert("rootElement".into(), json!([sbom_id]));
        let elements: Vec<&String> = std::iter::once(&sbom_id)
            .chain(sbom_elements.iter().copied())
            .chain(graph.tools.keys())
            .collect();
        fields.insert("element".into(), json!(elements));
    }

    let creation_info = json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": "3.0.1",
        "created": prepared.created,
        "createdBy": authors,
        "createdUsing": tools,
    });
    let elements: Vec<Value> = std::iter::once(creation_info)
        .chain([document, sbom])
        .chain(graph.agents.into_values())
        .chain(graph.tools.into_values())
        .chain(graph.packages.into_values())
        .chain(graph.licenses.into_values())
        .chain(relationships.into_values())
        .collect();
    json_bytes(&json!({"@context": CONTEXT, "@graph": elements}), format)
}

/// The elements of the document apart from the collections, each kind keyed by IRI so that
/// every element appears once and in a stable order.
#[derive(Debug, Default)]
struct Graph {
    namespace: String,
    agents: BTreeMap<String, Value>,
    tools: BTreeMap<String, Value>,
    packages: BTreeMap<String, Value>,
    licenses: BTreeMap<String, Value>,
    /// `(from, relationship type, lifecycle scope)` to the `to` elements.
    edges: BTreeMap<(String, &'static str, Option<&'static str>), BTreeSet<String>>,
}

impl Graph {
    fn iri(&self, fragment: &str) -> String {
        format!("{}#{fragment}", self.namespace)
    }

    /// The IRI of the agent `text` names (`Organization: Acme`, or a bare name of
    /// `default_kind`), adding the agent on first use.
    fn agent(&mut self, text: &str, default_kind: &'static str) -> String {
        let (kind, name) = parse_agent(text);
        let kind = match kind {
            Some(AgentKind::Organization) => "Organization",
            Some(AgentKind::Person) => "Person",
            Some(AgentKind::Tool) => "SoftwareAgent",
            None => default_kind,
        };
        let id = self.iri(&readable_fragment(kind, name));
        self.agents.insert(id.clone(), element(kind, &id, name));
        id
    }

    fn tool(&mut self, name: &str) -> String {
        let id = self.iri(&readable_fragment("Tool", name));
        self.tools.insert(id.clone(), element("Tool", &id, name));
        id
    }

    fn license(&mut self, expression: &str) -> String {
        let id = self.iri(&format!("SPDXRef-License-{}", digest(expression, 16)));
        let license = json!({
            "type": "simplelicensing_LicenseExpression",
            "spdxId": id,
            "creationInfo": CREATION_INFO,
            "simplelicensing_licenseExpression": expression,
        });
        self.licenses.insert(id.clone(), license);
        id
    }

    fn edge(&mut self, from: &str, kind: &'static str, scope: Option<&'static str>, to: String) {
        self.edges
            .entry((from.to_owned(), kind, scope))
            .or_default()
            .insert(to);
    }

    /// One relationship element per `from`, type and scope, with all its `to`.
    fn relationships(&self) -> BTreeMap<String, Value> {
        let mut relationships = BTreeMap::new();
        for ((from, kind, scope), targets) in &self.edges {
            // `…#SPDXRef-Package-serde-1.0.210-5f1d66ac` → `Package-serde-1.0.210-5f1d66ac`.
            let fragment = from
                .rsplit_once('#')
                .map_or(from.as_str(), |(_, fragment)| fragment);
            let fragment = fragment.strip_prefix("SPDXRef-").unwrap_or(fragment);
            let mut id = self.iri(&format!("SPDXRef-Relationship-{fragment}-{kind}"));
            let mut relationship = Map::new();
            match scope {
                Some(scope) => {
                    id = format!("{id}-{scope}");
                    relationship.insert("type".into(), json!("LifecycleScopedRelationship"));
                }
                None => {
                    relationship.insert("type".into(), json!("Relationship"));
                }
            }
            relationship.insert("spdxId".into(), json!(id));
            relationship.insert("creationInfo".into(), json!(CREATION_INFO));
            relationship.insert("from".into(), json!(from));
            relationship.insert("relationshipType".into(), json!(kind));
            relationship.insert("to".into(), json!(targets));
            if let Some(scope) = scope {
                relationship.insert("scope".into(), json!(scope));
            }
            relationships.insert(id, Value::Object(relationship));
        }
        relationships
    }
}

/// An element with the properties every element has.
fn element(kind: &str, id: &str, name: &str) -> Value {
    json!({
        "type": kind,
        "spdxId": id,
        "creationInfo": CREATION_INFO,
        "name": name,
    })
}

/// `SPDXRef-<kind>-<name>-<digest>`: readable, and distinct per name.
fn readable_fragment(kind: &str, name: &str) -> String {
    let readable = id_characters(name);
    format!("SPDXRef-{kind}-{readable}-{}", digest(name, 8))
}

fn package_element(component: &Component, id: &str, supplier: Option<&str>) -> Value {
    let mut package = Map::new();
    package.insert("type".into(), json!("software_Package"));
    package.insert("spdxId".into(), json!(id));
    package.insert("creationInfo".into(), json!(CREATION_INFO));
    package.insert("name".into(), json!(component.qualified_name()));
    if let Some(description) = &component.description {
        package.insert("description".into(), json!(description));
    }
    let mut hashes: Vec<(&str, String)> = component
        .hashes
        .iter()
        .map(|hash| {
            (
                algorithm_name(hash.algorithm),
                hash.value.to_ascii_lowercase(),
            )
        })
        .collect();
    hashes.sort();
    hashes.dedup();
    if !hashes.is_empty() {
        let hashes: Vec<Value> = hashes
            .iter()
            .map(|(algorithm, value)| {
                json!({"type": "Hash", "algorithm": algorithm, "hashValue": value})
            })
            .collect();
        package.insert("verifiedUsing".into(), Value::Array(hashes));
    }
    if let Some(supplier) = supplier {
        package.insert("suppliedBy".into(), json!(supplier));
    }
    package.insert(
        "software_primaryPurpose".into(),
        json!(purpose(component.kind)),
    );
    if let Some(location) = download_location(component) {
        package.insert("software_downloadLocation".into(), json!(location));
    }
    if let Some(purl) = &component.purl {
        package.insert("software_packageUrl".into(), json!(purl.to_string()));
    }
    if let Some(version) = &component.version {
        package.insert("software_packageVersion".into(), json!(version));
    }
    if let Some(source_info) = locations_text(component) {
        package.insert("software_sourceInfo".into(), json!(source_info));
    }
    Value::Object(package)
}

fn algorithm_name(algorithm: HashAlgorithm) -> &'static str {
    match algorithm {
        HashAlgorithm::Md5 => "md5",
        HashAlgorithm::Sha1 => "sha1",
        HashAlgorithm::Sha224 => "sha224",
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha384 => "sha384",
        HashAlgorithm::Sha512 => "sha512",
        HashAlgorithm::Sha3_256 => "sha3_256",
        HashAlgorithm::Sha3_384 => "sha3_384",
        HashAlgorithm::Sha3_512 => "sha3_512",
        HashAlgorithm::Blake2b256 => "blake2b256",
        HashAlgorithm::Blake2b384 => "blake2b384",
        HashAlgorithm::Blake2b512 => "blake2b512",
        HashAlgorithm::Blake3 => "blake3",
    }
}

fn purpose(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Application => "application",
        ComponentKind::Framework => "framework",
        ComponentKind::Library => "library",
        ComponentKind::Container => "container",
        ComponentKind::Platform => "platform",
        ComponentKind::OperatingSystem => "operatingSystem",
        ComponentKind::Device => "device",
        ComponentKind::DeviceDriver => "deviceDriver",
        ComponentKind::Firmware => "firmware",
        ComponentKind::File => "file",
        ComponentKind::MachineLearningModel => "model",
        ComponentKind::Data => "data",
        ComponentKind::CryptographicAsset => "other",
    }
}

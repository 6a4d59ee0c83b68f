//! SPDX 3.0.1 JSON-LD writer: one `SpdxDocument` whose root is a `software_Sbom`.
//!
//! Every element's `spdxId` is an IRI in the document namespace, its fragment derived from the
//! component id (the same fragment as the SPDX 2.3 `SPDXID`), so ids are stable across runs.
//! Dev and build dependencies are `LifecycleScopedRelationship`s with their scope; relationships
//! sharing `from`, type and scope are one element with several `to`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use vouch_model::{Bom, Component, ComponentKind, HashAlgorithm, RelationshipKind};

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
    let namespace = document_namespace(options);
    let iri = |fragment: &str| format!("{namespace}#{fragment}");
    let package_ids: BTreeMap<_, _> = spdx_ids(&prepared)
        .into_iter()
        .map(|(component, fragment)| (component, iri(&fragment)))
        .collect();
    let package_iri = |component: &Component| {
        package_ids
            .get(&component.id)
            .cloned()
            .ok_or_else(|| FormatError::Write {
                format,
                message: format!("component `{}` has no SPDX id", component.id),
            })
    };

    // Agents and tools are elements too, keyed by IRI so that each appears once.
    let mut agents: BTreeMap<String, Value> = BTreeMap::new();
    let mut agent_element = |text: &str, default_kind: &'static str| {
        let (kind, name) = parse_agent(text);
        let kind = match kind {
            Some(AgentKind::Organization) => "Organization",
            Some(AgentKind::Person) => "Person",
            Some(AgentKind::Tool) => "SoftwareAgent",
            None => default_kind,
        };
        let id = iri(&agent_fragment(kind, name));
        agents.insert(id.clone(), element(kind, &id, name));
        id
    };
    let mut authors: Vec<String> = bom
        .metadata
        .authors
        .iter()
        .map(|author| agent_element(author, "Person"))
        .collect();
    if authors.is_empty() {
        // CreationInfo needs an agent: without named authors, vouch itself produced the data.
        authors.push(agent_element(&options.tool_name, "SoftwareAgent"));
    }
    authors.sort();
    authors.dedup();
    let mut suppliers = BTreeMap::new();
    for component in prepared.all() {
        if let Some(supplier) = &component.supplier {
            suppliers.insert(
                component.id.clone(),
                agent_element(supplier, "Organization"),
            );
        }
    }

    let mut tools: BTreeMap<String, Value> = BTreeMap::new();
    let tool_names = std::iter::once(format!("{}-{}", options.tool_name, options.tool_version))
        .chain(bom.metadata.tools.iter().cloned());
    for tool in tool_names {
        let id = iri(&agent_fragment("Tool", &tool));
        tools.insert(id.clone(), element("Tool", &id, &tool));
    }

    let mut packages = BTreeMap::new();
    let mut licenses: BTreeMap<String, Value> = BTreeMap::new();
    // (from, type, scope) → to
    let mut edges: BTreeMap<(String, &'static str, Option<&'static str>), BTreeSet<String>> =
        BTreeMap::new();
    for component in prepared.all() {
        let id = package_iri(component)?;
        let declared: Vec<License> = component
            .licenses
            .iter()
            .map(|text| License::classify(text))
            .collect();
        if let Some(expression) = combined_expression(&declared) {
            let license_id = iri(&format!("SPDXRef-License-{}", digest(&expression, 16)));
            let license = json!({
                "type": "simplelicensing_LicenseExpression",
                "spdxId": license_id,
                "creationInfo": CREATION_INFO,
                "simplelicensing_licenseExpression": expression,
            });
            licenses.insert(license_id.clone(), license);
            edges
                .entry((id.clone(), "hasDeclaredLicense", None))
                .or_default()
                .insert(license_id);
        }
        let package = package_element(component, &id, suppliers.get(&component.id));
        packages.insert(id, package);
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
        let from = package_ids.get(&relationship.from);
        let to = package_ids.get(&relationship.to);
        if let (Some(from), Some(to)) = (from, to) {
            edges
                .entry((from.clone(), kind, scope))
                .or_default()
                .insert(to.clone());
        }
    }
    let mut relationships = BTreeMap::new();
    for ((from, kind, scope), targets) in edges {
        // `…#SPDXRef-Package-serde-1.0.210-5f1d66ac` → `Package-serde-1.0.210-5f1d66ac`.
        let fragment = from
            .rsplit_once('#')
            .map_or(from.as_str(), |(_, fragment)| fragment);
        let fragment = fragment.strip_prefix("SPDXRef-").unwrap_or(fragment);
        let mut id = format!("{namespace}#SPDXRef-Relationship-{fragment}-{kind}");
        if let Some(scope) = scope {
            id = format!("{id}-{scope}");
        }
        let mut relationship = Map::new();
        relationship.insert(
            "type".into(),
            json!(if scope.is_some() {
                "LifecycleScopedRelationship"
            } else {
                "Relationship"
            }),
        );
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

    let sbom_id = iri("SPDXRef-Sbom");
    let document_id = iri("SPDXRef-DOCUMENT");
    let roots: Vec<String> = prepared
        .roots()
        .into_iter()
        .map(package_iri)
        .collect::<Result<_, _>>()?;
    let sbom_elements: Vec<&String> = packages
        .keys()
        .chain(licenses.keys())
        .chain(relationships.keys())
        .chain(agents.keys())
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
    let mut document = element("SpdxDocument", &document_id, &options.document_name);
    if let Value::Object(fields) = &mut document {
        fields.insert(
            "profileConformance".into(),
            json!(["core", "software", "simpleLicensing"]),
        );
        fields.insert("rootElement".into(), json!([sbom_id]));
        let elements: Vec<&String> = std::iter::once(&sbom_id)
            .chain(sbom_elements.iter().copied())
            .chain(tools.keys())
            .collect();
        fields.insert("element".into(), json!(elements));
    }

    let creation_info = json!({
        "type": "CreationInfo",
        "@id": CREATION_INFO,
        "specVersion": "3.0.1",
        "created": prepared.created,
        "createdBy": authors,
        "createdUsing": tools.keys().collect::<Vec<_>>(),
    });
    let graph: Vec<Value> = std::iter::once(creation_info)
        .chain([document, sbom])
        .chain(agents.into_values())
        .chain(tools.into_values())
        .chain(packages.into_values())
        .chain(licenses.into_values())
        .chain(relationships.into_values())
        .collect();
    json_bytes(&json!({"@context": CONTEXT, "@graph": graph}), format)
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

fn agent_fragment(kind: &str, name: &str) -> String {
    let readable = id_characters(name);
    format!("SPDXRef-{kind}-{readable}-{}", digest(name, 8))
}

fn package_element(component: &Component, id: &str, supplier: Option<&String>) -> Value {
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

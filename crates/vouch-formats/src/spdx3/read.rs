//! SPDX 3.0 JSON-LD into the model: packages from the `@graph`, relationships between them,
//! licences through `hasDeclaredLicense` → `simplelicensing_LicenseExpression`.

use std::collections::HashMap;

use serde_json::{Map, Value};
use vouch_model::{ComponentKind, Metadata, RelationshipKind};

use crate::FormatError;
use crate::read::json::{self, ShapeError};
use crate::read::{
    Assembly, DetectedFormat, FormatFamily, Located, RawComponent, RawHash, ReadOutcome,
    Serialization, is_no_assertion, parse_locations, read_error,
};
use crate::spdx2::read::choose_subject;

const PACKAGE_FIELDS: &[&str] = &[
    "type",
    "@type",
    "spdxId",
    "@id",
    "creationInfo",
    "name",
    "description",
    "summary",
    "software_packageVersion",
    "software_packageUrl",
    "software_downloadLocation",
    "software_primaryPurpose",
    "externalIdentifier",
    "verifiedUsing",
    "suppliedBy",
    "software_sourceInfo",
];

/// Element types consumed as document structure rather than as components.
const STRUCTURAL_TYPES: &[&str] = &[
    "CreationInfo",
    "SpdxDocument",
    "software_Sbom",
    "Bom",
    "Person",
    "Organization",
    "Tool",
    "SoftwareAgent",
    "Agent",
    "simplelicensing_LicenseExpression",
    "Relationship",
    "LifecycleScopedRelationship",
];

/// One object of the `@graph` with its pointer.
struct Node<'a> {
    pointer: String,
    map: &'a Map<String, Value>,
}

impl<'a> Node<'a> {
    fn string(&self, key: &str) -> Result<Option<&'a str>, ShapeError> {
        json::string(self.map, key, &self.pointer)
    }

    fn kind(&self) -> Result<&'a str, ShapeError> {
        Ok(self
            .string("type")?
            .or(self.string("@type")?)
            .unwrap_or_default())
    }

    fn id(&self) -> Result<Option<&'a str>, ShapeError> {
        Ok(self.string("spdxId")?.or(self.string("@id")?))
    }

    /// References in `key`: JSON-LD allows a single id where a list is expected.
    fn references(&self, key: &str) -> Result<Vec<(String, &'a str)>, ShapeError> {
        json::strings(self.map, key, &self.pointer)
    }
}

fn package_kind(element_type: &str, purpose: Option<&str>) -> Result<ComponentKind, String> {
    match element_type {
        "ai_AIPackage" => return Ok(ComponentKind::MachineLearningModel),
        "dataset_DatasetPackage" => return Ok(ComponentKind::Data),
        _ => {}
    }
    Ok(match purpose {
        None | Some("library") => ComponentKind::Library,
        Some("application") | Some("executable") => ComponentKind::Application,
        Some("framework") => ComponentKind::Framework,
        Some("container") => ComponentKind::Container,
        Some("operatingSystem") => ComponentKind::OperatingSystem,
        Some("platform") => ComponentKind::Platform,
        Some("device") => ComponentKind::Device,
        Some("deviceDriver") => ComponentKind::DeviceDriver,
        Some("firmware") => ComponentKind::Firmware,
        Some("file") => ComponentKind::File,
        Some("model") => ComponentKind::MachineLearningModel,
        Some("data") => ComponentKind::Data,
        Some(other) => return Err(other.to_owned()),
    })
}

/// Maps a dependency-like relationship type (and a lifecycle scope) to the model's kind.
fn relationship_kind(relationship_type: &str, scope: Option<&str>) -> Option<RelationshipKind> {
    Some(match relationship_type {
        "dependsOn" => match scope {
            Some("development" | "test") => RelationshipKind::DevDependsOn,
            Some("build") => RelationshipKind::BuildDependsOn,
            _ => RelationshipKind::DependsOn,
        },
        "hasStaticLink" | "hasDynamicLink" => RelationshipKind::DependsOn,
        "hasOptionalDependency" => RelationshipKind::OptionalDependsOn,
        "hasProvidedDependency" => RelationshipKind::PeerDependsOn,
        "contains" => RelationshipKind::Contains,
        _ => return None,
    })
}

pub(crate) fn from_json(value: &Value, origin: &str) -> Result<ReadOutcome, FormatError> {
    let shape = |error: ShapeError| read_error(origin, error);
    let root = json::object(value, "").map_err(shape)?;
    let graph = json::array(root, "@graph", "").map_err(shape)?;
    if graph.is_empty() {
        return Err(read_error(
            origin,
            "SPDX 3 document has no `@graph` elements",
        ));
    }
    let mut nodes = Vec::with_capacity(graph.len());
    for (pointer, element) in graph {
        let map = json::object(element, &pointer).map_err(shape)?;
        nodes.push(Node { pointer, map });
    }
    let mut by_id: HashMap<&str, &Node<'_>> = HashMap::new();
    for node in &nodes {
        if let Some(id) = node.id().map_err(shape)? {
            by_id.insert(id, node);
        }
    }
    let version = spec_version(root, &nodes, origin)?;
    let mut assembly = Assembly::default();

    // Licences first: packages carry them, but they are stated by relationships.
    let mut declared: HashMap<&str, Vec<String>> = HashMap::new();
    let mut concluded: HashMap<&str, Vec<String>> = HashMap::new();
    let mut relationships = Vec::new();
    for node in &nodes {
        if !matches!(
            node.kind().map_err(shape)?,
            "Relationship" | "LifecycleScopedRelationship"
        ) {
            continue;
        }
        let relationship_type = node
            .string("relationshipType")
            .map_err(shape)?
            .unwrap_or_default();
        let from = json::required_string(node.map, "from", &node.pointer).map_err(shape)?;
        let targets = node.references("to").map_err(shape)?;
        let licences = match relationship_type {
            "hasDeclaredLicense" => &mut declared,
            "hasConcludedLicense" => &mut concluded,
            _ => {
                relationships.push((node, relationship_type, from, targets));
                continue;
            }
        };
        for (pointer, target) in targets {
            match by_id.get(target).map(|license| license_expression(license)) {
                Some(Ok(Some(expression))) if !is_no_assertion(expression) => licences
                    .entry(from)
                    .or_default()
                    .push(expression.to_owned()),
                Some(Err(error)) => return Err(shape(error)),
                _ => assembly.skipped.push(
                    pointer,
                    format!("licence {target} is not a simplelicensing_LicenseExpression"),
                ),
            }
        }
    }

    for node in &nodes {
        let element_type = node.kind().map_err(shape)?;
        match element_type {
            "software_Package" | "ai_AIPackage" | "dataset_DatasetPackage" => {
                let mut raw =
                    package_component(node, element_type, &by_id, &mut assembly).map_err(shape)?;
                if let Some(id) = &raw.document_id {
                    raw.licenses = declared
                        .remove(id.as_str())
                        .or_else(|| concluded.remove(id.as_str()))
                        .unwrap_or_default();
                }
                assembly.add(raw);
            }
            structural if STRUCTURAL_TYPES.contains(&structural) => {}
            other => {
                let name = node.string("name").map_err(shape)?;
                let id = node.id().map_err(shape)?.unwrap_or("without spdxId");
                assembly.skipped.push(
                    &node.pointer,
                    format!("{other} {} is not modelled", name.unwrap_or(id)),
                );
            }
        }
    }

    let mut described = Vec::new();
    for (node, relationship_type, from, targets) in relationships {
        let scope = node.string("scope").map_err(shape)?;
        for (pointer, to) in targets {
            if relationship_type == "describes" {
                described.push((pointer, to));
                continue;
            }
            match relationship_kind(relationship_type, scope) {
                Some(kind) => assembly.relate(&pointer, from, kind, to),
                None => assembly.skipped.push(
                    pointer,
                    format!("relationship {from} {relationship_type} {to} is not modelled"),
                ),
            }
        }
    }
    let document = nodes
        .iter()
        .find(|node| node.kind().is_ok_and(|kind| kind == "SpdxDocument"));
    if let Some(document) = document {
        for (pointer, root_element) in document.references("rootElement").map_err(shape)? {
            // The document's root is usually an Sbom, whose own roots are the packages.
            match by_id.get(root_element) {
                Some(sbom) if matches!(sbom.kind().map_err(shape)?, "software_Sbom" | "Bom") => {
                    described.extend(sbom.references("rootElement").map_err(shape)?);
                }
                _ => described.push((pointer, root_element)),
            }
        }
    }
    let described = described
        .into_iter()
        .map(|(pointer, id)| (pointer, id.to_owned()))
        .collect();
    choose_subject(&mut assembly, described);

    let metadata = metadata(document, &by_id).map_err(shape)?;
    let (bom, skipped) = assembly.finish(metadata);
    Ok(ReadOutcome {
        bom,
        format: DetectedFormat {
            family: FormatFamily::Spdx3,
            version,
            serialization: Serialization::JsonLd,
        },
        skipped,
    })
}

/// The `specVersion` of the creation info, else the version in the context URL.
fn spec_version(
    root: &Map<String, Value>,
    nodes: &[Node<'_>],
    origin: &str,
) -> Result<String, FormatError> {
    let shape = |error: ShapeError| read_error(origin, error);
    for node in nodes {
        if let Some(version) = node.string("specVersion").map_err(shape)? {
            if !version.starts_with("3.") {
                return Err(read_error(
                    origin,
                    format!("{}/specVersion: `{version}` is not SPDX 3", node.pointer),
                ));
            }
            return Ok(version.to_owned());
        }
    }
    let context = match root.get("@context") {
        Some(Value::String(context)) => Some(context.as_str()),
        _ => None,
    };
    context
        .and_then(|context| context.strip_prefix("https://spdx.org/rdf/"))
        .and_then(|rest| rest.split('/').next())
        .filter(|version| version.starts_with("3."))
        .map(str::to_owned)
        .ok_or_else(|| {
            read_error(
                origin,
                "no `specVersion` in any creation info and no SPDX 3 `@context`",
            )
        })
}

fn license_expression<'a>(node: &Node<'a>) -> Result<Option<&'a str>, ShapeError> {
    if node.kind()? == "simplelicensing_LicenseExpression" {
        node.string("simplelicensing_licenseExpression")
    } else {
        Ok(None)
    }
}

/// The name of an agent (person, organisation, tool) referenced by id.
fn agent_name<'a>(by_id: &HashMap<&str, &Node<'a>>, id: &'a str) -> Result<&'a str, ShapeError> {
    match by_id.get(id) {
        Some(agent) => Ok(agent.string("name")?.unwrap_or(id)),
        None => Ok(id),
    }
}

fn package_component(
    node: &Node<'_>,
    element_type: &str,
    by_id: &HashMap<&str, &Node<'_>>,
    assembly: &mut Assembly,
) -> Result<RawComponent, ShapeError> {
    let pointer = &node.pointer;
    assembly
        .skipped
        .unmodelled(pointer, node.map.keys().map(String::as_str), PACKAGE_FIELDS);
    let purpose = node.string("software_primaryPurpose")?;
    let kind = package_kind(element_type, purpose).unwrap_or_else(|purpose| {
        assembly.skipped.push(
            pointer,
            format!("primary purpose {purpose} has no component kind; read as library"),
        );
        ComponentKind::Library
    });
    let id = node.id()?;
    let name = match node.string("name")? {
        Some(name) => name,
        None => {
            let id = id.unwrap_or_default();
            assembly.skipped.push(
                pointer,
                format!("package has no name; named by its id {id}"),
            );
            id
        }
    };
    let owned = |key| node.string(key).map(|value| value.map(str::to_owned));
    let mut raw = RawComponent::new(pointer.clone(), kind, name.to_owned());
    raw.spdx = true;
    raw.document_id = id.map(str::to_owned);
    if let Some(source_info) = node.string("software_sourceInfo")? {
        match parse_locations(source_info) {
            Some(locations) => raw.locations = locations,
            None => assembly.skipped.push(
                json::child(pointer, "software_sourceInfo"),
                "software_sourceInfo is not modelled",
            ),
        }
    }
    raw.version = owned("software_packageVersion")?;
    raw.description = owned("description")?.or(owned("summary")?);
    raw.download_url = owned("software_downloadLocation")?.filter(|url| !is_no_assertion(url));
    if let Some(purl) = node.string("software_packageUrl")? {
        raw.purls.push(Located {
            location: json::child(pointer, "software_packageUrl"),
            value: purl.to_owned(),
        });
    }
    if let Some((_, supplier)) = node.references("suppliedBy")?.first() {
        raw.supplier = Some(agent_name(by_id, supplier)?.to_owned());
    }
    for (identifier_pointer, identifier) in
        json::one_or_many(node.map, "externalIdentifier", pointer)?
    {
        let identifier = json::object(identifier, &identifier_pointer)?;
        let kind =
            json::required_string(identifier, "externalIdentifierType", &identifier_pointer)?;
        let value = json::required_string(identifier, "identifier", &identifier_pointer)?;
        if kind == "packageUrl" {
            raw.purls.push(Located {
                location: identifier_pointer,
                value: value.to_owned(),
            });
        } else {
            assembly.skipped.push(
                identifier_pointer,
                format!("external identifier {kind} {value} is not modelled"),
            );
        }
    }
    for (hash_pointer, hash) in json::one_or_many(node.map, "verifiedUsing", pointer)? {
        let hash = json::object(hash, &hash_pointer)?;
        raw.hashes.push(RawHash {
            algorithm: json::required_string(hash, "algorithm", &hash_pointer)?.to_owned(),
            value: json::required_string(hash, "hashValue", &hash_pointer)?.to_owned(),
            location: hash_pointer,
        });
    }
    Ok(raw)
}

fn metadata(
    document: Option<&Node<'_>>,
    by_id: &HashMap<&str, &Node<'_>>,
) -> Result<Metadata, ShapeError> {
    let Some(document) = document else {
        return Ok(Metadata::default());
    };
    let mut metadata = Metadata {
        name: document.string("name")?.map(str::to_owned),
        serial: document.id()?.map(str::to_owned),
        ..Metadata::default()
    };
    // Creation info is usually a blank node referenced by id, sometimes inlined.
    let creation = match document.map.get("creationInfo") {
        Some(Value::String(id)) => by_id.get(id.as_str()).map(|node| node.map),
        Some(Value::Object(map)) => Some(map),
        _ => None,
    };
    if let Some(creation) = creation {
        let creation = Node {
            pointer: json::child(&document.pointer, "creationInfo"),
            map: creation,
        };
        metadata.timestamp = creation.string("created")?.map(str::to_owned);
        for (_, agent) in creation.references("createdBy")? {
            metadata.authors.push(agent_name(by_id, agent)?.to_owned());
        }
        for (_, tool) in creation.references("createdUsing")? {
            metadata.tools.push(agent_name(by_id, tool)?.to_owned());
        }
    }
    Ok(metadata)
}

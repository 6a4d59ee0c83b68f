//! SPDX 2.2 and 2.3 into the model. JSON, YAML, XML and tag-value all arrive here as the JSON
//! shape; `locate` turns a JSON pointer back into a position in the original serialisation.

use std::collections::HashMap;

use serde_json::{Map, Value};
use vouch_model::{ComponentKind, Metadata, RelationshipKind};

use crate::FormatError;
use crate::read::json::{self, ShapeError};
use crate::read::{
    Assembly, DetectedFormat, FormatFamily, Located, RawComponent, RawHash, ReadOutcome,
    Serialization, is_no_assertion, parse_locations, read_error,
};
use vouch_xml::Element;

/// The document's own SPDXID, which `DESCRIBES` relationships start from.
const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";

const DOCUMENT_FIELDS: &[&str] = &[
    "SPDXID",
    "spdxVersion",
    "dataLicense",
    "name",
    "documentNamespace",
    "creationInfo",
    "documentDescribes",
    "packages",
    "files",
    "snippets",
    "relationships",
];
const PACKAGE_FIELDS: &[&str] = &[
    "SPDXID",
    "name",
    "versionInfo",
    "supplier",
    "downloadLocation",
    "description",
    "summary",
    "checksums",
    "externalRefs",
    "licenseDeclared",
    "licenseConcluded",
    "primaryPackagePurpose",
    "filesAnalyzed",
    "sourceInfo",
];

/// Reads SPDX 2 JSON or YAML, where locations are JSON pointers.
pub(crate) fn from_json(
    value: &Value,
    serialization: Serialization,
    origin: &str,
) -> Result<ReadOutcome, FormatError> {
    from_value(value, serialization, origin, &|pointer| pointer.to_owned())
}

/// Reads SPDX 2 XML: the JSON field names as elements, repeated elements forming arrays.
pub(crate) fn from_xml(root: &Element, origin: &str) -> Result<ReadOutcome, FormatError> {
    let mut lines = HashMap::new();
    let value = element_to_json(root, String::new(), &mut lines);
    from_value(&value, Serialization::Xml, origin, &|pointer| {
        format!("line {}", line_of(&lines, pointer))
    })
}

/// The line recorded for `pointer` or for its nearest recorded ancestor.
pub(crate) fn line_of(lines: &HashMap<String, usize>, pointer: &str) -> usize {
    let mut pointer = pointer;
    loop {
        if let Some(line) = lines.get(pointer) {
            return *line;
        }
        match pointer.rsplit_once('/') {
            Some((parent, _)) => pointer = parent,
            None => return 1,
        }
    }
}

fn element_to_json(
    element: &Element,
    pointer: String,
    lines: &mut HashMap<String, usize>,
) -> Value {
    lines.insert(pointer.clone(), element.line);
    if element.children.is_empty() {
        return Value::String(element.text.clone());
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for child in &element.children {
        *counts.entry(child.name.as_str()).or_default() += 1;
    }
    let mut object = Map::new();
    let mut positions: HashMap<&str, usize> = HashMap::new();
    for child in &element.children {
        let name = child.name.as_str();
        let child_pointer = json::child(&pointer, name);
        if counts.get(name).copied().unwrap_or(0) > 1 {
            let position = positions.entry(name).or_default();
            let value = element_to_json(child, json::index(&child_pointer, *position), lines);
            *position += 1;
            if let Value::Array(items) = object
                .entry(name.to_owned())
                .or_insert_with(|| Value::Array(Vec::new()))
            {
                items.push(value);
            }
        } else {
            let value = element_to_json(child, child_pointer, lines);
            object.insert(name.to_owned(), value);
        }
    }
    Value::Object(object)
}

/// How an SPDX 2 relationship type maps to the model: the kind, and whether the model's
/// "from needs to" direction is the reverse of SPDX's "A TYPE B".
fn relationship_kind(relationship_type: &str) -> Option<(RelationshipKind, bool)> {
    Some(match relationship_type {
        "DEPENDS_ON" | "STATIC_LINK" | "DYNAMIC_LINK" => (RelationshipKind::DependsOn, false),
        "DEPENDENCY_OF" | "RUNTIME_DEPENDENCY_OF" => (RelationshipKind::DependsOn, true),
        "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" => (RelationshipKind::DevDependsOn, true),
        "BUILD_DEPENDENCY_OF" => (RelationshipKind::BuildDependsOn, true),
        "OPTIONAL_DEPENDENCY_OF" => (RelationshipKind::OptionalDependsOn, true),
        "PROVIDED_DEPENDENCY_OF" => (RelationshipKind::PeerDependsOn, true),
        "CONTAINS" => (RelationshipKind::Contains, false),
        "CONTAINED_BY" => (RelationshipKind::Contains, true),
        _ => return None,
    })
}

/// `primaryPackagePurpose` as a component kind; purposes without a kind are reported.
fn purpose_kind(purpose: &str) -> Option<ComponentKind> {
    Some(match purpose {
        "APPLICATION" => ComponentKind::Application,
        "FRAMEWORK" => ComponentKind::Framework,
        "LIBRARY" => ComponentKind::Library,
        "CONTAINER" => ComponentKind::Container,
        "OPERATING_SYSTEM" | "OPERATING-SYSTEM" => ComponentKind::OperatingSystem,
        "DEVICE" => ComponentKind::Device,
        "FIRMWARE" => ComponentKind::Firmware,
        "FILE" => ComponentKind::File,
        _ => return None,
    })
}

/// `Organization: X` and `Person: X` name X; the model keeps the bare name.
fn agent_name(agent: &str) -> &str {
    ["Organization:", "Person:", "Tool:"]
        .iter()
        .find_map(|prefix| agent.strip_prefix(prefix))
        .unwrap_or(agent)
        .trim()
}

pub(crate) fn from_value(
    value: &Value,
    serialization: Serialization,
    origin: &str,
    locate: &dyn Fn(&str) -> String,
) -> Result<ReadOutcome, FormatError> {
    let shape = |error: ShapeError| {
        read_error(
            origin,
            format!("{}: {}", locate(&error.pointer), error.message),
        )
    };
    let root = json::object(value, "").map_err(shape)?;
    let spdx_version = json::required_string(root, "spdxVersion", "").map_err(shape)?;
    let version = spdx_version
        .strip_prefix("SPDX-")
        .filter(|version| version.starts_with("2."))
        .ok_or_else(|| {
            read_error(
                origin,
                format!(
                    "{}: spdxVersion `{spdx_version}` is not SPDX 2.x",
                    locate("/spdxVersion")
                ),
            )
        })?;
    let mut assembly = Assembly::default();
    assembly
        .skipped
        .unmodelled(locate(""), root.keys().map(String::as_str), DOCUMENT_FIELDS);
    let metadata = metadata(root, &shape)?;

    for (pointer, package) in json::one_or_many(root, "packages", "").map_err(shape)? {
        let raw = package_component(package, &pointer, &mut assembly, locate).map_err(shape)?;
        assembly.add(raw);
    }
    for (section, what) in [("files", "file"), ("snippets", "snippet")] {
        for (pointer, item) in json::one_or_many(root, section, "").map_err(shape)? {
            let item = json::object(item, &pointer).map_err(shape)?;
            let id = json::string(item, "SPDXID", &pointer).map_err(shape)?;
            assembly.skipped.push(
                locate(&pointer),
                format!("{what} {} is not modelled", id.unwrap_or("without SPDXID")),
            );
        }
    }

    // `documentDescribes` and `DESCRIBES` name the subject; other relationships become edges.
    let mut described = Vec::new();
    for (pointer, id) in json::strings(root, "documentDescribes", "").map_err(shape)? {
        described.push((locate(&pointer), id.to_owned()));
    }
    for (pointer, relationship) in json::one_or_many(root, "relationships", "").map_err(shape)? {
        let map = json::object(relationship, &pointer).map_err(shape)?;
        let from = json::required_string(map, "spdxElementId", &pointer).map_err(shape)?;
        let kind = json::required_string(map, "relationshipType", &pointer).map_err(shape)?;
        let to = json::required_string(map, "relatedSpdxElement", &pointer).map_err(shape)?;
        let location = locate(&pointer);
        match kind {
            "DESCRIBES" if from == DOCUMENT_ID => described.push((location, to.to_owned())),
            "DESCRIBED_BY" if to == DOCUMENT_ID => described.push((location, from.to_owned())),
            _ => match relationship_kind(kind) {
                Some((kind, false)) => assembly.relate(&location, from, kind, to),
                Some((kind, true)) => assembly.relate(&location, to, kind, from),
                None => assembly.skipped.push(
                    location,
                    format!("relationship {from} {kind} {to} is not modelled"),
                ),
            },
        }
    }
    choose_subject(&mut assembly, described);
    let (bom, skipped) = assembly.finish(metadata);
    Ok(ReadOutcome {
        bom,
        format: DetectedFormat {
            family: FormatFamily::Spdx2,
            version: version.to_owned(),
            serialization,
        },
        skipped,
    })
}

/// The subject is the one package the document describes. When it describes several, none is
/// singled out and all stay components.
pub(crate) fn choose_subject(assembly: &mut Assembly, described: Vec<(String, String)>) {
    let mut packages: Vec<(String, String)> = Vec::new();
    for (location, id) in described {
        if packages.iter().any(|(_, seen)| *seen == id) {
            continue;
        }
        if assembly.is_component(&id) {
            packages.push((location, id));
        } else {
            assembly
                .skipped
                .push(location, format!("described element {id} is not a package"));
        }
    }
    match packages.as_slice() {
        [(_, id)] => {
            assembly.promote_to_subject(id);
        }
        [(location, _), ..] => assembly.skipped.push(
            location,
            format!(
                "the document describes {} packages; the model has one subject, so they stay components",
                packages.len()
            ),
        ),
        [] => {}
    }
}

fn metadata(
    root: &Map<String, Value>,
    shape: &dyn Fn(ShapeError) -> FormatError,
) -> Result<Metadata, FormatError> {
    let mut metadata = Metadata {
        name: json::string(root, "name", "")
            .map_err(shape)?
            .map(str::to_owned),
        serial: json::string(root, "documentNamespace", "")
            .map_err(shape)?
            .map(str::to_owned),
        ..Metadata::default()
    };
    if let Some(creation) = root.get("creationInfo") {
        let creation = json::object(creation, "/creationInfo").map_err(shape)?;
        metadata.timestamp = json::string(creation, "created", "/creationInfo")
            .map_err(shape)?
            .map(str::to_owned);
        for (_, creator) in json::strings(creation, "creators", "/creationInfo").map_err(shape)? {
            match creator.strip_prefix("Tool:") {
                Some(tool) => metadata.tools.push(tool.trim().to_owned()),
                None => metadata.authors.push(creator.trim().to_owned()),
            }
        }
    }
    Ok(metadata)
}

fn package_component(
    package: &Value,
    pointer: &str,
    assembly: &mut Assembly,
    locate: &dyn Fn(&str) -> String,
) -> Result<RawComponent, ShapeError> {
    let map = json::object(package, pointer)?;
    let string = |key| json::string(map, key, pointer);
    let asserted = |key| {
        string(key).map(|value| {
            value
                .filter(|value| !is_no_assertion(value))
                .map(str::to_owned)
        })
    };
    let location = locate(pointer);
    assembly
        .skipped
        .unmodelled(&location, map.keys().map(String::as_str), PACKAGE_FIELDS);
    let kind = match string("primaryPackagePurpose")? {
        None => ComponentKind::Library,
        Some(purpose) => purpose_kind(purpose).unwrap_or_else(|| {
            assembly.skipped.push(
                &location,
                format!("primaryPackagePurpose {purpose} has no component kind; read as library"),
            );
            ComponentKind::Library
        }),
    };
    let name = json::required_string(map, "name", pointer)?;
    let mut raw = RawComponent::new(location, kind, name.to_owned());
    raw.spdx = true;
    raw.document_id = Some(json::required_string(map, "SPDXID", pointer)?.to_owned());
    if let Some(source_info) = string("sourceInfo")? {
        match parse_locations(source_info) {
            Some(locations) => raw.locations = locations,
            None => assembly.skipped.push(
                locate(&json::child(pointer, "sourceInfo")),
                "sourceInfo is not modelled",
            ),
        }
    }
    raw.version = asserted("versionInfo")?;
    raw.supplier = asserted("supplier")?.map(|supplier| agent_name(&supplier).to_owned());
    raw.download_url = asserted("downloadLocation")?;
    raw.description = asserted("description")?.or(asserted("summary")?);
    raw.licenses = asserted("licenseDeclared")?
        .or(asserted("licenseConcluded")?)
        .into_iter()
        .collect();
    for (checksum_pointer, checksum) in json::one_or_many(map, "checksums", pointer)? {
        let checksum = json::object(checksum, &checksum_pointer)?;
        raw.hashes.push(RawHash {
            algorithm: json::required_string(checksum, "algorithm", &checksum_pointer)?.to_owned(),
            value: json::required_string(checksum, "checksumValue", &checksum_pointer)?.to_owned(),
            location: locate(&checksum_pointer),
        });
    }
    for (reference_pointer, reference) in json::one_or_many(map, "externalRefs", pointer)? {
        let reference = json::object(reference, &reference_pointer)?;
        let field = |key| json::required_string(reference, key, &reference_pointer);
        let category = field("referenceCategory")?;
        let reference_type = field("referenceType")?;
        let locator = field("referenceLocator")?;
        // 2.2 spelled the category with an underscore, 2.3 with a hyphen.
        let package_manager = matches!(category, "PACKAGE-MANAGER" | "PACKAGE_MANAGER");
        if package_manager && reference_type == "purl" {
            raw.purls.push(Located {
                location: locate(&reference_pointer),
                value: locator.to_owned(),
            });
        } else {
            assembly.skipped.push(
                locate(&reference_pointer),
                format!("external reference {category} {reference_type} {locator} is not modelled"),
            );
        }
    }
    Ok(raw)
}

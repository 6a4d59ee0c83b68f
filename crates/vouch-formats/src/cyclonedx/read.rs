//! CycloneDX 1.2–1.6 (JSON and XML) into the model. Nested components are flattened with
//! `Contains` edges from their parent; `dependencies` become `DependsOn` edges.

use std::collections::HashMap;

use serde_json::{Map, Value};
use vouch_model::{
    ComponentId, ComponentKind, Location, Metadata, RelationshipKind, Scope, Source,
};

use crate::FormatError;
use crate::read::json::{self, ShapeError};
use crate::read::{
    Assembly, DetectedFormat, FormatFamily, Located, RawComponent, RawHash, ReadOutcome,
    Serialization, read_error,
};
use vouch_xml::Element;

const XML_NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";

/// Top-level fields read into the model; the rest are listed as skipped.
const DOCUMENT_FIELDS: &[&str] = &[
    "$schema",
    "bomFormat",
    "specVersion",
    "serialNumber",
    "version",
    "metadata",
    "components",
    "dependencies",
];
const METADATA_FIELDS: &[&str] = &["timestamp", "tools", "authors", "component"];
const COMPONENT_FIELDS: &[&str] = &[
    "type",
    "bom-ref",
    "name",
    "group",
    "version",
    "purl",
    "hashes",
    "licenses",
    "scope",
    "properties",
    "supplier",
    "description",
    "externalReferences",
    "components",
    "evidence",
];

/// A component's fields plus its nested components, in either serialisation.
struct Parsed<N> {
    raw: RawComponent,
    children: Vec<N>,
}

fn kind(name: Option<&str>, location: &str, assembly: &mut Assembly) -> ComponentKind {
    match name {
        Some(name) => ComponentKind::from_name(name).unwrap_or_else(|| {
            assembly.skipped.push(
                location,
                format!("component type `{name}` is not modelled; read as library"),
            );
            ComponentKind::Library
        }),
        None => {
            assembly
                .skipped
                .push(location, "component has no type; read as library");
            ComponentKind::Library
        }
    }
}

fn scope(name: Option<&str>, location: &str, assembly: &mut Assembly) -> Option<Scope> {
    match name? {
        "required" => Some(Scope::Required),
        "optional" => Some(Scope::Optional),
        // Excluded components are not part of the delivered software: development and test
        // dependencies are the common case.
        "excluded" => Some(Scope::Dev),
        other => {
            assembly
                .skipped
                .push(location, format!("scope `{other}` is not modelled"));
            None
        }
    }
}

/// `name-version` (or `name`), the model's spelling of a tool.
fn tool_name(name: &str, version: Option<&str>) -> String {
    match version {
        Some(version) => format!("{name}-{version}"),
        None => name.to_owned(),
    }
}

/// Reads one component (JSON item or XML element) of either serialisation.
type ParseComponent<'p, N> = dyn Fn(&N, &mut Assembly) -> Result<Parsed<N>, FormatError> + 'p;

/// Adds components and, recursively, their nested components under them.
fn add_components<N>(
    assembly: &mut Assembly,
    items: Vec<N>,
    parent: Option<&ComponentId>,
    parse: &ParseComponent<'_, N>,
) -> Result<(), FormatError> {
    for item in items {
        let Parsed { raw, children } = parse(&item, assembly)?;
        let id = assembly.add(raw);
        if let Some(parent) = parent {
            assembly.relate_ids(parent, RelationshipKind::Contains, &id);
        }
        // Nesting depth is bounded by the JSON and XML parsers' own limits.
        add_components(assembly, children, Some(&id), parse)?;
    }
    Ok(())
}

fn detected(version: &str, serialization: Serialization) -> DetectedFormat {
    DetectedFormat {
        family: FormatFamily::CycloneDx,
        version: version.to_owned(),
        serialization,
    }
}

// ---------------------------------------------------------------------------------------------
// JSON

type JsonItem<'a> = (String, &'a Value);

pub(crate) fn from_json<'a>(value: &'a Value, origin: &str) -> Result<ReadOutcome, FormatError> {
    let shape = |error: ShapeError| read_error(origin, error);
    let root = json::object(value, "").map_err(shape)?;
    let bom_format = json::required_string(root, "bomFormat", "").map_err(shape)?;
    if bom_format != "CycloneDX" {
        return Err(read_error(
            origin,
            format!("/bomFormat: expected `CycloneDX`, found `{bom_format}`"),
        ));
    }
    let version = json::required_string(root, "specVersion", "").map_err(shape)?;
    let mut assembly = Assembly::default();
    assembly
        .skipped
        .unmodelled("", root.keys().map(String::as_str), DOCUMENT_FIELDS);
    let parse = |item: &JsonItem<'a>,
                 assembly: &mut Assembly|
     -> Result<Parsed<JsonItem<'a>>, FormatError> {
        json_component(item, assembly).map_err(shape)
    };

    let mut metadata = Metadata {
        serial: json::string(root, "serialNumber", "")
            .map_err(shape)?
            .map(str::to_owned),
        ..Metadata::default()
    };
    if let Some(value) = root.get("metadata") {
        let map = json::object(value, "/metadata").map_err(shape)?;
        assembly
            .skipped
            .unmodelled("/metadata", map.keys().map(String::as_str), METADATA_FIELDS);
        metadata.timestamp = json::string(map, "timestamp", "/metadata")
            .map_err(shape)?
            .map(str::to_owned);
        metadata.tools = json_tools(map).map_err(shape)?;
        for (pointer, author) in json::array(map, "authors", "/metadata").map_err(shape)? {
            let author = json::object(author, &pointer).map_err(shape)?;
            if let Some(name) = json::string(author, "name", &pointer).map_err(shape)? {
                metadata.authors.push(name.to_owned());
            }
        }
        if let Some(subject) = map.get("component") {
            let Parsed { raw, children } =
                parse(&("/metadata/component".to_owned(), subject), &mut assembly)?;
            let id = assembly.set_subject(raw);
            add_components(&mut assembly, children, Some(&id), &parse)?;
        }
    }
    let components = json::array(root, "components", "").map_err(shape)?;
    add_components(&mut assembly, components, None, &parse)?;

    for (pointer, dependency) in json::array(root, "dependencies", "").map_err(shape)? {
        let map = json::object(dependency, &pointer).map_err(shape)?;
        let from = json::required_string(map, "ref", &pointer).map_err(shape)?;
        for (target_pointer, target) in json::array(map, "dependsOn", &pointer).map_err(shape)? {
            // 1.2 to 1.6 list refs as strings; accept the object form of later drafts too.
            let target = match target {
                Value::Object(target) => json::required_string(target, "ref", &target_pointer),
                other => json::as_str(other, &target_pointer),
            }
            .map_err(shape)?;
            assembly.relate(&target_pointer, from, RelationshipKind::DependsOn, target);
        }
        if map.contains_key("provides") {
            assembly.skipped.push(
                json::child(&pointer, "provides"),
                "`provides` relationships are not modelled",
            );
        }
    }
    let (bom, skipped) = assembly.finish(metadata);
    Ok(ReadOutcome {
        bom,
        format: detected(version, Serialization::Json),
        skipped,
    })
}

fn json_tools(metadata: &Map<String, Value>) -> Result<Vec<String>, ShapeError> {
    let pointer = "/metadata/tools";
    let tools = match metadata.get("tools") {
        None => return Ok(Vec::new()),
        // 1.5+: `{components: [...], services: [...]}`; before: an array of tools.
        Some(Value::Object(map)) => {
            let mut tools = json::array(map, "components", pointer)?;
            tools.extend(json::array(map, "services", pointer)?);
            tools
        }
        Some(_) => json::array(metadata, "tools", "/metadata")?,
    };
    let mut names = Vec::new();
    for (pointer, tool) in tools {
        let tool = json::object(tool, &pointer)?;
        if let Some(name) = json::string(tool, "name", &pointer)? {
            names.push(tool_name(name, json::string(tool, "version", &pointer)?));
        }
    }
    Ok(names)
}

fn json_component<'a>(
    (pointer, value): &JsonItem<'a>,
    assembly: &mut Assembly,
) -> Result<Parsed<JsonItem<'a>>, ShapeError> {
    let map = json::object(value, pointer)?;
    let string = |key| json::string(map, key, pointer);
    let owned = |key| string(key).map(|value| value.map(str::to_owned));
    assembly
        .skipped
        .unmodelled(pointer, map.keys().map(String::as_str), COMPONENT_FIELDS);
    let kind = kind(string("type")?, pointer, assembly);
    let name = json::required_string(map, "name", pointer)?;
    let mut raw = RawComponent::new(pointer.clone(), kind, name.to_owned());
    raw.document_id = owned("bom-ref")?;
    raw.group = owned("group")?.filter(|group| !group.is_empty());
    raw.version = owned("version")?;
    raw.description = owned("description")?;
    raw.scope = scope(string("scope")?, pointer, assembly);
    if let Some(purl) = string("purl")? {
        raw.purls.push(Located {
            location: json::child(pointer, "purl"),
            value: purl.to_owned(),
        });
    }
    if let Some(supplier) = map.get("supplier") {
        let supplier_pointer = json::child(pointer, "supplier");
        let supplier = json::object(supplier, &supplier_pointer)?;
        raw.supplier = json::string(supplier, "name", &supplier_pointer)?.map(str::to_owned);
    }
    for (hash_pointer, hash) in json::array(map, "hashes", pointer)? {
        let hash = json::object(hash, &hash_pointer)?;
        raw.hashes.push(RawHash {
            algorithm: json::required_string(hash, "alg", &hash_pointer)?.to_owned(),
            value: json::required_string(hash, "content", &hash_pointer)?.to_owned(),
            location: hash_pointer,
        });
    }
    for (license_pointer, choice) in json::array(map, "licenses", pointer)? {
        let choice = json::object(choice, &license_pointer)?;
        if let Some(expression) = json::string(choice, "expression", &license_pointer)? {
            raw.licenses.push(expression.to_owned());
        } else if let Some(license) = choice.get("license") {
            let license_pointer = json::child(&license_pointer, "license");
            let license = json::object(license, &license_pointer)?;
            match json::string(license, "id", &license_pointer)?.or(json::string(
                license,
                "name",
                &license_pointer,
            )?) {
                Some(license) => raw.licenses.push(license.to_owned()),
                None => assembly
                    .skipped
                    .push(&license_pointer, "licence has neither id nor name"),
            }
        }
    }
    for (property_pointer, property) in json::array(map, "properties", pointer)? {
        let property = json::object(property, &property_pointer)?;
        let name = json::required_string(property, "name", &property_pointer)?;
        let value = json::string(property, "value", &property_pointer)?.unwrap_or_default();
        raw.properties.push((name.to_owned(), value.to_owned()));
    }
    let mut references = Vec::new();
    for (reference_pointer, reference) in json::array(map, "externalReferences", pointer)? {
        let reference = json::object(reference, &reference_pointer)?;
        let kind = json::required_string(reference, "type", &reference_pointer)?;
        let url = json::required_string(reference, "url", &reference_pointer)?;
        references.push(Reference {
            location: reference_pointer,
            kind: kind.to_owned(),
            url: url.to_owned(),
        });
    }
    if let Some(evidence) = map.get("evidence") {
        let evidence_pointer = json::child(pointer, "evidence");
        let evidence = json::object(evidence, &evidence_pointer)?;
        assembly.skipped.unmodelled(
            &evidence_pointer,
            evidence.keys().map(String::as_str),
            &["occurrences"],
        );
        for (occurrence_pointer, occurrence) in
            json::array(evidence, "occurrences", &evidence_pointer)?
        {
            let occurrence = json::object(occurrence, &occurrence_pointer)?;
            let path = json::required_string(occurrence, "location", &occurrence_pointer)?;
            let line = match occurrence.get("line") {
                None => None,
                Some(line) => Some(
                    line.as_u64()
                        .and_then(|line| u32::try_from(line).ok())
                        .ok_or_else(|| ShapeError {
                            pointer: json::child(&occurrence_pointer, "line"),
                            message: format!("expected a line number, found {line}"),
                        })?,
                ),
            };
            raw.locations.push(Location {
                path: path.to_owned(),
                line,
            });
        }
    }
    finish_component(&mut raw, references, assembly);
    Ok(Parsed {
        raw,
        children: json::array(map, "components", pointer)?,
    })
}

/// An external reference of a component, before it is matched against the component's source.
struct Reference {
    location: String,
    kind: String,
    url: String,
}

/// Applies what vouch's writer stores in `vouch:` properties, then the external references:
/// `distribution` is the download location unless it is the component's URL source, `vcs` is
/// the repository of a git source; other references have no model field.
fn finish_component(raw: &mut RawComponent, references: Vec<Reference>, assembly: &mut Assembly) {
    vouch_properties(raw, assembly);
    for reference in references {
        let accounted = match (&raw.source, reference.kind.as_str()) {
            (Some(Source::Url { url }), "distribution") => url == &reference.url,
            (Some(Source::Git { .. }), "vcs") => true,
            _ => false,
        };
        if accounted {
            continue;
        }
        if reference.kind == "distribution" && raw.download_url.is_none() {
            raw.download_url = Some(reference.url);
        } else {
            assembly.skipped.push(
                &reference.location,
                format!(
                    "external reference `{}` ({}) is not modelled",
                    reference.kind, reference.url
                ),
            );
        }
    }
}

/// Properties vouch's CycloneDX writer uses for model fields CycloneDX lacks.
const SCOPE_PROPERTY: &str = "vouch:scope";
const DIRECT_PROPERTY: &str = "vouch:direct";
const ECOSYSTEM_PROPERTY: &str = "vouch:ecosystem";
const SOURCE_PROPERTY: &str = "vouch:source";
const SOURCE_URL_PROPERTY: &str = "vouch:source:url";
const SOURCE_REFERENCE_PROPERTY: &str = "vouch:source:reference";
const SOURCE_PATH_PROPERTY: &str = "vouch:source:path";

/// Moves the `vouch:` properties into their model fields. A value that cannot be understood
/// stays a plain property and is reported.
fn vouch_properties(raw: &mut RawComponent, assembly: &mut Assembly) {
    let mut kept = Vec::new();
    let mut source: HashMap<String, String> = HashMap::new();
    for (key, value) in std::mem::take(&mut raw.properties) {
        let understood = match key.as_str() {
            SCOPE_PROPERTY => Scope::from_name(&value).map(|scope| raw.scope = Some(scope)),
            DIRECT_PROPERTY => value.parse().ok().map(|direct| raw.direct = Some(direct)),
            ECOSYSTEM_PROPERTY => serde_json::from_value(Value::String(value.clone()))
                .ok()
                .map(|ecosystem| raw.ecosystem = Some(ecosystem)),
            SOURCE_PROPERTY
            | SOURCE_URL_PROPERTY
            | SOURCE_REFERENCE_PROPERTY
            | SOURCE_PATH_PROPERTY => {
                source.insert(key.clone(), value.clone());
                Some(())
            }
            _ => {
                kept.push((key, value));
                continue;
            }
        };
        if understood.is_none() {
            assembly.skipped.push(
                &raw.location,
                format!("property {key} has an unknown value `{value}`; kept as a property"),
            );
            kept.push((key, value));
        }
    }
    raw.properties = kept;
    let Some(kind) = source.remove(SOURCE_PROPERTY) else {
        return;
    };
    let url = source.remove(SOURCE_URL_PROPERTY);
    let parsed = match (kind.as_str(), url) {
        ("registry", url) => Some(Source::Registry { url }),
        ("git", Some(url)) => Some(Source::Git {
            url,
            reference: source.remove(SOURCE_REFERENCE_PROPERTY),
        }),
        ("path", _) => source
            .remove(SOURCE_PATH_PROPERTY)
            .map(|path| Source::Path { path }),
        ("workspace", _) => Some(Source::Workspace),
        ("url", Some(url)) => Some(Source::Url { url }),
        _ => None,
    };
    match parsed {
        Some(parsed) => raw.source = Some(parsed),
        None => assembly.skipped.push(
            &raw.location,
            format!("{SOURCE_PROPERTY} `{kind}` lacks the properties that complete it"),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// XML

fn at(element: &Element) -> String {
    format!("line {} <{}>", element.line, element.name)
}

pub(crate) fn from_xml<'a>(root: &'a Element, origin: &str) -> Result<ReadOutcome, FormatError> {
    let version = root
        .namespace
        .as_deref()
        .and_then(|namespace| namespace.strip_prefix(XML_NAMESPACE_PREFIX))
        .ok_or_else(|| {
            read_error(
                origin,
                format!(
                    "line {}: <bom> is not in a CycloneDX namespace ({XML_NAMESPACE_PREFIX}1.x), found {}",
                    root.line,
                    root.namespace.as_deref().unwrap_or("none")
                ),
            )
        })?;
    let mut assembly = Assembly::default();
    assembly.skipped.unmodelled(
        at(root),
        root.children.iter().map(|child| child.name.as_str()),
        DOCUMENT_FIELDS,
    );
    let parse = |element: &&'a Element,
                 assembly: &mut Assembly|
     -> Result<Parsed<&'a Element>, FormatError> {
        xml_component(element, assembly, origin)
    };
    let mut metadata = Metadata {
        serial: root.attribute("serialNumber").map(str::to_owned),
        ..Metadata::default()
    };
    if let Some(element) = root.child("metadata") {
        assembly.skipped.unmodelled(
            at(element),
            element.children.iter().map(|child| child.name.as_str()),
            METADATA_FIELDS,
        );
        metadata.timestamp = element.child_text("timestamp").map(str::to_owned);
        if let Some(tools) = element.child("tools") {
            // 1.5+: <tools><components><component>; before: <tools><tool>.
            let listed = tools.children_named("tool").chain(
                ["components", "services"]
                    .into_iter()
                    .filter_map(|group| tools.child(group))
                    .flat_map(|group| group.children.iter()),
            );
            for tool in listed {
                if let Some(name) = tool.child_text("name") {
                    metadata
                        .tools
                        .push(tool_name(name, tool.child_text("version")));
                }
            }
        }
        if let Some(authors) = element.child("authors") {
            metadata.authors.extend(
                authors
                    .children_named("author")
                    .filter_map(|author| author.child_text("name"))
                    .map(str::to_owned),
            );
        }
        if let Some(subject) = element.child("component") {
            let Parsed { raw, children } = parse(&subject, &mut assembly)?;
            let id = assembly.set_subject(raw);
            add_components(&mut assembly, children, Some(&id), &parse)?;
        }
    }
    if let Some(components) = root.child("components") {
        let items = components.children_named("component").collect();
        add_components(&mut assembly, items, None, &parse)?;
    }
    if let Some(dependencies) = root.child("dependencies") {
        for dependency in dependencies.children_named("dependency") {
            let from = required_attribute(dependency, "ref", origin)?;
            for target in dependency.children_named("dependency") {
                let to = required_attribute(target, "ref", origin)?;
                assembly.relate(&at(target), from, RelationshipKind::DependsOn, to);
            }
            if dependency.child("provides").is_some() {
                assembly
                    .skipped
                    .push(at(dependency), "`provides` relationships are not modelled");
            }
        }
    }
    let (bom, skipped) = assembly.finish(metadata);
    Ok(ReadOutcome {
        bom,
        format: detected(version, Serialization::Xml),
        skipped,
    })
}

fn required_attribute<'a>(
    element: &'a Element,
    name: &str,
    origin: &str,
) -> Result<&'a str, FormatError> {
    element.attribute(name).ok_or_else(|| {
        read_error(
            origin,
            format!("{}: required attribute `{name}` is missing", at(element)),
        )
    })
}

fn xml_component<'a>(
    element: &'a Element,
    assembly: &mut Assembly,
    origin: &str,
) -> Result<Parsed<&'a Element>, FormatError> {
    let location = at(element);
    assembly.skipped.unmodelled(
        &location,
        element.children.iter().map(|child| child.name.as_str()),
        COMPONENT_FIELDS,
    );
    let kind = kind(element.attribute("type"), &location, assembly);
    let name = element
        .child("name")
        .map(|name| name.text.clone())
        .ok_or_else(|| {
            read_error(
                origin,
                format!("{location}: required element <name> is missing"),
            )
        })?;
    let text = |name| element.child_text(name).map(str::to_owned);
    let mut raw = RawComponent::new(location.clone(), kind, name);
    raw.document_id = element.attribute("bom-ref").map(str::to_owned);
    raw.group = text("group");
    raw.version = text("version");
    raw.description = text("description");
    raw.scope = scope(element.child_text("scope"), &location, assembly);
    if let Some(purl) = element.child("purl") {
        raw.purls.push(Located {
            location: at(purl),
            value: purl.text.clone(),
        });
    }
    raw.supplier = element
        .child("supplier")
        .and_then(|supplier| supplier.child_text("name"))
        .map(str::to_owned);
    for hash in element
        .children_named("hashes")
        .flat_map(|hashes| hashes.children_named("hash"))
    {
        raw.hashes.push(RawHash {
            location: at(hash),
            algorithm: required_attribute(hash, "alg", origin)?.to_owned(),
            value: hash.text.clone(),
        });
    }
    for choice in element
        .children_named("licenses")
        .flat_map(|licenses| licenses.children.iter())
    {
        match choice.name.as_str() {
            "expression" => raw.licenses.push(choice.text.clone()),
            "license" => match choice.child_text("id").or(choice.child_text("name")) {
                Some(license) => raw.licenses.push(license.to_owned()),
                None => assembly
                    .skipped
                    .push(at(choice), "licence has neither id nor name"),
            },
            other => assembly.skipped.push(
                at(choice),
                format!("<{other}> in <licenses> is not modelled"),
            ),
        }
    }
    for property in element
        .children_named("properties")
        .flat_map(|properties| properties.children_named("property"))
    {
        let name = required_attribute(property, "name", origin)?;
        raw.properties
            .push((name.to_owned(), property.text.clone()));
    }
    let mut references = Vec::new();
    for reference in element
        .children_named("externalReferences")
        .flat_map(|references| references.children_named("reference"))
    {
        references.push(Reference {
            location: at(reference),
            kind: required_attribute(reference, "type", origin)?.to_owned(),
            url: reference.child_text("url").unwrap_or_default().to_owned(),
        });
    }
    for evidence in element.children_named("evidence") {
        assembly.skipped.unmodelled(
            at(evidence),
            evidence.children.iter().map(|child| child.name.as_str()),
            &["occurrences"],
        );
        for occurrence in evidence
            .children_named("occurrences")
            .flat_map(|occurrences| occurrences.children_named("occurrence"))
        {
            let path = occurrence.child_text("location").ok_or_else(|| {
                read_error(
                    origin,
                    format!("{}: required element <location> is missing", at(occurrence)),
                )
            })?;
            let line = match occurrence.child_text("line") {
                None => None,
                Some(line) => Some(line.parse().map_err(|_| {
                    read_error(
                        origin,
                        format!("{}: <line> `{line}` is not a line number", at(occurrence)),
                    )
                })?),
            };
            raw.locations.push(Location {
                path: path.to_owned(),
                line,
            });
        }
    }
    finish_component(&mut raw, references, assembly);
    Ok(Parsed {
        raw,
        children: element
            .children_named("components")
            .flat_map(|components| components.children_named("component"))
            .collect(),
    })
}

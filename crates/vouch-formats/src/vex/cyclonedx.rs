//! CycloneDX VEX: a BOM whose `vulnerabilities[]` carry an `analysis`, each affecting
//! components by `bom-ref` (or by BOM-Link into another BOM). Reads JSON and XML (specs 1.4 to
//! 1.6); writes CycloneDX 1.6 JSON.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use vouch_model::Hash;

use super::{
    Justification, ProductRef, VexDocument, VexFormat, VexReadOutcome, VexStatement, VexStatus,
    VexWriteError, VulnerabilityRef, lenient_purl, non_empty, to_json_bytes,
};
use crate::FormatError;
use crate::cyclonedx::algorithm_name;
use crate::read::json::{self, ShapeError, child, object, string};
use crate::read::{Skipped, hash_algorithm, read_error};
use vouch_xml::Element;

const XML_NAMESPACE_PREFIX: &str = "http://cyclonedx.org/schema/bom/";
/// Prefix of BOM-Link references (`urn:cdx:<serial>/<version>#<bom-ref>`).
const BOM_LINK_PREFIX: &str = "urn:cdx:";

pub(super) fn from_json(value: &Value, origin: &str) -> Result<VexReadOutcome, FormatError> {
    let version = value
        .get("specVersion")
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_owned();
    read_bom(value, version, origin)
}

pub(super) fn from_xml(root: &Element, origin: &str) -> Result<VexReadOutcome, FormatError> {
    let version = root
        .namespace
        .as_deref()
        .and_then(|namespace| namespace.strip_prefix(XML_NAMESPACE_PREFIX))
        .ok_or_else(|| {
            read_error(
                origin,
                format!(
                    "line {}: <bom> is not in a CycloneDX namespace ({XML_NAMESPACE_PREFIX}1.x)",
                    root.line
                ),
            )
        })?
        .to_owned();
    read_bom(&xml_to_json(root), version, origin)
}

/// The XML tree in the shape of the JSON serialisation, so that one reader serves both:
/// attributes and child elements become keys, repeated children an array, and the text of an
/// element with attributes `content` (where JSON keeps a hash's value). List wrappers
/// (`<components><component>`) stay objects; [`list`] unwraps them. Pointers in messages are
/// then JSON pointers into this shape; XML positions are not kept.
fn xml_to_json(element: &Element) -> Value {
    if element.children.is_empty() && element.attributes.is_empty() {
        return Value::String(element.text.clone());
    }
    let mut map = Map::new();
    for (name, value) in &element.attributes {
        map.insert(name.clone(), Value::String(value.clone()));
    }
    if !element.text.is_empty() {
        map.insert("content".to_owned(), Value::String(element.text.clone()));
    }
    for item in &element.children {
        let converted = xml_to_json(item);
        match map.get_mut(&item.name) {
            Some(Value::Array(items)) => items.push(converted),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, converted]);
            }
            None => {
                map.insert(item.name.clone(), converted);
            }
        }
    }
    Value::Object(map)
}

/// The items of the list at `key`: a JSON array, or an XML wrapper element holding `item`s.
fn list<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    item: &str,
    pointer: &str,
) -> Result<Vec<(String, &'a Value)>, ShapeError> {
    match map.get(key) {
        Some(Value::Object(wrapper)) => json::one_or_many(wrapper, item, &child(pointer, key)),
        // An empty XML wrapper reads as empty text.
        Some(Value::String(text)) if text.is_empty() => Ok(Vec::new()),
        _ => json::array(map, key, pointer),
    }
}

/// A component addressable by bom-ref, and the component it is nested in.
struct Indexed {
    product: ProductRef,
    parent: Option<String>,
}

fn read_bom(value: &Value, version: String, origin: &str) -> Result<VexReadOutcome, FormatError> {
    let mut skipped = Skipped::default();
    let mut problems = Vec::new();
    let document = read_document(value, &mut skipped, &mut problems)
        .map_err(|error| read_error(origin, error))?;
    Ok(VexReadOutcome {
        document,
        format: VexFormat::CycloneDx,
        version,
        skipped: skipped.into_inner(),
        problems,
    })
}

fn read_document(
    value: &Value,
    skipped: &mut Skipped,
    problems: &mut Vec<String>,
) -> Result<VexDocument, ShapeError> {
    let map = object(value, "")?;
    let mut document = VexDocument {
        id: non_empty(string(map, "serialNumber", "")?),
        ..VexDocument::default()
    };
    let mut components = HashMap::new();
    if let Some(metadata) = map.get("metadata") {
        let metadata_pointer = child("", "metadata");
        let metadata = object(metadata, &metadata_pointer)?;
        document.timestamp = non_empty(string(metadata, "timestamp", &metadata_pointer)?);
        if let Some(component) = metadata.get("component") {
            index_component(
                component,
                &child(&metadata_pointer, "component"),
                None,
                &mut components,
                skipped,
            )?;
        }
    }
    for (pointer, component) in list(map, "components", "component", "")? {
        index_component(component, &pointer, None, &mut components, skipped)?;
    }
    for (pointer, vulnerability) in list(map, "vulnerabilities", "vulnerability", "")? {
        if let Some(statement) =
            read_vulnerability(vulnerability, &pointer, &document, &components, skipped)?
        {
            // CycloneDX asks only that a justification accompany `not_affected`; OpenVEX's
            // requirement of an action statement for `affected` is not CycloneDX's.
            if statement.status == VexStatus::NotAffected {
                problems.extend(super::openvex::profile_problem(&statement, &pointer));
            }
            document.statements.push(statement);
        }
    }
    Ok(document)
}

fn index_component(
    value: &Value,
    pointer: &str,
    parent: Option<&str>,
    components: &mut HashMap<String, Indexed>,
    skipped: &mut Skipped,
) -> Result<(), ShapeError> {
    let map = object(value, pointer)?;
    let reference = non_empty(string(map, "bom-ref", pointer)?);
    let mut product = ProductRef {
        id: reference.clone(),
        name: non_empty(string(map, "name", pointer)?),
        cpe: non_empty(string(map, "cpe", pointer)?),
        ..ProductRef::default()
    };
    if let Some(purl) = string(map, "purl", pointer)? {
        product.purl = lenient_purl(purl, &child(pointer, "purl"), skipped);
    }
    for (hash_pointer, hash) in list(map, "hashes", "hash", pointer)? {
        let fields = object(hash, &hash_pointer)?;
        let algorithm = json::required_string(fields, "alg", &hash_pointer)?;
        let content = json::required_string(fields, "content", &hash_pointer)?;
        match hash_algorithm(algorithm) {
            Some(algorithm) => product.hashes.push(Hash::new(algorithm, content)),
            None => skipped.push(
                &hash_pointer,
                format!("hash algorithm `{algorithm}` not modelled"),
            ),
        }
    }
    for (child_pointer, nested) in list(map, "components", "component", pointer)? {
        index_component(
            nested,
            &child_pointer,
            reference.as_deref(),
            components,
            skipped,
        )?;
    }
    if let Some(reference) = reference {
        components.insert(
            reference,
            Indexed {
                product,
                parent: parent.map(str::to_owned),
            },
        );
    }
    Ok(())
}

/// Fields of a vulnerability this reader knows. Those it does not read (ratings, CWEs,
/// advisories, credits...) describe the advisory, not the VEX statement, and are not reported.
const VULNERABILITY_FIELDS: &[&str] = &[
    "bom-ref",
    "id",
    "source",
    "references",
    "ratings",
    "cwes",
    "description",
    "detail",
    "recommendation",
    "workaround",
    "advisories",
    "created",
    "published",
    "updated",
    "rejected",
    "credits",
    "tools",
    "analysis",
    "affects",
    "properties",
    "proofOfConcept",
];

fn read_vulnerability(
    value: &Value,
    pointer: &str,
    document: &VexDocument,
    components: &HashMap<String, Indexed>,
    skipped: &mut Skipped,
) -> Result<Option<VexStatement>, ShapeError> {
    let map = object(value, pointer)?;
    skipped.unmodelled(
        pointer,
        map.keys().map(String::as_str),
        VULNERABILITY_FIELDS,
    );
    let Some(id) = non_empty(string(map, "id", pointer)?) else {
        skipped.push(pointer, "vulnerability without `id`");
        return Ok(None);
    };
    let Some(analysis) = map.get("analysis") else {
        skipped.push(
            pointer,
            format!("{id} has no `analysis`: not a VEX statement"),
        );
        return Ok(None);
    };
    let analysis_pointer = child(pointer, "analysis");
    let analysis = object(analysis, &analysis_pointer)?;
    let Some(state) = non_empty(string(analysis, "state", &analysis_pointer)?) else {
        skipped.push(&analysis_pointer, format!("{id} has no analysis `state`"));
        return Ok(None);
    };
    let Some(status) = status_from_state(&state) else {
        skipped.push(
            child(&analysis_pointer, "state"),
            format!("unknown state `{state}`: statement dropped"),
        );
        return Ok(None);
    };
    let mut vulnerability = VulnerabilityRef::new(id);
    vulnerability.description = non_empty(string(map, "description", pointer)?);
    for (reference_pointer, reference) in list(map, "references", "reference", pointer)? {
        let reference = object(reference, &reference_pointer)?;
        if let Some(alias) = non_empty(string(reference, "id", &reference_pointer)?)
            && !vulnerability.is_named(&alias)
        {
            vulnerability.aliases.push(alias);
        }
    }
    let mut products = Vec::new();
    for (affect_pointer, affect) in list(map, "affects", "target", pointer)? {
        let affect = object(affect, &affect_pointer)?;
        let reference = json::required_string(affect, "ref", &affect_pointer)?;
        if affect.contains_key("versions") {
            skipped.push(
                child(&affect_pointer, "versions"),
                "version ranges of an affected component not modelled",
            );
        }
        let product = resolve_reference(reference, &affect_pointer, components, skipped);
        // Subcomponents of one product are listed as separate refs; gather them again.
        let same_parent = products.iter_mut().find(|known: &&mut ProductRef| {
            !known.subcomponents.is_empty()
                && !product.subcomponents.is_empty()
                && known.id == product.id
        });
        match same_parent {
            Some(known) => known.subcomponents.extend(product.subcomponents),
            None => products.push(product),
        }
    }
    let mut statement = VexStatement::new(vulnerability, products, status);
    if let Some(label) = non_empty(string(analysis, "justification", &analysis_pointer)?) {
        statement.justification = justification_from_cyclonedx(&label);
        if statement.justification.is_none() {
            skipped.push(
                child(&analysis_pointer, "justification"),
                format!("unknown justification `{label}` kept only as the source label"),
            );
        }
        statement.source_justification = Some(label);
    }
    let detail = non_empty(string(analysis, "detail", &analysis_pointer)?);
    if status == VexStatus::NotAffected {
        statement.impact_statement = detail;
    } else {
        statement.status_notes = detail;
    }
    let responses: Vec<String> = list(analysis, "response", "response", &analysis_pointer)?
        .into_iter()
        .chain(list(analysis, "responses", "response", &analysis_pointer)?)
        .map(|(pointer, response)| json::as_str(response, &pointer).map(str::to_owned))
        .collect::<Result<_, _>>()?;
    statement.action_statement = non_empty(string(map, "recommendation", pointer)?)
        .or(non_empty(string(map, "workaround", pointer)?))
        .or_else(|| (!responses.is_empty()).then(|| format!("response: {}", responses.join(", "))));
    statement.timestamp = non_empty(string(analysis, "firstIssued", &analysis_pointer)?)
        .or(non_empty(string(map, "published", pointer)?))
        .or_else(|| document.timestamp.clone());
    statement.last_updated = non_empty(string(analysis, "lastUpdated", &analysis_pointer)?)
        .or(non_empty(string(map, "updated", pointer)?));
    Ok(Some(statement))
}

/// The product an `affects[].ref` names. A component nested in another becomes that
/// component as a subcomponent of its parent. BOM-Links are resolved by their fragment when it
/// names a component of this BOM; otherwise the reference is kept as the product's id (and as
/// its purl when it is one: some VEX use purls as refs).
fn resolve_reference(
    reference: &str,
    pointer: &str,
    components: &HashMap<String, Indexed>,
    skipped: &mut Skipped,
) -> ProductRef {
    let local = reference
        .strip_prefix(BOM_LINK_PREFIX)
        .and_then(|link| link.split_once('#'))
        .map_or(reference, |(_, fragment)| fragment);
    let Some(indexed) = components.get(local) else {
        return ProductRef {
            id: Some(reference.to_owned()),
            purl: reference
                .starts_with("pkg:")
                .then(|| lenient_purl(reference, &child(pointer, "ref"), skipped))
                .flatten(),
            ..ProductRef::default()
        };
    };
    match indexed
        .parent
        .as_ref()
        .and_then(|parent| components.get(parent))
    {
        Some(parent) => ProductRef {
            subcomponents: vec![indexed.product.clone()],
            ..parent.product.clone()
        },
        None => indexed.product.clone(),
    }
}

fn status_from_state(state: &str) -> Option<VexStatus> {
    Some(match state {
        "not_affected" | "false_positive" => VexStatus::NotAffected,
        "exploitable" => VexStatus::Affected,
        "resolved" | "resolved_with_pedigree" => VexStatus::Fixed,
        "in_triage" => VexStatus::UnderInvestigation,
        _ => return None,
    })
}

fn state_from_status(status: VexStatus) -> &'static str {
    match status {
        VexStatus::NotAffected => "not_affected",
        VexStatus::Affected => "exploitable",
        VexStatus::Fixed => "resolved",
        VexStatus::UnderInvestigation => "in_triage",
    }
}

/// STANDARDS §5.3: the closest OpenVEX label of a CycloneDX justification.
fn justification_from_cyclonedx(label: &str) -> Option<Justification> {
    Some(match label {
        "code_not_present" => Justification::VulnerableCodeNotPresent,
        "requires_dependency" => Justification::ComponentNotPresent,
        "code_not_reachable" => Justification::VulnerableCodeNotInExecutePath,
        "requires_configuration" | "requires_environment" => {
            Justification::VulnerableCodeCannotBeControlledByAdversary
        }
        "protected_by_mitigating_control"
        | "protected_at_runtime"
        | "protected_by_compiler"
        | "protected_at_perimeter" => Justification::InlineMitigationsAlreadyExist,
        _ => return None,
    })
}

/// The CycloneDX label written for an OpenVEX justification: the inverse of
/// [`justification_from_cyclonedx`] on its first label per justification, so that a round trip
/// keeps the justification.
fn justification_to_cyclonedx(justification: Justification) -> &'static str {
    match justification {
        Justification::ComponentNotPresent => "requires_dependency",
        Justification::VulnerableCodeNotPresent => "code_not_present",
        Justification::VulnerableCodeNotInExecutePath => "code_not_reachable",
        Justification::VulnerableCodeCannotBeControlledByAdversary => "requires_configuration",
        Justification::InlineMitigationsAlreadyExist => "protected_by_mitigating_control",
    }
}

/// Serialises `document` as a CycloneDX 1.6 JSON BOM: one component per distinct product
/// (subcomponents nested in their product's component) and one vulnerability per statement,
/// whose `affects` names the subcomponents, or the product when it has none. A CycloneDX
/// justification read from the source is written back as it was when it still maps to the
/// statement's justification.
pub fn write_cyclonedx(document: &VexDocument) -> Result<Vec<u8>, VexWriteError> {
    let mut components = ComponentList::default();
    let mut vulnerabilities = Vec::new();
    for statement in &document.statements {
        let mut affects = Vec::new();
        for product in &statement.products {
            let product_reference = components.add(product, None);
            if product.subcomponents.is_empty() {
                affects.push(json!({ "ref": product_reference }));
            }
            for subcomponent in &product.subcomponents {
                let reference = components.add(subcomponent, Some(&product_reference));
                affects.push(json!({ "ref": reference }));
            }
        }
        vulnerabilities.push(vulnerability_json(statement, affects));
    }
    let mut metadata = Map::new();
    if let Some(timestamp) = &document.timestamp {
        metadata.insert("timestamp".to_owned(), json!(timestamp));
    }
    if let Some(author) = &document.author {
        metadata.insert("authors".to_owned(), json!([{ "name": author }]));
    }
    let mut bom = Map::new();
    bom.insert(
        "$schema".to_owned(),
        json!("http://cyclonedx.org/schema/bom-1.6.schema.json"),
    );
    bom.insert("bomFormat".to_owned(), json!("CycloneDX"));
    bom.insert("specVersion".to_owned(), json!("1.6"));
    if let Some(serial) = document
        .id
        .as_deref()
        // The schema accepts only RFC 4122 UUID URNs.
        .filter(|id| {
            id.strip_prefix("urn:uuid:").is_some_and(|text| {
                uuid::Uuid::parse_str(text).is_ok_and(|uuid| uuid.hyphenated().to_string() == text)
            })
        })
    {
        bom.insert("serialNumber".to_owned(), json!(serial));
    }
    bom.insert(
        "version".to_owned(),
        json!(document.version.unwrap_or(1).max(1)),
    );
    if !metadata.is_empty() {
        bom.insert("metadata".to_owned(), Value::Object(metadata));
    }
    bom.insert(
        "components".to_owned(),
        Value::Array(components.into_json()),
    );
    bom.insert("vulnerabilities".to_owned(), Value::Array(vulnerabilities));
    to_json_bytes(&Value::Object(bom), VexFormat::CycloneDx)
}

/// A statement as a CycloneDX `analysis` object: state, justification (the source's own
/// CycloneDX label when it still maps to the statement's), detail and times.
pub fn analysis_json(statement: &VexStatement) -> Value {
    let mut analysis = Map::new();
    analysis.insert(
        "state".to_owned(),
        json!(state_from_status(statement.status)),
    );
    let kept_label = statement.source_justification.as_deref().filter(|label| {
        let mapped = justification_from_cyclonedx(label);
        mapped.is_some() && mapped == statement.justification
    });
    if let Some(label) = kept_label.or(statement.justification.map(justification_to_cyclonedx)) {
        analysis.insert("justification".to_owned(), json!(label));
    }
    let detail = if statement.status == VexStatus::NotAffected {
        statement.impact_statement.as_deref()
    } else {
        statement.status_notes.as_deref()
    };
    if let Some(detail) = detail {
        analysis.insert("detail".to_owned(), json!(detail));
    }
    if let Some(timestamp) = &statement.timestamp {
        analysis.insert("firstIssued".to_owned(), json!(timestamp));
    }
    if let Some(last_updated) = &statement.last_updated {
        analysis.insert("lastUpdated".to_owned(), json!(last_updated));
    }
    Value::Object(analysis)
}

fn vulnerability_json(statement: &VexStatement, affects: Vec<Value>) -> Value {
    let analysis = analysis_json(statement);
    let mut map = Map::new();
    map.insert("id".to_owned(), json!(statement.vulnerability.id));
    if !statement.vulnerability.aliases.is_empty() {
        map.insert(
            "references".to_owned(),
            alias_references(&statement.vulnerability.aliases),
        );
    }
    if let Some(description) = &statement.vulnerability.description {
        map.insert("description".to_owned(), json!(description));
    }
    if let Some(action) = &statement.action_statement {
        map.insert("recommendation".to_owned(), json!(action));
    }
    map.insert("analysis".to_owned(), analysis);
    map.insert("affects".to_owned(), Value::Array(affects));
    Value::Object(map)
}

/// Aliases as CycloneDX vulnerability `references`, each with its database as source.
pub fn alias_references(aliases: &[String]) -> Value {
    Value::Array(
        aliases
            .iter()
            .map(|alias| json!({ "id": alias, "source": { "name": alias_source(alias) } }))
            .collect(),
    )
}

/// The database an alias comes from, by its prefix (`CVE-`, `GHSA-`): CycloneDX references
/// need a source.
fn alias_source(alias: &str) -> &str {
    alias.split_once('-').map_or(alias, |(prefix, _)| prefix)
}

/// Components to write, deduplicated by bom-ref, subcomponents nested in their product.
#[derive(Default)]
struct ComponentList {
    top_level: Vec<String>,
    entries: HashMap<String, (Map<String, Value>, Vec<String>)>,
}

impl ComponentList {
    /// Adds `product` (under `parent` when given) and returns its bom-ref: the purl, else the
    /// source id, else the name; a nested component's ref is prefixed with its parent's, since
    /// the same package can sit in several products and bom-refs must be unique.
    fn add(&mut self, product: &ProductRef, parent: Option<&str>) -> String {
        let own = product
            .purl
            .as_ref()
            .map(ToString::to_string)
            .or_else(|| product.id.clone())
            .or_else(|| product.name.clone())
            .unwrap_or_else(|| "unidentified".to_owned());
        let reference = match parent {
            Some(parent) => format!("{parent}|{own}"),
            None => own,
        };
        if !self.entries.contains_key(&reference) {
            self.entries.insert(
                reference.clone(),
                (component_json(product, &reference), Vec::new()),
            );
            match parent.and_then(|parent| self.entries.get_mut(parent)) {
                Some((_, children)) => children.push(reference.clone()),
                None => self.top_level.push(reference.clone()),
            }
        }
        reference
    }

    fn into_json(mut self) -> Vec<Value> {
        let top_level = std::mem::take(&mut self.top_level);
        top_level
            .iter()
            .filter_map(|reference| self.take(reference))
            .collect()
    }

    fn take(&mut self, reference: &str) -> Option<Value> {
        let (mut component, children) = self.entries.remove(reference)?;
        let nested: Vec<Value> = children
            .iter()
            .filter_map(|child| self.take(child))
            .collect();
        if !nested.is_empty() {
            component.insert("components".to_owned(), Value::Array(nested));
        }
        Some(Value::Object(component))
    }
}

fn component_json(product: &ProductRef, reference: &str) -> Map<String, Value> {
    let name = product
        .name
        .clone()
        .or_else(|| product.purl.as_ref().map(|purl| purl.name().to_owned()))
        .unwrap_or_else(|| reference.to_owned());
    let mut map = Map::new();
    map.insert("type".to_owned(), json!("library"));
    map.insert("bom-ref".to_owned(), json!(reference));
    if let Some(group) = product.purl.as_ref().and_then(|purl| purl.namespace()) {
        map.insert("group".to_owned(), json!(group));
    }
    map.insert("name".to_owned(), json!(name));
    if let Some(version) = product.purl.as_ref().and_then(|purl| purl.version()) {
        map.insert("version".to_owned(), json!(version));
    }
    let hashes: Vec<Value> = product
        .hashes
        .iter()
        .filter_map(|hash| {
            algorithm_name(hash.algorithm)
                .map(|algorithm| json!({ "alg": algorithm, "content": hash.value }))
        })
        .collect();
    if !hashes.is_empty() {
        map.insert("hashes".to_owned(), Value::Array(hashes));
    }
    if let Some(cpe) = &product.cpe {
        map.insert("cpe".to_owned(), json!(cpe));
    }
    if let Some(purl) = &product.purl {
        map.insert("purl".to_owned(), json!(purl.to_string()));
    }
    map
}

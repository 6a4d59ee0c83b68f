//! `vouch sbom validate`: the bundled official schema of the declared version, plus the checks
//! STANDARDS.md lists that schemas cannot express (identifier uniqueness and references).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use serde_json::{Map, Value};

use crate::read::{self, Parsed};
use crate::{FormatError, FormatFamily, Schema, Serialization, Violation, validate_json};
use vouch_xml::Element;

/// The result of validating one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationReport {
    pub family: FormatFamily,
    /// The version the document declares, when it declares one.
    pub version: Option<String>,
    pub serialization: Serialization,
    /// The bundled schema the document was checked against, if any.
    pub schema: Option<Schema>,
    /// Schema violations, then semantic ones, then the reader's objection if it could not read
    /// the document.
    pub violations: Vec<Violation>,
    /// What was and was not checked (no schema for XML, tag-value, or an unbundled version).
    pub notes: Vec<String>,
}

impl ValidationReport {
    pub fn is_valid(&self) -> bool {
        self.violations.is_empty()
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let version = self.version.as_deref().unwrap_or("(undeclared version)");
        writeln!(
            formatter,
            "{} {version} {}: {}",
            self.family,
            self.serialization,
            if self.is_valid() { "valid" } else { "invalid" }
        )?;
        for note in &self.notes {
            writeln!(formatter, "note: {note}")?;
        }
        for violation in &self.violations {
            writeln!(formatter, "{violation}")?;
        }
        Ok(())
    }
}

/// Validates an SBOM of any supported family and serialisation, detected from the content.
/// Errors only when the bytes are not a recognisable SBOM at all.
pub fn validate(bytes: &[u8], origin: &str) -> Result<ValidationReport, FormatError> {
    let parsed = read::parse(bytes, origin)?;
    let (family, serialization) = read::detect(&parsed, origin)?;
    let version = declared_version(&parsed, family);
    let mut report = ValidationReport {
        family,
        version,
        serialization,
        schema: None,
        violations: Vec::new(),
        notes: Vec::new(),
    };
    match &parsed {
        // SPDX YAML is the JSON serialisation spelled in YAML, so the JSON schema applies.
        Parsed::Json(document) | Parsed::Yaml(document) => {
            report.schema = schema(family, report.version.as_deref());
            match report.schema {
                Some(schema) => report.violations = validate_json(document, schema),
                None => report.notes.push(format!(
                    "no schema is bundled for {family} {}; only the semantic checks and the reader were applied",
                    report.version.as_deref().unwrap_or("without a declared version")
                )),
            }
            match family {
                FormatFamily::CycloneDx => cyclonedx_checks(document, &mut report.violations),
                FormatFamily::Spdx2 => spdx2_checks(
                    document,
                    report.version.as_deref(),
                    report.schema.is_some(),
                    &mut report.violations,
                ),
                FormatFamily::Spdx3 => {}
            }
        }
        Parsed::Xml(_) | Parsed::TagValue(_) => {
            report.notes.push(format!(
                "no schema is applied to {serialization}; the document was checked by reading it"
            ));
            if let (Parsed::Xml(root), FormatFamily::CycloneDx) = (&parsed, family) {
                cyclonedx_xml_checks(root, &mut report.violations);
            }
        }
    }
    // The reader catches what the checks above cannot (XML and tag-value structure); after a
    // schema failure its objection would only repeat a schema violation.
    if (report.schema.is_none() || report.violations.is_empty())
        && let Err(error) = read::read_parsed(&parsed, origin)
    {
        let message = match error {
            FormatError::Read { message, .. } => message,
            other => other.to_string(),
        };
        // JSON readers name the pointer first (`/packages/1/name: expected a string`).
        let (pointer, message) = match message.split_once(": ") {
            Some((pointer, rest)) if pointer.starts_with('/') => {
                (pointer.to_owned(), rest.to_owned())
            }
            _ => (String::new(), message),
        };
        report.violations.push(Violation {
            pointer,
            message: format!("cannot be read: {message}"),
        });
    }
    Ok(report)
}

fn declared_version(parsed: &Parsed, family: FormatFamily) -> Option<String> {
    match (parsed, family) {
        (Parsed::Json(document), FormatFamily::CycloneDx) => {
            document.get("specVersion")?.as_str().map(str::to_owned)
        }
        (Parsed::Xml(root), FormatFamily::CycloneDx) => root
            .namespace
            .as_deref()?
            .strip_prefix("http://cyclonedx.org/schema/bom/")
            .map(str::to_owned),
        (Parsed::Json(document) | Parsed::Yaml(document), FormatFamily::Spdx2) => document
            .get("spdxVersion")?
            .as_str()?
            .strip_prefix("SPDX-")
            .map(str::to_owned),
        (Parsed::Xml(root), FormatFamily::Spdx2) => root
            .child_text("spdxVersion")?
            .strip_prefix("SPDX-")
            .map(str::to_owned),
        (Parsed::TagValue(text), _) => text
            .lines()
            .find_map(|line| line.strip_prefix("SPDXVersion:"))?
            .trim()
            .strip_prefix("SPDX-")
            .map(str::to_owned),
        (Parsed::Json(document), FormatFamily::Spdx3) => document
            .get("@graph")?
            .as_array()?
            .iter()
            .find_map(|element| element.get("specVersion")?.as_str())
            .map(str::to_owned),
        _ => None,
    }
}

fn schema(family: FormatFamily, version: Option<&str>) -> Option<Schema> {
    match (family, version?) {
        (FormatFamily::CycloneDx, version) => Schema::cyclonedx(version),
        (FormatFamily::Spdx2, "2.2" | "2.3") => Some(Schema::Spdx23),
        (FormatFamily::Spdx3, "3.0.1") => Some(Schema::Spdx30),
        _ => None,
    }
}

fn violation(pointer: String, message: String) -> Violation {
    Violation { pointer, message }
}

/// Objects of the array at `pointer/key`, with their pointers; anything else is left to the
/// schema.
fn objects<'a>(
    map: &'a Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Vec<(String, &'a Map<String, Value>)> {
    match map.get(key) {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| {
                item.as_object()
                    .map(|object| (format!("{pointer}/{key}/{index}"), object))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// CycloneDX: every `bom-ref` is unique, and every dependency and vulnerability reference
/// resolves to one.
fn cyclonedx_checks(document: &Value, violations: &mut Vec<Violation>) {
    let Some(root) = document.as_object() else {
        return;
    };
    let mut refs: HashMap<&str, String> = HashMap::new();
    let mut pending: VecDeque<(String, &Map<String, Value>)> = VecDeque::new();
    if let Some(Value::Object(metadata)) = root.get("metadata")
        && let Some(Value::Object(subject)) = metadata.get("component")
    {
        pending.push_back(("/metadata/component".to_owned(), subject));
    }
    pending.extend(objects(root, "components", ""));
    pending.extend(objects(root, "services", ""));
    // Breadth-first, so that nested components never recurse.
    while let Some((pointer, item)) = pending.pop_front() {
        if let Some(Value::String(bom_ref)) = item.get("bom-ref") {
            match refs.get(bom_ref.as_str()) {
                Some(first) => violations.push(violation(
                    format!("{pointer}/bom-ref"),
                    format!("bom-ref `{bom_ref}` is not unique; also used at {first}"),
                )),
                None => {
                    refs.insert(bom_ref, format!("{pointer}/bom-ref"));
                }
            }
        }
        pending.extend(objects(item, "components", &pointer));
        pending.extend(objects(item, "services", &pointer));
    }
    let resolves = |reference: &str| {
        // BOM-Links point into other documents and cannot be checked here.
        refs.contains_key(reference) || reference.starts_with("urn:cdx:")
    };
    let mut unresolved = |pointer: String, reference: &str| {
        if !resolves(reference) {
            violations.push(violation(
                pointer,
                format!("`{reference}` is not the bom-ref of any component or service"),
            ));
        }
    };
    for (pointer, dependency) in objects(root, "dependencies", "") {
        if let Some(Value::String(reference)) = dependency.get("ref") {
            unresolved(format!("{pointer}/ref"), reference);
        }
        for key in ["dependsOn", "provides"] {
            if let Some(Value::Array(targets)) = dependency.get(key) {
                for (index, target) in targets.iter().enumerate() {
                    let target = match target {
                        Value::Object(target) => target.get("ref").and_then(Value::as_str),
                        other => other.as_str(),
                    };
                    if let Some(target) = target {
                        unresolved(format!("{pointer}/{key}/{index}"), target);
                    }
                }
            }
        }
    }
    for (pointer, vulnerability) in objects(root, "vulnerabilities", "") {
        for (affect_pointer, affect) in objects(vulnerability, "affects", &pointer) {
            if let Some(Value::String(reference)) = affect.get("ref") {
                unresolved(format!("{affect_pointer}/ref"), reference);
            }
        }
    }
}

/// The CycloneDX checks for XML: unique `bom-ref` attributes and resolvable dependency refs.
/// XML has no JSON pointer, so violations name the element's line instead.
fn cyclonedx_xml_checks(root: &Element, violations: &mut Vec<Violation>) {
    let at = |element: &Element| format!("line {} <{}>", element.line, element.name);
    let mut refs: HashMap<&str, String> = HashMap::new();
    let mut pending: VecDeque<&Element> = VecDeque::new();
    pending.extend(
        root.child("metadata")
            .and_then(|metadata| metadata.child("component")),
    );
    for (group, item) in [("components", "component"), ("services", "service")] {
        pending.extend(
            root.children_named(group)
                .flat_map(|list| list.children_named(item)),
        );
    }
    while let Some(element) = pending.pop_front() {
        if let Some(bom_ref) = element.attribute("bom-ref") {
            match refs.get(bom_ref) {
                Some(first) => violations.push(violation(
                    String::new(),
                    format!(
                        "{}: bom-ref `{bom_ref}` is not unique; also used at {first}",
                        at(element)
                    ),
                )),
                None => {
                    refs.insert(bom_ref, at(element));
                }
            }
        }
        for (group, item) in [("components", "component"), ("services", "service")] {
            pending.extend(
                element
                    .children_named(group)
                    .flat_map(|list| list.children_named(item)),
            );
        }
    }
    let dependencies = root
        .children_named("dependencies")
        .flat_map(|list| list.children_named("dependency"));
    for dependency in dependencies {
        for element in std::iter::once(dependency).chain(dependency.children_named("dependency")) {
            if let Some(reference) = element.attribute("ref")
                && !refs.contains_key(reference)
                && !reference.starts_with("urn:cdx:")
            {
                violations.push(violation(
                    String::new(),
                    format!(
                        "{}: `{reference}` is not the bom-ref of any component or service",
                        at(element)
                    ),
                ));
            }
        }
    }
}

/// `SPDXRef-` followed by letters, digits, `.` and `-`.
fn is_element_id(id: &str) -> bool {
    id.strip_prefix("SPDXRef-").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    })
}

/// Package fields SPDX 2.3 introduced; a document declaring 2.2 must not use them.
const ADDED_IN_2_3: &[&str] = &[
    "primaryPackagePurpose",
    "releaseDate",
    "builtDate",
    "validUntilDate",
];

/// SPDX 2: the SPDXID pattern and uniqueness, relationship and `documentDescribes` endpoints,
/// `documentNamespace` (present, without `#`), and 2.3-only fields in 2.2 documents.
fn spdx2_checks(
    document: &Value,
    version: Option<&str>,
    schema_applied: bool,
    violations: &mut Vec<Violation>,
) {
    let Some(root) = document.as_object() else {
        return;
    };
    match root.get("documentNamespace").and_then(Value::as_str) {
        // The bundled 2.3.1 schema requires the namespace itself.
        None if schema_applied => {}
        None => violations.push(violation(
            String::new(),
            "documentNamespace is missing; the specification requires it".to_owned(),
        )),
        Some(namespace) if namespace.contains('#') => violations.push(violation(
            "/documentNamespace".to_owned(),
            format!("documentNamespace `{namespace}` must not contain `#`"),
        )),
        Some(_) => {}
    }
    if let Some(Value::String(id)) = root.get("SPDXID")
        && id != "SPDXRef-DOCUMENT"
    {
        violations.push(violation(
            "/SPDXID".to_owned(),
            format!("the document's SPDXID must be `SPDXRef-DOCUMENT`, found `{id}`"),
        ));
    }
    let mut ids: HashSet<&str> = HashSet::from(["SPDXRef-DOCUMENT"]);
    for section in ["packages", "files", "snippets"] {
        for (pointer, element) in objects(root, section, "") {
            let Some(Value::String(id)) = element.get("SPDXID") else {
                continue;
            };
            let id_pointer = format!("{pointer}/SPDXID");
            if !is_element_id(id) {
                violations.push(violation(
                    id_pointer.clone(),
                    format!("SPDXID `{id}` does not match SPDXRef-[A-Za-z0-9.-]+"),
                ));
            }
            if !ids.insert(id) {
                violations.push(violation(
                    id_pointer,
                    format!("SPDXID `{id}` is not unique"),
                ));
            }
            if section == "packages" && version == Some("2.2") {
                for field in ADDED_IN_2_3
                    .iter()
                    .filter(|field| element.contains_key(**field))
                {
                    violations.push(violation(
                        format!("{pointer}/{field}"),
                        format!(
                            "`{field}` was added in SPDX 2.3, but the document declares SPDX-2.2"
                        ),
                    ));
                }
            }
        }
    }
    let external_documents: HashSet<&str> = objects(root, "externalDocumentRefs", "")
        .into_iter()
        .filter_map(|(_, reference)| reference.get("externalDocumentId")?.as_str())
        .collect();
    let exists = |id: &str| match id.split_once(':') {
        Some((document, element)) => {
            external_documents.contains(document) && is_element_id(element)
        }
        None => ids.contains(id),
    };
    for (pointer, relationship) in objects(root, "relationships", "") {
        for (key, may_be_none) in [("spdxElementId", false), ("relatedSpdxElement", true)] {
            let Some(Value::String(id)) = relationship.get(key) else {
                continue;
            };
            let none = may_be_none && matches!(id.as_str(), "NONE" | "NOASSERTION");
            if !none && !exists(id) {
                violations.push(violation(
                    format!("{pointer}/{key}"),
                    format!(
                        "`{id}` is not an element of this document or a declared external document"
                    ),
                ));
            }
        }
    }
    if let Some(Value::Array(described)) = root.get("documentDescribes") {
        for (index, id) in described.iter().enumerate() {
            if let Some(id) = id.as_str().filter(|id| !exists(id)) {
                violations.push(violation(
                    format!("/documentDescribes/{index}"),
                    format!("`{id}` is not an element of this document"),
                ));
            }
        }
    }
}

//! SPDX 2.3 writers. JSON and tag-value render one intermediate document, so both carry the
//! same facts.
//!
//! Packages are dependency-only (`filesAnalyzed: false`); licences the package declares go to
//! `licenseDeclared` (free text as a `LicenseRef-` with its text in
//! `hasExtractedLicensingInfos`), and nothing is concluded. Where a component was found goes
//! to `sourceInfo`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};
use vouch_model::{Bom, Component, ComponentId, ComponentKind, HashAlgorithm, RelationshipKind};

use crate::write::license::{License, combined_expression, license_refs};
use crate::write::{
    AgentKind, Prepared, document_namespace, download_location, json_bytes, locations_text,
    parse_agent, spdx_ids, split_tool,
};
use crate::{Format, FormatError, WriteOptions};

const DOCUMENT_ID: &str = "SPDXRef-DOCUMENT";
const NOASSERTION: &str = "NOASSERTION";

pub(crate) fn write_json(bom: &Bom, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    let document = Document::new(bom, Format::SpdxJson, options)?;
    json_bytes(&document.to_json(), Format::SpdxJson)
}

pub(crate) fn write_tag_value(bom: &Bom, options: &WriteOptions) -> Result<Vec<u8>, FormatError> {
    let document = Document::new(bom, Format::SpdxTagValue, options)?;
    Ok(document.to_tag_value().into_bytes())
}

#[derive(Debug)]
struct Document {
    name: String,
    namespace: String,
    created: String,
    creators: Vec<String>,
    /// Sorted by SPDX id.
    packages: Vec<Package>,
    /// `(element, type, related element)`, sorted.
    relationships: BTreeSet<(String, &'static str, String)>,
    /// Every `LicenseRef-` the packages use, with its text and name.
    extracted_licenses: BTreeMap<String, ExtractedLicense>,
}

#[derive(Debug)]
struct ExtractedLicense {
    text: String,
    name: String,
}

#[derive(Debug)]
struct Package {
    id: String,
    name: String,
    version: Option<String>,
    supplier: String,
    download_location: String,
    /// `(algorithm, value)`, sorted.
    checksums: Vec<(&'static str, String)>,
    source_info: Option<String>,
    license_declared: String,
    description: Option<String>,
    purl: Option<String>,
    purpose: &'static str,
}

impl Document {
    fn new(bom: &Bom, format: Format, options: &WriteOptions) -> Result<Self, FormatError> {
        let prepared = Prepared::new(bom, format, options)?;
        let ids = spdx_ids(&prepared);
        let id_of = |component_id: &ComponentId| {
            ids.get(component_id)
                .cloned()
                .ok_or_else(|| FormatError::Write {
                    format,
                    message: format!("component `{component_id}` has no SPDX id"),
                })
        };

        let mut creators = vec![format!(
            "Tool: {}-{}",
            single_line(&options.tool_name),
            single_line(&options.tool_version)
        )];
        creators.extend(bom.metadata.tools.iter().map(|tool| {
            let (name, version) = split_tool(tool);
            match version {
                Some(version) => format!("Tool: {}-{}", single_line(name), single_line(version)),
                None => format!("Tool: {}", single_line(name)),
            }
        }));
        creators.extend(
            bom.metadata
                .authors
                .iter()
                .map(|author| agent(author, AgentKind::Person)),
        );
        creators.sort();
        creators.dedup();

        let mut extracted_licenses = BTreeMap::new();
        let mut packages = Vec::new();
        for component in prepared.all() {
            let licenses: Vec<License> = component
                .licenses
                .iter()
                .map(|text| License::classify(text))
                .collect();
            for license in &licenses {
                let expression = license.spdx_expression();
                if let License::Text(text) = license {
                    let extracted = ExtractedLicense {
                        text: text.clone(),
                        name: single_line(text),
                    };
                    extracted_licenses.insert(expression, extracted);
                } else {
                    // A reference the BOM names without its text: declared, text unknown.
                    for reference in license_refs(&expression) {
                        extracted_licenses
                            .entry(reference.to_owned())
                            .or_insert_with(|| ExtractedLicense {
                                text: NOASSERTION.to_owned(),
                                name: reference.trim_start_matches("LicenseRef-").to_owned(),
                            });
                    }
                }
            }
            packages.push(Package::new(component, id_of(&component.id)?, &licenses));
        }
        packages.sort_by(|a, b| a.id.cmp(&b.id));

        let mut relationships = BTreeSet::new();
        for root in prepared.roots() {
            relationships.insert((DOCUMENT_ID.to_owned(), "DESCRIBES", id_of(&root.id)?));
        }
        if relationships.is_empty() {
            // SPDX requires the document to describe something; say explicitly it is nothing.
            relationships.insert((DOCUMENT_ID.to_owned(), "DESCRIBES", "NONE".to_owned()));
        }
        for relationship in &prepared.relationships {
            let from = id_of(&relationship.from)?;
            let to = id_of(&relationship.to)?;
            // The scoped SPDX types read the other way round: "dependency X_DEPENDENCY_OF dependent".
            relationships.insert(match relationship.kind {
                RelationshipKind::DependsOn => (from, "DEPENDS_ON", to),
                RelationshipKind::Contains => (from, "CONTAINS", to),
                RelationshipKind::DevDependsOn => (to, "DEV_DEPENDENCY_OF", from),
                RelationshipKind::OptionalDependsOn => (to, "OPTIONAL_DEPENDENCY_OF", from),
                RelationshipKind::PeerDependsOn => (to, "PROVIDED_DEPENDENCY_OF", from),
                RelationshipKind::BuildDependsOn => (to, "BUILD_DEPENDENCY_OF", from),
            });
        }

        Ok(Self {
            name: single_line(&options.document_name),
            namespace: document_namespace(options),
            created: prepared.created,
            creators,
            packages,
            relationships,
            extracted_licenses,
        })
    }

    fn to_json(&self) -> Value {
        let mut document = Map::new();
        document.insert("spdxVersion".into(), json!("SPDX-2.3"));
        document.insert("dataLicense".into(), json!("CC0-1.0"));
        document.insert("SPDXID".into(), json!(DOCUMENT_ID));
        document.insert("name".into(), json!(self.name));
        document.insert("documentNamespace".into(), json!(self.namespace));
        document.insert(
            "creationInfo".into(),
            json!({"created": self.created, "creators": self.creators}),
        );
        document.insert(
            "packages".into(),
            Value::Array(self.packages.iter().map(Package::to_json).collect()),
        );
        let relationships: Vec<Value> = self
            .relationships
            .iter()
            .map(|(element, kind, related)| {
                json!({
                    "spdxElementId": element,
                    "relationshipType": kind,
                    "relatedSpdxElement": related,
                })
            })
            .collect();
        document.insert("relationships".into(), Value::Array(relationships));
        if !self.extracted_licenses.is_empty() {
            let extracted: Vec<Value> = self
                .extracted_licenses
                .iter()
                .map(|(id, license)| {
                    json!({"licenseId": id, "extractedText": license.text, "name": license.name})
                })
                .collect();
            document.insert("hasExtractedLicensingInfos".into(), Value::Array(extracted));
        }
        Value::Object(document)
    }

    fn to_tag_value(&self) -> String {
        let mut text = String::new();
        let tag = |text: &mut String, name: &str, value: &str| {
            text.push_str(name);
            text.push_str(": ");
            text.push_str(&tag_value_text(value));
            text.push('\n');
        };
        tag(&mut text, "SPDXVersion", "SPDX-2.3");
        tag(&mut text, "DataLicense", "CC0-1.0");
        tag(&mut text, "SPDXID", DOCUMENT_ID);
        tag(&mut text, "DocumentName", &self.name);
        tag(&mut text, "DocumentNamespace", &self.namespace);
        for creator in &self.creators {
            tag(&mut text, "Creator", creator);
        }
        tag(&mut text, "Created", &self.created);
        for package in &self.packages {
            text.push('\n');
            tag(&mut text, "PackageName", &package.name);
            tag(&mut text, "SPDXID", &package.id);
            if let Some(version) = &package.version {
                tag(&mut text, "PackageVersion", version);
            }
            tag(&mut text, "PackageSupplier", &package.supplier);
            tag(
                &mut text,
                "PackageDownloadLocation",
                &package.download_location,
            );
            tag(&mut text, "FilesAnalyzed", "false");
            for (algorithm, value) in &package.checksums {
                tag(
                    &mut text,
                    "PackageChecksum",
                    &format!("{algorithm}: {value}"),
                );
            }
            if let Some(source_info) = &package.source_info {
                tag(&mut text, "PackageSourceInfo", source_info);
            }
            tag(&mut text, "PackageLicenseConcluded", NOASSERTION);
            tag(
                &mut text,
                "PackageLicenseDeclared",
                &package.license_declared,
            );
            tag(&mut text, "PackageCopyrightText", NOASSERTION);
            if let Some(description) = &package.description {
                tag(&mut text, "PackageDescription", description);
            }
            if let Some(purl) = &package.purl {
                tag(
                    &mut text,
                    "ExternalRef",
                    &format!("PACKAGE-MANAGER purl {purl}"),
                );
            }
            tag(&mut text, "PrimaryPackagePurpose", package.purpose);
        }
        if !self.relationships.is_empty() {
            text.push('\n');
        }
        for (element, kind, related) in &self.relationships {
            tag(
                &mut text,
                "Relationship",
                &format!("{element} {kind} {related}"),
            );
        }
        for (id, license) in &self.extracted_licenses {
            text.push('\n');
            tag(&mut text, "LicenseID", id);
            tag(&mut text, "ExtractedText", &license.text);
            tag(&mut text, "LicenseName", &license.name);
        }
        text
    }
}

impl Package {
    fn new(component: &Component, id: String, licenses: &[License]) -> Self {
        let mut checksums: Vec<(&'static str, String)> = component
            .hashes
            .iter()
            .map(|hash| {
                (
                    algorithm_name(hash.algorithm),
                    hash.value.to_ascii_lowercase(),
                )
            })
            .collect();
        checksums.sort();
        checksums.dedup();
        Self {
            id,
            name: single_line(&component.qualified_name()),
            version: component.version.as_deref().map(single_line),
            supplier: component.supplier.as_deref().map_or_else(
                || NOASSERTION.to_owned(),
                |supplier| agent(supplier, AgentKind::Organization),
            ),
            download_location: download_location(component)
                .unwrap_or_else(|| NOASSERTION.to_owned()),
            checksums,
            source_info: locations_text(component),
            license_declared: combined_expression(licenses)
                .unwrap_or_else(|| NOASSERTION.to_owned()),
            description: component.description.clone(),
            purl: component.purl.as_ref().map(ToString::to_string),
            purpose: purpose(component.kind),
        }
    }

    fn to_json(&self) -> Value {
        let mut package = Map::new();
        package.insert("name".into(), json!(self.name));
        package.insert("SPDXID".into(), json!(self.id));
        if let Some(version) = &self.version {
            package.insert("versionInfo".into(), json!(version));
        }
        package.insert("supplier".into(), json!(self.supplier));
        package.insert("downloadLocation".into(), json!(self.download_location));
        package.insert("filesAnalyzed".into(), json!(false));
        if !self.checksums.is_empty() {
            let checksums: Vec<Value> = self
                .checksums
                .iter()
                .map(|(algorithm, value)| json!({"algorithm": algorithm, "checksumValue": value}))
                .collect();
            package.insert("checksums".into(), Value::Array(checksums));
        }
        if let Some(source_info) = &self.source_info {
            package.insert("sourceInfo".into(), json!(source_info));
        }
        package.insert("licenseConcluded".into(), json!(NOASSERTION));
        package.insert("licenseDeclared".into(), json!(self.license_declared));
        package.insert("copyrightText".into(), json!(NOASSERTION));
        if let Some(description) = &self.description {
            package.insert("description".into(), json!(description));
        }
        if let Some(purl) = &self.purl {
            package.insert(
                "externalRefs".into(),
                json!([{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": purl,
                }]),
            );
        }
        package.insert("primaryPackagePurpose".into(), json!(self.purpose));
        Value::Object(package)
    }
}

/// An SPDX 2 agent (`Organization: X`); a bare name is taken to be of `default_kind`.
fn agent(text: &str, default_kind: AgentKind) -> String {
    let (kind, name) = parse_agent(text);
    format!(
        "{}: {}",
        kind.unwrap_or(default_kind).as_str(),
        single_line(name)
    )
}

fn single_line(text: &str) -> String {
    text.split(['\r', '\n'])
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Multi-line values go inside `<text>` as tag-value requires.
fn tag_value_text(value: &str) -> String {
    if value.contains(['\r', '\n']) {
        format!("<text>{value}</text>")
    } else {
        value.to_owned()
    }
}

fn algorithm_name(algorithm: HashAlgorithm) -> &'static str {
    match algorithm {
        HashAlgorithm::Md5 => "MD5",
        HashAlgorithm::Sha1 => "SHA1",
        HashAlgorithm::Sha224 => "SHA224",
        HashAlgorithm::Sha256 => "SHA256",
        HashAlgorithm::Sha384 => "SHA384",
        HashAlgorithm::Sha512 => "SHA512",
        HashAlgorithm::Sha3_256 => "SHA3-256",
        HashAlgorithm::Sha3_384 => "SHA3-384",
        HashAlgorithm::Sha3_512 => "SHA3-512",
        HashAlgorithm::Blake2b256 => "BLAKE2b-256",
        HashAlgorithm::Blake2b384 => "BLAKE2b-384",
        HashAlgorithm::Blake2b512 => "BLAKE2b-512",
        HashAlgorithm::Blake3 => "BLAKE3",
    }
}

fn purpose(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Application => "APPLICATION",
        ComponentKind::Framework => "FRAMEWORK",
        ComponentKind::Library => "LIBRARY",
        ComponentKind::Container => "CONTAINER",
        ComponentKind::OperatingSystem => "OPERATING_SYSTEM",
        ComponentKind::Device => "DEVICE",
        ComponentKind::Firmware => "FIRMWARE",
        ComponentKind::File => "FILE",
        ComponentKind::Platform
        | ComponentKind::DeviceDriver
        | ComponentKind::MachineLearningModel
        | ComponentKind::Data
        | ComponentKind::CryptographicAsset => "OTHER",
    }
}

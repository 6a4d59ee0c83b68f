//! SPDX 2 tag-value: parsed into the JSON shape (remembering the line of every item) and then
//! read like SPDX JSON, so that both serialisations follow one set of rules.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::FormatError;
use crate::read::json;
use crate::read::{ReadOutcome, Serialization, read_error};
use crate::spdx2::read::{from_value, line_of};

/// The tag every tag-value document starts its document section with. YAML spells the key
/// `spdxVersion`, so the two cannot be confused.
const VERSION_TAG: &str = "SPDXVersion:";

pub(crate) fn looks_like_tag_value(text: &str) -> bool {
    text.lines().any(|line| line.starts_with(VERSION_TAG))
}

pub(crate) fn read(text: &str, origin: &str) -> Result<ReadOutcome, FormatError> {
    let (document, lines) = parse(text)
        .map_err(|(line, message)| read_error(origin, format!("line {line}: {message}")))?;
    from_value(&document, Serialization::TagValue, origin, &|pointer| {
        format!("line {}", line_of(&lines, pointer))
    })
}

/// The section a tag belongs to; a section starts at its first tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    File,
    Snippet,
    License,
    Annotation,
    Review,
}

impl Section {
    /// The tag that opens a section, and the JSON array its items go to.
    fn opened_by(tag: &str) -> Option<(Self, &'static str)> {
        Some(match tag {
            "PackageName" => (Self::Package, "packages"),
            "FileName" => (Self::File, "files"),
            "SnippetSPDXID" => (Self::Snippet, "snippets"),
            "LicenseID" => (Self::License, "hasExtractedLicensingInfos"),
            "Annotator" => (Self::Annotation, "annotations"),
            "Reviewer" => (Self::Review, "reviewers"),
            _ => return None,
        })
    }
}

/// The JSON field a tag maps to, for the tags the reader interprets; other tags keep their
/// own name so that they are reported as not modelled.
fn field(section: Section, tag: &str) -> &str {
    match (section, tag) {
        (Section::Document, "SPDXVersion") => "spdxVersion",
        (Section::Document, "DataLicense") => "dataLicense",
        (Section::Document, "DocumentNamespace") => "documentNamespace",
        (Section::Document, "DocumentName") => "name",
        (Section::Package, "PackageName") => "name",
        (Section::Package, "PackageVersion") => "versionInfo",
        (Section::Package, "PackageSupplier") => "supplier",
        (Section::Package, "PackageDownloadLocation") => "downloadLocation",
        (Section::Package, "PackageDescription") => "description",
        (Section::Package, "PackageSummary") => "summary",
        (Section::Package, "PackageLicenseDeclared") => "licenseDeclared",
        (Section::Package, "PackageLicenseConcluded") => "licenseConcluded",
        (Section::Package, "PrimaryPackagePurpose") => "primaryPackagePurpose",
        (Section::Package, "FilesAnalyzed") => "filesAnalyzed",
        (Section::Package, "PackageSourceInfo") => "sourceInfo",
        (Section::File, "FileName") => "fileName",
        (Section::Snippet, "SnippetSPDXID") => "SPDXID",
        (_, tag) => tag,
    }
}

type ParseError = (usize, String);

/// One `Tag: value` entry; `<text>` values may span lines.
struct Entry<'a> {
    line: usize,
    tag: &'a str,
    value: String,
}

fn entries(text: &str) -> Result<Vec<Entry<'_>>, ParseError> {
    let mut entries = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (tag, value) = line
            .split_once(':')
            .ok_or_else(|| (number, format!("expected `Tag: value`, found `{trimmed}`")))?;
        let tag = tag.trim();
        let value = value.trim();
        let value = match value.strip_prefix("<text>") {
            None => value.to_owned(),
            Some(rest) => match rest.split_once("</text>") {
                Some((inside, _)) => inside.to_owned(),
                None => {
                    let mut collected = rest.to_owned();
                    loop {
                        let (_, next) = lines.next().ok_or_else(|| {
                            (number, format!("{tag}: <text> is never closed by </text>"))
                        })?;
                        collected.push('\n');
                        if let Some((inside, _)) = next.split_once("</text>") {
                            collected.push_str(inside);
                            break collected;
                        }
                        collected.push_str(next);
                    }
                }
            },
        };
        entries.push(Entry {
            line: number,
            tag,
            value,
        });
    }
    Ok(entries)
}

/// Splits `value` into three whitespace-separated words (`A TYPE B`, `CATEGORY TYPE LOCATOR`).
fn three_words(value: &str, line: usize, tag: &str) -> Result<[String; 3], ParseError> {
    let words: Vec<String> = value.split_whitespace().map(str::to_owned).collect();
    <[String; 3]>::try_from(words).map_err(|_| {
        (
            line,
            format!("{tag} needs 3 space-separated parts, found `{value}`"),
        )
    })
}

/// Stores `value` under `key`. List fields (`always_array`) are arrays from the first item; any
/// other tag becomes an array when it repeats, which the reader then rejects with its line.
fn insert(
    object: &mut Map<String, Value>,
    pointer: &str,
    (key, value, always_array): (&str, Value, bool),
    line: usize,
    lines: &mut HashMap<String, usize>,
) {
    let key_pointer = json::child(pointer, key);
    match object.get_mut(key) {
        None if always_array => {
            lines.insert(json::index(&key_pointer, 0), line);
            object.insert(key.to_owned(), Value::Array(vec![value]));
        }
        Some(Value::Array(items)) => {
            lines.insert(json::index(&key_pointer, items.len()), line);
            items.push(value);
        }
        Some(existing) => {
            lines.insert(json::index(&key_pointer, 1), line);
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            lines.insert(key_pointer, line);
            object.insert(key.to_owned(), value);
        }
    }
}

/// Builds the document in the JSON shape, and the line of every pointer in it.
fn parse(text: &str) -> Result<(Value, HashMap<String, usize>), ParseError> {
    let mut root = Map::new();
    let mut creation = Map::new();
    let mut relationships = Vec::new();
    let mut lines = HashMap::new();
    // Items of each section array, and the section the last tag opened.
    let mut sections: Vec<(&str, Vec<Map<String, Value>>)> = Vec::new();
    let mut current = Section::Document;
    let mut current_index = 0;
    for Entry { line, tag, value } in entries(text)? {
        if tag == "Relationship" {
            let [from, kind, to] = three_words(&value, line, tag)?;
            lines.insert(json::index("/relationships", relationships.len()), line);
            relationships.push(serde_json::json!({
                "spdxElementId": from,
                "relationshipType": kind,
                "relatedSpdxElement": to,
            }));
            continue;
        }
        if matches!(tag, "Creator" | "Created") && current == Section::Document {
            let field = match tag {
                "Creator" => ("creators", Value::String(value), true),
                _ => ("created", Value::String(value), false),
            };
            insert(&mut creation, "/creationInfo", field, line, &mut lines);
            continue;
        }
        if let Some((section, array)) = Section::opened_by(tag) {
            current = section;
            let position = match sections.iter().position(|(name, _)| *name == array) {
                Some(position) => position,
                None => {
                    sections.push((array, Vec::new()));
                    sections.len() - 1
                }
            };
            current_index = position;
            if let Some((_, items)) = sections.get_mut(position) {
                lines.insert(json::index(&format!("/{array}"), items.len()), line);
                items.push(Map::new());
            }
        }
        let field = match (current, tag) {
            (Section::Package, "PackageChecksum") | (Section::File, "FileChecksum") => {
                let (algorithm, digest) = value.split_once(':').ok_or_else(|| {
                    (
                        line,
                        format!("{tag} must be `ALGORITHM: value`, found `{value}`"),
                    )
                })?;
                let checksum = serde_json::json!({"algorithm": algorithm.trim(), "checksumValue": digest.trim()});
                ("checksums", checksum, true)
            }
            (Section::Package, "ExternalRef") => {
                let [category, kind, locator] = three_words(&value, line, tag)?;
                let reference = serde_json::json!({
                    "referenceCategory": category,
                    "referenceType": kind,
                    "referenceLocator": locator,
                });
                ("externalRefs", reference, true)
            }
            (section, tag) => (field(section, tag), Value::String(value), false),
        };
        let (object, pointer) = match (current, sections.get_mut(current_index)) {
            (Section::Document, _) | (_, None) => (&mut root, String::new()),
            (_, Some((array, items))) => {
                let pointer = json::index(&format!("/{array}"), items.len().saturating_sub(1));
                match items.last_mut() {
                    Some(object) => (object, pointer),
                    None => (&mut root, String::new()),
                }
            }
        };
        insert(object, &pointer, field, line, &mut lines);
    }
    if !creation.is_empty() {
        root.insert("creationInfo".to_owned(), Value::Object(creation));
    }
    if !relationships.is_empty() {
        root.insert("relationships".to_owned(), Value::Array(relationships));
    }
    for (array, items) in sections {
        root.insert(
            array.to_owned(),
            Value::Array(items.into_iter().map(Value::Object).collect()),
        );
    }
    Ok((Value::Object(root), lines))
}

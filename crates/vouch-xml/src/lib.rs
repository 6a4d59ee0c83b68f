//! A small owned XML tree over quick-xml. The XML documents vouch reads (Maven `pom.xml`,
//! CycloneDX and SPDX XML) are read by walking elements, which is simpler and more lenient than
//! binding them to structs, and every element keeps its line for error messages.

use std::borrow::Cow;

use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::{NsReader, XmlVersion};

/// Deepest element nesting accepted; real documents stay far below it, and the limit keeps
/// hostile input from exhausting memory or the stack of recursive walkers.
pub const MAX_DEPTH: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// Local name, without prefix.
    pub name: String,
    pub namespace: Option<String>,
    /// Attributes by local name.
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    /// Concatenated character data, trimmed.
    pub text: String,
    /// 1-based line of the start tag.
    pub line: usize,
}

/// Why a document is not well-formed XML, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for XmlError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for XmlError {}

impl Element {
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The element at `self/first/second/...`, following the first child of each name.
    pub fn descend<'a>(&'a self, path: &[&str]) -> Option<&'a Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// Text of the first child called `name`, when it is not empty.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.as_str())
            .filter(|text| !text.is_empty())
    }
}

/// Counts lines incrementally so that positions can be reported without rescanning the input.
struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl LineCounter<'_> {
    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset > self.offset {
            let newlines = self
                .text
                .as_bytes()
                .get(self.offset..offset)
                .map_or(0, |bytes| bytes.iter().filter(|&&b| b == b'\n').count());
            self.line += newlines;
            self.offset = offset;
        }
        self.line
    }
}

/// Parses `text` into its root element: namespaces resolved, entity and character references
/// replaced, each element's text trimmed once complete.
pub fn parse(text: &str) -> Result<Element, XmlError> {
    // Text is trimmed per element once complete: trimming each chunk would eat the spaces
    // around entity references (`a &amp; b`).
    let mut reader = NsReader::from_str(text);
    let mut lines = LineCounter {
        text,
        offset: 0,
        line: 1,
    };
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (namespace, event) = match reader.read_resolved_event() {
            Ok((namespace, event)) => (owned_namespace(&namespace), event),
            Err(error) => {
                let message = error.to_string();
                let offset = usize::try_from(reader.error_position()).unwrap_or(usize::MAX);
                return Err(XmlError {
                    line: lines.line_at(offset),
                    message,
                });
            }
        };
        // The reader stands just after the event. A start tag may span lines; it begins at the
        // last `<` before its end, since attribute values cannot hold a raw `<`.
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        let position = match event {
            Event::Start(_) | Event::Empty(_) => text
                .get(..end)
                .and_then(|before| before.rfind('<'))
                .unwrap_or(end),
            _ => end,
        };
        let line = lines.line_at(position);
        let error = |message: String| XmlError { line, message };
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() && stack.is_empty() => {
                return Err(error(format!(
                    "second root element <{}>",
                    start.local_name().into_inner()
                )));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                stack.push(element(&start, &namespace, line).map_err(error)?);
            }
            Event::Empty(start) => {
                let element = element(&start, &namespace, line).map_err(error)?;
                attach(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                // quick-xml checks that end names match, so the stack cannot be empty here.
                if let Some(mut element) = stack.pop() {
                    element.text = element.text.trim().to_owned();
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::Text(text) => push_text(&mut stack, &text.xml10_content()),
            Event::CData(data) => push_text(&mut stack, &data.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(character)) => character.to_string(),
                    Ok(None) => resolve_predefined_entity(&reference)
                        .ok_or_else(|| error(format!("unknown entity `&{};`", &*reference)))?
                        .to_owned(),
                    Err(problem) => return Err(error(problem.to_string())),
                };
                push_text(&mut stack, &resolved);
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(error(format!(
                        "document ends inside <{}> opened on line {}",
                        open.name, open.line
                    )));
                }
                // Nothing but text, comments or declarations: the whole document is at fault,
                // which starts on line 1.
                return root.ok_or_else(|| XmlError {
                    line: 1,
                    message: "document has no root element".to_owned(),
                });
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// The namespace of an element, or the undeclared prefix it uses.
fn owned_namespace(namespace: &ResolveResult<'_>) -> Result<Option<String>, String> {
    match namespace {
        ResolveResult::Bound(namespace) => Ok(Some(namespace.0.to_owned())),
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Unknown(prefix) => Err(prefix.clone()),
    }
}

fn element(
    start: &BytesStart<'_>,
    namespace: &Result<Option<String>, String>,
    line: usize,
) -> Result<Element, String> {
    let name = start.local_name().into_inner().to_owned();
    let namespace = namespace
        .clone()
        .map_err(|prefix| format!("<{name}> uses undeclared namespace prefix `{prefix}`"))?;
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| format!("<{name}>: {error}"))?;
        let key = attribute.key.local_name().into_inner().to_owned();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|error| format!("<{name}> attribute `{key}`: {error}"))?;
        attributes.push((key, Cow::into_owned(value)));
    }
    Ok(Element {
        name,
        namespace,
        attributes,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn push_text(stack: &mut [Element], text: &str) {
    if let Some(current) = stack.last_mut() {
        current.text.push_str(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_namespaces_attributes_entities_and_lines() {
        let document = "<?xml version=\"1.0\"?>\n<bom xmlns=\"urn:example\">\n  <a key=\"x&amp;y\">one &lt; two</a>\n  <b/>\n</bom>";
        let root = parse(document).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(root.name, "bom");
        assert_eq!(root.namespace.as_deref(), Some("urn:example"));
        assert_eq!(root.line, 2);
        let a = root.child("a").unwrap_or_else(|| panic!("no <a>"));
        assert_eq!(a.attribute("key"), Some("x&y"));
        assert_eq!(a.text, "one < two");
        assert_eq!(a.line, 3);
        assert_eq!(root.child("b").map(|b| b.line), Some(4));
    }

    #[test]
    fn a_start_tag_over_several_lines_is_on_the_line_it_opens() {
        let root =
            parse("<project>\n  <dependency\n      scope=\"test\">\n  </dependency>\n</project>")
                .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(
            root.child("dependency").map(|element| element.line),
            Some(2)
        );
        assert_eq!(
            root.descend(&["dependency"])
                .and_then(|element| element.attribute("scope")),
            Some("test")
        );
    }

    #[test]
    fn rejects_mismatched_tags_with_line() {
        let error = parse("<a>\n<b>\n</a>").err();
        assert_eq!(error.map(|error| error.line), Some(3));
    }

    #[test]
    fn rejects_nesting_beyond_the_limit() {
        let document = "<a>".repeat(MAX_DEPTH + 1);
        let error = parse(&document).err().map(|error| error.message);
        assert_eq!(
            error.as_deref(),
            Some("elements nested deeper than 128 levels")
        );
    }

    #[test]
    fn rejects_unterminated_document() {
        let error = parse("<a><b></b>").err().map(|error| error.message);
        assert_eq!(
            error.as_deref(),
            Some("document ends inside <a> opened on line 1")
        );
    }
}

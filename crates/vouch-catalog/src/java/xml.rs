//! A small element tree over quick-xml, for manifests that are read by element path
//! (`project/dependencies/dependency`) rather than streamed.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Deeper nesting than any real manifest; bounds memory and the recursive drop of the tree.
const MAX_DEPTH: usize = 256;

#[derive(Debug, Default)]
pub(crate) struct Element {
    /// Local name, without any namespace prefix.
    pub(crate) name: String,
    /// Text directly inside the element, entity references resolved.
    pub(crate) text: String,
    /// Attributes by local name, values unescaped.
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) children: Vec<Element>,
    /// 1-based line of the start tag.
    pub(crate) line: usize,
}

impl Element {
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The element at `self/first/second/...`, following the first child of each name.
    pub(crate) fn descend<'a>(&'a self, path: &[&str]) -> Option<&'a Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// Trimmed text of the child `name`, if present and not blank.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.trim())
            .filter(|text| !text.is_empty())
    }
}

/// A syntax error with the line where the parser stopped.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Parses `text` into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, XmlError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(true);
    let mut lines = LineCounter::default();
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|error| XmlError {
            line: lines.line_at(
                text,
                usize::try_from(reader.error_position()).unwrap_or(usize::MAX),
            ),
            message: error.to_string(),
        })?;
        let end = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
        // A start tag may span lines; it begins at the last `<` before its end, since attribute
        // values cannot hold a raw `<`.
        let position = match event {
            Event::Start(_) | Event::Empty(_) => text
                .get(..end)
                .and_then(|before| before.rfind('<'))
                .unwrap_or(end),
            _ => end,
        };
        let line = lines.line_at(text, position);
        match event {
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(XmlError {
                        line,
                        message: format!("elements nested deeper than {MAX_DEPTH} levels"),
                    });
                }
                open.push(new_element(&start, line)?);
            }
            Event::Empty(start) => {
                attach(&mut open, &mut root, new_element(&start, line)?);
            }
            Event::End(_) => {
                if let Some(element) = open.pop() {
                    attach(&mut open, &mut root, element);
                }
            }
            Event::Text(content) => push_text(&mut open, &content.xml10_content()),
            Event::CData(content) => push_text(&mut open, &content.xml10_content()),
            Event::GeneralRef(reference) => {
                let resolved =
                    resolve_reference(&reference).map_err(|message| XmlError { line, message })?;
                push_text(&mut open, &resolved);
            }
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if let Some(unclosed) = open.last() {
        return Err(XmlError {
            line: unclosed.line,
            message: format!("element <{}> is never closed", unclosed.name),
        });
    }
    root.ok_or_else(|| XmlError {
        line: 1,
        message: "no XML element found".to_owned(),
    })
}

fn new_element(start: &BytesStart<'_>, line: usize) -> Result<Element, XmlError> {
    let error = |message: String| XmlError { line, message };
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|problem| error(problem.to_string()))?;
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|problem| error(problem.to_string()))?;
        attributes.push((
            attribute.key.local_name().as_ref().to_owned(),
            value.into_owned(),
        ));
    }
    Ok(Element {
        name: start.local_name().as_ref().to_owned(),
        attributes,
        children: Vec::new(),
        text: String::new(),
        line,
    })
}

/// Adds a finished element to its parent, or makes it the root; later top-level elements are
/// not part of the document and are dropped.
fn attach(open: &mut [Element], root: &mut Option<Element>, element: Element) {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None => {
            if root.is_none() {
                *root = Some(element);
            }
        }
    }
}

fn push_text(open: &mut [Element], text: &str) {
    if let Some(element) = open.last_mut() {
        element.text.push_str(text);
    }
}

/// The text of a character reference or predefined entity. Other entities would need the DTD,
/// which manifests never declare; they are kept verbatim.
fn resolve_reference(reference: &BytesRef<'_>) -> Result<String, String> {
    if let Some(character) = reference
        .resolve_char_ref()
        .map_err(|error| error.to_string())?
    {
        return Ok(character.to_string());
    }
    let name = reference.xml10_content();
    Ok(match name.as_ref() {
        "amp" => "&".to_owned(),
        "lt" => "<".to_owned(),
        "gt" => ">".to_owned(),
        "quot" => "\"".to_owned(),
        "apos" => "'".to_owned(),
        other => format!("&{other};"),
    })
}

/// Turns the parser's byte positions into 1-based lines, counting each byte once.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: usize,
}

impl LineCounter {
    fn line_at(&mut self, text: &str, position: usize) -> usize {
        let position = position.min(text.len());
        if position > self.offset {
            self.newlines += text.as_bytes()[self.offset..position]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count();
            self.offset = position;
        }
        self.newlines + 1
    }
}

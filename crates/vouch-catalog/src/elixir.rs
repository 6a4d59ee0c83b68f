//! Mix: `mix.lock`, an Elixir map literal.
//!
//! Each entry maps an application name to a tuple:
//! `{:hex, :package, "version", "inner checksum", [managers], [deps], "repo", "outer checksum"}`
//! (the last two are missing from locks written before Hex 0.20) or
//! `{:git, "url", "commit", [options]}`. A dependency is `{:app, "requirement", [options]}`.
//! The file is read with a small parser for the literal subset mix writes, never evaluated.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use vouch_model::{
    Component, ComponentId, Ecosystem, HashAlgorithm, Purl, Relationship, RelationshipKind, Source,
};

use crate::{Catalog, CatalogError, Cataloger, Input, LineCounter, hex_hash, line_of_offset};

pub(crate) fn catalogers() -> Vec<Box<dyn Cataloger>> {
    vec![Box::new(MixLock)]
}

/// Property holding the Hex "inner" checksum (over the package contents, not the tarball).
const INNER_CHECKSUM_PROPERTY: &str = "vouch:hex-inner-checksum";

/// Property naming the Hex repository of a package from a repository other than hexpm.
const REPOSITORY_PROPERTY: &str = "vouch:hex-repository";

/// Nesting deeper than this is no lockfile mix wrote; refusing it bounds the recursion.
const MAX_DEPTH: usize = 32;

#[derive(Debug, Clone, Copy)]
struct MixLock;

impl Cataloger for MixLock {
    fn name(&self) -> &'static str {
        "mix-lock"
    }

    fn matches(&self, file_name: &str) -> bool {
        file_name == "mix.lock"
    }

    fn catalog(&self, input: &Input<'_>) -> Result<Catalog, CatalogError> {
        let mut catalog = Catalog::default();
        let mut parser = Parser {
            text: input.contents,
            position: 0,
        };
        parser.skip_blank();
        if parser.at_end() {
            return Ok(catalog);
        }
        let entries = match parser.term(0) {
            Ok(Term::Map(entries)) => entries,
            Ok(_) => return Err(input.error(Some(1), "expected a map `%{...}`")),
            Err(error) => {
                return Err(input.error(
                    Some(line_of_offset(input.contents, error.offset)),
                    error.message,
                ));
            }
        };
        parser.skip_blank();
        if !parser.at_end() {
            return Err(input.error(
                Some(line_of_offset(input.contents, parser.position)),
                "unexpected text after the lock map",
            ));
        }

        let mut locked: Vec<(&str, ComponentId, &[Term])> = Vec::new();
        let mut ids_by_app: HashMap<&str, ComponentId> = HashMap::new();
        let mut lines = LineCounter::new(input.contents);
        for entry in &entries {
            let line = lines.line_at(entry.offset);
            let Some(app) = entry.key.text() else {
                return Err(input.error(Some(line), "lock keys must be strings or atoms"));
            };
            let Term::Tuple(fields) = &entry.value else {
                return Err(input.error(Some(line), format!("`{app}`: expected a tuple")));
            };
            let Some((component, dependencies)) =
                entry_component(input, app, fields, line, &mut catalog.warnings)?
            else {
                continue;
            };
            if ids_by_app.contains_key(app) {
                continue;
            }
            ids_by_app.insert(app, component.id.clone());
            locked.push((app, component.id.clone(), dependencies));
            catalog.components.push(component);
        }

        let mut edges = BTreeSet::new();
        for (app, from, dependencies) in &locked {
            for dependency in *dependencies {
                let Some((name, optional)) = dependency_of(dependency) else {
                    catalog.warnings.push(format!(
                        "`{app}`: skipped a dependency that is not `{{:app, requirement, options}}`"
                    ));
                    continue;
                };
                let kind = if optional {
                    RelationshipKind::OptionalDependsOn
                } else {
                    RelationshipKind::DependsOn
                };
                match ids_by_app.get(name) {
                    Some(to) => {
                        edges.insert(Relationship::new(from.clone(), kind, to.clone()));
                    }
                    // Optional dependencies the project does not use are not locked.
                    None if optional => {}
                    None => catalog
                        .warnings
                        .push(format!("`{app}` depends on `{name}`, which is not locked")),
                }
            }
        }
        catalog.relationships = edges.into_iter().collect();
        Ok(catalog)
    }
}

/// The component of one lock entry and its dependency list; `None` (with a warning) for kinds
/// of entries this reader does not know.
fn entry_component<'a>(
    input: &Input<'_>,
    app: &str,
    fields: &'a [Term],
    line: usize,
    warnings: &mut Vec<String>,
) -> Result<Option<(Component, &'a [Term])>, CatalogError> {
    let malformed = |what: &str| input.error(Some(line), format!("`{app}`: {what}"));
    match fields {
        [Term::Atom(kind), rest @ ..] if kind == "hex" => {
            let [
                Term::Atom(package),
                Term::String(version),
                Term::String(inner_checksum),
                Term::List(_managers),
                Term::List(dependencies),
                tail @ ..,
            ] = rest
            else {
                return Err(malformed(
                    "expected {:hex, :package, \"version\", \"checksum\", [managers], [deps], ...}",
                ));
            };
            let (repository, outer_checksum) = match tail {
                [] => (None, None),
                [Term::String(repository), Term::String(outer)] => {
                    (Some(repository.as_str()), Some(outer.as_str()))
                }
                _ => {
                    return Err(malformed(
                        "expected a repository and a checksum after the dependencies",
                    ));
                }
            };
            // `hexpm:org` is a private organisation on hex.pm: the purl namespace.
            let organisation = repository.and_then(|repository| repository.strip_prefix("hexpm:"));
            let purl = Purl::from_parts(
                "hex",
                organisation,
                package,
                Some(version),
                BTreeMap::new(),
                None,
            )
            .map_err(|error| malformed(&error.to_string()))?;
            let mut component = Component::package(Ecosystem::Hex, purl);
            if let Some(repository) =
                repository.filter(|repository| *repository != "hexpm" && organisation.is_none())
            {
                component
                    .properties
                    .insert(REPOSITORY_PROPERTY.to_owned(), repository.to_owned());
            }
            component
                .hashes
                .extend(outer_checksum.and_then(|outer| hex_hash(HashAlgorithm::Sha256, outer)));
            if let Some(inner) = hex_hash(HashAlgorithm::Sha256, inner_checksum) {
                component
                    .properties
                    .insert(INNER_CHECKSUM_PROPERTY.to_owned(), inner.value);
            }
            component.locations.push(input.location(Some(line)));
            Ok(Some((component, dependencies.as_slice())))
        }
        [Term::Atom(kind), rest @ ..] if kind == "git" => {
            let [Term::String(url), Term::String(commit), ..] = rest else {
                return Err(malformed("expected {:git, \"url\", \"commit\", [options]}"));
            };
            // Git dependencies carry no version: the commit identifies the code.
            let purl = Purl::new("hex", app)
                .and_then(|purl| purl.with_qualifier("vcs_url", &format!("git+{url}@{commit}")))
                .map_err(|error| malformed(&error.to_string()))?;
            let mut component = Component::package(Ecosystem::Hex, purl);
            component.source = Source::Git {
                url: url.clone(),
                reference: Some(commit.clone()),
            };
            component.locations.push(input.location(Some(line)));
            Ok(Some((component, &[])))
        }
        [Term::Atom(kind), ..] => {
            warnings.push(format!(
                "line {line}: skipped `{app}`: unknown lock entry kind `:{kind}`"
            ));
            Ok(None)
        }
        _ => Err(malformed("expected a tuple starting with :hex or :git")),
    }
}

/// `{:app, "requirement", [hex: :package, repo: "hexpm", optional: bool]}` → app and whether
/// it is optional.
fn dependency_of(term: &Term) -> Option<(&str, bool)> {
    let Term::Tuple(fields) = term else {
        return None;
    };
    let [Term::Atom(app), _requirement, Term::List(options), ..] = fields.as_slice() else {
        return None;
    };
    let optional = options.iter().any(|option| {
        matches!(option, Term::Tuple(pair)
            if matches!(pair.as_slice(), [Term::Atom(key), Term::Atom(value)]
                if key == "optional" && value == "true"))
    });
    Some((app, optional))
}

/// The Elixir literals mix writes into a lockfile.
#[derive(Debug)]
enum Term {
    Atom(String),
    String(String),
    /// A number; mix writes none a cataloger needs, so its value is not kept.
    Number,
    List(Vec<Term>),
    Tuple(Vec<Term>),
    Map(Vec<MapEntry>),
}

impl Term {
    /// The text of a string or atom.
    fn text(&self) -> Option<&str> {
        match self {
            Self::Atom(text) | Self::String(text) => Some(text),
            _ => None,
        }
    }
}

#[derive(Debug)]
struct MapEntry {
    key: Term,
    value: Term,
    /// Byte offset of the key, for line numbers.
    offset: usize,
}

struct ParseError {
    offset: usize,
    message: String,
}

struct Parser<'a> {
    text: &'a str,
    position: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.position..).unwrap_or_default()
    }

    fn at_end(&self) -> bool {
        self.position >= self.text.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn error<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            offset: self.position,
            message: message.into(),
        })
    }

    /// Skips whitespace and `#` comments.
    fn skip_blank(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.position += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                self.position += trimmed.find('\n').unwrap_or(trimmed.len());
            } else {
                return;
            }
        }
    }

    fn eat(&mut self, expected: &str) -> bool {
        if self.rest().starts_with(expected) {
            self.position += expected.len();
            true
        } else {
            false
        }
    }

    fn term(&mut self, depth: usize) -> Result<Term, ParseError> {
        if depth > MAX_DEPTH {
            return self.error("nested too deeply");
        }
        self.skip_blank();
        let Some(first) = self.peek() else {
            return self.error("unexpected end of file");
        };
        match first {
            '%' => {
                if !self.eat("%{") {
                    return self.error("expected `%{`");
                }
                self.map(depth)
            }
            '{' => {
                self.position += 1;
                self.sequence('}', depth).map(Term::Tuple)
            }
            '[' => {
                self.position += 1;
                self.sequence(']', depth).map(Term::List)
            }
            '"' => self.string().map(Term::String),
            ':' => {
                self.position += 1;
                if self.peek() == Some('"') {
                    return self.string().map(Term::Atom);
                }
                let name = self.word();
                if name.is_empty() {
                    return self.error("expected an atom name after `:`");
                }
                Ok(Term::Atom(name))
            }
            character if character.is_ascii_digit() || character == '-' => {
                self.position += character.len_utf8();
                self.word();
                Ok(Term::Number)
            }
            _ => {
                // Bare `true`, `false` and `nil` are atoms.
                let name = self.word();
                if matches!(name.as_str(), "true" | "false" | "nil") {
                    Ok(Term::Atom(name))
                } else {
                    self.error(format!("unexpected `{first}`"))
                }
            }
        }
    }

    /// Letters, digits, `_`, `.`, `?`, `!` and `@`: atom names and number bodies.
    fn word(&mut self) -> String {
        let rest = self.rest();
        let end = rest
            .find(|character: char| {
                !(character.is_alphanumeric() || matches!(character, '_' | '.' | '?' | '!' | '@'))
            })
            .unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or_default().to_owned();
        self.position += end;
        word
    }

    /// A double-quoted string, with backslash escapes kept as the escaped character.
    fn string(&mut self) -> Result<String, ParseError> {
        let start = self.position;
        self.position += 1;
        let mut value = String::new();
        let mut characters = self.rest().char_indices();
        while let Some((offset, character)) = characters.next() {
            match character {
                '"' => {
                    self.position += offset + 1;
                    return Ok(value);
                }
                '\\' => match characters.next() {
                    Some((_, 'n')) => value.push('\n'),
                    Some((_, 't')) => value.push('\t'),
                    Some((_, escaped)) => value.push(escaped),
                    None => break,
                },
                _ => value.push(character),
            }
        }
        self.position = start;
        self.error("unterminated string")
    }

    /// Comma-separated terms up to `close`; `key: value` items become two-element tuples, as in
    /// Elixir keyword lists.
    fn sequence(&mut self, close: char, depth: usize) -> Result<Vec<Term>, ParseError> {
        let mut items = Vec::new();
        loop {
            self.skip_blank();
            if self.peek() == Some(close) {
                self.position += 1;
                return Ok(items);
            }
            if let Some(key) = self.keyword_key() {
                let value = self.term(depth + 1)?;
                items.push(Term::Tuple(vec![Term::Atom(key), value]));
            } else {
                items.push(self.term(depth + 1)?);
            }
            self.skip_blank();
            if !self.eat(",") && self.peek() != Some(close) {
                return self.error(format!("expected `,` or `{close}`"));
            }
        }
    }

    /// A keyword key `name: ` or `"name": ` at the current position, consumed when present.
    fn keyword_key(&mut self) -> Option<String> {
        let start = self.position;
        let key = if self.peek() == Some('"') {
            self.string().ok()?
        } else if self
            .peek()
            .is_some_and(|character| character.is_alphabetic() || character == '_')
        {
            self.word()
        } else {
            return None;
        };
        if self.eat(":") && self.peek().is_some_and(char::is_whitespace) {
            Some(key)
        } else {
            self.position = start;
            None
        }
    }

    fn map(&mut self, depth: usize) -> Result<Term, ParseError> {
        let mut entries = Vec::new();
        loop {
            self.skip_blank();
            if self.eat("}") {
                return Ok(Term::Map(entries));
            }
            let offset = self.position;
            let key = match self.keyword_key() {
                Some(key) => Term::Atom(key),
                None => {
                    let key = self.term(depth + 1)?;
                    self.skip_blank();
                    if !self.eat("=>") {
                        return self.error("expected `=>` or `key:` in a map");
                    }
                    key
                }
            };
            let value = self.term(depth + 1)?;
            entries.push(MapEntry { key, value, offset });
            self.skip_blank();
            if !self.eat(",") && self.peek() != Some('}') {
                return self.error("expected `,` or `}`");
            }
        }
    }
}

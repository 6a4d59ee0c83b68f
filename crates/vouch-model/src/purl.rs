//! Package URLs (ECMA-427): parse, build, and print in canonical form.
//!
//! Conformance is proven by the official purl-spec test suite (tests/purl_spec.rs). The
//! `packageurl` crate (0.7.1) fails 19 of that suite's 509 cases (no brew rules, cpan rules older
//! than the current definition, required namespaces unchecked when building, upper-case qualifier
//! keys accepted by its only parser) and has no way to plug in type rules, so this module
//! implements the standard itself.

mod encoding;
mod types;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use encoding::{decode, encode};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("purl must start with `pkg:`")]
    MissingScheme,
    #[error("purl has no type")]
    MissingType,
    #[error(
        "purl type `{0}` is invalid: it must start with a letter and hold only letters, digits, `.` and `-`"
    )]
    InvalidType(String),
    #[error("purl has no name")]
    MissingName,
    #[error(
        "qualifier key `{0}` is invalid: it must start with a letter and hold only lower-case letters, digits, `.`, `-` and `_`"
    )]
    InvalidQualifierKey(String),
    #[error("qualifier `{0}` appears twice")]
    DuplicateQualifier(String),
    #[error("`{0}` is not valid percent-encoded UTF-8")]
    InvalidEncoding(String),
    #[error("{component} segment `{segment}` holds an encoded `/`")]
    SlashInSegment {
        component: &'static str,
        segment: String,
    },
    #[error("purl type `{purl_type}` requires a namespace")]
    NamespaceRequired { purl_type: String },
    #[error("purl type `{purl_type}` allows no namespace, but has `{namespace}`")]
    NamespaceProhibited {
        purl_type: String,
        namespace: String,
    },
    #[error("purl type `{purl_type}` requires the `{key}` qualifier")]
    QualifierRequired {
        purl_type: String,
        key: &'static str,
    },
    #[error("{component} `{value}` is invalid for purl type `{purl_type}`: {rule}")]
    TypeRule {
        purl_type: String,
        component: &'static str,
        value: String,
        rule: &'static str,
    },
}

/// A package URL, stored decoded and normalised by its type's rules: printing it gives the
/// canonical form, and every value prints a purl that parses back to an equal value.
///
/// Parsing with [`FromStr`] follows the standard strictly. [`Purl::parse_lenient`] also accepts
/// upper-case qualifier keys, which the standard forbids but real documents contain.
///
/// Types that require a namespace (`maven`, `golang`, ...) or a qualifier (`julia`, `swid`) must
/// be built with [`Purl::from_parts`]: [`Purl::new`] cannot make a valid purl of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Purl {
    purl_type: String,
    /// Decoded segments joined with `/` (a segment never holds `/`).
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    /// Decoded segments joined with `/` (a segment never holds `/`, nor is `.` or `..`).
    subpath: Option<String>,
}

/// How the parser treats qualifier keys that are not lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyCase {
    Reject,
    Lower,
}

impl Purl {
    /// Builds a purl from a type and a name, applying the type's normalisation rules.
    pub fn new(purl_type: &str, name: &str) -> Result<Self, PurlError> {
        Self::from_parts(purl_type, None, name, None, BTreeMap::new(), None)
    }

    /// Builds a purl from decoded components as the standard's "how to build" says: leading and
    /// trailing `/` of namespace and name are dropped, empty namespace segments, empty qualifier
    /// values and empty, `.` and `..` subpath segments are dropped, qualifier keys are
    /// lower-cased, and the type's normalisation rules are applied.
    pub fn from_parts(
        purl_type: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: BTreeMap<String, String>,
        subpath: Option<&str>,
    ) -> Result<Self, PurlError> {
        let purl_type = checked_type(purl_type)?;
        let name = name.trim_matches('/');
        if name.is_empty() {
            return Err(PurlError::MissingName);
        }
        let mut built_qualifiers = BTreeMap::new();
        for (key, value) in qualifiers {
            // `Arch` and `arch` are the same key once lower-cased: a duplicate.
            add_qualifier(&mut built_qualifiers, built_qualifier_key(&key)?, value)?;
        }
        Self {
            purl_type,
            namespace: namespace.and_then(built_namespace),
            name: name.to_owned(),
            version: version.and_then(non_empty),
            qualifiers: built_qualifiers,
            subpath: subpath.and_then(|subpath| joined_subpath(subpath.split('/'))),
        }
        .normalized()
    }

    /// Parses `text` like [`FromStr`], but lower-cases qualifier keys instead of rejecting
    /// upper-case ones (the purl-spec suite's "recommended" handling of such input).
    pub fn parse_lenient(text: &str) -> Result<Self, PurlError> {
        parse(text, KeyCase::Lower)
    }

    /// The same purl with `namespace` (decoded, `/`-separated) in place of its own.
    pub fn with_namespace(mut self, namespace: &str) -> Result<Self, PurlError> {
        self.namespace = built_namespace(namespace);
        self.normalized()
    }

    /// The same purl with `version` (decoded) in place of its own; empty means none.
    pub fn with_version(mut self, version: &str) -> Result<Self, PurlError> {
        self.version = non_empty(version);
        self.normalized()
    }

    /// The same purl with qualifier `key` set to `value` (decoded); an empty value removes it.
    pub fn with_qualifier(mut self, key: &str, value: &str) -> Result<Self, PurlError> {
        let key = built_qualifier_key(key)?;
        if value.is_empty() {
            self.qualifiers.remove(&key);
        } else {
            self.qualifiers.insert(key, value.to_owned());
        }
        self.normalized()
    }

    pub fn purl_type(&self) -> &str {
        &self.purl_type
    }

    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }

    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers.get(key).map(String::as_str)
    }

    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }

    /// The same purl without version, qualifiers and subpath (package identity). A qualifier the
    /// type requires (`julia`'s `uuid`, `swid`'s `tag_id`) identifies the package, so it stays.
    pub fn package_identity(&self) -> Self {
        let qualifiers = types::required_qualifier(&self.purl_type)
            .and_then(|key| self.qualifiers.get_key_value(key))
            .map(|(key, value)| (key.clone(), value.clone()))
            .into_iter()
            .collect();
        Self {
            purl_type: self.purl_type.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            version: None,
            qualifiers,
            subpath: None,
        }
    }

    fn normalized(mut self) -> Result<Self, PurlError> {
        types::apply(&mut self)?;
        Ok(self)
    }
}

/// The type lower-cased, or why it is not a valid type.
fn checked_type(purl_type: &str) -> Result<String, PurlError> {
    let mut characters = purl_type.chars();
    match characters.next() {
        None => Err(PurlError::MissingType),
        Some(first)
            if first.is_ascii_alphabetic()
                && characters.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') =>
        {
            Ok(purl_type.to_ascii_lowercase())
        }
        Some(_) => Err(PurlError::InvalidType(purl_type.to_owned())),
    }
}

fn checked_qualifier_key(key: String) -> Result<String, PurlError> {
    let mut characters = key.chars();
    let valid = characters.next().is_some_and(|c| c.is_ascii_lowercase())
        && characters
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if valid {
        Ok(key)
    } else {
        Err(PurlError::InvalidQualifierKey(key))
    }
}

/// Builders lower-case keys before checking them.
fn built_qualifier_key(key: &str) -> Result<String, PurlError> {
    checked_qualifier_key(key.to_ascii_lowercase())
}

fn built_namespace(namespace: &str) -> Option<String> {
    let segments: Vec<&str> = namespace
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    (!segments.is_empty()).then(|| segments.join("/"))
}

/// Joins decoded subpath segments, dropping empty, `.` and `..` ones; `None` if none is left.
fn joined_subpath<'a>(segments: impl Iterator<Item = &'a str>) -> Option<String> {
    let kept: Vec<&str> = segments
        .filter(|segment| !matches!(*segment, "" | "." | ".."))
        .collect();
    (!kept.is_empty()).then(|| kept.join("/"))
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// Decodes `/`-separated segments, each of which must not decode to a `/`.
fn decoded_segments(text: &str, component: &'static str) -> Result<Vec<String>, PurlError> {
    text.split('/')
        .map(|segment| {
            let decoded = decode(segment)?;
            if decoded.contains('/') {
                Err(PurlError::SlashInSegment {
                    component,
                    segment: segment.to_owned(),
                })
            } else {
                Ok(decoded)
            }
        })
        .collect()
}

/// Parses a purl right to left as the standard's "how to parse" says.
fn parse(text: &str, key_case: KeyCase) -> Result<Purl, PurlError> {
    let (rest, subpath) = match text.rsplit_once('#') {
        Some((rest, fragment)) => {
            let segments = decoded_segments(fragment, "subpath")?;
            (rest, joined_subpath(segments.iter().map(String::as_str)))
        }
        None => (text, None),
    };
    let (rest, qualifiers) = match rest.rsplit_once('?') {
        Some((rest, query)) => (rest, parse_qualifiers(query, key_case)?),
        None => (rest, BTreeMap::new()),
    };
    let (scheme, rest) = rest.split_once(':').ok_or(PurlError::MissingScheme)?;
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err(PurlError::MissingScheme);
    }
    // `pkg://type/...` is tolerated: slashes after the scheme are not significant.
    let rest = rest.trim_start_matches('/');
    let (purl_type, path) = rest.split_once('/').unwrap_or((rest, ""));
    let purl_type = checked_type(purl_type)?;
    let (namespace, last_segment) = path.rsplit_once('/').unwrap_or(("", path));
    // The version follows the last `@` of the last segment: an `@` further left belongs to an
    // npm scope (`@babel/core`) or to the name (`node@20@20.10.0`).
    let (name, version) = match last_segment.rsplit_once('@') {
        Some((name, version)) => (name, non_empty(&decode(version)?)),
        None => (last_segment, None),
    };
    // `pkg:swift/github.com/Alamofire/@5.4.3` has an empty name, not the name `Alamofire`.
    if name.is_empty() {
        return Err(PurlError::MissingName);
    }
    let namespace_segments: Vec<String> = decoded_segments(namespace, "namespace")?
        .into_iter()
        .filter(|segment| !segment.is_empty())
        .collect();
    Purl {
        purl_type,
        namespace: (!namespace_segments.is_empty()).then(|| namespace_segments.join("/")),
        name: decode(name)?,
        version,
        qualifiers,
        subpath,
    }
    .normalized()
}

fn parse_qualifiers(query: &str, key_case: KeyCase) -> Result<BTreeMap<String, String>, PurlError> {
    let mut qualifiers = BTreeMap::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = checked_qualifier_key(match key_case {
            KeyCase::Reject => key.to_owned(),
            KeyCase::Lower => key.to_ascii_lowercase(),
        })?;
        add_qualifier(&mut qualifiers, key, decode(value)?)?;
    }
    Ok(qualifiers)
}

/// Adds a checked qualifier: an empty value is the same as no qualifier, and a key may only
/// appear once.
fn add_qualifier(
    qualifiers: &mut BTreeMap<String, String>,
    key: String,
    value: String,
) -> Result<(), PurlError> {
    if value.is_empty() {
        return Ok(());
    }
    if qualifiers.contains_key(&key) {
        return Err(PurlError::DuplicateQualifier(key));
    }
    qualifiers.insert(key, value);
    Ok(())
}

impl FromStr for Purl {
    type Err = PurlError;

    /// Parses a purl as ECMA-427 says; see [`Purl::parse_lenient`] for the tolerant variant.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        parse(text, KeyCase::Reject)
    }
}

impl fmt::Display for Purl {
    /// The canonical form.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "pkg:{}/", self.purl_type)?;
        if let Some(namespace) = &self.namespace {
            for segment in namespace.split('/') {
                write!(formatter, "{}/", encode(segment))?;
            }
        }
        write!(formatter, "{}", encode(&self.name))?;
        if let Some(version) = &self.version {
            write!(formatter, "@{}", encode(version))?;
        }
        // The standard sorts the `key=value` strings, which differs from sorting keys when one
        // key is a prefix of another: `a.b=1` comes before `a=2` because `.` sorts before `=`.
        let mut qualifiers: Vec<(&String, &String)> = self.qualifiers.iter().collect();
        qualifiers.sort_by(|(left, _), (right, _)| {
            left.bytes().chain([b'=']).cmp(right.bytes().chain([b'=']))
        });
        let mut separator = '?';
        for (key, value) in qualifiers {
            write!(formatter, "{separator}{key}={}", encode(value))?;
            separator = '&';
        }
        if let Some(subpath) = &self.subpath {
            let mut separator = '#';
            for segment in subpath.split('/') {
                write!(formatter, "{separator}{}", encode(segment))?;
                separator = '/';
            }
        }
        Ok(())
    }
}

impl Serialize for Purl {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Purl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests;

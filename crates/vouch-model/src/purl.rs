//! Package URLs (ECMA-427): parse, build, and print in canonical form.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Characters left unencoded in canonical purls: `A-Z a-z 0-9 . - _ ~` and `:`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

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
        "qualifier key `{0}` is invalid: it must start with a letter and hold only letters, digits, `.`, `-` and `_`"
    )]
    InvalidQualifierKey(String),
    #[error("qualifier `{0}` appears twice")]
    DuplicateQualifier(String),
    #[error("`{0}` is not valid percent-encoded UTF-8")]
    InvalidEncoding(String),
    #[error("purl type `{purl_type}` {problem}")]
    TypeRule {
        purl_type: String,
        problem: &'static str,
    },
}

/// A package URL, stored normalised: printing it gives the canonical form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Purl {
    purl_type: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
}

impl Purl {
    /// Builds a purl from decoded parts, applying the type's normalisation rules.
    pub fn new(purl_type: &str, name: &str) -> Result<Self, PurlError> {
        Self::from_parts(purl_type, None, name, None, BTreeMap::new(), None)
    }

    pub fn from_parts(
        purl_type: &str,
        namespace: Option<&str>,
        name: &str,
        version: Option<&str>,
        qualifiers: BTreeMap<String, String>,
        subpath: Option<&str>,
    ) -> Result<Self, PurlError> {
        validate_type(purl_type)?;
        let purl_type = purl_type.to_ascii_lowercase();
        let namespace = namespace
            .map(|namespace| {
                namespace
                    .split('/')
                    .filter(|segment| !segment.is_empty())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|namespace| !namespace.is_empty());
        let name = name.trim_matches('/').to_owned();
        if name.is_empty() {
            return Err(PurlError::MissingName);
        }
        let mut normalized_qualifiers = BTreeMap::new();
        for (key, value) in qualifiers {
            validate_qualifier_key(&key)?;
            if !value.is_empty() {
                normalized_qualifiers.insert(key.to_ascii_lowercase(), value);
            }
        }
        let subpath = subpath
            .map(|subpath| {
                subpath
                    .split('/')
                    .filter(|segment| !segment.is_empty() && *segment != "." && *segment != "..")
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .filter(|subpath| !subpath.is_empty());
        let mut purl = Self {
            purl_type,
            namespace,
            name,
            version: version
                .filter(|version| !version.is_empty())
                .map(str::to_owned),
            qualifiers: normalized_qualifiers,
            subpath,
        };
        purl.apply_type_rules()?;
        Ok(purl)
    }

    pub fn with_namespace(mut self, namespace: &str) -> Result<Self, PurlError> {
        self.namespace = Some(namespace.to_owned());
        Self::from_parts(
            &self.purl_type,
            self.namespace.as_deref(),
            &self.name,
            self.version.as_deref(),
            self.qualifiers,
            self.subpath.as_deref(),
        )
    }

    pub fn with_version(mut self, version: &str) -> Result<Self, PurlError> {
        self.version = Some(version.to_owned());
        Self::from_parts(
            &self.purl_type,
            self.namespace.as_deref(),
            &self.name,
            self.version.as_deref(),
            self.qualifiers,
            self.subpath.as_deref(),
        )
    }

    pub fn with_qualifier(mut self, key: &str, value: &str) -> Result<Self, PurlError> {
        self.qualifiers.insert(key.to_owned(), value.to_owned());
        Self::from_parts(
            &self.purl_type,
            self.namespace.as_deref(),
            &self.name,
            self.version.as_deref(),
            self.qualifiers,
            self.subpath.as_deref(),
        )
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

    /// The same purl without version, qualifiers and subpath (package identity).
    pub fn package_identity(&self) -> Self {
        Self {
            purl_type: self.purl_type.clone(),
            namespace: self.namespace.clone(),
            name: self.name.clone(),
            version: None,
            qualifiers: BTreeMap::new(),
            subpath: None,
        }
    }

    fn apply_type_rules(&mut self) -> Result<(), PurlError> {
        let lower_namespace = |purl: &mut Self| {
            purl.namespace = purl.namespace.take().map(|n| n.to_ascii_lowercase());
        };
        match self.purl_type.as_str() {
            "pypi" => {
                self.name = self.name.to_ascii_lowercase().replace('_', "-");
            }
            "github" | "bitbucket" | "composer" | "hex" => {
                lower_namespace(self);
                self.name = self.name.to_ascii_lowercase();
            }
            "deb" | "alpm" | "apk" => {
                lower_namespace(self);
                self.name = self.name.to_ascii_lowercase();
            }
            "rpm" => lower_namespace(self),
            _ => {}
        }
        Ok(())
    }
}

fn validate_type(purl_type: &str) -> Result<(), PurlError> {
    let mut chars = purl_type.chars();
    match chars.next() {
        None => Err(PurlError::MissingType),
        Some(first) if first.is_ascii_alphabetic() => {
            if chars.all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
                Ok(())
            } else {
                Err(PurlError::InvalidType(purl_type.to_owned()))
            }
        }
        Some(_) => Err(PurlError::InvalidType(purl_type.to_owned())),
    }
}

fn validate_qualifier_key(key: &str) -> Result<(), PurlError> {
    let mut chars = key.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if valid {
        Ok(())
    } else {
        Err(PurlError::InvalidQualifierKey(key.to_owned()))
    }
}

fn decode(text: &str) -> Result<String, PurlError> {
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| PurlError::InvalidEncoding(text.to_owned()))
}

fn encode(text: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(text, COMPONENT)
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (rest, subpath) = match text.rsplit_once('#') {
            Some((rest, subpath)) => (rest, Some(decode(subpath)?)),
            None => (text, None),
        };
        let (rest, qualifier_text) = match rest.rsplit_once('?') {
            Some((rest, qualifiers)) => (rest, Some(qualifiers)),
            None => (rest, None),
        };
        let mut qualifiers = BTreeMap::new();
        for pair in qualifier_text.into_iter().flat_map(|q| q.split('&')) {
            if pair.is_empty() {
                continue;
            }
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let key = key.to_ascii_lowercase();
            validate_qualifier_key(&key)?;
            if qualifiers.insert(key.clone(), decode(value)?).is_some() {
                return Err(PurlError::DuplicateQualifier(key));
            }
        }
        let (scheme, rest) = rest.split_once(':').ok_or(PurlError::MissingScheme)?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(PurlError::MissingScheme);
        }
        let rest = rest.trim_start_matches('/');
        let (purl_type, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
        let rest = rest.trim_end_matches('/');
        let (rest, version) = match rest.rsplit_once('@') {
            Some((rest, version)) => (rest, Some(decode(version)?)),
            None => (rest, None),
        };
        let (namespace, name) = match rest.rsplit_once('/') {
            Some((namespace, name)) => {
                let segments = namespace
                    .split('/')
                    .filter(|segment| !segment.is_empty())
                    .map(decode)
                    .collect::<Result<Vec<_>, _>>()?;
                (Some(segments.join("/")), decode(name)?)
            }
            None => (None, decode(rest)?),
        };
        Self::from_parts(
            purl_type,
            namespace.as_deref(),
            &name,
            version.as_deref(),
            qualifiers,
            subpath.as_deref(),
        )
    }
}

impl fmt::Display for Purl {
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
        let mut separator = '?';
        for (key, value) in &self.qualifiers {
            write!(formatter, "{separator}{key}={}", encode(value))?;
            separator = '&';
        }
        if let Some(subpath) = &self.subpath {
            formatter.write_str("#")?;
            for (index, segment) in subpath.split('/').enumerate() {
                if index > 0 {
                    formatter.write_str("/")?;
                }
                write!(formatter, "{}", encode(segment))?;
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

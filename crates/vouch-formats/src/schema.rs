//! Validation of JSON documents against the official CycloneDX and SPDX schemas, bundled into
//! the binary (see `schemas/README.md` for their origin) so that validation never touches the
//! network.

use std::fmt;
use std::sync::OnceLock;

use jsonschema::{Registry, Validator};
use serde_json::Value;

/// An official JSON schema bundled with vouch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Schema {
    CycloneDx12,
    CycloneDx13,
    CycloneDx14,
    CycloneDx15,
    CycloneDx16,
    /// SPDX 2.3 as patched for 2.3.1. SPDX 2.2 documents validate against it too: 2.3 only
    /// added optional fields, and 2.3.1 accepts 2.2's `PACKAGE_MANAGER` spelling.
    Spdx23,
    /// SPDX 3.0.1 JSON-LD.
    Spdx30,
}

impl Schema {
    pub const ALL: [Schema; 7] = [
        Self::CycloneDx12,
        Self::CycloneDx13,
        Self::CycloneDx14,
        Self::CycloneDx15,
        Self::CycloneDx16,
        Self::Spdx23,
        Self::Spdx30,
    ];

    /// The CycloneDX schema of a `specVersion` (`"1.6"`), if one is bundled.
    pub fn cyclonedx(spec_version: &str) -> Option<Self> {
        Some(match spec_version {
            "1.2" => Self::CycloneDx12,
            "1.3" => Self::CycloneDx13,
            "1.4" => Self::CycloneDx14,
            "1.5" => Self::CycloneDx15,
            "1.6" => Self::CycloneDx16,
            _ => return None,
        })
    }

    fn text(self) -> &'static str {
        match self {
            Self::CycloneDx12 => include_str!("../schemas/cyclonedx/bom-1.2.schema.json"),
            Self::CycloneDx13 => include_str!("../schemas/cyclonedx/bom-1.3.schema.json"),
            Self::CycloneDx14 => include_str!("../schemas/cyclonedx/bom-1.4.schema.json"),
            Self::CycloneDx15 => include_str!("../schemas/cyclonedx/bom-1.5.schema.json"),
            Self::CycloneDx16 => include_str!("../schemas/cyclonedx/bom-1.6.schema.json"),
            Self::Spdx23 => include_str!("../schemas/spdx/2.3/spdx-schema.json"),
            Self::Spdx30 => include_str!("../schemas/spdx/3.0.1/spdx-json-schema.json"),
        }
    }

    fn compiled(self) -> &'static OnceLock<Result<Validator, String>> {
        static COMPILED: [OnceLock<Result<Validator, String>>; Schema::ALL.len()] =
            [const { OnceLock::new() }; Schema::ALL.len()];
        &COMPILED[self as usize]
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            Self::CycloneDx12 => "CycloneDX 1.2",
            Self::CycloneDx13 => "CycloneDX 1.3",
            Self::CycloneDx14 => "CycloneDX 1.4",
            Self::CycloneDx15 => "CycloneDX 1.5",
            Self::CycloneDx16 => "CycloneDX 1.6",
            Self::Spdx23 => "SPDX 2.3",
            Self::Spdx30 => "SPDX 3.0.1",
        })
    }
}

/// One way a document breaks its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer (RFC 6901) of the offending value; empty for the document itself.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(formatter, "{pointer}: {}", self.message)
    }
}

/// Every violation of `schema` in `document`, in the order the validator reports them; empty
/// when the document is valid. Formats (`date-time`, `iri-reference`, ...) are checked too.
pub fn validate_json(document: &Value, schema: Schema) -> Vec<Violation> {
    match schema.compiled().get_or_init(|| compile(schema)) {
        Ok(validator) => validator
            .iter_errors(document)
            .map(|error| {
                // Objects and arrays would be printed whole; the pointer already says where.
                let message = match error.instance().as_ref() {
                    Value::Object(_) | Value::Array(_) => {
                        error.masked_with("the value").to_string()
                    }
                    _ => error.to_string(),
                };
                Violation {
                    pointer: error.instance_path().to_string(),
                    message,
                }
            })
            .collect(),
        // The bundled schemas compile (a unit test proves it); should that ever break, fail
        // closed rather than call every document valid.
        Err(problem) => vec![Violation {
            pointer: String::new(),
            message: format!("cannot check against the bundled {schema} schema: {problem}"),
        }],
    }
}

fn compile(schema: Schema) -> Result<Validator, String> {
    let contents: Value = serde_json::from_str(schema.text()).map_err(|error| error.to_string())?;
    let registry = registry()?;
    jsonschema::options()
        .offline()
        .with_registry(registry)
        .should_validate_formats(true)
        .build(&contents)
        .map_err(|error| error.to_string())
}

/// The schemas the CycloneDX schemas refer to by relative `$ref`, under the URIs those
/// references resolve to.
fn registry() -> Result<&'static Registry<'static>, String> {
    static REGISTRY: OnceLock<Result<Registry<'static>, String>> = OnceLock::new();
    REGISTRY
        .get_or_init(|| {
            let referenced = [
                (
                    "http://cyclonedx.org/schema/spdx.schema.json",
                    include_str!("../schemas/cyclonedx/spdx.schema.json"),
                ),
                (
                    "http://cyclonedx.org/schema/jsf-0.82.schema.json",
                    include_str!("../schemas/cyclonedx/jsf-0.82.schema.json"),
                ),
            ];
            let mut builder = Registry::new();
            for (uri, text) in referenced {
                let contents: Value =
                    serde_json::from_str(text).map_err(|error| format!("{uri}: {error}"))?;
                builder = builder
                    .add(uri, contents)
                    .map_err(|error| format!("{uri}: {error}"))?;
            }
            builder.prepare().map_err(|error| error.to_string())
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn every_bundled_schema_compiles_offline() {
        for schema in Schema::ALL {
            if let Err(problem) = schema.compiled().get_or_init(|| compile(schema)) {
                panic!("{schema}: {problem}");
            }
        }
    }

    #[test]
    fn minimal_cyclonedx_documents_are_valid() {
        for schema in &Schema::ALL[..5] {
            let version = schema.to_string().replace("CycloneDX ", "");
            let document = json!({"bomFormat": "CycloneDX", "specVersion": version, "version": 1});
            assert_eq!(validate_json(&document, *schema), vec![], "{schema}");
        }
    }

    #[test]
    fn cyclonedx_licence_id_resolves_to_the_bundled_spdx_enumeration() {
        let document = |id: &str| {
            json!({
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "components": [{"type": "library", "name": "a", "licenses": [{"license": {"id": id}}]}]
            })
        };
        assert_eq!(
            validate_json(&document("Apache-2.0"), Schema::CycloneDx16),
            vec![]
        );
        // The id's enumeration lives in the referenced spdx.schema.json; the failure surfaces
        // at the `licenses` choice (licence list or expression) that no branch satisfied.
        let violations = validate_json(&document("Not-A-Licence"), Schema::CycloneDx16);
        assert_eq!(
            violations
                .iter()
                .map(|violation| violation.pointer.as_str())
                .collect::<Vec<_>>(),
            ["/components/0/licenses"]
        );
    }

    #[test]
    fn cyclonedx_formats_are_checked() {
        let document = json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "metadata": {"timestamp": "yesterday"}
        });
        let violations = validate_json(&document, Schema::CycloneDx16);
        assert_eq!(
            violations,
            vec![Violation {
                pointer: "/metadata/timestamp".into(),
                message: r#""yesterday" is not a "date-time""#.into(),
            }]
        );
    }

    #[test]
    fn spdx23_reports_the_offending_package_field() {
        let document = json!({
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "example",
            "documentNamespace": "https://example.com/example-1",
            "creationInfo": {"created": "2026-01-02T03:04:05Z", "creators": ["Tool: vouch-0.1.0"]},
            "packages": [{
                "SPDXID": "SPDXRef-a",
                "name": "a",
                "downloadLocation": "NOASSERTION",
                "checksums": [{"algorithm": "SHA-256", "checksumValue": "00"}]
            }]
        });
        let violations = validate_json(&document, Schema::Spdx23);
        assert_eq!(violations.len(), 1, "{violations:?}");
        assert_eq!(violations[0].pointer, "/packages/0/checksums/0/algorithm");
    }

    #[test]
    fn spdx30_requires_the_context() {
        let violations = validate_json(&json!({"@graph": []}), Schema::Spdx30);
        assert!(
            violations
                .iter()
                .any(|violation| violation.message.contains("@context")),
            "{violations:?}"
        );
    }

    /// The CycloneDX project's own test documents for 1.2 to 1.6: every `valid-*.json` passes
    /// and every `invalid-*.json` fails.
    #[test]
    fn cyclonedx_conformance_documents() {
        let Some(root) = vouch_test_support::data_path("cyclonedx-specification/test-resources")
        else {
            return;
        };
        let mut valid = 0;
        let mut invalid = 0;
        for schema in &Schema::ALL[..5] {
            let version = schema.to_string().replace("CycloneDX ", "");
            let entries = std::fs::read_dir(root.join(&version))
                .unwrap_or_else(|error| panic!("{version}: {error}"));
            for path in entries.flatten().map(|entry| entry.path()) {
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if !name.ends_with(".json") {
                    continue;
                }
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                let document: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
                let violations = validate_json(&document, *schema);
                if name.starts_with("valid-") {
                    assert_eq!(violations, vec![], "{}", path.display());
                    valid += 1;
                } else if name.starts_with("invalid-") {
                    assert_ne!(violations, vec![], "{}", path.display());
                    invalid += 1;
                }
            }
        }
        assert_eq!((valid, invalid), (124, 97));
    }

    #[test]
    fn spdx_specification_examples_are_valid() {
        for (example, schema) in [
            (
                "spdx-spec-examples/v2.3/examples/SPDXJSONExample-v2.3.spdx.json",
                Schema::Spdx23,
            ),
            (
                "spdx-spec-examples/v2.2/examples/SPDXJSONExample-v2.2.spdx.json",
                Schema::Spdx23,
            ),
            (
                "spdx-spec-examples/v3.0/examples/jsonld/package_sbom.json",
                Schema::Spdx30,
            ),
        ] {
            let Some(path) = vouch_test_support::data_path(example) else {
                return;
            };
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let document: Value = serde_json::from_str(&text)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            assert_eq!(validate_json(&document, schema), vec![], "{example}");
        }
    }

    #[test]
    fn cyclonedx_spec_versions_map_to_schemas() {
        assert_eq!(Schema::cyclonedx("1.6"), Some(Schema::CycloneDx16));
        assert_eq!(Schema::cyclonedx("1.2"), Some(Schema::CycloneDx12));
        assert_eq!(Schema::cyclonedx("1.7"), None);
    }
}

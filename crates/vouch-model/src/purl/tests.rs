use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

fn parsed(text: &str) -> Purl {
    match text.parse() {
        Ok(purl) => purl,
        Err(error) => panic!("`{text}` should parse: {error}"),
    }
}

#[test]
fn builder_methods_normalise_like_from_parts() {
    let purl = Purl::new("PyPI", "Django_Allauth")
        .and_then(|purl| purl.with_version("0.61.1"))
        .and_then(|purl| purl.with_qualifier("File_Name", "django_allauth-0.61.1.tar.gz"));
    assert_eq!(
        purl.map(|purl| purl.to_string()),
        Ok("pkg:pypi/django-allauth@0.61.1?file_name=django_allauth-0.61.1.tar.gz".to_owned())
    );
}

#[test]
fn with_namespace_drops_empty_segments() {
    let purl = Purl::new("generic", "context")
        .and_then(|purl| purl.with_namespace("/github.com//gorilla/"))
        .map(|purl| purl.to_string());
    assert_eq!(
        purl,
        Ok("pkg:generic/github.com/gorilla/context".to_owned())
    );
}

#[test]
fn new_rejects_a_type_that_requires_a_namespace() {
    assert_eq!(
        Purl::new("golang", "context"),
        Err(PurlError::NamespaceRequired {
            purl_type: "golang".to_owned()
        })
    );
}

#[test]
fn with_qualifier_with_an_empty_value_removes_the_qualifier() {
    let purl = parsed("pkg:deb/debian/curl@7.50.3-1?arch=i386&distro=jessie")
        .with_qualifier("distro", "")
        .map(|purl| purl.to_string());
    assert_eq!(
        purl,
        Ok("pkg:deb/debian/curl@7.50.3-1?arch=i386".to_owned())
    );
}

#[test]
fn qualifiers_print_in_key_value_string_order() {
    // `.` (0x2E) sorts before `=` (0x3D), so `a.b=…` precedes `a=…` although `a` < `a.b`.
    let purl = parsed("pkg:generic/x?a=1&a.b=2&a-c=3&b=4");
    assert_eq!(purl.to_string(), "pkg:generic/x?a-c=3&a.b=2&a=1&b=4");
}

#[test]
fn strict_parsing_rejects_upper_case_qualifier_keys_and_lenient_parsing_lowers_them() {
    let text = "pkg:rpm/fedora/curl@7.50.3-1.fc25?Arch=i386";
    assert_eq!(
        text.parse::<Purl>(),
        Err(PurlError::InvalidQualifierKey("Arch".to_owned()))
    );
    assert_eq!(
        Purl::parse_lenient(text).map(|purl| purl.to_string()),
        Ok("pkg:rpm/fedora/curl@7.50.3-1.fc25?arch=i386".to_owned())
    );
}

#[test]
fn from_parts_rejects_keys_that_collide_once_lower_cased() {
    let qualifiers = BTreeMap::from([
        ("Arch".to_owned(), "i386".to_owned()),
        ("arch".to_owned(), "amd64".to_owned()),
    ]);
    assert_eq!(
        Purl::from_parts("rpm", Some("fedora"), "curl", None, qualifiers, None),
        Err(PurlError::DuplicateQualifier("arch".to_owned()))
    );
}

#[test]
fn parsing_rejects_duplicate_qualifiers() {
    assert_eq!(
        "pkg:generic/x?arch=1&arch=2".parse::<Purl>(),
        Err(PurlError::DuplicateQualifier("arch".to_owned()))
    );
}

#[test]
fn parsing_rejects_an_encoded_slash_inside_a_namespace_or_subpath_segment() {
    assert_eq!(
        "pkg:generic/a%2Fb/x".parse::<Purl>(),
        Err(PurlError::SlashInSegment {
            component: "namespace",
            segment: "a%2Fb".to_owned()
        })
    );
    assert_eq!(
        "pkg:generic/x#src/a%2fb".parse::<Purl>(),
        Err(PurlError::SlashInSegment {
            component: "subpath",
            segment: "a%2fb".to_owned()
        })
    );
}

#[test]
fn parsing_reports_a_missing_or_wrong_scheme() {
    assert_eq!(
        "npm/left-pad".parse::<Purl>(),
        Err(PurlError::MissingScheme)
    );
    assert_eq!(
        "purl:npm/left-pad".parse::<Purl>(),
        Err(PurlError::MissingScheme)
    );
}

#[test]
fn subpath_drops_dot_segments_after_decoding() {
    let purl = parsed("pkg:generic/x#a/%2E/%2e%2E/b");
    assert_eq!(purl.subpath(), Some("a/b"));
}

#[test]
fn names_may_hold_an_encoded_slash() {
    let purl = parsed("pkg:generic/a%2Fb");
    assert_eq!(purl.name(), "a/b");
    assert_eq!(purl.to_string(), "pkg:generic/a%2Fb");
}

#[test]
fn type_rules_report_what_is_wrong() {
    assert_eq!(
        "pkg:cargo/rust-lang/rand".parse::<Purl>(),
        Err(PurlError::NamespaceProhibited {
            purl_type: "cargo".to_owned(),
            namespace: "rust-lang".to_owned()
        })
    );
    assert_eq!(
        "pkg:julia/Dates".parse::<Purl>(),
        Err(PurlError::QualifierRequired {
            purl_type: "julia".to_owned(),
            key: "uuid"
        })
    );
    assert_eq!(
        "pkg:cpan/URI::PackageURL".parse::<Purl>(),
        Err(PurlError::TypeRule {
            purl_type: "cpan".to_owned(),
            component: "name",
            value: "URI::PackageURL".to_owned(),
            rule: "a distribution name has no `::` (that is a module name)"
        })
    );
}

#[test]
fn package_identity_drops_version_qualifiers_and_subpath_but_keeps_a_required_qualifier() {
    let maven = parsed("pkg:maven/org.apache/batik@1.9?type=pom#docs");
    assert_eq!(
        maven.package_identity().to_string(),
        "pkg:maven/org.apache/batik"
    );
    let julia = parsed("pkg:julia/Dates@1.9.0?repository_url=x&uuid=ade2ca70");
    assert_eq!(
        julia.package_identity().to_string(),
        "pkg:julia/Dates?uuid=ade2ca70"
    );
}

#[test]
fn serde_uses_the_canonical_string() {
    let purl = parsed("pkg:NPM/%40angular/core@17.0.0");
    let json = serde_json::to_string(&purl).ok();
    assert_eq!(json.as_deref(), Some("\"pkg:npm/%40angular/core@17.0.0\""));
    let back: Result<Purl, _> = serde_json::from_str("\"pkg:npm/%40angular/core@17.0.0\"");
    assert_eq!(back.ok(), Some(purl));
}

/// Types with their own rules, plus some that follow the generic ones.
const TYPES: &[&str] = &[
    "generic",
    "npm",
    "pypi",
    "maven",
    "golang",
    "cargo",
    "deb",
    "rpm",
    "github",
    "pub",
    "cpan",
    "mlflow",
    "huggingface",
    "oci",
    "otp",
    "julia",
    "swid",
    "brew",
    "x-made.up",
];

/// Segments and values drawn from characters that exercise encoding and case rules.
fn text() -> impl Strategy<Value = String> {
    // Includes the Kelvin sign, whose lower case is the ASCII `k`.
    "[a-zA-Z0-9._~:/@?#&=%+ é€ΣİßK\\x{212A}-]{0,12}"
}

fn qualifier_keys() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map("[a-zA-Z][a-zA-Z0-9._-]{0,6}", text(), 0..4)
}

proptest! {
    #[test]
    fn parsing_any_string_returns_instead_of_panicking(text in "\\PC*") {
        let _ = text.parse::<Purl>();
        let _ = Purl::parse_lenient(&text);
    }

    #[test]
    fn parsed_purl_shaped_strings_reprint_to_a_string_that_parses_back_equal(
        text in "(?i:pkg):/{0,2}[a-z.-]{0,8}(/[a-zA-Z0-9%@.:_-]{0,8}){0,4}(\\?[a-zA-Z=&%0-9_]{0,16})?(#[a-z/.%]{0,8})?",
    ) {
        if let Ok(purl) = text.parse::<Purl>() {
            prop_assert_eq!(purl.to_string().parse::<Purl>(), Ok(purl));
        }
    }

    #[test]
    fn purls_built_from_parts_round_trip_through_their_canonical_form(
        purl_type in prop::sample::select(TYPES),
        namespace in prop::option::of(text()),
        name in text(),
        version in prop::option::of(text()),
        qualifiers in qualifier_keys(),
        subpath in prop::option::of(text()),
    ) {
        let built = Purl::from_parts(
            purl_type,
            namespace.as_deref(),
            &name,
            version.as_deref(),
            qualifiers,
            subpath.as_deref(),
        );
        let Ok(purl) = built else {
            return Err(TestCaseError::reject("the parts break the type's rules"));
        };
        let printed = purl.to_string();
        prop_assert_eq!(printed.parse::<Purl>(), Ok(purl.clone()), "{}", printed);
        prop_assert_eq!(Purl::parse_lenient(&printed), Ok(purl));
    }
}

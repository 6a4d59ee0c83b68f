//! `Ecosystem` names (OSV and purl type) and `Bom::normalize`.

use serde_json::Value;
use vouch_model::{
    Bom, Component, ComponentId, ComponentKind, Ecosystem, Location, Relationship, RelationshipKind,
};

/// Every named ecosystem with its OSV ecosystem name (OSV schema, "ecosystems" list) and the
/// purl type of its packages (purl-spec types; `githubactions` is not registered there, but is
/// the type GitHub's dependency graph and OSV tooling use).
const ECOSYSTEMS: [(Ecosystem, &str, &str); 20] = [
    (Ecosystem::Cargo, "crates.io", "cargo"),
    (Ecosystem::Npm, "npm", "npm"),
    (Ecosystem::PyPI, "PyPI", "pypi"),
    (Ecosystem::Go, "Go", "golang"),
    (Ecosystem::RubyGems, "RubyGems", "gem"),
    (Ecosystem::Packagist, "Packagist", "composer"),
    (Ecosystem::Hex, "Hex", "hex"),
    (Ecosystem::Maven, "Maven", "maven"),
    (Ecosystem::NuGet, "NuGet", "nuget"),
    (Ecosystem::Pub, "Pub", "pub"),
    (Ecosystem::Cran, "CRAN", "cran"),
    (Ecosystem::ConanCenter, "ConanCenter", "conan"),
    (Ecosystem::SwiftURL, "SwiftURL", "swift"),
    (Ecosystem::CocoaPods, "CocoaPods", "cocoapods"),
    (Ecosystem::Hackage, "Hackage", "hackage"),
    (Ecosystem::Julia, "Julia", "julia"),
    (Ecosystem::Debian, "Debian", "deb"),
    (Ecosystem::Alpine, "Alpine", "apk"),
    (Ecosystem::RedHat, "Red Hat", "rpm"),
    (Ecosystem::GitHubActions, "GitHub Actions", "githubactions"),
];

#[test]
fn named_ecosystems_have_their_osv_name_and_purl_type() {
    for (ecosystem, osv_name, purl_type) in ECOSYSTEMS {
        assert_eq!(ecosystem.osv_name(), osv_name);
        assert_eq!(ecosystem.to_string(), osv_name);
        assert_eq!(ecosystem.purl_type(), purl_type, "{osv_name}");
    }
}

#[test]
fn named_ecosystems_round_trip_through_their_purl_type() {
    for (ecosystem, _, purl_type) in ECOSYSTEMS {
        assert_eq!(Ecosystem::from_purl_type(purl_type), Some(ecosystem));
    }
}

#[test]
fn named_ecosystems_serialize_as_their_osv_name_and_read_back() {
    for (ecosystem, osv_name, _) in ECOSYSTEMS {
        let json = serde_json::to_value(&ecosystem).ok();
        assert_eq!(json, Some(Value::String(osv_name.to_owned())));
        let back: Option<Ecosystem> = serde_json::from_value(Value::from(osv_name)).ok();
        assert_eq!(back, Some(ecosystem));
    }
}

#[test]
fn other_ecosystems_keep_their_name_and_use_the_generic_purl_type() {
    let other = Ecosystem::Other("Bitnami".to_owned());
    assert_eq!(other.osv_name(), "Bitnami");
    assert_eq!(other.purl_type(), "generic");
    let back: Option<Ecosystem> = serde_json::from_value(Value::from("Bitnami")).ok();
    assert_eq!(back, Some(other));
}

#[test]
fn purl_types_without_an_ecosystem_map_to_none() {
    for purl_type in ["generic", "oci", "docker", "Cargo", ""] {
        assert_eq!(Ecosystem::from_purl_type(purl_type), None, "{purl_type:?}");
    }
}

fn component(id: &str, path: &str) -> Component {
    let mut component = Component::new(ComponentKind::Library, id, Some("1.0.0".to_owned()));
    component.id = ComponentId::new(id);
    component.locations = vec![Location {
        path: path.to_owned(),
        line: None,
    }];
    component
}

fn depends_on(from: &str, to: &str) -> Relationship {
    Relationship::new(
        ComponentId::new(from),
        RelationshipKind::DependsOn,
        ComponentId::new(to),
    )
}

#[test]
fn normalize_sorts_components_by_id_and_drops_exact_duplicates() {
    let mut bom = Bom {
        components: vec![
            component("pkg:npm/b@1.0.0", "package-lock.json"),
            component("pkg:npm/a@1.0.0", "package-lock.json"),
            component("pkg:npm/b@1.0.0", "package-lock.json"),
            component("pkg:npm/c@1.0.0", "package-lock.json"),
        ],
        ..Bom::default()
    };
    bom.normalize();
    let ids: Vec<&str> = bom
        .components
        .iter()
        .map(|component| component.id.as_str())
        .collect();
    assert_eq!(
        ids,
        ["pkg:npm/a@1.0.0", "pkg:npm/b@1.0.0", "pkg:npm/c@1.0.0"]
    );
}

#[test]
fn normalize_keeps_distinct_components_that_share_an_id_in_input_order() {
    let mut bom = Bom {
        components: vec![
            component("pkg:npm/a@1.0.0", "web/package-lock.json"),
            component("pkg:npm/a@1.0.0", "api/package-lock.json"),
        ],
        ..Bom::default()
    };
    bom.normalize();
    let paths: Vec<&str> = bom
        .components
        .iter()
        .map(|component| component.locations[0].path.as_str())
        .collect();
    assert_eq!(paths, ["web/package-lock.json", "api/package-lock.json"]);
}

#[test]
fn normalize_drops_an_exact_duplicate_separated_by_a_same_id_variant() {
    let mut bom = Bom {
        components: vec![
            component("pkg:npm/a@1.0.0", "web/package-lock.json"),
            component("pkg:npm/a@1.0.0", "api/package-lock.json"),
            component("pkg:npm/a@1.0.0", "web/package-lock.json"),
        ],
        ..Bom::default()
    };
    bom.normalize();
    let paths: Vec<&str> = bom
        .components
        .iter()
        .map(|component| component.locations[0].path.as_str())
        .collect();
    assert_eq!(paths, ["web/package-lock.json", "api/package-lock.json"]);
}

#[test]
fn normalize_sorts_relationships_and_drops_duplicates() {
    let mut bom = Bom {
        relationships: vec![
            depends_on("b", "c"),
            depends_on("a", "c"),
            Relationship::new(
                ComponentId::new("a"),
                RelationshipKind::DevDependsOn,
                ComponentId::new("b"),
            ),
            depends_on("a", "b"),
            depends_on("b", "c"),
        ],
        ..Bom::default()
    };
    bom.normalize();
    assert_eq!(
        bom.relationships,
        [
            depends_on("a", "b"),
            depends_on("a", "c"),
            Relationship::new(
                ComponentId::new("a"),
                RelationshipKind::DevDependsOn,
                ComponentId::new("b"),
            ),
            depends_on("b", "c"),
        ]
    );
}

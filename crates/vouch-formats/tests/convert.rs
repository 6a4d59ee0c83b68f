//! Round trips through vouch's own writers and readers, and `convert` between formats.

use std::collections::BTreeMap;

use vouch_formats::{Format, FormatFamily, SbomType, WriteOptions, convert, read, validate, write};
use vouch_model::{
    Bom, Component, ComponentKind, Ecosystem, Hash, HashAlgorithm, Location, Metadata, Purl,
    Relationship, RelationshipKind, Scope, Source,
};

fn options() -> WriteOptions {
    WriteOptions {
        created: "2026-01-02T03:04:05Z".into(),
        document_id: "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
            .parse()
            .unwrap_or_default(),
        document_name: "demo".into(),
        sbom_type: SbomType::Source,
        tool_name: "vouch".into(),
        tool_version: "0.1.0".into(),
    }
}

fn package(purl: &str) -> Component {
    let purl: Purl = purl
        .parse()
        .unwrap_or_else(|error| panic!("{purl}: {error}"));
    let ecosystem = Ecosystem::from_purl_type(purl.purl_type())
        .unwrap_or_else(|| panic!("{purl}: unknown ecosystem"));
    Component::package(ecosystem, purl)
}

fn edge(from: &Component, kind: RelationshipKind, to: &Component) -> Relationship {
    Relationship::new(from.id.clone(), kind, to.id.clone())
}

/// What every format carries: purl'd packages with group, version, hashes, one licence,
/// supplier, description, download URL and locations, under a subject.
fn portable_bom() -> Bom {
    let mut subject = package("pkg:npm/demo@1.0.0");
    subject.kind = ComponentKind::Application;
    subject.licenses = vec!["Apache-2.0".into()];

    let mut core = package("pkg:npm/%40babel/core@7.24.0");
    core.hashes = vec![Hash::new(
        HashAlgorithm::Sha512,
        "1f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c1f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c1f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c1f1a0b1c2d3e4f5a6b7c8d9e0f1a2b3c",
    )];
    core.licenses = vec!["MIT".into()];
    core.supplier = Some("Babel".into());
    core.description = Some("Babel compiler core.".into());
    core.download_url = Some("https://registry.npmjs.org/@babel/core/-/core-7.24.0.tgz".into());
    core.locations = vec![Location {
        path: "package-lock.json".into(),
        line: Some(12),
    }];

    let mut serde = package("pkg:cargo/serde@1.0.210");
    serde.hashes = vec![
        Hash::new(
            HashAlgorithm::Sha1,
            "85ed0817af83a24ad8da68c2b5094de69833983c",
        ),
        Hash::new(
            HashAlgorithm::Sha256,
            "c8e3592472072e6e22e0a54d5904d9febf8508f65fb8552499a1abc7d1078c3a",
        ),
    ];
    serde.licenses = vec!["MIT OR Apache-2.0".into()];
    serde.locations = vec![
        Location {
            path: "Cargo.lock".into(),
            line: Some(40),
        },
        Location {
            path: "crates/a/Cargo.toml".into(),
            line: None,
        },
    ];

    let mut slf4j = package("pkg:maven/org.slf4j/slf4j-api@2.0.13");
    slf4j.hashes = vec![Hash::new(
        HashAlgorithm::Md5,
        "624c1abb3664f4b35547e7c73864ad24",
    )];

    let jest = package("pkg:npm/jest@29.7.0");
    let cc = package("pkg:cargo/cc@1.1.0");
    let react = package("pkg:npm/react@18.3.1");
    let mut image = package("pkg:npm/bundle@1.0.0");
    image.kind = ComponentKind::Application;

    let relationships = vec![
        edge(&subject, RelationshipKind::DependsOn, &core),
        edge(&subject, RelationshipKind::DependsOn, &serde),
        edge(&subject, RelationshipKind::DevDependsOn, &jest),
        edge(&subject, RelationshipKind::OptionalDependsOn, &slf4j),
        edge(&subject, RelationshipKind::PeerDependsOn, &react),
        edge(&serde, RelationshipKind::BuildDependsOn, &cc),
        edge(&image, RelationshipKind::Contains, &react),
        edge(&subject, RelationshipKind::DependsOn, &image),
    ];
    let mut bom = Bom {
        metadata: Metadata {
            subject: Some(subject),
            ..Metadata::default()
        },
        components: vec![core, serde, slf4j, jest, cc, react, image],
        relationships,
    };
    bom.normalize();
    bom
}

/// Writes `bom` as `format`, checks the document against its schema, and reads it back.
fn round_trip(bom: &Bom, format: Format) -> Bom {
    let bytes = write(bom, format, &options()).unwrap_or_else(|error| panic!("{error}"));
    let report = validate(&bytes, format.as_str()).unwrap_or_else(|error| panic!("{error}"));
    assert!(report.is_valid(), "{format}:\n{report}");
    let outcome = read(&bytes, format.as_str()).unwrap_or_else(|error| panic!("{error}"));
    let mut read_back = outcome.bom;
    read_back.normalize();
    read_back
}

fn assert_same_components_and_relationships(expected: &Bom, actual: &Bom, format: Format) {
    assert_eq!(
        actual.metadata.subject, expected.metadata.subject,
        "{format}: subject"
    );
    for (expected, actual) in expected.components.iter().zip(&actual.components) {
        assert_eq!(actual, expected, "{format}");
    }
    assert_eq!(
        actual.components.len(),
        expected.components.len(),
        "{format}"
    );
    assert_eq!(actual.relationships, expected.relationships, "{format}");
}

#[test]
fn spdx_formats_round_trip_components_relationships_hashes_and_licences() {
    let bom = portable_bom();
    for format in [Format::SpdxJson, Format::SpdxTagValue, Format::Spdx3Json] {
        let read_back = round_trip(&bom, format);
        assert_same_components_and_relationships(&bom, &read_back, format);
    }
}

/// CycloneDX carries every model field (vouch: properties fill the gaps), but only one kind of
/// dependency edge: every `*-depends-on` comes back as `depends-on`.
#[test]
fn cyclonedx_round_trips_every_component_field() {
    let mut bom = portable_bom();
    let mut local = Component::new(ComponentKind::Library, "local-lib", Some("0.1.0".into()));
    local.source = Source::Path {
        path: "../local-lib".into(),
    };
    local.ecosystem = Some(Ecosystem::Cargo);
    local.scope = Scope::Dev;
    local.direct = Some(false);
    local.properties = BTreeMap::from([("cargo:features".to_owned(), "std".to_owned())]);
    let mut forked = package("pkg:cargo/forked@0.3.0");
    forked.source = Source::Git {
        url: "https://github.com/acme/forked".into(),
        reference: Some("a1b2c3d".into()),
    };
    forked.scope = Scope::Build;
    forked.direct = Some(true);
    let mut tarball = package("pkg:npm/tarball@1.0.0");
    tarball.source = Source::Url {
        url: "https://example.com/tarball-1.0.0.tgz".into(),
    };
    tarball.scope = Scope::Optional;
    let mut mirrored = package("pkg:pypi/requests@2.32.3");
    mirrored.source = Source::Registry {
        url: Some("https://mirror.example.com/simple".into()),
    };
    mirrored.scope = Scope::Peer;
    let subject = bom
        .metadata
        .subject
        .clone()
        .unwrap_or_else(|| panic!("no subject"));
    for component in [&local, &forked, &tarball, &mirrored] {
        bom.relationships
            .push(edge(&subject, RelationshipKind::DependsOn, component));
    }
    bom.components.extend([local, forked, tarball, mirrored]);
    bom.normalize();

    let mut expected = bom.clone();
    for relationship in &mut expected.relationships {
        if relationship.kind != RelationshipKind::Contains {
            relationship.kind = RelationshipKind::DependsOn;
        }
    }
    expected.relationships.sort();
    expected.relationships.dedup();
    for format in [Format::CycloneDxJson, Format::CycloneDxXml] {
        let read_back = round_trip(&bom, format);
        assert_same_components_and_relationships(&expected, &read_back, format);
    }
}

#[test]
fn convert_reads_one_format_and_writes_another() {
    let bom = portable_bom();
    let spdx = write(&bom, Format::SpdxTagValue, &options()).unwrap_or_else(|e| panic!("{e}"));
    let (cyclonedx, outcome) = convert(&spdx, "demo.spdx", Format::CycloneDxJson, &options())
        .unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(outcome.format.family, FormatFamily::Spdx2);
    let converted = read(&cyclonedx, "demo.cdx.json").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(converted.format.family, FormatFamily::CycloneDx);
    assert_eq!(converted.format.version, "1.6");
    let mut converted = converted.bom;
    converted.normalize();
    let mut expected = outcome.bom;
    expected.normalize();
    assert_eq!(converted.components, expected.components);
    assert_eq!(converted.metadata.subject, expected.metadata.subject);
}

#[test]
fn convert_reports_unreadable_input_with_its_origin() {
    let error = convert(b"not an sbom", "notes.txt", Format::SpdxJson, &options())
        .err()
        .map(|error| error.to_string());
    assert_eq!(
        error.as_deref(),
        Some("notes.txt: not an SBOM: expected a JSON or YAML object, XML, or SPDX tag-value")
    );
}

//! pom.xml and gradle.lockfile catalogers against the osv-scalibr and osv-scanner fixtures.

mod common;

use common::{PurlScopeDirect, catalog_fixture as run, edges, purl_scope_direct as packages};
use vouch_catalog::{Catalog, CatalogError::Parse};
use vouch_model::{ComponentKind, RelationshipKind, Scope, Source};

const POMS: &str = "osv-scalibr-testdata/extractor/filesystem/language/java/pomxml/testdata";
const REMEDIATION: &str = "osv-scalibr-testdata/guidedremediation/internal/manifest/maven/testdata";
const GRADLE: &str =
    "osv-scalibr-testdata/extractor/filesystem/language/java/gradlelockfile/testdata";

fn direct(purl: &str, scope: Scope) -> PurlScopeDirect<'_> {
    (purl, scope, Some(true))
}

fn project(purl: &str) -> PurlScopeDirect<'_> {
    (purl, Scope::Required, None)
}

#[test]
fn pom_with_local_parent_inherits_dependencies_and_managed_versions() {
    let Some(result) = run(&format!("{POMS}/with-parent.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            project("pkg:maven/com.mycompany.app/my-app@1.0"),
            direct("pkg:maven/org.alice/alice@1.0.0", Scope::Required),
            direct("pkg:maven/org.bob/bob@2.0.0", Scope::Required),
            direct("pkg:maven/org.chuck/chuck@3.0.0", Scope::Required),
            direct("pkg:maven/org.dave/dave@4.0.0", Scope::Required),
            direct("pkg:maven/org.frank/frank", Scope::Required),
        ]
    );
    let root = &catalog.components[0];
    assert_eq!(root.kind, ComponentKind::Application);
    assert_eq!(root.source, Source::Workspace);
    assert_eq!(edges(&catalog).len(), 5);
    assert!(edges(&catalog).iter().all(|(from, kind, _)| from
        == "pkg:maven/com.mycompany.app/my-app@1.0"
        && *kind == RelationshipKind::DependsOn));
    // dave is declared by the parent, at line 15 of parent/pom.xml.
    let dave = catalog
        .components
        .iter()
        .find(|component| component.name == "dave")
        .expect("dave is inherited");
    assert_eq!(dave.locations[0].path, format!("{POMS}/parent/pom.xml"));
    assert_eq!(dave.locations[0].line, Some(15));
    let alice = catalog
        .components
        .iter()
        .find(|component| component.name == "alice")
        .expect("alice");
    assert_eq!(alice.locations[0].line, Some(18));
    assert_eq!(
        catalog.warnings,
        [
            format!(
                "{POMS}/parent/pom.xml:8: parent org.upstream:parent-pom:1.0 not found at {POMS}/pom.xml; its dependencies and properties are not known"
            ),
            format!(
                "{POMS}/with-parent.xml:45: imported BOM org.import:import:1.2.3 is not in this tree; the versions it manages are not known"
            ),
            format!(
                "{POMS}/with-parent.xml:32: org.frank:frank has no version in the POM, its local parents or their dependency management"
            ),
        ]
    );
}

#[test]
fn pom_interpolates_properties_and_keeps_ranges_out_of_versions() {
    let Some(result) = run(&format!("{POMS}/interpolation.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            project("pkg:maven/io.library/my-library@1.0-SNAPSHOT"),
            direct("pkg:maven/org.mine/my.package@2.3.4", Scope::Required),
            direct("pkg:maven/org.mine/mypackage@1.0.0", Scope::Required),
            direct("pkg:maven/org.mine/ranged-package", Scope::Required),
        ]
    );
    let ranged = catalog
        .components
        .iter()
        .find(|component| component.name == "ranged-package")
        .expect("ranged package");
    assert_eq!(ranged.version, None);
    assert_eq!(
        ranged
            .properties
            .get("maven:version-range")
            .map(String::as_str),
        Some("[9.4.35.v20201120,9.5)")
    );
    assert!(catalog.warnings.is_empty(), "{:?}", catalog.warnings);
}

#[test]
fn pom_scopes_map_to_dev_and_required() {
    let Some(result) = run(&format!("{POMS}/with-scope.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            direct("pkg:maven/abc/xyz@1.2.3", Scope::Required),
            direct("pkg:maven/junit/junit@4.12", Scope::Dev),
        ]
    );
    // No coordinates of its own: no project component and so no edges.
    assert!(catalog.relationships.is_empty());
}

#[test]
fn pom_type_and_classifier_become_qualifiers_except_the_default_jar() {
    let Some(result) = run(&format!("{POMS}/with-type-classifier.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [direct(
            "pkg:maven/abc/xyz@1.0.0?classifier=sources&type=pom",
            Scope::Required
        )]
    );
    let Some(result) = run(&format!("{POMS}/explicit-jar.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [
            direct("pkg:maven/com.example/my-lib@1.0.0", Scope::Required),
            direct(
                "pkg:maven/com.example/my-lib@1.0.0?type=pom",
                Scope::Required
            ),
            direct("pkg:maven/org.different/my-lib@1.0.0", Scope::Required),
        ]
    );
}

#[test]
fn pom_managed_version_does_not_override_an_explicit_one() {
    let Some(result) = run(&format!("{POMS}/with-dependency-management.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [
            direct("pkg:maven/io.netty/netty-all@4.1.9", Scope::Required),
            direct("pkg:maven/org.slf4j/slf4j-log4j12@1.7.25", Scope::Required),
        ]
    );
}

#[test]
fn pom_duplicate_declaration_keeps_the_last_and_warns() {
    let Some(result) = run(&format!("{POMS}/multi-version.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [direct("pkg:maven/abc/example.com@1.1.1", Scope::Required)]
    );
    assert_eq!(
        catalog.warnings,
        [format!(
            "{POMS}/multi-version.xml:13: abc:example.com is declared twice; the last declaration is used"
        )]
    );
}

#[test]
fn pom_drops_dependencies_without_group_and_merges_identical_ones() {
    let Some(result) = run(&format!("{POMS}/interpolate-drop.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [direct(
            "pkg:maven/com.example/actual-artifact@1.0.0",
            Scope::Required
        )]
    );
    assert_eq!(
        catalog.warnings,
        [format!(
            "{POMS}/interpolate-drop.xml:8: dependency without groupId or artifactId is skipped"
        )]
    );
    let Some(result) = run(&format!("{POMS}/ambiguous-interpolation.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [direct(
            "pkg:maven/com.example/common-lib@1.0.0",
            Scope::Required
        )]
    );
}

#[test]
fn pom_reads_active_profiles_and_ignores_plugin_dependencies() {
    let Some(result) = run(&format!("{POMS}/profiles.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [direct(
            "pkg:maven/org.profile/profile-dep@1.2.3",
            Scope::Required
        )]
    );
    let Some(result) = run(&format!("{POMS}/plugin-dependency.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            direct("pkg:maven/com.example/hijack-lib@1.0.0", Scope::Required),
            project("pkg:maven/com.example/test-app@1.0.0"),
        ]
    );
    assert_eq!(catalog.components[1].locations[0].line, Some(27));
}

#[test]
fn pom_without_dependencies_is_only_the_project() {
    for fixture in ["empty.xml", "encoding.xml"] {
        let Some(result) = run(&format!("{POMS}/{fixture}"), "pom.xml") else {
            return;
        };
        let catalog = result.expect("parses");
        let expected_dependencies = usize::from(fixture == "encoding.xml");
        assert_eq!(
            catalog.components.len(),
            1 + expected_dependencies,
            "{fixture}"
        );
        assert_eq!(catalog.components[0].kind, ComponentKind::Application);
    }
}

#[test]
fn pom_invalid_inputs_are_rejected_with_their_line() {
    let Some(result) = run(&format!("{POMS}/not-pom.txt"), "pom.xml") else {
        return;
    };
    let error = result.expect_err("plain text is not a POM");
    assert!(matches!(error, Parse { line: Some(1), .. }), "{error}");
    let Some(result) = run(&format!("{POMS}/invalid-syntax.xml"), "pom.xml") else {
        return;
    };
    // `<${Id}.version>` is not an XML name, yet the element closes; the dependency stands.
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [direct(
            "pkg:maven/io.netty/netty-all@4.1.42.Final",
            Scope::Required
        )]
    );
}

#[test]
fn pom_hierarchy_with_grandparent_and_mismatched_great_grandparent() {
    let Some(result) = run(&format!("{REMEDIATION}/my-app/pom.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            project("pkg:maven/com.mycompany.app/my-app@1.0"),
            direct("pkg:maven/junit/junit@4.12", Scope::Dev),
            // `<optional/>` is empty text, which Maven reads as false.
            direct("pkg:maven/org.example/abc@1.0.1", Scope::Required),
            direct("pkg:maven/org.example/ddd@1.2.3", Scope::Required),
            direct("pkg:maven/org.example/exclusions@1.0.0", Scope::Required),
            direct("pkg:maven/org.example/no-version@2.0.0", Scope::Required),
            direct("pkg:maven/org.profile/abc@1.2.3", Scope::Required),
            direct("pkg:maven/org.profile/def@2.3.4", Scope::Required),
        ]
    );
    assert!(edges(&catalog).contains(&(
        "pkg:maven/com.mycompany.app/my-app@1.0".to_owned(),
        RelationshipKind::DevDependsOn,
        "pkg:maven/junit/junit@4.12".to_owned()
    )));
    assert_eq!(
        catalog.warnings,
        [
            format!(
                "{REMEDIATION}/parent/grandparent/pom.xml:17: parent org.upstream:parent-pom:1.2.3: {REMEDIATION}/parent/grandparent/mismatch.xml is org.upstream:wrong-parent, not the declared parent; it is ignored"
            ),
            format!(
                "{REMEDIATION}/my-app/pom.xml:106: profile `profile-two` is not active by default; its dependencies are not included"
            ),
            format!(
                "{REMEDIATION}/my-app/pom.xml:74: imported BOM org.import:import:1.0.0 is not in this tree; the versions it manages are not known"
            ),
        ]
    );
}

#[test]
fn pom_osv_scanner_transitive_fixture_lists_the_declared_dependency() {
    let directory = "osv-scanner-testdata/cmd/osv-scanner/scan/source/testdata/maven-transitive";
    let Some(result) = run(&format!("{directory}/pom.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    // The project is located at its `<project>` element, after the XML declaration.
    assert_eq!(catalog.components[0].locations[0].line, Some(3));
    assert_eq!(
        packages(&catalog),
        [
            project("pkg:maven/com.mycompany.app/my-app@1.0.0"),
            direct(
                "pkg:maven/org.apache.logging.log4j/log4j-web@2.14.1",
                Scope::Required
            ),
        ]
    );
}

#[test]
fn pom_imports_a_bom_module_of_the_same_tree_and_reports_unresolvable_properties() {
    let files = common::MemoryFiles::from([(
        "../platform-bom/pom.xml",
        "<project><groupId>org.acme</groupId><artifactId>platform-bom</artifactId>
         <version>7</version><properties><jackson>2.17.1</jackson></properties>
         <dependencyManagement><dependencies>
           <dependency><groupId>com.fasterxml.jackson.core</groupId>
             <artifactId>jackson-databind</artifactId><version>${jackson}</version></dependency>
         </dependencies></dependencyManagement></project>",
    )]);
    let contents = "<project>
  <groupId>org.acme</groupId><artifactId>service</artifactId><version>1</version>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.acme</groupId><artifactId>platform-bom</artifactId>
      <version>${project.version}</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>com.fasterxml.jackson.core</groupId><artifactId>jackson-databind</artifactId></dependency>
    <dependency><groupId>javax.servlet</groupId><artifactId>servlet-api</artifactId>
      <version>2.5</version><scope>provided</scope></dependency>
    <dependency><groupId>org.home</groupId><artifactId>home</artifactId><version>${env.HOME}</version></dependency>
    <dependency><groupId>org.opt</groupId><artifactId>extra</artifactId><version>1</version><optional>true</optional></dependency>
  </dependencies>
</project>";
    let catalog = common::catalog_text_with("service/pom.xml", contents, &files).expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            direct(
                "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.17.1",
                Scope::Required
            ),
            direct("pkg:maven/javax.servlet/servlet-api@2.5", Scope::Peer),
            project("pkg:maven/org.acme/service@1"),
            direct("pkg:maven/org.home/home", Scope::Required),
            direct("pkg:maven/org.opt/extra@1", Scope::Optional),
        ]
    );
    assert!(edges(&catalog).contains(&(
        "pkg:maven/org.acme/service@1".to_owned(),
        RelationshipKind::OptionalDependsOn,
        "pkg:maven/org.opt/extra@1".to_owned()
    )));
    assert!(edges(&catalog).contains(&(
        "pkg:maven/org.acme/service@1".to_owned(),
        RelationshipKind::PeerDependsOn,
        "pkg:maven/javax.servlet/servlet-api@2.5".to_owned()
    )));
    assert_eq!(
        catalog.warnings,
        [
            "service/pom.xml:11: <version>${env.HOME}</version>: property `env.HOME` is not defined in the POM or its local parents",
            "service/pom.xml:11: org.home:home has no version in the POM, its local parents or their dependency management",
        ]
    );
}

#[test]
fn gradle_lockfile_lists_modules_with_configurations() {
    let Some(result) = run(&format!("{GRADLE}/5-pkg"), "gradle.lockfile") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            (
                "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4",
                Scope::Required,
                None
            ),
            (
                "pkg:maven/org.springframework.boot/spring-boot-configuration-processor@2.7.5",
                Scope::Required,
                None
            ),
            (
                "pkg:maven/org.springframework.boot/spring-boot-devtools@2.7.6",
                Scope::Required,
                None
            ),
            (
                "pkg:maven/org.springframework.boot/spring-boot-starter-aop@2.7.7",
                Scope::Required,
                None
            ),
            (
                "pkg:maven/org.springframework.boot/spring-boot-starter-data-jpa@2.7.8",
                Scope::Required,
                None
            ),
        ]
    );
    assert_eq!(catalog.components[0].locations[0].line, Some(5));
    assert!(catalog.warnings.is_empty());
}

#[test]
fn gradle_lockfile_test_only_and_buildscript_modules_are_not_required() {
    let files = vouch_catalog::NoFiles;
    let contents = "junit:junit:4.13.2=testCompileClasspath,testRuntimeClasspath
com.google.dagger:dagger-compiler:2.51=annotationProcessor
com.google.guava:guava:33.0-jre=compileClasspath,testCompileClasspath
empty=
";
    let scopes: Vec<_> = common::catalog_text_with("app/gradle.lockfile", contents, &files)
        .expect("parses")
        .components
        .iter()
        .map(|component| (component.name.clone(), component.scope))
        .collect();
    assert_eq!(
        scopes,
        [
            ("junit".to_owned(), Scope::Dev),
            ("dagger-compiler".to_owned(), Scope::Build),
            ("guava".to_owned(), Scope::Required),
        ]
    );
    let catalog = common::catalog_text_with(
        "buildscript-gradle.lockfile",
        "com.android.tools.build:gradle:8.2.0=classpath\n",
        &files,
    )
    .expect("parses");
    assert_eq!(catalog.components[0].scope, Scope::Build);
}

#[test]
fn gradle_lockfile_bad_lines_are_warnings_and_empty_files_are_empty() {
    let Some(result) = run(&format!("{GRADLE}/with-bad-pkg"), "gradle.lockfile") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(catalog.components.len(), 2);
    assert_eq!(
        catalog.warnings,
        [
            format!(
                "{GRADLE}/with-bad-pkg:3: not a `group:artifact:version=configurations` line: `>>>`"
            ),
            format!(
                "{GRADLE}/with-bad-pkg:4: not a `group:artifact:version=configurations` line: `////`"
            ),
            format!(
                "{GRADLE}/with-bad-pkg:9: not a `group:artifact:version=configurations` line: `a`"
            ),
            format!(
                "{GRADLE}/with-bad-pkg:10: not a `group:artifact:version=configurations` line: `b`"
            ),
        ]
    );
    for fixture in ["only-comments", "only-empty"] {
        let Some(result) = run(&format!("{GRADLE}/{fixture}"), "gradle.lockfile") else {
            return;
        };
        assert_eq!(result.expect("parses"), Catalog::default(), "{fixture}");
    }
    let Some(result) = run(&format!("{GRADLE}/one-pkg"), "gradle.lockfile") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [(
            "pkg:maven/org.springframework.security/spring-security-crypto@5.7.3",
            Scope::Required,
            None
        )]
    );
}

#[test]
fn pom_classifier_variants_of_one_artifact_are_distinct_packages() {
    let Some(result) = run(&format!("{POMS}/with-multiple-classifiers.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [
            direct("pkg:maven/com.example/my-lib@1.0.0", Scope::Required),
            direct(
                "pkg:maven/com.example/my-lib@1.0.0?classifier=sources",
                Scope::Required
            ),
        ]
    );
}

#[test]
fn pom_managed_only_artifacts_are_not_dependencies() {
    let Some(result) = run(&format!("{POMS}/transitive.xml"), "pom.xml") else {
        return;
    };
    let catalog = result.expect("parses");
    assert_eq!(
        packages(&catalog),
        [
            project("pkg:maven/com.mycompany.app/my-app@1.0"),
            direct("pkg:maven/org.direct/alice@1.0.0", Scope::Required),
            direct("pkg:maven/org.direct/bob@2.0.0", Scope::Required),
            direct("pkg:maven/org.direct/chris@3.0.0", Scope::Required),
        ]
    );
    let Some(result) = run(&format!("{POMS}/two-packages.xml"), "pom.xml") else {
        return;
    };
    assert_eq!(
        packages(&result.expect("parses")),
        [
            direct("pkg:maven/io.netty/netty-all@4.1.42.Final", Scope::Required),
            direct("pkg:maven/org.slf4j/slf4j-log4j12@1.7.25", Scope::Required),
        ]
    );
}

#[test]
fn pom_cataloger_claims_only_pom_xml() {
    let cataloger = common::cataloger("pom.xml");
    assert_eq!(cataloger.name(), "pom-xml");
    assert!(!cataloger.matches("guava-33.0.0-jre.pom"));
    assert!(!cataloger.matches("settings.xml"));
}

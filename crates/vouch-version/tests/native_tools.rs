//! Differential tests against each ecosystem's own implementation.
//!
//! Each test draws a few hundred random version pairs with proptest, sends them all through one
//! run of the native tool, and asserts the same answer for every pair: `-1`, `0`, `1`, or
//! `invalid` when the version is refused. A test is skipped with a notice when its tool is absent
//! (and fails instead under `VOUCH_REQUIRE_EXTERNAL=1`).
//!
//! - Debian: `dpkg` (`dpkg --compare-versions`).
//! - PyPI: `python3` with the `packaging` distribution (`pip install packaging`); 26.0 or later
//!   for specifier sets.
//! - npm: `node` with the npm package `semver`, installed anywhere with
//!   `npm install --prefix DIR semver` and found through `VOUCH_NPM_SEMVER_DIR=DIR`.
//! - RubyGems: `ruby` (`Gem::Version` ships with it).
//! - RPM: `rpm` (its embedded Lua's `rpm.vercmp`).
//! - Packagist: `php` (the command-line interpreter, for `version_compare`).
#![allow(clippy::print_stderr)]

#[path = "common/legacy_pypi.rs"]
mod legacy_pypi;

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prop_oneof;
use proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use vouch_version::Scheme;
use vouch_version::requirement::{Requirement, RequirementSyntax};

use legacy_pypi::LEGACY_PYPI_VERSIONS;

const PAIRS: usize = 400;

/// Random pairs from `version`. Unrelated versions rarely meet at the interesting boundaries,
/// so most pairs are related: the same version twice, a version and itself followed by an
/// `extension` (`1.0` against `1.0~rc1`, `1.0.post1`, `1.0^git1`), or two extensions of one
/// version (`1.0-dev` against `1.0-foo`).
fn draw_pairs(
    version: BoxedStrategy<String>,
    extension: BoxedStrategy<String>,
) -> Vec<(String, String)> {
    let pair = prop_oneof![
        2 => (version.clone(), version.clone()),
        1 => version.clone().prop_map(|same| (same.clone(), same)),
        2 => (version.clone(), extension.clone())
            .prop_map(|(base, extension)| (base.clone(), format!("{base}{extension}"))),
        2 => (version.clone(), extension.clone())
            .prop_map(|(base, extension)| (format!("{base}{extension}"), base)),
        3 => (version, extension.clone(), extension).prop_map(|(base, left, right)| {
            (format!("{base}{left}"), format!("{base}{right}"))
        }),
    ];
    let mut runner = TestRunner::default();
    proptest::collection::vec(pair, PAIRS)
        .new_tree(&mut runner)
        .unwrap_or_else(|error| panic!("drawing version pairs: {error}"))
        .current()
}

fn regex(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern)
        .unwrap_or_else(|error| panic!("version pattern {pattern}: {error}"))
        .boxed()
}

/// Runs `program` once with one tab-separated pair per line on standard input, and returns one
/// answer per non-empty line of its output.
fn native_answers(program: &str, args: &[&str], pairs: &[(String, String)]) -> Vec<String> {
    let input: String = pairs
        .iter()
        .map(|(left, right)| format!("{left}\t{right}\n"))
        .collect();
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| panic!("starting {program}: {error}"));
    let mut stdin = child
        .stdin
        .take()
        .unwrap_or_else(|| panic!("{program} has no standard input"));
    // Written from another thread so that a full output pipe cannot block the writer.
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .unwrap_or_else(|error| panic!("running {program}: {error}"));
    writer
        .join()
        .unwrap_or_else(|_| panic!("writing to {program} panicked"))
        .unwrap_or_else(|error| panic!("writing to {program}: {error}"));
    assert!(
        output.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        // `rpm --eval` ends with the (empty) expansion of the macro itself.
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

fn our_answer(scheme: Scheme, left: &str, right: &str) -> String {
    match (scheme.parse(left), scheme.parse(right)) {
        (Ok(left), Ok(right)) => match left.try_cmp(&right) {
            Ok(ordering) => (ordering as i8).to_string(),
            Err(error) => format!("error: {error}"),
        },
        _ => "invalid".to_owned(),
    }
}

/// Asserts that `scheme` answers every pair as the native tool did, printing each disagreement.
fn assert_agreement(scheme: Scheme, tool: &str, pairs: &[(String, String)], native: &[String]) {
    assert_same_answers(tool, pairs, native, &["-1", "0", "1"], |left, right| {
        our_answer(scheme, left, right)
    });
}

/// Asserts that `ours` answers every pair as the native tool did, printing each disagreement,
/// and that the tool gave each of the `expected` answers at least once.
fn assert_same_answers(
    tool: &str,
    pairs: &[(String, String)],
    native: &[String],
    expected: &[&str],
    ours: impl Fn(&str, &str) -> String,
) {
    assert_eq!(
        native.len(),
        pairs.len(),
        "{tool} answered {} of {} pairs",
        native.len(),
        pairs.len()
    );
    // Guards against a generator (or a tool) that only yields refusals or a single answer.
    for answer in expected {
        assert!(
            native.iter().any(|theirs| theirs == answer),
            "{tool} never answered {answer}; the input generator needs fixing"
        );
    }
    let disagreements: Vec<String> = pairs
        .iter()
        .zip(native)
        .filter_map(|((left, right), theirs)| {
            let ours = ours(left, right);
            (ours != *theirs)
                .then(|| format!("{left:?} vs {right:?}: {tool} says {theirs}, we say {ours}"))
        })
        .collect();
    for disagreement in &disagreements {
        eprintln!("{disagreement}");
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} pairs disagree with {tool}",
        disagreements.len(),
        pairs.len()
    );
}

#[test]
fn debian_order_matches_dpkg() {
    if !vouch_test_support::external_tool("dpkg", &["--version"]) {
        return;
    }
    // Only versions dpkg accepts without a warning; this crate refuses the rest.
    let pairs = draw_pairs(
        regex("([0-9]{1,2}:)?[0-9][0-9a-zA-Z.+~]{0,6}(-[0-9a-zA-Z.+~]{1,4})?"),
        regex("[.+~]?[0-9a-z~]{1,2}"),
    );
    // `dpkg --compare-versions` answers through its exit status, one pair per run.
    let script = r#"
        while IFS="$(printf '\t')" read -r left right; do
            if dpkg --compare-versions "$left" lt "$right"; then echo -1
            elif dpkg --compare-versions "$left" eq "$right"; then echo 0
            else echo 1
            fi
        done
    "#;
    let native = native_answers("sh", &["-c", script], &pairs);
    assert_agreement(Scheme::Debian, "dpkg", &pairs, &native);
}

const PACKAGING_SCRIPT: &str = r#"
import sys
from packaging.version import InvalidVersion, Version
for line in sys.stdin:
    left, right = line.rstrip("\n").split("\t")
    try:
        left, right = Version(left), Version(right)
    except InvalidVersion:
        print("invalid")
        continue
    print((left > right) - (left < right))
"#;

#[test]
fn pypi_order_matches_packaging() {
    if !vouch_test_support::external_tool("python3", &["-c", "import packaging.version"]) {
        return;
    }
    let pairs = draw_pairs(
        regex(
            "(v|V)?([0-9]!)?[0-9]{1,2}(\\.[0-9]{1,2}){0,3}\
         ([-_.]?(a|b|c|rc|alpha|beta|pre|preview|RC|dev)[0-9]{0,2})?\
         (\\.post[0-9]{0,2}|-[0-9]{1,2}|\\.rev[0-9])?(\\.dev[0-9]{0,2})?\
         (\\+[a-z0-9]{1,3}([._-][a-z0-9]{1,3}){0,2})?",
        ),
        regex("\\.0|\\.1|a1|b0|rc1|\\.post1|\\.dev0|\\+local|-1|0"),
    );
    let native = native_answers("python3", &["-c", PACKAGING_SCRIPT], &pairs);
    assert_agreement(Scheme::PyPI, "packaging", &pairs, &native);
}

#[test]
fn pinned_legacy_pypi_versions_are_refused_by_packaging() {
    if !vouch_test_support::external_tool("python3", &["-c", "import packaging.version"]) {
        return;
    }
    let pairs: Vec<(String, String)> = LEGACY_PYPI_VERSIONS
        .iter()
        .map(|version| ((*version).to_owned(), "1.0".to_owned()))
        .collect();
    let native = native_answers("python3", &["-c", PACKAGING_SCRIPT], &pairs);
    assert_eq!(native, vec!["invalid"; LEGACY_PYPI_VERSIONS.len()]);
    for (version, _) in &pairs {
        assert!(
            Scheme::PyPI.parse(version).is_err(),
            "{version} should be refused"
        );
    }
}

/// The path of the npm `semver` package under `VOUCH_NPM_SEMVER_DIR`, when it and `node` are
/// there to run it.
fn node_semver_module() -> Option<String> {
    let Some(directory) = std::env::var_os("VOUCH_NPM_SEMVER_DIR") else {
        assert!(
            !vouch_test_support::external_required(),
            "VOUCH_NPM_SEMVER_DIR must name a directory where `npm install --prefix DIR semver` ran"
        );
        eprintln!("notice: VOUCH_NPM_SEMVER_DIR is not set; skipping the node-semver comparison");
        return None;
    };
    let module = std::path::Path::new(&directory).join("node_modules/semver");
    let module = module.to_string_lossy().into_owned();
    vouch_test_support::external_tool("node", &["-e", &format!("require({module:?})")])
        .then_some(module)
}

#[test]
fn npm_order_matches_node_semver() {
    let Some(module) = node_semver_module() else {
        return;
    };
    let script = r#"
        const semver = require(process.argv[1]);
        const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
        for (const line of lines) {
            const [left, right] = line.split("\t");
            let answer;
            try { answer = String(semver.compare(left, right)); } catch (error) { answer = "invalid"; }
            console.log(answer);
        }
    "#;
    let pairs = draw_pairs(
        regex(
            " ?(v|V|=)?(0|1|10|01)\\.(0|2|9)\\.(0|3|11)\
         (-(alpha|beta|rc|0|1|11|01|x-y|0a)(\\.(alpha|beta|0|1|11|01|x)){0,2})?\
         (\\+[0-9a-z]{1,3}(\\.[0-9a-z]{1,2})?)? ?",
        ),
        regex("\\.0|-0|-alpha|\\.1|\\+b|-1\\.a|0"),
    );
    let native = native_answers("node", &["-e", script, &module], &pairs);
    assert_agreement(Scheme::Npm, "node-semver", &pairs, &native);
}

#[test]
fn rubygems_order_matches_gem_version() {
    if !vouch_test_support::external_tool("ruby", &["--version"]) {
        return;
    }
    let script = r#"
        STDIN.each_line do |line|
          left, right = line.chomp.split("\t", 2)
          if Gem::Version.correct?(left) && Gem::Version.correct?(right)
            puts(Gem::Version.new(left) <=> Gem::Version.new(right))
          else
            puts "invalid"
          end
        end
    "#;
    let pairs = draw_pairs(
        regex(
            "[0-9]{1,2}(\\.([0-9]{1,2}|a|b|pre|rc|[a-c][0-9])){0,4}(-[a-z0-9]{1,3}(\\.[a-z0-9]{1,2})?)?",
        ),
        regex("\\.0|\\.a|\\.1|-pre|a|\\.b1|0"),
    );
    let native = native_answers("ruby", &["-e", script], &pairs);
    assert_agreement(Scheme::RubyGems, "Gem::Version", &pairs, &native);
}

#[test]
fn rpm_order_matches_rpm_vercmp() {
    if !vouch_test_support::external_tool("rpm", &["--version"]) {
        return;
    }
    // rpm's Lua reads the pairs; `rpm.vercmp` parses and orders full `[epoch:]version[-release]`.
    let script = r#"%{lua:
        for line in io.lines() do
            local left, right = line:match("^(.-)\t(.*)$")
            io.write(rpm.vercmp(left, right), "\n")
        end
    }"#;
    let pairs = draw_pairs(
        regex(
            "([0-9]{1,2}:)?[0-9a-z]{1,2}([._+~^][0-9a-z]{0,3}){0,3}(-[0-9a-z]{1,2}([._~^][0-9a-z]{1,2})?)?",
        ),
        regex("[._+~^-]?[0-9a-z~^]{1,2}"),
    );
    let native = native_answers("rpm", &["--eval", script], &pairs);
    assert_agreement(Scheme::Rpm, "rpm.vercmp", &pairs, &native);
}

#[test]
fn packagist_order_matches_php_version_compare() {
    if !vouch_test_support::external_tool("php", &["--version"]) {
        return;
    }
    let script = r#"
        while (($line = fgets(STDIN)) !== false) {
            [$left, $right] = explode("\t", rtrim($line, "\n"));
            echo version_compare($left, $right), "\n";
        }
    "#;
    // No leading `v` and no `stable`, which Composer's normalisation removes before PHP sees the
    // version; no trailing separator, whose order PHP does not keep consistent (`1.0-` < `1.0-`).
    let pairs = draw_pairs(
        regex(
            "(dev-)?[0-9]{1,2}([._+-]?([0-9]{1,2}|dev|alpha|a|beta|b|RC|rc|pl|p|patch|foo|#1|~1)){0,4}",
        ),
        regex("[._+-]?(0|1|dev|a1|b|RC1|pl1|p|foo)"),
    );
    let native = native_answers("php", &["-r", script], &pairs);
    assert_agreement(Scheme::Packagist, "version_compare", &pairs, &native);
}

/// Draws `PAIRS` independent `(requirement, version)` pairs. Both use a few small numbers, so
/// versions often sit on a requirement's bounds.
fn draw_requirement_pairs(requirement: &str, version: &str) -> Vec<(String, String)> {
    let mut runner = TestRunner::default();
    proptest::collection::vec((regex(requirement), regex(version)), PAIRS)
        .new_tree(&mut runner)
        .unwrap_or_else(|error| panic!("drawing requirement pairs: {error}"))
        .current()
}

/// `invalid-requirement`, `invalid-version`, `true` or `false`: how `syntax` reads the pair.
fn our_requirement_answer(syntax: RequirementSyntax, requirement: &str, version: &str) -> String {
    match Requirement::parse_as(syntax, requirement) {
        Err(_) => "invalid-requirement".to_owned(),
        Ok(requirement) => match requirement.allows(version) {
            Ok(allowed) => allowed.to_string(),
            Err(_) => "invalid-version".to_owned(),
        },
    }
}

const REQUIREMENT_ANSWERS: [&str; 4] = ["true", "false", "invalid-requirement", "invalid-version"];

#[test]
fn npm_ranges_match_node_semver_satisfies() {
    let Some(module) = node_semver_module() else {
        return;
    };
    // `satisfies` answers `false` for both an invalid range and an invalid version; the
    // constructors tell the three apart.
    let script = r#"
        const semver = require(process.argv[1]);
        const lines = require("fs").readFileSync(0, "utf8").split("\n").filter(Boolean);
        for (const line of lines) {
            const [range, version] = line.split("\t");
            let parsed, answer;
            try { parsed = new semver.Range(range); } catch (error) { answer = "invalid-requirement"; }
            if (answer === undefined) {
                try { answer = String(parsed.test(new semver.SemVer(version))); }
                catch (error) { answer = "invalid-version"; }
            }
            console.log(answer);
        }
    "#;
    let partial = "(v|=)?(\\*|x|X|[0-2]|10)(\\.([0-2]|x|\\*)(\\.([0-2]|x)(-(alpha|beta|0|1)(\\.[01])?)?(\\+b)?)?)?";
    let comparator = format!("(\\^|~|~>|>=|<=|>|<|=)? ?{partial}");
    let set = format!("({comparator}(  ?{comparator}){{0,2}}|{partial} - {partial})");
    let pairs = draw_requirement_pairs(
        &format!("{set}( ?\\|\\| ?{set}){{0,2}}|"),
        " ?(v|=)?[0-2]\\.[0-2](\\.([0-2]|10)(-(alpha|beta|0|1)(\\.[01])?)?)?(\\+b)? ?",
    );
    let native = native_answers("node", &["-e", script, &module], &pairs);
    assert_same_answers(
        "node-semver",
        &pairs,
        &native,
        &REQUIREMENT_ANSWERS,
        |range, version| our_requirement_answer(RequirementSyntax::Npm, range, version),
    );
}

#[test]
fn pep440_specifiers_match_packaging_specifier_set() {
    // `packaging` 26.0 reads PEP 440's `<V` and `>V` exclusions literally, as vouch does; earlier
    // releases compared only release numbers there.
    let packaging_26 =
        "import packaging, sys; sys.exit(int(packaging.__version__.split('.')[0]) < 26)";
    if !vouch_test_support::external_tool("python3", &["-c", packaging_26]) {
        return;
    }
    // `prereleases=True` is the default for a single version since 26.0; saying it keeps the
    // question explicit.
    let script = r#"
import sys
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version
for line in sys.stdin:
    specifiers, version = line.rstrip("\n").split("\t")
    try:
        specifiers = SpecifierSet(specifiers)
    except InvalidSpecifier:
        print("invalid-requirement")
        continue
    try:
        Version(version)
    except InvalidVersion:
        print("invalid-version")
        continue
    print(str(specifiers.contains(version, prereleases=True)).lower())
"#;
    let version = "(1!)?[0-2](\\.[0-2]){0,2}(a[01]|b1|rc1|-?RC1)?(\\.post[01]|-1)?(\\.dev[01])?(\\+(local|1))?";
    let clause = format!("(==|!=|<=|>=|<|>|~=|===) ?({version}|[0-2](\\.[0-2]){{0,2}}\\.\\*)");
    let pairs = draw_requirement_pairs(
        &format!("({clause}( ?, ?{clause}){{0,2}})?"),
        &format!("{version}|[0-2]\\.x"),
    );
    let native = native_answers("python3", &["-c", script], &pairs);
    assert_same_answers(
        "packaging",
        &pairs,
        &native,
        &REQUIREMENT_ANSWERS,
        |specifiers, version| {
            our_requirement_answer(RequirementSyntax::Pep440, specifiers, version)
        },
    );
}

//! node-semver ranges, ported from `classes/range.js` and `internal/re.js` of the npm `semver`
//! package (7.x) without its `loose` and `includePrerelease` options.
//!
//! node-semver reads a range by rewriting its text with regular expressions (hyphen ranges,
//! carets, tildes and x-ranges become plain comparators) and only then parses what is left. The
//! rewrites accept and reject inputs in ways no grammar of the documented syntax predicts (`^1.x.2`
//! is `^1`, `~ >=1` is `~1`, `1.x.2` is refused), so this module repeats the same rewrites with the
//! same expressions, in the same order. The nodejs-semver crate parses a grammar instead and
//! disagrees with npm on inputs such as `1.0.0 - 2.x` and `<=x`.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::{Scheme, Version};

/// node-semver refuses version components above `Number.MAX_SAFE_INTEGER`, which also bounds
/// the numbers a rewrite may compute (`^1` → `<2.0.0-0`).
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// JavaScript's `\s`: Unicode white space without U+0085, and with U+FEFF.
const JS_WHITESPACE: &str = r"[\s\x{FEFF}--\x{85}]";

fn is_js_whitespace(character: char) -> bool {
    (character.is_whitespace() && character != '\u{85}') || character == '\u{feff}'
}

/// The expressions of `internal/re.js`, in their "safe" form: node-semver caps the repetitions of
/// `\s`, `\d` and identifier characters, and the caps decide what matches. `\d` is spelled
/// `[0-9]` and `\s` is [`JS_WHITESPACE`], which is what they mean in JavaScript.
struct Expressions {
    build: Regex,
    hyphen_range: Regex,
    comparator_trim: Regex,
    tilde_trim: Regex,
    caret_trim: Regex,
    caret: Regex,
    tilde: Regex,
    x_range: Regex,
    star: Regex,
    greater_or_equal_zero: Regex,
    comparator: Regex,
    whitespace: Regex,
}

static EXPRESSIONS: LazyLock<Expressions> = LazyLock::new(Expressions::new);

impl Expressions {
    fn new() -> Self {
        let numeric = "0|[1-9][0-9]{0,256}";
        let numeric_loose = "[0-9]{1,256}";
        let non_numeric = "[0-9]{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}";
        let main = format!(r"({numeric})\.({numeric})\.({numeric})");
        let main_loose = format!(r"({numeric_loose})\.({numeric_loose})\.({numeric_loose})");
        let pre_identifier = format!("(?:{non_numeric}|{numeric})");
        let pre_identifier_loose = format!("(?:{non_numeric}|{numeric_loose})");
        let pre_release = format!(r"(?:-({pre_identifier}(?:\.{pre_identifier})*))");
        let pre_release_loose =
            format!(r"(?:-?({pre_identifier_loose}(?:\.{pre_identifier_loose})*))");
        let build_identifier = "[a-zA-Z0-9-]{1,250}";
        let build = format!(r"(?:\+({build_identifier}(?:\.{build_identifier})*))");
        let full_plain = format!("v?{main}{pre_release}?{build}?");
        let loose_plain = format!(r"[v=\s]*{main_loose}{pre_release_loose}?{build}?");
        let operator = "((?:<|>)?=?)";
        let x_identifier = format!(r"{numeric}|x|X|\*");
        let x_range_plain = format!(
            r"[v=\s]*({x_identifier})(?:\.({x_identifier})(?:\.({x_identifier})(?:{pre_release})?{build}?)?)?"
        );
        let compile = |pattern: &str| {
            Regex::new(&pattern.replace(r"\s", JS_WHITESPACE))
                .unwrap_or_else(|error| panic!("node-semver expression: {error}"))
        };
        Self {
            build: compile(&build),
            hyphen_range: compile(&format!(r"^\s?({x_range_plain})\s-\s({x_range_plain})\s?$")),
            comparator_trim: compile(&format!(
                r"(\s?){operator}\s?({loose_plain}|{x_range_plain})"
            )),
            tilde_trim: compile(r"(\s?)(?:~>?)\s"),
            caret_trim: compile(r"(\s?)(?:\^)\s"),
            caret: compile(&format!(r"^(?:\^){x_range_plain}$")),
            tilde: compile(&format!(r"^(?:~>?){x_range_plain}$")),
            x_range: compile(&format!(r"^{operator}\s?{x_range_plain}$")),
            star: compile(r"(<|>)?=?\s?\*"),
            greater_or_equal_zero: compile(r"^\s?>=\s?0\.0\.0\s?$"),
            comparator: compile(&format!(r"^{operator}\s?({full_plain})$|^$")),
            whitespace: compile(r"\s+"),
        }
    }
}

/// A parsed range: comparator sets joined by `||`, each a conjunction.
#[derive(Debug, Clone)]
pub(super) struct Range {
    sets: Vec<Vec<Comparator>>,
}

#[derive(Debug, Clone)]
struct Comparator {
    operator: Operator,
    /// `None` for the comparator that allows everything (`*`, `x`, or nothing at all).
    version: Option<Version>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Equal,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// The range is not one node-semver reads; node-semver's own message says no more than that.
#[derive(Debug)]
pub(super) struct Invalid;

impl Range {
    pub(super) fn parse(text: &str) -> Result<Self, Invalid> {
        let raw = collapse_whitespace(text);
        let mut sets = raw
            .split("||")
            .map(|part| parse_set(part.trim_matches(is_js_whitespace)))
            .collect::<Result<Vec<_>, _>>()?;
        if sets.len() > 1 {
            // A set that allows nothing is dropped unless nothing else is left; a set that
            // allows any release replaces all the others, pre-releases they named included.
            let first = sets.first().cloned();
            sets.retain(|set| !is_null_set(set));
            if sets.is_empty() {
                sets.extend(first);
            } else if let Some(any) = sets
                .iter()
                .find(|set| matches!(set.as_slice(), [only] if only.version.is_none()))
            {
                sets = vec![any.clone()];
            }
        }
        Ok(Self { sets })
    }

    pub(super) fn satisfied_by(&self, version: &Version) -> bool {
        self.sets.iter().any(|set| set_allows(set, version))
    }
}

/// JavaScript's `trim()` and `/\s+/g` → `' '`.
fn collapse_whitespace(text: &str) -> String {
    text.split(is_js_whitespace)
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A set of just `<0.0.0-0`, which node-semver writes for "nothing" (`>*`, `<x`).
fn is_null_set(set: &[Comparator]) -> bool {
    matches!(set, [only] if only.operator == Operator::Less
        && only.version.as_ref().is_some_and(|version| printed(version) == "0.0.0-0"))
}

/// `Range.parseRange`: one `||`-separated part into its comparators.
fn parse_set(part: &str) -> Result<Vec<Comparator>, Invalid> {
    let expressions = &*EXPRESSIONS;
    let part = expressions.build.replace_all(part, "");
    let part = replace_first(&expressions.hyphen_range, &part, replace_hyphen)?;
    let part = expressions.comparator_trim.replace_all(&part, "$1$2$3");
    let part = expressions.tilde_trim.replace_all(&part, "$1~");
    let part = expressions.caret_trim.replace_all(&part, "$1^");
    let rewritten = part
        .split(' ')
        .map(rewrite_comparator)
        .collect::<Result<Vec<_>, _>>()?
        .join(" ");
    let comparators = expressions
        .whitespace
        .split(&rewritten)
        .map(|comparator| {
            let comparator = comparator.trim_matches(is_js_whitespace);
            parse_comparator(&expressions.greater_or_equal_zero.replace(comparator, ""))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(null) = comparators
        .iter()
        .find(|comparator| is_null_set(std::slice::from_ref(comparator)))
    {
        return Ok(vec![null.clone()]);
    }
    let mut unique: Vec<Comparator> = Vec::with_capacity(comparators.len());
    for comparator in comparators {
        if !unique.iter().any(|known| known.same_as(&comparator)) {
            unique.push(comparator);
        }
    }
    if unique.len() > 1 {
        unique.retain(|comparator| comparator.version.is_some());
    }
    Ok(unique)
}

/// `parseComparator`: carets, tildes, x-ranges and stars of one space-free word into plain
/// comparators.
fn rewrite_comparator(word: &str) -> Result<String, Invalid> {
    let expressions = &*EXPRESSIONS;
    let word = expressions.build.replace(word, "");
    let word = rewrite_each(&word, &expressions.caret, replace_caret)?;
    let word = rewrite_each(&word, &expressions.tilde, replace_tilde)?;
    let word = expressions
        .whitespace
        .split(&word)
        .map(|piece| {
            let piece = piece.trim_matches(is_js_whitespace);
            replace_first(&expressions.x_range, piece, |captures| {
                replace_x_range(piece, captures)
            })
        })
        .collect::<Result<Vec<_>, _>>()?
        .join(" ");
    Ok(expressions
        .star
        .replace(word.trim_matches(is_js_whitespace), "")
        .into_owned())
}

/// Applies `replace` to each whitespace-separated piece of `text`, as `replaceCarets` and
/// `replaceTildes` do.
fn rewrite_each(
    text: &str,
    expression: &Regex,
    replace: fn(&Captures<'_>) -> Result<String, Invalid>,
) -> Result<String, Invalid> {
    Ok(EXPRESSIONS
        .whitespace
        .split(text.trim_matches(is_js_whitespace))
        .map(|piece| replace_first(expression, piece, replace))
        .collect::<Result<Vec<_>, _>>()?
        .join(" "))
}

/// JavaScript's `text.replace(expression, replace)` for an expression without the `g` flag.
fn replace_first(
    expression: &Regex,
    text: &str,
    replace: impl FnOnce(&Captures<'_>) -> Result<String, Invalid>,
) -> Result<String, Invalid> {
    let Some(captures) = expression.captures(text) else {
        return Ok(text.to_owned());
    };
    let Some(whole) = captures.get(0) else {
        return Ok(text.to_owned());
    };
    let replacement = replace(&captures)?;
    Ok(format!(
        "{}{replacement}{}",
        &text[..whole.start()],
        &text[whole.end()..]
    ))
}

/// Capture `index`, empty when it did not take part (JavaScript's `undefined`, which the
/// rewrites treat as they treat `""`).
fn group<'t>(captures: &Captures<'t>, index: usize) -> &'t str {
    captures.get(index).map_or("", |found| found.as_str())
}

/// `isX`: a missing, `x`, `X` or `*` component.
fn is_x(component: &str) -> bool {
    component.is_empty() || component.eq_ignore_ascii_case("x") || component == "*"
}

/// `+component + 1`. node-semver refuses the comparator when the sum passes
/// `Number.MAX_SAFE_INTEGER`, and so does this.
fn next(component: &str) -> Result<u64, Invalid> {
    component
        .parse::<u64>()
        .ok()
        .filter(|number| *number < MAX_SAFE_INTEGER)
        .map(|number| number + 1)
        .ok_or(Invalid)
}

/// `hyphenReplace`: `1.2 - 3.4` → `>=1.2.0 <3.5.0-0`.
fn replace_hyphen(captures: &Captures<'_>) -> Result<String, Invalid> {
    let (from, from_major, from_minor, from_patch) = (
        group(captures, 1),
        group(captures, 2),
        group(captures, 3),
        group(captures, 4),
    );
    let (to, to_major, to_minor, to_patch, to_pre) = (
        group(captures, 7),
        group(captures, 8),
        group(captures, 9),
        group(captures, 10),
        group(captures, 11),
    );
    let lower = if is_x(from_major) {
        String::new()
    } else if is_x(from_minor) {
        format!(">={from_major}.0.0")
    } else if is_x(from_patch) {
        format!(">={from_major}.{from_minor}.0")
    } else {
        // The text as written, its `v`/`=` prefix and build included.
        format!(">={from}")
    };
    let upper = if is_x(to_major) {
        String::new()
    } else if is_x(to_minor) {
        format!("<{}.0.0-0", next(to_major)?)
    } else if is_x(to_patch) {
        format!("<{to_major}.{}.0-0", next(to_minor)?)
    } else if !to_pre.is_empty() {
        format!("<={to_major}.{to_minor}.{to_patch}-{to_pre}")
    } else {
        format!("<={to}")
    };
    Ok(format!("{lower} {upper}")
        .trim_matches(is_js_whitespace)
        .to_owned())
}

/// `replaceCaret`: `^1.2.3` → `>=1.2.3 <2.0.0-0`, `^0.2.3` → `>=0.2.3 <0.3.0-0`.
fn replace_caret(captures: &Captures<'_>) -> Result<String, Invalid> {
    let (major, minor, patch, pre) = components(captures);
    Ok(if is_x(major) {
        String::new()
    } else if is_x(minor) {
        format!(">={major}.0.0 <{}.0.0-0", next(major)?)
    } else if is_x(patch) {
        if major == "0" {
            format!(">={major}.{minor}.0 <{major}.{}.0-0", next(minor)?)
        } else {
            format!(">={major}.{minor}.0 <{}.0.0-0", next(major)?)
        }
    } else {
        let lower = format!(">={major}.{minor}.{patch}{}", pre_suffix(pre));
        if major != "0" {
            format!("{lower} <{}.0.0-0", next(major)?)
        } else if minor != "0" {
            format!("{lower} <{major}.{}.0-0", next(minor)?)
        } else {
            format!("{lower} <{major}.{minor}.{}-0", next(patch)?)
        }
    })
}

/// `replaceTilde`: `~1.2.3` → `>=1.2.3 <1.3.0-0`, `~1` → `>=1.0.0 <2.0.0-0`.
fn replace_tilde(captures: &Captures<'_>) -> Result<String, Invalid> {
    let (major, minor, patch, pre) = components(captures);
    Ok(if is_x(major) {
        String::new()
    } else if is_x(minor) {
        format!(">={major}.0.0 <{}.0.0-0", next(major)?)
    } else if is_x(patch) {
        format!(">={major}.{minor}.0 <{major}.{}.0-0", next(minor)?)
    } else {
        format!(
            ">={major}.{minor}.{patch}{} <{major}.{}.0-0",
            pre_suffix(pre),
            next(minor)?
        )
    })
}

/// Major, minor, patch and pre-release of a caret or tilde match.
fn components<'t>(captures: &Captures<'t>) -> (&'t str, &'t str, &'t str, &'t str) {
    (
        group(captures, 1),
        group(captures, 2),
        group(captures, 3),
        group(captures, 4),
    )
}

fn pre_suffix(pre: &str) -> String {
    if pre.is_empty() {
        String::new()
    } else {
        format!("-{pre}")
    }
}

/// `replaceXRange`: `1.x` → `>=1.0.0 <2.0.0-0`, `>1.2` → `>=1.3.0`, `<=1` → `<2.0.0-0`.
fn replace_x_range(piece: &str, captures: &Captures<'_>) -> Result<String, Invalid> {
    let mut operator = group(captures, 1);
    let (major, minor, patch) = (group(captures, 2), group(captures, 3), group(captures, 4));
    // `1.x.2` is left as it is, for the comparator parser to refuse.
    if (is_x(major) && !is_x(minor)) || (is_x(minor) && !patch.is_empty() && !is_x(patch)) {
        return Ok(piece.to_owned());
    }
    let x_major = is_x(major);
    let x_minor = x_major || is_x(minor);
    let any_x = x_minor || is_x(patch);
    if operator == "=" && any_x {
        operator = "";
    }
    if x_major {
        return Ok(if operator == ">" || operator == "<" {
            "<0.0.0-0".to_owned()
        } else {
            "*".to_owned()
        });
    }
    if !operator.is_empty() && any_x {
        let (mut major, mut minor) = (
            major.to_owned(),
            if x_minor { "0" } else { minor }.to_owned(),
        );
        if operator == ">" {
            operator = ">=";
            if x_minor {
                major = next(&major)?.to_string();
                minor = "0".to_owned();
            } else {
                minor = next(&minor)?.to_string();
            }
        } else if operator == "<=" {
            operator = "<";
            if x_minor {
                major = next(&major)?.to_string();
            } else {
                minor = next(&minor)?.to_string();
            }
        }
        let pre = if operator == "<" { "-0" } else { "" };
        return Ok(format!("{operator}{major}.{minor}.0{pre}"));
    }
    if x_minor {
        return Ok(format!(">={major}.0.0 <{}.0.0-0", next(major)?));
    }
    if any_x {
        return Ok(format!(">={major}.{minor}.0 <{major}.{}.0-0", next(minor)?));
    }
    Ok(group(captures, 0).to_owned())
}

/// `new Comparator(text)`: an operator and a full version, or nothing at all.
fn parse_comparator(text: &str) -> Result<Comparator, Invalid> {
    let captures = EXPRESSIONS.comparator.captures(text).ok_or(Invalid)?;
    let operator = match group(&captures, 1) {
        "" | "=" => Operator::Equal,
        "<" => Operator::Less,
        "<=" => Operator::LessOrEqual,
        ">" => Operator::Greater,
        _ => Operator::GreaterOrEqual,
    };
    let version = match group(&captures, 2) {
        "" => None,
        version => Some(Scheme::Npm.parse(version).map_err(|_| Invalid)?),
    };
    Ok(Comparator { operator, version })
}

impl Comparator {
    fn allows(&self, version: &Version) -> bool {
        let Some(bound) = &self.version else {
            return true;
        };
        let ordering = version.cmp(bound);
        match self.operator {
            Operator::Equal => ordering.is_eq(),
            Operator::Less => ordering.is_lt(),
            Operator::LessOrEqual => ordering.is_le(),
            Operator::Greater => ordering.is_gt(),
            Operator::GreaterOrEqual => ordering.is_ge(),
        }
    }

    /// Whether both print the same: node-semver keys a set's comparators by their text.
    fn same_as(&self, other: &Self) -> bool {
        self.operator == other.operator
            && self.version.as_ref().map(printed) == other.version.as_ref().map(printed)
    }
}

/// `testSet`: every comparator allows `version`, and a pre-release is allowed only when some
/// comparator names a pre-release of the same `major.minor.patch`.
fn set_allows(set: &[Comparator], version: &Version) -> bool {
    if !set.iter().all(|comparator| comparator.allows(version)) {
        return false;
    }
    let (release, is_pre_release) = release_of(version);
    !is_pre_release
        || set.iter().any(|comparator| {
            comparator.version.as_ref().is_some_and(|bound| {
                let (bound_release, bound_is_pre_release) = release_of(bound);
                bound_is_pre_release && bound_release == release
            })
        })
}

/// The `major.minor.patch` of a valid npm version and whether it has a pre-release.
fn release_of(version: &Version) -> (&str, bool) {
    let printed = printed(version);
    match printed.split_once('-') {
        Some((release, _)) => (release, true),
        None => (printed, false),
    }
}

/// A valid npm version as node-semver prints it: without surrounding space, `v` and build.
/// Numbers have no leading zeros there, so equal text means equal versions.
fn printed(version: &Version) -> &str {
    let text = version.as_str().trim();
    let text = text.strip_prefix('v').unwrap_or(text);
    text.split('+').next().unwrap_or(text)
}

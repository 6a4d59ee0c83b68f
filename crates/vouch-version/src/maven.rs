//! Maven's version order, as specified in the POM reference ("Version Order Specification") and
//! implemented by `org.apache.maven.artifact.versioning.ComparableVersion`.

use std::cmp::Ordering;

use crate::number::Number;

/// Qualifiers Maven knows, lowest first; the empty qualifier is a release (`ga`, `final`,
/// `release`). Unknown qualifiers come after all of them, alphabetically.
const KNOWN_QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

#[derive(Debug, Clone)]
pub(crate) struct MavenVersion {
    items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    /// `.`, and the start of the version.
    Dot,
    /// `-`, and a switch between digits and letters (`1rc2` is `1-rc-2`).
    Hyphen,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Number(Number),
    Qualifier(Box<str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    separator: Separator,
    value: Value,
}

impl Item {
    /// `0` and the release qualifier add nothing at the end of a version.
    fn is_null(&self) -> bool {
        match &self.value {
            Value::Number(number) => number.is_zero(),
            Value::Qualifier(qualifier) => qualifier.is_empty(),
        }
    }

    /// What a missing item counts as when the other version has `self` in its place: `.0` against
    /// a number, the release qualifier otherwise.
    fn padding(&self) -> Self {
        let value = match (self.separator, &self.value) {
            (Separator::Dot, Value::Number(_)) => Value::Number(Number::zero()),
            _ => Value::Qualifier("".into()),
        };
        Self {
            separator: self.separator,
            value,
        }
    }

    fn compare(&self, other: &Self) -> Ordering {
        if self.separator != other.separator {
            return self.kind_rank().cmp(&other.kind_rank());
        }
        match (&self.value, &other.value) {
            (Value::Number(left), Value::Number(right)) => left.cmp(right),
            (Value::Number(_), Value::Qualifier(_)) => Ordering::Greater,
            (Value::Qualifier(_), Value::Number(_)) => Ordering::Less,
            (Value::Qualifier(left), Value::Qualifier(right)) => {
                let rank = |qualifier: &str| {
                    KNOWN_QUALIFIERS
                        .iter()
                        .position(|known| *known == qualifier)
                        .unwrap_or(KNOWN_QUALIFIERS.len())
                };
                rank(left).cmp(&rank(right)).then_with(|| left.cmp(right))
            }
        }
    }

    /// Across separators: `.qualifier < -qualifier < -number < .number`.
    fn kind_rank(&self) -> u8 {
        match (self.separator, &self.value) {
            (Separator::Dot, Value::Qualifier(_)) => 0,
            (Separator::Hyphen, Value::Qualifier(_)) => 1,
            (Separator::Hyphen, Value::Number(_)) => 2,
            (Separator::Dot, Value::Number(_)) => 3,
        }
    }
}

impl MavenVersion {
    /// Maven accepts any string as a version; so does this.
    pub(crate) fn parse(text: &str) -> Self {
        let lowered = text.to_lowercase();
        let mut items = Vec::new();
        let mut separator = Separator::Dot;
        let mut rest = lowered.as_str();
        loop {
            let end = rest.find(['.', '-']).unwrap_or(rest.len());
            let (token, after) = rest.split_at(end);
            push_token(&mut items, separator, token);
            let mut after = after.chars();
            separator = match after.next() {
                Some('-') => Separator::Hyphen,
                Some(_) => Separator::Dot,
                None => break,
            };
            rest = after.as_str();
        }
        trim_nulls(&mut items);
        Self { items }
    }
}

/// Splits one `.`/`-`-delimited token at digit/letter switches and normalises each piece.
fn push_token(items: &mut Vec<Item>, separator: Separator, token: &str) {
    if token.is_empty() {
        items.push(Item {
            separator,
            value: Value::Number(Number::zero()),
        });
        return;
    }
    let mut pieces = Vec::new();
    let mut rest = token;
    while let Some(first) = rest.chars().next() {
        let digits = first.is_ascii_digit();
        let end = rest
            .find(|character: char| character.is_ascii_digit() != digits)
            .unwrap_or(rest.len());
        let (piece, after) = rest.split_at(end);
        pieces.push(piece);
        rest = after;
    }
    let count = pieces.len();
    for (index, piece) in pieces.into_iter().enumerate() {
        let followed_by_number = index + 1 < count;
        let value = match Number::parse(piece) {
            Some(number) => Value::Number(number),
            None => Value::Qualifier(
                match piece {
                    "cr" => "rc",
                    "ga" | "final" | "release" => "",
                    // `a1`, `b2`, `m3` abbreviate alpha, beta and milestone only before a number.
                    "a" if followed_by_number => "alpha",
                    "b" if followed_by_number => "beta",
                    "m" if followed_by_number => "milestone",
                    other => other,
                }
                .into(),
            ),
        };
        items.push(Item {
            separator: if index == 0 {
                separator
            } else {
                Separator::Hyphen
            },
            value,
        });
    }
}

/// Drops trailing null items, then repeats before each remaining hyphen, from the end to the
/// start (`1.0.0-0.0` is `1`). The first item always stays.
fn trim_nulls(items: &mut Vec<Item>) {
    let mut end = items.len();
    loop {
        while end > 1 && items.get(end - 1).is_some_and(Item::is_null) {
            items.remove(end - 1);
            end -= 1;
        }
        match items.get(..end).and_then(|segment| {
            segment
                .iter()
                .rposition(|item| item.separator == Separator::Hyphen)
        }) {
            Some(hyphen) => end = hyphen,
            None => break,
        }
    }
}

impl Ord for MavenVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        let length = self.items.len().max(other.items.len());
        (0..length)
            .map(
                |index| match (self.items.get(index), other.items.get(index)) {
                    (Some(left), Some(right)) => left.compare(right),
                    (Some(left), None) => left.compare(&left.padding()),
                    (None, Some(right)) => right.padding().compare(right),
                    (None, None) => Ordering::Equal,
                },
            )
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal)
    }
}

impl PartialOrd for MavenVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for MavenVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for MavenVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn qualifiers_order_alpha_beta_milestone_rc_snapshot_release_sp() {
        let ascending = [
            "1-alpha1",
            "1-beta1",
            "1-milestone1",
            "1-rc1",
            "1-snapshot",
            "1",
            "1-sp1",
            "1-unknown",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Maven.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn release_spellings_padding_and_aliases_are_equal() {
        for (left, right) in [
            ("1", "1.0.0"),
            ("1-ga", "1"),
            ("1.final", "1"),
            ("1-RELEASE", "1"),
            ("1cr1", "1-rc-1"),
            ("1a1", "1-alpha-1"),
            ("1.0.0-0.0", "1"),
        ] {
            assert_eq!(
                Scheme::Maven.compare(left, right),
                Ok(Ordering::Equal),
                "{left} = {right}"
            );
        }
    }

    #[test]
    fn dot_and_hyphen_items_order_differently() {
        // `.qualifier < -qualifier < -number < .number`
        let ascending = ["1.foo", "1-foo", "1-1", "1.1"];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Maven.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }
}

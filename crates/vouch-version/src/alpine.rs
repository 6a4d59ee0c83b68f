//! apk versions: `number{.number}[letter]{_suffix[number]}[~hash][-rN]`, as apk-tools orders them
//! (see apk-package(5)), including apk's tolerance of malformed versions: what it cannot parse
//! sorts after the parsed part, and two malformed versions compare as text.

use std::cmp::Ordering;

use crate::number::Number;

/// Suffixes and their weights; a version without a suffix weighs [`NO_SUFFIX`].
const SUFFIXES: [(&str, u8); 9] = [
    ("alpha", 0),
    ("beta", 1),
    ("pre", 2),
    ("rc", 3),
    ("cvs", 5),
    ("svn", 6),
    ("git", 7),
    ("hg", 8),
    ("p", 9),
];
const NO_SUFFIX: u8 = 4;

#[derive(Debug, Clone)]
pub(crate) struct ApkVersion {
    text: Box<str>,
    /// Something other than `-rN` followed the suffixes.
    malformed: bool,
    components: Vec<Component>,
    letter: Option<char>,
    suffixes: Vec<(u8, Number)>,
    release: Number,
    /// Whatever was left unparsed.
    remainder: Box<str>,
}

#[derive(Debug, Clone)]
struct Component {
    digits: Box<str>,
    value: Number,
}

impl ApkVersion {
    pub(crate) fn parse(text: &str) -> Self {
        let (components, rest) = split_components(text);

        let (letter, mut rest) = match rest.chars().next() {
            Some(letter) if letter.is_ascii_lowercase() => {
                (Some(letter), rest.get(1..).unwrap_or_default())
            }
            _ => (None, rest),
        };

        // Suffixes are looked for anywhere in what is left, but only consumed while they come
        // first, as apk's tokenizer reads them.
        let mut suffixes = Vec::new();
        for (matched, weight, number) in find_suffixes(rest) {
            suffixes.push((weight, number));
            rest = rest.strip_prefix(matched).unwrap_or(rest);
        }

        if let Some(hash) = rest.strip_prefix('~') {
            let end = hash
                .find(|character: char| !matches!(character, '0'..='9' | 'a'..='f'))
                .unwrap_or(hash.len());
            if end > 0 {
                rest = hash.get(end..).unwrap_or_default();
            }
        }

        let mut release = Number::zero();
        let mut malformed = false;
        if !rest.is_empty() {
            match rest.strip_prefix("-r") {
                Some(digits_on) => {
                    let end = digits_on
                        .find(|character: char| !character.is_ascii_digit())
                        .unwrap_or(digits_on.len());
                    let (digits, after) = digits_on.split_at(end);
                    release = Number::parse(digits).unwrap_or_else(Number::zero);
                    rest = after;
                }
                None => malformed = true,
            }
        }

        Self {
            text: text.into(),
            malformed,
            components,
            letter,
            suffixes,
            release,
            remainder: rest.into(),
        }
    }
}

/// The leading `digits{.digits}` run; a dot followed by no digit ends it and is consumed.
fn split_components(text: &str) -> (Vec<Component>, &str) {
    let mut components = Vec::new();
    let mut rest = text;
    loop {
        let end = rest
            .find(|character: char| !character.is_ascii_digit())
            .unwrap_or(rest.len());
        let (digits, after) = rest.split_at(end);
        let Some(value) = Number::parse(digits) else {
            break;
        };
        components.push(Component {
            digits: digits.into(),
            value,
        });
        rest = after;
        match rest.strip_prefix('.') {
            Some(after_dot) => rest = after_dot,
            None => break,
        }
    }
    (components, rest)
}

/// Every non-overlapping `_(alpha|beta|pre|rc|cvs|svn|git|hg|p)[0-9]*` in `text`, left to right:
/// the matched text, the suffix weight and its number (0 when absent).
fn find_suffixes(text: &str) -> Vec<(&str, u8, Number)> {
    let mut found = Vec::new();
    let mut start = 0;
    while let Some(offset) = text.get(start..).and_then(|rest| rest.find('_')) {
        let underscore = start + offset;
        let after = text.get(underscore + 1..).unwrap_or_default();
        let Some((name, weight)) = SUFFIXES.iter().find(|(name, _)| after.starts_with(name)) else {
            start = underscore + 1;
            continue;
        };
        let digits_on = after.get(name.len()..).unwrap_or_default();
        let digits_end = digits_on
            .find(|character: char| !character.is_ascii_digit())
            .unwrap_or(digits_on.len());
        let end = underscore + 1 + name.len() + digits_end;
        let number = digits_on
            .get(..digits_end)
            .and_then(Number::parse)
            .unwrap_or_else(Number::zero);
        found.push((
            text.get(underscore..end).unwrap_or_default(),
            *weight,
            number,
        ));
        start = end;
    }
    found
}

impl Component {
    /// After the first component, a leading zero makes apk compare digits as text, the way
    /// decimal fractions order (`1.05 < 1.1`).
    fn compare(&self, other: &Self, first: bool) -> Ordering {
        if !first && (self.digits.starts_with('0') || other.digits.starts_with('0')) {
            self.digits.cmp(&other.digits)
        } else {
            self.value.cmp(&other.value)
        }
    }
}

impl Ord for ApkVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.malformed && other.malformed {
            return self.text.cmp(&other.text);
        }
        let zero = Component {
            digits: "0".into(),
            value: Number::zero(),
        };
        let components = (0..self.components.len().max(other.components.len()))
            .map(|index| {
                match (self.components.get(index), other.components.get(index)) {
                    (Some(left), Some(right)) => left.compare(right, index == 0),
                    (left, right) => {
                        // A missing component is a plain 0.
                        let (left, right) = (left.unwrap_or(&zero), right.unwrap_or(&zero));
                        left.value.cmp(&right.value)
                    }
                }
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal);
        let no_suffix = (NO_SUFFIX, Number::zero());
        let suffixes = (0..self.suffixes.len().max(other.suffixes.len()))
            .map(|index| {
                let left = self.suffixes.get(index).unwrap_or(&no_suffix);
                let right = other.suffixes.get(index).unwrap_or(&no_suffix);
                left.cmp(right)
            })
            .find(|ordering| ordering.is_ne())
            .unwrap_or(Ordering::Equal);
        components
            // A letter sorts after its absence (`1.0 < 1.0a`).
            .then_with(|| self.letter.cmp(&other.letter))
            .then(suffixes)
            .then_with(|| self.release.cmp(&other.release))
            // Unparsed text sorts before its absence.
            .then_with(|| self.remainder.is_empty().cmp(&other.remainder.is_empty()))
    }
}

impl PartialOrd for ApkVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ApkVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ApkVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use crate::Scheme;

    #[test]
    fn suffixes_order_around_the_plain_release() {
        let ascending = [
            "1.2_alpha1",
            "1.2_beta",
            "1.2_pre2",
            "1.2_rc1",
            "1.2",
            "1.2_cvs1",
            "1.2_svn1",
            "1.2_git1",
            "1.2_hg1",
            "1.2_p1",
            "1.2a",
            "1.2.1",
        ];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Alpine.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn package_release_and_leading_zero_components() {
        assert_eq!(
            Scheme::Alpine.compare("1.0-r1", "1.0-r01"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Alpine.compare("1.0-r2", "1.0-r10"),
            Ok(Ordering::Less)
        );
        assert_eq!(Scheme::Alpine.compare("1.05", "1.1"), Ok(Ordering::Less));
        assert_eq!(
            Scheme::Alpine.compare("1.2~abc123-r0", "1.2-r0"),
            Ok(Ordering::Equal)
        );
    }
}

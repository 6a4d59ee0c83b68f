//! Composer versions: PHP's `version_compare` after Composer's normalisation (a leading `v` and a
//! `-stable` suffix mean nothing).

use std::cmp::Ordering;

use crate::number::Number;

/// `version_compare`'s special forms, matched as prefixes in this order; anything else ranks
/// below `dev`.
const SPECIAL_FORMS: [(&str, i8); 10] = [
    ("dev", 0),
    ("alpha", 1),
    ("a", 1),
    ("beta", 2),
    ("b", 2),
    ("RC", 3),
    ("rc", 3),
    ("#", 4),
    ("pl", 5),
    ("p", 5),
];
const UNKNOWN_FORM: i8 = -1;
/// The rank a number has against a special form: between `RC` and `pl`.
const NUMBER_FORM: i8 = 4;

#[derive(Debug, Clone)]
pub(crate) struct ComposerVersion {
    components: Vec<Component>,
}

#[derive(Debug, Clone)]
enum Component {
    Number(Number),
    Form(i8),
}

impl Component {
    fn form_rank(&self) -> i8 {
        match self {
            Self::Number(_) => NUMBER_FORM,
            Self::Form(rank) => *rank,
        }
    }

    fn compare(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Number(left), Self::Number(right)) => left.cmp(right),
            _ => self.form_rank().cmp(&other.form_rank()),
        }
    }
}

impl ComposerVersion {
    /// Composer accepts any string here; `version_compare` orders whatever it is given.
    pub(crate) fn parse(text: &str) -> Self {
        let without_v = text.strip_prefix(['v', 'V']).unwrap_or(text);
        let normalized = strip_stable(without_v);
        Self {
            components: canonical(normalized)
                .split('.')
                .map(|component| match Number::parse(component) {
                    Some(number) => Component::Number(number),
                    None => Component::Form(
                        SPECIAL_FORMS
                            .iter()
                            .find(|(form, _)| component.starts_with(form))
                            .map_or(UNKNOWN_FORM, |(_, rank)| *rank),
                    ),
                })
                .collect(),
        }
    }
}

/// `1.0.0-stable` is Composer's spelling of `1.0.0`.
fn strip_stable(version: &str) -> &str {
    let length = version.len();
    let suffix = "stable".len();
    match version.get(length.saturating_sub(suffix)..) {
        Some(tail) if length > suffix && tail.eq_ignore_ascii_case("stable") => {
            let head = version.get(..length - suffix).unwrap_or(version);
            head.strip_suffix(['-', '_', '.', '+']).unwrap_or(head)
        }
        _ => version,
    }
}

/// `version_compare`'s canonical form: `-`, `_` and `+` become `.`, and a `.` separates every
/// switch between digits and other characters (`1.0rc1` is `1.0.rc.1`).
fn canonical(version: &str) -> String {
    let mut canonical = String::with_capacity(version.len() * 2);
    let mut previous: Option<char> = None;
    for character in version.chars() {
        let character = if matches!(character, '-' | '_' | '+') {
            '.'
        } else {
            character
        };
        if let Some(previous) = previous {
            let switches = previous != '.'
                && character != '.'
                && previous.is_ascii_digit() != character.is_ascii_digit();
            if switches {
                canonical.push('.');
            }
        }
        canonical.push(character);
        previous = Some(character);
    }
    canonical
}

/// Components compare pairwise; a longer version is greater when its next component is a number,
/// and otherwise its remainder is compared with `#`, the rank of a number.
fn compare_components(left: &[Component], right: &[Component]) -> Ordering {
    let number_form = [Component::Form(NUMBER_FORM)];
    let common = left
        .iter()
        .zip(right)
        .map(|(left, right)| left.compare(right))
        .find(|ordering| ordering.is_ne());
    if let Some(ordering) = common {
        return ordering;
    }
    let shared = left.len().min(right.len());
    match (left.get(shared..), right.get(shared..)) {
        (Some([Component::Number(_), ..]), _) => Ordering::Greater,
        (_, Some([Component::Number(_), ..])) => Ordering::Less,
        (Some(rest @ [_, ..]), _) => compare_components(rest, &number_form),
        (_, Some(rest @ [_, ..])) => compare_components(&number_form, rest),
        _ => Ordering::Equal,
    }
}

impl Ord for ComposerVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        compare_components(&self.components, &other.components)
    }
}

impl PartialOrd for ComposerVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for ComposerVersion {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for ComposerVersion {}

#[cfg(test)]
mod tests {
    use std::cmp::Ordering;

    use super::canonical;
    use crate::Scheme;

    #[test]
    fn canonical_form_separates_digit_letter_switches() {
        assert_eq!(canonical("1.0rc1"), "1.0.rc.1");
        assert_eq!(canonical("4.3-2RC1"), "4.3.2.RC.1");
        assert_eq!(canonical("1.25.0-beta2.1"), "1.25.0.beta.2.1");
    }

    #[test]
    fn special_forms_order_dev_alpha_beta_rc_release_patch() {
        let ascending = ["1.0-dev", "1.0a1", "1.0b1", "1.0RC1", "1.0", "1.0pl1"];
        for pair in ascending.windows(2) {
            assert_eq!(
                Scheme::Packagist.compare(pair[0], pair[1]),
                Ok(Ordering::Less),
                "{pair:?}"
            );
        }
    }

    #[test]
    fn composer_normalisation_drops_v_and_stable() {
        assert_eq!(
            Scheme::Packagist.compare("v1.2.3", "1.2.3"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Packagist.compare("1.2.3-stable", "1.2.3"),
            Ok(Ordering::Equal)
        );
        assert_eq!(
            Scheme::Packagist.compare("1.2.3-STABLE", "1.2.3-dev"),
            Ok(Ordering::Greater)
        );
    }
}

//! Percent-encoding of purl components (ECMA-427 §5.4).

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use super::PurlError;

/// Bytes encoded in canonical purls: everything but `A-Z a-z 0-9 . - _ ~` and `:`, which the
/// standard says is never encoded, even inside a value.
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

/// The canonical percent-encoded form of one decoded segment or value.
pub(super) fn encode(text: &str) -> impl fmt::Display + '_ {
    utf8_percent_encode(text, ENCODED)
}

/// Decodes one segment or value. A `%` that does not start a two-hex-digit escape, or escapes
/// that do not spell UTF-8, are errors: `%` is only ever an escape in a purl.
pub(super) fn decode(text: &str) -> Result<String, PurlError> {
    let escapes_are_well_formed = text.split('%').skip(1).all(|after_percent| {
        after_percent
            .get(..2)
            .is_some_and(|hex| hex.bytes().all(|byte| byte.is_ascii_hexdigit()))
    });
    if !escapes_are_well_formed {
        return Err(PurlError::InvalidEncoding(text.to_owned()));
    }
    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| PurlError::InvalidEncoding(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_keeps_unreserved_characters_and_colon() {
        assert_eq!(encode("a-Z_0.9~:").to_string(), "a-Z_0.9~:");
    }

    #[test]
    fn encode_escapes_separators_space_plus_and_non_ascii() {
        assert_eq!(
            encode("a/b@c?d=e&f#g h+i%j,é").to_string(),
            "a%2Fb%40c%3Fd%3De%26f%23g%20h%2Bi%25j%2C%C3%A9"
        );
    }

    #[test]
    fn decode_reverses_escapes_in_either_case() {
        assert_eq!(
            decode("sha256%3a12%2Fx%C3%A9").as_deref(),
            Ok("sha256:12/xé")
        );
    }

    #[test]
    fn decode_rejects_a_bare_percent_and_a_truncated_escape() {
        for text in ["100%", "%4", "%zz", "%é0"] {
            assert_eq!(
                decode(text),
                Err(PurlError::InvalidEncoding(text.to_owned())),
                "{text}"
            );
        }
    }

    #[test]
    fn decode_rejects_escapes_that_are_not_utf8() {
        assert_eq!(
            decode("%FF%FE"),
            Err(PurlError::InvalidEncoding("%FF%FE".to_owned()))
        );
    }
}

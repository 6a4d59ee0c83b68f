//! Base64 as the formats here use it: standard alphabet with padding on output; standard or
//! URL-safe, padded or not, on input.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};

const LENIENT: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::STANDARD, LENIENT);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&base64::alphabet::URL_SAFE, LENIENT);

/// Decodes standard or URL-safe base64; one text may not mix the two alphabets. Line breaks
/// are skipped, as Go's and Python's decoders (and so Sigstore's clients) skip them.
pub(crate) fn decode_base64(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    let unwrapped: std::borrow::Cow<'_, str> = if text.contains(['\r', '\n']) {
        text.replace(['\r', '\n'], "").into()
    } else {
        text.into()
    };
    if unwrapped.contains(['-', '_']) {
        URL_SAFE_LENIENT.decode(unwrapped.as_bytes())
    } else {
        STANDARD_LENIENT.decode(unwrapped.as_bytes())
    }
}

pub(crate) fn encode_base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// `#[serde(with = "base64_bytes")]` for a `Vec<u8>` written as a base64 string.
pub(crate) mod base64_bytes {
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::encode_base64(bytes))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        super::decode_base64(&text)
            .map_err(|error| serde::de::Error::custom(format!("invalid base64: {error}")))
    }
}

/// `#[serde(with = "base64_bytes_option")]` for an optional base64 string.
pub(crate) mod base64_bytes_option {
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => super::base64_bytes::serialize(bytes, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?
            .map(|text| {
                super::decode_base64(&text)
                    .map_err(|error| serde::de::Error::custom(format!("invalid base64: {error}")))
            })
            .transpose()
    }
}

/// `#[serde(with = "base64_bytes_list")]` for a list of base64 strings.
pub(crate) mod base64_bytes_list {
    use serde::ser::SerializeSeq as _;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        list: &[Vec<u8>],
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let mut sequence = serializer.serialize_seq(Some(list.len()))?;
        for bytes in list {
            sequence.serialize_element(&super::encode_base64(bytes))?;
        }
        sequence.end()
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<Vec<u8>>, D::Error> {
        Vec::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?
            .iter()
            .map(|text| {
                super::decode_base64(text)
                    .map_err(|error| serde::de::Error::custom(format!("invalid base64: {error}")))
            })
            .collect()
    }
}

/// `#[serde(with = "int64")]`: proto3 JSON writes 64-bit integers as strings and reads strings
/// or numbers.
pub(crate) mod int64 {
    use serde::{Deserialize, Deserializer, Serializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum StringOrNumber<'a> {
        Number(i64),
        String(std::borrow::Cow<'a, str>),
    }

    pub(crate) fn serialize<S: Serializer>(value: &i64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
        match StringOrNumber::deserialize(deserializer)? {
            StringOrNumber::Number(number) => Ok(number),
            StringOrNumber::String(text) => text
                .parse()
                .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a 64-bit integer"))),
        }
    }
}

//! Lenient decoders for query parameters, which arrive as text in some
//! sources (case files, URLs) and as numbers in others.

use serde::{Deserialize, Deserializer};

#[derive(Deserialize)]
#[serde(untagged)]
enum NumOrText {
    Num(u64),
    Text(String),
}

/// Decodes an optional `u32` from a number or a decimal string.
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match Option::<NumOrText>::deserialize(d)? {
        None => Ok(None),
        Some(NumOrText::Num(n)) => u32::try_from(n).map(Some).map_err(serde::de::Error::custom),
        Some(NumOrText::Text(t)) => t.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Decodes an optional `i64` from a number or a decimal string.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum IntOrText {
        Int(i64),
        Text(String),
    }
    match Option::<IntOrText>::deserialize(d)? {
        None => Ok(None),
        Some(IntOrText::Int(n)) => Ok(Some(n)),
        Some(IntOrText::Text(t)) => t.trim().parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// Reads a boolean query value in every spelling the platform's clients
/// send: `true`/`True`/`TRUE`/`t`/`T`/`1` and `false`/`False`/`FALSE`/`f`/`F`/`0`
/// (Python's SDK sends `True`).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text.trim() {
        "1" | "t" | "T" | "true" | "True" | "TRUE" => Some(true),
        "0" | "f" | "F" | "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Decodes an optional `bool` from a boolean or a text spelling accepted by
/// [`parse_bool`].
pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum BoolOrText {
        Bool(bool),
        Text(String),
    }
    match Option::<BoolOrText>::deserialize(d)? {
        None => Ok(None),
        Some(BoolOrText::Bool(b)) => Ok(Some(b)),
        Some(BoolOrText::Text(t)) => parse_bool(&t).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{t}` is not a boolean (true/false, True/False, 1/0, t/f)"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Q {
        #[serde(default, deserialize_with = "opt_bool")]
        flag: Option<bool>,
    }

    #[test]
    fn every_client_spelling_of_a_boolean() {
        for (text, want) in [
            ("true", true),
            ("True", true),
            ("TRUE", true),
            ("1", true),
            ("t", true),
            ("false", false),
            ("False", false),
            ("FALSE", false),
            ("0", false),
            ("f", false),
        ] {
            let q: Q = serde_json::from_value(serde_json::json!({ "flag": text }))
                .unwrap_or(Q { flag: None });
            assert_eq!(q.flag, Some(want), "{text}");
        }
        let bad = serde_json::from_value::<Q>(serde_json::json!({"flag": "yes"}));
        assert!(bad.is_err_and(|e| e.to_string().contains("`yes` is not a boolean")));
    }
}

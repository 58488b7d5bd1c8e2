//! Decoding with the JSON path of a failure, shared by response and event
//! decoding so every decode error names the field that failed.

use serde::{de::DeserializeOwned, Deserialize};

/// A decode failure: where (`data.items[1].name`, `.` for the root) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The JSON path of the failing value. A missing field is named by its
    /// own path (`event.chat_id`), not by its parent's.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for PathError {}

impl PathError {
    /// Converts a path-tracking serde error.
    pub fn from_tracked(e: serde_path_to_error::Error<serde_json::Error>) -> Self {
        let parent = e.path().to_string();
        let message = e.into_inner().to_string();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.split('`').next())
            .map(str::to_owned);
        let path = match (missing, parent.as_str()) {
            (Some(field), "." | "") => field,
            (Some(field), p) => format!("{p}.{field}"),
            (None, "") => ".".to_owned(),
            (None, p) => p.to_owned(),
        };
        PathError { path, message }
    }

    /// Prefixes the path with `prefix` (`data`, ...).
    pub fn within(mut self, prefix: &str) -> Self {
        self.path = if self.path == "." {
            prefix.to_owned()
        } else if self.path.starts_with('[') {
            format!("{prefix}{}", self.path)
        } else {
            format!("{prefix}.{}", self.path)
        };
        self
    }
}

// Decoding runs plain serde_json first: tracking the path costs on every
// value, and it is only needed to explain a failure, so a failed decode is
// run again with tracking to name the path.

/// Decodes JSON text, naming the path of any failure (through the byte
/// decoder: one copy of each type's decoder serves both).
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, PathError> {
    from_slice(text.as_bytes())
}

/// Decodes JSON bytes, naming the path of any failure.
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, PathError> {
    serde_json::from_slice(bytes).or_else(|_| from_slice_tracked(bytes))
}

/// Decodes JSON bytes with path tracking only: for bytes a plain decode
/// already refused, to name the failure without decoding them a third time.
pub fn from_slice_tracked<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, PathError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(PathError::from_tracked)
}

/// Decodes a JSON value, naming the path of any failure.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, PathError> {
    T::deserialize(value)
        .or_else(|_| serde_path_to_error::deserialize(value).map_err(PathError::from_tracked))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        event: Inner,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        chat_id: String,
        items: Vec<u8>,
    }

    #[test]
    fn paths_name_the_failing_value() {
        let e = from_str::<Outer>(r#"{"event":{"items":[]}}"#).unwrap_err();
        assert_eq!(e.path, "event.chat_id");
        let e = from_str::<Outer>(r#"{}"#).unwrap_err();
        assert_eq!(e.path, "event");
        let e = from_str::<Outer>(r#"{"event":{"chat_id":"c","items":[1,"x"]}}"#).unwrap_err();
        assert_eq!(e.path, "event.items[1]");
        assert_eq!(e.within("data").path, "data.event.items[1]");
    }
}

//! Decoding with the JSON path of a failure, shared by response and event
//! decoding so every decode error names the field that failed.
//!
//! Decoding runs plain serde_json. A failure carries the byte position where
//! the decoder stopped, and the path is read from the JSON text up to that
//! position (see [`locate`]): the text is not decoded a second time, and no
//! type needs a second, path-tracking copy of its decoder.

use serde::{de::DeserializeOwned, Deserialize};
use serde_json::error::Category;

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

/// Decodes JSON text, naming the path of any failure.
pub fn from_str<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, PathError> {
    from_slice(text.as_bytes())
}

/// Decodes JSON bytes, naming the path of any failure.
pub fn from_slice<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, PathError> {
    serde_json::from_slice(bytes).map_err(|e| locate(bytes, &e))
}

/// Decodes a JSON value, naming the path of any failure. A value that does
/// not decode is written out as text and decoded from it, to find the path;
/// the message then leaves out that text's line and column.
pub fn from_value<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, PathError> {
    T::deserialize(value).or_else(|_| {
        let text = serde_json::to_vec(value).map_err(|e| PathError {
            path: ".".to_owned(),
            message: e.to_string(),
        })?;
        serde_json::from_slice(&text).map_err(|e| PathError {
            message: message_of(&e),
            ..locate(&text, &e)
        })
    })
}

/// The path and message of `error`, a failure of decoding `bytes`.
///
/// The path is that of the value the decoder was in when it stopped.
/// serde_json reports a value's failure at the end of that value (at its
/// first byte when its kind was wrong), and the failure of an object or an
/// array as a whole (a missing field, a wrong length) at its end; so the
/// containers open at that position, with the key or index last reached in
/// each, name the value. A missing field is named by its own path.
pub fn locate(bytes: &[u8], error: &serde_json::Error) -> PathError {
    let message = error.to_string();
    let mut stop = offset_of(bytes, error.line(), error.column());
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match error.classify() {
        // A syntax error is reported just past the byte it refused.
        Category::Syntax => stop = stop.saturating_sub(1),
        // A whole object or array failed: reported at its end, as it should.
        Category::Data if missing.is_some() || message.starts_with("invalid length") => {}
        Category::Data => stop = value_end(bytes, stop, &message),
        Category::Io | Category::Eof => {}
    }
    let mut path = render(&scan(&bytes[..stop]));
    if let Some(field) = missing {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(field);
    }
    if path.is_empty() {
        path.push('.');
    }
    PathError { path, message }
}

/// Where the failing value ends, for a failure of a value reported at
/// `stop`.
///
/// - A container of the wrong kind is refused at its first byte, or just
///   past it (a decoder without a visitor for it).
/// - A failure raised once the value is read (a validating decoder) is
///   reported where the value's container stopped: past the next `,` in an
///   array, or past the container's own `}` or `]` when the value was its
///   last member. A scalar value cannot end in a bracket, so such a bracket
///   is the container's. When the failure may be about a container value
///   (the value is of the wrong kind for a decoder that reads any kind),
///   the bracket is the value's own if a `,` follows: its container had
///   more to read.
fn value_end(bytes: &[u8], stop: usize, message: &str) -> usize {
    let at = |i: usize| bytes.get(i).copied();
    let refused = |kind: &str, open: u8| message.starts_with(kind) && at(stop) == Some(open);
    if refused("invalid type: map", b'{') || refused("invalid type: sequence", b'[') {
        return stop;
    }
    let Some(last) = bytes[..stop].iter().rposition(|b| !b.is_ascii_whitespace()) else {
        return stop;
    };
    let any_kind = [
        "invalid type: map",
        "invalid type: sequence",
        "data did not match",
    ]
    .iter()
    .any(|start| message.starts_with(start));
    let comma_follows = bytes[stop..]
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b',');
    match bytes[last] {
        b',' | b'[' | b'{' => last,
        b'}' | b']' if any_kind && comma_follows => stop,
        b'}' | b']' => last,
        _ => stop,
    }
}

/// The byte offset of serde_json's (1-based line, 0-based byte column),
/// within `bytes`.
fn offset_of(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes[start..].iter().position(|&b| b == b'\n') {
            Some(newline) => start += newline + 1,
            None => break,
        }
    }
    (start + column).min(bytes.len())
}

/// `error`'s message without serde_json's position.
fn message_of(error: &serde_json::Error) -> String {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    match full.strip_suffix(&suffix) {
        Some(message) => message.to_owned(),
        None => full,
    }
}

/// A container open at the failure.
#[derive(Debug)]
enum Frame {
    /// An object, with the last key read, and whether its value has begun
    /// (its `:` read): a failure right after a key (an unknown variant
    /// name, a repeated field) is the object's.
    Object(Option<String>, bool),
    /// An array, with the index of the element being read.
    Array(usize),
}

/// The containers open at the end of `prefix`, a prefix of a JSON text,
/// outermost first. A string left open ends the scan where it starts.
fn scan(prefix: &[u8]) -> Vec<Frame> {
    let mut frames: Vec<Frame> = Vec::new();
    // Whether the next string is an object's key.
    let mut key_next = false;
    let mut i = 0;
    while i < prefix.len() {
        let byte = prefix[i];
        match byte {
            b'{' => {
                frames.push(Frame::Object(None, false));
                key_next = true;
            }
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
                key_next = false;
            }
            b',' => match frames.last_mut() {
                Some(Frame::Object(key, value)) => {
                    (*key, *value) = (None, false);
                    key_next = true;
                }
                Some(Frame::Array(index)) => *index += 1,
                None => return frames,
            },
            b':' => {
                if let Some(Frame::Object(_, value)) = frames.last_mut() {
                    *value = true;
                }
                key_next = false;
            }
            b'"' => {
                let Some(end) = string_end(prefix, i) else {
                    return frames;
                };
                if key_next {
                    if let Some(Frame::Object(key, _)) = frames.last_mut() {
                        *key = Some(key_text(&prefix[i..=end]));
                    }
                    key_next = false;
                }
                i = end;
            }
            _ => {}
        }
        i += 1;
    }
    frames
}

/// The index of the quote that closes the string opening at `open`.
fn string_end(text: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    while i < text.len() {
        match text[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A key's text, its escapes resolved.
fn key_text(quoted: &[u8]) -> String {
    serde_json::from_slice::<String>(quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(&quoted[1..quoted.len() - 1]).into_owned())
}

/// The path through `frames`: each container's current member.
fn render(frames: &[Frame]) -> String {
    let mut path = String::new();
    for frame in frames {
        match frame {
            Frame::Object(Some(key), true) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(..) => {}
            Frame::Array(index) => path.push_str(&format!("[{index}]")),
        }
    }
    path
}

#[cfg(test)]
mod tests;

//! The case format (v1), as fixed in `CASE-FORMAT.md`: one file per
//! operation, holding many cases. Unknown keys are refused, so that a typo in
//! a hand-written case fails loudly instead of silently checking less.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// One case file: `{"operation", "doc", "cases": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// `{project}.{version}.{resource}.{method}`, or `event:{event_type}`.
    pub operation: String,
    /// Link to the documentation page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The cases.
    pub cases: Vec<Case>,
}

/// What a case stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A documented request/response (or event) example.
    Example,
    /// A documented error-code row.
    Error,
    /// Anything else: unknown enum values, missing optional fields, odd bodies.
    Edge,
}

impl Kind {
    /// The name used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Example => "example",
            Kind::Error => "error",
            Kind::Edge => "edge",
        }
    }
}

/// Which token a call carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// `Bearer t-conformance` (the default when `auth` is absent).
    #[default]
    Tenant,
    /// `Bearer u-conformance`.
    User,
    /// No bearer token (the auth endpoints).
    None,
}

/// One case: an API call (`input`/`request`/`response`) or an event (`event`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// A short description, unique within the file.
    pub name: String,
    /// Example, error or edge.
    pub kind: Kind,
    /// The token the call carries (API cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth: Option<Auth>,
    /// The operation's parameters (API cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Input>,
    /// What must go on the wire; may be omitted when only the response
    /// handling is under test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<ExpectedRequest>,
    /// What the server answers (API cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<CannedResponse>,
    /// The callback body as delivered (event cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<Value>,
    /// The expected outcome.
    pub expect: Expect,
}

impl Case {
    /// Whether this is an event case (it has an `event` body).
    pub fn is_event(&self) -> bool {
        self.event.is_some()
    }
}

/// The operation's parameters, split into path, query and body.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Path parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Value>,
    /// Query parameters (text or typed values).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Value>,
    /// Request body. `null` and absent both mean "no body".
    #[serde(default, deserialize_with = "present")]
    pub body: Option<Value>,
}

/// What must go on the wire.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedRequest {
    /// HTTP method, exact.
    pub method: String,
    /// Path with percent-encoded segments, exact.
    pub path: String,
    /// Decoded query values, order-free; a list means a repeated key.
    /// Absent: not checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Map<String, Value>>,
    /// A subset of the headers sent; names are case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// The JSON body sent, exactly (key order free). `null`: no body is
    /// sent. Absent: not checked.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub body: Option<Value>,
    /// The parts of a `multipart/form-data` body (uploads), compared as
    /// parsed fields, order-free by name: never as raw bytes, whose
    /// boundary is the encoder's choice. Absent: not a multipart body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multipart: Option<Vec<ExpectedPart>>,
}

/// One expected field of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedPart {
    /// The field name.
    pub name: String,
    /// The part's bytes, as UTF-8 text.
    pub value: String,
    /// The file name, for a file part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
    /// The part's `Content-Type`, when checked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
}

/// What the server answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CannedResponse {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// A JSON body, or a string for a raw (possibly non-JSON) body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

impl CannedResponse {
    /// The body bytes and whether they are JSON.
    pub fn body_bytes(&self) -> (Vec<u8>, bool) {
        match &self.body {
            None => (Vec::new(), false),
            Some(Value::String(raw)) => (raw.clone().into_bytes(), false),
            Some(json) => (json.to_string().into_bytes(), true),
        }
    }
}

/// The expected outcome: `data`, `data_includes`, or `error`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The typed output, serialized back, equals this exactly.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub data: Option<Value>,
    /// Every key given is present in the output and equal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_includes: Option<Map<String, Value>>,
    /// The call fails like this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ExpectError>,
}

/// How a call must fail; each key is checked when present.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectError {
    /// `api`, `http` or `decode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ErrorKind>,
    /// The Feishu code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<i64>,
    /// The HTTP status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    /// The `x-tt-logid` response header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_id: Option<String>,
    /// Whether the client may retry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
}

/// The kind of a failed call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A non-zero Feishu `code`.
    Api,
    /// A non-2xx status without a Feishu body.
    Http,
    /// A body that is not the documented shape.
    Decode,
}

impl ErrorKind {
    /// The name used in case files.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api",
            ErrorKind::Http => "http",
            ErrorKind::Decode => "decode",
        }
    }
}

/// Keeps a present `null` apart from an absent key: absent gives `None`
/// (through `#[serde(default)]`), present gives `Some(value)`, `null` included.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn null_body_is_kept_apart_from_absent_body() {
        let with_null: ExpectedRequest =
            serde_json::from_str(r#"{"method":"GET","path":"/x","body":null}"#).unwrap();
        assert_eq!(with_null.body, Some(Value::Null));
        let absent: ExpectedRequest =
            serde_json::from_str(r#"{"method":"GET","path":"/x"}"#).unwrap();
        assert_eq!(absent.body, None);
        assert_eq!(
            serde_json::to_string(&with_null).unwrap(),
            r#"{"method":"GET","path":"/x","body":null}"#
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = serde_json::from_str::<Expect>(r#"{"date": {}}"#).unwrap_err();
        assert!(err.to_string().contains("unknown field `date`"), "{err}");
    }

    #[test]
    fn raw_string_body_is_not_json() {
        let r = CannedResponse {
            status: 502,
            headers: None,
            body: Some(Value::String("<html>".into())),
        };
        assert_eq!(r.body_bytes(), (b"<html>".to_vec(), false));
    }
}

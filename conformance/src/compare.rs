//! Comparisons that explain themselves: every mismatch names a JSON path and
//! shows what was expected and what was got. The JSON diff and the request
//! matcher are `feishu_transport::replay`'s, the same that users' tests get
//! from `ScriptedTransport`.

use std::collections::BTreeMap;

use feishu_transport::http::Method;
use feishu_transport::replay::{RecordedRequest, RequestMatcher};
use serde_json::{Map, Value};

pub use feishu_transport::replay::{diff, includes, show, Problem, ABSENT};

use crate::case::{Auth, ExpectedPart, ExpectedRequest};

/// The expected query as `key → values`: a string is one value, a list
/// repeats the key, numbers and booleans are written as text.
fn expected_query(query: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    query
        .iter()
        .map(|(k, v)| {
            let values = match v {
                Value::Array(items) => items.iter().map(text).collect(),
                one => vec![text(one)],
            };
            (k.clone(), values)
        })
        .collect()
}

/// Compares a request sent by the client with what the case expects.
pub fn request(expected: &ExpectedRequest, auth: Auth, sent: &RecordedRequest) -> Vec<Problem> {
    let Ok(method) = Method::from_bytes(expected.method.as_bytes()) else {
        return vec![Problem::new(
            "request.method",
            "an HTTP method",
            &expected.method,
        )];
    };
    let mut matcher = RequestMatcher::new(method, &expected.path);
    if let Some(query) = &expected.query {
        matcher = matcher.query_exactly(expected_query(query));
    }
    for (name, value) in expected.headers.iter().flatten() {
        matcher = matcher.header(name, value);
    }
    matcher = match &expected.body {
        None => matcher,
        Some(Value::Null) => matcher.no_body(),
        Some(body) => matcher.json_body(body.clone()),
    };
    let mut out = matcher.check(sent);
    if let Some(parts) = &expected.multipart {
        out.extend(multipart(parts, sent));
    }
    if auth == Auth::None && sent.header("authorization").is_some() {
        out.push(Problem::new(
            "request.headers.authorization",
            ABSENT,
            "\"***\"",
        ));
    }
    out
}

/// Compares a sent `multipart/form-data` body with the expected parts:
/// parsed with the boundary its `Content-Type` names, fields matched by
/// name (order-free), each field's text, file name and content type.
pub fn multipart(expected: &[ExpectedPart], sent: &RecordedRequest) -> Vec<Problem> {
    let Some(content_type) = sent.header("content-type") else {
        return vec![Problem::new(
            "request.headers.content-type",
            "multipart/form-data; boundary=...",
            ABSENT,
        )];
    };
    let parts = match feishu_model::multipart::parse(content_type, &sent.body) {
        Ok(parts) => parts,
        Err(e) => {
            return vec![Problem::new(
                "request.multipart",
                "a multipart/form-data body",
                e.to_string(),
            )]
        }
    };
    let mut out = Vec::new();
    let mut sent_names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let mut want_names: Vec<&str> = expected.iter().map(|p| p.name.as_str()).collect();
    sent_names.sort_unstable();
    want_names.sort_unstable();
    if sent_names != want_names {
        out.push(Problem::new(
            "request.multipart (field names)",
            format!("{want_names:?}"),
            format!("{sent_names:?}"),
        ));
    }
    for want in expected {
        let Some(got) = parts.iter().find(|p| p.name == want.name) else {
            continue;
        };
        let at = |what: &str| format!("request.multipart.{}.{what}", want.name);
        let text = String::from_utf8_lossy(&got.body);
        if text != want.value {
            out.push(Problem::new(at("value"), &want.value, text.as_ref()));
        }
        if got.file_name != want.file_name {
            out.push(Problem::new(
                at("file_name"),
                format!("{:?}", want.file_name),
                format!("{:?}", got.file_name),
            ));
        }
        if want.content_type.is_some() && got.content_type != want.content_type {
            out.push(Problem::new(
                at("content_type"),
                format!("{:?}", want.content_type),
                format!("{:?}", got.content_type),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn sent(url: &str, body: Option<&str>) -> RecordedRequest {
        let mut r = feishu_transport::http::Request::new(bytes::Bytes::from(
            body.unwrap_or_default().to_owned(),
        ));
        *r.uri_mut() = url.parse().unwrap();
        r.headers_mut()
            .insert("authorization", "Bearer t-conformance".parse().unwrap());
        RecordedRequest::of(&r)
    }

    #[test]
    fn query_is_decoded_order_free_and_repeats_keys() {
        let expected: ExpectedRequest = serde_json::from_value(json!({
            "method": "GET", "path": "/p",
            "query": {"q": "on call", "ids": ["a", "b"], "page_size": 20},
            "body": null
        }))
        .unwrap();
        let ok = sent("https://h/p?page_size=20&ids=a&q=on+call&ids=b", None);
        assert_eq!(request(&expected, Auth::Tenant, &ok), vec![]);
        let bad = sent("https://h/p?q=on%20call&ids=a", Some("{}"));
        let lines: Vec<String> = request(&expected, Auth::Tenant, &bad)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            vec![
                "request.query.ids: expected [\"a\",\"b\"], got \"a\"",
                "request.query.page_size: expected \"20\", got (absent)",
                "request.body: expected no body, got {}",
            ]
        );
    }

    #[test]
    fn auth_none_refuses_any_bearer_token() {
        let expected: ExpectedRequest =
            serde_json::from_value(json!({"method": "GET", "path": "/p"})).unwrap();
        let problems = request(&expected, Auth::None, &sent("https://h/p", None));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "request.headers.authorization");
    }
}

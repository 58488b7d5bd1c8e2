//! Comparisons that explain themselves: every mismatch names a JSON path and
//! shows what was expected and what was got.

use std::collections::BTreeMap;
use std::fmt;

use feishu_transport::HttpRequest;
use serde_json::{Map, Value};

use crate::case::{Auth, ExpectedRequest};

/// One mismatch: where, what was expected, what was got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON path (`data.items[0].name`) or the aspect checked (`request.method`).
    pub path: String,
    /// The expected value, as compact JSON or text.
    pub expected: String,
    /// The value got, as compact JSON or text.
    pub got: String,
}

impl Problem {
    /// A mismatch at `path`.
    pub fn new(
        path: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, got {}",
            self.path, self.expected, self.got
        )
    }
}

/// Marker shown for a missing value.
pub const ABSENT: &str = "(absent)";

/// A value as compact JSON, cut to a readable length.
pub fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 160 {
        let cut: String = text.chars().take(157).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// Appends every difference between `expected` and `got` under `path`.
/// Objects compare key by key (order free), arrays element by element.
pub fn diff(path: &str, expected: &Value, got: &Value, out: &mut Vec<Problem>) {
    match (expected, got) {
        (Value::Object(e), Value::Object(g)) => {
            let keys: std::collections::BTreeSet<&String> = e.keys().chain(g.keys()).collect();
            for key in keys {
                let at = child(path, key);
                match (e.get(key), g.get(key)) {
                    (Some(ev), Some(gv)) => diff(&at, ev, gv, out),
                    (Some(ev), None) => out.push(Problem::new(at, show(ev), ABSENT)),
                    (None, Some(gv)) => out.push(Problem::new(at, ABSENT, show(gv))),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(e), Value::Array(g)) => {
            if e.len() != g.len() {
                out.push(Problem::new(
                    format!("{path}.length"),
                    e.len().to_string(),
                    g.len().to_string(),
                ));
            }
            for (i, (ev, gv)) in e.iter().zip(g.iter()).enumerate() {
                diff(&format!("{path}[{i}]"), ev, gv, out);
            }
        }
        (e, g) if e == g => {}
        (e, g) => out.push(Problem::new(path, show(e), show(g))),
    }
}

/// Appends a difference for every key of `expected` that `got` lacks or
/// holds with another value (`expect.data_includes`).
pub fn includes(path: &str, expected: &Map<String, Value>, got: &Value, out: &mut Vec<Problem>) {
    let Value::Object(g) = got else {
        out.push(Problem::new(path, "an object", show(got)));
        return;
    };
    for (key, ev) in expected {
        let at = child(path, key);
        match g.get(key) {
            Some(gv) => diff(&at, ev, gv, out),
            None => out.push(Problem::new(at, show(ev), ABSENT)),
        }
    }
}

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

fn show_values(values: Option<&Vec<String>>) -> String {
    match values.map(Vec::as_slice) {
        None | Some([]) => ABSENT.to_owned(),
        Some([one]) => Value::String(one.clone()).to_string(),
        Some(many) => Value::from(many.to_vec()).to_string(),
    }
}

/// Compares a request sent by the client with what the case expects.
pub fn request(expected: &ExpectedRequest, auth: Auth, sent: &HttpRequest) -> Vec<Problem> {
    let mut out = Vec::new();
    if expected.method != sent.method.as_str() {
        out.push(Problem::new(
            "request.method",
            &expected.method,
            sent.method.as_str(),
        ));
    }
    let url = match url::Url::parse(&sent.url) {
        Ok(url) => url,
        Err(e) => {
            out.push(Problem::new(
                "request.url",
                "an absolute URL",
                format!("{} ({e})", sent.url),
            ));
            return out;
        }
    };
    if expected.path != url.path() {
        out.push(Problem::new("request.path", &expected.path, url.path()));
    }
    if let Some(query) = &expected.query {
        let want = expected_query(query);
        let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in url.query_pairs() {
            got.entry(k.into_owned()).or_default().push(v.into_owned());
        }
        let keys: std::collections::BTreeSet<&String> = want.keys().chain(got.keys()).collect();
        for key in keys {
            if want.get(key) != got.get(key) {
                out.push(Problem::new(
                    format!("request.query.{key}"),
                    show_values(want.get(key)),
                    show_values(got.get(key)),
                ));
            }
        }
    }
    for (name, value) in expected.headers.iter().flatten() {
        match sent.header(name) {
            Some(v) if v == value => {}
            Some(v) => out.push(Problem::new(
                format!("request.headers.{}", name.to_ascii_lowercase()),
                Value::String(value.clone()).to_string(),
                Value::String(redact(name, v)).to_string(),
            )),
            None => out.push(Problem::new(
                format!("request.headers.{}", name.to_ascii_lowercase()),
                Value::String(value.clone()).to_string(),
                ABSENT,
            )),
        }
    }
    if auth == Auth::None {
        if let Some(v) = sent.header("authorization") {
            out.push(Problem::new(
                "request.headers.authorization",
                ABSENT,
                Value::String(redact("authorization", v)).to_string(),
            ));
        }
    }
    match (&expected.body, &sent.body) {
        (None, _) | (Some(Value::Null), None) => {}
        (Some(Value::Null), Some(bytes)) => out.push(Problem::new(
            "request.body",
            "no body",
            String::from_utf8_lossy(bytes).into_owned(),
        )),
        (Some(want), None) => out.push(Problem::new("request.body", show(want), "no body")),
        (Some(want), Some(bytes)) => match serde_json::from_slice::<Value>(bytes) {
            Ok(got) => diff("request.body", want, &got, &mut out),
            Err(e) => out.push(Problem::new(
                "request.body",
                show(want),
                format!("invalid JSON ({e})"),
            )),
        },
    }
    out
}

/// Only the fixed conformance tokens may be shown; anything else in an
/// authorization header is masked.
fn redact(name: &str, value: &str) -> String {
    let fixed = ["Bearer t-conformance", "Bearer u-conformance"];
    if name.eq_ignore_ascii_case("authorization") && !fixed.contains(&value) {
        "***".to_owned()
    } else {
        value.to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use feishu_model::Method;
    use serde_json::json;

    #[test]
    fn diff_names_paths_of_changed_missing_and_extra_values() {
        let mut out = Vec::new();
        diff(
            "data",
            &json!({"a": 1, "items": [{"name": "x"}], "gone": true}),
            &json!({"a": 2, "items": [{"name": "y"}], "new": null}),
            &mut out,
        );
        let lines: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "data.a: expected 1, got 2",
                "data.gone: expected true, got (absent)",
                "data.items[0].name: expected \"x\", got \"y\"",
                "data.new: expected (absent), got null",
            ]
        );
    }

    fn sent(url: &str, body: Option<&str>) -> HttpRequest {
        HttpRequest {
            method: Method::Get,
            url: url.into(),
            headers: vec![("authorization".into(), "Bearer t-conformance".into())],
            body: body.map(|b| bytes::Bytes::from(b.to_owned())),
        }
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

//! A recorded request, and a matcher that compares one against what a test
//! expects: method, path, query (order free, repeated keys kept), chosen
//! headers, and the JSON body compared semantically.

use std::collections::BTreeMap;
use std::fmt;

use bytes::Bytes;
use serde_json::Value;

use crate::replay::diff::{diff, show, Problem, ABSENT};
use crate::transport::{header_str, is_sensitive_header, HeaderMap, HttpRequest, Uri};
use http::Method;

/// A request as a test transport saw it. Unlike `http::Request`, it is
/// `Clone`, and it reads its own query, headers and JSON body.
#[derive(Clone)]
pub struct RecordedRequest {
    /// The method.
    pub method: Method,
    /// The absolute URI, query included.
    pub uri: Uri,
    /// The headers.
    pub headers: HeaderMap,
    /// The body (empty when none was sent).
    pub body: Bytes,
}

impl RecordedRequest {
    /// Records `request`.
    pub fn of(request: &HttpRequest) -> Self {
        RecordedRequest {
            method: request.method().clone(),
            uri: request.uri().clone(),
            headers: request.headers().clone(),
            body: request.body().clone(),
        }
    }

    /// The full URL as text.
    pub fn url(&self) -> String {
        self.uri.to_string()
    }

    /// The path, still percent-encoded.
    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The decoded query pairs, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        url::form_urlencoded::parse(self.uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect()
    }

    /// The first value of the query key `name`.
    pub fn query(&self, name: &str) -> Option<String> {
        self.query_pairs()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// The value of header `name` (case-insensitive) as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        header_str(&self.headers, name)
    }

    /// The body parsed as JSON (`None`: no body, or not JSON).
    pub fn json(&self) -> Option<Value> {
        if self.body.is_empty() {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }
}

impl fmt::Debug for RecordedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedRequest")
            .field("method", &self.method)
            .field("uri", &self.uri)
            .field("headers", &self.headers)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// What a request must look like. Unset parts are not checked.
#[derive(Debug, Clone)]
pub struct RequestMatcher {
    method: Method,
    path: String,
    query: Option<BTreeMap<String, Vec<String>>>,
    headers: Vec<(String, String)>,
    all_headers_except: Option<Vec<String>>,
    body: Option<Option<Value>>,
}

impl RequestMatcher {
    /// Matches `method` and `path` (compared percent-encoded, as sent).
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        RequestMatcher {
            method,
            path: path.into(),
            query: None,
            headers: Vec::new(),
            all_headers_except: None,
            body: None,
        }
    }

    /// A matcher for exactly `request`: its method, path, query, every
    /// header but those in `ignored` (case-insensitive), and its JSON body.
    pub fn like(request: &RecordedRequest, ignored: &[&str]) -> Self {
        let mut m = RequestMatcher::new(request.method.clone(), request.path());
        for (k, v) in request.query_pairs() {
            m = m.query(k, v);
        }
        if request.uri.query().is_none() {
            m.query = Some(BTreeMap::new());
        }
        let ignored: Vec<String> = ignored.iter().map(|h| h.to_ascii_lowercase()).collect();
        for (name, value) in &request.headers {
            if !ignored.contains(&name.as_str().to_owned()) {
                if let Ok(v) = value.to_str() {
                    m.headers.push((name.as_str().to_owned(), v.to_owned()));
                }
            }
        }
        m.all_headers_except = Some(ignored);
        m.body = Some(request.json().or_else(|| {
            (!request.body.is_empty())
                .then(|| Value::String(String::from_utf8_lossy(&request.body).into_owned()))
        }));
        m
    }

    /// Requires the query key `name` with `value` (call again to require a
    /// repeated key). Once any is set, keys not listed are mismatches.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query
            .get_or_insert_with(BTreeMap::new)
            .entry(name.into())
            .or_default()
            .push(value.into());
        self
    }

    /// Requires exactly this query (no key other than those given).
    pub fn query_exactly(mut self, pairs: BTreeMap<String, Vec<String>>) -> Self {
        self.query = Some(pairs);
        self
    }

    /// Requires header `name` (case-insensitive) with exactly `value`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Requires this JSON body, compared semantically (key order and
    /// whitespace do not matter).
    pub fn json_body(mut self, body: Value) -> Self {
        self.body = Some(Some(body));
        self
    }

    /// Requires that no body was sent.
    pub fn no_body(mut self) -> Self {
        self.body = Some(None);
        self
    }

    /// The method and path, for messages.
    pub fn describe(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// Every way `sent` differs from this matcher (empty: it matches).
    pub fn check(&self, sent: &RecordedRequest) -> Vec<Problem> {
        let mut out = Vec::new();
        if self.method != sent.method {
            out.push(Problem::new(
                "request.method",
                self.method.as_str(),
                sent.method.as_str(),
            ));
        }
        if self.path != sent.path() {
            out.push(Problem::new("request.path", &self.path, sent.path()));
        }
        if let Some(want) = &self.query {
            check_query(want, sent, &mut out);
        }
        for (name, value) in &self.headers {
            check_header(name, Some(value), sent.header(name), &mut out);
        }
        if let Some(ignored) = &self.all_headers_except {
            for name in sent.headers.keys() {
                let listed = self.headers.iter().any(|(n, _)| n == name.as_str());
                if !listed && !ignored.iter().any(|i| i == name.as_str()) {
                    check_header(name.as_str(), None, sent.header(name.as_str()), &mut out);
                }
            }
        }
        if let Some(body) = &self.body {
            check_body(body.as_ref(), sent, &mut out);
        }
        out
    }
}

fn show_values(values: Option<&Vec<String>>) -> String {
    match values.map(Vec::as_slice) {
        None | Some([]) => ABSENT.to_owned(),
        Some([one]) => Value::String(one.clone()).to_string(),
        Some(many) => Value::from(many.to_vec()).to_string(),
    }
}

fn check_query(
    want: &BTreeMap<String, Vec<String>>,
    sent: &RecordedRequest,
    out: &mut Vec<Problem>,
) {
    let mut got: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in sent.query_pairs() {
        got.entry(k).or_default().push(v);
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

fn shown_header(name: &str, value: &str) -> String {
    let value = if is_sensitive_header(name) {
        "***"
    } else {
        value
    };
    Value::String(value.to_owned()).to_string()
}

fn check_header(name: &str, want: Option<&String>, got: Option<&str>, out: &mut Vec<Problem>) {
    let at = || format!("request.headers.{}", name.to_ascii_lowercase());
    match (want, got) {
        (Some(w), Some(g)) if w == g => {}
        (None, None) => {}
        (Some(w), g) => out.push(Problem::new(
            at(),
            Value::String(w.clone()).to_string(),
            g.map_or_else(|| ABSENT.to_owned(), |g| shown_header(name, g)),
        )),
        (None, Some(g)) => out.push(Problem::new(at(), ABSENT, shown_header(name, g))),
    }
}

fn check_body(want: Option<&Value>, sent: &RecordedRequest, out: &mut Vec<Problem>) {
    let bytes = &sent.body;
    match want {
        None | Some(Value::Null) if bytes.is_empty() => {}
        None | Some(Value::Null) => out.push(Problem::new(
            "request.body",
            "no body",
            String::from_utf8_lossy(bytes).into_owned(),
        )),
        Some(want) if bytes.is_empty() => {
            out.push(Problem::new("request.body", show(want), "no body"))
        }
        Some(want) => match serde_json::from_slice::<Value>(bytes) {
            Ok(got) => diff("request.body", want, &got, out),
            Err(e) => out.push(Problem::new(
                "request.body",
                show(want),
                format!("invalid JSON ({e})"),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(url: &str, body: &str) -> RecordedRequest {
        let mut r = http::Request::new(Bytes::from(body.to_owned()));
        *r.uri_mut() = url.parse().unwrap();
        r.headers_mut()
            .insert("authorization", "Bearer t-secret".parse().unwrap());
        r.headers_mut()
            .insert("x-request-id", "r-1".parse().unwrap());
        RecordedRequest::of(&r)
    }

    #[test]
    fn query_is_decoded_order_free_and_repeats_keys() {
        let m = RequestMatcher::new(Method::GET, "/p")
            .query("q", "on call")
            .query("ids", "a")
            .query("ids", "b")
            .query("page_size", "20")
            .no_body();
        let ok = sent("https://h/p?page_size=20&ids=a&q=on+call&ids=b", "");
        assert_eq!(m.check(&ok), vec![]);
        let bad = sent("https://h/p?q=on%20call&ids=a", "{}");
        let lines: Vec<String> = m.check(&bad).iter().map(ToString::to_string).collect();
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
    fn json_bodies_compare_semantically_and_secrets_stay_hidden() {
        let m = RequestMatcher::new(Method::GET, "/p")
            .json_body(json!({"a": 1, "b": [1, 2]}))
            .header("authorization", "Bearer other");
        let got = sent("https://h/p", r#"{ "b": [1,2], "a": 1 }"#);
        let problems = m.check(&got);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].path, "request.headers.authorization");
        assert_eq!(problems[0].got, "\"***\"");
    }

    #[test]
    fn like_ignores_listed_headers_only() {
        let recorded = sent("https://h/p?x=1", r#"{"a":1}"#);
        let mut again = sent("https://h/p?x=1", r#"{"a": 1}"#);
        again
            .headers
            .insert("authorization", "Bearer t-new".parse().unwrap());
        assert_eq!(
            RequestMatcher::like(&recorded, &["authorization"]).check(&again),
            vec![]
        );
        again.headers.insert("x-request-id", "r-2".parse().unwrap());
        let problems = RequestMatcher::like(&recorded, &["Authorization"]).check(&again);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].path, "request.headers.x-request-id");
    }
}

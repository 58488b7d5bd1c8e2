//! Turning a page into its cases: one example per documented example pair,
//! one error case per error row, and the edge cases the page implies.

use std::collections::{BTreeMap, BTreeSet};

use feishu_model::{codes, ResponseShape};
use serde_json::{json, Map, Value};

use super::index::IndexRow;
use super::markdown;
use super::page::{DocPage, ExampleKind, Field};
use crate::case::{
    Auth, CannedResponse, Case, CaseFile, ErrorKind, Expect, ExpectError, ExpectedPart,
    ExpectedRequest, Input, Kind,
};
use crate::coverage::PageCounts;
use crate::run::{TENANT_TOKEN, USER_TOKEN};

/// The value put in place of a documented enum value by the
/// "unknown enum values" edge case.
pub const UNKNOWN_ENUM_VALUE: &str = "value_added_later";

/// A generated case file and the page's counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Generated {
    /// The case file.
    pub file: CaseFile,
    /// What the page holds.
    pub counts: PageCounts,
}

/// Hands out deterministic `x-tt-logid` values, one per case.
struct LogIds(u64);

impl LogIds {
    fn next(&mut self) -> String {
        self.0 += 1;
        format!("20241121120000{:016}", self.0)
    }
}

fn log_headers(id: &str) -> BTreeMap<String, String> {
    BTreeMap::from([("x-tt-logid".to_owned(), id.to_owned())])
}

/// Percent-encodes a path segment: everything but the RFC 3986 unreserved
/// characters.
fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn fill(template: &str, params: &[(String, String)]) -> Result<String, String> {
    template
        .split('/')
        .map(|seg| match seg.strip_prefix(':') {
            Some(name) => params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| encode_segment(v))
                .ok_or_else(|| format!("path parameter `{name}` has no documented example")),
            None => Ok(seg.to_owned()),
        })
        .collect::<Result<Vec<_>, _>>()
        .map(|segs| segs.join("/"))
}

/// Applies `f` to the object holding the last key of `path`, through every
/// element of any array on the way.
fn at_path(value: &mut Value, path: &[String], f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    match value {
        Value::Array(items) => {
            for item in items {
                at_path(item, path, f);
            }
        }
        Value::Object(map) => match path {
            [] => {}
            [last] => f(map, last),
            [first, rest @ ..] => {
                if let Some(child) = map.get_mut(first) {
                    at_path(child, rest, f);
                }
            }
        },
        _ => {}
    }
}

/// Replaces every documented string enum value present in `body`.
fn with_unknown_enums(body: &Value, fields: &[Field]) -> Option<Value> {
    let mut copy = body.clone();
    let mut changed = 0;
    for f in fields.iter().filter(|f| f.is_enum() && f.ty == "string") {
        at_path(&mut copy, &f.path, &mut |map, key| {
            if let Some(Value::String(s)) = map.get_mut(key) {
                *s = UNKNOWN_ENUM_VALUE.to_owned();
                changed += 1;
            }
        });
    }
    (changed > 0).then_some(copy)
}

/// Removes every field the page says is not always returned.
fn without_sometimes_absent(body: &Value, fields: &[Field]) -> Option<Value> {
    let mut copy = body.clone();
    let mut removed = 0;
    for f in fields.iter().filter(|f| f.sometimes_absent()) {
        at_path(&mut copy, &f.path, &mut |map, key| {
            if map.remove(key).is_some() {
                removed += 1;
            }
        });
    }
    (removed > 0).then_some(copy)
}

/// The typed output a response body must decode to.
fn expected_data(body: &Value, shape: ResponseShape) -> Value {
    match shape {
        // A download's documented JSON bodies are error envelopes, read as `Data`.
        ResponseShape::Data | ResponseShape::Binary => match body.get("data") {
            None | Some(Value::Null) => json!({}),
            Some(data) => data.clone(),
        },
        ResponseShape::Flat => {
            let mut map = body.as_object().cloned().unwrap_or_default();
            map.remove("code");
            map.remove("msg");
            Value::Object(map)
        }
    }
}

fn typed_query_value(ty: &str, example: &str) -> Value {
    match ty {
        "int" => example
            .parse::<i64>()
            .map_or_else(|_| Value::String(example.to_owned()), Value::from),
        "boolean" => match example {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        },
        _ => Value::String(example.to_owned()),
    }
}

fn doc_url(page: &DocPage) -> String {
    format!("https://open.feishu.cn/document{}", page.full_path)
}

fn single(page: &DocPage, kind: ExampleKind) -> Result<Option<Value>, String> {
    let mut found = page.examples.iter().filter(|(k, _)| *k == kind);
    let first = found.next().map(|(_, v)| v.clone());
    if found.next().is_some() {
        return Err(format!("{}: more than one {kind:?} example", page.rel));
    }
    Ok(first)
}

/// The bytes, content type and file name of every download answer.
const DOWNLOAD_BYTES: &str = "conformance download";
const DOWNLOAD_TYPE: &str = "application/octet-stream";
const DOWNLOAD_NAME: &str = "conformance.bin";

/// The bytes of every uploaded file in the cases.
const UPLOAD_BYTES: &str = "conformance upload";

/// For an upload page (a top-level body field of type `file`): the endpoint's body
/// input built from the fields' `示例值` (the file part gets
/// [`UPLOAD_BYTES`], named by the page's `file_name` example or else after
/// the field), and the `multipart/form-data` fields that must be sent.
fn upload_form(page: &DocPage) -> Result<Option<(Value, Vec<ExpectedPart>)>, String> {
    if !page
        .body_fields
        .iter()
        .any(|f| f.path.len() == 1 && f.ty == "file")
    {
        return Ok(None);
    }
    let example = |f: &Field| {
        markdown::marked_value(&f.raw_desc, "示例值")
            .map(|v| v.trim_matches(['"', '“', '”']).to_owned())
    };
    let file_name = page
        .body_fields
        .iter()
        .find(|f| f.name() == "file_name")
        .and_then(example);
    let mut input = Map::new();
    let mut parts = Vec::new();
    for f in page.body_fields.iter().filter(|f| f.path.len() == 1) {
        if f.ty == "file" {
            let name = file_name
                .clone()
                .unwrap_or_else(|| format!("{}.bin", f.name()));
            input.insert(
                f.name().to_owned(),
                json!({"file_name": name, "bytes": UPLOAD_BYTES.as_bytes()}),
            );
            parts.push(ExpectedPart {
                name: f.name().to_owned(),
                value: UPLOAD_BYTES.to_owned(),
                file_name: Some(name),
                content_type: None,
            });
            continue;
        }
        let text = example(f)
            .ok_or_else(|| format!("{}: upload field `{}` has no 示例值", page.rel, f.name()))?;
        input.insert(f.name().to_owned(), typed_query_value(&f.ty, &text));
        parts.push(ExpectedPart {
            name: f.name().to_owned(),
            value: text,
            file_name: None,
            content_type: None,
        });
    }
    Ok(Some((Value::Object(input), parts)))
}

/// Example cases a page gives: one per request example (at least one, with
/// the response example), one per event example, one per documented
/// failure answer.
fn examples(page: &DocPage) -> usize {
    let count = |kind| page.examples.iter().filter(|(k, _)| *k == kind).count();
    let calls = if count(ExampleKind::Response) > 0 {
        count(ExampleKind::Request).max(1)
    } else {
        0
    };
    calls + count(ExampleKind::Event) + count(ExampleKind::ErrorResponse)
}

fn all(page: &DocPage, kind: ExampleKind) -> Vec<Value> {
    page.examples
        .iter()
        .filter(|(k, _)| *k == kind)
        .map(|(_, v)| v.clone())
        .collect()
}

fn counts(row: &IndexRow, page: &DocPage, operation: &str) -> Result<PageCounts, String> {
    if page.invalid_blocks != row.invalid {
        return Err(format!(
            "{}: {} examples needed cleaning, INDEX.md says {} are not strict JSON",
            page.rel, page.invalid_blocks, row.invalid
        ));
    }
    let counts = PageCounts {
        operation: operation.to_owned(),
        page: page.rel.clone(),
        examples: examples(page),
        json_blocks: page.json_blocks,
        index_json_blocks: row.json_blocks,
        error_rows: page.errors.len() + page.client_errors.len(),
        index_error_rows: row.error_rows,
        client_error_rows: page.client_errors.len(),
        answer_blocks: page
            .examples
            .iter()
            .filter(|(k, _)| *k == ExampleKind::CallbackAnswer)
            .count(),
    };
    if counts.json_blocks != counts.index_json_blocks
        || counts.error_rows != counts.index_error_rows
    {
        return Err(format!(
            "{}: counted {} JSON blocks and {} error rows, INDEX.md says {} and {}",
            page.rel,
            counts.json_blocks,
            counts.error_rows,
            counts.index_json_blocks,
            counts.index_error_rows
        ));
    }
    Ok(counts)
}

/// Unique names within a file: a repeated name gets ` (2)`, ` (3)`, ...
fn unique(names: &mut BTreeSet<String>, name: String) -> String {
    if names.insert(name.clone()) {
        return name;
    }
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|candidate| names.insert(candidate.clone()))
        .unwrap_or(name)
}

/// The case file of an API page.
pub fn api_file(
    row: &IndexRow,
    page: &DocPage,
    operation: &str,
    shape: ResponseShape,
) -> Result<Generated, String> {
    let rel = &page.rel;
    let method = page.method.clone().unwrap_or_default();
    let template = page.url_path.clone().unwrap_or_default();
    if method != row.method || template != row.target {
        return Err(format!(
            "{rel}: page says {method} {template}, INDEX.md says {} {}",
            row.method, row.target
        ));
    }
    let auth = match &page.tokens {
        None => Auth::None,
        Some(kinds) if kinds.iter().any(|k| k == "tenant_access_token") => Auth::Tenant,
        Some(kinds) if kinds.iter().any(|k| k == "user_access_token") => Auth::User,
        Some(kinds) => return Err(format!("{rel}: unsupported token kinds {kinds:?}")),
    };
    let request_examples = all(page, ExampleKind::Request);
    let request_example = request_examples.first().cloned();
    // A download page documents no success body (the answer is the file's
    // bytes): its success case is the `binary answer` edge below.
    let binary_only =
        shape == ResponseShape::Binary && single(page, ExampleKind::Response)?.is_none();
    let response_example = match single(page, ExampleKind::Response)? {
        Some(example) => example,
        None if binary_only => Value::Null,
        None => return Err(format!("{rel}: no response example")),
    };
    if !binary_only && response_example.get("code") != Some(&json!(0)) {
        return Err(format!("{rel}: the response example's code is not 0"));
    }

    let path_input: Map<String, Value> = page
        .path_params
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let query_input: Map<String, Value> = page
        .query
        .iter()
        .map(|q| (q.name.clone(), typed_query_value(&q.ty, &q.example)))
        .collect();
    let query_wire: Map<String, Value> = page
        .query
        .iter()
        .map(|q| (q.name.clone(), Value::String(q.example.clone())))
        .collect();
    let upload = upload_form(page)?;
    let body = match (&request_example, &upload) {
        (Some(example), _) => example.clone(),
        (None, Some((input, _))) => input.clone(),
        (None, None) => Value::Null,
    };
    let input = Input {
        path: Some(Value::Object(path_input)),
        query: Some(Value::Object(query_input)),
        body: Some(body.clone()),
    };
    let mut headers = BTreeMap::new();
    match auth {
        Auth::Tenant => {
            headers.insert("authorization".to_owned(), format!("Bearer {TENANT_TOKEN}"));
        }
        Auth::User => {
            headers.insert("authorization".to_owned(), format!("Bearer {USER_TOKEN}"));
        }
        Auth::None => {}
    }
    if let (Some(ct), Some(_)) = (&page.content_type, &request_example) {
        headers.insert("content-type".to_owned(), ct.clone());
    }
    let request = ExpectedRequest {
        method: method.clone(),
        path: fill(&template, &page.path_params).map_err(|e| format!("{rel}: {e}"))?,
        query: Some(query_wire),
        headers: Some(headers),
        body: match upload {
            Some(_) => None,
            None => Some(body.clone()),
        },
        multipart: upload.map(|(_, parts)| parts),
    };

    let mut ids = LogIds(0);
    let mut names = BTreeSet::new();
    let mut cases = Vec::new();
    let ok_case = |name: &str,
                   kind,
                   input: &Input,
                   request: Option<&ExpectedRequest>,
                   body: &Value,
                   id: String| Case {
        name: name.to_owned(),
        kind,
        auth: Some(auth),
        input: Some(input.clone()),
        request: request.cloned(),
        response: Some(CannedResponse {
            status: 200,
            headers: Some(log_headers(&id)),
            body: Some(body.clone()),
        }),
        event: None,
        expect: Expect {
            data: Some(expected_data(body, shape)),
            ..Expect::default()
        },
    };
    let failing = |name: String,
                   status: u16,
                   headers: BTreeMap<String, String>,
                   body: Value,
                   error: ExpectError| Case {
        name,
        kind: Kind::Edge,
        auth: Some(auth),
        input: Some(input.clone()),
        request: None,
        response: Some(CannedResponse {
            status,
            headers: Some(headers),
            body: Some(body),
        }),
        event: None,
        expect: Expect {
            error: Some(error),
            ..Expect::default()
        },
    };

    if binary_only {
        let id = ids.next();
        let mut headers = log_headers(&id);
        headers.insert("content-type".to_owned(), DOWNLOAD_TYPE.to_owned());
        headers.insert(
            "content-disposition".to_owned(),
            format!("attachment; filename=\"{DOWNLOAD_NAME}\""),
        );
        cases.push(Case {
            name: "binary answer: the file's bytes, type and name".to_owned(),
            kind: Kind::Edge,
            auth: Some(auth),
            input: Some(input.clone()),
            request: Some(request.clone()),
            response: Some(CannedResponse {
                status: 200,
                headers: Some(headers),
                body: Some(Value::String(DOWNLOAD_BYTES.to_owned())),
            }),
            event: None,
            expect: Expect {
                data: Some(json!({
                    "bytes": DOWNLOAD_BYTES.as_bytes(),
                    "content_type": DOWNLOAD_TYPE,
                    "file_name": DOWNLOAD_NAME,
                })),
                ..Expect::default()
            },
        });
    } else {
        names.insert("documented example".to_owned());
        cases.push(ok_case(
            "documented example",
            Kind::Example,
            &input,
            Some(&request),
            &response_example,
            ids.next(),
        ));
    }
    for (i, other) in request_examples.iter().enumerate().skip(1) {
        let input = Input {
            body: Some(other.clone()),
            ..input.clone()
        };
        let request = ExpectedRequest {
            body: Some(other.clone()),
            ..request.clone()
        };
        cases.push(ok_case(
            &unique(&mut names, format!("documented request example {}", i + 1)),
            Kind::Example,
            &input,
            Some(&request),
            &response_example,
            ids.next(),
        ));
    }
    for answer in all(page, ExampleKind::ErrorResponse) {
        let code = answer
            .get("code")
            .and_then(Value::as_i64)
            .ok_or_else(|| format!("{rel}: a documented failure answer without an integer code"))?;
        let id = ids.next();
        let mut case = failing(
            unique(&mut names, format!("documented failure answer {code}")),
            400,
            log_headers(&id),
            answer.clone(),
            ExpectError {
                kind: Some(ErrorKind::Api),
                code: Some(code),
                http_status: Some(400),
                log_id: Some(id),
                retryable: Some(codes::classify(code).is_retryable()),
            },
        );
        case.kind = Kind::Example;
        case.request = Some(request.clone());
        cases.push(case);
    }

    for e in &page.errors {
        let id = ids.next();
        let mut case = failing(
            unique(&mut names, format!("error {}: {}", e.code, e.msg)),
            e.status,
            log_headers(&id),
            json!({"code": e.code, "msg": e.msg}),
            ExpectError {
                kind: Some(ErrorKind::Api),
                code: Some(e.code),
                http_status: Some(e.status),
                log_id: Some(id),
                retryable: Some(e.status == 429 || codes::classify(e.code).is_retryable()),
            },
        );
        case.kind = Kind::Error;
        cases.push(case);
    }

    if let Some(body) = with_unknown_enums(&response_example, &page.response_fields) {
        cases.push(ok_case(
            "unknown enum values",
            Kind::Edge,
            &input,
            None,
            &body,
            ids.next(),
        ));
    }
    if let Some(body) = without_sometimes_absent(&response_example, &page.response_fields) {
        cases.push(ok_case(
            "optional response fields absent",
            Kind::Edge,
            &input,
            None,
            &body,
            ids.next(),
        ));
    }
    if let Some(data) = response_example
        .get("data")
        .filter(|d| d.get("has_more").is_some())
    {
        let mut body = response_example.clone();
        let mut last = data.clone();
        if let Some(map) = last.as_object_mut() {
            map.insert("has_more".to_owned(), Value::Bool(false));
            map.remove("page_token");
        }
        body["data"] = last;
        cases.push(ok_case(
            "last page: has_more false, no page_token",
            Kind::Edge,
            &input,
            None,
            &body,
            ids.next(),
        ));
    }
    if !binary_only && !page.query.is_empty() && page.query.iter().all(|q| !q.required) {
        let bare = Input {
            query: Some(json!({})),
            ..input.clone()
        };
        let bare_request = ExpectedRequest {
            query: Some(Map::new()),
            ..request.clone()
        };
        cases.push(ok_case(
            "optional query parameters absent",
            Kind::Edge,
            &bare,
            Some(&bare_request),
            &response_example,
            ids.next(),
        ));
    }
    if let (false, Some(Value::Object(example))) = (binary_only, &request_example) {
        let optional: BTreeSet<&str> = page
            .body_fields
            .iter()
            .filter(|f| f.path.len() == 1 && !f.must_be_given())
            .map(Field::name)
            .collect();
        let minimal: Map<String, Value> = example
            .iter()
            .filter(|(k, _)| !optional.contains(k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if minimal.len() < example.len() {
            let minimal = Value::Object(minimal);
            let bare = Input {
                body: Some(minimal.clone()),
                ..input.clone()
            };
            let bare_request = ExpectedRequest {
                body: Some(minimal),
                ..request.clone()
            };
            cases.push(ok_case(
                "optional body fields absent",
                Kind::Edge,
                &bare,
                Some(&bare_request),
                &response_example,
                ids.next(),
            ));
        }
    }
    if page.rate_limited {
        let id = ids.next();
        let mut headers = log_headers(&id);
        headers.insert("x-ogw-ratelimit-limit".to_owned(), "100".to_owned());
        headers.insert("x-ogw-ratelimit-reset".to_owned(), "52".to_owned());
        cases.push(failing(
            "rate limited: HTTP 429, code 99991400".to_owned(),
            429,
            headers,
            json!({"code": codes::RATE_LIMITED, "msg": "request trigger frequency limit"}),
            ExpectError {
                kind: Some(ErrorKind::Api),
                code: Some(codes::RATE_LIMITED),
                http_status: Some(429),
                log_id: Some(id),
                retryable: Some(true),
            },
        ));
    }
    let id = ids.next();
    cases.push(failing(
        "gateway error: HTTP 502 without a Feishu body".to_owned(),
        502,
        log_headers(&id),
        Value::String("<html><body><h1>502 Bad Gateway</h1></body></html>".to_owned()),
        ExpectError {
            kind: Some(ErrorKind::Http),
            code: None,
            http_status: Some(502),
            log_id: Some(id),
            retryable: Some(true),
        },
    ));
    if binary_only {
        // A download's 200 answer is bytes, whatever they are: there is no
        // JSON body to cut off.
        return Ok(Generated {
            counts: counts(row, page, operation)?,
            file: CaseFile {
                operation: operation.to_owned(),
                doc: Some(doc_url(page)),
                cases,
            },
        });
    }
    let id = ids.next();
    // Cut inside the body: 24 characters, fewer for a shorter example, so
    // the body is never whole.
    let full = response_example.to_string();
    let keep = full.chars().count().saturating_sub(1).min(24);
    let cut: String = full.chars().take(keep).collect();
    cases.push(failing(
        "truncated body: HTTP 200 with cut-off JSON".to_owned(),
        200,
        log_headers(&id),
        Value::String(cut),
        ExpectError {
            kind: Some(ErrorKind::Decode),
            code: None,
            http_status: Some(200),
            log_id: Some(id),
            retryable: Some(false),
        },
    ));

    Ok(Generated {
        counts: counts(row, page, operation)?,
        file: CaseFile {
            operation: operation.to_owned(),
            doc: Some(doc_url(page)),
            cases,
        },
    })
}

/// The case file of an event page.
pub fn event_file(row: &IndexRow, page: &DocPage) -> Result<Generated, String> {
    let rel = &page.rel;
    let body =
        single(page, ExampleKind::Event)?.ok_or_else(|| format!("{rel}: no event example"))?;
    let typed_as = body
        .pointer("/header/event_type")
        .or_else(|| body.pointer("/event/type"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if typed_as != row.target || page.event_type.as_deref().is_some_and(|t| t != row.target) {
        return Err(format!(
            "{rel}: example is `{typed_as}`, page says {:?}, INDEX.md says `{}`",
            page.event_type, row.target
        ));
    }
    let case = |name: &str, kind, body: &Value| Case {
        name: name.to_owned(),
        kind,
        auth: None,
        input: None,
        request: None,
        response: None,
        event: Some(body.clone()),
        expect: Expect {
            data: Some(body.get("event").cloned().unwrap_or(Value::Null)),
            ..Expect::default()
        },
    };
    let mut cases = vec![case("documented example", Kind::Example, &body)];
    if let Some(changed) = with_unknown_enums(&body, &page.response_fields) {
        cases.push(case("unknown enum values", Kind::Edge, &changed));
    }
    if let Some(changed) = without_sometimes_absent(&body, &page.response_fields) {
        cases.push(case("optional event fields absent", Kind::Edge, &changed));
    }
    let operation = format!("{}{}", crate::run::EVENT_PREFIX, row.target);
    Ok(Generated {
        counts: counts(row, page, &operation)?,
        file: CaseFile {
            operation,
            doc: Some(doc_url(page)),
            cases,
        },
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn segments_are_percent_encoded() {
        let params = vec![("chat_id".to_owned(), "oc_a b/c".to_owned())];
        assert_eq!(
            fill("/open-apis/im/v1/chats/:chat_id/members", &params).unwrap(),
            "/open-apis/im/v1/chats/oc_a%20b%2Fc/members"
        );
        assert!(fill("/x/:menu_item_id", &params).is_err());
    }

    #[test]
    fn paths_reach_through_arrays() {
        let mut v = json!({"data": {"items": [{"kind": "a"}, {"kind": "b"}, {"other": 1}]}});
        let path: Vec<String> = ["data", "items", "kind"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        let mut n = 0;
        at_path(&mut v, &path, &mut |map, key| {
            if map.remove(key).is_some() {
                n += 1;
            }
        });
        assert_eq!(n, 2);
        assert_eq!(v, json!({"data": {"items": [{}, {}, {"other": 1}]}}));
    }

    #[test]
    fn flat_outputs_drop_code_and_msg() {
        let body = json!({"code": 0, "msg": "ok", "expire": 7200});
        assert_eq!(
            expected_data(&body, ResponseShape::Flat),
            json!({"expire": 7200})
        );
        assert_eq!(expected_data(&body, ResponseShape::Data), json!({}));
    }
}

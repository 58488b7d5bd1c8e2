//! Helpers shared by the messaging wire-contract tests: documented
//! examples read from `tests/fixtures`, and endpoint metadata.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use feishu_model::{Endpoint, Method, RateLimit, RequestSpec, ResponseShape, TokenKind};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// The base of every documentation link.
pub const DOC_BASE: &str = "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/";

/// A documented example, parsed.
pub fn fixture(name: &str) -> Value {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The documented request body of `operation`.
pub fn request_fixture(operation: &str) -> Value {
    fixture(&format!("{operation}.request.json"))
}

/// The documented `data` of `operation`'s success answer.
pub fn response_data(operation: &str) -> Value {
    let response = fixture(&format!("{operation}.response.json"));
    assert_eq!(response["code"], 0);
    response["data"].clone()
}

/// Decodes the documented `data`, checks that it re-encodes to the same
/// JSON; returns the decoded output.
pub fn round_trip<T: Serialize + DeserializeOwned>(operation: &str) -> T {
    let data = response_data(operation);
    let decoded: T = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), data, "{operation}");
    decoded
}

/// Decodes the documented request body into `T` and checks that it
/// re-encodes to the same JSON.
pub fn request_round_trip<T: Serialize + DeserializeOwned>(operation: &str) -> T {
    let body = request_fixture(operation);
    let decoded: T = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), body, "{operation}");
    decoded
}

/// The JSON body of a request.
pub fn body_json(request: &RequestSpec) -> Option<Value> {
    request
        .body
        .as_deref()
        .map(|bytes| serde_json::from_slice(bytes).unwrap())
}

/// Query pairs sorted, for comparison.
pub fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

/// Owned, sorted query pairs.
pub fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    sorted(
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

/// The static description of an endpoint, for table tests.
#[derive(Debug)]
pub struct Meta {
    pub operation: &'static str,
    pub method: Method,
    pub path: &'static str,
    pub tokens: &'static [TokenKind],
    pub rate: RateLimit,
    pub idempotent: bool,
    pub response: ResponseShape,
    pub doc: &'static str,
}

/// The metadata of `E`.
pub fn meta<E: Endpoint>() -> Meta {
    Meta {
        operation: E::OPERATION,
        method: E::METHOD,
        path: E::PATH,
        tokens: E::TOKENS,
        rate: E::RATE_LIMIT,
        idempotent: E::IDEMPOTENT,
        response: E::RESPONSE,
        doc: E::DOC,
    }
}

/// Checks that the endpoint is registered under its operation id, and
/// routes to itself.
pub fn registered(m: &Meta) {
    let info = feishu_model::registry::find(m.operation).expect("registered");
    assert_eq!(info.path, m.path);
    assert_eq!(info.method, m.method);
}

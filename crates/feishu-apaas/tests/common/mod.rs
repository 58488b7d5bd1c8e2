//! Helpers shared by the aPaaS service tests: documented fixtures, a client
//! against an httpmock server, and the documented round trip.
#![allow(
    dead_code,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use feishu_model::Endpoint;
use feishu_transport::{Call, Client, Response};
use httpmock::prelude::*;
use serde_json::Value;

/// The tenant token every test client carries.
pub const TENANT_TOKEN: &str = "t-7f1bcd13fc57d46bac21793a18e560";
/// The `x-tt-logid` the mock server answers.
pub const LOG_ID: &str = "202407041546150C5C1A3B5F8F0B1C2D3E";

/// A documented example from the model crate's fixtures:
/// `kind` is `request` or `response`.
pub fn fixture(operation: &str, kind: &str) -> Value {
    let path = format!(
        "{}/../feishu-model/tests/fixtures/{operation}.{kind}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap();
    serde_json::from_str(&text)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap()
}

/// A client with a static tenant token, talking to `server`.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .static_tenant_token(TENANT_TOKEN)
        .build()
        .unwrap()
}

fn no_query(req: &HttpMockRequest) -> bool {
    req.query_params.as_ref().map_or(true, Vec::is_empty)
}

/// Sends `call` to a mock that answers the documented response only if the
/// request is exactly the documented one: `POST path`, no query, the tenant
/// bearer token, a JSON content type, and the documented body. Checks that
/// the server saw it once and that the output re-serializes to the
/// documented `data`; returns the output.
pub async fn documented_round_trip<E>(server: &MockServer, call: Call<E>, path: &str) -> E::Output
where
    E: Endpoint + Send + Sync,
    E::Output: Send,
{
    let request = fixture(E::OPERATION, "request");
    let response = fixture(E::OPERATION, "response");
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path(path)
                .matches(no_query)
                .header("authorization", format!("Bearer {TENANT_TOKEN}"))
                .header("content-type", "application/json; charset=utf-8")
                .json_body(request);
            then.status(200)
                .header("content-type", "application/json")
                .header("x-tt-logid", LOG_ID)
                .json_body(response.clone());
        })
        .await;
    let Response {
        data,
        log_id,
        status,
    } = call.send_full().await.unwrap();
    mock.assert_hits_async(1).await;
    assert_eq!(status, 200);
    assert_eq!(log_id.as_deref(), Some(LOG_ID));
    assert_eq!(serde_json::to_value(&data).unwrap(), response["data"]);
    data
}

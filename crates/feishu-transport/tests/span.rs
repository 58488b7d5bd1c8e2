//! The `feishu.call` span: what a tracing subscriber sees of a call.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;

use common::static_client;
use feishu_model::im::chat::GetChat;
use feishu_transport::http::Response;
use feishu_transport::{RetryPolicy, ScriptedTransport, SpanRecorder};

#[tokio::test]
async fn the_call_span_records_each_attempt_the_status_and_the_log_id() {
    let t = Arc::new(ScriptedTransport::new());
    t.push_json(503, &serde_json::json!({"message": "unavailable"}));
    let ok = Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("x-tt-logid", "202611280001")
        .body(bytes::Bytes::from_static(
            br#"{"code":0,"msg":"ok","data":{"name":"ops"}}"#,
        ))
        .unwrap();
    t.push(ok);
    let client = static_client(t.clone())
        .retry_policy(RetryPolicy {
            base_delay: std::time::Duration::from_millis(1),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();

    let (recorder, dispatch) = SpanRecorder::dispatch();
    let chat = {
        let _guard = tracing::dispatcher::set_default(&dispatch);
        client.call(GetChat::new("oc_1")).await.unwrap()
    };

    assert_eq!(chat.name.as_deref(), Some("ops"));
    let calls = recorder.named("feishu.call");
    assert_eq!(calls.len(), 1);
    let pairs: Vec<(&str, &str)> = calls[0]
        .1
        .fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("otel.name", "GET /open-apis/im/v1/chats/:chat_id"),
            ("otel.kind", "client"),
            ("http.request.method", "GET"),
            ("server.address", "open.feishu.cn"),
            ("url.template", "/open-apis/im/v1/chats/:chat_id"),
            ("feishu.operation", "im.v1.chat.get"),
            ("feishu.attempt", "1"),
            ("http.response.status_code", "503"),
            ("feishu.attempt", "2"),
            ("http.response.status_code", "200"),
            ("feishu.log_id", "202611280001"),
        ]
    );
}

//! The `feishu.call` span: what a tracing subscriber sees of a call.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use common::static_client;
use feishu_model::im::chat::GetChat;
use feishu_transport::http::Response;
use feishu_transport::{RetryPolicy, ScriptedTransport};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every field value given to a span named `feishu.call`, in order.
#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    call_spans: Mutex<Vec<u64>>,
    values: Mutex<Vec<(String, String)>>,
}

struct Values<'a>(&'a Mutex<Vec<(String, String)>>);

impl Visit for Values<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0
            .lock()
            .unwrap()
            .push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .lock()
            .unwrap()
            .push((field.name().to_owned(), value.to_owned()));
    }
}

/// The subscriber: a handle on the shared recorder.
struct Recording(Arc<Recorder>);

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        if span.metadata().name() == "feishu.call" {
            self.0.call_spans.lock().unwrap().push(id);
            span.record(&mut Values(&self.0.values));
        }
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if self.0.call_spans.lock().unwrap().contains(&span.into_u64()) {
            values.record(&mut Values(&self.0.values));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

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

    let recorder = Arc::new(Recorder::default());
    let dispatch = tracing::Dispatch::new(Recording(recorder.clone()));
    let chat = {
        let _guard = tracing::dispatcher::set_default(&dispatch);
        client.call(GetChat::new("oc_1")).await.unwrap()
    };

    assert_eq!(chat.name.as_deref(), Some("ops"));
    assert_eq!(recorder.call_spans.lock().unwrap().len(), 1);
    let values = recorder.values.lock().unwrap().clone();
    let pairs: Vec<(&str, &str)> = values
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

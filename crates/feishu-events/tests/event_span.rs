//! The `feishu.event` span: what a tracing subscriber sees of a received event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatDisbandedV1, EventV2};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every field value given to a span named `feishu.event`, in order, and
/// the span a handler's event was logged in.
#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    event_spans: Mutex<Vec<u64>>,
    values: Mutex<Vec<(String, String)>>,
    current: Mutex<Vec<u64>>,
    logged_in: Mutex<Vec<u64>>,
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

struct Recording(Arc<Recorder>);

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        if span.metadata().name() == "feishu.event" {
            self.0.event_spans.lock().unwrap().push(id);
            span.record(&mut Values(&self.0.values));
        }
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if self
            .0
            .event_spans
            .lock()
            .unwrap()
            .contains(&span.into_u64())
        {
            values.record(&mut Values(&self.0.values));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        if event.metadata().target() == "event_span" {
            if let Some(id) = self.0.current.lock().unwrap().last() {
                self.0.logged_in.lock().unwrap().push(*id);
            }
        }
    }

    fn enter(&self, span: &Id) {
        self.0.current.lock().unwrap().push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        self.0.current.lock().unwrap().pop();
    }
}

#[tokio::test]
async fn a_received_event_opens_a_span_with_its_type_id_and_answer() {
    let dispatcher = Dispatcher::new(Webhook::new()).on(|e: EventV2<ChatDisbandedV1>| async move {
        tracing::info!(chat = %e.event.chat_id, "handling");
        Ok(())
    });
    let body = br#"{"schema": "2.0", "header": {"event_id": "e-42",
        "event_type": "im.chat.disbanded_v1", "create_time": "1608725989000",
        "token": "", "app_id": "cli_1", "tenant_key": "t"},
        "event": {"chat_id": "oc_1"}}"#;
    let headers: [(&str, &str); 0] = [];

    let recorder = Arc::new(Recorder::default());
    let dispatch = tracing::Dispatch::new(Recording(recorder.clone()));
    let status = {
        let _guard = tracing::dispatcher::set_default(&dispatch);
        dispatcher.handle(&headers, body).await.status
    };

    assert_eq!(status, 200);
    let spans = recorder.event_spans.lock().unwrap().clone();
    assert_eq!(spans.len(), 1);
    let values = recorder.values.lock().unwrap().clone();
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("feishu.event.type", "im.chat.disbanded_v1"),
            ("feishu.event.id", "e-42"),
            ("feishu.event.status", "200"),
        ]
    );
    // The handler's log lines are inside the event's span.
    assert_eq!(*recorder.logged_in.lock().unwrap(), spans);
}

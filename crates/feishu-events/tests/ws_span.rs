//! The `feishu.ws.connection` span: one per connection, from the endpoint
//! call to the close, with the app id, the connection number, the reconnect
//! attempt, the device id and the reason at close; the `feishu.event` spans
//! of the events it carries are nested inside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feishu_emulator::{Action, ChatChanges, Emulator, Fixture};
use feishu_events::ws::{ClientConfig, LongConnection, State};
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatUpdatedV1, EventV2};
use feishu_model::ChatId;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

const APP: &str = "cli_5e57000000000002";
const SECRET: &str = "span-secret";
const OWNER: &str = "ou_00000000000000000000000000000001";
const CHAT: &str = "oc_00000000000000000000000000000c4b";

thread_local! {
    /// The spans entered on this thread, innermost last.
    static CURRENT: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

#[derive(Debug, Default, Clone)]
struct SpanRecord {
    name: String,
    parent: Option<u64>,
    fields: Vec<(String, String)>,
}

/// Every span: its name, its parent and its field values.
#[derive(Default)]
struct Recorder {
    next: AtomicU64,
    spans: Mutex<HashMap<u64, SpanRecord>>,
}

struct Values<'a>(&'a mut Vec<(String, String)>);

impl Visit for Values<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

struct Recording(Arc<Recorder>);

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        let parent = match span.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if span.is_contextual() => CURRENT.with(|c| c.borrow().last().copied()),
            None => None,
        };
        let mut record = SpanRecord {
            name: span.metadata().name().to_owned(),
            parent,
            fields: Vec::new(),
        };
        span.record(&mut Values(&mut record.fields));
        self.0.spans.lock().unwrap().insert(id, record);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(record) = self.0.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Values(&mut record.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        CURRENT.with(|c| c.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, _: &Id) {
        CURRENT.with(|c| {
            c.borrow_mut().pop();
        });
    }
}

fn field<'a>(span: &'a SpanRecord, name: &str) -> Option<&'a str> {
    span.fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn rename(emulator: &Emulator, name: &str) {
    emulator
        .act(Action::UpdateChat {
            user: OWNER.into(),
            chat: ChatId::from(CHAT),
            changes: Box::new(ChatChanges {
                name: Some(name.into()),
                ..ChatChanges::default()
            }),
        })
        .unwrap();
}

#[tokio::test]
async fn each_connection_has_a_span_and_its_events_are_nested_inside() {
    let recorder = Arc::new(Recorder::default());
    let dispatch = tracing::Dispatch::new(Recording(recorder.clone()));
    let _guard = tracing::dispatcher::set_default(&dispatch);

    let fixture = Fixture::from_json(&format!(
        r#"{{"tenants": [{{"tenant_key": "0000000000000001"}}],
        "apps": [{{"app_id": "{APP}", "app_secret": "{SECRET}", "tenant_key": "0000000000000001"}}],
        "users": [{{"open_id": "{OWNER}", "name": "Owner", "tenant_key": "0000000000000001"}}],
        "chats": [{{"chat_id": "{CHAT}", "tenant_key": "0000000000000001", "name": "ops", "owner": "{OWNER}",
                   "users": ["{OWNER}"], "bots": ["{APP}"]}}],
        "long_connection": {{"PingInterval": 120, "ReconnectCount": -1,
            "ReconnectInterval": 1, "ReconnectNonce": 1, "max_connections": 5}}}}"#
    ))
    .unwrap();
    let emulator = Emulator::builder().fixture(fixture).build().unwrap();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let hub = emulator.long_connection();

    let handled = Arc::new(AtomicUsize::new(0));
    let counter = handled.clone();
    let dispatcher = Dispatcher::new(Webhook::new()).on(move |_: EventV2<ChatUpdatedV1>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(()) }
    });
    let client = LongConnection::builder(APP, SECRET, Arc::new(dispatcher))
        .base_url(server.url())
        .client_config(ClientConfig {
            ping_interval: Duration::from_millis(200),
            reconnect_count: -1,
            reconnect_interval: Duration::from_millis(50),
            reconnect_nonce: Duration::from_millis(10),
        })
        .follow_server_config(false)
        .min_reconnect_delay(Duration::from_millis(20))
        .start()
        .unwrap();

    until("a connection", || client.state() == State::Connected).await;
    rename(&emulator, "first");
    until("the first event", || handled.load(Ordering::SeqCst) == 1).await;
    // The server drops the connection: the client reconnects.
    hub.close_abruptly();
    until("a second connection", || {
        hub.stats().connections >= 2 && client.state() == State::Connected
    })
    .await;
    rename(&emulator, "second");
    until("the second event", || handled.load(Ordering::SeqCst) == 2).await;
    client.shutdown().await;

    let spans = recorder.spans.lock().unwrap().clone();
    let mut connections: Vec<(u64, SpanRecord)> = spans
        .iter()
        .filter(|(_, s)| s.name == "feishu.ws.connection")
        .map(|(id, s)| (*id, s.clone()))
        .collect();
    connections.sort_by_key(|(id, _)| *id);
    assert_eq!(connections.len(), 2, "{connections:?}");
    for (n, (_, span)) in connections.iter().enumerate() {
        assert_eq!(field(span, "feishu.app_id"), Some(APP));
        assert_eq!(
            field(span, "feishu.ws.connection"),
            Some((n + 1).to_string().as_str())
        );
        assert_eq!(
            field(span, "feishu.ws.attempt"),
            Some(n.to_string().as_str())
        );
        assert!(
            field(span, "feishu.ws.device_id").is_some_and(|d| !d.is_empty()),
            "{span:?}"
        );
        // The app secret is no field of the span.
        assert!(span.fields.iter().all(|(_, v)| !v.contains(SECRET)));
    }
    let first_reason = field(&connections[0].1, "feishu.ws.close_reason").unwrap();
    assert_ne!(first_reason, "shutdown");
    assert!(!first_reason.is_empty());
    assert_eq!(
        field(&connections[1].1, "feishu.ws.close_reason"),
        Some("shutdown")
    );

    // Each event's span lies inside the connection that carried it.
    let mut events: Vec<(u64, SpanRecord)> = spans
        .iter()
        .filter(|(_, s)| {
            s.name == "feishu.event" && field(s, "feishu.event.type") == Some("im.chat.updated_v1")
        })
        .map(|(id, s)| (*id, s.clone()))
        .collect();
    events.sort_by_key(|(id, _)| *id);
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].1.parent, Some(connections[0].0));
    assert_eq!(events[1].1.parent, Some(connections[1].0));
    assert_eq!(field(&events[0].1, "feishu.event.status"), Some("200"));
}

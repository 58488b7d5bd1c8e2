//! The `feishu.ws.connection` span: one per connection, from the endpoint
//! call to the close, with the app id, the connection number, the reconnect
//! attempt, the device id and the reason at close; the `feishu.event` spans
//! of the events it carries are nested inside it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ws_chat.rs"]
mod ws_chat;
#[path = "common/ws_client.rs"]
mod ws_client;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use feishu_events::ws::State;
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatUpdatedV1, EventV2};
use feishu_transport::{RecordedSpan, SpanRecorder};
use ws_chat::{connected, rename, until};

const APP: &str = "cli_5e57000000000002";
const SECRET: &str = "span-secret";

/// The last value given to the field `name` of `span`.
fn field<'a>(span: &'a RecordedSpan, name: &str) -> Option<&'a str> {
    span.fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn each_connection_has_a_span_and_its_events_are_nested_inside() {
    let (recorder, dispatch) = SpanRecorder::dispatch();
    let _guard = tracing::dispatcher::set_default(&dispatch);

    let (emulator, server) = ws_chat::serve(APP, SECRET, 5, 120).await;
    let hub = emulator.long_connection();

    let handled = Arc::new(AtomicUsize::new(0));
    let counter = handled.clone();
    let dispatcher = Dispatcher::new(Webhook::new()).on(move |_: EventV2<ChatUpdatedV1>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(()) }
    });
    let client = ws_client::connect(APP, SECRET, &server, dispatcher, Duration::from_millis(200));

    connected(&client).await;
    rename(&emulator, "first");
    until("the first event", Duration::from_secs(5), || {
        handled.load(Ordering::SeqCst) == 1
    })
    .await;
    // The server drops the connection: the client reconnects.
    hub.close_abruptly();
    until("a second connection", Duration::from_secs(5), || {
        hub.stats().connections >= 2 && client.state() == State::Connected
    })
    .await;
    rename(&emulator, "second");
    until("the second event", Duration::from_secs(5), || {
        handled.load(Ordering::SeqCst) == 2
    })
    .await;
    client.shutdown().await;

    let connections = recorder.named("feishu.ws.connection");
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
    let mut events = recorder.named("feishu.event");
    events.retain(|(_, s)| field(s, "feishu.event.type") == Some("im.chat.updated_v1"));
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0].1.parent, Some(connections[0].0));
    assert_eq!(events[1].1.parent, Some(connections[1].0));
    assert_eq!(field(&events[0].1, "feishu.event.status"), Some("200"));
}

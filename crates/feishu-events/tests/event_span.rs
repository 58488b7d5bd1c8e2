//! The `feishu.event` span: what a tracing subscriber sees of a received event.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatDisbandedV1, EventV2};
use feishu_transport::SpanRecorder;

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

    let (recorder, dispatch) = SpanRecorder::dispatch();
    let status = {
        let _guard = tracing::dispatcher::set_default(&dispatch);
        dispatcher.handle(&headers, body).await.status
    };

    assert_eq!(status, 200);
    let event_spans = recorder.named("feishu.event");
    let spans: Vec<u64> = event_spans.iter().map(|(id, _)| *id).collect();
    assert_eq!(spans.len(), 1);
    let pairs: Vec<(&str, &str)> = event_spans
        .iter()
        .flat_map(|(_, span)| &span.fields)
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
    assert_eq!(recorder.logged_in("event_span"), spans);
}

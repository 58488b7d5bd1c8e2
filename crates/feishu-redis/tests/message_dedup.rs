//! A received message delivered twice under two event ids runs its handler
//! once with the Redis de-duplication store, even across two instances of
//! the app: the key is the model's (`im.message.receive_v1:<message_id>`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use common::RedisServer;
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{EventV2, MessageReceiveV1};
use feishu_redis::{Redis, RedisConfig};

const APP: &str = "cli_a3e157960e7294c0";

fn received(event_id: &str, message_id: &str) -> String {
    let event = serde_json::json!({
        "sender": {"sender_id": {"open_id": "ou_sender"}, "sender_type": "user", "tenant_key": "t1"},
        "message": {"message_id": message_id, "chat_id": "oc_42", "chat_type": "group",
                    "message_type": "text", "content": "{\"text\":\"deploy api\"}"}
    });
    serde_json::json!({
        "schema": "2.0",
        "header": {"event_id": event_id, "event_type": "im.message.receive_v1",
                   "create_time": "1608725989000", "token": "v-token", "app_id": APP,
                   "tenant_key": "t1"},
        "event": event
    })
    .to_string()
}

/// One instance of the app: a dispatcher on the shared Redis store that
/// logs (event id, message id) per handler run.
fn instance(redis: &Redis, log: Arc<Mutex<Vec<(String, String)>>>) -> Dispatcher {
    Dispatcher::new(Webhook::new().verification_token("v-token"))
        .dedup_store(Arc::new(redis.dedup(APP)))
        .on(move |e: EventV2<MessageReceiveV1>| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push((
                    e.header.event_id.clone(),
                    e.event.message.message_id.to_string(),
                ));
                Ok(())
            }
        })
}

#[test]
fn one_message_under_two_event_ids_runs_its_handler_once_with_redis() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
            let log = Arc::new(Mutex::new(Vec::new()));
            let first = instance(&redis, log.clone());
            let second = instance(&redis, log.clone());
            let headers: [(&str, &str); 0] = [];

            // The same message under two event ids, each to another
            // instance; then a redelivery of the first event id.
            for (dispatcher, event_id) in [(&first, "ev-1"), (&second, "ev-2"), (&second, "ev-1")] {
                let body = received(event_id, "om_dup");
                let answer = dispatcher.handle(&headers, body.as_bytes()).await;
                assert_eq!(
                    (answer.status, answer.body.as_str()),
                    (200, r#"{"msg":"success"}"#)
                );
            }
            // Another message runs its handler.
            let body = received("ev-3", "om_other");
            assert_eq!(second.handle(&headers, body.as_bytes()).await.status, 200);

            assert_eq!(
                *log.lock().unwrap(),
                [
                    ("ev-1".to_owned(), "om_dup".to_owned()),
                    ("ev-3".to_owned(), "om_other".to_owned())
                ]
            );
            // The claim is kept under the message id, not the event id.
            let key = format!("feishu:v1:{{{APP}:im.message.receive_v1:om_dup}}:ev");
            assert_eq!(server.command(&format!("EXISTS {key}")), ":1");
            let by_event_id = format!("feishu:v1:{{{APP}:ev-2}}:ev");
            assert_eq!(server.command(&format!("EXISTS {by_event_id}")), ":0");
        });
}

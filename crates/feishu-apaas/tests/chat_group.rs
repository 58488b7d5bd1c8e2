//! The two forms of chat_group on the wire: a new chat sends a name and no
//! chat id; an existing chat sends the chat id and no name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use feishu_apaas::Apaas;
use feishu_transport::{Client, ScriptedTransport};
use serde_json::{json, Value};

fn scripted() -> (Arc<ScriptedTransport>, Client) {
    let transport = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .base_url("https://open.feishu.cn")
        .static_tenant_token("t-chat")
        .transport(transport.clone())
        .build()
        .unwrap();
    (transport, client)
}

fn answered(transport: &ScriptedTransport, chat_id: &str) {
    transport.push_json(
        200,
        &json!({"code": 0, "msg": "success", "data": {"chat_id": chat_id}}),
    );
}

fn sent_body(transport: &ScriptedTransport, index: usize) -> Value {
    let request = &transport.requests()[index];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.url(),
        "https://open.feishu.cn/open-apis/apaas/v1/user_tasks/task%2F1/chat_group"
    );
    assert_eq!(request.header("authorization"), Some("Bearer t-chat"));
    request.json().unwrap()
}

#[tokio::test]
async fn new_chat_sends_the_name_and_no_chat_id() {
    let (transport, client) = scripted();
    answered(&transport, "oc_new");
    let out = Apaas::new(&client)
        .user_tasks()
        .chat_group("task/1", "op")
        .invite(["a", "b"])
        .invite(vec!["c".to_owned()])
        .new_chat("Escalation")
        .await
        .unwrap();
    assert_eq!(out.chat_id.unwrap().as_str(), "oc_new");
    assert_eq!(
        sent_body(&transport, 0),
        json!({"operator_user_id": "op", "invite_user_ids": ["a", "b", "c"], "chat_name": "Escalation"})
    );
}

#[tokio::test]
async fn existing_chat_sends_the_chat_id_and_no_name() {
    let (transport, client) = scripted();
    answered(&transport, "oc_1234");
    let out = Apaas::new(&client)
        .user_tasks()
        .chat_group("task/1", "op")
        .invite(["a"])
        .existing_chat("oc_1234")
        .await
        .unwrap();
    assert_eq!(out.chat_id.unwrap().as_str(), "oc_1234");
    assert_eq!(
        sent_body(&transport, 0),
        json!({"operator_user_id": "op", "invite_user_ids": ["a"], "chat_id": "oc_1234"})
    );
}

#[tokio::test]
async fn without_invitees_the_field_is_left_out() {
    let (transport, client) = scripted();
    answered(&transport, "oc_new");
    Apaas::new(&client)
        .user_tasks()
        .chat_group("task/1", "op")
        .new_chat("Solo")
        .await
        .unwrap();
    assert_eq!(
        sent_body(&transport, 0),
        json!({"operator_user_id": "op", "chat_name": "Solo"})
    );
}

#[tokio::test]
async fn send_full_reports_status_and_log_id() {
    let (transport, client) = scripted();
    transport.push(feishu_transport::replay::canned(
        200,
        r#"{"code":0,"msg":"success","data":{"chat_id":"oc_x","extra_field":1}}"#,
        &[("x-tt-logid", "log-1")],
    ));
    let response = Apaas::new(&client)
        .user_tasks()
        .chat_group("task/1", "op")
        .existing_chat("oc_x")
        .send_full()
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.log_id.as_deref(), Some("log-1"));
    assert_eq!(response.data.chat_id.unwrap().as_str(), "oc_x");
    // Undocumented fields are kept.
    assert_eq!(response.data.extra.get("extra_field"), Some(&json!(1)));
}

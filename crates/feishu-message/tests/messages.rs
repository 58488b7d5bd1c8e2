//! `message.messages()` over a scripted transport: the exact request of each
//! call and the decoding of documented answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use feishu_message::{History, Message, ReceivedMessage};
use feishu_model::card::{Card, Header};
use feishu_model::im::content::{
    Image, Interactive, Mentions, Post, PostBody, PostElement, PostLocale, ReceivedContent, Text,
};
use feishu_model::im::message::edit::FollowUp;
use feishu_model::im::message::read::MessageSortType;
use feishu_model::im::message::resource::ResourceType;
use feishu_model::im::message::ReceiveIdType;
use feishu_model::UserIdType;
use feishu_transport::{Client, Error, Rejection, ScriptedTransport};
use futures::StreamExt;
use serde_json::{json, Value};

fn scripted() -> (Arc<ScriptedTransport>, Message) {
    let t = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .static_tenant_token("t")
        .transport(t.clone())
        .build()
        .unwrap();
    (t, Message::new(&client))
}

fn ok(data: Value) -> Value {
    json!({"code": 0, "msg": "success", "data": data})
}

/// The documented answer of send / reply / edit.
fn sent(id: &str, msg_type: &str, content: &str) -> Value {
    ok(json!({
        "message_id": id, "root_id": "", "parent_id": "", "msg_type": msg_type,
        "create_time": "1615380573411", "update_time": "1615380573411",
        "deleted": false, "updated": false, "chat_id": "oc_5ad11d72b830411d72b836c20",
        "sender": {"id": "cli_9f427eec54ae901b", "id_type": "app_id", "sender_type": "app",
                   "tenant_key": "736588c9260f175e"},
        "body": {"content": content},
        "mentions": [{"key": "@_user_1", "id": "ou_155184d1e73cbfb8973e5a9e698e74f2",
                      "id_type": "open_id", "name": "Tom", "tenant_key": "736588c9260f175e"}],
        "upper_message_id": "",
        "undocumented": 7
    }))
}

#[tokio::test]
async fn send_text_with_mention_exact_request() {
    let (t, m) = scripted();
    t.push_json(200, &sent("om_1", "text", r#"{"text":"@_user_1 hi"}"#));
    let msg = m
        .messages()
        .send(
            ReceiveIdType::OpenId,
            "ou_7d8a6e6df7621556ce0d21922b676706ccs",
            Text::new()
                .mention("ou_155184d1e73cbfb8973e5a9e698e74f2")
                .push(" hi"),
        )
        .await
        .unwrap();
    let reqs = t.requests();
    assert_eq!(reqs.len(), 1);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages");
    assert_eq!(
        reqs[0].query_pairs(),
        vec![("receive_id_type".to_owned(), "open_id".to_owned())]
    );
    let body = reqs[0].json().unwrap();
    let uuid = body["uuid"].as_str().unwrap().to_owned();
    assert_eq!(uuid.len(), 36);
    assert_eq!(
        body,
        json!({
            "receive_id": "ou_7d8a6e6df7621556ce0d21922b676706ccs",
            "msg_type": "text",
            "content": r#"{"text":"<at user_id=\"ou_155184d1e73cbfb8973e5a9e698e74f2\"></at> hi"}"#,
            "uuid": uuid,
        })
    );
    // The documented answer, with its undocumented field kept.
    assert_eq!(msg.message_id.as_ref().unwrap().as_str(), "om_1");
    assert_eq!(msg.create_time.as_deref(), Some("1615380573411"));
    assert_eq!(
        msg.mentions.as_ref().unwrap()[0].name.as_deref(),
        Some("Tom")
    );
    assert_eq!(msg.extra.get("undocumented"), Some(&json!(7)));
    let Some(Ok(ReceivedContent::Text(text))) = msg.received_content() else {
        panic!("text content expected");
    };
    assert_eq!(text.plain_text(Mentions::Strip), "hi");
}

#[tokio::test]
async fn every_send_gets_its_own_uuid_unless_one_is_set() {
    let (t, m) = scripted();
    for _ in 0..3 {
        t.push_json(200, &sent("om_1", "text", r#"{"text":"x"}"#));
    }
    m.messages()
        .send_to_chat("oc_1", Text::from("a"))
        .await
        .unwrap();
    m.messages()
        .send_to_chat("oc_1", Text::from("a"))
        .await
        .unwrap();
    m.messages()
        .send_to_chat("oc_1", Text::from("a"))
        .uuid("order-42-shipped")
        .await
        .unwrap();
    let uuids: Vec<String> = t
        .requests()
        .iter()
        .map(|r| r.json().unwrap()["uuid"].as_str().unwrap().to_owned())
        .collect();
    assert_ne!(uuids[0], uuids[1]);
    assert_eq!(uuids[2], "order-42-shipped");
    assert_eq!(
        t.requests()[0].query("receive_id_type").as_deref(),
        Some("chat_id")
    );
}

#[tokio::test]
async fn send_card_builder_template_and_image() {
    let (t, m) = scripted();
    for _ in 0..3 {
        t.push_json(200, &sent("om_2", "interactive", "{}"));
    }
    let card = Card::new().header(Header::new("Deploy")).markdown("**ok**");
    m.messages().send_to_chat("oc_1", card).await.unwrap();
    m.messages()
        .send_to_chat(
            "oc_1",
            Interactive::template("AAqigYkzabcef").variable("name", "Tom"),
        )
        .await
        .unwrap();
    m.messages()
        .send_to_chat("oc_1", Image::new("img_v2_041b28e3"))
        .await
        .unwrap();
    let reqs = t.requests();
    let b0 = reqs[0].json().unwrap();
    assert_eq!(b0["msg_type"], "interactive");
    let card: Value = serde_json::from_str(b0["content"].as_str().unwrap()).unwrap();
    assert_eq!(card["schema"], "2.0");
    assert_eq!(card["header"]["title"]["content"], "Deploy");
    let b1 = reqs[1].json().unwrap();
    let tpl: Value = serde_json::from_str(b1["content"].as_str().unwrap()).unwrap();
    assert_eq!(
        tpl,
        json!({"type": "template", "data": {"template_id": "AAqigYkzabcef",
               "template_variable": {"name": "Tom"}}})
    );
    let b2 = reqs[2].json().unwrap();
    assert_eq!(b2["msg_type"], "image");
    assert_eq!(b2["content"], r#"{"image_key":"img_v2_041b28e3"}"#);
}

fn rejected_rule(e: Error) -> (String, String) {
    match e {
        Error::Rejected {
            reason: Rejection::Invalid(invalid),
            operation,
        } => {
            assert_eq!(operation, "im.v1.message.create");
            (invalid.field.to_string(), invalid.rule.to_string())
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

#[tokio::test]
async fn oversized_content_fails_before_sending_naming_the_limit() {
    let (t, m) = scripted();
    let text = Text::from("x".repeat(150 * 1024).as_str());
    let e = m.messages().send_to_chat("oc_1", text).await.unwrap_err();
    let (field, rule) = rejected_rule(e);
    assert_eq!(field, "content");
    assert!(rule.contains("150 KB"), "{rule}");

    let post = Post::new(
        PostLocale::ZhCn,
        PostBody::new("big").paragraph(vec![PostElement::text("y".repeat(31 * 1024))]),
    );
    let e = m.messages().send_to_chat("oc_1", post).await.unwrap_err();
    let (_, rule) = rejected_rule(e);
    assert!(rule.contains("30 KB"), "{rule}");

    let card = Card::new().markdown("z".repeat(31 * 1024));
    let e = m.messages().send_to_chat("oc_1", card).await.unwrap_err();
    let (_, rule) = rejected_rule(e);
    assert!(rule.contains("30 KB"), "{rule}");
    assert!(t.requests().is_empty());

    // Just under the text limit goes out.
    t.push_json(200, &sent("om_3", "text", "{}"));
    let text = Text::from("x".repeat(150 * 1024 - 20).as_str());
    m.messages().send_to_chat("oc_1", text).await.unwrap();
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn reply_in_thread_edit_recall() {
    let (t, m) = scripted();
    t.push_json(200, &sent("om_r", "text", r#"{"text":"ack"}"#));
    t.push_json(200, &sent("om_1", "text", r#"{"text":"fixed"}"#));
    t.push_json(200, &ok(json!({})));
    let reply = m
        .messages()
        .reply("om_1", Text::from("ack"))
        .reply_in_thread(true)
        .await
        .unwrap();
    assert_eq!(reply.message_id.unwrap().as_str(), "om_r");
    m.messages()
        .edit("om_1", Text::from("fixed"))
        .await
        .unwrap();
    m.messages().recall("om_1").await.unwrap();
    let reqs = t.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages/om_1/reply");
    let body = reqs[0].json().unwrap();
    assert_eq!(body["reply_in_thread"], true);
    assert_eq!(body["msg_type"], "text");
    assert_eq!(body["content"], r#"{"text":"ack"}"#);
    assert_eq!(body["uuid"].as_str().unwrap().len(), 36);
    assert_eq!(reqs[1].method, "PUT");
    assert_eq!(reqs[1].path(), "/open-apis/im/v1/messages/om_1");
    assert_eq!(
        reqs[1].json().unwrap(),
        json!({"msg_type": "text", "content": r#"{"text":"fixed"}"#})
    );
    assert_eq!(reqs[2].method, "DELETE");
    assert_eq!(reqs[2].path(), "/open-apis/im/v1/messages/om_1");
}

#[tokio::test]
async fn get_parses_received_content() {
    let (t, m) = scripted();
    t.push_json(
        200,
        &ok(json!({"items": [{
            "message_id": "om_1", "msg_type": "post",
            "body": {"content": r#"{"title":"T","content":[[{"tag":"text","text":"hello"}]]}"#}
        }]})),
    );
    let got = m
        .messages()
        .get("om_1")
        .user_id_type(UserIdType::UserId)
        .await
        .unwrap();
    let req = &t.requests()[0];
    assert_eq!(req.method, "GET");
    assert_eq!(req.path(), "/open-apis/im/v1/messages/om_1");
    assert_eq!(req.query("user_id_type").as_deref(), Some("user_id"));
    let content = got.items.as_ref().unwrap()[0]
        .received_content()
        .unwrap()
        .unwrap();
    assert_eq!(
        content.plain_text(Mentions::Strip).as_deref(),
        Some("T\nhello")
    );
}

#[tokio::test]
async fn history_streams_pages_with_time_range_and_sort() {
    let (t, m) = scripted();
    t.push_json(
        200,
        &ok(json!({"has_more": true, "page_token": "p2",
                   "items": [{"message_id": "om_1", "msg_type": "text", "body": {"content": "{\"text\":\"a\"}"}}]})),
    );
    t.push_json(
        200,
        &ok(json!({"has_more": false,
                   "items": [{"message_id": "om_2", "msg_type": "text", "body": {"content": "{\"text\":\"b\"}"}}]})),
    );
    let items: Vec<_> = m
        .messages()
        .history("oc_1")
        .time_range(1_608_594_809, 1_609_296_809)
        .sort(MessageSortType::ByCreateTimeDesc)
        .page_size(50)
        .stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|m| m.unwrap().message_id.unwrap().as_str().to_owned())
        .collect();
    assert_eq!(ids, ["om_1", "om_2"]);
    let reqs = t.requests();
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages");
    let q = |i: usize, k: &str| reqs[i].query(k);
    assert_eq!(q(0, "container_id_type").as_deref(), Some("chat"));
    assert_eq!(q(0, "container_id").as_deref(), Some("oc_1"));
    assert_eq!(q(0, "start_time").as_deref(), Some("1608594809"));
    assert_eq!(q(0, "end_time").as_deref(), Some("1609296809"));
    assert_eq!(q(0, "sort_type").as_deref(), Some("ByCreateTimeDesc"));
    assert_eq!(q(0, "page_size").as_deref(), Some("50"));
    assert_eq!(q(0, "page_token"), None);
    assert_eq!(q(1, "page_token").as_deref(), Some("p2"));
}

#[tokio::test]
async fn forwards_carry_uuids() {
    let (t, m) = scripted();
    t.push_json(200, &sent("om_f", "text", "{}"));
    t.push_json(
        200,
        &ok(
            json!({"message": {"message_id": "om_m", "msg_type": "merge_forward"},
                   "invalid_message_id_list": ["om_bad"]}),
        ),
    );
    t.push_json(200, &sent("om_t", "merge_forward", "{}"));
    m.messages()
        .forward("om_1", ReceiveIdType::ChatId, "oc_2")
        .await
        .unwrap();
    let merged = m
        .messages()
        .merge_forward(ReceiveIdType::ChatId, "oc_2", ["om_1", "om_2"])
        .await
        .unwrap();
    assert_eq!(
        merged.invalid_message_id_list.as_deref(),
        Some(&["om_bad".into()][..])
    );
    m.messages()
        .forward_thread("omt_1", ReceiveIdType::OpenId, "ou_1")
        .await
        .unwrap();
    let reqs = t.requests();
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages/om_1/forward");
    assert_eq!(reqs[0].json().unwrap(), json!({"receive_id": "oc_2"}));
    assert_eq!(reqs[1].path(), "/open-apis/im/v1/messages/merge_forward");
    assert_eq!(
        reqs[1].json().unwrap(),
        json!({"receive_id": "oc_2", "message_id_list": ["om_1", "om_2"]})
    );
    assert_eq!(reqs[2].path(), "/open-apis/im/v1/threads/omt_1/forward");
    assert_eq!(reqs[2].query("receive_id_type").as_deref(), Some("open_id"));
    for r in &reqs {
        assert_eq!(r.method, "POST");
        assert_eq!(r.query("uuid").map(|u| u.len()), Some(36));
    }
}

#[tokio::test]
async fn read_users_follow_up_and_resource_download() {
    let (t, m) = scripted();
    t.push_json(
        200,
        &ok(json!({"has_more": false, "items": [
            {"user_id_type": "open_id", "user_id": "ou_1", "timestamp": "1609484183000",
             "tenant_key": "736588c9260f175e"}]})),
    );
    t.push_json(200, &ok(json!({})));
    let mut file = feishu_transport::response(200, b"\x89PNG-bytes".to_vec());
    file.headers_mut()
        .insert("content-type", "image/png".parse().unwrap());
    file.headers_mut().insert(
        "content-disposition",
        "attachment; filename=\"a.png\"".parse().unwrap(),
    );
    t.push(file);

    let readers = m
        .messages()
        .read_users("om_1", UserIdType::OpenId)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(readers[0].user_id.as_ref().unwrap().as_str(), "ou_1");
    m.messages()
        .push_follow_up("om_1", [FollowUp::new("Show details")])
        .await
        .unwrap();
    let download = m
        .messages()
        .download_resource("om_1", "img_v2_1", ResourceType::Image)
        .await
        .unwrap();
    assert_eq!(download.bytes, b"\x89PNG-bytes");
    assert_eq!(download.content_type.as_deref(), Some("image/png"));
    assert_eq!(download.file_name.as_deref(), Some("a.png"));

    let reqs = t.requests();
    assert_eq!(reqs[0].method, "GET");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages/om_1/read_users");
    assert_eq!(reqs[0].query("user_id_type").as_deref(), Some("open_id"));
    assert_eq!(reqs[1].method, "POST");
    assert_eq!(
        reqs[1].path(),
        "/open-apis/im/v1/messages/om_1/push_follow_up"
    );
    assert_eq!(
        reqs[1].json().unwrap(),
        json!({"follow_ups": [{"content": "Show details"}]})
    );
    assert_eq!(reqs[2].method, "GET");
    assert_eq!(
        reqs[2].path(),
        "/open-apis/im/v1/messages/om_1/resources/img_v2_1"
    );
    assert_eq!(reqs[2].query("type").as_deref(), Some("image"));
}

//! Reactions, pins, buzz, images, files and cards over a scripted
//! transport: the exact request of each call and the decoding of
//! documented answers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use feishu_message::Message;
use feishu_model::card::Card;
use feishu_model::im::content::{Interactive, Text};
use feishu_model::im::file::FileType;
use feishu_model::im::image::ImageType;
use feishu_model::im::reaction::EmojiType;
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

fn reaction(id: &str) -> Value {
    json!({"reaction_id": id,
           "operator": {"operator_id": "ou_1", "operator_type": "user"},
           "action_time": "1663054162546", "reaction_type": {"emoji_type": "SMILE"}})
}

#[tokio::test]
async fn reactions_add_remove_list_batch() {
    let (t, m) = scripted();
    t.push_json(200, &ok(reaction("ZCaCIjUBVVWSrm5L-3ZTw")));
    t.push_json(200, &ok(reaction("ZCaCIjUBVVWSrm5L-3ZTw")));
    t.push_json(
        200,
        &ok(json!({"items": [reaction("r1")], "has_more": true, "page_token": "p2"})),
    );
    t.push_json(
        200,
        &ok(json!({"items": [reaction("r2")], "has_more": false})),
    );
    t.push_json(200, &ok(json!({"success_msg_reaction_counts": []})));
    let r = m.reactions("om_1");
    let added = r.add(EmojiType::Thumbsup).await.unwrap();
    assert_eq!(added.reaction_id.as_deref(), Some("ZCaCIjUBVVWSrm5L-3ZTw"));
    r.remove("ZCaCIjUBVVWSrm5L-3ZTw").await.unwrap();
    let ids: Vec<String> = r
        .list()
        .configure(|e| e.query.reaction_type = Some(EmojiType::from("SMILE")))
        .stream()
        .map(|x| x.unwrap().reaction_id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, ["r1", "r2"]);
    r.batch_query(["om_2"]).await.unwrap();

    let reqs = t.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages/om_1/reactions");
    assert_eq!(
        reqs[0].json().unwrap(),
        json!({"reaction_type": {"emoji_type": "THUMBSUP"}})
    );
    assert_eq!(reqs[1].method, "DELETE");
    assert_eq!(
        reqs[1].path(),
        "/open-apis/im/v1/messages/om_1/reactions/ZCaCIjUBVVWSrm5L-3ZTw"
    );
    assert_eq!(reqs[2].method, "GET");
    assert_eq!(reqs[2].query("reaction_type").as_deref(), Some("SMILE"));
    assert_eq!(reqs[3].query("page_token").as_deref(), Some("p2"));
    assert_eq!(reqs[4].method, "POST");
    assert_eq!(
        reqs[4].path(),
        "/open-apis/im/v1/messages/reactions/batch_query"
    );
    let body = reqs[4].json().unwrap();
    assert_eq!(body["queries"][0]["message_id"], "om_1");
    assert_eq!(body["queries"][1]["message_id"], "om_2");
}

#[tokio::test]
async fn pins_pin_unpin_list() {
    let (t, m) = scripted();
    let pin = json!({"message_id": "om_1", "chat_id": "oc_1", "operator_id": "ou_1",
                     "operator_id_type": "open_id", "create_time": "1615380573211"});
    t.push_json(200, &ok(json!({"pin": pin.clone()})));
    t.push_json(200, &ok(json!({})));
    t.push_json(200, &ok(json!({"items": [pin], "has_more": false})));
    let created = m.pins().pin("om_1").await.unwrap();
    assert_eq!(
        created.pin.unwrap().create_time.as_deref(),
        Some("1615380573211")
    );
    m.pins().unpin("om_1").await.unwrap();
    let pins = m
        .pins()
        .list("oc_1")
        .configure(|e| e.query.start_time = Some("1658632251800".into()))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(pins[0].message_id.as_deref(), Some("om_1"));
    let reqs = t.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/pins");
    assert_eq!(reqs[0].json().unwrap(), json!({"message_id": "om_1"}));
    assert_eq!(reqs[1].method, "DELETE");
    assert_eq!(reqs[1].path(), "/open-apis/im/v1/pins/om_1");
    assert_eq!(reqs[2].path(), "/open-apis/im/v1/pins");
    assert_eq!(reqs[2].query("chat_id").as_deref(), Some("oc_1"));
    assert_eq!(
        reqs[2].query("start_time").as_deref(),
        Some("1658632251800")
    );
}

#[tokio::test]
async fn buzz_app_sms_phone() {
    let (t, m) = scripted();
    for _ in 0..3 {
        t.push_json(200, &ok(json!({"invalid_user_id_list": ["ou_gone"]})));
    }
    let b = m.buzz("om_1");
    let out = b.app(["ou_1", "ou_gone"]).await.unwrap();
    assert_eq!(out.invalid_user_id_list.unwrap()[0].as_str(), "ou_gone");
    b.sms(["ou_1"]).await.unwrap();
    b.phone(["ou_1"]).await.unwrap();
    let reqs = t.requests();
    for (req, kind) in reqs.iter().zip(["app", "sms", "phone"]) {
        assert_eq!(req.method, "PATCH");
        assert_eq!(
            req.path(),
            format!("/open-apis/im/v1/messages/om_1/urgent_{kind}")
        );
        assert_eq!(req.query("user_id_type").as_deref(), Some("open_id"));
    }
    assert_eq!(
        reqs[0].json().unwrap(),
        json!({"user_id_list": ["ou_1", "ou_gone"]})
    );
}

fn binary(bytes: &[u8], content_type: &str) -> feishu_transport::HttpResponse {
    let mut r = feishu_transport::response(200, bytes.to_vec());
    r.headers_mut()
        .insert("content-type", content_type.parse().unwrap());
    r
}

#[tokio::test]
async fn images_and_files_upload_multipart_and_download_bytes() {
    let (t, m) = scripted();
    t.push_json(200, &ok(json!({"image_key": "img_v2_1"})));
    t.push(binary(b"PNGDATA", "image/png"));
    t.push_json(200, &ok(json!({"file_key": "file_v2_1"})));
    t.push(binary(b"%PDF-1.7", "application/pdf"));

    let up = m
        .images()
        .upload(ImageType::Message, "a.png", b"PNGDATA".to_vec())
        .await
        .unwrap();
    assert_eq!(up.image_key.as_deref(), Some("img_v2_1"));
    let img = m.images().download("img_v2_1").await.unwrap();
    assert_eq!(img.bytes, b"PNGDATA");
    let f = m
        .files()
        .upload(FileType::Pdf, "report.pdf", b"%PDF-1.7".to_vec())
        .await
        .unwrap();
    assert_eq!(f.file_key.as_deref(), Some("file_v2_1"));
    let file = m.files().download("file_v2_1").await.unwrap();
    assert_eq!(file.content_type.as_deref(), Some("application/pdf"));

    let reqs = t.requests();
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/images");
    let ct = reqs[0].header("content-type").unwrap();
    assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
    let body = String::from_utf8_lossy(&reqs[0].body).into_owned();
    assert!(
        body.contains("name=\"image_type\"\r\n\r\nmessage\r\n"),
        "{body}"
    );
    assert!(body.contains("filename=\"a.png\""), "{body}");
    assert!(body.contains("PNGDATA"), "{body}");
    assert_eq!(reqs[1].method, "GET");
    assert_eq!(reqs[1].path(), "/open-apis/im/v1/images/img_v2_1");
    assert_eq!(reqs[2].path(), "/open-apis/im/v1/files");
    let body = String::from_utf8_lossy(&reqs[2].body).into_owned();
    assert!(body.contains("name=\"file_type\"\r\n\r\npdf\r\n"), "{body}");
    assert!(
        body.contains("name=\"file_name\"\r\n\r\nreport.pdf\r\n"),
        "{body}"
    );
    assert_eq!(reqs[3].path(), "/open-apis/im/v1/files/file_v2_1");
}

#[tokio::test]
async fn cards_patch_ephemeral_and_delayed_update() {
    let (t, m) = scripted();
    t.push_json(200, &ok(json!({})));
    t.push_json(200, &ok(json!({"message_id": "om_eph"})));
    t.push_json(200, &ok(json!({})));
    t.push_json(200, &ok(json!({})));
    let card = Card::new().markdown("updated");
    m.cards().patch("om_1", card.clone()).await.unwrap();
    let eph = m
        .cards()
        .send_ephemeral("oc_1", "ou_1", Interactive::template("AAq1"))
        .await
        .unwrap();
    assert_eq!(eph.message_id.as_ref().map(|m| m.as_str()), Some("om_eph"));
    m.cards().delete_ephemeral("om_eph").await.unwrap();
    m.cards()
        .delayed_update("c-295ee57216a5dc9de90fefd0aadb4b1d7d5b1b5", card)
        .await
        .unwrap();

    let reqs = t.requests();
    assert_eq!(reqs[0].method, "PATCH");
    assert_eq!(reqs[0].path(), "/open-apis/im/v1/messages/om_1");
    let patched: Value =
        serde_json::from_str(reqs[0].json().unwrap()["content"].as_str().unwrap()).unwrap();
    assert_eq!(patched["schema"], "2.0");
    assert_eq!(reqs[1].path(), "/open-apis/ephemeral/v1/send");
    assert_eq!(
        reqs[1].json().unwrap(),
        json!({"chat_id": "oc_1", "open_id": "ou_1", "msg_type": "interactive",
               "card": {"type": "template", "data": {"template_id": "AAq1"}}})
    );
    assert_eq!(reqs[2].path(), "/open-apis/ephemeral/v1/delete");
    assert_eq!(reqs[2].json().unwrap(), json!({"message_id": "om_eph"}));
    assert_eq!(reqs[3].path(), "/open-apis/interactive/v1/card/update");
    let body = reqs[3].json().unwrap();
    assert_eq!(body["token"], "c-295ee57216a5dc9de90fefd0aadb4b1d7d5b1b5");
    assert_eq!(body["card"]["schema"], "2.0");
}

#[tokio::test]
async fn a_card_call_refuses_other_content_and_oversized_cards_before_sending() {
    let (t, m) = scripted();
    let e = m
        .cards()
        .patch("om_1", Text::from("not a card"))
        .await
        .unwrap_err();
    let Error::Rejected {
        reason: Rejection::Invalid(invalid),
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert_eq!(invalid.field, "card");
    let big = Card::new().markdown("q".repeat(31 * 1024));
    let e = m.cards().delayed_update("c-1", big).await.unwrap_err();
    assert!(e.to_string().contains("30 KB"), "{e}");
    assert!(t.requests().is_empty());
}

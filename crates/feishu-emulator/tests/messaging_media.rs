//! Images, files, message resources, merged and thread forwards, ephemeral
//! cards and batch reaction queries, driven through the in-process
//! transport (and straight through the router for requests a client
//! refuses to build), with the documented error codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::im::card::{DeleteEphemeralCard, SendEphemeralCard};
use feishu_emulator::feishu_model::im::file::{FileType, GetFile, UploadFile};
use feishu_emulator::feishu_model::im::image::{GetImage, ImageType, UploadImage};
use feishu_emulator::feishu_model::im::message::edit::DeleteMessage;
use feishu_emulator::feishu_model::im::message::forward::{ForwardThread, MergeForward};
use feishu_emulator::feishu_model::im::message::item::{Message, ReceiveIdType};
use feishu_emulator::feishu_model::im::message::read::{GetMessage, ReadUsers};
use feishu_emulator::feishu_model::im::message::resource::{GetMessageResource, ResourceType};
use feishu_emulator::feishu_model::im::message::send::{CreateMessage, ReplyMessage};
use feishu_emulator::feishu_model::im::msg_type::MsgType;
use feishu_emulator::feishu_model::im::reaction::{
    BatchQueryReactions, CreateReaction, EmojiType, FailReason, MessageQuery,
};
use feishu_emulator::feishu_model::multipart::{FilePart, Form};
use feishu_emulator::feishu_model::UserIdType;
use feishu_emulator::feishu_transport::Client;
use feishu_emulator::{Emulator, EmulatorRequest};
use serde_json::json;

/// A well-formed message id no message has.
const NO_SUCH_MESSAGE: &str = "om_00000000000000000000000000000000";

/// A PNG header (signature and IHDR) of the given size.
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0x12, 0x34, 0x56, 0x78]);
    b
}

/// Posts a form straight to the router as BOT: status, headers, body.
fn post_form(
    emulator: &Emulator,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, serde_json::Value) {
    let token = tenant_token(emulator, BOT, BOT_SECRET);
    let response = emulator.handle(&EmulatorRequest {
        method: "POST".to_owned(),
        path: path.to_owned(),
        query: Vec::new(),
        headers: vec![
            ("authorization".to_owned(), format!("Bearer {token}")),
            ("content-type".to_owned(), content_type.to_owned()),
        ],
        body: body.into(),
    });
    let status = response.status().as_u16();
    (status, serde_json::from_slice(response.body()).unwrap())
}

/// Posts the upload `form` to `path` as BOT: its code.
fn upload_code(emulator: &Emulator, path: &str, form: Form<'_>) -> i64 {
    let form = form.encode().unwrap();
    let (_, body) = post_form(emulator, path, &form.content_type, form.bytes);
    body["code"].as_i64().unwrap()
}

/// An image upload form with the given type and bytes: its code.
fn image_code(emulator: &Emulator, image_type: &str, bytes: Vec<u8>) -> i64 {
    let image = FilePart::new("x.png", bytes);
    let form = Form::new()
        .text("image_type", image_type)
        .file("image", &image);
    upload_code(emulator, "/open-apis/im/v1/images", form)
}

/// A file upload form: its code.
fn file_code(emulator: &Emulator, file_type: &str, bytes: Vec<u8>) -> i64 {
    let file = FilePart::new("a.bin", bytes);
    let form = Form::new()
        .text("file_type", file_type)
        .text("file_name", "a.bin")
        .file("file", &file);
    upload_code(emulator, "/open-apis/im/v1/files", form)
}

async fn send(
    client: &Client,
    chat: &str,
    msg_type: MsgType,
    content: serde_json::Value,
) -> Message {
    client
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            chat,
            msg_type,
            content.to_string(),
        ))
        .await
        .unwrap()
}

/// `client` uploads an image of `image_type`; its key.
async fn upload_image(
    client: &Client,
    image_type: ImageType,
    name: &str,
    bytes: Vec<u8>,
) -> String {
    client
        .call(UploadImage::new(image_type, name, bytes))
        .await
        .unwrap()
        .image_key
        .unwrap()
}

/// The error code of a refused download of `key` through `message`.
async fn resource_code(
    client: &Client,
    message: &str,
    key: &str,
    kind: ResourceType,
) -> Option<i64> {
    client
        .call(GetMessageResource::new(message, key, kind))
        .await
        .unwrap_err()
        .code()
}

async fn say(client: &Client, text: &str) -> String {
    message_id(&send(client, MAIN_CHAT, MsgType::Text, json!({ "text": text })).await)
}

#[tokio::test]
async fn an_uploaded_image_downloads_back_only_for_its_uploader() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let bytes = png(3, 4);
    let key = upload_image(&bot, ImageType::Message, "图.png", bytes.clone()).await;
    assert!(key.starts_with("img_v3_02"), "{key}");
    assert!(key.ends_with('g'), "{key}");
    let file = bot.call(GetImage::new(key.clone())).await.unwrap();
    assert_eq!(file.bytes, bytes);
    assert_eq!(file.content_type.as_deref(), Some("image/png"));
    assert_eq!(file.file_name.as_deref(), Some("图.png"));

    let other = unlimited_client(&emulator, HELPER);
    let err = other.call(GetImage::new(key.clone())).await.unwrap_err();
    assert_eq!(err.code(), Some(234008), "{err}");
    let err = bot
        .call(GetImage::new("img_v3_02ab_nothing"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(234005), "{err}");

    let avatar = upload_image(&bot, ImageType::Avatar, "me.png", png(64, 64)).await;
    let err = bot.call(GetImage::new(avatar)).await.unwrap_err();
    assert_eq!(err.code(), Some(234001), "{err}");

    let state = emulator.snapshot();
    let uploads = serde_json::to_value(&state).unwrap()["uploads"].clone();
    assert_eq!(uploads[0]["key"], key.as_str());
    assert_eq!(uploads[0]["name"], "图.png");
    assert_eq!(uploads[0]["size"], bytes.len());
    assert_eq!(uploads[0]["type"], "message");
    assert_eq!(uploads[1]["type"], "avatar");
}

#[test]
fn image_uploads_follow_the_documented_rules() {
    let emulator = messaging_emulator();
    assert_eq!(image_code(&emulator, "message", png(3, 4)), 0);
    assert_eq!(image_code(&emulator, "message", Vec::new()), 234010);
    let mut big = png(3, 4);
    big.resize(10 * 1024 * 1024 + 1, 0);
    assert_eq!(image_code(&emulator, "message", big), 234006);
    assert_eq!(
        image_code(&emulator, "message", b"plain text".to_vec()),
        234011
    );
    assert_eq!(image_code(&emulator, "message", png(12001, 10)), 234039);
    assert_eq!(image_code(&emulator, "avatar", png(4097, 10)), 234039);
    assert_eq!(image_code(&emulator, "avatar", png(4096, 10)), 0);
    // A GIF may be at most 2000 x 2000.
    assert_eq!(
        image_code(&emulator, "message", b"GIF89a\xD1\x07\x01\x00".to_vec()),
        234039
    );
    assert_eq!(
        image_code(&emulator, "message", b"GIF89a\xD0\x07\x01\x00".to_vec()),
        0
    );
    assert_eq!(image_code(&emulator, "sticker", png(3, 4)), 234001);
    let (status, body) = post_form(
        &emulator,
        "/open-apis/im/v1/images",
        "application/json",
        br#"{"image_type":"message"}"#.to_vec(),
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(234001)),
        "{body}"
    );
}

#[tokio::test]
async fn an_uploaded_file_downloads_back_with_its_name_and_type() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let bytes = b"%PDF-1.4 report".to_vec();
    let key = bot
        .call(UploadFile::new(FileType::Pdf, "报告 1.pdf", bytes.clone()).with_duration(0))
        .await
        .unwrap()
        .file_key
        .unwrap();
    assert!(key.starts_with("file_v3_00"), "{key}");
    let file = bot.call(GetFile::new(key.clone())).await.unwrap();
    assert_eq!(file.bytes, bytes);
    assert_eq!(file.file_name.as_deref(), Some("报告 1.pdf"));
    assert_eq!(
        file.content_type.as_deref(),
        Some("application/octet-stream")
    );
    let err = unlimited_client(&emulator, HELPER)
        .call(GetFile::new(key))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(234008), "{err}");

    assert_eq!(file_code(&emulator, "stream", b"x".to_vec()), 0);
    assert_eq!(file_code(&emulator, "exe", b"x".to_vec()), 234001);
    assert_eq!(file_code(&emulator, "stream", Vec::new()), 234010);
    assert_eq!(
        file_code(&emulator, "stream", vec![1; 30 * 1024 * 1024 + 1]),
        234006
    );
}

#[tokio::test]
async fn a_download_names_its_file_in_content_disposition() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let key = bot
        .call(UploadFile::new(
            FileType::Stream,
            "日志.txt",
            b"line".to_vec(),
        ))
        .await
        .unwrap()
        .file_key
        .unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let response = emulator.handle(&EmulatorRequest {
        method: "GET".to_owned(),
        path: format!("/open-apis/im/v1/files/{key}"),
        headers: vec![("authorization".to_owned(), format!("Bearer {token}"))],
        ..EmulatorRequest::default()
    });
    assert_eq!(response.status(), 200);
    assert_eq!(response.body().as_ref(), b"line");
    let disposition = response.headers()["content-disposition"].to_str().unwrap();
    assert_eq!(
        disposition,
        "attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E5%BF%97%2Etxt"
    );
    assert!(response.headers().contains_key("x-tt-logid"));
}

#[tokio::test]
async fn a_message_resource_is_served_only_through_its_message() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let bytes = png(8, 8);
    let key = upload_image(&bot, ImageType::Message, "cat.png", bytes.clone()).await;
    let m = message_id(&send(&bot, MAIN_CHAT, MsgType::Image, json!({ "image_key": key })).await);
    let file = bot
        .call(GetMessageResource::new(
            m.clone(),
            key.clone(),
            ResourceType::Image,
        ))
        .await
        .unwrap();
    assert_eq!(file.bytes, bytes);
    assert_eq!(file.content_type.as_deref(), Some("image/png"));

    let other = say(&bot, "no image here").await;
    assert_eq!(
        resource_code(&bot, &other, &key, ResourceType::Image).await,
        Some(234003)
    );
    assert_eq!(
        resource_code(&bot, &m, &key, ResourceType::File).await,
        Some(234003)
    );
    // PARTNER_BOT is not in the main chat.
    let partner = unlimited_client(&emulator, PARTNER_BOT);
    assert_eq!(
        resource_code(&partner, &m, &key, ResourceType::Image).await,
        Some(234004)
    );
    let card = json!({"elements": [{"tag": "img", "img_key": key}]});
    let card = message_id(&send(&bot, MAIN_CHAT, MsgType::Interactive, card).await);
    assert_eq!(
        resource_code(&bot, &card, &key, ResourceType::Image).await,
        Some(234043)
    );
    bot.call(DeleteMessage::new(m.clone())).await.unwrap();
    assert_eq!(
        resource_code(&bot, &m, &key, ResourceType::Image).await,
        Some(230110)
    );
}

#[tokio::test]
async fn merge_forward_sends_one_message_holding_the_valid_ones() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let a = say(&bot, "first").await;
    let b = say(&bot, "second").await;
    let gone = say(&bot, "recalled").await;
    bot.call(DeleteMessage::new(gone.clone())).await.unwrap();
    let unknown = "om_00000000000000000000000000000000";
    let out = bot
        .call(MergeForward::new(
            ReceiveIdType::ChatId,
            ANNOUNCEMENT_CHAT,
            [b.as_str(), a.as_str(), gone.as_str(), unknown],
        ))
        .await
        .unwrap();
    let merged = out.message.unwrap();
    assert_eq!(merged.msg_type, Some(MsgType::MergeForward));
    assert_eq!(
        merged.body.as_ref().unwrap().content.as_deref(),
        Some("Merged and Forwarded Message")
    );
    assert_eq!(merged.chat_id.as_ref().unwrap().as_str(), ANNOUNCEMENT_CHAT);
    let invalid: Vec<String> = out
        .invalid_message_id_list
        .unwrap()
        .iter()
        .map(|i| i.as_str().to_owned())
        .collect();
    assert_eq!(invalid, vec![gone.clone(), unknown.to_owned()]);

    let items = bot
        .call(GetMessage::new(message_id(&merged)))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(items.len(), 3);
    let inner: Vec<_> = items[1..]
        .iter()
        .map(|m| m.body.as_ref().unwrap().content.clone().unwrap())
        .collect();
    assert_eq!(inner, vec![r#"{"text":"first"}"#, r#"{"text":"second"}"#]);
    for m in &items[1..] {
        assert_eq!(
            m.upper_message_id.as_ref().unwrap().as_str(),
            message_id(&merged)
        );
    }

    let refuse =
        |ids: Vec<String>| bot.call(MergeForward::new(ReceiveIdType::ChatId, MAIN_CHAT, ids));
    assert_eq!(
        refuse(vec![gone.clone()]).await.unwrap_err().code(),
        Some(230065)
    );
    assert_eq!(
        refuse(vec![unknown.to_owned()]).await.unwrap_err().code(),
        Some(230064)
    );
    let elsewhere =
        message_id(&send(&bot, ANNOUNCEMENT_CHAT, MsgType::Text, json!({"text": "x"})).await);
    assert_eq!(
        refuse(vec![a.clone(), elsewhere]).await.unwrap_err().code(),
        Some(230069)
    );
    let err = bot
        .call(MergeForward::new(
            ReceiveIdType::ChatId,
            "oc_ffffffffffffffffffffffffffffffff",
            [a],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230063));
}

#[tokio::test]
async fn a_thread_forwards_as_one_merged_message() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let root = say(&bot, "topic").await;
    let mut reply = ReplyMessage::new(
        root.clone(),
        MsgType::Text,
        json!({"text": "answer"}).to_string(),
    );
    reply.body.reply_in_thread = Some(true);
    let reply = bot.call(reply).await.unwrap();
    let thread = reply.thread_id.clone().unwrap();
    let merged = bot
        .call(ForwardThread::new(
            thread.as_str(),
            ReceiveIdType::ChatId,
            ANNOUNCEMENT_CHAT,
        ))
        .await
        .unwrap();
    assert_eq!(merged.msg_type, Some(MsgType::MergeForward));
    let items = bot
        .call(GetMessage::new(message_id(&merged)))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(items.len(), 3, "the merged message, the root and the reply");
    let err = bot
        .call(ForwardThread::new(
            "omt_000000000000",
            ReceiveIdType::ChatId,
            MAIN_CHAT,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230064));
    let err = unlimited_client(&emulator, PARTNER_BOT)
        .call(ForwardThread::new(
            thread.as_str(),
            ReceiveIdType::ChatId,
            PARTNER_CHAT,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230002));
}

#[tokio::test]
async fn batch_reaction_queries_page_count_and_report_failures() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let helper = unlimited_client(&emulator, HELPER);
    let m = say(&bot, "react").await;
    bot.call(CreateReaction::new(m.clone(), EmojiType::Smile))
        .await
        .unwrap();
    helper
        .call(CreateReaction::new(m.clone(), EmojiType::Smile))
        .await
        .unwrap();
    helper
        .call(CreateReaction::new(m.clone(), EmojiType::Lgtm))
        .await
        .unwrap();
    let gone = say(&bot, "gone").await;
    bot.call(DeleteMessage::new(gone.clone())).await.unwrap();
    let private = unlimited_client(&emulator, HELPER)
        .call(CreateMessage::new(
            ReceiveIdType::ChatId,
            PUBLIC_CHAT,
            MsgType::Text,
            json!({"text": "not for BOT"}).to_string(),
        ))
        .await
        .unwrap();

    let mut query = BatchQueryReactions::new([m.clone(), gone.clone(), message_id(&private)]);
    query.body.page_size_per_message = Some(2);
    let out = bot.call(query).await.unwrap();
    let details = out.success_msg_reaction_details.unwrap();
    assert_eq!(details.len(), 1);
    assert_eq!(details[0].message_reaction_items.as_ref().unwrap().len(), 2);
    assert_eq!(details[0].has_more, Some(true));
    let counts = out.success_msg_reaction_counts.unwrap();
    let counts: Vec<_> = counts[0]
        .reaction_count
        .as_ref()
        .unwrap()
        .iter()
        .map(|c| (c.reaction_type.clone().unwrap(), c.count.clone().unwrap()))
        .collect();
    assert_eq!(
        counts,
        vec![
            (EmojiType::Lgtm, "1".to_owned()),
            (EmojiType::Smile, "2".to_owned())
        ]
    );
    let failed: Vec<_> = out
        .fail_msg_reaction_details
        .unwrap()
        .into_iter()
        .map(|f| (f.message_id.unwrap(), f.fail_reason.unwrap()))
        .collect();
    assert_eq!(
        failed,
        vec![
            (gone, FailReason::Invalid),
            (message_id(&private), FailReason::NoPermission)
        ]
    );

    let mut next = BatchQueryReactions::new([m.clone()]);
    next.body.queries = vec![MessageQuery {
        message_id: Some(m.clone()),
        page_token: details[0].page_token.clone(),
    }];
    next.body.page_size_per_message = Some(2);
    let out = bot.call(next).await.unwrap();
    let last = &out.success_msg_reaction_details.unwrap()[0];
    assert_eq!(last.message_reaction_items.as_ref().unwrap().len(), 1);
    assert_eq!(last.has_more, Some(false));

    let mut bad = BatchQueryReactions::new([m.clone()]);
    bad.body.queries[0].page_token = Some("not-a-token".to_owned());
    let out = bot.call(bad).await.unwrap();
    assert_eq!(
        out.fail_msg_reaction_details.unwrap()[0].fail_reason,
        Some(FailReason::InvalidPageToken)
    );
}

#[tokio::test]
async fn an_ephemeral_card_is_kept_for_one_user_until_deleted() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let card =
        json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "only you"}}]});
    let sent = bot
        .call(SendEphemeralCard::new(MAIN_CHAT, LI_SI, card.clone()))
        .await
        .unwrap();
    let message_id = sent.message_id.unwrap();
    let state = serde_json::to_value(emulator.snapshot()).unwrap();
    let shown = &state["ephemeral_cards"][0];
    assert_eq!(shown["message_id"], message_id.as_str());
    assert_eq!(shown["chat_id"], MAIN_CHAT);
    assert_eq!(shown["user"], LI_SI);
    assert_eq!(shown["card"], card);

    // Not a member of the chat.
    let err = bot
        .call(SendEphemeralCard::new(PUBLIC_CHAT, LI_SI, card.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230002), "{err}");
    let err = bot
        .call(SendEphemeralCard::new(
            MAIN_CHAT,
            "ou_00000000000000000000000000000000",
            card,
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230001), "{err}");

    bot.call(DeleteEphemeralCard::new(message_id.clone()))
        .await
        .unwrap();
    let state = serde_json::to_value(emulator.snapshot()).unwrap();
    assert_eq!(state["ephemeral_cards"].as_array().unwrap().len(), 0);
    let err = bot
        .call(DeleteEphemeralCard::new(message_id))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(18051), "{err}");
}

#[tokio::test]
async fn a_bot_without_the_bot_ability_gets_each_pages_code() {
    let fixture = fixture_with(|f| app_seed(f, BOT).bot_enabled = false);
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let bot = unlimited_client(&emulator, BOT);
    let err = bot
        .call(UploadImage::new(ImageType::Message, "a.png", png(1, 1)))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(234007), "{err}");
    let err = bot
        .call(MergeForward::new(
            ReceiveIdType::ChatId,
            MAIN_CHAT,
            [NO_SUCH_MESSAGE],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230006), "{err}");
    let err = bot
        .call(SendEphemeralCard::new(
            MAIN_CHAT,
            LI_SI,
            json!({"elements": []}),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230006), "{err}");
}

#[tokio::test]
async fn read_status_is_refused_after_seven_days() {
    let emulator = messaging_emulator();
    let bot = unlimited_client(&emulator, BOT);
    let m = say(&bot, "read me").await;
    bot.call(ReadUsers::new(m.clone(), UserIdType::OpenId))
        .await
        .unwrap();
    emulator.advance(std::time::Duration::from_secs(7 * 24 * 3600 + 1));
    let bot = unlimited_client(&emulator, BOT);
    let err = bot
        .call(ReadUsers::new(m, UserIdType::OpenId))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(230033), "{err}");
}

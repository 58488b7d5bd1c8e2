#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The message endpoints against their documented request and response
//! examples (fixtures copied from the doc pages), and each documented rule
//! at its boundary.

use feishu_model::im::message::edit::{
    DeleteMessage, FollowUp, FollowUpLanguage, FollowUpTranslation, PushFollowUp, PushFollowUpBody,
    UpdateMessage, UpdateMessageBody, MAX_FOLLOW_UPS, MAX_FOLLOW_UP_CHARS,
    MAX_FOLLOW_UP_TRANSLATIONS,
};
use feishu_model::im::message::forward::{
    ForwardBody, ForwardMessage, ForwardThread, MergeForward, MergeForwardBody, MergeForwardOutput,
    MAX_MERGE_FORWARD_MESSAGES,
};
use feishu_model::im::message::item::{
    MAX_RICH_CONTENT_BYTES, MAX_TEXT_CONTENT_BYTES, MAX_UUID_CHARS,
};
use feishu_model::im::message::read::{
    CardMsgContentType, ContainerIdType, GetMessage, ListMessages, MessageItems, MessagePage,
    MessageSortType, ReadUser, ReadUsers, ReadUsersPage, MAX_LIST_PAGE_SIZE,
    MAX_READ_USERS_PAGE_SIZE,
};
use feishu_model::im::message::resource::{GetMessageResource, ResourceType};
use feishu_model::im::message::send::{
    CreateMessage, CreateMessageBody, ReplyMessage, ReplyMessageBody,
};
use feishu_model::im::message::{Message, ReceiveIdType, SenderType};
use feishu_model::im::msg_type::MsgType;
use feishu_model::registry;
use feishu_model::{
    Empty, Endpoint, MemberIdType, Method, Paged, PagedQuery, Params, RateLimit, RequestSpec,
    TokenKind, UserIdType,
};
use proptest::prelude::*;
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const MESSAGE: &str = "om_dc13264520392913993dd051dba21dcf";
const DOC_BASE: &str = "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/";
const LIST_TOKEN: &str =
    "GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w-irAghVD_TvuYd1aoJ1LQph86O-XImC4X9j9FhUPhXQDvtrQ==";

// ---------------------------------------------------------------------------
// helpers

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect(&path);
    serde_json::from_str(&text).expect(&path)
}

fn response_data(operation: &str) -> Value {
    let response = fixture(&format!("{operation}.response.json"));
    assert_eq!(response["code"], 0);
    response["data"].clone()
}

/// Decodes the documented `data`, checks that it re-serializes to the same
/// JSON and that nothing landed in `extra`; returns the decoded output.
fn round_trip<T: Serialize + DeserializeOwned>(operation: &str) -> T {
    let data = response_data(operation);
    let decoded: T = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), data, "{operation}");
    decoded
}

/// Decodes a documented request body into its type and re-encodes it.
fn body_round_trip<B: Params + Serialize + DeserializeOwned>(name: &str) -> B {
    let doc = fixture(name);
    let body: B = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), doc, "{name}");
    body.validate().unwrap();
    body
}

fn body(req: &RequestSpec) -> Value {
    serde_json::from_slice(req.body.as_deref().expect("request has a body")).unwrap()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    v.sort();
    v
}

fn query(req: &RequestSpec) -> Vec<(String, String)> {
    let mut v = req.query.clone();
    v.sort();
    v
}

fn refused(result: Result<RequestSpec, feishu_model::Invalid>) -> Option<String> {
    result.err().map(|e| e.field)
}

fn text_content(len: usize) -> String {
    // `{"text":"…"}` is 11 bytes around the text.
    format!("{{\"text\":\"{}\"}}", "a".repeat(len - 11))
}

/// The documented example message (send, reply and list answers).
fn assert_example_message(m: &Message) {
    assert!(m.extra.is_empty());
    assert_eq!(m.message_id.as_ref().unwrap().as_str(), MESSAGE);
    assert_eq!(
        m.root_id.as_ref().unwrap().as_str(),
        "om_40eb06e7b84dc71c03e009ad3c754195"
    );
    assert_eq!(
        m.parent_id.as_ref().unwrap().as_str(),
        "om_d4be107c616aed9c1da8ed8068570a9f"
    );
    assert_eq!(m.thread_id.as_ref().unwrap().as_str(), "omt_d4be107c616a");
    assert_eq!(m.create_time.as_deref(), Some("1615380573411"));
    assert_eq!(m.deleted, Some(false));
    assert_eq!(m.updated, Some(false));
    assert_eq!(
        m.chat_id.as_ref().unwrap().as_str(),
        "oc_5ad11d72b830411d72b836c20"
    );
    let sender = m.sender.as_ref().unwrap();
    assert_eq!(sender.id.as_ref().unwrap().as_str(), "cli_9f427eec54ae901b");
    assert_eq!(sender.id_type, Some(MemberIdType::AppId));
    assert_eq!(sender.sender_type, Some(SenderType::App));
    assert_eq!(
        sender.tenant_key.as_ref().unwrap().as_str(),
        "736588c9260f175e"
    );
    let mention = &m.mentions.as_ref().unwrap()[0];
    assert_eq!(mention.key.as_deref(), Some("@_user_1"));
    assert_eq!(mention.id_type, Some(MemberIdType::OpenId));
    assert_eq!(mention.name.as_deref(), Some("Tom"));
}

// ---------------------------------------------------------------------------
// metadata

struct Meta {
    operation: &'static str,
    method: Method,
    path: &'static str,
    tokens: &'static [TokenKind],
    rate: RateLimit,
    idempotent: bool,
    doc: &'static str,
}

fn meta<E: Endpoint>() -> Meta {
    Meta {
        operation: E::OPERATION,
        method: E::METHOD,
        path: E::PATH,
        tokens: E::TOKENS,
        rate: E::RATE_LIMIT,
        idempotent: E::IDEMPOTENT,
        doc: E::DOC,
    }
}

const BOTH: &[TokenKind] = &[TokenKind::Tenant, TokenKind::User];
const TENANT: &[TokenKind] = &[TokenKind::Tenant];

#[rstest]
#[case(meta::<CreateMessage>(), "im.v1.message.create", Method::Post, "/open-apis/im/v1/messages", BOTH, false, "message/create")]
#[case(meta::<ReplyMessage>(), "im.v1.message.reply", Method::Post, "/open-apis/im/v1/messages/:message_id/reply", BOTH, false, "message/reply")]
#[case(meta::<UpdateMessage>(), "im.v1.message.update", Method::Put, "/open-apis/im/v1/messages/:message_id", TENANT, true, "message/update")]
#[case(meta::<DeleteMessage>(), "im.v1.message.delete", Method::Delete, "/open-apis/im/v1/messages/:message_id", BOTH, true, "message/delete")]
#[case(meta::<GetMessage>(), "im.v1.message.get", Method::Get, "/open-apis/im/v1/messages/:message_id", BOTH, true, "message/get")]
#[case(meta::<ListMessages>(), "im.v1.message.list", Method::Get, "/open-apis/im/v1/messages", BOTH, true, "message/list")]
#[case(meta::<ReadUsers>(), "im.v1.message.read_users", Method::Get, "/open-apis/im/v1/messages/:message_id/read_users", TENANT, true, "message/read_users")]
#[case(meta::<ForwardMessage>(), "im.v1.message.forward", Method::Post, "/open-apis/im/v1/messages/:message_id/forward", TENANT, false, "message/forward")]
#[case(meta::<MergeForward>(), "im.v1.message.merge_forward", Method::Post, "/open-apis/im/v1/messages/merge_forward", TENANT, false, "message/merge_forward")]
#[case(meta::<ForwardThread>(), "im.v1.thread.forward", Method::Post, "/open-apis/im/v1/threads/:thread_id/forward", TENANT, false, "thread/forward")]
#[case(meta::<PushFollowUp>(), "im.v1.message.push_follow_up", Method::Post, "/open-apis/im/v1/messages/:message_id/push_follow_up", TENANT, false, "message/push_follow_up")]
#[case(meta::<GetMessageResource>(), "im.v1.message_resource.get", Method::Get, "/open-apis/im/v1/messages/:message_id/resources/:file_key", TENANT, true, "message-resource/get")]
fn documented_metadata(
    #[case] m: Meta,
    #[case] operation: &str,
    #[case] method: Method,
    #[case] path: &str,
    #[case] tokens: &[TokenKind],
    #[case] idempotent: bool,
    #[case] doc_tail: &str,
) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, method);
    assert_eq!(m.path, path);
    assert_eq!(m.tokens, tokens, "{operation}");
    assert_eq!(m.rate, RateLimit::GROUP);
    assert_eq!(m.idempotent, idempotent, "{operation}");
    assert_eq!(m.doc, format!("{DOC_BASE}{doc_tail}"));
    assert_eq!(registry::find(operation).map(|e| e.path), Some(path));
}

#[test]
fn documented_limits_are_exported() {
    assert_eq!(MAX_UUID_CHARS, 50);
    assert_eq!(MAX_TEXT_CONTENT_BYTES, 150 * 1024);
    assert_eq!(MAX_RICH_CONTENT_BYTES, 30 * 1024);
    assert_eq!(MAX_LIST_PAGE_SIZE, 50);
    assert_eq!(MAX_READ_USERS_PAGE_SIZE, 100);
    assert_eq!(MAX_MERGE_FORWARD_MESSAGES, 100);
    assert_eq!(MAX_FOLLOW_UPS, 3);
    assert_eq!(MAX_FOLLOW_UP_CHARS, 200);
    assert_eq!(MAX_FOLLOW_UP_TRANSLATIONS, 50);
}

#[test]
fn routes_tell_the_message_endpoints_apart() {
    let cases = [
        (
            Method::Post,
            "/open-apis/im/v1/messages",
            "im.v1.message.create",
        ),
        (
            Method::Get,
            "/open-apis/im/v1/messages",
            "im.v1.message.list",
        ),
        (
            Method::Post,
            "/open-apis/im/v1/messages/merge_forward",
            "im.v1.message.merge_forward",
        ),
        (
            Method::Get,
            "/open-apis/im/v1/messages/om_1",
            "im.v1.message.get",
        ),
        (
            Method::Put,
            "/open-apis/im/v1/messages/om_1",
            "im.v1.message.update",
        ),
        (
            Method::Patch,
            "/open-apis/im/v1/messages/om_1",
            "im.v1.message.patch",
        ),
        (
            Method::Delete,
            "/open-apis/im/v1/messages/om_1",
            "im.v1.message.delete",
        ),
        (
            Method::Post,
            "/open-apis/im/v1/messages/om_1/forward",
            "im.v1.message.forward",
        ),
        (
            Method::Post,
            "/open-apis/im/v1/threads/omt_1/forward",
            "im.v1.thread.forward",
        ),
        (
            Method::Get,
            "/open-apis/im/v1/messages/om_1/resources/img_1",
            "im.v1.message_resource.get",
        ),
    ];
    for (method, path, operation) in cases {
        let (info, _) = registry::route(method, path).unwrap();
        assert_eq!(info.operation, operation, "{method} {path}");
    }
}

// ---------------------------------------------------------------------------
// send and reply

#[test]
fn create_request_matches_the_docs() {
    let documented = fixture("im.v1.message.create.request.json");
    let call = CreateMessage::new(
        ReceiveIdType::OpenId,
        "ou_7d8a6e6df7621556ce0d21922b676706ccs",
        MsgType::Text,
        "{\"text\":\"test content\"}",
    )
    .with_uuid("选填，每次调用前请更换，如a0d69e20-1dd1-458b-k525-dfeca4015204");
    let req = call.to_request().unwrap();
    assert_eq!(req.operation, "im.v1.message.create");
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/messages");
    assert_eq!(req.query, pairs(&[("receive_id_type", "open_id")]));
    assert_eq!(body(&req), documented);
    assert!(!req.idempotent);
    assert_eq!(
        req.idempotency_key.as_deref(),
        Some("选填，每次调用前请更换，如a0d69e20-1dd1-458b-k525-dfeca4015204")
    );
}

#[test]
fn create_curl_example_to_a_chat() {
    let call = CreateMessage::new(
        ReceiveIdType::ChatId,
        "oc_84983ff6516d731e5b5f68d4ea2e1da5",
        MsgType::Text,
        "{\"text\":\"test content\"}",
    );
    let req = call.to_request().unwrap();
    assert_eq!(req.query, pairs(&[("receive_id_type", "chat_id")]));
    assert_eq!(
        body(&req),
        json!({
            "receive_id": "oc_84983ff6516d731e5b5f68d4ea2e1da5",
            "msg_type": "text",
            "content": "{\"text\":\"test content\"}"
        })
    );
    assert_eq!(req.idempotency_key, None);
}

#[test]
fn documented_send_bodies_decode() {
    let text: CreateMessageBody = body_round_trip("im.v1.message.create.request.json");
    assert_eq!(text.msg_type, Some(MsgType::Text));
    let card: CreateMessageBody = body_round_trip("im.v1.message.create.request.card.json");
    assert_eq!(card.msg_type, Some(MsgType::Interactive));
    assert!(card.content.contains("markdown"));
    let reply: ReplyMessageBody = body_round_trip("im.v1.message.reply.request.json");
    assert_eq!(reply.reply_in_thread, Some(true));
}

#[test]
fn reply_request_matches_the_docs() {
    let call = ReplyMessage::new(MESSAGE, MsgType::Text, "{\"text\":\"test content\"}")
        .in_thread()
        .with_uuid("选填，每次调用前请更换，如a0d69e20-1dd1-458b-k525-dfeca4015204");
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/messages/{MESSAGE}/reply")
    );
    assert!(req.query.is_empty());
    assert_eq!(body(&req), fixture("im.v1.message.reply.request.json"));
    assert!(req.idempotency_key.is_some());
}

#[rstest]
#[case("im.v1.message.create")]
#[case("im.v1.message.reply")]
fn sent_message_round_trips(#[case] operation: &str) {
    let m: Message = round_trip(operation);
    assert_example_message(&m);
    assert_eq!(m.msg_type, Some(MsgType::Interactive));
    assert_eq!(m.content(), Some("{\"text\":\"@_user_1 test content\"}"));
    assert_eq!(
        m.upper_message_id.unwrap().as_str(),
        "om_40eb06e7b84dc71c03e009ad3c754195"
    );
}

// ---------------------------------------------------------------------------
// edit, recall, follow-ups

#[test]
fn update_request_matches_the_docs() {
    let req = UpdateMessage::new(MESSAGE, MsgType::Text, "{\"text\":\"test content\"}")
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path, format!("/open-apis/im/v1/messages/{MESSAGE}"));
    assert_eq!(body(&req), fixture("im.v1.message.update.request.json"));
    let _: UpdateMessageBody = body_round_trip("im.v1.message.update.request.json");
}

#[test]
fn updated_message_round_trips() {
    let m: Message = round_trip("im.v1.message.update");
    assert!(m.extra.is_empty());
    assert_eq!(m.msg_type, Some(MsgType::Text));
    assert_eq!(m.updated, Some(true));
    assert_eq!(m.update_time.as_deref(), Some("1609336806"));
}

#[test]
fn delete_request_and_answer() {
    let req = DeleteMessage::new(MESSAGE).to_request().unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(req.path, format!("/open-apis/im/v1/messages/{MESSAGE}"));
    assert!(req.query.is_empty());
    assert_eq!(req.body, None);
    let out: Empty = round_trip("im.v1.message.delete");
    assert!(out.extra.is_empty());
}

#[test]
fn push_follow_up_request_matches_the_docs() {
    let bubble = FollowUp {
        content: "你好".into(),
        i18n_contents: Some(vec![FollowUpTranslation {
            content: "hello".into(),
            language: FollowUpLanguage::EnUs,
        }]),
    };
    let req = PushFollowUp::new("om_3210a18894e206715a4359115f4cf2f5", [bubble])
        .to_request()
        .unwrap();
    assert_eq!(
        req.path,
        "/open-apis/im/v1/messages/om_3210a18894e206715a4359115f4cf2f5/push_follow_up"
    );
    assert_eq!(
        body(&req),
        fixture("im.v1.message.push_follow_up.request.json")
    );
    let decoded: PushFollowUpBody = body_round_trip("im.v1.message.push_follow_up.request.json");
    assert_eq!(decoded.follow_ups.len(), 1);
    let out: Empty = round_trip("im.v1.message.push_follow_up");
    assert!(out.extra.is_empty());
}

// ---------------------------------------------------------------------------
// read

#[test]
fn get_request_and_answer() {
    let mut call = GetMessage::new(MESSAGE);
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.card_msg_content_type = Some(CardMsgContentType::UserCardContent);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, format!("/open-apis/im/v1/messages/{MESSAGE}"));
    assert_eq!(
        query(&req),
        pairs(&[
            ("card_msg_content_type", "user_card_content"),
            ("user_id_type", "open_id")
        ])
    );
    assert_eq!(req.body, None);

    let out: MessageItems = round_trip("im.v1.message.get");
    assert!(out.extra.is_empty());
    let items = out.items.unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].msg_type, Some(MsgType::Text));
    assert_eq!(items[0].upper_message_id, None);
    assert_eq!(items[0].content(), Some("{\"text\":\"test content\"}"));
}

#[test]
fn list_request_matches_the_docs() {
    let mut call = ListMessages::chat("oc_234jsi43d3ssi993d43545f");
    call.query.start_time = Some("1608594809".into());
    call.query.end_time = Some("1609296809".into());
    call.query.sort_type = Some(MessageSortType::ByCreateTimeAsc);
    call.query.set_page_size(20);
    call.query.set_page_token(Some(LIST_TOKEN.into()));
    call.query.card_msg_content_type = Some(CardMsgContentType::UserCardContent);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/open-apis/im/v1/messages");
    assert_eq!(
        query(&req),
        pairs(&[
            ("card_msg_content_type", "user_card_content"),
            ("container_id", "oc_234jsi43d3ssi993d43545f"),
            ("container_id_type", "chat"),
            ("end_time", "1609296809"),
            ("page_size", "20"),
            ("page_token", LIST_TOKEN),
            ("sort_type", "ByCreateTimeAsc"),
            ("start_time", "1608594809"),
        ])
    );
}

#[test]
fn list_answer_round_trips_and_pages() {
    let out: MessagePage = round_trip("im.v1.message.list");
    assert!(out.extra.is_empty());
    assert!(out.has_more());
    assert_eq!(out.page_token(), Some(LIST_TOKEN));
    let items = out.into_items();
    assert_eq!(items.len(), 1);
    assert_example_message(&items[0]);
    let last: MessagePage = serde_json::from_value(json!({"has_more": false})).unwrap();
    assert!(!last.has_more());
    assert_eq!(last.page_token(), None);
    assert!(last.into_items().is_empty());
}

#[test]
fn list_query_decodes_text_values() {
    let q: feishu_model::im::message::read::ListMessagesQuery = serde_json::from_value(json!({
        "container_id_type": "thread",
        "container_id": "omt_1",
        "page_size": "50",
        "sort_type": "ByCreateTimeDesc"
    }))
    .unwrap();
    assert_eq!(q.container_id_type, Some(ContainerIdType::Thread));
    assert_eq!(q.page.page_size, Some(50));
    assert_eq!(q.sort_type, Some(MessageSortType::ByCreateTimeDesc));
    q.validate().unwrap();
}

#[test]
fn read_users_request_and_answer() {
    let mut call = ReadUsers::new(MESSAGE, UserIdType::OpenId);
    call.query.set_page_size(20);
    let req = call.to_request().unwrap();
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/messages/{MESSAGE}/read_users")
    );
    assert_eq!(
        query(&req),
        pairs(&[("page_size", "20"), ("user_id_type", "open_id")])
    );

    let out: ReadUsersPage = round_trip("im.v1.message.read_users");
    assert!(out.extra.is_empty());
    assert!(out.has_more());
    assert_eq!(out.page_token(), Some(LIST_TOKEN));
    let items: Vec<ReadUser> = out.into_items();
    assert_eq!(items[0].user_id_type, Some(UserIdType::OpenId));
    assert_eq!(
        items[0].user_id.as_ref().unwrap().as_str(),
        "ou_9b851f7b51a9d58d109982337c46f3de"
    );
    assert_eq!(items[0].timestamp.as_deref(), Some("1609484183000"));
    assert!(items[0].extra.is_empty());
}

// ---------------------------------------------------------------------------
// forward

#[test]
fn forward_request_matches_the_docs() {
    let call = ForwardMessage::new(
        MESSAGE,
        ReceiveIdType::OpenId,
        "ou_a0553eda9014c201e6969b478895c230",
    );
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/messages/{MESSAGE}/forward")
    );
    assert_eq!(req.query, pairs(&[("receive_id_type", "open_id")]));
    assert_eq!(body(&req), fixture("im.v1.message.forward.request.json"));
    let _: ForwardBody = body_round_trip("im.v1.message.forward.request.json");

    let m: Message = round_trip("im.v1.message.forward");
    assert!(m.extra.is_empty());
    assert_eq!(m.thread_id, None);
    assert_eq!(m.msg_type, Some(MsgType::Text));
}

#[test]
fn forward_uuid_goes_in_the_query() {
    let req = ForwardMessage::new(MESSAGE, ReceiveIdType::ThreadId, "omt_1")
        .with_uuid("b13g2t38-1jd2-458b-8djf-dtbca5104204")
        .to_request()
        .unwrap();
    assert_eq!(
        query(&req),
        pairs(&[
            ("receive_id_type", "thread_id"),
            ("uuid", "b13g2t38-1jd2-458b-8djf-dtbca5104204")
        ])
    );
    assert_eq!(
        req.idempotency_key.as_deref(),
        Some("b13g2t38-1jd2-458b-8djf-dtbca5104204")
    );
}

#[test]
fn merge_forward_request_matches_the_docs() {
    let call = MergeForward::new(
        ReceiveIdType::ChatId,
        "oc_a0553eda9014c201e6969b478895c230",
        [
            "om_d862083dd13b61cc009e66c40a0f0a56",
            "om_61244dab1ef11257621dcd7g0e256651",
        ],
    );
    let req = call.to_request().unwrap();
    assert_eq!(req.path, "/open-apis/im/v1/messages/merge_forward");
    assert_eq!(req.query, pairs(&[("receive_id_type", "chat_id")]));
    assert_eq!(
        body(&req),
        fixture("im.v1.message.merge_forward.request.json")
    );
    let _: MergeForwardBody = body_round_trip("im.v1.message.merge_forward.request.json");
}

#[test]
fn merge_forward_answer_round_trips() {
    // The page's example has a trailing comma after `body`; the fixture
    // holds the same answer as valid JSON.
    let out: MergeForwardOutput = round_trip("im.v1.message.merge_forward");
    assert!(out.extra.is_empty());
    let m = out.message.unwrap();
    assert_eq!(m.msg_type, Some(MsgType::MergeForward));
    assert_eq!(m.content(), Some("Merged and Forwarded Message"));
    assert_eq!(
        out.invalid_message_id_list.unwrap()[0].as_str(),
        "om_61244dab1ef11257621dcd7g0e256651"
    );
}

#[test]
fn forward_thread_request_and_answer() {
    let call = ForwardThread::new(
        "omt_dc132645203",
        ReceiveIdType::ChatId,
        "oc_a0553eda9014c201e6969b478895c230",
    );
    let req = call.to_request().unwrap();
    assert_eq!(req.path, "/open-apis/im/v1/threads/omt_dc132645203/forward");
    assert_eq!(req.query, pairs(&[("receive_id_type", "chat_id")]));
    assert_eq!(body(&req), fixture("im.v1.thread.forward.request.json"));

    let m: Message = round_trip("im.v1.thread.forward");
    assert!(m.extra.is_empty());
    assert_eq!(m.msg_type, Some(MsgType::MergeForward));
    assert_eq!(m.thread_id.unwrap().as_str(), "omt_d4be107c616a");
}

// ---------------------------------------------------------------------------
// resource

#[test]
fn resource_request_matches_the_docs() {
    let req = GetMessageResource::new(
        MESSAGE,
        "file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g",
        ResourceType::Image,
    )
    .to_request()
    .unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/messages/{MESSAGE}/resources/file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g")
    );
    assert_eq!(req.query, pairs(&[("type", "image")]));
    assert_eq!(req.body, None);
}

#[test]
fn resource_type_is_required_and_keys_are_encoded() {
    let mut call = GetMessageResource::new(MESSAGE, "key/1", ResourceType::File);
    assert!(call
        .to_request()
        .unwrap()
        .path
        .ends_with("/resources/key%2F1"));
    call.query.resource_type = None;
    assert_eq!(refused(call.to_request()).as_deref(), Some("type"));
}

// ---------------------------------------------------------------------------
// rules at their boundaries

#[rstest]
#[case(1, None)]
#[case(50, None)]
#[case(51, Some("uuid"))]
fn uuid_holds_at_most_50_characters(#[case] n: usize, #[case] expected: Option<&str>) {
    let uuid = "é".repeat(n);
    let expected = expected.map(str::to_owned);
    let send = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Text, "{}")
        .with_uuid(uuid.clone());
    assert_eq!(refused(send.to_request()), expected);
    let reply = ReplyMessage::new(MESSAGE, MsgType::Text, "{}").with_uuid(uuid.clone());
    assert_eq!(refused(reply.to_request()), expected);
    let forward =
        ForwardMessage::new(MESSAGE, ReceiveIdType::OpenId, "ou_1").with_uuid(uuid.clone());
    assert_eq!(refused(forward.to_request()), expected);
    let merge = MergeForward::new(ReceiveIdType::OpenId, "ou_1", [MESSAGE]).with_uuid(uuid.clone());
    assert_eq!(refused(merge.to_request()), expected);
    let thread = ForwardThread::new("omt_1", ReceiveIdType::OpenId, "ou_1").with_uuid(uuid);
    assert_eq!(refused(thread.to_request()), expected);
}

#[test]
fn empty_uuid_is_refused() {
    let send = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Text, "{}").with_uuid("");
    assert_eq!(refused(send.to_request()).as_deref(), Some("uuid"));
}

#[test]
fn receive_id_type_is_required() {
    let mut send = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Text, "{}");
    send.query.receive_id_type = None;
    assert_eq!(
        refused(send.to_request()).as_deref(),
        Some("receive_id_type")
    );
    let mut forward = ForwardMessage::new(MESSAGE, ReceiveIdType::OpenId, "ou_1");
    forward.query.receive_id_type = None;
    assert_eq!(
        refused(forward.to_request()).as_deref(),
        Some("receive_id_type")
    );
}

#[test]
fn sending_to_a_thread_id_is_refused_but_forwarding_to_one_is_not() {
    let send = CreateMessage::new(ReceiveIdType::ThreadId, "omt_1", MsgType::Text, "{}");
    assert_eq!(
        refused(send.to_request()).as_deref(),
        Some("receive_id_type")
    );
    for t in [
        ReceiveIdType::OpenId,
        ReceiveIdType::UnionId,
        ReceiveIdType::UserId,
        ReceiveIdType::Email,
        ReceiveIdType::ChatId,
        ReceiveIdType::Unknown("future_id".into()),
    ] {
        let send = CreateMessage::new(t.clone(), "x", MsgType::Text, "{}");
        assert!(send.to_request().is_ok(), "{t}");
    }
    assert!(
        ForwardThread::new("omt_1", ReceiveIdType::ThreadId, "omt_2")
            .to_request()
            .is_ok()
    );
}

#[test]
fn receive_id_is_required() {
    let send = CreateMessage::new(ReceiveIdType::OpenId, "", MsgType::Text, "{}");
    assert_eq!(refused(send.to_request()).as_deref(), Some("receive_id"));
    let forward = ForwardMessage::new(MESSAGE, ReceiveIdType::OpenId, "");
    assert_eq!(refused(forward.to_request()).as_deref(), Some("receive_id"));
    let merge = MergeForward::new(ReceiveIdType::OpenId, "", [MESSAGE]);
    assert_eq!(refused(merge.to_request()).as_deref(), Some("receive_id"));
}

#[test]
fn msg_type_must_suit_the_endpoint() {
    let mut send = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::System, "{}");
    assert!(send.to_request().is_ok());
    send.body.msg_type = Some(MsgType::MergeForward);
    let err = send.to_request().unwrap_err();
    assert_eq!(err.field, "msg_type");
    assert!(err.rule.contains("merge_forward"), "{}", err.rule);
    send.body.msg_type = None;
    assert_eq!(refused(send.to_request()).as_deref(), Some("msg_type"));
    // A kind this SDK does not know is left to the server.
    send.body.msg_type = Some(MsgType::Unknown("future".into()));
    assert!(send.to_request().is_ok());

    let reply = ReplyMessage::new(MESSAGE, MsgType::System, "{}");
    assert_eq!(refused(reply.to_request()).as_deref(), Some("msg_type"));
    assert!(ReplyMessage::new(MESSAGE, MsgType::ShareUser, "{}")
        .to_request()
        .is_ok());

    assert!(UpdateMessage::new(MESSAGE, MsgType::Post, "{}")
        .to_request()
        .is_ok());
    let edit = UpdateMessage::new(MESSAGE, MsgType::Image, "{}");
    assert_eq!(refused(edit.to_request()).as_deref(), Some("msg_type"));
}

#[test]
fn content_is_required() {
    let send = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Text, "");
    assert_eq!(refused(send.to_request()).as_deref(), Some("content"));
    let reply = ReplyMessage::new(MESSAGE, MsgType::Text, "");
    assert_eq!(refused(reply.to_request()).as_deref(), Some("content"));
    let edit = UpdateMessage::new(MESSAGE, MsgType::Text, "");
    assert_eq!(refused(edit.to_request()).as_deref(), Some("content"));
}

#[rstest]
#[case(MsgType::Text, MAX_TEXT_CONTENT_BYTES)]
#[case(MsgType::Post, MAX_RICH_CONTENT_BYTES)]
#[case(MsgType::Interactive, MAX_RICH_CONTENT_BYTES)]
fn content_size_is_limited_by_kind(#[case] kind: MsgType, #[case] max: usize) {
    let at_limit = text_content(max);
    assert_eq!(at_limit.len(), max);
    let over = text_content(max + 1);
    let send = |content: &str| {
        CreateMessage::new(ReceiveIdType::OpenId, "ou_1", kind.clone(), content).to_request()
    };
    assert!(send(&at_limit).is_ok());
    assert_eq!(refused(send(&over)).as_deref(), Some("content"));
    if kind != MsgType::Interactive {
        let edit = UpdateMessage::new(MESSAGE, kind.clone(), over.clone());
        assert_eq!(refused(edit.to_request()).as_deref(), Some("content"));
    }
    let reply = ReplyMessage::new(MESSAGE, kind.clone(), over);
    assert_eq!(refused(reply.to_request()).as_deref(), Some("content"));
    // Kinds without a documented size are not limited here.
    let image = text_content(MAX_TEXT_CONTENT_BYTES + 1);
    assert!(
        CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Image, image)
            .to_request()
            .is_ok()
    );
}

#[rstest]
#[case(0, Some("page_size"))]
#[case(1, None)]
#[case(50, None)]
#[case(51, Some("page_size"))]
fn list_page_size_is_1_to_50(#[case] size: u32, #[case] expected: Option<&str>) {
    let mut call = ListMessages::chat("oc_1");
    call.query.set_page_size(size);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[test]
fn list_container_is_required() {
    let mut call = ListMessages::chat("oc_1");
    call.query.container_id = None;
    assert_eq!(refused(call.to_request()).as_deref(), Some("container_id"));
    call.query.container_id = Some(String::new());
    assert_eq!(refused(call.to_request()).as_deref(), Some("container_id"));
    call.query.container_id_type = None;
    assert_eq!(
        refused(call.to_request()).as_deref(),
        Some("container_id_type")
    );
}

#[rstest]
#[case("1608594809", None)]
#[case("0", None)]
#[case("", Some("start_time"))]
#[case("-1", Some("start_time"))]
#[case("+1", Some("start_time"))]
#[case("1608594809.5", Some("start_time"))]
#[case("2020-12-22", Some("start_time"))]
fn list_times_are_unix_seconds(#[case] value: &str, #[case] expected: Option<&str>) {
    let mut call = ListMessages::chat("oc_1");
    call.query.start_time = Some(value.into());
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
    let mut call = ListMessages::chat("oc_1");
    call.query.end_time = Some(value.into());
    assert_eq!(
        refused(call.to_request()),
        expected.map(|_| "end_time".to_owned())
    );
}

#[test]
fn list_time_range_runs_forward() {
    let mut call = ListMessages::chat("oc_1");
    call.query.start_time = Some("1609296809".into());
    call.query.end_time = Some("1609296809".into());
    assert!(call.to_request().is_ok());
    call.query.end_time = Some("1609296808".into());
    assert_eq!(refused(call.to_request()).as_deref(), Some("end_time"));
}

#[test]
fn thread_history_takes_no_time_range() {
    let mut call = ListMessages::thread("omt_1");
    assert!(call.to_request().is_ok());
    call.query.start_time = Some("1608594809".into());
    assert_eq!(refused(call.to_request()).as_deref(), Some("start_time"));
    call.query.start_time = None;
    call.query.end_time = Some("1608594809".into());
    assert_eq!(refused(call.to_request()).as_deref(), Some("end_time"));
}

#[rstest]
#[case(0, Some("page_size"))]
#[case(1, None)]
#[case(100, None)]
#[case(101, Some("page_size"))]
fn read_users_page_size_is_1_to_100(#[case] size: u32, #[case] expected: Option<&str>) {
    let mut call = ReadUsers::new(MESSAGE, UserIdType::UserId);
    call.query.set_page_size(size);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[test]
fn read_users_needs_user_id_type() {
    let mut call = ReadUsers::new(MESSAGE, UserIdType::UnionId);
    call.query.user_id_type = None;
    assert_eq!(refused(call.to_request()).as_deref(), Some("user_id_type"));
}

#[rstest]
#[case(0, Some("message_id_list"))]
#[case(1, None)]
#[case(100, None)]
#[case(101, Some("message_id_list"))]
fn merge_forward_takes_1_to_100_messages(#[case] n: usize, #[case] expected: Option<&str>) {
    let ids: Vec<String> = (0..n).map(|i| format!("om_{i}")).collect();
    let call = MergeForward::new(ReceiveIdType::ChatId, "oc_1", ids);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

fn bubbles(n: usize) -> Vec<FollowUp> {
    (0..n)
        .map(|i| FollowUp::new(format!("option {i}")))
        .collect()
}

#[rstest]
#[case(0, Some("follow_ups"))]
#[case(1, None)]
#[case(3, None)]
#[case(4, Some("follow_ups"))]
fn follow_ups_hold_1_to_3_bubbles(#[case] n: usize, #[case] expected: Option<&str>) {
    let call = PushFollowUp::new(MESSAGE, bubbles(n));
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[rstest]
#[case(0, Some("follow_ups[1].content"))]
#[case(1, None)]
#[case(200, None)]
#[case(201, Some("follow_ups[1].content"))]
fn follow_up_text_is_1_to_200_characters(#[case] n: usize, #[case] expected: Option<&str>) {
    let mut list = bubbles(2);
    list[1].content = "字".repeat(n);
    let call = PushFollowUp::new(MESSAGE, list);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[rstest]
#[case(50, 200, None)]
#[case(51, 1, Some("follow_ups[0].i18n_contents"))]
#[case(1, 0, Some("follow_ups[0].i18n_contents[0].content"))]
#[case(2, 201, Some("follow_ups[0].i18n_contents[0].content"))]
fn follow_up_translations_are_limited(
    #[case] n: usize,
    #[case] chars: usize,
    #[case] expected: Option<&str>,
) {
    let translations = (0..n)
        .map(|_| FollowUpTranslation {
            content: "a".repeat(chars),
            language: FollowUpLanguage::JaJp,
        })
        .collect();
    let bubble = FollowUp {
        content: "ok".into(),
        i18n_contents: Some(translations),
    };
    let call = PushFollowUp::new(MESSAGE, [bubble]);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[rstest]
#[case(refused(ReplyMessage::new("", MsgType::Text, "{}").to_request()), "message_id")]
#[case(refused(UpdateMessage::new("", MsgType::Text, "{}").to_request()), "message_id")]
#[case(refused(DeleteMessage::new("").to_request()), "message_id")]
#[case(refused(GetMessage::new("").to_request()), "message_id")]
#[case(refused(ReadUsers::new("", UserIdType::OpenId).to_request()), "message_id")]
#[case(refused(ForwardMessage::new("", ReceiveIdType::OpenId, "ou_1").to_request()), "message_id")]
#[case(refused(PushFollowUp::new("", bubbles(1)).to_request()), "message_id")]
#[case(refused(GetMessageResource::new("", "k", ResourceType::File).to_request()), "message_id")]
#[case(refused(GetMessageResource::new(MESSAGE, "", ResourceType::File).to_request()), "file_key")]
#[case(refused(ForwardThread::new("", ReceiveIdType::OpenId, "ou_1").to_request()), "thread_id")]
fn empty_path_ids_are_refused_by_name(#[case] field: Option<String>, #[case] expected: &str) {
    assert_eq!(field.as_deref(), Some(expected));
}

// ---------------------------------------------------------------------------
// unknown values and undocumented fields survive

#[test]
fn undocumented_fields_and_values_survive() {
    let data = json!({
        "message_id": "om_1",
        "msg_type": "hologram",
        "sender": {"id": "x", "id_type": "robot_id", "sender_type": "alien", "mood": "calm"},
        "body": {"content": "{}", "format": 2},
        "mentions": [{"key": "@_user_1", "id_type": "open_id", "badge": true}],
        "pinned": true
    });
    let m: Message = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(m.msg_type, Some(MsgType::Unknown("hologram".into())));
    let sender = m.sender.as_ref().unwrap();
    assert_eq!(
        sender.sender_type,
        Some(SenderType::Unknown("alien".into()))
    );
    assert_eq!(
        sender.id_type,
        Some(MemberIdType::Unknown("robot_id".into()))
    );
    assert_eq!(sender.extra.get("mood"), Some(&json!("calm")));
    assert_eq!(
        m.body.as_ref().unwrap().extra.get("format"),
        Some(&json!(2))
    );
    assert_eq!(
        m.mentions.as_ref().unwrap()[0].extra.get("badge"),
        Some(&json!(true))
    );
    assert_eq!(m.extra.get("pinned"), Some(&json!(true)));
    assert_eq!(serde_json::to_value(&m).unwrap(), data);
}

#[test]
fn documented_enum_values() {
    let wire = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        ReceiveIdType::KNOWN
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect::<Vec<_>>(),
        wire(&[
            "open_id",
            "union_id",
            "user_id",
            "email",
            "chat_id",
            "thread_id"
        ])
    );
    assert_eq!(
        SenderType::KNOWN
            .iter()
            .map(|v| v.as_str().to_owned())
            .collect::<Vec<_>>(),
        wire(&["user", "app", "anonymous", "unknown"])
    );
    assert_eq!(SenderType::from("unknown"), SenderType::NotKnown);
    assert_eq!(FollowUpLanguage::KNOWN.len(), 16);
    assert_eq!(FollowUpLanguage::from("ms_my"), FollowUpLanguage::MsMy);
    assert_eq!(ResourceType::from("image"), ResourceType::Image);
}

// ---------------------------------------------------------------------------
// properties

fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
                inner,
                0..4
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const FIELD_NAMES: &[&str] = &[
    "message_id",
    "msg_type",
    "sender",
    "body",
    "content",
    "mentions",
    "items",
    "has_more",
    "page_token",
    "message",
    "invalid_message_id_list",
    "user_id",
    "timestamp",
    "id",
    "id_type",
];

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
        small_json(),
        0..6,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

fn decodes_without_panic<T>(value: &Value) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        let again = serde_json::to_value(&decoded).unwrap();
        let back: T = serde_json::from_value(again).unwrap();
        prop_assert_eq!(back, decoded);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn outputs_decode_arbitrary_objects(value in json_object()) {
        decodes_without_panic::<Message>(&value)?;
        decodes_without_panic::<MessageItems>(&value)?;
        decodes_without_panic::<MessagePage>(&value)?;
        decodes_without_panic::<ReadUsersPage>(&value)?;
        decodes_without_panic::<MergeForwardOutput>(&value)?;
    }

    #[test]
    fn uuid_rule_matches_the_docs(n in 0usize..80) {
        let call = CreateMessage::new(ReceiveIdType::OpenId, "ou_1", MsgType::Text, "{}")
            .with_uuid("u".repeat(n));
        prop_assert_eq!(call.to_request().is_ok(), (1..=50).contains(&n));
    }
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The message card endpoints (patch a sent card, ephemeral cards, delayed
//! card update) against their documented examples and rules.

use feishu_model::im::card::{
    DeleteEphemeralCard, DeleteEphemeralCardBody, EphemeralCard, EphemeralCardBody, PatchCard,
    PatchCardBody, SendEphemeralCard, UpdateCard, UpdateCardBody, MAX_CARD_BYTES,
};
use feishu_model::im::msg_type::MsgType;
use feishu_model::{
    registry, Empty, Endpoint, Method, Params, RateLimit, RequestSpec, Secret, TokenKind,
};
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const MESSAGE: &str = "om_dc13264520392913993dd051dba21dcf";

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect(&path);
    serde_json::from_str(&text).expect(&path)
}

/// The documented answer decodes into `T` and re-encodes to its `data`
/// (an absent `data` is the empty object).
fn answer<T: Serialize + DeserializeOwned>(operation: &str) -> T {
    let response = fixture(&format!("{operation}.response.json"));
    assert_eq!(response["code"], 0);
    let data = response.get("data").cloned().unwrap_or_else(|| json!({}));
    let decoded: T = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), data, "{operation}");
    decoded
}

/// A documented request body decodes, re-encodes unchanged and passes the rules.
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

fn refused(result: Result<RequestSpec, feishu_model::Invalid>) -> Option<String> {
    result.err().map(|e| e.field)
}

/// A card object whose JSON text is exactly `bytes` long.
fn card_of(bytes: usize) -> Value {
    // `{"a":""}` is 8 bytes.
    let card = json!({ "a": "x".repeat(bytes - 8) });
    assert_eq!(serde_json::to_string(&card).unwrap().len(), bytes);
    card
}

// ---------------------------------------------------------------------------
// metadata

struct Meta {
    operation: &'static str,
    method: Method,
    path: &'static str,
    tokens: &'static [TokenKind],
    idempotent: bool,
    doc: &'static str,
}

fn meta<E: Endpoint>() -> Meta {
    Meta {
        operation: E::OPERATION,
        method: E::METHOD,
        path: E::PATH,
        tokens: E::TOKENS,
        idempotent: E::IDEMPOTENT,
        doc: E::DOC,
    }
}

const BOTH: &[TokenKind] = &[TokenKind::Tenant, TokenKind::User];
const TENANT: &[TokenKind] = &[TokenKind::Tenant];

#[rstest]
#[case(meta::<PatchCard>(), "im.v1.message.patch", Method::Patch, "/open-apis/im/v1/messages/:message_id", BOTH, true,
    "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message/patch")]
#[case(meta::<SendEphemeralCard>(), "ephemeral.v1.send", Method::Post, "/open-apis/ephemeral/v1/send", TENANT, false,
    "https://open.feishu.cn/document/ukTMukTMukTM/uETOyYjLxkjM24SM5IjN")]
#[case(meta::<DeleteEphemeralCard>(), "ephemeral.v1.delete", Method::Post, "/open-apis/ephemeral/v1/delete", TENANT, false,
    "https://open.feishu.cn/document/ukTMukTMukTM/uITOyYjLykjM24iM5IjN")]
#[case(meta::<UpdateCard>(), "interactive.v1.card.update", Method::Post, "/open-apis/interactive/v1/card/update", TENANT, false,
    "https://open.feishu.cn/document/ukTMukTMukTM/uMDO1YjLzgTN24yM4UjN")]
fn documented_metadata(
    #[case] m: Meta,
    #[case] operation: &str,
    #[case] method: Method,
    #[case] path: &str,
    #[case] tokens: &[TokenKind],
    #[case] idempotent: bool,
    #[case] doc: &str,
) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, method);
    assert_eq!(m.path, path);
    assert_eq!(m.tokens, tokens);
    assert_eq!(m.idempotent, idempotent, "{operation}");
    assert_eq!(m.doc, doc);
    let info = registry::find(operation).unwrap();
    assert_eq!(info.rate_limit, RateLimit::GROUP);
    assert_eq!(info.method, method);
}

#[test]
fn card_limit_is_exported() {
    assert_eq!(MAX_CARD_BYTES, 30 * 1024);
}

// ---------------------------------------------------------------------------
// patch

#[rstest]
#[case("im.v1.message.patch.request.json")]
#[case("im.v1.message.patch.request.template.json")]
fn patch_requests_match_the_docs(#[case] name: &str) {
    let documented: PatchCardBody = body_round_trip(name);
    let req = PatchCard::new(MESSAGE, documented.content.clone())
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Patch);
    assert_eq!(req.path, format!("/open-apis/im/v1/messages/{MESSAGE}"));
    assert!(req.query.is_empty());
    assert_eq!(body(&req), fixture(name));
    assert!(req.idempotent);
}

#[test]
fn patch_answer_is_empty() {
    let out: Empty = answer("im.v1.message.patch");
    assert!(out.extra.is_empty());
}

#[rstest]
#[case(0, Some("content"))]
#[case(MAX_CARD_BYTES, None)]
#[case(MAX_CARD_BYTES + 1, Some("content"))]
fn patch_content_is_at_most_30_kb(#[case] bytes: usize, #[case] expected: Option<&str>) {
    let content = "x".repeat(bytes);
    let result = PatchCard::new(MESSAGE, content).to_request();
    assert_eq!(refused(result), expected.map(str::to_owned));
}

// ---------------------------------------------------------------------------
// ephemeral send and delete

#[test]
fn ephemeral_send_request_matches_the_docs() {
    let documented: EphemeralCardBody = body_round_trip("ephemeral.v1.send.request.json");
    assert_eq!(documented.card["schema"], "2.0");
    let req = SendEphemeralCard::new(
        "oc_20aa1ed9b18ba49f73f5773453aabcef",
        "ou_b9600a00cda86b8fad2378eafe3abcef",
        documented.card.clone(),
    )
    .to_request()
    .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/ephemeral/v1/send");
    assert!(req.query.is_empty());
    assert_eq!(body(&req), fixture("ephemeral.v1.send.request.json"));
    assert!(!req.idempotent);

    let template: EphemeralCardBody = body_round_trip("ephemeral.v1.send.request.template.json");
    assert_eq!(template.card["data"]["template_id"], "AAqigYkzabcef");
}

#[test]
fn ephemeral_send_answer_round_trips() {
    let out: EphemeralCard = answer("ephemeral.v1.send");
    assert!(out.extra.is_empty());
    assert_eq!(
        out.message_id.unwrap().as_str(),
        "om_fd2057276f16243756ff8eb6fcdabcef"
    );
}

fn ephemeral() -> SendEphemeralCard {
    SendEphemeralCard::new("oc_1", "ou_1", json!({"elements": []}))
}

#[test]
fn ephemeral_send_needs_a_chat_and_a_user() {
    let mut call = ephemeral();
    call.body.chat_id = "".into();
    assert_eq!(refused(call.to_request()).as_deref(), Some("chat_id"));

    let mut call = ephemeral();
    call.body.open_id = None;
    assert_eq!(refused(call.to_request()).as_deref(), Some("open_id"));
    call.body.open_id = Some(String::new());
    assert_eq!(refused(call.to_request()).as_deref(), Some("open_id"));
    call.body.user_id = Some("gg895344".into());
    assert!(call.to_request().is_ok());
    call.body.user_id = None;
    call.body.email = Some("zhangmin@feishu.com".into());
    assert!(call.to_request().is_ok());
}

#[test]
fn ephemeral_send_is_always_interactive() {
    let mut call = ephemeral();
    call.body.msg_type = Some(MsgType::Text);
    let err = call.to_request().unwrap_err();
    assert_eq!(err.field, "msg_type");
    assert!(err.rule.contains("interactive"), "{}", err.rule);
    call.body.msg_type = None;
    assert_eq!(refused(call.to_request()).as_deref(), Some("msg_type"));
}

#[rstest]
#[case(Value::Null, Some("card"))]
#[case(json!("{\"elements\":[]}"), Some("card"))]
#[case(card_of(MAX_CARD_BYTES), None)]
#[case(card_of(MAX_CARD_BYTES + 1), Some("card"))]
fn ephemeral_card_is_an_object_of_at_most_30_kb(
    #[case] card: Value,
    #[case] expected: Option<&str>,
) {
    let mut call = ephemeral();
    call.body.card = card;
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[test]
fn ephemeral_delete_request_and_answer() {
    let documented: DeleteEphemeralCardBody = body_round_trip("ephemeral.v1.delete.request.json");
    let req = DeleteEphemeralCard::new(documented.message_id.clone())
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/ephemeral/v1/delete");
    assert_eq!(body(&req), fixture("ephemeral.v1.delete.request.json"));
    // The documented answer has no `data`.
    let out: Empty = answer("ephemeral.v1.delete");
    assert!(out.extra.is_empty());
    assert_eq!(
        refused(DeleteEphemeralCard::new("").to_request()).as_deref(),
        Some("message_id")
    );
}

// ---------------------------------------------------------------------------
// delayed update

#[rstest]
#[case("interactive.v1.card.update.request.json")]
#[case("interactive.v1.card.update.request.v2.json")]
#[case("interactive.v1.card.update.request.template.json")]
fn card_update_requests_match_the_docs(#[case] name: &str) {
    let documented: UpdateCardBody = body_round_trip(name);
    assert_eq!(documented.token.expose(), "c-515fbxxxx");
    let req = UpdateCard::new(documented.token.clone(), documented.card.clone())
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/interactive/v1/card/update");
    assert!(req.query.is_empty());
    assert_eq!(body(&req), fixture(name));
}

#[test]
fn card_update_answer_is_empty() {
    let out: Empty = answer("interactive.v1.card.update");
    assert!(out.extra.is_empty());
}

#[test]
fn card_update_token_is_hidden_from_debug() {
    let call = UpdateCard::new("c-295ee57216a5dc9de90fefd0aadb4b1d7d", json!({}));
    let shown = format!("{call:?}");
    assert!(!shown.contains("295ee572"), "{shown}");
    assert!(shown.contains("Secret(***)"), "{shown}");
}

#[rstest]
#[case("", Some("token"))]
#[case("t-295ee57216a5", Some("token"))]
#[case("c", Some("token"))]
#[case("c-", None)]
#[case("c-295ee57216a5", None)]
fn card_update_token_is_a_callback_token(#[case] token: &str, #[case] expected: Option<&str>) {
    let call = UpdateCard::new(Secret::new(token), json!({"elements": []}));
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[rstest]
#[case(Value::Null, Some("card"))]
#[case(json!([]), Some("card"))]
#[case(card_of(MAX_CARD_BYTES), None)]
#[case(card_of(MAX_CARD_BYTES + 1), Some("card"))]
fn card_update_card_is_an_object_of_at_most_30_kb(
    #[case] card: Value,
    #[case] expected: Option<&str>,
) {
    let call = UpdateCard::new("c-1", card);
    assert_eq!(refused(call.to_request()), expected.map(str::to_owned));
}

#[test]
fn a_shared_card_takes_no_open_ids() {
    let shared = json!({"config": {"update_multi": true}, "open_ids": ["ou_1"], "elements": []});
    let err = UpdateCard::new("c-1", shared).to_request().unwrap_err();
    assert_eq!(err.field, "card.open_ids");
    let exclusive =
        json!({"config": {"update_multi": false}, "open_ids": ["ou_1"], "elements": []});
    assert!(UpdateCard::new("c-1", exclusive).to_request().is_ok());
    let shared_alone = json!({"config": {"update_multi": true}, "elements": []});
    assert!(UpdateCard::new("c-1", shared_alone).to_request().is_ok());
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire contract of the pin endpoints, checked against the documented
//! examples and rules.

mod messaging;

use feishu_model::codes::{self, ErrorClass};
use feishu_model::im::pin::{
    CreatePin, CreatePinBody, CreatePinOutput, DeletePin, ListPins, ListPinsOutput,
    PinOperatorIdType, MAX_PAGE_SIZE,
};
use feishu_model::{Empty, Endpoint, Method, Page, Paged, RateLimit, TokenKind};
use messaging::*;
use rstest::rstest;

const CHAT: &str = "oc_234jsi43d3ssi993d43545f";

#[rstest]
#[case(meta::<CreatePin>(), "im.v1.pin.create", Method::Post, "/open-apis/im/v1/pins", true, "pin/create")]
#[case(meta::<DeletePin>(), "im.v1.pin.delete", Method::Delete, "/open-apis/im/v1/pins/:message_id", true, "pin/delete")]
#[case(meta::<ListPins>(), "im.v1.pin.list", Method::Get, "/open-apis/im/v1/pins", true, "pin/list")]
fn documented_metadata(
    #[case] m: Meta,
    #[case] operation: &str,
    #[case] method: Method,
    #[case] path: &str,
    #[case] idempotent: bool,
    #[case] doc_tail: &str,
) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, method);
    assert_eq!(m.path, path);
    assert_eq!(m.tokens, &[TokenKind::Tenant, TokenKind::User]);
    assert_eq!(m.rate, RateLimit::GROUP);
    assert_eq!(m.idempotent, idempotent, "{operation}");
    assert_eq!(m.doc, format!("{DOC_BASE}{doc_tail}"));
    registered(&m);
}

#[test]
fn create_request_and_answer_match_the_docs() {
    let body: CreatePinBody = request_round_trip("im.v1.pin.create");
    let call = CreatePin::new("om_dc13264520392913993dd051dba21dcf");
    assert_eq!(call.body, body);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/pins");
    assert!(req.query.is_empty());
    assert_eq!(body_json(&req), Some(request_fixture("im.v1.pin.create")));

    let out: CreatePinOutput = round_trip("im.v1.pin.create");
    let pin = out.pin.unwrap();
    assert_eq!(
        pin.chat_id.unwrap().as_str(),
        "oc_a0553eda9014c201e6969b478895c230"
    );
    assert_eq!(pin.operator_id_type, Some(PinOperatorIdType::OpenId));
    assert_eq!(pin.create_time.as_deref(), Some("1615380573211"));
}

#[test]
fn create_needs_a_message_id() {
    assert_eq!(
        CreatePin::new("").to_request().unwrap_err().field,
        "message_id"
    );
}

#[test]
fn delete_request_and_answer_match_the_docs() {
    let req = DeletePin::new("om_dc13264520392913993dd051dba21dcf")
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(
        req.path,
        "/open-apis/im/v1/pins/om_dc13264520392913993dd051dba21dcf"
    );
    assert_eq!(req.body, None);
    let _: Empty = round_trip("im.v1.pin.delete");
    assert_eq!(
        DeletePin::new("").to_request().unwrap_err().field,
        "message_id"
    );
}

#[test]
fn list_request_matches_the_docs() {
    let mut call = ListPins::new(CHAT);
    call.query.start_time = Some("1658632251800".into());
    call.query.end_time = Some("1658731646425".into());
    call.query.page = Page {
        page_size: Some(20),
        page_token: Some(
            "GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w-irAghVD_TvuYd1aoJ1LQph86O-XImC4X9j9FhUPhXQDvtrQ=="
                .into(),
        ),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/open-apis/im/v1/pins");
    assert_eq!(
        sorted(req.query),
        pairs(&[
            ("chat_id", CHAT),
            ("end_time", "1658731646425"),
            ("page_size", "20"),
            (
                "page_token",
                "GxmvlNRvP0NdQZpa7yIqf_Lv_QuBwTQ8tXkX7w-irAghVD_TvuYd1aoJ1LQph86O-XImC4X9j9FhUPhXQDvtrQ=="
            ),
            ("start_time", "1658632251800"),
        ])
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_answer_decodes_and_pages() {
    let out: ListPinsOutput = round_trip("im.v1.pin.list");
    assert!(out.has_more());
    assert!(out.page_token().unwrap().starts_with("GxmvlNRvP0"));
    let pins = out.into_items();
    assert_eq!(pins.len(), 1);
    assert_eq!(
        pins[0].message_id.as_deref(),
        Some("om_dc13264520392913993dd051dba2123")
    );
}

#[test]
fn list_needs_a_chat() {
    assert_eq!(ListPins::new("").to_request().unwrap_err().field, "chat_id");
}

#[rstest]
#[case(Some("1"), Some("2"), None)]
#[case(Some("2"), Some("2"), Some("start_time"))]
#[case(Some("3"), Some("2"), Some("start_time"))]
#[case(Some("1658632251800"), None, None)]
#[case(None, Some("1658731646425"), None)]
#[case(Some("16586x"), None, Some("start_time"))]
#[case(None, Some("-1"), Some("end_time"))]
#[case(Some(""), None, Some("start_time"))]
fn list_time_range_is_checked(
    #[case] start: Option<&str>,
    #[case] end: Option<&str>,
    #[case] failing: Option<&str>,
) {
    let mut call = ListPins::new(CHAT);
    call.query.start_time = start.map(str::to_owned);
    call.query.end_time = end.map(str::to_owned);
    assert_eq!(call.to_request().err().map(|e| e.field).as_deref(), failing);
}

#[rstest]
#[case(1, true)]
#[case(MAX_PAGE_SIZE, true)]
#[case(MAX_PAGE_SIZE + 1, false)]
#[case(0, false)]
fn list_page_size_is_checked(#[case] size: u32, #[case] ok: bool) {
    assert_eq!(MAX_PAGE_SIZE, 50);
    let mut call = ListPins::new(CHAT);
    call.query.page.page_size = Some(size);
    match call.to_request() {
        Ok(_) => assert!(ok, "{size} passed"),
        Err(e) => {
            assert!(!ok, "{size} failed");
            assert_eq!(e.field, "page_size");
        }
    }
}

#[rstest]
#[case(codes::IM_PARAM_INVALID, 230001, ErrorClass::Request)]
#[case(codes::IM_BOT_NOT_IN_CHAT, 230002, ErrorClass::Request)]
#[case(codes::IM_BOT_ABILITY_DISABLED, 230006, ErrorClass::Permission)]
#[case(codes::IM_MESSAGE_RECALLED, 230011, ErrorClass::Request)]
#[case(codes::IM_BOT_NOT_AVAILABLE_TO_USER, 230013, ErrorClass::Permission)]
#[case(codes::IM_LACK_OF_PERMISSION, 230027, ErrorClass::Permission)]
#[case(codes::PIN_CHAT_NOT_FOUND, 230045, ErrorClass::Request)]
#[case(codes::PIN_NO_PERMISSION, 230046, ErrorClass::Permission)]
#[case(codes::PIN_MESSAGE_RATE_LIMITED, 230047, ErrorClass::RateLimited)]
#[case(codes::PIN_LIST_RATE_LIMITED, 230048, ErrorClass::RateLimited)]
#[case(codes::IM_MESSAGE_INVISIBLE, 230050, ErrorClass::Request)]
#[case(codes::IM_MESSAGE_TYPE_UNSUPPORTED, 230054, ErrorClass::Request)]
#[case(codes::IM_MESSAGE_SELF_DESTRUCTING, 230111, ErrorClass::Request)]
#[case(codes::IM_CHAT_DISSOLVED, 232009, ErrorClass::Request)]
fn documented_error_codes(#[case] constant: i64, #[case] code: i64, #[case] class: ErrorClass) {
    assert_eq!(constant, code);
    assert_eq!(codes::classify(code), class, "{code}");
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire contract of the buzz (urgent) endpoints, checked against the
//! documented examples and rules.

mod messaging;

use feishu_model::codes::{self, ErrorClass};
use feishu_model::im::buzz::{
    UrgentApp, UrgentBody, UrgentOutput, UrgentPhone, UrgentSms, MAX_USERS_PER_CALL,
};
use feishu_model::{
    Endpoint, Method, RateLimit, RequestSpec, TokenKind, UserIdType, UserIdTypeParam,
};
use messaging::*;
use rstest::rstest;

const MESSAGE: &str = "om_dc13264520392913993dd051dba21dcf";
const USER: &str = "ou_6yf8af6bgb9100449565764t3382b168";

#[rstest]
#[case(meta::<UrgentApp>(), "im.v1.message.urgent_app", "urgent_app")]
#[case(meta::<UrgentSms>(), "im.v1.message.urgent_sms", "urgent_sms")]
#[case(meta::<UrgentPhone>(), "im.v1.message.urgent_phone", "urgent_phone")]
fn documented_metadata(#[case] m: Meta, #[case] operation: &str, #[case] tail: &str) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, Method::Patch);
    assert_eq!(
        m.path,
        format!("/open-apis/im/v1/messages/:message_id/{tail}")
    );
    assert_eq!(m.tokens, &[TokenKind::Tenant]);
    assert_eq!(m.rate, RateLimit::GROUP);
    assert!(!m.idempotent);
    assert_eq!(m.doc, format!("{DOC_BASE}message/{tail}"));
    registered(&m);
}

fn requests(users: Vec<String>) -> Vec<(&'static str, Result<RequestSpec, feishu_model::Invalid>)> {
    vec![
        (
            "urgent_app",
            UrgentApp::new(MESSAGE, users.clone()).to_request(),
        ),
        (
            "urgent_sms",
            UrgentSms::new(MESSAGE, users.clone()).to_request(),
        ),
        (
            "urgent_phone",
            UrgentPhone::new(MESSAGE, users).to_request(),
        ),
    ]
}

#[test]
fn requests_and_answers_match_the_docs() {
    for (tail, req) in requests(vec![USER.to_owned()]) {
        let operation = format!("im.v1.message.{tail}");
        let req = req.unwrap();
        assert_eq!(req.method, Method::Patch);
        assert_eq!(
            req.path,
            format!("/open-apis/im/v1/messages/{MESSAGE}/{tail}")
        );
        assert_eq!(
            sorted(req.query.clone()),
            pairs(&[("user_id_type", "open_id")])
        );
        assert_eq!(body_json(&req), Some(request_fixture(&operation)));
        let body: UrgentBody = request_round_trip(&operation);
        assert_eq!(body.user_id_list[0].as_str(), USER);
        let out: UrgentOutput = round_trip(&operation);
        assert_eq!(out.invalid_user_id_list.unwrap().len(), 1);
    }
}

#[rstest]
#[case(1, true)]
#[case(MAX_USERS_PER_CALL, true)]
#[case(MAX_USERS_PER_CALL + 1, false)]
#[case(0, false)]
fn user_count_is_checked(#[case] n: usize, #[case] ok: bool) {
    assert_eq!(MAX_USERS_PER_CALL, 200);
    let users: Vec<String> = (0..n).map(|i| format!("ou_{i}")).collect();
    for (tail, req) in requests(users) {
        match req {
            Ok(_) => assert!(ok, "{tail}: {n} passed"),
            Err(e) => {
                assert!(!ok, "{tail}: {n} failed");
                assert_eq!(e.field, "user_id_list");
            }
        }
    }
}

#[test]
fn the_user_id_type_is_required() {
    let mut call = UrgentApp::new(MESSAGE, [USER]);
    call.query.user_id_type = None;
    assert_eq!(call.to_request().unwrap_err().field, "user_id_type");
    call.query.set_user_id_type(UserIdType::UnionId);
    let req = call.to_request().unwrap();
    assert_eq!(req.query, pairs(&[("user_id_type", "union_id")]));
}

#[test]
fn the_message_id_is_required() {
    let err = UrgentPhone::new("", [USER]).to_request().unwrap_err();
    assert_eq!(err.field, "message_id");
}

#[rstest]
#[case(codes::IM_PARAM_INVALID, 230001, ErrorClass::Request)]
#[case(codes::IM_BOT_NOT_IN_CHAT, 230002, ErrorClass::Request)]
#[case(codes::IM_BOT_ABILITY_DISABLED, 230006, ErrorClass::Permission)]
#[case(codes::IM_BOT_NOT_SENDER, 230012, ErrorClass::Request)]
#[case(codes::IM_BOT_NOT_AVAILABLE_TO_USER, 230013, ErrorClass::Permission)]
#[case(codes::URGENT_TOO_MANY_UNREAD, 230023, ErrorClass::Request)]
#[case(codes::URGENT_QUOTA_EXCEEDED, 230024, ErrorClass::Request)]
#[case(codes::IM_LACK_OF_PERMISSION, 230027, ErrorClass::Permission)]
#[case(codes::URGENT_NOT_ALLOWED, 230052, ErrorClass::Permission)]
#[case(codes::URGENT_MESSAGE_FOLDED, 230098, ErrorClass::Request)]
#[case(codes::IM_MESSAGE_DELETED, 230110, ErrorClass::Request)]
#[case(codes::IM_CHAT_DISSOLVED, 232009, ErrorClass::Request)]
fn documented_error_codes(#[case] constant: i64, #[case] code: i64, #[case] class: ErrorClass) {
    assert_eq!(constant, code);
    assert_eq!(codes::classify(code), class, "{code}");
}

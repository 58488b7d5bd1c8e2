#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire contract of the message reaction endpoints, checked against the
//! documented examples and rules.

mod messaging;

use feishu_model::codes::{self, ErrorClass};
use feishu_model::im::reaction::{
    BatchQueryReactions, BatchQueryReactionsBody, BatchQueryReactionsOutput, CreateReaction,
    CreateReactionBody, DeleteReaction, EmojiType, FailReason, ListReactions, ListReactionsOutput,
    MessageQuery, MessageReaction, OperatorType, MAX_BATCH_QUERIES, MAX_PAGE_SIZE,
    MAX_PAGE_SIZE_PER_MESSAGE,
};
use feishu_model::{Endpoint, Method, Page, Paged, RateLimit, TokenKind, UserIdType};
use messaging::*;
use rstest::rstest;
use serde_json::json;

const MESSAGE: &str = "om_a8f2294b************a1a38afaac9d";

#[rstest]
#[case(meta::<CreateReaction>(), "im.v1.message_reaction.create", Method::Post, "/open-apis/im/v1/messages/:message_id/reactions", false, "message-reaction/create")]
#[case(meta::<DeleteReaction>(), "im.v1.message_reaction.delete", Method::Delete, "/open-apis/im/v1/messages/:message_id/reactions/:reaction_id", true, "message-reaction/delete")]
#[case(meta::<ListReactions>(), "im.v1.message_reaction.list", Method::Get, "/open-apis/im/v1/messages/:message_id/reactions", true, "message-reaction/list")]
#[case(meta::<BatchQueryReactions>(), "im.v1.message_reaction.batch_query", Method::Post, "/open-apis/im/v1/messages/reactions/batch_query", true, "message-reaction/batch_query")]
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
fn create_request_matches_the_docs() {
    let req = CreateReaction::new(MESSAGE, EmojiType::Smile)
        .to_request()
        .unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        "/open-apis/im/v1/messages/om_a8f2294b************a1a38afaac9d/reactions"
            .replace('*', "%2A")
    );
    assert!(req.query.is_empty());
    assert_eq!(
        body_json(&req),
        Some(request_fixture("im.v1.message_reaction.create"))
    );
    assert_eq!(
        req.content_type.as_deref(),
        Some("application/json; charset=utf-8")
    );
    let body: CreateReactionBody = request_round_trip("im.v1.message_reaction.create");
    assert_eq!(body.reaction_type.emoji_type, Some(EmojiType::Smile));
}

#[test]
fn create_and_delete_answers_decode_and_re_encode() {
    for operation in [
        "im.v1.message_reaction.create",
        "im.v1.message_reaction.delete",
    ] {
        let reaction: MessageReaction = round_trip(operation);
        assert_eq!(
            reaction.reaction_id.as_deref(),
            Some("ZCaCIjUBVVWSrm5L-3ZTw****")
        );
        let operator = reaction.operator.unwrap();
        assert_eq!(operator.operator_type, Some(OperatorType::User));
        assert_eq!(operator.operator_id.as_deref(), Some("ou_ff0b7ba35fb****"));
        assert_eq!(
            reaction.reaction_type.unwrap().emoji_type,
            Some(EmojiType::Smile)
        );
        assert!(reaction.extra.is_empty());
    }
}

#[test]
fn delete_request_names_both_ids() {
    let req = DeleteReaction::new("om_1", "ZCa-1_x").to_request().unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(req.path, "/open-apis/im/v1/messages/om_1/reactions/ZCa-1_x");
    assert_eq!(req.body, None);
    assert_eq!(req.content_type, None);
    let err = DeleteReaction::new("om_1", "").to_request().unwrap_err();
    assert_eq!(err.field, "reaction_id");
    let err = DeleteReaction::new("", "r").to_request().unwrap_err();
    assert_eq!(err.field, "message_id");
}

#[test]
fn list_request_matches_the_docs() {
    let mut call = ListReactions::new("om_8964d1b4");
    call.query.reaction_type = Some(EmojiType::Laugh);
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.page = Page {
        page_size: Some(10),
        page_token: Some("YhljsPiGfUgnVAg9urvRFd-BvSqRL20wMZNAWfa9xXkud6UKCybPuUgQ1vM26dj6".into()),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/open-apis/im/v1/messages/om_8964d1b4/reactions");
    assert_eq!(
        sorted(req.query),
        pairs(&[
            ("page_size", "10"),
            (
                "page_token",
                "YhljsPiGfUgnVAg9urvRFd-BvSqRL20wMZNAWfa9xXkud6UKCybPuUgQ1vM26dj6"
            ),
            ("reaction_type", "LAUGH"),
            ("user_id_type", "open_id"),
        ])
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_answer_decodes_and_pages() {
    let out: ListReactionsOutput = round_trip("im.v1.message_reaction.list");
    assert!(out.has_more());
    assert_eq!(out.page_token(), Some("YhljsPiGfUgnVAg9urvRFd-BvSqRL****"));
    let items = out.into_items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].action_time.as_deref(), Some("1626086391570"));
}

#[rstest]
#[case(1, true)]
#[case(MAX_PAGE_SIZE, true)]
#[case(MAX_PAGE_SIZE + 1, false)]
#[case(0, false)]
fn list_page_size_is_checked(#[case] size: u32, #[case] ok: bool) {
    assert_eq!(MAX_PAGE_SIZE, 50);
    let mut call = ListReactions::new("om_1");
    call.query.page.page_size = Some(size);
    match call.to_request() {
        Ok(_) => assert!(ok, "{size} passed"),
        Err(e) => {
            assert!(!ok, "{size} failed");
            assert_eq!(e.field, "page_size");
        }
    }
}

#[test]
fn batch_query_request_matches_the_docs() {
    let body: BatchQueryReactionsBody = request_round_trip("im.v1.message_reaction.batch_query");
    let mut call = BatchQueryReactions::new(["om_8964d1b4*********2b31383276113"]);
    call.body.queries[0].page_token = Some("YhljsPiGfUgnVAg9urvRFd-BvSqRL20".into());
    call.body.page_size_per_message = Some(10);
    call.body.reaction_type = Some(EmojiType::Laugh);
    call.query.user_id_type = Some(UserIdType::OpenId);
    assert_eq!(call.body, body);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/messages/reactions/batch_query");
    assert_eq!(
        sorted(req.query.clone()),
        pairs(&[("user_id_type", "open_id")])
    );
    assert_eq!(
        body_json(&req),
        Some(request_fixture("im.v1.message_reaction.batch_query"))
    );
    assert!(req.idempotent);
}

#[test]
fn batch_query_answer_decodes_and_re_encodes() {
    let out: BatchQueryReactionsOutput = round_trip("im.v1.message_reaction.batch_query");
    let details = out.success_msg_reaction_details.unwrap();
    assert_eq!(details[0].has_more, Some(true));
    let item = &details[0].message_reaction_items.as_ref().unwrap()[0];
    assert_eq!(item.emoji_type, Some(EmojiType::Smile));
    let counts = out.success_msg_reaction_counts.unwrap();
    let count = &counts[0].reaction_count.as_ref().unwrap()[0];
    assert_eq!(count.reaction_type, Some(EmojiType::Laugh));
    assert_eq!(count.count.as_deref(), Some("20"));
    let failed = out.fail_msg_reaction_details.unwrap();
    assert_eq!(failed[0].fail_reason, Some(FailReason::Invalid));
}

#[rstest]
#[case(1, true)]
#[case(MAX_BATCH_QUERIES, true)]
#[case(MAX_BATCH_QUERIES + 1, false)]
#[case(0, false)]
fn batch_query_counts_messages(#[case] n: usize, #[case] ok: bool) {
    assert_eq!(MAX_BATCH_QUERIES, 20);
    let call = BatchQueryReactions::new((0..n).map(|i| format!("om_{i}")));
    match call.to_request() {
        Ok(_) => assert!(ok, "{n} passed"),
        Err(e) => {
            assert!(!ok, "{n} failed");
            assert_eq!(e.field, "queries");
        }
    }
}

#[rstest]
#[case(1, true)]
#[case(MAX_PAGE_SIZE_PER_MESSAGE, true)]
#[case(MAX_PAGE_SIZE_PER_MESSAGE + 1, false)]
#[case(0, false)]
fn batch_query_page_size_per_message(#[case] n: u32, #[case] ok: bool) {
    assert_eq!(MAX_PAGE_SIZE_PER_MESSAGE, 10);
    let mut call = BatchQueryReactions::new(["om_1"]);
    call.body.page_size_per_message = Some(n);
    match call.to_request() {
        Ok(_) => assert!(ok, "{n} passed"),
        Err(e) => {
            assert!(!ok, "{n} failed");
            assert_eq!(e.field, "page_size_per_message");
        }
    }
}

#[test]
fn a_reaction_needs_an_emoji() {
    let mut call = CreateReaction::new("om_1", EmojiType::Ok);
    call.body.reaction_type.emoji_type = None;
    assert_eq!(
        call.to_request().unwrap_err().field,
        "reaction_type.emoji_type"
    );
    call.body.reaction_type.emoji_type = Some(EmojiType::from(""));
    assert_eq!(
        call.to_request().unwrap_err().field,
        "reaction_type.emoji_type"
    );
}

#[test]
fn every_documented_emoji_is_known_and_unknown_ones_survive() {
    assert_eq!(EmojiType::KNOWN.len(), 182);
    for emoji in EmojiType::KNOWN {
        assert_eq!(&EmojiType::from(emoji.as_str()), emoji);
    }
    assert_eq!(EmojiType::from("2022"), EmojiType::Year2022);
    assert_eq!(EmojiType::from("18X"), EmojiType::EighteenX);
    assert_eq!(
        EmojiType::from("Status_PrivateMessage").as_str(),
        "Status_PrivateMessage"
    );
    let reaction: MessageReaction = serde_json::from_value(json!({
        "reaction_type": {"emoji_type": "BRAND_NEW", "skin": 2}
    }))
    .unwrap();
    let emoji = reaction.reaction_type.clone().unwrap();
    assert!(!emoji.emoji_type.as_ref().unwrap().is_known());
    assert_eq!(emoji.extra.get("skin"), Some(&json!(2)));
    assert_eq!(
        serde_json::to_value(&reaction).unwrap(),
        json!({"reaction_type": {"emoji_type": "BRAND_NEW", "skin": 2}})
    );
}

#[test]
fn batch_query_body_decodes_a_textual_page_size() {
    let body: BatchQueryReactionsBody = serde_json::from_value(json!({
        "queries": [{"message_id": "om_1"}],
        "page_size_per_message": "5"
    }))
    .unwrap();
    assert_eq!(body.page_size_per_message, Some(5));
    assert_eq!(body.queries, vec![MessageQuery::new("om_1")]);
}

#[rstest]
#[case(codes::REACTION_TYPE_INVALID, 231001, ErrorClass::Request)]
#[case(codes::REACTION_NO_PERMISSION, 231002, ErrorClass::Permission)]
#[case(codes::REACTION_MESSAGE_NOT_FOUND, 231003, ErrorClass::Request)]
#[case(codes::REACTION_CHAT_NOT_FOUND, 231004, ErrorClass::Request)]
#[case(codes::REACTION_THREAD_REMOVED, 231005, ErrorClass::Request)]
#[case(codes::REACTION_OPERATOR_INVALID, 231006, ErrorClass::Request)]
#[case(codes::REACTION_NOT_OWNER, 231007, ErrorClass::Permission)]
#[case(codes::REACTION_NO_ACCESS, 231008, ErrorClass::Permission)]
#[case(codes::REACTION_NOT_OF_MESSAGE, 231010, ErrorClass::Request)]
#[case(codes::REACTION_ID_INVALID, 231011, ErrorClass::Request)]
#[case(codes::REACTION_PAGE_TOKEN_INVALID, 231012, ErrorClass::Request)]
#[case(codes::REACTION_AUTH_TYPE_INVALID, 231013, ErrorClass::Request)]
#[case(codes::REACTION_USER_ID_TYPE_INVALID, 231014, ErrorClass::Request)]
#[case(codes::REACTION_REQUEST_IN_PROGRESS, 231015, ErrorClass::Transient)]
#[case(codes::REACTION_MESSAGE_TYPE_UNSUPPORTED, 231017, ErrorClass::Request)]
#[case(codes::REACTION_MESSAGE_INVISIBLE, 231018, ErrorClass::Request)]
#[case(codes::REACTION_BLOCKED_BY_USER, 231019, ErrorClass::Request)]
#[case(codes::REACTION_BLOCKED_BY_TENANT, 231020, ErrorClass::Request)]
#[case(codes::REACTION_EXTERNAL_CHAT_DENIED, 231021, ErrorClass::Permission)]
#[case(codes::REACTION_BOT_NOT_AVAILABLE, 231022, ErrorClass::Permission)]
#[case(codes::IM_MESSAGE_DELETED, 230110, ErrorClass::Request)]
#[case(codes::IM_CHAT_DISSOLVED, 232009, ErrorClass::Request)]
#[case(codes::IM_PARAM_INVALID, 230001, ErrorClass::Request)]
#[case(codes::IM_BOT_ABILITY_DISABLED, 230006, ErrorClass::Permission)]
fn documented_error_codes(#[case] constant: i64, #[case] code: i64, #[case] class: ErrorClass) {
    assert_eq!(constant, code);
    assert_eq!(codes::classify(code), class, "{code}");
}

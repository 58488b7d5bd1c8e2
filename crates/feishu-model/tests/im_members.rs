#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Wire contract of the chat members, managers and legacy announcement
//! endpoints, checked against the documented examples.

use std::path::PathBuf;

use feishu_model::im::announcement::{
    Announcement, GetAnnouncement, PatchAnnouncement, PatchAnnouncementBody,
};
use feishu_model::im::managers::{
    AddManagers, DeleteManagers, ManagerIdsBody, ManagersOutput, MAX_BOT_MANAGER_IDS_PER_CALL,
    MAX_MANAGER_IDS_PER_CALL,
};
use feishu_model::im::members::{
    AddMembers, AddMembersOutput, IsInChat, IsInChatOutput, ListMember, ListMembers,
    ListMembersOutput, ListMembersQuery, MeJoin, MemberIdsBody, RemoveMembers, RemoveMembersOutput,
    SucceedType, MAX_BOT_IDS_PER_CALL, MAX_IDS_PER_CALL, MAX_PAGE_SIZE,
};
use feishu_model::{
    Empty, Endpoint, MemberIdType, Method, Page, Paged, PagedQuery, RateLimit, RequestSpec,
    TokenKind, UserIdType,
};
use proptest::prelude::*;
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const ANNOUNCEMENT_CHAT: &str = "oc_5ad11d72b830411d72b836c20";
const DOC_BASE: &str = "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/";

fn fixture(name: &str) -> Value {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name]
        .iter()
        .collect();
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn request_fixture(operation: &str) -> Value {
    fixture(&format!("{operation}.request.json"))
}

fn response_data(operation: &str) -> Value {
    let response = fixture(&format!("{operation}.response.json"));
    assert_eq!(response["code"], 0);
    response["data"].clone()
}

fn sorted(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    pairs.sort();
    pairs
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    sorted(
        items
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    )
}

fn body_json(request: &RequestSpec) -> Option<Value> {
    request
        .body
        .as_deref()
        .map(|bytes| serde_json::from_slice(bytes).unwrap())
}

/// Decodes the documented `data`, checks that it re-serializes to the same
/// JSON and that no field landed in `extra`; returns the decoded output.
fn round_trip<T: Serialize + DeserializeOwned>(operation: &str) -> T {
    let data = response_data(operation);
    let decoded: T = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), data, "{operation}");
    decoded
}

// ---------------------------------------------------------------------------
// Metadata

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

#[rstest]
#[case(meta::<AddMembers>(), "im.v1.chat.members.create", Method::Post, "/open-apis/im/v1/chats/:chat_id/members", false, "chat-members/create")]
#[case(meta::<RemoveMembers>(), "im.v1.chat.members.delete", Method::Delete, "/open-apis/im/v1/chats/:chat_id/members", true, "chat-members/delete")]
#[case(meta::<MeJoin>(), "im.v1.chat.members.me_join", Method::Patch, "/open-apis/im/v1/chats/:chat_id/members/me_join", true, "chat-members/me_join")]
#[case(meta::<ListMembers>(), "im.v1.chat.members.get", Method::Get, "/open-apis/im/v1/chats/:chat_id/members", true, "chat-members/get")]
#[case(meta::<IsInChat>(), "im.v1.chat.members.is_in_chat", Method::Get, "/open-apis/im/v1/chats/:chat_id/members/is_in_chat", true, "chat-members/is_in_chat")]
#[case(meta::<AddManagers>(), "im.v1.chat.managers.add_managers", Method::Post, "/open-apis/im/v1/chats/:chat_id/managers/add_managers", false, "chat-managers/add_managers")]
#[case(meta::<DeleteManagers>(), "im.v1.chat.managers.delete_managers", Method::Post, "/open-apis/im/v1/chats/:chat_id/managers/delete_managers", false, "chat-managers/delete_managers")]
#[case(meta::<GetAnnouncement>(), "im.v1.chat.announcement.get", Method::Get, "/open-apis/im/v1/chats/:chat_id/announcement", true, "chat-announcement/get")]
#[case(meta::<PatchAnnouncement>(), "im.v1.chat.announcement.patch", Method::Patch, "/open-apis/im/v1/chats/:chat_id/announcement", false, "chat-announcement/patch")]
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
}

#[test]
fn documented_limits_are_exported() {
    assert_eq!(MAX_IDS_PER_CALL, 50);
    assert_eq!(MAX_BOT_IDS_PER_CALL, 5);
    assert_eq!(MAX_PAGE_SIZE, 100);
    assert_eq!(MAX_MANAGER_IDS_PER_CALL, 50);
    assert_eq!(MAX_BOT_MANAGER_IDS_PER_CALL, 5);
}

// ---------------------------------------------------------------------------
// Requests built from the documented examples

#[test]
fn add_members_request_matches_the_docs() {
    let mut call = AddMembers::new(CHAT, ["4d7a3c6g"]);
    call.query.member_id_type = Some(MemberIdType::OpenId);
    call.query.succeed_type = Some(SucceedType::FailOnNotExisted);
    let req = call.to_request().unwrap();
    assert_eq!(req.operation, "im.v1.chat.members.create");
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}/members"));
    assert_eq!(
        sorted(req.query.clone()),
        pairs(&[("member_id_type", "open_id"), ("succeed_type", "0")])
    );
    assert_eq!(
        body_json(&req),
        Some(request_fixture("im.v1.chat.members.create"))
    );
    assert!(!req.idempotent);
}

#[test]
fn remove_members_request_matches_the_docs() {
    let mut call = RemoveMembers::new(CHAT, ["4d7a3c6g"]);
    call.query.member_id_type = Some(MemberIdType::OpenId);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}/members"));
    assert_eq!(
        sorted(req.query.clone()),
        pairs(&[("member_id_type", "open_id")])
    );
    assert_eq!(
        body_json(&req),
        Some(request_fixture("im.v1.chat.members.delete"))
    );
    assert!(req.idempotent);
}

#[test]
fn me_join_request_matches_the_docs() {
    let req = MeJoin::new(CHAT).to_request().unwrap();
    assert_eq!(req.method, Method::Patch);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{CHAT}/members/me_join")
    );
    assert!(req.query.is_empty());
    assert_eq!(req.body, None);
    assert!(req.idempotent);
}

#[test]
fn list_members_request_matches_the_docs() {
    let mut call = ListMembers::new(CHAT);
    call.query.member_id_type = Some(UserIdType::OpenId);
    call.query.page = Page {
        page_size: Some(20),
        page_token: Some("WWxHTStrOEs5WHZpNktGbU94bUcvMWlxdDUzTWt1OXNrRmlLaGRNVG0yaz0=".into()),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}/members"));
    assert_eq!(
        sorted(req.query.clone()),
        pairs(&[
            ("member_id_type", "open_id"),
            ("page_size", "20"),
            (
                "page_token",
                "WWxHTStrOEs5WHZpNktGbU94bUcvMWlxdDUzTWt1OXNrRmlLaGRNVG0yaz0="
            ),
        ])
    );
    assert_eq!(req.body, None);
}

#[test]
fn list_members_first_page_sends_no_query() {
    let req = ListMembers::new(CHAT).to_request().unwrap();
    assert!(req.query.is_empty());
}

#[test]
fn is_in_chat_request_matches_the_docs() {
    let req = IsInChat::new(CHAT).to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{CHAT}/members/is_in_chat")
    );
    assert!(req.query.is_empty());
    assert_eq!(req.body, None);
}

#[rstest]
#[case(
    AddManagers::new(CHAT, ["ou_9204a37300b3700d61effaa439f34295"]).to_request(),
    "im.v1.chat.managers.add_managers",
    "add_managers"
)]
#[case(
    DeleteManagers::new(CHAT, ["ou_9204a37300b3700d61effaa439f34295"]).to_request(),
    "im.v1.chat.managers.delete_managers",
    "delete_managers"
)]
fn managers_requests_match_the_docs(
    #[case] req: Result<RequestSpec, feishu_model::Invalid>,
    #[case] operation: &str,
    #[case] action: &str,
) {
    let req = req.unwrap();
    assert_eq!(req.operation, operation);
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{CHAT}/managers/{action}")
    );
    assert!(req.query.is_empty());
    assert_eq!(body_json(&req), Some(request_fixture(operation)));
}

#[test]
fn managers_query_carries_member_id_type() {
    let mut call = AddManagers::new(CHAT, ["cli_a10fbf7e94b8d01d"]);
    call.query.member_id_type = Some(MemberIdType::AppId);
    let req = call.to_request().unwrap();
    assert_eq!(req.query, pairs(&[("member_id_type", "app_id")]));
}

#[test]
fn get_announcement_request_matches_the_docs() {
    let mut call = GetAnnouncement::new(ANNOUNCEMENT_CHAT);
    call.query.user_id_type = Some(UserIdType::OpenId);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{ANNOUNCEMENT_CHAT}/announcement")
    );
    assert_eq!(req.query, pairs(&[("user_id_type", "open_id")]));
    assert_eq!(req.body, None);
}

#[test]
fn patch_announcement_request_matches_the_docs() {
    let documented = request_fixture("im.v1.chat.announcement.patch");
    let requests: Vec<String> = serde_json::from_value(documented["requests"].clone()).unwrap();
    let call = PatchAnnouncement::new(ANNOUNCEMENT_CHAT, "12", requests);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Patch);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{ANNOUNCEMENT_CHAT}/announcement")
    );
    assert!(req.query.is_empty());
    assert_eq!(body_json(&req), Some(documented));
    assert!(!req.idempotent);
}

#[test]
fn documented_request_bodies_decode_into_the_body_types() {
    for op in ["im.v1.chat.members.create", "im.v1.chat.members.delete"] {
        let doc = request_fixture(op);
        let body: MemberIdsBody = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), doc);
    }
    for op in [
        "im.v1.chat.managers.add_managers",
        "im.v1.chat.managers.delete_managers",
    ] {
        let doc = request_fixture(op);
        let body: ManagerIdsBody = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), doc);
    }
    let doc = request_fixture("im.v1.chat.announcement.patch");
    let body: PatchAnnouncementBody = serde_json::from_value(doc.clone()).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), doc);
}

#[test]
fn query_values_given_as_text_decode() {
    let q: feishu_model::im::members::AddMembersQuery =
        serde_json::from_value(json!({"member_id_type": "app_id", "succeed_type": "1"})).unwrap();
    assert_eq!(q.member_id_type, Some(MemberIdType::AppId));
    assert_eq!(q.succeed_type, Some(SucceedType::AddAvailable));
    let q: feishu_model::im::members::AddMembersQuery =
        serde_json::from_value(json!({"succeed_type": 2})).unwrap();
    assert_eq!(q.succeed_type, Some(SucceedType::FailOnUnavailable));
    let q: ListMembersQuery = serde_json::from_value(
        json!({"member_id_type": "user_id", "page_size": "20", "page_token": "t"}),
    )
    .unwrap();
    assert_eq!(q.member_id_type, Some(UserIdType::UserId));
    assert_eq!(q.page.page_size, Some(20));
    assert_eq!(q.page.page_token.as_deref(), Some("t"));
}

// ---------------------------------------------------------------------------
// Responses: documented `data` round-trips with nothing left over

#[test]
fn add_members_output_round_trips() {
    let out: AddMembersOutput = round_trip("im.v1.chat.members.create");
    assert!(out.extra.is_empty());
    assert_eq!(out.invalid_id_list.unwrap()[0].as_str(), "4d7a3c6g");
    assert_eq!(out.not_existed_id_list.unwrap().len(), 1);
    assert_eq!(out.pending_approval_id_list.unwrap().len(), 1);
}

#[test]
fn remove_members_output_round_trips() {
    let out: RemoveMembersOutput = round_trip("im.v1.chat.members.delete");
    assert!(out.extra.is_empty());
    assert_eq!(out.invalid_id_list.unwrap()[0].as_str(), "4d7a3c6g");
}

#[test]
fn me_join_output_round_trips() {
    let out: Empty = round_trip("im.v1.chat.members.me_join");
    assert!(out.extra.is_empty());
}

#[test]
fn list_members_output_round_trips_and_pages() {
    let out: ListMembersOutput = round_trip("im.v1.chat.members.get");
    assert!(out.extra.is_empty());
    assert_eq!(out.member_total, Some(2));
    assert!(out.has_more());
    assert_eq!(
        out.page_token(),
        Some("dmJCRHhpd3JRbGV1VEVNRFFyTitRWDY5ZFkybmYrMEUwMUFYT0VMMWdENEtuYUhsNUxGMDIwemtvdE5ORjBNQQ==")
    );
    let items = out.into_items();
    assert_eq!(items.len(), 1);
    let member = &items[0];
    assert!(member.extra.is_empty());
    assert_eq!(member.member_id_type, Some(UserIdType::OpenId));
    assert_eq!(
        member.member_id.as_ref().unwrap().as_str(),
        "ou_9204a37300b3700d61effaa439f34295"
    );
    assert_eq!(member.name.as_deref(), Some("张三"));
    assert_eq!(
        member.tenant_key.as_ref().unwrap().as_str(),
        "736588c9260f175d"
    );
}

#[test]
fn last_page_has_no_more_and_no_token() {
    let out: ListMembersOutput =
        serde_json::from_value(json!({"items": [], "page_token": "", "has_more": false})).unwrap();
    assert!(!out.has_more());
    assert_eq!(out.page_token(), None);
    assert!(out.into_items().is_empty());
    let out: ListMembersOutput = serde_json::from_value(json!({})).unwrap();
    assert!(!out.has_more());
    assert!(out.into_items().is_empty());
    assert_eq!(
        serde_json::to_value(ListMembersOutput::default()).unwrap(),
        json!({})
    );
}

#[test]
fn list_members_query_takes_the_next_page_token() {
    let mut call = ListMembers::new(CHAT);
    call.query.set_page_token(Some("next".into()));
    let req = call.to_request().unwrap();
    assert_eq!(req.query, pairs(&[("page_token", "next")]));
    call.query.set_page_token(None);
    assert!(call.to_request().unwrap().query.is_empty());
}

#[test]
fn is_in_chat_output_round_trips() {
    let out: IsInChatOutput = round_trip("im.v1.chat.members.is_in_chat");
    assert!(out.extra.is_empty());
    assert_eq!(out.is_in_chat, Some(false));
}

#[rstest]
#[case("im.v1.chat.managers.add_managers")]
#[case("im.v1.chat.managers.delete_managers")]
fn managers_output_round_trips(#[case] operation: &str) {
    let out: ManagersOutput = round_trip(operation);
    assert!(out.extra.is_empty());
    assert_eq!(
        out.chat_managers.unwrap()[0].as_str(),
        "ou_9204a37300b3700d61effaa439f34295"
    );
    assert_eq!(
        out.chat_bot_managers.unwrap()[0].as_str(),
        "cli_a10fbf7e94b8d01d"
    );
}

#[test]
fn announcement_output_round_trips() {
    let out: Announcement = round_trip("im.v1.chat.announcement.get");
    assert!(out.extra.is_empty());
    assert_eq!(out.revision.as_deref(), Some("12"));
    assert_eq!(out.create_time.as_deref(), Some("1609296809"));
    assert_eq!(out.owner_id_type, Some(MemberIdType::OpenId));
    assert_eq!(out.modifier_id_type, Some(MemberIdType::OpenId));
    assert_eq!(
        out.owner_id.unwrap().as_str(),
        "ou_7d8a6e6df7621556ce0d21922b676706ccs"
    );
}

#[test]
fn patch_announcement_output_round_trips() {
    let out: Empty = round_trip("im.v1.chat.announcement.patch");
    assert!(out.extra.is_empty());
}

#[test]
fn undocumented_fields_and_values_survive() {
    let data = json!({
        "items": [{"member_id_type": "mystery_id", "member_id": "x", "future": [1, 2]}],
        "has_more": false,
        "member_total": 1,
        "new_field": {"a": 1}
    });
    let out: ListMembersOutput = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(out.extra.len(), 1);
    let items = out.items.as_ref().unwrap();
    assert_eq!(
        items[0].member_id_type,
        Some(UserIdType::Unknown("mystery_id".into()))
    );
    assert!(items[0].extra.get("future").is_some());
    assert_eq!(serde_json::to_value(&out).unwrap(), data);

    let data =
        json!({"owner_id_type": "app_id", "owner_id": "cli_x", "content": "{}", "lang": "zh"});
    let out: Announcement = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(out.owner_id_type, Some(MemberIdType::AppId));
    assert_eq!(out.extra.len(), 1);
    assert_eq!(serde_json::to_value(&out).unwrap(), data);
}

// ---------------------------------------------------------------------------
// Validation: each documented rule, refused by field name

fn field_of(result: Result<RequestSpec, feishu_model::Invalid>) -> String {
    result.unwrap_err().field
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("ou_{i}")).collect()
}

#[rstest]
#[case(0, Some("id_list"))]
#[case(1, None)]
#[case(50, None)]
#[case(51, Some("id_list"))]
fn add_members_id_list_holds_1_to_50(#[case] n: usize, #[case] refused: Option<&str>) {
    let result = AddMembers::new(CHAT, ids(n)).to_request();
    assert_eq!(result.err().map(|e| e.field), refused.map(str::to_owned));
}

#[rstest]
#[case(0, Some("id_list"))]
#[case(1, None)]
#[case(50, None)]
#[case(51, Some("id_list"))]
fn remove_members_id_list_holds_1_to_50(#[case] n: usize, #[case] refused: Option<&str>) {
    let result = RemoveMembers::new(CHAT, ids(n)).to_request();
    assert_eq!(result.err().map(|e| e.field), refused.map(str::to_owned));
}

#[test]
fn missing_id_list_is_refused_by_name() {
    let body: MemberIdsBody = serde_json::from_value(json!({})).unwrap();
    let call = AddMembers {
        path: feishu_model::im::types::ChatPath::new(CHAT),
        query: Default::default(),
        body,
    };
    assert_eq!(field_of(call.to_request()), "id_list");
}

#[rstest]
#[case(0, Some("page_size"))]
#[case(1, None)]
#[case(100, None)]
#[case(101, Some("page_size"))]
fn list_members_page_size_is_at_most_100(#[case] size: u32, #[case] refused: Option<&str>) {
    let mut call = ListMembers::new(CHAT);
    call.query.page.page_size = Some(size);
    let result = call.to_request();
    assert_eq!(result.err().map(|e| e.field), refused.map(str::to_owned));
}

#[rstest]
#[case(0, None)]
#[case(50, None)]
#[case(51, Some("manager_ids"))]
fn manager_ids_hold_at_most_50(#[case] n: usize, #[case] refused: Option<&str>) {
    let add = AddManagers::new(CHAT, ids(n)).to_request();
    assert_eq!(add.err().map(|e| e.field), refused.map(str::to_owned));
    let delete = DeleteManagers::new(CHAT, ids(n)).to_request();
    assert_eq!(delete.err().map(|e| e.field), refused.map(str::to_owned));
}

#[test]
fn absent_manager_ids_are_left_out() {
    let mut call = AddManagers::new(CHAT, ids(1));
    call.body.manager_ids = None;
    let req = call.to_request().unwrap();
    assert_eq!(body_json(&req), Some(json!({})));
}

#[rstest]
#[case("", Some("revision"))]
#[case("twelve", Some("revision"))]
#[case("12.5", Some("revision"))]
#[case("12", None)]
#[case("9223372036854775807", None)]
fn revision_is_required_int64_text(#[case] revision: &str, #[case] refused: Option<&str>) {
    let result = PatchAnnouncement::new(ANNOUNCEMENT_CHAT, revision, ["{}"]).to_request();
    assert_eq!(result.err().map(|e| e.field), refused.map(str::to_owned));
}

#[test]
fn patch_requests_are_required() {
    let none: [&str; 0] = [];
    let result = PatchAnnouncement::new(ANNOUNCEMENT_CHAT, "12", none).to_request();
    assert_eq!(field_of(result), "requests");
}

#[rstest]
#[case(field_of(AddMembers::new("", ids(1)).to_request()))]
#[case(field_of(RemoveMembers::new("", ids(1)).to_request()))]
#[case(field_of(MeJoin::new("").to_request()))]
#[case(field_of(ListMembers::new("").to_request()))]
#[case(field_of(IsInChat::new("").to_request()))]
#[case(field_of(AddManagers::new("", ids(1)).to_request()))]
#[case(field_of(DeleteManagers::new("", ids(1)).to_request()))]
#[case(field_of(GetAnnouncement::new("").to_request()))]
#[case(field_of(PatchAnnouncement::new("", "12", ["{}"]).to_request()))]
fn empty_chat_id_is_refused_by_name(#[case] field: String) {
    assert_eq!(field, "chat_id");
}

#[test]
fn chat_id_is_percent_encoded() {
    let req = IsInChat::new("oc_a/b c").to_request().unwrap();
    assert_eq!(
        req.path,
        "/open-apis/im/v1/chats/oc_a%2Fb%20c/members/is_in_chat"
    );
}

// ---------------------------------------------------------------------------
// Enums

#[test]
fn succeed_type_lists_the_documented_values() {
    assert_eq!(
        SucceedType::KNOWN
            .iter()
            .map(SucceedType::as_i64)
            .collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(SucceedType::from(9), SucceedType::Unknown(9));
    assert!(!SucceedType::from(9).is_known());
}

// ---------------------------------------------------------------------------
// Properties

const FIELD_NAMES: &[&str] = &[
    "invalid_id_list",
    "not_existed_id_list",
    "pending_approval_id_list",
    "items",
    "page_token",
    "has_more",
    "member_total",
    "member_id_type",
    "member_id",
    "name",
    "tenant_key",
    "is_in_chat",
    "chat_managers",
    "chat_bot_managers",
    "content",
    "revision",
    "create_time",
    "update_time",
    "owner_id_type",
    "owner_id",
    "modifier_id_type",
    "modifier_id",
    "other",
];

fn small_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
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

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(
        prop_oneof![
            prop::sample::select(FIELD_NAMES).prop_map(str::to_owned),
            "[a-z_]{1,10}",
        ],
        small_json(),
        0..8,
    )
    .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// Decoding never panics; when it succeeds, encoding the value never panics
/// and decoding that again gives the same value.
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
        decodes_without_panic::<AddMembersOutput>(&value)?;
        decodes_without_panic::<RemoveMembersOutput>(&value)?;
        decodes_without_panic::<ListMembersOutput>(&value)?;
        decodes_without_panic::<ListMember>(&value)?;
        decodes_without_panic::<IsInChatOutput>(&value)?;
        decodes_without_panic::<ManagersOutput>(&value)?;
        decodes_without_panic::<Announcement>(&value)?;
    }

    #[test]
    fn succeed_type_round_trips_any_number(n in any::<i64>()) {
        let decoded: SucceedType = serde_json::from_value(json!(n)).unwrap();
        prop_assert_eq!(decoded.as_i64(), n);
        prop_assert_eq!(serde_json::to_value(decoded).unwrap(), json!(n));
    }

    #[test]
    fn succeed_type_query_text_round_trips(n in any::<i64>()) {
        let q: feishu_model::im::members::AddMembersQuery =
            serde_json::from_value(json!({"succeed_type": n.to_string()})).unwrap();
        prop_assert_eq!(q.succeed_type.map(|s| s.as_i64()), Some(n));
    }

    #[test]
    fn id_list_size_rule_matches_the_docs(n in 0usize..120) {
        let ok = AddMembers::new(CHAT, ids(n)).to_request().is_ok();
        prop_assert_eq!(ok, (1..=50).contains(&n));
    }
}

#[test]
fn at_most_five_bots_per_call_when_ids_are_app_ids() {
    use feishu_model::im::managers::AddManagers;
    use feishu_model::im::members::{AddMembers, RemoveMembers};
    use feishu_model::{Endpoint, MemberIdType};
    let six: Vec<String> = (0..6).map(|i| format!("cli_{i}")).collect();

    let mut add = AddMembers::new("oc_x", six.iter().map(String::as_str));
    assert!(add.to_request().is_ok(), "six users are fine");
    add.query.member_id_type = Some(MemberIdType::AppId);
    let err = add.to_request().unwrap_err();
    assert_eq!(err.field, "id_list");
    assert!(err.rule.contains("1..=5"), "{}", err.rule);

    let mut remove = RemoveMembers::new("oc_x", six.iter().map(String::as_str));
    remove.query.member_id_type = Some(MemberIdType::AppId);
    assert_eq!(remove.to_request().unwrap_err().field, "id_list");
    remove.body.id_list.truncate(5);
    assert!(remove.to_request().is_ok());

    let mut managers = AddManagers::new("oc_x", six.iter().map(String::as_str));
    assert!(managers.to_request().is_ok());
    managers.query.member_id_type = Some(MemberIdType::AppId);
    assert_eq!(managers.to_request().unwrap_err().field, "manager_ids");
}

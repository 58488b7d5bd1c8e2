#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The chat, moderation and top_notice endpoints against their documented
//! request and response examples (fixtures copied from the doc pages).

use feishu_model::im::chat::{
    Chat, ChatLinkBody, ChatPage, ChatShareLink, ChatSortType, ChatSummary, CreateChat,
    CreateChatBody, CreateChatQuery, CreatedChat, DeleteChat, GetChat, GetChatLink,
    LinkValidityPeriod, ListChats, SearchChats, UpdateChat, UpdateChatBody,
};
use feishu_model::im::moderation::{
    ChatModeration, GetChatModeration, Moderator, UpdateChatModeration, UpdateChatModerationBody,
};
use feishu_model::im::top_notice::{
    DeleteTopNotice, PutTopNotice, PutTopNoticeBody, TopNotice, TopNoticeActionType,
};
use feishu_model::im::types::{
    ChatMode, ChatType, GroupMessageType, I18nNames, MembershipApproval, MessageVisibility,
    ModerationPermission, RestrictedModeSetting, RestrictedPermission, ShareCardPermission, WhoCan,
};
use feishu_model::{
    Empty, Endpoint, Extra, Invalid, MemberId, Method, Page, Paged, PagedQuery, Params, RateLimit,
    RequestSpec, TokenKind, UserIdType,
};
use proptest::prelude::*;
use rstest::rstest;
use serde_json::{json, Value};

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const TOP_NOTICE_CHAT: &str = "oc_5ad11d72b830411d72b836c20";
const PAGE_TOKEN: &str =
    "dmJCRHhpd3JRbGV1VEVNRFFyTitRWDY5ZFkybmYrMEUwMUFYT0VMMWdENEtuYUhsNUxGMDIwemtvdE5ORjBNQQ==";

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect(&path);
    serde_json::from_str(&text).expect(&path)
}

fn request_fixture<E: Endpoint>() -> Value {
    fixture(&format!("{}.request.json", E::OPERATION))
}

fn response_data<E: Endpoint>() -> Value {
    let response = fixture(&format!("{}.response.json", E::OPERATION));
    assert_eq!(response["code"], 0);
    response["data"].clone()
}

fn body(req: &RequestSpec) -> Value {
    serde_json::from_slice(req.body.as_deref().expect("request has a body")).unwrap()
}

fn sorted(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = pairs
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

fn ids(values: &[&str]) -> Vec<MemberId> {
    values.iter().map(|v| MemberId::from(*v)).collect()
}

fn all_members_restricted() -> RestrictedModeSetting {
    RestrictedModeSetting {
        status: Some(false),
        screenshot_has_permission_setting: Some(RestrictedPermission::AllMembers),
        download_has_permission_setting: Some(RestrictedPermission::AllMembers),
        message_has_permission_setting: Some(RestrictedPermission::AllMembers),
        extra: Extra::default(),
    }
}

fn example_i18n_names() -> I18nNames {
    I18nNames {
        zh_cn: Some("群聊".into()),
        en_us: Some("group chat".into()),
        ja_jp: Some("グループチャット".into()),
        extra: Extra::default(),
    }
}

// ---------------------------------------------------------------------------
// endpoint metadata
// ---------------------------------------------------------------------------

fn meta<E: Endpoint>() -> (
    &'static str,
    Method,
    &'static str,
    Vec<TokenKind>,
    bool,
    RateLimit,
) {
    (
        E::OPERATION,
        E::METHOD,
        E::PATH,
        E::TOKENS.to_vec(),
        E::IDEMPOTENT,
        E::RATE_LIMIT,
    )
}

fn doc<E: Endpoint>() -> &'static str {
    E::DOC
}

#[rstest]
#[case(meta::<CreateChat>(), "im.v1.chat.create", Method::Post, "/open-apis/im/v1/chats", false)]
#[case(meta::<DeleteChat>(), "im.v1.chat.delete", Method::Delete, "/open-apis/im/v1/chats/:chat_id", true)]
#[case(meta::<UpdateChat>(), "im.v1.chat.update", Method::Put, "/open-apis/im/v1/chats/:chat_id", true)]
#[case(meta::<GetChat>(), "im.v1.chat.get", Method::Get, "/open-apis/im/v1/chats/:chat_id", true)]
#[case(meta::<ListChats>(), "im.v1.chat.list", Method::Get, "/open-apis/im/v1/chats", true)]
#[case(meta::<SearchChats>(), "im.v1.chat.search", Method::Get, "/open-apis/im/v1/chats/search", true)]
#[case(meta::<GetChatLink>(), "im.v1.chat.link", Method::Post, "/open-apis/im/v1/chats/:chat_id/link", true)]
#[case(
    meta::<GetChatModeration>(),
    "im.v1.chat.moderation.get",
    Method::Get,
    "/open-apis/im/v1/chats/:chat_id/moderation",
    true
)]
#[case(
    meta::<UpdateChatModeration>(),
    "im.v1.chat.moderation.update",
    Method::Put,
    "/open-apis/im/v1/chats/:chat_id/moderation",
    true
)]
#[case(
    meta::<PutTopNotice>(),
    "im.v1.chat.top_notice.put_top_notice",
    Method::Post,
    "/open-apis/im/v1/chats/:chat_id/top_notice/put_top_notice",
    true
)]
#[case(
    meta::<DeleteTopNotice>(),
    "im.v1.chat.top_notice.delete_top_notice",
    Method::Post,
    "/open-apis/im/v1/chats/:chat_id/top_notice/delete_top_notice",
    true
)]
fn endpoint_metadata_matches_the_docs(
    #[case] actual: (
        &'static str,
        Method,
        &'static str,
        Vec<TokenKind>,
        bool,
        RateLimit,
    ),
    #[case] operation: &str,
    #[case] method: Method,
    #[case] path: &str,
    #[case] idempotent: bool,
) {
    let (op, m, p, tokens, idem, rate) = actual;
    assert_eq!(op, operation);
    assert_eq!(m, method);
    assert_eq!(p, path);
    assert_eq!(idem, idempotent, "{operation}");
    assert_eq!(rate, RateLimit::GROUP);
    // Only chat create is tenant-only; every other page accepts both tokens.
    let expected = if operation == "im.v1.chat.create" {
        vec![TokenKind::Tenant]
    } else {
        vec![TokenKind::Tenant, TokenKind::User]
    };
    assert_eq!(tokens, expected, "{operation}");
}

#[rstest]
#[case(doc::<CreateChat>(), "reference/im-v1/chat/create")]
#[case(doc::<DeleteChat>(), "reference/im-v1/chat/delete")]
#[case(doc::<UpdateChat>(), "reference/im-v1/chat/update")]
#[case(doc::<GetChat>(), "reference/im-v1/chat/get")]
#[case(doc::<ListChats>(), "reference/im-v1/chat/list")]
#[case(doc::<SearchChats>(), "reference/im-v1/chat/search")]
#[case(doc::<GetChatLink>(), "reference/im-v1/chat/link")]
#[case(doc::<GetChatModeration>(), "reference/im-v1/chat-moderation/get")]
#[case(doc::<UpdateChatModeration>(), "reference/im-v1/chat-moderation/update")]
#[case(doc::<PutTopNotice>(), "reference/im-v1/chat-top_notice/put_top_notice")]
#[case(doc::<DeleteTopNotice>(), "reference/im-v1/chat-top_notice/delete_top_notice")]
fn doc_links_use_the_pages_full_path(#[case] doc: &str, #[case] tail: &str) {
    assert_eq!(
        doc,
        format!("https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/{tail}")
    );
}

// ---------------------------------------------------------------------------
// requests: the documented examples
// ---------------------------------------------------------------------------

#[test]
fn create_builds_the_documented_request() {
    let mut call = CreateChat::new().with_uuid("b13g2t38-1jd2-458b-8djf-dtbca5104204");
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.set_bot_manager = Some(false);
    call.body = CreateChatBody {
        avatar: Some("default-avatar_44ae0ca3-e140-494b-956f-78091e348435".into()),
        name: Some("测试群名称".into()),
        description: Some("测试群描述".into()),
        i18n_names: Some(example_i18n_names()),
        owner_id: Some("ou_7d8a6e6df7621556ce0d21922b676706ccs".into()),
        user_id_list: Some(ids(&["ou_7d8a6e6df7621556ce0d21922b676706ccs"])),
        bot_id_list: Some(vec!["cli_a10fbf7e94b8d01d".into()]),
        group_message_type: Some(GroupMessageType::Chat),
        chat_mode: Some(ChatMode::Group),
        chat_type: Some(ChatType::Private),
        join_message_visibility: Some(MessageVisibility::AllMembers),
        leave_message_visibility: Some(MessageVisibility::AllMembers),
        membership_approval: Some(MembershipApproval::NoApprovalRequired),
        restricted_mode_setting: Some(all_members_restricted()),
        urgent_setting: Some(WhoCan::AllMembers),
        video_conference_setting: Some(WhoCan::AllMembers),
        edit_permission: Some(WhoCan::AllMembers),
        hide_member_count_setting: Some(WhoCan::AllMembers),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.operation, "im.v1.chat.create");
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, "/open-apis/im/v1/chats");
    assert_eq!(
        query(&req),
        sorted(&[
            ("user_id_type", "open_id"),
            ("set_bot_manager", "false"),
            ("uuid", "b13g2t38-1jd2-458b-8djf-dtbca5104204"),
        ])
    );
    assert_eq!(body(&req), request_fixture::<CreateChat>());
    // POST is not idempotent, but the uuid makes a retry safe.
    assert!(!req.idempotent);
    assert_eq!(
        req.idempotency_key.as_deref(),
        Some("b13g2t38-1jd2-458b-8djf-dtbca5104204")
    );
}

#[test]
fn create_without_uuid_carries_no_idempotency_key_and_an_empty_body() {
    let req = CreateChat::new().to_request().unwrap();
    assert_eq!(req.idempotency_key, None);
    assert!(req.query.is_empty());
    assert_eq!(body(&req), json!({}));
    assert_eq!(CreateChatQuery::default().idempotency_key(), None);
}

#[test]
fn create_body_decodes_the_documented_example_losslessly() {
    let example = request_fixture::<CreateChat>();
    let decoded: CreateChatBody = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(serde_json::to_value(&decoded).unwrap(), example);
}

#[test]
fn delete_builds_the_documented_request() {
    let req = DeleteChat::new(CHAT).to_request().unwrap();
    assert_eq!(req.method, Method::Delete);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}"));
    assert!(req.query.is_empty());
    assert_eq!(req.body, None);
    assert!(req.idempotent);
}

#[test]
fn update_builds_the_documented_request() {
    let mut call = UpdateChat::new(CHAT);
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.body = UpdateChatBody {
        avatar: Some("default-avatar_44ae0ca3-e140-494b-956f-78091e348435".into()),
        name: Some("群聊".into()),
        description: Some("测试群描述".into()),
        i18n_names: Some(example_i18n_names()),
        add_member_permission: Some(WhoCan::AllMembers),
        share_card_permission: Some(ShareCardPermission::Allowed),
        at_all_permission: Some(WhoCan::AllMembers),
        edit_permission: Some(WhoCan::AllMembers),
        owner_id: Some("4d7a3c6g".into()),
        join_message_visibility: Some(MessageVisibility::OnlyOwner),
        leave_message_visibility: Some(MessageVisibility::OnlyOwner),
        membership_approval: Some(MembershipApproval::NoApprovalRequired),
        restricted_mode_setting: Some(all_members_restricted()),
        chat_type: Some(ChatType::Private),
        group_message_type: Some(GroupMessageType::Chat),
        urgent_setting: Some(WhoCan::AllMembers),
        video_conference_setting: Some(WhoCan::AllMembers),
        hide_member_count_setting: Some(WhoCan::AllMembers),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}"));
    assert_eq!(query(&req), sorted(&[("user_id_type", "open_id")]));
    assert_eq!(body(&req), request_fixture::<UpdateChat>());
}

#[test]
fn get_builds_the_documented_request() {
    let mut call = GetChat::new(CHAT);
    call.query.user_id_type = Some(UserIdType::OpenId);
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}"));
    assert_eq!(query(&req), sorted(&[("user_id_type", "open_id")]));
    assert_eq!(req.body, None);
}

#[test]
fn list_builds_the_documented_request() {
    let mut call = ListChats::new();
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.sort_type = Some(ChatSortType::ByCreateTimeAsc);
    call.query.page = Page {
        page_size: Some(10),
        page_token: Some(PAGE_TOKEN.into()),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/open-apis/im/v1/chats");
    assert_eq!(
        query(&req),
        sorted(&[
            ("user_id_type", "open_id"),
            ("sort_type", "ByCreateTimeAsc"),
            ("page_token", PAGE_TOKEN),
            ("page_size", "10"),
        ])
    );
    assert_eq!(req.body, None);
}

#[test]
fn search_builds_the_documented_request() {
    let mut call = SearchChats::new("abc");
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.page = Page {
        page_size: Some(10),
        page_token: Some(PAGE_TOKEN.into()),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.path, "/open-apis/im/v1/chats/search");
    assert_eq!(
        query(&req),
        sorted(&[
            ("user_id_type", "open_id"),
            ("query", "abc"),
            ("page_token", PAGE_TOKEN),
            ("page_size", "10"),
        ])
    );
    assert_eq!(req.body, None);
}

#[test]
fn link_builds_the_documented_request() {
    let mut call = GetChatLink::new(CHAT);
    call.body = ChatLinkBody {
        validity_period: Some(LinkValidityPeriod::Week),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, format!("/open-apis/im/v1/chats/{CHAT}/link"));
    assert!(req.query.is_empty());
    assert_eq!(body(&req), request_fixture::<GetChatLink>());
    assert_eq!(
        body(&GetChatLink::new(CHAT).to_request().unwrap()),
        json!({})
    );
}

#[test]
fn moderation_get_builds_the_documented_request() {
    // The page swaps the example values of page_size and page_token (and
    // files the "at most 100" rule under page_token); these are the values
    // as they are meant.
    let mut call = GetChatModeration::new(CHAT);
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.query.page = Page {
        page_size: Some(10),
        page_token: Some(PAGE_TOKEN.into()),
    };
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Get);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{CHAT}/moderation")
    );
    assert_eq!(
        query(&req),
        sorted(&[
            ("user_id_type", "open_id"),
            ("page_token", PAGE_TOKEN),
            ("page_size", "10"),
        ])
    );
    assert_eq!(req.body, None);
}

fn documented_moderation_update() -> UpdateChatModeration {
    let mut call = UpdateChatModeration::new(CHAT, ModerationPermission::ModeratorList);
    call.query.user_id_type = Some(UserIdType::OpenId);
    call.body.moderator_added_list = Some(ids(&["4d7a3c6g"]));
    call.body.moderator_removed_list = Some(ids(&["4d7a3c6g"]));
    call
}

#[test]
fn moderation_update_body_encodes_the_documented_example() {
    let call = documented_moderation_update();
    assert_eq!(
        serde_json::to_value(&call.body).unwrap(),
        request_fixture::<UpdateChatModeration>()
    );
    let decoded: UpdateChatModerationBody =
        serde_json::from_value(request_fixture::<UpdateChatModeration>()).unwrap();
    assert_eq!(decoded, call.body);
}

#[test]
fn moderation_update_documented_example_is_what_goes_on_the_wire() {
    // The page's example names one id in both lists; the server decides.
    let req = documented_moderation_update().to_request().unwrap();
    assert_eq!(body(&req), request_fixture::<UpdateChatModeration>());
}

#[test]
fn moderation_update_builds_the_request() {
    let mut call = documented_moderation_update();
    call.body.moderator_removed_list = Some(ids(&["5e8b4d7h"]));
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Put);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{CHAT}/moderation")
    );
    assert_eq!(query(&req), sorted(&[("user_id_type", "open_id")]));
    assert_eq!(
        body(&req),
        json!({
            "moderation_setting": "moderator_list",
            "moderator_added_list": ["4d7a3c6g"],
            "moderator_removed_list": ["5e8b4d7h"]
        })
    );
    assert!(req.idempotent);
}

#[test]
fn put_top_notice_builds_the_documented_request() {
    let call = PutTopNotice::new(
        TOP_NOTICE_CHAT,
        TopNotice {
            action_type: Some(TopNoticeActionType::Announcement),
            message_id: Some("om_dc13264520392913993dd051dba21dcf".into()),
        },
    );
    let req = call.to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{TOP_NOTICE_CHAT}/top_notice/put_top_notice")
    );
    assert!(req.query.is_empty());
    assert_eq!(body(&req), request_fixture::<PutTopNotice>());
    assert!(req.idempotent);
}

#[test]
fn top_notice_helpers_build_valid_notices() {
    let msg = PutTopNotice::new(TOP_NOTICE_CHAT, TopNotice::message("om_1"));
    assert_eq!(
        body(&msg.to_request().unwrap()),
        json!({"chat_top_notice": [{"action_type": "1", "message_id": "om_1"}]})
    );
    let ann = PutTopNotice::new(TOP_NOTICE_CHAT, TopNotice::announcement());
    assert_eq!(
        body(&ann.to_request().unwrap()),
        json!({"chat_top_notice": [{"action_type": "2"}]})
    );
}

#[test]
fn delete_top_notice_builds_the_documented_request() {
    let req = DeleteTopNotice::new(TOP_NOTICE_CHAT).to_request().unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.path,
        format!("/open-apis/im/v1/chats/{TOP_NOTICE_CHAT}/top_notice/delete_top_notice")
    );
    assert!(req.query.is_empty());
    assert_eq!(req.body, None);
    assert!(req.idempotent);
}

// ---------------------------------------------------------------------------
// responses: the documented examples decode, re-encode, and leave nothing untyped
// ---------------------------------------------------------------------------

/// Every `extra` map of a decoded output, nested ones included.
trait Extras {
    fn extras(&self) -> Vec<&Extra>;
}

fn nested<'a>(
    i18n: Option<&'a I18nNames>,
    restricted: Option<&'a RestrictedModeSetting>,
) -> Vec<&'a Extra> {
    i18n.map(|n| &n.extra)
        .into_iter()
        .chain(restricted.map(|r| &r.extra))
        .collect()
}

impl Extras for CreatedChat {
    fn extras(&self) -> Vec<&Extra> {
        let mut v = vec![&self.extra];
        v.extend(nested(
            self.i18n_names.as_ref(),
            self.restricted_mode_setting.as_ref(),
        ));
        v
    }
}

impl Extras for Chat {
    fn extras(&self) -> Vec<&Extra> {
        let mut v = vec![&self.extra];
        v.extend(nested(
            self.i18n_names.as_ref(),
            self.restricted_mode_setting.as_ref(),
        ));
        v
    }
}

impl Extras for ChatPage {
    fn extras(&self) -> Vec<&Extra> {
        let mut v = vec![&self.extra];
        v.extend(self.items.iter().flatten().map(|i| &i.extra));
        v
    }
}

impl Extras for ChatShareLink {
    fn extras(&self) -> Vec<&Extra> {
        vec![&self.extra]
    }
}

impl Extras for ChatModeration {
    fn extras(&self) -> Vec<&Extra> {
        let mut v = vec![&self.extra];
        v.extend(self.items.iter().flatten().map(|i| &i.extra));
        v
    }
}

impl Extras for Empty {
    fn extras(&self) -> Vec<&Extra> {
        vec![&self.extra]
    }
}

fn check_response<E: Endpoint>()
where
    E::Output: Extras,
{
    let data = response_data::<E>();
    let decoded: E::Output = serde_json::from_value(data.clone()).expect(E::OPERATION);
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        data,
        "{} does not re-encode to the documented data",
        E::OPERATION
    );
    for extra in decoded.extras() {
        assert!(
            extra.is_empty(),
            "{}: untyped documented fields {:?}",
            E::OPERATION,
            extra
        );
    }
}

#[rstest]
#[case::create(check_response::<CreateChat> as fn())]
#[case::delete(check_response::<DeleteChat> as fn())]
#[case::update(check_response::<UpdateChat> as fn())]
#[case::get(check_response::<GetChat> as fn())]
#[case::list(check_response::<ListChats> as fn())]
#[case::search(check_response::<SearchChats> as fn())]
#[case::link(check_response::<GetChatLink> as fn())]
#[case::moderation_get(check_response::<GetChatModeration> as fn())]
#[case::moderation_update(check_response::<UpdateChatModeration> as fn())]
#[case::put_top_notice(check_response::<PutTopNotice> as fn())]
#[case::delete_top_notice(check_response::<DeleteTopNotice> as fn())]
fn documented_response_round_trips_with_every_field_typed(#[case] check: fn()) {
    check();
}

#[test]
fn create_response_keeps_the_documented_odd_permission_values() {
    // The example answers "all members" (with a space) for three permissions:
    // kept verbatim as an unknown value rather than refused or normalized.
    let out: CreatedChat = serde_json::from_value(response_data::<CreateChat>()).unwrap();
    assert_eq!(out.chat_id.as_str(), CHAT);
    assert_eq!(
        out.add_member_permission,
        Some(WhoCan::Unknown("all members".into()))
    );
    assert_eq!(out.urgent_setting, Some(WhoCan::AllMembers));
    assert_eq!(out.owner_id_type, Some(UserIdType::OpenId));
}

#[test]
fn get_response_fields_are_typed_as_documented() {
    let out: Chat = serde_json::from_value(response_data::<GetChat>()).unwrap();
    assert_eq!(out.user_count.as_deref(), Some("1"));
    assert_eq!(out.bot_count.as_deref(), Some("3"));
    assert_eq!(out.owner_id_type, Some(UserIdType::UserId));
    assert_eq!(
        out.bot_manager_id_list.unwrap()[0].as_str(),
        "cli_a3e157960e7294c"
    );
    assert_eq!(
        out.chat_status,
        Some(feishu_model::im::types::ChatStatus::Normal)
    );
}

#[test]
fn list_and_search_pages_expose_pagination() {
    let list: ChatPage = serde_json::from_value(response_data::<ListChats>()).unwrap();
    assert!(!list.has_more());
    assert_eq!(list.page_token(), Some(PAGE_TOKEN));
    let search: ChatPage = serde_json::from_value(response_data::<SearchChats>()).unwrap();
    assert!(search.has_more());
    let items = search.into_items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].chat_id.as_str(), CHAT);
    assert_eq!(ChatPage::default().into_items(), Vec::<ChatSummary>::new());
    assert!(!ChatPage::default().has_more());
}

#[test]
fn moderation_page_exposes_pagination() {
    let out: ChatModeration = serde_json::from_value(response_data::<GetChatModeration>()).unwrap();
    assert_eq!(
        out.moderation_setting,
        Some(ModerationPermission::ModeratorList)
    );
    assert!(out.has_more());
    assert_eq!(out.page_token(), Some(PAGE_TOKEN));
    let items: Vec<Moderator> = out.into_items();
    assert_eq!(items[0].user_id.as_ref().unwrap().as_str(), "4d7a3c6g");
    assert_eq!(items[0].user_id_type, Some(UserIdType::UserId));
}

#[test]
fn paged_queries_take_the_next_token() {
    let mut list = ListChats::new();
    list.query.set_page_token(Some("next".into()));
    assert_eq!(list.query.page.page_token.as_deref(), Some("next"));
    let mut search = SearchChats::new("abc");
    search.query.set_page_token(Some("next".into()));
    assert_eq!(
        query(&search.to_request().unwrap()),
        sorted(&[("page_token", "next"), ("query", "abc")])
    );
    let mut moderation = GetChatModeration::new(CHAT);
    moderation.query.set_page_token(Some("next".into()));
    moderation.query.set_page_token(None);
    assert!(moderation.to_request().unwrap().query.is_empty());
}

// ---------------------------------------------------------------------------
// validation: every documented rule, refused by field name
// ---------------------------------------------------------------------------

fn field(result: Result<RequestSpec, Invalid>) -> String {
    result.expect_err("expected a validation error").field
}

#[rstest]
#[case::uuid_too_long("x".repeat(51), Some("uuid"))]
#[case::uuid_empty(String::new(), Some("uuid"))]
#[case::uuid_at_limit("x".repeat(50), None)]
fn create_uuid_is_at_most_50_characters(#[case] uuid: String, #[case] err: Option<&str>) {
    let result = CreateChat::new().with_uuid(uuid).to_request();
    assert_eq!(result.err().map(|e| e.field), err.map(str::to_owned));
}

#[test]
fn create_invites_at_most_50_users() {
    let mut call = CreateChat::new();
    let users: Vec<String> = (0..51).map(|i| format!("ou_{i}")).collect();
    let refs: Vec<&str> = users.iter().map(String::as_str).collect();
    call.body.user_id_list = Some(ids(&refs));
    assert_eq!(field(call.to_request()), "user_id_list");
    call.body.user_id_list = Some(ids(&refs[..50]));
    assert!(call.to_request().is_ok());
}

#[test]
fn create_invites_at_most_5_bots() {
    let mut call = CreateChat::new();
    call.body.bot_id_list = Some((0..6).map(|i| format!("cli_{i}").into()).collect());
    assert_eq!(field(call.to_request()), "bot_id_list");
    call.body.bot_id_list = Some((0..5).map(|i| format!("cli_{i}").into()).collect());
    assert!(call.to_request().is_ok());
}

#[rstest]
#[case::public_without_name(ChatType::Public, None, Some("name"))]
#[case::public_one_char(ChatType::Public, Some("群"), Some("name"))]
#[case::public_two_chars(ChatType::Public, Some("群聊"), None)]
#[case::private_without_name(ChatType::Private, None, None)]
#[case::private_one_char(ChatType::Private, Some("群"), None)]
fn create_public_chat_needs_a_name_of_two_characters(
    #[case] chat_type: ChatType,
    #[case] name: Option<&str>,
    #[case] err: Option<&str>,
) {
    let mut call = CreateChat::new();
    call.body.chat_type = Some(chat_type);
    call.body.name = name.map(str::to_owned);
    assert_eq!(
        call.to_request().err().map(|e| e.field),
        err.map(str::to_owned)
    );
}

#[test]
fn update_public_chat_name_needs_two_characters() {
    let mut call = UpdateChat::new(CHAT);
    call.body.chat_type = Some(ChatType::Public);
    call.body.name = Some("x".into());
    assert_eq!(field(call.to_request()), "name");
    call.body.name = None; // name unchanged
    assert!(call.to_request().is_ok());
}

#[rstest]
#[case(ChatMode::Topic, Some("chat_mode"))]
#[case(ChatMode::P2p, Some("chat_mode"))]
#[case(ChatMode::Group, None)]
fn create_only_makes_group_mode_chats(#[case] mode: ChatMode, #[case] err: Option<&str>) {
    let mut call = CreateChat::new();
    call.body.chat_mode = Some(mode);
    assert_eq!(
        call.to_request().err().map(|e| e.field),
        err.map(str::to_owned)
    );
}

fn restricted(
    status: Option<bool>,
    screenshot: Option<RestrictedPermission>,
    download: Option<RestrictedPermission>,
    message: Option<RestrictedPermission>,
) -> RestrictedModeSetting {
    RestrictedModeSetting {
        status,
        screenshot_has_permission_setting: screenshot,
        download_has_permission_setting: download,
        message_has_permission_setting: message,
        extra: Extra::default(),
    }
}

const ALL: Option<RestrictedPermission> = Some(RestrictedPermission::AllMembers);
const NOT: Option<RestrictedPermission> = Some(RestrictedPermission::NotAnyone);

#[rstest]
// status true: not all three all_members (absent ones default to all_members on create)
#[case::on_create_all_default(true, restricted(Some(true), None, None, None), false)]
#[case::on_create_all_members(true, restricted(Some(true), ALL, ALL, ALL), false)]
#[case::on_create_one_not_anyone(true, restricted(Some(true), None, NOT, None), true)]
#[case::on_update_only_status(false, restricted(Some(true), None, None, None), true)]
#[case::on_update_all_members(false, restricted(Some(true), ALL, ALL, ALL), false)]
#[case::on_update_one_not_anyone(false, restricted(Some(true), ALL, NOT, ALL), true)]
// status false: no not_anyone (absent status means false on create)
#[case::off_create_not_anyone(true, restricted(Some(false), NOT, None, None), false)]
#[case::off_create_default_status(true, restricted(None, None, None, NOT), false)]
#[case::off_create_all_members(true, restricted(Some(false), ALL, ALL, ALL), true)]
#[case::off_update_not_anyone(false, restricted(Some(false), None, NOT, None), false)]
#[case::unchanged_status_on_update(false, restricted(None, NOT, NOT, NOT), true)]
fn restricted_mode_rules(
    #[case] on_create: bool,
    #[case] setting: RestrictedModeSetting,
    #[case] ok: bool,
) {
    let result = if on_create {
        let mut call = CreateChat::new();
        call.body.restricted_mode_setting = Some(setting);
        call.to_request()
    } else {
        let mut call = UpdateChat::new(CHAT);
        call.body.restricted_mode_setting = Some(setting);
        call.to_request()
    };
    match result {
        Ok(_) => assert!(ok, "expected a refusal"),
        Err(e) => {
            assert!(!ok, "unexpected refusal: {e}");
            assert_eq!(e.field, "restricted_mode_setting");
        }
    }
}

#[rstest]
#[case::only_add(Some(WhoCan::AllMembers), None, Some("share_card_permission"))]
#[case::only_share(
    None,
    Some(ShareCardPermission::Allowed),
    Some("add_member_permission")
)]
#[case::owner_allowed(
    Some(WhoCan::OnlyOwner),
    Some(ShareCardPermission::Allowed),
    Some("share_card_permission")
)]
#[case::all_not_allowed(
    Some(WhoCan::AllMembers),
    Some(ShareCardPermission::NotAllowed),
    Some("share_card_permission")
)]
#[case::owner_not_allowed(Some(WhoCan::OnlyOwner), Some(ShareCardPermission::NotAllowed), None)]
#[case::all_allowed(Some(WhoCan::AllMembers), Some(ShareCardPermission::Allowed), None)]
#[case::neither(None, None, None)]
fn update_add_member_and_share_card_permissions_go_together(
    #[case] add: Option<WhoCan>,
    #[case] share: Option<ShareCardPermission>,
    #[case] err: Option<&str>,
) {
    let mut call = UpdateChat::new(CHAT);
    call.body.add_member_permission = add;
    call.body.share_card_permission = share;
    assert_eq!(
        call.to_request().err().map(|e| e.field),
        err.map(str::to_owned)
    );
}

#[rstest]
#[case::list_over(101, true)]
#[case::list_zero(0, true)]
#[case::list_max(100, false)]
fn list_page_size_is_at_most_100(#[case] size: u32, #[case] refused: bool) {
    let mut call = ListChats::new();
    call.query.page.page_size = Some(size);
    assert_eq!(call.to_request().err().map(|e| e.field).is_some(), refused);
    if refused {
        assert_eq!(field(call.to_request()), "page_size");
    }
}

#[test]
fn search_page_size_is_at_most_100() {
    let mut call = SearchChats::new("abc");
    call.query.page.page_size = Some(101);
    assert_eq!(field(call.to_request()), "page_size");
    call.query.page.page_size = Some(100);
    assert!(call.to_request().is_ok());
}

#[test]
fn moderation_page_size_is_at_most_100() {
    let mut call = GetChatModeration::new(CHAT);
    call.query.page.page_size = Some(101);
    assert_eq!(field(call.to_request()), "page_size");
    call.query.page.page_size = Some(100);
    assert!(call.to_request().is_ok());
}

#[rstest]
#[case::empty(String::new(), Some("query"))]
#[case::too_long("群".repeat(65), Some("query"))]
#[case::at_limit("群".repeat(64), None)]
fn search_keyword_is_1_to_64_characters(#[case] keyword: String, #[case] err: Option<&str>) {
    assert_eq!(
        SearchChats::new(keyword)
            .to_request()
            .err()
            .map(|e| e.field),
        err.map(str::to_owned)
    );
}

#[test]
fn search_without_keyword_is_allowed() {
    let mut call = SearchChats::new("x");
    call.query.query = None;
    assert!(call.to_request().unwrap().query.is_empty());
}

#[test]
fn moderation_lists_only_apply_to_moderator_list() {
    let mut call = UpdateChatModeration::new(CHAT, ModerationPermission::AllMembers);
    assert!(call.to_request().is_ok());
    call.body.moderator_added_list = Some(ids(&["a"]));
    assert_eq!(field(call.to_request()), "moderator_added_list");
    call.body.moderator_added_list = None;
    call.body.moderator_removed_list = Some(ids(&["a"]));
    assert_eq!(field(call.to_request()), "moderator_removed_list");
    // Without a mode the chat may already be in moderator_list mode.
    call.body.moderation_setting = None;
    assert!(call.to_request().is_ok());
}

#[test]
fn put_top_notice_needs_at_least_one_notice() {
    let mut call = PutTopNotice::new(TOP_NOTICE_CHAT, TopNotice::announcement());
    call.body = PutTopNoticeBody {
        chat_top_notice: vec![],
    };
    assert_eq!(field(call.to_request()), "chat_top_notice");
}

#[rstest]
#[case::message_without_id(Some(TopNoticeActionType::Message), None, Some("message_id"))]
#[case::message_empty_id(Some(TopNoticeActionType::Message), Some(""), Some("message_id"))]
#[case::message_with_id(Some(TopNoticeActionType::Message), Some("om_1"), None)]
#[case::announcement(Some(TopNoticeActionType::Announcement), None, None)]
#[case::default_type(None, None, None)]
fn put_top_notice_message_needs_message_id(
    #[case] action_type: Option<TopNoticeActionType>,
    #[case] message_id: Option<&str>,
    #[case] err: Option<&str>,
) {
    let call = PutTopNotice::new(
        TOP_NOTICE_CHAT,
        TopNotice {
            action_type,
            message_id: message_id.map(str::to_owned),
        },
    );
    assert_eq!(
        call.to_request().err().map(|e| e.field),
        err.map(str::to_owned)
    );
}

#[test]
fn empty_chat_id_is_refused_by_name() {
    assert_eq!(field(DeleteChat::new("").to_request()), "chat_id");
    assert_eq!(field(GetChat::new("").to_request()), "chat_id");
    assert_eq!(field(UpdateChat::new("").to_request()), "chat_id");
    assert_eq!(field(GetChatLink::new("").to_request()), "chat_id");
    assert_eq!(field(GetChatModeration::new("").to_request()), "chat_id");
    assert_eq!(
        field(UpdateChatModeration::new("", ModerationPermission::AllMembers).to_request()),
        "chat_id"
    );
    assert_eq!(
        field(PutTopNotice::new("", TopNotice::announcement()).to_request()),
        "chat_id"
    );
    assert_eq!(field(DeleteTopNotice::new("").to_request()), "chat_id");
}

#[test]
fn query_structs_decode_text_from_case_files() {
    let q: CreateChatQuery =
        serde_json::from_value(json!({"set_bot_manager": "true", "uuid": "u"})).unwrap();
    assert_eq!(q.set_bot_manager, Some(true));
    assert_eq!(q.idempotency_key(), Some("u"));
    let q: feishu_model::im::chat::ListChatsQuery =
        serde_json::from_value(json!({"page_size": "10", "sort_type": "ByActiveTimeDesc"}))
            .unwrap();
    assert_eq!(q.page.page_size, Some(10));
    assert_eq!(q.sort_type, Some(ChatSortType::ByActiveTimeDesc));
}

// ---------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------

const KEYS: &[&str] = &[
    "chat_id",
    "avatar",
    "name",
    "description",
    "i18n_names",
    "owner_id",
    "owner_id_type",
    "add_member_permission",
    "share_card_permission",
    "chat_mode",
    "chat_type",
    "chat_tag",
    "external",
    "tenant_key",
    "user_count",
    "user_manager_id_list",
    "bot_manager_id_list",
    "restricted_mode_setting",
    "chat_status",
    "items",
    "has_more",
    "page_token",
    "share_link",
    "expire_time",
    "is_permanent",
    "moderation_setting",
    "user_id_type",
    "user_id",
];

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[a-z_ ]{0,8}".prop_map(Value::String),
        prop::sample::select(vec!["all_members", "open_id", "normal", "oc_1", "1"])
            .prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_owned),
        "[a-z_]{1,10}",
    ]
}

fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json_value(), 0..8)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// Decoding never panics; what decodes re-encodes to something that decodes
/// to the same value.
fn decodes_stably<T>(value: &Value) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        let again: T = serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
        prop_assert_eq!(again, decoded);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn outputs_decode_arbitrary_objects_without_panicking(value in json_object()) {
        decodes_stably::<CreatedChat>(&value)?;
        decodes_stably::<Chat>(&value)?;
        decodes_stably::<ChatSummary>(&value)?;
        decodes_stably::<ChatPage>(&value)?;
        decodes_stably::<ChatShareLink>(&value)?;
        decodes_stably::<ChatModeration>(&value)?;
        decodes_stably::<Moderator>(&value)?;
        decodes_stably::<Empty>(&value)?;
    }

    #[test]
    fn enums_round_trip_any_string(s in ".*") {
        let json = serde_json::to_string(&s).unwrap();
        let sort: ChatSortType = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(sort.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_string(&sort).unwrap(), json.clone());
        let period: LinkValidityPeriod = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(period.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_string(&period).unwrap(), json.clone());
        let action: TopNoticeActionType = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(action.as_str(), s.as_str());
        prop_assert_eq!(serde_json::to_string(&action).unwrap(), json);
    }
}

#[test]
fn enums_know_the_documented_values() {
    assert_eq!(
        ChatSortType::KNOWN
            .iter()
            .map(ChatSortType::as_str)
            .collect::<Vec<_>>(),
        ["ByCreateTimeAsc", "ByActiveTimeDesc"]
    );
    assert_eq!(
        LinkValidityPeriod::KNOWN
            .iter()
            .map(LinkValidityPeriod::as_str)
            .collect::<Vec<_>>(),
        ["week", "year", "permanently"]
    );
    assert_eq!(TopNoticeActionType::from("1"), TopNoticeActionType::Message);
    assert_eq!(
        TopNoticeActionType::from("2"),
        TopNoticeActionType::Announcement
    );
    // action_type is a string on the wire, never a number.
    assert_eq!(
        serde_json::to_value(TopNoticeActionType::Message).unwrap(),
        json!("1")
    );
}

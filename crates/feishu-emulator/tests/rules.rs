//! The documented rules, in-process: who may do what, limits, pagination,
//! partial success, unsupported requests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use common::*;
use feishu_emulator::feishu_model::im::announcement::PatchAnnouncement;
use feishu_emulator::feishu_model::im::chat::{
    CreateChat, GetChat, GetChatLink, ListChats, SearchChats, UpdateChat,
};
use feishu_emulator::feishu_model::im::managers::AddManagers;
use feishu_emulator::feishu_model::im::members::{
    AddMembers, ListMembers, MeJoin, RemoveMembers, SucceedType,
};
use feishu_emulator::feishu_model::im::menu::{
    ChatMenuItem, ChatMenuTopLevel, ChatMenuTree, ChatMenuUpdateField, CreateChatMenuTree,
    GetChatMenuTree, PatchChatMenuItem, SortChatMenuTree,
};
use feishu_emulator::feishu_model::im::tab::{
    ChatTab, CreateChatTabs, DeleteChatTabs, ListChatTabs,
};
use feishu_emulator::feishu_model::im::types::{MembershipApproval, WhoCan};
use feishu_emulator::feishu_model::{AppId, MemberIdType, UserIdType};
use feishu_emulator::Emulator;
use serde_json::json;

fn default() -> Emulator {
    Emulator::with_default_fixture().unwrap()
}

#[tokio::test]
async fn operator_tenant_and_membership_are_checked() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let err = bot.call(GetChat::new(PARTNER_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232010));
    let err = bot.call(MeJoin::new(PARTNER_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232010));
    let err = bot.call(ListMembers::new(PUBLIC_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232011));
    let err = bot.call(GetChat::new("oc_nope")).await.unwrap_err();
    assert_eq!(err.code(), Some(232006));
}

#[tokio::test]
async fn get_shows_everything_to_members_and_little_to_others() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let outside = bot.call(GetChat::new(PUBLIC_CHAT)).await.unwrap();
    assert_eq!(outside.name.as_deref(), Some("公开讨论群"));
    assert_eq!(outside.user_count.as_deref(), Some("1"));
    assert_eq!(outside.bot_count.as_deref(), Some("1"));
    assert!(outside.avatar.is_some() && outside.chat_status.is_some());
    assert!(outside.chat_mode.is_none() && outside.owner_id.is_none());
    assert!(outside.add_member_permission.is_none() && outside.tenant_key.is_none());

    let inside = bot
        .call(GetChat::new(MAIN_CHAT))
        .user_id_type(UserIdType::UserId)
        .await
        .unwrap();
    assert_eq!(
        inside.owner_id.as_ref().map(|o| o.as_str()),
        Some("7d8a6e6d")
    );
    assert_eq!(inside.owner_id_type, Some(UserIdType::UserId));
    assert_eq!(inside.user_count.as_deref(), Some("28"));
    assert_eq!(inside.user_manager_id_list.unwrap()[0].as_str(), "9204a373");
    assert_eq!(inside.tenant_key.unwrap().as_str(), MAIN_TENANT);
}

#[tokio::test]
async fn adding_members_follows_add_member_permission() {
    let only_owner = fixture_with(|f| {
        chat_seed(f, PRIVATE_CHAT).add_member_permission = Some(WhoCan::OnlyOwner);
    });
    let emulator = Emulator::from_fixture(only_owner.clone()).unwrap();
    let helper = local_client(&emulator, HELPER);
    let err = helper
        .call(AddMembers::new(PRIVATE_CHAT, [LI_SI]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232017));

    let mut managed = only_owner;
    chat_seed(&mut managed, PRIVATE_CHAT).bot_managers = vec![AppId::from(HELPER)];
    let emulator = Emulator::from_fixture(managed).unwrap();
    let helper = local_client(&emulator, HELPER);
    helper
        .call(AddMembers::new(PRIVATE_CHAT, [LI_SI]))
        .await
        .unwrap();
}

#[tokio::test]
async fn at_most_50_ids_and_5_bots_per_add() {
    let emulator = default();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let path = format!("/open-apis/im/v1/chats/{MAIN_CHAT}/members");
    let ids: Vec<String> = (0..51).map(|i| format!("ou_{i}")).collect();
    let (status, body) = raw(
        &emulator,
        "POST",
        &path,
        Some(&token),
        Some(json!({"id_list": ids})),
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(232001)),
        "{body}"
    );
    assert_eq!(body["error"]["field_violations"][0]["field"], "id_list");
    let bots: Vec<String> = (0..6).map(|i| format!("cli_{i}")).collect();
    let (_, body) = raw(
        &emulator,
        "POST",
        &format!("{path}?member_id_type=app_id"),
        Some(&token),
        Some(json!({"id_list": bots})),
    );
    assert_eq!(body["code"], 232001, "{body}");
}

#[tokio::test]
async fn succeed_type_decides_what_unusable_ids_do() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let unknown = "ou_3e2b6d5b5d0a6e5be2c8b0c4c7b4a1f0";
    let err = bot
        .call(AddMembers::new(PRIVATE_CHAT, [LI_SI]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232011), "BOT is not in the private chat");

    let err = bot
        .call(AddMembers::new(MAIN_CHAT, ["ou_missing"]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(99992351));
    assert!(err.to_string().contains("ou_missing"), "{err}");

    let helper_member = bot
        .call(AddMembers::new(MAIN_CHAT, ["ou_missing", unknown, "m0026"]))
        .configure(|e| {
            e.query.succeed_type = Some(SucceedType::AddAvailable);
            e.query.member_id_type = Some(MemberIdType::UserId);
        })
        .await
        .unwrap();
    let missing: Vec<&str> = helper_member
        .not_existed_id_list
        .iter()
        .flatten()
        .map(|m| m.as_str())
        .collect();
    assert_eq!(missing, ["ou_missing", unknown]);

    let err = bot
        .call(AddMembers::new(MAIN_CHAT, ["gone0001"]))
        .configure(|e| {
            e.query.succeed_type = Some(SucceedType::FailOnUnavailable);
            e.query.member_id_type = Some(MemberIdType::UserId);
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232043));

    let out = bot
        .call(AddMembers::new(MAIN_CHAT, ["gone0001", "m0027"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    assert_eq!(out.invalid_id_list.unwrap()[0].as_str(), "gone0001");
    let total = bot
        .call(ListMembers::new(MAIN_CHAT))
        .await
        .unwrap()
        .member_total;
    assert_eq!(
        total,
        Some(30),
        "m0026 and m0027 were added, the resigned user was not"
    );
}

#[tokio::test]
async fn approval_required_chats_hold_additions_for_approval() {
    let fixture = fixture_with(|f| {
        chat_seed(f, PRIVATE_CHAT).membership_approval = Some(MembershipApproval::ApprovalRequired);
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let helper = local_client(&emulator, HELPER);
    let out = helper
        .call(AddMembers::new(PRIVATE_CHAT, [LI_SI]))
        .await
        .unwrap();
    assert_eq!(out.pending_approval_id_list.unwrap()[0].as_str(), LI_SI);
    let total = helper
        .call(ListMembers::new(PRIVATE_CHAT))
        .await
        .unwrap()
        .member_total;
    assert_eq!(total, Some(2));
}

#[tokio::test]
async fn pages_walk_every_member_and_chat_once() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let members = bot
        .call(ListMembers::new(MAIN_CHAT))
        .page_size(7)
        .collect_all()
        .await
        .unwrap();
    let ids: HashSet<_> = members.iter().map(|m| m.member_id.clone()).collect();
    assert_eq!((members.len(), ids.len()), (28, 28));
    let chats = bot
        .call(ListChats::new())
        .page_size(4)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(chats.len(), 15);
    let first = bot.call(ListChats::new()).page_size(20).await.unwrap();
    assert_eq!(first.has_more, Some(false));
    assert_eq!(first.page_token.as_deref(), Some(""));
    let err = bot
        .call(ListChats::new())
        .configure(|e| e.query.page.page_token = Some("bogus".into()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232001));
}

#[tokio::test]
async fn search_sees_member_chats_and_public_chats_of_the_tenant() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let found = bot.call(SearchChats::new("公开")).await.unwrap();
    let names: Vec<_> = found
        .items
        .unwrap()
        .into_iter()
        .filter_map(|c| c.name)
        .collect();
    assert_eq!(names, ["公开讨论群", "需审批公开群"]);
    let hidden = bot.call(SearchChats::new("私密")).await.unwrap();
    assert_eq!(hidden.items.unwrap().len(), 0);
    let by_member = bot.call(SearchChats::new("member 03")).await.unwrap();
    assert!(
        by_member.items.unwrap().len() >= 2,
        "matched by a member's name"
    );
}

#[tokio::test]
async fn update_follows_edit_permission_and_owner_rules() {
    let emulator = default();
    let helper = local_client(&emulator, HELPER);
    let mut rename = UpdateChat::new(PRIVATE_CHAT);
    rename.body.name = Some("renamed".into());
    helper.call(rename).await.unwrap();
    let mut settings = UpdateChat::new(PRIVATE_CHAT);
    settings.body.at_all_permission = Some(WhoCan::OnlyOwner);
    assert_eq!(
        helper.call(settings).await.unwrap_err().code(),
        Some(232016)
    );
    let mut transfer = UpdateChat::new(MAIN_CHAT);
    transfer.body.owner_id = Some("ou_missing".into());
    let bot = local_client(&emulator, BOT);
    assert_eq!(
        bot.call(transfer.clone()).await.unwrap_err().code(),
        Some(232035)
    );
    // Member 26 is in the tenant but not in the chat.
    transfer.body.owner_id = Some("m0026".into());
    let err = bot
        .call(transfer)
        .user_id_type(UserIdType::UserId)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232012));

    let locked =
        fixture_with(|f| chat_seed(f, PRIVATE_CHAT).edit_permission = Some(WhoCan::OnlyOwner));
    let emulator = Emulator::from_fixture(locked).unwrap();
    let helper = local_client(&emulator, HELPER);
    let mut rename = UpdateChat::new(PRIVATE_CHAT);
    rename.body.name = Some("renamed".into());
    assert_eq!(helper.call(rename).await.unwrap_err().code(), Some(232002));
}

#[tokio::test]
async fn managers_owner_only_and_at_most_ten() {
    let emulator = default();
    let helper = local_client(&emulator, HELPER);
    let err = helper
        .call(AddManagers::new(PRIVATE_CHAT, [LI_SI]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232038));
    let bot = local_client(&emulator, BOT);
    let err = bot
        .call(AddManagers::new(MAIN_CHAT, ["ou_missing"]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232027));
    let members = bot
        .call(ListMembers::new(MAIN_CHAT))
        .page_size(20)
        .await
        .unwrap();
    let ids: Vec<String> = members
        .items
        .unwrap()
        .into_iter()
        .filter_map(|m| m.member_id.map(|i| i.0))
        .filter(|id| id != LI_SI && id != ZHANG_SAN)
        .take(9)
        .collect();
    // One user and one bot manage the chat already: 9 more make 11.
    let err = bot
        .call(AddManagers::new(MAIN_CHAT, ids.clone()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232040));
    let out = bot
        .call(AddManagers::new(MAIN_CHAT, ids[..8].to_vec()))
        .await
        .unwrap();
    assert_eq!(
        out.chat_managers.unwrap().len() + out.chat_bot_managers.unwrap().len(),
        10
    );
}

#[tokio::test]
async fn removal_rules() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let err = bot
        .call(RemoveMembers::new(MAIN_CHAT, [LI_SI]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232076), "the owner cannot be removed");
    let helper = local_client(&emulator, HELPER);
    let err = helper
        .call(RemoveMembers::new(PRIVATE_CHAT, ["4d7a3c6g"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232014));
    // Anyone may leave.
    let out = helper
        .call(RemoveMembers::new(PRIVATE_CHAT, [HELPER, "cli_nope"]))
        .member_id_type(MemberIdType::AppId)
        .await
        .unwrap();
    assert_eq!(out.invalid_id_list.unwrap()[0].as_str(), "cli_nope");
    let err = helper
        .call(ListMembers::new(PRIVATE_CHAT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232011));
}

#[tokio::test]
async fn tab_and_menu_limits() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let tabs: Vec<ChatTab> = (0..18)
        .map(|i| ChatTab::url(format!("t{i}"), "https://e.com"))
        .collect();
    bot.call(CreateChatTabs::new(MAIN_CHAT, tabs))
        .await
        .unwrap();
    let err = bot
        .call(CreateChatTabs::new(
            MAIN_CHAT,
            vec![ChatTab::url("one too many", "https://e.com")],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232046));
    let listed = bot
        .call(ListChatTabs::new(MAIN_CHAT))
        .await
        .unwrap()
        .chat_tabs
        .unwrap();
    assert_eq!(listed.len(), 21);
    let message = listed[0].tab_id.clone().unwrap();
    let err = bot
        .call(DeleteChatTabs::new(MAIN_CHAT, [message]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232049));

    let three = ChatMenuTree::new(vec![
        ChatMenuTopLevel::new(ChatMenuItem::redirect("a", "https://e.com")),
        ChatMenuTopLevel::new(ChatMenuItem::redirect("b", "https://e.com")),
        ChatMenuTopLevel::new(ChatMenuItem::redirect("c", "https://e.com")),
    ]);
    let err = bot
        .call(CreateChatMenuTree::new(MAIN_CHAT, three))
        .await
        .unwrap_err();
    assert_eq!(
        err.code(),
        Some(232070),
        "one menu exists; three more make four"
    );
    let err = bot
        .call(SortChatMenuTree::new(
            MAIN_CHAT,
            ["6936075528890826780", "42"],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232072));
    let err = bot
        .call(PatchChatMenuItem::new(
            MAIN_CHAT,
            "7156553273518882844",
            vec![ChatMenuUpdateField::RedirectLink],
            ChatMenuItem::redirect("x", "https://e.com"),
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232078), "the action type cannot change");
    let tree = bot.call(GetChatMenuTree::new(MAIN_CHAT)).await.unwrap();
    assert_eq!(
        tree.menu_tree.unwrap().chat_menu_top_levels.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn share_links_and_announcement_revisions() {
    let locked = fixture_with(|f| {
        chat_seed(f, PRIVATE_CHAT).add_member_permission = Some(WhoCan::OnlyOwner)
    });
    let emulator = Emulator::from_fixture(locked).unwrap();
    let helper = local_client(&emulator, HELPER);
    let err = helper
        .call(GetChatLink::new(PRIVATE_CHAT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232064));
    let bot = local_client(&emulator, BOT);
    let link = bot.call(GetChatLink::new(MAIN_CHAT)).await.unwrap();
    assert!(link
        .share_link
        .unwrap()
        .starts_with("https://applink.feishu.cn/"));
    let err = bot
        .call(PatchAnnouncement::new(ANNOUNCEMENT_CHAT, "13", ["{}"]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232018), "revision 13 does not exist yet");
    bot.call(PatchAnnouncement::new(ANNOUNCEMENT_CHAT, "12", ["{}"]))
        .await
        .unwrap();
    bot.call(PatchAnnouncement::new(ANNOUNCEMENT_CHAT, "13", ["{}"]))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_user_token_acts_as_the_user() {
    let emulator = default();
    let bot = local_client(&emulator, BOT);
    let as_li = bot
        .call(GetChat::new(PRIVATE_CHAT))
        .user_access_token(LI_SI_USER_TOKEN)
        .await
        .unwrap();
    assert!(as_li.chat_mode.is_none(), "李四 is not in the private chat");
    let token = LI_SI_USER_TOKEN;
    let (status, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}/menu_tree"),
        Some(token),
        None,
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(99991668)),
        "{body}"
    );
    assert_eq!(body["msg"], "user access token not support");
}

#[tokio::test]
async fn create_deduplicates_by_uuid_and_ids_are_deterministic() {
    let first = default();
    let second = default();
    let create = || CreateChat::new().with_uuid("u-1");
    let a = local_client(&first, BOT).call(create()).await.unwrap();
    let again = local_client(&first, BOT).call(create()).await.unwrap();
    let b = local_client(&second, BOT).call(create()).await.unwrap();
    assert_eq!(a.chat_id, again.chat_id, "same uuid, same chat");
    assert_eq!(a.chat_id, b.chat_id, "same fixture, same ids");
    let id = a.chat_id.as_str();
    assert!(
        id.starts_with("oc_") && id.len() == 35 && id[3..].chars().all(|c| c.is_ascii_hexdigit())
    );
    let other = local_client(&first, BOT)
        .call(CreateChat::new().with_uuid("u-2"))
        .await
        .unwrap();
    assert_ne!(other.chat_id, a.chat_id);
    let mut public = CreateChat::new();
    public.body.chat_type = Some(feishu_emulator::feishu_model::im::types::ChatType::Public);
    public.body.name = Some("x".into());
    let err = local_client(&first, BOT).call(public).await.unwrap_err();
    // The SDK refuses it before sending; the server refuses it too.
    assert!(err.code().is_none());
    let token = tenant_token(&first, BOT, BOT_SECRET);
    let (_, body) = raw(
        &first,
        "POST",
        "/open-apis/im/v1/chats",
        Some(&token),
        Some(json!({"chat_type": "public", "name": "x"})),
    );
    assert_eq!(body["code"], 232020);
    let (_, body) = raw(
        &first,
        "POST",
        "/open-apis/im/v1/chats",
        Some(&token),
        Some(json!({"chat_type": "public"})),
    );
    assert_eq!(body["code"], 232042);
}

#[tokio::test]
async fn unsupported_requests_get_clear_errors() {
    let emulator = default();
    let (status, body) = raw(&emulator, "GET", "/open-apis/im/v1/nothing", None, None);
    assert_eq!((status, body["code"].as_i64()), (404, Some(404)));
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("/open-apis/im/v1/nothing"));
    let (status, body) = raw(
        &emulator,
        "PATCH",
        "/open-apis/im/v1/chats/search",
        None,
        None,
    );
    assert_eq!((status, body["code"].as_i64()), (405, Some(405)), "{body}");
    let (status, _) = raw(&emulator, "OPTIONS", "/open-apis/im/v1/chats", None, None);
    assert_eq!(status, 405);
}

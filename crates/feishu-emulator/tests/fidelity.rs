//! States the group and docx pages document an answer for: an app the
//! tenant disabled after its token was issued, an external chat the bot
//! has no external sharing for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::docx::AnnouncementType;
use feishu_emulator::feishu_model::im::types::ChatMode;
use feishu_emulator::feishu_model::{AppId, Secret};
use feishu_emulator::{Emulator, Fixture, TenantTokenSeed};
use serde_json::{json, Value};

const ISSUED: &str = "t-issued-before-the-app-was-disabled";

/// Seeds the token ISSUED as a tenant token of `app`.
fn issue_token(f: &mut Fixture, app: &str) {
    f.tenant_tokens.push(TenantTokenSeed {
        token: Secret::new(ISSUED),
        app_id: AppId::from(app),
    });
}

/// GETs `path` with `token` and asserts the answer's HTTP status and code; its body.
fn get_expecting(emulator: &Emulator, path: &str, token: &str, status: u16, code: i64) -> Value {
    let (got, body) = raw(emulator, "GET", path, Some(token), None);
    assert_eq!(
        (got, body["code"].as_i64()),
        (status, Some(code)),
        "{path}: {body}"
    );
    body
}

fn app_disabled_after_token() -> Emulator {
    let fixture = fixture_with(|f| {
        issue_token(f, BOT);
        app_seed(f, BOT).enabled = false;
    });
    Emulator::from_fixture(fixture).unwrap()
}

#[test]
fn a_disabled_app_gets_232034_on_group_calls_and_1772034_on_docx_calls() {
    let emulator = app_disabled_after_token();
    let chat = format!("/open-apis/im/v1/chats/{MAIN_CHAT}");
    let body = get_expecting(&emulator, &chat, ISSUED, 400, 232034);
    assert_eq!(
        body["msg"],
        "The app is unavailable or inactivated by the tenant."
    );
    let announcement = format!("/open-apis/docx/v1/chats/{MAIN_CHAT}/announcement");
    get_expecting(&emulator, &announcement, ISSUED, 400, 1772034);
    // No new token is handed out to a disabled app.
    let (status, body) = raw(
        &emulator,
        "POST",
        "/open-apis/auth/v3/tenant_access_token/internal",
        None,
        Some(serde_json::json!({"app_id": BOT, "app_secret": BOT_SECRET})),
    );
    assert_ne!(status, 200, "{body}");
}

#[test]
fn a_token_issued_before_start_works_while_the_app_is_enabled() {
    let fixture = fixture_with(|f| issue_token(f, BOT));
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let chat = format!("/open-apis/im/v1/chats/{MAIN_CHAT}");
    let body = get_expecting(&emulator, &chat, ISSUED, 200, 0);
    assert_eq!(body["data"]["tenant_key"], MAIN_TENANT);
}

#[test]
fn a_tenant_token_of_an_unknown_app_is_a_fixture_error() {
    let fixture = fixture_with(|f| issue_token(f, "cli_0000000000000000"));
    let err = Emulator::from_fixture(fixture).unwrap_err();
    assert!(err.to_string().contains("tenant_tokens[0]"), "{err}");
}

fn external_main_chat(sharing: bool) -> Emulator {
    let fixture = fixture_with(|f| {
        chat_seed(f, MAIN_CHAT).external = true;
        app_seed(f, BOT).external_sharing = sharing;
    });
    Emulator::from_fixture(fixture).unwrap()
}

#[test]
fn an_external_chat_needs_the_bots_external_sharing() {
    let emulator = external_main_chat(false);
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    for (path, code) in [
        (format!("/open-apis/im/v1/chats/{MAIN_CHAT}"), 232033),
        (
            format!("/open-apis/im/v1/chats/{MAIN_CHAT}/chat_tabs/list_tabs"),
            232033,
        ),
        (
            format!("/open-apis/docx/v1/chats/{MAIN_CHAT}/announcement"),
            1772004,
        ),
    ] {
        get_expecting(&emulator, &path, &token, 400, code);
    }
    let emulator = external_main_chat(true);
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let chat = format!("/open-apis/im/v1/chats/{MAIN_CHAT}");
    let body = get_expecting(&emulator, &chat, &token, 200, 0);
    assert_eq!(body["data"]["external"], true);
}

fn announcement_of_type(kind: AnnouncementType) -> Emulator {
    let fixture = fixture_with(|f| {
        let chat = chat_seed(f, ANNOUNCEMENT_CHAT);
        let seed = chat.announcement.get_or_insert_with(Default::default);
        seed.announcement_type = Some(kind);
    });
    Emulator::from_fixture(fixture).unwrap()
}

#[test]
fn an_upgraded_announcement_is_served_by_the_docx_api_only() {
    let emulator = announcement_of_type(AnnouncementType::Docx);
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let legacy = format!("/open-apis/im/v1/chats/{ANNOUNCEMENT_CHAT}/announcement");
    let body = get_expecting(&emulator, &legacy, &token, 400, 232097);
    assert_eq!(
        body["msg"],
        "Unable to operate docx type chat announcement."
    );
    let docx = format!("/open-apis/docx/v1/chats/{ANNOUNCEMENT_CHAT}/announcement");
    let body = get_expecting(&emulator, &docx, &token, 200, 0);
    assert_eq!(body["data"]["announcement_type"], "docx");
}

#[test]
fn a_legacy_announcement_is_served_by_the_legacy_api_only() {
    let emulator = announcement_of_type(AnnouncementType::Doc);
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let docx = format!("/open-apis/docx/v1/chats/{ANNOUNCEMENT_CHAT}/announcement/blocks");
    let body = get_expecting(&emulator, &docx, &token, 400, 1772006);
    assert_eq!(body["msg"], "announcement type is not supported");
    let legacy = format!("/open-apis/im/v1/chats/{ANNOUNCEMENT_CHAT}/announcement");
    let body = get_expecting(&emulator, &legacy, &token, 200, 0);
    assert_eq!(body["data"]["revision"], "12");
}

#[test]
fn chat_lists_answer_an_empty_description() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let (status, body) = raw(
        &emulator,
        "GET",
        "/open-apis/im/v1/chats?page_size=100",
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let items = body["data"]["items"].as_array().unwrap();
    let bare = items
        .iter()
        .find(|c| c["chat_id"] == "oc_12340000000000000000000000000000")
        .unwrap();
    assert_eq!(bare["description"], "");
    let main = items.iter().find(|c| c["chat_id"] == MAIN_CHAT).unwrap();
    assert_eq!(main["description"], "测试群描述");
}

#[test]
fn the_builtin_message_tab_has_no_content() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let (_, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}/chat_tabs/list_tabs"),
        Some(&token),
        None,
    );
    let tabs = body["data"]["chat_tabs"].as_array().unwrap();
    assert_eq!(
        tabs[0],
        json!({"tab_id": "7101214603622940633", "tab_type": "message"})
    );
    assert_eq!(
        tabs[1]["tab_content"],
        json!({"doc": "https://example.feishu.cn/wiki/wikcnPIcqWjJQwkwDzrB9t40123xz"})
    );
}

#[test]
fn the_seeded_announcement_blocks_are_read_and_new_blocks_have_no_children_key() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let base = format!("/open-apis/docx/v1/chats/{ANNOUNCEMENT_CHAT}/announcement/blocks");
    let (status, body) = raw(&emulator, "GET", &base, Some(&token), None);
    assert_eq!(status, 200, "{body}");
    let items = body["data"]["items"].as_array().unwrap();
    let ids: Vec<&str> = items
        .iter()
        .map(|b| b["block_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            ANNOUNCEMENT_CHAT,
            "EJ8pdBT6RoA2BtxKXfuc1TD0n8f",
            "WoF4dolv0ohvegxctR9c1t0sn4b",
            "UPD7dhkrLo8ZCfxoAYLcuEbDnzd"
        ]
    );
    assert_eq!(items[0]["page"]["style"], json!({"align": 1}));
    assert_eq!(items[0]["children"].as_array().unwrap().len(), 3);
    assert_eq!(
        items[1]["heading1"]["elements"][0]["text_run"]["content"],
        "新版群公告"
    );
    assert_eq!(items[2]["parent_id"], ANNOUNCEMENT_CHAT);
    let (status, body) = raw(
        &emulator,
        "POST",
        &format!("{base}/{ANNOUNCEMENT_CHAT}/children?revision_id=-1"),
        Some(&token),
        Some(
            json!({"index": 0, "children": [{"block_type": 2, "text": {"elements": [{"text_run": {"content": "新"}}], "style": {}}}]}),
        ),
    );
    assert_eq!(status, 200, "{body}");
    let created = &body["data"]["children"][0];
    assert!(created.get("children").is_none(), "{created}");
    assert_eq!(body["data"]["document_revision_id"], 2);
    let (_, body) = raw(&emulator, "GET", &base, Some(&token), None);
    assert_eq!(body["data"]["items"].as_array().unwrap().len(), 5);
    assert_eq!(body["data"]["items"][1]["block_id"], created["block_id"]);
}

#[test]
fn seeded_blocks_must_name_an_earlier_parent() {
    let fixture = fixture_with(|f| {
        let chat = chat_seed(f, ANNOUNCEMENT_CHAT);
        let seed = chat.announcement.as_mut().unwrap();
        seed.blocks[1].parent_id = Some("doxcnNoSuchBlock".to_owned());
    });
    let err = Emulator::from_fixture(fixture).unwrap_err();
    assert!(err.to_string().contains("announcement.blocks[1]"), "{err}");
}

#[test]
fn a_p2p_chat_has_no_announcement_on_either_api() {
    let fixture = fixture_with(|f| {
        chat_seed(f, ANNOUNCEMENT_CHAT).chat_mode = Some(ChatMode::P2p);
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    for (path, code) in [
        (
            format!("/open-apis/docx/v1/chats/{ANNOUNCEMENT_CHAT}/announcement"),
            1772001,
        ),
        (
            format!("/open-apis/im/v1/chats/{ANNOUNCEMENT_CHAT}/announcement"),
            232003,
        ),
    ] {
        let body = get_expecting(&emulator, &path, &token, 400, code);
        assert_eq!(
            body["msg"],
            "Chat announcement can NOT be found in chat information."
        );
    }
}

#[test]
fn a_token_of_a_deleted_app_gets_232004_on_group_calls() {
    let fixture = fixture_with(|f| {
        issue_token(f, HELPER);
        app_seed(f, HELPER).deleted = true;
        for chat in &mut f.chats {
            chat.bots.retain(|b| b.as_str() != HELPER);
            chat.bot_managers.retain(|b| b.as_str() != HELPER);
            if chat.creator.as_ref().map(|c| c.as_str()) == Some(HELPER) {
                chat.creator = None;
            }
        }
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    assert!(!emulator.app_ids().iter().any(|a| a.as_str() == HELPER));
    let body = get_expecting(&emulator, "/open-apis/im/v1/chats", ISSUED, 400, 232004);
    assert_eq!(body["msg"], "Such an app does NOT exist.");
    // Its credentials no longer get a token.
    let (status, body) = raw(
        &emulator,
        "POST",
        "/open-apis/auth/v3/tenant_access_token/internal",
        None,
        Some(json!({"app_id": HELPER, "app_secret": HELPER_SECRET})),
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.get("tenant_access_token").is_none());
}

#[test]
fn chat_features_a_tenant_turned_off_are_refused() {
    let fixture = fixture_with(|f| {
        let tenant = tenant_seed(f, MAIN_TENANT);
        tenant.public_chats = false;
        tenant.restricted_mode = false;
        tenant.hide_member_count = false;
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let cases = [
        (json!({"name": "公开群", "chat_type": "public"}), 232091),
        (
            json!({"name": "受限群", "restricted_mode_setting": {"status": true, "screenshot_has_permission_setting": "not_anyone"}}),
            232057,
        ),
        (
            json!({"name": "隐藏人数", "hide_member_count_setting": "only_owner"}),
            232078,
        ),
    ];
    for (body, code) in cases {
        let (status, answer) = raw(
            &emulator,
            "POST",
            "/open-apis/im/v1/chats",
            Some(&token),
            Some(body.clone()),
        );
        assert_eq!(
            (status, answer["code"].as_i64()),
            (400, Some(code)),
            "{body}: {answer}"
        );
    }
    let (_, answer) = raw(
        &emulator,
        "PUT",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        Some(&token),
        Some(json!({"hide_member_count_setting": "all_members"})),
    );
    assert_eq!(answer["code"], 232078);
    assert_eq!(
        answer["msg"],
        "The operator tenant doesn't have the permission to use hide_member_count_setting."
    );
    // A private chat without those settings is still created.
    let (status, answer) = raw(
        &emulator,
        "POST",
        "/open-apis/im/v1/chats",
        Some(&token),
        Some(json!({"name": "普通群"})),
    );
    assert_eq!(
        (status, answer["code"].as_i64()),
        (200, Some(0)),
        "{answer}"
    );
}

//! States the group and docx pages document an answer for: an app the
//! tenant disabled after its token was issued, an external chat the bot
//! has no external sharing for.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::{AppId, Secret};
use feishu_emulator::{Emulator, TenantTokenSeed};

const ISSUED: &str = "t-issued-before-the-app-was-disabled";

fn app_disabled_after_token() -> Emulator {
    let fixture = fixture_with(|f| {
        f.tenant_tokens.push(TenantTokenSeed {
            token: Secret::new(ISSUED),
            app_id: AppId::from(BOT),
        });
        let app = f
            .apps
            .iter_mut()
            .find(|a| a.app_id.as_str() == BOT)
            .unwrap();
        app.enabled = false;
    });
    Emulator::from_fixture(fixture).unwrap()
}

#[test]
fn a_disabled_app_gets_232034_on_group_calls_and_1772034_on_docx_calls() {
    let emulator = app_disabled_after_token();
    let (status, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        Some(ISSUED),
        None,
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(232034)),
        "{body}"
    );
    assert_eq!(
        body["msg"],
        "The app is unavailable or inactivated by the tenant."
    );
    let (status, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/docx/v1/chats/{MAIN_CHAT}/announcement"),
        Some(ISSUED),
        None,
    );
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(1772034)),
        "{body}"
    );
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
    let fixture = fixture_with(|f| {
        f.tenant_tokens.push(TenantTokenSeed {
            token: Secret::new(ISSUED),
            app_id: AppId::from(BOT),
        });
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let (status, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        Some(ISSUED),
        None,
    );
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)), "{body}");
    assert_eq!(body["data"]["tenant_key"], MAIN_TENANT);
}

#[test]
fn a_tenant_token_of_an_unknown_app_is_a_fixture_error() {
    let mut fixture = fixture_with(|_| {});
    fixture.tenant_tokens.push(TenantTokenSeed {
        token: Secret::new(ISSUED),
        app_id: AppId::from("cli_0000000000000000"),
    });
    let err = Emulator::from_fixture(fixture).unwrap_err();
    assert!(err.to_string().contains("tenant_tokens[0]"), "{err}");
}

fn external_main_chat(sharing: bool) -> Emulator {
    let fixture = fixture_with(|f| {
        chat_seed(f, MAIN_CHAT).external = true;
        let app = f
            .apps
            .iter_mut()
            .find(|a| a.app_id.as_str() == BOT)
            .unwrap();
        app.external_sharing = sharing;
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
        let (status, body) = raw(&emulator, "GET", &path, Some(&token), None);
        assert_eq!(
            (status, body["code"].as_i64()),
            (400, Some(code)),
            "{path}: {body}"
        );
    }
    let emulator = external_main_chat(true);
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let (status, body) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        Some(&token),
        None,
    );
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)), "{body}");
    assert_eq!(body["data"]["external"], true);
}

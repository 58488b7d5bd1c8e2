//! Tokens: issued for configured apps, reused while 30 minutes or more are
//! left, expired after 2 hours, and refused with the documented codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::auth::{AppAccessToken, TenantAccessToken};
use feishu_emulator::feishu_model::im::chat::GetChat;
use feishu_emulator::feishu_transport::{Client, RetryPolicy};
use feishu_emulator::{Clock, Emulator, IN_PROCESS_BASE_URL};
use serde_json::json;

const START_MS: i64 = 1_700_000_000_000;

fn manual() -> Emulator {
    Emulator::builder()
        .clock(Clock::manual(START_MS))
        .build()
        .unwrap()
}

fn get_chat(emulator: &Emulator, token: &str) -> (u16, serde_json::Value) {
    raw(
        emulator,
        "GET",
        &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        Some(token),
        None,
    )
}

fn issue(emulator: &Emulator) -> (String, i64) {
    let (_, body) = raw(
        emulator,
        "POST",
        "/open-apis/auth/v3/tenant_access_token/internal",
        None,
        Some(json!({"app_id": BOT, "app_secret": BOT_SECRET})),
    );
    assert_eq!(body["code"], 0);
    assert_eq!(body["msg"], "ok");
    (
        body["tenant_access_token"].as_str().unwrap().to_owned(),
        body["expire"].as_i64().unwrap(),
    )
}

#[test]
fn tokens_are_reused_then_renewed_then_expire() {
    let emulator = manual();
    let (first, expire) = issue(&emulator);
    assert!(first.starts_with("t-"));
    assert_eq!(expire, 7200);
    assert_eq!(get_chat(&emulator, &first).0, 200);

    emulator.advance(Duration::from_secs(60 * 60));
    let (again, left) = issue(&emulator);
    assert_eq!((again.as_str(), left), (first.as_str(), 3600));

    emulator.advance(Duration::from_secs(31 * 60));
    let (renewed, expire) = issue(&emulator);
    assert_ne!(renewed, first, "less than 30 minutes left: a new token");
    assert_eq!(expire, 7200);
    assert_eq!(
        get_chat(&emulator, &first).0,
        200,
        "the old token is still valid"
    );

    emulator.advance(Duration::from_secs(30 * 60));
    let (status, body) = get_chat(&emulator, &first);
    assert_eq!(
        (status, body["code"].as_i64()),
        (400, Some(99991663)),
        "{body}"
    );
    assert_eq!(get_chat(&emulator, &renewed).0, 200);
}

#[test]
fn unknown_and_missing_tokens_get_the_documented_codes() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let cases = [
        (Some("t-never-issued"), 99991665),
        (Some("a-never-issued"), 99991664),
        (Some("u-never-issued"), 99991668),
        (Some("no-prefix"), 99991671),
        (None, 99991661),
    ];
    for (token, code) in cases {
        let (status, body) = raw(
            &emulator,
            "GET",
            &format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
            token,
            None,
        );
        assert_eq!(
            (status, body["code"].as_i64()),
            (400, Some(code)),
            "{token:?}: {body}"
        );
        assert!(body["error"]["logid"].is_string());
    }
    let response = emulator.handle(&feishu_emulator::EmulatorRequest {
        method: "GET".into(),
        path: format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
        headers: vec![("authorization".into(), "Basic abc".into())],
        ..Default::default()
    });
    let body: serde_json::Value = serde_json::from_slice(response.body()).unwrap();
    assert_eq!(body["code"], 99991661);
}

#[test]
fn credentials_are_checked() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let post = |path: &str, body: serde_json::Value| raw(&emulator, "POST", path, None, Some(body));
    let (_, body) = post(
        "/open-apis/auth/v3/tenant_access_token/internal",
        json!({"app_id": BOT, "app_secret": "wrong"}),
    );
    assert_eq!(body["code"], 10015);
    let (_, body) = post(
        "/open-apis/auth/v3/tenant_access_token/internal",
        json!({"app_id": "cli_unknown", "app_secret": "x"}),
    );
    assert_eq!(body["code"], 10003);
    let (_, body) = post(
        "/open-apis/auth/v3/app_ticket/resend",
        json!({"app_id": BOT, "app_secret": BOT_SECRET}),
    );
    assert_eq!(body["code"], 10016, "self-built apps have no app_ticket");
    let (_, body) = post(
        "/open-apis/auth/v3/app_access_token/internal",
        json!({"app_id": BOT, "app_secret": BOT_SECRET}),
    );
    assert_eq!(body["code"], 0);
    let app_token = body["app_access_token"].as_str().unwrap();
    assert!(app_token.starts_with("a-") && body["tenant_access_token"].is_string());
    let (_, body) = get_chat(&emulator, app_token);
    assert_eq!(
        body["code"], 99991663,
        "group APIs take tenant or user tokens"
    );
}

#[tokio::test]
async fn the_sdk_refetches_an_expired_token() {
    let emulator = manual();
    let client = local_client(&emulator, BOT);
    client.call(GetChat::new(MAIN_CHAT)).await.unwrap();
    emulator.advance(Duration::from_secs(3 * 3600));
    // The SDK still holds the old token; the server says it expired; the SDK
    // drops it, fetches a new one and repeats the call once.
    let chat = client.call(GetChat::new(MAIN_CHAT)).await.unwrap();
    assert_eq!(chat.name.as_deref(), Some("测试群名称"));
}

#[tokio::test]
async fn a_marketplace_app_gets_tokens_per_tenant() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let market = "cli_a5f0d1c2b3e4f5a6";
    let client = Client::builder()
        .base_url(IN_PROCESS_BASE_URL)
        .transport(std::sync::Arc::new(emulator.transport()))
        .static_tenant_token("t-unused")
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client
        .call(AppAccessToken::new(
            market,
            "emulator-secret-market",
            "stale-ticket",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(10012));
    let app = client
        .call(AppAccessToken::new(
            market,
            "emulator-secret-market",
            "emulator-app-ticket",
        ))
        .await
        .unwrap();
    let tenant = client
        .call(TenantAccessToken::new(
            app.app_access_token.clone(),
            "2ca1d211f64f6438",
        ))
        .await
        .unwrap();
    assert!(tenant.tenant_access_token.expose().starts_with("t-"));
    let err = client
        .call(TenantAccessToken::new(
            app.app_access_token,
            "not-installed",
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(10013));
    let err = client
        .call(TenantAccessToken::new("a-forged", "2ca1d211f64f6438"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(99991664));
}

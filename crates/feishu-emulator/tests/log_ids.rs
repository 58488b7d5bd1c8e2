//! Every answer of the server, of every kind (API success and error, auth,
//! unknown route, not implemented, download, admin API, page, long
//! connection endpoint), carries its own `x-tt-logid` in the platform's
//! form, and an error body's `error.logid` is the header's value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use common::*;
use serde_json::{json, Value};

/// One request: method, path, bearer token, JSON body.
type Request = (&'static str, String, Option<String>, Option<Value>);

#[tokio::test]
async fn a_hundred_answers_have_a_hundred_log_ids_matching_their_bodies() {
    let (emulator, server) = serve(None).await;
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let http = reqwest::Client::new();
    let base = server.url();
    let kinds: Vec<Request> = vec![
        (
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal".into(),
            None,
            Some(json!({"app_id": BOT, "app_secret": BOT_SECRET})),
        ),
        (
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal".into(),
            None,
            Some(json!({"app_id": BOT, "app_secret": "wrong"})),
        ),
        (
            "GET",
            format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
            Some(token.clone()),
            None,
        ),
        (
            "GET",
            format!("/open-apis/im/v1/chats/{MAIN_CHAT}"),
            None,
            None,
        ),
        ("GET", "/open-apis/no/such/api".into(), None, None),
        (
            "POST",
            "/open-apis/interactive/v1/card/update".into(),
            Some(token.clone()),
            Some(json!({"token": "c-1", "card": {}})),
        ),
        (
            "GET",
            "/open-apis/im/v1/images/img_v3_02ab_missing".into(),
            Some(token.clone()),
            None,
        ),
        ("GET", "/_emulator/state".into(), None, None),
        (
            "POST",
            "/_emulator/actions".into(),
            None,
            Some(json!({"action": "nope"})),
        ),
        ("GET", "/_emulator/events".into(), None, None),
        ("GET", "/_emulator/ui".into(), None, None),
        (
            "POST",
            "/_emulator/long_connection/cli_unknown/close".into(),
            None,
            None,
        ),
        (
            "POST",
            "/callback/ws/endpoint".into(),
            None,
            Some(json!({"AppID": BOT, "AppSecret": "x"})),
        ),
    ];
    let mut seen = HashSet::new();
    let mut with_error_body = 0;
    for i in 0..100 {
        let (method, path, token, body) = &kinds[i % kinds.len()];
        let mut request = http.request(method.parse().unwrap(), format!("{base}{path}"));
        if let Some(t) = token {
            request = request.bearer_auth(t);
        }
        if let Some(b) = body {
            request = request.json(b);
        }
        let response = request.send().await.unwrap();
        let log_id = response
            .headers()
            .get("x-tt-logid")
            .unwrap_or_else(|| panic!("no x-tt-logid on {method} {path}"))
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(log_id.len(), 34, "{log_id} of {method} {path}");
        assert!(log_id[..14].chars().all(|c| c.is_ascii_digit()), "{log_id}");
        assert!(
            log_id[14..]
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_lowercase()),
            "{log_id}"
        );
        assert!(seen.insert(log_id.clone()), "{log_id} answered twice");
        let bytes = response.bytes().await.unwrap();
        if let Ok(json) = serde_json::from_slice::<Value>(&bytes) {
            if let Some(body_id) = json.pointer("/error/logid") {
                with_error_body += 1;
                assert_eq!(body_id, log_id.as_str(), "{method} {path}");
            }
        }
    }
    assert_eq!(seen.len(), 100);
    assert!(with_error_body >= 40, "{with_error_body} error bodies");
}

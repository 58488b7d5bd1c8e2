//! Shared helpers of the emulator's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use feishu_emulator::feishu_model::AppId;
use feishu_emulator::feishu_transport::{AppCredentials, Client, ClientBuilder, RetryPolicy};
use feishu_emulator::{Emulator, Fixture, RunningServer};

/// The app the documented examples call as (creator and manager of the main chat).
pub const BOT: &str = "cli_a3e157960e7294c0";
pub const BOT_SECRET: &str = "emulator-secret-ops";
/// A second bot of the main tenant.
pub const HELPER: &str = "cli_a10fbf7e94b8d01d";
pub const HELPER_SECRET: &str = "emulator-secret-helper";
/// A bot of the partner tenant.
pub const PARTNER_BOT: &str = "cli_9f5343c580712544";
pub const PARTNER_SECRET: &str = "emulator-secret-partner";

pub const MAIN_TENANT: &str = "736588c9260f175e";
/// The chat most documented examples name (private; 28 users; BOT manages it).
pub const MAIN_CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
pub const ANNOUNCEMENT_CHAT: &str = "oc_5ad11d72b830411d72b836c200000000";
pub const PUBLIC_CHAT: &str = "oc_625b739698b7f2c70fcef6410629b33d";
pub const APPROVAL_CHAT: &str = "oc_bb608bbe0d180edd75552dddffdd5f26";
pub const PRIVATE_CHAT: &str = "oc_1ff39141ee4d0ddaac31bd76676323b1";
pub const PARTNER_CHAT: &str = "oc_7f3fa48ca885678134842fa7456f3ece";

pub const LI_SI: &str = "ou_7d8a6e6df7621556ce0d21922b676706";
pub const ZHANG_SAN: &str = "ou_9204a37300b3700d61effaa439f34295";
/// 王五's user_id (the id the documented member examples use).
pub const WANG_WU_USER_ID: &str = "4d7a3c6g";
pub const LI_SI_USER_TOKEN: &str = "u-emulator-li-si";

/// A client for `app` against `base_url` (reqwest), without retries.
pub fn http_client(base_url: &str, app: &str, secret: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .credentials(AppCredentials::self_built(app, secret))
        .retry_policy(RetryPolicy::never())
}

/// A default-fixture emulator served on a free loopback port.
pub async fn serve(fixture: Option<Fixture>) -> (Emulator, RunningServer) {
    let emulator = match fixture {
        Some(f) => Emulator::from_fixture(f).unwrap(),
        None => Emulator::with_default_fixture().unwrap(),
    };
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    (emulator, server)
}

/// An in-process client for `app` without retries (rate limiting on).
pub fn local_client(emulator: &Emulator, app: &str) -> Client {
    emulator
        .client_builder_for(&AppId::from(app))
        .unwrap()
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A tenant token of `app`, fetched through the router.
pub fn tenant_token(emulator: &Emulator, app: &str, secret: &str) -> String {
    let (status, body) = raw(
        emulator,
        "POST",
        "/open-apis/auth/v3/tenant_access_token/internal",
        None,
        Some(serde_json::json!({"app_id": app, "app_secret": secret})),
    );
    assert_eq!(status, 200, "{body}");
    body["tenant_access_token"].as_str().unwrap().to_owned()
}

/// Sends one request straight to the router; returns status and JSON body.
pub fn raw(
    emulator: &Emulator,
    method: &str,
    path_and_query: &str,
    token: Option<&str>,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (
            p,
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect(),
        ),
        None => (path_and_query, Vec::new()),
    };
    let mut headers = Vec::new();
    if let Some(t) = token {
        headers.push(("authorization".to_owned(), format!("Bearer {t}")));
    }
    let response = emulator.handle(&feishu_emulator::EmulatorRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body: body
            .map(|b| bytes::Bytes::from(b.to_string()))
            .unwrap_or_default(),
    });
    let json = serde_json::from_slice(response.body()).unwrap();
    (response.status().as_u16(), json)
}

/// The default fixture, changed by `edit`.
pub fn fixture_with(edit: impl FnOnce(&mut Fixture)) -> Fixture {
    let mut fixture = Fixture::default_seed().unwrap();
    edit(&mut fixture);
    fixture
}

/// The seed of the chat `id` in `fixture`.
pub fn chat_seed<'a>(fixture: &'a mut Fixture, id: &str) -> &'a mut feishu_emulator::ChatSeed {
    fixture
        .chats
        .iter_mut()
        .find(|c| c.chat_id.as_ref().map(|c| c.as_str()) == Some(id))
        .unwrap()
}

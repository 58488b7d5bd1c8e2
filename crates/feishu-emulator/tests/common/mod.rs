//! Shared helpers of the emulator's integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use feishu_emulator::feishu_model::im::message::item::Message;
use feishu_emulator::feishu_model::im::types::ModerationPermission;
use feishu_emulator::feishu_model::AppId;
use feishu_emulator::feishu_transport::{AppCredentials, Client, ClientBuilder, RetryPolicy};
use feishu_emulator::{AppSeed, Clock, Emulator, EventRecord, Fixture, RunningServer, TenantSeed};
use serde_json::{json, Value};

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
/// Where the manual clocks of the tests start.
pub const START_MS: i64 = 1_700_000_000_000;

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

/// The seed of the app `id` in `fixture`.
pub fn app_seed<'a>(fixture: &'a mut Fixture, id: &str) -> &'a mut AppSeed {
    fixture
        .apps
        .iter_mut()
        .find(|a| a.app_id.as_str() == id)
        .unwrap()
}

/// The seed of the tenant `key` in `fixture`.
pub fn tenant_seed<'a>(fixture: &'a mut Fixture, key: &str) -> &'a mut TenantSeed {
    fixture
        .tenants
        .iter_mut()
        .find(|t| t.tenant_key.as_str() == key)
        .unwrap()
}

/// An emulator of `fixture` on a manual clock at [`START_MS`].
pub fn on_manual_clock(fixture: Fixture) -> Emulator {
    Emulator::builder()
        .fixture(fixture)
        .clock(Clock::manual(START_MS))
        .build()
        .unwrap()
}

/// The default fixture with HELPER also in the main chat, where everyone
/// may speak, on a manual clock.
pub fn messaging_emulator() -> Emulator {
    let fixture = fixture_with(|f| {
        let chat = chat_seed(f, MAIN_CHAT);
        chat.bots.push(AppId::from(HELPER));
        chat.moderation_permission = Some(ModerationPermission::AllMembers);
    });
    on_manual_clock(fixture)
}

/// An in-process client for `app` without retries or its own rate limiter
/// (the tests move the emulator's clock instead).
pub fn unlimited_client(emulator: &Emulator, app: &str) -> Client {
    emulator
        .client_builder_for(&AppId::from(app))
        .unwrap()
        .rate_limiting(false)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// The id of a message the emulator answered.
pub fn message_id(m: &Message) -> String {
    m.message_id.as_ref().unwrap().as_str().to_owned()
}

/// BOT sends `content` of `msg_type` to `chat` through the router; the message id.
pub fn bot_sends(emulator: &Emulator, chat: &str, msg_type: &str, content: Value) -> String {
    let token = tenant_token(emulator, BOT, BOT_SECRET);
    let (status, body) = raw(
        emulator,
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        Some(&token),
        Some(json!({"receive_id": chat, "msg_type": msg_type, "content": content.to_string()})),
    );
    assert_eq!(status, 200, "{body}");
    body["data"]["message_id"].as_str().unwrap().to_owned()
}

/// Sends `request` over HTTP and reads the answer's JSON body.
pub async fn fetch_json(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

/// A tenant token of `app`, fetched over HTTP from the server at `base`.
pub async fn http_tenant_token(base: &str, app: &str, secret: &str) -> String {
    let url = format!("{base}/open-apis/auth/v3/tenant_access_token/internal");
    let body = json!({"app_id": app, "app_secret": secret});
    let v = fetch_json(reqwest::Client::new().post(url).json(&body)).await;
    v["tenant_access_token"].as_str().unwrap().to_owned()
}

/// The admin API's event log of the server at `base`.
pub async fn event_log(http: &reqwest::Client, base: &str) -> Vec<EventRecord> {
    let v = fetch_json(http.get(format!("{base}/_emulator/events"))).await;
    assert_eq!(v["code"], 0, "{v}");
    serde_json::from_value(v["data"]["events"].clone()).unwrap()
}

/// A long-connection URL for `app` from the server at `base` (starts its delivery).
pub async fn long_connection_url(
    http: &reqwest::Client,
    base: &str,
    app: &str,
    secret: &str,
) -> String {
    let v = fetch_json(
        http.post(format!("{base}/callback/ws/endpoint"))
            .json(&json!({"AppID": app, "AppSecret": secret})),
    )
    .await;
    assert_eq!(v["code"], 0, "{v}");
    v["data"]["URL"].as_str().unwrap().to_owned()
}

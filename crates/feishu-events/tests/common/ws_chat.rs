//! An emulator with one app, its owner's chat and long connection settings;
//! renames of the chat (one `im.chat.updated_v1` event each) and waits.

use std::time::{Duration, Instant};

use feishu_emulator::{Action, ChatChanges, Emulator, Fixture, RunningServer};
use feishu_events::ws::{LongConnection, State};
use feishu_model::ChatId;

/// The user who owns the chat.
const OWNER: &str = "ou_00000000000000000000000000000001";
/// The chat of the owner and the app's bot.
const CHAT: &str = "oc_00000000000000000000000000000c4a";

/// The emulator with the app `app` (`secret`), allowing `max_connections`
/// connections with a ping every `ping_interval` s, on a loopback port.
pub async fn serve(
    app: &str,
    secret: &str,
    max_connections: usize,
    ping_interval: u64,
) -> (Emulator, RunningServer) {
    let fixture = Fixture::from_json(&format!(
        r#"{{
        "tenants": [{{"tenant_key": "0000000000000001"}}],
        "apps": [{{"app_id": "{app}", "app_secret": "{secret}", "tenant_key": "0000000000000001"}}],
        "users": [{{"open_id": "{OWNER}", "name": "Owner", "tenant_key": "0000000000000001"}}],
        "chats": [{{"chat_id": "{CHAT}", "tenant_key": "0000000000000001", "name": "ops", "owner": "{OWNER}",
                   "users": ["{OWNER}"], "bots": ["{app}"]}}],
        "long_connection": {{"PingInterval": {ping_interval}, "ReconnectCount": -1,
            "ReconnectInterval": 1, "ReconnectNonce": 1, "max_connections": {max_connections}}}
    }}"#
    ))
    .unwrap();
    let emulator = Emulator::builder().fixture(fixture).build().unwrap();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    (emulator, server)
}

/// The owner renames the chat to `name`.
pub fn rename(emulator: &Emulator, name: &str) {
    emulator
        .act(Action::UpdateChat {
            user: OWNER.into(),
            chat: ChatId::from(CHAT),
            changes: Box::new(ChatChanges {
                name: Some(name.into()),
                ..ChatChanges::default()
            }),
        })
        .unwrap();
}

/// Waits until `done`, failing after `limit`.
pub async fn until(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until `client` is connected, at most 5 s.
pub async fn connected(client: &LongConnection) {
    until("a connection", Duration::from_secs(5), || {
        client.state() == State::Connected
    })
    .await;
}

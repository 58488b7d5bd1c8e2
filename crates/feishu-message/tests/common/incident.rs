//! The incident_bot example's bot started against the emulator, for the tests
//! that include its `bot` and `script` modules.

use std::time::Duration;

use crate::bot::IncidentBot;
use crate::script::{self, Offline, BOT_OPEN_ID, INCIDENT_CHAT};

/// The default-fixture emulator and the bot on its long connection, waiting
/// `name_budget` for a clicker's name.
pub async fn started(name_budget: Duration) -> Offline {
    let emulator = feishu_emulator::Emulator::with_default_fixture().unwrap();
    script::start(emulator, |client| {
        IncidentBot::new(client, Some(BOT_OPEN_ID.to_owned())).name_budget(name_budget)
    })
    .await
    .unwrap()
}

/// Posts the script's incident to the incident chat; the alert card's id.
pub async fn post_alert(offline: &Offline) -> String {
    offline
        .bot
        .post_alert(INCIDENT_CHAT, script::incident())
        .await
        .unwrap()
        .as_str()
        .to_owned()
}

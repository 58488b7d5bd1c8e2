//! The offline run: the emulator on a loopback port, the bot on its long
//! connection, and a script of what people do, each step checked.

use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_emulator::{Action, Emulator, MessageView, RunningServer};
use feishu_events::ws::{LongConnection, State};
use feishu_events::{HandlerError, Webhook};
use feishu_transport::{AppCredentials, Client};
use futures::StreamExt;
use serde_json::{json, Value};

use crate::bot::{Incident, IncidentBot};

/// The default fixture's Ops Bot: its app id, secret and bot open id.
pub const APP_ID: &str = "cli_a3e157960e7294c0";
/// The Ops Bot's app secret in the default fixture.
pub const APP_SECRET: &str = "emulator-secret-ops";
/// The Ops Bot's open id in the default fixture.
pub const BOT_OPEN_ID: &str = "ou_1c14bf04c4b3c259593b8139f4e8586a";
/// The incident chat: the default fixture's announcement chat (李四 and
/// 王五, and the Ops Bot).
pub const INCIDENT_CHAT: &str = "oc_5ad11d72b830411d72b836c200000000";
/// 李四, who acknowledges and asks.
pub const LI_SI: &str = "ou_7d8a6e6df7621556ce0d21922b676706";
/// How long a step may take to show.
pub const STEP_TIMEOUT: Duration = Duration::from_secs(10);

/// The incident the script announces.
pub fn incident() -> Incident {
    Incident::new(
        "INC-7",
        "api: 5xx above 5%",
        "api answers 7.2% of requests with a 5xx since 00:12 (threshold 5%). Runbook: api/5xx",
    )
}

/// The emulator serving on a loopback port and the bot connected to it.
pub struct Offline {
    /// The emulator (the people's side).
    pub emulator: Emulator,
    /// Its HTTP server (the bot's side).
    pub server: RunningServer,
    /// The bot.
    pub bot: IncidentBot,
    /// The bot's long connection.
    pub connection: LongConnection,
}

/// A client of the Ops Bot against `base_url`.
pub fn client(base_url: &str, app_id: &str, secret: &str) -> Result<Client, HandlerError> {
    Ok(Client::builder()
        .base_url(base_url)
        .credentials(AppCredentials::self_built(app_id, secret))
        .build()?)
}

/// Starts the emulator on a loopback port and the bot on its long
/// connection; returns once connected.
pub async fn start(
    emulator: Emulator,
    bot: impl FnOnce(Client) -> IncidentBot,
) -> Result<Offline, HandlerError> {
    let server = emulator.start("127.0.0.1:0").await?;
    let bot = bot(client(&server.url(), APP_ID, APP_SECRET)?);
    let dispatcher = Arc::new(bot.dispatcher(Webhook::new()));
    let connection = LongConnection::builder(APP_ID, APP_SECRET, dispatcher)
        .base_url(server.url())
        .start()?;
    let mut states = connection.states();
    loop {
        match tokio::time::timeout(STEP_TIMEOUT, states.next()).await {
            Ok(Some(State::Connected)) => break,
            Ok(Some(_)) => {}
            _ => return Err("the bot did not connect to the emulator".into()),
        }
    }
    Ok(Offline {
        emulator,
        server,
        bot,
        connection,
    })
}

/// The ids of what the script produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// The alert card message.
    pub alert: String,
    /// 李四's `status` message.
    pub question: String,
    /// The bot's reply.
    pub reply: String,
    /// The thread the reply opened.
    pub thread: String,
}

/// Plays the script against a started [`Offline`], checking each step;
/// `say` gets one line per step.
pub async fn play(offline: &Offline, say: impl FnMut(String)) -> Result<Played, HandlerError> {
    let how = format!(
        "emulator at {}; {{bot}} ({APP_ID}) connected over the long connection",
        offline.server.url()
    );
    play_with(&offline.emulator, &offline.bot, &how, say).await
}

/// Plays the script: `emulator` plays the people, `bot` is already
/// receiving their events; `how` is the first line (`{bot}` is replaced by
/// the bot's name).
pub async fn play_with(
    emulator: &Emulator,
    bot: &IncidentBot,
    how: &str,
    mut say: impl FnMut(String),
) -> Result<Played, HandlerError> {
    let snapshot = emulator.snapshot();
    let bot_name = snapshot
        .apps
        .iter()
        .find(|a| a.app_id == APP_ID)
        .map(|a| a.name.clone())
        .ok_or("the fixture has no Ops Bot")?;
    let li_si = snapshot
        .users
        .iter()
        .find(|u| u.open_id == LI_SI)
        .map(|u| u.name.clone())
        .ok_or("the fixture has no 李四")?;
    say(how.replace("{bot}", &bot_name));

    // 1. The alert card.
    let incident = incident();
    let alert = bot
        .post_alert(INCIDENT_CHAT, incident.clone())
        .await?
        .as_str()
        .to_owned();
    let shown = message(emulator, &alert).ok_or("the alert card is not in the chat")?;
    let header = card_title(&shown);
    if header != format!("[{}] {}", incident.id, incident.title) {
        return Err(format!("the alert card reads {header:?}").into());
    }
    say(format!(
        "alert card posted: {alert} in {INCIDENT_CHAT} ({header:?}, red, with \"Acknowledge\")"
    ));

    // 2. 李四 clicks "Acknowledge".
    let clicked = emulator
        .perform(Action::UserClicksCard {
            user: LI_SI.into(),
            message: alert.clone(),
            value: json!({"action": "ack", "incident": incident.id}),
            form_value: None,
            tag: None,
            name: None,
            input_value: None,
            option: None,
        })
        .await?;
    let click = clicked.card.ok_or("the click reported nothing")?;
    if let Some(code) = click.error_code {
        return Err(format!("the click failed with {code}: {:?}", click.error).into());
    }
    let toast = click.toast.ok_or("the click showed no toast")?;
    let toast_text = toast["content"].as_str().unwrap_or_default().to_owned();
    if toast["type"] != "success" || toast_text.is_empty() {
        return Err(format!("the toast is {toast}").into());
    }
    let expected = format!("Acknowledged by {li_si}");
    let header = wait_for(|| {
        let header = card_title(&message(emulator, &alert)?);
        (header == expected).then_some(header)
    })
    .await
    .ok_or_else(|| format!("the card did not change to {expected:?}"))?;
    say(format!(
        "{li_si} clicked \"Acknowledge\" on {alert}: toast {toast_text:?} ({}); the card now reads {header:?}",
        toast["type"].as_str().unwrap_or_default()
    ));

    // 3. 李四 asks the bot for the status.
    let text = format!("@{bot_name} status");
    let asked = emulator
        .perform(Action::UserSendsMessage {
            user: LI_SI.into(),
            chat: INCIDENT_CHAT.into(),
            text: text.clone(),
        })
        .await?;
    let question = asked.message_id.ok_or("the message has no id")?;
    say(format!("{li_si} wrote {text:?}: {question}"));
    let reply = wait_for(|| {
        chat_messages(emulator)
            .into_iter()
            .find(|m| m.parent_id.as_deref() == Some(&question) && m.sender.kind == "bot")
    })
    .await
    .ok_or("the bot did not reply")?;
    let thread = reply
        .thread_id
        .clone()
        .ok_or("the reply is not in a thread")?;
    if !reply.summary.contains(&format!("acknowledged by {li_si}")) {
        return Err(format!("the reply reads {:?}", reply.summary).into());
    }
    say(format!(
        "the bot replied in thread {thread}: {} {:?}",
        reply.message_id, reply.summary
    ));
    Ok(Played {
        alert,
        question,
        reply: reply.message_id,
        thread,
    })
}

/// The incident chat's messages now.
pub fn chat_messages(emulator: &Emulator) -> Vec<MessageView> {
    emulator
        .snapshot()
        .chats
        .into_iter()
        .find(|c| c.chat_id == INCIDENT_CHAT)
        .map(|c| c.messages)
        .unwrap_or_default()
}

/// The message `id` of the incident chat.
pub fn message(emulator: &Emulator, id: &str) -> Option<MessageView> {
    chat_messages(emulator)
        .into_iter()
        .find(|m| m.message_id == id)
}

/// The header title of a card message as shown now.
pub fn card_title(message: &MessageView) -> String {
    let card = message.card.as_ref().unwrap_or(&Value::Null);
    card["header"]["title"]["content"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Polls `check` until it gives a value, up to [`STEP_TIMEOUT`].
pub async fn wait_for<T>(mut check: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + STEP_TIMEOUT;
    loop {
        if let Some(value) = check() {
            return Some(value);
        }
        if Instant::now() >= deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

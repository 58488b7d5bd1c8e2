//! The incident_bot example's script, each step checked on the emulator's
//! state, over the long connection and over the webhook: the bot is the
//! example's own code (its modules are included).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../examples/incident_bot/bot.rs"]
mod bot;
#[path = "common/incident.rs"]
mod incident;
#[path = "../examples/incident_bot/script.rs"]
#[allow(dead_code)]
mod script;

use std::sync::Arc;
use std::time::Duration;

use bot::IncidentBot;
use feishu_emulator::{Action, ActionOutcome, Emulator, Fixture};
use feishu_events::Webhook;
use incident::{post_alert, started};
use script::{Offline, APP_ID, BOT_OPEN_ID, INCIDENT_CHAT, LI_SI};
use serde_json::json;

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";

/// `user` clicks "Acknowledge" on the alert card `message`.
async fn click(offline: &Offline, user: &str, message: &str) -> ActionOutcome {
    let action = Action::UserClicksCard {
        user: user.into(),
        message: message.into(),
        value: json!({"action": "ack", "incident": "INC-7"}),
        form_value: None,
        tag: None,
        name: None,
        input_value: None,
        option: None,
    };
    offline.emulator.perform(action).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_plays_and_the_emulator_shows_every_step() {
    let offline = started(bot::NAME_BUDGET).await;
    let mut lines = Vec::new();
    let played = script::play(&offline, |line| lines.push(line))
        .await
        .unwrap();
    assert_eq!(lines.len(), 5, "{lines:#?}");
    assert!(lines[1].starts_with(&format!("alert card posted: {}", played.alert)));
    assert!(lines[4].contains(&played.reply), "{}", lines[4]);

    let emulator = &offline.emulator;
    // The alert card, now green with who acknowledged it and no button.
    let alert = script::message(emulator, &played.alert).unwrap();
    assert_eq!(alert.sender.id, APP_ID);
    assert_eq!(alert.msg_type, "interactive");
    let card = alert.card.unwrap();
    assert_eq!(card["header"]["title"]["content"], "Acknowledged by 李四");
    assert_eq!(
        card["header"]["subtitle"]["content"],
        "[INC-7] api: 5xx above 5%"
    );
    assert_eq!(card["header"]["template"], "green");
    let elements = card["body"]["elements"].as_array().unwrap();
    assert!(elements.iter().all(|e| e["tag"] != "button"), "{card}");

    // 李四 got the toast.
    let toasts = emulator.snapshot().toasts;
    assert_eq!(toasts.len(), 1, "{toasts:?}");
    assert_eq!(
        (toasts[0].message_id.as_str(), toasts[0].user.as_str()),
        (played.alert.as_str(), LI_SI)
    );
    assert_eq!(
        toasts[0].toast,
        Some(json!({"type": "success", "content": "You acknowledged INC-7"}))
    );
    assert_eq!(toasts[0].error_code, None);

    // The question and the bot's reply in its thread.
    let messages = script::chat_messages(emulator);
    let question = messages
        .iter()
        .find(|m| m.message_id == played.question)
        .unwrap();
    assert_eq!(question.sender.id, LI_SI);
    assert_eq!(question.summary, "@Ops Bot status");
    let reply = messages
        .iter()
        .find(|m| m.message_id == played.reply)
        .unwrap();
    assert_eq!(
        (reply.sender.kind.as_str(), reply.sender.id.as_str()),
        ("bot", APP_ID)
    );
    assert_eq!(reply.parent_id.as_deref(), Some(played.question.as_str()));
    assert_eq!(reply.thread_id.as_deref(), Some(played.thread.as_str()));
    assert!(played.thread.starts_with("omt_"), "{}", played.thread);
    assert_eq!(
        reply.summary,
        "INC-7 (api: 5xx above 5%): acknowledged by 李四"
    );
    // Exactly one reply: the bot answers each message once.
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.parent_id.as_deref() == Some(played.question.as_str()))
            .count(),
        1
    );
    offline.connection.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_leaves_the_card_to_a_delayed_update() {
    // No time to look the name up: the toast is answered alone and the
    // card is updated late with the callback's token.
    let offline = started(Duration::ZERO).await;
    let alert = post_alert(&offline).await;
    let done = click(&offline, LI_SI, &alert).await;
    let shown = done.card.unwrap();
    assert_eq!(shown.error_code, None, "{:?}", shown.error);
    assert!(!shown.card_replaced);
    assert_eq!(
        shown.toast,
        Some(json!({"type": "success", "content": "You acknowledged INC-7"}))
    );
    let title = script::wait_for(|| {
        let title = script::card_title(&script::message(&offline.emulator, &alert)?);
        (title == "Acknowledged by 李四").then_some(title)
    })
    .await;
    assert_eq!(title.as_deref(), Some("Acknowledged by 李四"));
    offline.connection.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_click_tells_who_acknowledged_first() {
    let offline = started(bot::NAME_BUDGET).await;
    let alert = post_alert(&offline).await;
    let first = click(&offline, LI_SI, &alert).await;
    assert!(first.card.unwrap().card_replaced);
    let second = click(&offline, WANG_WU, &alert).await.card.unwrap();
    assert_eq!(
        second.toast,
        Some(json!({"type": "info", "content": "INC-7 was already acknowledged by 李四"}))
    );
    assert_eq!(
        second.card.unwrap()["header"]["title"]["content"],
        "Acknowledged by 李四"
    );
    offline.connection.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_script_fails_when_the_bot_does_not_answer() {
    let offline = started(bot::NAME_BUDGET).await;
    offline.connection.shutdown().await;
    let err = script::play(&offline, |_| {}).await.unwrap_err();
    assert!(
        err.to_string().starts_with("the click failed with 2003"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_script_plays_over_the_webhook() {
    // The bot as a webhook on a loopback port: the emulator posts events
    // and card clicks to it (its fixture names the callback URL).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let mut fixture = Fixture::default_seed().unwrap();
    let app = fixture
        .apps
        .iter_mut()
        .find(|a| a.app_id.as_str() == APP_ID)
        .unwrap();
    app.event_callback_url = Some(url.clone());
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let client = script::client(&server.url(), APP_ID, script::APP_SECRET).unwrap();
    let bot = IncidentBot::new(client, Some(BOT_OPEN_ID.to_owned()));
    let webhook = Webhook::new().verification_token("v-ops-bot-token");
    let router = feishu_events::axum::router(Arc::new(bot.dispatcher(webhook)));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let _delivery = emulator.deliver_events(None);

    let mut lines = Vec::new();
    let played = script::play_with(&emulator, &bot, "{bot} as a webhook", |line| {
        lines.push(line)
    })
    .await
    .unwrap();
    assert_eq!(lines[0], "Ops Bot as a webhook");
    assert_eq!(lines.len(), 5, "{lines:#?}");
    let toasts = emulator.snapshot().toasts;
    assert_eq!(toasts.len(), 1);
    assert_eq!(toasts[0].error_code, None);
    let alert = script::message(&emulator, &played.alert).unwrap();
    assert_eq!(script::card_title(&alert), "Acknowledged by 李四");
    // The message reached the bot through the callback URL.
    let received = emulator
        .event_log()
        .records()
        .into_iter()
        .find(|r| r.event_type == "im.message.receive_v1")
        .unwrap();
    assert!(
        received.deliveries.iter().any(|d| d.receiver == url),
        "{:?}",
        received.deliveries
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_before_the_click_says_open_and_other_words_get_help() {
    let offline = started(bot::NAME_BUDGET).await;
    post_alert(&offline).await;
    let mut replies = Vec::new();
    for text in ["@Ops Bot status", "@Ops Bot hello"] {
        // Within the chat's 5 messages a second.
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let sent = offline
            .emulator
            .perform(Action::UserSendsMessage {
                user: LI_SI.into(),
                chat: INCIDENT_CHAT.into(),
                text: text.into(),
            })
            .await
            .unwrap();
        let id = sent.message_id.unwrap();
        let reply = script::wait_for(|| {
            script::chat_messages(&offline.emulator)
                .into_iter()
                .find(|m| m.parent_id.as_deref() == Some(id.as_str()))
        })
        .await;
        replies.push(reply.map(|m| m.summary));
    }
    assert_eq!(
        replies,
        [
            Some("INC-7 (api: 5xx above 5%): open, not acknowledged yet".to_owned()),
            Some("Say `status` to me for the incident's status.".to_owned()),
        ]
    );
    offline.connection.shutdown().await;
}

//! The incident bot in a conversation, through the emulator's page in a
//! real browser: headless Chromium driven over WebDriver (chromedriver).
//! The bot is the incident_bot example's own code, on its long
//! connection. 李四 clicks "Acknowledge" on the alert card and sees the
//! toast and the card turn to "Acknowledged by 李四"; then writes
//! `@Ops Bot status` and sees the bot's reply.
//!
//! Needs `chromium` and `chromedriver` on the PATH (`.ci/install-browser.sh`).
//! With `CI` set the test fails without them; otherwise it is skipped.
//! `FEISHU_CONVERSATION_SCREENSHOT=docs/conversation.png` saves a
//! screenshot of the conversation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

#[path = "../examples/incident_bot/bot.rs"]
mod bot;
#[path = "common/incident.rs"]
mod incident;
#[path = "../examples/incident_bot/script.rs"]
#[allow(dead_code)]
mod script;

use fantoccini::Locator;
use feishu_emulator::browser::Page;
use script::{INCIDENT_CHAT, LI_SI};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_bot_answers_a_click_and_a_question_in_the_page() {
    // The emulator on a loopback port, the bot on its long connection.
    let offline = incident::started(bot::NAME_BUDGET).await;
    let alert = incident::post_alert(&offline).await;

    let Some(page) = Page::open(&offline.server.url()).await.unwrap() else {
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };
    let client = page.client().clone();
    let header = format!("[data-card='{alert}'] .card-header");
    page.wait_until("the alert card is drawn", || async {
        page.text(&header).await == "[INC-7] api: 5xx above 5%"
    })
    .await
    .unwrap();

    // 李四 clicks "Acknowledge".
    client
        .find(Locator::Css(&format!(
            "[data-compose-user='{INCIDENT_CHAT}']"
        )))
        .await
        .unwrap()
        .select_by_value(LI_SI)
        .await
        .unwrap();
    let button = client
        .find(Locator::Css(&format!("[data-card='{alert}'] .card-button")))
        .await
        .unwrap();
    assert_eq!(button.text().await.unwrap(), "Acknowledge");
    button.click().await.unwrap();
    let toast = format!("[data-toast='{INCIDENT_CHAT}']");
    page.wait_until("the toast shows", || async {
        page.text(&toast).await == "You acknowledged INC-7"
    })
    .await
    .unwrap();
    page.wait_until("the card turns to Acknowledged by 李四", || async {
        page.text(&header).await == "Acknowledged by 李四"
    })
    .await
    .unwrap();
    assert!(client
        .find(Locator::Css(&format!("[data-card='{alert}'] .card-button")))
        .await
        .is_err());
    let toasts = offline.emulator.snapshot().toasts;
    assert_eq!(toasts.len(), 1);
    assert_eq!(toasts[0].user, LI_SI);

    // 李四 asks the bot.
    client
        .find(Locator::Css(&format!(
            "[data-compose-text='{INCIDENT_CHAT}']"
        )))
        .await
        .unwrap()
        .send_keys("@Ops Bot status")
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!(
            "[data-compose='{INCIDENT_CHAT}'] .compose-send"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let bodies = format!("[data-chat='{INCIDENT_CHAT}'] .messages li .body");
    page.wait_until("the question shows in the chat", || async {
        page.texts(&bodies)
            .await
            .contains(&"@Ops Bot status".to_owned())
    })
    .await
    .unwrap();
    let replies = format!("[data-chat='{INCIDENT_CHAT}'] .messages li.reply .body");
    page.wait_until("the bot's reply shows under it", || async {
        page.texts(&replies).await == ["INC-7 (api: 5xx above 5%): acknowledged by 李四".to_owned()]
    })
    .await
    .unwrap();

    if let Some(path) = std::env::var_os("FEISHU_CONVERSATION_SCREENSHOT") {
        let chat = client
            .find(Locator::Css(&format!("[data-chat='{INCIDENT_CHAT}']")))
            .await
            .unwrap();
        client
            .execute(
                "arguments[0].scrollIntoView({block: 'start'});",
                vec![serde_json::to_value(&chat).unwrap()],
            )
            .await
            .unwrap();
        let png = chat.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }
    page.close().await.unwrap();
    offline.connection.shutdown().await;
}

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
#[path = "../examples/incident_bot/script.rs"]
#[allow(dead_code)]
mod script;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use bot::IncidentBot;
use fantoccini::{Client, ClientBuilder, Locator};
use feishu_emulator::Emulator;
use hyper_util::client::legacy::connect::HttpConnector;
use script::{BOT_OPEN_ID, INCIDENT_CHAT, LI_SI};

/// The first of `names` found on the PATH.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

/// chromedriver, stopped when dropped.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn connect(chromium: &PathBuf, driver_url: &str) -> Client {
    let profile = std::env::temp_dir().join(format!(
        "feishu-message-chromium-{}-{}",
        std::process::id(),
        free_port()
    ));
    let args = vec![
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--window-size=1400,1000".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(driver_url)
            .await
        {
            Ok(client) => return client,
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for chromedriver: {e}");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(e) => panic!("cannot start a Chromium session: {e}"),
        }
    }
}

/// Polls `check` until it holds (the page refreshes itself every second).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("timed out waiting until {what}");
}

async fn text_of(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(node) => node.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

async fn texts_of(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for node in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
        texts.push(node.text().await.unwrap_or_default());
    }
    texts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_incident_bot_answers_a_click_and_a_question_in_the_page() {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = on_path(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("chromium and chromedriver are needed in CI: run .ci/install-browser.sh");
        }
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };

    // The emulator on a loopback port, the bot on its long connection.
    let offline = script::start(Emulator::with_default_fixture().unwrap(), |client| {
        IncidentBot::new(client, Some(BOT_OPEN_ID.to_owned()))
    })
    .await
    .unwrap();
    let alert = offline
        .bot
        .post_alert(INCIDENT_CHAT, script::incident())
        .await
        .unwrap()
        .as_str()
        .to_owned();

    let port = free_port();
    let _driver = Driver(
        Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let client = connect(&chromium, &format!("http://127.0.0.1:{port}")).await;
    client
        .goto(&format!("{}/_emulator/ui", offline.server.url()))
        .await
        .unwrap();
    let header = format!("[data-card='{alert}'] .card-header");
    eventually("the alert card is drawn", || async {
        text_of(&client, &header).await == "[INC-7] api: 5xx above 5%"
    })
    .await;

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
    eventually("the toast shows", || async {
        text_of(&client, &toast).await == "You acknowledged INC-7"
    })
    .await;
    eventually("the card turns to Acknowledged by 李四", || async {
        text_of(&client, &header).await == "Acknowledged by 李四"
    })
    .await;
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
    eventually("the question shows in the chat", || async {
        texts_of(&client, &bodies)
            .await
            .contains(&"@Ops Bot status".to_owned())
    })
    .await;
    let replies = format!("[data-chat='{INCIDENT_CHAT}'] .messages li.reply .body");
    eventually("the bot's reply shows under it", || async {
        texts_of(&client, &replies).await
            == ["INC-7 (api: 5xx above 5%): acknowledged by 李四".to_owned()]
    })
    .await;

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
    client.close().await.unwrap();
    offline.connection.shutdown().await;
}

//! The page at `/_emulator/ui` in a real browser: headless Chromium driven
//! over WebDriver (chromedriver). A user leaves a chat through the form; the
//! chat's member list shrinks and the `im.chat.member.user.deleted_v1` event
//! shows up in the log with its delivery status.
//!
//! Needs `chromium` and `chromedriver` on the PATH (`.ci/install-browser.sh`).
//! With `CI` set the test fails without them; otherwise it is skipped.
//! Set `FEISHU_EMULATOR_SCREENSHOT=path.png` to save a screenshot (and
//! `FEISHU_EMULATOR_CONVERSATION_SCREENSHOT` for the conversation test).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use feishu_emulator::{Action, Emulator};
use hyper_util::client::legacy::connect::HttpConnector;

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";
const MEMBER_01: &str = "ou_44d2f618b28451c78921b81dc70fe3ff";

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
        "feishu-emulator-chromium-{}-{}",
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

async fn member_count(client: &Client, chat: &str) -> usize {
    client
        .find_all(Locator::Css(&format!("[data-chat='{chat}'] .members li")))
        .await
        .map(|items| items.len())
        .unwrap_or(0)
}

async fn deleted_event_status(client: &Client) -> String {
    let css = "#events tr[data-type='im.chat.member.user.deleted_v1'] td.status";
    match client.find(Locator::Css(css)).await {
        Ok(cell) => cell.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_leaves_through_the_page() {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = on_path(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("chromium and chromedriver are needed in CI: run .ci/install-browser.sh");
        }
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };

    // A small scenario, so the log has something to show.
    let emulator = Emulator::with_default_fixture().unwrap();
    let _in_process = emulator.subscribe();
    for action in [
        Action::UserJoin {
            user: WANG_WU.into(),
            chat: PUBLIC_CHAT.into(),
        },
        Action::AddUsers {
            user: LI_SI.into(),
            chat: ANNOUNCEMENT_CHAT.into(),
            users: vec![MEMBER_01.into()],
        },
        Action::OpenP2pChat {
            user: WANG_WU.into(),
            bot: HELPER.into(),
        },
    ] {
        emulator.act(action).unwrap();
    }
    let server = emulator.start("127.0.0.1:0").await.unwrap();

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
        .goto(&format!("{}/_emulator/ui", server.url()))
        .await
        .unwrap();
    eventually("the chat is listed with its 4 members", || async {
        member_count(&client, ANNOUNCEMENT_CHAT).await == 4
    })
    .await;
    assert_eq!(deleted_event_status(&client).await, "");

    // 王五 leaves the announcement chat, through the form.
    client
        .find(Locator::Css("#action"))
        .await
        .unwrap()
        .select_by_value("user_leave")
        .await
        .unwrap();
    client
        .find(Locator::Css("#user"))
        .await
        .unwrap()
        .select_by_value(WANG_WU)
        .await
        .unwrap();
    client
        .find(Locator::Css("#chat"))
        .await
        .unwrap()
        .select_by_value(ANNOUNCEMENT_CHAT)
        .await
        .unwrap();
    client
        .find(Locator::Css("#act-button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    eventually("the member list shrinks to 3", || async {
        member_count(&client, ANNOUNCEMENT_CHAT).await == 3
    })
    .await;
    let gone = format!("[data-chat='{ANNOUNCEMENT_CHAT}'] [data-member='{WANG_WU}']");
    assert!(client.find(Locator::Css(&gone)).await.is_err());
    eventually("the deleted event shows as delivered", || async {
        deleted_event_status(&client).await == "in-process: delivered"
    })
    .await;
    let result = client
        .find(Locator::Css("#result"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        result,
        "user_leave: 1 event(s) im.chat.member.user.deleted_v1"
    );

    if let Some(path) = std::env::var_os("FEISHU_EMULATOR_SCREENSHOT") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }
    client.close().await.unwrap();
}

/// A callback server answering every card click with a toast and a new card.
async fn approving_server() -> String {
    use axum::routing::post;
    let answer = serde_json::json!({
        "toast": {"type": "success", "content": "Approved"},
        "card": {"type": "raw", "data": {"schema": "2.0",
            "header": {"title": {"tag": "plain_text", "content": "Deploying api"}, "template": "green"},
            "body": {"elements": [{"tag": "markdown", "content": "approved"}]}}}
    })
    .to_string();
    let app = axum::Router::new().route(
        "/card",
        post(move || {
            let answer = answer.clone();
            async move {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    answer,
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/card")
}

async fn text_of(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(node) => node.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_is_clicked_and_a_message_written_through_the_page() {
    let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
    let chromedriver = on_path(&["chromedriver"]);
    let (Some(chromium), Some(chromedriver)) = (chromium, chromedriver) else {
        if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) {
            panic!("chromium and chromedriver are needed in CI: run .ci/install-browser.sh");
        }
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };
    let url = approving_server().await;
    let fixture = fixture_with(|f| f.apps[0].event_callback_url = Some(url));
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let _in_process = emulator.subscribe();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let card = serde_json::json!({
        "schema": "2.0",
        "header": {"title": {"tag": "plain_text", "content": "Deploy api?"}, "template": "orange"},
        "body": {"elements": [
            {"tag": "markdown", "content": "v2 is ready"},
            {"tag": "button", "text": {"tag": "plain_text", "content": "Approve"},
             "behaviors": [{"type": "callback", "value": {"decision": "approve"}}]}
        ]}
    });
    let (status, sent) = raw(
        &emulator,
        "POST",
        "/open-apis/im/v1/messages?receive_id_type=chat_id",
        Some(&token),
        Some(
            serde_json::json!({"receive_id": ANNOUNCEMENT_CHAT, "msg_type": "interactive",
            "content": card.to_string()}),
        ),
    );
    assert_eq!(status, 200, "{sent}");
    let message = sent["data"]["message_id"].as_str().unwrap().to_owned();
    let server = emulator.start("127.0.0.1:0").await.unwrap();

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
        .goto(&format!("{}/_emulator/ui", server.url()))
        .await
        .unwrap();
    let header = format!("[data-card='{message}'] .card-header");
    eventually("the card is drawn", || async {
        text_of(&client, &header).await == "Deploy api?"
    })
    .await;

    // 李四 clicks Approve: the app's toast shows and its card replaces the old one.
    client
        .find(Locator::Css(&format!(
            "[data-compose-user='{ANNOUNCEMENT_CHAT}']"
        )))
        .await
        .unwrap()
        .select_by_value(LI_SI)
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!(
            "[data-card='{message}'] .card-button"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let toast = format!("[data-toast='{ANNOUNCEMENT_CHAT}']");
    eventually("the toast shows", || async {
        text_of(&client, &toast).await == "Approved"
    })
    .await;
    eventually("the card is replaced", || async {
        text_of(&client, &header).await == "Deploying api"
    })
    .await;
    let toasts = emulator.snapshot().toasts;
    assert_eq!(toasts.len(), 1);
    assert_eq!(toasts[0].user, LI_SI);

    // 李四 writes to the bot through the chat's box.
    let text = client
        .find(Locator::Css(&format!(
            "[data-compose-text='{ANNOUNCEMENT_CHAT}']"
        )))
        .await
        .unwrap();
    text.send_keys("@Ops Bot ship it").await.unwrap();
    client
        .find(Locator::Css(&format!(
            "[data-compose='{ANNOUNCEMENT_CHAT}'] .compose-send"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    eventually("the message shows in the chat", || async {
        let css = format!("[data-chat='{ANNOUNCEMENT_CHAT}'] .messages li:last-child .body");
        text_of(&client, &css).await == "@Ops Bot ship it"
    })
    .await;
    eventually("the bot's receive event is logged", || async {
        !text_of(
            &client,
            "#events tr[data-type='im.message.receive_v1'] td.status",
        )
        .await
        .is_empty()
    })
    .await;
    if let Some(path) = std::env::var_os("FEISHU_EMULATOR_CONVERSATION_SCREENSHOT") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }
    client.close().await.unwrap();
}

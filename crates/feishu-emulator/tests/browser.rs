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

use common::*;
use fantoccini::{Client, Locator};
use feishu_emulator::browser::Page;
use feishu_emulator::{Action, Emulator};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";
const MEMBER_01: &str = "ou_44d2f618b28451c78921b81dc70fe3ff";

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

    let Some(page) = Page::open(&server.url()).await.unwrap() else {
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };
    let client = page.client().clone();
    page.wait_until("the chat is listed with its 4 members", || async {
        member_count(&client, ANNOUNCEMENT_CHAT).await == 4
    })
    .await
    .unwrap();
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

    page.wait_until("the member list shrinks to 3", || async {
        member_count(&client, ANNOUNCEMENT_CHAT).await == 3
    })
    .await
    .unwrap();
    let gone = format!("[data-chat='{ANNOUNCEMENT_CHAT}'] [data-member='{WANG_WU}']");
    assert!(client.find(Locator::Css(&gone)).await.is_err());
    page.wait_until("the deleted event shows as delivered", || async {
        deleted_event_status(&client).await == "in-process: delivered"
    })
    .await
    .unwrap();
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
    page.close().await.unwrap();
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_is_clicked_and_a_message_written_through_the_page() {
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

    let Some(page) = Page::open(&server.url()).await.unwrap() else {
        eprintln!("skipped: chromium or chromedriver not found (install: .ci/install-browser.sh)");
        return;
    };
    let client = page.client().clone();
    let header = format!("[data-card='{message}'] .card-header");
    page.wait_until("the card is drawn", || async {
        page.text(&header).await == "Deploy api?"
    })
    .await
    .unwrap();

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
    page.wait_until("the toast shows", || async {
        page.text(&toast).await == "Approved"
    })
    .await
    .unwrap();
    page.wait_until("the card is replaced", || async {
        page.text(&header).await == "Deploying api"
    })
    .await
    .unwrap();
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
    page.wait_until("the message shows in the chat", || async {
        let css = format!("[data-chat='{ANNOUNCEMENT_CHAT}'] .messages li:last-child .body");
        page.text(&css).await == "@Ops Bot ship it"
    })
    .await
    .unwrap();
    page.wait_until("the bot's receive event is logged", || async {
        !page
            .text("#events tr[data-type='im.message.receive_v1'] td.status")
            .await
            .is_empty()
    })
    .await
    .unwrap();
    if let Some(path) = std::env::var_os("FEISHU_EMULATOR_CONVERSATION_SCREENSHOT") {
        let png = client.screenshot().await.unwrap();
        std::fs::write(path, png).unwrap();
    }
    page.close().await.unwrap();
}

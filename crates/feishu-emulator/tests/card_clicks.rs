//! Card clicks: `card.action.trigger` to the app that sent the card over
//! its callback URL (a server in the test) or its long connection, the
//! answer's toast and card, the documented error codes, and the delayed
//! card update with the callback's token.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::{
    Action, CardClickOutcome, Clock, Emulator, Fixture, CARD_CALLBACK_BAD_ANSWER,
    CARD_CALLBACK_NOT_CONFIGURED, CARD_CALLBACK_TIMED_OUT,
};
use serde_json::{json, Value};

/// A user of the main tenant outside the main chat.
const OUTSIDER: &str = "ou_7ed9de056a25ce5d4d7759d9dd3cc1b2";

fn click(user: &str, message: &str, value: Value) -> Action {
    Action::UserClicksCard {
        user: user.into(),
        message: message.into(),
        value,
        form_value: None,
        tag: None,
        name: None,
        input_value: None,
        option: None,
    }
}

fn approval_card() -> Value {
    json!({
        "schema": "2.0",
        "header": {"title": {"tag": "plain_text", "content": "Deploy api?"}, "template": "orange"},
        "body": {"elements": [
            {"tag": "markdown", "content": "**api** v2 is ready"},
            {"tag": "button", "text": {"tag": "plain_text", "content": "Approve"},
             "behaviors": [{"type": "callback", "value": {"decision": "approve"}}]}
        ]}
    })
}

async fn card_server(
    answer: Value,
    delay: Duration,
) -> (String, tokio::sync::mpsc::Receiver<Value>) {
    let (url, mut seen) = card_server_with(200, answer, delay).await;
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(async move {
        while let Some((_, body)) = seen.recv().await {
            let _ = tx.send(body).await;
        }
    });
    (url, rx)
}

/// A callback server answering every card click with HTTP `status` and
/// `answer` after `delay`; it passes on each request's headers and body.
async fn card_server_with(
    status: u16,
    answer: Value,
    delay: Duration,
) -> (
    String,
    tokio::sync::mpsc::Receiver<(axum::http::HeaderMap, Value)>,
) {
    use axum::routing::post;
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let app = axum::Router::new().route(
        "/card",
        post(
            move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                let tx = tx.clone();
                let answer = answer.clone();
                async move {
                    let request: Value = serde_json::from_slice(&body).unwrap();
                    let _ = tx.send((headers, request)).await;
                    tokio::time::sleep(delay).await;
                    (
                        axum::http::StatusCode::from_u16(status).unwrap(),
                        [(axum::http::header::CONTENT_TYPE, "application/json")],
                        answer.to_string(),
                    )
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/card"), rx)
}

/// The delayed card update with `body`, as the app of `token`.
fn update_card(emulator: &Emulator, token: &str, body: Value) -> (u16, Value) {
    raw(
        emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(token),
        Some(body),
    )
}

fn with_callback(url: &str) -> Fixture {
    fixture_with(|f| f.apps[0].event_callback_url = Some(url.to_owned()))
}

fn card_of(emulator: &Emulator, message: &str) -> Option<Value> {
    emulator
        .snapshot()
        .chats
        .iter()
        .flat_map(|c| c.messages.iter())
        .find(|m| m.message_id == message)
        .and_then(|m| m.card.clone())
}

/// A fresh emulator whose bot app calls back `url`: the bot sends the
/// approval card to the main chat and 李四 clicks it with `value`: the
/// emulator, the card's message id and what the click showed.
async fn click_through(url: &str, value: Value) -> (Emulator, String, CardClickOutcome) {
    let emulator = Emulator::from_fixture(with_callback(url)).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let outcome = emulator
        .perform(click(LI_SI, &card, value))
        .await
        .unwrap()
        .card
        .unwrap();
    (emulator, card, outcome)
}

#[tokio::test]
async fn a_click_calls_the_app_back_and_its_answer_shows_a_toast_and_a_new_card() {
    let answer = json!({
        "toast": {"type": "success", "content": "Approved"},
        "card": {"type": "raw", "data": {"schema": "2.0",
            "header": {"title": {"tag": "plain_text", "content": "Deploying api"}},
            "body": {"elements": [{"tag": "markdown", "content": "approved by 李四"}]}}}
    });
    let (url, mut requests) = card_server(answer.clone(), Duration::ZERO).await;
    let emulator = Emulator::builder()
        .fixture(with_callback(&url))
        .clock(Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let done = emulator
        .perform(Action::UserClicksCard {
            user: LI_SI.into(),
            message: card.clone(),
            value: json!({"decision": "approve"}),
            form_value: Some(json!({"reason": "tested"})),
            tag: None,
            name: Some("approve".into()),
            input_value: None,
            option: None,
        })
        .await
        .unwrap();
    let outcome: CardClickOutcome = done.card.unwrap();
    assert_eq!(outcome.via.as_deref(), Some("callback_url"));
    assert_eq!(outcome.error_code, None, "{outcome:?}");
    assert_eq!(outcome.toast, Some(answer["toast"].clone()));
    assert!(outcome.card_replaced);
    let request = requests.recv().await.unwrap();
    assert_eq!(request["schema"], "2.0");
    assert_eq!(request["header"]["event_type"], "card.action.trigger");
    assert_eq!(request["header"]["app_id"], BOT);
    assert_eq!(request["event"]["operator"]["open_id"], LI_SI);
    assert_eq!(
        request["event"]["action"]["value"],
        json!({"decision": "approve"})
    );
    assert_eq!(request["event"]["action"]["tag"], "button");
    assert_eq!(request["event"]["action"]["form_value"]["reason"], "tested");
    assert_eq!(request["event"]["action"]["name"], "approve");
    assert_eq!(
        request["event"]["context"]["open_message_id"],
        card.as_str()
    );
    assert_eq!(request["event"]["context"]["open_chat_id"], MAIN_CHAT);
    assert_eq!(request["event"]["token"], outcome.token.as_str());
    assert!(outcome.token.starts_with("c-"));
    // The chat shows the new card; the toast is recorded.
    assert_eq!(
        card_of(&emulator, &card),
        Some(answer["card"]["data"].clone())
    );
    let toasts = emulator.snapshot().toasts;
    assert_eq!(toasts.len(), 1);
    assert_eq!(
        (toasts[0].message_id.as_str(), toasts[0].user.as_str()),
        (card.as_str(), LI_SI)
    );
    assert_eq!(toasts[0].toast.as_ref().unwrap()["content"], "Approved");

    // The delayed update with the callback's token: twice, then used up.
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let update = |n: u32| {
        json!({"token": outcome.token, "card": {"schema": "2.0",
            "body": {"elements": [{"tag": "markdown", "content": format!("step {n}")}]}}})
    };
    for n in 1..=2 {
        let (status, body) = update_card(&emulator, &token, update(n));
        assert_eq!((status, &body["code"]), (200, &json!(0)), "{body}");
        assert_eq!(
            card_of(&emulator, &card).unwrap()["body"]["elements"][0]["content"],
            format!("step {n}")
        );
    }
    let (_, third) = update_card(&emulator, &token, update(3));
    assert_eq!(third["code"], 300040, "{third}");
    // Another app cannot use the token; an unknown token is refused.
    let helper = tenant_token(&emulator, HELPER, HELPER_SECRET);
    let (_, other) = update_card(&emulator, &helper, update(3));
    assert_eq!(other["code"], 300040, "{other}");
    let (_, unknown) = update_card(
        &emulator,
        &token,
        json!({"token": "c-unknown", "card": {"schema": "2.0", "body": {"elements": []}}}),
    );
    assert_eq!(unknown["code"], 300020, "{unknown}");

    // A second click's token expires after 30 minutes, and is the sender's only.
    let again = emulator
        .perform(click(LI_SI, &card, json!({"decision": "approve"})))
        .await
        .unwrap()
        .card
        .unwrap();
    let later = json!({"token": again.token, "card": {"schema": "2.0", "body": {"elements": []}}});
    let (_, foreign) = update_card(&emulator, &helper, later.clone());
    assert_eq!(foreign["code"], 200310, "{foreign}");
    emulator.advance(Duration::from_secs(31 * 60));
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let (_, expired) = update_card(&emulator, &token, later);
    assert_eq!(expired["code"], 300030, "{expired}");
}

#[tokio::test]
async fn a_late_answer_is_the_documented_timeout() {
    let (url, _requests) = card_server(
        json!({"toast": {"type": "info", "content": "too late"}}),
        Duration::from_millis(3_600),
    )
    .await;
    let (emulator, card, outcome) = click_through(&url, json!({"decision": "approve"})).await;
    assert_eq!(outcome.error_code, Some(CARD_CALLBACK_TIMED_OUT));
    assert_eq!(outcome.toast, None);
    assert!(!outcome.card_replaced);
    assert_eq!(card_of(&emulator, &card), Some(approval_card()));
    assert_eq!(emulator.snapshot().toasts[0].error_code, Some(200341));
}

#[tokio::test]
async fn malformed_answers_and_missing_receivers_have_their_codes() {
    let (url, _requests) = card_server(json!(["not", "an", "object"]), Duration::ZERO).await;
    let (_, _, outcome) = click_through(&url, json!("approve")).await;
    assert_eq!(outcome.error_code, Some(CARD_CALLBACK_BAD_ANSWER));

    let emulator = Emulator::with_default_fixture().unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let outcome = emulator
        .perform(click(LI_SI, &card, json!("approve")))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(outcome.error_code, Some(CARD_CALLBACK_NOT_CONFIGURED));
    assert_eq!(outcome.via, None);
    // The synchronous entry point refuses a click: it must wait.
    assert!(emulator.act(click(LI_SI, &card, json!("approve"))).is_err());
    // Only members click.
    let err = emulator
        .perform(click(OUTSIDER, &card, json!("approve")))
        .await
        .unwrap_err();
    assert_eq!(err.code, 230027);
}

#[tokio::test]
async fn a_click_goes_over_the_long_connection_and_the_answer_comes_back_in_the_ack() {
    use feishu_protocol::ack::ack;
    use feishu_protocol::frame::{Frame, METHOD_DATA};
    use futures::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    let (emulator, server) = serve(None).await;
    let http = reqwest::Client::new();
    let url = long_connection_url(&http, &server.url(), BOT, BOT_SECRET).await;
    let (socket, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let (mut sink, mut stream) = socket.split();
    let (seen_tx, mut seen) = tokio::sync::mpsc::channel::<(String, Value)>(8);
    tokio::spawn(async move {
        while let Some(Ok(message)) = stream.next().await {
            let Message::Binary(bytes) = message else {
                continue;
            };
            let Ok(frame) = Frame::decode(&bytes) else {
                continue;
            };
            if frame.method != METHOD_DATA {
                continue;
            }
            let body: Value = serde_json::from_slice(frame.payload_bytes()).unwrap();
            let answer = if body["header"]["event_type"] == "card.action.trigger" {
                Some(json!({"toast": {"type": "info", "content": "on it"},
                    "card": {"type": "template", "data": {"template_id": "AAqDeploy",
                        "template_variable": {"state": "running"}}}}))
            } else {
                None
            };
            let reply = ack(&frame, 200, answer.as_ref(), Duration::from_millis(3));
            let _ = seen_tx.send((frame.message_type().to_owned(), body)).await;
            let _ = sink.send(Message::Binary(reply.encode().into())).await;
        }
    });
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let answer = http
        .post(format!("{}/_emulator/actions", server.url()))
        .json(
            &json!({"action": "user_clicks_card", "message": card, "user": LI_SI,
            "value": {"decision": "approve"}, "tag": "button"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 200);
    let answer: Value = answer.json().await.unwrap();
    let outcome = &answer["data"]["card"];
    assert_eq!(outcome["via"], "long_connection", "{answer}");
    assert_eq!(outcome["toast"]["content"], "on it");
    assert_eq!(outcome["card_replaced"], true);
    assert_eq!(outcome["error_code"], Value::Null);
    let (kind, request) = seen.recv().await.unwrap();
    assert_eq!(kind, "event");
    assert_eq!(request["event"]["action"]["value"]["decision"], "approve");
    assert_eq!(
        card_of(&emulator, &card),
        Some(
            json!({"type": "template", "data": {"template_id": "AAqDeploy",
            "template_variable": {"state": "running"}}})
        )
    );
}

#[tokio::test]
async fn an_app_with_an_encrypt_key_gets_the_click_encrypted_and_signed() {
    use feishu_emulator::feishu_model::Secret;
    use feishu_protocol::crypto;
    let key = Secret::new("card-encrypt-key");
    let (url, mut requests) = card_server_with(
        200,
        json!({"toast": {"type": "info", "content": "sealed"}}),
        Duration::ZERO,
    )
    .await;
    let fixture = fixture_with(|f| {
        f.apps[0].event_callback_url = Some(url.clone());
        f.apps[0].encrypt_key = Some(key.clone());
    });
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let outcome = emulator
        .perform(click(LI_SI, &card, json!({"decision": "approve"})))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(outcome.toast.unwrap()["content"], "sealed");
    let (headers, sealed) = requests.recv().await.unwrap();
    let header = |name: &str| headers.get(name).unwrap().to_str().unwrap().to_owned();
    let raw_body = serde_json::to_vec(&sealed).unwrap();
    assert_eq!(
        header("x-lark-signature"),
        crypto::signature(
            &header("x-lark-request-timestamp"),
            &header("x-lark-request-nonce"),
            &key,
            &raw_body
        )
    );
    let plain = crypto::decrypt(&key, sealed["encrypt"].as_str().unwrap()).unwrap();
    let request: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(request["header"]["event_type"], "card.action.trigger");
    assert_eq!(request["event"]["token"], outcome.token.as_str());
}

#[tokio::test]
async fn an_unreachable_address_and_a_failing_status_have_their_codes() {
    let (url, _seen) = card_server_with(500, json!({}), Duration::ZERO).await;
    let (_, _, failing) = click_through(&url, json!("approve")).await;
    assert_eq!(
        failing.error_code,
        Some(feishu_emulator::CARD_CALLBACK_BAD_STATUS)
    );

    let (url, _seen) = card_server_with(302, json!({}), Duration::ZERO).await;
    let (_, _, redirected) = click_through(&url, json!("approve")).await;
    assert_eq!(redirected.error_code, Some(200671));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let (_, _, unreachable) =
        click_through(&format!("http://127.0.0.1:{port}/card"), json!("approve")).await;
    assert_eq!(
        unreachable.error_code,
        Some(feishu_emulator::CARD_CALLBACK_UNREACHABLE)
    );
    assert_eq!(
        unreachable.error.as_deref(),
        Some("no TCP connection to the card callback address")
    );
}

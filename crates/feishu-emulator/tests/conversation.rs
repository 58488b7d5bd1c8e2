//! The emulator plays the people in conversations: users send messages
//! (with mentions), react, read and recall; card clicks call the app back
//! over its callback URL or its long connection; the delayed card update.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::*;
use feishu_emulator::feishu_model::events::GroupEvent;
use feishu_emulator::feishu_model::AppId;
use feishu_emulator::{
    Action, CardClickOutcome, Clock, EmittedEvent, Emulator, Fixture, CARD_CALLBACK_BAD_ANSWER,
    CARD_CALLBACK_NOT_CONFIGURED, CARD_CALLBACK_TIMED_OUT,
};
use serde_json::{json, Value};

const WANG_WU: &str = "ou_4d7a3c6e2ac812995780137955766828";
const OPS_BOT_OPEN_ID: &str = "ou_1c14bf04c4b3c259593b8139f4e8586a";
/// A user of the main tenant outside the main chat.
const OUTSIDER: &str = "ou_7ed9de056a25ce5d4d7759d9dd3cc1b2";
/// A plain member of the main chat who may speak there.
const MEMBER_01: &str = "ou_44d2f618b28451c78921b81dc70fe3ff";

fn send(user: &str, chat: &str, text: &str) -> Action {
    Action::UserSendsMessage {
        user: user.into(),
        chat: chat.into(),
        text: text.into(),
    }
}

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

fn only(events: &[EmittedEvent], event_type: &str) -> Vec<EmittedEvent> {
    events
        .iter()
        .filter(|e| e.event_type() == event_type)
        .cloned()
        .collect()
}

/// The bot `app` sends `content` of `msg_type` to `chat`; the message id.
fn bot_sends(emulator: &Emulator, chat: &str, msg_type: &str, content: Value) -> String {
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

#[tokio::test]
async fn a_mention_of_the_bot_reaches_it_with_the_documented_content() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let done = emulator
        .perform(send(LI_SI, MAIN_CHAT, "@Ops Bot deploy api for @王五"))
        .await
        .unwrap();
    let id = done.message_id.unwrap();
    assert!(id.starts_with("om_"), "{id}");
    let received = only(&done.events, "im.message.receive_v1");
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].app_id.as_str(), BOT);
    let GroupEvent::MessageReceived(event) = &received[0].event else {
        panic!("{:?}", received[0].event)
    };
    let e = &event.event;
    assert_eq!(e.message.message_id.as_str(), id);
    assert_eq!(
        e.message.content,
        r#"{"text":"@_user_1 deploy api for @_user_2"}"#
    );
    assert_eq!(e.command_text().as_deref(), Some("deploy api for"));
    assert!(e.is_mentioned(OPS_BOT_OPEN_ID));
    assert!(e.is_mentioned(WANG_WU));
    let body = &received[0].body["event"];
    assert_eq!(body["message"]["chat_type"], "group");
    assert_eq!(body["message"]["mentions"][0]["mentioned_type"], "bot");
    assert_eq!(body["message"]["mentions"][1]["name"], "王五");
    assert_eq!(body["sender"]["sender_type"], "user");
    assert_eq!(body["sender"]["sender_id"]["open_id"], LI_SI);
    // The history shows the message as the API does.
    let snapshot = emulator.snapshot();
    let chat = snapshot
        .chats
        .iter()
        .find(|c| c.chat_id == MAIN_CHAT)
        .unwrap();
    let stored = chat.messages.last().unwrap();
    assert_eq!(
        (stored.message_id.as_str(), stored.sender.id.as_str()),
        (id.as_str(), LI_SI)
    );
    assert_eq!(stored.msg_type, "text");
}

#[tokio::test]
async fn group_messages_without_a_mention_reach_only_bots_with_group_msg() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let quiet = emulator.act(send(LI_SI, MAIN_CHAT, "lunch?")).unwrap();
    assert!(quiet.is_empty(), "{quiet:?}");
    let fixture = fixture_with(|f| f.apps[0].group_msg = true);
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let heard = emulator.act(send(LI_SI, MAIN_CHAT, "lunch?")).unwrap();
    assert_eq!(heard.len(), 1);
    assert_eq!(
        heard[0].body["event"]["message"]["content"],
        r#"{"text":"lunch?"}"#
    );
}

#[tokio::test]
async fn the_bot_of_a_one_to_one_chat_sees_everything() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let opened = emulator
        .act(Action::OpenP2pChat {
            user: LI_SI.into(),
            bot: AppId::from(BOT),
        })
        .unwrap();
    let chat = opened
        .iter()
        .find_map(|e| e.body["event"]["chat_id"].as_str().map(str::to_owned))
        .unwrap();
    let events = emulator.act(send(LI_SI, &chat, "status")).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].body["event"]["message"]["chat_type"], "p2p");
    assert_eq!(events[0].body["event"]["message"]["chat_id"], chat.as_str());
}

#[tokio::test]
async fn a_non_member_cannot_send() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let err = emulator.act(send(OUTSIDER, MAIN_CHAT, "hi")).unwrap_err();
    assert_eq!(err.code, 230027, "{err}");
}

#[tokio::test]
async fn reactions_reads_and_recalls_emit_their_events_and_show_in_the_api() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let opened = emulator
        .act(Action::OpenP2pChat {
            user: LI_SI.into(),
            bot: AppId::from(BOT),
        })
        .unwrap();
    let p2p = opened
        .iter()
        .find_map(|e| e.body["event"]["chat_id"].as_str().map(str::to_owned))
        .unwrap();
    let from_bot = bot_sends(&emulator, &p2p, "text", json!({"text": "build failed"}));

    let reacted = emulator
        .act(Action::UserReacts {
            user: LI_SI.into(),
            message: from_bot.clone(),
            emoji_type: "THUMBSUP".into(),
        })
        .unwrap();
    assert_eq!(reacted.len(), 1);
    assert_eq!(reacted[0].event_type(), "im.message.reaction.created_v1");
    let event = &reacted[0].body["event"];
    assert_eq!(event["message_id"], from_bot.as_str());
    assert_eq!(event["reaction_type"]["emoji_type"], "THUMBSUP");
    assert_eq!(event["operator_type"], "user");
    assert_eq!(event["user_id"]["open_id"], LI_SI);
    let (status, list) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{from_bot}/reactions"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["data"]["items"][0]["operator"]["operator_id"], LI_SI);

    let read = emulator
        .act(Action::UserReads {
            user: LI_SI.into(),
            message: from_bot.clone(),
        })
        .unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].event_type(), "im.message.message_read_v1");
    assert_eq!(
        read[0].body["event"]["message_id_list"],
        json!([from_bot.as_str()])
    );
    assert_eq!(
        read[0].body["event"]["reader"]["reader_id"]["open_id"],
        LI_SI
    );
    let (status, readers) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{from_bot}/read_users?user_id_type=open_id"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{readers}");
    assert_eq!(readers["data"]["items"][0]["user_id"], LI_SI);

    let mine = emulator
        .perform(send(LI_SI, &p2p, "never mind"))
        .await
        .unwrap()
        .message_id
        .unwrap();
    let recalled = emulator
        .act(Action::UserRecalls {
            user: LI_SI.into(),
            message: mine.clone(),
        })
        .unwrap();
    assert_eq!(recalled.len(), 1);
    assert_eq!(recalled[0].event_type(), "im.message.recalled_v1");
    assert_eq!(recalled[0].body["event"]["recall_type"], "message_owner");
    assert_eq!(recalled[0].body["event"]["chat_id"], p2p.as_str());
    let (status, got) = raw(
        &emulator,
        "GET",
        &format!("/open-apis/im/v1/messages/{mine}"),
        Some(&token),
        None,
    );
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["data"]["items"][0]["deleted"], true);
}

#[tokio::test]
async fn the_admin_api_runs_the_conversation_actions() {
    let (emulator, server) = serve(None).await;
    let http = reqwest::Client::new();
    let post = |body: Value| {
        let http = http.clone();
        let url = format!("{}/_emulator/actions", server.url());
        async move {
            let answer = http.post(url).json(&body).send().await.unwrap();
            let status = answer.status().as_u16();
            (status, answer.json::<Value>().await.unwrap())
        }
    };
    let (status, sent) = post(json!({"action": "user_sends_message", "chat": MAIN_CHAT,
        "user": MEMBER_01, "text": "@Ops Bot rollback"}))
    .await;
    assert_eq!(status, 200, "{sent}");
    let id = sent["data"]["message_id"].as_str().unwrap().to_owned();
    assert_eq!(
        sent["data"]["events"][0]["header"]["event_type"],
        "im.message.receive_v1"
    );
    assert_eq!(
        sent["data"]["events"][0]["event"]["message"]["message_id"],
        id.as_str()
    );
    let (status, reacted) = post(json!({"action": "user_reacts", "message": id,
        "user": LI_SI, "emoji_type": "DONE"}))
    .await;
    assert_eq!(status, 200, "{reacted}");
    assert_eq!(
        reacted["data"]["events"][0]["event"]["reaction_type"]["emoji_type"],
        "DONE"
    );
    let (status, read) = post(json!({"action": "user_reads", "message": id, "user": LI_SI})).await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["data"]["events"], json!([]));
    let (status, refused) =
        post(json!({"action": "user_recalls", "message": id, "user": WANG_WU})).await;
    assert_eq!(status, 400, "{refused}");
    assert_eq!(refused["code"], 230026);
    let (status, recalled) =
        post(json!({"action": "user_recalls", "message": id, "user": MEMBER_01})).await;
    assert_eq!(status, 200, "{recalled}");
    assert_eq!(
        recalled["data"]["events"][0]["header"]["event_type"],
        "im.message.recalled_v1"
    );
    let (status, click) = post(json!({"action": "user_clicks_card", "message": id,
        "user": LI_SI, "value": {"k": "v"}}))
    .await;
    assert_eq!(status, 400, "{click}");
    assert_eq!(
        click["code"], 230011,
        "a recalled message cannot be clicked"
    );
    let state: Value = http
        .get(format!("{}/_emulator/state", server.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let chat = state["data"]["chats"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["chat_id"] == MAIN_CHAT)
        .unwrap();
    let message = chat["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["message_id"] == id.as_str())
        .unwrap();
    assert_eq!(message["deleted"], true);
    assert_eq!(message["sender"]["id"], MEMBER_01);
    drop(emulator);
}

/// A callback server answering every card click with `answer` after `delay`.
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
        let (status, body) = raw(
            &emulator,
            "POST",
            "/open-apis/interactive/v1/card/update",
            Some(&token),
            Some(update(n)),
        );
        assert_eq!((status, &body["code"]), (200, &json!(0)), "{body}");
        assert_eq!(
            card_of(&emulator, &card).unwrap()["body"]["elements"][0]["content"],
            format!("step {n}")
        );
    }
    let (_, third) = raw(
        &emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(&token),
        Some(update(3)),
    );
    assert_eq!(third["code"], 300040, "{third}");
    // Another app cannot use the token; an unknown token is refused.
    let helper = tenant_token(&emulator, HELPER, HELPER_SECRET);
    let (_, other) = raw(
        &emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(&helper),
        Some(update(3)),
    );
    assert_eq!(other["code"], 300040, "{other}");
    let (_, unknown) = raw(
        &emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(&token),
        Some(json!({"token": "c-unknown", "card": {"schema": "2.0", "body": {"elements": []}}})),
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
    let (_, foreign) = raw(
        &emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(&helper),
        Some(later.clone()),
    );
    assert_eq!(foreign["code"], 200310, "{foreign}");
    emulator.advance(Duration::from_secs(31 * 60));
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let (_, expired) = raw(
        &emulator,
        "POST",
        "/open-apis/interactive/v1/card/update",
        Some(&token),
        Some(later),
    );
    assert_eq!(expired["code"], 300030, "{expired}");
}

#[tokio::test]
async fn a_late_answer_is_the_documented_timeout() {
    let (url, _requests) = card_server(
        json!({"toast": {"type": "info", "content": "too late"}}),
        Duration::from_millis(3_600),
    )
    .await;
    let emulator = Emulator::from_fixture(with_callback(&url)).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let outcome = emulator
        .perform(click(LI_SI, &card, json!({"decision": "approve"})))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(outcome.error_code, Some(CARD_CALLBACK_TIMED_OUT));
    assert_eq!(outcome.toast, None);
    assert!(!outcome.card_replaced);
    assert_eq!(card_of(&emulator, &card), Some(approval_card()));
    assert_eq!(emulator.snapshot().toasts[0].error_code, Some(200341));
}

#[tokio::test]
async fn malformed_answers_and_missing_receivers_have_their_codes() {
    let (url, _requests) = card_server(json!(["not", "an", "object"]), Duration::ZERO).await;
    let emulator = Emulator::from_fixture(with_callback(&url)).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let outcome = emulator
        .perform(click(LI_SI, &card, json!("approve")))
        .await
        .unwrap()
        .card
        .unwrap();
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
    let v: Value = http
        .post(format!("{}/callback/ws/endpoint", server.url()))
        .json(&json!({"AppID": BOT, "AppSecret": BOT_SECRET}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = v["data"]["URL"].as_str().unwrap().to_owned();
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
async fn fixture_scripts_play_the_conversation_actions() {
    let mut fixture = Fixture::default_seed().unwrap();
    let script = Fixture::from_json(&format!(
        r#"{{"script": [
            {{"action": "user_sends_message", "chat": "{MAIN_CHAT}", "user": "{LI_SI}", "text": "@Ops Bot hi"}},
            {{"delay_ms": 5, "action": "user_sends_message", "chat": "{MAIN_CHAT}", "user": "{MEMBER_01}", "text": "no mention"}}
        ]}}"#
    ))
    .unwrap()
    .script;
    fixture.script = script;
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let outcomes = emulator.play_script().await.unwrap();
    assert_eq!(
        outcomes
            .iter()
            .map(|o| o.clone().unwrap())
            .collect::<Vec<_>>(),
        [1, 0]
    );
    let parsed: Action = serde_json::from_value(json!({"action": "user_clicks_card",
        "message": "om_1", "user": LI_SI, "value": {"a": 1}, "option": "x"}))
    .unwrap();
    assert_eq!(parsed.name(), "user_clicks_card");
    let bad = serde_json::from_value::<Action>(json!({"action": "user_reacts",
        "message": "om_1", "user": LI_SI, "emoji": "DONE"}));
    assert!(bad.is_err());
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
    let emulator = Emulator::from_fixture(with_callback(&url)).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let failing = emulator
        .perform(click(LI_SI, &card, json!("approve")))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(
        failing.error_code,
        Some(feishu_emulator::CARD_CALLBACK_BAD_STATUS)
    );

    let (url, _seen) = card_server_with(302, json!({}), Duration::ZERO).await;
    let emulator = Emulator::from_fixture(with_callback(&url)).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let redirected = emulator
        .perform(click(LI_SI, &card, json!("approve")))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(redirected.error_code, Some(200671));

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let emulator =
        Emulator::from_fixture(with_callback(&format!("http://127.0.0.1:{port}/card"))).unwrap();
    let card = bot_sends(&emulator, MAIN_CHAT, "interactive", approval_card());
    let unreachable = emulator
        .perform(click(LI_SI, &card, json!("approve")))
        .await
        .unwrap()
        .card
        .unwrap();
    assert_eq!(
        unreachable.error_code,
        Some(feishu_emulator::CARD_CALLBACK_UNREACHABLE)
    );
    assert_eq!(
        unreachable.error.as_deref(),
        Some("no TCP connection to the card callback address")
    );
}

//! Card actions (`card.action.trigger`): typed handlers answered with a
//! toast, a card or `{}`, within the callback budget, never de-duplicated,
//! behind the same signature and encryption checks as events.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::*;
use feishu_events::{Dispatcher, Webhook, DEFAULT_CALLBACK_BUDGET};
use feishu_model::card::Card;
use feishu_model::events::{CardAction, CardAnswer, EventV2, GroupEvent, TemplateCard};
use serde_json::{json, Value};

fn hook() -> Webhook {
    Webhook::new().encrypt_key(KEY).verification_token(TOKEN)
}

fn click(event_id: &str) -> String {
    v2(
        event_id,
        "card.action.trigger",
        TOKEN,
        r#"{"operator":{"open_id":"ou_3c14","tenant_key":"2df7"},"token":"c-295ee572",
            "action":{"tag":"button","value":{"incident":"INC-7","verb":"ack"}},
            "host":"im_message",
            "context":{"open_message_id":"om_574d","open_chat_id":"oc_e4d2"}}"#,
    )
}

/// A signed, encrypted request carrying `plain`.
fn request(plain: &str) -> (Vec<(String, String)>, String) {
    let body = sealed(KEY, plain);
    (signed(KEY, &body), body)
}

async fn answer(dispatcher: &Dispatcher, plain: &str) -> (u16, Value) {
    let (headers, body) = request(plain);
    let outcome = dispatcher.handle(&headers, body.as_bytes()).await;
    let body = serde_json::from_str(&outcome.body).unwrap();
    (outcome.status, body)
}

#[tokio::test]
async fn a_toast_answer_is_the_body_of_the_200() {
    let dispatcher = Dispatcher::new(hook()).on_card_action(|e: EventV2<CardAction>| async move {
        assert_eq!(e.event.open_id(), Some("ou_3c14"));
        assert_eq!(e.event.token.expose(), "c-295ee572");
        assert_eq!(e.event.message_id().unwrap().as_str(), "om_574d");
        let incident = e.event.action.value_str("incident").unwrap().to_owned();
        Ok(CardAnswer::success(format!("{incident} acknowledged")))
    });
    let (status, body) = answer(&dispatcher, &click("c-1")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"toast": {"type": "success", "content": "INC-7 acknowledged"}})
    );
}

#[tokio::test]
async fn a_card_answer_carries_raw_card_json_or_a_template() {
    let card = Card::new().markdown("**INC-7** acknowledged by <at id=ou_3c14></at>");
    let expected = card.to_value().unwrap();
    let dispatcher = Dispatcher::new(hook()).on_card_action(move |e: EventV2<CardAction>| {
        let card = card.clone();
        async move {
            Ok(match e.event.action.value_str("verb") {
                Some("ack") => CardAnswer::info("ok").card(&card)?,
                _ => CardAnswer::empty()
                    .template(TemplateCard::new("AAqi6xJ8rabcd").variable("incident", "INC-7")),
            })
        }
    });
    let (status, body) = answer(&dispatcher, &click("c-2")).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"toast": {"type": "info", "content": "ok"},
               "card": {"type": "raw", "data": expected}})
    );

    let other = click("c-3").replace(r#""verb":"ack""#, r#""verb":"close""#);
    let (status, body) = answer(&dispatcher, &other).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"card": {"type": "template", "data": {
            "template_id": "AAqi6xJ8rabcd", "template_variable": {"incident": "INC-7"}}}})
    );
}

#[tokio::test]
async fn an_empty_answer_is_an_empty_object_and_card_actions_are_never_deduplicated() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let dispatcher = Dispatcher::new(hook()).on_card_action(move |_: EventV2<CardAction>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(CardAnswer::empty()) }
    });
    let (headers, body) = request(&click("c-same"));
    for _ in 0..2 {
        let outcome = dispatcher.handle(&headers, body.as_bytes()).await;
        assert_eq!((outcome.status, outcome.body.as_str()), (200, "{}"));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_plain_on_handler_for_card_actions_answers_an_empty_object() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let dispatcher = Dispatcher::new(hook()).on(move |e: EventV2<CardAction>| {
        assert_eq!(e.event.action.tag.as_deref(), Some("button"));
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(()) }
    });
    for _ in 0..2 {
        assert_eq!(answer(&dispatcher, &click("c-on")).await, (200, json!({})));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_card_action_without_a_handler_is_answered_an_empty_object() {
    let dispatcher = Dispatcher::new(hook());
    assert_eq!(
        answer(&dispatcher, &click("c-none")).await,
        (200, json!({}))
    );
}

#[tokio::test]
async fn a_failing_handler_is_answered_a_non_200_status() {
    // The callback page: an answer other than HTTP 200 makes the client
    // show the action failed (200671).
    let dispatcher = Dispatcher::new(hook()).on_card_action(|_: EventV2<CardAction>| async {
        Err::<CardAnswer, _>("the incident store is down".into())
    });
    let (status, body) = answer(&dispatcher, &click("c-err")).await;
    assert_eq!(status, 500);
    assert_eq!(body["error"], "handler_failed");
    assert!(body.get("toast").is_none() && body.get("card").is_none());

    let panicking = Dispatcher::new(hook()).on_card_action(|e: EventV2<CardAction>| async move {
        if e.event.action.tag.is_some() {
            panic!("broken handler");
        }
        Ok(CardAnswer::empty())
    });
    let (status, _) = answer(&panicking, &click("c-panic")).await;
    assert_eq!(status, 500);
}

#[tokio::test(start_paused = true)]
async fn a_handler_past_the_budget_gets_an_empty_answer_and_still_finishes() {
    assert_eq!(DEFAULT_CALLBACK_BUDGET, Duration::from_millis(2500));
    let finished = Arc::new(tokio::sync::Notify::new());
    let done = finished.clone();
    let dispatcher = Dispatcher::new(hook()).on_card_action(move |_: EventV2<CardAction>| {
        let done = done.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(10)).await;
            done.notify_one();
            Ok(CardAnswer::info("too late to be seen"))
        }
    });
    let started = tokio::time::Instant::now();
    let (status, body) = answer(&dispatcher, &click("c-slow")).await;
    // At the budget (virtual time), not when the handler ends.
    assert_eq!(started.elapsed(), DEFAULT_CALLBACK_BUDGET);
    assert_eq!((status, body), (200, json!({})));
    // The handler runs on to completion.
    finished.notified().await;
    assert_eq!(started.elapsed(), Duration::from_secs(10));
}

#[tokio::test(start_paused = true)]
async fn the_budget_is_configurable_and_a_fast_handler_is_answered_itself() {
    let dispatcher = Dispatcher::new(hook())
        .callback_budget(Duration::from_millis(500))
        .on_card_action(|e: EventV2<CardAction>| async move {
            let wait = if e.event.action.value_str("verb") == Some("ack") {
                400
            } else {
                600
            };
            tokio::time::sleep(Duration::from_millis(wait)).await;
            Ok(CardAnswer::info(format!("after {wait} ms")))
        });
    let started = tokio::time::Instant::now();
    let (_, body) = answer(&dispatcher, &click("c-fast")).await;
    assert_eq!(
        body,
        json!({"toast": {"type": "info", "content": "after 400 ms"}})
    );
    assert_eq!(started.elapsed(), Duration::from_millis(400));

    let started = tokio::time::Instant::now();
    let slow = click("c-late").replace(r#""verb":"ack""#, r#""verb":"close""#);
    assert_eq!(answer(&dispatcher, &slow).await, (200, json!({})));
    assert_eq!(started.elapsed(), Duration::from_millis(500));
}

#[tokio::test]
async fn signature_encryption_and_token_checks_apply_to_card_actions() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let dispatcher = Dispatcher::new(hook()).on_card_action(move |_: EventV2<CardAction>| {
        counter.fetch_add(1, Ordering::SeqCst);
        async { Ok(CardAnswer::info("ran")) }
    });
    let (headers, body) = request(&click("c-sig"));

    // A flipped byte in the body: the signature fails.
    let mut tampered = body.clone().into_bytes();
    tampered[20] ^= 1;
    assert_eq!(dispatcher.handle(&headers, &tampered).await.status, 401);
    // No signature headers at all.
    let none: [(&str, &str); 0] = [];
    assert_eq!(dispatcher.handle(&none, body.as_bytes()).await.status, 401);
    // Plain text while an Encrypt Key is set.
    let plain = click("c-plain");
    let outcome = dispatcher
        .handle(&signed(KEY, &plain), plain.as_bytes())
        .await;
    assert_eq!(outcome.status, 400);
    // The wrong Verification Token inside a valid envelope.
    let (headers_w, body_w) = request(&click("c-tok").replace(TOKEN, "v-other"));
    assert_eq!(
        dispatcher
            .handle(&headers_w, body_w.as_bytes())
            .await
            .status,
        401
    );
    assert_eq!(calls.load(Ordering::SeqCst), 0);

    // The genuine request runs.
    let outcome = dispatcher.handle(&headers, body.as_bytes()).await;
    assert_eq!(outcome.status, 200);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_typed_card_handler_coexists_with_untyped_callbacks() {
    let dispatcher = Dispatcher::new(hook())
        .callback("url.preview.get", |event: GroupEvent| async move {
            assert!(matches!(event, GroupEvent::Unknown { .. }));
            Ok(json!({"inline": {"title": "INC-7"}}))
        })
        .on_card_action(|_: EventV2<CardAction>| async { Ok(CardAnswer::info("card")) });
    let preview = v2(
        "p-1",
        "url.preview.get",
        TOKEN,
        r#"{"context":{"url":"https://x"}}"#,
    );
    assert_eq!(
        answer(&dispatcher, &preview).await,
        (200, json!({"inline": {"title": "INC-7"}}))
    );
    assert_eq!(
        answer(&dispatcher, &click("c-co")).await,
        (200, json!({"toast": {"type": "info", "content": "card"}}))
    );

    // An untyped callback registered later for card actions replaces the
    // typed one, and receives the typed variant.
    let dispatcher = dispatcher.callback("card.action.trigger", |event: GroupEvent| async move {
        let GroupEvent::CardAction(e) = event else {
            panic!("expected the typed variant")
        };
        Ok(json!({"toast": {"type": "info", "content": e.event.open_id()}}))
    });
    assert_eq!(
        answer(&dispatcher, &click("c-un")).await,
        (
            200,
            json!({"toast": {"type": "info", "content": "ou_3c14"}})
        )
    );
}

#[cfg(feature = "axum")]
#[tokio::test]
async fn over_http_the_answer_is_the_response_body() {
    let dispatcher = Dispatcher::new(hook())
        .on_card_action(|_: EventV2<CardAction>| async { Ok(CardAnswer::warning("careful")) });
    let app = feishu_events::axum::router(Arc::new(dispatcher));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhook/event", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let (headers, body) = request(&click("c-http"));
    let mut post = reqwest::Client::new().post(&url).body(body);
    for (k, v) in headers {
        post = post.header(k, v);
    }
    let response = post.send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/json; charset=utf-8"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"toast": {"type": "warning", "content": "careful"}})
    );
    server.abort();
}

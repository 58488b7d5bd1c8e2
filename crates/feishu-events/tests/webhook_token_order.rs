//! The Verification Token is checked before the typed decode, whichever way
//! the body is read: a wrong token is 401 even on a body that does not
//! decode, and a right token on such a body gives the decode error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_events::{Received, Webhook, WebhookError};

fn hook() -> Webhook {
    Webhook::new().encrypt_key(KEY).verification_token(TOKEN)
}

fn receive(plain: &str) -> Result<Received, WebhookError> {
    let body = sealed(KEY, plain);
    hook().receive(&signed(KEY, &body), body.as_bytes())
}

/// `im.chat.disbanded_v1` with `chat_id` given as `chat_id`.
fn disbanded(token: &str, chat_id: &str) -> String {
    v2(
        "e-1",
        "im.chat.disbanded_v1",
        token,
        &format!(r#"{{"chat_id":{chat_id}}}"#),
    )
}

#[test]
fn a_typed_event_with_the_right_token_is_accepted_and_a_wrong_one_refused() {
    let Received::Event(event) = receive(&disbanded(TOKEN, r#""oc_1""#)).unwrap() else {
        panic!("not an event");
    };
    assert_eq!(event.chat_id(), Some("oc_1"));
    assert_eq!(
        receive(&disbanded("other", r#""oc_1""#)).unwrap_err(),
        WebhookError::WrongToken
    );
}

#[test]
fn the_token_is_checked_before_a_field_of_the_wrong_type() {
    // `chat_id` is a number: the body does not decode.
    assert_eq!(
        receive(&disbanded("other", "7")).unwrap_err(),
        WebhookError::WrongToken
    );
    let error = receive(&disbanded(TOKEN, "7")).unwrap_err();
    assert!(matches!(error, WebhookError::Decode(_)), "{error:?}");
    assert_eq!(error.status(), 400);
}

#[test]
fn a_v1_event_is_checked_by_its_top_level_token() {
    let ticket = |token: &str| {
        format!(
            r#"{{"ts":"1608725989.123","uuid":"u-1","token":"{token}","type":"event_callback","event":{{"app_id":"cli_1","app_ticket":"tk","type":"app_ticket"}}}}"#
        )
    };
    assert!(matches!(receive(&ticket(TOKEN)), Ok(Received::Event(_))));
    assert_eq!(
        receive(&ticket("other")).unwrap_err(),
        WebhookError::WrongToken
    );
}

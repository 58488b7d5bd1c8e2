//! Every path through `Webhook`: accepted envelopes, the challenge, and each
//! rejection with its typed error and status; never a panic on any input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, UNIX_EPOCH};

use common::*;
use feishu_events::crypto::DecryptError;
use feishu_events::{Received, Webhook, WebhookError};
use feishu_model::events::GroupEvent;
use proptest::prelude::*;

const NO_HEADERS: [(&str, &str); 0] = [];

fn webhook() -> Webhook {
    Webhook::new().encrypt_key(KEY).verification_token(TOKEN)
}

fn disbanded(token: &str) -> String {
    v2(
        "ev-1",
        "im.chat.disbanded_v1",
        token,
        r#"{"chat_id":"oc_1","external":false}"#,
    )
}

fn event(received: Received) -> feishu_events::Event {
    match received {
        Received::Event(e) => e,
        other => panic!("not an event: {other:?}"),
    }
}

#[test]
fn signed_encrypted_event_is_accepted_and_typed() {
    let body = sealed(KEY, &disbanded(TOKEN));
    let e = event(
        webhook()
            .receive(&signed(KEY, &body), body.as_bytes())
            .unwrap(),
    );
    assert_eq!(e.event_type(), "im.chat.disbanded_v1");
    assert_eq!(e.event_id(), Some("ev-1"));
    assert_eq!(e.chat_id(), Some("oc_1"));
    let GroupEvent::ChatDisbanded(d) = e.event else {
        panic!()
    };
    assert_eq!(d.event.external, Some(false));
}

#[test]
fn plain_event_without_key() {
    let body = disbanded(TOKEN);
    let hook = Webhook::new().verification_token(TOKEN);
    let e = event(hook.receive(&NO_HEADERS, body.as_bytes()).unwrap());
    assert_eq!(e.chat_id(), Some("oc_1"));
    // No key, no token: nothing but the shape is checked.
    let e = event(
        Webhook::new()
            .receive(&NO_HEADERS, disbanded("other").as_bytes())
            .unwrap(),
    );
    assert_eq!(e.event_id(), Some("ev-1"));
}

#[test]
fn challenge_plain_and_encrypted() {
    let plain = format!(r#"{{"challenge":"c-42","token":"{TOKEN}","type":"url_verification"}}"#);
    let expected = Received::Challenge {
        challenge: "c-42".into(),
    };
    let hook = Webhook::new().verification_token(TOKEN);
    assert_eq!(
        hook.receive(&NO_HEADERS, plain.as_bytes()).unwrap(),
        expected
    );
    let answer = hook.respond(&NO_HEADERS, plain.as_bytes());
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"challenge":"c-42"}"#)
    );

    // Encrypted and unsigned, as the platform sends it.
    let body = sealed(KEY, &plain);
    assert_eq!(
        webhook().receive(&NO_HEADERS, body.as_bytes()).unwrap(),
        expected
    );
    // The spec's encrypted challenge vector, end to end.
    let vector = r#"{"encrypt":"tT1xP+ovuc0T3b/rnZX3ax76exqAn0ANQ6/U45GcciC0mgNBc8JtvqOJGNAPMKpgRs2dVU1NYk9VDeqS8T4SYtU0hzNU54aS84WnxvZ3VFfDcy/RyABlNqlUiGyLDzFI0yxdCMT4KR/YEQXlt6nZi50KwRlZ+A75r645KesZuLMljezYyY8VeeXEVjPw35+e"}"#;
    let hook = Webhook::new()
        .encrypt_key("mazhe.nerd")
        .verification_token("iRdCP2WwXNBXRM3mGLqhrgch3cn0gbT6");
    let answer = hook.respond(&NO_HEADERS, vector.as_bytes());
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (
            200,
            r#"{"challenge":"5634b122-c042-4634-bc7f-b07a3c3e77ad"}"#
        )
    );
    // A challenge with the wrong token is refused, as any unsigned body is.
    let wrong = sealed(KEY, &plain.replace(TOKEN, "nope"));
    assert_eq!(
        webhook().receive(&NO_HEADERS, wrong.as_bytes()),
        Err(WebhookError::MissingSignature {
            header: "X-Lark-Signature"
        })
    );
}

#[test]
fn v1_p2p_chat_create_and_app_ticket() {
    let p2p = format!(
        r#"{{"ts":"1502199207.7171419","uuid":"bc447199585340d1f3728d26b1c0297a","token":"{TOKEN}","type":"event_callback","event":{{"app_id":"cli_9e28cb7ba56a100e","chat_id":"oc_9e28cb7ba56a100e","operator":{{"open_id":"ou_2d2c0399b53d06fd195bb393cd1e38f2","user_id":"gfa21d92"}},"tenant_key":"736588c9260f175e","type":"p2p_chat_create","user":{{"name":"张三","open_id":"ou_7dede290d6a27698b969a7fd70ca53da","user_id":"gfa21d92"}}}}}}"#
    );
    let body = sealed(KEY, &p2p);
    let e = event(
        webhook()
            .receive(&signed(KEY, &body), body.as_bytes())
            .unwrap(),
    );
    assert_eq!(e.event_type(), "p2p_chat_create");
    assert_eq!(e.event_id(), Some("bc447199585340d1f3728d26b1c0297a"));
    assert_eq!(e.chat_id(), Some("oc_9e28cb7ba56a100e"));
    let GroupEvent::P2pChatCreate(p) = e.event else {
        panic!()
    };
    assert_eq!(p.event.user.unwrap().name.as_deref(), Some("张三"));

    let ticket = format!(
        r#"{{"ts":"1502199207.7171419","uuid":"u-ticket-1","token":"{TOKEN}","type":"event_callback","event":{{"app_id":"cli_a5f0d1c2b3e4f5a6","app_ticket":"ticket-xyz","type":"app_ticket"}}}}"#
    );
    let hook = Webhook::new().verification_token(TOKEN);
    let e = event(hook.receive(&NO_HEADERS, ticket.as_bytes()).unwrap());
    assert_eq!(e.event_id(), Some("u-ticket-1"));
    let GroupEvent::AppTicket(t) = &e.event else {
        panic!()
    };
    assert_eq!(t.event.app_ticket.expose(), "ticket-xyz");
    assert!(
        !format!("{e:?}").contains("ticket-xyz"),
        "Debug hides the ticket"
    );
}

#[test]
fn unknown_event_type_is_kept_raw() {
    let body = v2(
        "ev-9",
        "contact.user.created_v3",
        TOKEN,
        r#"{"message":{"chat_id":"oc_7"}}"#,
    );
    let hook = Webhook::new().verification_token(TOKEN);
    let e = event(hook.receive(&NO_HEADERS, body.as_bytes()).unwrap());
    assert_eq!(e.event_type(), "contact.user.created_v3");
    assert_eq!(e.event_id(), Some("ev-9"));
    let GroupEvent::Unknown { body, .. } = &e.event else {
        panic!()
    };
    assert_eq!(body["event"]["message"]["chat_id"], "oc_7");
}

/// Asserts `error` and its status; the message never shows the secrets.
fn rejected(
    hook: &Webhook,
    headers: &[(String, String)],
    body: &[u8],
    error: WebhookError,
    status: u16,
) {
    let got = hook.receive(headers, body).unwrap_err();
    assert_eq!(got, error);
    assert_eq!(got.status(), status, "{got}");
    let answer = hook.respond(headers, body);
    assert_eq!(answer.status, status);
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert_eq!(json["error"], got.kind());
    for secret in [KEY, TOKEN] {
        assert!(!answer.body.contains(secret) && !format!("{got:?}").contains(secret));
    }
}

#[test]
fn every_rejection_has_its_typed_error_and_status() {
    let hook = webhook();
    let body = sealed(KEY, &disbanded(TOKEN));
    let headers = signed(KEY, &body);

    // A flipped body byte (inside the ciphertext) breaks the signature.
    let mut flipped = body.clone().into_bytes();
    flipped[20] ^= 0x01;
    rejected(&hook, &headers, &flipped, WebhookError::BadSignature, 401);

    // Signed with another key.
    rejected(
        &hook,
        &signed("other key", &body),
        body.as_bytes(),
        WebhookError::BadSignature,
        401,
    );

    // A receiver configured with another key.
    let other = Webhook::new()
        .encrypt_key("other key")
        .verification_token(TOKEN);
    rejected(
        &other,
        &headers,
        body.as_bytes(),
        WebhookError::BadSignature,
        401,
    );

    // Missing headers: each one, and all three (an unsigned event).
    for (i, name) in [
        "X-Lark-Request-Timestamp",
        "X-Lark-Request-Nonce",
        "X-Lark-Signature",
    ]
    .into_iter()
    .enumerate()
    {
        let mut partial = headers.clone();
        partial.remove(i);
        let header = match i {
            0 => "X-Lark-Request-Timestamp",
            1 => "X-Lark-Request-Nonce",
            _ => "X-Lark-Signature",
        };
        assert_eq!(header, name);
        rejected(
            &hook,
            &partial,
            body.as_bytes(),
            WebhookError::MissingSignature { header },
            401,
        );
    }
    rejected(
        &hook,
        &[],
        body.as_bytes(),
        WebhookError::MissingSignature {
            header: "X-Lark-Signature",
        },
        401,
    );

    // Malformed signature: not hex, or the wrong length.
    for bad in ["zz", "xyz".repeat(22).as_str(), ""] {
        let mut malformed = headers.clone();
        malformed[2].1 = bad.to_owned();
        rejected(
            &hook,
            &malformed,
            body.as_bytes(),
            WebhookError::MalformedSignature {
                header: "X-Lark-Signature",
                reason: "not 64 hexadecimal digits",
            },
            401,
        );
    }

    // Bad base64, short ciphertext, unaligned ciphertext, bad padding (all signed).
    let cases = [
        (r#"{"encrypt":"%%%not-base64%%%"}"#.to_owned(), "base64"),
        (
            r#"{"encrypt":"AAAAAAAAAAAAAAAAAAAAAA=="}"#.to_owned(),
            "short",
        ),
        (
            format!(r#"{{"encrypt":"{}"}}"#, "A".repeat(44)),
            "unaligned",
        ),
        (sealed("another key", &disbanded(TOKEN)), "padding"),
    ];
    for (body, case) in cases {
        let got = hook
            .receive(&signed(KEY, &body), body.as_bytes())
            .unwrap_err();
        assert_eq!(got.status(), 400, "{case}: {got}");
        match (case, &got) {
            ("base64", WebhookError::Decrypt(DecryptError::Base64(_)))
            | ("short", WebhookError::Decrypt(DecryptError::TooShort { len: 16 }))
            | ("unaligned", WebhookError::Decrypt(DecryptError::NotBlockAligned { len: 17 }))
            | ("padding", WebhookError::Decrypt(DecryptError::BadPadding)) => {}
            _ => panic!("{case}: unexpected {got:?}"),
        }
    }

    // Wrong token, and no token at all.
    let body = sealed(KEY, &disbanded("wrong-token"));
    rejected(
        &hook,
        &signed(KEY, &body),
        body.as_bytes(),
        WebhookError::WrongToken,
        401,
    );
    let no_token = sealed(
        KEY,
        r#"{"schema":"2.0","header":{"event_type":"x"},"event":{}}"#,
    );
    rejected(
        &hook,
        &signed(KEY, &no_token),
        no_token.as_bytes(),
        WebhookError::WrongToken,
        401,
    );

    // Oversized body.
    let small = webhook().max_body_bytes(64);
    let body = sealed(KEY, &disbanded(TOKEN));
    rejected(
        &small,
        &signed(KEY, &body),
        body.as_bytes(),
        WebhookError::BodyTooLarge {
            len: body.len(),
            limit: 64,
        },
        413,
    );

    // Encrypted body but no key configured; plain body while a key is set.
    let plain_hook = Webhook::new().verification_token(TOKEN);
    rejected(
        &plain_hook,
        &[],
        sealed(KEY, "{}").as_bytes(),
        WebhookError::EncryptedWithoutKey,
        400,
    );
    let plain = disbanded(TOKEN);
    rejected(
        &hook,
        &signed(KEY, &plain),
        plain.as_bytes(),
        WebhookError::NotEncrypted,
        400,
    );
    let lenient = webhook().require_encryption(false);
    assert!(lenient
        .receive(&signed(KEY, &plain), plain.as_bytes())
        .is_ok());

    // Not JSON, not an object, not a callback, a known event with a bad field.
    let hook = Webhook::new();
    assert!(matches!(
        hook.receive(&NO_HEADERS, b"{"),
        Err(WebhookError::InvalidJson(_))
    ));
    assert!(matches!(
        hook.receive(&NO_HEADERS, b"[1]"),
        Err(WebhookError::InvalidJson(_))
    ));
    assert!(matches!(
        hook.receive(&NO_HEADERS, b"{}"),
        Err(WebhookError::Decode(_))
    ));
    let bad = v2(
        "e",
        "im.chat.disbanded_v1",
        TOKEN,
        r#"{"chat_id":"oc_1","external":"no"}"#,
    );
    let err = hook.receive(&NO_HEADERS, bad.as_bytes()).unwrap_err();
    assert_eq!(err.status(), 400);
    let WebhookError::Decode(decode) = err else {
        panic!()
    };
    assert_eq!(decode.path(), Some("event.external"));
}

#[test]
fn timestamp_skew_is_checked_only_when_asked() {
    let body = sealed(KEY, &disbanded(TOKEN));
    let headers = signed(KEY, &body);
    let at = |secs: u64| UNIX_EPOCH + Duration::from_secs(secs);
    // Off by default: a day-old timestamp passes.
    assert!(webhook()
        .receive_at(&headers, body.as_bytes(), at(1_700_086_400))
        .is_ok());
    let strict = webhook().max_timestamp_skew(Duration::from_secs(300));
    assert!(strict
        .receive_at(&headers, body.as_bytes(), at(1_700_000_299))
        .is_ok());
    assert_eq!(
        strict.receive_at(&headers, body.as_bytes(), at(1_700_000_301)),
        Err(WebhookError::StaleTimestamp {
            skew_secs: 301,
            max_secs: 300
        })
    );
    let mut odd = signed(KEY, &body);
    odd[0].1 = "yesterday".into();
    odd[2].1 = feishu_events::crypto::signature(
        "yesterday",
        NONCE,
        &feishu_model::Secret::new(KEY),
        body.as_bytes(),
    );
    assert!(matches!(
        strict.receive_at(&odd, body.as_bytes(), at(1_700_000_000)),
        Err(WebhookError::MalformedSignature {
            header: "X-Lark-Request-Timestamp",
            ..
        })
    ));
}

#[test]
fn headers_match_case_insensitively() {
    let body = sealed(KEY, &disbanded(TOKEN));
    let lower: Vec<(String, String)> = signed(KEY, &body)
        .into_iter()
        .map(|(k, v)| (k.to_lowercase(), v))
        .collect();
    assert!(webhook().receive(&lower, body.as_bytes()).is_ok());
}

fn header_strategy() -> impl Strategy<Value = Vec<(String, String)>> {
    let name = prop_oneof![
        Just("X-Lark-Request-Timestamp".to_owned()),
        Just("X-Lark-Request-Nonce".to_owned()),
        Just("X-Lark-Signature".to_owned()),
        "[a-zA-Z-]{1,12}",
    ];
    proptest::collection::vec((name, ".{0,70}"), 0..5)
}

fn body_strategy() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        // Near-valid bodies: encrypted envelopes with random content.
        ".{0,120}".prop_map(|s| sealed(KEY, &s).into_bytes()),
        proptest::collection::vec(any::<u8>(), 0..120).prop_map(|b| format!(
            r#"{{"encrypt":"{}"}}"#,
            String::from_utf8_lossy(&b)
        )
        .into_bytes()),
        "[a-z0-9{}\":,]{0,80}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// Arbitrary headers and bodies: a typed answer every time, never a panic;
    /// with an Encrypt Key nothing unsigned but a challenge gets through.
    #[test]
    fn arbitrary_requests_never_panic(headers in header_strategy(), body in body_strategy()) {
        let hook = webhook();
        match hook.receive(&headers, &body) {
            Ok(Received::Event(_)) => prop_assert!(false, "an unsigned random body was accepted"),
            Ok(_) => {}
            Err(e) => prop_assert!(matches!(e.status(), 400 | 401 | 413)),
        }
        let answer = Webhook::new().respond(&headers, &body);
        prop_assert!(matches!(answer.status, 200 | 400 | 401 | 413));
    }
}

/// With an Encrypt Key set, an unsigned body is unauthenticated: whatever
/// its ciphertext decrypts to (bad padding, good padding but not JSON,
/// JSON that is no challenge), the answer is one and the same.
#[test]
fn unsigned_ciphertexts_all_get_one_answer() {
    let hook = webhook();
    let key = feishu_model::Secret::new(KEY);
    let plain = br#"{"a":1}"#;
    let mut answers = std::collections::BTreeMap::new();
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let sealed_once = b64
        .decode(feishu_events::crypto::encrypt(&key, plain, [0x11; 16]))
        .unwrap();
    for last in 0..=255u8 {
        // The same ciphertext under another IV: only the last byte of the
        // plaintext (where the padding is) changes.
        let mut raw = sealed_once.clone();
        raw[15] = last;
        let body = format!(r#"{{"encrypt":"{}"}}"#, b64.encode(&raw));
        let answer = hook.respond(&NO_HEADERS, body.as_bytes());
        answers
            .entry((answer.status, answer.body))
            .or_insert_with(Vec::new)
            .push(last);
    }
    assert_eq!(answers.len(), 1, "answers differ: {answers:#?}");
    let ((status, body), _) = answers.into_iter().next().unwrap();
    assert_eq!(status, 401);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["error"], "missing_signature");

    // Bodies that do not decrypt at all, or are not JSON, answer the same.
    let expected = hook.respond(&NO_HEADERS, sealed(KEY, r#"{"a":1}"#).as_bytes());
    for other in [
        r#"{"encrypt":"%%%not-base64%%%"}"#.to_owned(),
        r#"{"encrypt":"AAAAAAAAAAAAAAAAAAAAAA=="}"#.to_owned(),
        sealed(KEY, "not json"),
        sealed(KEY, "[1]"),
        sealed(KEY, &disbanded(TOKEN)),
        sealed("another key", &disbanded(TOKEN)),
        sealed(
            KEY,
            r#"{"challenge":"c","token":"wrong","type":"url_verification"}"#,
        ),
        sealed(KEY, r#"{"token":"v-token-123","type":"url_verification"}"#),
    ] {
        assert_eq!(
            hook.respond(&NO_HEADERS, other.as_bytes()),
            expected,
            "{other}"
        );
    }

    // A valid challenge is still answered.
    let challenge = sealed(
        KEY,
        &format!(r#"{{"challenge":"c-7","token":"{TOKEN}","type":"url_verification"}}"#),
    );
    let answer = hook.respond(&NO_HEADERS, challenge.as_bytes());
    assert_eq!(
        (answer.status, answer.body.as_str()),
        (200, r#"{"challenge":"c-7"}"#)
    );
}

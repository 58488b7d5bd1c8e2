//! The messaging pages (send, reply, edit, recall, read, forward, pins,
//! reactions, buzz, follow-ups, uploads and downloads, ephemeral cards)
//! against the emulator.
//!
//! Their examples name messages, threads, reactions and cards that must
//! exist first: each is created through the API as the calling app (on a
//! manual clock, one second apart, so that no send limit bites), and the
//! page's id replaced by the created one. Ids of users and chats are mapped
//! onto the fixture's. Error rows are driven by a [`Fault`]: a change of
//! the fixture, of the state after the messages exist, or of the request.

use bytes::Bytes;
use feishu_emulator::feishu_model::multipart::{FilePart, Form};
use feishu_emulator::{documented_to_fixture, Action, Clock, Emulator, EmulatorRequest, Fixture};
use serde_json::{json, Map, Value};

use super::{shape, OutOfScopeFile, Outcome, APP, USER_TOKEN};
use crate::case::{Auth, Case, Kind};

mod fault;
mod request;
mod world;

use fault::{edit_fixture, fault, Fault};
use request::outgoing;
use world::{data_of, id_in, png, request_text, World};

/// The chat most pages name (李四 owns it; the app manages it).
const MAIN_CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
/// 李四: owner of the main chat.
const LI_SI: &str = "ou_7d8a6e6df7621556ce0d21922b676706";
/// A user of the partner tenant.
const PARTNER_USER: &str = "ou_2d2c0399b53d06fd195bb393cd1e38f2";
/// Well-formed ids nothing has.
const NO_MESSAGE: &str = "om_00000000000000000000000000000000";
const NO_USER: &str = "ou_00000000000000000000000000000000";
const NO_CHAT: &str = "oc_00000000000000000000000000000000";
const NO_THREAD: &str = "omt_000000000000";
/// The manual clock's start: 2023-11-14.
const START_MS: i64 = 1_700_000_000_000;

/// The message most examples name.
const MESSAGE: &str = "om_dc13264520392913993dd051dba21dcf";
/// The message of the follow-up example (the latest of a one-to-one chat).
const P2P_MESSAGE: &str = "om_3210a18894e206715a4359115f4cf2f5";
/// The reaction of the reaction delete example, as written and as sent.
const REACTION: [&str; 2] = [
    "ZCaCIjUBVVWSrm5L-3ZTw*************sNa8dHVplEzzSfJVUVLMLcS_",
    "ZCaCIjUBVVWSrm5L-3ZTw%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2AsNa8dHVplEzzSfJVUVLMLcS_",
];
/// The message the reactions examples name, as written and as sent.
const REACTED: [&str; 2] = [
    "om_8964d1b4*********2b31383276113",
    "om_8964d1b4%2A%2A%2A%2A%2A%2A%2A%2A%2A2b31383276113",
];
/// Messages of the examples that are plain texts in the main chat.
const TEXTS: &[&str] = &[
    "om_d862083dd13b61cc009e66c40a0f0a56",
    "om_61244dab1ef11257621dcd7g0e256651",
    "om_a8f2294b************a1a38afaac9d",
    "om_a8f2294b%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2A%2Aa1a38afaac9d",
];
/// The thread of the thread forward example.
const THREAD: &str = "omt_dc132645203";
/// The ephemeral card of the ephemeral delete example.
const EPHEMERAL: &str = "om_xxxxxxxxxxxx";
/// A resource key of the download rows.
const RESOURCE_KEY: &str = "img_v3_documented_key";
/// Users and chats of the pages, each with the fixture's stand-in.
const STAND_INS: &[(&str, &str)] = &[
    ("oc_234jsi43d3ssi993d43545f", MAIN_CHAT),
    ("oc_20aa1ed9b18ba49f73f5773453aabcef", MAIN_CHAT),
    // The third send example names a chat under `receive_id_type=open_id`.
    ("oc_84983ff6516d731e5b5f68d4ea2e1da5", LI_SI),
    ("ou_b9600a00cda86b8fad2378eafe3abcef", LI_SI),
    ("ou_6yf8af6bgb9100449565764t3382b168", LI_SI),
    ("ou_a0553eda9014c201e6969b478895c230", LI_SI),
];

/// Whether `operation` is a messaging page handled here.
fn handles(operation: &str) -> bool {
    [
        "im.v1.message.",
        "im.v1.message_reaction.",
        "im.v1.message_resource.",
        "im.v1.pin.",
        "im.v1.image.",
        "im.v1.file.",
        "im.v1.thread.",
        "ephemeral.v1.",
    ]
    .iter()
    .any(|p| operation.starts_with(p))
}

/// Creates what the case's request names (and the fault needs), and maps
/// the page's ids onto it.
fn seed(
    world: &mut World,
    operation: &str,
    text: &str,
    fault: Option<Fault>,
) -> Result<(), String> {
    use Fault::*;
    let user_sent = matches!(fault, Some(SentByUser | SentByUserNoManager | MayNotSpeak));
    let sender = user_sent.then_some(USER_TOKEN);
    if text.contains(MESSAGE) {
        let id = match (operation, fault) {
            (_, Some(UnknownMessage)) => NO_MESSAGE.to_owned(),
            (_, Some(AudioMessage)) => world.send(
                sender,
                "chat_id",
                MAIN_CHAT,
                "audio",
                json!({"file_key": "file_v3_0000_00000000-0000-0000-0000-00000000000g"}),
            )?,
            ("im.v1.message.patch", _) | (_, Some(CardMessage)) => world.send(
                sender,
                "chat_id",
                MAIN_CHAT,
                "interactive",
                json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "card"}}]}),
            )?,
            ("im.v1.message.get", _) => mentioning_reply(world)?,
            _ => world.text(sender, MAIN_CHAT)?,
        };
        world.map(MESSAGE, id);
    }
    if text.contains(P2P_MESSAGE) {
        let id = match fault {
            Some(GroupMessage) => world.text(None, MAIN_CHAT)?,
            Some(UnknownMessage) => NO_MESSAGE.to_owned(),
            _ => world.send(None, "open_id", LI_SI, "text", json!({"text": "hi"}))?,
        };
        world.map(P2P_MESSAGE, id);
    }
    for documented in TEXTS {
        if text.contains(documented) {
            let id = if fault == Some(UnknownMessage) {
                NO_MESSAGE.to_owned()
            } else {
                world.text(sender, MAIN_CHAT)?
            };
            world.map(documented, id);
        }
    }
    if REACTED.iter().any(|r| text.contains(r)) {
        let message = if fault == Some(UnknownMessage) {
            NO_MESSAGE.to_owned()
        } else {
            world.text(None, MAIN_CHAT)?
        };
        for r in REACTED {
            world.map(r, message.clone());
        }
        if REACTION.iter().any(|r| text.contains(r)) && fault != Some(Fault::UnknownMessage) {
            let on = if fault == Some(ReactionElsewhere) {
                world.text(None, MAIN_CHAT)?
            } else {
                message.clone()
            };
            let by = (fault == Some(ReactionByUser)).then_some(USER_TOKEN);
            let data = world.call(
                by,
                "POST",
                &format!("/open-apis/im/v1/messages/{on}/reactions"),
                json!({"reaction_type": {"emoji_type": "LAUGH"}}),
            )?;
            let id = if fault == Some(UnknownReaction) {
                "ZCaCIjUBVVWSrm5L-3ZTwNoSuchReaction".to_owned()
            } else {
                id_in(&data, "reaction_id")?
            };
            for r in REACTION {
                world.map(r, id.clone());
            }
        } else if text.contains("LAUGH") && fault != Some(Fault::UnknownMessage) {
            world.call(
                None,
                "POST",
                &format!("/open-apis/im/v1/messages/{message}/reactions"),
                json!({"reaction_type": {"emoji_type": "LAUGH"}}),
            )?;
        }
    }
    if text.contains(THREAD) {
        let thread = if fault == Some(UnknownMessage) {
            NO_THREAD.to_owned()
        } else {
            let (root, reply) = world.thread(MAIN_CHAT)?;
            if fault == Some(Recalled) {
                world.call(
                    None,
                    "DELETE",
                    &format!("/open-apis/im/v1/messages/{root}"),
                    Value::Null,
                )?;
            }
            id_in(&reply, "thread_id")?
        };
        world.map(THREAD, thread);
    }
    // The forward pages send to the main chat's id under
    // `receive_id_type=open_id`: the user who owns it.
    if operation.ends_with("merge_forward") || operation == "im.v1.thread.forward" {
        world.map(MAIN_CHAT, LI_SI.to_owned());
    }
    if text.contains(EPHEMERAL) {
        let data = world.call(
            None,
            "POST",
            "/open-apis/ephemeral/v1/send",
            json!({"chat_id": MAIN_CHAT, "open_id": LI_SI, "msg_type": "interactive",
                   "card": {"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "only you"}}]}}),
        )?;
        let id = id_in(&data, "message_id")?;
        if fault == Some(EphemeralDeleted) {
            world.call(
                None,
                "POST",
                "/open-apis/ephemeral/v1/delete",
                json!({"message_id": id}),
            )?;
        }
        world.map(EPHEMERAL, id);
    }
    Ok(())
}

/// A reply in a thread that mentions a user: a message with every field
/// the message get page documents (root, parent, thread, mentions).
fn mentioning_reply(world: &World) -> Result<String, String> {
    let root = world.text(None, MAIN_CHAT)?;
    world.emulator.advance(std::time::Duration::from_secs(1));
    let content = json!({"text": format!("<at user_id=\"{LI_SI}\">李四</at> see this")});
    let reply = world.call(
        None,
        "POST",
        &format!("/open-apis/im/v1/messages/{root}/reply"),
        json!({"msg_type": "text", "content": content.to_string(), "reply_in_thread": true}),
    )?;
    id_in(&reply, "message_id")
}

/// The state change of a fault once the messages exist.
fn after_seed(world: &mut World, operation: &str, fault: Option<Fault>) -> Result<(), String> {
    use Fault::*;
    match fault {
        Some(BotLeaves) => world.act(json!({"action": "remove_bots", "user": LI_SI,
            "chat": MAIN_CHAT, "bots": [APP]}))?,
        Some(Dissolved) => {
            world.act(json!({"action": "disband_chat", "user": LI_SI, "chat": MAIN_CHAT}))?
        }
        Some(Recalled) => {
            let ids: Vec<String> = world
                .replace
                .iter()
                .filter(|(from, to)| {
                    to.starts_with("om_") && from.starts_with("om_") && to != NO_MESSAGE
                })
                .map(|(_, to)| to.clone())
                .collect();
            let ids: std::collections::BTreeSet<String> = ids.into_iter().collect();
            for id in ids {
                world.call(
                    None,
                    "DELETE",
                    &format!("/open-apis/im/v1/messages/{id}"),
                    Value::Null,
                )?;
            }
        }
        Some(Later(hours)) => {
            world
                .emulator
                .advance(std::time::Duration::from_secs(hours as u64 * 3600));
            // The app's token expired meanwhile: a fresh one.
            world.token = super::tenant_token(&world.emulator)?;
        }
        Some(EditedTwenty) => {
            let id = world.rewrite(MESSAGE);
            for i in 0..20 {
                world.call(
                    None,
                    "PUT",
                    &format!("/open-apis/im/v1/messages/{id}"),
                    json!({"msg_type": "text", "content": json!({"text": format!("edit {i}")}).to_string()}),
                )?;
            }
        }
        Some(FollowUpTwice) => {
            let id = world.rewrite(P2P_MESSAGE);
            world.call(
                None,
                "POST",
                &format!("/open-apis/im/v1/messages/{id}/push_follow_up"),
                json!({"follow_ups": [{"content": "first"}]}),
            )?;
        }
        Some(Frequency) => {
            let (kind, to) = if operation.ends_with(".reply") {
                ("chat_id", MAIN_CHAT)
            } else {
                ("open_id", LI_SI)
            };
            world.emulator.advance(std::time::Duration::from_secs(1));
            for _ in 0..5 {
                world.call(
                    None,
                    "POST",
                    &format!("/open-apis/im/v1/messages?receive_id_type={kind}"),
                    json!({"receive_id": to, "msg_type": "text", "content": "{\"text\":\"busy\"}"}),
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Builds the world of a case (with `fault`), sends the request: the
/// answer's status and JSON body.
fn drive(
    operation: &str,
    request_case: Option<&Case>,
    fault: Option<Fault>,
) -> Result<(u16, Value), String> {
    let mut world = World::new(|f| edit_fixture(f, fault))?;
    let mut text = request_case.map(request_text).unwrap_or_default();
    if request_case.and_then(|c| c.request.as_ref()).is_none() {
        // The synthesized download requests name the main message.
        text.push_str(MESSAGE);
    }
    // With the bot ability off nothing can be created first (and nothing
    // needs to be: the call is refused before its ids are looked at).
    if fault != Some(Fault::BotDisabled) {
        seed(&mut world, operation, &text, fault)?;
    }
    let creates = !matches!(fault, Some(Fault::UnknownMessage | Fault::BotDisabled));
    if operation == "im.v1.message_resource.get" && creates {
        // The message holds the image the request names.
        resource_message(&mut world, fault)?;
    }
    after_seed(&mut world, operation, fault)?;
    let out = outgoing(&world, operation, request_case, fault)?;
    Ok(world.raw(
        &out.token,
        &out.method,
        &out.path,
        out.query,
        &out.content_type,
        out.body,
    ))
}

/// Replaces the main message by an image message (or card) holding an
/// uploaded image, for the resource download.
fn resource_message(world: &mut World, fault: Option<Fault>) -> Result<(), String> {
    let part = FilePart::new("cat.png", png(4, 4));
    let form = Form::new()
        .text("image_type", "message")
        .file("image", &part)
        .encode()
        .map_err(|e| e.to_string())?;
    let (status, body) = world.raw(
        &world.token,
        "POST",
        "/open-apis/im/v1/images",
        Vec::new(),
        &form.content_type,
        form.bytes,
    );
    let key = id_in(&data_of(status, &body)?, "image_key")?;
    let id = if fault == Some(Fault::CardMessage) {
        world.send(None, "chat_id", MAIN_CHAT, "interactive",
            json!({"elements": [{"tag": "img", "img_key": key, "alt": {"tag": "plain_text", "content": "cat"}}]}))?
    } else {
        world.send(
            None,
            "chat_id",
            MAIN_CHAT,
            "image",
            json!({"image_key": key}),
        )?
    };
    world.replace.retain(|(from, _)| from != MESSAGE);
    world.map(MESSAGE, id);
    Ok(())
}

/// A messaging example with a documented success answer: `None` for other
/// cases and other pages.
pub(super) fn example(operation: &str, case: &Case) -> Option<Result<(), String>> {
    if !handles(operation) {
        return None;
    }
    let documented = case.response.as_ref()?.body.as_ref()?;
    if documented.get("code").and_then(Value::as_i64) != Some(0) {
        return None;
    }
    case.request.as_ref()?;
    Some((|| {
        let (status, body) = drive(operation, Some(case), None)?;
        if status != 200 || body.get("code").and_then(Value::as_i64) != Some(0) {
            return Err(format!("answered HTTP {status}: {body}"));
        }
        let problems = shape::differences(documented, &body);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    })())
}

/// A messaging error row with a written fault: `None` for other rows
/// (they take the generic path).
pub(super) fn error_row(
    operation: &str,
    case: &Case,
    base: Option<&Case>,
    out_of_scope: &OutOfScopeFile,
) -> Option<(Outcome, String)> {
    if !handles(operation) || case.kind != Kind::Error {
        return None;
    }
    let response = case.response.as_ref()?;
    let code = response.body.as_ref()?.get("code")?.as_i64()?;
    if out_of_scope.codes.iter().any(|o| o.code == code) {
        return None;
    }
    let fault = fault(operation, code)?;
    let result = drive(operation, base, Some(fault)).and_then(|(status, body)| {
        let got = body.get("code").and_then(Value::as_i64);
        if got == Some(code) && status == response.status {
            Ok(())
        } else {
            Err(format!(
                "expected code {code} with HTTP {} ({fault:?}), got HTTP {status}: {body}",
                response.status
            ))
        }
    });
    Some(match result {
        Ok(()) => (Outcome::Passed, String::new()),
        Err(e) => (Outcome::Failed, e),
    })
}

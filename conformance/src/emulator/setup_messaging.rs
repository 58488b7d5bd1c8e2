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

/// How an error row's state is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    /// The app's bot ability is off (fixture).
    BotDisabled,
    /// The app leaves the main chat after the messages exist.
    BotLeaves,
    /// The receiver is a chat the app is not in.
    ForeignChat,
    /// The message type is not one of the documented values.
    BadMsgType,
    /// The page's message is recalled after it exists.
    Recalled,
    /// The main chat is disbanded after the messages exist.
    Dissolved,
    /// The page's message id names no message.
    UnknownMessage,
    /// Five messages were just sent to the receiver.
    Frequency,
    /// The receiving user has resigned (fixture).
    Resigned,
    /// The receiver is a user of another tenant.
    CrossTenant,
    /// The receiver is a well-formed user id nobody has.
    UnknownUser,
    /// The receiver is a well-formed chat id no chat has.
    UnknownChat,
    /// The receiver is a thread id no thread has.
    UnknownThread,
    /// The app may not speak in the main chat (fixture: neither creator
    /// nor manager, only moderators speak), and the request targets it.
    MayNotSpeak,
    /// The content is over the size limit.
    TooLong,
    /// The page's message was sent by a user (李四), not the app.
    SentByUser,
    /// The page's message was sent by a user, and the app is no manager.
    SentByUserNoManager,
    /// The clock moves on by the given number of hours.
    Later(i64),
    /// An unknown emoji type.
    BadEmoji,
    /// An unknown `user_id_type`.
    BadUserIdType,
    /// A page token this server never issued.
    BadPageToken,
    /// The reaction id names no reaction.
    UnknownReaction,
    /// The reaction belongs to another message.
    ReactionElsewhere,
    /// The reaction was added by a user.
    ReactionByUser,
    /// The page's message is a card.
    CardMessage,
    /// The resource key is not in the message.
    KeyNotInMessage,
    /// The upload is empty.
    EmptyUpload,
    /// The upload is over the documented size.
    LargeUpload,
    /// The image is not an image.
    NotAnImage,
    /// The image is larger than 12000 pixels.
    HugeImage,
    /// The upload's type is not one of the documented values.
    BadUploadType,
    /// The resource was uploaded by another app.
    OtherUploader,
    /// The image was uploaded as an avatar.
    AvatarImage,
    /// The page's message is in a group, not a one-to-one chat.
    GroupMessage,
    /// A follow-up already exists.
    FollowUpTwice,
    /// The follow-up list is empty.
    NoFollowUps,
    /// A query parameter set to a value the page does not accept.
    Query(&'static str, &'static str),
    /// The page's message is a voice message (not forwardable).
    AudioMessage,
    /// The receiver id is empty.
    EmptyReceiver,
    /// The page's message was already edited the documented 20 times.
    EditedTwenty,
    /// The page's ephemeral card was already deleted.
    EphemeralDeleted,
    /// The messages come from two chats.
    TwoChats,
    /// The messages are from a thread and from the chat.
    ThreadAndChat,
    /// The message is a system message (not forwardable).
    TooManyPerMessage,
}

/// The fault of an error row, when one is written.
fn fault(operation: &str, code: i64) -> Option<Fault> {
    use Fault::*;
    let (family, op) = operation.rsplit_once('.').unwrap_or(("", operation));
    let sends =
        matches!(operation, "im.v1.message.create") || matches!(op, "forward" | "merge_forward");
    Some(match (family, op, code) {
        ("im.v1.image" | "im.v1.file" | "im.v1.message_resource", _, 234007) => BotDisabled,
        (_, _, 230006) => BotDisabled,
        ("im.v1.message", "create" | "forward" | "merge_forward", 230002) => ForeignChat,
        ("im.v1.message", "create", 230001) => BadMsgType,
        ("im.v1.message", "forward" | "merge_forward", 230001) | ("im.v1.thread", _, 230001) => {
            EmptyReceiver
        }
        ("im.v1.message", "list", 230001) => Query("container_id_type", "no_such_type"),
        ("im.v1.pin", "list", 230001) => Query("page_size", "0"),
        ("im.v1.message", "forward", 230061) => AudioMessage,
        ("im.v1.pin", "create", 230011) | ("im.v1.message", "patch", 230011) => Recalled,
        ("im.v1.message_resource", _, 234004) => BotLeaves,
        ("im.v1.message_resource", _, 230110) => Recalled,
        ("im.v1.message_resource", _, 234001) => UnknownMessage,
        ("im.v1.message_resource", _, 234003) => KeyNotInMessage,
        ("im.v1.message_resource", _, 234043) => CardMessage,
        ("im.v1.image" | "im.v1.file", "create", 234001) => BadUploadType,
        ("im.v1.image" | "im.v1.file", "create", 234006) => LargeUpload,
        ("im.v1.image" | "im.v1.file", "create", 234010) => EmptyUpload,
        ("im.v1.image", "create", 234011) => NotAnImage,
        ("im.v1.image", "create", 234039) => HugeImage,
        ("im.v1.image", "get", 234001) => AvatarImage,
        ("im.v1.image" | "im.v1.file", "get", 234005) => UnknownMessage,
        ("im.v1.image" | "im.v1.file", "get", 234008) => OtherUploader,
        ("ephemeral.v1", "delete", 18051) => EphemeralDeleted,
        ("im.v1.message_reaction", "create" | "list", 231001) => BadEmoji,
        ("im.v1.message_reaction", _, 231003) => UnknownMessage,
        ("im.v1.message_reaction", "create" | "delete", 230110) => Recalled,
        ("im.v1.message_reaction", _, 231007) => ReactionByUser,
        ("im.v1.message_reaction", _, 231008) => BotLeaves,
        ("im.v1.message_reaction", _, 231010) => ReactionElsewhere,
        ("im.v1.message_reaction", _, 231011) => UnknownReaction,
        ("im.v1.message_reaction", "list", 231012) => BadPageToken,
        ("im.v1.message_reaction", "list", 231014) => BadUserIdType,
        ("im.v1.message_reaction", "create" | "delete", 232009) => Dissolved,
        ("im.v1.message_reaction", "batch_query", 230001) => TooManyPerMessage,
        ("im.v1.message", "push_follow_up", 230003) => GroupMessage,
        ("im.v1.message", "push_follow_up", 230004) => Recalled,
        ("im.v1.message", "push_follow_up", 230008) => FollowUpTwice,
        ("im.v1.message", "push_follow_up", 230002) => Later(25),
        ("im.v1.message", "push_follow_up", 230001) => NoFollowUps,
        ("im.v1.message", "merge_forward", 230067) => ThreadAndChat,
        ("im.v1.message", "merge_forward", 230069) => TwoChats,
        ("im.v1.message", "merge_forward", 230064) => UnknownMessage,
        ("im.v1.message", "merge_forward", 230065) => Recalled,
        ("im.v1.message", "forward", 230064) => UnknownMessage,
        ("im.v1.message", "forward", 230065) => Recalled,
        ("im.v1.thread", "forward", 230064) => UnknownMessage,
        ("im.v1.thread", "forward", 230110) => Recalled,
        ("im.v1.thread", "forward", 230002) => BotLeaves,
        (_, "forward" | "merge_forward", 230063) => UnknownChat,
        (_, "forward" | "merge_forward", 230019) => UnknownThread,
        (_, _, 230034) if sends || operation == "im.v1.thread.forward" => UnknownUser,
        (_, _, 230029) if sends || operation == "im.v1.thread.forward" => Resigned,
        (_, _, 230038) if sends || operation == "im.v1.thread.forward" => CrossTenant,
        (_, _, 230020) if sends || op == "reply" || operation == "im.v1.thread.forward" => {
            Frequency
        }
        ("im.v1.message", "create" | "reply" | "forward" | "merge_forward", 230018) => MayNotSpeak,
        ("im.v1.message", "create" | "reply" | "update" | "patch", 230025) => TooLong,
        ("im.v1.message", "delete", 230009) | ("im.v1.message", "update", 230075) => Later(25),
        ("im.v1.message", "update", 230071) => SentByUser,
        ("im.v1.message", "read_users", 230033) => Later(8 * 24),
        ("im.v1.message", "update", 230072) => EditedTwenty,
        ("im.v1.message", "patch", 230031) => Later(15 * 24),
        ("im.v1.message", "delete", 230026) => SentByUserNoManager,
        ("im.v1.message", "urgent_app" | "urgent_sms" | "urgent_phone" | "read_users", 230012) => {
            SentByUser
        }
        ("im.v1.message", "update" | "reply", 230011) => Recalled,
        ("im.v1.message", "delete" | "get" | "list" | "urgent_app" | "urgent_sms", 230110) => {
            Recalled
        }
        ("im.v1.message", "urgent_phone" | "read_users" | "patch", 230110) => Recalled,
        ("im.v1.message", _, 230002) if operation != "im.v1.message.create" => BotLeaves,
        ("im.v1.pin", "create" | "delete" | "list", 230002) => BotLeaves,
        ("im.v1.message" | "im.v1.pin" | "im.v1.thread", _, 232009) => Dissolved,
        (
            "im.v1.message",
            "delete" | "get" | "reply" | "update" | "urgent_app" | "urgent_sms" | "urgent_phone"
            | "read_users" | "patch",
            230001,
        )
        | ("im.v1.pin", "create" | "delete", 230001) => UnknownMessage,
        _ => return None,
    })
}

/// One emulator for one case: the app's token and the id replacements.
struct World {
    emulator: Emulator,
    token: String,
    replace: Vec<(String, String)>,
}

/// The data of a successful call, or why it failed.
fn data_of(status: u16, body: &Value) -> Result<Value, String> {
    if status == 200 && body.get("code").and_then(Value::as_i64) == Some(0) {
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    } else {
        Err(format!("setup call answered HTTP {status}: {body}"))
    }
}

impl World {
    /// The default fixture changed by `edit`, on a manual clock.
    fn new(edit: impl FnOnce(&mut Value) -> Result<(), String>) -> Result<World, String> {
        let mut fixture = super::default_fixture()?;
        edit(&mut fixture)?;
        let fixture =
            Fixture::from_json(&fixture.to_string()).map_err(|e| format!("setup: {e}"))?;
        let emulator = Emulator::builder()
            .fixture(fixture)
            .clock(Clock::manual(START_MS))
            .build()
            .map_err(|e| format!("setup: {e}"))?;
        let token = super::tenant_token(&emulator)?;
        Ok(World {
            emulator,
            token,
            replace: STAND_INS
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        })
    }

    /// One request; the status and JSON body (`Null` for a binary body).
    fn raw(
        &self,
        token: &str,
        method: &str,
        path: &str,
        query: Vec<(String, String)>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut headers = vec![("content-type".to_owned(), content_type.to_owned())];
        if !token.is_empty() {
            headers.push(("authorization".to_owned(), format!("Bearer {token}")));
        }
        let answer = self.emulator.handle(&EmulatorRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body: Bytes::from(body),
        });
        let status = answer.status().as_u16();
        (
            status,
            serde_json::from_slice(answer.body()).unwrap_or(Value::Null),
        )
    }

    /// A setup call as the app (or with `token`); its data.
    fn call(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Value,
    ) -> Result<Value, String> {
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (
                p,
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect(),
            ),
            None => (path, Vec::new()),
        };
        let body = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let (status, answer) = self.raw(
            token.unwrap_or(&self.token),
            method,
            path,
            query,
            "application/json; charset=utf-8",
            body,
        );
        data_of(status, &answer)
    }

    /// Sends a message (one second after the last one); its id.
    fn send(
        &self,
        token: Option<&str>,
        id_type: &str,
        receive_id: &str,
        msg_type: &str,
        content: Value,
    ) -> Result<String, String> {
        self.emulator.advance(std::time::Duration::from_secs(1));
        let data = self.call(
            token,
            "POST",
            &format!("/open-apis/im/v1/messages?receive_id_type={id_type}"),
            json!({"receive_id": receive_id, "msg_type": msg_type, "content": content.to_string()}),
        )?;
        id_in(&data, "message_id")
    }

    fn text(&self, token: Option<&str>, chat: &str) -> Result<String, String> {
        self.send(token, "chat_id", chat, "text", json!({"text": "hello"}))
    }

    fn map(&mut self, documented: &str, to: String) {
        self.replace.push((documented.to_owned(), to));
    }

    /// Applies the replacements and the fixture's stand-ins to a text.
    fn rewrite(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (from, to) in &self.replace {
            out = out.replace(from.as_str(), to);
        }
        documented_to_fixture(&out)
    }

    fn act(&self, action: Value) -> Result<(), String> {
        let action: Action = serde_json::from_value(action).map_err(|e| e.to_string())?;
        self.emulator
            .act(action)
            .map(|_| ())
            .map_err(|e| format!("setup action: {e:?}"))
    }
}

fn id_in(data: &Value, key: &str) -> Result<String, String> {
    data.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("no {key} in {data}"))
}

/// The case's request as text (path, query and body), to find the ids it names.
fn request_text(case: &Case) -> String {
    case.request.as_ref().map_or_else(String::new, |r| {
        format!(
            "{} {} {}",
            r.path,
            serde_json::to_string(&r.query).unwrap_or_default(),
            serde_json::to_string(&r.body).unwrap_or_default()
        )
    })
}

/// A PNG header of the given size (enough for the emulator's checks).
fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
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
            let root = world.text(None, MAIN_CHAT)?;
            world.emulator.advance(std::time::Duration::from_secs(1));
            let reply = world.call(
                None,
                "POST",
                &format!("/open-apis/im/v1/messages/{root}/reply"),
                json!({"msg_type": "text", "content": "{\"text\":\"in thread\"}", "reply_in_thread": true}),
            )?;
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

/// The fixture change of a fault.
fn edit_fixture(fixture: &mut Value, fault: Option<Fault>) -> Result<(), String> {
    let entry = |fixture: &mut Value, list: &str, key: &str, id: &str| {
        fixture
            .get_mut(list)
            .and_then(Value::as_array_mut)
            .and_then(|items| items.iter().position(|item| item[key] == id))
            .ok_or_else(|| format!("the fixture has no {list} entry `{id}`"))
    };
    match fault {
        Some(Fault::BotDisabled) => {
            let i = entry(fixture, "apps", "app_id", APP)?;
            fixture["apps"][i]["bot_enabled"] = json!(false);
        }
        Some(Fault::Resigned) => {
            let i = entry(fixture, "users", "open_id", LI_SI)?;
            fixture["users"][i]["resigned"] = json!(true);
        }
        Some(Fault::MayNotSpeak | Fault::SentByUserNoManager) => {
            let i = entry(fixture, "chats", "chat_id", MAIN_CHAT)?;
            let chat = &mut fixture["chats"][i];
            chat["bot_managers"] = json!([]);
            chat["creator"] = Value::Null;
        }
        _ => {}
    }
    Ok(())
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

/// A request to send.
struct Outgoing {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    content_type: String,
    body: Vec<u8>,
    token: String,
}

/// The case's request, rewritten for the world and changed by the fault.
fn outgoing(
    world: &World,
    operation: &str,
    case: Option<&Case>,
    fault: Option<Fault>,
) -> Result<Outgoing, String> {
    use Fault::*;
    let mut out = match case.and_then(|c| c.request.as_ref()) {
        Some(request) => {
            let mut query = Map::new();
            for (k, v) in request.query.iter().flatten() {
                if k != "page_token" {
                    query.insert(k.clone(), v.clone());
                }
            }
            let body = match &request.body {
                None | Some(Value::Null) => Vec::new(),
                Some(b) => world.rewrite(&b.to_string()).into_bytes(),
            };
            let query = query
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, world.rewrite(&v))
                })
                .collect();
            Outgoing {
                method: request.method.clone(),
                path: world.rewrite(&request.path),
                query,
                content_type: "application/json; charset=utf-8".to_owned(),
                body,
                token: match case.and_then(|c| c.auth).unwrap_or_default() {
                    Auth::User => USER_TOKEN.to_owned(),
                    Auth::None => String::new(),
                    Auth::Tenant => world.token.clone(),
                },
            }
        }
        None => synthesized(world, operation, fault)?,
    };
    if operation.ends_with("image.create") || operation.ends_with("file.create") {
        let image = operation.ends_with("image.create");
        let bytes = match fault {
            Some(EmptyUpload) => Vec::new(),
            Some(LargeUpload) => {
                let mut b = png(2, 2);
                b.resize(if image { 10 << 20 } else { 30 << 20 } + 1, 0);
                b
            }
            Some(NotAnImage) => b"plain text".to_vec(),
            Some(HugeImage) => png(12001, 2),
            _ => png(2, 2),
        };
        let kind = if fault == Some(BadUploadType) {
            "exe"
        } else if image {
            "message"
        } else {
            "mp4"
        };
        let part = FilePart::new(
            if image {
                "image.png"
            } else {
                "测试视频.mp4"
            },
            bytes,
        );
        let form = if image {
            Form::new().text("image_type", kind).file("image", &part)
        } else {
            Form::new()
                .text("file_type", kind)
                .text("file_name", "测试视频.mp4")
                .text("duration", "3000")
                .file("file", &part)
        };
        let encoded = form.encode().map_err(|e| e.to_string())?;
        out.content_type = encoded.content_type;
        out.body = encoded.bytes;
    }
    let set_query = |out: &mut Outgoing, key: &str, value: &str| {
        out.query.retain(|(k, _)| k != key);
        out.query.push((key.to_owned(), value.to_owned()));
    };
    let mut body: Value = serde_json::from_slice(&out.body).unwrap_or(Value::Null);
    let receive = |body: &mut Value, id: &str| {
        if body.get("receive_id").is_some() {
            body["receive_id"] = json!(id);
        }
    };
    match fault {
        Some(UnknownUser) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, NO_USER);
        }
        Some(Resigned) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, LI_SI);
        }
        Some(CrossTenant) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, PARTNER_USER);
        }
        Some(UnknownChat) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, NO_CHAT);
        }
        Some(UnknownThread) => {
            set_query(&mut out, "receive_id_type", "thread_id");
            receive(&mut body, NO_THREAD);
        }
        Some(MayNotSpeak | Dissolved) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, MAIN_CHAT);
        }
        Some(ForeignChat) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, "oc_625b739698b7f2c70fcef6410629b33d");
        }
        Some(BadMsgType) => body["msg_type"] = json!("no_such_type"),
        Some(NoFollowUps) => body["follow_ups"] = json!([]),
        Some(Query(key, value)) => set_query(&mut out, key, value),
        Some(EmptyReceiver) => receive(&mut body, ""),
        Some(Frequency) if !operation.ends_with(".reply") => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, LI_SI);
        }
        Some(TooLong) => {
            let content = if operation.ends_with(".patch") {
                json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "x".repeat(31 * 1024)}}]})
            } else {
                json!({"text": "x".repeat(151 * 1024)})
            };
            body["content"] = json!(content.to_string());
            if !operation.ends_with(".patch") {
                body["msg_type"] = json!("text");
            }
        }
        Some(BadEmoji) => {
            if body.get("reaction_type").is_some() {
                body["reaction_type"] = json!({"emoji_type": "NO_SUCH_EMOJI"});
            } else {
                set_query(&mut out, "reaction_type", "NO_SUCH_EMOJI");
            }
        }
        Some(BadUserIdType) => set_query(&mut out, "user_id_type", "no_such_type"),
        Some(BadPageToken) => set_query(&mut out, "page_token", "not-a-token"),
        Some(TooManyPerMessage) => body["page_size_per_message"] = json!(11),
        Some(TwoChats) => {
            let elsewhere = world.text(None, "oc_5ad11d72b830411d72b836c200000000")?;
            if let Some(Value::Array(list)) = body.get_mut("message_id_list") {
                list.push(json!(elsewhere));
            }
        }
        Some(ThreadAndChat) => {
            let root = world.text(None, MAIN_CHAT)?;
            world.emulator.advance(std::time::Duration::from_secs(1));
            let reply = world.call(
                None,
                "POST",
                &format!("/open-apis/im/v1/messages/{root}/reply"),
                json!({"msg_type": "text", "content": "{\"text\":\"t\"}", "reply_in_thread": true}),
            )?;
            if let Some(Value::Array(list)) = body.get_mut("message_id_list") {
                list.push(json!(id_in(&reply, "message_id")?));
            }
        }
        _ => {}
    }
    if !body.is_null() {
        out.body = body.to_string().into_bytes();
    }
    Ok(out)
}

/// A request for a page that documents none (the downloads): built from
/// its parameters, naming what the world holds.
fn synthesized(world: &World, operation: &str, fault: Option<Fault>) -> Result<Outgoing, String> {
    use Fault::*;
    let json_out = |path: String, query: Vec<(String, String)>| Outgoing {
        method: "GET".to_owned(),
        path,
        query,
        content_type: "application/json; charset=utf-8".to_owned(),
        body: Vec::new(),
        token: world.token.clone(),
    };
    let upload = |token: Option<&str>, image_type: &str| -> Result<String, String> {
        let part = FilePart::new("cat.png", png(4, 4));
        let form = Form::new()
            .text("image_type", image_type)
            .file("image", &part)
            .encode()
            .map_err(|e| e.to_string())?;
        let (status, body) = world.raw(
            token.unwrap_or(&world.token),
            "POST",
            "/open-apis/im/v1/images",
            Vec::new(),
            &form.content_type,
            form.bytes,
        );
        id_in(&data_of(status, &body)?, "image_key")
    };
    match operation {
        "im.v1.message_resource.get" => {
            let key = if fault == Some(BotDisabled) {
                RESOURCE_KEY.to_owned()
            } else {
                upload(None, "message")?
            };
            let message = world.rewrite(MESSAGE);
            let message = if message == MESSAGE {
                NO_MESSAGE.to_owned()
            } else {
                message
            };
            let key = if fault == Some(KeyNotInMessage) {
                RESOURCE_KEY.to_owned()
            } else {
                key
            };
            Ok(json_out(
                format!("/open-apis/im/v1/messages/{message}/resources/{key}"),
                vec![("type".to_owned(), "image".to_owned())],
            ))
        }
        "im.v1.image.get" | "im.v1.file.get" => {
            let key = match fault {
                Some(UnknownMessage | BotDisabled) => {
                    "img_v3_02ab_00000000-0000-0000-0000-00000000000g".to_owned()
                }
                Some(OtherUploader) => {
                    let helper = helper_token(world)?;
                    if operation == "im.v1.file.get" {
                        upload_file(world, &helper)?
                    } else {
                        upload(Some(&helper), "message")?
                    }
                }
                Some(AvatarImage) => upload(None, "avatar")?,
                _ if operation == "im.v1.file.get" => upload_file(world, &world.token)?,
                _ => upload(None, "message")?,
            };
            let kind = if operation == "im.v1.file.get" {
                "files"
            } else {
                "images"
            };
            Ok(json_out(
                format!("/open-apis/im/v1/{kind}/{key}"),
                Vec::new(),
            ))
        }
        _ => Err("no documented request to send".to_owned()),
    }
}

/// The tenant token of the second bot of the main tenant.
fn helper_token(world: &World) -> Result<String, String> {
    let data = {
        let (status, body) = world.raw(
            "",
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            Vec::new(),
            "application/json; charset=utf-8",
            json!({"app_id": "cli_a10fbf7e94b8d01d", "app_secret": "emulator-secret-helper"})
                .to_string()
                .into_bytes(),
        );
        if status != 200 {
            return Err(format!("helper token: HTTP {status}: {body}"));
        }
        body
    };
    id_in(&data, "tenant_access_token")
}

/// Uploads a small file with `token`; its key.
fn upload_file(world: &World, token: &str) -> Result<String, String> {
    let part = FilePart::new("a.pdf", b"%PDF-1.4".to_vec());
    let form = Form::new()
        .text("file_type", "pdf")
        .text("file_name", "a.pdf")
        .file("file", &part)
        .encode()
        .map_err(|e| e.to_string())?;
    let (status, body) = world.raw(
        token,
        "POST",
        "/open-apis/im/v1/files",
        Vec::new(),
        &form.content_type,
        form.bytes,
    );
    id_in(&data_of(status, &body)?, "file_key")
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

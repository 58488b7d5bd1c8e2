//! Server mode accepts every documented example request of the group and
//! aPaaS chat_group endpoints, through the SDK pipeline (reqwest against the
//! server URL), and answers the documented shape: every key of the documented
//! response is present, and the body decodes into the typed output.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::{self, Endpoint};
use feishu_emulator::feishu_transport::Client;
use serde_json::{json, Value};

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../feishu-model/tests/fixtures"
);

fn fixture(name: &str) -> Option<Value> {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}")).ok()?;
    Some(serde_json::from_str(&text).unwrap())
}

/// One documented example: path and query values from the page's parameter
/// tables, body from the page's request example.
struct Case {
    op: &'static str,
    path: Value,
    query: Value,
    /// Paths (`a.b`) whose documented non-empty list may legitimately be
    /// empty here (the example removes the last item).
    may_be_empty: &'static [&'static str],
    /// Whether the case needs a message (sent by the bot to the main chat,
    /// reacted to and pinned): `$message` and `$reaction` in the path and body
    /// stand for their ids.
    message: bool,
    /// Whether that message is a card rather than a text.
    card: bool,
    /// Whether that message goes to 张三's one-to-one chat with the bot
    /// rather than to the main chat.
    to_user: bool,
    /// Body values of the page's example replaced before the call (ids
    /// the fixture does not hold).
    replace: &'static [(&'static str, &'static str)],
    /// Keys the page's example shows that this call legitimately lacks
    /// (a message item's `root_id`, `parent_id`, `thread_id`, `mentions`
    /// and `upper_message_id` belong to replies, threads, mentions and
    /// merged forwards only).
    may_lack: &'static [&'static str],
}

fn case(op: &'static str, path: Value, query: Value) -> Case {
    Case {
        op,
        path,
        query,
        may_be_empty: &[],
        message: false,
        card: false,
        to_user: false,
        replace: &[],
        may_lack: &[],
    }
}

/// A case about the message `$message`.
fn on_message(op: &'static str, path: Value, query: Value) -> Case {
    Case {
        message: true,
        ..case(op, path, query)
    }
}

/// Replaces `$message`/`$reaction` and the case's `replace` pairs in every
/// string of `value`.
fn substitute(value: &mut Value, pairs: &[(String, String)]) {
    match value {
        Value::String(s) => {
            if let Some((_, to)) = pairs.iter().find(|(from, _)| from == s) {
                *s = to.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, pairs)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, pairs)),
        _ => {}
    }
}

/// Sends the message a case is about, reacts to it and pins it.
async fn prepare(client: &Client, card: bool, to_user: bool) -> (String, String) {
    use feishu_model::im::message::item::ReceiveIdType;
    use feishu_model::im::message::send::CreateMessage;
    use feishu_model::im::msg_type::MsgType;
    use feishu_model::im::reaction::{CreateReaction, EmojiType};
    let sent = client
        .call(CreateMessage::new(
            if to_user {
                ReceiveIdType::OpenId
            } else {
                ReceiveIdType::ChatId
            },
            if to_user { ZHANG_SAN } else { MAIN_CHAT },
            if card {
                MsgType::Interactive
            } else {
                MsgType::Text
            },
            if card {
                json!({"elements": [{"tag": "markdown", "content": "documented"}]}).to_string()
            } else {
                json!({"text": "documented"}).to_string()
            },
        ))
        .await
        .unwrap();
    let id = sent.message_id.unwrap().as_str().to_owned();
    let reaction = client
        .call(CreateReaction::new(id.as_str(), EmojiType::Smile))
        .await
        .unwrap();
    client
        .call(feishu_model::im::pin::CreatePin::new(id.as_str()))
        .await
        .unwrap();
    (id, reaction.reaction_id.unwrap())
}

fn chat(id: &str) -> Value {
    json!({ "chat_id": id })
}

/// The documented examples. Deviations from the pages, all forced by the
/// pages themselves: `page_token` examples are tokens of the real server and
/// are left out (tokens are opaque); the member/owner id `4d7a3c6g` is a
/// `user_id`, so it is sent with `user_id`/`member_id_type=user_id` (the
/// pages pair it with `open_id`); the moderation page swaps the examples of
/// `page_size` and `page_token`, so `page_size` is 10.
fn cases() -> Vec<Case> {
    let main = || chat(MAIN_CHAT);
    let notice = || chat(ANNOUNCEMENT_CHAT);
    let open_id = || json!({ "user_id_type": "open_id" });
    let user_id = || json!({ "user_id_type": "user_id" });
    vec![
        case(
            "im.v1.chat.create",
            json!({}),
            json!({"user_id_type": "open_id", "set_bot_manager": "false",
                   "uuid": "b13g2t38-1jd2-458b-8djf-dtbca5104204"}),
        ),
        case("im.v1.chat.delete", main(), json!({})),
        case("im.v1.chat.update", main(), user_id()),
        case("im.v1.chat.get", main(), open_id()),
        case(
            "im.v1.chat.list",
            json!({}),
            json!({"user_id_type": "open_id", "sort_type": "ByCreateTimeAsc", "page_size": "10"}),
        ),
        case(
            "im.v1.chat.search",
            json!({}),
            json!({"user_id_type": "open_id", "query": "abc", "page_size": "10"}),
        ),
        case("im.v1.chat.link", main(), json!({})),
        case(
            "im.v1.chat.moderation.get",
            main(),
            json!({"user_id_type": "open_id", "page_size": "10"}),
        ),
        case("im.v1.chat.moderation.update", main(), user_id()),
        case("im.v1.chat.top_notice.put_top_notice", notice(), json!({})),
        case(
            "im.v1.chat.top_notice.delete_top_notice",
            notice(),
            json!({}),
        ),
        case(
            "im.v1.chat.members.create",
            main(),
            json!({"member_id_type": "user_id", "succeed_type": "0"}),
        ),
        case(
            "im.v1.chat.members.delete",
            main(),
            json!({"member_id_type": "user_id"}),
        ),
        case("im.v1.chat.members.me_join", main(), json!({})),
        case(
            "im.v1.chat.members.get",
            main(),
            json!({"member_id_type": "open_id", "page_size": "20"}),
        ),
        case("im.v1.chat.members.is_in_chat", main(), json!({})),
        case(
            "im.v1.chat.managers.add_managers",
            main(),
            json!({"member_id_type": "open_id"}),
        ),
        case(
            "im.v1.chat.managers.delete_managers",
            main(),
            json!({"member_id_type": "open_id"}),
        ),
        case("im.v1.chat.announcement.get", notice(), open_id()),
        case("im.v1.chat.announcement.patch", notice(), json!({})),
        case("im.v1.chat.tab.create", main(), json!({})),
        case("im.v1.chat.tab.update_tabs", main(), json!({})),
        case("im.v1.chat.tab.sort_tabs", main(), json!({})),
        case("im.v1.chat.tab.list_tabs", main(), json!({})),
        case("im.v1.chat.tab.delete_tabs", main(), json!({})),
        case("im.v1.chat.menu_tree.create", main(), json!({})),
        case("im.v1.chat.menu_tree.get", main(), json!({})),
        Case {
            may_be_empty: &["menu_tree.chat_menu_top_levels"],
            ..case("im.v1.chat.menu_tree.delete", main(), json!({}))
        },
        case("im.v1.chat.menu_tree.sort", main(), json!({})),
        case(
            "im.v1.chat.menu_item.patch",
            json!({"chat_id": MAIN_CHAT, "menu_item_id": "7156553273518882844"}),
            json!({}),
        ),
        case(
            "apaas.v1.user_task.chat_group",
            json!({"task_id": "1234"}),
            json!({}),
        ),
    ]
    .into_iter()
    .chain(messaging_cases())
    .collect()
}

/// The documented examples of the messaging endpoints. Deviations: the
/// message ids of the pages are not in the fixture, so each case acts on a
/// message the bot has just sent (`$message`); the buzz pages name a user
/// outside every chat, so 张三 (a member of the main chat) is buzzed; the
/// forward page's receiver is no user the fixture holds, so the message
/// is forwarded to the main chat.
fn messaging_cases() -> Vec<Case> {
    let message = || json!({ "message_id": "$message" });
    let open_id = || json!({ "user_id_type": "open_id" });
    let buzzed: &'static [(&'static str, &'static str)] =
        &[("ou_6yf8af6bgb9100449565764t3382b168", ZHANG_SAN)];
    let urgent = |op| Case {
        replace: buzzed,
        ..on_message(op, message(), open_id())
    };
    vec![
        Case {
            may_lack: &[
                "root_id",
                "parent_id",
                "thread_id",
                "mentions",
                "upper_message_id",
            ],
            ..case(
                "im.v1.message.create",
                json!({}),
                json!({"receive_id_type": "open_id"}),
            )
        },
        Case {
            may_lack: &["mentions", "upper_message_id"],
            ..on_message("im.v1.message.reply", message(), json!({}))
        },
        Case {
            may_lack: &[
                "root_id",
                "parent_id",
                "thread_id",
                "mentions",
                "upper_message_id",
            ],
            ..on_message("im.v1.message.update", message(), json!({}))
        },
        on_message("im.v1.message.delete", message(), json!({})),
        Case {
            to_user: true,
            ..on_message("im.v1.message.push_follow_up", message(), json!({}))
        },
        Case {
            may_lack: &[
                "root_id",
                "parent_id",
                "thread_id",
                "mentions",
                "upper_message_id",
            ],
            replace: &[("ou_a0553eda9014c201e6969b478895c230", MAIN_CHAT)],
            ..on_message(
                "im.v1.message.forward",
                message(),
                json!({"receive_id_type": "chat_id"}),
            )
        },
        Case {
            card: true,
            ..on_message("im.v1.message.patch", message(), json!({}))
        },
        Case {
            may_lack: &[
                "items[0].root_id",
                "items[0].parent_id",
                "items[0].thread_id",
                "items[0].mentions",
                "items[0].upper_message_id",
            ],
            ..on_message("im.v1.message.get", message(), json!({}))
        },
        Case {
            may_lack: &[
                "items[0].root_id",
                "items[0].parent_id",
                "items[0].thread_id",
                "items[0].mentions",
                "items[0].upper_message_id",
            ],
            ..on_message(
                "im.v1.message.list",
                json!({}),
                json!({"container_id_type": "chat", "container_id": MAIN_CHAT,
                       "sort_type": "ByCreateTimeAsc", "page_size": "20"}),
            )
        },
        Case {
            may_be_empty: &["items"],
            ..on_message("im.v1.message.read_users", message(), open_id())
        },
        on_message("im.v1.message_reaction.create", message(), json!({})),
        on_message(
            "im.v1.message_reaction.delete",
            json!({"message_id": "$message", "reaction_id": "$reaction"}),
            json!({}),
        ),
        on_message("im.v1.message_reaction.list", message(), open_id()),
        Case {
            replace: &[("om_dc13264520392913993dd051dba21dcf", "$message")],
            ..on_message("im.v1.pin.create", json!({}), json!({}))
        },
        on_message("im.v1.pin.delete", message(), json!({})),
        on_message("im.v1.pin.list", json!({}), json!({"chat_id": MAIN_CHAT})),
        urgent("im.v1.message.urgent_app"),
        urgent("im.v1.message.urgent_sms"),
        urgent("im.v1.message.urgent_phone"),
    ]
}

/// Builds endpoint `E` from the example's parts and calls it through the SDK.
async fn exec<E>(
    client: &Client,
    path: &Value,
    query: &Value,
    body: &Value,
) -> Result<Value, String>
where
    E: Endpoint + Send + Sync,
{
    let path: E::Path = serde_json::from_value(path.clone()).map_err(|e| format!("path: {e}"))?;
    let query: E::Query =
        serde_json::from_value(query.clone()).map_err(|e| format!("query: {e}"))?;
    let body: E::Body = serde_json::from_value(body.clone()).map_err(|e| format!("body: {e}"))?;
    let endpoint = E::from_parts(path, query, body);
    let output = client
        .call(endpoint)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    serde_json::to_value(output).map_err(|e| e.to_string())
}

macro_rules! dispatch {
    ($($ty:path),* $(,)?) => {
        async fn run(op: &str, client: &Client, path: &Value, query: &Value, body: &Value)
            -> Result<Value, String>
        {
            $(if op == <$ty as Endpoint>::OPERATION {
                return exec::<$ty>(client, path, query, body).await;
            })*
            Err(format!("no endpoint type for {op}"))
        }
    };
}
feishu_model::for_each_endpoint!(dispatch);

/// Every key of the documented `doc` is in `got`, recursively; a documented
/// non-empty list of objects must be non-empty (its first item compared
/// with the documented items).
fn shape(doc: &Value, got: &Value, at: &str, may_be_empty: &[&str], problems: &mut Vec<String>) {
    match (doc, got) {
        (Value::Object(d), Value::Object(g)) => {
            for (key, value) in d {
                let here = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match g.get(key) {
                    Some(v) => shape(value, v, &here, may_be_empty, problems),
                    // A documented empty object names no field: absent is alike.
                    None if value.as_object().is_some_and(|o| o.is_empty()) => {}
                    None => problems.push(format!("missing `{here}`")),
                }
            }
        }
        (Value::Array(d), Value::Array(g)) => match (d.first(), g.first()) {
            // The pages' lists mix variants (a message tab, a doc tab...):
            // the first item must have the keys of one documented item.
            (Some(first @ Value::Object(_)), Some(got)) => {
                let at = format!("{at}[0]");
                let fits = |item: &Value| {
                    let mut none = Vec::new();
                    shape(item, got, &at, may_be_empty, &mut none);
                    none.is_empty()
                };
                if !d.iter().any(fits) {
                    shape(first, got, &at, may_be_empty, problems)
                }
            }
            (Some(Value::Object(_)), None) if !may_be_empty.contains(&at) => problems.push(
                format!("`{at}` is empty; the documented example lists items"),
            ),
            _ => {}
        },
        (Value::Object(_) | Value::Array(_), other) => {
            problems.push(format!("`{at}` has the wrong type: {other}"))
        }
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_example_is_accepted_with_the_documented_shape() {
    let cases = cases();
    let expected: Vec<&str> = feishu_model::registry::ENDPOINTS
        .iter()
        .map(|e| e.operation)
        .filter(|op| op.starts_with("im.v1.chat.") || *op == "apaas.v1.user_task.chat_group")
        .collect();
    assert_eq!(
        expected.len(),
        31,
        "30 im group endpoints and aPaaS chat_group"
    );
    for op in &expected {
        assert!(
            cases.iter().any(|c| c.op == *op),
            "no example case for {op}"
        );
    }
    let messaging: Vec<&str> = cases
        .iter()
        .map(|c| c.op)
        .filter(|op| !expected.contains(op))
        .collect();
    assert_eq!(
        messaging.len(),
        19,
        "the emulated messaging endpoints: {messaging:?}"
    );

    let mut failures = Vec::new();
    for case in &cases {
        let (_emulator, server) = serve(None).await;
        let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
        // The pages' malformed ids stand for the fixture's well-formed ones.
        let body = fixture(&format!("{}.request.json", case.op)).unwrap_or_else(|| json!({}));
        let mut body = feishu_emulator::documented_json_to_fixture(&body);
        let mut path = case.path.clone();
        let mut pairs: Vec<(String, String)> = case
            .replace
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
        if case.message {
            let (message, reaction) = prepare(&client, case.card, case.to_user).await;
            for (_, to) in pairs.iter_mut() {
                if to == "$message" {
                    *to = message.clone();
                }
            }
            pairs.push(("$message".to_owned(), message));
            pairs.push(("$reaction".to_owned(), reaction));
        }
        substitute(&mut body, &pairs);
        substitute(&mut path, &pairs);
        let documented = fixture(&format!("{}.response.json", case.op))
            .unwrap_or_else(|| panic!("no documented response for {}", case.op));
        let documented = documented.get("data").cloned().unwrap_or_else(|| json!({}));
        match run(case.op, &client, &path, &case.query, &body).await {
            Ok(got) => {
                let mut problems = Vec::new();
                shape(&documented, &got, "", case.may_be_empty, &mut problems);
                problems.retain(|p| !case.may_lack.iter().any(|k| *p == format!("missing `{k}`")));
                if !problems.is_empty() {
                    failures.push(format!("{}: {}\n  got {got}", case.op, problems.join("; ")));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", case.op)),
        }
        server.stop().await.unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} of {} examples failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn the_shape_check_can_fail() {
    let mut problems = Vec::new();
    shape(
        &json!({"items": [{"chat_id": "x", "name": "y"}], "has_more": true}),
        &json!({"items": [{"chat_id": "x"}]}),
        "",
        &[],
        &mut problems,
    );
    problems.sort();
    assert_eq!(
        problems,
        vec!["missing `has_more`", "missing `items[0].name`"]
    );
    problems.clear();
    shape(
        &json!({"items": [{"a": 1}]}),
        &json!({"items": []}),
        "",
        &[],
        &mut problems,
    );
    assert_eq!(problems.len(), 1);
}

//! How a stored message is answered: the `message` item, and the content
//! in the received format where it differs from the sent one (text
//! mentions become `@_user_N` keys, cards their simplified form).

use feishu_model::im::message::item::{Mention, Message, MessageBody, Sender, SenderType};
use feishu_model::im::msg_type::MsgType;
use feishu_model::{MemberId, MemberIdType, UserIdType};
use serde_json::{json, Map, Value};

use crate::state::message::StoredMessage;
use crate::state::{Directory, Principal};

/// The content a get or list answers for a recalled message.
pub(crate) const RECALLED_TEXT: &str = "This message was recalled";

/// What a recalled message's content reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Recalled {
    /// No content (send, reply, get).
    Absent,
    /// The fixed text (history list).
    Placeholder,
}

/// The `sender` of a message.
pub(crate) fn sender(dir: &Directory, who: &Principal, kind: &UserIdType) -> Sender {
    let mut s = Sender::default();
    match who {
        Principal::Bot(app) => {
            s.id = Some(MemberId::new(app.as_str()));
            s.id_type = Some(MemberIdType::AppId);
            s.sender_type = Some(SenderType::App);
        }
        Principal::User(key) => {
            s.id = Some(dir.id_of(*key, kind));
            s.id_type = Some(match kind {
                UserIdType::UnionId => MemberIdType::UnionId,
                UserIdType::UserId => MemberIdType::UserId,
                _ => MemberIdType::OpenId,
            });
            s.sender_type = Some(SenderType::User);
        }
    }
    s.tenant_key = dir.tenant_of(who);
    s
}

/// The `message` item of a stored message.
pub(crate) fn message(
    dir: &Directory,
    m: &StoredMessage,
    kind: &UserIdType,
    recalled: Recalled,
    received: bool,
) -> Message {
    let mut out = Message::default();
    out.message_id = Some(m.id.as_str().into());
    out.root_id = m.root_id.as_deref().map(Into::into);
    out.parent_id = m.parent_id.as_deref().map(Into::into);
    out.thread_id = m.thread_id.as_deref().map(Into::into);
    out.upper_message_id = m.upper.as_deref().map(Into::into);
    out.msg_type = Some(m.msg_type.clone());
    out.create_time = Some(m.create_ms.to_string());
    out.update_time = Some(m.update_ms.to_string());
    out.deleted = Some(m.deleted);
    out.updated = Some(m.edits > 0);
    out.chat_id = Some(m.chat.clone());
    out.sender = Some(sender(dir, &m.sender, kind));
    let mut body = MessageBody::default();
    let mut mentions = Vec::new();
    body.content = match (m.deleted, recalled) {
        (true, Recalled::Absent) => None,
        (true, Recalled::Placeholder) => Some(RECALLED_TEXT.to_owned()),
        (false, _) if received => Some(received_content(dir, m, kind, &mut mentions)),
        (false, _) => Some(m.content.clone()),
    };
    out.body = Some(body);
    if !mentions.is_empty() {
        out.mentions = Some(mentions);
    }
    out
}

/// The content of `m` in the received format.
fn received_content(
    dir: &Directory,
    m: &StoredMessage,
    kind: &UserIdType,
    mentions: &mut Vec<Mention>,
) -> String {
    let Ok(Value::Object(sent)) = serde_json::from_str::<Value>(&m.content) else {
        return m.content.clone();
    };
    let received = match m.msg_type {
        MsgType::Text => {
            let text = sent.get("text").and_then(Value::as_str).unwrap_or("");
            json!({ "text": text_mentions(dir, text, kind, mentions) })
        }
        MsgType::Interactive => match simplified_card(&sent) {
            Some(card) => card,
            None => Value::Object(sent),
        },
        _ => Value::Object(sent),
    };
    received.to_string()
}

/// Replaces `<at user_id="...">name</at>` with `@_user_N` keys and lists
/// the mentions.
fn text_mentions(
    dir: &Directory,
    text: &str,
    kind: &UserIdType,
    mentions: &mut Vec<Mention>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<at ") {
        let Some(end_rel) = rest[start..].find("</at>") else {
            break;
        };
        let tag = &rest[start..start + end_rel];
        let id = tag
            .split_once("user_id=\"")
            .and_then(|(_, r)| r.split_once('"'))
            .map(|(id, _)| id)
            .unwrap_or("");
        let name = tag.split_once('>').map_or("", |(_, n)| n);
        out.push_str(&rest[..start]);
        if id == "all" {
            out.push_str("@_all");
        } else {
            let key = format!("@_user_{}", mentions.len() + 1);
            let mut mention = Mention::default();
            mention.key = Some(key.clone());
            let user = dir.by_open_id(id);
            mention.id = Some(user.map_or_else(|| MemberId::new(id), |u| dir.id_of(u, kind)));
            mention.id_type = Some(match kind {
                UserIdType::UnionId => MemberIdType::UnionId,
                UserIdType::UserId => MemberIdType::UserId,
                _ => MemberIdType::OpenId,
            });
            mention.name = Some(match user.and_then(|u| dir.user(u)) {
                Some(u) => u.name.clone(),
                None => name.to_owned(),
            });
            mention.tenant_key = user.and_then(|u| dir.user(u)).map(|u| u.tenant.clone());
            mentions.push(mention);
            out.push_str(&key);
        }
        rest = &rest[start + end_rel + "</at>".len()..];
    }
    out.push_str(rest);
    out
}

/// The simplified form of a card JSON (`title` and paragraphs of
/// elements); `None` for a card given by id or template.
fn simplified_card(card: &Map<String, Value>) -> Option<Value> {
    if card.get("type").and_then(Value::as_str).is_some() {
        return None;
    }
    let title = card_title(card);
    let elements = card
        .get("body")
        .and_then(|b| b.get("elements"))
        .or_else(|| card.get("elements"))
        .and_then(Value::as_array)
        .map(|els| els.iter().filter_map(paragraph).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut out = Map::new();
    if let Some(title) = title {
        out.insert("title".into(), Value::from(title));
    }
    out.insert("elements".into(), Value::Array(elements));
    Some(Value::Object(out))
}

/// A card's header title (`header.title.content`).
pub(crate) fn card_title(card: &Map<String, Value>) -> Option<String> {
    card.get("header")?
        .get("title")?
        .get("content")?
        .as_str()
        .map(str::to_owned)
}

/// One card element as a paragraph of the simplified form.
fn paragraph(el: &Value) -> Option<Value> {
    let tag = el.get("tag")?.as_str()?;
    let text_of = |v: &Value| -> Option<String> {
        v.get("content")
            .and_then(Value::as_str)
            .or_else(|| {
                v.get("text")
                    .and_then(|t| t.get("content"))
                    .and_then(Value::as_str)
            })
            .map(str::to_owned)
    };
    Some(match tag {
        "hr" => json!([{ "tag": "hr" }]),
        "button" => {
            let kind = el.get("type").and_then(Value::as_str).unwrap_or("default");
            json!([{ "tag": "button", "text": text_of(el).unwrap_or_default(), "type": kind }])
        }
        "img" => {
            json!([{ "tag": "img", "image_key": el.get("img_key").cloned().unwrap_or(Value::Null) }])
        }
        "action" | "column_set" => {
            let inner = el
                .get("actions")
                .or_else(|| el.get("columns"))
                .and_then(Value::as_array)?;
            let flat: Vec<Value> = inner
                .iter()
                .filter_map(paragraph)
                .filter_map(|p| p.as_array().cloned())
                .flatten()
                .collect();
            Value::Array(flat)
        }
        _ => json!([{ "tag": "text", "text": text_of(el).unwrap_or_default() }]),
    })
}

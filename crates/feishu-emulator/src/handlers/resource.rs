//! A resource of a message (image, file, audio, video), downloaded through
//! the message: only a key the message's content holds, only by a member
//! of its chat.

use feishu_model::codes;
use feishu_model::download::Download;
use feishu_model::im::message::resource::{GetMessageResource, ResourceType};
use feishu_model::im::msg_type::MsgType;
use serde_json::Value;

use super::media::resource_param;
use super::{Ctx, Handle};
use crate::error::Failure;

/// Message types whose resources cannot be downloaded (234043): cards,
/// merged forwards and stickers.
const UNSUPPORTED: &[MsgType] = &[
    MsgType::Interactive,
    MsgType::MergeForward,
    MsgType::Sticker,
];

/// Collects the string values of `field` anywhere in `value`.
fn keys_of<'a>(value: &'a Value, field: &str, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == field => out.push(s),
                    other => keys_of(other, field, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys_of(v, field, out)),
        _ => {}
    }
}

impl Handle for GetMessageResource {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Download, Failure> {
        let caller = ctx.caller()?;
        let id = self.path.message_id.as_str();
        let key = self.path.file_key.as_str();
        let kind = self.query.resource_type.unwrap_or(ResourceType::File);
        let field = match kind {
            ResourceType::Image => "image_key",
            ResourceType::File => "file_key",
            other => {
                return Err(resource_param(
                    "type",
                    format!("must be `image` or `file`, got `{other}`"),
                ))
            }
        };
        let m = ctx
            .world
            .messages
            .by_id
            .get(id)
            .ok_or_else(|| resource_param("message_id", format!("no message `{id}`")))?;
        let in_chat = ctx
            .world
            .chats
            .get(&m.chat)
            .is_some_and(|c| c.is_member(&caller.who));
        if !in_chat {
            return Err(Failure::code(codes::RESOURCE_APP_NOT_IN_CHAT));
        }
        if m.deleted {
            return Err(Failure::code(codes::MESSAGE_DELETED));
        }
        if UNSUPPORTED.contains(&m.msg_type) || m.upper.is_some() {
            return Err(
                Failure::code(codes::RESOURCE_MESSAGE_TYPE_UNSUPPORTED).because(format!(
                    "resources of a `{}` message cannot be downloaded",
                    m.msg_type
                )),
            );
        }
        let content: Value = serde_json::from_str(&m.content).unwrap_or(Value::Null);
        let mut keys = Vec::new();
        keys_of(&content, field, &mut keys);
        if !keys.contains(&key) {
            return Err(Failure::code(codes::RESOURCE_NOT_IN_MESSAGE)
                .because(format!("message `{id}` holds no {kind} `{key}`")));
        }
        if let Some(upload) = ctx.world.uploads.get(key) {
            let mut out = Download::new(upload.bytes.to_vec());
            out.content_type = Some(upload.content_type.clone());
            out.file_name = Some(upload.name.clone());
            return Ok(out);
        }
        // A key the emulator never received (a seeded message, or one a
        // simulated user sent): a placeholder of the right kind.
        let mut names = Vec::new();
        keys_of(&content, "file_name", &mut names);
        let out = match kind {
            ResourceType::Image => {
                let mut out = Download::new(super::image_info::placeholder_png());
                out.content_type = Some("image/png".to_owned());
                out.file_name = Some(format!("{key}.png"));
                out
            }
            _ => {
                let mut out = Download::new(format!("emulated content of {key}\n").into_bytes());
                out.content_type = Some("application/octet-stream".to_owned());
                out.file_name = Some(
                    names
                        .first()
                        .map_or_else(|| key.to_owned(), |n| (*n).to_owned()),
                );
                out
            }
        };
        Ok(out)
    }

    fn download(output: Download) -> Option<Download> {
        Some(output)
    }
}

//! Forwarding one message to a user, a chat or a thread.

use feishu_model::codes;
use feishu_model::im::message::forward::ForwardMessage;
use feishu_model::im::message::item::{Message, ReceiveIdType};
use feishu_model::im::msg_type::MsgType;

use super::message::{post, receiver, Draft};
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use feishu_model::ChatId;

/// Kinds of message that cannot be forwarded.
const NOT_FORWARDABLE: &[MsgType] = &[MsgType::System, MsgType::Audio];

/// Where a forward goes: (chat, root message, thread) of a thread target
/// (230019 when there is no such thread), else the chat of the user or
/// chat named (230063 for a chat id naming no chat).
pub(super) fn destination(
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    kind: &ReceiveIdType,
    target: &str,
) -> Result<(ChatId, Option<String>, Option<String>), Failure> {
    if *kind == ReceiveIdType::ThreadId {
        let root = ctx
            .world
            .messages
            .threads
            .get(target)
            .and_then(|root| ctx.world.messages.by_id.get(root))
            .ok_or_else(|| {
                Failure::code(codes::MESSAGE_THREAD_NOT_FOUND)
                    .because(format!("no thread `{target}`"))
            })?;
        return Ok((
            root.chat.clone(),
            Some(root.id.clone()),
            Some(target.to_owned()),
        ));
    }
    let chat = receiver(ctx, caller, kind, target)?;
    if *kind == ReceiveIdType::ChatId && !ctx.world.chats.contains_key(&chat) {
        return Err(Failure::code(codes::FORWARD_INVALID_TARGET_CHAT)
            .because(format!("no chat `{target}`")));
    }
    Ok((chat, None, None))
}

impl Handle for ForwardMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Message, Failure> {
        let caller = ctx.caller()?;
        let id = self.path.message_id.as_str();
        let invalid = || {
            Failure::code(codes::FORWARD_INVALID_SOURCE)
                .because(format!("no message `{id}` the operator can see"))
        };
        let source = ctx
            .world
            .messages
            .by_id
            .get(id)
            .cloned()
            .ok_or_else(invalid)?;
        let visible = ctx
            .world
            .chats
            .get(&source.chat)
            .is_some_and(|c| c.is_member(&caller.who));
        if !visible {
            return Err(invalid());
        }
        if source.deleted {
            return Err(Failure::code(codes::FORWARD_SOURCE_RECALLED));
        }
        if NOT_FORWARDABLE.contains(&source.msg_type) {
            return Err(
                Failure::code(codes::FORWARD_TYPE_UNSUPPORTED).because(format!(
                    "a `{}` message cannot be forwarded",
                    source.msg_type
                )),
            );
        }
        let kind = self.query.receive_id_type.unwrap_or(ReceiveIdType::ChatId);
        let (chat, root_id, thread_id) = destination(ctx, &caller, &kind, &self.body.receive_id)?;
        let draft = Draft {
            chat,
            msg_type: source.msg_type,
            content: source.content,
            uuid: self.query.uuid,
            root_id,
            parent_id: None,
            thread_id,
        };
        post(ctx, &caller, draft)
    }
}

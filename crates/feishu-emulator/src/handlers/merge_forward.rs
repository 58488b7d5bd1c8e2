//! Merged forwards: several messages of one chat, or a whole thread, sent
//! on as one `merge_forward` message whose content is the platform's fixed
//! text and which holds copies of the messages (read with message get).

use feishu_model::codes;
use feishu_model::im::message::forward::{ForwardThread, MergeForward, MergeForwardOutput};
use feishu_model::im::message::item::{Message, MessageId, ReceiveIdType};
use feishu_model::im::msg_type::MsgType;

use super::forward::destination;
use super::message::{post, Draft};
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use crate::state::message::StoredMessage;

/// The content of every merged forward message, as the pages state.
pub(crate) const MERGED_CONTENT: &str = "Merged and Forwarded Message";

/// Sends the merged message holding copies of `sources` to the receiver.
fn send_merged(
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    kind: &ReceiveIdType,
    receive_id: &str,
    uuid: Option<String>,
    sources: Vec<StoredMessage>,
) -> Result<Message, Failure> {
    let (chat, root_id, thread_id) = destination(ctx, caller, kind, receive_id)?;
    let deduplicated = ctx
        .world
        .messages
        .deduplicated(&caller.who, uuid.as_deref(), ctx.now_ms)
        .is_some();
    let draft = Draft {
        chat,
        msg_type: MsgType::MergeForward,
        content: MERGED_CONTENT.to_owned(),
        uuid,
        root_id,
        parent_id: None,
        thread_id,
    };
    let message = post(ctx, caller, draft)?;
    let upper = message.message_id.as_ref().map(|id| id.as_str().to_owned());
    if let (Some(upper), false) = (upper, deduplicated) {
        let children = sources
            .into_iter()
            .map(|mut m| {
                m.id = ctx.world.ids.message_id();
                m.root_id = None;
                m.parent_id = None;
                m.thread_id = None;
                m
            })
            .collect();
        ctx.world.messages.insert_merged(&upper, children);
    }
    Ok(message)
}

impl Handle for MergeForward {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<MergeForwardOutput, Failure> {
        let caller = ctx.caller()?;
        let mut valid: Vec<StoredMessage> = Vec::new();
        let mut invalid: Vec<MessageId> = Vec::new();
        let mut recalled = 0;
        for id in &self.body.message_id_list {
            let found = ctx.world.messages.by_id.get(id.as_str()).filter(|m| {
                ctx.world
                    .chats
                    .get(&m.chat)
                    .is_some_and(|c| c.is_member(&caller.who))
            });
            match found {
                Some(m) if m.deleted => {
                    recalled += 1;
                    invalid.push(id.clone());
                }
                // System messages and messages inside a merged forward
                // cannot be merged again.
                Some(m) if m.msg_type != MsgType::System && m.upper.is_none() => {
                    valid.push(m.clone());
                }
                _ => invalid.push(id.clone()),
            }
        }
        if valid.is_empty() {
            return Err(if recalled == invalid.len() {
                Failure::code(codes::FORWARD_SOURCE_RECALLED)
            } else {
                Failure::code(codes::FORWARD_INVALID_SOURCE)
                    .because("no listed message exists and is visible to the operator")
            });
        }
        if valid.iter().any(|m| m.chat != valid[0].chat) {
            return Err(Failure::code(codes::MERGE_FORWARD_DIFFERENT_CHATS));
        }
        let threads: std::collections::BTreeSet<Option<&str>> =
            valid.iter().map(|m| m.thread_id.as_deref()).collect();
        if threads.len() > 1 {
            return Err(Failure::code(codes::MERGE_FORWARD_MIXED_SOURCES)
                .because("the messages come from several threads, or from a thread and the chat"));
        }
        let kind = self.query.receive_id_type.unwrap_or(ReceiveIdType::ChatId);
        valid.sort_by_key(|m| m.seq);
        let message = send_merged(
            ctx,
            &caller,
            &kind,
            &self.body.receive_id,
            self.query.uuid,
            valid,
        )?;
        let mut out = MergeForwardOutput::default();
        out.message = Some(message);
        out.invalid_message_id_list = Some(invalid);
        Ok(out)
    }
}

impl Handle for ForwardThread {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Message, Failure> {
        let caller = ctx.caller()?;
        let thread = self.path.thread_id.as_str();
        let root = ctx
            .world
            .messages
            .threads
            .get(thread)
            .and_then(|root| ctx.world.messages.by_id.get(root))
            .cloned()
            .ok_or_else(|| {
                Failure::code(codes::FORWARD_INVALID_SOURCE)
                    .because(format!("no thread `{thread}`"))
            })?;
        let member = ctx
            .world
            .chats
            .get(&root.chat)
            .is_some_and(|c| c.is_member(&caller.who));
        if !member {
            return Err(Failure::code(codes::MESSAGE_BOT_NOT_IN_CHAT)
                .because("the operator is not in the thread's chat"));
        }
        if root.deleted {
            return Err(Failure::code(codes::MESSAGE_DELETED));
        }
        let sources: Vec<StoredMessage> = ctx
            .world
            .messages
            .of_chat(&root.chat)
            .filter(|m| !m.deleted && m.thread_id.as_deref() == Some(thread))
            .cloned()
            .collect();
        let kind = self.query.receive_id_type.unwrap_or(ReceiveIdType::ChatId);
        send_merged(
            ctx,
            &caller,
            &kind,
            &self.body.receive_id,
            self.query.uuid,
            sources,
        )
    }
}

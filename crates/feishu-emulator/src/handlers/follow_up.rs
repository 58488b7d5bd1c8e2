//! Follow-up bubbles under the latest message of a bot's one-to-one chat
//! with a user.

use feishu_model::codes;
use feishu_model::im::message::edit::PushFollowUp;
use feishu_model::im::types::ChatMode;
use feishu_model::Empty;

use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::Principal;

/// Documented age limit of a message that takes follow-ups: 600 seconds.
pub const FOLLOW_UP_WINDOW_MS: i64 = 600 * 1000;

/// A failure with the wording the follow-up page gives for `code`.
fn refuse(code: i64, msg: &str) -> Failure {
    let mut failure = Failure::code(code);
    msg.clone_into(&mut failure.msg);
    failure
}

impl Handle for PushFollowUp {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let id = self.path.message_id.as_str();
        let invisible = || refuse(codes::FOLLOW_UP_INVISIBLE_MESSAGE, "invisible message.");
        let m = ctx
            .world
            .messages
            .by_id
            .get(id)
            .cloned()
            .ok_or_else(invisible)?;
        let chat = ctx.world.chats.get(&m.chat).ok_or_else(invisible)?;
        if !chat.is_member(&caller.who) || m.deleted {
            return Err(invisible());
        }
        let with_user = chat.users().count() == 1;
        if chat.mode != ChatMode::P2p || !with_user || !matches!(caller.who, Principal::Bot(_)) {
            return Err(refuse(codes::FOLLOW_UP_ONLY_P2P, "only support p2p chat."));
        }
        if ctx.now_ms - m.create_ms > FOLLOW_UP_WINDOW_MS {
            return Err(refuse(codes::MESSAGE_BOT_NOT_IN_CHAT, "expired message."));
        }
        let latest = ctx
            .world
            .messages
            .of_chat(&m.chat)
            .filter(|x| !x.deleted)
            .last()
            .map(|x| x.id.clone());
        if latest.as_deref() != Some(m.id.as_str()) {
            return Err(refuse(
                codes::MESSAGE_BOT_NOT_ACTIVATED,
                "only support latest message.",
            ));
        }
        if !m.follow_ups.is_empty() {
            return Err(refuse(codes::FOLLOW_UP_EXISTS, "follow up already exist."));
        }
        if let Some(stored) = ctx.world.messages.by_id.get_mut(&m.id) {
            stored.follow_ups = self
                .body
                .follow_ups
                .into_iter()
                .map(|f| f.content)
                .collect();
        }
        Ok(Empty::default())
    }
}

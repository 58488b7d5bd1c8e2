//! Updating a card message the caller sent (`PATCH` on the message).

use feishu_model::codes;
use feishu_model::im::card::PatchCard;
use feishu_model::im::msg_type::MsgType;
use feishu_model::Empty;

use super::message::{param, visible};
use super::{Ctx, Handle};
use crate::error::Failure;

/// Documented window in which a card can be updated: 14 days.
pub const PATCH_WINDOW_MS: i64 = 14 * 24 * 60 * 60 * 1000;

impl Handle for PatchCard {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let m = visible(ctx, &caller, self.path.message_id.as_str())?;
        if m.deleted {
            return Err(Failure::code(codes::MESSAGE_RECALLED));
        }
        if m.msg_type != MsgType::Interactive {
            return Err(param(
                "message_id",
                format!(
                    "only a card can be updated; the message is `{}`",
                    m.msg_type
                ),
            ));
        }
        if m.sender != caller.who {
            return Err(Failure::code(codes::MESSAGE_LACKS_PERMISSION)
                .because("a card is updated by the identity that sent it"));
        }
        if ctx.now_ms - m.create_ms > PATCH_WINDOW_MS {
            return Err(Failure::code(codes::MESSAGE_UPDATE_EXPIRED));
        }
        feishu_model::im::content::MessageContent::parse(&MsgType::Interactive, &self.body.content)
            .map_err(|e| param("content", e.to_string()))?;
        let now = ctx.now_ms;
        if let Some(stored) = ctx.world.messages.by_id.get_mut(&m.id) {
            stored.content = self.body.content;
            stored.update_ms = now;
            stored.edits += 1;
        }
        Ok(Empty::default())
    }
}

//! The pinned message or announcement at the top of a chat.

use feishu_model::codes;
use feishu_model::im::top_notice::{DeleteTopNotice, PutTopNotice};
use feishu_model::Empty;

use super::ctx::MEMBER;
use super::{Ctx, Handle};
use crate::error::Failure;

/// The caller may manage the pin: a member, and when `edit_permission` is
/// `only_owner`, the owner or a manager (232014 otherwise).
fn check(ctx: &Ctx<'_>, id: &feishu_model::ChatId) -> Result<(), Failure> {
    let caller = ctx.open(id, MEMBER)?;
    let chat = ctx.chat(id)?;
    if !chat.allowed(&chat.settings.edit_permission, &caller.who) {
        return Err(Failure::code(codes::GROUP_TOKEN_NO_PERMISSION)
            .because("only the owner and managers may pin in this chat"));
    }
    Ok(())
}

impl Handle for PutTopNotice {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id)?;
        if let Some(notice) = self
            .body
            .chat_top_notice
            .iter()
            .find(|n| n.action_type.as_ref().is_some_and(|a| !a.is_known()))
        {
            let shown = notice
                .action_type
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            return Err(ctx.param(
                "action_type",
                format!("must be \"1\" or \"2\", got {shown:?}"),
            ));
        }
        ctx.chat_mut(id)?.top_notice = self.body.chat_top_notice.last().cloned();
        ctx.world.touch(id);
        Ok(Empty::default())
    }
}

impl Handle for DeleteTopNotice {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id)?;
        ctx.chat_mut(id)?.top_notice = None;
        ctx.world.touch(id);
        Ok(Empty::default())
    }
}

//! Ephemeral cards: a card in a group that only one user sees, and its
//! deletion (18051 when it is already deleted).

use feishu_model::codes;
use feishu_model::im::card::{
    DeleteEphemeralCard, EphemeralCard as EphemeralCardOutput, SendEphemeralCard,
};
use feishu_model::im::types::{ChatMode, GroupMessageType};
use feishu_model::{Empty, UserIdType};

use super::message::{enter, param};
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::message::EphemeralCard;
use crate::state::{Principal, UserKey};

impl Handle for SendEphemeralCard {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<EphemeralCardOutput, Failure> {
        let caller = ctx.caller()?;
        let body = self.body;
        let chat = ctx
            .world
            .chats
            .get(&body.chat_id)
            .ok_or_else(|| param("chat_id", format!("no chat `{}`", body.chat_id)))?;
        let topic = chat.mode == ChatMode::Topic
            || chat.settings.group_message_type == GroupMessageType::Thread;
        if chat.mode == ChatMode::P2p || topic {
            return Err(param(
                "chat_id",
                "ephemeral cards go to conversation-mode groups only (not topic groups or one-to-one chats)",
            ));
        }
        let chat = enter(ctx, &caller, &body.chat_id)?;
        // open_id wins over user_id, which wins over email.
        let given = |v: &Option<String>| v.as_deref().filter(|s| !s.is_empty()).map(str::to_owned);
        let user: Option<UserKey> = if let Some(id) = given(&body.open_id) {
            ctx.world
                .dir
                .resolve_user(&UserIdType::OpenId, &id, &caller.tenant)
        } else if let Some(id) = given(&body.user_id) {
            ctx.world
                .dir
                .resolve_user(&UserIdType::UserId, &id, &caller.tenant)
        } else {
            // The directory keeps no email addresses.
            None
        };
        let user = user.ok_or_else(|| {
            param(
                "open_id",
                "names no user of the tenant (by open_id, user_id or email)",
            )
        })?;
        if !chat.is_member(&Principal::User(user)) {
            return Err(param("open_id", "the user is not a member of the chat"));
        }
        let message_id = ctx.world.ids.message_id();
        ctx.world.messages.insert_ephemeral(EphemeralCard {
            message_id: message_id.clone(),
            chat: body.chat_id,
            user,
            sender: caller.who,
            card: body.card,
            at_ms: ctx.now_ms,
            deleted: false,
        });
        let mut out = EphemeralCardOutput::default();
        out.message_id = Some(message_id.into());
        Ok(out)
    }
}

impl Handle for DeleteEphemeralCard {
    const NO_DATA: bool = true;

    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let id = self.body.message_id.as_str().to_owned();
        let card = ctx
            .world
            .messages
            .ephemeral_mut(&id)
            .cloned()
            .ok_or_else(|| param("message_id", format!("no ephemeral card `{id}`")))?;
        enter(ctx, &caller, &card.chat)?;
        if card.sender != caller.who {
            return Err(param("message_id", "the card was sent by another app"));
        }
        if card.deleted {
            return Err(Failure::code(codes::EPHEMERAL_ALREADY_DELETED));
        }
        if let Some(stored) = ctx.world.messages.ephemeral_mut(&id) {
            stored.deleted = true;
        }
        Ok(Empty::default())
    }
}

//! Reactions on messages, with the emoji keys the documentation lists.

use feishu_model::codes;
use feishu_model::im::reaction::{
    CreateReaction, DeleteReaction, Emoji, EmojiType, ListReactions, ListReactionsOutput,
    MessageReaction, Operator, OperatorType,
};
use feishu_model::{Family, UserIdType};

use super::paging::paginate;
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use crate::state::message::{Reaction, StoredMessage};
use crate::state::{Directory, Principal};

/// Default page size of the reaction list.
const DEFAULT_PAGE: u32 = 20;

/// The message a reaction call names, if the caller can see it.
fn target(ctx: &Ctx<'_>, caller: &Caller, id: &str) -> Result<StoredMessage, Failure> {
    let m = ctx.world.messages.by_id.get(id).cloned().ok_or_else(|| {
        Failure::code(codes::REACTION_MESSAGE_NOT_FOUND).because(format!("no message `{id}`"))
    })?;
    let Some(chat) = ctx.world.chats.get(&m.chat) else {
        return Err(Failure::code(codes::REACTION_CHAT_NOT_FOUND));
    };
    if !chat.is_live() {
        return Err(Failure::code(codes::GROUP_CHAT_DISSOLVED));
    }
    if !chat.is_member(&caller.who) {
        return Err(Failure::code(codes::REACTION_NO_ACCESS)
            .because("the operator is not in the message's chat"));
    }
    if m.deleted {
        return Err(Failure::code(codes::MESSAGE_DELETED));
    }
    Ok(m)
}

/// The reaction as answered.
pub(super) fn view(dir: &Directory, r: &Reaction, kind: &UserIdType) -> MessageReaction {
    let mut operator = Operator::default();
    match &r.operator {
        Principal::Bot(app) => {
            operator.operator_id = Some(app.as_str().to_owned());
            operator.operator_type = Some(OperatorType::App);
        }
        Principal::User(key) => {
            operator.operator_id = Some(dir.id_of(*key, kind).as_str().to_owned());
            operator.operator_type = Some(OperatorType::User);
        }
    }
    let mut out = MessageReaction::default();
    out.reaction_id = Some(r.id.clone());
    out.operator = Some(operator);
    out.action_time = Some(r.at_ms.to_string());
    out.reaction_type = Some(Emoji::new(r.emoji.clone()));
    out
}

impl Handle for CreateReaction {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<MessageReaction, Failure> {
        let caller = ctx.caller()?;
        let emoji = self
            .body
            .reaction_type
            .emoji_type
            .clone()
            .unwrap_or_else(|| EmojiType::from(""));
        if !emoji.is_known() {
            return Err(Failure::code(codes::REACTION_TYPE_INVALID)
                .because(format!("unknown emoji_type `{emoji}`")));
        }
        let m = target(ctx, &caller, &self.path.message_id)?;
        let existing = ctx
            .world
            .messages
            .reactions
            .iter()
            .find(|r| r.message_id == m.id && r.operator == caller.who && r.emoji == emoji);
        if let Some(r) = existing {
            return Ok(view(&ctx.world.dir, r, &UserIdType::OpenId));
        }
        let reaction = Reaction {
            id: ctx.world.ids.reaction_id(),
            message_id: m.id,
            operator: caller.who,
            emoji,
            at_ms: ctx.now_ms,
        };
        let out = view(&ctx.world.dir, &reaction, &UserIdType::OpenId);
        ctx.world.messages.reactions.push(reaction);
        Ok(out)
    }
}

impl Handle for DeleteReaction {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<MessageReaction, Failure> {
        let caller = ctx.caller()?;
        let m = target(ctx, &caller, &self.path.message_id)?;
        let reactions = &ctx.world.messages.reactions;
        let Some(pos) = reactions.iter().position(|r| r.id == self.path.reaction_id) else {
            return Err(Failure::code(codes::REACTION_ID_INVALID)
                .because(format!("no reaction `{}`", self.path.reaction_id)));
        };
        if reactions[pos].message_id != m.id {
            return Err(Failure::code(codes::REACTION_NOT_OF_MESSAGE));
        }
        if reactions[pos].operator != caller.who {
            return Err(Failure::code(codes::REACTION_NOT_OWNER));
        }
        let removed = ctx.world.messages.reactions.remove(pos);
        Ok(view(&ctx.world.dir, &removed, &UserIdType::OpenId))
    }
}

impl Handle for ListReactions {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListReactionsOutput, Failure> {
        let caller = ctx.caller()?;
        let kind = match &self.query.user_id_type {
            None => UserIdType::OpenId,
            Some(k) if k.is_known() => k.clone(),
            Some(k) => {
                return Err(Failure::code(codes::REACTION_USER_ID_TYPE_INVALID)
                    .because(format!("unknown user_id_type `{k}`")))
            }
        };
        if let Some(emoji) = &self.query.reaction_type {
            if !emoji.is_known() {
                return Err(Failure::code(codes::REACTION_TYPE_INVALID)
                    .because(format!("unknown reaction_type `{emoji}`")));
            }
        }
        let m = target(ctx, &caller, &self.path.message_id)?;
        let all: Vec<MessageReaction> = ctx
            .world
            .messages
            .reactions
            .iter()
            .filter(|r| r.message_id == m.id)
            .filter(|r| {
                self.query
                    .reaction_type
                    .as_ref()
                    .map_or(true, |t| *t == r.emoji)
            })
            .map(|r| view(&ctx.world.dir, r, &kind))
            .collect();
        let page = paginate(Family::Im, all, &self.query.page, DEFAULT_PAGE).map_err(|mut f| {
            f.code = codes::REACTION_PAGE_TOKEN_INVALID;
            f.msg = crate::error::documented_message(f.code).to_owned();
            f
        })?;
        let mut out = ListReactionsOutput::default();
        out.items = Some(page.items);
        out.has_more = Some(page.has_more);
        out.page_token = Some(page.page_token);
        Ok(out)
    }
}

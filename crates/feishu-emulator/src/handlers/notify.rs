//! The member events, built the same way wherever members change (chat
//! create, add, remove, join, aPaaS chat_group).

use feishu_model::events::{
    ChatMemberBotAddedV1, ChatMemberBotDeletedV1, ChatMemberUserAddedV1, ChatMemberUserDeletedV1,
    ChatMemberUserWithdrawnV1,
};
use feishu_model::im::types::I18nNames;
use feishu_model::{AppId, ChatId, TenantKey};

use super::views;
use super::Ctx;
use crate::state::{Principal, UserKey};

/// Who did it: the acting principal and its tenant.
pub(crate) struct Operator<'a> {
    pub(crate) who: &'a Principal,
    pub(crate) tenant: &'a TenantKey,
}

struct ChatFacts {
    tenant: TenantKey,
    external: bool,
    name: Option<String>,
    i18n_names: Option<I18nNames>,
}

fn facts(ctx: &Ctx<'_>, chat_id: &ChatId) -> Option<ChatFacts> {
    ctx.world.chats.get(chat_id).map(|c| ChatFacts {
        tenant: c.tenant.clone(),
        external: c.external,
        name: c.name.clone(),
        i18n_names: c.i18n_names.clone(),
    })
}

/// Declares the emitter of a user-membership event, sent to the bots in the chat.
macro_rules! user_event {
    ($(#[$doc:meta])* $name:ident => $payload:ident) => {
        $(#[$doc])*
        pub(crate) fn $name(ctx: &mut Ctx<'_>, chat_id: &ChatId, op: &Operator<'_>, users: &[UserKey]) {
            let Some(f) = facts(ctx, chat_id).filter(|_| !users.is_empty()) else {
                return;
            };
            let payload = $payload {
                chat_id: chat_id.clone(),
                operator_id: views::operator(&ctx.world.dir, op.who),
                external: Some(f.external),
                operator_tenant_key: Some(op.tenant.clone()),
                users: Some(users.iter().map(|u| views::event_user(&ctx.world.dir, *u)).collect()),
                name: f.name,
                i18n_names: f.i18n_names,
                extra: Default::default(),
            };
            ctx.emit_to_bots(chat_id, payload);
        }
    };
}

/// Declares the emitter of a bot-membership event, sent to each bot concerned.
macro_rules! bot_event {
    ($(#[$doc:meta])* $name:ident => $payload:ident) => {
        $(#[$doc])*
        pub(crate) fn $name(ctx: &mut Ctx<'_>, chat_id: &ChatId, op: &Operator<'_>, bots: &[AppId]) {
            let Some(f) = facts(ctx, chat_id) else {
                return;
            };
            for app in bots {
                let payload = $payload {
                    chat_id: chat_id.clone(),
                    operator_id: views::operator(&ctx.world.dir, op.who),
                    external: Some(f.external),
                    operator_tenant_key: Some(op.tenant.clone()),
                    name: f.name.clone(),
                    i18n_names: f.i18n_names.clone(),
                    extra: Default::default(),
                };
                ctx.emit(app, &f.tenant, payload);
            }
        }
    };
}

user_event!(
    /// `im.chat.member.user.added_v1` to the bots in the chat.
    users_added => ChatMemberUserAddedV1
);
user_event!(
    /// `im.chat.member.user.deleted_v1` to the bots in the chat.
    users_deleted => ChatMemberUserDeletedV1
);
user_event!(
    /// `im.chat.member.user.withdrawn_v1` to the bots in the chat.
    users_withdrawn => ChatMemberUserWithdrawnV1
);
bot_event!(
    /// `im.chat.member.bot.added_v1` to each bot that was added.
    bots_added => ChatMemberBotAddedV1
);
bot_event!(
    /// `im.chat.member.bot.deleted_v1` to each bot that was removed.
    bots_deleted => ChatMemberBotDeletedV1
);

/// Splits principals into users and bots.
pub(crate) fn split(added: &[Principal]) -> (Vec<UserKey>, Vec<AppId>) {
    let mut users = Vec::new();
    let mut bots = Vec::new();
    for p in added {
        match p {
            Principal::User(key) => users.push(*key),
            Principal::Bot(app) => bots.push(app.clone()),
        }
    }
    (users, bots)
}

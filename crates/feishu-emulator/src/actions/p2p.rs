//! A user opens the one-to-one chat with a bot: the first time the chat is
//! created (`p2p_chat_create`, a v1.0 event); every time the bot of a
//! self-built app gets `im.chat.access_event.bot_p2p_chat_entered_v1` (the
//! event page lists custom apps only).

use feishu_model::codes;
use feishu_model::events::{
    BotP2pChatEnteredV1, CallbackType, EventV1, GroupEvent, P2pChatCreate, P2pChatUser, UserIds,
};
use feishu_model::im::types::ChatMode;
use feishu_model::{AppId, ChatId, TenantKey};

use crate::auth::Caller;
use crate::error::Failure;
use crate::events::{self, EmittedEvent};
use crate::state::{Chat, Principal, UserKey, World};

/// Opens (or creates) the chat between `user` and `bot`.
pub(super) fn open(
    world: &mut World,
    caller: &Caller,
    user: UserKey,
    bot: &AppId,
    now_ms: i64,
) -> Result<Vec<EmittedEvent>, Failure> {
    let app = world.dir.apps.get(bot).ok_or_else(|| {
        Failure::code(codes::GROUP_BOT_NOT_FOUND).because(format!("no bot `{bot}`"))
    })?;
    if !app.bot_enabled {
        return Err(
            Failure::code(codes::GROUP_BOT_NOT_ACTIVATED).because(format!("`{bot}` has no bot"))
        );
    }
    if !app.enabled || !app.installed_in(&caller.tenant) {
        return Err(Failure::code(codes::GROUP_APP_UNAVAILABLE).because(format!(
            "`{bot}` is not installed in tenant `{}`",
            caller.tenant
        )));
    }
    let self_built = !app.marketplace;
    let me = Principal::User(user);
    let them = Principal::Bot(bot.clone());
    let existing = world
        .chats
        .values()
        .find(|c| c.mode == ChatMode::P2p && c.is_member(&me) && c.is_member(&them))
        .map(|c| c.id.clone());
    let mut emitted = Vec::new();
    let chat_id = match existing {
        Some(id) => id,
        None => {
            let id = ChatId::new(world.ids.chat_id());
            let mut chat = Chat::new(id.clone(), caller.tenant.clone(), me.clone(), now_ms);
            chat.mode = ChatMode::P2p;
            chat.add(them);
            world.insert_chat(chat);
            emitted.extend(chat_created(world, bot, &caller.tenant, &id, user, now_ms));
            id
        }
    };
    world.touch(&chat_id);
    if self_built {
        let payload = feishu_model::fill!(BotP2pChatEnteredV1 {
            chat_id,
            operator_id: Some(world.dir.event_ids(&me)),
            last_message_id: None,
            last_message_create_time: None,
            extra: Default::default(),
        });
        emitted.extend(events::build(world, bot, &caller.tenant, now_ms, payload));
    }
    Ok(emitted)
}

/// `p2p_chat_create` for `bot`, in the v1.0 envelope; `user_id`s only for
/// self-built apps, as the event page says.
fn chat_created(
    world: &mut World,
    bot: &AppId,
    tenant: &TenantKey,
    chat_id: &ChatId,
    user: UserKey,
    now_ms: i64,
) -> Option<EmittedEvent> {
    let app = world.dir.apps.get(bot)?;
    if !app.subscribes("p2p_chat_create") {
        return None;
    }
    let token = app.verification_token.clone();
    let self_built = !app.marketplace;
    let person = world.dir.user(user)?;
    let user_id = self_built.then(|| person.user_id.clone());
    let operator = UserIds {
        open_id: Some(person.open_id.clone()),
        user_id: user_id.clone(),
        ..UserIds::default()
    };
    let who = feishu_model::fill!(P2pChatUser {
        name: Some(person.name.clone()),
        open_id: Some(person.open_id.clone()),
        user_id,
        extra: Default::default(),
    });
    let event = EventV1 {
        ts: format!("{}.{:03}", now_ms / 1000, now_ms % 1000),
        uuid: world.ids.hex(32),
        token,
        callback_type: CallbackType::EventCallback,
        event: feishu_model::fill!(P2pChatCreate {
            app_id: bot.clone(),
            chat_id: chat_id.clone(),
            operator: Some(operator),
            tenant_key: tenant.clone(),
            event_type: "p2p_chat_create".to_owned(),
            user: Some(who),
            extra: Default::default(),
        }),
        extra: Default::default(),
    };
    let body = serde_json::to_value(&event).ok()?;
    world.stats.events += 1;
    Some(EmittedEvent {
        app_id: bot.clone(),
        event: GroupEvent::P2pChatCreate(Box::new(event)),
        body,
    })
}

//! What people do: actions a user takes in the client (join, leave, invite,
//! withdraw an invitation, edit or disband a chat, hand it over, open a
//! one-to-one chat with a bot). Each runs the same rules as the API call that
//! does the same thing, with the user as the operator, and emits the events
//! the platform documents for it through the normal delivery paths.

mod card;
mod conversation;
mod p2p;
mod withdraw;

pub use card::{
    card_callback_error, CardClickOutcome, CARD_CALLBACK_BAD_ANSWER, CARD_CALLBACK_BAD_CARD,
    CARD_CALLBACK_BAD_STATUS, CARD_CALLBACK_NOT_CONFIGURED, CARD_CALLBACK_TIMED_OUT,
    CARD_CALLBACK_TIMEOUT, CARD_CALLBACK_UNREACHABLE,
};

use feishu_model::codes;
use std::sync::Arc;

use feishu_model::im::chat::{DeleteChat, UpdateChat, UpdateChatBody};
use feishu_model::im::members::{AddMembers, MeJoin, RemoveMembers};
use feishu_model::im::types::{ShareCardPermission, WhoCan};
use feishu_model::{AppId, ChatId, MemberId, MemberIdType};

use crate::auth::Caller;
use crate::core::Core;
use crate::error::Failure;
use crate::events::EmittedEvent;
use crate::fixture::{Action, ScriptStep};
use crate::handlers::{Ctx, Handle};
use crate::state::{Principal, UserKey, World};

/// An action refused by the rules, with the documented code and message the
/// API answers in the same case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionError {
    /// The HTTP status the API answers with.
    pub status: u16,
    /// The documented error code.
    pub code: i64,
    /// The documented message.
    pub msg: String,
    /// Why, in the emulator's words.
    pub detail: Option<String>,
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (code {})", self.msg, self.code)?;
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ActionError {}

impl From<Failure> for ActionError {
    fn from(f: Failure) -> Self {
        ActionError {
            status: f.status,
            code: f.code,
            msg: f.msg.clone(),
            detail: f.message.clone(),
        }
    }
}

/// Runs an API handler for a user, as if the user made the call.
fn as_user<E: Handle>(
    world: &mut World,
    caller: &Caller,
    now_ms: i64,
    endpoint: E,
) -> Result<Vec<EmittedEvent>, Failure> {
    endpoint
        .validate()
        .map_err(|e| Failure::invalid(E::OPERATION, E::FAMILY, &e))?;
    let mut ctx = Ctx::new(world, Some(caller.clone()), now_ms, E::OPERATION, E::FAMILY);
    endpoint.handle(&mut ctx)?;
    Ok(ctx.into_events())
}

/// The acting user: known (232030) and not resigned (232022).
fn acting_user(world: &World, open_id: &str) -> Result<(UserKey, Caller), Failure> {
    let key = world.dir.by_open_id(open_id).ok_or_else(|| {
        Failure::code(codes::GROUP_INVALID_USER_ID).because(format!("no user `{open_id}`"))
    })?;
    let user = world
        .dir
        .user(key)
        .ok_or_else(|| Failure::code(codes::GROUP_INVALID_USER_ID))?;
    if user.resigned {
        return Err(
            Failure::code(codes::GROUP_USER_RESIGNED).because(format!("`{open_id}` has resigned"))
        );
    }
    let caller = Caller {
        app: AppId::default(),
        tenant: user.tenant.clone(),
        who: Principal::User(key),
    };
    Ok((key, caller))
}

fn user_ids(ids: &[String]) -> Vec<MemberId> {
    ids.iter().map(|id| MemberId::new(id.as_str())).collect()
}

fn bot_ids(ids: &[AppId]) -> Vec<MemberId> {
    ids.iter().map(|id| MemberId::new(id.as_str())).collect()
}

/// The API takes `add_member_permission` and `share_card_permission` only
/// together and consistent (only the owner adds ⇔ sharing is off); a person
/// changes one in the client, so the other follows it.
fn pair_share_settings(body: &mut UpdateChatBody) {
    match (&body.add_member_permission, &body.share_card_permission) {
        (Some(who), None) => {
            body.share_card_permission = Some(if *who == WhoCan::OnlyOwner {
                ShareCardPermission::NotAllowed
            } else {
                ShareCardPermission::Allowed
            });
        }
        (None, Some(share)) => {
            body.add_member_permission = Some(if *share == ShareCardPermission::NotAllowed {
                WhoCan::OnlyOwner
            } else {
                WhoCan::AllMembers
            });
        }
        _ => {}
    }
}

/// Forgets invitations of users no longer in the chat.
fn forget_departed(world: &mut World, chat: &ChatId) {
    let chats = &world.chats;
    world.invitations.retain(|(c, user), _| {
        c != chat
            || chats
                .get(c)
                .is_some_and(|c| c.is_live() && c.is_member(&Principal::User(*user)))
    });
}

/// What an action did: the events it emitted, and what it made.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ActionOutcome {
    /// The events emitted (also delivered to subscribers and receivers).
    pub events: Vec<EmittedEvent>,
    /// The message `user_sends_message` sent.
    pub message_id: Option<String>,
    /// What the client showed after `user_clicks_card`.
    pub card: Option<CardClickOutcome>,
}

/// Applies `action` to the world; the events it caused, not yet published,
/// and the message it sent.
fn apply(
    world: &mut World,
    action: Action,
    now_ms: i64,
) -> Result<(Vec<EmittedEvent>, Option<String>), Failure> {
    let (key, caller) = acting_user(world, action.user())?;
    let mut sent = None;
    let events = match action {
        Action::UserJoin { chat, .. } => as_user(world, &caller, now_ms, MeJoin::new(chat))?,
        Action::UserLeave { chat, user } => {
            let events = as_user(world, &caller, now_ms, RemoveMembers::new(&chat, [user]))?;
            forget_departed(world, &chat);
            events
        }
        Action::AddUsers { chat, users, .. } => {
            let before: Vec<UserKey> = world
                .chats
                .get(&chat)
                .map(|c| c.users().collect())
                .unwrap_or_default();
            let add = AddMembers::new(&chat, user_ids(&users));
            let events = as_user(world, &caller, now_ms, add)?;
            let now: Vec<UserKey> = world
                .chats
                .get(&chat)
                .map(|c| c.users().collect())
                .unwrap_or_default();
            for invited in now.into_iter().filter(|u| !before.contains(u)) {
                world.invitations.insert((chat.clone(), invited), key);
            }
            events
        }
        Action::AddBots { chat, bots, .. } => {
            let mut add = AddMembers::new(&chat, bot_ids(&bots));
            add.query.member_id_type = Some(MemberIdType::AppId);
            as_user(world, &caller, now_ms, add)?
        }
        Action::RemoveUsers { chat, users, .. } => {
            let remove = RemoveMembers::new(&chat, user_ids(&users));
            let events = as_user(world, &caller, now_ms, remove)?;
            forget_departed(world, &chat);
            events
        }
        Action::RemoveBots { chat, bots, .. } => {
            let mut remove = RemoveMembers::new(&chat, bot_ids(&bots));
            remove.query.member_id_type = Some(MemberIdType::AppId);
            as_user(world, &caller, now_ms, remove)?
        }
        Action::WithdrawInvitation { chat, users, .. } => {
            withdraw::withdraw(world, &caller, key, now_ms, &chat, &users)?
        }
        Action::UpdateChat { chat, changes, .. } => {
            let mut update = UpdateChat::new(chat);
            update.body = (*changes).into();
            pair_share_settings(&mut update.body);
            as_user(world, &caller, now_ms, update)?
        }
        Action::DisbandChat { chat, .. } => {
            let events = as_user(world, &caller, now_ms, DeleteChat::new(&chat))?;
            forget_departed(world, &chat);
            events
        }
        Action::TransferOwner {
            chat, new_owner, ..
        } => {
            let mut update = UpdateChat::new(chat);
            update.body.owner_id = Some(MemberId::new(new_owner));
            as_user(world, &caller, now_ms, update)?
        }
        Action::OpenP2pChat { bot, .. } => p2p::open(world, &caller, key, &bot, now_ms)?,
        Action::UserSendsMessage { chat, text, .. } => {
            let (id, events) = conversation::send(world, &caller, key, &chat, &text, now_ms)?;
            sent = Some(id);
            events
        }
        Action::UserReacts {
            message,
            emoji_type,
            ..
        } => conversation::react(world, &caller, key, &message, &emoji_type, now_ms)?,
        Action::UserReads { message, .. } => conversation::read(world, key, &message, now_ms)?,
        Action::UserRecalls { message, .. } => {
            conversation::recall(world, &caller, key, &message, now_ms)?
        }
        Action::UserClicksCard { .. } => {
            return Err(Failure::code(codes::GROUP_PARAM_INVALID).because(
                "user_clicks_card waits for the app's answer: run it with `Emulator::perform`",
            ))
        }
    };
    Ok((events, sent))
}

/// The click of a `user_clicks_card` action.
fn click_of(action: &Action) -> Option<card::Click> {
    let Action::UserClicksCard {
        user,
        message,
        value,
        form_value,
        tag,
        name,
        input_value,
        option,
    } = action
    else {
        return None;
    };
    let mut fields = serde_json::Map::new();
    fields.insert("value".to_owned(), value.clone());
    fields.insert(
        "tag".to_owned(),
        serde_json::Value::from(tag.clone().unwrap_or_else(|| "button".to_owned())),
    );
    if let Some(form) = form_value {
        fields.insert("form_value".to_owned(), form.clone());
    }
    for (key, text) in [
        ("name", name),
        ("input_value", input_value),
        ("option", option),
    ] {
        if let Some(text) = text {
            fields.insert(key.to_owned(), serde_json::Value::from(text.clone()));
        }
    }
    Some(card::Click {
        user: user.clone(),
        message: message.clone(),
        action: fields,
    })
}

/// Applies any action, waiting for the app's answer to a card click, and
/// publishes the events it caused.
pub(crate) async fn perform(core: &Core, action: Action) -> Result<ActionOutcome, ActionError> {
    if let Some(click) = click_of(&action) {
        let outcome = card::click(core, click).await?;
        return Ok(ActionOutcome {
            card: Some(outcome),
            ..ActionOutcome::default()
        });
    }
    let (events, message_id) = apply_locked(core, action)?;
    for event in &events {
        core.publish(event.clone());
    }
    Ok(ActionOutcome {
        events,
        message_id,
        card: None,
    })
}

/// Applies a synchronous action under the world's lock.
fn apply_locked(
    core: &Core,
    action: Action,
) -> Result<(Vec<EmittedEvent>, Option<String>), ActionError> {
    let now_ms = core.clock().now_ms();
    let mut world = core.world();
    world.stats.requests += 1;
    Ok(apply(&mut world, action, now_ms)?)
}

/// Applies `action` and publishes the events it caused.
pub(crate) fn act(core: &Core, action: Action) -> Result<Vec<EmittedEvent>, ActionError> {
    let (events, _) = apply_locked(core, action)?;
    for event in &events {
        core.publish(event.clone());
    }
    Ok(events)
}

/// Plays `steps` in the background (each step after its delay; a refused
/// step is logged and the script goes on). Needs a Tokio runtime.
pub(crate) fn play(
    core: Arc<Core>,
    steps: Arc<[ScriptStep]>,
) -> tokio::task::JoinHandle<Vec<Result<usize, ActionError>>> {
    tokio::spawn(async move {
        let mut outcomes = Vec::with_capacity(steps.len());
        for step in steps.iter() {
            if step.delay_ms > 0 {
                tokio::time::sleep(std::time::Duration::from_millis(step.delay_ms)).await;
            }
            let name = step.action.name();
            let outcome = perform(&core, step.action.clone())
                .await
                .map(|done| done.events.len());
            if let Err(e) = &outcome {
                tracing::warn!(action = name, error = %e, "script step refused");
            }
            outcomes.push(outcome);
        }
        outcomes
    })
}

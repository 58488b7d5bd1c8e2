//! What people do: actions a user takes in the client (join, leave, invite,
//! withdraw an invitation, edit or disband a chat, hand it over, open a
//! one-to-one chat with a bot). Each runs the same rules as the API call that
//! does the same thing, with the user as the operator, and emits the events
//! the platform documents for it through the normal delivery paths.

mod p2p;
mod withdraw;

use feishu_model::im::chat::{DeleteChat, UpdateChat, UpdateChatBody};
use feishu_model::im::members::{AddMembers, MeJoin, RemoveMembers};
use feishu_model::im::types::{
    ChatType, MembershipApproval, MessageVisibility, ShareCardPermission, WhoCan,
};
use feishu_model::{AppId, ChatId, MemberId, MemberIdType};
use serde::{Deserialize, Serialize};

use crate::auth::Caller;
use crate::emulator::{Emulator, Shared};
use crate::error::Failure;
use crate::events::EmittedEvent;
use crate::handlers::{Ctx, Handle};
use crate::state::{Principal, UserKey, World};

/// One thing a user does. As JSON, the variant is named by `action`:
/// `{"action": "user_leave", "user": "ou_...", "chat": "oc_..."}`.
/// Users are named by open id, bots by app id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// `user` joins a public chat (the rules of `im.v1.chat.members.me_join`).
    UserJoin {
        /// The user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
    },
    /// `user` leaves a chat (the owner must hand it over first).
    UserLeave {
        /// The user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
    },
    /// `user` adds users to a chat (the rules of `im.v1.chat.members.create`);
    /// the added users count as invited by `user` until they leave.
    AddUsers {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// Open ids of the users to add.
        users: Vec<String>,
    },
    /// `user` adds bots to a chat.
    AddBots {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// App ids of the bots to add.
        bots: Vec<AppId>,
    },
    /// `user` removes users from a chat (the rules of `im.v1.chat.members.delete`).
    RemoveUsers {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// Open ids of the users to remove.
        users: Vec<String>,
    },
    /// `user` removes bots from a chat.
    RemoveBots {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// App ids of the bots to remove.
        bots: Vec<AppId>,
    },
    /// `user` withdraws the invitation of users they added.
    WithdrawInvitation {
        /// The inviting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// Open ids of the invited users.
        users: Vec<String>,
    },
    /// `user` edits a chat's name, description or permissions (the rules of
    /// `im.v1.chat.update`).
    UpdateChat {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// What changes; fields left out stay as they are.
        changes: Box<ChatChanges>,
    },
    /// `user` disbands a chat (the rules of `im.v1.chat.delete`).
    DisbandChat {
        /// The acting user's open id.
        user: String,
        /// The chat.
        chat: ChatId,
    },
    /// The owner `user` hands the chat over to `new_owner`.
    TransferOwner {
        /// The owner's open id.
        user: String,
        /// The chat.
        chat: ChatId,
        /// The new owner's open id (a member of the chat).
        new_owner: String,
    },
    /// `user` opens the one-to-one chat with a bot (created the first time).
    OpenP2pChat {
        /// The user's open id.
        user: String,
        /// The bot's app id.
        bot: AppId,
    },
}

impl Action {
    /// The `action` name (`user_join`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Action::UserJoin { .. } => "user_join",
            Action::UserLeave { .. } => "user_leave",
            Action::AddUsers { .. } => "add_users",
            Action::AddBots { .. } => "add_bots",
            Action::RemoveUsers { .. } => "remove_users",
            Action::RemoveBots { .. } => "remove_bots",
            Action::WithdrawInvitation { .. } => "withdraw_invitation",
            Action::UpdateChat { .. } => "update_chat",
            Action::DisbandChat { .. } => "disband_chat",
            Action::TransferOwner { .. } => "transfer_owner",
            Action::OpenP2pChat { .. } => "open_p2p_chat",
        }
    }

    fn user(&self) -> &str {
        match self {
            Action::UserJoin { user, .. }
            | Action::UserLeave { user, .. }
            | Action::AddUsers { user, .. }
            | Action::AddBots { user, .. }
            | Action::RemoveUsers { user, .. }
            | Action::RemoveBots { user, .. }
            | Action::WithdrawInvitation { user, .. }
            | Action::UpdateChat { user, .. }
            | Action::DisbandChat { user, .. }
            | Action::TransferOwner { user, .. }
            | Action::OpenP2pChat { user, .. } => user,
        }
    }
}

/// The chat settings an [`Action::UpdateChat`] changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatChanges {
    /// New name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who may add members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_member_permission: Option<WhoCan>,
    /// Who may @all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_all_permission: Option<WhoCan>,
    /// Who may edit the chat's information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit_permission: Option<WhoCan>,
    /// Whether the chat may be shared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share_card_permission: Option<ShareCardPermission>,
    /// Whether joining needs approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub membership_approval: Option<MembershipApproval>,
    /// Who sees "joined" notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_message_visibility: Option<MessageVisibility>,
    /// Who sees "left" notices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_message_visibility: Option<MessageVisibility>,
    /// Private or public.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_type: Option<ChatType>,
}

impl From<ChatChanges> for UpdateChatBody {
    fn from(c: ChatChanges) -> Self {
        UpdateChatBody {
            name: c.name,
            description: c.description,
            add_member_permission: c.add_member_permission,
            at_all_permission: c.at_all_permission,
            edit_permission: c.edit_permission,
            share_card_permission: c.share_card_permission,
            membership_approval: c.membership_approval,
            join_message_visibility: c.join_message_visibility,
            leave_message_visibility: c.leave_message_visibility,
            chat_type: c.chat_type,
            ..UpdateChatBody::default()
        }
    }
}

/// One step of a fixture's `script`: wait `delay_ms`, then act.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScriptStep {
    /// Milliseconds to wait after the previous step (or the start).
    #[serde(default)]
    pub delay_ms: u64,
    /// What happens.
    #[serde(flatten)]
    pub action: Action,
}

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
        .map_err(|e| Failure::invalid(E::OPERATION, &e))?;
    let mut ctx = Ctx::new(world, Some(caller.clone()), now_ms, E::OPERATION);
    endpoint.handle(&mut ctx)?;
    Ok(ctx.into_events())
}

/// The acting user: known (232030) and not resigned (232022).
fn acting_user(world: &World, open_id: &str) -> Result<(UserKey, Caller), Failure> {
    let key = world
        .dir
        .by_open_id(open_id)
        .ok_or_else(|| Failure::code(232030).because(format!("no user `{open_id}`")))?;
    let user = world.dir.user(key).ok_or_else(|| Failure::code(232030))?;
    if user.resigned {
        return Err(Failure::code(232022).because(format!("`{open_id}` has resigned")));
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

/// Applies `action` to the world; the events it caused, not yet published.
fn apply(world: &mut World, action: Action, now_ms: i64) -> Result<Vec<EmittedEvent>, Failure> {
    let (key, caller) = acting_user(world, action.user())?;
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
    };
    Ok(events)
}

impl Shared {
    /// Applies `action` and publishes the events it caused.
    pub(crate) fn act(&self, action: Action) -> Result<Vec<EmittedEvent>, Failure> {
        let now_ms = self.clock.now_ms();
        let events = {
            let mut world = self.lock();
            world.stats.requests += 1;
            apply(&mut world, action, now_ms)?
        };
        for event in &events {
            self.publish(event.clone());
        }
        Ok(events)
    }
}

impl Emulator {
    /// Does what a user does in the client, with the API's rules, and
    /// returns the events it emitted (also delivered to subscribers and
    /// callback URLs).
    ///
    /// ```
    /// use feishu_emulator::{Action, Emulator};
    ///
    /// let emulator = Emulator::with_default_fixture().unwrap();
    /// let events = emulator
    ///     .act(Action::UserLeave {
    ///         user: "ou_4d7a3c6g2ac812995780137955766828".into(),
    ///         chat: "oc_a0553eda9014c201e6969b478895c230".into(),
    ///     })
    ///     .unwrap();
    /// assert_eq!(events[0].event_type(), "im.chat.member.user.deleted_v1");
    /// ```
    pub fn act(&self, action: Action) -> Result<Vec<EmittedEvent>, ActionError> {
        self.shared().act(action).map_err(ActionError::from)
    }

    /// Plays the fixture's `script` in the background (each step after its
    /// delay; a refused step is logged and the script goes on). Needs a
    /// Tokio runtime.
    pub fn play_script(&self) -> tokio::task::JoinHandle<Vec<Result<usize, ActionError>>> {
        let emulator = self.clone();
        let steps = self.shared().script.clone();
        tokio::spawn(async move {
            let mut outcomes = Vec::with_capacity(steps.len());
            for step in steps {
                if step.delay_ms > 0 {
                    tokio::time::sleep(std::time::Duration::from_millis(step.delay_ms)).await;
                }
                let name = step.action.name();
                let outcome = emulator.act(step.action).map(|events| events.len());
                if let Err(e) = &outcome {
                    tracing::warn!(action = name, error = %e, "script step refused");
                }
                outcomes.push(outcome);
            }
            outcomes
        })
    }
}

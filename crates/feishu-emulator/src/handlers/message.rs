//! Messages: send, reply, edit and recall, with the documented limits
//! (5 sends a second per chat, `uuid` de-duplication for an hour, 20 edits,
//! the edit and recall windows) and who may do what.

use feishu_model::codes;
use feishu_model::im::content::MessageContent;
use feishu_model::im::message::edit::{DeleteMessage, UpdateMessage, EDITABLE_MSG_TYPES};
use feishu_model::im::message::item::{Message, ReceiveIdType};
use feishu_model::im::message::send::{CreateMessage, ReplyMessage};
use feishu_model::im::msg_type::MsgType;
use feishu_model::im::types::{ChatMode, ModerationPermission};
use feishu_model::{ChatId, Empty, UserIdType};

use super::message_view::{self, Recalled};
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use crate::state::message::{StoredMessage, EDIT_WINDOW_MS, MANAGER_RECALL_WINDOW_MS, MAX_EDITS};
use crate::state::{Chat, Principal, UserKey};

/// A messaging parameter error (230001) naming the field.
pub(crate) fn param(field: &str, rule: impl Into<String>) -> Failure {
    let rule = rule.into();
    Failure::code(codes::MESSAGE_INVALID_PARAM)
        .because(format!("invalid parameter `{field}`: {rule}"))
        .field(field, rule)
}

/// The stored message `id`, or 230001 naming it.
pub(crate) fn find<'a>(ctx: &'a Ctx<'_>, id: &str) -> Result<&'a StoredMessage, Failure> {
    ctx.world
        .messages
        .by_id
        .get(id)
        .ok_or_else(|| param("message_id", format!("no message `{id}`")))
}

/// The error for a caller outside `chat`: 230002 for a bot, 230027 for a user.
fn outsider(caller: &Caller) -> Failure {
    match caller.who {
        Principal::Bot(_) => Failure::code(codes::MESSAGE_BOT_NOT_IN_CHAT),
        Principal::User(_) => Failure::code(codes::MESSAGE_LACKS_PERMISSION)
            .because("the user is not a member of the chat"),
    }
}

/// Checks that the caller may act in the chat: it exists, is live, and the
/// caller is a member.
pub(crate) fn enter<'a>(
    ctx: &'a Ctx<'_>,
    caller: &Caller,
    chat_id: &ChatId,
) -> Result<&'a Chat, Failure> {
    let chat = ctx.world.chats.get(chat_id).ok_or_else(|| {
        Failure::code(codes::MESSAGE_INVALID_RECEIVE_ID).because(format!("no chat `{chat_id}`"))
    })?;
    if !chat.is_live() {
        return Err(Failure::code(codes::GROUP_CHAT_DISSOLVED));
    }
    if !chat.is_member(&caller.who) {
        return Err(outsider(caller));
    }
    Ok(chat)
}

/// The message `id` if the caller can see it (member of its chat, not deleted).
pub(crate) fn visible(ctx: &Ctx<'_>, caller: &Caller, id: &str) -> Result<StoredMessage, Failure> {
    let m = find(ctx, id)?.clone();
    enter(ctx, caller, &m.chat)?;
    Ok(m)
}

/// Whether the chat's speaking permission lets `who` send.
fn may_speak(chat: &Chat, who: &Principal) -> bool {
    match chat.settings.moderation {
        ModerationPermission::OnlyOwner => chat.privileged(who),
        ModerationPermission::ModeratorList => {
            chat.privileged(who) || matches!(who, Principal::User(k) if chat.moderators.contains(k))
        }
        _ => true,
    }
}

/// The one-to-one chat of the caller and `user`, created when missing.
fn p2p(ctx: &mut Ctx<'_>, caller: &Caller, user: UserKey) -> ChatId {
    let them = Principal::User(user);
    if let Some(chat) = ctx
        .world
        .chats
        .values()
        .find(|c| c.mode == ChatMode::P2p && c.is_member(&caller.who) && c.is_member(&them))
    {
        return chat.id.clone();
    }
    let id = ChatId::new(ctx.world.ids.chat_id());
    let mut chat = Chat::new(id.clone(), caller.tenant.clone(), them, ctx.now_ms);
    chat.mode = ChatMode::P2p;
    chat.add(caller.who.clone());
    ctx.world.insert_chat(chat);
    id
}

/// The chat a send goes to.
pub(super) fn receiver(
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    kind: &ReceiveIdType,
    id: &str,
) -> Result<ChatId, Failure> {
    let invalid = || {
        Failure::code(codes::MESSAGE_INVALID_RECEIVE_ID)
            .because(format!("no receiver `{id}` of kind `{kind}`"))
    };
    let user_kind = match kind {
        ReceiveIdType::ChatId => return Ok(ChatId::new(id)),
        ReceiveIdType::OpenId => UserIdType::OpenId,
        ReceiveIdType::UnionId => UserIdType::UnionId,
        ReceiveIdType::UserId => UserIdType::UserId,
        _ => return Err(invalid()),
    };
    let user = ctx
        .world
        .dir
        .resolve_user(&user_kind, id, &caller.tenant)
        .ok_or_else(invalid)?;
    let record = ctx.world.dir.user(user).ok_or_else(invalid)?;
    if record.resigned {
        return Err(Failure::code(codes::MESSAGE_USER_RESIGNED));
    }
    if record.tenant != caller.tenant {
        return Err(Failure::code(codes::MESSAGE_CROSS_TENANT_P2P));
    }
    Ok(p2p(ctx, caller, user))
}

/// Checks that `content` is well-formed for `msg_type` (230001 if not).
fn check_content(msg_type: &MsgType, content: &str) -> Result<(), Failure> {
    MessageContent::parse(msg_type, content)
        .map(|_| ())
        .map_err(|e| param("content", e.to_string()))
}

/// What a send, reply or forward stores.
pub(super) struct Draft {
    pub(super) chat: ChatId,
    pub(super) msg_type: MsgType,
    pub(super) content: String,
    pub(super) uuid: Option<String>,
    pub(super) root_id: Option<String>,
    pub(super) parent_id: Option<String>,
    pub(super) thread_id: Option<String>,
}

/// Sends a draft from the caller: de-duplication, the speaking rules, the
/// per-chat limit, then storage.
pub(super) fn post(ctx: &mut Ctx<'_>, caller: &Caller, draft: Draft) -> Result<Message, Failure> {
    let kind = UserIdType::OpenId;
    if let Some(prior) =
        ctx.world
            .messages
            .deduplicated(&caller.who, draft.uuid.as_deref(), ctx.now_ms)
    {
        return Ok(message_view::message(
            &ctx.world.dir,
            prior,
            &kind,
            Recalled::Absent,
            false,
        ));
    }
    let chat = enter(ctx, caller, &draft.chat)?;
    if !may_speak(chat, &caller.who) {
        return Err(Failure::code(codes::MESSAGE_CHAT_SETTINGS_FORBID)
            .because("only some members may speak in this chat"));
    }
    // A merged forward's content is the platform's fixed text, not JSON.
    if draft.msg_type != MsgType::MergeForward {
        check_content(&draft.msg_type, &draft.content)?;
    }
    if !ctx.world.messages.admit_send(&draft.chat, ctx.now_ms) {
        return Err(Failure::code(codes::MESSAGE_RATE_LIMITED)
            .because("more than 5 messages a second to one chat"));
    }
    let stored = StoredMessage {
        id: ctx.world.ids.message_id(),
        chat: draft.chat.clone(),
        sender: caller.who.clone(),
        msg_type: draft.msg_type,
        content: draft.content,
        create_ms: ctx.now_ms,
        update_ms: ctx.now_ms,
        root_id: draft.root_id,
        parent_id: draft.parent_id,
        thread_id: draft.thread_id,
        deleted: false,
        edits: 0,
        follow_ups: Vec::new(),
        upper: None,
        seq: 0,
    };
    let out = message_view::message(&ctx.world.dir, &stored, &kind, Recalled::Absent, false);
    ctx.world.messages.insert(stored, draft.uuid.as_deref());
    ctx.world.touch(&draft.chat);
    Ok(out)
}

impl Handle for CreateMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Message, Failure> {
        let caller = ctx.caller()?;
        let kind = self.query.receive_id_type.unwrap_or(ReceiveIdType::ChatId);
        let msg_type = self.body.msg_type.unwrap_or(MsgType::Text);
        if !msg_type.is_known() {
            return Err(param("msg_type", format!("unknown value `{msg_type}`")));
        }
        let chat = receiver(ctx, &caller, &kind, &self.body.receive_id)?;
        let draft = Draft {
            chat,
            msg_type,
            content: self.body.content,
            uuid: self.body.uuid,
            root_id: None,
            parent_id: None,
            thread_id: None,
        };
        post(ctx, &caller, draft)
    }
}

impl Handle for ReplyMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Message, Failure> {
        let caller = ctx.caller()?;
        let msg_type = self.body.msg_type.unwrap_or(MsgType::Text);
        if !msg_type.is_known() {
            return Err(param("msg_type", format!("unknown value `{msg_type}`")));
        }
        let parent = visible(ctx, &caller, self.path.message_id.as_str())?;
        if parent.deleted {
            return Err(Failure::code(codes::MESSAGE_RECALLED));
        }
        let root_id = parent.root_id.clone().unwrap_or_else(|| parent.id.clone());
        let thread_id = match (&parent.thread_id, self.body.reply_in_thread) {
            (Some(t), _) => Some(t.clone()),
            (None, Some(true)) => Some(open_thread(ctx, &root_id)),
            (None, _) => None,
        };
        let draft = Draft {
            chat: parent.chat.clone(),
            msg_type,
            content: self.body.content,
            uuid: self.body.uuid,
            root_id: Some(root_id),
            parent_id: Some(parent.id.clone()),
            thread_id,
        };
        post(ctx, &caller, draft)
    }
}

/// Starts a thread on `root_id` (which then belongs to it).
fn open_thread(ctx: &mut Ctx<'_>, root_id: &str) -> String {
    let thread = ctx.world.ids.thread_id();
    ctx.world
        .messages
        .threads
        .insert(thread.clone(), root_id.to_owned());
    if let Some(root) = ctx.world.messages.by_id.get_mut(root_id) {
        root.thread_id = Some(thread.clone());
    }
    thread
}

impl Handle for UpdateMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Message, Failure> {
        let caller = ctx.caller()?;
        let m = visible(ctx, &caller, self.path.message_id.as_str())?;
        let msg_type = self.body.msg_type.unwrap_or(MsgType::Text);
        if m.deleted {
            return Err(Failure::code(codes::MESSAGE_RECALLED));
        }
        if !EDITABLE_MSG_TYPES.contains(&m.msg_type) {
            return Err(Failure::code(codes::MESSAGE_TYPE_UNSUPPORTED)
                .because(format!("a `{}` message cannot be edited", m.msg_type)));
        }
        if m.sender != caller.who {
            return Err(Failure::code(codes::MESSAGE_THREAD_REPLY_UNSUPPORTED)
                .because("only the sender may edit a message"));
        }
        if m.edits >= MAX_EDITS {
            return Err(Failure::code(codes::MESSAGE_EDIT_LIMIT_REACHED));
        }
        if ctx.now_ms - m.create_ms > EDIT_WINDOW_MS {
            return Err(Failure::code(codes::MESSAGE_ENCRYPTED_CHAT)
                .because("the message is older than the edit window (24 hours)"));
        }
        check_content(&msg_type, &self.body.content)?;
        let now = ctx.now_ms;
        let stored = ctx
            .world
            .messages
            .by_id
            .get_mut(&m.id)
            .ok_or_else(|| param("message_id", "no such message"))?;
        stored.msg_type = msg_type;
        stored.content = self.body.content;
        stored.edits += 1;
        stored.update_ms = now;
        let out = message_view::message(
            &ctx.world.dir,
            stored,
            &UserIdType::OpenId,
            Recalled::Absent,
            false,
        );
        Ok(out)
    }
}

impl Handle for DeleteMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let m = find(ctx, self.path.message_id.as_str())?.clone();
        let chat = enter(ctx, &caller, &m.chat)?;
        // The recall page answers a second recall with 230110.
        if m.deleted {
            return Err(Failure::code(codes::MESSAGE_DELETED));
        }
        let age = ctx.now_ms - m.create_ms;
        if m.sender == caller.who {
            if age > EDIT_WINDOW_MS {
                return Err(Failure::code(codes::MESSAGE_RECALL_EXPIRED));
            }
        } else if chat.privileged(&caller.who) {
            if age > MANAGER_RECALL_WINDOW_MS {
                return Err(Failure::code(codes::MESSAGE_RECALL_EXPIRED));
            }
        } else {
            return Err(Failure::code(codes::MESSAGE_NO_RECALL_PERMISSION));
        }
        let now = ctx.now_ms;
        if let Some(stored) = ctx.world.messages.by_id.get_mut(&m.id) {
            stored.deleted = true;
            stored.update_ms = now;
        }
        Ok(Empty::default())
    }
}

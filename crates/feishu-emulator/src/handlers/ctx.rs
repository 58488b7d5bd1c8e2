//! What a handler works with: the world, the caller, the time, and the
//! events it emits; plus the access checks most group endpoints share.

use feishu_model::codes;
use feishu_model::{AppId, ChatId, Family, MemberIdType, TenantKey, UserIdType};

use crate::auth::Caller;
use crate::error::Failure;
use crate::events::{self, EmittedEvent, Payload};
use crate::state::{Chat, World};

/// Which checks a chat must pass before a handler acts on it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Access {
    /// Not dissolved (232009).
    pub(crate) live: bool,
    /// In the caller's tenant unless external (232010); an external chat
    /// needs the app's external sharing (232033).
    pub(crate) same_tenant: bool,
    /// The caller is a member (232011).
    pub(crate) member: bool,
}

/// The usual checks: the chat exists, is live, in the caller's tenant, and
/// the caller is in it.
pub(crate) const MEMBER: Access = Access {
    live: true,
    same_tenant: true,
    member: true,
};

/// A handler's context.
pub(crate) struct Ctx<'w> {
    pub(crate) world: &'w mut World,
    caller: Option<Caller>,
    pub(crate) now_ms: i64,
    pub(crate) op: &'static str,
    pub(crate) family: Family,
    events: Vec<EmittedEvent>,
}

impl<'w> Ctx<'w> {
    pub(crate) fn new(
        world: &'w mut World,
        caller: Option<Caller>,
        now_ms: i64,
        op: &'static str,
        family: Family,
    ) -> Self {
        Ctx {
            world,
            caller,
            now_ms,
            op,
            family,
            events: Vec::new(),
        }
    }

    /// The events emitted by the call.
    pub(crate) fn into_events(self) -> Vec<EmittedEvent> {
        self.events
    }

    /// The authenticated caller.
    pub(crate) fn caller(&self) -> Result<Caller, Failure> {
        self.caller
            .clone()
            .ok_or_else(|| Failure::auth(codes::NEED_TOKEN, "this API needs an access token"))
    }

    /// A parameter error of this operation.
    pub(crate) fn param(&self, field: &str, rule: impl Into<String>) -> Failure {
        Failure::param(self.family, field, rule)
    }

    /// The chat, or 232006.
    pub(crate) fn chat(&self, id: &ChatId) -> Result<&Chat, Failure> {
        self.world.chats.get(id).ok_or_else(|| {
            Failure::code(codes::GROUP_INVALID_CHAT_ID).because(format!("no chat `{id}`"))
        })
    }

    /// The chat to change, or 232006.
    pub(crate) fn chat_mut(&mut self, id: &ChatId) -> Result<&mut Chat, Failure> {
        self.world.chats.get_mut(id).ok_or_else(|| {
            Failure::code(codes::GROUP_INVALID_CHAT_ID).because(format!("no chat `{id}`"))
        })
    }

    /// Runs the access checks on a chat and returns the caller.
    pub(crate) fn open(&self, id: &ChatId, access: Access) -> Result<Caller, Failure> {
        let caller = self.caller()?;
        let chat = self.chat(id)?;
        if access.live && !chat.is_live() {
            return Err(Failure::code(codes::GROUP_CHAT_DISSOLVED));
        }
        if access.same_tenant && !chat.external && chat.tenant != caller.tenant {
            return Err(Failure::code(codes::GROUP_OPERATOR_OTHER_TENANT));
        }
        let sharing = self
            .world
            .dir
            .apps
            .get(&caller.app)
            .map_or(true, |app| app.external_sharing);
        if chat.external && !sharing {
            return Err(Failure::code(codes::GROUP_EXTERNAL_CHAT_NO_SCOPE)
                .because("the app's bot has external sharing off"));
        }
        if access.member && !chat.is_member(&caller.who) {
            return Err(Failure::code(codes::GROUP_OPERATOR_NOT_IN_CHAT));
        }
        Ok(caller)
    }

    /// The requested user id kind (`open_id` by default).
    pub(crate) fn user_kind(
        &self,
        field: &str,
        kind: Option<&UserIdType>,
    ) -> Result<UserIdType, Failure> {
        match kind {
            None => Ok(UserIdType::OpenId),
            Some(k) if k.is_known() => Ok(k.clone()),
            Some(k) => Err(self.param(field, format!("unknown id type `{k}`"))),
        }
    }

    /// The requested member id kind (`open_id` by default).
    pub(crate) fn member_kind(&self, kind: Option<&MemberIdType>) -> Result<MemberIdType, Failure> {
        match kind {
            None => Ok(MemberIdType::OpenId),
            Some(k) if k.is_known() => Ok(k.clone()),
            Some(k) => Err(Failure::code(codes::GROUP_MEMBER_ID_TYPE_UNSUPPORTED)
                .because(format!("unknown member_id_type `{k}`"))),
        }
    }

    /// Emits `payload` to `app`, in the tenant of the chat it concerns.
    pub(crate) fn emit<P: Payload>(&mut self, app: &AppId, tenant: &TenantKey, payload: P) {
        if let Some(event) = events::build(self.world, app, tenant, self.now_ms, payload) {
            self.events.push(event);
        }
    }

    /// Emits `payload` to every bot now in the chat.
    pub(crate) fn emit_to_bots<P: Payload>(&mut self, chat_id: &ChatId, payload: P) {
        let Some(chat) = self.world.chats.get(chat_id) else {
            return;
        };
        let tenant = chat.tenant.clone();
        let bots: Vec<AppId> = chat.bots().cloned().collect();
        for app in bots {
            self.emit(&app, &tenant, payload.clone());
        }
    }
}

/// Refuses enum values the documentation does not list, naming the field.
macro_rules! check_known {
    ($ctx:expr, $($owner:ident . $field:ident),+ $(,)?) => {
        $(if let Some(value) = &$owner.$field {
            if !value.is_known() {
                return Err($ctx.param(stringify!($field), format!("unknown value `{value}`")));
            }
        })+
    };
}
pub(crate) use check_known;

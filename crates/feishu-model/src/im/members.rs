//! Chat members: add users or bots to a chat, remove them, join a public chat
//! as the caller, list the members, and ask whether the caller is in a chat.
//!
//! Adding and removing take at most [`MAX_IDS_PER_CALL`] ids per call (and at
//! most [`MAX_BOT_IDS_PER_CALL`] bots); the service layer splits longer lists.

use serde::{Deserialize, Deserializer, Serialize};

use crate::im::types::{ChatPath, MemberIdTypeQuery};
use crate::{
    endpoint, ChatId, Empty, Extra, Invalid, MemberId, MemberIdType, NoParams, Page, PagedQuery,
    Params, TenantKey, UserIdType,
};

/// Documented maximum of ids in one add or remove call (`id_list`): 50 users.
pub const MAX_IDS_PER_CALL: usize = 50;

/// Documented maximum of bots in one add or remove call (`id_list` with
/// `member_id_type=app_id`): 5 bots.
pub const MAX_BOT_IDS_PER_CALL: usize = 5;

/// Documented maximum `page_size` of the member list.
pub const MAX_PAGE_SIZE: u32 = 100;

crate::wire_int_enum! {
    /// `succeed_type`: what adding members does when some ids are unusable.
    pub enum SucceedType {
        /// `0` (the default): ids that do not exist or are not visible fail
        /// the call; resigned users are skipped and the others are added.
        FailOnNotExisted => 0,
        /// `1`: every usable id is added and the call succeeds; the unusable
        /// ids are listed with their reasons.
        AddAvailable => 1,
        /// `2`: any unusable id fails the call, and the unusable ids are listed.
        FailOnUnavailable => 2,
    }
}

/// Decodes an optional [`SucceedType`] from a number or a decimal string (query
/// values arrive as text from some sources).
fn opt_succeed_type<'de, D: Deserializer<'de>>(d: D) -> Result<Option<SucceedType>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum NumOrText {
        Num(i64),
        Text(String),
    }
    match Option::<NumOrText>::deserialize(d)? {
        None => Ok(None),
        Some(NumOrText::Num(n)) => Ok(Some(SucceedType::from(n))),
        Some(NumOrText::Text(t)) => t
            .trim()
            .parse::<i64>()
            .map(|n| Some(SucceedType::from(n)))
            .map_err(serde::de::Error::custom),
    }
}

/// Query of [`AddMembers`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddMembersQuery {
    /// The kind of id in `id_list` (default `open_id`; `app_id` for bots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id_type: Option<MemberIdType>,
    /// What to do when some ids are unusable (default `0`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "opt_succeed_type"
    )]
    pub succeed_type: Option<SucceedType>,
}

impl Params for AddMembersQuery {}

/// Body of [`AddMembers`] and [`RemoveMembers`]: the member ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberIdsBody {
    /// Member ids, of the kind given by `member_id_type` (app ids for bots).
    /// Must not be empty; at most [`MAX_IDS_PER_CALL`] users or
    /// [`MAX_BOT_IDS_PER_CALL`] bots per call.
    #[serde(default)]
    pub id_list: Vec<MemberId>,
}

impl MemberIdsBody {
    /// A body with the given ids.
    pub fn new<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        MemberIdsBody {
            id_list: ids.into_iter().map(Into::into).collect(),
        }
    }
}

impl Params for MemberIdsBody {
    fn validate(&self) -> Result<(), Invalid> {
        crate::validate::count("id_list", &self.id_list, 1, MAX_IDS_PER_CALL)
    }
}

/// Output of [`AddMembers`]: the ids that were not added, by reason.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct AddMembersOutput {
    /// Unusable ids. With `succeed_type=0` only resigned users; with `1` also
    /// invisible ids and apps not activated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_id_list: Option<Vec<MemberId>>,
    /// Ids that do not exist.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_existed_id_list: Option<Vec<MemberId>>,
    /// Ids waiting for the owner's or a manager's approval to join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_approval_id_list: Option<Vec<MemberId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Output of [`RemoveMembers`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct RemoveMembersOutput {
    /// Ids that could not be removed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_id_list: Option<Vec<MemberId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Query of [`ListMembers`]: the kind of id returned, and the page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListMembersQuery {
    /// The kind of user id in the answer (default `open_id`). The list never
    /// contains bots, so only the user id kinds are documented here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id_type: Option<UserIdType>,
    /// `page_size` (default 20, at most [`MAX_PAGE_SIZE`]) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
}

impl Params for ListMembersQuery {
    fn validate(&self) -> Result<(), Invalid> {
        self.page.check(MAX_PAGE_SIZE)
    }
}

impl PagedQuery for ListMembersQuery {
    fn page_mut(&mut self) -> &mut crate::Page {
        &mut self.page
    }
}

/// One member in [`ListMembersOutput`] (`list_member`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ListMember {
    /// The kind of `member_id`, the same as the query's `member_id_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id_type: Option<UserIdType>,
    /// The member's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_id: Option<MemberId>,
    /// The member's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The member's tenant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_key: Option<TenantKey>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Output of [`ListMembers`]: one page of members (bots are not listed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ListMembersOutput {
    /// The members on this page. May hold fewer or more than `page_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<ListMember>>,
    /// Token for the next page, returned when `has_more` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// Whether another page follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// Total number of members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub member_total: Option<i64>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

crate::paged!(ListMembersOutput => ListMember);

/// Output of [`IsInChat`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct IsInChatOutput {
    /// Whether the caller (the user or bot whose token is used) is in the chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_in_chat: Option<bool>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Adds users or bots to a chat (at most [`MAX_IDS_PER_CALL`] ids per call).
    pub struct AddMembers {
        operation: "im.v1.chat.members.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/members",
        path_params: ChatPath,
        query: AddMembersQuery,
        body: MemberIdsBody,
        output: AddMembersOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/create",
        check: check_bots_per_call,
    }
}

endpoint! {
    /// Removes users or bots from a chat (at most [`MAX_IDS_PER_CALL`] ids per call).
    pub struct RemoveMembers {
        operation: "im.v1.chat.members.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/chats/:chat_id/members",
        path_params: ChatPath,
        query: MemberIdTypeQuery,
        body: MemberIdsBody,
        output: RemoveMembersOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/delete",
        check: check_bots_per_call,
    }
}

endpoint! {
    /// Joins a public chat as the caller (the user or bot whose token is used).
    /// Joining twice has the same effect as joining once.
    pub struct MeJoin {
        operation: "im.v1.chat.members.me_join",
        family: Im,
        method: Patch,
        path: "/open-apis/im/v1/chats/:chat_id/members/me_join",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: Empty,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/me_join",
        idempotent: true,
    }
}

endpoint! {
    /// Lists the members of a chat, one page at a time (bots are not listed).
    pub struct ListMembers {
        operation: "im.v1.chat.members.get",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/members",
        path_params: ChatPath,
        query: ListMembersQuery,
        body: NoParams,
        output: ListMembersOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/get",
    }
}

endpoint! {
    /// Tells whether the caller (the user or bot whose token is used) is in a chat.
    pub struct IsInChat {
        operation: "im.v1.chat.members.is_in_chat",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/chats/:chat_id/members/is_in_chat",
        path_params: ChatPath,
        query: NoParams,
        body: NoParams,
        output: IsInChatOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-members/is_in_chat",
    }
}

/// With `member_id_type=app_id` one call names at most
/// [`MAX_BOT_IDS_PER_CALL`] bots.
fn check_bots_per_call<E>(endpoint: &E) -> Result<(), Invalid>
where
    E: crate::Endpoint<Body = MemberIdsBody>,
    E::Query: MemberIdTypeOf,
{
    if endpoint.query_params().member_id_type() == Some(&MemberIdType::AppId) {
        crate::validate::count(
            "id_list",
            &endpoint.body_params().id_list,
            1,
            MAX_BOT_IDS_PER_CALL,
        )?;
    }
    Ok(())
}

/// The `member_id_type` of a members query.
trait MemberIdTypeOf {
    fn member_id_type(&self) -> Option<&MemberIdType>;
}

impl MemberIdTypeOf for AddMembersQuery {
    fn member_id_type(&self) -> Option<&MemberIdType> {
        self.member_id_type.as_ref()
    }
}

impl MemberIdTypeOf for crate::im::types::MemberIdTypeQuery {
    fn member_id_type(&self) -> Option<&MemberIdType> {
        self.member_id_type.as_ref()
    }
}

impl AddMembers {
    /// Adds the given members (ids of the default kind, `open_id`) to a chat.
    pub fn new<I>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        AddMembers {
            path: ChatPath::new(chat_id),
            query: AddMembersQuery::default(),
            body: MemberIdsBody::new(ids),
        }
    }
}

impl RemoveMembers {
    /// Removes the given members (ids of the default kind, `open_id`) from a chat.
    pub fn new<I>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        RemoveMembers {
            path: ChatPath::new(chat_id),
            query: MemberIdTypeQuery::default(),
            body: MemberIdsBody::new(ids),
        }
    }
}

impl MeJoin {
    /// Joins the given public chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        MeJoin {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

impl ListMembers {
    /// The first page of a chat's members, with the server's default page size.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        ListMembers {
            path: ChatPath::new(chat_id),
            query: ListMembersQuery::default(),
            body: NoParams {},
        }
    }
}

impl IsInChat {
    /// Asks about the given chat.
    pub fn new(chat_id: impl Into<ChatId>) -> Self {
        IsInChat {
            path: ChatPath::new(chat_id),
            query: NoParams {},
            body: NoParams {},
        }
    }
}

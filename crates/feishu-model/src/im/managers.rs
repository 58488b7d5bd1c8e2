//! Chat managers: make users or bots managers of a chat, or take that role
//! away. Only the chat owner may do either.
//!
//! A regular chat holds at most 10 managers and a super-large chat at most 20;
//! one call names at most [`MAX_MANAGER_IDS_PER_CALL`] ids, of which at most
//! [`MAX_BOT_MANAGER_IDS_PER_CALL`] may be bots.

use serde::{Deserialize, Serialize};

use crate::im::types::{ChatPath, MemberIdTypeQuery};
use crate::{endpoint, AppId, ChatId, Extra, Invalid, MemberId, Params};

/// Documented maximum length of `manager_ids` in one call: 50.
pub const MAX_MANAGER_IDS_PER_CALL: usize = 50;

/// Documented maximum of bots in one call (`manager_ids` with
/// `member_id_type=app_id`): 5.
pub const MAX_BOT_MANAGER_IDS_PER_CALL: usize = 5;

/// Body of [`AddManagers`] and [`DeleteManagers`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManagerIdsBody {
    /// Ids of the members to make (or stop being) managers, of the kind given
    /// by `member_id_type` (app ids for bots). At most
    /// [`MAX_MANAGER_IDS_PER_CALL`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_ids: Option<Vec<MemberId>>,
}

impl ManagerIdsBody {
    /// A body with the given ids.
    pub fn new<I>(ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        ManagerIdsBody {
            manager_ids: Some(ids.into_iter().map(Into::into).collect()),
        }
    }
}

impl Params for ManagerIdsBody {
    fn validate(&self) -> Result<(), Invalid> {
        crate::validate::opt_count(
            "manager_ids",
            self.manager_ids.as_deref(),
            0,
            MAX_MANAGER_IDS_PER_CALL,
        )
    }
}

/// Output of [`AddManagers`] and [`DeleteManagers`]: the chat's managers
/// after the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ManagersOutput {
    /// User managers, as ids of the kind given by `member_id_type` (as
    /// `open_id` when `member_id_type` is `app_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_managers: Option<Vec<MemberId>>,
    /// Bot managers, as app ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_bot_managers: Option<Vec<AppId>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Makes members of a chat its managers (owner only).
    pub struct AddManagers {
        operation: "im.v1.chat.managers.add_managers",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/managers/add_managers",
        path_params: ChatPath,
        query: MemberIdTypeQuery,
        body: ManagerIdsBody,
        output: ManagersOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-managers/add_managers",
        check: check_bots_per_call,
    }
}

endpoint! {
    /// Takes the manager role away from managers of a chat (owner only).
    pub struct DeleteManagers {
        operation: "im.v1.chat.managers.delete_managers",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/chats/:chat_id/managers/delete_managers",
        path_params: ChatPath,
        query: MemberIdTypeQuery,
        body: ManagerIdsBody,
        output: ManagersOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/chat-managers/delete_managers",
        check: check_bots_per_call,
    }
}

/// With `member_id_type=app_id` one call names at most
/// [`MAX_BOT_MANAGER_IDS_PER_CALL`] bots.
fn check_bots_per_call<E>(endpoint: &E) -> Result<(), Invalid>
where
    E: crate::Endpoint<Query = MemberIdTypeQuery, Body = ManagerIdsBody>,
{
    if endpoint.query_params().member_id_type == Some(crate::MemberIdType::AppId) {
        crate::validate::opt_count(
            "manager_ids",
            endpoint.body_params().manager_ids.as_deref(),
            0,
            MAX_BOT_MANAGER_IDS_PER_CALL,
        )?;
    }
    Ok(())
}

impl AddManagers {
    /// Makes the given members (ids of the default kind, `open_id`) managers.
    pub fn new<I>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        AddManagers {
            path: ChatPath::new(chat_id),
            query: MemberIdTypeQuery::default(),
            body: ManagerIdsBody::new(ids),
        }
    }
}

impl DeleteManagers {
    /// Takes the manager role from the given members (ids of the default kind, `open_id`).
    pub fn new<I>(chat_id: impl Into<ChatId>, ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<MemberId>,
    {
        DeleteManagers {
            path: ChatPath::new(chat_id),
            query: MemberIdTypeQuery::default(),
            body: ManagerIdsBody::new(ids),
        }
    }
}

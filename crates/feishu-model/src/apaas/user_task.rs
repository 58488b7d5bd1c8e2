//! User tasks: query a user's tasks, copy, expedite or roll back a task, and
//! start a group chat from a task.
//!
//! ```
//! use feishu_model::apaas::user_task::{ChatGroupBody, UserTaskChatGroup};
//! use feishu_model::{Endpoint, Method};
//!
//! let body = ChatGroupBody::new_chat("1234", ["1234"], "群名称");
//! let request = UserTaskChatGroup::new("1234", body).to_request().unwrap();
//! assert_eq!(request.method, Method::Post);
//! assert_eq!(request.path, "/open-apis/apaas/v1/user_tasks/1234/chat_group");
//! ```

use serde::{Deserialize, Serialize};

use super::approval_instance::ApprovalInstanceId;
use super::{non_empty, required_str, strings};
use crate::{endpoint, validate, ChatId, Empty, Extra, Invalid, NoParams, Params, TaskId};

pub use super::PARAM_INVALID;

/// Path parameters of the `user_tasks/:task_id/...` endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskPath {
    /// The task id, as [`UserTaskQuery`] returns it.
    pub task_id: TaskId,
}

impl TaskPath {
    /// Path parameters for one task.
    pub fn new(task_id: impl Into<TaskId>) -> Self {
        TaskPath {
            task_id: task_id.into(),
        }
    }
}

crate::path_params!(TaskPath { task_id });

crate::wire_enum! {
    /// `type` of a task query: finished or pending tasks.
    pub enum UserTaskQueryType {
        /// `archived`: finished tasks.
        Archived => "archived",
        /// `pending`: tasks waiting to be handled.
        Pending => "pending",
    }
}

crate::wire_enum! {
    /// `source` of a task query: how the tasks relate to the user.
    pub enum UserTaskSource {
        /// `fromMe`: started by the user.
        FromMe => "fromMe",
        /// `assignMe`: assigned to the user.
        AssignMe => "assignMe",
        /// `CCMe`: copied to the user.
        CcMe => "CCMe",
    }
}

// ---------------------------------------------------------------------------
// Shared output types

/// One localized text (`i18n`): a language code and the text in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct I18nText {
    /// Language code (`2052` is Simplified Chinese).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language_code: Option<String>,
    /// The text in that language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------
// chat_group

/// Body of [`UserTaskChatGroup`]: a new chat when `chat_id` is absent or
/// empty, otherwise the users are pulled into the chat `chat_id`.
///
/// Build it with [`ChatGroupBody::new_chat`] or [`ChatGroupBody::existing_chat`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatGroupBody {
    /// The operator's kunlun user id.
    pub operator_user_id: String,
    /// Kunlun user ids to invite into the chat (1 to 20 when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite_user_ids: Option<Vec<String>>,
    /// The chat to pull the users into; absent or empty creates a new chat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<ChatId>,
    /// Name of the chat to create when `chat_id` is absent or empty.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_name: Option<String>,
}

impl ChatGroupBody {
    /// Creates a new chat named `chat_name` with the operator and the invited
    /// users. An empty `invite_user_ids` leaves the field out.
    pub fn new_chat<I, S>(
        operator_user_id: impl Into<String>,
        invite_user_ids: I,
        chat_name: impl Into<String>,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ChatGroupBody {
            operator_user_id: operator_user_id.into(),
            invite_user_ids: non_empty(strings(invite_user_ids)),
            chat_id: None,
            chat_name: Some(chat_name.into()),
        }
    }

    /// Pulls the invited users into the existing chat `chat_id`. An empty
    /// `invite_user_ids` leaves the field out.
    pub fn existing_chat<I, S>(
        operator_user_id: impl Into<String>,
        invite_user_ids: I,
        chat_id: impl Into<ChatId>,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ChatGroupBody {
            operator_user_id: operator_user_id.into(),
            invite_user_ids: non_empty(strings(invite_user_ids)),
            chat_id: Some(chat_id.into()),
            chat_name: None,
        }
    }
}

impl Params for ChatGroupBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("operator_user_id", &self.operator_user_id)?;
        validate::opt_count("invite_user_ids", self.invite_user_ids.as_deref(), 1, 20)
    }
}

/// Output of [`UserTaskChatGroup`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ChatGroupOutput {
    /// The chat the users were put in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_id: Option<ChatId>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Starts a group chat from a user task, or pulls people into an existing one.
    pub struct UserTaskChatGroup {
        operation: "apaas.v1.user_task.chat_group",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_tasks/:task_id/chat_group",
        path_params: TaskPath,
        query: NoParams,
        body: ChatGroupBody,
        output: ChatGroupOutput,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/chat_group",
    }
}

impl UserTaskChatGroup {
    /// A call for one task with a body from [`ChatGroupBody::new_chat`] or
    /// [`ChatGroupBody::existing_chat`].
    pub fn new(task_id: impl Into<TaskId>, body: ChatGroupBody) -> Self {
        UserTaskChatGroup {
            path: TaskPath::new(task_id),
            query: NoParams {},
            body,
        }
    }
}

// ---------------------------------------------------------------------------
// query

/// Body of [`UserTaskQuery`]: which of a user's tasks to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserTaskQueryBody {
    /// Finished or pending tasks (`type` on the wire).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub task_type: Option<UserTaskQueryType>,
    /// How the tasks relate to the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<UserTaskSource>,
    /// How many tasks to return, as decimal text: `"1"` to `"50"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
    /// Where to start, as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// Start of the time range, milliseconds since the epoch, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End of the time range, milliseconds since the epoch, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Flow api ids to restrict the query to (1 to 100 when given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_ids: Option<Vec<String>>,
    /// The user whose tasks to list (kunlun user id).
    pub kunlun_user_id: String,
}

impl UserTaskQueryBody {
    /// A query of every task of one user; set the optional filters on the result.
    pub fn new(kunlun_user_id: impl Into<String>) -> Self {
        UserTaskQueryBody {
            kunlun_user_id: kunlun_user_id.into(),
            ..UserTaskQueryBody::default()
        }
    }
}

impl Params for UserTaskQueryBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("kunlun_user_id", &self.kunlun_user_id)?;
        if let Some(limit) = &self.limit {
            let n: u32 = limit.trim().parse().map_err(|_| {
                Invalid::bad_format("limit", format!("must be a whole number, got {limit:?}"))
            })?;
            validate::range("limit", n, 1, 50)?;
        }
        validate::opt_count("api_ids", self.api_ids.as_deref(), 1, 100)
    }
}

/// The flow instance a task belongs to (`user_task_wf_instance_type`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct WorkflowInstance {
    /// The flow instance id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<ApprovalInstanceId>,
    /// The task name of the flow, per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<Vec<I18nText>>,
    /// The flow's status (e.g. `in_process`; the values are not documented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A user as a task names it (`user`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct TaskUser {
    /// The user's kunlun id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One summary line of a task (`user_task_summary_type`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct TaskSummary {
    /// The summary's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_key: Option<I18nText>,
    /// The summary's value, per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_value: Option<Vec<I18nText>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One task in a [`UserTaskQuery`] answer (`user_task`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct UserTask {
    /// The task id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
    /// When the task started, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_start_time: Option<String>,
    /// The flow instance the task belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow_instance: Option<WorkflowInstance>,
    /// Who started the flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiator: Option<TaskUser>,
    /// Summary lines (`summarys`, spelled as on the wire).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summarys: Option<Vec<TaskSummary>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Output of [`UserTaskQuery`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct UserTaskQueryOutput {
    /// Total number of matching tasks, as decimal text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    /// The tasks of this page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<UserTask>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl UserTaskQueryOutput {
    /// `count` as a number, when present and numeric.
    pub fn total(&self) -> Option<u64> {
        self.count.as_deref().and_then(|c| c.trim().parse().ok())
    }
}

endpoint! {
    /// Lists a user's tasks (a read, sent as `POST`).
    pub struct UserTaskQuery {
        operation: "apaas.v1.user_task.query",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_task/query",
        path_params: NoParams,
        query: NoParams,
        body: UserTaskQueryBody,
        output: UserTaskQueryOutput,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/query",
        idempotent: true,
    }
}

impl UserTaskQuery {
    /// A query of every task of one user; set filters on `body`.
    pub fn new(kunlun_user_id: impl Into<String>) -> Self {
        UserTaskQuery {
            path: NoParams {},
            query: NoParams {},
            body: UserTaskQueryBody::new(kunlun_user_id),
        }
    }
}

// ---------------------------------------------------------------------------
// cc

/// Body of [`UserTaskCc`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CcBody {
    /// Kunlun user ids to copy the task to (1 to 10).
    pub cc_user_ids: Vec<String>,
    /// The operator's kunlun user id.
    pub operator_user_id: String,
}

impl Params for CcBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("cc_user_ids", &self.cc_user_ids, 1, 10)?;
        required_str("operator_user_id", &self.operator_user_id)
    }
}

endpoint! {
    /// Copies (cc) a user task to some users.
    pub struct UserTaskCc {
        operation: "apaas.v1.user_task.cc",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_tasks/:task_id/cc",
        path_params: TaskPath,
        query: NoParams,
        body: CcBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/cc",
    }
}

impl UserTaskCc {
    /// `operator_user_id` copies the task to `cc_user_ids`.
    pub fn new<I, S>(
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        cc_user_ids: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UserTaskCc {
            path: TaskPath::new(task_id),
            query: NoParams {},
            body: CcBody {
                cc_user_ids: strings(cc_user_ids),
                operator_user_id: operator_user_id.into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// expediting

/// Body of [`UserTaskExpediting`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExpeditingBody {
    /// The operator's kunlun user id.
    pub operator_user_id: String,
    /// Kunlun user ids of the handlers to nudge (1 to 20).
    pub expediting_user_ids: Vec<String>,
    /// Why the task is expedited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

impl Params for ExpeditingBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("operator_user_id", &self.operator_user_id)?;
        validate::count("expediting_user_ids", &self.expediting_user_ids, 1, 20)
    }
}

endpoint! {
    /// Nudges (expedites) the current handlers of a user task.
    pub struct UserTaskExpediting {
        operation: "apaas.v1.user_task.expediting",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_tasks/:task_id/expediting",
        path_params: TaskPath,
        query: NoParams,
        body: ExpeditingBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/expediting",
    }
}

impl UserTaskExpediting {
    /// `operator_user_id` nudges `expediting_user_ids`; set `body.opinion` to
    /// give a reason.
    pub fn new<I, S>(
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        expediting_user_ids: I,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        UserTaskExpediting {
            path: TaskPath::new(task_id),
            query: NoParams {},
            body: ExpeditingBody {
                operator_user_id: operator_user_id.into(),
                expediting_user_ids: strings(expediting_user_ids),
                opinion: None,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// rollback_points

/// Body of [`UserTaskRollbackPoints`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RollbackPointsBody {
    /// The operator's kunlun user id.
    pub operator_user_id: String,
}

impl Params for RollbackPointsBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("operator_user_id", &self.operator_user_id)
    }
}

/// A task a user task can be rolled back to (`allowed_rollbaclk_task_item_type`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct RollbackPoint {
    /// The task id; pass it as `to_task_id` to [`UserTaskRollback`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<TaskId>,
    /// The task's name, per language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity_label: Option<Vec<I18nText>>,
    /// Whether this is the flow's start node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_start: Option<bool>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Output of [`UserTaskRollbackPoints`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct RollbackPointsOutput {
    /// The tasks the task can be rolled back to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tasks: Option<Vec<RollbackPoint>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Lists where a user task can be rolled back to (a read, sent as `POST`).
    pub struct UserTaskRollbackPoints {
        operation: "apaas.v1.user_task.rollback_points",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_tasks/:task_id/rollback_points",
        path_params: TaskPath,
        query: NoParams,
        body: RollbackPointsBody,
        output: RollbackPointsOutput,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback_points",
        idempotent: true,
    }
}

impl UserTaskRollbackPoints {
    /// The rollback points of one task, as `operator_user_id` sees them.
    pub fn new(task_id: impl Into<TaskId>, operator_user_id: impl Into<String>) -> Self {
        UserTaskRollbackPoints {
            path: TaskPath::new(task_id),
            query: NoParams {},
            body: RollbackPointsBody {
                operator_user_id: operator_user_id.into(),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// rollback

/// Body of [`UserTaskRollback`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RollbackBody {
    /// The operator's kunlun user id.
    pub operator_user_id: String,
    /// The task to roll back to, from [`UserTaskRollbackPoints`].
    pub to_task_id: TaskId,
    /// Why the task is rolled back.
    pub opinion: String,
}

impl Params for RollbackBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("operator_user_id", &self.operator_user_id)?;
        validate::required("to_task_id", Some(&self.to_task_id))?;
        required_str("opinion", &self.opinion)
    }
}

endpoint! {
    /// Rolls a user task back to an earlier task.
    pub struct UserTaskRollback {
        operation: "apaas.v1.user_task.rollback",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/user_tasks/:task_id/rollback",
        path_params: TaskPath,
        query: NoParams,
        body: RollbackBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback",
    }
}

impl UserTaskRollback {
    /// `operator_user_id` rolls the task back to `to_task_id`, giving `opinion`.
    pub fn new(
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        to_task_id: impl Into<TaskId>,
        opinion: impl Into<String>,
    ) -> Self {
        UserTaskRollback {
            path: TaskPath::new(task_id),
            query: NoParams {},
            body: RollbackBody {
                operator_user_id: operator_user_id.into(),
                to_task_id: to_task_id.into(),
                opinion: opinion.into(),
            },
        }
    }
}

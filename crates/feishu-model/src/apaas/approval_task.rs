//! Approval tasks: agree, reject, transfer, add approvers.

use serde::{Deserialize, Serialize};

use super::{non_empty, required_str, strings};
use crate::{endpoint, validate, Empty, Invalid, NoParams, Params, TaskId};

/// Path parameters of the `approval_tasks/:approval_task_id/...` endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalTaskPath {
    /// The user (approval) task id.
    pub approval_task_id: TaskId,
}

impl ApprovalTaskPath {
    /// Path parameters for one approval task.
    pub fn new(approval_task_id: impl Into<TaskId>) -> Self {
        ApprovalTaskPath {
            approval_task_id: approval_task_id.into(),
        }
    }
}

crate::path_params!(ApprovalTaskPath { approval_task_id });

crate::wire_enum! {
    /// `add_assignee_type`: where added approvers take part.
    pub enum AddAssigneeType {
        /// `currentAndAddAssign`: approve alongside the current approvers.
        CurrentAndAddAssign => "currentAndAddAssign",
        /// `afterAndAddAssign`: approve after the current approvers.
        AfterAndAddAssign => "afterAndAddAssign",
    }
}

// ---------------------------------------------------------------------------
// agree, reject

/// Body of [`ApprovalTaskAgree`] and [`ApprovalTaskReject`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApprovalDecisionBody {
    /// The operator's id.
    pub user_id: String,
    /// The approval opinion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

impl ApprovalDecisionBody {
    /// A decision by `user_id` without an opinion.
    pub fn new(user_id: impl Into<String>) -> Self {
        ApprovalDecisionBody {
            user_id: user_id.into(),
            opinion: None,
        }
    }
}

impl Params for ApprovalDecisionBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("user_id", &self.user_id)
    }
}

endpoint! {
    /// Agrees to (approves) a user task.
    pub struct ApprovalTaskAgree {
        operation: "apaas.v1.approval_task.agree",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/approval_tasks/:approval_task_id/agree",
        path_params: ApprovalTaskPath,
        query: NoParams,
        body: ApprovalDecisionBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/agree",
    }
}

impl ApprovalTaskAgree {
    /// `user_id` agrees to the task; set `body.opinion` to add an opinion.
    pub fn new(approval_task_id: impl Into<TaskId>, user_id: impl Into<String>) -> Self {
        ApprovalTaskAgree {
            path: ApprovalTaskPath::new(approval_task_id),
            query: NoParams {},
            body: ApprovalDecisionBody::new(user_id),
        }
    }
}

endpoint! {
    /// Rejects a user task.
    pub struct ApprovalTaskReject {
        operation: "apaas.v1.approval_task.reject",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/approval_tasks/:approval_task_id/reject",
        path_params: ApprovalTaskPath,
        query: NoParams,
        body: ApprovalDecisionBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/reject",
    }
}

impl ApprovalTaskReject {
    /// `user_id` rejects the task; set `body.opinion` to add an opinion.
    pub fn new(approval_task_id: impl Into<TaskId>, user_id: impl Into<String>) -> Self {
        ApprovalTaskReject {
            path: ApprovalTaskPath::new(approval_task_id),
            query: NoParams {},
            body: ApprovalDecisionBody::new(user_id),
        }
    }
}

// ---------------------------------------------------------------------------
// transfer

/// Body of [`ApprovalTaskTransfer`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransferBody {
    /// The operator's id.
    pub user_id: String,
    /// The current approvers to hand the task from (at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_user_ids: Option<Vec<String>>,
    /// The new approvers (at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_user_ids: Option<Vec<String>>,
    /// Why the task is transferred.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

impl Params for TransferBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("user_id", &self.user_id)?;
        validate::opt_count("from_user_ids", self.from_user_ids.as_deref(), 0, 20)?;
        validate::opt_count("to_user_ids", self.to_user_ids.as_deref(), 0, 20)
    }
}

endpoint! {
    /// Transfers a user task from some approvers to others.
    pub struct ApprovalTaskTransfer {
        operation: "apaas.v1.approval_task.transfer",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/approval_tasks/:approval_task_id/transfer",
        path_params: ApprovalTaskPath,
        query: NoParams,
        body: TransferBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/transfer",
    }
}

impl ApprovalTaskTransfer {
    /// `user_id` hands the task from `from_user_ids` to `to_user_ids`; an
    /// empty list leaves its field out. Set `body.opinion` to give a reason.
    pub fn new<F, FS, T, TS>(
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
        from_user_ids: F,
        to_user_ids: T,
    ) -> Self
    where
        F: IntoIterator<Item = FS>,
        FS: Into<String>,
        T: IntoIterator<Item = TS>,
        TS: Into<String>,
    {
        ApprovalTaskTransfer {
            path: ApprovalTaskPath::new(approval_task_id),
            query: NoParams {},
            body: TransferBody {
                user_id: user_id.into(),
                from_user_ids: non_empty(strings(from_user_ids)),
                to_user_ids: non_empty(strings(to_user_ids)),
                opinion: None,
            },
        }
    }
}

// ---------------------------------------------------------------------------
// add_assignee

/// Body of [`ApprovalTaskAddAssignee`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AddAssigneeBody {
    /// The operator's id.
    pub user_id: String,
    /// The approvers to add (at most 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approvers: Option<Vec<String>>,
    /// Whether they approve alongside or after the current approvers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_assignee_type: Option<AddAssigneeType>,
    /// Why approvers are added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opinion: Option<String>,
}

impl Params for AddAssigneeBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("user_id", &self.user_id)?;
        validate::opt_count("approvers", self.approvers.as_deref(), 0, 20)
    }
}

endpoint! {
    /// Adds approvers to a user task.
    pub struct ApprovalTaskAddAssignee {
        operation: "apaas.v1.approval_task.add_assignee",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/approval_tasks/:approval_task_id/add_assignee",
        path_params: ApprovalTaskPath,
        query: NoParams,
        body: AddAssigneeBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/add_assignee",
    }
}

impl ApprovalTaskAddAssignee {
    /// `user_id` adds `approvers` of the given kind; an empty list leaves the
    /// field out. Set `body.opinion` to give a reason.
    pub fn new<I, S>(
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
        approvers: I,
        add_assignee_type: AddAssigneeType,
    ) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ApprovalTaskAddAssignee {
            path: ApprovalTaskPath::new(approval_task_id),
            query: NoParams {},
            body: AddAssigneeBody {
                user_id: user_id.into(),
                approvers: non_empty(strings(approvers)),
                add_assignee_type: Some(add_assignee_type),
                opinion: None,
            },
        }
    }
}

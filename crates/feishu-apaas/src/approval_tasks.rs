//! `apaas.approval_tasks()`: decide on a user (approval) task: agree,
//! reject, transfer, add approvers; and the optional `opinion` setter.

use feishu_model::apaas::approval_task::{
    AddAssigneeType, ApprovalTaskAddAssignee, ApprovalTaskAgree, ApprovalTaskReject,
    ApprovalTaskTransfer,
};
use feishu_model::apaas::user_task::UserTaskExpediting;
use feishu_model::TaskId;
use feishu_transport::{Call, Client};

/// The approval-task endpoints (`/open-apis/apaas/v1/approval_tasks/...`),
/// from [`Apaas::approval_tasks`](crate::Apaas::approval_tasks).
///
/// `approval_task_id` is the user task's id, as
/// [`UserTasks::query`](crate::UserTasks::query) returns it in `task_id`.
/// Add an opinion with [`WithOpinion::opinion`].
#[derive(Debug, Clone)]
pub struct ApprovalTasks {
    client: Client,
}

impl ApprovalTasks {
    pub(crate) fn new(client: Client) -> Self {
        ApprovalTasks { client }
    }

    /// `user_id` agrees to (approves) task `approval_task_id`.
    ///
    /// `POST /open-apis/apaas/v1/approval_tasks/:approval_task_id/agree`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/agree)).
    pub fn agree(
        &self,
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
    ) -> Call<ApprovalTaskAgree> {
        self.client
            .call(ApprovalTaskAgree::new(approval_task_id, user_id))
    }

    /// `user_id` rejects task `approval_task_id`.
    ///
    /// `POST /open-apis/apaas/v1/approval_tasks/:approval_task_id/reject`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/reject)).
    pub fn reject(
        &self,
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
    ) -> Call<ApprovalTaskReject> {
        self.client
            .call(ApprovalTaskReject::new(approval_task_id, user_id))
    }

    /// `user_id` hands task `approval_task_id` from the approvers
    /// `from_user_ids` to `to_user_ids` (at most 20 each).
    ///
    /// `POST /open-apis/apaas/v1/approval_tasks/:approval_task_id/transfer`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/transfer)).
    pub fn transfer<F, FS, T, TS>(
        &self,
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
        from_user_ids: F,
        to_user_ids: T,
    ) -> Call<ApprovalTaskTransfer>
    where
        F: IntoIterator<Item = FS>,
        FS: Into<String>,
        T: IntoIterator<Item = TS>,
        TS: Into<String>,
    {
        self.client.call(ApprovalTaskTransfer::new(
            approval_task_id,
            user_id,
            from_user_ids,
            to_user_ids,
        ))
    }

    /// `user_id` adds `approvers` (at most 20) to task `approval_task_id`,
    /// approving alongside or after the current approvers as `add_assignee_type` says.
    ///
    /// `POST /open-apis/apaas/v1/approval_tasks/:approval_task_id/add_assignee`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/add_assignee)).
    pub fn add_assignee<I, S>(
        &self,
        approval_task_id: impl Into<TaskId>,
        user_id: impl Into<String>,
        approvers: I,
        add_assignee_type: AddAssigneeType,
    ) -> Call<ApprovalTaskAddAssignee>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.call(ApprovalTaskAddAssignee::new(
            approval_task_id,
            user_id,
            approvers,
            add_assignee_type,
        ))
    }
}

/// The optional `opinion` of a task action: the comment recorded with it.
///
/// Implemented for the calls whose opinion is optional (agree, reject,
/// transfer, add_assignee, expediting); cancel and rollback take theirs as an
/// argument because the API requires it.
pub trait WithOpinion: Sized {
    /// Sets the `opinion`.
    fn opinion(self, opinion: impl Into<String>) -> Self;
}

macro_rules! with_opinion {
    ($($endpoint:ty),* $(,)?) => {$(
        impl WithOpinion for Call<$endpoint> {
            fn opinion(mut self, opinion: impl Into<String>) -> Self {
                self.endpoint.body.opinion = Some(opinion.into());
                self
            }
        }
    )*};
}

with_opinion!(
    ApprovalTaskAgree,
    ApprovalTaskReject,
    ApprovalTaskTransfer,
    ApprovalTaskAddAssignee,
    UserTaskExpediting,
);

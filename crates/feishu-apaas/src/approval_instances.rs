//! `apaas.approval_instances()`: cancel (revoke) an approval instance.

use feishu_model::apaas::approval_instance::{ApprovalInstanceCancel, ApprovalInstanceId};
use feishu_transport::{Call, Client};

/// The approval-instance endpoints
/// (`/open-apis/apaas/v1/approval_instances/...`), from
/// [`Apaas::approval_instances`](crate::Apaas::approval_instances).
#[derive(Debug, Clone)]
pub struct ApprovalInstances {
    client: Client,
}

impl ApprovalInstances {
    pub(crate) fn new(client: Client) -> Self {
        ApprovalInstances { client }
    }

    /// `user_id` cancels the approval instance `approval_instance_id` (its
    /// approval and fill-in tasks), giving `opinion` as the reason. The id is
    /// a task's `workflow_instance.id` from
    /// [`UserTasks::query`](crate::UserTasks::query).
    ///
    /// `POST /open-apis/apaas/v1/approval_instances/:approval_instance_id/cancel`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_instance/cancel)).
    pub fn cancel(
        &self,
        approval_instance_id: impl Into<ApprovalInstanceId>,
        user_id: impl Into<String>,
        opinion: impl Into<String>,
    ) -> Call<ApprovalInstanceCancel> {
        self.client.call(ApprovalInstanceCancel::new(
            approval_instance_id,
            user_id,
            opinion,
        ))
    }
}

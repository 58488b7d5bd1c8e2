//! Approval instances: cancel (revoke) an instance.

use serde::{Deserialize, Serialize};

use super::required_str;
use crate::{endpoint, Empty, Invalid, NoParams, Params};

crate::id_type!(
    /// An aPaaS approval (workflow) instance id, as `query` returns it in
    /// `workflow_instance.id`; it names the instance `cancel` revokes.
    ApprovalInstanceId
);

/// Path parameters of `approval_instances/:approval_instance_id/cancel`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalInstancePath {
    /// The approval instance id.
    pub approval_instance_id: ApprovalInstanceId,
}

impl ApprovalInstancePath {
    /// Path parameters for one approval instance.
    pub fn new(approval_instance_id: impl Into<ApprovalInstanceId>) -> Self {
        ApprovalInstancePath {
            approval_instance_id: approval_instance_id.into(),
        }
    }
}

crate::path_params!(ApprovalInstancePath {
    approval_instance_id
});

// ---------------------------------------------------------------------------
// cancel

/// Body of [`ApprovalInstanceCancel`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CancelBody {
    /// The operator's kunlun user id.
    pub user_id: String,
    /// Why the instance is cancelled.
    pub opinion: String,
}

impl Params for CancelBody {
    fn validate(&self) -> Result<(), Invalid> {
        required_str("user_id", &self.user_id)?;
        required_str("opinion", &self.opinion)
    }
}

endpoint! {
    /// Cancels (revokes) an approval instance: its approval and fill-in tasks.
    pub struct ApprovalInstanceCancel {
        operation: "apaas.v1.approval_instance.cancel",
        family: Apaas,
        method: Post,
        path: "/open-apis/apaas/v1/approval_instances/:approval_instance_id/cancel",
        path_params: ApprovalInstancePath,
        query: NoParams,
        body: CancelBody,
        output: Empty,
        tokens: [Tenant],
        rate_limit: PER_MINUTE_100,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_instance/cancel",
    }
}

impl ApprovalInstanceCancel {
    /// `user_id` cancels the instance, giving `opinion` as the reason.
    pub fn new(
        approval_instance_id: impl Into<ApprovalInstanceId>,
        user_id: impl Into<String>,
        opinion: impl Into<String>,
    ) -> Self {
        ApprovalInstanceCancel {
            path: ApprovalInstancePath::new(approval_instance_id),
            query: NoParams {},
            body: CancelBody {
                user_id: user_id.into(),
                opinion: opinion.into(),
            },
        }
    }
}

//! aPaaS flows: instances, their human tasks and who handles them.

use std::collections::BTreeMap;

use feishu_model::apaas::user_task::{I18nText, TaskSummary};
use feishu_model::TenantKey;

use super::directory::UserKey;
use crate::fixture::RollbackPointSeed;

/// Where a flow instance stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FlowStatus {
    /// Tasks are open.
    InProcess,
    /// Every task was agreed to.
    Completed,
    /// A task was rejected.
    Rejected,
    /// The initiator withdrew it.
    Canceled,
}

impl FlowStatus {
    /// As the query answers it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FlowStatus::InProcess => "in_process",
            FlowStatus::Completed => "completed",
            FlowStatus::Rejected => "rejected",
            FlowStatus::Canceled => "canceled",
        }
    }
}

/// One flow instance.
#[derive(Debug, Clone)]
pub(crate) struct Flow {
    pub(crate) tenant: TenantKey,
    pub(crate) api_id: String,
    pub(crate) label: Vec<I18nText>,
    /// The initiator's aPaaS id and key.
    pub(crate) initiator: (String, UserKey),
    pub(crate) summaries: Vec<TaskSummary>,
    pub(crate) status: FlowStatus,
}

/// One human task.
#[derive(Debug, Clone)]
pub(crate) struct FlowTask {
    pub(crate) flow: String,
    pub(crate) activity_label: Vec<I18nText>,
    pub(crate) assignees: Vec<UserKey>,
    pub(crate) cc: Vec<UserKey>,
    pub(crate) start_ms: i64,
    pub(crate) done: bool,
    /// Reminders sent (expediting).
    pub(crate) reminders: u32,
    pub(crate) rollback_points: Vec<RollbackPointSeed>,
}

/// Every flow instance and task, by id.
#[derive(Debug, Default)]
pub(crate) struct Flows {
    pub(crate) instances: BTreeMap<String, Flow>,
    pub(crate) tasks: BTreeMap<String, FlowTask>,
}

impl Flows {
    /// Whether the flow of `task` has an open task left; settles its
    /// status when not.
    pub(crate) fn settle(&mut self, flow: &str) {
        let open = self.tasks.values().any(|t| t.flow == flow && !t.done);
        if let Some(instance) = self.instances.get_mut(flow) {
            if !open && instance.status == FlowStatus::InProcess {
                instance.status = FlowStatus::Completed;
            }
        }
    }
}

//! aPaaS approval tasks and instances: agree, reject, transfer, add
//! approvers, and cancel an instance. Every refusal is the pages' 2320001.

use feishu_model::apaas::approval_instance::ApprovalInstanceCancel;
use feishu_model::apaas::approval_task::{
    AddAssigneeType, ApprovalTaskAddAssignee, ApprovalTaskAgree, ApprovalTaskReject,
    ApprovalTaskTransfer,
};
use feishu_model::{Empty, TaskId};

use super::flow::{apaas_user, assignee, open_task};
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::workflow::{FlowStatus, FlowTask};
use crate::state::UserKey;

const TASK: &str = "approval_task_id";

/// The open task and its assignee `user_id`, checked.
fn decide(ctx: &Ctx<'_>, id: &TaskId, user_id: &str) -> Result<(String, UserKey), Failure> {
    let operator = apaas_user(ctx, "user_id", user_id)?;
    let task = open_task(ctx, TASK, id)?;
    assignee(ctx, task, "user_id", operator)?;
    Ok((task.flow.clone(), operator))
}

impl Handle for ApprovalTaskAgree {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.approval_task_id;
        let (flow, _) = decide(ctx, id, &self.body.user_id)?;
        if let Some(task) = ctx.world.flows.tasks.get_mut(id.as_str()) {
            task.done = true;
        }
        ctx.world.flows.settle(&flow);
        Ok(Empty::default())
    }
}

impl Handle for ApprovalTaskReject {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.approval_task_id;
        let (flow, _) = decide(ctx, id, &self.body.user_id)?;
        close(ctx, &flow, FlowStatus::Rejected);
        Ok(Empty::default())
    }
}

/// Ends the flow: every open task closes.
fn close(ctx: &mut Ctx<'_>, flow: &str, status: FlowStatus) {
    let flows = &mut ctx.world.flows;
    for task in flows.tasks.values_mut().filter(|t| t.flow == flow) {
        task.done = true;
    }
    if let Some(instance) = flows.instances.get_mut(flow) {
        instance.status = status;
    }
}

/// aPaaS users by id, each once, or 2320001 naming `field`.
fn users(ctx: &Ctx<'_>, field: &str, ids: &[String]) -> Result<Vec<UserKey>, Failure> {
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let user = apaas_user(ctx, field, id)?;
        if !out.contains(&user) {
            out.push(user);
        }
    }
    Ok(out)
}

impl Handle for ApprovalTaskTransfer {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.approval_task_id;
        let body = &self.body;
        let (_, operator) = decide(ctx, id, &body.user_id)?;
        let from = match &body.from_user_ids {
            Some(ids) => users(ctx, "from_user_ids", ids)?,
            None => vec![operator],
        };
        let to = users(
            ctx,
            "to_user_ids",
            body.to_user_ids.as_deref().unwrap_or_default(),
        )?;
        if to.is_empty() {
            return Err(ctx.param("to_user_ids", "names nobody to transfer to"));
        }
        let task = open_task(ctx, TASK, id)?;
        for user in &from {
            assignee(ctx, task, "from_user_ids", *user)?;
        }
        if let Some(task) = ctx.world.flows.tasks.get_mut(id.as_str()) {
            task.assignees.retain(|u| !from.contains(u));
            for user in to {
                if !task.assignees.contains(&user) {
                    task.assignees.push(user);
                }
            }
        }
        Ok(Empty::default())
    }
}

impl Handle for ApprovalTaskAddAssignee {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.approval_task_id;
        let body = &self.body;
        let (flow, _) = decide(ctx, id, &body.user_id)?;
        let approvers = users(
            ctx,
            "approvers",
            body.approvers.as_deref().unwrap_or_default(),
        )?;
        if approvers.is_empty() {
            return Err(ctx.param("approvers", "names nobody to add"));
        }
        let after = body.add_assignee_type == Some(AddAssigneeType::AfterAndAddAssign);
        if after {
            // After-adding: the added approvers get a task of their own.
            let activity_label = open_task(ctx, TASK, id)?.activity_label.clone();
            let new_id = ctx.world.ids.numeric();
            let task = FlowTask {
                flow,
                activity_label,
                assignees: approvers,
                cc: Vec::new(),
                start_ms: ctx.now_ms,
                done: false,
                reminders: 0,
                rollback_points: Vec::new(),
            };
            ctx.world.flows.tasks.insert(new_id, task);
        } else if let Some(task) = ctx.world.flows.tasks.get_mut(id.as_str()) {
            for user in approvers {
                if !task.assignees.contains(&user) {
                    task.assignees.push(user);
                }
            }
        }
        Ok(Empty::default())
    }
}

impl Handle for ApprovalInstanceCancel {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let id = self.path.approval_instance_id.as_str();
        let operator = apaas_user(ctx, "user_id", &self.body.user_id)?;
        let flow = ctx
            .world
            .flows
            .instances
            .get(id)
            .filter(|f| f.tenant == caller.tenant)
            .ok_or_else(|| ctx.param("approval_instance_id", format!("no instance `{id}`")))?;
        if flow.status != FlowStatus::InProcess {
            return Err(ctx.param("approval_instance_id", "the instance has ended"));
        }
        if flow.initiator.1 != operator {
            return Err(ctx.param("user_id", "only the initiator cancels an instance"));
        }
        close(ctx, id, FlowStatus::Canceled);
        Ok(Empty::default())
    }
}

//! aPaaS user tasks: query a user's tasks, copy (cc), expedite, list the
//! nodes a task may go back to, and send it back. Users are named by their
//! aPaaS (kunlun) ids; every refusal is the pages' 2320001.

use feishu_model::apaas::user_task::{
    RollbackPoint, RollbackPointsOutput, TaskUser, UserTask, UserTaskCc, UserTaskExpediting,
    UserTaskQuery, UserTaskQueryOutput, UserTaskQueryType, UserTaskRollback,
    UserTaskRollbackPoints, UserTaskSource, WorkflowInstance,
};
use feishu_model::{Empty, TaskId};

use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::workflow::{FlowStatus, FlowTask};
use crate::state::UserKey;

/// The caller's aPaaS user `id`, or 2320001 naming `field`.
pub(super) fn apaas_user(ctx: &Ctx<'_>, field: &str, id: &str) -> Result<UserKey, Failure> {
    let caller = ctx.caller()?;
    ctx.world
        .dir
        .by_apaas_id(&caller.tenant, id)
        .ok_or_else(|| ctx.param(field, format!("no aPaaS user `{id}`")))
}

/// The open task `id` of a running flow in the caller's tenant, or 2320001.
pub(super) fn open_task<'c>(
    ctx: &'c Ctx<'_>,
    field: &str,
    id: &TaskId,
) -> Result<&'c FlowTask, Failure> {
    let caller = ctx.caller()?;
    let flows = &ctx.world.flows;
    let task = flows
        .tasks
        .get(id.as_str())
        .filter(|t| {
            flows
                .instances
                .get(&t.flow)
                .is_some_and(|f| f.tenant == caller.tenant)
        })
        .ok_or_else(|| ctx.param(field, format!("no task `{id}`")))?;
    let running = flows
        .instances
        .get(&task.flow)
        .is_some_and(|f| f.status == FlowStatus::InProcess);
    if task.done || !running {
        return Err(ctx.param(field, format!("task `{id}` is already handled")));
    }
    Ok(task)
}

/// `operator` must be an assignee of `task`.
pub(super) fn assignee(
    ctx: &Ctx<'_>,
    task: &FlowTask,
    field: &str,
    operator: UserKey,
) -> Result<(), Failure> {
    if task.assignees.contains(&operator) {
        Ok(())
    } else {
        Err(ctx.param(field, "the user is not an assignee of the task"))
    }
}

impl Handle for UserTaskQuery {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UserTaskQueryOutput, Failure> {
        let caller = ctx.caller()?;
        let body = &self.body;
        let user = apaas_user(ctx, "kunlun_user_id", &body.kunlun_user_id)?;
        let number = |field: &str, v: &Option<String>| -> Result<Option<i64>, Failure> {
            v.as_deref()
                .map(|s| {
                    s.trim()
                        .parse::<i64>()
                        .map_err(|_| ctx.param(field, format!("not a number: `{s}`")))
                })
                .transpose()
        };
        let start = number("start_time", &body.start_time)?;
        let end = number("end_time", &body.end_time)?;
        let offset = number("offset", &body.offset)?.unwrap_or(0).max(0) as usize;
        let limit = number("limit", &body.limit)?.unwrap_or(10).clamp(1, 50) as usize;
        let archived = body.task_type == Some(UserTaskQueryType::Archived);
        let source = body.source.clone().unwrap_or(UserTaskSource::AssignMe);
        let flows = &ctx.world.flows;
        let mut found: Vec<(&String, &FlowTask)> = flows
            .tasks
            .iter()
            .filter(|(_, t)| {
                let Some(flow) = flows.instances.get(&t.flow) else {
                    return false;
                };
                let mine = match &source {
                    UserTaskSource::FromMe => flow.initiator.1 == user,
                    UserTaskSource::CcMe => t.cc.contains(&user),
                    _ => t.assignees.contains(&user),
                };
                let pending = !t.done && flow.status == FlowStatus::InProcess;
                flow.tenant == caller.tenant
                    && mine
                    && pending != archived
                    && start.map_or(true, |s| t.start_ms >= s)
                    && end.map_or(true, |e| t.start_ms <= e)
                    && body
                        .api_ids
                        .as_ref()
                        .map_or(true, |ids| ids.contains(&flow.api_id))
            })
            .collect();
        found.sort_by_key(|(id, t)| (std::cmp::Reverse(t.start_ms), *id));
        let count = found.len();
        let tasks = found
            .into_iter()
            .skip(offset)
            .take(limit)
            .filter_map(|(id, t)| {
                let flow = flows.instances.get(&t.flow)?;
                let name = ctx.world.dir.user(flow.initiator.1).map(|u| u.name.clone());
                Some(feishu_model::fill!(UserTask {
                    task_id: Some(TaskId::from(id.as_str())),
                    task_start_time: Some(t.start_ms.to_string()),
                    workflow_instance: Some(feishu_model::fill!(WorkflowInstance {
                        id: Some(t.flow.as_str().into()),
                        label: Some(flow.label.clone()),
                        status: Some(flow.status.as_str().to_owned()),
                        extra: Default::default(),
                    })),
                    initiator: Some(feishu_model::fill!(TaskUser {
                        user_id: Some(flow.initiator.0.clone()),
                        name,
                        extra: Default::default(),
                    })),
                    summarys: Some(flow.summaries.clone()),
                    extra: Default::default(),
                }))
            })
            .collect();
        Ok(feishu_model::fill!(UserTaskQueryOutput {
            count: Some(count.to_string()),
            tasks: Some(tasks),
            extra: Default::default(),
        }))
    }
}

impl Handle for UserTaskCc {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let body = &self.body;
        let operator = apaas_user(ctx, "operator_user_id", &body.operator_user_id)?;
        let task = open_task(ctx, "task_id", &self.path.task_id)?;
        assignee(ctx, task, "operator_user_id", operator)?;
        let mut cc = Vec::new();
        for id in &body.cc_user_ids {
            cc.push(apaas_user(ctx, "cc_user_ids", id)?);
        }
        if let Some(task) = ctx.world.flows.tasks.get_mut(self.path.task_id.as_str()) {
            for user in cc {
                if !task.cc.contains(&user) {
                    task.cc.push(user);
                }
            }
        }
        Ok(Empty::default())
    }
}

impl Handle for UserTaskExpediting {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let body = &self.body;
        let operator = apaas_user(ctx, "operator_user_id", &body.operator_user_id)?;
        let task = open_task(ctx, "task_id", &self.path.task_id)?;
        let initiator = ctx
            .world
            .flows
            .instances
            .get(&task.flow)
            .map(|f| f.initiator.1);
        if initiator != Some(operator) {
            return Err(ctx.param("operator_user_id", "only the flow's initiator expedites"));
        }
        for id in &body.expediting_user_ids {
            let user = apaas_user(ctx, "expediting_user_ids", id)?;
            assignee(ctx, task, "expediting_user_ids", user)?;
        }
        if let Some(task) = ctx.world.flows.tasks.get_mut(self.path.task_id.as_str()) {
            task.reminders += 1;
        }
        Ok(Empty::default())
    }
}

impl Handle for UserTaskRollbackPoints {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<RollbackPointsOutput, Failure> {
        let operator = apaas_user(ctx, "operator_user_id", &self.body.operator_user_id)?;
        let task = open_task(ctx, "task_id", &self.path.task_id)?;
        assignee(ctx, task, "operator_user_id", operator)?;
        let tasks = task
            .rollback_points
            .iter()
            .map(|p| {
                feishu_model::fill!(RollbackPoint {
                    id: Some(TaskId::from(p.id.as_str())),
                    activity_label: Some(p.activity_label.clone()),
                    is_start: Some(p.is_start),
                    extra: Default::default(),
                })
            })
            .collect();
        Ok(feishu_model::fill!(RollbackPointsOutput {
            tasks: Some(tasks),
            extra: Default::default(),
        }))
    }
}

impl Handle for UserTaskRollback {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let body = &self.body;
        let operator = apaas_user(ctx, "operator_user_id", &body.operator_user_id)?;
        let task = open_task(ctx, "task_id", &self.path.task_id)?;
        assignee(ctx, task, "operator_user_id", operator)?;
        let point = task
            .rollback_points
            .iter()
            .find(|p| p.id == body.to_task_id.as_str())
            .ok_or_else(|| {
                ctx.param(
                    "to_task_id",
                    format!(
                        "`{}` is not a node this task may go back to",
                        body.to_task_id
                    ),
                )
            })?
            .clone();
        let flow = task.flow.clone();
        // Back at the start node the initiator has it again; at another
        // node, the task's assignees.
        let assignees = if point.is_start {
            ctx.world
                .flows
                .instances
                .get(&flow)
                .map(|f| vec![f.initiator.1])
                .unwrap_or_default()
        } else {
            task.assignees.clone()
        };
        let new_id = ctx.world.ids.numeric();
        let now = ctx.now_ms;
        let flows = &mut ctx.world.flows;
        if let Some(task) = flows.tasks.get_mut(self.path.task_id.as_str()) {
            task.done = true;
        }
        flows.tasks.insert(
            new_id,
            FlowTask {
                flow,
                activity_label: point.activity_label,
                assignees,
                cc: Vec::new(),
                start_ms: now,
                done: false,
                reminders: 0,
                rollback_points: Vec::new(),
            },
        );
        Ok(Empty::default())
    }
}

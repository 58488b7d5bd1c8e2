//! `apaas.user_tasks()`: list a user's tasks and act on one task (group chat,
//! cc, expedite, roll back).

use feishu_model::apaas::user_task::{
    UserTaskCc, UserTaskExpediting, UserTaskQuery, UserTaskQueryType, UserTaskRollback,
    UserTaskRollbackPoints, UserTaskSource,
};
use feishu_model::TaskId;
use feishu_transport::{Call, Client};

use crate::chat_group::ChatGroup;

/// The user-task endpoints (`/open-apis/apaas/v1/user_task*`), from
/// [`Apaas::user_tasks`](crate::Apaas::user_tasks).
///
/// Users are named by their aPaaS (kunlun) user id. Every call carries the
/// app's `tenant_access_token` and is limited to 100 calls a minute per
/// endpoint; the client's rate limiter (on by default) waits rather than
/// exceed that.
#[derive(Debug, Clone)]
pub struct UserTasks {
    client: Client,
}

impl UserTasks {
    pub(crate) fn new(client: Client) -> Self {
        UserTasks { client }
    }

    /// Lists the tasks of the user `kunlun_user_id`; narrow the listing with
    /// the [`QueryFilters`] setters (pending or finished, how the tasks relate
    /// to the user, a page, a time range, flow api ids).
    ///
    /// `POST /open-apis/apaas/v1/user_task/query`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/query)).
    pub fn query(&self, kunlun_user_id: impl Into<String>) -> Call<UserTaskQuery> {
        self.client.call(UserTaskQuery::new(kunlun_user_id))
    }

    /// Starts a group chat from task `task_id`, acting as `operator_user_id`.
    /// Add people with [`ChatGroup::invite`], then choose the form:
    /// [`ChatGroup::new_chat`] creates a chat with a name, and
    /// [`ChatGroup::existing_chat`] pulls the people into a chat that exists.
    ///
    /// `POST /open-apis/apaas/v1/user_tasks/:task_id/chat_group`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/chat_group)).
    pub fn chat_group(
        &self,
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
    ) -> ChatGroup {
        ChatGroup::new(self.client.clone(), task_id.into(), operator_user_id.into())
    }

    /// Copies (cc) task `task_id` to `cc_user_ids` (1 to 10 users), acting as
    /// `operator_user_id`.
    ///
    /// `POST /open-apis/apaas/v1/user_tasks/:task_id/cc`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/cc)).
    pub fn cc<I, S>(
        &self,
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        cc_user_ids: I,
    ) -> Call<UserTaskCc>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client
            .call(UserTaskCc::new(task_id, operator_user_id, cc_user_ids))
    }

    /// Nudges (expedites) the handlers `expediting_user_ids` (1 to 20 users)
    /// of task `task_id`, acting as `operator_user_id`; give a reason with
    /// [`WithOpinion::opinion`](crate::WithOpinion::opinion).
    ///
    /// `POST /open-apis/apaas/v1/user_tasks/:task_id/expediting`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/expediting)).
    pub fn expediting<I, S>(
        &self,
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        expediting_user_ids: I,
    ) -> Call<UserTaskExpediting>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.client.call(UserTaskExpediting::new(
            task_id,
            operator_user_id,
            expediting_user_ids,
        ))
    }

    /// Lists the earlier tasks task `task_id` can be rolled back to, as
    /// `operator_user_id` sees them; pass one's `id` to [`UserTasks::rollback`].
    ///
    /// `POST /open-apis/apaas/v1/user_tasks/:task_id/rollback_points`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback_points)).
    pub fn rollback_points(
        &self,
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
    ) -> Call<UserTaskRollbackPoints> {
        self.client
            .call(UserTaskRollbackPoints::new(task_id, operator_user_id))
    }

    /// Rolls task `task_id` back to the earlier task `to_task_id` (from
    /// [`UserTasks::rollback_points`]), acting as `operator_user_id` and giving
    /// `opinion` as the reason.
    ///
    /// `POST /open-apis/apaas/v1/user_tasks/:task_id/rollback`
    /// ([documentation](https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback)).
    pub fn rollback(
        &self,
        task_id: impl Into<TaskId>,
        operator_user_id: impl Into<String>,
        to_task_id: impl Into<TaskId>,
        opinion: impl Into<String>,
    ) -> Call<UserTaskRollback> {
        self.client.call(UserTaskRollback::new(
            task_id,
            operator_user_id,
            to_task_id,
            opinion,
        ))
    }
}

/// Typed filters of a [`UserTasks::query`] call. The wire carries numbers and
/// times as text; these setters take numbers. Broken rules (a `limit` outside
/// 1 to 50, more than 100 api ids) are refused before sending, naming the field.
pub trait QueryFilters: Sized {
    /// Pending or finished tasks (`type`).
    fn task_type(self, task_type: UserTaskQueryType) -> Self;
    /// How the tasks relate to the user: started by, assigned or copied to them.
    fn source(self, source: UserTaskSource) -> Self;
    /// How many tasks to return: 1 to 50.
    fn limit(self, limit: u32) -> Self;
    /// How many matching tasks to skip.
    fn offset(self, offset: u64) -> Self;
    /// Start of the time range, in milliseconds since the Unix epoch.
    fn start_time_ms(self, millis: i64) -> Self;
    /// End of the time range, in milliseconds since the Unix epoch.
    fn end_time_ms(self, millis: i64) -> Self;
    /// Only tasks of these flows (api ids; 1 to 100).
    fn api_ids<I, S>(self, api_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>;
}

impl QueryFilters for Call<UserTaskQuery> {
    fn task_type(mut self, task_type: UserTaskQueryType) -> Self {
        self.endpoint.body.task_type = Some(task_type);
        self
    }

    fn source(mut self, source: UserTaskSource) -> Self {
        self.endpoint.body.source = Some(source);
        self
    }

    fn limit(mut self, limit: u32) -> Self {
        self.endpoint.body.limit = Some(limit.to_string());
        self
    }

    fn offset(mut self, offset: u64) -> Self {
        self.endpoint.body.offset = Some(offset.to_string());
        self
    }

    fn start_time_ms(mut self, millis: i64) -> Self {
        self.endpoint.body.start_time = Some(millis.to_string());
        self
    }

    fn end_time_ms(mut self, millis: i64) -> Self {
        self.endpoint.body.end_time = Some(millis.to_string());
        self
    }

    fn api_ids<I, S>(mut self, api_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.endpoint.body.api_ids = Some(api_ids.into_iter().map(Into::into).collect());
        self
    }
}

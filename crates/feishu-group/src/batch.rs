//! Id-list writes over the per-call maximum, split into several calls whose
//! results are merged: member add/remove and manager add/delete.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use feishu_model::im::managers::{self, AddManagers, DeleteManagers};
use feishu_model::im::members::{self, AddMembers, RemoveMembers, SucceedType};
use feishu_model::{
    ChatId, Endpoint, MemberId, MemberIdType, MemberIdTypeParam, Secret, TenantKey,
};
use feishu_transport::{Error, RequestOptions};

use crate::Group;

/// An endpoint whose body is a list of member ids with a per-call maximum.
pub trait IdListWrite: Endpoint + Clone + Send + Sync {
    /// At most this many user ids per call.
    const MAX_IDS: usize;
    /// At most this many bot (app) ids per call.
    const MAX_BOT_IDS: usize;
    /// The chat written to.
    fn chat_id(&self) -> &ChatId;
    /// The id list of the body.
    fn ids_mut(&mut self) -> &mut Vec<MemberId>;
    /// How many ids the body holds.
    fn id_count(&self) -> usize;
    /// Whether the ids are app ids (bots).
    fn is_bots(&self) -> bool;
    /// Folds the output of one more call into the accumulated output.
    fn merge(total: &mut Self::Output, next: Self::Output);
}

fn extend<T>(total: &mut Option<Vec<T>>, next: Option<Vec<T>>) {
    if let Some(next) = next {
        total.get_or_insert_with(Vec::new).extend(next);
    }
}

/// Implements [`IdListWrite`] for an endpoint with `path.chat_id`,
/// `query.member_id_type` and the given id list and merge.
macro_rules! id_list_write {
    ($ty:ty, $max:expr, $max_bots:expr, |$s:ident| $ids:expr, |$r:ident| $count:expr, |$total:ident, $next:ident| $merge:block) => {
        impl IdListWrite for $ty {
            const MAX_IDS: usize = $max;
            const MAX_BOT_IDS: usize = $max_bots;
            fn chat_id(&self) -> &ChatId {
                &self.path.chat_id
            }
            fn ids_mut(&mut self) -> &mut Vec<MemberId> {
                let $s = self;
                $ids
            }
            fn id_count(&self) -> usize {
                let $r = self;
                $count
            }
            fn is_bots(&self) -> bool {
                self.query.member_id_type == Some(MemberIdType::AppId)
            }
            fn merge($total: &mut Self::Output, $next: Self::Output) $merge
        }
    };
}

id_list_write!(
    AddMembers,
    members::MAX_IDS_PER_CALL,
    members::MAX_BOT_IDS_PER_CALL,
    |s| &mut s.body.id_list,
    |r| r.body.id_list.len(),
    |total, next| {
        extend(&mut total.invalid_id_list, next.invalid_id_list);
        extend(&mut total.not_existed_id_list, next.not_existed_id_list);
        extend(
            &mut total.pending_approval_id_list,
            next.pending_approval_id_list,
        );
        total.extra.extend(next.extra);
    }
);
id_list_write!(
    RemoveMembers,
    members::MAX_IDS_PER_CALL,
    members::MAX_BOT_IDS_PER_CALL,
    |s| &mut s.body.id_list,
    |r| r.body.id_list.len(),
    |total, next| {
        extend(&mut total.invalid_id_list, next.invalid_id_list);
        total.extra.extend(next.extra);
    }
);
// The managers answer lists the managers after the call: the last one wins.
id_list_write!(
    AddManagers,
    managers::MAX_MANAGER_IDS_PER_CALL,
    managers::MAX_BOT_MANAGER_IDS_PER_CALL,
    |s| s.body.manager_ids.get_or_insert_with(Vec::new),
    |r| r.body.manager_ids.as_ref().map_or(0, Vec::len),
    |total, next| {
        *total = next;
    }
);
id_list_write!(
    DeleteManagers,
    managers::MAX_MANAGER_IDS_PER_CALL,
    managers::MAX_BOT_MANAGER_IDS_PER_CALL,
    |s| s.body.manager_ids.get_or_insert_with(Vec::new),
    |r| r.body.manager_ids.as_ref().map_or(0, Vec::len),
    |total, next| {
        *total = next;
    }
);

/// A write of any number of ids: split into calls of at most the documented
/// maximum (50 users, or 5 bots), sent one after another while holding the
/// chat's write lock, with the partial-success lists of every call merged.
///
/// If one call fails, the error is returned; the ids of earlier calls were
/// already written.
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct BatchCall<E> {
    group: Group,
    endpoint: E,
    options: RequestOptions,
}

impl<E> BatchCall<E>
where
    E: IdListWrite,
    E::Output: Default,
{
    pub(crate) fn new(group: Group, endpoint: E) -> Self {
        BatchCall {
            group,
            endpoint,
            options: RequestOptions::default(),
        }
    }

    /// Changes the endpoint's parameters in place (ids included).
    pub fn configure(mut self, f: impl FnOnce(&mut E)) -> Self {
        f(&mut self.endpoint);
        self
    }

    /// Calls as the given user (`user_access_token`).
    pub fn user_access_token(mut self, token: impl Into<Secret>) -> Self {
        self.options.user_access_token = Some(token.into());
        self
    }

    /// Acts in the given tenant (marketplace apps).
    pub fn tenant_key(mut self, tenant_key: impl Into<TenantKey>) -> Self {
        self.options.tenant_key = Some(tenant_key.into());
        self
    }

    /// How many calls the write takes.
    pub fn calls_needed(&self) -> usize {
        self.endpoint.id_count().div_ceil(self.chunk_size()).max(1)
    }

    fn chunk_size(&self) -> usize {
        if self.endpoint.is_bots() {
            E::MAX_BOT_IDS
        } else {
            E::MAX_IDS
        }
    }

    /// Sends every call and returns the merged output.
    pub async fn send(self) -> Result<E::Output, Error> {
        let size = self.chunk_size();
        let mut template = self.endpoint;
        let ids = std::mem::take(template.ids_mut());
        let _write_lock = self.group.locks.lock(template.chat_id()).await;
        let mut total = E::Output::default();
        // An empty list is still one call, so the server's answer (and the
        // model's validation) decides what it means.
        let chunks: Vec<&[MemberId]> = if ids.is_empty() {
            vec![&[]]
        } else {
            ids.chunks(size).collect()
        };
        for chunk in chunks {
            let mut call = template.clone();
            *call.ids_mut() = chunk.to_vec();
            let out = self
                .group
                .client()
                .call(call)
                .options(self.options.clone())
                .send()
                .await?;
            E::merge(&mut total, out);
        }
        Ok(total)
    }
}

impl<E> BatchCall<E>
where
    E: IdListWrite,
    E::Query: MemberIdTypeParam,
{
    /// Sets `member_id_type` (`app_id` for bots, which lowers the per-call maximum to 5).
    pub fn member_id_type(mut self, id_type: MemberIdType) -> Self {
        self.endpoint.query_params_mut().set_member_id_type(id_type);
        self
    }
}

impl BatchCall<AddMembers> {
    /// Sets `succeed_type`: what to do when some ids are unusable.
    pub fn succeed_type(mut self, succeed_type: SucceedType) -> Self {
        self.endpoint.query.succeed_type = Some(succeed_type);
        self
    }
}

impl<E> IntoFuture for BatchCall<E>
where
    E: IdListWrite + 'static,
    E::Output: Default + Send,
{
    type Output = Result<E::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

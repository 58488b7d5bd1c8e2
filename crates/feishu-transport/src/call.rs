//! [`Call`]: one endpoint value plus its request options, bound to a client.
//! It is the one way to call the API: domain crates hand these out from
//! their service handles and add typed setters, and [`Client::call`] makes
//! one for any endpoint value.
//!
//! A call owns a clone of its [`Client`] (an `Arc`), so its future can be
//! spawned and a stream made from it can outlive the handle that made it.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use feishu_model::{
    Endpoint, MemberIdType, MemberIdTypeParam, Secret, TenantKey, UserIdType, UserIdTypeParam,
};

use crate::client::{Client, Full, Output, Response};
use crate::credentials::RequestOptions;
use crate::error::Error;

/// A prepared call: `.await` it (or call [`Call::send`]) to execute.
///
/// ```
/// # #[cfg(feature = "test-util")]
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use std::future::IntoFuture;
/// use std::sync::Arc;
/// use feishu_model::im::chat::GetChat;
/// use feishu_transport::{Client, ScriptedTransport};
///
/// let transport = Arc::new(ScriptedTransport::new());
/// transport.push_json(200, &serde_json::json!({"code": 0, "msg": "ok", "data": {"name": "ops"}}));
/// let client = Client::builder().static_tenant_token("t-1").transport(transport).build().unwrap();
/// // The call owns its client: it can run on another task.
/// let task = tokio::spawn(client.call(GetChat::new("oc_1")).into_future());
/// let chat = task.await.unwrap().unwrap();
/// assert_eq!(chat.name.as_deref(), Some("ops"));
/// # });
/// ```
#[derive(Clone)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<E> {
    client: Client,
    /// The endpoint value: every documented parameter.
    pub endpoint: E,
    /// Identity, tenant and extra headers of this call.
    pub options: RequestOptions,
}

impl<E: std::fmt::Debug> std::fmt::Debug for Call<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("endpoint", &self.endpoint)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<E: Endpoint + Send + Sync> Call<E> {
    /// A call of `endpoint` on `client` with default options.
    pub fn new(client: Client, endpoint: E) -> Self {
        Call {
            client,
            endpoint,
            options: RequestOptions::default(),
        }
    }

    /// The client this call goes through.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Changes the endpoint's parameters in place.
    pub fn configure(mut self, f: impl FnOnce(&mut E)) -> Self {
        f(&mut self.endpoint);
        self
    }

    /// Replaces the request options.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
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

    /// Ends the whole call (limiter wait, token, attempts, backoff) by this
    /// deadline with [`Error::Timeout`].
    pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Uses this retry policy for this call instead of the client's.
    pub fn retry_policy(mut self, policy: crate::RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Sends the call and returns its typed output.
    // Not an `async fn`: the future that sends is returned as it is, owning
    // the call's parts, rather than wrapped in one more state machine.
    pub fn send(self) -> impl Future<Output = Result<E::Output, Error>> + Send
    where
        E::Output: Send,
    {
        Client::execute_as::<E, Output>(self.client, self.endpoint, self.options)
    }

    /// Sends the call and returns the output with its log id and status.
    pub fn send_full(self) -> impl Future<Output = Result<Response<E::Output>, Error>> + Send
    where
        E::Output: Send,
    {
        Client::execute_as::<E, Full>(self.client, self.endpoint, self.options)
    }
}

impl<E> IntoFuture for Call<E>
where
    E: Endpoint + Send + Sync + 'static,
    E::Output: Send,
{
    type Output = Result<E::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Prepares a call of `endpoint` (the call holds a clone of this client).
    pub fn call<E: Endpoint + Send + Sync>(&self, endpoint: E) -> Call<E> {
        Call::new(self.clone(), endpoint)
    }
}

impl<E> Call<E>
where
    E: Endpoint + Send + Sync,
    E::Query: UserIdTypeParam,
{
    /// Sets `user_id_type`: the kind of user id in the request and response.
    pub fn user_id_type(mut self, id_type: UserIdType) -> Self {
        self.endpoint.query_params_mut().set_user_id_type(id_type);
        self
    }
}

impl<E> Call<E>
where
    E: Endpoint + Send + Sync,
    E::Query: MemberIdTypeParam,
{
    /// Sets `member_id_type`: the kind of member id in the request and response.
    pub fn member_id_type(mut self, id_type: MemberIdType) -> Self {
        self.endpoint.query_params_mut().set_member_id_type(id_type);
        self
    }
}

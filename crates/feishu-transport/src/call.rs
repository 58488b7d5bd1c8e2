//! [`Call`]: one endpoint value plus its request options, bound to a client.
//! Domain crates hand these out from their service handles and add typed
//! setters; sending always goes through [`Client::execute`].

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use feishu_model::{
    Endpoint, MemberIdType, MemberIdTypeParam, Secret, TenantKey, UserIdType, UserIdTypeParam,
};

use crate::client::{Client, Response};
use crate::credentials::RequestOptions;
use crate::error::Error;

/// A prepared call: `.await` it (or call [`Call::send`]) to execute.
#[derive(Debug, Clone)]
#[must_use = "a call does nothing until it is awaited or sent"]
pub struct Call<'c, E> {
    client: &'c Client,
    /// The endpoint value: every documented parameter.
    pub endpoint: E,
    /// Identity, tenant and extra headers of this call.
    pub options: RequestOptions,
}

impl<'c, E: Endpoint + Send + Sync> Call<'c, E> {
    /// A call of `endpoint` on `client` with default options.
    pub fn new(client: &'c Client, endpoint: E) -> Self {
        Call {
            client,
            endpoint,
            options: RequestOptions::default(),
        }
    }

    /// The client this call goes through.
    pub fn client(&self) -> &'c Client {
        self.client
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

    /// Sends the call and returns its typed output.
    pub async fn send(self) -> Result<E::Output, Error> {
        self.client.execute(&self.endpoint, &self.options).await
    }

    /// Sends the call and returns the output with its log id and status.
    pub async fn send_full(self) -> Result<Response<E::Output>, Error> {
        self.client
            .execute_full(&self.endpoint, &self.options)
            .await
    }
}

impl<'c, E> IntoFuture for Call<'c, E>
where
    E: Endpoint + Send + Sync + 'c,
    E::Output: Send,
{
    type Output = Result<E::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'c>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl Client {
    /// Prepares a call of `endpoint`.
    pub fn call<E: Endpoint + Send + Sync>(&self, endpoint: E) -> Call<'_, E> {
        Call::new(self, endpoint)
    }
}

impl<E> Call<'_, E>
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

impl<E> Call<'_, E>
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

//! [`ContentCall`]: a call whose typed content is checked when it is built
//! (a refusal is returned when it is awaited, before anything is sent), and
//! whose attempts may each wait for a send slot of its receiver.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use feishu_model::im::content::MessageContent;
use feishu_model::im::msg_type::MsgType;
use feishu_model::{Endpoint, Invalid, Secret, TenantKey};
use feishu_transport::{Call, Error, Rejection, RetryPolicy};

/// A call with typed content: `.await` it to send.
///
/// Content that breaks a documented rule (a text over 150 KB, a post or
/// card over 30 KB) makes the call fail with [`Error::Rejected`] naming the
/// limit, without sending. Every parameter of the endpoint stays reachable
/// through [`ContentCall::configure`].
#[must_use = "a call does nothing until it is awaited"]
pub struct ContentCall<E> {
    pub(crate) call: Call<E>,
    pub(crate) invalid: Option<Invalid>,
}

impl<E: std::fmt::Debug> std::fmt::Debug for ContentCall<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentCall")
            .field("call", &self.call)
            .field("invalid", &self.invalid)
            .finish_non_exhaustive()
    }
}

/// The content string of `content`, checked against the documented size
/// of its kind; an empty string with the refusal when it breaks one.
pub(crate) fn checked(content: &MessageContent) -> (MsgType, String, Option<Invalid>) {
    match content.to_checked_content() {
        Ok(text) => (content.msg_type(), text, None),
        Err(invalid) => (content.msg_type(), String::new(), Some(invalid)),
    }
}

impl<E: Endpoint + Send + Sync> ContentCall<E> {
    pub(crate) fn new(call: Call<E>, invalid: Option<Invalid>) -> Self {
        ContentCall { call, invalid }
    }

    /// The endpoint value as it will be sent.
    pub fn endpoint(&self) -> &E {
        &self.call.endpoint
    }

    /// Changes the endpoint's parameters in place (every documented one).
    pub fn configure(mut self, f: impl FnOnce(&mut E)) -> Self {
        self.call = self.call.configure(f);
        self
    }

    /// Calls as the given user (`user_access_token`).
    pub fn user_access_token(mut self, token: impl Into<Secret>) -> Self {
        self.call = self.call.user_access_token(token);
        self
    }

    /// Acts in the given tenant (marketplace apps).
    pub fn tenant_key(mut self, tenant_key: impl Into<TenantKey>) -> Self {
        let tenant_key = tenant_key.into();
        if let Some(limit) = &mut self.call.options.call_limit {
            limit.key.tenant = tenant_key.as_str().to_owned();
        }
        self.call = self.call.tenant_key(tenant_key);
        self
    }

    /// Ends the whole call (limiter waits, the receiver's send slots,
    /// attempts, backoff) by this deadline with [`Error::Timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call = self.call.timeout(timeout);
        self
    }

    /// Uses this retry policy for this call instead of the client's.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.call = self.call.retry_policy(policy);
        self
    }

    /// The underlying call (a send's carries its receiver's budget in
    /// [`RequestOptions::call_limit`](feishu_transport::RequestOptions)),
    /// or the refusal of its content.
    pub fn into_call(self) -> Result<Call<E>, Error> {
        match self.invalid {
            Some(invalid) => Err(Error::Rejected {
                operation: E::OPERATION,
                reason: Rejection::Invalid(invalid),
            }),
            None => Ok(self.call),
        }
    }
}

impl<E> IntoFuture for ContentCall<E>
where
    E: Endpoint + Send + Sync + 'static,
    E::Output: Send,
{
    type Output = Result<E::Output, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.into_call()?.send().await })
    }
}

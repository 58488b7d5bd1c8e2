//! The [`Client`]: one pipeline every call goes through.
//!
//! build → rate-limit → attach token → send → decode → classify → retry or return.

use std::borrow::Borrow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use feishu_model::{Endpoint, Secret};

use crate::credentials::{AppTicketStore, RequestOptions, Tickets};
use crate::decode::{decode_boxed, log_id_of};
use crate::error::{Error, Rejection};
use crate::interceptor::Interceptor;
use crate::pipeline::{request_spec, Pipe};
use crate::ratelimit::Limiter;
use crate::retry::RetryPolicy;
use crate::token::TokenProvider;
use crate::transport::HttpResponse;

mod attempts;
mod builder;
mod prepare;

pub use builder::ClientBuilder;
use prepare::choose_auth;

/// A Feishu API client. Cheap to clone: clones share the connection pool,
/// token cache and rate limiter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    pipe: Pipe,
    tokens: Arc<dyn TokenProvider>,
    tickets: Tickets,
    app_id: String,
    retry: RetryPolicy,
    limiter: Option<Arc<dyn Limiter>>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    timeout: Option<Duration>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.pipe.base_url)
            .field("app_id", &self.inner.app_id)
            .field("transport", &self.inner.pipe.transport)
            .field("tokens", &self.inner.tokens)
            .field("retry", &self.inner.retry)
            .field("rate_limiting", &self.inner.limiter.is_some())
            .field("interceptors", &self.inner.interceptors)
            .finish()
    }
}

/// A successful call's output with what the response said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The typed output.
    pub data: T,
    /// The `x-tt-logid` header.
    pub log_id: Option<String>,
    /// The HTTP status.
    pub status: u16,
}

impl Client {
    /// A builder with the Feishu base URL, retries and rate limiting on.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL calls go to.
    pub fn base_url(&self) -> &str {
        &self.inner.pipe.base_url
    }

    /// Stores the `app_ticket` pushed to a marketplace app: at once in this
    /// process, and, when a shared [`AppTicketStore`] was configured, in that
    /// store too (in the background, on the current Tokio runtime; use
    /// [`Client::store_app_ticket`] to wait for it).
    pub fn set_app_ticket(&self, ticket: impl Into<Secret>) {
        let ticket = ticket.into();
        self.inner.tickets.local.set(ticket.clone());
        if let Some(shared) = self.inner.tickets.shared.clone() {
            match tokio::runtime::Handle::try_current() {
                Ok(handle) => {
                    handle.spawn(async move {
                        if let Err(e) = shared.set(ticket).await {
                            tracing::warn!(error = %e, "the app_ticket could not be shared; this process keeps it");
                        }
                    });
                }
                Err(_) => {
                    tracing::warn!("no Tokio runtime: the app_ticket is kept in this process only")
                }
            }
        }
    }

    /// Stores the `app_ticket` in this process and waits until the shared
    /// store (if any) has it.
    pub async fn store_app_ticket(
        &self,
        ticket: impl Into<Secret>,
    ) -> Result<(), crate::StoreError> {
        let ticket = ticket.into();
        self.inner.tickets.local.set(ticket.clone());
        match &self.inner.tickets.shared {
            Some(shared) => shared.set(ticket).await,
            None => Ok(()),
        }
    }

    /// How a [`Call`](crate::Call) is sent (and each page of a listing):
    /// returns what `R` makes of the output (moved once, out of its box).
    /// The client, endpoint and options are borrowed or owned: a call's
    /// future owns them without another state machine around this one.
    ///
    /// Only the request building and the decoding depend on the endpoint's
    /// type; the attempt loop is one function for every endpoint, so it is
    /// compiled once. It runs in its own small allocation, beside the few
    /// values prepared here for all attempts.
    pub(crate) async fn execute_as<E: Endpoint, R: Returns<E::Output>>(
        client: impl Borrow<Client>,
        endpoint: impl Borrow<E>,
        options: impl Borrow<RequestOptions>,
    ) -> Result<R::Value, Error> {
        let (client, endpoint, options) = (client.borrow(), endpoint.borrow(), options.borrow());
        let spec = request_spec(endpoint)?;
        let auth = choose_auth::<E>(options)?;
        let mut prepared =
            client.prepare((E::OPERATION, E::PATH), E::RATE_LIMIT, spec, auth, options)?;
        prepared.download = matches!(E::RESPONSE, feishu_model::ResponseShape::Binary);
        // Boxed: the output is decoded straight into its box, and the
        // pending call does not carry its size.
        let mut output: Option<Box<E::Output>> = None;
        let mut log_id = None;
        let mut decode = |response: &HttpResponse| {
            output = Some(decode_boxed::<E>(response)?);
            if R::KEEPS_LOG_ID {
                log_id = log_id_of(response).map(str::to_owned);
            }
            Ok(())
        };
        let attempts: Pin<Box<dyn Future<Output = _> + Send + '_>> =
            Box::pin(client.invoke(&prepared, &mut decode));
        let status = attempts.await?;
        match output {
            Some(data) => Ok(R::value(*data, log_id, status)),
            None => Err(Error::Rejected {
                operation: E::OPERATION,
                reason: Rejection::Config("the response was accepted but not decoded".into()),
            }),
        }
    }
}

/// What a call returns: the output alone ([`Output`]) or with what the
/// response said about it ([`Full`]).
pub(crate) trait Returns<T> {
    /// The returned value.
    type Value;
    /// Whether the value carries the log id (it is copied only then).
    const KEEPS_LOG_ID: bool;
    /// The returned value of the output, the log id and the status.
    fn value(data: T, log_id: Option<String>, status: u16) -> Self::Value;
}

/// The output alone.
pub(crate) struct Output;

impl<T> Returns<T> for Output {
    type Value = T;
    const KEEPS_LOG_ID: bool = false;
    fn value(data: T, _: Option<String>, _: u16) -> T {
        data
    }
}

/// The output in a [`Response`].
pub(crate) struct Full;

impl<T> Returns<T> for Full {
    type Value = Response<T>;
    const KEEPS_LOG_ID: bool = true;
    fn value(data: T, log_id: Option<String>, status: u16) -> Response<T> {
        Response {
            data,
            log_id,
            status,
        }
    }
}

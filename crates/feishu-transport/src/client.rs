//! The [`Client`]: one pipeline every call goes through.
//!
//! build → rate-limit → attach token → send → decode → classify → retry or return.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use bytes::Bytes;
use feishu_model::{Endpoint, RateLimit, RequestSpec, Secret, TokenKind};
use tracing::Instrument;

use crate::credentials::{
    AppCredentials, AppTicketStore, RequestOptions, Tickets, FEISHU_BASE_URL,
};
use crate::decode::{decode_response, log_id_of};
use crate::error::{Error, Rejection};
use crate::interceptor::{Attempt, Interceptor, Outcome};
use crate::pipeline::{option_headers, Pipe};
use crate::ratelimit::{LimitKey, Limiter, RateLimiter};
use crate::retry::RetryPolicy;
use crate::store::TokenStore;
use crate::token::{
    AppTokenProvider, Bearer, StaticTokenProvider, TokenProvider, SHARED_REFRESH_WITHIN,
    TOKEN_FETCH_TIMEOUT,
};
use crate::transport::{HeaderName, HeaderValue, HttpResponse, Transport};

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

/// Which token a call carries.
enum Auth {
    None,
    User(Secret),
    Provider(TokenKind),
}

fn choose_auth<E: Endpoint>(options: &RequestOptions) -> Result<Auth, Error> {
    let accepts = |k| E::TOKENS.contains(&k);
    let rejected = |given| Error::Rejected {
        operation: E::OPERATION,
        reason: Rejection::TokenKind {
            operation: E::OPERATION,
            accepted: E::TOKENS
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            given,
        },
    };
    if E::TOKENS.is_empty() {
        return Ok(Auth::None);
    }
    if let Some(user) = &options.user_access_token {
        return if accepts(TokenKind::User) {
            Ok(Auth::User(user.clone()))
        } else {
            Err(rejected(TokenKind::User))
        };
    }
    if accepts(TokenKind::Tenant) {
        Ok(Auth::Provider(TokenKind::Tenant))
    } else if accepts(TokenKind::App) {
        Ok(Auth::Provider(TokenKind::App))
    } else {
        Err(rejected(TokenKind::Tenant))
    }
}

/// What every attempt of a call shares: the endpoint's request with its
/// type erased, and what the options and the client make of it.
struct Prepared<'a> {
    operation: &'static str,
    rate_limit: RateLimit,
    spec: RequestSpec,
    auth: Auth,
    /// The bearer of a user access token given in the options.
    user: Option<Bearer>,
    tenant: Option<&'a str>,
    body: Option<Bytes>,
    repeatable: bool,
    extra: Vec<(HeaderName, HeaderValue)>,
    retry: &'a RetryPolicy,
    key: Option<LimitKey>,
    timeout: Option<Duration>,
}

/// Decodes one response into the caller's output slot, or says why not.
type Decoder<'a> = &'a mut (dyn FnMut(&HttpResponse) -> Result<(), Error> + Send);

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

    /// Calls `endpoint` and returns its typed output.
    pub async fn execute<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<E::Output, Error> {
        self.execute_full(endpoint, options).await.map(|r| r.data)
    }

    /// Calls `endpoint` and returns its typed output with the log id and status.
    ///
    /// Only the request building and the decoding depend on the endpoint's
    /// type; the attempt loop is one function for every endpoint, so it is
    /// compiled once. It runs in its own small allocation, beside the few
    /// values prepared here for all attempts.
    pub async fn execute_full<E: Endpoint>(
        &self,
        endpoint: &E,
        options: &RequestOptions,
    ) -> Result<Response<E::Output>, Error> {
        let spec = endpoint.to_request().map_err(|e| Error::Rejected {
            operation: E::OPERATION,
            reason: Rejection::Invalid(e),
        })?;
        let auth = choose_auth::<E>(options)?;
        let prepared = self.prepare(E::OPERATION, E::RATE_LIMIT, spec, auth, options)?;
        // Boxed: the output is written once, at the end, and the pending
        // call does not carry its size.
        let mut output: Option<Box<E::Output>> = None;
        let mut decode = |response: &HttpResponse| {
            output = Some(Box::new(decode_response::<E>(response)?));
            Ok(())
        };
        let attempts: Pin<Box<dyn Future<Output = _> + Send + '_>> =
            Box::pin(self.run(&prepared, &mut decode));
        let (log_id, status) = attempts.await?;
        match output {
            Some(data) => Ok(Response {
                data: *data,
                log_id,
                status,
            }),
            None => Err(Error::Rejected {
                operation: E::OPERATION,
                reason: Rejection::Config("the response was accepted but not decoded".into()),
            }),
        }
    }

    /// What every attempt of a call shares, built once.
    fn prepare<'a>(
        &'a self,
        operation: &'static str,
        rate_limit: RateLimit,
        mut spec: RequestSpec,
        auth: Auth,
        options: &'a RequestOptions,
    ) -> Result<Prepared<'a>, Error> {
        let inner = &*self.inner;
        // The body moves out of the spec: every attempt shares it without a copy.
        let body = spec.body.take().map(Bytes::from);
        let tenant = options.tenant_key.as_ref().map(|t| t.as_str());
        let user = match &auth {
            Auth::User(token) => Some(Bearer::new(token.clone())?),
            _ => None,
        };
        Ok(Prepared {
            operation,
            rate_limit,
            tenant,
            body,
            repeatable: spec.idempotent || spec.idempotency_key.is_some(),
            extra: option_headers(operation, options)?,
            retry: options.retry.as_ref().unwrap_or(&inner.retry),
            // Built once per call, and only when the limiter is on.
            key: inner.limiter.as_ref().map(|_| LimitKey {
                operation,
                app: inner.app_id.clone(),
                tenant: tenant.unwrap_or_default().to_owned(),
            }),
            timeout: options.timeout.or(inner.timeout),
            spec,
            auth,
            user,
        })
    }

    /// The call's span and overall deadline around its attempts.
    async fn run(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
    ) -> Result<(Option<String>, u16), Error> {
        let span = tracing::info_span!(
            "feishu.call",
            operation = call.operation,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            log_id = tracing::field::Empty,
        );
        match call.timeout {
            None => self.attempts(call, decode, None).instrument(span).await,
            Some(limit) => {
                // Boxed, so calls without a deadline do not carry the timer.
                let deadline = Instant::now() + limit;
                let bounded = Box::pin(tokio::time::timeout(
                    limit,
                    self.attempts(call, decode, Some(deadline)),
                ));
                bounded
                    .instrument(span)
                    .await
                    .unwrap_or(Err(Error::Timeout {
                        operation: call.operation,
                        after: limit,
                    }))
            }
        }
    }

    /// Sends the prepared request until it succeeds or the retry policy
    /// stops: token, limiter, interceptors, exchange, decode, classification.
    async fn attempts(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
        deadline: Option<Instant>,
    ) -> Result<(Option<String>, u16), Error> {
        let inner = &*self.inner;
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempt", attempt);
            let bearer = match &call.auth {
                Auth::None => None,
                Auth::User(_) => call.user.clone(),
                Auth::Provider(kind) => match fetch_bearer(&inner.tokens, *kind, call.tenant).await
                {
                    Ok(b) => Some(b),
                    Err(error) => match retry_delay(call.retry, attempt, &error, true, deadline) {
                        Some(delay) => {
                            Box::pin(tokio::time::sleep(delay)).await;
                            continue;
                        }
                        None => return Err(error),
                    },
                },
            };
            // Admitted right before sending, so a slow token fetch cannot
            // bunch calls admitted earlier with the next window's.
            if let (Some(limiter), Some(key)) = (&inner.limiter, &call.key) {
                limiter.acquire(key, call.rate_limit).await;
            }
            let this = Attempt {
                operation: call.operation,
                attempt,
                tenant_key: call.tenant,
            };
            // The request moves into the transport's future at once: it is
            // not kept beside it while the exchange is awaited.
            let exchange = {
                let mut request = inner.pipe.http_request(
                    &call.spec,
                    call.body.clone(),
                    bearer.as_ref().map(|b| b.header.clone()),
                    &call.extra,
                )?;
                for hook in &inner.interceptors {
                    hook.before_attempt(&this, &mut request);
                }
                inner.pipe.exchange(call.operation, request)
            };
            let started = std::time::Instant::now();
            let mut seen: (Option<u16>, Option<String>) = (None, None);
            let result = match exchange.await {
                Ok(response) => {
                    let span = tracing::Span::current();
                    let status = response.status().as_u16();
                    span.record("status", status);
                    let log_id = log_id_of(&response).map(str::to_owned);
                    if let Some(id) = &log_id {
                        span.record("log_id", id.as_str());
                    }
                    if !inner.interceptors.is_empty() {
                        seen = (Some(status), log_id.clone());
                    }
                    decode(&response).map(|()| (log_id, status))
                }
                Err(e) => Err(e),
            };
            if !inner.interceptors.is_empty() {
                let outcome = Outcome {
                    status: seen.0,
                    log_id: seen.1.as_deref(),
                    latency: started.elapsed(),
                    error: result.as_ref().err(),
                };
                for hook in &inner.interceptors {
                    hook.after_attempt(&this, &outcome);
                }
            }
            let error = match result {
                Ok(response) => return Ok(response),
                Err(e) => e,
            };
            tracing::debug!(attempt, error = %error, "call failed");
            if error.is_rate_limited() {
                if let (Some(limiter), Some(key)) = (&inner.limiter, &call.key) {
                    let reset = error.retry_after().unwrap_or(Duration::from_secs(1));
                    limiter.blocked(key, reset).await;
                }
            }
            if let (Auth::Provider(kind), Some(stale)) = (&call.auth, &bearer) {
                if error.is_app_token_invalid() {
                    // A fixed token cannot be replaced: resending it would
                    // only be rejected again.
                    if refreshed || !inner.tokens.can_refresh() {
                        return Err(rejected_token(*kind, error));
                    }
                    refreshed = true;
                    inner
                        .tokens
                        .invalidate(*kind, call.tenant, &stale.token)
                        .await;
                    attempt -= 1;
                    continue;
                }
            }
            match retry_delay(call.retry, attempt, &error, call.repeatable, deadline) {
                // Boxed: only a retry pays for the timer.
                Some(delay) => Box::pin(tokio::time::sleep(delay)).await,
                None => return Err(error),
            }
        }
    }
}

/// The token for a call: the provider's fresh token at once, else a fetch
/// that runs on its own task. A caller whose deadline passes stops waiting,
/// but the fetch goes on and fills the cache for the callers queued behind
/// it, so a slow token endpoint costs one fetch, not one per deadline.
async fn fetch_bearer(
    tokens: &Arc<dyn TokenProvider>,
    kind: TokenKind,
    tenant: Option<&str>,
) -> Result<Bearer, Error> {
    if let Some(bearer) = tokens.peek(kind, tenant) {
        return Ok(bearer);
    }
    let (tokens, tenant) = (tokens.clone(), tenant.map(str::to_owned));
    let task = tokio::spawn(async move { tokens.bearer(kind, tenant.as_deref()).await });
    match task.await {
        Ok(result) => result,
        Err(e) => Err(Error::Auth {
            token: kind,
            code: None,
            msg: format!("the token fetch stopped: {e}"),
            log_id: None,
            cause: None,
        }),
    }
}

/// The retry policy's delay, unless sleeping it would pass the deadline (the
/// error is then returned at once, rather than a timeout later).
fn retry_delay(
    policy: &RetryPolicy,
    attempt: u32,
    error: &Error,
    repeatable: bool,
    deadline: Option<Instant>,
) -> Option<Duration> {
    let delay = policy.decide(attempt, error, repeatable)?;
    match deadline {
        Some(d) if Instant::now() + delay >= d => None,
        _ => Some(delay),
    }
}

/// The server rejected a token that cannot be replaced (or was just
/// replaced): not retryable, the server's answer kept as the cause.
fn rejected_token(kind: TokenKind, error: Error) -> Error {
    Error::Auth {
        token: kind,
        code: error.code(),
        msg: "the server rejected the access token, and the token provider cannot replace it"
            .into(),
        log_id: error.log_id().map(str::to_owned),
        cause: Some(Box::new(error)),
    }
}

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    credentials: Option<AppCredentials>,
    tokens: Option<Arc<dyn TokenProvider>>,
    tickets: Tickets,
    token_store: Option<(Arc<dyn TokenStore>, Duration)>,
    retry: Option<RetryPolicy>,
    rate_limiting: Option<bool>,
    limiter: Option<Arc<dyn Limiter>>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    timeout: Option<Duration>,
    token_fetch_timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API host: [`FEISHU_BASE_URL`] (default), [`crate::LARK_BASE_URL`], or any URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The transport (default: [`crate::ReqwestTransport`] when the `reqwest` feature is on).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// App credentials; tokens are then fetched and cached automatically.
    pub fn credentials(mut self, credentials: AppCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A fixed tenant_access_token instead of app credentials.
    pub fn static_tenant_token(mut self, token: impl Into<Secret>) -> Self {
        self.tokens = Some(Arc::new(StaticTokenProvider::tenant(token)));
        self
    }

    /// A custom token provider (overrides credentials-based fetching).
    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.tokens = Some(provider);
        self
    }

    /// A store for the marketplace `app_ticket`, shared with an event
    /// handler (a [`crate::MemoryTicketStore`]) or with other processes.
    pub fn app_ticket_store(mut self, store: impl AppTicketStore + 'static) -> Self {
        self.tickets.shared = Some(Arc::new(store));
        self
    }

    /// A shared store behind the in-process token cache (with app
    /// credentials): processes of one app then share their tokens, one
    /// process fetching while the others wait and read. Stored tokens are
    /// refreshed once they have [`SHARED_REFRESH_WITHIN`] left.
    pub fn token_store(self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store_refreshing_within(store, SHARED_REFRESH_WITHIN)
    }

    /// Like [`ClientBuilder::token_store`], refreshing stored tokens once
    /// they have `refresh_within` left (keep it inside the last 30 minutes,
    /// when the platform hands out a new token).
    pub fn token_store_refreshing_within(
        mut self,
        store: Arc<dyn TokenStore>,
        refresh_within: Duration,
    ) -> Self {
        self.token_store = Some((store, refresh_within));
        self
    }

    /// The retry policy (default: 3 attempts, exponential backoff with jitter).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Turns the client-side rate limiter on (default) or off.
    pub fn rate_limiting(mut self, on: bool) -> Self {
        self.rate_limiting = Some(on);
        self
    }

    /// The rate limiter (default: an in-process [`RateLimiter`]); for
    /// example one that shares the budget among processes. Turns rate
    /// limiting on.
    pub fn rate_limiter(mut self, limiter: Arc<dyn Limiter>) -> Self {
        self.limiter = Some(limiter);
        self.rate_limiting = Some(true);
        self
    }

    /// The default deadline of every call (limiter wait, token, attempts and
    /// backoff included); a call's own [`RequestOptions::timeout`] wins.
    /// Default: none (each exchange is still bounded by the transport's
    /// timeouts).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time limit of one token fetch, its retries included (default
    /// 15 s).
    pub fn token_fetch_timeout(mut self, timeout: Duration) -> Self {
        self.token_fetch_timeout = Some(timeout);
        self
    }

    /// Adds an interceptor: its hooks run around every attempt of every call,
    /// in the order interceptors were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        let pipe = Pipe {
            transport,
            base_url: Arc::from(
                self.base_url
                    .as_deref()
                    .unwrap_or(FEISHU_BASE_URL)
                    .trim_end_matches('/'),
            ),
        };
        let app_id = self
            .credentials
            .as_ref()
            .map(|c| c.app_id.as_str().to_owned())
            .unwrap_or_default();
        let tokens: Arc<dyn TokenProvider> = match (self.tokens, self.credentials) {
            (Some(t), _) => t,
            (None, Some(c)) => {
                let provider = AppTokenProvider::new(
                    c,
                    self.tickets.clone(),
                    pipe.clone(),
                    self.retry.clone().unwrap_or_default(),
                    self.token_fetch_timeout.unwrap_or(TOKEN_FETCH_TIMEOUT),
                );
                Arc::new(match self.token_store {
                    Some((store, within)) => provider.with_store(store, within),
                    None => provider,
                })
            }
            (None, None) => {
                return Err(Error::Rejected {
                    operation: "client.build",
                    reason: Rejection::Config(
                        "set app credentials, a static token or a token provider".into(),
                    ),
                })
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                pipe,
                tokens,
                tickets: self.tickets,
                app_id,
                retry: self.retry.unwrap_or_default(),
                limiter: match (self.rate_limiting.unwrap_or(true), self.limiter) {
                    (false, _) => None,
                    (true, Some(limiter)) => Some(limiter),
                    (true, None) => Some(Arc::new(RateLimiter::new()) as Arc<dyn Limiter>),
                },
                interceptors: self.interceptors,
                timeout: self.timeout,
            }),
        })
    }
}

#[cfg(feature = "reqwest")]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    crate::ReqwestTransport::new()
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|source| Error::Transport {
            operation: "client.build",
            source,
        })
}

#[cfg(not(feature = "reqwest"))]
fn default_transport() -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Rejected {
        operation: "client.build",
        reason: Rejection::Config("no transport set and the `reqwest` feature is off".into()),
    })
}

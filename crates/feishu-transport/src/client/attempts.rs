//! One call's attempts: what they share, the loop that sends and classifies,
//! and the token, retry and rejection helpers it uses.

use std::sync::Arc;
use std::time::Duration;

use tokio::time::Instant;

use bytes::Bytes;
use feishu_model::{Endpoint, RateLimit, RequestSpec, Secret, TokenKind};
use tracing::Instrument;

use super::Client;
use crate::credentials::RequestOptions;
use crate::decode::log_id_of;
use crate::error::{Error, Rejection};
use crate::interceptor::{Attempt, Interceptor, Outcome};
use crate::pipeline::option_headers;
use crate::ratelimit::LimitKey;
use crate::retry::RetryPolicy;
use crate::token::{Bearer, TokenProvider};
use crate::transport::{HeaderName, HeaderValue, HttpResponse};

/// Which token a call carries.
pub(super) enum Auth {
    None,
    User(Secret),
    Provider(TokenKind),
}

pub(super) fn choose_auth<E: Endpoint>(options: &RequestOptions) -> Result<Auth, Error> {
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
pub(super) struct Prepared<'a> {
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
pub(super) type Decoder<'a> = &'a mut (dyn FnMut(&HttpResponse) -> Result<(), Error> + Send);

impl Client {
    /// What every attempt of a call shares, built once.
    pub(super) fn prepare<'a>(
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
    pub(super) async fn run(&self, call: &Prepared<'_>, decode: Decoder<'_>) -> Result<u16, Error> {
        let span = tracing::info_span!(
            "feishu.call",
            operation = call.operation,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            log_id = tracing::field::Empty,
        );
        // The attempts record on the span they are given: looking the
        // current span up would cost a thread-local access per record.
        let recorder = span.clone();
        match call.timeout {
            None => {
                self.attempts(call, decode, None, recorder)
                    .instrument(span)
                    .await
            }
            Some(limit) => {
                // Boxed, so calls without a deadline do not carry the timer.
                let deadline = Instant::now() + limit;
                let bounded = Box::pin(tokio::time::timeout(
                    limit,
                    self.attempts(call, decode, Some(deadline), recorder),
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
        span: tracing::Span,
    ) -> Result<u16, Error> {
        let inner = &*self.inner;
        let mut attempt = 0u32;
        let mut refreshed = false;
        loop {
            attempt += 1;
            span.record("attempt", attempt);
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
            let watched = !inner.interceptors.is_empty();
            // Read only for interceptors: a clock read per attempt otherwise.
            let started = watched.then(std::time::Instant::now);
            let mut seen: (Option<u16>, Option<String>) = (None, None);
            let result = match exchange.await {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let recorded = !span.is_disabled();
                    // Looked up once, and only when something reads it.
                    let log_id = (recorded || watched)
                        .then(|| log_id_of(&response))
                        .flatten();
                    if recorded {
                        span.record("status", status);
                        if let Some(id) = log_id {
                            span.record("log_id", id);
                        }
                    }
                    if watched {
                        seen = (Some(status), log_id.map(str::to_owned));
                    }
                    decode(&response).map(|()| status)
                }
                Err(e) => Err(e),
            };
            if let Some(started) = started {
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

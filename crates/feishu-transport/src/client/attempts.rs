//! One call's attempts, as named steps read top-down:
//!
//! - `invoke`: the call's span and overall deadline;
//! - `attempts`: attempt after attempt until one succeeds or a failure ends
//!   the call;
//! - `try_attempt`: `authorize` (the token), `admit` (the call's own
//!   budget, then the rate limiter),
//!   then `send_once`, which hands the request to the transport, has
//!   `classify` read the response and tells the interceptors how it went
//!   (`finally_attempt`);
//! - `after_failure`: what a failed attempt leads to: a retry after a delay,
//!   a resend with a refreshed token, or the error.
//!
//! None of these depend on the endpoint's type: they are compiled once.

use std::sync::Arc;
use std::time::Duration;

use feishu_model::TokenKind;
use tokio::time::Instant;
use tracing::Instrument;

use super::prepare::{Auth, Decoder, Prepared};
use super::Client;
use crate::decode::log_id_of;
use crate::error::Error;
use crate::interceptor::{Attempt, Interceptor, Outcome};
use crate::token::{Bearer, TokenProvider};
use crate::transport::HttpResponse;

/// Why an attempt did not succeed.
enum Failed {
    /// No token could be had: nothing was sent.
    Token(Error),
    /// The request could not be built: no attempt would do better.
    Unsendable(Error),
    /// The exchange or the response failed, with the token the request carried.
    Sent {
        error: Error,
        bearer: Option<Bearer>,
    },
}

/// What comes after a failed attempt.
enum Next {
    /// The next attempt, after this delay.
    Retry(Duration),
    /// The same attempt again at once, with a refreshed token.
    Resend,
    /// The call ends with this error.
    Return(Error),
}

/// What an attempt's response said, kept for the interceptors.
#[derive(Default)]
struct Seen {
    status: Option<u16>,
    log_id: Option<String>,
}

impl Client {
    /// Runs a prepared call: its attempts inside the call's span, bounded by
    /// its overall deadline when it has one. Returns the HTTP status of the
    /// response that was decoded.
    // With the metrics off, `result` is returned as it is bound.
    #[allow(clippy::let_and_return)]
    pub(super) async fn invoke(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
    ) -> Result<u16, Error> {
        let span = tracing::info_span!(
            "feishu.call",
            otel.name = %format_args!("{} {}", call.spec.method, call.template),
            otel.kind = "client",
            http.request.method = call.spec.method.as_str(),
            server.address = self.inner.pipe.server_address(),
            url.template = call.template,
            feishu.operation = call.operation,
            feishu.attempt = tracing::field::Empty,
            http.response.status_code = tracing::field::Empty,
            feishu.log_id = tracing::field::Empty,
            "error.type" = tracing::field::Empty,
        );
        // The attempts record on the span they are given: looking the
        // current span up would cost a thread-local access per record.
        let recorder = span.clone();
        #[cfg(feature = "metrics")]
        let started = Instant::now();
        let result = match call.timeout {
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
                match bounded.instrument(span.clone()).await {
                    Ok(result) => result,
                    Err(_) => {
                        let error = Error::Timeout {
                            operation: call.operation,
                            after: limit,
                        };
                        span.record("error.type", error.kind());
                        Err(error)
                    }
                }
            }
        };
        #[cfg(feature = "metrics")]
        crate::telemetry::call_finished(call.operation, &result, started.elapsed());
        result
    }

    /// Attempt after attempt until one succeeds or a failure ends the call.
    /// A resend with a refreshed token keeps its attempt's number.
    async fn attempts(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
        deadline: Option<Instant>,
        span: tracing::Span,
    ) -> Result<u16, Error> {
        let mut attempt = 1u32;
        let mut refreshed = false;
        loop {
            span.record("feishu.attempt", attempt);
            let failed = match self.try_attempt(call, decode, attempt, &span).await {
                Ok(status) => return Ok(status),
                Err(failed) => failed,
            };
            match self
                .after_failure(call, failed, attempt, &mut refreshed, deadline)
                .await
            {
                Next::Retry(delay) => {
                    // Boxed: only a retry pays for the timer.
                    Box::pin(tokio::time::sleep(delay)).await;
                    attempt += 1;
                }
                Next::Resend => {}
                Next::Return(error) => {
                    span.record("error.type", error.kind());
                    return Err(error);
                }
            }
        }
    }

    /// One attempt: a token, a place in the rate limit, one exchange.
    async fn try_attempt(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
        attempt: u32,
        span: &tracing::Span,
    ) -> Result<u16, Failed> {
        let bearer = self.authorize(call).await.map_err(Failed::Token)?;
        // Admitted right before sending, so a slow token fetch cannot
        // bunch calls admitted earlier with the next window's.
        self.admit(call).await;
        self.send_once(call, decode, attempt, bearer, span).await
    }

    /// The token the request carries: none, the user's, or the provider's.
    async fn authorize(&self, call: &Prepared<'_>) -> Result<Option<Bearer>, Error> {
        match &call.auth {
            Auth::None => Ok(None),
            Auth::User(_) => Ok(call.user.clone()),
            Auth::Provider(kind) => fetch_bearer(&self.inner.tokens, *kind, call.tenant)
                .await
                .map(Some),
        }
    }

    /// Waits for the call's own budget (every attempt takes a place in
    /// it), then for the rate limiter's go-ahead, when the limiter is on.
    async fn admit(&self, call: &Prepared<'_>) {
        if let Some(own) = call.call_limit {
            own.limiter.acquire(&own.key, own.limit).await;
        }
        if let (Some(limiter), Some(key)) = (&self.inner.limiter, &call.key) {
            #[cfg(feature = "metrics")]
            let started = Instant::now();
            limiter.acquire(key, call.rate_limit).await;
            #[cfg(feature = "metrics")]
            crate::telemetry::limiter_waited(call.operation, started.elapsed());
        }
    }

    /// Builds the request with `bearer`, lets the interceptors see it, sends
    /// it once and classifies the response; the interceptors then hear how
    /// the attempt ended.
    async fn send_once(
        &self,
        call: &Prepared<'_>,
        decode: Decoder<'_>,
        attempt: u32,
        bearer: Option<Bearer>,
        span: &tracing::Span,
    ) -> Result<u16, Failed> {
        let inner = &*self.inner;
        let this = Attempt {
            operation: call.operation,
            attempt,
            tenant_key: call.tenant,
        };
        // The request moves into the transport's future at once: it is not
        // kept beside it while the exchange is awaited.
        let exchange = {
            let mut request = inner
                .pipe
                .http_request(
                    &call.spec,
                    call.body.clone(),
                    bearer.as_ref().map(|b| b.header.clone()),
                    &call.extra,
                )
                .map_err(Failed::Unsendable)?;
            if call.download {
                request
                    .extensions_mut()
                    .insert(crate::transport::ExpectDownload);
            }
            for hook in &inner.interceptors {
                hook.before_attempt(&this, &mut request);
            }
            inner.pipe.exchange(call.operation, request)
        };
        let watched = !inner.interceptors.is_empty();
        // Read only for interceptors and metrics: a clock read per attempt
        // otherwise.
        let started = (watched || cfg!(feature = "metrics")).then(std::time::Instant::now);
        let mut seen = Seen::default();
        let result = match exchange.await {
            Ok(response) => classify(&response, decode, span, watched.then_some(&mut seen)),
            Err(e) => Err(e),
        };
        if let Some(started) = started {
            #[cfg(feature = "metrics")]
            crate::telemetry::attempt_finished(call.operation, &result, started.elapsed());
            if watched {
                finally_attempt(&inner.interceptors, &this, &seen, started, &result);
            }
        }
        result.map_err(|error| Failed::Sent { error, bearer })
    }

    /// Decides what a failed attempt leads to. A failed token fetch is
    /// retried like an idempotent request. A response refused as rate
    /// limited holds the limiter back until the reset. A provider's token the
    /// server rejected is replaced once and the attempt resent at once.
    /// Otherwise the retry policy decides, within the deadline.
    async fn after_failure(
        &self,
        call: &Prepared<'_>,
        failed: Failed,
        attempt: u32,
        refreshed: &mut bool,
        deadline: Option<Instant>,
    ) -> Next {
        let (error, bearer) = match failed {
            Failed::Token(error) => {
                #[cfg(feature = "metrics")]
                crate::telemetry::failed(call.operation, &error);
                return retry_or_return(call, attempt, error, true, deadline);
            }
            Failed::Unsendable(error) => return Next::Return(error),
            Failed::Sent { error, bearer } => (error, bearer),
        };
        tracing::debug!(attempt, error = %error, "call failed");
        let inner = &*self.inner;
        if error.is_rate_limited() {
            let reset = error.retry_after().unwrap_or(Duration::from_secs(1));
            if let (Some(limiter), Some(key)) = (&inner.limiter, &call.key) {
                limiter.blocked(key, reset).await;
            }
            if let Some(own) = call.call_limit {
                own.limiter.blocked(&own.key, reset).await;
            }
        }
        if let (Auth::Provider(kind), Some(stale)) = (&call.auth, &bearer) {
            if error.is_app_token_invalid() {
                // A fixed token cannot be replaced: resending it would only
                // be rejected again.
                if *refreshed || !inner.tokens.can_refresh() {
                    return Next::Return(rejected_token(*kind, error));
                }
                *refreshed = true;
                inner
                    .tokens
                    .invalidate(*kind, call.tenant, &stale.token)
                    .await;
                return Next::Resend;
            }
        }
        retry_or_return(call, attempt, error, call.repeatable, deadline)
    }
}

/// What the response says: its status and log id on the span (and for the
/// interceptors, when `seen` asks), and the decoded output in the caller's
/// slot or the typed error the response carries.
fn classify(
    response: &HttpResponse,
    decode: Decoder<'_>,
    span: &tracing::Span,
    seen: Option<&mut Seen>,
) -> Result<u16, Error> {
    let status = response.status().as_u16();
    let recorded = !span.is_disabled();
    // Looked up once, and only when something reads it.
    let log_id = (recorded || seen.is_some())
        .then(|| log_id_of(response))
        .flatten();
    if recorded {
        span.record("http.response.status_code", status);
        if let Some(id) = log_id {
            span.record("feishu.log_id", id);
        }
    }
    if let Some(seen) = seen {
        seen.status = Some(status);
        seen.log_id = log_id.map(str::to_owned);
    }
    decode(response).map(|()| status)
}

/// Tells every interceptor how the attempt ended.
fn finally_attempt(
    interceptors: &[Arc<dyn Interceptor>],
    this: &Attempt<'_>,
    seen: &Seen,
    started: std::time::Instant,
    result: &Result<u16, Error>,
) {
    let outcome = Outcome {
        status: seen.status,
        log_id: seen.log_id.as_deref(),
        latency: started.elapsed(),
        error: result.as_ref().err(),
    };
    for hook in interceptors {
        hook.after_attempt(this, &outcome);
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

/// A retry after the policy's delay, unless the policy stops or sleeping the
/// delay would pass the deadline (the error is then returned at once, rather
/// than a timeout later).
fn retry_or_return(
    call: &Prepared<'_>,
    attempt: u32,
    error: Error,
    repeatable: bool,
    deadline: Option<Instant>,
) -> Next {
    let Some(delay) = call.retry.decide(attempt, &error, repeatable) else {
        return Next::Return(error);
    };
    match deadline {
        Some(d) if Instant::now() + delay >= d => Next::Return(error),
        _ => {
            #[cfg(feature = "metrics")]
            crate::telemetry::retried(call.operation, &error);
            Next::Retry(delay)
        }
    }
}

/// The server rejected a token that cannot be replaced (or was just
/// replaced): not retryable, the server's answer kept as the cause.
fn rejected_token(kind: TokenKind, error: Error) -> Error {
    Error::Auth {
        token: kind,
        code: error.code(),
        msg: match error.http_status() {
            Some(status) => format!(
                "the server rejected the access token (HTTP {status}), and the token provider cannot replace it"
            ),
            None => "the server rejected the access token, and the token provider cannot replace it"
                .into(),
        },
        log_id: error.log_id().map(str::to_owned),
        cause: Some(Box::new(error)),
    }
}

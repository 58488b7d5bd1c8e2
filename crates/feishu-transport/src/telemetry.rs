//! The client's metrics, recorded through the `metrics` facade (see
//! the README's Observability section for the table). Labels are bounded: operation ids,
//! token kinds, error kinds and Feishu codes, never tenant, chat or user ids.
//! Without an installed recorder every call here is a no-op.

use std::time::Duration;

use feishu_model::TokenKind;

use crate::error::Error;

/// Calls, by operation and outcome (`ok` or the error's kind).
pub const REQUESTS_TOTAL: &str = "feishu_client_requests_total";
/// Whole-call latency (limiter wait, token, every attempt and backoff).
pub const REQUEST_DURATION_SECONDS: &str = "feishu_client_request_duration_seconds";
/// Attempts sent, by operation.
pub const ATTEMPTS_TOTAL: &str = "feishu_client_attempts_total";
/// One attempt's exchange latency, by operation.
pub const ATTEMPT_DURATION_SECONDS: &str = "feishu_client_attempt_duration_seconds";
/// Retries scheduled, by operation and the failure's kind.
pub const RETRIES_TOTAL: &str = "feishu_client_retries_total";
/// Failed attempts, by operation, error kind and Feishu code.
pub const ERRORS_TOTAL: &str = "feishu_client_errors_total";
/// Time spent waiting for the rate limiter, by operation.
pub const RATE_LIMIT_WAIT_SECONDS: &str = "feishu_client_rate_limit_wait_seconds";
/// Token fetches, by token type and outcome (`ok` or `error`).
pub const TOKEN_FETCHES_TOTAL: &str = "feishu_client_token_fetches_total";

/// The outcome label of a call's result.
fn outcome<T>(result: &Result<T, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.kind(),
    }
}

/// A finished call: its outcome and how long it took.
pub(crate) fn call_finished<T>(
    operation: &'static str,
    result: &Result<T, Error>,
    elapsed: Duration,
) {
    metrics::counter!(REQUESTS_TOTAL, "operation" => operation, "outcome" => outcome(result))
        .increment(1);
    metrics::histogram!(REQUEST_DURATION_SECONDS, "operation" => operation)
        .record(elapsed.as_secs_f64());
}

/// One attempt sent and how long its exchange took; a failure by kind and code.
pub(crate) fn attempt_finished<T>(
    operation: &'static str,
    result: &Result<T, Error>,
    elapsed: Duration,
) {
    metrics::counter!(ATTEMPTS_TOTAL, "operation" => operation).increment(1);
    metrics::histogram!(ATTEMPT_DURATION_SECONDS, "operation" => operation)
        .record(elapsed.as_secs_f64());
    if let Err(e) = result {
        failed(operation, e);
    }
}

/// A failed attempt (or a call that failed before sending), by kind and code.
pub(crate) fn failed(operation: &'static str, error: &Error) {
    let code = match error.code() {
        Some(code) => code.to_string(),
        None => String::from("none"),
    };
    metrics::counter!(
        ERRORS_TOTAL,
        "operation" => operation,
        "kind" => error.kind(),
        "code" => code
    )
    .increment(1);
}

/// A retry scheduled after `error`.
pub(crate) fn retried(operation: &'static str, error: &Error) {
    metrics::counter!(RETRIES_TOTAL, "operation" => operation, "reason" => error.kind())
        .increment(1);
}

/// Time spent in the rate limiter before an attempt.
pub(crate) fn limiter_waited(operation: &'static str, waited: Duration) {
    metrics::histogram!(RATE_LIMIT_WAIT_SECONDS, "operation" => operation)
        .record(waited.as_secs_f64());
}

/// A token fetch that went to the provider (not served from its cache).
pub(crate) fn token_fetched<T>(kind: TokenKind, result: &Result<T, Error>) {
    let outcome = if result.is_ok() { "ok" } else { "error" };
    metrics::counter!(TOKEN_FETCHES_TOTAL, "token_type" => kind.as_str(), "outcome" => outcome)
        .increment(1);
}

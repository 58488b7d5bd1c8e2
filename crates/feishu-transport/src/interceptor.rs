//! Interceptors: hooks the client runs around every attempt of every call,
//! for metrics, logging, tracing headers or request signing, without a
//! second client. Registered with [`crate::ClientBuilder::interceptor`].

use std::fmt;
use std::time::Duration;

use crate::error::Error;
use crate::transport::HttpRequest;

/// Which attempt of which call an interceptor is looking at.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// Operation id (`im.v1.chat.get`).
    pub operation: &'static str,
    /// 1 for the first attempt, 2 for the first retry, ...
    pub attempt: u32,
    /// The tenant the call acts in, when one was given.
    pub tenant_key: Option<&'a str>,
}

/// How one attempt ended.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Outcome<'a> {
    /// The HTTP status, when a response came back.
    pub status: Option<u16>,
    /// The `x-tt-logid` of the response, when there was one.
    pub log_id: Option<&'a str>,
    /// Time from handing the request to the transport to the decoded result.
    pub latency: Duration,
    /// The error of this attempt (`None`: it succeeded).
    pub error: Option<&'a Error>,
}

/// A hook around every attempt. Both methods default to doing nothing.
///
/// ```
/// use std::sync::atomic::{AtomicU32, Ordering};
/// use feishu_transport::{Attempt, HttpRequest, Interceptor, Outcome};
///
/// /// Counts failed attempts and tags every request.
/// #[derive(Debug, Default)]
/// struct Failures(AtomicU32);
///
/// impl Interceptor for Failures {
///     fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut HttpRequest) {
///         let value = format!("{}-{}", attempt.operation, attempt.attempt);
///         if let Ok(value) = value.parse() {
///             request.headers_mut().insert("x-client-attempt", value);
///         }
///     }
///     fn after_attempt(&self, _: &Attempt<'_>, outcome: &Outcome<'_>) {
///         if outcome.error.is_some() {
///             self.0.fetch_add(1, Ordering::Relaxed);
///         }
///     }
/// }
/// ```
pub trait Interceptor: Send + Sync + fmt::Debug {
    /// Runs before each attempt is sent; may add or change headers.
    fn before_attempt(&self, _attempt: &Attempt<'_>, _request: &mut HttpRequest) {}

    /// Runs after each attempt, with its response's status and log id or its
    /// error, and its latency.
    fn after_attempt(&self, _attempt: &Attempt<'_>, _outcome: &Outcome<'_>) {}
}

/// A shared interceptor: keep one handle to read what it collected and give
/// the client a clone.
impl<T: Interceptor + ?Sized> Interceptor for std::sync::Arc<T> {
    fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut HttpRequest) {
        (**self).before_attempt(attempt, request);
    }

    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        (**self).after_attempt(attempt, outcome);
    }
}

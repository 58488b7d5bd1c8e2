//! The one error type of every call.

use std::time::Duration;

use feishu_model::{codes, codes::ErrorClass, ErrorDetail, Invalid, TokenKind};

use crate::transport::{TransportError, TransportErrorKind};

/// A Feishu API error: the server answered with a non-zero `code`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// Operation id of the call.
    pub operation: &'static str,
    /// The Feishu error code.
    pub code: i64,
    /// The Feishu error message.
    pub msg: String,
    /// HTTP status of the response.
    pub http_status: u16,
    /// The `x-tt-logid` response header, for support requests.
    pub log_id: Option<String>,
    /// The `error` troubleshooting object, when the server sent one.
    pub detail: Option<ErrorDetail>,
    /// Seconds the server asked to wait (`x-ogw-ratelimit-reset`), if any.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// What a client should do about this code.
    pub fn class(&self) -> ErrorClass {
        if self.http_status == 429 {
            return ErrorClass::RateLimited;
        }
        codes::classify(self.code)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: Feishu error {}: {} (HTTP {}, x-tt-logid {})",
            self.operation,
            self.code,
            self.msg,
            self.http_status,
            self.log_id.as_deref().unwrap_or("-")
        )
    }
}

/// Why a request was refused before anything was sent.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Rejection {
    /// A parameter broke a documented rule.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The endpoint does not accept the token kind the call would carry.
    #[error("{operation} accepts {accepted}, not {given}")]
    TokenKind {
        /// Operation id.
        operation: &'static str,
        /// The kinds the endpoint accepts.
        accepted: String,
        /// The kind the call would have carried.
        given: TokenKind,
    },
    /// The client is not set up for this call (missing credentials, tenant key, ...).
    #[error("{0}")]
    Config(String),
}

/// Every way a call can fail.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server answered with a non-zero Feishu `code`.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// The server rejected the user_access_token (expired or invalid): refresh it.
    #[error("user_access_token rejected: {0}")]
    UserToken(Box<ApiError>),
    /// The server (or the last attempt) reported a rate limit.
    #[error("rate limited: {0}")]
    RateLimited(Box<ApiError>),
    /// A non-2xx HTTP status without a Feishu body.
    #[error("{operation}: HTTP {status} without a Feishu body (x-tt-logid {}): {snippet}", log_id.as_deref().unwrap_or("-"))]
    Http {
        /// Operation id.
        operation: &'static str,
        /// HTTP status.
        status: u16,
        /// The `x-tt-logid` response header.
        log_id: Option<String>,
        /// The first characters of the body.
        snippet: String,
        /// Seconds the server asked to wait, if any.
        retry_after: Option<Duration>,
    },
    /// The body is not the documented shape.
    #[error("{operation}: cannot decode response at `{path}`: {message} (HTTP {http_status}, x-tt-logid {})", log_id.as_deref().unwrap_or("-"))]
    Decode {
        /// Operation id.
        operation: &'static str,
        /// JSON path that failed (`data.items[0].name`; `.` for the whole body).
        path: String,
        /// What was wrong.
        message: String,
        /// HTTP status.
        http_status: u16,
        /// The `x-tt-logid` response header.
        log_id: Option<String>,
    },
    /// No HTTP response: connect failure, timeout, ...
    #[error("{operation}: transport failure: {source}")]
    Transport {
        /// Operation id.
        operation: &'static str,
        /// The transport's error.
        source: TransportError,
    },
    /// Refused before sending.
    #[error("{operation}: request rejected before sending: {reason}")]
    Rejected {
        /// Operation id.
        operation: &'static str,
        /// Why.
        reason: Rejection,
    },
    /// A paginated listing broke its contract (a repeated `page_token`, or
    /// `has_more` without a token): stopped instead of looping.
    #[error("{operation}: pagination stopped: {message}")]
    Pagination {
        /// Operation id.
        operation: &'static str,
        /// What went wrong.
        message: String,
    },
    /// Fetching an access token failed.
    #[error("could not get a {token}: {}{msg} (x-tt-logid {})", code.map(|c| format!("code {c}: ")).unwrap_or_default(), log_id.as_deref().unwrap_or("-"))]
    Auth {
        /// Which token.
        token: TokenKind,
        /// The auth endpoint's Feishu code, if it answered one.
        code: Option<i64>,
        /// The auth endpoint's message, or what went wrong.
        msg: String,
        /// The `x-tt-logid` of the token call.
        log_id: Option<String>,
        /// The error of the token call, when there was one.
        #[source]
        cause: Option<Box<Error>>,
    },
    /// The call did not finish by its deadline (limiter wait, token, every
    /// attempt and backoff included).
    #[error("{operation}: no result within {after:?}")]
    Timeout {
        /// Operation id.
        operation: &'static str,
        /// The deadline that passed.
        after: Duration,
    },
}

impl Error {
    /// The Feishu code, when the server answered one.
    ///
    /// ```
    /// # use feishu_transport::{Error, ApiError};
    /// let e = Error::Api(Box::new(ApiError { operation: "im.v1.chat.get", code: 232006, msg: "bad chat".into(),
    ///     http_status: 400, log_id: Some("L1".into()), detail: None, retry_after: None }));
    /// assert_eq!(e.code(), Some(232006));
    /// assert_eq!(e.log_id(), Some("L1"));
    /// assert!(!e.is_retryable());
    /// ```
    pub fn code(&self) -> Option<i64> {
        match self {
            Error::Api(e) | Error::UserToken(e) | Error::RateLimited(e) => Some(e.code),
            Error::Auth { code, .. } => *code,
            _ => None,
        }
    }

    /// A short, stable name of the error's kind (`api`, `user_token`,
    /// `rate_limited`, `http`, `decode`, `transport`, `rejected`,
    /// `pagination`, `auth`, `timeout`): a bounded label for metrics and logs.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use feishu_transport::Error;
    /// let e = Error::Timeout { operation: "im.v1.chat.get", after: Duration::from_secs(5) };
    /// assert_eq!(e.kind(), "timeout");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Api(_) => "api",
            Error::UserToken(_) => "user_token",
            Error::RateLimited(_) => "rate_limited",
            Error::Http { .. } => "http",
            Error::Decode { .. } => "decode",
            Error::Transport { .. } => "transport",
            Error::Rejected { .. } => "rejected",
            Error::Pagination { .. } => "pagination",
            Error::Auth { .. } => "auth",
            Error::Timeout { .. } => "timeout",
        }
    }

    /// The `x-tt-logid` of the response, when there was one.
    pub fn log_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) | Error::UserToken(e) | Error::RateLimited(e) => e.log_id.as_deref(),
            Error::Http { log_id, .. }
            | Error::Decode { log_id, .. }
            | Error::Auth { log_id, .. } => log_id.as_deref(),
            _ => None,
        }
    }

    /// The HTTP status, when there was a response.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Error::Api(e) | Error::UserToken(e) | Error::RateLimited(e) => Some(e.http_status),
            Error::Http { status, .. } => Some(*status),
            Error::Decode { http_status, .. } => Some(*http_status),
            // A rejected token: the status of the answer that rejected it.
            Error::Auth {
                cause: Some(cause), ..
            } => cause.http_status(),
            _ => None,
        }
    }

    /// The API error, for the three kinds that carry one.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) | Error::UserToken(e) | Error::RateLimited(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the server reported a rate limit.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, Error::RateLimited(_)) || matches!(self, Error::Http { status: 429, .. })
    }

    /// Whether the call failed by timing out (its deadline, or a transport
    /// timeout).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
            || matches!(self, Error::Transport { source, .. } if source.kind == TransportErrorKind::Timeout)
    }

    /// How long the server asked to wait before retrying.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) | Error::UserToken(e) | Error::RateLimited(e) => e.retry_after,
            Error::Http { retry_after, .. } => *retry_after,
            Error::Auth { cause, .. } => cause.as_ref().and_then(|c| c.retry_after()),
            _ => None,
        }
    }

    /// Whether the same call may succeed later: rate limits, transient server
    /// faults (5xx, internal-error codes), and transport failures. Whether it
    /// is *safe* to repeat also depends on the endpoint; see [`crate::RetryPolicy`].
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited(_) => true,
            Error::Api(e) => e.class().is_retryable(),
            Error::Http { status, .. } => *status == 429 || *status >= 500,
            Error::Transport { source, .. } => source.kind != TransportErrorKind::BodyTooLarge,
            // A token fetch that failed for a passing reason; a rejected
            // credential or token is not retryable.
            Error::Auth { cause: Some(c), .. } => {
                c.is_retryable() && !c.is_app_token_invalid() && !matches!(**c, Error::Auth { .. })
            }
            _ => false,
        }
    }

    /// Whether the server never processed the call, so that repeating even a
    /// non-idempotent write is safe: rate limits and failed connects.
    pub fn not_processed(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.kind == TransportErrorKind::Connect,
            // No token, so the call itself was never sent.
            Error::Auth { .. } => true,
            _ => self.is_rate_limited(),
        }
    }

    /// Whether this is an invalid tenant/app token answer.
    pub fn is_app_token_invalid(&self) -> bool {
        matches!(self, Error::Api(e) if e.class() == ErrorClass::AppTokenInvalid)
    }
}

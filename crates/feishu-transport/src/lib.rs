//! How bytes move, and the Feishu client core.
//!
//! - [`Transport`]: one object-safe async trait over plain HTTP requests;
//!   [`ReqwestTransport`] is the default implementation (HTTP/1.1 over rustls;
//!   the `http2` feature adds HTTP/2; without the default `rustls` feature it
//!   speaks plain HTTP only), and the `test-util` feature adds
//!   [`ScriptedTransport`] for tests (and `SpanRecorder`, to assert on the
//!   spans and events a `tracing` subscriber is given).
//! - [`Client`]: the one pipeline every call goes through: build → rate-limit →
//!   attach token → send → decode → classify → retry or return.
//! - Rate limits ([`Limiter`]): the client's per-API budget before every
//!   attempt, plus a call's own [`CallLimit`] (one receiver of message
//!   sends) when it carries one; in process or shared by a fleet.
//! - Response bodies: the default transport reads at most 4 MiB of a JSON
//!   answer and 100 MB of a download (requests marked [`ExpectDownload`]).
//! - Tokens ([`TokenProvider`]): cached per tenant, refreshed three minutes
//!   before expiry, fetched once for any number of concurrent callers.
//! - [`Error`]: one error type; every variant with a response carries its
//!   `x-tt-logid`, shown in its `Display`. Secrets never appear in `Debug`
//!   or `Display` output.
//! - Observability: every call runs in a `feishu.call` span with the
//!   OpenTelemetry HTTP client attributes (`http.request.method`,
//!   `server.address`, `url.template`, `http.response.status_code`) and
//!   `feishu.attempt`, `feishu.log_id`; the `metrics` feature records
//!   counters and histograms through the `metrics` facade (`telemetry`,
//!   documented in the README's Observability section).
//!
//! ```
//! # #[cfg(feature = "test-util")]
//! # tokio_test_block_on(async {
//! use std::sync::Arc;
//! use feishu_model::auth::AppTicketResend;
//! use feishu_transport::{Client, ScriptedTransport};
//!
//! let transport = Arc::new(ScriptedTransport::new());
//! transport.push_json(200, &serde_json::json!({"code": 0, "msg": "success"}));
//! let client = Client::builder()
//!     .base_url("https://open.feishu.cn")
//!     .static_tenant_token("t-example")
//!     .transport(transport.clone())
//!     .build()
//!     .unwrap();
//! client
//!     .call(AppTicketResend::new("cli_a", "secret"))
//!     .await
//!     .unwrap();
//! let sent = &transport.requests()[0];
//! assert_eq!(sent.url(), "https://open.feishu.cn/open-apis/auth/v3/app_ticket/resend");
//! # });
//! # #[cfg(feature = "test-util")]
//! # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
//! # }
//! ```
#![forbid(unsafe_code)]

mod call;
mod client;
mod credentials;
mod decode;
mod error;
mod interceptor;
mod paginate;
mod pipeline;
mod ratelimit;
mod retry;
mod store;
#[cfg(feature = "metrics")]
pub mod telemetry;
mod token;
mod transport;
#[cfg(feature = "reqwest")]
mod watchdog;

#[cfg(feature = "test-util")]
mod fault;
#[cfg(feature = "test-util")]
mod local_server;
#[cfg(feature = "test-util")]
pub mod replay;
#[cfg(feature = "reqwest")]
mod reqwest_transport;
#[cfg(feature = "test-util")]
mod scripted;
#[cfg(feature = "test-util")]
mod span_recorder;
#[cfg(feature = "tower")]
mod tower;

pub use self::transport::{
    header_str, is_sensitive_header, response, ExpectDownload, HttpRequest, HttpResponse,
    Transport, TransportError, TransportErrorKind,
};
pub use call::Call;
pub use client::{Client, ClientBuilder, Response};
pub use credentials::{
    AppCredentials, AppTicketStore, AppType, MemoryTicketStore, RequestOptions, FEISHU_BASE_URL,
    LARK_BASE_URL,
};
pub use decode::{decode_response, LOG_ID_HEADER, RATE_LIMIT_RESET_HEADER};
pub use error::{ApiError, Error, Rejection};
pub use interceptor::{Attempt, Interceptor, Outcome};
pub use pipeline::request_url;
pub use ratelimit::{
    block_for, CallLimit, LimitKey, Limiter, RateLimiter, Refusal, Windows, MAX_SERVER_WAIT,
};
pub use retry::RetryPolicy;
pub use store::{fingerprint, StoreError, TokenKey, TokenStore};
pub use token::{
    Bearer, StaticTokenProvider, TokenCache, TokenProvider, MAX_TOKEN_LIFETIME, MIN_TOKEN_LIFETIME,
    REFRESH_MARGIN, SHARED_REFRESH_WITHIN, TICKET_RESEND_INTERVAL, TOKEN_FETCH_TIMEOUT,
};

#[cfg(feature = "tower")]
pub use self::tower::TowerTransport;
#[cfg(feature = "test-util")]
pub use fault::{FaultKind, FaultPlan, FaultProxy};
#[cfg(feature = "test-util")]
pub use local_server::{LocalServer, ServerStats};
#[cfg(feature = "reqwest")]
pub use reqwest_transport::{
    ReqwestTransport, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT,
};
#[cfg(feature = "test-util")]
pub use scripted::{ExpectationBuilder, ReplayMismatch, ScriptedTransport};
#[cfg(feature = "test-util")]
pub use span_recorder::{RecordedEvent, RecordedSpan, SpanRecorder};

/// The `http` crate, whose request and response types the [`Transport`] speaks.
pub use ::http;
pub use feishu_model;

//! The long connection (feature `ws`): events arrive over a WebSocket the
//! app dials, so no public URL is needed (self-built apps only).
//!
//! [`LongConnection`] calls `POST {base}/callback/ws/endpoint` for a fresh,
//! single-use [`ConnectUrl`] on every (re)connect, dials it, pings on the
//! server's cadence and declares the connection dead when no frame follows
//! a ping within the ping timeout. Data messages (`event` and `card`
//! frames, reassembled from fragments) go to the same [`Dispatcher`] as HTTP
//! callbacks, with the same de-duplication, on a bounded pool of handlers;
//! each one is acknowledged with its status (and a callback's response).
//! Lost connections are redialed on the reconnect policy ([`ClientConfig`]);
//! terminal errors ([`WsError::is_terminal`]) stop the client.
//!
//! Each connection runs in a `feishu.ws.connection` span, from the endpoint
//! call to the close: `feishu.app_id`, `feishu.ws.connection` (1-based,
//! every dial counted), `feishu.ws.attempt` (the reconnect attempt that
//! made it, 0 for the first), `feishu.ws.device_id` and, at the end,
//! `feishu.ws.close_reason` (`shutdown` or the error). The `feishu.event`
//! spans of the messages it carries are nested inside it.
//!
//! [`Dispatcher`]: crate::Dispatcher

mod client;
mod config;
mod counters;
mod dial;
mod endpoint;
mod error;
mod session;
mod status;

pub use client::{
    LongConnection, LongConnectionBuilder, State, StopReason, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_DIAL_TIMEOUT, DEFAULT_ENDPOINT_TIMEOUT, DEFAULT_HANDLER_GRACE, DEFAULT_MAX_PENDING,
    DEFAULT_MIN_RECONNECT_DELAY, DEFAULT_PING_TIMEOUT, DEFAULT_QUEUE_BUDGET, DEFAULT_WORKERS,
    FEISHU_BASE_URL, MIN_RECONNECT_FLOOR, SHUTDOWN_LIMIT,
};
pub use config::ClientConfig;
pub use counters::DropCounts;
pub use endpoint::{ConnectUrl, Endpoint};
pub use error::WsError;

//! The long connection, server side: `POST /callback/ws/endpoint` hands out
//! single-use connection URLs, `GET /ws/v2` upgrades them to WebSockets
//! speaking `pbbp2` frames, and every event of an app goes to one randomly
//! chosen live connection of that app, redelivered on the (scaled) retry
//! schedule until it is acknowledged with code 200 in time.
//!
//! [`LongConnectionServer`] (from [`Emulator::long_connection`]) tunes it
//! and flips the fault switches tests need: silent connections (half-open
//! sockets), abrupt closes, a busy endpoint.

mod deliver;
mod endpoint;
mod hub;
mod socket;

use serde::{Deserialize, Serialize};

pub use hub::{LongConnectionServer, LongConnectionSettings, LongConnectionStats};

use crate::emulator::Emulator;

/// The receiver name of long-connection deliveries in the event log.
pub const LONG_CONNECTION_RECEIVER: &str = "long-connection";

/// The documented most connections per app: 50.
pub const DEFAULT_MAX_CONNECTIONS: usize = 50;

/// Payloads above this many bytes are split into fragments by default.
pub const DEFAULT_FRAGMENT_SIZE: usize = 64 * 1024;

/// The `ClientConfig` a fixture gives the long connection (whole seconds,
/// the wire names): sent in the endpoint answer and in every pong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LongConnectionSeed {
    /// `PingInterval`, seconds.
    #[serde(rename = "PingInterval", default = "default_interval")]
    pub ping_interval: u64,
    /// `ReconnectCount` (negative: unlimited).
    #[serde(rename = "ReconnectCount", default = "default_count")]
    pub reconnect_count: i64,
    /// `ReconnectInterval`, seconds.
    #[serde(rename = "ReconnectInterval", default = "default_interval")]
    pub reconnect_interval: u64,
    /// `ReconnectNonce`, seconds.
    #[serde(rename = "ReconnectNonce", default = "default_nonce")]
    pub reconnect_nonce: u64,
    /// The most live connections per app (a further dial is refused with
    /// handshake status 514, auth code 1000040350).
    #[serde(default = "default_max")]
    pub max_connections: usize,
}

fn default_interval() -> u64 {
    120
}
fn default_count() -> i64 {
    -1
}
fn default_nonce() -> u64 {
    30
}
fn default_max() -> usize {
    DEFAULT_MAX_CONNECTIONS
}

impl Default for LongConnectionSeed {
    fn default() -> Self {
        LongConnectionSeed {
            ping_interval: default_interval(),
            reconnect_count: default_count(),
            reconnect_interval: default_interval(),
            reconnect_nonce: default_nonce(),
            max_connections: default_max(),
        }
    }
}

/// The routes of the long connection; the caller adds the state.
pub(crate) fn routes() -> axum::Router<Emulator> {
    axum::Router::new()
        .route(
            feishu_protocol::endpoint::ENDPOINT_PATH,
            axum::routing::post(endpoint::endpoint),
        )
        .route(socket::PATH, axum::routing::get(socket::upgrade))
}

impl Emulator {
    /// The long-connection server: settings, fault switches, counters.
    pub fn long_connection(&self) -> LongConnectionServer {
        self.shared().ws.clone()
    }
}

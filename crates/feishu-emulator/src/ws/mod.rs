//! The long connection, server side: `POST /callback/ws/endpoint` hands out
//! single-use connection URLs, `GET /ws/v2` upgrades them to WebSockets
//! speaking `pbbp2` frames, and every event of an app goes to one randomly
//! chosen live connection of that app, redelivered on the (scaled) retry
//! schedule until it is acknowledged with code 200 in time.
//!
//! [`LongConnectionServer`] (from [`crate::Emulator::long_connection`]) tunes it
//! and flips the fault switches tests need: silent connections (half-open
//! sockets), abrupt closes, a busy endpoint. The admin API flips the first
//! two per app: `POST /_emulator/long_connection/{app_id}/silence` and
//! `POST /_emulator/long_connection/{app_id}/close`.

mod admin;
mod deliver;
mod endpoint;
mod hub;
mod socket;

use std::sync::Arc;

pub use hub::{LongConnectionServer, LongConnectionSettings, LongConnectionStats};

use crate::core::Core;

/// The receiver name of long-connection deliveries in the event log.
pub const LONG_CONNECTION_RECEIVER: &str = "long-connection";

/// Payloads above this many bytes are split into fragments by default.
pub const DEFAULT_FRAGMENT_SIZE: usize = 64 * 1024;

/// What the long connection's handlers work on: the emulator's core (app
/// credentials, events, the log) and the server's own state.
#[derive(Clone)]
pub(crate) struct Served {
    pub(crate) core: Arc<Core>,
    pub(crate) hub: LongConnectionServer,
}

impl crate::core::LongConnectionLink for LongConnectionServer {
    fn connected(&self, app: &feishu_model::AppId) -> bool {
        self.inner.apps.lock().contains(app) && !socket::live(self, app).is_empty()
    }

    fn exchange(
        &self,
        app: feishu_model::AppId,
        payload: Vec<u8>,
        timeout: std::time::Duration,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = crate::core::LinkAnswer> + Send>> {
        let hub = self.clone();
        Box::pin(async move {
            let ack =
                deliver::exchange(&hub, &app, feishu_protocol::frame::EVENT, &payload, timeout)
                    .await?;
            Ok((ack.code, ack.data))
        })
    }
}

/// The routes of the long connection, with their state.
pub(crate) fn routes<S>(core: Arc<Core>, hub: LongConnectionServer) -> axum::Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    axum::Router::new()
        .route(
            feishu_protocol::endpoint::ENDPOINT_PATH,
            axum::routing::post(endpoint::endpoint),
        )
        .route(socket::PATH, axum::routing::get(socket::upgrade))
        .route(admin::CLOSE_PATH, axum::routing::post(admin::close))
        .route(admin::SILENCE_PATH, axum::routing::post(admin::silence))
        .with_state(Served { core, hub })
}

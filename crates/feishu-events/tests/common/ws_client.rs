//! A long connection client with quick, local timings.

use std::sync::Arc;
use std::time::Duration;

use feishu_emulator::RunningServer;
use feishu_events::ws::{ClientConfig, LongConnection};
use feishu_events::Dispatcher;

/// Connects `app` to `server`, pinging every `ping_interval` and redialing
/// within about 50 ms, the server's timings ignored.
pub fn connect(
    app: &str,
    secret: &str,
    server: &RunningServer,
    dispatcher: Dispatcher,
    ping_interval: Duration,
) -> LongConnection {
    LongConnection::builder(app, secret, Arc::new(dispatcher))
        .base_url(server.url())
        .client_config(ClientConfig {
            ping_interval,
            reconnect_count: -1,
            reconnect_interval: Duration::from_millis(50),
            reconnect_nonce: Duration::from_millis(10),
        })
        .follow_server_config(false)
        .min_reconnect_delay(Duration::from_millis(20))
        .start()
        .unwrap()
}

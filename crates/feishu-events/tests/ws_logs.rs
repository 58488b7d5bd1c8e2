//! The connection URL's credentials never reach a log, at any level: the
//! `log` records of the WebSocket library and this crate's `tracing`
//! events are captured at TRACE while the client connects, reconnects and
//! stops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ws_client.rs"]
mod ws_client;

use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use feishu_emulator::{Emulator, Fixture};
use feishu_events::ws::State;
use feishu_events::{Dispatcher, Webhook};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn keep(line: String) {
    LINES.lock().unwrap().push(line);
}

/// Every `log` record, every level.
struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        keep(format!(
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }

    fn flush(&self) {}
}

/// Every `tracing` event and span field, every level.
struct TracingCapture;

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for TracingCapture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut fields = Fields(span.metadata().name().to_owned());
        span.record(&mut fields);
        keep(fields.0);
        Id::from_u64(1)
    }

    fn record(&self, _: &Id, values: &Record<'_>) {
        let mut fields = Fields(String::new());
        values.record(&mut fields);
        keep(fields.0);
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!(
            "{} {}:",
            event.metadata().level(),
            event.metadata().target()
        ));
        event.record(&mut fields);
        keep(fields.0);
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

const APP: &str = "cli_1095000000000001";
const SECRET: &str = "log-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_reaches_any_log_level() {
    log::set_logger(&LogCapture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    tracing::subscriber::set_global_default(TracingCapture).unwrap();

    let fixture = Fixture::from_json(&format!(
        r#"{{"tenants": [{{"tenant_key": "0000000000000001"}}],
        "apps": [{{"app_id": "{APP}", "app_secret": "{SECRET}", "tenant_key": "0000000000000001"}}],
        "long_connection": {{"PingInterval": 120, "ReconnectCount": -1,
            "ReconnectInterval": 1, "ReconnectNonce": 1, "max_connections": 5}}}}"#
    ))
    .unwrap();
    let emulator = Emulator::builder().fixture(fixture).build().unwrap();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let hub = emulator.long_connection();
    let dispatcher = Dispatcher::new(Webhook::new());
    let client = ws_client::connect(APP, SECRET, &server, dispatcher, Duration::from_millis(100));
    let start = Instant::now();
    while client.state() != State::Connected {
        assert!(start.elapsed() < Duration::from_secs(5), "no connection");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A reconnect: a second URL, a second handshake.
    hub.close_abruptly();
    let start = Instant::now();
    while hub.stats().connections < 2 || client.state() != State::Connected {
        assert!(start.elapsed() < Duration::from_secs(5), "no reconnection");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::sleep(Duration::from_millis(250)).await;
    client.shutdown().await;

    let lines = LINES.lock().unwrap().clone();
    let all = lines.join("\n");
    // The library did log at TRACE, and so did the client.
    assert!(
        lines.iter().any(|l| l.starts_with("TRACE tungstenite")),
        "{all}"
    );
    assert!(all.contains("long connection up"), "{all}");
    for secret in ["access_key=", "ticket=", SECRET] {
        let leaked: Vec<_> = lines
            .iter()
            .filter(|l| l.contains(secret) && !l.contains(&format!("{secret}***")))
            .collect();
        assert!(leaked.is_empty(), "`{secret}` logged: {leaked:#?}");
    }
}

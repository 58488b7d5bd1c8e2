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
use feishu_transport::SpanRecorder;

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

/// Every `tracing` span field as a line of its own, and every event as one
/// line: its level, target and fields.
fn tracing_lines(recorder: &SpanRecorder) -> Vec<String> {
    let spans = recorder.spans().into_iter().flat_map(|(_, span)| {
        let name = span.name;
        let fields = span.fields.into_iter();
        fields.map(move |(field, value)| format!("{name} {field}={value}"))
    });
    let events = recorder.events().into_iter().map(|event| {
        let head = format!("{} {}:", event.level, event.target);
        event.fields.iter().fold(head, |mut line, (field, value)| {
            let _ = write!(line, " {field}={value}");
            line
        })
    });
    spans.chain(events).collect()
}

const APP: &str = "cli_1095000000000001";
const SECRET: &str = "log-secret";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_credential_reaches_any_log_level() {
    log::set_logger(&LogCapture).unwrap();
    log::set_max_level(log::LevelFilter::Trace);
    let (recorder, dispatch) = SpanRecorder::dispatch();
    tracing::dispatcher::set_global_default(dispatch).unwrap();

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

    let mut lines = LINES.lock().unwrap().clone();
    lines.extend(tracing_lines(&recorder));
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

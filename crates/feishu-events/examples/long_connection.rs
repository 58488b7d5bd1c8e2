//! Receive one app's events over the long connection.
//!
//! ```text
//! cargo run -p feishu-events --features ws --example long_connection
//! FEISHU_APP_ID=cli_... FEISHU_APP_SECRET=... [FEISHU_BASE_URL=https://open.feishu.cn] \
//!   cargo run -p feishu-events --features ws --example long_connection
//! ```
//!
//! Without credentials it runs offline: an emulator serves on a loopback
//! port, a user renames a chat three times, and the program stops after the
//! three events. With credentials it connects to the platform and runs until
//! Ctrl-C. One JSON line per event on stdout:
//! `{"event_type":"...","event_id":"...","chat_id":"..."}`; diagnostics on
//! stderr.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use feishu_emulator::{Action, ChatChanges, Emulator, Fixture};
use feishu_events::ws::{LongConnection, State};
use feishu_events::{Dispatcher, Event, Webhook};
use feishu_model::events::GroupEvent;
use feishu_model::ChatId;
use futures::StreamExt;
use tokio::sync::mpsc;

/// One stdout line for an event, keys in the order of `webhook_server`.
fn print_line(event: &Event) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut line = format!(
        "{{\"event_type\":{},\"event_id\":{}",
        quote(event.event_type()),
        event.event_id().map_or("null".to_owned(), quote)
    );
    if let Some(chat_id) = event.chat_id() {
        line.push_str(&format!(",\"chat_id\":{}", quote(chat_id)));
    }
    line.push('}');
    println!("{line}");
}

const OFFLINE: &str = r#"{
    "tenants": [{"tenant_key": "0000000000000001"}],
    "apps": [{"app_id": "cli_0ff1e00000000001", "app_secret": "offline-secret", "tenant_key": "0000000000000001"}],
    "users": [{"open_id": "ou_ada00000000000000000000000000000", "name": "Ada", "tenant_key": "0000000000000001"}],
    "chats": [{"chat_id": "oc_00000000000000000000000000000005", "tenant_key": "0000000000000001", "name": "ops", "owner": "ou_ada00000000000000000000000000000",
               "users": ["ou_ada00000000000000000000000000000"], "bots": ["cli_0ff1e00000000001"]}]
}"#;

#[tokio::main]
async fn main() -> ExitCode {
    let (seen_tx, mut seen_rx) = mpsc::unbounded_channel::<()>();
    let dispatcher = Arc::new(Dispatcher::new(Webhook::new()).fallback(
        move |event: GroupEvent| {
            let seen = seen_tx.clone();
            async move {
                print_line(&Event { event });
                let _ = seen.send(());
                Ok(())
            }
        },
    ));
    let online = match (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    ) {
        (Ok(id), Ok(secret)) => Some((id, secret)),
        _ => None,
    };
    if let Some((app_id, secret)) = online {
        let base = std::env::var("FEISHU_BASE_URL")
            .unwrap_or_else(|_| feishu_events::ws::FEISHU_BASE_URL.to_owned());
        let Some(client) = start(&app_id, &secret, base, dispatcher) else {
            return ExitCode::FAILURE;
        };
        let mut states = client.states();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {
                client.shutdown().await;
                ExitCode::SUCCESS
            }
            reason = client.stopped() => {
                eprintln!("long_connection: stopped: {reason:?}");
                ExitCode::FAILURE
            }
            () = async { while let Some(s) = states.next().await { eprintln!("long_connection: {s:?}"); } std::future::pending::<()>().await } => ExitCode::SUCCESS,
        }
    } else {
        offline(dispatcher, &mut seen_rx).await
    }
}

/// Starts the long connection to `base`; a refused start is printed.
fn start(
    app_id: &str,
    secret: &str,
    base: String,
    dispatcher: Arc<Dispatcher>,
) -> Option<LongConnection> {
    LongConnection::builder(app_id, secret, dispatcher)
        .base_url(base)
        .start()
        .map_err(|e| eprintln!("long_connection: {e}"))
        .ok()
}

async fn offline(dispatcher: Arc<Dispatcher>, seen: &mut mpsc::UnboundedReceiver<()>) -> ExitCode {
    let emulator = match Fixture::from_json(OFFLINE).and_then(Emulator::from_fixture) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("long_connection: {e}");
            return ExitCode::FAILURE;
        }
    };
    let server = match emulator.start("127.0.0.1:0").await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("long_connection: cannot start the emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "long_connection: offline against the emulator at {}",
        server.url()
    );
    let Some(client) = start(
        "cli_0ff1e00000000001",
        "offline-secret",
        server.url(),
        dispatcher,
    ) else {
        return ExitCode::FAILURE;
    };
    let mut states = client.states();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), states.next()).await {
            Ok(Some(State::Connected)) => break,
            Ok(Some(_)) => {}
            _ => {
                eprintln!("long_connection: could not connect to the emulator");
                return ExitCode::FAILURE;
            }
        }
    }
    for name in ["ops", "ops-oncall", "ops-incident"] {
        let renamed = emulator.act(Action::UpdateChat {
            user: "ou_ada00000000000000000000000000000".into(),
            chat: ChatId::from("oc_00000000000000000000000000000005"),
            changes: Box::new(ChatChanges {
                name: Some(format!("{name}-renamed")),
                ..ChatChanges::default()
            }),
        });
        if let Err(e) = renamed {
            eprintln!("long_connection: {e}");
            return ExitCode::FAILURE;
        }
    }
    for _ in 0..3 {
        if tokio::time::timeout(Duration::from_secs(10), seen.recv())
            .await
            .is_err()
        {
            eprintln!("long_connection: an event did not arrive");
            return ExitCode::FAILURE;
        }
    }
    client.shutdown().await;
    ExitCode::SUCCESS
}

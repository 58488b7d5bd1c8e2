//! A callback server for one app's events.
//!
//! ```text
//! FEISHU_ENCRYPT_KEY=... FEISHU_VERIFICATION_TOKEN=... \
//!   cargo run -p feishu-events --example webhook_server -- --listen 127.0.0.1:3000
//! ```
//!
//! Both variables are optional. The server answers the `url_verification`
//! challenge and prints one JSON line per accepted event on stdout:
//! `{"event_type":"...","event_id":"...","chat_id":"..."}` (`chat_id` when the
//! event names a chat). Redeliveries of an event are answered 200 and not
//! printed again. Rejected requests get a 4xx with a JSON error body and
//! print nothing on stdout. Diagnostics go to stderr.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;

use feishu_events::{Dispatcher, Event, Webhook};
use feishu_model::events::{ChatMemberUserAddedV1, EventV2, GroupEvent};

/// One stdout line for an accepted event.
fn print_line(event_type: &str, event_id: Option<&str>, chat_id: Option<&str>) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut line = format!(
        "{{\"event_type\":{},\"event_id\":{}",
        quote(event_type),
        event_id.map_or("null".to_owned(), quote)
    );
    if let Some(chat_id) = chat_id {
        line.push_str(&format!(",\"chat_id\":{}", quote(chat_id)));
    }
    line.push('}');
    println!("{line}");
}

fn parse_listen(mut args: impl Iterator<Item = String>) -> Result<String, String> {
    let mut listen = "127.0.0.1:3000".to_owned();
    while let Some(arg) = args.next() {
        match arg.split_once('=') {
            Some(("--listen", value)) => listen = value.to_owned(),
            _ if arg == "--listen" => {
                listen = args.next().ok_or("--listen needs an address")?;
            }
            _ => {
                return Err(format!(
                    "unknown argument `{arg}`; usage: webhook_server --listen ADDR"
                ))
            }
        }
    }
    Ok(listen)
}

#[tokio::main]
async fn main() -> ExitCode {
    let listen = match parse_listen(std::env::args().skip(1)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("webhook_server: {e}");
            return ExitCode::from(2);
        }
    };
    let mut webhook = Webhook::new();
    if let Ok(key) = std::env::var("FEISHU_ENCRYPT_KEY") {
        webhook = webhook.encrypt_key(key);
    }
    if let Ok(token) = std::env::var("FEISHU_VERIFICATION_TOKEN") {
        webhook = webhook.verification_token(token);
    }
    let dispatcher = Dispatcher::new(webhook)
        // A typed handler: the payload is `ChatMemberUserAddedV1`.
        .on(|e: EventV2<ChatMemberUserAddedV1>| async move {
            print_line(
                &e.header.event_type,
                Some(&e.header.event_id),
                Some(e.event.chat_id.as_str()),
            );
            Ok(())
        })
        // Every other event type, typed or not.
        .fallback(|event: GroupEvent| async move {
            let event = Event { event };
            print_line(event.event_type(), event.event_id(), event.chat_id());
            Ok(())
        });
    let listener = match tokio::net::TcpListener::bind(&listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("webhook_server: cannot listen on {listen}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => eprintln!("webhook_server listening on http://{addr}"),
        Err(_) => eprintln!("webhook_server listening on http://{listen}"),
    }
    let app = feishu_events::axum::router(Arc::new(dispatcher));
    match axum::serve(listener, app).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("webhook_server: {e}");
            ExitCode::FAILURE
        }
    }
}

//! An incident bot: it posts an alert card with an "Acknowledge" button to
//! the incident chat; a click answers the clicker a toast and turns the
//! card to "Acknowledged by <name>"; `@bot status` gets the incident's
//! status as a reply in the message's thread.
//!
//! ```text
//! cargo run -p feishu-message --example incident_bot
//! FEISHU_BASE_URL=http://127.0.0.1:8080 cargo run -p feishu-message --example incident_bot -- --long-connection
//! FEISHU_BASE_URL=http://127.0.0.1:8080 cargo run -p feishu-message --example incident_bot -- --listen 127.0.0.1:3000
//! ```
//!
//! Without arguments it runs offline: the emulator serves on a loopback
//! port, the bot receives over the long connection, and a script plays
//! what people do (李四 clicks "Acknowledge", then writes
//! `@Ops Bot status`). One line per step on stdout; it exits non-zero when
//! a step does not happen.
//!
//! With `--long-connection` or `--listen ADDR` (the webhook, for an
//! emulator started after it with `--callback-url http://ADDR/`) it posts
//! the alert card and stays up, answering what people do: against the
//! `feishu-emulator` binary at `FEISHU_BASE_URL`, in its page
//! (`/_emulator/ui`), or against Feishu itself. The app is the default
//! fixture's Ops Bot unless `FEISHU_APP_ID` and `FEISHU_APP_SECRET` say
//! otherwise; `FEISHU_CHAT_ID` names the incident chat and
//! `FEISHU_BOT_OPEN_ID` the bot's open id; `FEISHU_ENCRYPT_KEY` and
//! `FEISHU_VERIFICATION_TOKEN` check webhook requests.
#![forbid(unsafe_code)]

mod bot;
mod script;

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use bot::IncidentBot;
use feishu_emulator::Emulator;
use feishu_events::ws::LongConnection;
use feishu_events::{HandlerError, Webhook};
use futures::StreamExt;

/// How the bot receives its events.
enum Mode {
    /// The offline script.
    Offline,
    /// The webhook on this address.
    Listen(String),
    /// The long connection.
    LongConnection,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Mode, String> {
    let mut mode = Mode::Offline;
    while let Some(arg) = args.next() {
        match arg.split_once('=') {
            Some(("--listen", value)) => mode = Mode::Listen(value.to_owned()),
            _ if arg == "--listen" => {
                mode = Mode::Listen(args.next().ok_or("--listen needs an address")?);
            }
            _ if arg == "--long-connection" => mode = Mode::LongConnection,
            _ => {
                return Err(format!(
                "unknown argument `{arg}`; usage: incident_bot [--listen ADDR | --long-connection]"
            ))
            }
        }
    }
    Ok(mode)
}

#[tokio::main]
async fn main() -> ExitCode {
    let mode = match parse(std::env::args().skip(1)) {
        Ok(mode) => mode,
        Err(e) => {
            eprintln!("incident_bot: {e}");
            return ExitCode::from(2);
        }
    };
    let run = match mode {
        Mode::Offline => offline().await,
        Mode::Listen(addr) => live(Some(addr)).await,
        Mode::LongConnection => live(None).await,
    };
    match run {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("incident_bot: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The script against an in-process emulator served on a loopback port.
async fn offline() -> Result<(), HandlerError> {
    let emulator = Emulator::with_default_fixture()?;
    let offline = script::start(emulator, |client| {
        IncidentBot::new(client, Some(script::BOT_OPEN_ID.to_owned()))
    })
    .await?;
    let played = script::play(&offline, |line| println!("{line}")).await;
    offline.connection.shutdown().await;
    played.map(|_| ())
}

/// The bot against `FEISHU_BASE_URL` (or Feishu), until Ctrl-C.
async fn live(listen: Option<String>) -> Result<(), HandlerError> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let base = var("FEISHU_BASE_URL").unwrap_or_else(|| "https://open.feishu.cn".to_owned());
    let (app_id, secret, default_bot) = match (var("FEISHU_APP_ID"), var("FEISHU_APP_SECRET")) {
        (Some(id), Some(secret)) => (id, secret, None),
        _ => (
            script::APP_ID.to_owned(),
            script::APP_SECRET.to_owned(),
            Some(script::BOT_OPEN_ID.to_owned()),
        ),
    };
    let chat = var("FEISHU_CHAT_ID").unwrap_or_else(|| script::INCIDENT_CHAT.to_owned());
    let bot = IncidentBot::new(
        script::client(&base, &app_id, &secret)?,
        var("FEISHU_BOT_OPEN_ID").or(default_bot),
    );
    let mut webhook = Webhook::new();
    if let Some(key) = var("FEISHU_ENCRYPT_KEY") {
        webhook = webhook.encrypt_key(key);
    }
    if let Some(token) = var("FEISHU_VERIFICATION_TOKEN") {
        webhook = webhook.verification_token(token);
    }
    let dispatcher = Arc::new(bot.dispatcher(webhook));

    // Receive first, so no click on the new card is missed.
    let connection = match &listen {
        Some(addr) => {
            let listener = tokio::net::TcpListener::bind(addr).await?;
            eprintln!("incident_bot: webhook on http://{}", listener.local_addr()?);
            let app = feishu_events::axum::router(dispatcher);
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, app).await {
                    eprintln!("incident_bot: the webhook stopped: {e}");
                }
            });
            None
        }
        None => {
            let connection = LongConnection::builder(app_id.as_str(), secret, dispatcher)
                .base_url(base.clone())
                .start()?;
            let mut states = connection.states();
            tokio::spawn(async move {
                while let Some(state) = states.next().await {
                    eprintln!("incident_bot: long connection {state:?}");
                }
            });
            Some(connection)
        }
    };
    // With the webhook, the emulator may start after the bot (it checks the
    // callback address once, at start): wait for it.
    let incident = script::incident();
    let mut attempts = 0;
    let alert = loop {
        match bot.post_alert(&chat, incident.clone()).await {
            Ok(alert) => break alert,
            Err(e) if attempts < 60 => {
                attempts += 1;
                eprintln!("incident_bot: cannot post the alert yet ({e}); again in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e),
        }
    };
    println!(
        "alert card posted: {} in {chat} ({}); {app_id} answers until Ctrl-C",
        alert.as_str(),
        incident.id
    );
    tokio::signal::ctrl_c().await?;
    if let Some(connection) = connection {
        connection.shutdown().await;
    }
    Ok(())
}

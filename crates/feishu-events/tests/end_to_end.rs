//! End to end over loopback: the emulator, with an Encrypt Key, delivers to
//! the `webhook_server` example (the built binary); every group event it
//! emits is printed once, typed; while the receiver is down the emulator's
//! retries keep the events, and after a restart they arrive, none twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(feature = "axum")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use feishu_emulator::feishu_model::im::chat::{CreateChat, DeleteChat, UpdateChat};
use feishu_emulator::feishu_model::im::members::{AddMembers, RemoveMembers};
use feishu_emulator::feishu_model::{AppId, MemberIdType};
use feishu_emulator::{AttemptReport, DeliveryConfig, EmittedEvent, Emulator, Fixture};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

const KEY: &str = "e2e-encrypt-key";
const TOKEN: &str = "e2e-verification-token";
const HELPER: &str = "cli_a10fbf7e94b8d01d";
const LI_SI: &str = "ou_7d8a6e6df7621556ce0d21922b676706";

/// The example binary, built by `cargo test` next to the test binaries.
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    let path = dir
        .join("examples")
        .join(format!("webhook_server{}", std::env::consts::EXE_SUFFIX));
    if !path.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = std::process::Command::new(cargo)
            .args([
                "build",
                "-p",
                "feishu-events",
                "--example",
                "webhook_server",
            ])
            .status()
            .unwrap();
        assert!(status.success());
    }
    path
}

/// Starts the example on `listen`; returns the child, its address and its
/// stdout lines.
async fn start_server(listen: &str) -> (Child, String, mpsc::UnboundedReceiver<String>) {
    let mut child = Command::new(example_binary())
        .args(["--listen", listen])
        .env("FEISHU_ENCRYPT_KEY", KEY)
        .env("FEISHU_VERIFICATION_TOKEN", TOKEN)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(30), stderr.next_line())
        .await
        .expect("the server starts")
        .unwrap()
        .unwrap();
    let addr = first.rsplit("http://").next().unwrap().to_owned();
    tokio::spawn(async move { while let Ok(Some(_)) = stderr.next_line().await {} });
    let (tx, rx) = mpsc::unbounded_channel();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    tokio::spawn(async move {
        while let Ok(Some(line)) = stdout.next_line().await {
            let _ = tx.send(line);
        }
    });
    (child, addr, rx)
}

/// The fixture's apps all deliver to `url` with the same key and token.
fn emulator(url: &str) -> Emulator {
    let mut fixture = Fixture::default_seed().unwrap();
    for app in &mut fixture.apps {
        app.encrypt_key = Some(KEY.into());
        app.verification_token = Some(TOKEN.into());
        app.event_callback_url = Some(url.to_owned());
    }
    Emulator::from_fixture(fixture).unwrap()
}

/// Every kind of group event the emulator emits, on a fresh chat.
async fn group_activity(emulator: &Emulator) {
    let bot = emulator.client().unwrap();
    let mut create = CreateChat::new();
    create.body.name = Some("e2e".into());
    create.body.user_id_list = Some(vec![LI_SI.into()]);
    create.body.bot_id_list = Some(vec![AppId::from(HELPER)]);
    let chat = bot.call(create).await.unwrap().chat_id;
    let mut rename = UpdateChat::new(chat.clone());
    rename.body.name = Some("e2e renamed".into());
    bot.call(rename).await.unwrap();
    bot.call(AddMembers::new(chat.clone(), ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    bot.call(RemoveMembers::new(chat.clone(), ["m0030"]))
        .member_id_type(MemberIdType::UserId)
        .await
        .unwrap();
    bot.call(RemoveMembers::new(chat.clone(), [HELPER]))
        .member_id_type(MemberIdType::AppId)
        .await
        .unwrap();
    bot.call(DeleteChat::new(chat)).await.unwrap();
}

/// event_id → (event_type, chat_id) of emitted events.
fn expected(events: &[EmittedEvent]) -> BTreeMap<String, (String, String)> {
    events
        .iter()
        .map(|e| {
            let header = e.event.header().unwrap();
            let chat = e.body["event"]["chat_id"].as_str().unwrap().to_owned();
            (header.event_id.clone(), (e.event_type().to_owned(), chat))
        })
        .collect()
}

/// Reads stdout lines until `want` distinct events were printed (or 20 s).
async fn printed(
    lines: &mut mpsc::UnboundedReceiver<String>,
    got: &mut Vec<serde_json::Value>,
    want: usize,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while got.len() < want {
        match tokio::time::timeout_at(deadline, lines.recv()).await {
            Ok(Some(line)) => got.push(serde_json::from_str(&line).unwrap()),
            _ => break,
        }
    }
}

fn as_map(lines: &[serde_json::Value]) -> BTreeMap<String, (String, String)> {
    lines
        .iter()
        .map(|l| {
            (
                l["event_id"].as_str().unwrap().to_owned(),
                (
                    l["event_type"].as_str().unwrap().to_owned(),
                    l["chat_id"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulator_to_example_server_with_retries_across_a_restart() {
    let (mut server, addr, mut lines) = start_server("127.0.0.1:0").await;
    let url = format!("http://{addr}/feishu/events");
    let emulator = emulator(&url);
    let mut emitted = emulator.subscribe();
    let reports: Arc<std::sync::Mutex<Vec<AttemptReport>>> = Arc::default();
    let sink = reports.clone();
    let _delivery = emulator.deliver_events_with(
        None,
        DeliveryConfig::scaled(0.001),
        Arc::new(move |r: &AttemptReport| sink.lock().unwrap().push(r.clone())),
    );
    // Give the challenges time to complete before anything is emitted.
    tokio::time::sleep(Duration::from_millis(300)).await;

    // A rejected request: 401 with a JSON error, nothing printed.
    let http = reqwest::Client::new();
    let response = http
        .post(&url)
        .header("X-Lark-Request-Timestamp", "1")
        .header("X-Lark-Request-Nonce", "2")
        .header("X-Lark-Signature", "0".repeat(64))
        .body(r#"{"encrypt":"AAAA"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let error: serde_json::Value = response.json().await.unwrap();
    assert_eq!(error["error"], "bad_signature");

    // Phase 1: the receiver is up.
    group_activity(&emulator).await;
    let mut first = Vec::new();
    while let Ok(e) = emitted.try_recv() {
        first.push(e);
    }
    let types: std::collections::BTreeSet<_> =
        first.iter().map(|e| e.event_type().to_owned()).collect();
    assert_eq!(
        types.into_iter().collect::<Vec<_>>(),
        [
            "im.chat.disbanded_v1",
            "im.chat.member.bot.added_v1",
            "im.chat.member.bot.deleted_v1",
            "im.chat.member.user.added_v1",
            "im.chat.member.user.deleted_v1",
            "im.chat.updated_v1",
        ]
    );
    let mut got = Vec::new();
    printed(&mut lines, &mut got, first.len()).await;
    assert_eq!(
        as_map(&got),
        expected(&first),
        "every event printed, typed, once"
    );
    assert_eq!(got.len(), first.len());

    // Stop only once the emulator has seen every answer: a receiver killed
    // between printing and answering gets the event again (at least once).
    for _ in 0..500 {
        let delivered = reports
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.status == feishu_emulator::AttemptStatus::Delivered)
            .count();
        if delivered >= first.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    // Phase 2: the receiver stops; events emitted meanwhile are retried.
    server.kill().await.unwrap();
    let _ = server.wait().await;
    group_activity(&emulator).await;
    let mut second = Vec::new();
    while let Ok(e) = emitted.try_recv() {
        second.push(e);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_server, _, mut lines) = start_server(&addr).await;
    let mut got = Vec::new();
    printed(&mut lines, &mut got, second.len()).await;
    assert_eq!(
        as_map(&got),
        expected(&second),
        "the missed events arrive after the restart"
    );
    // Nothing more comes: no event of phase 1 and none twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    while let Ok(line) = lines.try_recv() {
        got.push(serde_json::from_str(&line).unwrap());
    }
    assert_eq!(got.len(), second.len(), "{got:?}");

    let reports = reports.lock().unwrap().clone();
    let retried: std::collections::BTreeSet<_> = reports
        .iter()
        .filter(|r| r.attempt > 1)
        .map(|r| r.event_id.clone())
        .collect();
    assert_eq!(retried, expected(&second).into_keys().collect());
}

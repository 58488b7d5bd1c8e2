//! Prometheus metrics of the client: the quickstart's incident workload
//! (create a chat, pin its announcement, add a manager, list the members,
//! disband it) runs against the in-process Feishu emulator with the
//! transport's `metrics` feature on, and the scrape is served at
//! `http://ADDR/metrics` by `metrics-exporter-prometheus`.
//!
//! Offline: no credentials, no network. Options:
//! - `--once`: print the scrape to stdout and exit (what CI runs);
//! - `--serve-for SECS`: how long to serve (default 60 s); Ctrl-C stops
//!   it sooner.
//!
//! Run: `cargo run -p feishu-group --example prometheus -- --once`
#![allow(clippy::print_stdout)]

use std::error::Error;
use std::time::Duration;

use feishu_emulator::Emulator;
use feishu_group::Group;
use feishu_model::im::chat::CreateChatBody;
use feishu_model::im::top_notice::TopNotice;
use feishu_model::MemberIdType;
use futures::StreamExt;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The emulator's on-call people: the first one leads.
const ONCALL: [&str; 2] = [
    "ou_9204a37300b3700d61effaa439f34295",
    "ou_7d8a6e6df7621556ce0d21922b676706",
];

/// One incident, as in the quickstart.
async fn incident(group: &Group, n: u32) -> Result<(), Box<dyn Error>> {
    let created = group
        .chats()
        .create(CreateChatBody {
            name: Some(format!("INC-{n}: checkout latency above SLO")),
            user_id_list: Some(ONCALL.iter().map(|id| (*id).into()).collect()),
            ..CreateChatBody::default()
        })
        .await?;
    let chat_id = created.chat_id;
    group
        .top_notice(&chat_id)
        .put(TopNotice::announcement())
        .await?;
    group
        .managers(&chat_id)
        .add([ONCALL[0]])
        .member_id_type(MemberIdType::OpenId)
        .await?;
    let members = group.members(&chat_id).list().page_size(50).stream();
    let listed = members
        .filter(|m| std::future::ready(m.is_ok()))
        .count()
        .await;
    println!("INC-{n}: {listed} members");
    group.chats().delete(&chat_id).await?;
    Ok(())
}

/// The workload: a few incidents, and one call that fails (a missing chat).
async fn workload(group: &Group) -> Result<(), Box<dyn Error>> {
    for n in 0..3 {
        incident(group, n).await?;
    }
    if let Err(e) = group.chats().get("oc_does_not_exist").await {
        println!("a missing chat fails: {e}");
    }
    Ok(())
}

/// Answers `GET /metrics` with the scrape, anything else with 404.
async fn serve(listener: TcpListener, handle: PrometheusHandle) {
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            continue;
        };
        let handle = handle.clone();
        tokio::spawn(async move {
            let mut request = [0u8; 1024];
            let n = socket.read(&mut request).await.unwrap_or(0);
            let head = String::from_utf8_lossy(&request[..n]);
            let (status, body) = if head.starts_with("GET /metrics ") {
                ("200 OK", handle.render())
            } else {
                ("404 Not Found", String::from("not found\n"))
            };
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: text/plain; version=0.0.4\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        });
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let once = args.iter().any(|a| a == "--once");
    let serve_for = match args.iter().position(|a| a == "--serve-for") {
        Some(i) => Duration::from_secs(
            args.get(i + 1)
                .ok_or("--serve-for needs a number of seconds")?
                .parse()?,
        ),
        None => Duration::from_secs(60),
    };

    // Histograms with buckets (the exporter renders summaries without them).
    let handle = PrometheusBuilder::new()
        .set_buckets(&[
            0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1.0, 2.5, 5.0, 10.0,
        ])?
        .install_recorder()?;
    let emulator = Emulator::with_default_fixture()?;
    let app = emulator.app_ids().into_iter().next().ok_or("no app")?;
    let client = emulator.client_builder_for(&app)?.build()?;
    let group = Group::new(&client);

    if once {
        workload(&group).await?;
        print!("{}", handle.render());
        return Ok(());
    }
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    println!(
        "serving http://{}/metrics for {serve_for:?} (Ctrl-C to stop)",
        listener.local_addr()?
    );
    let server = tokio::spawn(serve(listener, handle));
    workload(&group).await?;
    tokio::select! {
        _ = tokio::time::sleep(serve_for) => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    server.abort();
    Ok(())
}

//! Metrics through an interceptor: per-operation call counts, failures and
//! latency histograms, printed at exit. One `Interceptor` sees every attempt
//! of every call the client makes (retries included), with its status, log
//! id and latency; no second client, no wrapper around each call.
//!
//! Runs offline against the in-process Feishu emulator.
//!
//! Run: `cargo run -p feishu-group --example metrics`
#![allow(clippy::print_stdout)]

use std::collections::BTreeMap;
use std::error::Error;
use std::sync::Mutex;
use std::time::Duration;

use feishu_emulator::Emulator;
use feishu_group::Group;
use feishu_model::im::chat::CreateChatBody;
use feishu_transport::{Attempt, Interceptor, Outcome};
use futures::StreamExt;

/// Upper bounds of the latency buckets, in microseconds.
const BUCKETS_US: [u64; 6] = [50, 100, 250, 500, 1_000, 5_000];

#[derive(Debug, Default, Clone)]
struct Stats {
    attempts: u64,
    failures: u64,
    /// One counter per bucket of `BUCKETS_US`, plus one for slower attempts.
    histogram: [u64; BUCKETS_US.len() + 1],
    total: Duration,
}

/// Collects [`Stats`] per operation id.
#[derive(Debug, Default)]
struct Metrics(Mutex<BTreeMap<&'static str, Stats>>);

impl Interceptor for Metrics {
    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        let micros = u64::try_from(outcome.latency.as_micros()).unwrap_or(u64::MAX);
        let bucket = BUCKETS_US
            .iter()
            .position(|bound| micros <= *bound)
            .unwrap_or(BUCKETS_US.len());
        let mut all = match self.0.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let stats = all.entry(attempt.operation).or_default();
        stats.attempts += 1;
        stats.failures += u64::from(outcome.error.is_some());
        stats.histogram[bucket] += 1;
        stats.total += outcome.latency;
    }
}

impl Metrics {
    fn print(&self) {
        let all = match self.0.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let header: Vec<String> = BUCKETS_US
            .iter()
            .map(|b| format!("<={b}us"))
            .chain(std::iter::once("slower".to_owned()))
            .collect();
        println!(
            "{:<40} {:>8} {:>8} {:>10}  {}",
            "operation",
            "attempts",
            "failures",
            "mean",
            header.join(" ")
        );
        for (operation, s) in all {
            let mean = s.total / u32::try_from(s.attempts.max(1)).unwrap_or(u32::MAX);
            let bars: Vec<String> = s
                .histogram
                .iter()
                .zip(&header)
                .map(|(n, h)| format!("{n:>width$}", width = h.len()))
                .collect();
            println!(
                "{operation:<40} {:>8} {:>8} {:>10}  {}",
                s.attempts,
                s.failures,
                format!("{mean:.1?}"),
                bars.join(" ")
            );
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let emulator = Emulator::with_default_fixture()?;
    let metrics = std::sync::Arc::new(Metrics::default());
    let app = emulator.app_ids().into_iter().next().ok_or("no app")?;
    let client = emulator
        .client_builder_for(&app)?
        .interceptor(metrics.clone())
        .build()?;
    let group = Group::new(&client);

    let oncall = [
        "ou_9204a37300b3700d61effaa439f34295",
        "ou_7d8a6e6df7621556ce0d21922b676706",
    ];
    for n in 0..5 {
        let created = group
            .chats()
            .create(CreateChatBody {
                name: Some(format!("INC-{n}")),
                user_id_list: Some(oncall.iter().map(|id| (*id).into()).collect()),
                ..CreateChatBody::default()
            })
            .await?;
        let chat = group.chats().get(created.chat_id.clone()).await?;
        let members = group.members(created.chat_id.clone()).list().stream();
        let listed = members
            .filter(|m| std::future::ready(m.is_ok()))
            .count()
            .await;
        println!(
            "{}: {} members listed",
            chat.name.unwrap_or_default(),
            listed
        );
        group.chats().delete(created.chat_id.clone()).await?;
    }
    // A failing call shows up as a failure of its operation.
    let missing = group.chats().get("oc_does_not_exist").await;
    println!(
        "get of a missing chat: Feishu code {:?}",
        missing.err().and_then(|e| e.code())
    );

    metrics.print();
    Ok(())
}

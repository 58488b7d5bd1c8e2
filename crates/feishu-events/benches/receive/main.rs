//! The receiving benchmark: the SDK's webhook (W5) and long connection (W6)
//! against a hand-written floor, and the memory of the in-process de-dup.
//!
//! ```text
//! cargo bench -p feishu-events --features ws --bench receive            # full run
//! cargo bench -p feishu-events --features ws --bench receive -- --quick # smoke run
//! ```
//!
//! Every workload runs in a child process of this binary (so each has its
//! own peak RSS), client and server in the same process for the SDK and the
//! floor alike. Figures: events/s, process CPU time per event (user +
//! system time of all threads from schedstat, nothing subtracted), p50/p99 latency, peak RSS, allocations per
//! event (a counting global allocator). With `--reps R` each workload runs
//! R times, alternating SDK and floor, and medians are printed. The last
//! lines compare the SDK with the floor:
//! `W5 c=64: 1.03x floor CPU per event (p99 12.1 ms)`.
//!
//! Options: `--quick` (or `RECEIVE_BENCH_QUICK=1`): N = 300, one rep;
//! `--n N`; `--reps R`; `--only w5|w6|dedup`; `--child ...` is internal.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod corpus;
mod floor;
mod measure;
mod w5;
#[cfg(feature = "ws")]
mod w6;

use std::process::Command;
use std::time::Duration;

use feishu_events::{Dispatcher, MemoryDedup, Webhook};
use feishu_model::events::{
    ChatMemberUserAddedV1, ChatUpdatedV1, EventV2, MessageReactionCreatedV1, MessageReceiveV1,
};

use measure::Figures;

/// Which receiver runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Sdk,
    Floor,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Sdk => "sdk",
            Side::Floor => "floor",
        }
    }
}

/// The SDK's receiver: a dispatcher with a do-nothing handler for each event
/// type of the mix.
pub fn sdk_dispatcher() -> Dispatcher {
    Dispatcher::new(
        Webhook::new()
            .encrypt_key(corpus::ENCRYPT_KEY)
            .verification_token(corpus::TOKEN),
    )
    .on(|_: EventV2<MessageReceiveV1>| async { Ok(()) })
    .on(|_: EventV2<ChatMemberUserAddedV1>| async { Ok(()) })
    .on(|_: EventV2<ChatUpdatedV1>| async { Ok(()) })
    .on(|_: EventV2<MessageReactionCreatedV1>| async { Ok(()) })
}

/// The WebSocket buffers of the bench's server and of the floor: reads of
/// 16 KiB (tungstenite zero-fills its whole read buffer before every read,
/// 128 KiB by default), so that neither adds a cost the SDK does not have.
pub fn ws_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default().read_buffer_size(16 * 1024)
}

/// Bytes per remembered id of a full `MemoryDedup` of 100,000 ids.
fn dedup_bytes_per_id() -> f64 {
    const IDS: usize = 100_000;
    let ids: Vec<String> = (0..IDS).map(corpus::event_id).collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let before = measure::live_bytes();
    let store = MemoryDedup::with_capacity(IDS);
    runtime.block_on(async {
        use feishu_events::{Claim, DedupStore};
        for id in &ids {
            let Claim::Claimed(token) = store.claim(id, Duration::from_secs(600)).await.unwrap()
            else {
                panic!("{id} not claimed");
            };
            store
                .complete(id, &token, Duration::from_secs(8 * 3600))
                .await
                .unwrap();
        }
    });
    assert_eq!(store.len(), IDS);
    let after = measure::live_bytes();
    drop(store);
    (after - before) as f64 / IDS as f64
}

/// Runs one workload in this process and prints its `RESULT` line.
fn child(args: &[String]) {
    let kind = args.first().map(String::as_str).unwrap_or("");
    if kind == "dedup" {
        println!("DEDUP bytes_per_id={:.1}", dedup_bytes_per_id());
        return;
    }
    let side = match args.get(1).map(String::as_str) {
        Some("floor") => Side::Floor,
        _ => Side::Sdk,
    };
    let concurrency: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(1);
    let n: usize = args.get(3).and_then(|v| v.parse().ok()).unwrap_or(1000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    if std::env::var("RECEIVE_BENCH_PREP_ONLY").is_ok_and(|v| v == "1") {
        // Only the corpus is built: the instruction count of the
        // preparation, subtracted from a profiled run.
        let built = match kind {
            "w5" => (0..n).map(|i| corpus::request(i).body.len()).sum::<usize>(),
            #[cfg(feature = "ws")]
            "w6" => w6::prepare(n),
            other => panic!("unknown workload {other}"),
        };
        println!("PREPARED {built} bytes");
        return;
    }
    let figures = runtime.block_on(async move {
        match kind {
            "w5" => w5::run(side, concurrency, n).await,
            #[cfg(feature = "ws")]
            "w6" => w6::run(side, concurrency, n).await,
            other => panic!("unknown workload {other}"),
        }
    });
    println!("{}", figures.line());
    runtime.shutdown_timeout(Duration::from_millis(200));
}

/// Runs a child process and reads its result line.
fn spawn(args: &[String]) -> String {
    let exe = std::env::current_exe().unwrap();
    let output = Command::new(exe)
        .arg("--child")
        .args(args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "child {args:?} failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

fn run_child(kind: &str, side: Side, concurrency: usize, n: usize) -> Figures {
    let args = [kind, side.name(), &concurrency.to_string(), &n.to_string()].map(str::to_owned);
    let out = spawn(&args);
    out.lines()
        .find_map(Figures::parse)
        .unwrap_or_else(|| panic!("no result from {args:?}: {out}"))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// The medians of several runs of one workload and side.
struct Summary {
    events_per_sec: f64,
    cpu_us: f64,
    p50_ms: f64,
    p99_ms: f64,
    allocs: f64,
    rss_mib: f64,
}

impl Summary {
    fn of(runs: &[Figures]) -> Summary {
        let m = |f: fn(&Figures) -> f64| median(runs.iter().map(f).collect());
        Summary {
            events_per_sec: m(Figures::events_per_sec),
            cpu_us: m(Figures::cpu_us_per_event),
            p50_ms: m(|f| f.p50_ns as f64 / 1e6),
            p99_ms: m(|f| f.p99_ns as f64 / 1e6),
            allocs: m(Figures::allocs_per_event),
            rss_mib: m(|f| f.hwm_kib as f64 / 1024.0),
        }
    }

    fn detail(&self) -> String {
        format!(
            "{:>9.0} events/s  {:>7.1} us CPU/event  p50 {:>7.3} ms  p99 {:>7.3} ms  {:>6.1} allocs/event  peak RSS {:>6.1} MiB",
            self.events_per_sec, self.cpu_us, self.p50_ms, self.p99_ms, self.allocs, self.rss_mib
        )
    }
}

struct Options {
    n: usize,
    reps: usize,
    only: Option<String>,
}

fn options(args: &[String]) -> Options {
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var("RECEIVE_BENCH_QUICK").is_ok_and(|v| v == "1");
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    Options {
        n: value("--n")
            .and_then(|v| v.parse().ok())
            .unwrap_or(if quick { 300 } else { 20_000 }),
        reps: value("--reps")
            .and_then(|v| v.parse().ok())
            .unwrap_or(if quick { 1 } else { 3 })
            .max(1),
        only: value("--only"),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        child(&args[i + 1..]);
        return;
    }
    let options = options(&args);
    let wanted = |w: &str| options.only.as_deref().map_or(true, |o| o == w);
    let mut workloads = Vec::new();
    if wanted("w5") {
        workloads.push("w5");
    }
    if wanted("w6") {
        if cfg!(feature = "ws") {
            workloads.push("w6");
        } else {
            println!("W6 skipped: build the bench with `--features ws`");
        }
    }
    println!(
        "receiving bench: N = {} events per run, {} rep(s), medians; CPU = process CPU time (all threads, schedstat)",
        options.n, options.reps
    );
    let mut verdicts = Vec::new();
    for kind in &workloads {
        for concurrency in [1, 64] {
            let (mut sdk, mut floor) = (Vec::new(), Vec::new());
            for _ in 0..options.reps {
                sdk.push(run_child(kind, Side::Sdk, concurrency, options.n));
                floor.push(run_child(kind, Side::Floor, concurrency, options.n));
            }
            let (sdk, floor) = (Summary::of(&sdk), Summary::of(&floor));
            let name = kind.to_uppercase();
            println!("{name} c={concurrency} sdk   {}", sdk.detail());
            println!("{name} c={concurrency} floor {}", floor.detail());
            verdicts.push(format!(
                "{name} c={concurrency}: {:.2}x floor CPU per event (p99 {:.1} ms)",
                sdk.cpu_us / floor.cpu_us.max(f64::MIN_POSITIVE),
                sdk.p99_ms
            ));
        }
        let burst = |side| run_child(kind, side, 64, 1000);
        let (sdk, floor) = (burst(Side::Sdk), burst(Side::Floor));
        verdicts.push(format!(
            "{} burst 1000 c=64: p99 {:.1} ms (floor {:.1} ms)",
            kind.to_uppercase(),
            sdk.p99_ns as f64 / 1e6,
            floor.p99_ns as f64 / 1e6
        ));
    }
    if wanted("dedup") {
        let out = spawn(&["dedup".to_owned()]);
        let bytes = out
            .lines()
            .find_map(|l| l.strip_prefix("DEDUP bytes_per_id="))
            .unwrap_or("?")
            .to_owned();
        verdicts.push(format!(
            "de-dup: {bytes} bytes per id (MemoryDedup, 100000 ids)"
        ));
    }
    for line in verdicts {
        println!("{line}");
    }
}

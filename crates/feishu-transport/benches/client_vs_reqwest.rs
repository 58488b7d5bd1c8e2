//! `Client::execute` of a GET endpoint against bare reqwest + serde_json, both
//! against the same loopback server. Prints calls/s, µs and CPU µs per call
//! for each, and the ratio. Run: `cargo bench -p feishu-transport`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use feishu_model::Envelope;
use feishu_transport::{Client, LocalServer, RequestOptions};

const CALLS: u32 = 5_000;
const ROUNDS: usize = 5;

/// Process CPU time (user + system) from /proc, in clock ticks of 10 ms.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, s)| s).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // After the ')' the state is field 0; utime and stime are fields 11 and 12.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

async fn measure<F, Fut>(mut call: F) -> Sample
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let (c0, t0) = (cpu_time(), Instant::now());
    for _ in 0..CALLS {
        call().await;
    }
    Sample {
        wall: t0.elapsed(),
        cpu: cpu_time().saturating_sub(c0),
    }
}

fn median(mut v: Vec<Sample>) -> Sample {
    v.sort_by_key(|s| s.wall);
    v[v.len() / 2]
}

fn report(name: &str, s: Sample) {
    let per_call = s.wall.as_secs_f64() * 1e6 / f64::from(CALLS);
    let cpu_per_call = s.cpu.as_secs_f64() * 1e6 / f64::from(CALLS);
    println!(
        "{name:<28} {:>10.0} calls/s {per_call:>9.1} µs/call {cpu_per_call:>9.1} CPU µs/call",
        f64::from(CALLS) / s.wall.as_secs_f64()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = LocalServer::start(200, r#"{"code":0,"msg":"success","data":{"name":"bench"}}"#)
            .await
            .unwrap();
        let client = Client::builder()
            .base_url(server.url())
            .static_tenant_token("t-bench")
            .rate_limiting(false)
            .build()
            .unwrap();
        let bare = reqwest::Client::builder().build().unwrap();
        let url = format!("{}/open-apis/test/v1/things/th_1", server.url());
        let options = RequestOptions::new();
        let endpoint = common::get_thing("th_1");

        let sdk_call = || async {
            let out = client.execute(&endpoint, &options).await.unwrap();
            assert_eq!(out.name, "bench");
        };
        let bare_call = || async {
            let resp = bare.get(&url).header("authorization", "Bearer t-bench").send().await.unwrap();
            let bytes = resp.bytes().await.unwrap();
            let env: Envelope<common::Thing> = serde_json::from_slice(&bytes).unwrap();
            assert_eq!(env.data.unwrap().name, "bench");
        };
        // Warm up both connection pools.
        measure(sdk_call).await;
        measure(bare_call).await;
        let (mut sdk, mut raw) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            sdk.push(measure(sdk_call).await);
            raw.push(measure(bare_call).await);
        }
        let (sdk, raw) = (median(sdk), median(raw));
        println!("{CALLS} sequential GET calls per round, median of {ROUNDS} rounds, one loopback server");
        report("feishu Client::execute", sdk);
        report("bare reqwest + serde_json", raw);
        println!(
            "ratio (client / bare): wall {:.3}x, CPU {:.3}x",
            sdk.wall.as_secs_f64() / raw.wall.as_secs_f64(),
            sdk.cpu.as_secs_f64() / raw.cpu.as_secs_f64().max(1e-9)
        );
    });
}

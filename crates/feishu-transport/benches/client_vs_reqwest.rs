//! The peer harness's workloads, in-repo: the full `Client` against a
//! careful hand-written reqwest + serde_json call (the floor), both against
//! the same loopback server, which runs in a child process so that the
//! allocation counts are the client's alone.
//!
//! - W1: sequential `chat.get` (the documented response body, every field
//!   decoded): wall and CPU time per call, allocations per call.
//! - W2: `chat.get` at concurrency 64: calls/s, CPU per call, allocations.
//! - W3: 5,000 members in 50 pages of 100, streamed: ms per listing.
//!
//! The floor decodes into a plain struct with the same documented fields
//! (no unknown-field keeping, no error typing); the client goes through
//! tokens, retries, typed errors and `Extra`. Medians of 5 rounds.
//!
//! Run: `cargo bench -p feishu-transport --features test-util`.
//!
//! With `FEISHU_BENCH_W1_CALLS=N` the binary runs only the client's W1 part
//! (after the warm-up) for `N` calls and prints nothing: a run to count
//! instructions in, e.g. under `valgrind --tool=callgrind`, where the
//! difference between `N` and `2N` calls divided by `N` is the cost of one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::alloc::System;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_model::im::chat::GetChat;
use feishu_model::im::members::ListMembers;
use feishu_transport::{AppCredentials, Client};
use futures::StreamExt;
use serde::Deserialize;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const W1_CALLS: u32 = 5_000;
const W2_CALLS: u32 = 20_000;
const W2_CONCURRENCY: usize = 64;
const W3_LISTINGS: u32 = 20;
const ROUNDS: usize = 5;
const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const GET_CHAT: &str =
    include_str!("../../feishu-model/tests/fixtures/im.v1.chat.get.response.json");

// ---------------------------------------------------------------- server

mod server {
    use std::convert::Infallible;

    use bytes::Bytes;
    use http_body_util::Full;
    use hyper::{Request, Response};

    const MEMBERS: usize = 5_000;

    fn page(token: usize, size: usize) -> String {
        let end = (token + size).min(MEMBERS);
        let items: Vec<String> = (token..end)
            .map(|i| {
                format!(
                    r#"{{"member_id_type":"open_id","member_id":"ou_{i:032}","name":"member {i}","tenant_key":"736588c9260f175e"}}"#
                )
            })
            .collect();
        let more = end < MEMBERS;
        format!(
            r#"{{"code":0,"msg":"success","data":{{"items":[{}],"page_token":"{}","has_more":{more},"member_total":{MEMBERS}}}}}"#,
            items.join(","),
            if more { end.to_string() } else { String::new() }
        )
    }

    async fn answer(
        req: Request<hyper::body::Incoming>,
    ) -> Result<Response<Full<Bytes>>, Infallible> {
        let path = req.uri().path().to_owned();
        let query = req.uri().query().unwrap_or_default().to_owned();
        let body = if path.ends_with("/tenant_access_token/internal") {
            r#"{"code":0,"msg":"ok","tenant_access_token":"t-bench","expire":7200}"#.to_owned()
        } else if path.ends_with("/members") {
            let get = |k: &str| {
                query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(k).and_then(|v| v.strip_prefix('=')))
                    .and_then(|v| v.parse::<usize>().ok())
            };
            page(
                get("page_token").unwrap_or(0),
                get("page_size").unwrap_or(20),
            )
        } else {
            super::GET_CHAT.to_owned()
        };
        let mut response = Response::new(Full::new(Bytes::from(body)));
        response.headers_mut().insert(
            "content-type",
            "application/json; charset=utf-8".parse().unwrap(),
        );
        response
            .headers_mut()
            .insert("x-tt-logid", "202411221534567890ABCDEF".parse().unwrap());
        Ok(response)
    }

    pub fn run() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            println!("{}", listener.local_addr().unwrap());
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                let _ = stream.set_nodelay(true);
                tokio::spawn(async move {
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, hyper::service::service_fn(answer))
                        .await;
                });
            }
        });
    }
}

// ---------------------------------------------------------------- floor

#[derive(Deserialize)]
struct Envelope<T> {
    code: i64,
    data: Option<T>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct I18nNames {
    zh_cn: Option<String>,
    en_us: Option<String>,
    ja_jp: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct Restricted {
    status: Option<bool>,
    screenshot_has_permission_setting: Option<String>,
    download_has_permission_setting: Option<String>,
    message_has_permission_setting: Option<String>,
}

/// Every field of the documented "get chat" response, as a careful
/// hand-written client would decode it.
#[derive(Deserialize, Default)]
#[serde(default)]
#[allow(dead_code)]
struct Chat {
    avatar: Option<String>,
    name: Option<String>,
    description: Option<String>,
    i18n_names: Option<I18nNames>,
    add_member_permission: Option<String>,
    share_card_permission: Option<String>,
    at_all_permission: Option<String>,
    edit_permission: Option<String>,
    owner_id_type: Option<String>,
    owner_id: Option<String>,
    user_manager_id_list: Option<Vec<String>>,
    bot_manager_id_list: Option<Vec<String>>,
    group_message_type: Option<String>,
    chat_mode: Option<String>,
    chat_type: Option<String>,
    chat_tag: Option<String>,
    join_message_visibility: Option<String>,
    leave_message_visibility: Option<String>,
    membership_approval: Option<String>,
    moderation_permission: Option<String>,
    external: Option<bool>,
    tenant_key: Option<String>,
    user_count: Option<String>,
    bot_count: Option<String>,
    restricted_mode_setting: Option<Restricted>,
    urgent_setting: Option<String>,
    video_conference_setting: Option<String>,
    hide_member_count_setting: Option<String>,
    chat_status: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Member {
    member_id_type: Option<String>,
    member_id: Option<String>,
    name: Option<String>,
    tenant_key: Option<String>,
}

#[derive(Deserialize)]
struct MembersPage {
    #[serde(default)]
    items: Vec<Member>,
    page_token: Option<String>,
    #[serde(default)]
    has_more: bool,
}

#[derive(Clone)]
struct Floor {
    http: reqwest::Client,
    base: Arc<str>,
    auth: Arc<str>,
}

impl Floor {
    async fn get_chat(&self) -> bool {
        let response = self
            .http
            .get(format!("{}/open-apis/im/v1/chats/{CHAT}", self.base))
            .header("authorization", &*self.auth)
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap();
        let env: Envelope<Chat> = serde_json::from_slice(&bytes).unwrap();
        env.code == 0 && env.data.is_some_and(|c| c.name.is_some())
    }

    async fn list_members(&self) -> usize {
        let (mut n, mut token) = (0, String::new());
        loop {
            let response = self
                .http
                .get(format!(
                    "{}/open-apis/im/v1/chats/{CHAT}/members?member_id_type=open_id&page_size=100&page_token={token}",
                    self.base
                ))
                .header("authorization", &*self.auth)
                .send()
                .await
                .unwrap();
            let bytes = response.bytes().await.unwrap();
            let env: Envelope<MembersPage> = serde_json::from_slice(&bytes).unwrap();
            let page = env.data.unwrap();
            n += page.items.len();
            match (page.has_more, page.page_token) {
                (true, Some(t)) => token = t,
                _ => return n,
            }
        }
    }
}

// ---------------------------------------------------------------- measuring

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
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

#[derive(Clone, Copy, Default)]
struct Sample {
    wall: Duration,
    cpu: Duration,
    allocs: f64,
}

fn median(mut v: Vec<Sample>) -> Sample {
    v.sort_by_key(|s| s.wall);
    v[v.len() / 2]
}

async fn measure<F, Fut>(units: u32, run: F) -> Sample
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut samples = Vec::new();
    for _ in 0..ROUNDS {
        let region = Region::new(GLOBAL);
        let (c0, t0) = (cpu_time(), Instant::now());
        run().await;
        let wall = t0.elapsed();
        let cpu = cpu_time().saturating_sub(c0);
        let allocs = region.change().allocations as f64 / f64::from(units);
        samples.push(Sample { wall, cpu, allocs });
    }
    median(samples)
}

async fn sequential<F, Fut>(n: u32, call: F)
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..n {
        assert!(call().await);
    }
}

async fn concurrent<F, Fut>(n: u32, call: F)
where
    F: Fn() -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let per_task = n / W2_CONCURRENCY as u32;
    let tasks: Vec<_> = (0..W2_CONCURRENCY)
        .map(|_| {
            let call = call.clone();
            tokio::spawn(async move {
                for _ in 0..per_task {
                    assert!(call().await);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

fn row(workload: &str, who: &str, units: u32, s: Sample) {
    let per = s.wall.as_secs_f64() * 1e6 / f64::from(units);
    let cpu = s.cpu.as_secs_f64() * 1e6 / f64::from(units);
    println!(
        "{workload:<4} {who:<9} {:>10.0} /s {per:>10.1} µs {cpu:>10.1} CPU µs {:>8.1} allocs",
        f64::from(units) / s.wall.as_secs_f64(),
        s.allocs
    );
}

fn ratio(workload: &str, ours: Sample, floor: Sample) {
    let cpu = |s: Sample| s.cpu.as_secs_f64().max(0.01);
    println!(
        "{workload:<4} ratio     wall {:.3}x  CPU {:.3}x  allocs {:.2}x",
        ours.wall.as_secs_f64() / floor.wall.as_secs_f64(),
        cpu(ours) / cpu(floor),
        ours.allocs / floor.allocs.max(1e-9)
    );
}

/// The call count of a W1-only run, when `FEISHU_BENCH_W1_CALLS` asks for one.
fn w1_calls_only() -> Option<u32> {
    let n = std::env::var("FEISHU_BENCH_W1_CALLS").ok()?;
    Some(
        n.trim()
            .parse()
            .expect("FEISHU_BENCH_W1_CALLS is a call count"),
    )
}

fn main() {
    if std::env::var_os("FEISHU_BENCH_SERVER").is_some() {
        server::run();
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .env("FEISHU_BENCH_SERVER", "1")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut addr = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut addr)
        .unwrap();
    let base = format!("http://{}", addr.trim());

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = Client::builder()
            .base_url(base.clone())
            .credentials(AppCredentials::self_built("cli_bench", "bench-secret"))
            .rate_limiting(false)
            .build()
            .unwrap();
        let floor = Floor {
            http: reqwest::Client::builder().build().unwrap(),
            base: base.clone().into(),
            auth: "Bearer t-bench".into(),
        };
        let ours_get = {
            let client = client.clone();
            move || {
                let call = client.call(GetChat::new(CHAT));
                async move { call.await.unwrap().name.is_some() }
            }
        };
        let floor_get = {
            let floor = floor.clone();
            move || {
                let floor = floor.clone();
                async move { floor.get_chat().await }
            }
        };
        // Warm up: token, pools, first connection.
        sequential(200, &ours_get).await;
        if let Some(n) = w1_calls_only() {
            sequential(n, &ours_get).await;
            return;
        }
        sequential(200, &floor_get).await;

        let w1_ours = measure(W1_CALLS, || sequential(W1_CALLS, &ours_get)).await;
        let w1_floor = measure(W1_CALLS, || sequential(W1_CALLS, &floor_get)).await;
        let w2_ours = measure(W2_CALLS, || concurrent(W2_CALLS, ours_get.clone())).await;
        let w2_floor = measure(W2_CALLS, || concurrent(W2_CALLS, floor_get.clone())).await;
        let list_ours = || async {
            for _ in 0..W3_LISTINGS {
                let mut list = ListMembers::new(CHAT);
                list.query.member_id_type = Some(feishu_model::UserIdType::OpenId);
                let n = client
                    .call(list)
                    .page_size(100)
                    .stream()
                    .fold(0usize, |n, m| async move { n + usize::from(m.is_ok()) })
                    .await;
                assert_eq!(n, 5_000);
            }
        };
        let list_floor = || async {
            for _ in 0..W3_LISTINGS {
                assert_eq!(floor.list_members().await, 5_000);
            }
        };
        let w3_ours = measure(W3_LISTINGS, list_ours).await;
        let w3_floor = measure(W3_LISTINGS, list_floor).await;

        println!("client = Client + typed model; floor = reqwest + serde_json into a plain struct");
        row("W1", "client", W1_CALLS, w1_ours);
        row("W1", "floor", W1_CALLS, w1_floor);
        ratio("W1", w1_ours, w1_floor);
        row("W2", "client", W2_CALLS, w2_ours);
        row("W2", "floor", W2_CALLS, w2_floor);
        ratio("W2", w2_ours, w2_floor);
        row("W3", "client", W3_LISTINGS, w3_ours);
        row("W3", "floor", W3_LISTINGS, w3_floor);
        ratio("W3", w3_ours, w3_floor);
    });
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::io::stdout().flush();
}

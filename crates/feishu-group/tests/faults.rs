//! The client under injected faults: a mixed workload through the group
//! services, over real sockets, through a fault-injecting proxy in front of
//! the emulator served on loopback. The emulator is the truth: after the
//! run, what the client reported is compared with what the server holds.
//!
//! `fault_workload` runs about 2,000 calls; `fault_workload_100k` (ignored)
//! runs 100,000: `cargo test -p feishu-group --test faults -- --ignored --nocapture`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use feishu_emulator::{Emulator, Fixture};
use feishu_group::Group;
use feishu_model::im::chat::CreateChatBody;
use feishu_model::MemberId;
use feishu_transport::{
    AppCredentials, Client, Error, FaultKind, FaultPlan, FaultProxy, TransportErrorKind,
};
use futures::StreamExt;
use serde_json::json;

/// How late a call may end after its deadline.
const LATENESS_BOUND: Duration = Duration::from_millis(100);
/// The client's default deadline: it bounds each call of a batched add.
const BATCH_DEADLINE: Duration = Duration::from_secs(2);
const TENANT: &str = "7365f00dfa017000";
const USERS: usize = 200;
const STATIC_CHATS_PER_APP: usize = 2;

struct Config {
    seed: u64,
    calls: usize,
    apps: usize,
    workers_per_app: usize,
    rate: f64,
    token_rate: f64,
}

fn user(i: usize) -> String {
    format!("ou_{i:032x}")
}

fn app_id(a: usize) -> String {
    format!("cli_fa{a:014x}")
}

fn static_chat(a: usize, c: usize) -> String {
    format!("oc_{a:016x}{c:016x}")
}

/// One tenant, `apps` self-built apps, 200 users; each app's bot is in two
/// chats of 20 to 90 users that nobody changes during the run.
fn fixture(cfg: &Config) -> (Fixture, HashMap<String, String>) {
    let mut rng = fastrand::Rng::with_seed(cfg.seed ^ 0x5eed);
    let users: Vec<_> = (0..USERS)
        .map(|i| json!({"open_id": user(i), "name": format!("user {i}"), "tenant_key": TENANT}))
        .collect();
    let apps: Vec<_> = (0..cfg.apps)
        .map(|a| {
            json!({"app_id": app_id(a), "app_secret": format!("secret-{a}"),
                   "name": format!("bot {a}"), "tenant_key": TENANT})
        })
        .collect();
    let mut names = HashMap::new();
    let mut chats = Vec::new();
    for a in 0..cfg.apps {
        for c in 0..STATIC_CHATS_PER_APP {
            let size = rng.usize(20..=90);
            let start = rng.usize(0..USERS - size);
            let members: Vec<String> = (start..start + size).map(user).collect();
            let name = format!("static {a}/{c}");
            names.insert(static_chat(a, c), name.clone());
            chats.push(json!({
                "chat_id": static_chat(a, c), "tenant_key": TENANT, "name": name,
                "owner": members[0], "creator": app_id(a), "users": members, "bots": [app_id(a)],
            }));
        }
    }
    let seed = json!({"seed": cfg.seed, "tenants": [{"tenant_key": TENANT, "name": "Fault Corp"}],
                      "apps": apps, "users": users, "chats": chats});
    (Fixture::from_json(&seed.to_string()).unwrap(), names)
}

/// A listing's end: every item, or the error that ended it.
enum Listing {
    Complete(Vec<String>),
    Failed,
}

#[derive(Default)]
struct Tally {
    calls: u64,
    ok: u64,
    errors: BTreeMap<String, u64>,
    worst_lateness: Option<Duration>,
    late: Vec<String>,
    listings: Vec<(String, Listing)>,
    wrong_get: Vec<String>,
    /// Successful creates: name → chat id.
    created: Vec<(String, String)>,
    /// Names whose create never succeeded, even resent with its uuid.
    unresolved: Vec<String>,
    create_resends: u64,
    /// Successful adds: chat → ids the server accepted.
    added: Vec<(String, Vec<String>)>,
}

fn kind_of(e: &Error) -> String {
    match e {
        Error::Api(a) => format!("api_{}", a.code),
        Error::UserToken(_) => "user_token".into(),
        Error::RateLimited(_) => "rate_limited".into(),
        Error::Http { status, .. } => format!("http_{status}"),
        Error::Decode { .. } => "decode".into(),
        Error::Transport { source, .. } => match source.kind {
            TransportErrorKind::Connect => "transport_connect".into(),
            TransportErrorKind::Timeout => "transport_timeout".into(),
            _ => "transport_other".into(),
        },
        Error::Rejected { .. } => "rejected".into(),
        Error::Pagination { .. } => "pagination".into(),
        Error::Auth { .. } => "auth".into(),
        Error::Timeout { .. } => "timeout".into(),
        _ => "other".into(),
    }
}

impl Tally {
    fn ended<T>(
        &mut self,
        what: &str,
        result: &Result<T, Error>,
        elapsed: Duration,
        limit: Duration,
    ) {
        self.calls += 1;
        match result {
            Ok(_) => self.ok += 1,
            Err(e) => *self.errors.entry(kind_of(e)).or_default() += 1,
        }
        self.timing(what, elapsed, limit);
    }

    fn timing(&mut self, what: &str, elapsed: Duration, limit: Duration) {
        let late = elapsed.saturating_sub(limit);
        if self.worst_lateness.map_or(true, |w| late > w) {
            self.worst_lateness = Some(late);
        }
        if elapsed > limit + LATENESS_BOUND {
            self.late
                .push(format!("{what}: {elapsed:?} for a deadline of {limit:?}"));
        }
    }

    fn merge(&mut self, other: Tally) {
        self.calls += other.calls;
        self.ok += other.ok;
        for (k, n) in other.errors {
            *self.errors.entry(k).or_default() += n;
        }
        if other.worst_lateness > self.worst_lateness {
            self.worst_lateness = other.worst_lateness;
        }
        self.late.extend(other.late);
        self.listings.extend(other.listings);
        self.wrong_get.extend(other.wrong_get);
        self.created.extend(other.created);
        self.unresolved.extend(other.unresolved);
        self.create_resends += other.create_resends;
        self.added.extend(other.added);
    }
}

fn deadline(rng: &mut fastrand::Rng) -> Duration {
    Duration::from_millis(rng.u64(1000..=3000))
}

/// Lists a chat's members through `.stream()`, timing each page against
/// its deadline (each page is one call with its own deadline).
async fn list(group: &Group, chat: &str, rng: &mut fastrand::Rng, t: &mut Tally) {
    let limit = deadline(rng);
    let stream = group
        .members(chat)
        .list()
        .page_size(rng.u32(10..=50))
        .timeout(limit)
        .stream();
    futures::pin_mut!(stream);
    let mut ids = Vec::new();
    let mut mark = Instant::now();
    let mut failed = None;
    while let Some(item) = stream.next().await {
        // Items of one page come at once; only a page fetch takes time.
        t.timing("list page", mark.elapsed(), limit);
        mark = Instant::now();
        match item {
            Ok(member) => ids.push(member.member_id.map(|m| m.to_string()).unwrap_or_default()),
            Err(e) => {
                failed = Some(e);
                break;
            }
        }
    }
    t.timing("list end", mark.elapsed(), limit);
    t.calls += 1;
    match failed {
        None => {
            t.ok += 1;
            t.listings.push((chat.to_owned(), Listing::Complete(ids)));
        }
        Some(e) => {
            *t.errors.entry(kind_of(&e)).or_default() += 1;
            t.listings.push((chat.to_owned(), Listing::Failed));
        }
    }
}

/// Creates a chat with its own uuid; a failed create is resent with the
/// same uuid (up to 4 times), as a caller should.
async fn create(
    group: &Group,
    name: String,
    rng: &mut fastrand::Rng,
    t: &mut Tally,
) -> Option<String> {
    let uuid = format!("{:016x}{:016x}", rng.u64(..), rng.u64(..));
    let initial: Vec<MemberId> = (0..rng.usize(1..=5))
        .map(|_| MemberId::from(user(rng.usize(0..USERS))))
        .collect();
    for round in 0..5 {
        let body = CreateChatBody {
            name: Some(name.clone()),
            user_id_list: Some(initial.clone()),
            ..CreateChatBody::default()
        };
        let limit = deadline(rng);
        let started = Instant::now();
        let uuid = uuid.clone();
        let result = group
            .chats()
            .create(body)
            .configure(|c| c.query.uuid = Some(uuid))
            .timeout(limit)
            .send()
            .await;
        t.ended("create", &result, started.elapsed(), limit);
        if round > 0 {
            t.create_resends += 1;
        }
        if let Ok(chat) = result {
            let id = chat.chat_id.to_string();
            t.created.push((name, id.clone()));
            return Some(id);
        }
    }
    t.unresolved.push(name);
    None
}

/// Adds members in batches; `true` when every call of the batch succeeded
/// (a failed one may still be in flight on the server).
async fn add(group: &Group, chat: &str, rng: &mut fastrand::Rng, t: &mut Tally) -> bool {
    let count = rng.usize(51..=120);
    let start = rng.usize(0..USERS - count);
    let ids: Vec<String> = (start..start + count).map(user).collect();
    let batch = group.members(chat).add(ids.clone());
    let chunks = u32::try_from(batch.calls_needed()).unwrap();
    let started = Instant::now();
    let result = batch.send().await;
    t.ended("add", &result, started.elapsed(), BATCH_DEADLINE * chunks);
    if let Ok(out) = result {
        let refused: HashSet<String> = out
            .invalid_id_list
            .iter()
            .chain(&out.not_existed_id_list)
            .chain(&out.pending_approval_id_list)
            .flatten()
            .map(|m| m.to_string())
            .collect();
        let accepted = ids.into_iter().filter(|i| !refused.contains(i)).collect();
        t.added.push((chat.to_owned(), accepted));
        return true;
    }
    false
}

async fn worker(
    group: Group,
    app: usize,
    w: usize,
    seed: u64,
    budget: Arc<AtomicUsize>,
    names: Arc<HashMap<String, String>>,
) -> Tally {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut t = Tally::default();
    let mut n = 0;
    let take = |k: usize| {
        budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(k)
            })
            .is_ok()
    };
    loop {
        let chat = static_chat(app, rng.usize(0..STATIC_CHATS_PER_APP));
        match rng.u8(0..10) {
            0..=3 => {
                if !take(1) {
                    break;
                }
                let limit = deadline(&mut rng);
                let started = Instant::now();
                let result = group.chats().get(chat.clone()).timeout(limit).send().await;
                t.ended("get", &result, started.elapsed(), limit);
                if let Ok(got) = result {
                    if got.name.as_deref() != names.get(&chat).map(String::as_str) {
                        t.wrong_get.push(format!("{chat}: {:?}", got.name));
                    }
                }
            }
            4..=6 => {
                if !take(1) {
                    break;
                }
                list(&group, &chat, &mut rng, &mut t).await;
            }
            _ => {
                // Create, add in batches, then list the new chat: 3 calls
                // (and the resends of a failed create).
                if !take(3) {
                    break;
                }
                n += 1;
                let name = format!("fault {app}/{w}/{n}");
                if let Some(id) = create(&group, name, &mut rng, &mut t).await {
                    // Listed only when no write to it can still be in
                    // flight, so the server's final state is the truth.
                    if add(&group, &id, &mut rng, &mut t).await {
                        list(&group, &id, &mut rng, &mut t).await;
                    }
                }
            }
        }
    }
    t
}

async fn run(cfg: Config) {
    let (fixture, names) = fixture(&cfg);
    let emulator = Emulator::from_fixture(fixture).unwrap();
    let before = emulator.snapshot().chats.len();
    let server = emulator.start("127.0.0.1:0").await.unwrap();
    let plan = FaultPlan {
        token_rate: cfg.token_rate,
        stall: Duration::from_secs(4),
        drip_delay: Duration::from_millis(60),
        ..FaultPlan::new(cfg.seed, cfg.rate)
    };
    let proxy = FaultProxy::start(server.addr(), plan).await.unwrap();
    let names = Arc::new(names);
    let budget = Arc::new(AtomicUsize::new(cfg.calls));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for a in 0..cfg.apps {
        let client = Client::builder()
            .base_url(proxy.url())
            .credentials(AppCredentials::self_built(app_id(a), format!("secret-{a}")))
            .timeout(BATCH_DEADLINE)
            .build()
            .unwrap();
        let group = Group::new(&client);
        for w in 0..cfg.workers_per_app {
            let seed = cfg
                .seed
                .wrapping_mul(1_000_003)
                .wrapping_add((a * 1000 + w) as u64);
            tasks.push(tokio::spawn(worker(
                group.clone(),
                a,
                w,
                seed,
                budget.clone(),
                names.clone(),
            )));
        }
    }
    let mut tally = Tally::default();
    let mut panics = 0;
    for task in tasks {
        match task.await {
            Ok(t) => tally.merge(t),
            Err(e) if e.is_panic() => panics += 1,
            Err(e) => panic!("worker cancelled: {e}"),
        }
    }
    let wall = started.elapsed();

    // The server's truth.
    let snapshot = emulator.snapshot();
    let members: HashMap<&str, Vec<&str>> = snapshot
        .chats
        .iter()
        .map(|c| {
            let users = c
                .members
                .iter()
                .filter(|m| m.kind == "user")
                .map(|m| m.id.as_str());
            (c.chat_id.as_str(), users.collect())
        })
        .collect();
    let mut by_name: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in &snapshot.chats {
        if let Some(name) = c.name.as_deref().filter(|n| n.starts_with("fault ")) {
            by_name.entry(name).or_default().push(c.chat_id.as_str());
        }
    }
    let server_created = snapshot.chats.len() - before;
    let duplicates: Vec<_> = by_name.iter().filter(|(_, ids)| ids.len() > 1).collect();
    let created_ok: HashSet<&str> = tally.created.iter().map(|(_, id)| id.as_str()).collect();
    for (name, id) in &tally.created {
        assert_eq!(
            by_name.get(name.as_str()),
            Some(&vec![id.as_str()]),
            "{name}"
        );
    }
    let unresolved_on_server = tally
        .unresolved
        .iter()
        .filter(|n| by_name.contains_key(n.as_str()))
        .count();

    let (mut complete, mut failed, mut short, mut dup_lists, mut wrong) = (0, 0, 0, 0, Vec::new());
    for (chat, listing) in &tally.listings {
        match listing {
            Listing::Failed => failed += 1,
            Listing::Complete(ids) => {
                complete += 1;
                let truth = &members[chat.as_str()];
                if ids.len() != ids.iter().collect::<HashSet<_>>().len() {
                    dup_lists += 1;
                }
                if ids.len() < truth.len() {
                    short += 1;
                }
                if ids != truth {
                    wrong.push(format!("{chat}: listed {} of {}", ids.len(), truth.len()));
                }
            }
        }
    }
    let missing_adds: usize = tally
        .added
        .iter()
        .map(|(chat, ids)| {
            let truth: HashSet<&str> = members[chat.as_str()].iter().copied().collect();
            ids.iter().filter(|i| !truth.contains(i.as_str())).count()
        })
        .sum();

    let token_limit = cfg.apps as u64 + proxy.injected(FaultKind::InvalidToken);
    let faults: Vec<String> = proxy
        .injected_by_kind()
        .iter()
        .map(|(k, n)| format!("{k}={n}"))
        .collect();
    let errors: Vec<String> = tally
        .errors
        .iter()
        .map(|(k, n)| format!("{k}={n}"))
        .collect();
    println!(
        "fault run: seed {} | {} calls in {:.1?} ({} ok, {} err) | {} requests, {} forwarded | \
         faults {} [{}] | errors [{}] | worst lateness {:?} (bound {:?}) | creates ok {} \
         (resends {}), server created {}, unresolved {} ({} on server), duplicates {} | \
         listings {} complete, {} ended with an error, short {}, with duplicates {} | \
         token requests {}, clean token answers {} (limit {}) | panics {}",
        cfg.seed,
        tally.calls,
        wall,
        tally.ok,
        tally.calls - tally.ok,
        proxy.requests(),
        proxy.forwarded(),
        proxy.injected_total(),
        faults.join(" "),
        errors.join(" "),
        tally.worst_lateness.unwrap_or_default(),
        LATENESS_BOUND,
        created_ok.len(),
        tally.create_resends,
        server_created,
        tally.unresolved.len(),
        unresolved_on_server,
        duplicates.len(),
        complete,
        failed,
        short,
        dup_lists,
        proxy.token_requests(),
        proxy.clean_token_answers(),
        token_limit,
        panics,
    );

    assert_eq!(panics, 0);
    // A create flow reserves 3 calls and skips its listing after a failed add.
    assert!(
        tally.calls as usize >= cfg.calls * 9 / 10,
        "{} calls",
        tally.calls
    );
    assert!(
        tally.late.is_empty(),
        "late calls: {:?}",
        &tally.late[..tally.late.len().min(10)]
    );
    assert!(!tally.errors.contains_key("rejected"), "{:?}", tally.errors);
    assert!(tally.wrong_get.is_empty(), "{:?}", tally.wrong_get);
    assert!(duplicates.is_empty(), "duplicate chats: {duplicates:?}");
    assert_eq!(server_created, created_ok.len() + unresolved_on_server);
    assert!(
        wrong.is_empty(),
        "listings that differ from the server: {wrong:?}"
    );
    assert_eq!((short, dup_lists), (0, 0));
    assert_eq!(missing_adds, 0, "ids reported added but not on the server");
    assert!(
        proxy.clean_token_answers() <= token_limit,
        "{} token answers for {} cold starts and {} forced invalidations",
        proxy.clean_token_answers(),
        cfg.apps,
        proxy.injected(FaultKind::InvalidToken)
    );
    // The run really was under fire, and most calls still succeeded.
    assert!(proxy.injected_total() > cfg.calls as u64 / 20, "{faults:?}");
    assert!(complete > 0 && failed > 0 && !tally.created.is_empty());
    assert!(
        tally.ok * 2 > tally.calls,
        "{} of {} calls ok",
        tally.ok,
        tally.calls
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_workload() {
    run(Config {
        seed: 20_240_610,
        calls: 2_000,
        apps: 8,
        workers_per_app: 4,
        rate: 0.1,
        token_rate: 0.25,
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "100,000 calls: a few minutes"]
async fn fault_workload_100k() {
    run(Config {
        seed: 20_240_611,
        calls: 100_000,
        apps: 64,
        workers_per_app: 4,
        rate: 0.1,
        token_rate: 0.25,
    })
    .await;
}

//! Rate limits keyed like the server's: per API, per app, per tenant.
//!
//! - [`Windows`]: exact sliding logs, the reference a server enforces (the
//!   emulator uses it).
//! - [`RateLimiter`]: the client's limiter, O(1) state per key, conservative
//!   so that no window of the documented length ever sees more calls than
//!   allowed.
//! - [`Limiter`]: the seam the client calls; [`RateLimiter`] is its
//!   in-process implementation, and a shared one (one budget for many
//!   processes) plugs in through [`crate::ClientBuilder::rate_limiter`].

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::RateLimit;
use tokio::time::Instant;

/// Where the client asks before every attempt whether a call may go out.
///
/// Implementations keep the budget of each [`LimitKey`] (per API, per app,
/// per tenant): in process ([`RateLimiter`]) or shared by many processes.
#[async_trait]
pub trait Limiter: Send + Sync + std::fmt::Debug {
    /// Waits until a call under `key` fits `limit`, then records it.
    async fn acquire(&self, key: &LimitKey, limit: RateLimit);

    /// The server answered a call under `key` with its rate-limit response
    /// and asked to wait `reset`: no call under `key` should go out before
    /// then. The default ignores it (the call's retry still waits).
    async fn blocked(&self, _key: &LimitKey, _reset: Duration) {}
}

/// What one limiter bucket is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimitKey {
    /// Operation id.
    pub operation: &'static str,
    /// App id (empty when the client has no app credentials).
    pub app: String,
    /// Tenant key (empty for the app's own tenant).
    pub tenant: String,
    /// A narrower budget inside the operation's, such as one receiver of
    /// message sends (`chat_id:oc_..`); empty for the operation's own
    /// budget, which is what the client keys its calls by.
    pub scope: String,
}

/// One more budget a single call waits for before each of its attempts,
/// beside the client's per-API one: for limits the server keeps per
/// resource (5 messages a second to one chat) that a per-API key cannot
/// see. Set with [`crate::RequestOptions::call_limit`].
///
/// Like the client's limiter, it is asked again before every retry, and a
/// rate-limit answer to the call holds its key
/// ([`Limiter::blocked`]).
#[derive(Clone)]
pub struct CallLimit {
    /// Where the budget is kept (in process, or shared by a fleet).
    pub limiter: Arc<dyn Limiter>,
    /// The budget's key.
    pub key: LimitKey,
    /// The budget.
    pub limit: RateLimit,
}

impl std::fmt::Debug for CallLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallLimit")
            .field("key", &self.key)
            .field("limit", &self.limit)
            .finish_non_exhaustive()
    }
}

/// A call refused by [`Windows::try_admit`]: how long until it fits, and
/// the limit of the window that is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// Time until the call would be admitted.
    pub wait: Duration,
    /// The calls the full window allows.
    pub limit: u32,
}

/// The sliding windows of one key, with time given by the caller (sans-IO):
/// the client's limiter and a server enforcing the same documented limits
/// share this one piece.
#[derive(Debug, Clone, Default)]
pub struct Windows {
    second: VecDeque<Duration>,
    minute: VecDeque<Duration>,
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

/// The longest wait a rate-limit answer (`x-ogw-ratelimit-reset`) is taken
/// at: the default [`RetryPolicy::max_server_wait`](crate::RetryPolicy) and
/// the longest a [`Limiter`] holds a key after such an answer.
pub const MAX_SERVER_WAIT: Duration = MINUTE;

/// How long a rate-limit answer asking to wait `reset` holds its key: the
/// reset, cut to [`MAX_SERVER_WAIT`] (a larger value, up to `u64::MAX`
/// seconds, is not waited out for longer).
pub fn block_for(reset: Duration) -> Duration {
    reset.min(MAX_SERVER_WAIT)
}

impl Windows {
    /// Admits and records a call at `now` (time since any fixed origin), or
    /// says how long to wait. `grace` shortens both windows (zero for the
    /// documented lengths).
    pub fn try_admit(
        &mut self,
        now: Duration,
        limit: RateLimit,
        grace: Duration,
    ) -> Result<(), Refusal> {
        let mut refusal: Option<Refusal> = None;
        for (log, window, max) in [
            (
                &mut self.second,
                SECOND.saturating_sub(grace),
                limit.per_second,
            ),
            (
                &mut self.minute,
                MINUTE.saturating_sub(grace),
                limit.per_minute,
            ),
        ] {
            let Some(max) = max else { continue };
            let wait = Self::wait_in(log, now, window, max);
            if wait > Duration::ZERO && refusal.map_or(true, |r| wait > r.wait) {
                refusal = Some(Refusal { wait, limit: max });
            }
        }
        if let Some(refusal) = refusal {
            return Err(refusal);
        }
        if limit.per_second.is_some() {
            self.second.push_back(now);
        }
        if limit.per_minute.is_some() {
            self.minute.push_back(now);
        }
        Ok(())
    }

    fn wait_in(
        log: &mut VecDeque<Duration>,
        now: Duration,
        window: Duration,
        max: u32,
    ) -> Duration {
        while log
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() < max as usize {
            return Duration::ZERO;
        }
        // The oldest call still counted leaves the window at oldest + window.
        let idx = log.len() - max as usize;
        log.get(idx)
            .map_or(Duration::ZERO, |t| (*t + window).saturating_sub(now))
    }
}

/// A conservative sliding window in O(1) space: `N` buckets of `width`
/// cover the window, plus one for the bucket the window's start falls in,
/// which is counted whole. The count of any exact window of the same length
/// is never above this count, so admitting while it is below the limit
/// never lets more than the limit into any window.
#[derive(Debug, Clone)]
struct Ring<const N: usize> {
    width: Duration,
    counts: [u32; N],
    newest: u64,
}

impl<const N: usize> Ring<N> {
    fn new(width: Duration) -> Self {
        Ring {
            width,
            counts: [0; N],
            newest: 0,
        }
    }

    fn bucket(&self, now: Duration) -> u64 {
        let width = self.width.as_nanos().max(1);
        u64::try_from(now.as_nanos() / width).unwrap_or(u64::MAX)
    }

    /// Moves to the bucket of `now`, dropping buckets that left the window.
    fn advance(&mut self, now: Duration) {
        let b = self.bucket(now);
        if b <= self.newest {
            return;
        }
        let gap = (b - self.newest).min(N as u64);
        for k in 1..=gap {
            let idx = ((self.newest + k) % N as u64) as usize;
            self.counts[idx] = 0;
        }
        self.newest = b;
    }

    fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    fn record(&mut self) {
        let idx = (self.newest % N as u64) as usize;
        self.counts[idx] = self.counts[idx].saturating_add(1);
    }

    /// Time from `now` until one more call fits under `max`.
    fn wait(&self, now: Duration, max: u32) -> Duration {
        let mut left = self.total();
        let oldest = self.newest.saturating_sub(N as u64 - 1);
        for j in oldest..=self.newest {
            left -= self.counts[(j % N as u64) as usize];
            if left < max {
                // Bucket j stops counting once bucket j + N begins.
                let free_at = self
                    .width
                    .saturating_mul(u32::try_from(j + N as u64).unwrap_or(u32::MAX));
                return free_at.saturating_sub(now);
            }
        }
        Duration::ZERO
    }
}

/// The client's budget of one key: both documented windows, O(1) state.
#[derive(Debug, Clone)]
struct Budget {
    second: Ring<21>,
    minute: Ring<61>,
    last: Duration,
    /// No call is admitted before this time (a rate-limit answer's reset).
    blocked_until: Duration,
}

impl Budget {
    fn new() -> Self {
        Budget {
            second: Ring::new(SECOND / 20),
            minute: Ring::new(MINUTE / 60),
            last: Duration::ZERO,
            blocked_until: Duration::ZERO,
        }
    }

    fn try_admit(&mut self, now: Duration, limit: RateLimit) -> Result<(), Duration> {
        self.second.advance(now);
        self.minute.advance(now);
        let mut wait = self.blocked_until.saturating_sub(now);
        if let Some(max) = limit.per_second {
            if self.second.total() >= max {
                wait = wait.max(self.second.wait(now, max));
            }
        }
        if let Some(max) = limit.per_minute {
            if self.minute.total() >= max {
                wait = wait.max(self.minute.wait(now, max));
            }
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        self.second.record();
        self.minute.record();
        self.last = now;
        Ok(())
    }
}

/// Keys idle this long are dropped.
const IDLE: Duration = Duration::from_secs(120);
/// Every this many acquisitions, idle keys are swept.
const SWEEP_EVERY: u64 = 4096;

#[derive(Debug)]
struct KeyState {
    budget: Mutex<Budget>,
    /// Waiters on the key queue here, first come first served; only the
    /// head of the queue sleeps on the budget.
    queue: tokio::sync::Mutex<()>,
}

/// The client-side limiter. Per key it keeps O(1) state (bucket counters
/// over both windows), drops keys idle for two minutes, and serves the
/// callers waiting on one key in arrival order.
#[derive(Debug)]
pub struct RateLimiter {
    origin: Instant,
    keys: Mutex<HashMap<LimitKey, Arc<KeyState>>>,
    calls: AtomicU64,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            origin: Instant::now(),
            keys: Mutex::default(),
            calls: AtomicU64::new(0),
        }
    }
}

impl RateLimiter {
    /// An empty limiter.
    pub fn new() -> Self {
        RateLimiter::default()
    }

    /// Keys currently held.
    pub fn keys(&self) -> usize {
        self.keys.lock().len()
    }

    fn state(&self, key: &LimitKey) -> Arc<KeyState> {
        let mut keys = self.keys.lock();
        if self.calls.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            let now = self.origin.elapsed();
            keys.retain(|_, s| {
                Arc::strong_count(s) > 1 || now.saturating_sub(s.budget.lock().last) < IDLE
            });
        }
        if let Some(s) = keys.get(key) {
            return s.clone();
        }
        keys.entry(key.clone())
            .or_insert_with(|| {
                Arc::new(KeyState {
                    budget: Mutex::new(Budget::new()),
                    queue: tokio::sync::Mutex::new(()),
                })
            })
            .clone()
    }

    /// Admits and records a call under `key` at `now` (time since the
    /// limiter was created, given by the caller: for simulations and
    /// differential tests), or says how long until it would fit. Unlike
    /// [`RateLimiter::acquire`] it never waits and skips the waiter queue.
    pub fn try_admit_at(
        &self,
        key: &LimitKey,
        limit: RateLimit,
        now: Duration,
    ) -> Result<(), Duration> {
        if !limit.is_limited() {
            return Ok(());
        }
        let state = self.state(key);
        let mut budget = state.budget.lock();
        budget.try_admit(now, limit)
    }

    /// Holds back every call under `key` for `reset` from now, at most
    /// [`MAX_SERVER_WAIT`] (see [`block_for`]).
    pub fn block(&self, key: &LimitKey, reset: Duration) {
        let state = self.state(key);
        let until = self.origin.elapsed().saturating_add(block_for(reset));
        let mut budget = state.budget.lock();
        budget.blocked_until = budget.blocked_until.max(until);
        budget.last = budget.last.max(until);
    }

    /// Waits until a call under `key` fits `limit`, then records it.
    pub async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        if !limit.is_limited() {
            return;
        }
        let state = self.state(key);
        let _turn = match state.queue.try_lock() {
            Ok(turn) => turn,
            Err(_) => state.queue.lock().await,
        };
        loop {
            let outcome = state.budget.lock().try_admit(self.origin.elapsed(), limit);
            match outcome {
                Ok(()) => return,
                Err(wait) => {
                    tracing::debug!(
                        operation = key.operation,
                        wait_ms = wait.as_millis() as u64,
                        "client-side rate limit"
                    );
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[async_trait]
impl Limiter for RateLimiter {
    async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        RateLimiter::acquire(self, key, limit).await;
    }

    async fn blocked(&self, key: &LimitKey, reset: Duration) {
        self.block(key, reset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tenant: &str) -> LimitKey {
        LimitKey {
            operation: "im.v1.chat.get",
            app: "cli_a".into(),
            tenant: tenant.into(),
            scope: String::new(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn at_most_50_in_any_second_and_tenants_are_independent() {
        let limiter = RateLimiter::new();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..120 {
            limiter.acquire(&key("t1"), RateLimit::GROUP).await;
            times.push(Instant::now());
        }
        // Sliding check: any 51 consecutive admissions span at least 1 s.
        for w in times.windows(51) {
            assert!(w[50].duration_since(w[0]) >= SECOND);
        }
        assert!(times[119].duration_since(start) >= Duration::from_secs(2));
        // Another tenant is admitted at once.
        let before = Instant::now();
        limiter.acquire(&key("t2"), RateLimit::GROUP).await;
        assert_eq!(Instant::now(), before);
    }

    #[test]
    fn refusal_names_the_full_window_and_grace_shortens_it() {
        let mut w = Windows::default();
        let ms = Duration::from_millis;
        for i in 0..50 {
            w.try_admit(ms(i), RateLimit::GROUP, Duration::ZERO)
                .unwrap();
        }
        let refused = w
            .try_admit(ms(100), RateLimit::GROUP, Duration::ZERO)
            .unwrap_err();
        assert_eq!(
            refused,
            Refusal {
                wait: ms(900),
                limit: 50
            }
        );
        // With 50 ms of grace the first call already left the window at 950 ms.
        let mut without_grace = w.clone();
        assert!(without_grace
            .try_admit(ms(960), RateLimit::GROUP, Duration::ZERO)
            .is_err());
        assert!(w.try_admit(ms(960), RateLimit::GROUP, ms(50)).is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn waiters_are_served_in_arrival_order() {
        let limiter = Arc::new(RateLimiter::new());
        for _ in 0..50 {
            limiter.acquire(&key("t"), RateLimit::GROUP).await;
        }
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..20 {
            let (limiter, order) = (limiter.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                limiter.acquire(&key("t"), RateLimit::GROUP).await;
                order.lock().push(i);
            }));
            tokio::task::yield_now().await;
        }
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(*order.lock(), (0..20).collect::<Vec<_>>());
    }

    #[tokio::test(start_paused = true)]
    async fn idle_keys_are_dropped() {
        let limiter = RateLimiter::new();
        for t in 0..100 {
            limiter
                .acquire(&key(&format!("t{t}")), RateLimit::GROUP)
                .await;
        }
        assert_eq!(limiter.keys(), 100);
        tokio::time::advance(IDLE + SECOND).await;
        for _ in 0..SWEEP_EVERY {
            limiter.acquire(&key("busy"), RateLimit::GROUP).await;
        }
        assert!(limiter.keys() <= 2, "{}", limiter.keys());
    }

    proptest::proptest! {
        #[test]
        fn the_budget_never_admits_more_than_an_exact_window(
            gaps in proptest::collection::vec(0u64..60, 1..600)
        ) {
            let mut budget = Budget::new();
            let mut admitted: Vec<Duration> = Vec::new();
            let mut now = Duration::ZERO;
            for gap in gaps {
                now += Duration::from_millis(gap);
                if budget.try_admit(now, RateLimit::GROUP).is_ok() {
                    admitted.push(now);
                }
            }
            for (i, t) in admitted.iter().enumerate() {
                let in_second = admitted[i..].iter().take_while(|u| **u < *t + SECOND).count();
                proptest::prop_assert!(in_second <= 50);
                let in_minute = admitted[i..].iter().take_while(|u| **u < *t + MINUTE).count();
                proptest::prop_assert!(in_minute <= 1000);
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_block_holds_the_key_until_its_reset() {
        let limiter = RateLimiter::new();
        let start = Instant::now();
        Limiter::blocked(&limiter, &key("t"), Duration::from_secs(3)).await;
        Limiter::acquire(&limiter, &key("t"), RateLimit::GROUP).await;
        assert_eq!(start.elapsed(), Duration::from_secs(3));
        // Other keys are not held.
        let before = Instant::now();
        limiter.acquire(&key("u"), RateLimit::GROUP).await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_past_the_cap_holds_the_key_for_the_cap() {
        let limiter = RateLimiter::new();
        tokio::time::advance(Duration::from_secs(2)).await;
        let start = Instant::now();
        Limiter::blocked(&limiter, &key("t"), Duration::from_secs(u64::MAX)).await;
        Limiter::acquire(&limiter, &key("t"), RateLimit::GROUP).await;
        assert_eq!(start.elapsed(), MAX_SERVER_WAIT);
        let start = Instant::now();
        Limiter::blocked(&limiter, &key("u"), Duration::from_secs(86_400)).await;
        Limiter::acquire(&limiter, &key("u"), RateLimit::GROUP).await;
        assert_eq!(start.elapsed(), MAX_SERVER_WAIT);
    }

    #[tokio::test(start_paused = true)]
    async fn per_minute_limit_holds() {
        let limiter = RateLimiter::new();
        let start = Instant::now();
        for _ in 0..101 {
            limiter.acquire(&key("t"), RateLimit::PER_MINUTE_100).await;
        }
        assert!(Instant::now().duration_since(start) >= MINUTE);
    }
}

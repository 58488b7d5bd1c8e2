//! The fleet-wide limiter: a sliding-window log per (app, tenant, API) in a
//! Redis sorted set, checked and recorded by one Lua script per call. A
//! key with a scope (one receiver of message sends, see
//! [`feishu_transport::CallLimit`]) gets its own log.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use feishu_model::RateLimit;
use feishu_transport::{block_for, LimitKey, Limiter, RateLimiter};
use parking_lot::Mutex;
use tokio::time::Instant;

use crate::Redis;

/// Checks both windows and records the call, or answers how long to wait.
///
/// KEYS: the log (sorted set of admission times, µs), the block key.
/// ARGV: per-second limit (0: none), per-minute limit (0: none), margin
/// (µs, added to both windows), a member id unique to the call, and an
/// optional time (µs) that replaces Redis' clock (tests only).
/// Returns {0, now} when admitted, {1, wait in µs, now} when not (`now`:
/// the time the call was judged at, µs).
///
/// Calls logged later than `now` (Redis' clock stepped back, as after a
/// failover to a replica whose clock is behind) are moved to `now`: they
/// still count, but for no longer than one window from now, so the step
/// back does not hold callers for its whole length.
const SCRIPT: &str = r"
local now
if ARGV[5] ~= nil and ARGV[5] ~= '' then
  now = tonumber(ARGV[5])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local blocked = redis.call('PTTL', KEYS[2])
if blocked > 0 then
  return {1, blocked * 1000, now}
end
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] ~= nil and tonumber(newest[2]) > now then
  local at = string.format('%d', now)
  local ahead = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. at, '+inf')
  for _, member in ipairs(ahead) do
    redis.call('ZADD', KEYS[1], at, member)
  end
end
local l1 = tonumber(ARGV[1])
local l60 = tonumber(ARGV[2])
local margin = tonumber(ARGV[3])
local w1 = 1000000 + margin
local w60 = 60000000 + margin
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - w60))
local wait = 0
if l1 > 0 then
  local from = string.format('(%d', now - w1)
  local c1 = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if c1 >= l1 then
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', c1 - l1, 1)
    local w = tonumber(e[2]) + w1 - now
    if w > wait then wait = w end
  end
end
if l60 > 0 then
  local c60 = redis.call('ZCARD', KEYS[1])
  if c60 >= l60 then
    local e = redis.call('ZRANGE', KEYS[1], c60 - l60, c60 - l60, 'WITHSCORES')
    local w = tonumber(e[2]) + w60 - now
    if w > wait then wait = w end
  end
end
if wait > 0 then
  return {1, wait, now}
end
redis.call('ZADD', KEYS[1], string.format('%d', now), ARGV[4])
redis.call('PEXPIRE', KEYS[1], math.floor(w60 / 1000) + 1000)
return {0, now}
";

/// The fallback share by default: a fleet of up to eight replicas stays
/// within every budget while Redis is down.
pub const DEFAULT_FALLBACK_SHARE: f64 = 0.125;

/// How the fleet-wide limiter behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimiterConfig {
    /// Added to both windows: calls admitted at Redis time reach the server
    /// after different delays, and this absorbs the difference (default 50 ms).
    pub margin: Duration,
    /// The share of each budget this process uses when Redis is down
    /// (default [`DEFAULT_FALLBACK_SHARE`], an eighth: safe for up to eight
    /// replicas; set it to 1 / the number of replicas with
    /// [`LimiterConfig::replicas`]). Every replica that falls back admits
    /// its share, so the shares of the fleet must add up to at most 1.
    pub fallback_share: f64,
    /// How long Redis is left alone after it failed before it is tried
    /// again (default 1 s).
    pub retry_after: Duration,
}

impl Default for LimiterConfig {
    fn default() -> Self {
        LimiterConfig {
            margin: Duration::from_millis(50),
            fallback_share: DEFAULT_FALLBACK_SHARE,
            retry_after: Duration::from_secs(1),
        }
    }
}

impl LimiterConfig {
    /// Sets [`LimiterConfig::margin`].
    pub fn margin(mut self, margin: Duration) -> Self {
        self.margin = margin;
        self
    }

    /// Sets [`LimiterConfig::fallback_share`] (clamped to 0.0..=1.0; a
    /// value that is not a number keeps [`DEFAULT_FALLBACK_SHARE`]).
    pub fn fallback_share(mut self, share: f64) -> Self {
        self.fallback_share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            DEFAULT_FALLBACK_SHARE
        };
        self
    }

    /// Sets [`LimiterConfig::fallback_share`] to 1 / `replicas` (the most
    /// replicas that run at once; 0 counts as 1).
    pub fn replicas(self, replicas: u32) -> Self {
        self.fallback_share(1.0 / f64::from(replicas.max(1)))
    }

    /// Sets [`LimiterConfig::retry_after`].
    pub fn retry_after(mut self, after: Duration) -> Self {
        self.retry_after = after;
        self
    }
}

/// The outcome of one script run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Recorded at `at` (Redis time, µs) as member `id`.
    Admitted {
        at: i64,
        id: u128,
    },
    Wait(Duration),
}

/// The calls this process made under one key within the last minute, as
/// (Redis time in µs, member id): what it replays into Redis on recovery.
type History = VecDeque<(i64, u128)>;

/// Time since the Unix epoch in µs, by this host's clock.
fn unix_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

fn member(id: u128) -> String {
    format!("{id:032x}")
}

/// A [`Limiter`] whose budgets are shared by every process using the same
/// Redis: never more than the limit in any window of the documented length
/// across the fleet. With Redis down it falls back to an in-process
/// [`RateLimiter`] at [`LimiterConfig::fallback_share`] of each budget, and
/// returns to Redis on its own once Redis answers again. The fallback
/// starts one second (plus the margin) after Redis failed, since Redis may
/// have admitted a whole second's budget just before.
///
/// Each process remembers the calls it made in the last minute (an id and
/// a time per call, at most one window's budget per key). Back on Redis it
/// first writes them into the logs (`ZADD NX`: calls Redis still holds are
/// left as they are), so the calls admitted in fallback, and those a
/// restarted or failed-over Redis lost, count against the shared budget.
///
/// A rate-limit answer holds its key for at most
/// [`MAX_SERVER_WAIT`](feishu_transport::MAX_SERVER_WAIT), like the
/// in-process limiter ([`block_for`]).
pub struct RedisLimiter {
    redis: Redis,
    script: redis::Script,
    config: LimiterConfig,
    fallback: RateLimiter,
    /// Callers of one key in this process queue here: only the head asks Redis.
    queues: Mutex<HashMap<LimitKey, Arc<tokio::sync::Mutex<()>>>>,
    down: AtomicBool,
    retry_at: Mutex<Option<Instant>>,
    /// The fallback admits no call before this: Redis may have admitted a
    /// whole second's budget just before it failed.
    fallback_from: Mutex<Option<Instant>>,
    /// This process's calls of the last minute, per key.
    history: Mutex<HashMap<LimitKey, History>>,
    /// Redis' clock minus this host's, µs, as last seen.
    offset: AtomicI64,
    /// One caller at a time replays the history after an outage.
    replaying: tokio::sync::Mutex<()>,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("config", &self.config)
            .field("redis_down", &self.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

/// `limit` scaled by `share`, at least one call per window.
fn scaled(limit: RateLimit, share: f64) -> RateLimit {
    let scale = |n: Option<u32>| n.map(|n| ((f64::from(n) * share).floor() as u32).max(1));
    RateLimit {
        per_second: scale(limit.per_second),
        per_minute: scale(limit.per_minute),
    }
}

impl RedisLimiter {
    /// A limiter on `redis`.
    pub fn new(redis: Redis, config: LimiterConfig) -> Self {
        RedisLimiter {
            redis,
            script: redis::Script::new(SCRIPT),
            config,
            fallback: RateLimiter::new(),
            queues: Mutex::default(),
            down: AtomicBool::new(false),
            retry_at: Mutex::new(None),
            fallback_from: Mutex::new(None),
            history: Mutex::default(),
            offset: AtomicI64::new(0),
            replaying: tokio::sync::Mutex::new(()),
        }
    }

    /// Whether the limiter currently runs on its in-process fallback.
    pub fn is_fallback(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    fn keys(&self, key: &LimitKey) -> (String, String) {
        // A scoped budget (one receiver of sends) appends its scope; the
        // per-API keys stay as they were.
        let tag = if key.scope.is_empty() {
            format!("{}|{}|{}", key.app, key.tenant, key.operation)
        } else {
            format!("{}|{}|{}|{}", key.app, key.tenant, key.operation, key.scope)
        };
        (self.redis.key(&tag, "rl"), self.redis.key(&tag, "blk"))
    }

    /// One run of the script; `now` replaces Redis' clock (tests).
    pub(crate) async fn decide(
        &self,
        key: &LimitKey,
        limit: RateLimit,
        now: Option<Duration>,
    ) -> Result<Decision, String> {
        let (log, block) = self.keys(key);
        let margin = u64::try_from(self.config.margin.as_micros()).unwrap_or(u64::MAX);
        let id = uuid::Uuid::new_v4().as_u128();
        let scripted = now.is_some();
        let now = now.map(|n| n.as_micros().to_string()).unwrap_or_default();
        let mut invocation = self.script.prepare_invoke();
        invocation
            .key(log)
            .key(block)
            .arg(limit.per_second.unwrap_or(0))
            .arg(limit.per_minute.unwrap_or(0))
            .arg(margin)
            .arg(member(id))
            .arg(now);
        let answer: Vec<i64> = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await?;
        match answer.as_slice() {
            [0, at] => {
                if !scripted {
                    self.offset
                        .store(at.saturating_sub(unix_micros()), Ordering::Relaxed);
                }
                Ok(Decision::Admitted { at: *at, id })
            }
            [1, wait, ..] => {
                let micros = u64::try_from(*wait).unwrap_or(0).max(1);
                Ok(Decision::Wait(Duration::from_micros(micros)))
            }
            other => Err(format!(
                "unexpected limiter script answer of {} values",
                other.len()
            )),
        }
    }

    /// Runs the script once with `now` (time since any fixed origin) in
    /// place of Redis' clock, for simulations and differential tests:
    /// `Ok(Ok(()))` admitted and recorded, `Ok(Err(wait))` refused. Never
    /// falls back. It writes the same keys as [`Limiter::acquire`], at a
    /// time of the caller's choosing: test builds only (the `test-util`
    /// feature).
    #[cfg(any(test, feature = "test-util"))]
    pub async fn try_admit_at(
        &self,
        key: &LimitKey,
        limit: RateLimit,
        now: Duration,
    ) -> Result<Result<(), Duration>, feishu_transport::StoreError> {
        match self.decide(key, limit, Some(now)).await {
            Ok(Decision::Admitted { .. }) => Ok(Ok(())),
            Ok(Decision::Wait(wait)) => Ok(Err(wait)),
            Err(e) => Err(feishu_transport::StoreError::new(e)),
        }
    }

    /// Remembers a call under `key` made at `at` (Redis time, µs).
    fn remember(&self, key: &LimitKey, at: i64, id: u128) {
        let horizon = self.horizon(at);
        let mut history = self.history.lock();
        if history.len() > 4096 {
            history.retain(|_, calls| calls.back().is_some_and(|(t, _)| *t > horizon));
        }
        let calls = history.entry(key.clone()).or_default();
        while calls.front().is_some_and(|(t, _)| *t <= horizon) {
            calls.pop_front();
        }
        calls.push_back((at, id));
    }

    /// Calls made at or before this time (µs) have left every window at `now`.
    fn horizon(&self, now: i64) -> i64 {
        let window = Duration::from_secs(60) + self.config.margin;
        now.saturating_sub(i64::try_from(window.as_micros()).unwrap_or(i64::MAX))
    }

    /// Writes this process's calls of the last minute into Redis (calls
    /// Redis holds already are left alone), then counts Redis as up.
    async fn replay(&self) -> Result<(), String> {
        let _turn = self.replaying.lock().await;
        if !self.down.load(Ordering::Acquire) {
            return Ok(());
        }
        let horizon = self.horizon(unix_micros() + self.offset.load(Ordering::Relaxed));
        let pending: Vec<(LimitKey, Vec<(i64, u128)>)> = self
            .history
            .lock()
            .iter()
            .map(|(key, calls)| {
                let recent = calls.iter().filter(|(t, _)| *t > horizon).copied();
                (key.clone(), recent.collect::<Vec<_>>())
            })
            .filter(|(_, calls)| !calls.is_empty())
            .collect();
        let ttl = Duration::from_secs(61) + self.config.margin;
        let mut replayed = 0;
        for (key, calls) in pending {
            let (log, _) = self.keys(&key);
            let mut pipe = redis::pipe();
            let zadd = pipe.cmd("ZADD").arg(&log).arg("NX");
            for (at, id) in &calls {
                zadd.arg(*at).arg(member(*id));
            }
            pipe.ignore()
                .cmd("PEXPIRE")
                .arg(&log)
                .arg(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX))
                .ignore();
            self.redis
                .run(|mut conn| async move { pipe.query_async::<()>(&mut conn).await })
                .await?;
            replayed += calls.len();
        }
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::info!(
                replayed,
                "Redis available again: the rate budget is shared again"
            );
        }
        Ok(())
    }

    fn failed(&self, error: &str) {
        let now = Instant::now();
        *self.retry_at.lock() = Some(now + self.config.retry_after);
        if !self.down.swap(true, Ordering::AcqRel) {
            *self.fallback_from.lock() = Some(now + Duration::from_secs(1) + self.config.margin);
            tracing::warn!(
                error,
                share = self.config.fallback_share,
                "Redis unavailable: rate limiting in process at a share of each budget until it is back"
            );
        }
    }

    /// Whether Redis is to be tried now (it is up, or its pause is over).
    fn try_redis(&self) -> bool {
        if !self.down.load(Ordering::Acquire) {
            return true;
        }
        self.retry_at.lock().is_none_or(|at| Instant::now() >= at)
    }

    fn queue(&self, key: &LimitKey) -> Arc<tokio::sync::Mutex<()>> {
        let mut queues = self.queues.lock();
        if queues.len() > 4096 {
            queues.retain(|_, q| Arc::strong_count(q) > 1);
        }
        queues.entry(key.clone()).or_default().clone()
    }
}

#[async_trait]
impl Limiter for RedisLimiter {
    async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        if !limit.is_limited() {
            return;
        }
        let queue = self.queue(key);
        let _turn = queue.lock().await;
        loop {
            if !self.try_redis() {
                break;
            }
            if self.down.load(Ordering::Acquire) {
                if let Err(e) = self.replay().await {
                    self.failed(&e);
                    break;
                }
            }
            match self.decide(key, limit, None).await {
                Ok(Decision::Admitted { at, id }) => {
                    self.remember(key, at, id);
                    return;
                }
                Ok(Decision::Wait(wait)) => {
                    // A little jitter keeps replicas from waking in lockstep.
                    let jitter = Duration::from_micros(fastrand::u64(0..2_000));
                    tokio::time::sleep(wait + jitter).await;
                }
                Err(e) => {
                    self.failed(&e);
                    break;
                }
            }
        }
        let from = *self.fallback_from.lock();
        if let Some(from) = from {
            tokio::time::sleep_until(from).await;
        }
        self.fallback
            .acquire(key, scaled(limit, self.config.fallback_share))
            .await;
        let at = unix_micros().saturating_add(self.offset.load(Ordering::Relaxed));
        self.remember(key, at, uuid::Uuid::new_v4().as_u128());
    }

    async fn blocked(&self, key: &LimitKey, reset: Duration) {
        let reset = block_for(reset);
        self.fallback.block(key, reset);
        if !self.try_redis() {
            return;
        }
        let (_, block) = self.keys(key);
        let ms = u64::try_from(reset.as_millis()).unwrap_or(u64::MAX).max(1);
        let outcome: Result<(), String> = self
            .redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(block)
                    .arg(1)
                    .arg("PX")
                    .arg(ms)
                    .query_async(&mut conn)
                    .await
            })
            .await;
        // Success does not end a fallback here: the next admission replays
        // the calls made meanwhile first.
        if let Err(e) = outcome {
            self.failed(&e);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_gets_its_share_and_at_least_one_call() {
        let quarter = scaled(RateLimit::GROUP, 0.25);
        assert_eq!(
            (quarter.per_second, quarter.per_minute),
            (Some(12), Some(250))
        );
        let tiny = scaled(RateLimit::GROUP, 0.0);
        assert_eq!((tiny.per_second, tiny.per_minute), (Some(1), Some(1)));
        assert_eq!(
            LimiterConfig::default()
                .fallback_share(f64::NAN)
                .fallback_share,
            DEFAULT_FALLBACK_SHARE
        );
        assert_eq!(LimiterConfig::default().replicas(4).fallback_share, 0.25);
        assert_eq!(LimiterConfig::default().replicas(0).fallback_share, 1.0);
    }
}

//! The fleet-wide limiter: a sliding-window log per (app, tenant, API) in a
//! Redis sorted set, checked and recorded by one Lua script per call.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::RateLimit;
use feishu_transport::{LimitKey, Limiter, RateLimiter};
use tokio::time::Instant;

use crate::Redis;

/// Checks both windows and records the call, or answers how long to wait.
///
/// KEYS: the log (sorted set of admission times, µs), the block key.
/// ARGV: per-second limit (0: none), per-minute limit (0: none), margin
/// (µs, added to both windows), a member id unique to the call, and an
/// optional time (µs) that replaces Redis' clock (tests only).
/// Returns {0, 0} when admitted, {1, wait in µs} when not.
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
  return {1, blocked * 1000}
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
  return {1, wait}
end
redis.call('ZADD', KEYS[1], string.format('%d', now), string.format('%d-%s', now, ARGV[4]))
redis.call('PEXPIRE', KEYS[1], math.floor(w60 / 1000) + 1000)
return {0, 0}
";

/// How the fleet-wide limiter behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimiterConfig {
    /// Added to both windows: calls admitted at Redis time reach the server
    /// after different delays, and this absorbs the difference (default 50 ms).
    pub margin: Duration,
    /// The share of each budget this process uses when Redis is down
    /// (default 1.0; set it to 1 / the number of replicas).
    pub fallback_share: f64,
    /// How long Redis is left alone after it failed before it is tried
    /// again (default 1 s).
    pub retry_after: Duration,
}

impl Default for LimiterConfig {
    fn default() -> Self {
        LimiterConfig {
            margin: Duration::from_millis(50),
            fallback_share: 1.0,
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

    /// Sets [`LimiterConfig::fallback_share`] (clamped to 0.0..=1.0).
    pub fn fallback_share(mut self, share: f64) -> Self {
        self.fallback_share = if share.is_finite() {
            share.clamp(0.0, 1.0)
        } else {
            1.0
        };
        self
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
    Admitted,
    Wait(Duration),
}

/// A [`Limiter`] whose budgets are shared by every process using the same
/// Redis: never more than the limit in any window of the documented length
/// across the fleet. With Redis down it falls back to an in-process
/// [`RateLimiter`] at [`LimiterConfig::fallback_share`] of each budget, and
/// returns to Redis on its own once Redis answers again.
pub struct RedisLimiter {
    redis: Redis,
    script: redis::Script,
    config: LimiterConfig,
    fallback: RateLimiter,
    /// Callers of one key in this process queue here: only the head asks Redis.
    queues: Mutex<HashMap<LimitKey, Arc<tokio::sync::Mutex<()>>>>,
    down: AtomicBool,
    retry_at: Mutex<Option<Instant>>,
}

impl fmt::Debug for RedisLimiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisLimiter")
            .field("config", &self.config)
            .field("redis_down", &self.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
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
        }
    }

    /// Whether the limiter currently runs on its in-process fallback.
    pub fn is_fallback(&self) -> bool {
        self.down.load(Ordering::Acquire)
    }

    fn keys(&self, key: &LimitKey) -> (String, String) {
        let tag = format!("{}|{}|{}", key.app, key.tenant, key.operation);
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
        let id = uuid::Uuid::new_v4().simple().to_string();
        let now = now.map(|n| n.as_micros().to_string()).unwrap_or_default();
        let mut invocation = self.script.prepare_invoke();
        invocation
            .key(log)
            .key(block)
            .arg(limit.per_second.unwrap_or(0))
            .arg(limit.per_minute.unwrap_or(0))
            .arg(margin)
            .arg(id)
            .arg(now);
        let (refused, wait): (i64, i64) = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await?;
        if refused == 0 {
            Ok(Decision::Admitted)
        } else {
            let micros = u64::try_from(wait).unwrap_or(0).max(1);
            Ok(Decision::Wait(Duration::from_micros(micros)))
        }
    }

    /// Runs the script once with `now` (time since any fixed origin) in
    /// place of Redis' clock, for simulations and differential tests:
    /// `Ok(Ok(()))` admitted and recorded, `Ok(Err(wait))` refused. Never
    /// falls back.
    pub async fn try_admit_at(
        &self,
        key: &LimitKey,
        limit: RateLimit,
        now: Duration,
    ) -> Result<Result<(), Duration>, feishu_transport::StoreError> {
        match self.decide(key, limit, Some(now)).await {
            Ok(Decision::Admitted) => Ok(Ok(())),
            Ok(Decision::Wait(wait)) => Ok(Err(wait)),
            Err(e) => Err(feishu_transport::StoreError::new(e)),
        }
    }

    fn failed(&self, error: &str) {
        *lock(&self.retry_at) = Some(Instant::now() + self.config.retry_after);
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(
                error,
                share = self.config.fallback_share,
                "Redis unavailable: rate limiting in process at a share of each budget until it is back"
            );
        }
    }

    fn recovered(&self) {
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::info!("Redis available again: the rate budget is shared again");
        }
    }

    /// Whether Redis is to be tried now (it is up, or its pause is over).
    fn try_redis(&self) -> bool {
        if !self.down.load(Ordering::Acquire) {
            return true;
        }
        lock(&self.retry_at).is_none_or(|at| Instant::now() >= at)
    }

    fn queue(&self, key: &LimitKey) -> Arc<tokio::sync::Mutex<()>> {
        let mut queues = lock(&self.queues);
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
            match self.decide(key, limit, None).await {
                Ok(Decision::Admitted) => {
                    self.recovered();
                    return;
                }
                Ok(Decision::Wait(wait)) => {
                    self.recovered();
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
        self.fallback
            .acquire(key, scaled(limit, self.config.fallback_share))
            .await;
    }

    async fn blocked(&self, key: &LimitKey, reset: Duration) {
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
        match outcome {
            Ok(()) => self.recovered(),
            Err(e) => self.failed(&e),
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
            1.0
        );
    }
}

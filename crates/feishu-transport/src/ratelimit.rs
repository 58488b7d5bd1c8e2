//! A client-side rate limiter keyed like the server's limits: per API, per
//! app, per tenant. Sliding windows, so no window of the documented length
//! ever sees more calls than allowed.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use feishu_model::RateLimit;
use tokio::time::Instant;

/// What one limiter bucket is keyed by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LimitKey {
    /// Operation id.
    pub operation: &'static str,
    /// App id (empty when the client has no app credentials).
    pub app: String,
    /// Tenant key (empty for the app's own tenant).
    pub tenant: String,
}

#[derive(Debug, Default)]
struct Windows {
    second: VecDeque<Instant>,
    minute: VecDeque<Instant>,
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

impl Windows {
    /// Admits a call at `now`, or says how long to wait.
    fn try_admit(&mut self, now: Instant, limit: RateLimit) -> Result<(), Duration> {
        let mut wait = Duration::ZERO;
        if let Some(max) = limit.per_second {
            wait = wait.max(Self::wait_in(&mut self.second, now, SECOND, max));
        }
        if let Some(max) = limit.per_minute {
            wait = wait.max(Self::wait_in(&mut self.minute, now, MINUTE, max));
        }
        if wait > Duration::ZERO {
            return Err(wait);
        }
        if limit.per_second.is_some() {
            self.second.push_back(now);
        }
        if limit.per_minute.is_some() {
            self.minute.push_back(now);
        }
        Ok(())
    }

    fn wait_in(log: &mut VecDeque<Instant>, now: Instant, window: Duration, max: u32) -> Duration {
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() < max as usize {
            return Duration::ZERO;
        }
        // The oldest call leaves the window at oldest + window.
        let idx = log.len() - max as usize;
        log.get(idx).map_or(Duration::ZERO, |t| {
            (*t + window).saturating_duration_since(now)
        })
    }
}

/// The limiter. Cheap to share: one lock, held for a few instructions.
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<LimitKey, Windows>>,
}

impl RateLimiter {
    /// An empty limiter.
    pub fn new() -> Self {
        RateLimiter::default()
    }

    /// Waits until a call under `key` fits `limit`, then records it.
    pub async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        if !limit.is_limited() {
            return;
        }
        loop {
            let outcome = {
                let mut buckets = match self.buckets.lock() {
                    Ok(g) => g,
                    Err(poisoned) => poisoned.into_inner(),
                };
                let windows = match buckets.get_mut(key) {
                    Some(w) => w,
                    None => buckets.entry(key.clone()).or_default(),
                };
                windows.try_admit(Instant::now(), limit)
            };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn key(tenant: &str) -> LimitKey {
        LimitKey {
            operation: "im.v1.chat.get",
            app: "cli_a".into(),
            tenant: tenant.into(),
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

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

/// The limiter. Cheap to share: one lock, held for a few instructions.
#[derive(Debug)]
pub struct RateLimiter {
    origin: Instant,
    buckets: Mutex<HashMap<LimitKey, Windows>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter {
            origin: Instant::now(),
            buckets: Mutex::default(),
        }
    }
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
                windows.try_admit(self.origin.elapsed(), limit, Duration::ZERO)
            };
            match outcome {
                Ok(()) => return,
                Err(Refusal { wait, .. }) => {
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
    async fn per_minute_limit_holds() {
        let limiter = RateLimiter::new();
        let start = Instant::now();
        for _ in 0..101 {
            limiter.acquire(&key("t"), RateLimit::PER_MINUTE_100).await;
        }
        assert!(Instant::now().duration_since(start) >= MINUTE);
    }
}

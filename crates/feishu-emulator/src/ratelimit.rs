//! The documented rate limits, enforced per API, per app, per tenant with
//! sliding windows: no window of the documented length admits more calls
//! than allowed (less a small grace for network jitter, see
//! [`DEFAULT_RATE_LIMIT_GRACE`]).

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use feishu_model::{AppId, RateLimit, TenantKey};

use crate::error::Failure;

/// How much shorter than documented the emulator's windows are, so that a
/// client pacing itself exactly at the limit is not refused because its
/// requests arrive with slightly different delays.
pub const DEFAULT_RATE_LIMIT_GRACE: Duration = Duration::from_millis(50);

const SECOND_MICROS: i64 = 1_000_000;
const MINUTE_MICROS: i64 = 60 * SECOND_MICROS;

type Key = (&'static str, AppId, TenantKey);

#[derive(Debug, Default)]
struct Windows {
    second: VecDeque<i64>,
    minute: VecDeque<i64>,
}

/// The calls admitted so far, per (operation, app, tenant).
#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    grace: i64,
    buckets: HashMap<Key, Windows>,
}

/// Seconds until a call fits, when the window is full.
fn wait_in(log: &mut VecDeque<i64>, now: i64, window: i64, max: u32) -> Option<u64> {
    while log.front().is_some_and(|t| now - *t >= window) {
        log.pop_front();
    }
    let max = max as usize;
    if log.len() < max {
        return None;
    }
    let oldest = log.get(log.len() - max).copied().unwrap_or(now);
    let micros = (oldest + window - now).max(1);
    Some(u64::try_from((micros + SECOND_MICROS - 1) / SECOND_MICROS).unwrap_or(1))
}

impl RateLimits {
    /// Limits whose windows are `grace_micros` shorter than documented.
    pub(crate) fn new(grace_micros: i64) -> Self {
        RateLimits {
            grace: grace_micros.clamp(0, SECOND_MICROS / 2),
            buckets: HashMap::new(),
        }
    }

    /// Admits a call at `now` (µs) or answers the documented rate-limit
    /// response naming the limit that was hit.
    pub(crate) fn admit(
        &mut self,
        operation: &'static str,
        app: &AppId,
        tenant: &TenantKey,
        limit: RateLimit,
        now: i64,
    ) -> Result<(), Failure> {
        if !limit.is_limited() {
            return Ok(());
        }
        let windows = self
            .buckets
            .entry((operation, app.clone(), tenant.clone()))
            .or_default();
        if let Some(max) = limit.per_second {
            if let Some(reset) = wait_in(&mut windows.second, now, SECOND_MICROS - self.grace, max)
            {
                return Err(Failure::rate_limited(max, reset));
            }
        }
        if let Some(max) = limit.per_minute {
            if let Some(reset) = wait_in(&mut windows.minute, now, MINUTE_MICROS - self.grace, max)
            {
                return Err(Failure::rate_limited(max, reset));
            }
        }
        if limit.per_second.is_some() {
            windows.second.push_back(now);
        }
        if limit.per_minute.is_some() {
            windows.minute.push_back(now);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admit(l: &mut RateLimits, tenant: &str, now: i64) -> Result<(), Failure> {
        l.admit(
            "im.v1.chat.get",
            &AppId::from("cli_a"),
            &TenantKey::from(tenant),
            RateLimit::GROUP,
            now,
        )
    }

    #[test]
    fn fifty_per_second_then_the_documented_answer() {
        let mut l = RateLimits::new(0);
        for i in 0..50 {
            admit(&mut l, "t", i * 1000).unwrap();
        }
        let refused = admit(&mut l, "t", 60_000).unwrap_err();
        assert_eq!((refused.status, refused.code), (429, 99991400));
        assert!(refused
            .headers
            .contains(&("x-ogw-ratelimit-limit".to_owned(), "50".to_owned())));
        assert!(refused
            .headers
            .contains(&("x-ogw-ratelimit-reset".to_owned(), "1".to_owned())));
        // Another tenant has its own window; the first call leaves after 1 s.
        admit(&mut l, "u", 60_000).unwrap();
        admit(&mut l, "t", 1_000_000).unwrap();
    }

    #[test]
    fn a_thousand_per_minute() {
        let mut l = RateLimits::new(0);
        for i in 0..1000 {
            admit(&mut l, "t", i * 40_000).unwrap();
        }
        let refused = admit(&mut l, "t", 40_000_000).unwrap_err();
        assert!(refused
            .headers
            .contains(&("x-ogw-ratelimit-limit".to_owned(), "1000".to_owned())));
        admit(&mut l, "t", 60_000_000).unwrap();
    }
}

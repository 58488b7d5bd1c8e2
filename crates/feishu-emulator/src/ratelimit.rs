//! The documented rate limits, enforced per API, per app, per tenant with
//! sliding windows: no window of the documented length admits more calls
//! than allowed (less a small grace for network jitter, see
//! [`DEFAULT_RATE_LIMIT_GRACE`]).

use std::collections::HashMap;
use std::time::Duration;

use feishu_model::{AppId, RateLimit, TenantKey};
use feishu_transport::Windows;

use crate::error::Failure;

/// How much shorter than documented the emulator's windows are, so that a
/// client pacing itself exactly at the limit is not refused because its
/// requests arrive with slightly different delays.
pub const DEFAULT_RATE_LIMIT_GRACE: Duration = Duration::from_millis(50);

type Key = (&'static str, AppId, TenantKey);

/// The calls admitted so far, per (operation, app, tenant), in the same
/// sliding windows the SDK's client-side limiter uses.
#[derive(Debug, Default)]
pub(crate) struct RateLimits {
    grace: Duration,
    buckets: HashMap<Key, Windows>,
    /// When on, the arrival time (µs) of every rate-limited call, by operation.
    pub(crate) arrivals: Option<HashMap<&'static str, Vec<i64>>>,
}

impl RateLimits {
    /// Limits whose windows are `grace_micros` shorter than documented
    /// (at most half a second).
    pub(crate) fn new(grace_micros: i64) -> Self {
        let micros = u64::try_from(grace_micros.clamp(0, 500_000)).unwrap_or(0);
        RateLimits {
            grace: Duration::from_micros(micros),
            buckets: HashMap::new(),
            arrivals: None,
        }
    }

    /// Admits a call at `now` (µs) or answers the documented rate-limit
    /// response naming the limit that was hit and the whole seconds until
    /// it resets (at least 1).
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
        if let Some(arrivals) = &mut self.arrivals {
            arrivals.entry(operation).or_default().push(now);
        }
        let now = Duration::from_micros(u64::try_from(now).unwrap_or(0));
        self.buckets
            .entry((operation, app.clone(), tenant.clone()))
            .or_default()
            .try_admit(now, limit, self.grace)
            .map_err(|refused| {
                let reset = refused.wait.as_micros().div_ceil(1_000_000).max(1);
                Failure::rate_limited(refused.limit, u64::try_from(reset).unwrap_or(u64::MAX))
            })
    }

    /// When the rate-limited calls of `operation` arrived (µs, in arrival
    /// order); empty when arrivals are not recorded.
    pub(crate) fn arrivals_of(&self, operation: &str) -> Vec<i64> {
        self.arrivals
            .as_ref()
            .and_then(|a| a.get(operation).cloned())
            .unwrap_or_default()
    }
}

/// The most of `times` (µs) inside any window of length `window`.
pub(crate) fn busiest(times: Vec<i64>, window: Duration) -> usize {
    most_within(times, i64::try_from(window.as_micros()).unwrap_or(i64::MAX))
}

/// The most of `times` inside any window of `span`: two pointers over the
/// sorted times, `start` being the first time still inside the window that
/// ends at time `end`.
fn most_within(mut times: Vec<i64>, span: i64) -> usize {
    times.sort_unstable();
    let mut start = 0;
    let mut most = 0;
    for (end, t) in times.iter().enumerate() {
        while start <= end && times[start].saturating_add(span) <= *t {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
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
    fn arrivals_are_recorded_when_asked() {
        let mut l = RateLimits::new(0);
        admit(&mut l, "t", 5).unwrap();
        assert!(l.arrivals.is_none());
        l.arrivals = Some(HashMap::new());
        admit(&mut l, "t", 7).unwrap();
        admit(&mut l, "u", 9).unwrap();
        assert_eq!(l.arrivals.unwrap()["im.v1.chat.get"], [7, 9]);
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

#[cfg(test)]
mod window_tests {
    use super::{busiest, most_within};
    use proptest::prelude::*;
    use std::time::Duration;

    #[test]
    fn counts_the_fullest_window() {
        assert_eq!(most_within(vec![], 10), 0);
        assert_eq!(most_within(vec![5, 0, 9, 10, 30], 10), 3);
        assert_eq!(most_within(vec![1, 2, 3], 0), 0);
        assert_eq!(
            busiest(vec![0, 999, 1_000, 2_500], Duration::from_millis(1)),
            2
        );
    }

    proptest! {
        #[test]
        fn agrees_with_counting_from_every_start(
            times in proptest::collection::vec(0i64..1_000, 0..60),
            span in 0i64..300,
        ) {
            let mut sorted = times.clone();
            sorted.sort_unstable();
            let brute = sorted
                .iter()
                .enumerate()
                .map(|(i, t)| sorted[i..].iter().take_while(|u| **u < t + span).count())
                .max()
                .unwrap_or(0);
            prop_assert_eq!(most_within(times, span), brute);
        }
    }
}

//! The retry policy: a pure function from (attempt, error, safety) to a delay.

use std::time::Duration;

use crate::error::Error;

/// When and how often a failed call is tried again.
///
/// Reads, idempotent writes and writes carrying an idempotency key are retried
/// on any retryable error. Other writes are retried only when the server
/// cannot have processed them (rate limited, connection refused).
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Upper bound of any computed delay.
    pub max_delay: Duration,
    /// Whether to randomize delays (backoff: half fixed, half random; a
    /// server-requested wait: up to a quarter more, at most 1 s more).
    pub jitter: bool,
    /// The longest wait the server may ask for (`x-ogw-ratelimit-reset`)
    /// that is still waited out; past it the rate-limit error is returned
    /// at once.
    pub max_server_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(30),
            jitter: true,
            max_server_wait: crate::MAX_SERVER_WAIT,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The exponential backoff before retry number `attempt` (1-based), with jitter.
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16))
            .min(self.max_delay);
        if !self.jitter {
            return exp;
        }
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// Whether to retry after `attempt` (1-based) failed with `error`, and
    /// after how long. `repeatable` says whether the call is safe to repeat
    /// (a read, an idempotent write, or a write with an idempotency key).
    ///
    /// ```
    /// # use feishu_transport::{RetryPolicy, Error};
    /// let policy = RetryPolicy::default();
    /// let e = Error::Http { operation: "x", status: 500, log_id: None, snippet: String::new(), retry_after: None };
    /// assert!(policy.decide(1, &e, true).is_some());   // a GET: retried
    /// assert!(policy.decide(1, &e, false).is_none());  // a plain POST: not
    /// assert!(policy.decide(3, &e, true).is_none());   // attempts used up
    /// ```
    pub fn decide(&self, attempt: u32, error: &Error, repeatable: bool) -> Option<Duration> {
        if attempt >= self.max_attempts || !error.is_retryable() {
            return None;
        }
        if !(repeatable || error.not_processed()) {
            return None;
        }
        match error.retry_after() {
            Some(wait) if error.is_rate_limited() => {
                (wait <= self.max_server_wait).then(|| wait + self.spread(wait))
            }
            _ => Some(self.backoff(attempt)),
        }
    }

    /// Extra random delay after a server-requested wait, so that callers
    /// refused together do not all come back at the same instant.
    fn spread(&self, wait: Duration) -> Duration {
        if !self.jitter {
            return Duration::ZERO;
        }
        let span = (wait / 4 + Duration::from_millis(100)).min(Duration::from_secs(1));
        span.mul_f64(fastrand::f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiError, TransportError, TransportErrorKind};

    fn rate_limited(reset: Option<u64>) -> Error {
        Error::RateLimited(Box::new(ApiError {
            operation: "x",
            code: 99991400,
            msg: String::new(),
            http_status: 429,
            log_id: None,
            detail: None,
            retry_after: reset.map(Duration::from_secs),
        }))
    }

    #[test]
    fn rate_limit_honours_reset_even_for_writes() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(
            p.decide(1, &rate_limited(Some(2)), false),
            Some(Duration::from_secs(2))
        );
        assert!(p.decide(1, &rate_limited(None), false).is_some());
    }

    #[test]
    fn server_waits_are_capped_and_spread() {
        let p = RetryPolicy::default();
        // A day is past the cap: the error comes back at once.
        assert_eq!(p.decide(1, &rate_limited(Some(86_400)), true), None);
        // Waits are never shorter than asked, and not all the same.
        let waits: std::collections::HashSet<Duration> = (0..50)
            .map(|_| p.decide(1, &rate_limited(Some(2)), true).unwrap())
            .collect();
        assert!(waits
            .iter()
            .all(|w| *w >= Duration::from_secs(2) && *w <= Duration::from_millis(2600)));
        assert!(waits.len() > 10, "{waits:?}");
    }

    #[test]
    fn connect_errors_retry_writes_timeouts_do_not() {
        let p = RetryPolicy::default();
        let connect = Error::Transport {
            operation: "x",
            source: TransportError::new(TransportErrorKind::Connect, "refused"),
        };
        let timeout = Error::Transport {
            operation: "x",
            source: TransportError::new(TransportErrorKind::Timeout, "slow"),
        };
        assert!(p.decide(1, &connect, false).is_some());
        assert!(p.decide(1, &timeout, false).is_none());
        assert!(p.decide(1, &timeout, true).is_some());
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            jitter: false,
            max_delay: Duration::from_secs(1),
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(2), Duration::from_millis(400));
        assert_eq!(p.backoff(10), Duration::from_secs(1));
        let j = RetryPolicy::default().backoff(2);
        assert!(j >= Duration::from_millis(200) && j <= Duration::from_millis(400));
    }
}

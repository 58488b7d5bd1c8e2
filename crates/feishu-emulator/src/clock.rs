//! The emulator's notion of time: the system clock, or a manual clock that
//! tests move forward to expire tokens and open rate-limit windows.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the emulator reads the time from.
///
/// ```
/// use std::time::Duration;
/// use feishu_emulator::Clock;
///
/// let clock = Clock::manual(1_700_000_000_000);
/// clock.advance(Duration::from_secs(2));
/// assert_eq!(clock.now_ms(), 1_700_000_002_000);
/// ```
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A clock that only moves when [`Clock::advance`] is called; the value
    /// is microseconds since the Unix epoch.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock starting at `start_ms` milliseconds since the Unix epoch.
    pub fn manual(start_ms: i64) -> Self {
        Clock::Manual(Arc::new(AtomicI64::new(start_ms.saturating_mul(1000))))
    }

    /// Microseconds since the Unix epoch.
    pub fn now_micros(&self) -> i64 {
        match self {
            Clock::System => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
                .unwrap_or(0),
            Clock::Manual(now) => now.load(Ordering::SeqCst),
        }
    }

    /// Milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.now_micros() / 1000
    }

    /// Moves a manual clock forward; returns `false` (and does nothing) for
    /// the system clock.
    pub fn advance(&self, by: Duration) -> bool {
        match self {
            Clock::System => false,
            Clock::Manual(now) => {
                let micros = i64::try_from(by.as_micros()).unwrap_or(i64::MAX);
                now.fetch_add(micros, Ordering::SeqCst);
                true
            }
        }
    }
}

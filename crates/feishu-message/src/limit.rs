//! The per-receiver send limit.
//!
//! The send page documents 5 QPS per receiver: messages to one user, and
//! messages to one chat (shared by every bot in it). The client's own
//! limiter keys by API, app and tenant only, so sends to many receivers
//! would pass it while one busy chat is refused with 230020. Each send of a
//! [`crate::Message`] first waits here for a slot of its receiver; the
//! windows are the transport's exact sliding logs ([`Windows`]), so no one
//! second ever sees more than 5 sends to one receiver.
//!
//! The slot is taken once per call, before its first attempt: a retry
//! inside the transport (after a lost answer or a 230020) follows the retry
//! policy's backoff without a new slot. Replies go to the replied message's
//! chat, which the call does not know, so they take no slot.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use feishu_model::RateLimit;
use feishu_transport::Windows;
use parking_lot::Mutex;
use tokio::sync::Mutex as AsyncMutex;
use tokio::time::Instant;

/// Sends to one receiver allowed in any one-second window.
pub const SENDS_PER_RECEIVER_PER_SECOND: u32 = 5;

/// Who a send goes to: tenant, id kind and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ReceiverKey {
    pub(crate) tenant: String,
    pub(crate) id_type: String,
    pub(crate) id: String,
}

/// The windows of one receiver and when it last sent.
#[derive(Debug)]
struct Slot {
    windows: Arc<AsyncMutex<Windows>>,
    last: Duration,
}

#[derive(Debug, Default)]
struct Slots {
    map: HashMap<ReceiverKey, Slot>,
    /// The map size at which idle receivers are next swept.
    sweep_at: usize,
}

/// How many receivers are held before the first sweep of idle ones.
const FIRST_SWEEP: usize = 64;

/// One sliding window per receiver; a receiver idle for longer than the
/// window (no send in flight, none in the last second) is forgotten.
/// Cheap to clone; clones share the windows.
#[derive(Debug, Clone)]
pub(crate) struct ReceiverLimiter {
    origin: Instant,
    limit: RateLimit,
    slots: Arc<Mutex<Slots>>,
}

impl Default for ReceiverLimiter {
    fn default() -> Self {
        ReceiverLimiter::new(SENDS_PER_RECEIVER_PER_SECOND)
    }
}

const WINDOW: Duration = Duration::from_secs(1);

impl ReceiverLimiter {
    /// A limiter allowing `per_second` sends to one receiver in any second.
    pub(crate) fn new(per_second: u32) -> Self {
        ReceiverLimiter {
            origin: Instant::now(),
            limit: RateLimit {
                per_second: Some(per_second),
                per_minute: None,
            },
            slots: Arc::default(),
        }
    }

    fn windows(&self, key: &ReceiverKey) -> Arc<AsyncMutex<Windows>> {
        let mut slots = self.slots.lock();
        if let Some(slot) = slots.map.get(key) {
            return slot.windows.clone();
        }
        if slots.map.len() >= slots.sweep_at.max(FIRST_SWEEP) {
            let now = self.origin.elapsed();
            slots.map.retain(|_, s| {
                Arc::strong_count(&s.windows) > 1 || now.saturating_sub(s.last) < WINDOW
            });
            slots.sweep_at = slots.map.len().saturating_mul(2);
        }
        let windows = Arc::new(AsyncMutex::new(Windows::default()));
        slots.map.insert(
            key.clone(),
            Slot {
                windows: windows.clone(),
                last: self.origin.elapsed(),
            },
        );
        windows
    }

    /// Waits until a send to `key` fits, then records it. Waiters of one
    /// receiver are served in arrival order.
    pub(crate) async fn acquire(&self, key: &ReceiverKey) {
        let windows = self.windows(key);
        let mut windows = windows.lock().await;
        loop {
            let now = self.origin.elapsed();
            match windows.try_admit(now, self.limit, Duration::ZERO) {
                Ok(()) => {
                    if let Some(slot) = self.slots.lock().map.get_mut(key) {
                        slot.last = slot.last.max(now);
                    }
                    return;
                }
                Err(refusal) => tokio::time::sleep(refusal.wait).await,
            }
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.lock().map.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(id: &str) -> ReceiverKey {
        ReceiverKey {
            tenant: String::new(),
            id_type: "chat_id".into(),
            id: id.into(),
        }
    }

    #[tokio::test(start_paused = true)]
    async fn five_per_second_per_receiver_others_free() {
        let limiter = ReceiverLimiter::default();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..12 {
            limiter.acquire(&key("oc_a")).await;
            times.push(Instant::now());
        }
        for w in times.windows(6) {
            assert!(w[5].duration_since(w[0]) >= Duration::from_secs(1));
        }
        assert!(times[11].duration_since(start) >= Duration::from_secs(2));
        let before = Instant::now();
        limiter.acquire(&key("oc_b")).await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_receivers_are_forgotten_busy_ones_kept() {
        let limiter = ReceiverLimiter::default();
        for i in 0..FIRST_SWEEP {
            limiter.acquire(&key(&format!("oc_{i}"))).await;
        }
        assert_eq!(limiter.len(), FIRST_SWEEP);
        // Within the window nothing may be forgotten: the sends still count.
        limiter.acquire(&key("oc_new")).await;
        assert_eq!(limiter.len(), FIRST_SWEEP + 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        // Past the window they are idle: the next new receiver sweeps them
        // (the threshold doubled to 2 * 65 after the first sweep).
        for i in 0..2 * (FIRST_SWEEP + 1) {
            limiter.acquire(&key(&format!("oc_late_{i}"))).await;
        }
        // Without forgetting, all 195 would still be held.
        let held = FIRST_SWEEP + 1 + 2 * (FIRST_SWEEP + 1);
        assert!(limiter.len() < held - FIRST_SWEEP, "{}", limiter.len());
    }

    #[tokio::test(start_paused = true)]
    async fn sequential_sends_keep_their_window() {
        let limiter = ReceiverLimiter::default();
        let start = Instant::now();
        for _ in 0..6 {
            limiter.acquire(&key("oc_a")).await;
        }
        assert!(Instant::now().duration_since(start) >= Duration::from_secs(1));
    }
}

//! The per-receiver send limit.
//!
//! The send page documents 5 QPS per receiver: messages to one user, and
//! messages to one chat (shared by every bot in it). The client's own
//! limiter keys by API, app and tenant only, so sends to many receivers
//! would pass it while one busy chat is refused with 230020. Each send of a
//! [`crate::Message`] therefore carries a [`CallLimit`] keyed by its
//! receiver, which the client waits for before every attempt: the first
//! one and each retry (after a lost answer or a 230020, which also holds
//! the receiver for the answer's reset) take a slot of their own.
//!
//! The budget is kept by any [`Limiter`]: [`ReceiverLimiter`] in process
//! by default (the transport's exact sliding logs, [`Windows`], so no one
//! second ever sees more than 5 sends to one receiver), or one a fleet
//! shares (feishu-redis' `RedisLimiter`) set with
//! [`crate::Message::receiver_limiter`]. Replies go to the replied
//! message's chat, which the call does not know, so they take no slot.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::RateLimit;
use feishu_transport::{block_for, CallLimit, LimitKey, Limiter, Windows};
use parking_lot::Mutex;
use tokio::sync::Mutex as AsyncMutex;
use tokio::time::Instant;

/// Sends to one receiver allowed in any one-second window.
pub const SENDS_PER_RECEIVER_PER_SECOND: u32 = 5;

/// The operation a receiver's budget is kept under.
pub const SEND_OPERATION: &str = "im.v1.message.create";

/// The budget of one receiver: 5 sends in any second.
pub const RECEIVER_LIMIT: RateLimit = RateLimit {
    per_second: Some(SENDS_PER_RECEIVER_PER_SECOND),
    per_minute: None,
};

/// The key of one receiver's budget: the send operation, no app (every bot
/// in a chat shares its limit), the tenant, and the receiver as scope
/// (`chat_id:oc_..`, `open_id:ou_..`).
pub fn receiver_key(tenant: &str, id_type: &str, id: &str) -> LimitKey {
    LimitKey {
        operation: SEND_OPERATION,
        app: String::new(),
        tenant: tenant.to_owned(),
        scope: format!("{id_type}:{id}"),
    }
}

/// The [`CallLimit`] of one send.
pub(crate) fn receiver_call_limit(limiter: Arc<dyn Limiter>, key: LimitKey) -> CallLimit {
    CallLimit {
        limiter,
        key,
        limit: RECEIVER_LIMIT,
    }
}

/// The windows of one receiver and when it last sent.
#[derive(Debug)]
struct Slot {
    windows: Arc<AsyncMutex<Windows>>,
    last: Duration,
    /// No send before this (a rate-limit answer's reset).
    blocked_until: Duration,
}

#[derive(Debug, Default)]
struct Slots {
    map: HashMap<LimitKey, Slot>,
    /// The map size at which idle receivers are next swept.
    sweep_at: usize,
}

/// How many receivers are held before the first sweep of idle ones.
const FIRST_SWEEP: usize = 64;

/// The in-process receiver limiter: one exact sliding window per key
/// ([`Windows`]), waiters of one key served in arrival order; a key idle
/// for longer than its window (no send in flight, none in the last second,
/// not held by a rate-limit answer) is forgotten. It implements
/// [`Limiter`], so it keys by [`LimitKey`] and honours any limit it is
/// given; [`crate::Message`] uses it for 5 sends a second per receiver.
#[derive(Debug)]
pub struct ReceiverLimiter {
    origin: Instant,
    slots: Mutex<Slots>,
}

impl Default for ReceiverLimiter {
    fn default() -> Self {
        ReceiverLimiter::new()
    }
}

const WINDOW: Duration = Duration::from_secs(1);

impl ReceiverLimiter {
    /// An empty limiter.
    pub fn new() -> Self {
        ReceiverLimiter {
            origin: Instant::now(),
            slots: Mutex::default(),
        }
    }

    /// Receivers currently held.
    pub fn len(&self) -> usize {
        self.slots.lock().map.len()
    }

    /// Whether no receiver is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn windows(&self, key: &LimitKey) -> Arc<AsyncMutex<Windows>> {
        let mut slots = self.slots.lock();
        if let Some(slot) = slots.map.get(key) {
            return slot.windows.clone();
        }
        if slots.map.len() >= slots.sweep_at.max(FIRST_SWEEP) {
            let now = self.origin.elapsed();
            slots.map.retain(|_, s| {
                Arc::strong_count(&s.windows) > 1
                    || now.saturating_sub(s.last) < WINDOW
                    || s.blocked_until > now
            });
            slots.sweep_at = slots.map.len().saturating_mul(2);
        }
        let windows = Arc::new(AsyncMutex::new(Windows::default()));
        slots.map.insert(
            key.clone(),
            Slot {
                windows: windows.clone(),
                last: self.origin.elapsed(),
                blocked_until: Duration::ZERO,
            },
        );
        windows
    }

    fn blocked_until(&self, key: &LimitKey) -> Duration {
        self.slots
            .lock()
            .map
            .get(key)
            .map_or(Duration::ZERO, |s| s.blocked_until)
    }
}

#[async_trait]
impl Limiter for ReceiverLimiter {
    /// Waits until a send under `key` fits `limit`, then records it.
    /// Waiters of one key are served in arrival order.
    async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        if !limit.is_limited() {
            return;
        }
        let windows = self.windows(key);
        let mut windows = windows.lock().await;
        loop {
            let now = self.origin.elapsed();
            let held = self.blocked_until(key).saturating_sub(now);
            if held > Duration::ZERO {
                tokio::time::sleep(held).await;
                continue;
            }
            match windows.try_admit(now, limit, Duration::ZERO) {
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

    /// Holds every send under `key` for `reset` (at most
    /// [`feishu_transport::MAX_SERVER_WAIT`]).
    async fn blocked(&self, key: &LimitKey, reset: Duration) {
        let _windows = self.windows(key);
        let until = self.origin.elapsed().saturating_add(block_for(reset));
        if let Some(slot) = self.slots.lock().map.get_mut(key) {
            slot.blocked_until = slot.blocked_until.max(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl ReceiverLimiter {
        async fn acquire_one(&self, key: &LimitKey) {
            self.acquire(key, RECEIVER_LIMIT).await;
        }
    }

    fn key(id: &str) -> LimitKey {
        receiver_key("", "chat_id", id)
    }

    #[tokio::test(start_paused = true)]
    async fn five_per_second_per_receiver_others_free() {
        let limiter = ReceiverLimiter::new();
        let start = Instant::now();
        let mut times = Vec::new();
        for _ in 0..12 {
            limiter.acquire_one(&key("oc_a")).await;
            times.push(Instant::now());
        }
        for w in times.windows(6) {
            assert!(w[5].duration_since(w[0]) >= Duration::from_secs(1));
        }
        assert!(times[11].duration_since(start) >= Duration::from_secs(2));
        let before = Instant::now();
        limiter.acquire_one(&key("oc_b")).await;
        assert_eq!(Instant::now(), before);
    }

    #[tokio::test(start_paused = true)]
    async fn idle_receivers_are_forgotten_busy_ones_kept() {
        let limiter = ReceiverLimiter::new();
        for i in 0..FIRST_SWEEP {
            limiter.acquire_one(&key(&format!("oc_{i}"))).await;
        }
        assert_eq!(limiter.len(), FIRST_SWEEP);
        // Within the window nothing may be forgotten: the sends still count.
        limiter.acquire_one(&key("oc_new")).await;
        assert_eq!(limiter.len(), FIRST_SWEEP + 1);
        tokio::time::advance(Duration::from_secs(2)).await;
        // Past the window they are idle: the next new receiver sweeps them
        // (the threshold doubled to 2 * 65 after the first sweep).
        for i in 0..2 * (FIRST_SWEEP + 1) {
            limiter.acquire_one(&key(&format!("oc_late_{i}"))).await;
        }
        // Without forgetting, all 195 would still be held.
        let held = FIRST_SWEEP + 1 + 2 * (FIRST_SWEEP + 1);
        assert!(limiter.len() < held - FIRST_SWEEP, "{}", limiter.len());
    }

    #[tokio::test(start_paused = true)]
    async fn sequential_sends_keep_their_window() {
        let limiter = ReceiverLimiter::new();
        let start = Instant::now();
        for _ in 0..6 {
            limiter.acquire_one(&key("oc_a")).await;
        }
        assert!(Instant::now().duration_since(start) >= Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_limit_answer_holds_the_receiver_only() {
        let limiter = ReceiverLimiter::new();
        let start = Instant::now();
        limiter.blocked(&key("oc_a"), Duration::from_secs(2)).await;
        limiter.acquire_one(&key("oc_b")).await;
        assert_eq!(Instant::now(), start);
        limiter.acquire_one(&key("oc_a")).await;
        assert_eq!(Instant::now().duration_since(start), Duration::from_secs(2));
    }

    #[test]
    fn receivers_are_keyed_by_tenant_kind_and_id() {
        let k = receiver_key("t1", "open_id", "ou_1");
        assert_eq!(
            (
                k.operation,
                k.app.as_str(),
                k.tenant.as_str(),
                k.scope.as_str()
            ),
            (SEND_OPERATION, "", "t1", "open_id:ou_1")
        );
        assert_ne!(k, receiver_key("t2", "open_id", "ou_1"));
        assert_ne!(k, receiver_key("t1", "user_id", "ou_1"));
    }
}

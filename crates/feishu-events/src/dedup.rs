//! De-duplication of redelivered events: the [`DedupStore`] trait and a
//! bounded in-memory store.
//!
//! The platform delivers at least once: it resends an event that was not
//! answered with 200 within 3 s (after 15 s, 5 min, 1 h and 6 h), and may
//! resend even after a success. The dispatcher claims each event id before
//! running its handler, marks it done afterwards (kept for a TTL, 8 h by
//! default, longer than the whole retry schedule), and releases the claim
//! when the handler fails so that the next redelivery runs it again.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

/// How long a handled event id is remembered by default: 8 hours, more than
/// the platform's retry schedule (15 s + 5 min + 1 h + 6 h).
pub const DEFAULT_TTL: Duration = Duration::from_secs(8 * 60 * 60);

/// How many event ids [`MemoryDedup::new`] keeps at most.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// The state of an event id after [`DedupStore::claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// The caller now owns the id: run the handler, then
    /// [`DedupStore::complete`] or [`DedupStore::release`].
    Claimed,
    /// Another delivery of the same event is being handled.
    InProgress,
    /// The event was handled already.
    Done,
}

/// A de-duplication store failed (for example, a remote store is unreachable).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("de-duplication store failed: {message}")]
pub struct DedupError {
    /// What failed.
    pub message: String,
}

impl DedupError {
    /// An error with the given description (never put secrets in it).
    pub fn new(message: impl Into<String>) -> Self {
        DedupError {
            message: message.into(),
        }
    }
}

/// Where event ids are remembered. The semantics map onto one key per event
/// in a shared store such as Redis: `claim` = set "processing" if absent with
/// an expiry of `lease`, else read the state; `complete` = set "done" with an
/// expiry of `ttl`; `release` = delete.
#[async_trait]
pub trait DedupStore: Send + Sync {
    /// Claims `key` for processing. The claim lapses after `lease` (so an
    /// event whose handler crashed is processed again on redelivery).
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError>;

    /// Marks `key` as handled, remembered for `ttl`.
    async fn complete(&self, key: &str, ttl: Duration) -> Result<(), DedupError>;

    /// Forgets a claim whose handler failed: the next delivery runs it again.
    async fn release(&self, key: &str) -> Result<(), DedupError>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Processing,
    Done,
}

#[derive(Debug)]
struct Entry {
    state: State,
    expires: Instant,
    seq: u64,
}

#[derive(Debug, Default)]
struct Inner {
    map: HashMap<String, Entry>,
    order: VecDeque<(u64, String)>,
    next_seq: u64,
}

impl Inner {
    fn evict(&mut self, capacity: usize, now: Instant) {
        // Drop expired or superseded entries at the front, then the oldest
        // ones while the store is full.
        while let Some((seq, key)) = self.order.front() {
            let stale = match self.map.get(key) {
                Some(entry) => entry.seq != *seq || entry.expires <= now,
                None => true,
            };
            let full = self.map.len() >= capacity;
            if !stale && !full {
                break;
            }
            if let Some((seq, key)) = self.order.pop_front() {
                if self.map.get(&key).is_some_and(|e| e.seq == seq) {
                    self.map.remove(&key);
                }
            }
        }
    }

    fn insert(&mut self, key: &str, state: State, expires: Instant) {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.map.insert(
            key.to_owned(),
            Entry {
                state,
                expires,
                seq,
            },
        );
        self.order.push_back((seq, key.to_owned()));
    }
}

/// An in-process [`DedupStore`] holding at most `capacity` ids (the oldest
/// are forgotten first). Enough for one receiving process; use a shared
/// store when several processes receive the same app's events.
#[derive(Debug)]
pub struct MemoryDedup {
    capacity: usize,
    inner: Mutex<Inner>,
}

impl Default for MemoryDedup {
    fn default() -> Self {
        MemoryDedup::new()
    }
}

impl MemoryDedup {
    /// A store of at most [`DEFAULT_CAPACITY`] ids.
    pub fn new() -> Self {
        MemoryDedup::with_capacity(DEFAULT_CAPACITY)
    }

    /// A store of at most `capacity` ids (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        MemoryDedup {
            capacity: capacity.max(1),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// How many ids are remembered now (expired ones may still count until
    /// they are swept).
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

#[async_trait]
impl DedupStore for MemoryDedup {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError> {
        let now = Instant::now();
        let mut inner = self.lock();
        if let Some(entry) = inner.map.get(key) {
            if entry.expires > now {
                return Ok(match entry.state {
                    State::Processing => Claim::InProgress,
                    State::Done => Claim::Done,
                });
            }
        }
        inner.evict(self.capacity, now);
        inner.insert(key, State::Processing, now + lease);
        Ok(Claim::Claimed)
    }

    async fn complete(&self, key: &str, ttl: Duration) -> Result<(), DedupError> {
        let now = Instant::now();
        let mut inner = self.lock();
        match inner.map.get_mut(key) {
            Some(entry) => {
                entry.state = State::Done;
                entry.expires = now + ttl;
            }
            None => {
                inner.evict(self.capacity, now);
                inner.insert(key, State::Done, now + ttl);
            }
        }
        Ok(())
    }

    async fn release(&self, key: &str) -> Result<(), DedupError> {
        self.lock().map.remove(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn claim_complete_release_and_expiry() {
        let store = MemoryDedup::with_capacity(2);
        let lease = Duration::from_secs(60);
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::Claimed);
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::InProgress);
        store.complete("a", DEFAULT_TTL).await.unwrap();
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::Done);

        assert_eq!(store.claim("b", lease).await.unwrap(), Claim::Claimed);
        store.release("b").await.unwrap();
        assert_eq!(store.claim("b", lease).await.unwrap(), Claim::Claimed);

        // Bounded: a third id pushes out the oldest.
        assert_eq!(store.claim("c", lease).await.unwrap(), Claim::Claimed);
        assert_eq!(store.len(), 2);
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::Claimed);

        // A lapsed entry is claimable again.
        store.complete("z", Duration::from_millis(1)).await.unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(store.claim("z", lease).await.unwrap(), Claim::Claimed);
    }
}

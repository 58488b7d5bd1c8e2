//! De-duplication of redelivered events: the [`DedupStore`] trait and a
//! bounded in-memory store.
//!
//! The platform delivers at least once: it resends an event that was not
//! answered with 200 within 3 s (after 15 s, 5 min, 1 h and 6 h), and may
//! resend even after a success. The dispatcher claims each event id before
//! running its handler, marks it done afterwards (kept for a TTL, 8 h by
//! default, longer than the whole retry schedule), and releases the claim
//! when the handler fails so that the next redelivery runs it again.
//!
//! A claim is owned: [`Claim::Claimed`] carries a [`ClaimToken`], and only
//! that token completes or releases it. A handler that outlives its lease
//! therefore cannot release or complete the claim of the delivery that took
//! the id over after the lease lapsed.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher, RandomState};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use compact_str::CompactString;
use parking_lot::Mutex;
use siphasher::sip128::{Hasher128, SipHasher13};

/// How long a handled event id is remembered by default: 8 hours, more than
/// the platform's retry schedule (15 s + 5 min + 1 h + 6 h).
pub const DEFAULT_TTL: Duration = Duration::from_secs(8 * 60 * 60);

/// How many event ids [`MemoryDedup::new`] keeps at most.
pub const DEFAULT_CAPACITY: usize = 100_000;

/// The proof of one claim on an event id: [`DedupStore::complete`] and
/// [`DedupStore::release`] act only while the id is still claimed with it.
/// A short token (such as [`MemoryDedup`]'s `mem-<n>`) is kept inline,
/// without an allocation of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ClaimToken(CompactString);

impl ClaimToken {
    /// A token with the given value; a store makes it unique per claim.
    pub fn new(value: impl Into<String>) -> Self {
        ClaimToken(CompactString::from(value.into()))
    }

    /// `prefix` followed by `n` in decimal, inline when it fits.
    fn numbered(prefix: &str, n: u64) -> Self {
        let mut digits = itoa::Buffer::new();
        let mut token = CompactString::const_new("");
        token.push_str(prefix);
        token.push_str(digits.format(n));
        ClaimToken(token)
    }

    /// The token's value, as the store keeps it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The state of an event id after [`DedupStore::claim`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The caller now owns the id: run the handler, then
    /// [`DedupStore::complete`] or [`DedupStore::release`] with this token.
    Claimed(ClaimToken),
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
/// in a shared store such as Redis: `claim` = set "processing by `token`" if
/// absent with an expiry of `lease`, else read the state; `complete` = set
/// "done" with an expiry of `ttl` unless another token holds the key;
/// `release` = delete while the key still holds the token (both by
/// compare-and-set).
#[async_trait]
pub trait DedupStore: Send + Sync {
    /// Claims `key` for processing. The claim lapses after `lease` (so an
    /// event whose handler crashed is processed again on redelivery).
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError>;

    /// Marks `key` as handled, remembered for `ttl`, if it is still claimed
    /// with `token` or no longer claimed at all. A claim that another
    /// delivery took over after `token`'s lease lapsed is left alone.
    async fn complete(
        &self,
        key: &str,
        token: &ClaimToken,
        ttl: Duration,
    ) -> Result<(), DedupError>;

    /// Forgets the claim of a failed handler, if `key` is still claimed with
    /// `token`: the next delivery runs it again.
    async fn release(&self, key: &str, token: &ClaimToken) -> Result<(), DedupError>;

    /// The same store answering at once, for a store that needs no IO (an
    /// in-process store): callers use it instead of boxing a future per
    /// call. `None`, the default, sends them to the async methods.
    fn instant(&self) -> Option<&dyn InstantDedup> {
        None
    }
}

/// A [`DedupStore`] that needs no IO, answered without a future: the same
/// claim, complete and release, which cannot fail.
pub trait InstantDedup: Send + Sync {
    /// [`DedupStore::claim`], at once.
    fn claim_now(&self, key: &str, lease: Duration) -> Claim;

    /// [`DedupStore::complete`], at once.
    fn complete_now(&self, key: &str, token: &ClaimToken, ttl: Duration);

    /// [`DedupStore::release`], at once.
    fn release_now(&self, key: &str, token: &ClaimToken);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Processing,
    Done,
}

/// What the store keeps of an event id: a 128-bit keyed digest (SipHash-1-3
/// with 128-bit output under a random key of the store), not the text. Two
/// different ids share a digest with a probability below 2^-90 even with a
/// million ids remembered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Digest(u64, u64);

impl Hash for Digest {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Already uniformly random: the first half is the bucket hash.
        state.write_u64(self.0);
    }
}

/// The hasher of the map of digests: passes a digest's first half through.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Digest`; fold anything else.
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[derive(Debug)]
struct Entry {
    state: State,
    /// Milliseconds since the store's creation.
    expires: u64,
    seq: u64,
}

/// Below capacity, expired entries are swept once every this many inserts.
const SWEEP_EVERY: u64 = 64;

#[derive(Debug, Default)]
struct Inner {
    map: HashMap<Digest, Entry, BuildHasherDefault<PassThrough>>,
    order: VecDeque<(u64, Digest)>,
    next_seq: u64,
}

impl Inner {
    fn evict(&mut self, capacity: usize, now: u64) {
        // Drop expired or superseded entries at the front, then the oldest
        // ones while the store is full. Below capacity the front is looked
        // at once every `SWEEP_EVERY` inserts, not at each: expired entries
        // wait a little longer to go.
        if self.map.len() < capacity && self.next_seq % SWEEP_EVERY != 0 {
            return;
        }
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

    /// Inserts `key` and returns the entry's sequence number.
    fn insert(&mut self, key: Digest, state: State, expires: u64) -> u64 {
        self.next_seq += 1;
        let seq = self.next_seq;
        self.map.insert(
            key,
            Entry {
                state,
                expires,
                seq,
            },
        );
        self.order.push_back((seq, key));
        seq
    }
}

/// An in-process [`DedupStore`] holding at most `capacity` ids (the oldest
/// are forgotten first). Enough for one receiving process; use a shared
/// store when several processes receive the same app's events.
///
/// An id is remembered as a 128-bit keyed digest rather than as text, in
/// well under 100 bytes (about 85 with the default capacity full).
#[derive(Debug)]
pub struct MemoryDedup {
    capacity: usize,
    /// The key of the digest (SipHash-1-3, 128 bits), random per store.
    keys: (u64, u64),
    /// The origin of the entries' expiry times.
    created: Instant,
    inner: Mutex<Inner>,
}

/// What [`MemoryDedup`]'s tokens start with, before the claim's number.
const TOKEN_PREFIX: &str = "mem-";

/// The claim sequence number a token of [`MemoryDedup`] stands for.
fn owner(token: &ClaimToken) -> Option<u64> {
    token.as_str().strip_prefix(TOKEN_PREFIX)?.parse().ok()
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
            keys: {
                // Two values no one outside can predict: std's randomly
                // keyed hash of fixed inputs.
                let random = RandomState::new();
                (random.hash_one(0u8), random.hash_one(1u8))
            },
            created: Instant::now(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// How many ids are remembered now (expired ones may still count until
    /// they are swept).
    pub fn len(&self) -> usize {
        self.inner.lock().map.len()
    }

    /// Whether no id is remembered.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn digest(&self, key: &str) -> Digest {
        let mut hasher = SipHasher13::new_with_keys(self.keys.0, self.keys.1);
        hasher.write(key.as_bytes());
        let hash = hasher.finish128();
        Digest(hash.h1, hash.h2)
    }

    /// Now, in milliseconds since the store was created.
    fn now(&self) -> u64 {
        millis(self.created.elapsed())
    }
}

/// A duration in whole milliseconds, saturating.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl InstantDedup for MemoryDedup {
    fn claim_now(&self, key: &str, lease: Duration) -> Claim {
        let now = self.now();
        let key = self.digest(key);
        let mut inner = self.inner.lock();
        if let Some(entry) = inner.map.get(&key) {
            if entry.expires > now {
                return match entry.state {
                    State::Processing => Claim::InProgress,
                    State::Done => Claim::Done,
                };
            }
        }
        inner.evict(self.capacity, now);
        let seq = inner.insert(key, State::Processing, now.saturating_add(millis(lease)));
        Claim::Claimed(ClaimToken::numbered(TOKEN_PREFIX, seq))
    }

    fn complete_now(&self, key: &str, token: &ClaimToken, ttl: Duration) {
        let now = self.now();
        let key = self.digest(key);
        let owner = owner(token);
        let mut inner = self.inner.lock();
        match inner.map.get_mut(&key) {
            Some(entry) if entry.state == State::Processing && Some(entry.seq) == owner => {
                entry.state = State::Done;
                entry.expires = now.saturating_add(millis(ttl));
            }
            // Taken over by another delivery, or already done.
            Some(entry) if entry.expires > now => {}
            _ => {
                inner.evict(self.capacity, now);
                inner.insert(key, State::Done, now.saturating_add(millis(ttl)));
            }
        }
    }

    fn release_now(&self, key: &str, token: &ClaimToken) {
        let key = self.digest(key);
        let mut inner = self.inner.lock();
        let held = inner
            .map
            .get(&key)
            .is_some_and(|e| e.state == State::Processing && Some(e.seq) == owner(token));
        if held {
            inner.map.remove(&key);
        }
    }
}

#[async_trait]
impl DedupStore for MemoryDedup {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError> {
        Ok(self.claim_now(key, lease))
    }

    async fn complete(
        &self,
        key: &str,
        token: &ClaimToken,
        ttl: Duration,
    ) -> Result<(), DedupError> {
        self.complete_now(key, token, ttl);
        Ok(())
    }

    async fn release(&self, key: &str, token: &ClaimToken) -> Result<(), DedupError> {
        self.release_now(key, token);
        Ok(())
    }

    fn instant(&self) -> Option<&dyn InstantDedup> {
        Some(self)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    async fn claimed(store: &MemoryDedup, key: &str, lease: Duration) -> ClaimToken {
        match store.claim(key, lease).await.unwrap() {
            Claim::Claimed(token) => token,
            other => panic!("{key} not claimed: {other:?}"),
        }
    }

    #[tokio::test]
    async fn claim_complete_release_and_expiry() {
        let store = MemoryDedup::with_capacity(2);
        let lease = Duration::from_secs(60);
        let a = claimed(&store, "a", lease).await;
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::InProgress);
        store.complete("a", &a, DEFAULT_TTL).await.unwrap();
        assert_eq!(store.claim("a", lease).await.unwrap(), Claim::Done);

        let b = claimed(&store, "b", lease).await;
        store.release("b", &b).await.unwrap();
        let b2 = claimed(&store, "b", lease).await;
        assert_ne!(b, b2);

        // Bounded: a third id pushes out the oldest.
        claimed(&store, "c", lease).await;
        assert_eq!(store.len(), 2);
        claimed(&store, "a", lease).await;

        // A lapsed entry is claimable again.
        let z = claimed(&store, "z", lease).await;
        store
            .complete("z", &z, Duration::from_millis(1))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        claimed(&store, "z", lease).await;
    }

    #[tokio::test]
    async fn a_lapsed_owner_does_not_touch_the_next_owners_claim() {
        let store = MemoryDedup::new();
        let lease = Duration::from_secs(60);
        let first = claimed(&store, "e", Duration::from_millis(1)).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        let second = claimed(&store, "e", lease).await;
        // The first owner's late release and complete leave the second's claim.
        store.release("e", &first).await.unwrap();
        assert_eq!(store.claim("e", lease).await.unwrap(), Claim::InProgress);
        store.complete("e", &first, DEFAULT_TTL).await.unwrap();
        assert_eq!(store.claim("e", lease).await.unwrap(), Claim::InProgress);
        // The owner's own complete holds.
        store.complete("e", &second, DEFAULT_TTL).await.unwrap();
        assert_eq!(store.claim("e", lease).await.unwrap(), Claim::Done);
        // A token of another store or a made-up one releases nothing.
        let f = claimed(&store, "f", lease).await;
        store.release("f", &ClaimToken::new("x")).await.unwrap();
        assert_eq!(store.claim("f", lease).await.unwrap(), Claim::InProgress);
        store.release("f", &f).await.unwrap();
        claimed(&store, "f", lease).await;
    }

    #[tokio::test]
    async fn a_lapsed_claim_nobody_took_over_is_completed() {
        let store = MemoryDedup::new();
        let token = claimed(&store, "g", Duration::from_millis(1)).await;
        tokio::time::sleep(Duration::from_millis(5)).await;
        store.complete("g", &token, DEFAULT_TTL).await.unwrap();
        assert_eq!(
            store.claim("g", Duration::from_secs(60)).await.unwrap(),
            Claim::Done
        );
    }

    #[test]
    fn a_numbered_token_is_the_same_token_as_its_text() {
        use std::collections::hash_map::DefaultHasher;
        let hash = |t: &ClaimToken| {
            let mut h = DefaultHasher::new();
            t.hash(&mut h);
            h.finish()
        };
        for n in [0, 7, 1234, u64::MAX] {
            let inline = ClaimToken::numbered(TOKEN_PREFIX, n);
            let text = ClaimToken::new(format!("mem-{n}"));
            assert_eq!(inline.as_str(), format!("mem-{n}"));
            assert_eq!(inline, text);
            assert_eq!(hash(&inline), hash(&text));
            assert_eq!(format!("{inline:?}"), format!("ClaimToken(\"mem-{n}\")"));
            assert_eq!(owner(&inline), Some(n));
        }
        // Too long to keep inline: still the same text.
        let long = ClaimToken::numbered("a-prefix-of-twenty-bytes-", 12_345_678);
        assert_eq!(long.as_str(), "a-prefix-of-twenty-bytes-12345678");
    }

    #[test]
    fn the_memory_store_answers_at_once() {
        let store = MemoryDedup::new();
        let lease = Duration::from_secs(60);
        let now = store.instant().unwrap();
        let Claim::Claimed(token) = now.claim_now("h", lease) else {
            panic!("not claimed at once");
        };
        assert_eq!(now.claim_now("h", lease), Claim::InProgress);
        now.release_now("h", &token);
        let Claim::Claimed(token) = now.claim_now("h", lease) else {
            panic!("not claimed again after the release");
        };
        now.complete_now("h", &token, DEFAULT_TTL);
        assert_eq!(now.claim_now("h", lease), Claim::Done);
    }

    #[tokio::test]
    async fn expired_entries_go_at_the_next_sweep() {
        let store = MemoryDedup::with_capacity(1_000);
        for i in 0..10 {
            claimed(&store, &format!("short-{i}"), Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        // Below capacity the front is looked at once every SWEEP_EVERY
        // inserts: the expired ids count until then, and not after.
        let long = Duration::from_secs(60);
        let until_sweep = SWEEP_EVERY - 10;
        for i in 0..until_sweep {
            claimed(&store, &format!("long-{i}"), long).await;
        }
        assert_eq!(store.len() as u64, 10 + until_sweep);
        claimed(&store, "the-sweeping-one", long).await;
        assert_eq!(store.len() as u64, until_sweep + 1);
        // An expired id is claimable again at once, swept or not.
        claimed(&store, "short-0", long).await;
    }
}

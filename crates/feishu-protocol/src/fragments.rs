//! Reassembly of fragmented data messages: fragments share a `message_id`,
//! carry `sum` and `seq`, and are joined as raw bytes in `seq` order (a
//! fragment may end inside a UTF-8 character). Incomplete sets expire, and
//! `sum`, `seq`, the size of each message, the number of open sets and the
//! bytes held by all of them together are bounded.

use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long an incomplete set is kept after its first fragment: 10 s.
pub const FRAGMENT_TTL: Duration = Duration::from_secs(10);
/// The largest `sum` accepted.
pub const MAX_FRAGMENTS: usize = 64;
/// The largest reassembled message accepted: 8 MiB.
pub const MAX_MESSAGE_BYTES: usize = 8 * 1024 * 1024;
/// The most incomplete sets kept at once (the oldest is dropped first).
pub const MAX_OPEN_SETS: usize = 256;
/// The most bytes all incomplete sets hold together by default: 32 MiB
/// (the oldest sets are dropped first).
pub const MAX_BUFFERED_BYTES: usize = 32 * 1024 * 1024;

/// Why a fragment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FragmentError {
    /// `sum` is 0 or above [`MAX_FRAGMENTS`], or `seq` is not below `sum`,
    /// or `sum` differs from earlier fragments of the same message.
    #[error("fragment {seq} of {sum} of message `{message_id}` is out of range")]
    OutOfRange {
        /// The message id.
        message_id: String,
        /// `seq`.
        seq: usize,
        /// `sum`.
        sum: usize,
    },
    /// The fragments add up to more than [`MAX_MESSAGE_BYTES`].
    #[error("message `{message_id}` is larger than {limit} bytes")]
    TooLarge {
        /// The message id.
        message_id: String,
        /// The limit.
        limit: usize,
    },
}

#[derive(Debug)]
struct Partial {
    parts: Vec<Option<Vec<u8>>>,
    filled: usize,
    bytes: usize,
    started: Instant,
}

/// Buffers fragments until each message is complete.
#[derive(Debug)]
pub struct Reassembler {
    open: HashMap<String, Partial>,
    ttl: Duration,
    budget: usize,
    buffered: usize,
    dropped: u64,
}

impl Default for Reassembler {
    fn default() -> Self {
        Reassembler::new(FRAGMENT_TTL)
    }
}

impl Reassembler {
    /// A reassembler dropping incomplete sets after `ttl`.
    pub fn new(ttl: Duration) -> Self {
        Reassembler::with_budget(ttl, MAX_BUFFERED_BYTES)
    }

    /// A reassembler dropping incomplete sets after `ttl`, holding at most
    /// `budget` bytes in all of them together (at least
    /// [`MAX_MESSAGE_BYTES`], so that any one message fits).
    pub fn with_budget(ttl: Duration, budget: usize) -> Self {
        Reassembler {
            open: HashMap::new(),
            ttl,
            budget: budget.max(MAX_MESSAGE_BYTES),
            buffered: 0,
            dropped: 0,
        }
    }

    /// How many incomplete sets are held.
    pub fn open_sets(&self) -> usize {
        self.open.len()
    }

    /// How many bytes all incomplete sets hold together.
    pub fn buffered_bytes(&self) -> usize {
        self.buffered
    }

    /// How many incomplete sets were dropped, since the start, to stay
    /// within the set limit or the byte budget.
    pub fn dropped_sets(&self) -> u64 {
        self.dropped
    }

    /// Removes a set and gives back its bytes.
    fn remove(&mut self, message_id: &str) -> Option<Partial> {
        let partial = self.open.remove(message_id)?;
        self.buffered -= partial.bytes;
        Some(partial)
    }

    /// Drops the oldest set other than `keep`; `false` when there is none.
    fn drop_oldest(&mut self, keep: &str) -> bool {
        let oldest = self
            .open
            .iter()
            .filter(|(k, _)| k.as_str() != keep)
            .min_by_key(|(_, p)| p.started)
            .map(|(k, _)| k.clone());
        let Some(oldest) = oldest else {
            return false;
        };
        tracing::warn!(message_id = %oldest, buffered = self.buffered, "incomplete message dropped to stay within the fragment limits");
        self.remove(&oldest);
        self.dropped += 1;
        true
    }

    /// Adds fragment `seq` of `sum`; returns the whole message once the last
    /// missing fragment arrives. A repeated fragment replaces the earlier one.
    pub fn push(
        &mut self,
        message_id: &str,
        sum: usize,
        seq: usize,
        bytes: &[u8],
        now: Instant,
    ) -> Result<Option<Vec<u8>>, FragmentError> {
        let out_of_range = || FragmentError::OutOfRange {
            message_id: message_id.to_owned(),
            seq,
            sum,
        };
        if sum == 0 || sum > MAX_FRAGMENTS || seq >= sum {
            return Err(out_of_range());
        }
        if bytes.len() > MAX_MESSAGE_BYTES {
            return Err(FragmentError::TooLarge {
                message_id: message_id.to_owned(),
                limit: MAX_MESSAGE_BYTES,
            });
        }
        if sum == 1 {
            return Ok(Some(bytes.to_vec()));
        }
        self.expire(now);
        if !self.open.contains_key(message_id) && self.open.len() >= MAX_OPEN_SETS {
            self.drop_oldest(message_id);
        }
        let partial = self
            .open
            .entry(message_id.to_owned())
            .or_insert_with(|| Partial {
                parts: vec![None; sum],
                filled: 0,
                bytes: 0,
                started: now,
            });
        if partial.parts.len() != sum {
            return Err(out_of_range());
        }
        let Some(slot) = partial.parts.get_mut(seq) else {
            return Err(out_of_range());
        };
        let replaced = slot.replace(bytes.to_vec());
        match replaced {
            Some(old) => {
                partial.bytes -= old.len();
                self.buffered -= old.len();
            }
            None => partial.filled += 1,
        }
        partial.bytes += bytes.len();
        self.buffered += bytes.len();
        let (size, filled) = (partial.bytes, partial.filled);
        if size > MAX_MESSAGE_BYTES {
            self.remove(message_id);
            return Err(FragmentError::TooLarge {
                message_id: message_id.to_owned(),
                limit: MAX_MESSAGE_BYTES,
            });
        }
        while self.buffered > self.budget && self.drop_oldest(message_id) {}
        if filled < sum {
            return Ok(None);
        }
        let Some(done) = self.remove(message_id) else {
            return Ok(None);
        };
        let mut whole = Vec::with_capacity(done.bytes);
        for part in done.parts.into_iter().flatten() {
            whole.extend_from_slice(&part);
        }
        Ok(Some(whole))
    }

    /// Drops the sets older than the TTL; returns how many.
    pub fn expire(&mut self, now: Instant) -> usize {
        let before = self.open.len();
        let ttl = self.ttl;
        let mut freed = 0;
        self.open.retain(|_, p| {
            let keep = now.saturating_duration_since(p.started) < ttl;
            if !keep {
                freed += p.bytes;
            }
            keep
        });
        self.buffered -= freed;
        before - self.open.len()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn joins_raw_bytes_in_seq_order_across_a_split_character() {
        let text = "{\"name\":\"群聊\"}".as_bytes();
        // Split inside the 3-byte `群`.
        let (a, rest) = text.split_at(10);
        let (b, c) = rest.split_at(4);
        let now = Instant::now();
        let mut r = Reassembler::default();
        assert_eq!(r.push("m", 3, 2, c, now).unwrap(), None);
        assert_eq!(r.push("m", 3, 0, a, now).unwrap(), None);
        assert_eq!(r.push("m", 3, 0, a, now).unwrap(), None); // repeated
        assert_eq!(r.push("m", 3, 1, b, now).unwrap().unwrap(), text);
        assert_eq!(r.open_sets(), 0);
    }

    #[test]
    fn bounds_and_expiry() {
        let now = Instant::now();
        let mut r = Reassembler::default();
        assert!(r.push("m", 0, 0, b"x", now).is_err());
        assert!(r.push("m", 2, 2, b"x", now).is_err());
        assert!(r.push("m", MAX_FRAGMENTS + 1, 0, b"x", now).is_err());
        assert_eq!(r.push("m", 2, 0, b"x", now).unwrap(), None);
        assert!(r.push("m", 3, 1, b"x", now).is_err()); // sum changed
        assert_eq!(r.expire(now + FRAGMENT_TTL), 1);
        assert_eq!(r.push("m", 2, 1, b"y", now + FRAGMENT_TTL).unwrap(), None);
        assert_eq!(r.push("one", 1, 0, b"z", now).unwrap().unwrap(), b"z");
    }
}

#[cfg(test)]
mod budget_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn open_sets_share_one_byte_budget_and_the_oldest_go_first() {
        let t0 = Instant::now();
        let mut r = Reassembler::default();
        let part = vec![b'x'; 7 * 1024 * 1024];
        // Twenty sets, each 7 MiB short of completion: 140 MiB without a
        // total bound.
        for i in 0..20u64 {
            let at = t0 + Duration::from_millis(i);
            assert_eq!(r.push(&format!("m{i}"), 2, 0, &part, at).unwrap(), None);
            assert!(
                r.buffered_bytes() <= MAX_BUFFERED_BYTES,
                "{}",
                r.buffered_bytes()
            );
        }
        let kept = MAX_BUFFERED_BYTES / part.len();
        assert_eq!(r.open_sets(), kept);
        assert_eq!(r.dropped_sets(), 20 - kept as u64);
        // The newest sets are the ones kept: they still complete.
        let last = r.push("m19", 2, 1, b"!", t0).unwrap().unwrap();
        assert_eq!(last.len(), part.len() + 1);
        assert!(r.push("m0", 2, 1, b"!", t0).unwrap().is_none());
        assert_eq!(r.buffered_bytes(), (kept - 1) * part.len() + 1);
        // Expiry gives the bytes back too.
        r.expire(t0 + FRAGMENT_TTL + Duration::from_secs(1));
        assert_eq!((r.open_sets(), r.buffered_bytes()), (0, 0));
    }
}

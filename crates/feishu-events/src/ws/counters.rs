//! [`DropCounts`]: what a long connection dropped to stay within its memory
//! budgets, counted since the client started.

use std::sync::atomic::{AtomicU64, Ordering};

/// What a long connection dropped to stay within its memory budgets (see
/// [`super::LongConnection::drops`]). A dropped message was answered 500 (or
/// never acknowledged, for an incomplete one), so the platform redelivers it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DropCounts {
    /// Complete messages dropped while waiting for a handler, the oldest
    /// first, when the queued bytes went past the queue budget.
    pub queued_messages: u64,
    /// Incomplete fragmented messages dropped, the oldest first, past the
    /// limit of open sets or the fragment byte budget.
    pub fragment_sets: u64,
}

/// The live counters behind [`DropCounts`], shared by every session.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) queued_messages: AtomicU64,
    pub(crate) fragment_sets: AtomicU64,
}

impl Counters {
    /// The counts now.
    pub(crate) fn snapshot(&self) -> DropCounts {
        DropCounts {
            queued_messages: self.queued_messages.load(Ordering::Relaxed),
            fragment_sets: self.fragment_sets.load(Ordering::Relaxed),
        }
    }
}

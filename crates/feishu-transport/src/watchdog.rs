//! Coarse time limits for exchanges, without a runtime timer per request.
//!
//! A timer armed and disarmed for every request costs more than the rest of
//! the client's bookkeeping on a fast connection. The time limit of an
//! exchange is a safety net (the platform answers in milliseconds; the limit
//! only ends an exchange a broken server or network left hanging), so it
//! does not need a timer's precision: a pending exchange records its due
//! tick and its waker in a registry of the thread it runs on, and one
//! process-wide thread advances a tick clock four times a second and wakes
//! the exchanges that are due. An exchange ends at most one tick
//! ([`TICK`]) after its limit.
//!
//! Registering takes the current thread's own lock, so exchanges on
//! different threads never contend.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use parking_lot::Mutex;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use slab::Slab;

/// The resolution of the limits: the ticker's period.
pub const TICK: Duration = Duration::from_millis(250);

/// Ticks since the ticker started.
static CLOCK: AtomicU64 = AtomicU64::new(0);

/// The registries of every thread that has registered an exchange.
static SHARDS: OnceLock<Mutex<Vec<Weak<Shard>>>> = OnceLock::new();

thread_local! {
    static LOCAL: Arc<Shard> = Shard::register();
}

/// One thread's pending exchanges.
#[derive(Default)]
struct Shard {
    entries: Mutex<Slab<Entry>>,
}

struct Entry {
    due: u64,
    waker: Waker,
}

impl Shard {
    fn register() -> Arc<Shard> {
        let shard = Arc::new(Shard::default());
        let shards = SHARDS.get_or_init(|| {
            start_ticker();
            Mutex::new(Vec::new())
        });
        shards.lock().push(Arc::downgrade(&shard));
        shard
    }

    fn insert(&self, entry: Entry) -> usize {
        self.entries.lock().insert(entry)
    }

    fn update(&self, key: usize, waker: &Waker) {
        if let Some(entry) = self.entries.lock().get_mut(key) {
            if !entry.waker.will_wake(waker) {
                entry.waker = waker.clone();
            }
        }
    }

    fn remove(&self, key: usize) {
        self.entries.lock().try_remove(key);
    }

    /// Wakes the exchanges that are due, outside the lock: a waker may
    /// poll its task at once, and the task then takes this lock.
    fn wake_due(&self, now: u64) {
        let due: Vec<Waker> = self
            .entries
            .lock()
            .iter()
            .filter(|(_, e)| e.due <= now)
            .map(|(_, e)| e.waker.clone())
            .collect();
        for waker in due {
            waker.wake();
        }
    }

    #[cfg(test)]
    fn pending(&self) -> usize {
        self.entries.lock().len()
    }
}

/// Starts the thread that advances the clock and wakes due exchanges. It
/// runs for the life of the process and costs four wake-ups a second.
fn start_ticker() {
    let spawned = std::thread::Builder::new()
        .name("feishu-watchdog".into())
        .spawn(|| loop {
            std::thread::sleep(TICK);
            let now = CLOCK.fetch_add(1, Ordering::Relaxed) + 1;
            let live: Vec<Arc<Shard>> = match SHARDS.get() {
                Some(shards) => {
                    let mut shards = shards.lock();
                    shards.retain(|s| s.strong_count() > 0);
                    shards.iter().filter_map(Weak::upgrade).collect()
                }
                None => Vec::new(),
            };
            for shard in live {
                shard.wake_due(now);
            }
        });
    if let Err(e) = spawned {
        tracing::error!(error = %e, "the exchange time-limit thread could not start; limits are not enforced");
    }
}

/// Ticks from now until `limit` has passed, rounded up, plus the tick in
/// progress.
fn due_after(limit: Duration) -> u64 {
    let ticks = limit.as_nanos().div_ceil(TICK.as_nanos());
    let ticks = u64::try_from(ticks).unwrap_or(u64::MAX / 2);
    CLOCK
        .load(Ordering::Relaxed)
        .saturating_add(ticks)
        .saturating_add(1)
}

/// `inner`, or `None` once `limit` has passed.
pub(crate) fn limit<F: Future>(limit: Duration, inner: F) -> Limited<F> {
    Limited {
        inner,
        limit,
        registered: None,
    }
}

/// A future with a coarse time limit: see [`limit`].
pub(crate) struct Limited<F> {
    inner: F,
    limit: Duration,
    registered: Option<Registration>,
}

struct Registration {
    shard: Arc<Shard>,
    key: usize,
    due: u64,
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.shard.remove(self.key);
    }
}

impl<F: Future + Unpin> Future for Limited<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(r) = &this.registered {
            if CLOCK.load(Ordering::Relaxed) >= r.due {
                this.registered = None;
                return Poll::Ready(None);
            }
        }
        match Pin::new(&mut this.inner).poll(cx) {
            Poll::Ready(out) => {
                this.registered = None;
                Poll::Ready(Some(out))
            }
            Poll::Pending => {
                match &this.registered {
                    Some(r) => r.shard.update(r.key, cx.waker()),
                    None => {
                        let due = due_after(this.limit);
                        // A thread whose locals are being torn down gets a
                        // registry of its own rather than a panic.
                        let shard = LOCAL
                            .try_with(Arc::clone)
                            .unwrap_or_else(|_| Shard::register());
                        let key = shard.insert(Entry {
                            due,
                            waker: cx.waker().clone(),
                        });
                        this.registered = Some(Registration { shard, key, due });
                    }
                }
                Poll::Pending
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[tokio::test]
    async fn a_pending_exchange_ends_within_a_tick_of_its_limit() {
        let started = Instant::now();
        let out = limit(
            Duration::from_millis(300),
            Box::pin(futures::future::pending::<()>()),
        )
        .await;
        let took = started.elapsed();
        assert_eq!(out, None);
        assert!(took >= Duration::from_millis(300), "{took:?}");
        assert!(took < Duration::from_millis(300) + 3 * TICK, "{took:?}");
    }

    #[tokio::test]
    async fn a_finished_exchange_gives_its_output_and_leaves_no_entry() {
        let (tx, rx) = tokio::sync::oneshot::channel::<u32>();
        let limited = tokio::spawn(limit(Duration::from_secs(30), rx));
        tokio::time::sleep(Duration::from_millis(20)).await;
        tx.send(7).unwrap();
        assert_eq!(limited.await.unwrap(), Some(Ok(7)));
        assert_eq!(LOCAL.with(|s| s.pending()), 0);
    }

    #[test]
    fn a_dropped_exchange_leaves_no_entry() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut limited = limit(
                Duration::from_secs(30),
                Box::pin(futures::future::pending::<()>()),
            );
            let polled = futures::poll!(&mut limited);
            assert!(polled.is_pending());
            assert_eq!(LOCAL.with(|s| s.pending()), 1);
            drop(limited);
            assert_eq!(LOCAL.with(|s| s.pending()), 0);
        });
    }
}

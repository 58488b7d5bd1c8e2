//! An expiring token cache with single flight: a fresh token is read without
//! any async lock; only a (re)fetch takes the key's flight lock, so any
//! number of concurrent callers on a cold key wait for one fetch and share
//! its outcome, success or failure (a failure is remembered briefly, so the
//! queued callers do not each run a fetch of their own). During the refresh
//! window a failed refresh keeps serving the token that is still valid.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::sync::Arc;

use parking_lot::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use feishu_model::{Secret, TokenKind};
use tokio::time::Instant;

use super::{Bearer, REFRESH_MARGIN};
use crate::error::Error;

/// How long a failed fetch answers for its key before the next try.
pub const NEGATIVE_TTL: Duration = Duration::from_secs(1);

/// Tenant slots kept before expired ones are swept.
const SWEEP_ABOVE: usize = 1024;

struct Cached {
    bearer: Bearer,
    refresh_at: Instant,
    expires_at: Instant,
}

struct Failure {
    error: Error,
    until: Instant,
}

#[derive(Default)]
struct Slot {
    current: RwLock<Option<Cached>>,
    flight: tokio::sync::Mutex<Option<Failure>>,
}

impl Slot {
    fn read(&self) -> RwLockReadGuard<'_, Option<Cached>> {
        self.current.read()
    }

    fn write(&self) -> RwLockWriteGuard<'_, Option<Cached>> {
        self.current.write()
    }

    /// The cached bearer if it is before its refresh time.
    fn fresh(&self, now: Instant) -> Option<Bearer> {
        self.read()
            .as_ref()
            .filter(|c| now < c.refresh_at)
            .map(|c| c.bearer.clone())
    }

    /// The cached bearer if it has not expired (it may be due for refresh).
    fn valid(&self, now: Instant) -> Option<Bearer> {
        self.read()
            .as_ref()
            .filter(|c| now < c.expires_at)
            .map(|c| c.bearer.clone())
    }

    fn idle(&self, now: Instant) -> bool {
        self.valid(now).is_none() && self.flight.try_lock().is_ok()
    }
}

enum SlotRef<'a> {
    Own(&'a Slot),
    Tenant(Arc<Slot>),
}

impl Deref for SlotRef<'_> {
    type Target = Slot;
    fn deref(&self) -> &Slot {
        match self {
            SlotRef::Own(s) => s,
            SlotRef::Tenant(s) => s,
        }
    }
}

/// The token cache of one app: its own tenant token, its app token, and a
/// tenant token per tenant a marketplace app acts in.
#[derive(Default)]
pub struct TokenCache {
    own_tenant: Slot,
    app: Slot,
    tenants: Mutex<HashMap<String, Arc<Slot>>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.tenants.lock().len();
        f.debug_struct("TokenCache")
            .field("tenant_slots", &n)
            .finish_non_exhaustive()
    }
}

/// How long after its fetch a token with lifetime `ttl` is refreshed: a
/// margin before expiry, but never before half its life.
fn refresh_in(ttl: Duration) -> Duration {
    ttl.saturating_sub(REFRESH_MARGIN).max(ttl / 2)
}

impl TokenCache {
    fn slot(&self, kind: TokenKind, tenant: &str) -> SlotRef<'_> {
        match kind {
            TokenKind::App => SlotRef::Own(&self.app),
            _ if tenant.is_empty() => SlotRef::Own(&self.own_tenant),
            _ => {
                let mut tenants = self.tenants.lock();
                if let Some(slot) = tenants.get(tenant) {
                    return SlotRef::Tenant(slot.clone());
                }
                if tenants.len() >= SWEEP_ABOVE {
                    let now = Instant::now();
                    tenants.retain(|_, s| Arc::strong_count(s) > 1 || !s.idle(now));
                }
                SlotRef::Tenant(tenants.entry(tenant.to_owned()).or_default().clone())
            }
        }
    }

    /// The cached token for (`kind`, `tenant`) while it is fresh, else the
    /// outcome of one `fetch` (token and lifetime) shared by every caller
    /// waiting on the key. A failed fetch answers for `NEGATIVE_TTL` (1 s); while
    /// the old token has not expired, it is served instead of the failure.
    pub async fn get_or_fetch<F, Fut>(
        &self,
        kind: TokenKind,
        tenant: &str,
        fetch: F,
    ) -> Result<Bearer, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Duration), Error>>,
    {
        self.get_or_fetch_timed(kind, tenant, || async {
            fetch()
                .await
                .map(|(token, ttl)| (token, ttl, refresh_in(ttl)))
        })
        .await
    }

    /// Like [`TokenCache::get_or_fetch`], with `fetch` also saying when the
    /// token is due for refresh: (token, lifetime, refresh after). For
    /// tokens read from a shared store, whose refresh is timed by the store.
    pub async fn get_or_fetch_timed<F, Fut>(
        &self,
        kind: TokenKind,
        tenant: &str,
        fetch: F,
    ) -> Result<Bearer, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(Secret, Duration, Duration), Error>>,
    {
        let slot = self.slot(kind, tenant);
        if let Some(bearer) = slot.fresh(Instant::now()) {
            return Ok(bearer);
        }
        let mut failure = slot.flight.lock().await;
        let now = Instant::now();
        if let Some(bearer) = slot.fresh(now) {
            return Ok(bearer);
        }
        if let Some(f) = failure.as_ref().filter(|f| now < f.until) {
            return slot.valid(now).ok_or_else(|| f.error.clone());
        }
        let outcome = match fetch().await {
            Ok((token, ttl, refresh)) => Bearer::new(token).map(|b| (b, ttl, refresh.min(ttl))),
            Err(e) => Err(e),
        };
        let now = Instant::now();
        match outcome {
            Ok((bearer, ttl, refresh)) => {
                *slot.write() = Some(Cached {
                    bearer: bearer.clone(),
                    refresh_at: now + refresh,
                    expires_at: now + ttl,
                });
                *failure = None;
                Ok(bearer)
            }
            Err(error) => {
                *failure = Some(Failure {
                    error: error.clone(),
                    until: now + NEGATIVE_TTL,
                });
                match slot.valid(now) {
                    Some(bearer) => {
                        tracing::warn!(error = %error, "token refresh failed; the current token is still valid and stays in use");
                        Ok(bearer)
                    }
                    None => Err(error),
                }
            }
        }
    }

    /// The cached token for (`kind`, `tenant`) if it is fresh; never waits.
    pub fn peek(&self, kind: TokenKind, tenant: &str) -> Option<Bearer> {
        self.slot(kind, tenant).fresh(Instant::now())
    }

    /// Drops the cached token for (`kind`, `tenant`) if it is still `stale`.
    pub fn invalidate(&self, kind: TokenKind, tenant: &str, stale: &Secret) {
        let slot = self.slot(kind, tenant);
        let mut current = slot.write();
        if current.as_ref().is_some_and(|c| &c.bearer.token == stale) {
            *current = None;
        }
    }

    /// Forgets remembered failures (something they depended on changed,
    /// such as a new `app_ticket`), so the next call fetches at once.
    pub fn forget_failures(&self) {
        let tenants: Vec<Arc<Slot>> = self.tenants.lock().values().cloned().collect();
        let own = [&self.own_tenant, &self.app];
        for slot in own.into_iter().chain(tenants.iter().map(|s| &**s)) {
            if let Ok(mut failure) = slot.flight.try_lock() {
                *failure = None;
            }
        }
    }

    /// Tenant slots currently held (for tests and metrics).
    pub fn tenant_slots(&self) -> usize {
        self.tenants.lock().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn failed() -> Error {
        Error::Auth {
            token: TokenKind::Tenant,
            code: None,
            msg: "token endpoint down".into(),
            log_id: None,
            cause: None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_failure_is_shared_by_every_waiter() {
        let cache = Arc::new(TokenCache::default());
        let fetches = Arc::new(AtomicU32::new(0));
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let (cache, fetches) = (cache.clone(), fetches.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .get_or_fetch(TokenKind::Tenant, "", || async {
                        fetches.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_secs(30)).await;
                        Err(failed())
                    })
                    .await
            }));
        }
        let started = Instant::now();
        for t in tasks {
            assert!(t.await.unwrap().is_err());
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
        assert_eq!(started.elapsed(), Duration::from_secs(30));
        // After the negative TTL a new fetch runs.
        tokio::time::advance(NEGATIVE_TTL).await;
        let ok = cache
            .get_or_fetch(TokenKind::Tenant, "", || async {
                Ok((Secret::new("t-2"), Duration::from_secs(7200)))
            })
            .await
            .unwrap();
        assert_eq!(ok.token.expose(), "t-2");
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_refresh_keeps_serving_the_valid_token() {
        let cache = TokenCache::default();
        let first = cache
            .get_or_fetch(TokenKind::Tenant, "", || async {
                Ok((Secret::new("t-1"), Duration::from_secs(7200)))
            })
            .await
            .unwrap();
        assert_eq!(first.token.expose(), "t-1");
        // Inside the refresh window: the refresh fails, the old token serves.
        tokio::time::advance(Duration::from_secs(7200 - 100)).await;
        let served = cache
            .get_or_fetch(TokenKind::Tenant, "", || async { Err(failed()) })
            .await
            .unwrap();
        assert_eq!(served.token.expose(), "t-1");
        // Once it has expired, the failure comes through.
        tokio::time::advance(Duration::from_secs(101)).await;
        assert!(cache
            .get_or_fetch(TokenKind::Tenant, "", || async { Err(failed()) })
            .await
            .is_err());
    }

    #[tokio::test(start_paused = true)]
    async fn short_lifetimes_refresh_at_half_life_not_per_call() {
        let cache = TokenCache::default();
        let fetches = AtomicU32::new(0);
        for _ in 0..100 {
            cache
                .get_or_fetch(TokenKind::Tenant, "", || async {
                    fetches.fetch_add(1, Ordering::SeqCst);
                    Ok((Secret::new("t"), Duration::from_secs(60)))
                })
                .await
                .unwrap();
        }
        assert_eq!(fetches.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn tenant_slots_are_swept_when_idle() {
        let cache = TokenCache::default();
        for i in 0..(SWEEP_ABOVE + 10) {
            let _ = cache
                .get_or_fetch(TokenKind::Tenant, &format!("tenant-{i}"), || async {
                    Err(failed())
                })
                .await;
        }
        assert!(
            cache.tenant_slots() <= SWEEP_ABOVE,
            "{}",
            cache.tenant_slots()
        );
    }
}

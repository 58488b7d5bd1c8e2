//! The default provider: tenant and app tokens fetched with the app's
//! credentials from the auth v3 endpoints, through the [`TokenCache`].
//! Fetches run under the client's retry policy within their own time limit;
//! a marketplace app with no `app_ticket` yet asks the platform to resend
//! one at most once per [`TICKET_RESEND_INTERVAL`].

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::auth::{
    AppAccessToken, AppAccessTokenInternal, AppTicketResend, TenantAccessToken,
    TenantAccessTokenInternal, TenantTokenOutput,
};
use feishu_model::{Endpoint, Secret, TokenKind};
use tokio::time::Instant;

use super::{lifetime, Bearer, TokenCache, TokenProvider, REFRESH_MARGIN};
use crate::credentials::{AppCredentials, AppType, Tickets};
use crate::error::Error;
use crate::pipeline::Pipe;
use crate::retry::RetryPolicy;
use crate::store::{StoreError, TokenKey, TokenStore};

/// The least time between two `app_ticket` resend requests.
pub const TICKET_RESEND_INTERVAL: Duration = Duration::from_secs(60);

/// The default time limit of one token fetch, retries included.
pub const TOKEN_FETCH_TIMEOUT: Duration = Duration::from_secs(15);

/// With a shared [`TokenStore`], a stored token is refreshed once it has
/// this long left (by default; inside the last 30 minutes, when the
/// platform hands out a new token rather than the current one).
pub const SHARED_REFRESH_WITHIN: Duration = Duration::from_secs(15 * 60);

/// How much longer than the fetch's own time limit the fetch lock of a
/// shared store is held at most (see [`lock_ttl`]).
const LOCK_SLACK: Duration = Duration::from_secs(5);

/// The fetch lock's lifetime for a fetch limited to `fetch_timeout`: the
/// lock outlives the fetch, so no second process fetches while the first
/// one may still be at it.
fn lock_ttl(fetch_timeout: Duration) -> Duration {
    fetch_timeout.saturating_add(LOCK_SLACK)
}
/// How often a process that lost the fetch lock reads the store again.
const POLL: Duration = Duration::from_millis(50);
/// How soon a token served while another process refreshes it is re-read.
const REREAD: Duration = Duration::from_secs(1);

/// A token fetch: the token and its lifetime.
type Fetch<'a> = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(Secret, Duration), Error>> + Send + 'a>,
>;

/// A token read from the shared store: served (token, time left, refresh
/// after), or not fresh enough (the token still valid, if any).
type Stored = Result<(Secret, Duration, Duration), Option<(Secret, Duration)>>;

/// A shared token store and how it is used.
#[derive(Debug)]
struct Shared {
    store: Arc<dyn TokenStore>,
    refresh_within: Duration,
    /// Whether the store failed last time (each change is logged once).
    down: AtomicBool,
}

impl Shared {
    fn failed(&self, error: &StoreError) {
        if !self.down.swap(true, Ordering::AcqRel) {
            tracing::warn!(error = %error, "token store unavailable; fetching tokens directly until it is back");
        }
    }

    fn ok(&self) {
        if self.down.swap(false, Ordering::AcqRel) {
            tracing::info!("token store available again; tokens are shared again");
        }
    }

    /// When a token read with `left` to live is due for refresh.
    fn refresh_in(&self, left: Duration) -> Duration {
        left.saturating_sub(self.refresh_within)
    }

    /// Reads `key` from the store: the token as it is served when it has more
    /// than the refresh margin left (with when to refresh it), otherwise
    /// (`Err`) what was read.
    async fn read(&self, key: &TokenKey) -> Result<Stored, StoreError> {
        Ok(match self.store.get(key).await? {
            Some((token, left)) if left > self.refresh_within => {
                Ok((token, left, self.refresh_in(left)))
            }
            other => Err(other),
        })
    }

    /// How long a freshly fetched token with lifetime `ttl` is stored: a
    /// margin short of its expiry, so no process reads a token about to die.
    fn store_ttl(ttl: Duration) -> Duration {
        ttl.saturating_sub(REFRESH_MARGIN).max(ttl / 2)
    }
}

/// The default provider of self-built and marketplace apps.
#[derive(Debug)]
pub(crate) struct AppTokenProvider {
    credentials: AppCredentials,
    tickets: Tickets,
    cache: TokenCache,
    shared: Option<Shared>,
    pipe: Pipe,
    retry: RetryPolicy,
    fetch_timeout: Duration,
    last_resend: Mutex<Option<Instant>>,
    ticket_seen: std::sync::atomic::AtomicU64,
}

/// A token fetch failure as an [`Error::Auth`] that keeps the original error
/// as its cause (and so its retryability and `retry_after`).
fn auth_error(kind: TokenKind, e: Error) -> Error {
    match e {
        Error::Auth { .. } => e,
        other => Error::Auth {
            token: kind,
            code: other.code(),
            msg: other
                .api()
                .map(|a| a.msg.clone())
                .unwrap_or_else(|| other.to_string()),
            log_id: other.log_id().map(str::to_owned),
            cause: Some(Box::new(other)),
        },
    }
}

impl AppTokenProvider {
    pub(crate) fn new(
        credentials: AppCredentials,
        tickets: Tickets,
        pipe: Pipe,
        retry: RetryPolicy,
        fetch_timeout: Duration,
    ) -> Self {
        AppTokenProvider {
            credentials,
            tickets,
            cache: TokenCache::default(),
            shared: None,
            pipe,
            retry,
            fetch_timeout,
            last_resend: Mutex::new(None),
            ticket_seen: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// Puts `store` behind the in-process cache; stored tokens are refreshed
    /// once they have `refresh_within` left.
    pub(crate) fn with_store(
        mut self,
        store: Arc<dyn TokenStore>,
        refresh_within: Duration,
    ) -> Self {
        self.shared = Some(Shared {
            store,
            refresh_within,
            down: AtomicBool::new(false),
        });
        self
    }

    fn key(&self, kind: TokenKind, tenant: &str) -> TokenKey {
        let c = &self.credentials;
        TokenKey::new(c.app_id.as_str(), &c.app_secret, kind, tenant)
    }

    /// The token of (`kind`, `tenant`) through the in-process cache, and on a
    /// miss through the shared store (when there is one), `fetch` running
    /// only when neither holds a token that is not due for refresh. The
    /// fetch is a boxed future made only on a miss, so one copy of this (and
    /// of the cache's and the store's steps) serves every kind of token.
    async fn cached<'f>(
        &self,
        kind: TokenKind,
        tenant: &str,
        fetch: &(dyn Fn() -> Fetch<'f> + Sync + 'f),
    ) -> Result<Bearer, Error> {
        let Some(shared) = &self.shared else {
            return self.cache.get_or_fetch(kind, tenant, fetch).await;
        };
        self.cache
            .get_or_fetch_timed(kind, tenant, || {
                self.through_store(shared, kind, tenant, fetch())
            })
            .await
    }

    /// One in-process miss: read the store; else take its fetch lock and
    /// fetch, or wait for the process holding it; with the store down,
    /// fetch directly.
    async fn through_store(
        &self,
        shared: &Shared,
        kind: TokenKind,
        tenant: &str,
        fetch: Fetch<'_>,
    ) -> Result<(Secret, Duration, Duration), Error> {
        let key = self.key(kind, tenant);
        let store = &shared.store;
        let mut current = None;
        match shared.read(&key).await {
            Ok(found) => {
                shared.ok();
                current = match found {
                    Ok(served) => return Ok(served),
                    Err(stale) => stale,
                };
            }
            Err(e) => shared.failed(&e),
        }
        let lease = if shared.down.load(Ordering::Acquire) {
            None
        } else {
            match store.try_lock(&key, lock_ttl(self.fetch_timeout)).await {
                Ok(Some(lease)) => {
                    // The process that held the lock may have stored its
                    // token and let go between the read above and this
                    // lock: read again before fetching another.
                    match shared.read(&key).await {
                        Ok(Ok(served)) => {
                            if let Err(e) = store.unlock(&key, &lease).await {
                                shared.failed(&e);
                            }
                            return Ok(served);
                        }
                        Ok(Err(_)) => {}
                        Err(e) => shared.failed(&e),
                    }
                    Some(lease)
                }
                Ok(None) => {
                    // Another process fetches. A token still valid is served
                    // meanwhile (a new token does not revoke it) and re-read soon.
                    if let Some((token, left)) = current {
                        return Ok((token, left, REREAD.min(left / 2)));
                    }
                    let until = Instant::now() + lock_ttl(self.fetch_timeout);
                    while Instant::now() < until {
                        tokio::time::sleep(POLL).await;
                        match shared.read(&key).await {
                            Ok(Ok(served)) => return Ok(served),
                            Ok(Err(_)) => {}
                            Err(e) => {
                                shared.failed(&e);
                                break;
                            }
                        }
                    }
                    None
                }
                Err(e) => {
                    shared.failed(&e);
                    None
                }
            }
        };
        let outcome = fetch.await;
        if let Ok((token, ttl)) = &outcome {
            if !shared.down.load(Ordering::Acquire) {
                match store.set(&key, token, Shared::store_ttl(*ttl)).await {
                    Ok(()) => shared.ok(),
                    Err(e) => shared.failed(&e),
                }
            }
        }
        if let Some(lease) = lease {
            if let Err(e) = store.unlock(&key, &lease).await {
                shared.failed(&e);
            }
        }
        let (token, ttl) = outcome?;
        let left = Shared::store_ttl(ttl);
        let refresh = if left > shared.refresh_within {
            shared.refresh_in(left)
        } else {
            left / 2
        };
        Ok((token, ttl, refresh))
    }

    /// One token call under the retry policy, within the fetch time limit.
    async fn fetch<E: Endpoint>(&self, kind: TokenKind, call: &E) -> Result<E::Output, Error> {
        let attempts = async {
            let mut attempt = 0u32;
            loop {
                attempt += 1;
                match self.pipe.send_unauthenticated(call).await {
                    Ok(out) => return Ok(out),
                    Err(e) => match self.retry.decide(attempt, &e, true) {
                        Some(delay) => tokio::time::sleep(delay).await,
                        None => return Err(e),
                    },
                }
            }
        };
        let result = match tokio::time::timeout(self.fetch_timeout, attempts).await {
            Ok(result) => result,
            Err(_) => Err(Error::Timeout {
                operation: E::OPERATION,
                after: self.fetch_timeout,
            }),
        };
        #[cfg(feature = "metrics")]
        crate::telemetry::token_fetched(kind, &result);
        result.map_err(|e| auth_error(kind, e))
    }

    /// With no ticket yet: asks for a resend unless one was asked for within
    /// the interval, and fails at once either way.
    async fn no_ticket(&self) -> Error {
        let now = Instant::now();
        let due = {
            let mut last = self.last_resend.lock();
            let due = last.map_or(true, |t| now.duration_since(t) >= TICKET_RESEND_INTERVAL);
            if due {
                *last = Some(now);
            }
            due
        };
        let c = &self.credentials;
        let (msg, cause) = if due {
            let resend = AppTicketResend::new(c.app_id.clone(), c.app_secret.clone());
            match self.pipe.send_unauthenticated(&resend).await {
                Ok(_) => (
                    "no app_ticket received yet; the platform was asked to resend it (feed the app_ticket event to the client)".to_owned(),
                    None,
                ),
                Err(e) => (
                    format!("no app_ticket received yet and the resend request failed: {e}"),
                    Some(Box::new(e)),
                ),
            }
        } else {
            (
                format!(
                    "no app_ticket received yet; a resend was requested less than {}s ago",
                    TICKET_RESEND_INTERVAL.as_secs()
                ),
                None,
            )
        };
        Error::Auth {
            token: TokenKind::App,
            code: cause.as_ref().and_then(|e| e.code()),
            msg,
            log_id: None,
            cause,
        }
    }

    async fn app_token(&self) -> Result<Bearer, Error> {
        let c = &self.credentials;
        if c.app_type == AppType::Marketplace {
            self.notice_new_ticket();
        }
        self.cached(TokenKind::App, "", &|| {
            Box::pin(async move {
                let out = match c.app_type {
                    AppType::SelfBuilt => {
                        let call =
                            AppAccessTokenInternal::new(c.app_id.clone(), c.app_secret.clone());
                        self.fetch(TokenKind::App, &call).await?
                    }
                    AppType::Marketplace => {
                        let Some(ticket) = self.tickets.get().await else {
                            return Err(self.no_ticket().await);
                        };
                        let call =
                            AppAccessToken::new(c.app_id.clone(), c.app_secret.clone(), ticket);
                        self.fetch(TokenKind::App, &call).await?
                    }
                };
                Ok((out.app_access_token, lifetime(out.expire)))
            })
        })
        .await
    }

    /// One tenant token call: the token and its lifetime.
    async fn fetch_tenant<E>(&self, call: &E) -> Result<(Secret, Duration), Error>
    where
        E: Endpoint<Output = TenantTokenOutput>,
    {
        let out = self.fetch(TokenKind::Tenant, call).await?;
        Ok((out.tenant_access_token, lifetime(out.expire)))
    }

    /// A new ticket makes earlier "no ticket" failures obsolete.
    fn notice_new_ticket(&self) {
        let generation = self.tickets.generation();
        let seen = self
            .ticket_seen
            .swap(generation, std::sync::atomic::Ordering::AcqRel);
        if seen != generation {
            self.cache.forget_failures();
        }
    }

    async fn tenant_token(&self, tenant_key: Option<&str>) -> Result<Bearer, Error> {
        let c = &self.credentials;
        match c.app_type {
            AppType::SelfBuilt => {
                self.cached(TokenKind::Tenant, "", &|| {
                    Box::pin(async move {
                        let call =
                            TenantAccessTokenInternal::new(c.app_id.clone(), c.app_secret.clone());
                        self.fetch_tenant(&call).await
                    })
                })
                .await
            }
            AppType::Marketplace => {
                self.notice_new_ticket();
                let tenant = tenant_key
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| Error::Auth {
                        token: TokenKind::Tenant,
                        code: None,
                        msg: "a marketplace app needs a tenant_key in the request options".into(),
                        log_id: None,
                        cause: None,
                    })?;
                self.cached(TokenKind::Tenant, tenant, &|| {
                    Box::pin(async move {
                        let app_token = self.app_token().await?.token;
                        self.fetch_tenant(&TenantAccessToken::new(app_token, tenant))
                            .await
                    })
                })
                .await
            }
        }
    }

    fn tenant_slot<'a>(&self, kind: TokenKind, tenant_key: Option<&'a str>) -> &'a str {
        match (kind, self.credentials.app_type) {
            (TokenKind::Tenant, AppType::Marketplace) => tenant_key.unwrap_or(""),
            _ => "",
        }
    }
}

#[async_trait]
impl TokenProvider for AppTokenProvider {
    async fn token(&self, kind: TokenKind, tenant_key: Option<&str>) -> Result<Secret, Error> {
        self.bearer(kind, tenant_key).await.map(|b| b.token)
    }

    async fn bearer(&self, kind: TokenKind, tenant_key: Option<&str>) -> Result<Bearer, Error> {
        match kind {
            TokenKind::Tenant => self.tenant_token(tenant_key).await,
            TokenKind::App => self.app_token().await,
            TokenKind::User => Err(Error::Auth {
                token: kind,
                code: None,
                msg: "user_access_token is passed per request, not fetched by the app".into(),
                log_id: None,
                cause: None,
            }),
        }
    }

    fn peek(&self, kind: TokenKind, tenant_key: Option<&str>) -> Option<Bearer> {
        self.cache.peek(kind, self.tenant_slot(kind, tenant_key))
    }

    async fn invalidate(&self, kind: TokenKind, tenant_key: Option<&str>, token: &Secret) {
        let slot = self.tenant_slot(kind, tenant_key);
        self.cache.invalidate(kind, slot, token);
        if let Some(shared) = &self.shared {
            match shared.store.delete_if(&self.key(kind, slot), token).await {
                Ok(_) => shared.ok(),
                Err(e) => shared.failed(&e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fetch_lock_outlives_the_fetch() {
        assert_eq!(lock_ttl(TOKEN_FETCH_TIMEOUT), Duration::from_secs(20));
        let long = Duration::from_secs(40);
        assert!(lock_ttl(long) > long);
    }
}

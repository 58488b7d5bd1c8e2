//! Access tokens: the [`TokenProvider`] trait, a single-flight expiring cache,
//! the default provider for self-built and marketplace apps, and a static one.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::auth::TenantTokenOutput;
use feishu_model::auth::{
    AppAccessToken, AppAccessTokenInternal, AppTicketResend, TenantAccessToken,
    TenantAccessTokenInternal,
};
use feishu_model::{Endpoint, Secret, TokenKind};
use tokio::time::Instant;

use crate::credentials::{AppCredentials, AppTicketStore, AppType};
use crate::error::Error;
use crate::pipeline::Pipe;

/// Tokens are refreshed this long before they expire.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// Supplies tenant and app access tokens to the client.
#[async_trait]
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A valid token of `kind` for `tenant_key` (`None`: the app's own tenant).
    async fn token(&self, kind: TokenKind, tenant_key: Option<&str>) -> Result<Secret, Error>;

    /// The server rejected `token`: forget it so the next call fetches anew.
    async fn invalidate(&self, _kind: TokenKind, _tenant_key: Option<&str>, _token: &Secret) {}
}

/// Fixed tokens, for tests and for tokens obtained elsewhere.
#[derive(Debug, Clone, Default)]
pub struct StaticTokenProvider {
    tenant: Option<Secret>,
    app: Option<Secret>,
}

impl StaticTokenProvider {
    /// A provider that answers `tenant` for tenant tokens.
    pub fn tenant(token: impl Into<Secret>) -> Self {
        StaticTokenProvider {
            tenant: Some(token.into()),
            app: None,
        }
    }

    /// Also answers `token` for app tokens.
    pub fn with_app_token(mut self, token: impl Into<Secret>) -> Self {
        self.app = Some(token.into());
        self
    }
}

#[async_trait]
impl TokenProvider for StaticTokenProvider {
    async fn token(&self, kind: TokenKind, _tenant_key: Option<&str>) -> Result<Secret, Error> {
        let token = match kind {
            TokenKind::Tenant => self.tenant.clone(),
            TokenKind::App => self.app.clone(),
            TokenKind::User => None,
        };
        token.ok_or_else(|| Error::Auth {
            token: kind,
            code: None,
            msg: "the static token provider holds no token of this kind".into(),
            log_id: None,
        })
    }
}

#[derive(Clone)]
struct Cached {
    token: Secret,
    expires_at: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;
type CacheKey = (TokenKind, String);

/// An expiring cache that loads each key at most once at a time: any number
/// of concurrent callers on a cold key wait for one fetch.
#[derive(Default)]
pub struct TokenCache {
    slots: Mutex<HashMap<CacheKey, Slot>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.slots.lock().map(|s| s.len()).unwrap_or(0);
        f.debug_struct("TokenCache").field("entries", &n).finish()
    }
}

impl TokenCache {
    fn slot(&self, key: CacheKey) -> Slot {
        let mut slots = match self.slots.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        slots.entry(key).or_default().clone()
    }

    /// The cached token for `key` if it is valid for more than
    /// [`REFRESH_MARGIN`], else the result of `fetch` (token, lifetime).
    pub async fn get_or_fetch<F, Fut>(
        &self,
        kind: TokenKind,
        tenant: &str,
        fetch: F,
    ) -> Result<Secret, Error>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(Secret, Duration), Error>>,
    {
        let slot = self.slot((kind, tenant.to_owned()));
        let mut guard = slot.lock().await;
        let now = Instant::now();
        if let Some(cached) = guard.as_ref() {
            if now + REFRESH_MARGIN < cached.expires_at {
                return Ok(cached.token.clone());
            }
        }
        let (token, ttl) = fetch().await?;
        *guard = Some(Cached {
            token: token.clone(),
            expires_at: Instant::now() + ttl,
        });
        Ok(token)
    }

    /// Drops the cached token for `key` if it is still `stale`.
    pub async fn invalidate(&self, kind: TokenKind, tenant: &str, stale: &Secret) {
        let slot = self.slot((kind, tenant.to_owned()));
        let mut guard = slot.lock().await;
        if guard.as_ref().is_some_and(|c| &c.token == stale) {
            *guard = None;
        }
    }
}

/// The default provider: fetches tenant and app tokens with the app's
/// credentials from the auth v3 endpoints, caches them per tenant, refreshes
/// them [`REFRESH_MARGIN`] before expiry, and fetches once for any number of
/// concurrent callers.
#[derive(Debug)]
pub struct AppTokenProvider {
    credentials: AppCredentials,
    tickets: AppTicketStore,
    cache: TokenCache,
    pipe: Pipe,
}

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
        },
    }
}

fn lifetime(expire: i64) -> Duration {
    Duration::from_secs(u64::try_from(expire).unwrap_or(0))
}

impl AppTokenProvider {
    pub(crate) fn new(credentials: AppCredentials, tickets: AppTicketStore, pipe: Pipe) -> Self {
        AppTokenProvider {
            credentials,
            tickets,
            cache: TokenCache::default(),
            pipe,
        }
    }

    async fn app_token(&self) -> Result<Secret, Error> {
        let c = &self.credentials;
        self.cache
            .get_or_fetch(TokenKind::App, "", || async {
                let out = match c.app_type {
                    AppType::SelfBuilt => {
                        let call =
                            AppAccessTokenInternal::new(c.app_id.clone(), c.app_secret.clone());
                        self.pipe.send_unauthenticated(&call).await
                    }
                    AppType::Marketplace => {
                        let Some(ticket) = self.tickets.get() else {
                            let resend =
                                AppTicketResend::new(c.app_id.clone(), c.app_secret.clone());
                            let resent = self.pipe.send_unauthenticated(&resend).await;
                            return Err(Error::Auth {
                                token: TokenKind::App,
                                code: resent.as_ref().err().and_then(Error::code),
                                msg: match resent {
                                    Ok(_) => {
                                        "no app_ticket received yet; a resend was requested".into()
                                    }
                                    Err(e) => format!(
                                        "no app_ticket received yet and the resend failed: {e}"
                                    ),
                                },
                                log_id: None,
                            });
                        };
                        let call =
                            AppAccessToken::new(c.app_id.clone(), c.app_secret.clone(), ticket);
                        self.pipe.send_unauthenticated(&call).await
                    }
                };
                let out = out.map_err(|e| auth_error(TokenKind::App, e))?;
                Ok((out.app_access_token, lifetime(out.expire)))
            })
            .await
    }

    /// One tenant token call: the token and its lifetime, or an auth error.
    async fn fetch_tenant<E>(&self, call: &E) -> Result<(Secret, Duration), Error>
    where
        E: Endpoint<Output = TenantTokenOutput>,
    {
        let out = self
            .pipe
            .send_unauthenticated(call)
            .await
            .map_err(|e| auth_error(TokenKind::Tenant, e))?;
        Ok((out.tenant_access_token, lifetime(out.expire)))
    }

    async fn tenant_token(&self, tenant_key: Option<&str>) -> Result<Secret, Error> {
        let c = &self.credentials;
        match c.app_type {
            AppType::SelfBuilt => {
                self.cache
                    .get_or_fetch(TokenKind::Tenant, "", || async {
                        let call =
                            TenantAccessTokenInternal::new(c.app_id.clone(), c.app_secret.clone());
                        self.fetch_tenant(&call).await
                    })
                    .await
            }
            AppType::Marketplace => {
                let tenant = tenant_key
                    .filter(|t| !t.is_empty())
                    .ok_or_else(|| Error::Auth {
                        token: TokenKind::Tenant,
                        code: None,
                        msg: "a marketplace app needs a tenant_key in the request options".into(),
                        log_id: None,
                    })?;
                self.cache
                    .get_or_fetch(TokenKind::Tenant, tenant, || async {
                        let app_token = self.app_token().await?;
                        self.fetch_tenant(&TenantAccessToken::new(app_token, tenant))
                            .await
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
        match kind {
            TokenKind::Tenant => self.tenant_token(tenant_key).await,
            TokenKind::App => self.app_token().await,
            TokenKind::User => Err(Error::Auth {
                token: kind,
                code: None,
                msg: "user_access_token is passed per request, not fetched by the app".into(),
                log_id: None,
            }),
        }
    }

    async fn invalidate(&self, kind: TokenKind, tenant_key: Option<&str>, token: &Secret) {
        let slot = self.tenant_slot(kind, tenant_key);
        self.cache.invalidate(kind, slot, token).await;
    }
}

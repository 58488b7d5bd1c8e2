//! Access tokens: the [`TokenProvider`] trait, the single-flight expiring
//! [`TokenCache`], the default provider for self-built and marketplace apps,
//! and a static one.

mod app;
mod cache;

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::{Secret, TokenKind};
use http::HeaderValue;

use crate::error::{Error, Rejection};

pub(crate) use app::AppTokenProvider;
pub use app::{SHARED_REFRESH_WITHIN, TICKET_RESEND_INTERVAL, TOKEN_FETCH_TIMEOUT};
pub use cache::TokenCache;

/// Tokens are refreshed this long before they expire.
pub const REFRESH_MARGIN: Duration = Duration::from_secs(180);

/// A token with its ready-made `Authorization` header value (built once per
/// token, marked sensitive so `Debug` never shows it).
#[derive(Clone)]
pub struct Bearer {
    /// The token.
    pub token: Secret,
    /// `Bearer <token>`.
    pub header: HeaderValue,
}

impl Bearer {
    /// The bearer of `token`; a token that cannot be a header value is refused.
    pub fn new(token: Secret) -> Result<Self, Error> {
        let mut header =
            HeaderValue::try_from(format!("Bearer {}", token.expose())).map_err(|_| {
                Error::Rejected {
                    operation: "auth",
                    reason: Rejection::Config(
                        "the access token is not a valid header value".into(),
                    ),
                }
            })?;
        header.set_sensitive(true);
        Ok(Bearer { token, header })
    }
}

impl fmt::Debug for Bearer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Bearer(***)")
    }
}

/// Supplies tenant and app access tokens to the client.
#[async_trait]
pub trait TokenProvider: Send + Sync + fmt::Debug {
    /// A valid token of `kind` for `tenant_key` (`None`: the app's own tenant).
    async fn token(&self, kind: TokenKind, tenant_key: Option<&str>) -> Result<Secret, Error>;

    /// The token with its `Authorization` header value. The default builds
    /// the header from [`TokenProvider::token`]; caching providers keep it.
    async fn bearer(&self, kind: TokenKind, tenant_key: Option<&str>) -> Result<Bearer, Error> {
        Bearer::new(self.token(kind, tenant_key).await?)
    }

    /// The server rejected `token`: forget it so the next call fetches anew.
    async fn invalidate(&self, _kind: TokenKind, _tenant_key: Option<&str>, _token: &Secret) {}

    /// Whether a rejected token can be replaced by a new one. When `false`
    /// (a fixed token), a call rejected for an invalid token is not resent.
    fn can_refresh(&self) -> bool {
        true
    }

    /// The token of `kind` for `tenant_key` if one is at hand without any
    /// waiting (a fresh cached token). The client uses it as its fast path
    /// and runs [`TokenProvider::bearer`] only when it gives `None`.
    fn peek(&self, _kind: TokenKind, _tenant_key: Option<&str>) -> Option<Bearer> {
        None
    }
}

/// Fixed tokens, for tests and for tokens obtained elsewhere. They cannot be
/// refreshed: a call the server rejects for an invalid token fails at once.
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
            cause: None,
        })
    }

    fn can_refresh(&self) -> bool {
        false
    }

    fn peek(&self, kind: TokenKind, _tenant_key: Option<&str>) -> Option<Bearer> {
        let token = match kind {
            TokenKind::Tenant => self.tenant.as_ref(),
            TokenKind::App => self.app.as_ref(),
            TokenKind::User => None,
        };
        token.and_then(|t| Bearer::new(t.clone()).ok())
    }
}

/// The shortest lifetime a token is cached for, whatever `expire` said.
pub const MIN_TOKEN_LIFETIME: Duration = Duration::from_secs(60);
/// The longest lifetime a token is cached for, whatever `expire` said.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);

/// The cache lifetime of a token whose `expire` field (seconds) says
/// `expire`: never zero or negative (a fetch per call) and never so large
/// that adding it to a clock overflows.
pub(crate) fn lifetime(expire: i64) -> Duration {
    let secs = u64::try_from(expire).unwrap_or(0);
    Duration::from_secs(secs).clamp(MIN_TOKEN_LIFETIME, MAX_TOKEN_LIFETIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetimes_are_clamped() {
        assert_eq!(lifetime(-5), MIN_TOKEN_LIFETIME);
        assert_eq!(lifetime(0), MIN_TOKEN_LIFETIME);
        assert_eq!(lifetime(7200), Duration::from_secs(7200));
        assert_eq!(lifetime(i64::MAX), MAX_TOKEN_LIFETIME);
    }

    #[test]
    fn bearer_debug_hides_the_token() {
        let b = Bearer::new(Secret::new("t-secret")).unwrap();
        assert_eq!(format!("{b:?}"), "Bearer(***)");
        assert!(!format!("{:?}", b.header).contains("t-secret"));
    }
}

//! Access tokens: issuing tenant and app tokens (2 hours; the same token is
//! handed out again while it has 30 minutes or more left).

use std::collections::HashMap;

use feishu_model::{AppId, TenantKey, TokenKind};

use super::directory::UserKey;
use crate::ids::IdGen;

/// Documented lifetime of tenant and app tokens: 2 hours.
pub const TOKEN_LIFETIME_SECS: i64 = 7200;
/// Below this remaining lifetime a token call hands out a new token (30 minutes).
pub const REISSUE_BELOW_SECS: i64 = 1800;

/// An issued token.
#[derive(Debug, Clone)]
pub(crate) struct Issued {
    pub(crate) kind: TokenKind,
    pub(crate) app: AppId,
    /// The tenant of a tenant token.
    pub(crate) tenant: Option<TenantKey>,
    /// The user of a user token.
    pub(crate) user: Option<UserKey>,
    /// When it expires (ms since the epoch); `None` never.
    pub(crate) expires_at_ms: Option<i64>,
}

/// Every token issued so far.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    by_token: HashMap<String, Issued>,
    latest: HashMap<(TokenKind, AppId, Option<TenantKey>), String>,
    /// A lifetime other than the documented one, in seconds (tests).
    lifetime_secs: Option<i64>,
}

impl Tokens {
    /// Issues tokens living `secs` (at least 1) instead of
    /// [`TOKEN_LIFETIME_SECS`]; a new one is handed out below a quarter of
    /// that, or below [`REISSUE_BELOW_SECS`] if that is less.
    pub(crate) fn set_lifetime(&mut self, secs: i64) {
        self.lifetime_secs = Some(secs.max(1));
    }

    fn lifetime(&self) -> (i64, i64) {
        match self.lifetime_secs {
            Some(secs) => (secs, (secs / 4).min(REISSUE_BELOW_SECS)),
            None => (TOKEN_LIFETIME_SECS, REISSUE_BELOW_SECS),
        }
    }

    /// Registers a pre-issued user token that never expires.
    pub(crate) fn seed_user(&mut self, token: &str, app: AppId, user: UserKey) {
        self.by_token.insert(
            token.to_owned(),
            Issued {
                kind: TokenKind::User,
                app,
                tenant: None,
                user: Some(user),
                expires_at_ms: None,
            },
        );
    }

    /// Registers a pre-issued tenant token of `app` in `tenant` that never
    /// expires.
    pub(crate) fn seed_tenant(&mut self, token: &str, app: AppId, tenant: TenantKey) {
        self.by_token.insert(
            token.to_owned(),
            Issued {
                kind: TokenKind::Tenant,
                app,
                tenant: Some(tenant),
                user: None,
                expires_at_ms: None,
            },
        );
    }

    /// A token of `kind` for `app` (in `tenant` for tenant tokens) and its
    /// remaining lifetime in seconds: the current one while it has at least
    /// [`REISSUE_BELOW_SECS`] left, else a new one (the old stays valid).
    pub(crate) fn issue(
        &mut self,
        ids: &mut IdGen,
        kind: TokenKind,
        app: &AppId,
        tenant: Option<&TenantKey>,
        now_ms: i64,
    ) -> (String, i64) {
        let key = (kind, app.clone(), tenant.cloned());
        let (lifetime, reissue_below) = self.lifetime();
        if let Some(current) = self.latest.get(&key) {
            if let Some(Some(expires)) = self.by_token.get(current).map(|t| t.expires_at_ms) {
                let left = (expires - now_ms) / 1000;
                if left >= reissue_below {
                    return (current.clone(), left);
                }
            }
        }
        let prefix = if kind == TokenKind::App { "a-" } else { "t-" };
        let token = ids.token(prefix);
        self.by_token.insert(
            token.clone(),
            Issued {
                kind,
                app: app.clone(),
                tenant: tenant.cloned(),
                user: None,
                expires_at_ms: Some(now_ms + lifetime * 1000),
            },
        );
        self.latest.insert(key, token.clone());
        (token, lifetime)
    }

    /// The token, if it was issued and has not expired.
    pub(crate) fn valid(&self, token: &str, now_ms: i64) -> Option<&Issued> {
        self.by_token
            .get(token)
            .filter(|t| t.expires_at_ms.map_or(true, |e| now_ms < e))
    }

    /// The token, if it was issued (expired or not).
    pub(crate) fn get(&self, token: &str) -> Option<&Issued> {
        self.by_token.get(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_reused_until_30_minutes_are_left() {
        let mut tokens = Tokens::default();
        let mut ids = IdGen::new(1);
        let app = AppId::from("cli_a");
        let t = TenantKey::from("t");
        let (first, ttl) = tokens.issue(&mut ids, TokenKind::Tenant, &app, Some(&t), 0);
        assert_eq!(ttl, 7200);
        let (again, ttl) = tokens.issue(&mut ids, TokenKind::Tenant, &app, Some(&t), 5_400_000);
        assert_eq!((again.as_str(), ttl), (first.as_str(), 1800));
        let (fresh, ttl) = tokens.issue(&mut ids, TokenKind::Tenant, &app, Some(&t), 5_401_000);
        assert_ne!(fresh, first);
        assert_eq!(ttl, 7200);
        assert!(
            tokens.valid(&first, 5_401_000).is_some(),
            "old token stays valid"
        );
        assert!(tokens.valid(&first, 7_200_000).is_none());
    }
}

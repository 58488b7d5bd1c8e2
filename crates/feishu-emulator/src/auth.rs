//! Access tokens: issuing tenant and app tokens (2 hours; the same token is
//! handed out again while it has 30 minutes or more left), and identifying
//! the caller of an API from its bearer token.

use std::collections::HashMap;

use feishu_model::{AppId, TenantKey, TokenKind};

use crate::error::Failure;
use crate::ids::IdGen;
use crate::state::{Principal, UserKey, World};

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

    fn get(&self, token: &str) -> Option<&Issued> {
        self.by_token.get(token)
    }
}

/// Who is calling: the app, the tenant it acts in, and the acting principal
/// (the app's bot for tenant and app tokens, the user for user tokens).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Caller {
    pub(crate) app: AppId,
    pub(crate) tenant: TenantKey,
    pub(crate) who: Principal,
}

/// The bearer token of an `Authorization` header value.
fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Identifies the caller of an endpoint that accepts the `accepted` token
/// kinds, or answers the documented token error.
pub(crate) fn authenticate(
    world: &World,
    authorization: Option<&str>,
    accepted: &[TokenKind],
    now_ms: i64,
) -> Result<Caller, Failure> {
    let token = bearer(authorization).ok_or_else(|| {
        Failure::auth(
            99991661,
            "send `Authorization: Bearer <access_token>` with a tenant_access_token or user_access_token",
        )
    })?;
    let Some(issued) = world.tokens.get(token) else {
        let (code, why) = match token.get(..2) {
            Some("t-") => (
                99991665,
                "the tenant_access_token was not issued by this server",
            ),
            Some("a-") => (
                99991664,
                "the app_access_token was not issued by this server",
            ),
            Some("u-") => (99991668, "the user_access_token is invalid"),
            _ => (99991671, "an access token starts with t- or u-"),
        };
        return Err(Failure::auth(code, why));
    };
    if issued.expires_at_ms.is_some_and(|e| now_ms >= e) {
        let (code, why) = match issued.kind {
            TokenKind::Tenant => (99991663, "the tenant_access_token has expired"),
            TokenKind::App => (99991664, "the app_access_token has expired"),
            TokenKind::User => (99991677, "the user_access_token has expired"),
        };
        return Err(Failure::auth(code, why));
    }
    if !accepted.contains(&issued.kind) {
        let code = if issued.kind == TokenKind::User {
            99991668
        } else {
            99991663
        };
        let mut failure = Failure::auth(
            code,
            format!("this API does not accept a {}", issued.kind.as_str()),
        );
        if issued.kind == TokenKind::User {
            failure.msg = "user access token not support".to_owned();
        }
        return Err(failure);
    }
    let app = world
        .dir
        .apps
        .get(&issued.app)
        .ok_or_else(|| Failure::auth(99991663, "the token's app no longer exists"))?;
    if !app.enabled {
        return Err(Failure::auth(99991662, "the app is disabled"));
    }
    let caller = match (issued.kind, &issued.user, &issued.tenant) {
        (TokenKind::User, Some(user), _) => Caller {
            app: issued.app.clone(),
            tenant: world
                .dir
                .user(*user)
                .map(|u| u.tenant.clone())
                .unwrap_or_default(),
            who: Principal::User(*user),
        },
        (TokenKind::Tenant, _, Some(tenant)) => Caller {
            app: issued.app.clone(),
            tenant: tenant.clone(),
            who: Principal::Bot(issued.app.clone()),
        },
        _ => Caller {
            app: issued.app.clone(),
            tenant: app.home.clone(),
            who: Principal::Bot(issued.app.clone()),
        },
    };
    Ok(caller)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer(Some("Bearer t-1")), Some("t-1"));
        assert_eq!(bearer(Some("bearer  t-1 ")), Some("t-1"));
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(Some("t-1")), None);
        assert_eq!(bearer(None), None);
    }

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

//! Identifying the caller of an API from its bearer token (the tokens
//! themselves are part of the world: `state::Tokens`).

use feishu_model::{AppId, TenantKey, TokenKind};

use crate::error::Failure;
use crate::state::{Principal, World};

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
}

//! Identifying the caller of an API from its bearer token (the tokens
//! themselves are part of the world: `state::Tokens`).

use feishu_model::codes;
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
            codes::NEED_TOKEN,
            "send `Authorization: Bearer <access_token>` with a tenant_access_token or user_access_token",
        )
    })?;
    let Some(issued) = world.tokens.get(token) else {
        let (code, why) = match token.get(..2) {
            Some("t-") => (
                codes::INVALID_TENANT_TOKEN,
                "the tenant_access_token was not issued by this server",
            ),
            Some("a-") => (
                codes::INVALID_APP_TOKEN,
                "the app_access_token was not issued by this server",
            ),
            Some("u-") => (
                codes::INVALID_USER_TOKEN,
                "the user_access_token is invalid",
            ),
            _ => (
                codes::MALFORMED_TOKEN,
                "an access token starts with t- or u-",
            ),
        };
        return Err(Failure::auth(code, why));
    };
    if issued.expires_at_ms.is_some_and(|e| now_ms >= e) {
        let (code, why) = match issued.kind {
            TokenKind::Tenant => (
                codes::INVALID_ACCESS_TOKEN,
                "the tenant_access_token has expired",
            ),
            TokenKind::App => (codes::INVALID_APP_TOKEN, "the app_access_token has expired"),
            TokenKind::User => (
                codes::USER_TOKEN_EXPIRED,
                "the user_access_token has expired",
            ),
        };
        return Err(Failure::auth(code, why));
    }
    if !accepted.contains(&issued.kind) {
        let code = if issued.kind == TokenKind::User {
            codes::INVALID_USER_TOKEN
        } else {
            codes::INVALID_ACCESS_TOKEN
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
        .ok_or_else(|| Failure::auth(codes::INVALID_ACCESS_TOKEN, APP_DELETED))?;
    if !app.enabled {
        return Err(Failure::auth(codes::APP_NOT_IN_USE, "the app is disabled"));
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

/// Why a token whose app was deleted is refused.
pub(crate) const APP_DELETED: &str = "the token's app no longer exists";

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

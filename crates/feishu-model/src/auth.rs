//! The auth v3 endpoints: tenant and app access tokens for self-built
//! ("internal") and marketplace (store) apps, and app_ticket resend.
//!
//! These answer with a flat body (`{"code":0,"msg":"ok","tenant_access_token":...}`)
//! rather than a `data` object, and carry no bearer token.

use serde::{Deserialize, Serialize};

use crate::{
    endpoint, validate, AppId, Empty, Extra, Invalid, NoParams, Params, Secret, TenantKey,
};

/// Body of the self-built app token calls and of app_ticket resend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppCredentialsBody {
    /// The app id (`cli_...`).
    pub app_id: AppId,
    /// The app secret.
    pub app_secret: Secret,
}

impl Params for AppCredentialsBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("app_id", Some(&self.app_id))?;
        validate::required("app_secret", Some(&self.app_secret))
    }
}

/// Body of the marketplace app's app_access_token call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreAppTokenBody {
    /// The app id.
    pub app_id: AppId,
    /// The app secret.
    pub app_secret: Secret,
    /// The latest ticket pushed by the `app_ticket` event.
    pub app_ticket: Secret,
}

impl Params for StoreAppTokenBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("app_id", Some(&self.app_id))?;
        validate::required("app_secret", Some(&self.app_secret))?;
        validate::required("app_ticket", Some(&self.app_ticket))
    }
}

/// Body of the marketplace app's tenant_access_token call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoreTenantTokenBody {
    /// The app's app_access_token.
    pub app_access_token: Secret,
    /// The tenant to act in.
    pub tenant_key: TenantKey,
}

impl Params for StoreTenantTokenBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("app_access_token", Some(&self.app_access_token))?;
        validate::required("tenant_key", Some(&self.tenant_key))
    }
}

/// A tenant_access_token and its lifetime.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct TenantTokenOutput {
    /// The token.
    pub tenant_access_token: Secret,
    /// Seconds until it expires.
    pub expire: i64,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An app_access_token and its lifetime.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct AppTokenOutput {
    /// The token.
    pub app_access_token: Secret,
    /// Seconds until it expires.
    pub expire: i64,
    /// The tenant token, returned by the self-built app call only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant_access_token: Option<Secret>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Gets a tenant_access_token for a self-built app.
    pub struct TenantAccessTokenInternal {
        operation: "auth.v3.tenant_access_token.internal",
        family: Auth,
        method: Post,
        path: "/open-apis/auth/v3/tenant_access_token/internal",
        path_params: NoParams,
        query: NoParams,
        body: AppCredentialsBody,
        output: TenantTokenOutput,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token_internal",
        idempotent: true,
        response: Flat,
    }
}

endpoint! {
    /// Gets a tenant_access_token for a marketplace app in one tenant.
    pub struct TenantAccessToken {
        operation: "auth.v3.tenant_access_token.create",
        family: Auth,
        method: Post,
        path: "/open-apis/auth/v3/tenant_access_token",
        path_params: NoParams,
        query: NoParams,
        body: StoreTenantTokenBody,
        output: TenantTokenOutput,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/authentication-management/access-token/tenant_access_token",
        idempotent: true,
        response: Flat,
    }
}

endpoint! {
    /// Gets an app_access_token for a self-built app.
    pub struct AppAccessTokenInternal {
        operation: "auth.v3.app_access_token.internal",
        family: Auth,
        method: Post,
        path: "/open-apis/auth/v3/app_access_token/internal",
        path_params: NoParams,
        query: NoParams,
        body: AppCredentialsBody,
        output: AppTokenOutput,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/authentication-management/access-token/app_access_token_internal",
        idempotent: true,
        response: Flat,
    }
}

endpoint! {
    /// Gets an app_access_token for a marketplace app (needs the app_ticket).
    pub struct AppAccessToken {
        operation: "auth.v3.app_access_token.create",
        family: Auth,
        method: Post,
        path: "/open-apis/auth/v3/app_access_token",
        path_params: NoParams,
        query: NoParams,
        body: StoreAppTokenBody,
        output: AppTokenOutput,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/authentication-management/access-token/app_access_token",
        idempotent: true,
        response: Flat,
    }
}

endpoint! {
    /// Asks the platform to push the `app_ticket` event again (marketplace apps).
    pub struct AppTicketResend {
        operation: "auth.v3.app_ticket.resend",
        family: Auth,
        method: Post,
        path: "/open-apis/auth/v3/app_ticket/resend",
        path_params: NoParams,
        query: NoParams,
        body: AppCredentialsBody,
        output: Empty,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/authentication-management/access-token/app_ticket_resend",
        idempotent: true,
        response: Flat,
    }
}

impl TenantAccessTokenInternal {
    /// A call for the given self-built app.
    pub fn new(app_id: impl Into<AppId>, app_secret: impl Into<Secret>) -> Self {
        TenantAccessTokenInternal {
            path: NoParams {},
            query: NoParams {},
            body: AppCredentialsBody {
                app_id: app_id.into(),
                app_secret: app_secret.into(),
            },
        }
    }
}

impl AppAccessTokenInternal {
    /// A call for the given self-built app.
    pub fn new(app_id: impl Into<AppId>, app_secret: impl Into<Secret>) -> Self {
        AppAccessTokenInternal {
            path: NoParams {},
            query: NoParams {},
            body: AppCredentialsBody {
                app_id: app_id.into(),
                app_secret: app_secret.into(),
            },
        }
    }
}

impl AppTicketResend {
    /// A call for the given marketplace app.
    pub fn new(app_id: impl Into<AppId>, app_secret: impl Into<Secret>) -> Self {
        AppTicketResend {
            path: NoParams {},
            query: NoParams {},
            body: AppCredentialsBody {
                app_id: app_id.into(),
                app_secret: app_secret.into(),
            },
        }
    }
}

impl AppAccessToken {
    /// A call for the given marketplace app with its latest app_ticket.
    pub fn new(
        app_id: impl Into<AppId>,
        app_secret: impl Into<Secret>,
        app_ticket: impl Into<Secret>,
    ) -> Self {
        AppAccessToken {
            path: NoParams {},
            query: NoParams {},
            body: StoreAppTokenBody {
                app_id: app_id.into(),
                app_secret: app_secret.into(),
                app_ticket: app_ticket.into(),
            },
        }
    }
}

impl TenantAccessToken {
    /// A call for one tenant of a marketplace app.
    pub fn new(app_access_token: impl Into<Secret>, tenant_key: impl Into<TenantKey>) -> Self {
        TenantAccessToken {
            path: NoParams {},
            query: NoParams {},
            body: StoreTenantTokenBody {
                app_access_token: app_access_token.into(),
                tenant_key: tenant_key.into(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Endpoint, Method};

    #[test]
    fn documented_request_example_is_what_goes_on_the_wire() {
        let call = TenantAccessTokenInternal::new("cli_slkdjalasdkjasd", "dskLLdkasdjlasdKK");
        let req = call.to_request().unwrap();
        assert_eq!(req.method, Method::Post);
        assert_eq!(req.path, "/open-apis/auth/v3/tenant_access_token/internal");
        let body: serde_json::Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"app_id": "cli_slkdjalasdkjasd", "app_secret": "dskLLdkasdjlasdKK"})
        );
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let call = AppAccessToken::new("cli_a", "sec-123", "ticket-456");
        let shown = format!("{call:?}");
        assert!(
            !shown.contains("sec-123") && !shown.contains("ticket-456"),
            "{shown}"
        );
    }

    #[test]
    fn missing_secret_is_refused_by_name() {
        let call = TenantAccessTokenInternal::new("cli_a", "");
        assert_eq!(call.to_request().unwrap_err().field, "app_secret");
    }
}

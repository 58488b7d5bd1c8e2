//! App credentials, the base URLs, and per-request options.

use std::sync::{Arc, RwLock};

use feishu_model::{AppId, Secret, TenantKey};

/// The Feishu (China) API host.
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";
/// The Lark (international) API host.
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";

/// How the app is distributed, which decides how tokens are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppType {
    /// A self-built ("custom", internal) app: tokens from app id + secret.
    SelfBuilt,
    /// A marketplace ("store", isv) app: app token from the pushed app_ticket,
    /// one tenant token per `tenant_key`.
    Marketplace,
}

/// An app's id and secret. `Debug` never shows the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppCredentials {
    /// The app id (`cli_...`).
    pub app_id: AppId,
    /// The app secret.
    pub app_secret: Secret,
    /// Self-built or marketplace.
    pub app_type: AppType,
}

impl AppCredentials {
    /// Credentials of a self-built app.
    pub fn self_built(app_id: impl Into<AppId>, app_secret: impl Into<Secret>) -> Self {
        AppCredentials {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            app_type: AppType::SelfBuilt,
        }
    }

    /// Credentials of a marketplace app.
    pub fn marketplace(app_id: impl Into<AppId>, app_secret: impl Into<Secret>) -> Self {
        AppCredentials {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            app_type: AppType::Marketplace,
        }
    }
}

/// Holds the latest `app_ticket` pushed to a marketplace app (fill it from the
/// `app_ticket` event). Shared: clones see the same ticket.
#[derive(Debug, Clone, Default)]
pub struct AppTicketStore(Arc<RwLock<Option<Secret>>>);

impl AppTicketStore {
    /// Stores a newly pushed ticket.
    pub fn set(&self, ticket: impl Into<Secret>) {
        let mut slot = match self.0.write() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        *slot = Some(ticket.into());
    }

    /// The latest ticket, if one was received.
    pub fn get(&self) -> Option<Secret> {
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }
}

/// Options of one call: which identity, which tenant, extra headers.
///
/// `Debug` shows no secret: the user token is redacted, and so is the value
/// of every header whose name contains `auth`, `token`, `secret`, `key` or
/// `cookie`.
#[derive(Clone, Default)]
pub struct RequestOptions {
    /// Call as this user (`user_access_token`) instead of as the app.
    pub user_access_token: Option<Secret>,
    /// The tenant to act in (marketplace apps).
    pub tenant_key: Option<TenantKey>,
    /// Extra headers to send.
    pub headers: Vec<(String, String)>,
    /// A request id, sent as `X-Request-Id`.
    pub request_id: Option<String>,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestOptions")
            .field("user_access_token", &self.user_access_token)
            .field("tenant_key", &self.tenant_key)
            .field("headers", &crate::transport::RedactedPairs(&self.headers))
            .field("request_id", &self.request_id)
            .finish()
    }
}

impl RequestOptions {
    /// Default options: the app's tenant token.
    pub fn new() -> Self {
        RequestOptions::default()
    }

    /// Calls as the given user.
    pub fn user_access_token(mut self, token: impl Into<Secret>) -> Self {
        self.user_access_token = Some(token.into());
        self
    }

    /// Acts in the given tenant.
    pub fn tenant_key(mut self, tenant_key: impl Into<TenantKey>) -> Self {
        self.tenant_key = Some(tenant_key.into());
        self
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers
            .push((name.into().to_ascii_lowercase(), value.into()));
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, id: impl Into<String>) -> Self {
        self.request_id = Some(id.into());
        self
    }
}

//! App credentials, the base URLs, and per-request options.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::RwLock;
use std::time::Duration;

use async_trait::async_trait;

use crate::ratelimit::CallLimit;
use crate::retry::RetryPolicy;
use crate::store::StoreError;

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

/// Where the latest `app_ticket` pushed to a marketplace app is kept (fill it
/// from the `app_ticket` event). [`MemoryTicketStore`] keeps it in process;
/// a shared implementation lets every replica of a service see the ticket
/// that was pushed to one of them.
#[async_trait]
pub trait AppTicketStore: Send + Sync + fmt::Debug {
    /// Stores a newly pushed ticket.
    async fn set(&self, ticket: Secret) -> Result<(), StoreError>;

    /// The latest ticket, if one was received.
    async fn get(&self) -> Result<Option<Secret>, StoreError>;

    /// Changes whenever this process stored a ticket (lets token providers
    /// forget failures caused by a missing ticket). The default: always 0.
    fn generation(&self) -> u64 {
        0
    }
}

#[async_trait]
impl<S: AppTicketStore + ?Sized> AppTicketStore for Arc<S> {
    async fn set(&self, ticket: Secret) -> Result<(), StoreError> {
        (**self).set(ticket).await
    }

    async fn get(&self) -> Result<Option<Secret>, StoreError> {
        (**self).get().await
    }

    fn generation(&self) -> u64 {
        (**self).generation()
    }
}

/// The in-process [`AppTicketStore`]. Shared: clones see the same ticket.
#[derive(Debug, Clone, Default)]
pub struct MemoryTicketStore(Arc<TicketSlot>);

#[derive(Debug, Default)]
struct TicketSlot {
    ticket: RwLock<Option<Secret>>,
    generation: AtomicU64,
}

impl MemoryTicketStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryTicketStore::default()
    }

    /// Stores a newly pushed ticket.
    pub fn set(&self, ticket: impl Into<Secret>) {
        *self.0.ticket.write() = Some(ticket.into());
        self.0.generation.fetch_add(1, Ordering::Release);
    }

    /// The latest ticket, if one was received.
    pub fn get(&self) -> Option<Secret> {
        self.0.ticket.read().clone()
    }

    /// How many tickets were stored so far (changes with every `set`).
    pub fn generation(&self) -> u64 {
        self.0.generation.load(Ordering::Acquire)
    }
}

#[async_trait]
impl AppTicketStore for MemoryTicketStore {
    async fn set(&self, ticket: Secret) -> Result<(), StoreError> {
        MemoryTicketStore::set(self, ticket);
        Ok(())
    }

    async fn get(&self) -> Result<Option<Secret>, StoreError> {
        Ok(MemoryTicketStore::get(self))
    }

    fn generation(&self) -> u64 {
        MemoryTicketStore::generation(self)
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
    /// The deadline of the whole call (limiter wait, token, every attempt
    /// and backoff); past it the call ends with [`crate::Error::Timeout`].
    /// `None`: the client's default.
    pub timeout: Option<Duration>,
    /// The retry policy of this call. `None`: the client's.
    pub retry: Option<RetryPolicy>,
    /// One more budget the call waits for before each attempt (within its
    /// deadline), beside the client's per-API one.
    pub call_limit: Option<CallLimit>,
}

impl std::fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestOptions")
            .field("user_access_token", &self.user_access_token)
            .field("tenant_key", &self.tenant_key)
            .field("headers", &crate::transport::RedactedPairs(&self.headers))
            .field("request_id", &self.request_id)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("call_limit", &self.call_limit)
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

    /// Sets the deadline of the whole call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Sets the retry policy of this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sets the call's own extra budget, waited for before each attempt.
    pub fn call_limit(mut self, limit: CallLimit) -> Self {
        self.call_limit = Some(limit);
        self
    }
}

/// The tickets a client reads: the in-process copy (written by
/// `Client::set_app_ticket`) and an optional shared store, read first.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tickets {
    pub(crate) local: MemoryTicketStore,
    pub(crate) shared: Option<Arc<dyn AppTicketStore>>,
}

impl Tickets {
    /// The shared store's ticket, else (none stored there, or the store
    /// failed) the in-process copy.
    pub(crate) async fn get(&self) -> Option<Secret> {
        if let Some(shared) = &self.shared {
            match shared.get().await {
                Ok(Some(ticket)) => return Some(ticket),
                Ok(None) => {}
                Err(e) => {
                    tracing::debug!(error = %e, "app_ticket store failed; using the ticket received by this process")
                }
            }
        }
        self.local.get()
    }

    /// Changes whenever a ticket was stored through this process.
    pub(crate) fn generation(&self) -> u64 {
        let shared = self.shared.as_ref().map_or(0, |s| s.generation());
        self.local.generation().wrapping_add(shared)
    }
}

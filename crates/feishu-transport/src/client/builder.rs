//! [`ClientBuilder`]: everything a [`Client`] is made of.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use feishu_model::Secret;

use super::{Client, Inner};
use crate::credentials::{AppCredentials, AppTicketStore, Tickets, FEISHU_BASE_URL};
use crate::error::{Error, Rejection};
use crate::interceptor::Interceptor;
use crate::pipeline::Pipe;
use crate::ratelimit::{Limiter, RateLimiter};
use crate::retry::RetryPolicy;
use crate::store::TokenStore;
use crate::token::{
    AppTokenProvider, StaticTokenProvider, TokenProvider, SHARED_REFRESH_WITHIN,
    TOKEN_FETCH_TIMEOUT,
};
use crate::transport::Transport;

/// Builds a [`Client`].
#[derive(Default)]
pub struct ClientBuilder {
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    credentials: Option<AppCredentials>,
    tokens: Option<Arc<dyn TokenProvider>>,
    tickets: Tickets,
    token_store: Option<(Arc<dyn TokenStore>, Duration)>,
    retry: Option<RetryPolicy>,
    rate_limiting: Option<bool>,
    limiter: Option<Arc<dyn Limiter>>,
    interceptors: Vec<Arc<dyn Interceptor>>,
    timeout: Option<Duration>,
    token_fetch_timeout: Option<Duration>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    /// The API host: [`FEISHU_BASE_URL`] (default), [`crate::LARK_BASE_URL`], or any URL.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The transport (default: [`crate::ReqwestTransport`] when the `reqwest` feature is on).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// App credentials; tokens are then fetched and cached automatically.
    pub fn credentials(mut self, credentials: AppCredentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// A fixed tenant_access_token instead of app credentials.
    pub fn static_tenant_token(mut self, token: impl Into<Secret>) -> Self {
        self.tokens = Some(Arc::new(StaticTokenProvider::tenant(token)));
        self
    }

    /// A custom token provider (overrides credentials-based fetching).
    pub fn token_provider(mut self, provider: Arc<dyn TokenProvider>) -> Self {
        self.tokens = Some(provider);
        self
    }

    /// A store for the marketplace `app_ticket`, shared with an event
    /// handler (a [`crate::MemoryTicketStore`]) or with other processes.
    pub fn app_ticket_store(mut self, store: impl AppTicketStore + 'static) -> Self {
        self.tickets.shared = Some(Arc::new(store));
        self
    }

    /// A shared store behind the in-process token cache (with app
    /// credentials): processes of one app then share their tokens, one
    /// process fetching while the others wait and read. Stored tokens are
    /// refreshed once they have [`SHARED_REFRESH_WITHIN`] left.
    pub fn token_store(self, store: Arc<dyn TokenStore>) -> Self {
        self.token_store_refreshing_within(store, SHARED_REFRESH_WITHIN)
    }

    /// Like [`ClientBuilder::token_store`], refreshing stored tokens once
    /// they have `refresh_within` left (keep it inside the last 30 minutes,
    /// when the platform hands out a new token).
    pub fn token_store_refreshing_within(
        mut self,
        store: Arc<dyn TokenStore>,
        refresh_within: Duration,
    ) -> Self {
        self.token_store = Some((store, refresh_within));
        self
    }

    /// The retry policy (default: 3 attempts, exponential backoff with jitter).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Turns the client-side rate limiter on (default) or off.
    pub fn rate_limiting(mut self, on: bool) -> Self {
        self.rate_limiting = Some(on);
        self
    }

    /// The rate limiter (default: an in-process [`RateLimiter`]); for
    /// example one that shares the budget among processes. Turns rate
    /// limiting on.
    pub fn rate_limiter(mut self, limiter: Arc<dyn Limiter>) -> Self {
        self.limiter = Some(limiter);
        self.rate_limiting = Some(true);
        self
    }

    /// The default deadline of every call (limiter wait, token, attempts and
    /// backoff included); a call's own [`RequestOptions::timeout`](crate::RequestOptions::timeout) wins.
    /// Default: none (each exchange is still bounded by the transport's
    /// timeouts).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The time limit of one token fetch, its retries included (default
    /// 15 s).
    pub fn token_fetch_timeout(mut self, timeout: Duration) -> Self {
        self.token_fetch_timeout = Some(timeout);
        self
    }

    /// Adds an interceptor: its hooks run around every attempt of every call,
    /// in the order interceptors were added.
    pub fn interceptor(mut self, interceptor: impl Interceptor + 'static) -> Self {
        self.interceptors.push(Arc::new(interceptor));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = self.base_url.as_deref().unwrap_or(FEISHU_BASE_URL);
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport(base_url)?,
        };
        let pipe = Pipe::new(transport, base_url);
        let app_id = self
            .credentials
            .as_ref()
            .map(|c| c.app_id.as_str().to_owned())
            .unwrap_or_default();
        let tokens: Arc<dyn TokenProvider> = match (self.tokens, self.credentials) {
            (Some(t), _) => t,
            (None, Some(c)) => {
                let provider = AppTokenProvider::new(
                    c,
                    self.tickets.clone(),
                    pipe.clone(),
                    self.retry.clone().unwrap_or_default(),
                    self.token_fetch_timeout.unwrap_or(TOKEN_FETCH_TIMEOUT),
                );
                Arc::new(match self.token_store {
                    Some((store, within)) => provider.with_store(store, within),
                    None => provider,
                })
            }
            (None, None) => {
                return Err(Error::Rejected {
                    operation: "client.build",
                    reason: Rejection::Config(
                        "set app credentials, a static token or a token provider".into(),
                    ),
                })
            }
        };
        Ok(Client {
            inner: Arc::new(Inner {
                pipe,
                tokens,
                tickets: self.tickets,
                app_id,
                retry: self.retry.unwrap_or_default(),
                limiter: match (self.rate_limiting.unwrap_or(true), self.limiter) {
                    (false, _) => None,
                    (true, Some(limiter)) => Some(limiter),
                    (true, None) => Some(Arc::new(RateLimiter::new()) as Arc<dyn Limiter>),
                },
                interceptors: self.interceptors,
                timeout: self.timeout,
            }),
        })
    }
}

/// The reqwest transport, refused for an `https://` base URL when it was
/// built without TLS: the first call would fail anyway, less clearly.
#[cfg(feature = "reqwest")]
fn default_transport(base_url: &str) -> Result<Arc<dyn Transport>, Error> {
    let https = base_url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    if https && !cfg!(feature = "rustls") {
        return Err(Error::Rejected {
            operation: "client.build",
            reason: Rejection::Config(format!(
                "the base URL `{base_url}` needs TLS, and feishu-transport was built without its \
                 `rustls` feature: enable it, or set a transport that speaks TLS \
                 (`ReqwestTransport::from_client`)"
            )),
        });
    }
    crate::ReqwestTransport::new()
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|source| Error::Transport {
            operation: "client.build",
            source,
        })
}

#[cfg(not(feature = "reqwest"))]
fn default_transport(_base_url: &str) -> Result<Arc<dyn Transport>, Error> {
    Err(Error::Rejected {
        operation: "client.build",
        reason: Rejection::Config("no transport set and the `reqwest` feature is off".into()),
    })
}

#[cfg(test)]
#[cfg(feature = "reqwest")]
mod tests {
    use crate::{Client, Error, Rejection};

    fn build(base_url: &str) -> Result<Client, Error> {
        Client::builder()
            .static_tenant_token("t-1")
            .base_url(base_url)
            .build()
    }

    #[test]
    fn an_https_base_url_builds_only_with_tls() {
        for base_url in ["https://open.feishu.cn", "HTTPS://open.larksuite.com/"] {
            let built = build(base_url);
            assert_eq!(built.is_ok(), cfg!(feature = "rustls"), "{base_url}");
            match built {
                Ok(client) => assert_eq!(client.base_url(), base_url.trim_end_matches('/')),
                Err(Error::Rejected {
                    operation,
                    reason: Rejection::Config(why),
                }) => {
                    assert_eq!(operation, "client.build");
                    assert!(why.contains(base_url) && why.contains("`rustls`"), "{why}");
                }
                Err(other) => panic!("{other}"),
            }
        }
    }

    #[test]
    fn a_plain_http_base_url_builds_either_way() {
        let client = build("http://127.0.0.1:8080").unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:8080");
    }
}

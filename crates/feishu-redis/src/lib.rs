//! Redis backends that make many replicas of one Feishu app behave as one
//! client.
//!
//! - [`RedisLimiter`]: one rate budget per (app, tenant, API) for the whole
//!   fleet, checked and recorded by one Lua script per call against Redis'
//!   clock; a rate-limit answer seen by any replica holds the key for all
//!   (for at most a minute, whatever reset the answer names).
//!   With Redis down, an in-process limiter takes over at a share of the
//!   budget: [`DEFAULT_FALLBACK_SHARE`] (an eighth, safe for up to eight
//!   replicas) unless set to 1 / the number of replicas with
//!   [`LimiterConfig::replicas`]. Back on Redis, each process first writes
//!   the calls it made in the last minute into the shared logs, so what the
//!   fallback admitted (and what a restarted Redis lost) still counts.
//!   The same limiter keeps the per-receiver send limit (5 messages a
//!   second to one chat or user) for a fleet: give it to feishu-message's
//!   `Message::receiver_limiter`, and every attempt of every replica's send
//!   to one chat takes a slot of that chat's one log.
//! - [`RedisTokenStore`]: the tokens behind every replica's in-process
//!   cache; one replica fetches while the others wait and read.
//! - [`RedisTicketStore`]: the marketplace `app_ticket`, pushed to one
//!   replica, read by all.
//! - [`RedisDedup`]: webhook event de-duplication across receivers; each
//!   claim carries a token and is completed or released by compare-and-set,
//!   and each event key is its own Redis Cluster hash tag. With Redis down
//!   the receiver answers non-200 so the platform redelivers.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use feishu_redis::{LimiterConfig, Redis, RedisConfig};
//! use feishu_transport::{AppCredentials, Client};
//!
//! // Connecting is lazy: nothing is sent before the first call.
//! let redis = Redis::connect(&RedisConfig::new("redis://127.0.0.1:6379")).unwrap();
//! let client = Client::builder()
//!     .credentials(AppCredentials::self_built("cli_a", "secret"))
//!     .rate_limiter(Arc::new(redis.limiter(LimiterConfig::default().replicas(4))))
//!     .token_store(Arc::new(redis.token_store()))
//!     .app_ticket_store(redis.ticket_store("cli_a"))
//!     .build()
//!     .unwrap();
//! assert_eq!(client.base_url(), "https://open.feishu.cn");
//! assert_eq!(LimiterConfig::default().margin, Duration::from_millis(50));
//! assert_eq!(LimiterConfig::default().fallback_share, 0.125);
//! assert_eq!(LimiterConfig::default().replicas(4).fallback_share, 0.25);
//! # });
//! ```
#![forbid(unsafe_code)]

mod dedup;
mod limiter;
mod tickets;
mod tokens;

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

pub use dedup::RedisDedup;
pub use limiter::{LimiterConfig, RedisLimiter, DEFAULT_FALLBACK_SHARE};
pub use tickets::{RedisTicketStore, TICKET_TTL};
pub use tokens::RedisTokenStore;

/// The default prefix of every key.
pub const DEFAULT_PREFIX: &str = "feishu:v1:";

/// Where Redis is and how long to wait for it.
#[derive(Clone)]
pub struct RedisConfig {
    url: String,
    prefix: String,
    timeout: Duration,
}

impl fmt::Debug for RedisConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password: only its scheme is shown.
        let scheme = self.url.split("://").next().unwrap_or_default();
        f.debug_struct("RedisConfig")
            .field("url", &format_args!("{scheme}://***"))
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl RedisConfig {
    /// Redis at `url` (`redis://`, `redis+unix:///path`), keys under
    /// [`DEFAULT_PREFIX`], 200 ms per command.
    pub fn new(url: impl Into<String>) -> Self {
        RedisConfig {
            url: url.into(),
            prefix: DEFAULT_PREFIX.to_owned(),
            timeout: Duration::from_millis(200),
        }
    }

    /// The prefix of every key (to share one Redis among deployments).
    pub fn prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// How long one command may take before Redis counts as down.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// A Redis backend could not be set up.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL is not a Redis URL.
    #[error("invalid Redis URL: {0}")]
    Url(String),
    /// The connection could not be set up.
    #[error("Redis connection failed: {0}")]
    Connect(String),
}

/// One multiplexed, self-reconnecting connection to Redis, shared by the
/// backends built from it. Cheap to clone.
#[derive(Clone)]
pub struct Redis {
    conn: ConnectionManager,
    prefix: Arc<str>,
    timeout: Duration,
}

impl fmt::Debug for Redis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Redis")
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

/// A failed or timed-out command, as text that holds no key values.
pub(crate) fn describe(e: &redis::RedisError) -> String {
    format!("{:?}: {}", e.kind(), e.category())
}

impl Redis {
    /// A connection to Redis, set up lazily: nothing is sent before the
    /// first command, and a Redis that is down now is reconnected to later.
    /// Needs a Tokio runtime.
    pub fn connect(config: &RedisConfig) -> Result<Redis, Error> {
        let client =
            redis::Client::open(config.url.as_str()).map_err(|e| Error::Url(describe(&e)))?;
        let manager = ConnectionManagerConfig::new()
            .set_response_timeout(Some(config.timeout))
            .set_connection_timeout(Some(config.timeout.max(Duration::from_millis(100))))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(50))
            .set_max_delay(Duration::from_millis(500));
        let conn = ConnectionManager::new_lazy_with_config(client, manager)
            .map_err(|e| Error::Connect(describe(&e)))?;
        Ok(Redis {
            conn,
            prefix: Arc::from(config.prefix.as_str()),
            timeout: config.timeout,
        })
    }

    /// A fleet-wide rate limiter.
    pub fn limiter(&self, config: LimiterConfig) -> RedisLimiter {
        RedisLimiter::new(self.clone(), config)
    }

    /// A token store shared by the replicas.
    pub fn token_store(&self) -> RedisTokenStore {
        RedisTokenStore::new(self.clone())
    }

    /// The `app_ticket` store of `app_id`.
    pub fn ticket_store(&self, app_id: &str) -> RedisTicketStore {
        RedisTicketStore::new(self.clone(), app_id)
    }

    /// Event de-duplication for the receivers of `app_id`.
    pub fn dedup(&self, app_id: &str) -> RedisDedup {
        RedisDedup::new(self.clone(), app_id)
    }

    /// A key under the prefix; `tag` is hashed as one (Redis Cluster puts
    /// every key of one tag in one slot).
    pub(crate) fn key(&self, tag: &str, suffix: &str) -> String {
        format!("{}{{{tag}}}:{suffix}", self.prefix)
    }

    /// Runs one command within the timeout.
    pub(crate) async fn run<T, F, Fut>(&self, f: F) -> Result<T, String>
    where
        F: FnOnce(ConnectionManager) -> Fut,
        Fut: Future<Output = redis::RedisResult<T>>,
    {
        match tokio::time::timeout(self.timeout, f(self.conn.clone())).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(describe(&e)),
            Err(_) => Err(format!("no answer within {} ms", self.timeout.as_millis())),
        }
    }
}

//! The marketplace `app_ticket`, shared by the replicas.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::Secret;
use feishu_transport::{AppTicketStore, StoreError};

use crate::Redis;

/// How long a stored ticket is kept: 12 hours (the platform pushes one
/// every hour).
pub const TICKET_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// An [`AppTicketStore`] on Redis: the replica that receives the
/// `app_ticket` event writes it, every replica reads it.
pub struct RedisTicketStore {
    redis: Redis,
    key: String,
}

impl fmt::Debug for RedisTicketStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTicketStore")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

impl RedisTicketStore {
    /// The ticket store of `app_id` on `redis`.
    pub fn new(redis: Redis, app_id: &str) -> Self {
        let key = redis.key(app_id, "ticket");
        RedisTicketStore { redis, key }
    }
}

#[async_trait]
impl AppTicketStore for RedisTicketStore {
    async fn set(&self, ticket: Secret) -> Result<(), StoreError> {
        let key = self.key.clone();
        let ms = u64::try_from(TICKET_TTL.as_millis()).unwrap_or(u64::MAX);
        self.redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(key)
                    .arg(ticket.expose())
                    .arg("PX")
                    .arg(ms)
                    .query_async(&mut conn)
                    .await
            })
            .await
            .map_err(StoreError::new)
    }

    async fn get(&self) -> Result<Option<Secret>, StoreError> {
        let key = self.key.clone();
        let ticket: Option<String> = self
            .redis
            .run(|mut conn| async move { redis::cmd("GET").arg(key).query_async(&mut conn).await })
            .await
            .map_err(StoreError::new)?;
        Ok(ticket.map(Secret::new))
    }
}

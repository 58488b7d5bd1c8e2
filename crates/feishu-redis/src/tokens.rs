//! Tokens shared by the replicas, behind each one's in-process cache.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::{Secret, TokenKind};
use feishu_transport::{StoreError, TokenKey, TokenStore};

use crate::Redis;

/// Deletes KEYS[1] only while it holds ARGV[1].
pub(crate) const DELETE_IF_EQUAL: &str = r"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
";

/// A [`TokenStore`] on Redis. Keys carry the app id and a fingerprint of
/// its secret, never the secret; values are the tokens themselves (protect
/// Redis as you protect the app secret). Tokens are never logged.
pub struct RedisTokenStore {
    redis: Redis,
    delete_if: redis::Script,
}

impl fmt::Debug for RedisTokenStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisTokenStore")
            .field("redis", &self.redis)
            .finish()
    }
}

impl RedisTokenStore {
    /// A store on `redis`.
    pub fn new(redis: Redis) -> Self {
        RedisTokenStore {
            redis,
            delete_if: redis::Script::new(DELETE_IF_EQUAL),
        }
    }

    /// The key of `key`: `{prefix}{<app>:<fingerprint>}:tat:<tenant or ->`
    /// (`aat` for app tokens, `uat` for user tokens: each kind has its own).
    pub fn key_of(&self, key: &TokenKey) -> String {
        let kind = match key.kind {
            TokenKind::App => "aat",
            TokenKind::Tenant => "tat",
            TokenKind::User => "uat",
        };
        let tenant = if key.tenant.is_empty() {
            "-"
        } else {
            key.tenant.as_str()
        };
        let tag = format!("{}:{}", key.app_id, key.fingerprint);
        self.redis.key(&tag, &format!("{kind}:{tenant}"))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait]
impl TokenStore for RedisTokenStore {
    async fn get(&self, key: &TokenKey) -> Result<Option<(Secret, Duration)>, StoreError> {
        let k = self.key_of(key);
        let (token, pttl): (Option<String>, i64) = self
            .redis
            .run(|mut conn| async move {
                redis::pipe()
                    .atomic()
                    .get(&k)
                    .pttl(&k)
                    .query_async(&mut conn)
                    .await
            })
            .await
            .map_err(StoreError::new)?;
        Ok(match (token, u64::try_from(pttl)) {
            (Some(token), Ok(ms)) if ms > 0 => {
                Some((Secret::new(token), Duration::from_millis(ms)))
            }
            _ => None,
        })
    }

    async fn set(&self, key: &TokenKey, token: &Secret, ttl: Duration) -> Result<(), StoreError> {
        let k = self.key_of(key);
        let value = token.expose().to_owned();
        self.redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(k)
                    .arg(value)
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async(&mut conn)
                    .await
            })
            .await
            .map_err(StoreError::new)
    }

    async fn delete_if(&self, key: &TokenKey, token: &Secret) -> Result<bool, StoreError> {
        let k = self.key_of(key);
        let mut invocation = self.delete_if.prepare_invoke();
        invocation.key(k).arg(token.expose());
        let removed: i64 = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await
            .map_err(StoreError::new)?;
        Ok(removed > 0)
    }

    async fn try_lock(&self, key: &TokenKey, ttl: Duration) -> Result<Option<String>, StoreError> {
        let k = format!("{}:lock", self.key_of(key));
        let lease = uuid::Uuid::new_v4().simple().to_string();
        let value = lease.clone();
        let won: Option<String> = self
            .redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(k)
                    .arg(value)
                    .arg("NX")
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async(&mut conn)
                    .await
            })
            .await
            .map_err(StoreError::new)?;
        Ok(won.map(|_| lease))
    }

    async fn unlock(&self, key: &TokenKey, lease: &str) -> Result<(), StoreError> {
        let k = format!("{}:lock", self.key_of(key));
        let mut invocation = self.delete_if.prepare_invoke();
        invocation.key(k).arg(lease);
        let _: i64 = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await
            .map_err(StoreError::new)?;
        Ok(())
    }
}

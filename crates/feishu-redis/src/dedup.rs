//! Webhook event de-duplication shared by every receiver of an app.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use feishu_events::{Claim, DedupError, DedupStore};

use crate::Redis;

/// Claims KEYS[1] for ARGV[1] ms when it is free, else answers its state.
const CLAIM: &str = r"
if redis.call('SET', KEYS[1], 'processing', 'NX', 'PX', ARGV[1]) then
  return 'claimed'
end
return redis.call('GET', KEYS[1]) or 'processing'
";

/// A [`DedupStore`] on Redis: one key per event id, `processing` while a
/// receiver handles it, `done` for the dispatcher's TTL afterwards (8 h by
/// default, longer than the platform's retry schedule).
///
/// When Redis fails, every call fails: the dispatcher then answers non-200
/// and the platform redelivers later (fail closed: neither lost nor
/// handled twice).
pub struct RedisDedup {
    redis: Redis,
    app: String,
    claim: redis::Script,
    down: AtomicBool,
}

impl fmt::Debug for RedisDedup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisDedup")
            .field("app", &self.app)
            .field("redis_down", &self.down.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX).max(1)
}

impl RedisDedup {
    /// De-duplication for the receivers of `app_id` on `redis`.
    pub fn new(redis: Redis, app_id: &str) -> Self {
        RedisDedup {
            redis,
            app: app_id.to_owned(),
            claim: redis::Script::new(CLAIM),
            down: AtomicBool::new(false),
        }
    }

    fn key(&self, event: &str) -> String {
        self.redis.key(&self.app, &format!("ev:{event}"))
    }

    fn outcome<T>(&self, result: Result<T, String>) -> Result<T, DedupError> {
        match result {
            Ok(v) => {
                if self.down.swap(false, Ordering::AcqRel) {
                    tracing::info!("Redis available again: events are de-duplicated again");
                }
                Ok(v)
            }
            Err(e) => {
                if !self.down.swap(true, Ordering::AcqRel) {
                    tracing::warn!(error = %e, "Redis unavailable: events are answered non-200 so the platform redelivers them");
                }
                Err(DedupError::new(e))
            }
        }
    }
}

#[async_trait]
impl DedupStore for RedisDedup {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError> {
        let mut invocation = self.claim.prepare_invoke();
        invocation.key(self.key(key)).arg(millis(lease));
        let state: Result<String, String> = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await;
        self.outcome(state).map(|s| match s.as_str() {
            "claimed" => Claim::Claimed,
            "done" => Claim::Done,
            _ => Claim::InProgress,
        })
    }

    async fn complete(&self, key: &str, ttl: Duration) -> Result<(), DedupError> {
        let k = self.key(key);
        let result = self
            .redis
            .run(|mut conn| async move {
                redis::cmd("SET")
                    .arg(k)
                    .arg("done")
                    .arg("PX")
                    .arg(millis(ttl))
                    .query_async(&mut conn)
                    .await
            })
            .await;
        self.outcome(result)
    }

    async fn release(&self, key: &str) -> Result<(), DedupError> {
        let k = self.key(key);
        let result: Result<i64, String> = self
            .redis
            .run(|mut conn| async move { redis::cmd("DEL").arg(k).query_async(&mut conn).await })
            .await;
        self.outcome(result).map(|_| ())
    }
}

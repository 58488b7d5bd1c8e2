//! Webhook event de-duplication shared by every receiver of an app.

use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use feishu_events::{Claim, ClaimToken, DedupError, DedupStore};

use crate::tokens::DELETE_IF_EQUAL;
use crate::Redis;

/// Claims KEYS[1] with the claim value ARGV[2] for ARGV[1] ms when it is
/// free, else answers its state.
const CLAIM: &str = r"
if redis.call('SET', KEYS[1], ARGV[2], 'NX', 'PX', ARGV[1]) then
  return 'claimed'
end
if redis.call('GET', KEYS[1]) == 'done' then
  return 'done'
end
return 'processing'
";

/// Marks KEYS[1] `done` for ARGV[2] ms while it holds the claim value
/// ARGV[1] or nothing; a key another claim holds, or `done`, is left alone.
const COMPLETE: &str = r"
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or not v then
  redis.call('SET', KEYS[1], 'done', 'PX', ARGV[2])
  return 1
end
return 0
";

/// When a claim failed, the claim may still have reached Redis: it is
/// deleted by its value after each of these pauses, unless one of them
/// already deleted it.
const CLEANUP_AFTER: [Duration; 3] = [
    Duration::ZERO,
    Duration::from_millis(500),
    Duration::from_millis(1_500),
];

/// A [`DedupStore`] on Redis: one key per event id, holding `p:<token>`
/// while the receiver that claimed it handles it, `done` for the
/// dispatcher's TTL afterwards (8 h by default, longer than the platform's
/// retry schedule). Completing and releasing compare the token first (one
/// Lua script each), so a receiver whose lease lapsed never touches the
/// claim of the delivery that took the event over.
///
/// Each key is its own Redis Cluster hash tag (`{<app>:<event id>}`), so
/// the events spread over the slots.
///
/// When Redis fails, every call fails: the dispatcher then answers non-200
/// and the platform redelivers later (fail closed: neither lost nor
/// handled twice). A claim whose answer did not arrive may still have been
/// stored: it is deleted by its token in the background (right away and
/// twice more within 2 s), so the redelivery is not held back for the
/// whole lease.
pub struct RedisDedup {
    redis: Redis,
    app: String,
    claim: redis::Script,
    complete: redis::Script,
    release: redis::Script,
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

/// What a claimed key holds while `token` owns it.
fn claim_value(token: &ClaimToken) -> String {
    format!("p:{}", token.as_str())
}

/// Deletes `key` while it holds `value`; `Ok(true)` when it did.
async fn delete_if(
    redis: &Redis,
    script: &redis::Script,
    key: String,
    value: String,
) -> Result<bool, String> {
    let mut invocation = script.prepare_invoke();
    invocation.key(key).arg(value);
    let removed: i64 = redis
        .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
        .await?;
    Ok(removed > 0)
}

impl RedisDedup {
    /// De-duplication for the receivers of `app_id` on `redis`.
    pub fn new(redis: Redis, app_id: &str) -> Self {
        RedisDedup {
            redis,
            app: app_id.to_owned(),
            claim: redis::Script::new(CLAIM),
            complete: redis::Script::new(COMPLETE),
            release: redis::Script::new(DELETE_IF_EQUAL),
            down: AtomicBool::new(false),
        }
    }

    /// `{prefix}{<app>:<event id>}:ev`: a hash tag per event.
    fn key(&self, event: &str) -> String {
        self.redis.key(&format!("{}:{event}", self.app), "ev")
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

    /// Deletes a claim that may have been stored although its answer was
    /// lost, in the background.
    fn clean_up(&self, key: String, value: String) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let (redis, script) = (self.redis.clone(), self.release.clone());
        runtime.spawn(async move {
            for pause in CLEANUP_AFTER {
                tokio::time::sleep(pause).await;
                if let Ok(true) = delete_if(&redis, &script, key.clone(), value.clone()).await {
                    tracing::debug!("a claim whose answer was lost was deleted");
                    return;
                }
            }
        });
    }
}

#[async_trait]
impl DedupStore for RedisDedup {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError> {
        let token = ClaimToken::new(uuid::Uuid::new_v4().simple().to_string());
        let (k, value) = (self.key(key), claim_value(&token));
        let mut invocation = self.claim.prepare_invoke();
        invocation.key(&k).arg(millis(lease)).arg(&value);
        let state: Result<String, String> = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await;
        if state.is_err() {
            self.clean_up(k, value);
        }
        self.outcome(state).map(|s| match s.as_str() {
            "claimed" => Claim::Claimed(token),
            "done" => Claim::Done,
            _ => Claim::InProgress,
        })
    }

    async fn complete(
        &self,
        key: &str,
        token: &ClaimToken,
        ttl: Duration,
    ) -> Result<(), DedupError> {
        let mut invocation = self.complete.prepare_invoke();
        invocation
            .key(self.key(key))
            .arg(claim_value(token))
            .arg(millis(ttl));
        let result: Result<i64, String> = self
            .redis
            .run(|mut conn| async move { invocation.invoke_async(&mut conn).await })
            .await;
        self.outcome(result).map(|_| ())
    }

    async fn release(&self, key: &str, token: &ClaimToken) -> Result<(), DedupError> {
        let result = delete_if(
            &self.redis,
            &self.release,
            self.key(key),
            claim_value(token),
        )
        .await;
        self.outcome(result).map(|_| ())
    }
}

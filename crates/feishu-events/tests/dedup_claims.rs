//! The dispatcher and its de-duplication store: a handled event whose
//! completion could not be recorded is not acknowledged.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use feishu_events::{Claim, ClaimToken, DedupError, DedupStore, Dispatcher, MemoryDedup, Webhook};
use feishu_model::events::{ChatDisbandedV1, EventV2};

/// A store whose `complete` fails, as a remote store that went away while
/// the handler ran.
#[derive(Default)]
struct CompleteFails {
    inner: MemoryDedup,
    released: AtomicUsize,
}

#[async_trait]
impl DedupStore for CompleteFails {
    async fn claim(&self, key: &str, lease: Duration) -> Result<Claim, DedupError> {
        self.inner.claim(key, lease).await
    }

    async fn complete(
        &self,
        _key: &str,
        _token: &ClaimToken,
        _ttl: Duration,
    ) -> Result<(), DedupError> {
        Err(DedupError::new("connection lost"))
    }

    async fn release(&self, key: &str, token: &ClaimToken) -> Result<(), DedupError> {
        self.released.fetch_add(1, Ordering::SeqCst);
        self.inner.release(key, token).await
    }
}

const BODY: &str = r#"{"schema": "2.0", "header": {"event_id": "e-complete",
    "event_type": "im.chat.disbanded_v1", "create_time": "1608725989000",
    "token": "v-token", "app_id": "cli_1", "tenant_key": "t"},
    "event": {"chat_id": "oc_1"}}"#;

#[tokio::test]
async fn a_completion_that_was_not_recorded_is_not_answered_200() {
    let store = Arc::new(CompleteFails::default());
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = runs.clone();
    let dispatcher = Dispatcher::new(Webhook::new().verification_token("v-token"))
        .dedup_store(store.clone())
        .on(move |_: EventV2<ChatDisbandedV1>| {
            let counter = counter.clone();
            async move {
                counter.fetch_add(1, Ordering::SeqCst);
                Ok(())
            }
        });
    let headers: [(&str, &str); 0] = [];
    let answer = dispatcher.handle(&headers, BODY.as_bytes()).await;
    assert_eq!(runs.load(Ordering::SeqCst), 1);
    assert_eq!(answer.status, 500, "{}", answer.body);
    // The claim was given back, so the redelivery runs the handler again.
    assert_eq!(store.released.load(Ordering::SeqCst), 1);
    dispatcher.handle(&headers, BODY.as_bytes()).await;
    assert_eq!(runs.load(Ordering::SeqCst), 2);
}

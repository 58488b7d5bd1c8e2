//! The default token provider over a shared token store.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use common::*;
use feishu_model::Secret;
use feishu_transport::{ScriptedTransport, StoreError, TokenKey, TokenStore};

/// A store in which another process finishes its fetch just as this one
/// asks for the lock: the token appears and the lock is free again.
#[derive(Debug, Default)]
struct OtherProcessJustFetched {
    token: Mutex<Option<Secret>>,
    unlocks: AtomicUsize,
}

#[async_trait]
impl TokenStore for OtherProcessJustFetched {
    async fn get(&self, _: &TokenKey) -> Result<Option<(Secret, Duration)>, StoreError> {
        Ok(self
            .token
            .lock()
            .unwrap()
            .clone()
            .map(|t| (t, Duration::from_secs(7000))))
    }

    async fn set(&self, _: &TokenKey, token: &Secret, _: Duration) -> Result<(), StoreError> {
        *self.token.lock().unwrap() = Some(token.clone());
        Ok(())
    }

    async fn delete_if(&self, _: &TokenKey, _: &Secret) -> Result<bool, StoreError> {
        Ok(false)
    }

    async fn try_lock(&self, _: &TokenKey, _: Duration) -> Result<Option<String>, StoreError> {
        *self.token.lock().unwrap() = Some(Secret::new("t-other"));
        Ok(Some("lease".into()))
    }

    async fn unlock(&self, _: &TokenKey, lease: &str) -> Result<(), StoreError> {
        assert_eq!(lease, "lease");
        self.unlocks.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }
}

#[tokio::test]
async fn a_token_stored_while_the_lock_was_taken_is_used_not_fetched_again() {
    let t = Arc::new(ScriptedTransport::new());
    t.push_json(200, &thing_body("one"));
    let store = Arc::new(OtherProcessJustFetched::default());
    let client = self_built_client(t.clone())
        .token_store(store.clone())
        .build()
        .unwrap();
    let out = client.call(get_thing("th_1")).await.unwrap();
    assert_eq!(out.name, "one");
    // Only the API call went out, with the token the other process stored.
    let requests = t.requests();
    assert_eq!(requests.len(), 1, "{requests:?}");
    assert_eq!(requests[0].uri.path(), "/open-apis/test/v1/things/th_1");
    assert_eq!(requests[0].header("authorization"), Some("Bearer t-other"));
    assert_eq!(store.unlocks.load(Ordering::Relaxed), 1);
}

//! Per-chat serialization of member writes.
//!
//! The documentation warns that concurrent member writes to one chat answer
//! 232019; writes to the same chat from one [`crate::Group`] wait for each
//! other, while other chats proceed in parallel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use feishu_model::ChatId;
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// One async lock per chat, dropped when no call holds or waits for it.
#[derive(Debug, Clone, Default)]
pub(crate) struct ChatLocks {
    locks: Arc<Mutex<HashMap<ChatId, Weak<AsyncMutex<()>>>>>,
}

impl ChatLocks {
    /// Waits until no other write to `chat_id` is in flight.
    pub(crate) async fn lock(&self, chat_id: &ChatId) -> OwnedMutexGuard<()> {
        let lock = {
            let mut map = match self.locks.lock() {
                Ok(g) => g,
                Err(p) => p.into_inner(),
            };
            match map.get(chat_id).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    map.retain(|_, weak| weak.strong_count() > 0);
                    let lock = Arc::new(AsyncMutex::new(()));
                    map.insert(chat_id.clone(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.locks.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn same_chat_waits_other_chats_do_not() {
        let locks = ChatLocks::default();
        let a = ChatId::from("oc_a");
        let guard = locks.lock(&a).await;
        // Another chat is free.
        let _b = locks.lock(&ChatId::from("oc_b")).await;
        // The same chat is not.
        let waiting =
            tokio::time::timeout(std::time::Duration::from_millis(20), locks.lock(&a)).await;
        assert!(waiting.is_err());
        drop(guard);
        let again =
            tokio::time::timeout(std::time::Duration::from_millis(200), locks.lock(&a)).await;
        assert!(again.is_ok());
    }

    #[tokio::test]
    async fn unused_locks_are_dropped() {
        let locks = ChatLocks::default();
        for i in 0..100 {
            let _g = locks.lock(&ChatId::from(format!("oc_{i}").as_str())).await;
        }
        assert!(locks.len() <= 1, "{}", locks.len());
    }
}

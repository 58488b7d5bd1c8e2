//! `MemoryDedup` remembers ids by digest: distinct ids stay distinct, and
//! the capacity still bounds what is kept.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use feishu_events::{Claim, DedupStore, MemoryDedup};

#[tokio::test]
async fn ten_thousand_close_ids_are_told_apart_and_remembered() {
    let store = MemoryDedup::with_capacity(20_000);
    let lease = Duration::from_secs(60);
    let ttl = Duration::from_secs(3600);
    let ids: Vec<String> = (0..10_000)
        .map(|i| format!("5e3702a84e847582be8db7fb{i:08x}"))
        .collect();
    for id in &ids {
        let Claim::Claimed(token) = store.claim(id, lease).await.unwrap() else {
            panic!("{id} was taken for another id");
        };
        store.complete(id, &token, ttl).await.unwrap();
    }
    assert_eq!(store.len(), ids.len());
    for id in &ids {
        assert_eq!(store.claim(id, lease).await.unwrap(), Claim::Done, "{id}");
    }
    // A new id past the capacity pushes out the oldest.
    let small = MemoryDedup::with_capacity(3);
    for id in ["a", "b", "c", "d"] {
        assert!(matches!(
            small.claim(id, lease).await.unwrap(),
            Claim::Claimed(_)
        ));
    }
    assert_eq!(small.len(), 3);
    assert!(matches!(
        small.claim("a", lease).await.unwrap(),
        Claim::Claimed(_)
    ));
    assert_eq!(small.claim("d", lease).await.unwrap(), Claim::InProgress);
}

//! Event de-duplication claims on a real `redis-server`: owned claims, keys
//! spread over the cluster's slots, claims whose answer timed out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::RedisServer;
use feishu_events::{Claim, ClaimToken, DedupStore};
use feishu_redis::{Redis, RedisConfig};

async fn claimed(store: &impl DedupStore, key: &str, lease: Duration) -> ClaimToken {
    match store.claim(key, lease).await.unwrap() {
        Claim::Claimed(token) => token,
        other => panic!("{key} not claimed: {other:?}"),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn a_lapsed_owner_does_not_touch_the_next_owners_claim() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let first = redis.dedup("cli_a");
        let second = redis.dedup("cli_a");
        let lease = Duration::from_secs(60);
        let one = claimed(&first, "ev-1", Duration::from_millis(20)).await;
        tokio::time::sleep(Duration::from_millis(60)).await;
        let two = claimed(&second, "ev-1", lease).await;
        assert_ne!(one, two);
        // The first owner's late release and complete leave the second's claim.
        first.release("ev-1", &one).await.unwrap();
        assert_eq!(first.claim("ev-1", lease).await.unwrap(), Claim::InProgress);
        first.complete("ev-1", &one, lease).await.unwrap();
        assert_eq!(first.claim("ev-1", lease).await.unwrap(), Claim::InProgress);
        // The owner's complete holds, for its TTL.
        second.complete("ev-1", &two, lease).await.unwrap();
        assert_eq!(first.claim("ev-1", lease).await.unwrap(), Claim::Done);
        let ttl = server.command("PTTL feishu:v1:{cli_a:ev-1}:ev");
        let ttl: i64 = ttl.trim_start_matches(':').parse().unwrap();
        assert!(ttl > 59_000 && ttl <= 60_000, "{ttl}");
        // A released claim is claimable at once; a lapsed one nobody took
        // over is completed by its owner.
        let three = claimed(&first, "ev-2", lease).await;
        second
            .release("ev-2", &ClaimToken::new("not-the-owner"))
            .await
            .unwrap();
        assert_eq!(first.claim("ev-2", lease).await.unwrap(), Claim::InProgress);
        first.release("ev-2", &three).await.unwrap();
        let four = claimed(&second, "ev-2", Duration::from_millis(20)).await;
        tokio::time::sleep(Duration::from_millis(60)).await;
        second.complete("ev-2", &four, lease).await.unwrap();
        assert_eq!(first.claim("ev-2", lease).await.unwrap(), Claim::Done);
    });
}

#[test]
fn each_event_key_has_its_own_hash_tag() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let store = redis.dedup("cli_a");
        for id in ["ev-a", "ev-b"] {
            claimed(&store, id, Duration::from_secs(60)).await;
        }
        // Each key's tag holds its event id, so Redis Cluster spreads them.
        for id in ["ev-a", "ev-b"] {
            let key = format!("feishu:v1:{{cli_a:{id}}}:ev");
            assert_eq!(server.command(&format!("EXISTS {key}")), ":1", "{key}");
        }
    });
}

#[test]
fn a_claim_whose_answer_timed_out_is_not_left_orphaned() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let config = RedisConfig::new(server.url()).timeout(Duration::from_millis(100));
        let store = Redis::connect(&config).unwrap().dedup("cli_a");
        let lease = Duration::from_secs(600);
        // Connected, and the script loaded.
        claimed(&store, "ev-warm", lease).await;
        // Redis holds writes for 400 ms: the claim reaches it, but its
        // answer comes after the client gave up.
        assert_eq!(server.command("CLIENT PAUSE 400 WRITE"), "+OK");
        assert!(store.claim("ev-slow", lease).await.is_err());
        tokio::time::sleep(Duration::from_millis(2_500)).await;
        // The redelivery, to any receiver, is not held back for the lease.
        let other = Redis::connect(&RedisConfig::new(server.url()))
            .unwrap()
            .dedup("cli_a");
        claimed(&other, "ev-slow", lease).await;
    });
}

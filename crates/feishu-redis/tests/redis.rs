//! The Redis backends against a real `redis-server`: the Lua limiter agrees
//! with the in-process limiters, scripts survive a flush, Redis going down
//! and coming back, shared tokens, tickets and event de-duplication.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::RedisServer;
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatMemberUserAddedV1, EventV2};
use feishu_model::{RateLimit, Secret, TokenKind};
use feishu_redis::{LimiterConfig, Redis, RedisConfig};
use feishu_transport::{
    AppTicketStore, LimitKey, Limiter, RateLimiter, TokenKey, TokenStore, Windows,
};
use proptest::prelude::*;

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn key(operation: &'static str, tenant: &str) -> LimitKey {
    LimitKey {
        operation,
        app: "cli_test".into(),
        tenant: tenant.into(),
        scope: String::new(),
    }
}

/// Whether `times` keeps at most `max` in every window of `window`.
fn within(times: &[Duration], window: Duration, max: usize) -> bool {
    times
        .iter()
        .enumerate()
        .all(|(i, t)| times[i..].iter().take_while(|u| **u < *t + window).count() <= max)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The same arrivals through the Lua script (margin 0) and the exact
    /// in-process `Windows`: the same admissions and the same waits, to the
    /// microsecond. The client's bucketed `RateLimiter` is conservative
    /// (it counts whole 50 ms / 1 s buckets at a window's start), so it is
    /// held to the guarantee both share (never more than 50 in any 1 s, 1000
    /// in any 60 s) and must admit every call of a sequence that keeps that
    /// guarantee with one bucket to spare.
    #[test]
    fn the_lua_limiter_and_the_in_process_limiters_agree(
        gaps in proptest::collection::vec(0u64..40_000, 1..400),
        tenant in 0u32..1_000_000,
    ) {
        let Some(server) = RedisServer::start() else { return Ok(()) };
        let rt = runtime();
        rt.block_on(async {
            let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
            let lua = redis.limiter(LimiterConfig::default().margin(Duration::ZERO));
            let local = RateLimiter::new();
            let k = key("im.v1.chat.get", &format!("t{tenant}"));
            let mut exact = Windows::default();
            let mut now = Duration::from_secs(1_700_000_000);
            let origin = now;
            let (mut admitted_lua, mut admitted_local, mut all) = (Vec::new(), Vec::new(), Vec::new());
            for gap in gaps {
                now += Duration::from_micros(gap);
                all.push(now);
                let by_lua = lua.try_admit_at(&k, RateLimit::GROUP, now).await.unwrap();
                let by_windows = exact.try_admit(now, RateLimit::GROUP, Duration::ZERO).map_err(|r| r.wait);
                prop_assert_eq!(by_lua, by_windows);
                if by_lua.is_ok() {
                    admitted_lua.push(now);
                }
                if local.try_admit_at(&k, RateLimit::GROUP, now - origin).is_ok() {
                    admitted_local.push(now);
                }
            }
            prop_assert!(within(&admitted_lua, SECOND, 50) && within(&admitted_lua, MINUTE, 1000));
            prop_assert!(within(&admitted_local, SECOND, 50) && within(&admitted_local, MINUTE, 1000));
            prop_assert!(admitted_local.len() <= admitted_lua.len() || !within(&all, SECOND, 50));
            if within(&all, SECOND + Duration::from_millis(50), 50) && within(&all, MINUTE + SECOND, 1000) {
                prop_assert_eq!(admitted_local.len(), all.len());
                prop_assert_eq!(admitted_lua.len(), all.len());
            }
            Ok(())
        })?;
    }
}

#[test]
fn the_script_edges_block_and_flush() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let lua = redis.limiter(LimiterConfig::default().margin(Duration::ZERO));
        let k = key("im.v1.chat.get", "edges");
        let t0 = Duration::from_secs(1_000);
        let ms = Duration::from_millis;
        // 50 in the same microsecond all count; the 51st waits a full second.
        for _ in 0..50 {
            lua.try_admit_at(&k, RateLimit::GROUP, t0)
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(
            lua.try_admit_at(&k, RateLimit::GROUP, t0 + ms(400))
                .await
                .unwrap(),
            Err(ms(600))
        );
        // The scripts are flushed: the next call loads them again.
        assert_eq!(server.command("SCRIPT FLUSH"), "+OK");
        lua.try_admit_at(&k, RateLimit::GROUP, t0 + SECOND)
            .await
            .unwrap()
            .unwrap();
        // 1000 a minute: spread over 40 s, then refused until the first leaves.
        let m = key("im.v1.chat.list", "edges");
        for i in 0..1000u64 {
            lua.try_admit_at(&m, RateLimit::GROUP, t0 + ms(i * 40))
                .await
                .unwrap()
                .unwrap();
        }
        assert_eq!(
            lua.try_admit_at(&m, RateLimit::GROUP, t0 + ms(40_000))
                .await
                .unwrap(),
            Err(ms(20_000))
        );
        // A rate-limit answer seen by one replica holds the key for another.
        let other = redis.limiter(LimiterConfig::default());
        Limiter::blocked(&lua, &k, Duration::from_secs(2)).await;
        match other
            .try_admit_at(&k, RateLimit::GROUP, t0 + ms(5_000))
            .await
            .unwrap()
        {
            Err(wait) => assert!(wait > ms(1_900) && wait <= ms(2_000), "{wait:?}"),
            Ok(()) => panic!("the block was not honoured"),
        }
    });
}

#[test]
fn redis_down_falls_back_and_recovery_is_automatic() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let limiter = Arc::new(redis.limiter(
            LimiterConfig::default()
                .fallback_share(0.2)
                .retry_after(Duration::from_millis(200)),
        ));
        let k = key("im.v1.chat.get", "down");
        for _ in 0..5 {
            limiter.acquire(&k, RateLimit::GROUP).await;
        }
        assert!(!limiter.is_fallback());
        server.stop();
        // Calls go on, at the fallback's share: 10 a second instead of 50.
        let started = tokio::time::Instant::now();
        for _ in 0..21 {
            limiter.acquire(&k, RateLimit::GROUP).await;
        }
        assert!(limiter.is_fallback());
        let took = started.elapsed();
        assert!(took >= Duration::from_secs(1), "{took:?}");
        assert!(took < Duration::from_secs(5), "{took:?}");
        // Back: the scripts are loaded again into the new server and the
        // budget is shared again.
        server.restart();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut shared = false;
        let mut after = 0;
        for _ in 0..50 {
            limiter.acquire(&k, RateLimit::GROUP).await;
            after += 1;
            if !limiter.is_fallback() {
                shared = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(shared, "the limiter did not return to Redis");
        let count = server.command("EVAL \"return redis.call('ZCARD', KEYS[1])\" 1 feishu:v1:{cli_test|down|im.v1.chat.get}:rl");
        // The new server lost the log: the calls made before the outage,
        // the 21 admitted while it was down and those made since were
        // replayed into it before the next call was counted.
        assert_eq!(count, format!(":{}", 5 + 21 + after));
    });
}

#[test]
fn tokens_are_compared_before_deletion_and_tickets_are_shared() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let store = redis.token_store();
        let k = TokenKey::new("cli_a", &Secret::new("s-1"), TokenKind::Tenant, "");
        store
            .set(&k, &Secret::new("t-new"), Duration::from_secs(60))
            .await
            .unwrap();
        // A replica rejects its older token: the newer one stays.
        assert!(!store.delete_if(&k, &Secret::new("t-old")).await.unwrap());
        let (token, left) = store.get(&k).await.unwrap().unwrap();
        assert_eq!(token.expose(), "t-new");
        assert!(left > Duration::from_secs(50) && left <= Duration::from_secs(60));
        assert!(store.delete_if(&k, &Secret::new("t-new")).await.unwrap());
        assert!(store.get(&k).await.unwrap().is_none());
        // Another secret is another key.
        let rotated = TokenKey::new("cli_a", &Secret::new("s-2"), TokenKind::Tenant, "");
        assert_ne!(store.key_of(&k), store.key_of(&rotated));
        assert!(!store.key_of(&k).contains("s-1"));
        // A user token never shares the tenant token's key.
        let user = TokenKey::new("cli_a", &Secret::new("s-1"), TokenKind::User, "");
        assert_ne!(store.key_of(&user), store.key_of(&k));
        // One lock holder at a time; only the holder releases it.
        let lease = store
            .try_lock(&k, Duration::from_secs(5))
            .await
            .unwrap()
            .unwrap();
        assert!(store
            .try_lock(&k, Duration::from_secs(5))
            .await
            .unwrap()
            .is_none());
        store.unlock(&k, "someone-else").await.unwrap();
        assert!(store
            .try_lock(&k, Duration::from_secs(5))
            .await
            .unwrap()
            .is_none());
        store.unlock(&k, &lease).await.unwrap();
        assert!(store
            .try_lock(&k, Duration::from_secs(5))
            .await
            .unwrap()
            .is_some());
        // A ticket written by one replica is read by another.
        redis
            .ticket_store("cli_m")
            .set(Secret::new("ticket-9"))
            .await
            .unwrap();
        let other = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let read = other.ticket_store("cli_m").get().await.unwrap().unwrap();
        assert_eq!(read.expose(), "ticket-9");
    });
}

fn event(event_id: &str) -> String {
    format!(
        r#"{{"schema":"2.0","header":{{"event_id":"{event_id}","event_type":"im.chat.member.user.added_v1","create_time":"1608725989000","token":"v-token","app_id":"cli_a","tenant_key":"t"}},"event":{{"chat_id":"oc_42","users":[]}}}}"#
    )
}

#[test]
fn two_receivers_behind_one_store_handle_an_event_once_and_fail_closed() {
    let Some(mut server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let handled = Arc::new(AtomicUsize::new(0));
        let receiver = |redis: Redis| {
            let handled = handled.clone();
            Dispatcher::new(Webhook::new().verification_token("v-token"))
                .dedup_store(Arc::new(redis.dedup("cli_a")))
                .on(move |_: EventV2<ChatMemberUserAddedV1>| {
                    let handled = handled.clone();
                    async move {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        handled.fetch_add(1, Ordering::SeqCst);
                        Ok(())
                    }
                })
        };
        let a = receiver(Redis::connect(&RedisConfig::new(server.url())).unwrap());
        let b = receiver(Redis::connect(&RedisConfig::new(server.url())).unwrap());
        let body = event("ev-fleet-1");
        let headers: Vec<(String, String)> = Vec::new();
        let (first, second) = tokio::join!(
            a.handle(&headers, body.as_bytes()),
            b.handle(&headers, body.as_bytes())
        );
        assert_eq!(handled.load(Ordering::SeqCst), 1);
        // One ran it; the other was told to come back (non-200) or saw it done.
        assert!(first.status == 200 || second.status == 200);
        // A later redelivery to either is acknowledged without running again.
        assert_eq!(b.handle(&headers, body.as_bytes()).await.status, 200);
        assert_eq!(a.handle(&headers, body.as_bytes()).await.status, 200);
        assert_eq!(handled.load(Ordering::SeqCst), 1);
        // Redis down: fail closed, so the platform redelivers.
        server.stop();
        let answer = a.handle(&headers, event("ev-fleet-2").as_bytes()).await;
        assert_ne!(answer.status, 200);
        assert_eq!(handled.load(Ordering::SeqCst), 1);
        server.restart();
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut status = 0;
        for _ in 0..20 {
            status = a
                .handle(&headers, event("ev-fleet-2").as_bytes())
                .await
                .status;
            if status == 200 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(status, 200);
        assert_eq!(handled.load(Ordering::SeqCst), 2);
    });
}

//! The fleet-wide limiter's edges against a real `redis-server`: rate-limit
//! resets past the cap, Redis' clock stepping back, what the fallback
//! admitted while Redis was down.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::RedisServer;
use feishu_model::RateLimit;
use feishu_redis::{LimiterConfig, Redis, RedisConfig};
use feishu_transport::{LimitKey, Limiter};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn key(tenant: &str) -> LimitKey {
    LimitKey {
        operation: "im.v1.chat.get",
        app: "cli_test".into(),
        tenant: tenant.into(),
        scope: String::new(),
    }
}

fn block_key(tenant: &str) -> String {
    format!("feishu:v1:{{cli_test|{tenant}|im.v1.chat.get}}:blk")
}

/// The block key's time to live in ms, as Redis answers `PTTL`.
fn pttl(server: &RedisServer, tenant: &str) -> i64 {
    let answer = server.command(&format!("PTTL {}", block_key(tenant)));
    answer.trim_start_matches(':').parse().unwrap()
}

#[test]
fn a_reset_past_the_cap_holds_the_key_for_the_cap_and_never_panics() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let limiter = std::sync::Arc::new(redis.limiter(LimiterConfig::default()));
        // The largest header value the decoder accepts neither overflows
        // nor marks Redis as down.
        let task = tokio::spawn({
            let limiter = limiter.clone();
            async move {
                Limiter::blocked(&*limiter, &key("max"), Duration::from_secs(u64::MAX)).await;
            }
        });
        task.await.expect("blocked() must not panic");
        let left = pttl(&server, "max");
        assert!(left > 59_000 && left <= 60_000, "{left}");
        assert!(!limiter.is_fallback());
        // A day is cut to the cap (the retry policy's default longest wait).
        Limiter::blocked(&*limiter, &key("day"), Duration::from_secs(86_400)).await;
        let left = pttl(&server, "day");
        assert!(left > 59_000 && left <= 60_000, "{left}");
        assert!(!limiter.is_fallback());
        // A reset within the cap is kept as it is.
        Limiter::blocked(&*limiter, &key("short"), Duration::from_secs(2)).await;
        let left = pttl(&server, "short");
        assert!(left > 1_900 && left <= 2_000, "{left}");
    });
}

#[test]
fn redis_time_stepping_back_does_not_stall_callers() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    runtime().block_on(async {
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        let lua = redis.limiter(LimiterConfig::default().margin(Duration::ZERO));
        let k = key("step");
        let t0 = Duration::from_secs(2_000);
        for _ in 0..50 {
            lua.try_admit_at(&k, RateLimit::GROUP, t0)
                .await
                .unwrap()
                .unwrap();
        }
        // A failover to a replica whose clock is 30 s behind: the calls
        // already made still count, but for no longer than their window.
        let behind = t0 - Duration::from_secs(30);
        let wait = lua
            .try_admit_at(&k, RateLimit::GROUP, behind)
            .await
            .unwrap()
            .unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        // A second later on the new clock the key admits again.
        lua.try_admit_at(&k, RateLimit::GROUP, behind + wait)
            .await
            .unwrap()
            .unwrap();
    });
}

#[test]
fn the_default_fallback_share_is_safe_for_a_fleet() {
    let config = LimiterConfig::default();
    // At most an eighth of each budget per replica: a fleet of up to eight
    // replicas stays within the limits while Redis is down.
    assert_eq!(config.fallback_share, 0.125);
}

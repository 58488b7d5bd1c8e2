//! A call's own budget ([`CallLimit`]): asked before every attempt, held by
//! a rate-limit answer for the reset it names.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use common::*;
use feishu_model::RateLimit;
use feishu_transport::{
    CallLimit, LimitKey, Limiter, RequestOptions, RetryPolicy, ScriptedTransport,
};
use serde_json::json;

#[derive(Debug, Default)]
struct Recording {
    acquired: Mutex<Vec<(LimitKey, RateLimit)>>,
    blocked: Mutex<Vec<(LimitKey, Duration)>>,
}

#[async_trait]
impl Limiter for Recording {
    async fn acquire(&self, key: &LimitKey, limit: RateLimit) {
        self.acquired.lock().unwrap().push((key.clone(), limit));
    }

    async fn blocked(&self, key: &LimitKey, reset: Duration) {
        self.blocked.lock().unwrap().push((key.clone(), reset));
    }
}

fn receiver() -> LimitKey {
    LimitKey {
        operation: "test.thing.get",
        app: String::new(),
        tenant: "t_1".into(),
        scope: "chat_id:oc_1".into(),
    }
}

#[tokio::test(start_paused = true)]
async fn every_attempt_asks_the_call_limit_and_a_rate_limit_answer_holds_it() {
    let t = Arc::new(ScriptedTransport::new());
    let mut limited = feishu_transport::response(
        400,
        serde_json::to_vec(&json!({"code": 99991400, "msg": "request trigger frequency limit"}))
            .unwrap(),
    );
    limited
        .headers_mut()
        .insert("x-ogw-ratelimit-reset", "2".parse().unwrap());
    t.push(limited);
    t.push_json(
        200,
        &json!({"code": 0, "msg": "ok", "data": {"name": "fine"}}),
    );
    let client = static_client(t.clone())
        .base_url("https://open.feishu.cn")
        .retry_policy(RetryPolicy {
            max_attempts: 3,
            jitter: false,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap();
    let limiter = Arc::new(Recording::default());
    let limit = RateLimit {
        per_second: Some(5),
        per_minute: None,
    };
    let out = client
        .call(get_thing("a"))
        .options(RequestOptions::new().call_limit(CallLimit {
            limiter: limiter.clone(),
            key: receiver(),
            limit,
        }))
        .await
        .unwrap();
    assert_eq!(out.name, "fine");
    assert_eq!(t.requests().len(), 2);
    assert_eq!(
        *limiter.acquired.lock().unwrap(),
        vec![(receiver(), limit), (receiver(), limit)]
    );
    assert_eq!(
        *limiter.blocked.lock().unwrap(),
        vec![(receiver(), Duration::from_secs(2))]
    );
}

#[tokio::test]
async fn a_call_without_one_asks_nothing_and_debug_names_its_key() {
    let limiter = Arc::new(Recording::default());
    let options = RequestOptions::new().call_limit(CallLimit {
        limiter: limiter.clone(),
        key: receiver(),
        limit: RateLimit {
            per_second: Some(5),
            per_minute: None,
        },
    });
    let shown = format!("{options:?}");
    assert!(shown.contains("chat_id:oc_1"), "{shown}");
    let t = Arc::new(ScriptedTransport::new());
    t.push_json(200, &json!({"code": 0, "msg": "ok", "data": {"name": "x"}}));
    let client = static_client(t.clone())
        .base_url("https://open.feishu.cn")
        .build()
        .unwrap();
    client.call(get_thing("a")).await.unwrap();
    assert!(limiter.acquired.lock().unwrap().is_empty());
}

//! The per-receiver send limit (5 per second per chat) and the retry of a
//! 230020 answer, under tokio's paused clock.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use feishu_message::Message;
use feishu_model::codes::{classify, ErrorClass, MESSAGE_RATE_LIMITED};
use feishu_model::im::content::Text;
use feishu_transport::{Client, HttpRequest, HttpResponse, RetryPolicy, Transport, TransportError};
use serde_json::{json, Value};
use tokio::time::Instant;

/// Answers every send with success, after `rate_limited_first` answers of
/// 230020; records when each send arrived and its body.
#[derive(Debug, Default)]
struct Recorder {
    rate_limited_first: usize,
    seen: Mutex<Vec<(Instant, String, Value)>>,
}

#[async_trait]
impl Transport for Recorder {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let body: Value = serde_json::from_slice(request.body()).unwrap_or(Value::Null);
        let receiver = body["receive_id"].as_str().unwrap_or("").to_owned();
        let n = {
            let mut seen = self.seen.lock().unwrap();
            seen.push((Instant::now(), receiver, body));
            seen.len()
        };
        let answer = if n <= self.rate_limited_first {
            (
                400,
                json!({"code": 230020, "msg": "This operation triggers the frequency limit."}),
            )
        } else {
            (
                200,
                json!({"code": 0, "msg": "success", "data": {"message_id": format!("om_{n}")}}),
            )
        };
        Ok(feishu_transport::response(
            answer.0,
            serde_json::to_vec(&answer.1).unwrap(),
        ))
    }
}

fn message(t: Arc<Recorder>, retry: RetryPolicy) -> Message {
    let client = Client::builder()
        .static_tenant_token("t")
        .transport(t)
        .rate_limiting(false)
        .retry_policy(retry)
        .build()
        .unwrap();
    Message::new(&client)
}

#[tokio::test(start_paused = true)]
async fn hundred_concurrent_sends_to_one_chat_keep_five_per_second() {
    let t = Arc::new(Recorder::default());
    let m = message(t.clone(), RetryPolicy::never());
    let start = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let call = m
            .messages()
            .send_to_chat("oc_busy", Text::from(format!("#{i}").as_str()));
        tasks.push(tokio::spawn(async move { call.await }));
    }
    // Another chat is not held up by the busy one.
    let other = m
        .messages()
        .send_to_chat("oc_quiet", Text::from("hi"))
        .await;
    assert!(other.is_ok());
    assert_eq!(Instant::now(), start);
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let seen = t.seen.lock().unwrap();
    let busy: Vec<Instant> = seen
        .iter()
        .filter(|(_, r, _)| r == "oc_busy")
        .map(|(at, _, _)| *at)
        .collect();
    assert_eq!(busy.len(), 100);
    let mut sorted = busy.clone();
    sorted.sort();
    // At most 5 in any 1 s window: any 6 consecutive arrivals span >= 1 s.
    for w in sorted.windows(6) {
        assert!(
            w[5].duration_since(w[0]) >= Duration::from_secs(1),
            "{:?}",
            w.iter()
                .map(|i| i.duration_since(start))
                .collect::<Vec<_>>()
        );
    }
    // And no slower than needed: 100 sends in 20 windows take about 19 s.
    let took = sorted[99].duration_since(start);
    let busiest = sorted
        .iter()
        .map(|a| {
            sorted
                .iter()
                .filter(|b| **b >= *a && b.duration_since(*a) < Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap();
    println!("100 sends to one chat: last after {took:?}, busiest 1 s window {busiest}");
    assert_eq!(busiest, 5);
    assert!(took >= Duration::from_secs(19), "{took:?}");
    assert!(took < Duration::from_secs(21), "{took:?}");
}

#[tokio::test(start_paused = true)]
async fn a_230020_answer_is_retried_after_a_backoff_with_the_same_uuid() {
    assert_eq!(classify(MESSAGE_RATE_LIMITED), ErrorClass::RateLimited);
    let t = Arc::new(Recorder {
        rate_limited_first: 1,
        ..Recorder::default()
    });
    let retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(400),
        jitter: false,
        ..RetryPolicy::default()
    };
    let m = message(t.clone(), retry);
    let start = Instant::now();
    let sent = m
        .messages()
        .send_to_chat("oc_1", Text::from("retry me"))
        .await
        .unwrap();
    assert_eq!(sent.message_id.unwrap().as_str(), "om_2");
    let seen = t.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].0.duration_since(seen[0].0);
    assert!(gap >= Duration::from_millis(400), "{gap:?}");
    assert_eq!(seen[0].0, start);
    assert_eq!(seen[0].2["uuid"], seen[1].2["uuid"]);
    assert_eq!(seen[0].2["uuid"].as_str().unwrap().len(), 36);
}

/// Counts what the client asks the receiver limiter, then asks the
/// in-process one.
#[derive(Debug, Default)]
struct Counting {
    inner: feishu_message::ReceiverLimiter,
    acquired: Mutex<Vec<(feishu_transport::LimitKey, Instant)>>,
    blocked: Mutex<Vec<Duration>>,
}

#[async_trait]
impl feishu_transport::Limiter for Counting {
    async fn acquire(&self, key: &feishu_transport::LimitKey, limit: feishu_model::RateLimit) {
        self.inner.acquire(key, limit).await;
        self.acquired
            .lock()
            .unwrap()
            .push((key.clone(), Instant::now()));
    }

    async fn blocked(&self, key: &feishu_transport::LimitKey, reset: Duration) {
        self.blocked.lock().unwrap().push(reset);
        self.inner.blocked(key, reset).await;
    }
}

#[tokio::test(start_paused = true)]
async fn every_attempt_takes_a_receiver_slot_and_a_230020_holds_the_receiver() {
    let t = Arc::new(Recorder {
        rate_limited_first: 1,
        ..Recorder::default()
    });
    let retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(100),
        jitter: false,
        ..RetryPolicy::default()
    };
    let limiter = Arc::new(Counting::default());
    let m = message(t.clone(), retry).receiver_limiter(limiter.clone());
    let start = Instant::now();
    let sent = m
        .messages()
        .send_to_chat("oc_1", Text::from("retry me"))
        .tenant_key("t_1")
        .await
        .unwrap();
    assert_eq!(sent.message_id.unwrap().as_str(), "om_2");
    let acquired = limiter.acquired.lock().unwrap();
    assert_eq!(acquired.len(), 2, "one slot per attempt");
    for (key, _) in acquired.iter() {
        assert_eq!(key.operation, "im.v1.message.create");
        assert_eq!(key.tenant, "t_1");
        assert_eq!(key.scope, "chat_id:oc_1");
    }
    // The 230020 (no reset header) held the receiver for a second: the
    // retry's slot came after it, not after the 100 ms backoff.
    assert_eq!(
        *limiter.blocked.lock().unwrap(),
        vec![Duration::from_secs(1)]
    );
    assert_eq!(acquired[0].1, start);
    assert!(acquired[1].1.duration_since(start) >= Duration::from_secs(1));
    let seen = t.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].2["uuid"], seen[1].2["uuid"]);
}

#[tokio::test(start_paused = true)]
async fn a_retry_never_makes_a_sixth_send_in_a_second() {
    // Five sends go out at once; the first is refused with 230020 and
    // retried after 100 ms. Were the retry not counted, it would be the
    // sixth send to the chat within one second.
    let t = Arc::new(Recorder {
        rate_limited_first: 1,
        ..Recorder::default()
    });
    let retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(100),
        jitter: false,
        ..RetryPolicy::default()
    };
    let m = message(t.clone(), retry);
    let mut tasks = Vec::new();
    for i in 0..5 {
        let call = m
            .messages()
            .send_to_chat("oc_busy", Text::from(format!("#{i}").as_str()));
        tasks.push(tokio::spawn(async move { call.await }));
        tokio::task::yield_now().await;
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let seen = t.seen.lock().unwrap();
    assert_eq!(seen.len(), 6);
    let mut at: Vec<Instant> = seen.iter().map(|(a, _, _)| *a).collect();
    at.sort();
    assert!(at[5].duration_since(at[0]) >= Duration::from_secs(1));
}

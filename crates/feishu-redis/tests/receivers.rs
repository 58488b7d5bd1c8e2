//! Two replicas share one chat's 5 sends a second through Redis: their
//! sends reach the emulator at most 5 in any second, and none is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::RedisServer;
use feishu_emulator::Emulator;
use feishu_message::content::Text;
use feishu_message::{Message, SEND_OPERATION};
use feishu_redis::{LimiterConfig, Redis, RedisConfig};
use feishu_transport::RetryPolicy;

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const SENDS: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_keep_one_chat_at_five_sends_a_second() {
    let Some(server) = RedisServer::start() else {
        return;
    };
    let emulator = Emulator::builder().record_arrivals(true).build().unwrap();
    let app = emulator.app_ids()[0].clone();
    let mut replicas = Vec::new();
    for _ in 0..2 {
        // Each replica has its own Redis connection and limiter, as
        // separate processes would.
        let redis = Redis::connect(&RedisConfig::new(server.url())).unwrap();
        // A wide margin: the emulator judges arrival times, which trail
        // the Redis admissions by a delay that varies on a busy machine.
        let limiter = redis.limiter(LimiterConfig::default().margin(Duration::from_millis(250)));
        let client = emulator
            .client_builder_for(&app)
            .unwrap()
            .rate_limiting(false)
            // A 230020 would surface as an error rather than be retried.
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        replicas.push(Message::new(&client).receiver_limiter(Arc::new(limiter)));
    }
    let mut tasks = Vec::new();
    for i in 0..SENDS {
        let call = replicas[i % 2]
            .messages()
            .send_to_chat(CHAT, Text::from(format!("alert #{i}").as_str()));
        tasks.push(tokio::spawn(async move { call.await }));
    }
    let mut failures = Vec::new();
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            failures.push(e.to_string());
        }
    }
    assert!(failures.is_empty(), "refused sends: {failures:?}");
    assert_eq!(emulator.stats().rate_limited, 0);
    let arrivals = emulator.arrivals(SEND_OPERATION);
    assert_eq!(arrivals.len(), SENDS);
    let busiest = emulator.max_arrivals_within(SEND_OPERATION, Duration::from_secs(1));
    println!("{SENDS} sends to one chat from two replicas: busiest 1 s window {busiest}");
    assert!(busiest <= 5, "{busiest} sends within one second");
    // Sends did go out concurrently: the windows were filled, not trickled.
    assert_eq!(busiest, 5);
}

/// The contrast: with their own in-process slots, two replicas together
/// send 10 a second to the chat and some sends are refused with 230020.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replicas_without_a_shared_limiter_overrun_the_chat() {
    let emulator = Emulator::builder().record_arrivals(true).build().unwrap();
    let app = emulator.app_ids()[0].clone();
    let replicas: Vec<Message> = (0..2)
        .map(|_| {
            let client = emulator
                .client_builder_for(&app)
                .unwrap()
                .rate_limiting(false)
                .retry_policy(RetryPolicy::never())
                .build()
                .unwrap();
            Message::new(&client)
        })
        .collect();
    let mut tasks = Vec::new();
    for i in 0..20 {
        let call = replicas[i % 2]
            .messages()
            .send_to_chat(CHAT, Text::from(format!("alert #{i}").as_str()));
        tasks.push(tokio::spawn(async move { call.await }));
    }
    let mut refused = 0;
    for task in tasks {
        if let Err(e) = task.await.unwrap() {
            assert_eq!(e.code(), Some(230020), "{e}");
            refused += 1;
        }
    }
    assert!(refused > 0);
    assert!(emulator.max_arrivals_within(SEND_OPERATION, Duration::from_secs(1)) > 5);
}

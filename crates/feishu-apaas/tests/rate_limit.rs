//! The documented 100 calls/minute: the client's limiter holds the 101st
//! call until the one-minute window frees, per endpoint. Paused tokio time,
//! a scripted transport: nothing sleeps for real.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use feishu_apaas::Apaas;
use feishu_transport::{Client, ScriptedTransport};
use serde_json::json;
use tokio::time::Instant;

fn scripted(responses: usize) -> (Arc<ScriptedTransport>, Client) {
    let transport = Arc::new(ScriptedTransport::new());
    for _ in 0..responses {
        transport.push_json(200, &json!({"code": 0, "msg": "success", "data": {}}));
    }
    let client = Client::builder()
        .static_tenant_token("t-limit")
        .transport(transport.clone())
        .build()
        .unwrap();
    (transport, client)
}

#[tokio::test(start_paused = true)]
async fn the_101st_call_in_a_minute_waits_until_the_window_frees() {
    let (transport, client) = scripted(102);
    let start = Instant::now();
    for _ in 0..100 {
        Apaas::new(&client)
            .user_tasks()
            .cc("1234", "1234", ["1234"])
            .await
            .unwrap();
    }
    // The first 100 go out at once.
    assert_eq!(Instant::now(), start);
    assert_eq!(transport.requests().len(), 100);

    let late = {
        let client = client.clone();
        tokio::spawn(async move {
            Apaas::new(&client)
                .user_tasks()
                .cc("1234", "1234", ["1234"])
                .await
                .map(|_| Instant::now())
        })
    };
    // 59 s later the 101st cc call is still held back...
    tokio::time::sleep(Duration::from_secs(59)).await;
    assert!(!late.is_finished());
    assert_eq!(transport.requests().len(), 100);

    // ...while another endpoint has its own window and goes out at once.
    let before = Instant::now();
    Apaas::new(&client)
        .approval_tasks()
        .agree("1", "2")
        .await
        .unwrap();
    assert_eq!(Instant::now(), before);
    let requests = transport.requests();
    assert_eq!(requests.len(), 101);
    assert!(requests[100].url().ends_with("/approval_tasks/1/agree"));

    // The held call goes out when the first call leaves the window, 60 s in
    // (the client's limiter counts in 1 s buckets, so at most 1 s later).
    let sent_at = late.await.unwrap().unwrap();
    let waited = sent_at.duration_since(start);
    assert!(
        waited >= Duration::from_secs(60) && waited <= Duration::from_secs(61),
        "{waited:?}"
    );
    let requests = transport.requests();
    assert_eq!(requests.len(), 102);
    assert!(requests[101].url().ends_with("/user_tasks/1234/cc"));
    assert_eq!(transport.remaining(), 0);
}

#[tokio::test(start_paused = true)]
async fn without_the_limiter_nothing_waits() {
    let transport = Arc::new(ScriptedTransport::new());
    for _ in 0..101 {
        transport.push_json(200, &json!({"code": 0, "msg": "success", "data": {}}));
    }
    let client = Client::builder()
        .static_tenant_token("t-limit")
        .transport(transport.clone())
        .rate_limiting(false)
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..101 {
        Apaas::new(&client)
            .user_tasks()
            .cc("1234", "1234", ["1234"])
            .await
            .unwrap();
    }
    assert_eq!(Instant::now(), start);
    assert_eq!(transport.requests().len(), 101);
}

//! One reproducing test per fault a production bot meets on a bad day:
//! token endpoints that hang or fail, servers that ask for long waits, fixed
//! tokens, cold starts under the limiter, missing app tickets, deadlines,
//! nonsense token lifetimes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use common::*;
use feishu_transport::{
    AppCredentials, Client, Error, HttpRequest, HttpResponse, RequestOptions, RetryPolicy,
    ScriptedTransport, Transport, TransportError,
};
use futures::future::BoxFuture;
use tokio::time::Instant;

type Handler =
    dyn Fn(HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>> + Send + Sync;

/// A transport answering with a closure; counts token fetches and records
/// when API calls arrive.
struct FnTransport {
    handler: Box<Handler>,
    token_fetches: AtomicU32,
    resends: AtomicU32,
    arrivals: Mutex<Vec<Instant>>,
}

impl std::fmt::Debug for FnTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FnTransport")
    }
}

impl FnTransport {
    fn new(
        handler: impl Fn(HttpRequest) -> BoxFuture<'static, Result<HttpResponse, TransportError>>
            + Send
            + Sync
            + 'static,
    ) -> Arc<Self> {
        Arc::new(FnTransport {
            handler: Box::new(handler),
            token_fetches: AtomicU32::new(0),
            resends: AtomicU32::new(0),
            arrivals: Mutex::new(Vec::new()),
        })
    }
}

#[async_trait]
impl Transport for FnTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let path = request.uri().path().to_owned();
        if path.contains("/app_ticket/resend") {
            self.resends.fetch_add(1, Ordering::SeqCst);
        } else if path.contains("/auth/") {
            self.token_fetches.fetch_add(1, Ordering::SeqCst);
        } else {
            self.arrivals.lock().unwrap().push(Instant::now());
        }
        (self.handler)(request).await
    }
}

fn json(status: u16, body: serde_json::Value) -> HttpResponse {
    feishu_transport::response(status, body.to_string())
}

fn is_token(r: &HttpRequest) -> bool {
    r.uri().path().contains("/auth/")
}

#[tokio::test(start_paused = true)]
async fn a_hanging_token_endpoint_costs_one_time_limit_for_200_callers() {
    let t = FnTransport::new(|r| {
        Box::pin(async move {
            if is_token(&r) {
                std::future::pending::<()>().await;
            }
            Ok(json(200, thing_body("x")))
        })
    });
    let client = self_built_client(t.clone())
        .token_fetch_timeout(Duration::from_secs(5))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let calls = (0..200).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.call(get_thing("a")).await })
    });
    let results = futures::future::join_all(calls).await;
    assert!(results.iter().all(|r| r.as_ref().unwrap().is_err()));
    // One fetch, one time limit, shared by every waiter (not 200 x 5 s).
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert_eq!(t.token_fetches.load(Ordering::SeqCst), 1);
    let err = results.into_iter().next().unwrap().unwrap().unwrap_err();
    assert!(
        matches!(&err, Error::Auth { cause: Some(c), .. } if matches!(**c, Error::Timeout { .. })),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn token_fetches_are_retried_and_keep_their_cause() {
    let fails_left = Arc::new(AtomicU32::new(1));
    let left = fails_left.clone();
    let t = FnTransport::new(move |r| {
        let left = left.clone();
        Box::pin(async move {
            if is_token(&r) {
                if left.fetch_sub(1, Ordering::SeqCst) > 0 {
                    return Ok(json(503, serde_json::json!({"oops": true})));
                }
                return Ok(json(200, token_body("t-1", 7200)));
            }
            Ok(json(200, thing_body("x")))
        })
    });
    let client = self_built_client(t.clone()).build().unwrap();
    let out = client.call(get_thing("a")).await.unwrap();
    assert_eq!(out.name, "x");
    assert_eq!(t.token_fetches.load(Ordering::SeqCst), 2);

    // A rate-limited token endpoint: the error stays retryable, with its wait.
    let t = FnTransport::new(|_| {
        Box::pin(async {
            let mut r = json(
                429,
                serde_json::json!({"code": 99991400, "msg": "request trigger frequency limit"}),
            );
            r.headers_mut()
                .insert("x-ogw-ratelimit-reset", "3".parse().unwrap());
            Ok(r)
        })
    });
    let client = self_built_client(t)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3)));
    let source = std::error::Error::source(&err).unwrap().to_string();
    assert!(source.contains("99991400"), "{source}");
}

#[tokio::test(start_paused = true)]
async fn a_day_long_reset_returns_the_rate_limit_at_once() {
    let t = Arc::new(ScriptedTransport::new());
    let mut r = feishu_transport::response(
        429,
        r#"{"code":99991400,"msg":"request trigger frequency limit"}"#,
    );
    r.headers_mut()
        .insert("x-ogw-ratelimit-reset", "86400".parse().unwrap());
    t.push(r);
    let client = static_client(t.clone()).build().unwrap();
    let started = Instant::now();
    let err = client.call(get_thing("a")).await.unwrap_err();
    assert!(err.is_rate_limited());
    assert_eq!(err.retry_after(), Some(Duration::from_secs(86400)));
    assert_eq!(started.elapsed(), Duration::ZERO);
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test]
async fn a_rejected_static_token_keeps_the_code_status_and_log_id() {
    let t = Arc::new(ScriptedTransport::new());
    let body =
        serde_json::json!({"code": 99991663, "msg": "Invalid access token for authorization."});
    t.push(
        http::Response::builder()
            .status(400)
            .header("content-type", "application/json")
            .header("x-tt-logid", "20261204-token-rejected")
            .body(bytes::Bytes::from(body.to_string()))
            .unwrap(),
    );
    let client = static_client(t.clone()).build().unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    assert_eq!(t.requests().len(), 1);
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.log_id(), Some("20261204-token-rejected"));
    let shown = err.to_string();
    for part in ["99991663", "HTTP 400", "20261204-token-rejected"] {
        assert!(shown.contains(part), "{part} missing from {shown}");
    }
}

#[tokio::test]
async fn a_static_token_is_not_resent_when_rejected() {
    let t = Arc::new(ScriptedTransport::new());
    t.push_json(
        400,
        &serde_json::json!({"code": 99991663, "msg": "Invalid access token for authorization."}),
    );
    let client = static_client(t.clone()).build().unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    assert_eq!(t.requests().len(), 1, "not resent with the same token");
    assert!(!err.is_retryable(), "{err:?}");
    assert_eq!(err.code(), Some(99991663));
}

#[tokio::test(start_paused = true)]
async fn calls_delayed_by_a_cold_token_do_not_bunch_with_the_next_second() {
    let t = FnTransport::new(|r| {
        Box::pin(async move {
            if is_token(&r) {
                tokio::time::sleep(Duration::from_secs(2)).await;
                return Ok(json(200, token_body("t-1", 7200)));
            }
            Ok(json(200, thing_body("x")))
        })
    });
    let client = self_built_client(t.clone())
        .rate_limiting(true)
        .build()
        .unwrap();
    let calls = (0..150).map(|i| {
        let client = client.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(i * 10)).await;
            client.call(get_thing("a")).await
        })
    });
    for r in futures::future::join_all(calls).await {
        r.unwrap().unwrap();
    }
    let arrivals = t.arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 150);
    let mut sorted = arrivals;
    sorted.sort();
    for (i, at) in sorted.iter().enumerate() {
        let in_window = sorted[i..]
            .iter()
            .take_while(|u| **u < *at + Duration::from_secs(1))
            .count();
        assert!(in_window <= 50, "{in_window} calls arrived within 1 s");
    }
    assert_eq!(t.token_fetches.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn without_an_app_ticket_one_resend_per_interval_and_fast_failures() {
    let t = FnTransport::new(|_| {
        Box::pin(async { Ok(json(200, serde_json::json!({"code": 0, "msg": "ok"}))) })
    });
    let client = Client::builder()
        .credentials(AppCredentials::marketplace("cli_store", "secret-123"))
        .transport(t.clone())
        .rate_limiting(false)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let options = RequestOptions::new().tenant_key("tk-1");
    for round in 0..3 {
        let call = get_thing("a");
        let calls = (0..20).map(|_| client.call(call.clone()).options(options.clone()).send());
        for r in futures::future::join_all(calls).await {
            let err = r.unwrap_err();
            assert!(err.to_string().contains("app_ticket"), "{err}");
        }
        assert_eq!(t.resends.load(Ordering::SeqCst), 1, "round {round}");
        tokio::time::advance(Duration::from_secs(2)).await;
    }
    tokio::time::advance(feishu_transport::TICKET_RESEND_INTERVAL).await;
    assert!(client
        .call(get_thing("a"))
        .options(options.clone())
        .await
        .is_err());
    assert_eq!(t.resends.load(Ordering::SeqCst), 2);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_ends_the_whole_call_even_over_a_hanging_transport() {
    let t = FnTransport::new(|_| {
        Box::pin(async {
            std::future::pending::<()>().await;
            Ok(json(200, thing_body("never")))
        })
    });
    let client = static_client(t).build().unwrap();
    let started = Instant::now();
    let err = client
        .call(get_thing("a"))
        .timeout(Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { .. }) && err.is_timeout(),
        "{err:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_millis(1500));
}

#[tokio::test(start_paused = true)]
async fn a_call_can_override_the_retry_policy() {
    let t = Arc::new(ScriptedTransport::new());
    for _ in 0..3 {
        t.push(feishu_transport::response(500, "oops"));
    }
    let client = static_client(t.clone()).build().unwrap();
    let err = client
        .call(get_thing("a"))
        .retry_policy(RetryPolicy::never())
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(t.requests().len(), 1);
}

#[tokio::test(start_paused = true)]
async fn nonsense_token_lifetimes_neither_overflow_nor_fetch_per_call() {
    for expire in [-1_i64, 0, i64::MAX] {
        let t = FnTransport::new(move |r| {
            Box::pin(async move {
                if is_token(&r) {
                    return Ok(json(200, token_body("t-1", expire)));
                }
                Ok(json(200, thing_body("x")))
            })
        });
        let client = self_built_client(t.clone()).build().unwrap();
        for _ in 0..50 {
            client.call(get_thing("a")).await.unwrap();
        }
        assert_eq!(t.token_fetches.load(Ordering::SeqCst), 1, "expire {expire}");
    }
}

#[tokio::test(start_paused = true)]
async fn a_caller_deadline_does_not_cancel_the_shared_token_fetch() {
    let t = FnTransport::new(|r| {
        Box::pin(async move {
            if is_token(&r) {
                tokio::time::sleep(Duration::from_secs(3)).await;
                return Ok(json(200, token_body("t-slow", 7200)));
            }
            Ok(json(200, thing_body("x")))
        })
    });
    let client = self_built_client(t.clone()).build().unwrap();
    // Waves of callers whose deadlines end while the token is still coming.
    for _ in 0..3 {
        let calls = (0..10).map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call(get_thing("a"))
                    .timeout(Duration::from_millis(500))
                    .await
            })
        });
        for r in futures::future::join_all(calls).await {
            assert!(matches!(r.unwrap(), Err(Error::Timeout { .. })));
        }
    }
    // The one fetch went on; once it lands every call uses its token.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let out = client.call(get_thing("a")).await.unwrap();
    assert_eq!(out.name, "x");
    assert_eq!(t.token_fetches.load(Ordering::SeqCst), 1);
}

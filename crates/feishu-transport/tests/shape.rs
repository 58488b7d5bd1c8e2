//! The public shape of the client: owned calls, interceptors, error sources,
//! header rules, replay expectations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::error::Error as _;
use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use feishu_transport::http::Method;
use feishu_transport::{
    Attempt, Client, Error, HttpRequest, Interceptor, Outcome, RequestOptions, ReqwestTransport,
    RetryPolicy, ScriptedTransport, TransportErrorKind,
};
use serde_json::json;

fn client(t: &Arc<ScriptedTransport>) -> Client {
    static_client(t.clone())
        .base_url("https://open.feishu.cn")
        .retry_policy(RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

#[derive(Debug, Default)]
struct Record(Mutex<Vec<String>>);

impl Interceptor for Record {
    fn before_attempt(&self, attempt: &Attempt<'_>, request: &mut HttpRequest) {
        request
            .headers_mut()
            .insert("x-attempt", attempt.attempt.to_string().parse().unwrap());
        self.0
            .lock()
            .unwrap()
            .push(format!("before {} #{}", attempt.operation, attempt.attempt));
    }

    fn after_attempt(&self, attempt: &Attempt<'_>, outcome: &Outcome<'_>) {
        self.0.lock().unwrap().push(format!(
            "after {} #{} status={:?} log={:?} error={}",
            attempt.operation,
            attempt.attempt,
            outcome.status,
            outcome.log_id,
            outcome.error.is_some()
        ));
    }
}

#[tokio::test(start_paused = true)]
async fn interceptors_see_every_attempt_and_may_add_headers() {
    let t = Arc::new(ScriptedTransport::new());
    let mut fail = feishu_transport::response(500, "oops");
    fail.headers_mut()
        .insert("x-tt-logid", "L-500".parse().unwrap());
    t.push(fail);
    t.push_json(200, &thing_body("ok"));
    let record = Arc::new(Record::default());
    let client = static_client(t.clone())
        .interceptor(record.clone())
        .build()
        .unwrap();
    let out = client.call(get_thing("a")).await.unwrap();
    assert_eq!(out.name, "ok");
    assert_eq!(
        *record.0.lock().unwrap(),
        vec![
            "before test.v1.thing.get #1",
            "after test.v1.thing.get #1 status=Some(500) log=Some(\"L-500\") error=true",
            "before test.v1.thing.get #2",
            "after test.v1.thing.get #2 status=Some(200) log=None error=false",
        ]
    );
    let sent = t.requests();
    assert_eq!(sent[0].header("x-attempt"), Some("1"));
    assert_eq!(sent[1].header("x-attempt"), Some("2"));
}

#[tokio::test]
async fn a_call_owns_its_client_and_can_be_spawned() {
    let t = Arc::new(ScriptedTransport::new());
    t.push_json(200, &thing_body("spawned"));
    let call = client(&t).call(get_thing("a"));
    // The client that made the call is gone; the call still runs.
    let out = tokio::spawn(call.into_future()).await.unwrap().unwrap();
    assert_eq!(out.name, "spawned");
}

#[tokio::test]
async fn transport_errors_keep_their_source() {
    // A port nothing listens on: connect fails at once.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let client = static_client(Arc::new(ReqwestTransport::new().unwrap()))
        .base_url(url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.kind, TransportErrorKind::Connect);
    let reqwest_error = err
        .source()
        .and_then(|s| s.source())
        .and_then(|s| s.downcast_ref::<reqwest::Error>())
        .expect("the chain reaches reqwest's error");
    assert!(reqwest_error.is_connect());
    assert!(err.not_processed());
}

#[tokio::test]
async fn authorization_cannot_be_set_as_an_extra_header() {
    let t = Arc::new(ScriptedTransport::new());
    let options = RequestOptions::new().header("Authorization", "Bearer forged");
    let err = client(&t)
        .call(get_thing("a"))
        .options(options.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Rejected { .. }) && err.to_string().contains("Authorization"),
        "{err}"
    );
    assert!(t.requests().is_empty());
}

#[test]
fn debug_of_options_and_calls_hides_secrets() {
    let options = RequestOptions::new()
        .user_access_token("u-very-secret")
        .header("x-api-key", "k-very-secret")
        .header("x-trace", "visible");
    let t = Arc::new(ScriptedTransport::new());
    let call = client(&t).call(get_thing("a")).options(options.clone());
    for shown in [format!("{options:?}"), format!("{call:?}")] {
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("visible"), "{shown}");
    }
}

#[tokio::test]
async fn replay_expectations_match_bodies_semantically() {
    let t = Arc::new(ScriptedTransport::new());
    t.expect(Method::POST, "/open-apis/test/v1/things")
        .json_body(json!({"name": "new"}))
        .header("authorization", "Bearer t-1")
        .respond_json(200, &json!({"code": 0, "msg": "ok", "data": {}}));
    t.expect(Method::GET, "/open-apis/test/v1/things/b")
        .respond_json(200, &thing_body("b"));
    let c = client(&t);
    c.call(create_thing("new")).await.unwrap();
    assert_eq!(
        t.verify().unwrap_err().unused,
        vec!["GET /open-apis/test/v1/things/b"]
    );
    let out = c.call(get_thing("b")).await.unwrap();
    assert_eq!(out.name, "b");
    t.verify().unwrap();
}

#[tokio::test]
async fn oversized_response_bodies_are_refused_while_read() {
    let big = format!(
        r#"{{"code":0,"msg":"ok","data":{{"name":"{}"}}}}"#,
        "x".repeat(5 * 1024 * 1024)
    );
    let server = feishu_transport::LocalServer::start(200, &big)
        .await
        .unwrap();
    let client = static_client(Arc::new(ReqwestTransport::new().unwrap()))
        .base_url(server.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.message.contains("limit of 4194304 bytes")),
        "{err}"
    );
    // A smaller body under a raised limit goes through.
    let small = feishu_transport::LocalServer::start(
        200,
        r#"{"code":0,"msg":"ok","data":{"name":"fine"}}"#,
    )
    .await
    .unwrap();
    let client = static_client(Arc::new(
        ReqwestTransport::new().unwrap().with_max_response_bytes(64),
    ))
    .base_url(small.url())
    .build()
    .unwrap();
    assert_eq!(client.call(get_thing("a")).await.unwrap().name, "fine");
}

/// A server that accepts connections and sends `head` (maybe nothing), then
/// holds the connection open without another byte.
async fn silent_server(head: &'static [u8]) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(head).await;
            held.push(socket);
        }
    });
    url
}

#[rstest::rstest]
#[case::no_answer(b"")]
#[case::half_a_body(
    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"code\":0,"
)]
#[tokio::test]
async fn the_default_transport_bounds_an_exchange_the_server_leaves_hanging(
    #[case] head: &'static [u8],
) {
    let url = silent_server(head).await;
    let limit = Duration::from_millis(600);
    let transport = ReqwestTransport::with_timeouts(Duration::from_secs(5), limit).unwrap();
    let client = static_client(Arc::new(transport))
        .base_url(url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    // A guard, so that a transport without the limit fails here rather
    // than hanging the suite.
    let err = tokio::time::timeout(Duration::from_secs(10), client.call(get_thing("a")))
        .await
        .expect("the exchange ends by its limit")
        .unwrap_err();
    let took = started.elapsed();
    let Error::Transport { source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(source.kind, TransportErrorKind::Timeout, "{source}");
    assert!(source.to_string().contains("600ms"), "{source}");
    // Within the limit plus the quarter-second resolution (and a slow machine).
    assert!(took >= limit, "{took:?}");
    assert!(took < limit + Duration::from_secs(2), "{took:?}");
}

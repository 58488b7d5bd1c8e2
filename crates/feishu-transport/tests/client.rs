//! Behaviour of the client pipeline: tokens, retries, rate limits, errors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use feishu_transport::{
    AppCredentials, Client, Error, LocalServer, RequestOptions, RetryPolicy, ScriptedTransport,
    TransportError, TransportErrorKind,
};
use httpmock::prelude::*;
use tokio::time::Instant;

const SECRET: &str = "app-secret-value-123";

fn scripted_client(t: &Arc<ScriptedTransport>) -> Client {
    Client::builder()
        .base_url("https://open.feishu.cn")
        .credentials(AppCredentials::self_built("cli_test", SECRET))
        .transport(t.clone())
        .rate_limiting(false)
        .build()
        .unwrap()
}

fn bearer(req: &feishu_transport::replay::RecordedRequest) -> String {
    req.header("authorization").unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cold_client_fetches_the_token_once_for_200_concurrent_calls() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/open-apis/auth/v3/tenant_access_token/internal")
                .json_body(serde_json::json!({"app_id": "cli_test", "app_secret": SECRET}));
            then.status(200).json_body(token_body("t-fresh", 7200));
        })
        .await;
    let api = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/test/v1/things/th_1")
                .header("authorization", "Bearer t-fresh");
            then.status(200).json_body(thing_body("one"));
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .credentials(AppCredentials::self_built("cli_test", SECRET))
        .rate_limiting(false)
        .build()
        .unwrap();
    let calls = (0..200).map(|_| {
        let client = client.clone();
        tokio::spawn(async move { client.call(get_thing("th_1")).await })
    });
    for result in futures::future::join_all(calls).await {
        assert_eq!(result.unwrap().unwrap().name, "one");
    }
    token.assert_hits_async(1).await;
    api.assert_hits_async(200).await;
}

#[tokio::test(start_paused = true)]
async fn token_is_refreshed_three_minutes_before_expiry() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t-1", 600));
    t.push_json(200, &thing_body("a"));
    client.call(get_thing("x")).await.unwrap();
    // 600 s lifetime: still valid at t+419 s (181 s left): no fetch.
    tokio::time::advance(Duration::from_secs(419)).await;
    t.push_json(200, &thing_body("b"));
    client.call(get_thing("x")).await.unwrap();
    assert_eq!(t.requests().len(), 3);
    assert_eq!(bearer(&t.requests()[2]), "Bearer t-1");
    // At t+421 s (179 s left): a new token is fetched first.
    tokio::time::advance(Duration::from_secs(2)).await;
    t.push_json(200, &token_body("t-2", 7200));
    t.push_json(200, &thing_body("c"));
    client.call(get_thing("x")).await.unwrap();
    let reqs = t.requests();
    assert_eq!(reqs.len(), 5);
    assert!(reqs[3]
        .url()
        .ends_with("/open-apis/auth/v3/tenant_access_token/internal"));
    assert_eq!(bearer(&reqs[4]), "Bearer t-2");
}

#[tokio::test(start_paused = true)]
async fn invalid_token_code_refetches_once_and_retries_once() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t-old", 7200));
    t.push_json(
        400,
        &serde_json::json!({"code": 99991663, "msg": "Invalid access token for authorization"}),
    );
    t.push_json(200, &token_body("t-new", 7200));
    t.push_json(200, &thing_body("ok"));
    // A POST without idempotency key: still retried, the server never processed it.
    let out = client.call(create_thing("n")).await;
    assert!(out.is_ok(), "{out:?}");
    let reqs = t.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(bearer(&reqs[1]), "Bearer t-old");
    assert!(reqs[2].url().ends_with("/tenant_access_token/internal"));
    assert_eq!(bearer(&reqs[3]), "Bearer t-new");
}

#[tokio::test(start_paused = true)]
async fn invalid_token_twice_is_an_error_after_one_refresh() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    let invalid = serde_json::json!({"code": 99991663, "msg": "Invalid access token"});
    t.push_json(200, &token_body("t-old", 7200));
    t.push_json(400, &invalid);
    t.push_json(200, &token_body("t-new", 7200));
    t.push_json(400, &invalid);
    let err = client.call(get_thing("x")).await.unwrap_err();
    assert_eq!(err.code(), Some(99991663));
    assert_eq!(t.requests().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn rate_limit_waits_for_the_reset_header_then_succeeds() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t", 7200));
    t.push(feishu_transport::replay::canned(
        429,
        r#"{"code":99991400,"msg":"request trigger frequency limit"}"#,
        &[("x-ogw-ratelimit-reset", "2"), ("x-tt-logid", "LOG-429")],
    ));
    t.push_json(200, &thing_body("after"));
    let start = Instant::now();
    let out = client.call(get_thing("x")).await.unwrap();
    let waited = start.elapsed();
    assert_eq!(out.name, "after");
    assert!(
        // The asked 2 s plus at most 0.6 s of spread (2 s / 4 + 100 ms).
        waited >= Duration::from_secs(2) && waited <= Duration::from_millis(2600),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn rate_limit_on_every_attempt_is_a_typed_error_with_the_log_id() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t", 7200));
    for i in 0..3 {
        t.push(feishu_transport::replay::canned(
            429,
            r#"{"code":99991400,"msg":"request trigger frequency limit"}"#,
            &[
                ("x-ogw-ratelimit-reset", "1"),
                ("x-tt-logid", format!("LOG-{i}").as_str()),
            ],
        ));
    }
    let err = client.call(create_thing("n")).await.unwrap_err();
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(err.log_id(), Some("LOG-2"));
    assert_eq!(err.code(), Some(99991400));
    assert_eq!(err.http_status(), Some(429));
    assert_eq!(t.requests().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn server_error_is_retried_on_get_but_not_on_plain_post() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t", 7200));
    t.push(feishu_transport::replay::canned(500, "oops", &[]));
    t.push_json(200, &thing_body("second try"));
    let out = client.call(get_thing("x")).await.unwrap();
    assert_eq!(out.name, "second try");
    assert_eq!(t.requests().len(), 3);

    t.push(feishu_transport::replay::canned(500, "oops", &[]));
    t.push_json(200, &thing_body("never"));
    let err = client.call(create_thing("n")).await.unwrap_err();
    assert!(matches!(err, Error::Http { status: 500, .. }), "{err:?}");
    assert_eq!(t.requests().len(), 4, "the POST was sent once");
    assert_eq!(t.remaining(), 1);
}

#[tokio::test(start_paused = true)]
async fn connect_failure_retries_even_a_post_timeout_does_not() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t", 7200));
    t.push_error(TransportError::new(TransportErrorKind::Connect, "refused"));
    t.push_json(
        200,
        &serde_json::json!({"code": 0, "msg": "ok", "data": {}}),
    );
    client.call(create_thing("n")).await.unwrap();
    t.push_error(TransportError::new(TransportErrorKind::Timeout, "slow"));
    let err = client.call(create_thing("n")).await.unwrap_err();
    assert!(err.is_timeout());
    assert_eq!(t.requests().len(), 4);
}

#[tokio::test(start_paused = true)]
async fn client_limiter_spaces_one_tenant_and_not_another() {
    let t = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .static_tenant_token("t-static")
        .transport(t.clone())
        .build()
        .unwrap();
    let start = Instant::now();
    for _ in 0..51 {
        t.push_json(200, &thing_body("x"));
        client
            .call(get_thing("x"))
            .options(RequestOptions::new().tenant_key("tenant-a"))
            .await
            .unwrap();
    }
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "51st call waited for the window"
    );
    let other = Instant::now();
    t.push_json(200, &thing_body("x"));
    client
        .call(get_thing("x"))
        .options(RequestOptions::new().tenant_key("tenant-b"))
        .await
        .unwrap();
    assert_eq!(other.elapsed(), Duration::ZERO);
}

#[tokio::test]
async fn user_token_is_refused_by_a_tenant_only_endpoint_before_sending() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    let err = client
        .call(create_thing("n"))
        .options(RequestOptions::new().user_access_token("u-abc"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert!(err.to_string().contains("tenant_access_token"), "{err}");
    assert!(t.requests().is_empty());
}

#[rstest::rstest]
#[case::no_scheme("open.feishu.cn")]
#[case::space("https://open feishu.cn")]
#[case::relative("/open-apis")]
#[tokio::test]
async fn an_invalid_base_url_is_refused_by_the_call_before_sending(#[case] base_url: &str) {
    let t = Arc::new(ScriptedTransport::new());
    let client = static_client(t.clone()).base_url(base_url).build().unwrap();
    let err = client.call(get_thing("th_1")).await.unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert!(
        err.to_string().contains("the request URL is invalid"),
        "{err}"
    );
    assert!(err.to_string().contains(base_url), "{err}");
    assert!(t.requests().is_empty());
}

#[tokio::test]
async fn user_token_codes_surface_as_their_own_kind() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(
        400,
        &serde_json::json!({"code": 99991677, "msg": "token expire"}),
    );
    let err = client
        .call(get_thing("x"))
        .options(RequestOptions::new().user_access_token("u-abc"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::UserToken(_)), "{err:?}");
    assert_eq!(bearer(&t.requests()[0]), "Bearer u-abc");
}

#[tokio::test]
async fn failed_token_fetch_names_the_auth_code_and_message() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(
        400,
        &serde_json::json!({"code": 10015, "msg": "wrong app secret"}),
    );
    let err = client.call(get_thing("x")).await.unwrap_err();
    match &err {
        Error::Auth { code, msg, .. } => {
            assert_eq!(*code, Some(10015));
            assert_eq!(msg, "wrong app secret");
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("10015"));
}

#[tokio::test]
async fn bad_bodies_over_real_http_are_typed_errors() {
    let server = MockServer::start_async().await;
    let cases: [(&str, u16, &str); 5] = [
        ("not-json", 200, "hello world"),
        ("empty", 200, ""),
        ("html", 502, "<html><body>502 Bad Gateway</body></html>"),
        ("truncated", 200, r#"{"code":0,"msg":"ok","data":{"na"#),
        ("no-code", 200, r#"{"msg":"ok","data":{}}"#),
    ];
    for (id, status, body) in cases {
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path(format!("/open-apis/test/v1/things/{id}"));
                then.status(status)
                    .header("x-tt-logid", format!("LOG-{id}"))
                    .body(body);
            })
            .await;
    }
    let client = Client::builder()
        .base_url(server.base_url())
        .static_tenant_token("t-x")
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    for (id, status, _) in cases {
        let err = client.call(get_thing(id)).await.unwrap_err();
        match (&err, status) {
            (Error::Http { status: 502, .. }, 502) => {}
            (Error::Decode { .. }, 200) => {}
            other => panic!("{id}: unexpected {other:?}"),
        }
        assert_eq!(err.log_id(), Some(format!("LOG-{id}").as_str()), "{id}");
    }
}

#[tokio::test]
async fn no_secret_in_debug_or_display_of_client_credentials_and_errors() {
    let t = Arc::new(ScriptedTransport::new());
    let client = scripted_client(&t);
    t.push_json(200, &token_body("t-very-secret-token", 7200));
    t.push_json(400, &serde_json::json!({"code": 232006, "msg": "bad chat"}));
    let api_err = client.call(get_thing("x")).await.unwrap_err();
    let user_err = client
        .call(create_thing("x"))
        .options(RequestOptions::new().user_access_token("u-very-secret-user"))
        .await
        .unwrap_err();
    let creds = AppCredentials::marketplace("cli_x", SECRET);
    let shown = format!(
        "{client:?} {creds:?} {api_err:?} {api_err} {user_err:?} {user_err} {:?} {:?}",
        t.requests(),
        RequestOptions::new().user_access_token("u-very-secret-user")
    );
    for secret in [SECRET, "t-very-secret-token", "u-very-secret-user"] {
        assert!(!shown.contains(secret), "{secret} leaked in: {shown}");
    }
}

#[tokio::test]
async fn one_hundred_sequential_calls_use_one_connection() {
    let server = LocalServer::start(
        200,
        r#"{"code":0,"msg":"success","data":{"name":"kept alive"}}"#,
    )
    .await
    .unwrap();
    let client = Client::builder()
        .base_url(server.url())
        .static_tenant_token("t-x")
        .rate_limiting(false)
        .build()
        .unwrap();
    for _ in 0..100 {
        let out = client.call(get_thing("x")).await.unwrap();
        assert_eq!(out.name, "kept alive");
    }
    assert_eq!(server.requests(), 100);
    assert_eq!(server.connections(), 1);
}

#[tokio::test]
async fn marketplace_app_uses_the_ticket_and_one_tenant_token_per_tenant() {
    let t = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .credentials(AppCredentials::marketplace("cli_store", SECRET))
        .transport(t.clone())
        .rate_limiting(false)
        .build()
        .unwrap();
    // No ticket yet: the client asks for a resend and says so.
    t.push_json(200, &serde_json::json!({"code": 0, "msg": "success"}));
    let err = client
        .call(get_thing("x"))
        .options(RequestOptions::new().tenant_key("tk-1"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Auth { .. }), "{err:?}");
    assert!(err.to_string().contains("app_ticket"), "{err}");
    assert!(t.requests()[0]
        .url()
        .ends_with("/open-apis/auth/v3/app_ticket/resend"));

    client.set_app_ticket("ticket-1");
    t.push_json(200, &serde_json::json!({"code": 0, "msg": "success", "app_access_token": "a-1", "expire": 7200}));
    t.push_json(200, &token_body("t-tenant-1", 7200));
    t.push_json(200, &thing_body("one"));
    t.push_json(200, &token_body("t-tenant-2", 7200));
    t.push_json(200, &thing_body("two"));
    client
        .call(get_thing("x"))
        .options(RequestOptions::new().tenant_key("tk-1"))
        .await
        .unwrap();
    client
        .call(get_thing("x"))
        .options(RequestOptions::new().tenant_key("tk-2"))
        .await
        .unwrap();
    let reqs = t.requests();
    assert_eq!(
        reqs.len(),
        6,
        "app token fetched once, one tenant token per tenant"
    );
    let body = |i: usize| -> serde_json::Value { reqs[i].json().unwrap() };
    assert_eq!(
        body(1),
        serde_json::json!({"app_id": "cli_store", "app_secret": SECRET, "app_ticket": "ticket-1"})
    );
    assert_eq!(
        body(2),
        serde_json::json!({"app_access_token": "a-1", "tenant_key": "tk-1"})
    );
    assert_eq!(bearer(&reqs[3]), "Bearer t-tenant-1");
    assert_eq!(
        body(4),
        serde_json::json!({"app_access_token": "a-1", "tenant_key": "tk-2"})
    );
    assert_eq!(bearer(&reqs[5]), "Bearer t-tenant-2");

    // Without a tenant key a marketplace app cannot pick a tenant token.
    let err = client.call(get_thing("x")).await.unwrap_err();
    assert!(err.to_string().contains("tenant_key"), "{err}");
}

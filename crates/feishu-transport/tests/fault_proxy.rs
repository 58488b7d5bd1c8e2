//! The fault proxy does what each fault kind says, and the client turns
//! each into the typed result it should.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use feishu_model::im::chat::GetChat;
use feishu_transport::{Client, Error, FaultKind, FaultPlan, FaultProxy, LocalServer, RetryPolicy};

const BODY: &str = r#"{"code":0,"msg":"ok","data":{"name":"ops"}}"#;

async fn setup(kind: FaultKind) -> (LocalServer, FaultProxy, Client) {
    let upstream = LocalServer::start(200, BODY).await.unwrap();
    let plan = FaultPlan {
        stall: Duration::from_secs(2),
        drip_delay: Duration::from_millis(10),
        huge_body: 1024 * 1024,
        ..FaultPlan::only(11, kind, 1.0)
    };
    let proxy = FaultProxy::start(upstream.addr(), plan).await.unwrap();
    let client = Client::builder()
        .base_url(proxy.url())
        .static_tenant_token("t-1")
        .rate_limiting(false)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    (upstream, proxy, client)
}

async fn get(client: &Client) -> Result<Option<String>, Error> {
    client
        .call(GetChat::new("oc_1"))
        .send()
        .await
        .map(|c| c.name)
}

#[tokio::test]
async fn each_kind_ends_in_its_typed_result() {
    for kind in [
        FaultKind::ResetBeforeRequest,
        FaultKind::ResetBeforeAnswer,
        FaultKind::ResetMidBody,
        FaultKind::TruncatedBody,
        FaultKind::MalformedHeaders,
    ] {
        let (upstream, proxy, client) = setup(kind).await;
        let err = get(&client).await.unwrap_err();
        assert!(matches!(err, Error::Transport { .. }), "{kind}: {err:?}");
        assert_eq!(proxy.injected(kind), 1, "{kind}");
        assert_eq!(upstream.requests(), usize::from(kind.forwards()), "{kind}");
    }

    let (upstream, proxy, client) = setup(FaultKind::Stall).await;
    let err = get(&client).await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert_eq!(
        (upstream.requests(), proxy.injected(FaultKind::Stall)),
        (1, 1)
    );

    for kind in [FaultKind::Drip, FaultKind::HugeBody] {
        let (upstream, proxy, client) = setup(kind).await;
        assert_eq!(
            get(&client).await.unwrap().as_deref(),
            Some("ops"),
            "{kind}"
        );
        assert_eq!(
            (upstream.requests(), proxy.injected(kind)),
            (1, 1),
            "{kind}"
        );
    }

    let (upstream, _proxy, client) = setup(FaultKind::ServerError).await;
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Http {
                status: 500 | 502 | 503,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(upstream.requests(), 0);

    let (_upstream, _proxy, client) = setup(FaultKind::RateLimited).await;
    let err = get(&client).await.unwrap_err();
    assert_eq!(err.code(), Some(99991400));
    assert!(
        err.retry_after().unwrap() <= Duration::from_secs(5),
        "{err:?}"
    );

    // A fixed token the server rejects is not resent.
    let (upstream, proxy, client) = setup(FaultKind::InvalidToken).await;
    let err = get(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                code: Some(99991663),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!((upstream.requests(), proxy.requests()), (0, 1));
}

#[tokio::test]
async fn token_faults_hit_only_token_requests() {
    let (upstream, proxy, client) = setup(FaultKind::TokenServerError).await;
    assert_eq!(get(&client).await.unwrap().as_deref(), Some("ops"));
    assert_eq!((upstream.requests(), proxy.injected_total()), (1, 0));
    let answer = reqwest::Client::new()
        .post(format!(
            "{}/open-apis/auth/v3/tenant_access_token/internal",
            proxy.url()
        ))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_server_error());
    assert_eq!(proxy.token_requests(), 1);
    assert_eq!(proxy.clean_token_answers(), 0);
    assert_eq!(proxy.injected(FaultKind::TokenServerError), 1);
}

#[tokio::test]
async fn server_errors_come_in_bursts_and_the_plan_is_seeded() {
    async fn statuses(seed: u64) -> Vec<u16> {
        let upstream = LocalServer::start(200, BODY).await.unwrap();
        let plan = FaultPlan {
            weights: vec![(FaultKind::ServerError, 1), (FaultKind::RateLimited, 1)],
            ..FaultPlan::new(seed, 0.3)
        };
        let proxy = FaultProxy::start(upstream.addr(), plan).await.unwrap();
        let http = reqwest::Client::new();
        let mut out = Vec::new();
        for _ in 0..60 {
            let r = http.get(format!("{}/x", proxy.url())).send().await.unwrap();
            out.push(r.status().as_u16());
        }
        let injected = proxy.injected_total();
        let passed = out.iter().filter(|s| **s == 200).count() as u64;
        assert_eq!(injected + passed, 60);
        out
    }
    let a = statuses(5).await;
    assert_eq!(a, statuses(5).await);
    assert_ne!(a, statuses(6).await);
    // A 5xx is followed by more 5xx at least once in 60 requests at 30 %.
    assert!(a.windows(2).any(|w| w[0] >= 500 && w[1] >= 500), "{a:?}");
}

//! Scenarios over HTTP (server mode, reqwest): the documented rules the
//! issue names, and the documented rate-limit answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::im::chat::{DeleteChat, GetChat, UpdateChat};
use feishu_emulator::feishu_model::im::members::{AddMembers, IsInChat, ListMembers, MeJoin};
use feishu_emulator::feishu_model::{AppId, TenantKey};
use feishu_emulator::{ChatSeed, Fixture, UserSeed};
use futures::future::join_all;

#[tokio::test]
async fn joining_a_private_chat_is_refused_with_232008() {
    let (_emulator, server) = serve(None).await;
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    let err = client.call(MeJoin::new(PRIVATE_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232008), "{err}");
    assert_eq!(err.http_status(), Some(400));
    assert!(err.log_id().is_some());
    // A public chat can be joined, once or twice.
    client.call(MeJoin::new(PUBLIC_CHAT)).await.unwrap();
    client.call(MeJoin::new(PUBLIC_CHAT)).await.unwrap();
    let joined = client.call(IsInChat::new(PUBLIC_CHAT)).await.unwrap();
    assert_eq!(joined.is_in_chat, Some(true));
    // A public chat that needs approval cannot be joined through the API.
    let err = client.call(MeJoin::new(APPROVAL_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232075));
}

/// The default fixture plus `n` extra users of the main tenant and a chat
/// that already holds the first `members` of them.
fn crowded(n: usize, members: usize, tag: Option<&str>) -> (Fixture, String, Vec<String>) {
    let mut fixture = Fixture::default_seed().unwrap();
    let users: Vec<String> = (0..n).map(|i| format!("ou_c0ffee{i:026x}")).collect();
    for id in &users {
        fixture.users.push(UserSeed {
            open_id: id.clone(),
            union_id: None,
            user_id: None,
            name: format!("Crowd {id}"),
            tenant_key: TenantKey::from(MAIN_TENANT),
            apaas_user_id: None,
            resigned: false,
        });
    }
    let chat_id = "oc_c0ffee0000000000000000000000c0de".to_owned();
    fixture.chats.push(ChatSeed {
        chat_id: Some(chat_id.as_str().into()),
        tenant_key: TenantKey::from(MAIN_TENANT),
        name: Some("crowded".into()),
        owner: users[0].clone(),
        creator: Some(AppId::from(BOT)),
        users: users[..members].to_vec(),
        bots: vec![AppId::from(BOT)],
        chat_tag: tag.map(Into::into),
        ..ChatSeed::default()
    });
    (fixture, chat_id, users)
}

#[tokio::test]
async fn the_5001st_member_is_refused_with_232013() {
    let (fixture, chat, users) = crowded(5001, 4999, None);
    let (_emulator, server) = serve(Some(fixture)).await;
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    // The 5,000th member still fits.
    let added = client
        .call(AddMembers::new(chat.as_str(), [users[4999].as_str()]))
        .await
        .unwrap();
    assert_eq!(added.not_existed_id_list, Some(vec![]));
    let page = client.call(ListMembers::new(chat.as_str())).await.unwrap();
    assert_eq!(page.member_total, Some(5000));
    // The 5,001st does not, and nothing is added.
    let err = client
        .call(AddMembers::new(chat.as_str(), [users[5000].as_str()]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232013), "{err}");
    let page = client.call(ListMembers::new(chat.as_str())).await.unwrap();
    assert_eq!(page.member_total, Some(5000));
}

#[tokio::test]
async fn a_meeting_chat_holds_3000_members() {
    let (fixture, chat, users) = crowded(3001, 3000, Some("meeting"));
    let (_emulator, server) = serve(Some(fixture)).await;
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    let err = client
        .call(AddMembers::new(chat.as_str(), [users[3000].as_str()]))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232013));
}

#[tokio::test]
async fn a_disbanded_chat_answers_232009() {
    let (_emulator, server) = serve(None).await;
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    client.call(GetChat::new(MAIN_CHAT)).await.unwrap();
    client.call(DeleteChat::new(MAIN_CHAT)).await.unwrap();
    let err = client.call(GetChat::new(MAIN_CHAT)).await.unwrap_err();
    assert_eq!(err.code(), Some(232009), "{err}");
    let mut rename = UpdateChat::new(MAIN_CHAT);
    rename.body.name = Some("again".into());
    assert_eq!(client.call(rename).await.unwrap_err().code(), Some(232009));
    assert_eq!(
        client
            .call(DeleteChat::new(MAIN_CHAT))
            .await
            .unwrap_err()
            .code(),
        Some(232009)
    );
    // Only the owner or the creating bot may disband.
    let helper = http_client(&server.url(), HELPER, HELPER_SECRET)
        .build()
        .unwrap();
    let err = helper
        .call(DeleteChat::new(PRIVATE_CHAT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(232017));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_calls_in_a_second_meet_the_documented_rate_limit_answer() {
    let (emulator, server) = serve(None).await;
    let client = http_client(&server.url(), BOT, BOT_SECRET)
        .rate_limiting(false)
        .build()
        .unwrap();
    // Fetch the token first, so that all 60 calls go out at once.
    client.call(IsInChat::new(MAIN_CHAT)).await.unwrap();
    let calls = (0..60).map(|_| client.call(GetChat::new(MAIN_CHAT)).send());
    let results = join_all(calls).await;
    let ok = results.iter().filter(|r| r.is_ok()).count();
    let limited: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert!(
        ok >= 50,
        "the first 50 calls of a window are admitted, got {ok}"
    );
    assert!(
        !limited.is_empty(),
        "60 calls in one second must meet the limit"
    );
    for err in &limited {
        assert_eq!(err.code(), Some(99991400), "{err}");
        assert_eq!(err.http_status(), Some(429));
        assert!(err.is_rate_limited() && err.is_retryable());
        let wait = err.retry_after().expect("x-ogw-ratelimit-reset");
        assert!(wait.as_secs() >= 1 && wait.as_secs() <= 60, "{wait:?}");
    }
    assert_eq!(emulator.stats().rate_limited as usize, limited.len());

    // The raw answer: status, body and both documented headers.
    let http = reqwest::Client::new();
    let token = http_tenant_token(&server.url(), BOT, BOT_SECRET).await;
    let mut saw_limit = false;
    for _ in 0..60 {
        let response = http
            .get(format!(
                "{}/open-apis/im/v1/chats/{MAIN_CHAT}",
                server.url()
            ))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            let headers = response.headers().clone();
            assert_eq!(headers["x-ogw-ratelimit-limit"], "50");
            let reset: u64 = headers["x-ogw-ratelimit-reset"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&reset));
            let body: serde_json::Value = response.json().await.unwrap();
            assert_eq!(body["code"], 99991400);
            assert_eq!(body["msg"], "request trigger frequency limit");
            saw_limit = true;
            break;
        }
    }
    assert!(saw_limit);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdk_limiter_keeps_sixty_calls_under_the_limit() {
    let (emulator, server) = serve(None).await;
    // Rate limiting is on by default; retries are off, so any 429 would fail a call.
    let client = http_client(&server.url(), BOT, BOT_SECRET).build().unwrap();
    client.call(IsInChat::new(MAIN_CHAT)).await.unwrap();
    let calls = (0..60).map(|_| client.call(GetChat::new(MAIN_CHAT)).send());
    let results = join_all(calls).await;
    for r in &results {
        assert!(r.is_ok(), "{:?}", r.as_ref().err());
    }
    assert_eq!(emulator.stats().rate_limited, 0);
}

//! Behaviour of the group services over real sockets and scripted transports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use feishu_group::Group;
use feishu_model::im::chat::CreateChatBody;
use feishu_model::{MemberIdType, UserIdType};
use feishu_transport::{
    Client, Error, HttpRequest, HttpResponse, RetryPolicy, ScriptedTransport, Transport,
    TransportError,
};
use futures::StreamExt;
use httpmock::prelude::*;
use serde_json::{json, Value};

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";

fn http_group(server: &MockServer) -> Group {
    let client = Client::builder()
        .base_url(server.base_url())
        .static_tenant_token("t-test")
        .rate_limiting(false)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    Group::new(&client)
}

/// A group over a scripted transport with a static tenant token.
fn scripted_group() -> (Arc<ScriptedTransport>, Group) {
    let t = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .static_tenant_token("t")
        .transport(t.clone())
        .build()
        .unwrap();
    (t, Group::new(&client))
}

fn page(names: &[&str], next: Option<&str>) -> Value {
    let items: Vec<Value> = names
        .iter()
        .map(|n| json!({"chat_id": format!("oc_{n}"), "name": n}))
        .collect();
    let mut data = json!({"items": items, "has_more": next.is_some()});
    if let Some(token) = next {
        data["page_token"] = json!(token);
    }
    json!({"code": 0, "msg": "success", "data": data})
}

fn no_page_token(req: &HttpMockRequest) -> bool {
    !req.query_params
        .as_ref()
        .is_some_and(|q| q.iter().any(|(k, _)| k == "page_token"))
}

#[tokio::test]
async fn chat_list_stream_yields_three_pages_in_order() {
    let server = MockServer::start_async().await;
    let first = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/chats")
                .query_param("page_size", "2")
                .matches(no_page_token);
            then.status(200).json_body(page(&["a", "b"], Some("p2")));
        })
        .await;
    let second = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/chats")
                .query_param("page_token", "p2");
            then.status(200).json_body(page(&["c", "d"], Some("p3")));
        })
        .await;
    let third = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/chats")
                .query_param("page_token", "p3");
            then.status(200).json_body(page(&["e"], None));
        })
        .await;
    let group = http_group(&server);
    let names: Vec<String> = group
        .chats()
        .list()
        .page_size(2)
        .stream()
        .map(|item| item.unwrap().name.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(names, ["a", "b", "c", "d", "e"]);
    first.assert_hits_async(1).await;
    second.assert_hits_async(1).await;
    third.assert_hits_async(1).await;
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_and_ends_the_stream() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/chats")
                .matches(no_page_token);
            then.status(200).json_body(page(&["a", "b"], Some("p2")));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/open-apis/im/v1/chats").query_param("page_token", "p2");
            then.status(400)
                .header("x-tt-logid", "LOG-P2")
                .json_body(json!({"code": 232010, "msg": "Operator and chat can NOT be in different tenants."}));
        })
        .await;
    let group = http_group(&server);
    let results: Vec<Result<_, Error>> = group.chats().list().stream().collect().await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[1].as_ref().unwrap().name.as_deref(), Some("b"));
    let err = results[2].as_ref().unwrap_err();
    assert_eq!(err.code(), Some(232010));
    assert_eq!(err.log_id(), Some("LOG-P2"));
}

#[tokio::test]
async fn a_repeated_page_token_stops_with_an_error() {
    let (t, group) = scripted_group();
    t.push_json(200, &page(&["a"], Some("same")));
    t.push_json(200, &page(&["b"], Some("same")));
    t.push_json(200, &page(&["c"], Some("never")));
    let results: Vec<_> = group.chats().search("ops").pages().collect().await;
    // The page carrying the repeated token is valid: it is yielded, then the error.
    assert_eq!(results.len(), 3);
    assert_eq!(
        results[1].as_ref().unwrap().items.as_ref().unwrap()[0]
            .name
            .as_deref(),
        Some("b")
    );
    assert!(
        matches!(results[2], Err(Error::Pagination { .. })),
        "{:?}",
        results[2]
    );
    assert_eq!(t.requests().len(), 2);
    assert!(t.requests()[0].url().contains("query=ops"));
}

#[tokio::test]
async fn has_more_without_a_token_yields_the_page_then_the_error() {
    let (t, group) = scripted_group();
    let mut broken = page(&["a", "b"], None);
    broken["data"]["has_more"] = json!(true);
    t.push_json(200, &broken);
    let items: Vec<_> = group.chats().list().stream().collect().await;
    assert_eq!(items.len(), 3, "two items, then the error");
    assert_eq!(items[1].as_ref().unwrap().name.as_deref(), Some("b"));
    assert!(matches!(items[2], Err(Error::Pagination { .. })));
}

#[tokio::test]
async fn the_starting_page_token_counts_as_seen() {
    let (t, group) = scripted_group();
    t.push_json(200, &page(&["a"], Some("p1")));
    let results: Vec<_> = group
        .chats()
        .list()
        .configure(|e| e.query.page.page_token = Some("p1".into()))
        .pages()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(Error::Pagination { .. })));
    assert_eq!(t.requests()[0].query("page_token").as_deref(), Some("p1"));
}

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:03}")).collect()
}

#[tokio::test]
async fn adding_120_members_makes_3_calls_and_merges_the_id_lists() {
    let server = MockServer::start_async().await;
    let all = ids("ou_", 120);
    let mut mocks = Vec::new();
    for (i, chunk) in all.chunks(50).enumerate() {
        let body = json!({"id_list": chunk});
        let answer = json!({"code": 0, "msg": "success", "data": {
            "invalid_id_list": [format!("ou_invalid_{i}")],
            "not_existed_id_list": [format!("ou_missing_{i}")],
            "pending_approval_id_list": []
        }});
        mocks.push(
            server
                .mock_async(|when, then| {
                    when.method(POST)
                        .path(format!("/open-apis/im/v1/chats/{CHAT}/members"))
                        .query_param("member_id_type", "open_id")
                        .json_body(body);
                    then.status(200).json_body(answer);
                })
                .await,
        );
    }
    let group = http_group(&server);
    let add = group
        .members(CHAT)
        .add(all.iter().map(String::as_str))
        .member_id_type(MemberIdType::OpenId);
    assert_eq!(add.calls_needed(), 3);
    let out = add.await.unwrap();
    for mock in &mocks {
        mock.assert_hits_async(1).await;
    }
    let strings = |v: Option<Vec<feishu_model::MemberId>>| -> Vec<String> {
        v.unwrap_or_default().into_iter().map(|id| id.0).collect()
    };
    assert_eq!(
        strings(out.invalid_id_list),
        ["ou_invalid_0", "ou_invalid_1", "ou_invalid_2"]
    );
    assert_eq!(
        strings(out.not_existed_id_list),
        ["ou_missing_0", "ou_missing_1", "ou_missing_2"]
    );
    assert_eq!(strings(out.pending_approval_id_list), Vec::<String>::new());
}

#[tokio::test]
async fn bots_are_added_five_per_call() {
    let (t, group) = scripted_group();
    for _ in 0..2 {
        t.push_json(200, &json!({"code": 0, "msg": "success", "data": {}}));
    }
    group
        .members(CHAT)
        .add(ids("cli_", 7).iter().map(String::as_str))
        .member_id_type(MemberIdType::AppId)
        .await
        .unwrap();
    let sizes: Vec<usize> = t
        .requests()
        .iter()
        .map(|r| {
            let body: Value = r.json().unwrap();
            body["id_list"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes, [5, 2]);
}

/// A transport that answers after a delay and records, per chat, how many
/// member writes were in flight at once.
#[derive(Debug, Default)]
struct InFlight {
    now: Mutex<HashMap<String, usize>>,
    peak: Mutex<HashMap<String, usize>>,
    overall_peak: Mutex<usize>,
}

#[async_trait]
impl Transport for InFlight {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let chat = request
            .uri()
            .path()
            .split("/chats/")
            .nth(1)
            .unwrap_or("")
            .split('/')
            .next()
            .unwrap_or("")
            .to_owned();
        {
            let mut now = self.now.lock().unwrap();
            let n = now.entry(chat.clone()).or_default();
            *n += 1;
            let mut peak = self.peak.lock().unwrap();
            let p = peak.entry(chat.clone()).or_default();
            *p = (*p).max(*n);
            let total: usize = now.values().sum();
            let mut overall = self.overall_peak.lock().unwrap();
            *overall = (*overall).max(total);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        *self.now.lock().unwrap().get_mut(&chat).unwrap() -= 1;
        Ok(feishu_transport::replay::canned(
            200,
            r#"{"code":0,"msg":"success","data":{}}"#,
            &[],
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_writes_to_one_chat_are_serialized_other_chats_run_in_parallel() {
    let transport = Arc::new(InFlight::default());
    let client = Client::builder()
        .static_tenant_token("t")
        .transport(transport.clone())
        .rate_limiting(false)
        .build()
        .unwrap();
    let group = Group::new(&client);
    let mut tasks = Vec::new();
    for chat in ["oc_one", "oc_two"] {
        for i in 0..4 {
            let group = group.clone();
            tasks.push(tokio::spawn(async move {
                if i % 2 == 0 {
                    group
                        .members(chat)
                        .add([format!("ou_{i}")])
                        .await
                        .map(|_| ())
                } else {
                    group
                        .members(chat)
                        .remove([format!("ou_{i}")])
                        .await
                        .map(|_| ())
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let peak = transport.peak.lock().unwrap().clone();
    assert_eq!(peak.get("oc_one"), Some(&1));
    assert_eq!(peak.get("oc_two"), Some(&1));
    assert_eq!(
        *transport.overall_peak.lock().unwrap(),
        2,
        "the two chats overlapped"
    );
}

#[tokio::test(start_paused = true)]
async fn chat_create_carries_one_uuid_across_retries() {
    let (t, group) = scripted_group();
    t.push(feishu_transport::replay::canned(
        500,
        "upstream hiccup",
        &[],
    ));
    t.push_json(
        200,
        &json!({"code": 0, "msg": "success", "data": {"chat_id": "oc_new"}}),
    );
    let body = CreateChatBody {
        name: Some("incident-42".into()),
        ..CreateChatBody::default()
    };
    let created = group
        .chats()
        .create(body)
        .user_id_type(UserIdType::OpenId)
        .await
        .unwrap();
    assert_eq!(created.chat_id.as_str(), "oc_new");
    let reqs = t.requests();
    assert_eq!(reqs.len(), 2, "a POST with an idempotency key is retried");
    let uuid = |r: &feishu_transport::replay::RecordedRequest| r.query("uuid").unwrap();
    assert_eq!(uuid(&reqs[0]), uuid(&reqs[1]));
    assert_eq!(uuid(&reqs[0]).len(), 36);
}

#[tokio::test]
async fn tenant_only_create_refuses_a_user_token_before_sending() {
    let (t, group) = scripted_group();
    let err = group
        .chats()
        .create(CreateChatBody::default())
        .user_access_token("u-someone")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected { .. }), "{err:?}");
    assert!(err.to_string().contains("tenant_access_token"), "{err}");
    assert!(t.requests().is_empty());
}

#[tokio::test]
async fn a_rule_broken_locally_names_the_field_and_sends_nothing() {
    let (t, group) = scripted_group();
    let err = group.chats().list().page_size(500).await.unwrap_err();
    assert!(err.to_string().contains("page_size"), "{err}");
    assert!(t.requests().is_empty());
}

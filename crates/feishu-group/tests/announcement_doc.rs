//! The upgraded announcement service over a scripted transport.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::sync::Arc;

use feishu_group::blocks::{self, run};
use feishu_group::docx::BlockType;
use feishu_group::{Group, Revision};
use feishu_transport::{Client, ScriptedTransport};
use futures::StreamExt;
use serde_json::{json, Value};

const CHAT: &str = "oc_5ad11d72b830411d72b836c20";

fn scripted_group() -> (Arc<ScriptedTransport>, Group) {
    let t = Arc::new(ScriptedTransport::new());
    let client = Client::builder()
        .static_tenant_token("t")
        .transport(t.clone())
        .build()
        .unwrap();
    (t, Group::new(&client))
}

fn block_page(ids: &[&str], next: Option<&str>) -> Value {
    let items: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({"block_id": id, "parent_id": CHAT, "block_type": 2,
            "text": {"elements": [{"text_run": {"content": format!("line {id}")}}]}})
        })
        .collect();
    let mut data = json!({"items": items, "has_more": next.is_some()});
    if let Some(token) = next {
        data["page_token"] = json!(token);
    }
    json!({"code": 0, "msg": "success", "data": data})
}

fn query_of(url: &str) -> Vec<(String, String)> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

#[tokio::test]
async fn blocks_stream_over_three_pages() {
    let (t, group) = scripted_group();
    t.push_json(200, &block_page(&["b1", "b2"], Some("p2")));
    t.push_json(200, &block_page(&["b3"], Some("p3")));
    t.push_json(200, &block_page(&["b4", "b5"], None));
    let doc = group.announcement_doc(CHAT);
    let blocks: Vec<_> = doc
        .blocks()
        .page_size(2)
        .stream()
        .map(|b| b.unwrap())
        .collect()
        .await;
    let ids: Vec<_> = blocks.iter().map(|b| b.block_id.clone().unwrap()).collect();
    assert_eq!(ids, ["b1", "b2", "b3", "b4", "b5"]);
    assert_eq!(blocks[2].text_payload().unwrap().plain(), "line b3");
    let requests = t.requests();
    assert_eq!(requests.len(), 3);
    assert!(requests[0]
        .url()
        .contains("/open-apis/docx/v1/chats/oc_5ad11d72b830411d72b836c20/announcement/blocks?"));
    assert!(!query_of(&requests[0].url())
        .iter()
        .any(|(k, _)| k == "page_token"));
    assert!(query_of(&requests[1].url()).contains(&("page_token".into(), "p2".into())));
    assert!(query_of(&requests[2].url()).contains(&("page_token".into(), "p3".into())));
    assert!(query_of(&requests[2].url()).contains(&("page_size".into(), "2".into())));
}

#[tokio::test]
async fn children_stream_addresses_the_block() {
    let (t, group) = scripted_group();
    t.push_json(200, &block_page(&["c1"], None));
    let doc = group.announcement_doc(CHAT);
    let got: Vec<_> = doc.children("blk_1").stream().collect().await;
    assert_eq!(got.len(), 1);
    assert!(t.requests()[0]
        .url()
        .contains("/announcement/blocks/blk_1/children"));
}

#[tokio::test]
async fn writes_carry_a_generated_client_token_and_the_revision() {
    let (t, group) = scripted_group();
    let ok = json!({"code": 0, "msg": "success", "data": {"revision_id": 4, "client_token": "x"}});
    for _ in 0..4 {
        t.push_json(200, &ok);
    }
    let doc = group.announcement_doc(CHAT);
    let root = doc.root().to_owned();
    let out = doc
        .append(
            &root,
            [
                blocks::heading(2, ["Incident"]),
                blocks::bullet([run("one").bold()]),
            ],
        )
        .revision(3)
        .await
        .unwrap();
    assert_eq!(out.revision(), Some(4));
    doc.append(&root, [blocks::divider()]).await.unwrap();
    doc.delete_children(&root, 0..1)
        .client_token("mine")
        .await
        .unwrap();
    doc.update([feishu_group::docx::UpdateBlockRequest::text_elements(
        "b1",
        [run("new").into()],
    )])
    .await
    .unwrap();
    let requests = t.requests();
    let q0 = query_of(&requests[0].url());
    let q1 = query_of(&requests[1].url());
    let token = |q: &[(String, String)]| {
        q.iter()
            .find(|(k, _)| k == "client_token")
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    assert_eq!(token(&q0).len(), 36, "a uuid");
    assert_ne!(token(&q0), token(&q1), "one token per write");
    assert!(q0.contains(&("revision_id".into(), "3".into())));
    assert!(!q1.iter().any(|(k, _)| k == "revision_id"));
    assert_eq!(token(&query_of(&requests[2].url())), "mine");
    assert_eq!(requests[2].method.as_str(), "DELETE");
    let body: Value = requests[0].json().unwrap();
    assert_eq!(
        body["children"][0]["block_type"],
        json!(BlockType::Heading2.as_i64())
    );
    assert_eq!(
        body["children"][1]["bullet"]["elements"][0]["text_run"]["text_element_style"]["bold"],
        json!(true)
    );
    assert_eq!(requests[3].method.as_str(), "PATCH");
}

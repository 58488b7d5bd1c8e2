//! What the official SDKs depend on at the wire level: canonical header
//! capitalisation and every client spelling of a boolean query value.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn raw_exchange(addr: std::net::SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).await.unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[tokio::test]
async fn response_header_names_are_title_cased() {
    let (_emulator, server) = serve(None).await;
    let answer = raw_exchange(
        server.addr(),
        "GET /open-apis/im/v1/chats/oc_x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .await;
    let head = answer.split("\r\n\r\n").next().unwrap();
    assert!(head.contains("\r\nX-Tt-Logid: "), "{head}");
    assert!(
        head.contains("\r\nContent-Type: application/json"),
        "{head}"
    );
    assert!(!head.contains("x-tt-logid"), "{head}");
}

#[tokio::test]
async fn boolean_query_values_in_every_client_spelling() {
    let (emulator, server) = serve(None).await;
    let token = tenant_token(&emulator, BOT, BOT_SECRET);
    let http = reqwest::Client::new();
    for (n, spelling) in ["true", "True", "TRUE", "1", "t", "false", "False", "0", "f"]
        .iter()
        .enumerate()
    {
        let response = http
            .post(format!(
                "{}/open-apis/im/v1/chats?set_bot_manager={spelling}&uuid=wire-{n}",
                server.url()
            ))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": format!("bool {spelling}"), "owner_id": ZHANG_SAN}))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], 0, "{spelling}: {body}");
    }
    let bad = http
        .post(format!(
            "{}/open-apis/im/v1/chats?set_bot_manager=yes",
            server.url()
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({"name": "bool yes"}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["code"], 232001, "{body}");
    assert_eq!(
        body["error"]["field_violations"][0]["field"], "set_bot_manager",
        "{body}"
    );
}

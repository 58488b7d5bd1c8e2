//! Downloads may be larger than a JSON answer: the default transport reads
//! a file's bytes up to the documented 100 MB, while any other answer keeps
//! the 4 MiB limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use std::sync::Arc;

use common::*;
use feishu_model::im::message::resource::{GetMessageResource, ResourceType};
use feishu_transport::{
    Error, ReqwestTransport, RetryPolicy, TransportErrorKind, DEFAULT_MAX_DOWNLOAD_BYTES,
    DEFAULT_MAX_RESPONSE_BYTES,
};
use httpmock::prelude::*;

const MB: usize = 1024 * 1024;

fn client(url: String) -> feishu_transport::Client {
    static_client(Arc::new(ReqwestTransport::new().unwrap()))
        .base_url(url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_20_mb_file_downloads_through_the_client() {
    assert_eq!(DEFAULT_MAX_DOWNLOAD_BYTES, 100 * MB);
    let body: Vec<u8> = (0..20 * MB).map(|i| (i % 251) as u8).collect();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/open-apis/im/v1/messages/om_1/resources/file_v2_big")
                .query_param("type", "file");
            then.status(200)
                .header("content-type", "application/octet-stream")
                .header("content-disposition", "attachment; filename=\"dump.bin\"")
                .body(body.clone());
        })
        .await;
    let file = client(server.base_url())
        .call(GetMessageResource::new(
            "om_1",
            "file_v2_big",
            ResourceType::File,
        ))
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(file.bytes.len(), 20 * MB);
    assert!(file.bytes == body, "the bytes arrive unchanged");
    assert_eq!(file.file_name.as_deref(), Some("dump.bin"));
    assert_eq!(
        file.content_type.as_deref(),
        Some("application/octet-stream")
    );
}

#[tokio::test]
async fn a_5_mb_json_answer_is_still_refused_once() {
    let big = format!(
        r#"{{"code":0,"msg":"ok","data":{{"name":"{}"}}}}"#,
        "x".repeat(5 * MB)
    );
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/open-apis/test/v1/things/a");
            then.status(200)
                .header("content-type", "application/json; charset=utf-8")
                .body(big.clone());
        })
        .await;
    // A retrying client: the refusal is not retried (the same body would
    // come back).
    let client = static_client(Arc::new(ReqwestTransport::new().unwrap()))
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = client.call(get_thing("a")).await.unwrap_err();
    let Error::Transport { source, .. } = &err else {
        panic!("not a transport error: {err}");
    };
    assert_eq!(source.kind, TransportErrorKind::BodyTooLarge);
    assert!(
        source
            .message
            .contains(&format!("limit of {DEFAULT_MAX_RESPONSE_BYTES} bytes")),
        "{err}"
    );
    assert!(!err.is_retryable());
    assert_eq!(mock.hits_async().await, 1);
}

#[tokio::test]
async fn a_download_past_its_own_limit_is_refused() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET);
            then.status(200)
                .header("content-type", "image/png")
                .body(vec![7u8; 2 * MB]);
        })
        .await;
    let client = static_client(Arc::new(
        ReqwestTransport::new()
            .unwrap()
            .with_max_download_bytes(MB)
            .with_max_response_bytes(16 * MB),
    ))
    .base_url(server.base_url())
    .retry_policy(RetryPolicy::never())
    .build()
    .unwrap();
    let err = client
        .call(GetMessageResource::new(
            "om_1",
            "img_1",
            ResourceType::Image,
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport { source, .. } if source.kind == TransportErrorKind::BodyTooLarge),
        "{err}"
    );
}

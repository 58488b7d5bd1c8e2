//! A file larger than a JSON answer downloads through the default
//! transport.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::time::Duration;

use feishu_message::Message;
use feishu_transport::{Client, RetryPolicy};
use httpmock::prelude::*;

#[tokio::test]
async fn a_30_mb_file_downloads() {
    const SIZE: usize = 30 * 1024 * 1024;
    let body: Vec<u8> = (0..SIZE).map(|i| (i % 253) as u8).collect();
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/open-apis/im/v1/files/file_v3_big");
            then.status(200)
                .header("content-type", "application/pdf")
                .header(
                    "content-disposition",
                    "attachment; filename=\"postmortem.pdf\"",
                )
                .body(body.clone());
        })
        .await;
    let client = Client::builder()
        .base_url(server.base_url())
        .static_tenant_token("t-test")
        .rate_limiting(false)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let file = Message::new(&client)
        .files()
        .download("file_v3_big")
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(file.bytes.len(), SIZE);
    assert!(file.bytes == body);
    assert_eq!(file.file_name.as_deref(), Some("postmortem.pdf"));
}

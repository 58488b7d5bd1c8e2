//! A first call with no credentials and no network: a loopback server stands
//! in for Feishu, and the client goes through its whole pipeline (token,
//! rate limiter, retries, decoding) against it.
//!
//! Run: `cargo run -p feishu-transport --features test-util --example first_call`

use feishu_model::auth::AppTicketResend;
use feishu_transport::{Client, LocalServer};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = LocalServer::start(200, r#"{"code":0,"msg":"success"}"#).await?;
    let client = Client::builder()
        .base_url(server.url())
        .static_tenant_token("t-local")
        .build()?;
    let response = client
        .call(AppTicketResend::new("cli_local", "local-secret"))
        .send_full()
        .await?;
    println!(
        "app_ticket resend answered HTTP {} (x-tt-logid {}), {} request(s) over {} connection(s)",
        response.status,
        response.log_id.as_deref().unwrap_or("-"),
        server.requests(),
        server.connections()
    );
    println!("client: {client:?}");
    Ok(())
}

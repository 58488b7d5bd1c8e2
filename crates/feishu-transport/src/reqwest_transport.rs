//! The default [`Transport`]: one pooled `reqwest::Client` with rustls,
//! timeouts, and HTTP(S) proxies taken from the environment.

use std::time::Duration;

use async_trait::async_trait;

use crate::http::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole exchange.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`Transport`] over reqwest. Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
}

impl ReqwestTransport {
    /// A transport with the default timeouts.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }

    /// A transport with the given connect and overall timeouts.
    pub fn with_timeouts(connect: Duration, overall: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect)
            .timeout(overall)
            .pool_idle_timeout(Duration::from_secs(90))
            .user_agent(concat!("feishu-rs/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TransportError::new(TransportErrorKind::Other, e.to_string()))?;
        Ok(ReqwestTransport { client })
    }

    /// Wraps an existing reqwest client (your own pool, proxy or TLS setup).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

fn method(m: feishu_model::Method) -> reqwest::Method {
    match m {
        feishu_model::Method::Get => reqwest::Method::GET,
        feishu_model::Method::Post => reqwest::Method::POST,
        feishu_model::Method::Put => reqwest::Method::PUT,
        feishu_model::Method::Patch => reqwest::Method::PATCH,
        feishu_model::Method::Delete => reqwest::Method::DELETE,
    }
}

fn classify(e: &reqwest::Error) -> TransportErrorKind {
    if e.is_timeout() {
        TransportErrorKind::Timeout
    } else if e.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    }
}

fn failure(e: reqwest::Error) -> TransportError {
    TransportError::new(classify(&e), e.without_url().to_string())
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut builder = self.client.request(method(request.method), &request.url);
        for (name, value) in &request.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        if let Some(body) = request.body {
            builder = builder.body(body);
        }
        let response = builder.send().await.map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        let body = response.bytes().await.map_err(failure)?;
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
}

//! The default [`Transport`]: one pooled `reqwest::Client` with rustls,
//! timeouts, and HTTP(S) proxies taken from the environment.

use std::time::Duration;

use async_trait::async_trait;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

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
            .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
        Ok(ReqwestTransport { client })
    }

    /// Wraps an existing reqwest client (your own pool, proxy or TLS setup).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport { client }
    }
}

/// The kind of a reqwest failure. A connect timeout is a connect failure:
/// the server never saw the request.
fn classify(e: &reqwest::Error) -> TransportErrorKind {
    if e.is_connect() {
        TransportErrorKind::Connect
    } else if e.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Other
    }
}

/// Keeps reqwest's error as the source; the URL (which may carry query
/// values) is dropped from it.
fn failure(e: reqwest::Error) -> TransportError {
    TransportError::with_source(classify(&e), e.without_url())
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let request = reqwest::Request::try_from(request).map_err(failure)?;
        let mut response = self.client.execute(request).await.map_err(failure)?;
        let status = response.status();
        let version = response.version();
        let headers = std::mem::take(response.headers_mut());
        let body = response.bytes().await.map_err(failure)?;
        let mut out = http::Response::new(body);
        *out.status_mut() = status;
        *out.version_mut() = version;
        *out.headers_mut() = headers;
        Ok(out)
    }
}

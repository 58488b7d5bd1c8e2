//! The default [`Transport`]: one pooled `reqwest::Client` with rustls,
//! timeouts, and HTTP(S) proxies taken from the environment.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole exchange.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body read by default: 4 MiB. Feishu's answers
/// are far smaller; a larger one is refused while it is read, before it
/// costs memory and decoding time.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A [`Transport`] over reqwest. Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
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
        Ok(ReqwestTransport::from_client(client))
    }

    /// Wraps an existing reqwest client (your own pool, proxy or TLS setup).
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_body: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }

    /// The largest response body to read (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger one is a transport error.
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
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

fn too_large(max: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::Other,
        format!("the response body is larger than the limit of {max} bytes"),
    )
}

/// Reads the body, refusing it as soon as it passes `max` bytes. A body that
/// arrives in one chunk is returned without a copy.
async fn read_body(response: &mut reqwest::Response, max: usize) -> Result<Bytes, TransportError> {
    let declared = response.content_length();
    if declared.is_some_and(|n| n > max as u64) {
        return Err(too_large(max));
    }
    let Some(first) = response.chunk().await.map_err(failure)? else {
        return Ok(Bytes::new());
    };
    if first.len() > max {
        return Err(too_large(max));
    }
    if declared == Some(first.len() as u64) {
        return Ok(first);
    }
    let mut body = BytesMut::with_capacity(declared.map_or(first.len() * 2, |n| n as usize));
    body.extend_from_slice(&first);
    while let Some(chunk) = response.chunk().await.map_err(failure)? {
        if body.len() + chunk.len() > max {
            return Err(too_large(max));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

impl Transport for ReqwestTransport {
    // Written out rather than through `#[async_trait]`: the request is
    // converted and handed to reqwest before the future is boxed, so the
    // pending exchange does not also carry the request it was made from.
    fn send<'a, 'b>(
        &'a self,
        request: HttpRequest,
    ) -> Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'b>>
    where
        'a: 'b,
        Self: 'b,
    {
        let pending = reqwest::Request::try_from(request).map(|r| self.client.execute(r));
        let max_body = self.max_body;
        Box::pin(async move {
            let mut response = pending.map_err(failure)?.await.map_err(failure)?;
            let status = response.status();
            let version = response.version();
            let headers = std::mem::take(response.headers_mut());
            let body = read_body(&mut response, max_body).await?;
            let mut out = http::Response::new(body);
            *out.status_mut() = status;
            *out.version_mut() = version;
            *out.headers_mut() = headers;
            Ok(out)
        })
    }
}

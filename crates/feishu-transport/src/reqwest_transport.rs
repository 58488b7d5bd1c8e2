//! The default [`Transport`]: one pooled `reqwest::Client` with rustls,
//! timeouts, and HTTP(S) proxies taken from the environment.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::{Bytes, BytesMut};

use crate::transport::{
    ExpectDownload, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind, Uri,
};
use crate::watchdog;

/// The `User-Agent` of the default transport.
const USER_AGENT: &str = concat!("feishu-rs/", env!("CARGO_PKG_VERSION"));

/// Default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time for a whole exchange (request sent, response read). It is
/// enforced to within a quarter second by a shared clock rather than by a
/// timer per request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// The largest response body read by default: 4 MiB. Feishu's answers
/// are far smaller; a larger one is refused while it is read, before it
/// costs memory and decoding time.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// The largest body of a download (a request marked [`ExpectDownload`]) read by
/// default: 100 MB, the most the file and message-resource download pages
/// allow (a larger resource is refused by the server with 234037).
pub const DEFAULT_MAX_DOWNLOAD_BYTES: usize = 100 * 1024 * 1024;

/// A [`Transport`] over reqwest. Clones share the connection pool.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
    max_download: usize,
    overall: Option<Duration>,
    origin: Arc<OnceLock<Origin>>,
}

/// The first origin (scheme and authority) requests went to, parsed once:
/// a request to it gets its URL from this one with the path and query
/// replaced, rather than by parsing the whole URL again (host parsing and
/// IDNA processing are most of the cost of a parse).
#[derive(Debug)]
struct Origin {
    scheme: String,
    authority: String,
    base: reqwest::Url,
}

impl Origin {
    fn of(uri: &Uri) -> Option<Origin> {
        let (scheme, authority) = (uri.scheme_str()?, uri.authority()?.as_str());
        let base = reqwest::Url::parse(&format!("{scheme}://{authority}/")).ok()?;
        Some(Origin {
            scheme: scheme.to_owned(),
            authority: authority.to_owned(),
            base,
        })
    }

    /// The URL of `uri` when it goes to this origin.
    fn url(&self, uri: &Uri) -> Option<reqwest::Url> {
        let same = uri.scheme_str() == Some(self.scheme.as_str())
            && uri.authority().map(|a| a.as_str()) == Some(self.authority.as_str());
        if !same {
            return None;
        }
        let mut url = self.base.clone();
        url.set_path(uri.path());
        url.set_query(uri.query());
        Some(url)
    }
}

impl ReqwestTransport {
    /// A transport with the default timeouts.
    pub fn new() -> Result<Self, TransportError> {
        Self::with_timeouts(DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT)
    }

    /// A transport with the given connect and overall timeouts. The overall
    /// one bounds each exchange to within a quarter second, without a timer
    /// per request (see [`DEFAULT_TIMEOUT`]).
    pub fn with_timeouts(connect: Duration, overall: Duration) -> Result<Self, TransportError> {
        let client = reqwest::Client::builder()
            .connect_timeout(connect)
            .pool_idle_timeout(Duration::from_secs(90))
            // A static value: every request copies the header by reference
            // rather than through a shared, counted buffer.
            .user_agent(http::HeaderValue::from_static(USER_AGENT))
            .build()
            .map_err(|e| TransportError::with_source(TransportErrorKind::Other, e))?;
        Ok(ReqwestTransport::from_client(client).with_overall_timeout(Some(overall)))
    }

    /// Wraps an existing reqwest client (your own pool, proxy or TLS setup).
    /// Its own timeouts apply; this transport adds none.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_body: DEFAULT_MAX_RESPONSE_BYTES,
            max_download: DEFAULT_MAX_DOWNLOAD_BYTES,
            overall: None,
            origin: Arc::new(OnceLock::new()),
        }
    }

    /// The time limit of each exchange, from the request to the last byte of
    /// the response (`None`: no limit). A late exchange fails with
    /// [`TransportErrorKind::Timeout`].
    pub fn with_overall_timeout(mut self, limit: Option<Duration>) -> Self {
        self.overall = limit;
        self
    }

    /// The largest response body to read (default
    /// [`DEFAULT_MAX_RESPONSE_BYTES`]); a larger one is a transport error
    /// of kind [`TransportErrorKind::BodyTooLarge`]. Downloads have their
    /// own limit ([`ReqwestTransport::with_max_download_bytes`]).
    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The largest body of a download (a request marked [`ExpectDownload`]) to
    /// read (default [`DEFAULT_MAX_DOWNLOAD_BYTES`]); a larger one is a
    /// transport error of kind [`TransportErrorKind::BodyTooLarge`].
    pub fn with_max_download_bytes(mut self, bytes: usize) -> Self {
        self.max_download = bytes;
        self
    }
}

impl ReqwestTransport {
    /// reqwest's request for `request`: by the origin's parsed URL when it
    /// goes there and carries no extensions, else by reqwest's conversion.
    fn convert(&self, request: HttpRequest) -> Result<reqwest::Request, reqwest::Error> {
        let (mut parts, body) = request.into_parts();
        // The mark is read by `send`; reqwest has no use for it.
        parts.extensions.remove::<ExpectDownload>();
        if parts.extensions.is_empty() {
            let origin = match self.origin.get() {
                Some(origin) => Some(origin),
                None => Origin::of(&parts.uri).map(|o| self.origin.get_or_init(|| o)),
            };
            if let Some(url) = origin.and_then(|o| o.url(&parts.uri)) {
                let mut converted = reqwest::Request::new(parts.method, url);
                *converted.headers_mut() = parts.headers;
                *converted.version_mut() = parts.version;
                *converted.body_mut() = Some(body.into());
                return Ok(converted);
            }
        }
        reqwest::Request::try_from(http::Request::from_parts(parts, body))
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

fn late(limit: Duration) -> TransportError {
    TransportError::new(
        TransportErrorKind::Timeout,
        format!("no complete response within {limit:?}"),
    )
}

fn too_large(max: usize) -> TransportError {
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
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
        let max_body = if request.extensions().get::<ExpectDownload>().is_some() {
            self.max_download
        } else {
            self.max_body
        };
        let pending = self.convert(request).map(|r| self.client.execute(r));
        let overall = self.overall;
        Box::pin(async move {
            let exchange = std::pin::pin!(async move {
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
            });
            match overall {
                None => exchange.await,
                Some(limit) => watchdog::limit(limit, exchange)
                    .await
                    .unwrap_or_else(|| Err(late(limit))),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    fn uri(text: &str) -> Uri {
        text.parse().unwrap()
    }

    #[rstest]
    #[case::plain("https://open.feishu.cn/open-apis/im/v1/chats/oc_1")]
    #[case::query("https://open.feishu.cn/open-apis/im/v1/chats?page_size=20&user_id_type=open_id")]
    #[case::encoded("https://open.feishu.cn/open-apis/im/v1/chats/a%2Fb?query=on+call+%26+ops")]
    #[case::empty_query("https://open.feishu.cn/x?")]
    #[case::root("https://open.feishu.cn/")]
    #[case::dot_segments("https://open.feishu.cn/a/./b/../c")]
    #[case::default_port("https://open.feishu.cn:443/open-apis/x")]
    #[case::port("http://127.0.0.1:18080/open-apis/im/v1/chats/oc_1?x=1")]
    #[case::ipv6("http://[::1]:8080/open-apis/x?y=%20")]
    fn the_origin_gives_the_url_a_parse_gives(#[case] text: &str) {
        let u = uri(text);
        let origin = Origin::of(&u).unwrap();
        let parsed = reqwest::Url::parse(&u.to_string()).unwrap();
        assert_eq!(origin.url(&u).unwrap(), parsed);
        assert_eq!(origin.url(&u).unwrap().as_str(), parsed.as_str());
    }

    #[test]
    fn another_origin_is_parsed_in_full() {
        let origin = Origin::of(&uri("https://open.feishu.cn/")).unwrap();
        assert!(origin.url(&uri("https://open.larksuite.com/x")).is_none());
        assert!(origin.url(&uri("http://open.feishu.cn/x")).is_none());
        assert!(origin.url(&uri("https://open.feishu.cn:8443/x")).is_none());
        let transport = ReqwestTransport::new().unwrap();
        for text in [
            "https://open.feishu.cn/a?b=1",
            "https://open.larksuite.com/c?d=2",
        ] {
            let mut request = HttpRequest::new(Bytes::from_static(b"{}"));
            *request.uri_mut() = uri(text);
            *request.method_mut() = http::Method::POST;
            request
                .headers_mut()
                .insert("x-request-id", "r-1".parse().unwrap());
            let converted = transport.convert(request).unwrap();
            assert_eq!(converted.url().as_str(), text);
            assert_eq!(converted.method(), http::Method::POST);
            assert_eq!(converted.headers()["x-request-id"], "r-1");
            assert_eq!(
                converted.body().and_then(|b| b.as_bytes()),
                Some(&b"{}"[..])
            );
        }
    }

    proptest! {
        #[test]
        fn any_path_and_query_round_trip(
            path in "(/[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,12}){1,5}",
            query in proptest::option::of("[A-Za-z0-9._~%!$&'()*+,;=:@/?-]{0,24}"),
        ) {
            let text = match &query {
                Some(q) => format!("https://open.feishu.cn{path}?{q}"),
                None => format!("https://open.feishu.cn{path}"),
            };
            if let (Ok(u), Ok(parsed)) = (text.parse::<Uri>(), reqwest::Url::parse(&text)) {
                let fast = Origin::of(&u).and_then(|o| o.url(&u)).unwrap();
                let from_uri = reqwest::Url::parse(&u.to_string()).unwrap();
                prop_assert_eq!(fast.as_str(), from_uri.as_str());
                prop_assert_eq!(from_uri.as_str(), parsed.as_str());
            }
        }
    }
}

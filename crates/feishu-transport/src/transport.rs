//! The [`Transport`] trait: the `http` crate's requests in, its responses
//! out. No JSON, no Feishu knowledge: anything that moves bytes can implement
//! it (reqwest, hyper, a tower service, an in-process emulator, a replay).

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use bytes::Bytes;

pub use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};

/// A request as a transport receives it: the `http` crate's type, the body
/// already in memory.
pub type HttpRequest = http::Request<Bytes>;

/// A response as a transport returns it: the `http` crate's type, the whole
/// body read.
pub type HttpResponse = http::Response<Bytes>;

/// A response with the given status and body and no headers (a status that
/// is not a valid HTTP status becomes 500).
pub fn response(status: u16, body: impl Into<Bytes>) -> HttpResponse {
    let mut response = http::Response::new(body.into());
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response
}

/// The value of the first header `name` as text (`None` when absent or not
/// visible ASCII).
pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// Why a request got no HTTP response at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be made: the server never saw the request.
    Connect,
    /// No complete answer in time: the server may have processed the request.
    Timeout,
    /// Anything else (the request may have reached the server).
    Other,
    /// The response body is larger than the transport reads (the server
    /// answered; asking again would bring the same body): not retried.
    BodyTooLarge,
}

/// A mark the client puts in the extensions of a request whose answer is a
/// file's bytes (a download: image, file, message resource), so that a
/// transport can allow it a larger body than a JSON answer. The default
/// transport reads up to 100 MB for these, 4 MiB for any other answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExpectDownload;

/// A request got no HTTP response. [`std::error::Error::source`] reaches the
/// underlying error (reqwest's, hyper's, ...) when the transport kept it.
#[derive(Clone)]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// A description.
    pub message: String,
    source: Option<Arc<dyn StdError + Send + Sync + 'static>>,
}

impl TransportError {
    /// A new transport error.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
            source: None,
        }
    }

    /// A transport error caused by `source` (its text becomes the message).
    pub fn with_source<E>(kind: TransportErrorKind, source: E) -> Self
    where
        E: StdError + Send + Sync + 'static,
    {
        TransportError {
            kind,
            message: source.to_string(),
            source: Some(Arc::new(source)),
        }
    }

    /// A transport error caused by a boxed error (tower's error type).
    pub fn from_boxed(kind: TransportErrorKind, source: Box<dyn StdError + Send + Sync>) -> Self {
        TransportError {
            kind,
            message: source.to_string(),
            source: Some(Arc::from(source)),
        }
    }

    /// The underlying error, downcast to its concrete type
    /// (`reqwest::Error`, `std::io::Error`, ...).
    pub fn downcast_source<E: StdError + 'static>(&self) -> Option<&E> {
        self.source.as_deref().and_then(|s| s.downcast_ref::<E>())
    }
}

impl PartialEq for TransportError {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.message == other.message
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("has_source", &self.source.is_some())
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|s| s as &(dyn StdError + 'static))
    }
}

/// Moves one HTTP request to a server and brings back its response.
///
/// Object-safe: the client holds an `Arc<dyn Transport>`, so tests and users
/// can swap in their own (a recorded replay, an in-process emulator, another
/// HTTP stack, or any tower service with the `tower` feature).
#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends the request and returns the response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// Header names whose values are never shown: any name containing `auth`,
/// `token`, `secret`, `key` or `cookie`.
pub fn is_sensitive_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ["auth", "token", "secret", "key", "cookie"]
        .iter()
        .any(|word| n.contains(word))
}

/// Shows header pairs with sensitive values replaced by `***`.
pub(crate) struct RedactedPairs<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for RedactedPairs<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            let shown = if is_sensitive_header(name) {
                "***"
            } else {
                value.as_str()
            };
            list.entry(&(name.as_str(), shown));
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensitive_names() {
        for name in [
            "Authorization",
            "x-api-key",
            "Cookie",
            "x-tenant-token",
            "app_secret",
        ] {
            assert!(is_sensitive_header(name), "{name}");
        }
        assert!(!is_sensitive_header("x-request-id"));
        let shown = format!(
            "{:?}",
            RedactedPairs(&[("x-api-key".into(), "k-123".into())])
        );
        assert!(!shown.contains("k-123") && shown.contains("***"), "{shown}");
    }

    #[test]
    fn source_is_kept() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let e = TransportError::with_source(TransportErrorKind::Connect, io);
        let source = e.source().map(ToString::to_string);
        assert_eq!(source.as_deref(), Some("refused"));
        assert_eq!(
            e.downcast_source::<std::io::Error>().map(|e| e.kind()),
            Some(std::io::ErrorKind::ConnectionRefused)
        );
    }

    #[test]
    fn response_helper_sets_status() {
        assert_eq!(response(404, "x").status(), StatusCode::NOT_FOUND);
        assert_eq!(
            response(1000, "x").status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
}

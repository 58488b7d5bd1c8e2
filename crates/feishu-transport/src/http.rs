//! The [`Transport`] trait: plain HTTP requests in, plain responses out.
//! No JSON, no Feishu knowledge: anything that moves bytes can implement it.

use std::fmt;

use async_trait::async_trait;
use bytes::Bytes;
use feishu_model::Method;

/// A plain HTTP request.
#[derive(Clone)]
pub struct HttpRequest {
    /// HTTP method.
    pub method: Method,
    /// Absolute URL, query included.
    pub url: String,
    /// Header pairs; names are lower-case.
    pub headers: Vec<(String, String)>,
    /// Body bytes, if any.
    pub body: Option<Bytes>,
}

impl HttpRequest {
    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.as_ref().map(Bytes::len))
            .finish()
    }
}

/// A plain HTTP response.
#[derive(Clone, Default)]
pub struct HttpResponse {
    /// Status code.
    pub status: u16,
    /// Header pairs; names are lower-case.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with the given status and body and no headers.
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header (the name is lower-cased).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.into()));
        self
    }

    /// The first header with this name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// The first header with this name (case-insensitive) in a list of pairs.
pub fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

struct RedactedHeaders<'a>(&'a [(String, String)]);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in self.0 {
            if is_sensitive(name) {
                list.entry(&(name.as_str(), "***"));
            } else {
                list.entry(&(name.as_str(), value.as_str()));
            }
        }
        list.finish()
    }
}

fn is_sensitive(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "authorization" || n == "cookie" || n.contains("token") || n.contains("secret")
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
}

/// A request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct TransportError {
    /// What went wrong.
    pub kind: TransportErrorKind,
    /// A description.
    pub message: String,
}

impl TransportError {
    /// A new transport error.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }
}

/// Moves one HTTP request to a server and brings back its response.
///
/// Object-safe: the client holds an `Arc<dyn Transport>`, so tests and users
/// can swap in their own (a recorded replay, an in-process emulator, another
/// HTTP stack).
#[async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends the request and returns the response, whatever its status.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_authorization() {
        let req = HttpRequest {
            method: Method::Get,
            url: "https://x/y".into(),
            headers: vec![("authorization".into(), "Bearer t-secret".into())],
            body: None,
        };
        let shown = format!("{req:?}");
        assert!(!shown.contains("t-secret"), "{shown}");
        assert!(shown.contains("***"));
        assert_eq!(req.header("Authorization"), Some("Bearer t-secret"));
    }
}

//! In-process mode: a [`Transport`] that hands requests to the router
//! directly, without sockets.

use async_trait::async_trait;
use feishu_transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

use crate::emulator::Emulator;
use crate::router::EmulatorRequest;

/// A [`Transport`] answering from an [`Emulator`] in the same process.
#[derive(Debug, Clone)]
pub struct InProcessTransport {
    emulator: Emulator,
}

impl InProcessTransport {
    /// A transport for `emulator`.
    pub fn new(emulator: Emulator) -> Self {
        InProcessTransport { emulator }
    }
}

#[async_trait]
impl Transport for InProcessTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let url = url::Url::parse(&request.url).map_err(|e| {
            TransportError::new(TransportErrorKind::Connect, format!("not a URL: {e}"))
        })?;
        Ok(self.emulator.handle(&EmulatorRequest {
            method: request.method.as_str().to_owned(),
            path: url.path().to_owned(),
            query: url.query_pairs().into_owned().collect(),
            headers: request.headers,
            body: request.body.unwrap_or_default(),
        }))
    }
}

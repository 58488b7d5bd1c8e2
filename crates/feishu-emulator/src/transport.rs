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
        let (parts, body) = request.into_parts();
        if parts.uri.path().is_empty() {
            return Err(TransportError::new(
                TransportErrorKind::Connect,
                format!("not a request URL: {}", parts.uri),
            ));
        }
        Ok(self.emulator.handle(&EmulatorRequest::from_parts(
            &parts.method,
            &parts.uri,
            &parts.headers,
            body,
        )))
    }
}

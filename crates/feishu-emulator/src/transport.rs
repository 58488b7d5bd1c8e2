//! In-process mode: a [`Transport`] that hands requests to the router
//! directly, without sockets.

use async_trait::async_trait;
use feishu_transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

use std::sync::Arc;

use crate::core::Core;
use crate::router::{self, EmulatorRequest};

/// A [`Transport`] answering from an emulator in the same process (from
/// [`crate::Emulator::transport`]).
#[derive(Debug, Clone)]
pub struct InProcessTransport {
    core: Arc<Core>,
}

impl InProcessTransport {
    /// A transport answering from `core`.
    pub(crate) fn new(core: Arc<Core>) -> Self {
        InProcessTransport { core }
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
        Ok(router::handle(
            &self.core,
            &EmulatorRequest::from_parts(&parts.method, &parts.uri, &parts.headers, body),
        ))
    }
}

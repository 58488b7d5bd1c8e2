//! Any `tower::Service` over the `http` crate's types as a [`Transport`]
//! (feature `tower`): tower layers (timeouts, concurrency limits, tracing)
//! and hyper clients plug in without glue.

use std::error::Error as StdError;
use std::fmt;

use async_trait::async_trait;
use tower_service::Service;

use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// A [`Transport`] over a tower service. Each request runs on a clone of the
/// service (tower's usual contract), after waiting for it to be ready.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use std::convert::Infallible;
/// use std::sync::Arc;
/// use feishu_model::auth::AppTicketResend;
/// use feishu_transport::{http, Client, HttpRequest, HttpResponse, TowerTransport};
///
/// // A service that answers every request itself; a hyper client or a
/// // stack of tower layers fits the same slot.
/// #[derive(Clone)]
/// struct Answer;
/// impl tower_service::Service<HttpRequest> for Answer {
///     type Response = HttpResponse;
///     type Error = Infallible;
///     type Future = std::future::Ready<Result<HttpResponse, Infallible>>;
///     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
///         std::task::Poll::Ready(Ok(()))
///     }
///     fn call(&mut self, _: HttpRequest) -> Self::Future {
///         std::future::ready(Ok(feishu_transport::response(200, r#"{"code":0,"msg":"ok"}"#)))
///     }
/// }
///
/// let client = Client::builder()
///     .static_tenant_token("t-1")
///     .transport(Arc::new(TowerTransport::new(Answer)))
///     .build()
///     .unwrap();
/// client.call(AppTicketResend::new("cli_a", "s")).await.unwrap();
/// # });
/// ```
#[derive(Clone)]
pub struct TowerTransport<S> {
    service: S,
}

impl<S> TowerTransport<S> {
    /// Wraps `service`.
    pub fn new(service: S) -> Self {
        TowerTransport { service }
    }
}

impl<S> fmt::Debug for TowerTransport<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TowerTransport")
            .field("service", &std::any::type_name::<S>())
            .finish()
    }
}

fn failure(error: Box<dyn StdError + Send + Sync>) -> TransportError {
    let kind = match error
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
    {
        Some(std::io::ErrorKind::TimedOut) => TransportErrorKind::Timeout,
        Some(std::io::ErrorKind::ConnectionRefused) => TransportErrorKind::Connect,
        _ => TransportErrorKind::Other,
    };
    TransportError::from_boxed(kind, error)
}

#[async_trait]
impl<S> Transport for TowerTransport<S>
where
    S: Service<HttpRequest, Response = HttpResponse> + Clone + Send + Sync + 'static,
    S::Error: Into<Box<dyn StdError + Send + Sync>>,
    S::Future: Send,
{
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut service = self.service.clone();
        futures::future::poll_fn(|cx| service.poll_ready(cx))
            .await
            .map_err(|e| failure(e.into()))?;
        service.call(request).await.map_err(|e| failure(e.into()))
    }
}

//! Server mode: the same router behind an HTTP/1.1 server (axum).

use std::io;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use std::sync::Arc;

use crate::core::Core;
use crate::router::{self, EmulatorRequest};
use crate::ws::LongConnectionServer;

/// The largest request body the server reads: 40 MiB, room for a file
/// upload over the documented 30 MB, so that it is refused with the
/// documented code (234006) rather than unread.
pub const MAX_BODY_BYTES: usize = 40 * 1024 * 1024;

async fn any(State(core): State<Arc<Core>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let answer = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => router::handle(
            &core,
            &EmulatorRequest::from_parts(&parts.method, &parts.uri, &parts.headers, body),
        ),
        Err(e) => router::unreadable(
            &core,
            format!("the request body could not be read (at most {MAX_BODY_BYTES} bytes): {e}"),
        ),
    };
    answer.map(Body::from)
}

/// Serves `router` on `listener` until `shutdown` resolves. Response header
/// names go out in their canonical capitalisation (`X-Tt-Logid`), as the
/// platform sends them: some clients look headers up case-sensitively.
async fn serve_title_case(
    listener: TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> io::Result<()> {
    let service = hyper_util::service::TowerToHyperService::new(router);
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(conn) => conn,
                Err(e) => {
                    // Out of descriptors or a connection aborted while queued:
                    // the listener itself is fine, so pause and go on.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let _ = stream.set_nodelay(true);
        let service = service.clone();
        tokio::spawn(async move {
            let io = hyper_util::rt::TokioIo::new(stream);
            let connection = hyper::server::conn::http1::Builder::new()
                .title_case_headers(true)
                .keep_alive(true)
                .serve_connection(io, service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
}

/// A server running in the background; stops when dropped.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<io::Result<()>>,
}

impl RunningServer {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL for a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections and waits for the server to finish.
    pub async fn stop(mut self) -> io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        match (&mut self.task).await {
            Ok(result) => result,
            Err(e) => Err(io::Error::other(e.to_string())),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// The HTTP front end as an axum router: the admin API, the long
/// connection, and the open API as the fallback.
/// Every answer carries a fresh `x-tt-logid`.
pub(crate) fn routes(core: Arc<Core>, hub: LongConnectionServer) -> Router {
    crate::admin::routes()
        .merge(crate::ws::routes(core.clone(), hub))
        .fallback(any)
        .layer(axum::middleware::map_response_with_state(
            core.clone(),
            crate::admin::stamp_log_id,
        ))
        .with_state(core)
}

/// Serves `router` on `listener` until the task is dropped.
pub(crate) async fn serve(listener: TcpListener, router: Router) -> io::Result<()> {
    serve_title_case(listener, router, std::future::pending()).await
}

/// Binds `addr` and serves `router` in the background.
pub(crate) async fn start(addr: impl ToSocketAddrs, router: Router) -> io::Result<RunningServer> {
    let listener = TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(serve_title_case(listener, router, async {
        let _ = rx.await;
    }));
    Ok(RunningServer {
        addr,
        shutdown: Some(tx),
        task,
    })
}

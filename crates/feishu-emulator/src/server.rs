//! Server mode: the same router behind an HTTP/1.1 server (axum).

use std::io;
use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use axum::Router;
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::emulator::Emulator;
use crate::router::{self, EmulatorRequest, EmulatorResponse};

/// The largest request body the server reads: 10 MiB.
pub const MAX_BODY_BYTES: usize = 10 * 1024 * 1024;

async fn any(State(emulator): State<Emulator>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let query = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .filter_map(|(k, v)| {
            v.to_str()
                .ok()
                .map(|v| (k.as_str().to_owned(), v.to_owned()))
        })
        .collect();
    let answer = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(body) => emulator.handle(&EmulatorRequest {
            method: parts.method.as_str().to_owned(),
            path: parts.uri.path().to_owned(),
            query,
            headers,
            body,
        }),
        Err(e) => router::unreadable(
            emulator.shared(),
            format!("the request body could not be read (at most {MAX_BODY_BYTES} bytes): {e}"),
        ),
    };
    into_response(answer)
}

fn into_response(answer: EmulatorResponse) -> Response {
    let mut response = Response::new(Body::from(answer.body));
    *response.status_mut() =
        StatusCode::from_u16(answer.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::try_from(name.as_str()),
            HeaderValue::try_from(value.as_str()),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    response
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

impl Emulator {
    /// The HTTP front end as an axum router, to mount or serve yourself.
    pub fn router(&self) -> Router {
        crate::admin::routes()
            .fallback(any)
            .with_state(self.clone())
    }

    /// Serves the API on `listener` until the task is dropped.
    pub async fn serve(&self, listener: TcpListener) -> io::Result<()> {
        axum::serve(listener, self.router()).await
    }

    /// Binds `addr` (`127.0.0.1:0` for any free port) and serves in the
    /// background; needs a Tokio runtime.
    pub async fn start(&self, addr: impl ToSocketAddrs) -> io::Result<RunningServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = oneshot::channel::<()>();
        let router = self.router();
        let task = tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        Ok(RunningServer {
            addr,
            shutdown: Some(tx),
            task,
        })
    }
}

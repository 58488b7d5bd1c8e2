//! W5: signed, encrypted webhook callbacks POSTed over loopback HTTP/1.1
//! keep-alive connections, to the SDK's axum adapter or to the floor.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};

use crate::corpus::{self, Request};
use crate::floor;
use crate::measure::{Figures, Window};
use crate::Side;

/// Serves the SDK or the floor on a loopback port; returns its address.
async fn serve(side: Side) -> std::net::SocketAddr {
    let app = match side {
        Side::Sdk => feishu_events::axum::router(Arc::new(crate::sdk_dispatcher())),
        Side::Floor => floor::webhook_router(),
    };
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// Posts `n` events over `concurrency` keep-alive connections.
pub async fn run(side: Side, concurrency: usize, n: usize) -> Figures {
    let requests: Arc<Vec<Request>> = Arc::new((0..n).map(corpus::request).collect());
    let addr = serve(side).await;
    let next = Arc::new(AtomicUsize::new(0));
    let mut senders = Vec::new();
    for _ in 0..concurrency {
        let stream = TcpStream::connect(addr).await.unwrap();
        stream.set_nodelay(true).unwrap();
        let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .unwrap();
        tokio::spawn(conn);
        senders.push(sender);
    }
    let window = Window::start();
    let mut workers = Vec::new();
    for mut sender in senders {
        let (requests, next) = (requests.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(i) else {
                    break;
                };
                let started = Instant::now();
                let post = hyper::Request::post("/webhook/event")
                    .header("host", "127.0.0.1")
                    .header("content-type", "application/json")
                    .header("X-Lark-Request-Timestamp", corpus::TS)
                    .header("X-Lark-Request-Nonce", corpus::NONCE)
                    .header("X-Lark-Signature", request.signature.as_str())
                    .body(Full::new(request.body.clone()))
                    .unwrap();
                let response = sender.send_request(post).await.unwrap();
                let status = response.status();
                let body: Bytes = response.into_body().collect().await.unwrap().to_bytes();
                assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
                latencies.push(started.elapsed().as_nanos() as u64);
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(n);
    for worker in workers {
        latencies.extend(worker.await.unwrap());
    }
    window.finish(n, latencies)
}

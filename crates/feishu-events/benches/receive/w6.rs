//! W6: a local server playing the platform's long connection pushes event
//! frames (every eighth one split in three fragments) to the SDK's `ws`
//! client or to the floor's loop, keeping at most `concurrency` messages
//! unacknowledged, and waits for every acknowledgement.

use std::sync::Arc;
use std::time::Instant;

use axum::routing::post;
use axum::{Json, Router};
use feishu_events::ws::LongConnection;
use feishu_protocol::frame::{
    Frame, Header, EVENT, MESSAGE_ID, METHOD_DATA, SEQ, SUM, TRACE_ID, TYPE,
};
use futures::{SinkExt, StreamExt};
use parking_lot::Mutex;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

use crate::corpus;
use crate::floor;
use crate::measure::{Figures, Window};
use crate::Side;

const SERVICE_ID: i32 = 33554678;

/// The frames of event `i`: one, or three fragments for every eighth event.
fn frames(i: usize) -> Vec<Vec<u8>> {
    let payload = corpus::plain(i).into_bytes();
    let parts: Vec<&[u8]> = if i % 8 == 7 {
        let third = payload.len() / 3;
        vec![
            &payload[..third],
            &payload[third..2 * third],
            &payload[2 * third..],
        ]
    } else {
        vec![&payload[..]]
    };
    let sum = parts.len();
    parts
        .into_iter()
        .enumerate()
        .map(|(seq, part)| {
            Frame {
                seq_id: i as u64,
                log_id: i as u64,
                service: SERVICE_ID,
                method: METHOD_DATA,
                headers: vec![
                    Header::new(TYPE, EVENT),
                    Header::new(MESSAGE_ID, format!("{i}")),
                    Header::new(SUM, sum.to_string()),
                    Header::new(SEQ, seq.to_string()),
                    Header::new(TRACE_ID, format!("trace-{i}")),
                ],
                payload: Some(part.to_vec()),
                ..Frame::default()
            }
            .encode()
        })
        .collect()
}

/// Builds the frames of `n` events and returns their size (for the
/// instruction count of the preparation alone).
pub fn prepare(n: usize) -> usize {
    (0..n).flat_map(frames).map(|f| f.len()).sum()
}

/// Answers the endpoint call with the URL of the WebSocket listener.
async fn endpoint(ws_url: String) -> std::net::SocketAddr {
    let app = Router::new().route(
        "/callback/ws/endpoint",
        post(move || {
            let url = ws_url.clone();
            async move {
                Json(
                    serde_json::json!({"code": 0, "msg": "ok", "data": {"URL": url,
                    "ClientConfig": {"PingInterval": 120, "ReconnectCount": -1,
                    "ReconnectInterval": 120, "ReconnectNonce": 30}}}),
                )
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

/// Pushes `n` events with at most `concurrency` unacknowledged.
pub async fn run(side: Side, concurrency: usize, n: usize) -> Figures {
    let frames: Vec<Vec<Vec<u8>>> = (0..n).map(frames).collect();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let ws_url = format!(
        "ws://{}/ws?device_id=bench&service_id={SERVICE_ID}",
        listener.local_addr().unwrap()
    );
    let connection = match side {
        Side::Sdk => {
            let http = endpoint(ws_url).await;
            let dispatcher = Arc::new(crate::sdk_dispatcher());
            let connection =
                LongConnection::builder(corpus::APP_ID, corpus::APP_SECRET, dispatcher)
                    .base_url(format!("http://{http}"))
                    .follow_server_config(false)
                    .start()
                    .unwrap();
            Some(connection)
        }
        Side::Floor => {
            tokio::spawn(floor::long_connection(ws_url));
            None
        }
    };
    let (tcp, _) = listener.accept().await.unwrap();
    tcp.set_nodelay(true).unwrap();
    let ws = tokio_tungstenite::accept_async_with_config(tcp, Some(crate::ws_config()))
        .await
        .unwrap();
    let (mut sink, mut stream) = ws.split();

    let window = Window::start();
    let window_slots = Arc::new(Semaphore::new(concurrency));
    let sent: Arc<Mutex<Vec<Option<Instant>>>> = Arc::new(Mutex::new(vec![None; n]));
    let (slots, sent_at) = (window_slots.clone(), sent.clone());
    let pusher = tokio::spawn(async move {
        for (i, parts) in frames.into_iter().enumerate() {
            slots.acquire().await.unwrap().forget();
            sent_at.lock()[i] = Some(Instant::now());
            for part in parts {
                sink.feed(Message::Binary(part.into())).await.unwrap();
            }
            sink.flush().await.unwrap();
        }
        sink
    });
    let mut latencies = Vec::with_capacity(n);
    while latencies.len() < n {
        let bytes = match stream.next().await {
            Some(Ok(Message::Binary(bytes))) => bytes,
            Some(Ok(_)) => continue,
            other => panic!(
                "the connection ended after {} acks: {other:?}",
                latencies.len()
            ),
        };
        let frame = Frame::decode(&bytes).unwrap();
        if frame.method != METHOD_DATA {
            continue;
        }
        let body: serde_json::Value = serde_json::from_slice(frame.payload_bytes()).unwrap();
        assert_eq!(body["code"], 200, "{body}");
        let i: usize = frame.header(MESSAGE_ID).unwrap().parse().unwrap();
        let started = sent.lock()[i].take().unwrap();
        latencies.push(started.elapsed().as_nanos() as u64);
        window_slots.add_permits(1);
    }
    let figures = window.finish(n, latencies);
    let mut sink = pusher.await.unwrap();
    let _ = sink.close().await;
    if let Some(connection) = connection {
        connection.shutdown().await;
    }
    figures
}

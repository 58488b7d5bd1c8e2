//! `GET /ws/v2`: the WebSocket of one client. Answers pings with pongs
//! carrying the `ClientConfig`, sends data frames, and hands
//! acknowledgements to the waiting deliveries.

use std::collections::HashMap;

use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use feishu_model::AppId;
use feishu_protocol::endpoint::AUTH_CODE_CONNECTION_LIMIT;
use feishu_protocol::frame::{Frame, MESSAGE_ID, METHOD_CONTROL, METHOD_DATA, PING, PONG, TYPE};
use serde_json::Value;
use tokio::sync::{mpsc, watch};

use base64::Engine;

use super::hub::{Ack, Conn, Fault, LongConnectionServer};
use super::Served;

/// The path of connection URLs.
pub(crate) const PATH: &str = "/ws/v2";

/// A refused upgrade with the handshake headers.
fn refuse(status: u16, auth_code: Option<i64>, msg: &str) -> Response {
    let mut response = Response::new(Body::from(msg.to_owned()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    let headers = response.headers_mut();
    if let Ok(v) = status.to_string().parse() {
        headers.insert("Handshake-Status", v);
    }
    if let Ok(v) = msg.parse() {
        headers.insert("Handshake-Msg", v);
    }
    if let Some(code) = auth_code {
        if let Ok(v) = code.to_string().parse() {
            headers.insert("Handshake-Autherrcode", v);
        }
    }
    response
}

pub(crate) async fn upgrade(
    State(Served { hub, .. }): State<Served>,
    uri: Uri,
    ws: WebSocketUpgrade,
) -> Response {
    let query: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let ticket = query.get("ticket").cloned().unwrap_or_default();
    let Some(app) = hub.inner.tickets.lock().remove(&ticket) else {
        return refuse(514, Some(1_000_040_342), "the ticket is invalid or used");
    };
    let service_id = query
        .get("service_id")
        .and_then(|s| s.parse::<i32>().ok())
        .unwrap_or(0);
    let limit = hub.settings().seed.max_connections;
    let id = hub.next_id();
    let (frames, rx) = mpsc::channel::<Vec<u8>>(4096);
    let (fault, fault_rx) = watch::channel(Fault::None);
    {
        let mut conns = hub.inner.conns.lock();
        if conns.values().filter(|c| c.app == app).count() >= limit {
            hub.count(|c| &c.limit_refusals);
            return refuse(
                514,
                Some(AUTH_CODE_CONNECTION_LIMIT),
                "the number of connections exceeded the limit",
            );
        }
        conns.insert(
            id,
            Conn {
                app: app.clone(),
                service_id,
                frames,
                fault,
            },
        );
    }
    hub.count(|c| &c.connections);
    let hub2 = hub.clone();
    ws.on_upgrade(move |socket| async move {
        serve(socket, &hub2, rx, fault_rx, service_id).await;
        hub2.inner.conns.lock().remove(&id);
        tracing::debug!(app_id = %app, connection = id, "long connection ended");
    })
    .into_response()
}

async fn serve(
    mut socket: WebSocket,
    hub: &LongConnectionServer,
    mut frames: mpsc::Receiver<Vec<u8>>,
    mut fault: watch::Receiver<Fault>,
    service_id: i32,
) {
    loop {
        let mut silent = false;
        tokio::select! {
            changed = fault.changed() => {
                if changed.is_err() {
                    return;
                }
                let now = *fault.borrow_and_update();
                match now {
                    Fault::None => {}
                    Fault::Drop => return,
                    Fault::Silent => silent = true,
                }
            }
            frame = frames.recv() => match frame {
                Some(bytes) => {
                    if socket.send(Message::Binary(bytes.into())).await.is_err() {
                        return;
                    }
                }
                None => return,
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Binary(bytes))) => {
                    if let Some(pong) = on_frame(hub, &bytes, service_id) {
                        if socket.send(Message::Binary(pong.into())).await.is_err() {
                            return;
                        }
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
        }
        if silent {
            // Half-open: hold the socket, read and write nothing.
            let _ = fault.wait_for(|f| *f == Fault::Drop).await;
            return;
        }
    }
}

/// Handles one client frame; returns the pong to send for a ping.
fn on_frame(hub: &LongConnectionServer, bytes: &[u8], service_id: i32) -> Option<Vec<u8>> {
    let frame = Frame::decode(bytes).ok()?;
    match frame.method {
        METHOD_CONTROL if frame.message_type() == PING => {
            hub.count(|c| &c.pongs);
            let mut pong = Frame {
                service: service_id,
                method: METHOD_CONTROL,
                ..Frame::default()
            };
            pong.set_header(TYPE, PONG);
            pong.payload = Some(super::endpoint::client_config(hub).to_string().into_bytes());
            Some(pong.encode())
        }
        METHOD_DATA => {
            let body = serde_json::from_slice::<Value>(frame.payload_bytes()).ok();
            let code = body
                .as_ref()
                .and_then(|v| v.get("code").and_then(Value::as_u64))
                .and_then(|c| u16::try_from(c).ok())
                .unwrap_or(0);
            // A callback's answer: base64 of the JSON in `data`.
            let data = body
                .as_ref()
                .and_then(|v| v.get("data").and_then(Value::as_str))
                .map(|d| {
                    base64::engine::general_purpose::STANDARD
                        .decode(d)
                        .unwrap_or_else(|_| d.as_bytes().to_vec())
                });
            let id = frame.header(MESSAGE_ID)?;
            if let Some(waiting) = hub.inner.acks.lock().remove(id) {
                let _ = waiting.send(Ack { code, data });
            }
            None
        }
        _ => None,
    }
}

/// The live connections of `app`: (id, frames, service id).
/// The connections of `app` an event can go to. Connections silenced by the
/// fault switch are used only when the app has no other: the server knows
/// it stopped answering on them, so it routes around them once the client
/// has dialed again.
pub(crate) fn live(hub: &LongConnectionServer, app: &AppId) -> Vec<(mpsc::Sender<Vec<u8>>, i32)> {
    let conns = hub.inner.conns.lock();
    let of_app: Vec<&super::hub::Conn> = conns.values().filter(|c| &c.app == app).collect();
    let answering: Vec<&super::hub::Conn> = of_app
        .iter()
        .copied()
        .filter(|c| *c.fault.borrow() != Fault::Silent)
        .collect();
    let chosen = if answering.is_empty() {
        of_app
    } else {
        answering
    };
    chosen
        .into_iter()
        .map(|c| (c.frames.clone(), c.service_id))
        .collect()
}

//! Delivery over the long connection: each event of an app that uses the
//! long connection goes to one randomly chosen live connection, as frames
//! (fragmented above the fragment size); without a 200 acknowledgement
//! within the deadline it is redelivered on the scaled retry schedule.
//! Every attempt is recorded in the event log.

use std::sync::atomic::Ordering;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_model::AppId;

use feishu_protocol::frame::{Frame, EVENT, MESSAGE_ID, METHOD_DATA, SEQ, SUM, TRACE_ID, TYPE};
use tokio::sync::{broadcast, oneshot};

use super::hub::{Ack, LongConnectionServer};
use super::LONG_CONNECTION_RECEIVER;
use crate::core::Core;
use crate::event_log::{event_id_of, DeliveryStatus, EventLog};
use crate::events::EmittedEvent;

/// Starts the delivery task once per emulator (on the first endpoint call).
pub(crate) fn start(core: &Core, hub: &LongConnectionServer) {
    if hub.inner.delivering.swap(true, Ordering::SeqCst) {
        return;
    }
    let events = core.subscribe();
    let log = core.log().clone();
    let apps = hub.clone();
    log.delivery_task_started(Box::new(move |app| {
        apps.inner.apps.lock().iter().any(|a| a.as_str() == app)
    }));
    tokio::spawn(run(events, hub.clone(), log));
}

async fn run(
    mut events: broadcast::Receiver<EmittedEvent>,
    hub: LongConnectionServer,
    log: EventLog,
) {
    loop {
        let event = match events.recv().await {
            Ok(event) => event,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(dropped = n, "long-connection delivery fell behind");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        if !hub.inner.apps.lock().contains(&event.app_id) {
            continue;
        }
        let Ok(payload) = serde_json::to_vec(&event.body) else {
            continue;
        };
        tokio::spawn(deliver(hub.clone(), log.clone(), event, payload));
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Delivers one event until acknowledged or out of retries.
async fn deliver(hub: LongConnectionServer, log: EventLog, event: EmittedEvent, payload: Vec<u8>) {
    let event_id = event_id_of(&event);
    let mut attempt: usize = 0;
    loop {
        attempt += 1;
        hub.count(|c| &c.deliveries);
        if attempt > 1 {
            hub.count(|c| &c.redeliveries);
        }
        let result = push(&hub, &event, &payload).await;
        let config = hub.settings().delivery;
        let status = match (&result, config.delay(attempt - 1)) {
            (Ok(()), _) => DeliveryStatus::Delivered,
            (Err(e), Some(delay)) => DeliveryStatus::Retrying {
                next_attempt_ms: now_ms()
                    .saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX)),
                error: e.clone(),
            },
            (Err(e), None) => DeliveryStatus::Failed { error: e.clone() },
        };
        log.record_attempt(&event_id, LONG_CONNECTION_RECEIVER, status);
        match (result, config.delay(attempt - 1)) {
            (Ok(()), _) => {
                hub.count(|c| &c.delivered);
                return;
            }
            (Err(e), Some(delay)) => {
                tracing::debug!(event_id = %event_id, attempt, error = %e, "long-connection delivery failed; retrying");
                tokio::time::sleep(delay).await;
            }
            (Err(e), None) => {
                tracing::warn!(event_id = %event_id, attempt, error = %e, "long-connection delivery given up");
                hub.count(|c| &c.failed);
                return;
            }
        }
    }
}

/// One attempt: the frames to a random live connection, then the wait for
/// the acknowledgement.
async fn push(
    hub: &LongConnectionServer,
    event: &EmittedEvent,
    payload: &[u8],
) -> Result<(), String> {
    let timeout = hub.settings().delivery.attempt_timeout;
    match exchange(hub, &event.app_id, EVENT, payload, timeout).await? {
        Ack { code: 200, .. } => Ok(()),
        Ack { code, .. } => Err(format!("acknowledged with code {code}")),
    }
}

/// Sends `payload` as a data message of `kind` to a random live connection
/// of `app` and waits up to `timeout` for its acknowledgement.
pub(crate) async fn exchange(
    hub: &LongConnectionServer,
    app: &AppId,
    kind: &str,
    payload: &[u8],
    timeout: Duration,
) -> Result<Ack, String> {
    let live = super::socket::live(hub, app);
    if live.is_empty() {
        return Err("no live connection".to_owned());
    }
    let (frames, service) = live[fastrand::usize(..live.len())].clone();
    let settings = hub.settings();
    let message_id = format!("{:016x}{:08x}", fastrand::u64(..), hub.next_id());
    let (tx, rx) = oneshot::channel();
    hub.inner.acks.lock().insert(message_id.clone(), tx);
    let size = settings.fragment_size.max(1);
    let parts: Vec<&[u8]> = if payload.is_empty() {
        vec![payload]
    } else {
        payload.chunks(size).collect()
    };
    let seq_id = hub.next_id();
    let trace_id = format!("{:016x}", fastrand::u64(..));
    for (seq, part) in parts.iter().enumerate() {
        let mut frame = Frame {
            seq_id,
            log_id: fastrand::u64(..),
            service,
            method: METHOD_DATA,
            payload: Some(part.to_vec()),
            ..Frame::default()
        };
        frame.set_header(TYPE, kind);
        frame.set_header(MESSAGE_ID, message_id.clone());
        frame.set_header(SUM, parts.len().to_string());
        frame.set_header(SEQ, seq.to_string());
        frame.set_header(TRACE_ID, trace_id.clone());
        hub.count(|c| &c.data_frames);
        if frames.send(frame.encode()).await.is_err() {
            hub.inner.acks.lock().remove(&message_id);
            return Err("the connection closed".to_owned());
        }
    }
    let answer = tokio::time::timeout(timeout, rx).await;
    hub.inner.acks.lock().remove(&message_id);
    match answer {
        Ok(Ok(ack)) => Ok(ack),
        Ok(Err(_)) => Err("the connection closed before the acknowledgement".to_owned()),
        Err(_) => Err(format!("no acknowledgement within {timeout:?}")),
    }
}

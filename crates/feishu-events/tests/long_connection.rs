//! The long-connection client against the emulator's server, over loopback.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/ws_chat.rs"]
mod ws_chat;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use feishu_emulator::{
    DeliveryConfig, DeliveryStatus, Emulator, RunningServer, LONG_CONNECTION_RECEIVER,
};
use feishu_events::ws::{ClientConfig, LongConnection, State, StopReason, WsError};
use feishu_events::{Dispatcher, Webhook};
use feishu_model::events::{ChatUpdatedV1, EventV2, GroupEvent};
use feishu_model::AppId;
use futures::StreamExt;
use ws_chat::{connected, rename, until};

const APP: &str = "cli_5e57000000000001";
const SECRET: &str = "ws-secret";

/// The emulator allowing `max_connections` connections, pings every 120 s.
async fn emulator(max_connections: usize) -> (Emulator, RunningServer) {
    ws_chat::serve(APP, SECRET, max_connections, 120).await
}

/// Acks are due within 300 ms; redeliveries follow 15 ms, 300 ms, ...
fn acks_due_within_300ms(emulator: &Emulator) {
    emulator.long_connection().update(|s| {
        s.delivery = DeliveryConfig {
            attempt_timeout: Duration::from_millis(300),
            ..DeliveryConfig::scaled(0.001)
        }
    });
}

/// Fast, local timings: ping every 200 ms, dead after 500 ms of silence.
fn fast() -> ClientConfig {
    ClientConfig {
        ping_interval: Duration::from_millis(200),
        reconnect_count: -1,
        reconnect_interval: Duration::from_millis(150),
        reconnect_nonce: Duration::from_millis(50),
    }
}

fn connect(server: &RunningServer, dispatcher: Arc<Dispatcher>) -> LongConnection {
    LongConnection::builder(APP, SECRET, dispatcher)
        .base_url(server.url())
        .client_config(fast())
        .follow_server_config(false)
        .ping_timeout(Duration::from_millis(500))
        .start()
        .unwrap()
}

/// Handler runs per event id, and the last chat name seen.
#[derive(Default, Clone)]
struct Seen {
    runs: Arc<Mutex<HashMap<String, u32>>>,
    names: Arc<Mutex<Vec<String>>>,
}

impl Seen {
    fn dispatcher(&self, slow_every: Option<usize>, slow: Duration) -> Arc<Dispatcher> {
        let seen = self.clone();
        Arc::new(
            Dispatcher::new(Webhook::new()).on(move |e: EventV2<ChatUpdatedV1>| {
                let seen = seen.clone();
                async move {
                    let name = e
                        .event
                        .after_change
                        .as_ref()
                        .and_then(|c| c.name.clone())
                        .unwrap_or_default();
                    let n: usize = name
                        .rsplit('-')
                        .next()
                        .and_then(|n| n.parse().ok())
                        .unwrap_or(1);
                    if slow_every.is_some_and(|k| n % k == 0) {
                        tokio::time::sleep(slow).await;
                    }
                    *seen
                        .runs
                        .lock()
                        .unwrap()
                        .entry(e.header.event_id)
                        .or_default() += 1;
                    seen.names.lock().unwrap().push(name);
                    Ok(())
                }
            }),
        )
    }

    fn handled(&self) -> usize {
        self.runs.lock().unwrap().len()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousand_events_over_three_connections_none_lost_duplicates_removed() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    acks_due_within_300ms(&emulator);
    let seen = Seen::default();
    // Every 97th event takes longer than the ack deadline: redelivered.
    let dispatcher = seen.dispatcher(Some(97), Duration::from_millis(450));
    let clients: Vec<_> = (0..3)
        .map(|_| connect(&server, dispatcher.clone()))
        .collect();
    for c in &clients {
        connected(c).await;
    }
    assert_eq!(hub.connections_of(&AppId::from(APP)), 3);

    let start = Instant::now();
    for i in 1..=1000 {
        rename(&emulator, &format!("name-{i}"));
    }
    until(
        "1000 events handled and acknowledged",
        Duration::from_secs(30),
        || seen.handled() == 1000 && hub.stats().delivered == 1000,
    )
    .await;
    let took = start.elapsed();

    let runs = seen.runs.lock().unwrap().clone();
    assert!(runs.values().all(|&n| n == 1), "a handler ran twice");
    let stats = hub.stats();
    let duplicates = stats.deliveries - 1000;
    assert_eq!(stats.failed, 0);
    assert!(
        duplicates >= 10,
        "the slow events were redelivered: {stats:?}"
    );
    assert_eq!(stats.redeliveries, duplicates);
    // The event log shows every event delivered over the long connection.
    let records = emulator.event_log().records();
    let delivered = records
        .iter()
        .filter(|r| {
            r.deliveries.iter().any(|d| {
                d.receiver == LONG_CONNECTION_RECEIVER && d.status == DeliveryStatus::Delivered
            })
        })
        .count();
    assert_eq!(delivered, 1000);
    let attempts: u32 = records
        .iter()
        .flat_map(|r| &r.deliveries)
        .filter(|d| d.receiver == LONG_CONNECTION_RECEIVER)
        .map(|d| d.attempts)
        .sum();
    assert_eq!(u64::from(attempts), stats.deliveries);
    eprintln!(
        "FIGURES 1000 events: delivered {} times ({duplicates} duplicates), handled 1000, duplicates removed {duplicates}, lost 0, {took:?}",
        stats.deliveries
    );
    for c in &clients {
        c.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_is_noticed_and_the_client_reconnects() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    acks_due_within_300ms(&emulator);
    let seen = Seen::default();
    let client = connect(&server, seen.dispatcher(None, Duration::ZERO));
    let mut states = client.states();
    connected(&client).await;
    rename(&emulator, "before-1");
    until("the first event", Duration::from_secs(5), || {
        seen.handled() == 1
    })
    .await;

    assert_eq!(hub.go_silent(), 1);
    let silent_at = Instant::now();
    let detected = loop {
        match tokio::time::timeout(Duration::from_secs(3), states.next()).await {
            Ok(Some(State::Reconnecting { attempt: 1 })) => break silent_at.elapsed(),
            Ok(Some(_)) => continue,
            other => panic!("no reconnect after the server went silent: {other:?}"),
        }
    };
    // Ping timeout 500 ms (+ up to one 200 ms ping interval).
    assert!(detected <= Duration::from_millis(1500), "{detected:?}");
    eprintln!("FIGURES half-open socket detected after {detected:?} (ping interval 200 ms, ping timeout 500 ms)");
    connected(&client).await;
    rename(&emulator, "after-2");
    until(
        "an event after the reconnect",
        Duration::from_secs(5),
        || seen.handled() == 2,
    )
    .await;
    assert_eq!(seen.names.lock().unwrap().last().unwrap(), "after-2");
    assert_eq!(hub.stats().endpoint_calls, 2);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payload_in_five_fragments_split_inside_a_character_is_reassembled() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    let seen = Seen::default();
    let client = connect(&server, seen.dispatcher(None, Duration::ZERO));
    connected(&client).await;
    let name = |c: char| std::iter::repeat(c).take(40).collect::<String>();
    rename(&emulator, &name('甲'));
    rename(&emulator, &name('乙'));
    until("two events", Duration::from_secs(5), || seen.handled() == 2).await;

    // The third event has the layout of the second: find a fragment size
    // giving 5 fragments with a cut inside a 3-byte character.
    let body = serde_json::to_vec(&emulator.event_log().records().last().unwrap().body).unwrap();
    let len = body.len();
    let size = (len.div_ceil(5)..len.div_ceil(4))
        .find(|&f| {
            len.div_ceil(f) == 5
                && (1..5).any(|k| body.get(k * f).is_some_and(|b| b & 0xC0 == 0x80))
        })
        .expect("a fragment size that splits a character");
    hub.update(|s| s.fragment_size = size);
    let mut emitted = emulator.subscribe();
    let frames_before = hub.stats().data_frames;
    rename(&emulator, &name('丙'));
    let sent = emitted.recv().await.unwrap();
    until("the fragmented event", Duration::from_secs(5), || {
        seen.handled() == 3
    })
    .await;
    assert_eq!(hub.stats().data_frames - frames_before, 5);
    assert_eq!(seen.names.lock().unwrap().last().unwrap(), &name('丙'));
    let GroupEvent::ChatUpdated(e) = &sent.event else {
        panic!()
    };
    assert!(seen.runs.lock().unwrap().contains_key(&e.header.event_id));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connection_limit_is_one_terminal_error() {
    let (emulator, server) = emulator(1).await;
    let hub = emulator.long_connection();
    let seen = Seen::default();
    let first = connect(&server, seen.dispatcher(None, Duration::ZERO));
    connected(&first).await;

    let second = connect(&server, seen.dispatcher(None, Duration::ZERO));
    let reason = tokio::time::timeout(Duration::from_secs(5), second.stopped())
        .await
        .unwrap();
    let StopReason::Terminal(WsError::ConnectionLimit { msg }) = reason else {
        panic!("{reason:?}")
    };
    assert!(msg.contains("exceeded the limit"), "{msg}");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let stats = hub.stats();
    assert_eq!((stats.endpoint_calls, stats.limit_refusals), (2, 1));
    assert_eq!(first.state(), State::Connected);
    first.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_endpoint_is_retried_on_the_schedule() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    hub.endpoint_busy(3);
    let seen = Seen::default();
    let client = LongConnection::builder(APP, SECRET, seen.dispatcher(None, Duration::ZERO))
        .base_url(server.url())
        .client_config(fast())
        .follow_server_config(false)
        .min_reconnect_delay(Duration::from_millis(20));
    let client = client.start().unwrap();
    let mut states = client.states();
    let mut at = Vec::new();
    while let Ok(Some(state)) = tokio::time::timeout(Duration::from_secs(3), states.next()).await {
        at.push((state.clone(), Instant::now()));
        if state == State::Connected {
            break;
        }
    }
    let kinds: Vec<_> = at.iter().map(|(s, _)| s.clone()).collect();
    assert_eq!(
        kinds,
        [
            State::Connecting,
            State::Reconnecting { attempt: 1 },
            State::Reconnecting { attempt: 2 },
            State::Reconnecting { attempt: 3 },
            State::Connected
        ]
    );
    let gap = |i: usize| at[i + 2].1 - at[i + 1].1;
    // The times are when this task saw each state, not when the client
    // entered it: an earlier state seen a little late makes the next gap
    // look that much shorter. The interval (150 ms) stays far from the
    // nonce (at most 50 ms, plus 10 ms of jitter), so 10 ms of slack keeps
    // the two apart.
    let interval = Duration::from_millis(150 - 10);
    assert!(
        gap(0) < Duration::from_millis(50 + 100),
        "jitter {:?}",
        gap(0)
    );
    assert!(gap(1) >= interval, "interval {:?}", gap(1));
    assert!(gap(2) >= interval, "interval {:?}", gap(2));
    let stats = hub.stats();
    assert_eq!((stats.endpoint_calls, stats.busy_answers), (4, 3));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_during_a_slow_handler_returns_within_a_second() {
    let (emulator, server) = emulator(50).await;
    let started = Arc::new(tokio::sync::Notify::new());
    let notify = started.clone();
    let dispatcher = Arc::new(Dispatcher::new(Webhook::new()).on(
        move |_: EventV2<ChatUpdatedV1>| {
            let notify = notify.clone();
            async move {
                notify.notify_one();
                tokio::time::sleep(Duration::from_secs(30)).await;
                Ok(())
            }
        },
    ));
    let client = connect(&server, dispatcher);
    connected(&client).await;
    rename(&emulator, "slow-1");
    tokio::time::timeout(Duration::from_secs(5), started.notified())
        .await
        .unwrap();
    let t = Instant::now();
    client.shutdown().await;
    let took = t.elapsed();
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(
        client.state(),
        State::Stopped {
            reason: StopReason::Shutdown
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sane_server_config_from_pongs_is_applied() {
    let (emulator, server) = ws_chat::serve(APP, SECRET, 50, 7).await;
    let seen = Seen::default();
    let client = LongConnection::builder(APP, SECRET, seen.dispatcher(None, Duration::ZERO))
        .base_url(server.url())
        .start()
        .unwrap();
    connected(&client).await;
    until("a pong", Duration::from_secs(5), || {
        emulator.long_connection().stats().pongs >= 1
    })
    .await;
    let config = client.config();
    assert_eq!(config.ping_interval, Duration::from_secs(7));
    assert_eq!(config.reconnect_interval, Duration::from_secs(1));
    assert_eq!(config.reconnect_count, -1);
    client.shutdown().await;
}

#[tokio::test]
async fn wrong_credentials_stop_at_once() {
    let (emulator, server) = emulator(50).await;
    let client = LongConnection::builder(
        APP,
        "not-the-secret",
        Seen::default().dispatcher(None, Duration::ZERO),
    )
    .base_url(server.url())
    .client_config(fast())
    .start()
    .unwrap();
    let reason = tokio::time::timeout(Duration::from_secs(5), client.stopped())
        .await
        .unwrap();
    assert!(
        matches!(
            reason,
            StopReason::Terminal(WsError::EndpointRejected { code: 10014, .. })
        ),
        "{reason:?}"
    );
    assert_eq!(emulator.long_connection().stats().endpoint_calls, 1);
}

/// Runs `fault` every `every` for `window` (a bounded loop).
async fn keep_faulting(window: Duration, every: Duration, fault: impl Fn()) {
    let start = Instant::now();
    while start.elapsed() < window {
        fault();
        tokio::time::sleep(every).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redials_have_a_floor_even_after_a_connection_that_succeeded() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    let seen = Seen::default();
    // The server's policy allows an immediate redial: no nonce, a 1 s
    // interval that applies only from the second attempt on.
    let client = LongConnection::builder(APP, SECRET, seen.dispatcher(None, Duration::ZERO))
        .base_url(server.url())
        .client_config(ClientConfig {
            reconnect_nonce: Duration::ZERO,
            reconnect_interval: Duration::from_secs(1),
            ..fast()
        })
        .follow_server_config(false)
        .start()
        .unwrap();
    connected(&client).await;
    let before = hub.stats().endpoint_calls;
    // Every connection is dropped as soon as it is up.
    keep_faulting(
        Duration::from_millis(1500),
        Duration::from_millis(2),
        || {
            hub.close_abruptly();
        },
    )
    .await;
    let dials = hub.stats().endpoint_calls - before;
    eprintln!("FIGURES connect-then-drop server: {dials} dials in 1.5 s");
    // The default floor is 1 s (plus up to 500 ms of jitter): at most two
    // redials fit in 1.5 s.
    assert!(dials <= 2, "{dials} dials in 1.5 s");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silences_and_drops_during_slow_handlers_always_lead_to_a_reconnect() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    acks_due_within_300ms(&emulator);
    let seen = Seen::default();
    let client = LongConnection::builder(
        APP,
        SECRET,
        seen.dispatcher(Some(1), Duration::from_millis(300)),
    )
    .base_url(server.url())
    .client_config(fast())
    .follow_server_config(false)
    .ping_timeout(Duration::from_millis(300))
    .min_reconnect_delay(Duration::from_millis(20))
    .start()
    .unwrap();
    let mut states = client.states();
    for round in 0..6 {
        connected(&client).await;
        for i in 0..20 {
            rename(&emulator, &format!("round{round}-{i}"));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        hub.go_silent();
        tokio::time::sleep(Duration::from_millis(10 * round)).await;
        hub.close_abruptly();
        // The loss is noticed and a reconnect follows.
        loop {
            match tokio::time::timeout(Duration::from_secs(3), states.next()).await {
                Ok(Some(State::Reconnecting { .. })) => break,
                Ok(Some(State::Stopped { reason })) => {
                    panic!("stopped in round {round}: {reason:?}")
                }
                Ok(Some(_)) => continue,
                other => panic!("no reconnect in round {round}: {other:?}"),
            }
        }
    }
    connected(&client).await;
    rename(&emulator, "last-1");
    until(
        "the event after the last reconnect",
        Duration::from_secs(10),
        || seen.names.lock().unwrap().iter().any(|n| n == "last-1"),
    )
    .await;
    client.shutdown().await;
    assert_eq!(
        client.state(),
        State::Stopped {
            reason: StopReason::Shutdown
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panicking_handlers_are_answered_and_their_events_redelivered() {
    let (emulator, server) = emulator(50).await;
    let hub = emulator.long_connection();
    acks_due_within_300ms(&emulator);
    let seen = Seen::default();
    let runs = Arc::new(Mutex::new(HashMap::<String, u32>::new()));
    let first = runs.clone();
    let inner = seen.dispatcher(None, Duration::ZERO);
    // The first run of every event panics; the redelivery succeeds.
    let dispatcher = Arc::new(Dispatcher::new(Webhook::new()).on(
        move |e: EventV2<ChatUpdatedV1>| {
            let (first, inner) = (first.clone(), inner.clone());
            async move {
                let n = {
                    let mut runs = first.lock().unwrap();
                    let n = runs.entry(e.header.event_id.clone()).or_default();
                    *n += 1;
                    *n
                };
                if n == 1 {
                    panic!("first run of {}", e.header.event_id);
                }
                let body = serde_json::to_vec(&e).unwrap();
                inner.handle(&[] as &[(&str, &str)], &body).await;
                Ok(())
            }
        },
    ));
    // Four messages at most may be pending: leaked slots would block all.
    let client = LongConnection::builder(APP, SECRET, dispatcher)
        .base_url(server.url())
        .client_config(fast())
        .follow_server_config(false)
        .workers(2, 4)
        .start()
        .unwrap();
    connected(&client).await;
    for i in 1..=12 {
        rename(&emulator, &format!("panicky-{i}"));
    }
    until(
        "12 events handled after their panics",
        Duration::from_secs(60),
        || seen.handled() == 12 && hub.stats().delivered == 12,
    )
    .await;
    assert!(runs.lock().unwrap().values().all(|&n| n == 2));
    assert_eq!(hub.stats().failed, 0);
    client.shutdown().await;
}

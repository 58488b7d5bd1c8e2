//! [`LongConnectionServer`]: the live connections, the issued tickets, the
//! pending acknowledgements, the settings and the fault switches.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use feishu_model::AppId;
use parking_lot::Mutex;
use tokio::sync::{mpsc, oneshot, watch};

use crate::delivery::DeliveryConfig;
use crate::fixture::LongConnectionSeed;

/// Tunables of the long-connection server.
#[derive(Debug, Clone, PartialEq)]
pub struct LongConnectionSettings {
    /// Redelivery timing: `attempt_timeout` is the acknowledgement
    /// deadline (3 s), `retry_schedule` run `time_scale` times as fast.
    pub delivery: DeliveryConfig,
    /// Payloads above this many bytes are sent as fragments of this size.
    pub fragment_size: usize,
    /// The `ClientConfig` of endpoint answers and pongs, and the limit.
    pub seed: LongConnectionSeed,
}

/// Counters of the long-connection server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LongConnectionStats {
    /// `POST /callback/ws/endpoint` calls.
    pub endpoint_calls: u64,
    /// Endpoint calls answered "system busy".
    pub busy_answers: u64,
    /// Upgrades accepted.
    pub connections: u64,
    /// Upgrades refused for the connection limit.
    pub limit_refusals: u64,
    /// Events sent (first deliveries and redeliveries).
    pub deliveries: u64,
    /// Of those, redeliveries.
    pub redeliveries: u64,
    /// Events acknowledged with code 200 in time.
    pub delivered: u64,
    /// Events given up after the last retry.
    pub failed: u64,
    /// Data frames sent (fragments count one each).
    pub data_frames: u64,
    /// Pongs sent.
    pub pongs: u64,
}

/// What a connection task is told to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
    /// Serve normally.
    None,
    /// Stop reading and answering; keep the TCP connection open.
    Silent,
    /// Drop the connection without a close frame.
    Drop,
}

/// A client's acknowledgement of a data message: its code and, for a
/// callback, the decoded `data` (the app's answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ack {
    pub(crate) code: u16,
    pub(crate) data: Option<Vec<u8>>,
}

pub(crate) struct Conn {
    pub(crate) app: AppId,
    pub(crate) service_id: i32,
    pub(crate) frames: mpsc::Sender<Vec<u8>>,
    pub(crate) fault: watch::Sender<Fault>,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) endpoint_calls: AtomicU64,
    pub(crate) busy_answers: AtomicU64,
    pub(crate) connections: AtomicU64,
    pub(crate) limit_refusals: AtomicU64,
    pub(crate) deliveries: AtomicU64,
    pub(crate) redeliveries: AtomicU64,
    pub(crate) delivered: AtomicU64,
    pub(crate) failed: AtomicU64,
    pub(crate) data_frames: AtomicU64,
    pub(crate) pongs: AtomicU64,
}

pub(crate) struct Inner {
    pub(crate) settings: Mutex<LongConnectionSettings>,
    pub(crate) busy: Mutex<u32>,
    pub(crate) tickets: Mutex<HashMap<String, AppId>>,
    pub(crate) conns: Mutex<HashMap<u64, Conn>>,
    pub(crate) acks: Mutex<HashMap<String, oneshot::Sender<Ack>>>,
    pub(crate) apps: Mutex<HashSet<AppId>>,
    pub(crate) counters: Counters,
    pub(crate) next_id: AtomicU64,
    pub(crate) delivering: AtomicBool,
}

/// The long-connection server of one emulator. Cheap to clone.
#[derive(Clone)]
pub struct LongConnectionServer {
    pub(crate) inner: Arc<Inner>,
}

impl std::fmt::Debug for LongConnectionServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LongConnectionServer")
            .field("settings", &self.settings())
            .field("stats", &self.stats())
            .finish()
    }
}

impl LongConnectionServer {
    pub(crate) fn new(seed: Option<LongConnectionSeed>) -> Self {
        LongConnectionServer {
            inner: Arc::new(Inner {
                settings: Mutex::new(LongConnectionSettings {
                    delivery: DeliveryConfig::default(),
                    fragment_size: super::DEFAULT_FRAGMENT_SIZE,
                    seed: seed.unwrap_or_default(),
                }),
                busy: Mutex::new(0),
                tickets: Mutex::new(HashMap::new()),
                conns: Mutex::new(HashMap::new()),
                acks: Mutex::new(HashMap::new()),
                apps: Mutex::new(HashSet::new()),
                counters: Counters::default(),
                next_id: AtomicU64::new(1),
                delivering: AtomicBool::new(false),
            }),
        }
    }

    /// The current settings.
    pub fn settings(&self) -> LongConnectionSettings {
        self.inner.settings.lock().clone()
    }

    /// Replaces the settings (takes effect for the next frames and dials).
    pub fn configure(&self, settings: LongConnectionSettings) {
        *self.inner.settings.lock() = settings;
    }

    /// Changes the settings in place.
    pub fn update(&self, change: impl FnOnce(&mut LongConnectionSettings)) {
        change(&mut self.inner.settings.lock());
    }

    /// Answers the next `calls` endpoint calls with code 1, "system busy".
    pub fn endpoint_busy(&self, calls: u32) {
        *self.inner.busy.lock() = calls;
    }

    /// Makes every current connection silent: the server stops reading and
    /// answering but keeps the TCP connection open (a half-open socket).
    /// Returns how many connections went silent.
    pub fn go_silent(&self) -> usize {
        self.fault_all(Fault::Silent)
    }

    /// Drops every current connection without a close frame. Returns how
    /// many were dropped.
    pub fn close_abruptly(&self) -> usize {
        self.fault_all(Fault::Drop)
    }

    /// Makes every current connection of `app` silent (see [`Self::go_silent`]).
    /// Returns how many connections went silent.
    pub fn go_silent_for(&self, app: &AppId) -> usize {
        self.fault_app(app, Fault::Silent)
    }

    /// Drops every current connection of `app` without a close frame.
    /// Returns how many were dropped.
    pub fn close_abruptly_for(&self, app: &AppId) -> usize {
        self.fault_app(app, Fault::Drop)
    }

    pub(crate) fn fault_app(&self, app: &AppId, fault: Fault) -> usize {
        let conns = self.inner.conns.lock();
        let mut count = 0;
        for conn in conns.values().filter(|c| &c.app == app) {
            conn.fault.send_replace(fault);
            count += 1;
        }
        count
    }

    fn fault_all(&self, fault: Fault) -> usize {
        let conns = self.inner.conns.lock();
        for conn in conns.values() {
            conn.fault.send_replace(fault);
        }
        conns.len()
    }

    /// How many connections `app` has now (silent ones included).
    pub fn connections_of(&self, app: &AppId) -> usize {
        self.inner
            .conns
            .lock()
            .values()
            .filter(|c| &c.app == app)
            .count()
    }

    /// The counters.
    pub fn stats(&self) -> LongConnectionStats {
        let c = &self.inner.counters;
        let get = |a: &AtomicU64| a.load(Ordering::SeqCst);
        LongConnectionStats {
            endpoint_calls: get(&c.endpoint_calls),
            busy_answers: get(&c.busy_answers),
            connections: get(&c.connections),
            limit_refusals: get(&c.limit_refusals),
            deliveries: get(&c.deliveries),
            redeliveries: get(&c.redeliveries),
            delivered: get(&c.delivered),
            failed: get(&c.failed),
            data_frames: get(&c.data_frames),
            pongs: get(&c.pongs),
        }
    }

    pub(crate) fn next_id(&self) -> u64 {
        self.inner.next_id.fetch_add(1, Ordering::SeqCst)
    }

    pub(crate) fn count(&self, pick: impl Fn(&Counters) -> &AtomicU64) {
        pick(&self.inner.counters).fetch_add(1, Ordering::SeqCst);
    }
}

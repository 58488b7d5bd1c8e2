//! The event log: every event the emulator emitted (newest last), with the
//! delivery status of each receiver. Any delivery path reports its attempts
//! through [`EventLog::record_attempt`].

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::events::EmittedEvent;

/// How many events the log keeps (the oldest are dropped first).
pub const EVENT_LOG_CAPACITY: usize = 1000;

/// The receiver name of in-process subscribers ([`crate::Emulator::subscribe`]).
pub const IN_PROCESS_RECEIVER: &str = "in-process";

/// The receiver name of an event nobody received (no in-process subscriber,
/// no callback URL, no long connection of its app).
pub const NO_RECEIVER: &str = "none";

/// Tells whether a delivery task delivers events of an app.
pub(crate) type Claim = Box<dyn Fn(&str) -> bool + Send + Sync>;

/// The state of delivery of one event to one receiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// The receiver took the event.
    Delivered,
    /// The last attempt failed; another follows.
    Retrying {
        /// When the next attempt is due, in milliseconds since the epoch.
        next_attempt_ms: i64,
        /// Why the last attempt failed.
        error: String,
    },
    /// Delivery was given up.
    Failed {
        /// Why the last attempt failed.
        error: String,
    },
    /// Nobody was there to receive it (receiver [`NO_RECEIVER`]).
    NotDelivered {
        /// Why: `no receiver`.
        reason: String,
    },
}

impl std::fmt::Display for DeliveryStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DeliveryStatus::Delivered => f.write_str("delivered"),
            DeliveryStatus::Retrying { error, .. } => write!(f, "retrying: {error}"),
            DeliveryStatus::Failed { error } => write!(f, "failed: {error}"),
            DeliveryStatus::NotDelivered { reason } => write!(f, "not delivered: {reason}"),
        }
    }
}

/// One receiver's delivery state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// Who receives: [`IN_PROCESS_RECEIVER`] or a callback URL.
    pub receiver: String,
    /// The outcome of the latest attempt.
    #[serde(flatten)]
    pub status: DeliveryStatus,
    /// Attempts made so far.
    pub attempts: u32,
    /// When the latest attempt was recorded, in milliseconds since the epoch.
    pub updated_ms: i64,
}

/// One logged event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// `header.event_id` (v2.0 events) or `uuid` (v1.0 events).
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// The app it is addressed to.
    pub app_id: String,
    /// When it was logged, in milliseconds since the epoch.
    pub logged_ms: i64,
    /// The delivery state per receiver, in first-attempt order.
    pub deliveries: Vec<Delivery>,
    /// The callback body.
    pub body: serde_json::Value,
}

/// The id of an emitted event: `header.event_id`, or `uuid` for v1.0 events.
pub(crate) fn event_id_of(event: &EmittedEvent) -> String {
    let body = &event.body;
    body.pointer("/header/event_id")
        .or_else(|| body.get("uuid"))
        .and_then(serde_json::Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

struct Logged {
    record: EventRecord,
    event: EmittedEvent,
}

#[derive(Default)]
struct Inner {
    entries: Mutex<VecDeque<Logged>>,
    /// Subscriptions held by delivery tasks (not in-process receivers).
    delivery_tasks: AtomicUsize,
    /// Per delivery task, whether it delivers an app's events.
    claims: Mutex<Vec<Claim>>,
}

/// The event log of one emulator. Cheap to clone: clones share one log.
#[derive(Clone)]
pub struct EventLog {
    inner: Arc<Inner>,
    clock: Clock,
}

impl std::fmt::Debug for EventLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EventLog")
            .field("events", &self.inner.entries.lock().len())
            .finish()
    }
}

impl EventLog {
    pub(crate) fn new(clock: Clock) -> Self {
        EventLog {
            inner: Arc::default(),
            clock,
        }
    }

    /// Logs an event (once: an event already logged is left as is).
    pub(crate) fn record(&self, event: &EmittedEvent) {
        let event_id = event_id_of(event);
        let mut entries = self.inner.entries.lock();
        if entries.iter().any(|e| e.record.event_id == event_id) {
            return;
        }
        if entries.len() >= EVENT_LOG_CAPACITY {
            entries.pop_front();
        }
        entries.push_back(Logged {
            record: EventRecord {
                event_id,
                event_type: event.event_type().to_owned(),
                app_id: event.app_id.to_string(),
                logged_ms: self.clock.now_ms(),
                deliveries: Vec::new(),
                body: event.body.clone(),
            },
            event: event.clone(),
        });
    }

    /// Records an attempt to deliver `event_id` to `receiver`; `false` when
    /// the event is not (or no longer) in the log. An attempt of a real
    /// receiver replaces a [`NO_RECEIVER`] entry.
    pub fn record_attempt(&self, event_id: &str, receiver: &str, status: DeliveryStatus) -> bool {
        let now = self.clock.now_ms();
        let mut entries = self.inner.entries.lock();
        let Some(entry) = entries.iter_mut().find(|e| e.record.event_id == event_id) else {
            return false;
        };
        let deliveries = &mut entry.record.deliveries;
        if receiver != NO_RECEIVER {
            // A receiver turned up (a redelivery, a manual report): the event
            // no longer went nowhere.
            deliveries.retain(|d| d.receiver != NO_RECEIVER);
        }
        match deliveries.iter_mut().find(|d| d.receiver == receiver) {
            Some(d) => {
                d.status = status;
                d.attempts = d.attempts.saturating_add(1);
                d.updated_ms = now;
            }
            None => deliveries.push(Delivery {
                receiver: receiver.to_owned(),
                status,
                attempts: 1,
                updated_ms: now,
            }),
        }
        true
    }

    /// Every logged event, newest last.
    pub fn records(&self) -> Vec<EventRecord> {
        self.inner
            .entries
            .lock()
            .iter()
            .map(|e| e.record.clone())
            .collect()
    }

    /// One logged event.
    pub fn record_of(&self, event_id: &str) -> Option<EventRecord> {
        self.inner
            .entries
            .lock()
            .iter()
            .find(|e| e.record.event_id == event_id)
            .map(|e| e.record.clone())
    }

    /// The logged event itself, to deliver again.
    pub(crate) fn event(&self, event_id: &str) -> Option<EmittedEvent> {
        self.inner
            .entries
            .lock()
            .iter()
            .find(|e| e.record.event_id == event_id)
            .map(|e| e.event.clone())
    }

    /// Counts a delivery task's subscription (see `Core::publish`);
    /// `claim` tells whether the task delivers an app's events.
    pub(crate) fn delivery_task_started(&self, claim: Claim) {
        self.inner.delivery_tasks.fetch_add(1, Ordering::SeqCst);
        self.inner.claims.lock().push(claim);
    }

    /// Whether some delivery task delivers the events of `app_id`.
    pub(crate) fn claimed(&self, app_id: &str) -> bool {
        self.inner.claims.lock().iter().any(|claim| claim(app_id))
    }

    /// How many delivery tasks subscribed.
    pub(crate) fn delivery_tasks(&self) -> usize {
        self.inner.delivery_tasks.load(Ordering::SeqCst)
    }
}

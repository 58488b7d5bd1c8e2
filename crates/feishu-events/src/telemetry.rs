//! The receiving side's metrics, recorded through the `metrics` facade (see
//! the README's Observability section for the table). Labels are bounded: event types the
//! dispatcher has a handler for (any other is `other`), answer statuses and
//! rejection kinds, never event, chat or user ids. Without an installed
//! recorder every call here is a no-op.

use std::time::Duration;

/// Events received (after the request checks), by event type.
pub const EVENTS_RECEIVED_TOTAL: &str = "feishu_events_received_total";
/// Redelivered events answered without running the handler, by event type.
pub const EVENTS_DUPLICATES_TOTAL: &str = "feishu_events_duplicates_total";
/// Handler runs that failed or panicked, by event type.
pub const HANDLER_FAILURES_TOTAL: &str = "feishu_events_handler_failures_total";
/// Handler run time, by event type.
pub const HANDLER_DURATION_SECONDS: &str = "feishu_events_handler_duration_seconds";
/// Answers given, by HTTP status (`status`).
pub const ANSWERS_TOTAL: &str = "feishu_events_answers_total";
/// Requests refused by the checks, by reason (`signature`, `decrypt`, ...).
pub const REJECTED_TOTAL: &str = "feishu_events_rejected_total";

/// The long connection's state: 1 for the current one, 0 for the others.
#[cfg(feature = "ws")]
pub const WS_CONNECTION_STATE: &str = "feishu_ws_connection_state";
/// Reconnect attempts.
#[cfg(feature = "ws")]
pub const WS_RECONNECTS_TOTAL: &str = "feishu_ws_reconnects_total";
/// Pings the server did not answer (no frame before the next ping or the
/// ping timeout).
#[cfg(feature = "ws")]
pub const WS_PINGS_UNANSWERED_TOTAL: &str = "feishu_ws_pings_unanswered_total";
/// Seconds since the last event was received over the long connection.
#[cfg(feature = "ws")]
pub const WS_LAST_EVENT_AGE_SECONDS: &str = "feishu_ws_last_event_age_seconds";
/// Incomplete fragmented messages dropped.
#[cfg(feature = "ws")]
pub const WS_FRAGMENTS_DROPPED_TOTAL: &str = "feishu_ws_fragment_sets_dropped_total";
/// Complete messages dropped while waiting for a handler.
#[cfg(feature = "ws")]
pub const WS_QUEUED_DROPPED_TOTAL: &str = "feishu_ws_queued_messages_dropped_total";

/// An event passed the checks.
pub(crate) fn received(event_type: &str) {
    metrics::counter!(EVENTS_RECEIVED_TOTAL, "event_type" => event_type.to_owned()).increment(1);
}

/// A redelivery was answered without running the handler.
pub(crate) fn duplicate(event_type: &str) {
    metrics::counter!(EVENTS_DUPLICATES_TOTAL, "event_type" => event_type.to_owned()).increment(1);
}

/// A handler ran for `elapsed`, successfully or not.
pub(crate) fn handled(event_type: &str, ok: bool, elapsed: Duration) {
    metrics::histogram!(HANDLER_DURATION_SECONDS, "event_type" => event_type.to_owned())
        .record(elapsed.as_secs_f64());
    if !ok {
        metrics::counter!(HANDLER_FAILURES_TOTAL, "event_type" => event_type.to_owned())
            .increment(1);
    }
}

/// An answer with `status` was given.
pub(crate) fn answered(status: u16) {
    metrics::counter!(ANSWERS_TOTAL, "status" => status.to_string()).increment(1);
}

/// A request was refused by the checks for `reason`.
pub(crate) fn rejected(reason: &'static str) {
    metrics::counter!(REJECTED_TOTAL, "reason" => reason).increment(1);
}

/// The long connection moved to `state` (one of [`STATES`]).
#[cfg(feature = "ws")]
pub(crate) fn ws_state(state: &'static str) {
    for name in STATES {
        let value = if name == state { 1.0 } else { 0.0 };
        metrics::gauge!(WS_CONNECTION_STATE, "state" => name).set(value);
    }
    if state == "reconnecting" {
        metrics::counter!(WS_RECONNECTS_TOTAL).increment(1);
    }
}

/// The label values of [`WS_CONNECTION_STATE`].
#[cfg(feature = "ws")]
pub const STATES: [&str; 5] = [
    "connecting",
    "connected",
    "stale",
    "reconnecting",
    "stopped",
];

/// A ping went unanswered.
#[cfg(feature = "ws")]
pub(crate) fn ping_unanswered() {
    metrics::counter!(WS_PINGS_UNANSWERED_TOTAL).increment(1);
}

/// The age of the last event (or of the connection, before any event).
#[cfg(feature = "ws")]
pub(crate) fn last_event_age(age: Duration) {
    metrics::gauge!(WS_LAST_EVENT_AGE_SECONDS).set(age.as_secs_f64());
}

/// Messages dropped to stay within the memory budgets.
#[cfg(feature = "ws")]
pub(crate) fn dropped(fragment_sets: u64, queued_messages: u64) {
    if fragment_sets > 0 {
        metrics::counter!(WS_FRAGMENTS_DROPPED_TOTAL).increment(fragment_sets);
    }
    if queued_messages > 0 {
        metrics::counter!(WS_QUEUED_DROPPED_TOTAL).increment(queued_messages);
    }
}

//! [`Status`]: where a long connection stands and when it last heard from
//! the server, shared by the client, its background task and the session.

use std::time::Duration;

use parking_lot::Mutex;
use tokio::sync::{broadcast, watch};
use tokio::time::Instant;

use super::client::State;

/// When the connection last heard from the server.
#[derive(Debug, Default, Clone, Copy)]
struct Marks {
    /// The last frame of any kind (pongs included).
    frame: Option<Instant>,
    /// The last complete event (or callback) message.
    event: Option<Instant>,
    /// When the current connection came up.
    connected: Option<Instant>,
}

/// The state channels and the liveness marks.
pub(crate) struct Status {
    state: watch::Sender<State>,
    changes: broadcast::Sender<State>,
    marks: Mutex<Marks>,
}

impl Status {
    /// A status starting at `Connecting`, and the first receiver of its
    /// changes.
    pub(crate) fn new() -> (Status, broadcast::Receiver<State>) {
        let (state, _) = watch::channel(State::Connecting);
        let (changes, first) = broadcast::channel(256);
        let status = Status {
            state,
            changes,
            marks: Mutex::new(Marks::default()),
        };
        (status, first)
    }

    /// A receiver of the current state.
    pub(crate) fn watch(&self) -> watch::Receiver<State> {
        self.state.subscribe()
    }

    /// A receiver of the changes from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<State> {
        self.changes.subscribe()
    }

    /// Moves to `state`, telling the watchers and the changes stream.
    pub(crate) fn set(&self, state: State) {
        tracing::info!(state = ?state, "long connection state");
        #[cfg(feature = "metrics")]
        crate::telemetry::ws_state(state.label());
        self.state.send_replace(state.clone());
        let _ = self.changes.send(state);
    }

    /// A connection came up at `now`.
    pub(crate) fn connected(&self, now: Instant) {
        {
            let mut marks = self.marks.lock();
            marks.connected = Some(now);
            marks.frame = Some(now);
        }
        self.set(State::Connected);
    }

    /// A frame arrived at `now`.
    pub(crate) fn frame(&self, now: Instant) {
        self.marks.lock().frame = Some(now);
    }

    /// A complete event message arrived at `now`: a stale connection is
    /// `Connected` again.
    pub(crate) fn event(&self, now: Instant) {
        self.marks.lock().event = Some(now);
        if matches!(*self.state.borrow(), State::Stale) {
            self.set(State::Connected);
        }
    }

    /// Time since the last frame, if one arrived.
    pub(crate) fn since_frame(&self, now: Instant) -> Option<Duration> {
        self.marks
            .lock()
            .frame
            .map(|t| now.saturating_duration_since(t))
    }

    /// Time since the last event, if one arrived.
    pub(crate) fn since_event(&self, now: Instant) -> Option<Duration> {
        self.marks
            .lock()
            .event
            .map(|t| now.saturating_duration_since(t))
    }

    /// Time since the last event of this connection, or since it came up.
    #[cfg(feature = "metrics")]
    pub(crate) fn quiet_for(&self, now: Instant) -> Option<Duration> {
        let marks = *self.marks.lock();
        let since = match (marks.event, marks.connected) {
            (Some(e), Some(c)) => Some(e.max(c)),
            (e, c) => e.or(c),
        };
        since.map(|t| now.saturating_duration_since(t))
    }

    /// When the connection turns stale after `after` without an event:
    /// `None` unless it is `Connected`.
    pub(crate) fn stale_at(&self, after: Duration) -> Option<Instant> {
        if !matches!(*self.state.borrow(), State::Connected) {
            return None;
        }
        let marks = *self.marks.lock();
        let since = match (marks.event, marks.connected) {
            (Some(e), Some(c)) => e.max(c),
            (Some(t), None) | (None, Some(t)) => t,
            (None, None) => return None,
        };
        Some(since + after)
    }

    /// No event arrived in time: a `Connected` connection is `Stale` (it is
    /// kept open).
    pub(crate) fn stale(&self) {
        if matches!(*self.state.borrow(), State::Connected) {
            self.set(State::Stale);
        }
    }
}

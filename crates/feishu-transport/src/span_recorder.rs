//! A `tracing` subscriber that keeps every span and event it sees, for tests
//! that assert what a subscriber would be told (the `feishu.call` span's
//! attributes, the span an event was logged in, that no secret reaches a
//! log). Behind the `test-util` feature.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::ThreadId;

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Dispatch, Event, Level, Metadata, Subscriber};

/// A span as recorded: its name, the span it was opened in, and its field
/// values in the order they were given (at creation, then each `record`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedSpan {
    /// The span's name.
    pub name: String,
    /// The id of the span it was opened in, if any.
    pub parent: Option<u64>,
    /// Field names and values; a `&str` value as given, any other value as
    /// its `Debug` output.
    pub fields: Vec<(String, String)>,
}

/// An event as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    /// The event's level.
    pub level: Level,
    /// The event's target (its module path unless one was given).
    pub target: String,
    /// The id of the innermost span entered on the logging thread, if any.
    pub span: Option<u64>,
    /// Field names and values, the message among them as `message`.
    pub fields: Vec<(String, String)>,
}

/// Keeps every span and event of every level; install its [`Dispatch`]
/// with `tracing::dispatcher::set_default` (one thread) or
/// `set_global_default` (every thread).
///
/// ```
/// use feishu_transport::SpanRecorder;
///
/// let (recorder, dispatch) = SpanRecorder::dispatch();
/// tracing::dispatcher::with_default(&dispatch, || {
///     let span = tracing::info_span!("work", job = "sync");
///     let _entered = span.enter();
///     tracing::warn!(target: "app", "slow");
/// });
/// let spans = recorder.named("work");
/// assert_eq!(spans.len(), 1);
/// assert_eq!(spans[0].1.fields, [("job".to_owned(), "sync".to_owned())]);
/// assert_eq!(recorder.logged_in("app"), [spans[0].0]);
/// ```
#[derive(Debug, Default)]
pub struct SpanRecorder {
    next: AtomicU64,
    spans: Mutex<BTreeMap<u64, RecordedSpan>>,
    events: Mutex<Vec<RecordedEvent>>,
    /// The spans entered on each thread, innermost last.
    entered: Mutex<HashMap<ThreadId, Vec<u64>>>,
}

impl SpanRecorder {
    /// A new recorder and the dispatch that feeds it.
    pub fn dispatch() -> (Arc<SpanRecorder>, Dispatch) {
        let recorder = Arc::new(SpanRecorder::default());
        (recorder.clone(), Dispatch::new(Recording(recorder)))
    }

    /// Every span with its id, oldest first.
    pub fn spans(&self) -> Vec<(u64, RecordedSpan)> {
        lock(&self.spans)
            .iter()
            .map(|(id, span)| (*id, span.clone()))
            .collect()
    }

    /// The spans named `name` with their ids, oldest first.
    pub fn named(&self, name: &str) -> Vec<(u64, RecordedSpan)> {
        lock(&self.spans)
            .iter()
            .filter(|(_, span)| span.name == name)
            .map(|(id, span)| (*id, span.clone()))
            .collect()
    }

    /// Every event, in the order logged.
    pub fn events(&self) -> Vec<RecordedEvent> {
        lock(&self.events).clone()
    }

    /// The innermost span of each event of `target` that was logged inside
    /// one, in the order logged.
    pub fn logged_in(&self, target: &str) -> Vec<u64> {
        lock(&self.events)
            .iter()
            .filter(|event| event.target == target)
            .filter_map(|event| event.span)
            .collect()
    }

    /// The innermost span entered on this thread.
    fn current(&self) -> Option<u64> {
        lock(&self.entered)
            .get(&std::thread::current().id())
            .and_then(|stack| stack.last().copied())
    }
}

/// A test's assertion failing while another thread logs leaves the lock
/// poisoned; what was recorded is still worth reading.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Appends each field value given.
struct Values<'a>(&'a mut Vec<(String, String)>);

impl Visit for Values<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

/// The subscriber feeding a [`SpanRecorder`].
struct Recording(Arc<SpanRecorder>);

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        let parent = match span.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if span.is_contextual() => self.0.current(),
            None => None,
        };
        let mut record = RecordedSpan {
            name: span.metadata().name().to_owned(),
            parent,
            fields: Vec::new(),
        };
        span.record(&mut Values(&mut record.fields));
        lock(&self.0.spans).insert(id, record);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(record) = lock(&self.0.spans).get_mut(&span.into_u64()) {
            values.record(&mut Values(&mut record.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let mut fields = Vec::new();
        event.record(&mut Values(&mut fields));
        let metadata = event.metadata();
        let recorded = RecordedEvent {
            level: *metadata.level(),
            target: metadata.target().to_owned(),
            span: self.0.current(),
            fields,
        };
        lock(&self.0.events).push(recorded);
    }

    fn enter(&self, span: &Id) {
        lock(&self.0.entered)
            .entry(std::thread::current().id())
            .or_default()
            .push(span.into_u64());
    }

    fn exit(&self, _: &Id) {
        if let Some(stack) = lock(&self.0.entered).get_mut(&std::thread::current().id()) {
            stack.pop();
        }
    }
}

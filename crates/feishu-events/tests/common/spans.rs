//! A tracing subscriber that keeps every span (its name, parent and field
//! values) and the innermost span each event was logged in.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Dispatch, Event, Metadata, Subscriber};

thread_local! {
    /// The spans entered on this thread, innermost last.
    static CURRENT: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
}

/// A span: its name, its parent and its field values in the order given.
#[derive(Debug, Default, Clone)]
pub struct SpanRecord {
    /// The span's name.
    pub name: String,
    /// The span it was opened in (not every test looks at the nesting).
    #[allow(dead_code)]
    pub parent: Option<u64>,
    /// The field values, in the order given.
    pub fields: Vec<(String, String)>,
}

/// Every span by id, and the target and innermost span of every event.
#[derive(Default)]
pub struct Recorder {
    next: AtomicU64,
    spans: Mutex<HashMap<u64, SpanRecord>>,
    events: Mutex<Vec<(String, Option<u64>)>>,
}

impl Recorder {
    /// A new recorder and the dispatch that feeds it.
    pub fn dispatch() -> (Arc<Recorder>, Dispatch) {
        let recorder = Arc::new(Recorder::default());
        (recorder.clone(), Dispatch::new(Recording(recorder)))
    }

    /// The spans named `name` with their ids, oldest first.
    pub fn named(&self, name: &str) -> Vec<(u64, SpanRecord)> {
        let mut spans: Vec<(u64, SpanRecord)> = self
            .spans
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, s)| s.name == name)
            .map(|(id, s)| (*id, s.clone()))
            .collect();
        spans.sort_by_key(|(id, _)| *id);
        spans
    }

    /// The innermost span of each event of `target` logged inside one (not
    /// every test logs).
    #[allow(dead_code)]
    pub fn logged_in(&self, target: &str) -> Vec<u64> {
        let events = self.events.lock().unwrap();
        events
            .iter()
            .filter(|(t, _)| t == target)
            .filter_map(|(_, span)| *span)
            .collect()
    }
}

/// Appends each field value given to a span.
struct Values<'a>(&'a mut Vec<(String, String)>);

impl Visit for Values<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push((field.name().to_owned(), format!("{value:?}")));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_owned(), value.to_owned()));
    }
}

/// The subscriber feeding a [`Recorder`].
struct Recording(Arc<Recorder>);

impl Subscriber for Recording {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.0.next.fetch_add(1, Ordering::Relaxed) + 1;
        let parent = match span.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if span.is_contextual() => CURRENT.with(|c| c.borrow().last().copied()),
            None => None,
        };
        let mut record = SpanRecord {
            name: span.metadata().name().to_owned(),
            parent,
            fields: Vec::new(),
        };
        span.record(&mut Values(&mut record.fields));
        self.0.spans.lock().unwrap().insert(id, record);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        if let Some(record) = self.0.spans.lock().unwrap().get_mut(&span.into_u64()) {
            values.record(&mut Values(&mut record.fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let span = CURRENT.with(|c| c.borrow().last().copied());
        let target = event.metadata().target().to_owned();
        self.0.events.lock().unwrap().push((target, span));
    }

    fn enter(&self, span: &Id) {
        CURRENT.with(|c| c.borrow_mut().push(span.into_u64()));
    }

    fn exit(&self, _: &Id) {
        CURRENT.with(|c| {
            c.borrow_mut().pop();
        });
    }
}

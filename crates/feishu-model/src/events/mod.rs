//! Group events.

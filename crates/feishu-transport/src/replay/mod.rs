//! Replay assertions for tests: recorded requests, request matchers that
//! compare JSON bodies semantically, and the JSON diff both use. Behind the
//! `test-util` feature; [`crate::ScriptedTransport`] builds on them.

mod diff;
mod request;

pub use diff::{diff, includes, show, Problem, ABSENT};
pub use request::{RecordedRequest, RequestMatcher};

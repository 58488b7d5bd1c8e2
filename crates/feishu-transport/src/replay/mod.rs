//! Replay assertions for tests: recorded requests, request matchers that
//! compare JSON bodies semantically, and the JSON diff both use. Behind the
//! `test-util` feature; [`crate::ScriptedTransport`] builds on them.

mod diff;
mod request;

pub use diff::{diff, includes, show, Problem, ABSENT};
pub use request::{RecordedRequest, RequestMatcher};

use crate::transport::{response, HttpResponse};

/// A canned response: status, body and header pairs (a pair that is not a
/// valid header is skipped).
pub fn canned(status: u16, body: &str, headers: &[(&str, &str)]) -> HttpResponse {
    let mut r = response(status, body.to_owned());
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(value),
        ) {
            r.headers_mut().append(name, value);
        }
    }
    r
}

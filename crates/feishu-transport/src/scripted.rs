//! A scripted transport for tests: answers canned responses in order and
//! records every request it saw. Behind the `test-util` feature.

use std::collections::VecDeque;
use std::sync::Mutex;

use async_trait::async_trait;

use crate::http::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Serves queued responses in order; records requests.
#[derive(Debug, Default)]
pub struct ScriptedTransport {
    script: Mutex<VecDeque<Result<HttpResponse, TransportError>>>,
    seen: Mutex<Vec<HttpRequest>>,
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        ScriptedTransport::default()
    }

    /// Queues a response.
    pub fn push(&self, response: HttpResponse) -> &Self {
        lock(&self.script).push_back(Ok(response));
        self
    }

    /// Queues a JSON response with the given status.
    pub fn push_json(&self, status: u16, body: &serde_json::Value) -> &Self {
        self.push(
            HttpResponse::new(status, body.to_string())
                .with_header("content-type", "application/json"),
        )
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        lock(&self.script).push_back(Err(error));
        self
    }

    /// Every request seen so far, in order.
    pub fn requests(&self) -> Vec<HttpRequest> {
        lock(&self.seen).clone()
    }

    /// How many responses are still queued.
    pub fn remaining(&self) -> usize {
        lock(&self.script).len()
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        lock(&self.seen).push(request);
        lock(&self.script).pop_front().unwrap_or_else(|| {
            Err(TransportError::new(
                TransportErrorKind::Other,
                "scripted transport: no response left in the script",
            ))
        })
    }
}

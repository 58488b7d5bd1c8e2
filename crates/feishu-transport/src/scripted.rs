//! A scripted transport for tests. Behind the `test-util` feature.
//!
//! Two ways to script it, which can be mixed:
//! - a queue: [`ScriptedTransport::push`] answers requests in order, whatever
//!   they are;
//! - expectations: [`ScriptedTransport::expect`] answers only a request that
//!   matches (method, path, query, headers, JSON body compared semantically),
//!   each once; [`ScriptedTransport::verify`] then reports expectations never
//!   used and requests that matched none.
//!
//! Every request is recorded ([`ScriptedTransport::requests`]).

use parking_lot::Mutex;
use std::collections::VecDeque;
use std::fmt;

use async_trait::async_trait;
use serde_json::Value;

use crate::replay::{Problem, RecordedRequest, RequestMatcher};
use crate::transport::{
    response, HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind,
};
use http::Method;

type Answer = Result<HttpResponse, TransportError>;

struct Expectation {
    matcher: RequestMatcher,
    answer: Option<Answer>,
}

#[derive(Default)]
struct Script {
    queue: VecDeque<Answer>,
    expectations: Vec<Expectation>,
    unmatched: Vec<String>,
}

/// Serves scripted responses; records requests.
#[derive(Default)]
pub struct ScriptedTransport {
    script: Mutex<Script>,
    seen: Mutex<Vec<RecordedRequest>>,
}

impl fmt::Debug for ScriptedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let script = self.script.lock();
        f.debug_struct("ScriptedTransport")
            .field("queued", &script.queue.len())
            .field("expectations", &script.expectations.len())
            .finish()
    }
}

/// What [`ScriptedTransport::verify`] found wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("scripted transport: {}", self.lines().join("; "))]
pub struct ReplayMismatch {
    /// Expectations never used (`METHOD path`).
    pub unused: Vec<String>,
    /// Requests that matched no expectation, each with why.
    pub unmatched: Vec<String>,
}

impl ReplayMismatch {
    fn lines(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .unused
            .iter()
            .map(|u| format!("expected but never sent: {u}"))
            .collect();
        out.extend(self.unmatched.iter().map(|u| format!("unexpected: {u}")));
        out
    }
}

/// An expectation being written: finish it with one of the `respond` methods.
#[must_use = "an expectation is registered by respond(..)"]
pub struct ExpectationBuilder<'t> {
    transport: &'t ScriptedTransport,
    matcher: RequestMatcher,
}

impl<'t> ExpectationBuilder<'t> {
    /// Requires the query key `name` with `value` (repeat for repeated keys);
    /// once one is given, unlisted keys are mismatches.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.matcher = self.matcher.query(name, value);
        self
    }

    /// Requires header `name` with exactly `value`.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.matcher = self.matcher.header(name, value);
        self
    }

    /// Requires this JSON body, compared semantically.
    pub fn json_body(mut self, body: Value) -> Self {
        self.matcher = self.matcher.json_body(body);
        self
    }

    /// Requires that no body was sent.
    pub fn no_body(mut self) -> Self {
        self.matcher = self.matcher.no_body();
        self
    }

    /// Answers the matching request with `response`.
    pub fn respond(self, response: HttpResponse) -> &'t ScriptedTransport {
        self.finish(Ok(response))
    }

    /// Answers the matching request with a JSON body and `status`.
    pub fn respond_json(self, status: u16, body: &Value) -> &'t ScriptedTransport {
        self.finish(Ok(json_response(status, body)))
    }

    /// Answers the matching request with a transport failure.
    pub fn respond_error(self, error: TransportError) -> &'t ScriptedTransport {
        self.finish(Err(error))
    }

    fn finish(self, answer: Answer) -> &'t ScriptedTransport {
        let transport = self.transport;
        transport.script.lock().expectations.push(Expectation {
            matcher: self.matcher,
            answer: Some(answer),
        });
        transport
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    let mut r = response(status, body.to_string());
    r.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/json"),
    );
    r
}

impl ScriptedTransport {
    /// An empty script.
    pub fn new() -> Self {
        ScriptedTransport::default()
    }

    /// Queues a response, served to the next request that no expectation takes.
    pub fn push(&self, response: HttpResponse) -> &Self {
        self.script.lock().queue.push_back(Ok(response));
        self
    }

    /// Queues a JSON response with the given status.
    pub fn push_json(&self, status: u16, body: &Value) -> &Self {
        self.push(json_response(status, body))
    }

    /// Queues a transport failure.
    pub fn push_error(&self, error: TransportError) -> &Self {
        self.script.lock().queue.push_back(Err(error));
        self
    }

    /// Expects one request `method path` (path as sent, percent-encoded).
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use std::sync::Arc;
    /// use feishu_model::im::chat::GetChat;
    /// use feishu_transport::{http::Method, Client, ScriptedTransport};
    /// use serde_json::json;
    ///
    /// let transport = Arc::new(ScriptedTransport::new());
    /// transport
    ///     .expect(Method::GET, "/open-apis/im/v1/chats/oc_1")
    ///     .query("user_id_type", "union_id")
    ///     .no_body()
    ///     .respond_json(200, &json!({"code": 0, "msg": "ok", "data": {"name": "ops"}}));
    /// let client = Client::builder().static_tenant_token("t-1").transport(transport.clone()).build().unwrap();
    /// let mut get = GetChat::new("oc_1");
    /// get.query.user_id_type = Some(feishu_model::UserIdType::UnionId);
    /// let chat = client.call(get).await.unwrap();
    /// assert_eq!(chat.name.as_deref(), Some("ops"));
    /// transport.verify().unwrap();
    /// # });
    /// ```
    pub fn expect(&self, method: Method, path: impl Into<String>) -> ExpectationBuilder<'_> {
        ExpectationBuilder {
            transport: self,
            matcher: RequestMatcher::new(method, path),
        }
    }

    /// Expects a request like `recorded` (same method, path, query, JSON
    /// body and headers, except the headers named in `ignored`).
    pub fn expect_like(
        &self,
        recorded: &RecordedRequest,
        ignored: &[&str],
    ) -> ExpectationBuilder<'_> {
        ExpectationBuilder {
            transport: self,
            matcher: RequestMatcher::like(recorded, ignored),
        }
    }

    /// Every request seen so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.seen.lock().clone()
    }

    /// How many queued responses are left.
    pub fn remaining(&self) -> usize {
        self.script.lock().queue.len()
    }

    /// Checks that every expectation was used and every request matched
    /// one (or was served from the queue).
    pub fn verify(&self) -> Result<(), ReplayMismatch> {
        let script = self.script.lock();
        let unused: Vec<String> = script
            .expectations
            .iter()
            .filter(|e| e.answer.is_some())
            .map(|e| e.matcher.describe())
            .collect();
        if unused.is_empty() && script.unmatched.is_empty() {
            Ok(())
        } else {
            Err(ReplayMismatch {
                unused,
                unmatched: script.unmatched.clone(),
            })
        }
    }

    fn answer(&self, sent: &RecordedRequest) -> Answer {
        let mut script = self.script.lock();
        let mut closest: Option<(String, Vec<Problem>)> = None;
        for e in script
            .expectations
            .iter_mut()
            .filter(|e| e.answer.is_some())
        {
            let problems = e.matcher.check(sent);
            if problems.is_empty() {
                if let Some(answer) = e.answer.take() {
                    return answer;
                }
            }
            if closest
                .as_ref()
                .map_or(true, |(_, p)| problems.len() < p.len())
            {
                closest = Some((e.matcher.describe(), problems));
            }
        }
        if let Some(answer) = script.queue.pop_front() {
            return answer;
        }
        let message = match closest {
            Some((name, problems)) => {
                let why: Vec<String> = problems.iter().map(ToString::to_string).collect();
                format!(
                    "{} {}: closest expectation {name}: {}",
                    sent.method,
                    sent.path(),
                    why.join("; ")
                )
            }
            None => format!(
                "{} {}: nothing left in the script",
                sent.method,
                sent.path()
            ),
        };
        script.unmatched.push(message.clone());
        Err(TransportError::new(
            TransportErrorKind::Other,
            format!("scripted transport: {message}"),
        ))
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let recorded = RecordedRequest::of(&request);
        let answer = self.answer(&recorded);
        self.seen.lock().push(recorded);
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(method: Method, url: &str, body: &str) -> HttpRequest {
        let mut r = http::Request::new(bytes::Bytes::from(body.to_owned()));
        *r.method_mut() = method;
        *r.uri_mut() = url.parse().unwrap();
        r
    }

    #[tokio::test]
    async fn expectations_match_out_of_order_and_report_leftovers() {
        let t = ScriptedTransport::new();
        t.expect(Method::POST, "/a")
            .json_body(json!({"x": [1, 2]}))
            .respond_json(200, &json!({"n": 1}));
        t.expect(Method::GET, "/b")
            .respond_json(200, &json!({"n": 2}));
        t.expect(Method::GET, "/never")
            .respond_json(200, &json!({}));
        let b = t
            .send(request(Method::GET, "https://h/b", ""))
            .await
            .unwrap();
        assert_eq!(b.body().as_ref(), br#"{"n":2}"#);
        let a = t
            .send(request(Method::POST, "https://h/a", r#"{ "x": [1,2] }"#))
            .await
            .unwrap();
        assert_eq!(a.body().as_ref(), br#"{"n":1}"#);
        let miss = t
            .send(request(Method::POST, "https://h/a", r#"{"x":[2]}"#))
            .await
            .unwrap_err();
        assert!(miss.message.contains("closest expectation"), "{miss}");
        let report = t.verify().unwrap_err();
        assert_eq!(report.unused, vec!["GET /never".to_owned()]);
        assert_eq!(report.unmatched.len(), 1);
        assert_eq!(t.requests().len(), 3);
    }
}

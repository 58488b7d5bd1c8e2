//! Running cases: every API case goes through the real [`Client`] pipeline
//! twice, over the scripted transport and over real HTTP against a mock
//! server; every event case goes through [`feishu_model::events::decode`].

use std::sync::Arc;

use parking_lot::Mutex;

use async_trait::async_trait;
use feishu_model::events::{decode, GroupEvent};
use feishu_transport::http::{HeaderName, HeaderValue};
use feishu_transport::replay::RecordedRequest;
use feishu_transport::{
    Client, Error, HttpRequest, HttpResponse, RequestOptions, ReqwestTransport, RetryPolicy,
    ScriptedTransport, StaticTokenProvider, Transport, TransportError,
};
use httpmock::MockServer;
use serde_json::Value;

use crate::case::{Auth, CannedResponse, Case, CaseFile, Expect, ExpectError, Kind};
use crate::compare::{self, show, Problem};
use crate::registry::{self, Binding, CallResult};

/// Base URL of the scripted transport.
pub const SCRIPTED_BASE_URL: &str = "https://open.feishu.cn";
/// The tenant token every call carries (`auth: tenant`).
pub const TENANT_TOKEN: &str = "t-conformance";
/// The user token of `auth: user` calls.
pub const USER_TOKEN: &str = "u-conformance";
/// Prefix of event operation ids.
pub const EVENT_PREFIX: &str = "event:";

/// Where a case ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Wire {
    /// The client over [`ScriptedTransport`].
    Scripted,
    /// The client over [`ReqwestTransport`] against a local mock server.
    Http,
    /// An event body through [`feishu_model::events::decode`].
    Decode,
    /// Not run: the file did not load, or the coverage check failed.
    Setup,
}

impl Wire {
    /// Short name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Wire::Scripted => "scripted",
            Wire::Http => "http",
            Wire::Decode => "decode",
            Wire::Setup => "setup",
        }
    }
}

/// The result of one case over one wire.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseResult {
    /// Operation id (or, for a file that did not load, its path).
    pub operation: String,
    /// Case name.
    pub case: String,
    /// Case kind, when known.
    pub kind: Option<Kind>,
    /// Where it ran.
    pub wire: Wire,
    /// Every mismatch; empty when the case passed.
    pub problems: Vec<Problem>,
}

impl CaseResult {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Why the runner could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupError(pub String);

impl std::error::Error for SetupError {}

impl std::fmt::Display for SetupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "conformance runner setup failed: {}", self.0)
    }
}

/// Records every request on its way to the real transport.
#[derive(Debug)]
struct Recording {
    inner: ReqwestTransport,
    seen: Mutex<Vec<RecordedRequest>>,
}

impl Recording {
    fn take(&self) -> Vec<RecordedRequest> {
        std::mem::take(&mut *self.seen.lock())
    }
}

#[async_trait]
impl Transport for Recording {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.seen.lock().push(RecordedRequest::of(&request));
        self.inner.send(request).await
    }
}

/// Runs cases. Holds one mock HTTP server and one HTTP client for all cases;
/// the server's mock is replaced for each case.
pub struct Runner {
    server: MockServer,
    http: Client,
    recording: Arc<Recording>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("server", &self.server.base_url())
            .finish_non_exhaustive()
    }
}

fn client(transport: Arc<dyn Transport>, base_url: &str) -> Result<Client, Error> {
    Client::builder()
        .base_url(base_url)
        .token_provider(Arc::new(StaticTokenProvider::tenant(TENANT_TOKEN)))
        .transport(transport)
        .retry_policy(RetryPolicy::never())
        .rate_limiting(false)
        .build()
}

fn options(auth: Auth) -> RequestOptions {
    match auth {
        Auth::User => RequestOptions::new().user_access_token(USER_TOKEN),
        Auth::Tenant | Auth::None => RequestOptions::new(),
    }
}

fn http_response(canned: &CannedResponse) -> HttpResponse {
    let (body, json) = canned.body_bytes();
    let mut response = feishu_transport::response(canned.status, body);
    let headers = canned.headers.iter().flatten();
    let mut has_type = false;
    for (name, value) in headers {
        has_type |= name.eq_ignore_ascii_case("content-type");
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    if json && !has_type {
        response.headers_mut().insert(
            feishu_transport::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
    }
    response
}

/// The kind name of an error, as case files spell it (`api`, `http`,
/// `decode`), or what else it is.
pub fn error_kind(e: &Error) -> &'static str {
    match e.kind() {
        // Case files name the three Feishu-answer kinds `api`.
        "rate_limited" | "user_token" => "api",
        "timeout" => "other",
        kind => kind,
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| compare::ABSENT.to_owned(), |v| v.to_string())
}

fn check_error(want: &ExpectError, got: &Error, out: &mut Vec<Problem>) {
    if let Some(kind) = want.kind {
        if kind.as_str() != error_kind(got) {
            out.push(Problem::new(
                "error.kind",
                kind.as_str(),
                format!("{} ({got})", error_kind(got)),
            ));
        }
    }
    if want.code.is_some() && want.code != got.code() {
        out.push(Problem::new("error.code", opt(want.code), opt(got.code())));
    }
    if want.http_status.is_some() && want.http_status != got.http_status() {
        out.push(Problem::new(
            "error.http_status",
            opt(want.http_status),
            opt(got.http_status()),
        ));
    }
    if want.log_id.is_some() && want.log_id.as_deref() != got.log_id() {
        out.push(Problem::new(
            "error.log_id",
            opt(want.log_id.as_deref()),
            opt(got.log_id()),
        ));
    }
    if let Some(retryable) = want.retryable {
        if retryable != got.is_retryable() {
            out.push(Problem::new(
                "error.retryable",
                retryable.to_string(),
                got.is_retryable().to_string(),
            ));
        }
    }
}

fn check_data(expect: &Expect, got: &Value, out: &mut Vec<Problem>) {
    if let Some(data) = &expect.data {
        compare::diff("data", data, got, out);
    }
    if let Some(subset) = &expect.data_includes {
        compare::includes("data", subset, got, out);
    }
}

/// Compares a call's outcome with `expect`.
pub fn check_outcome(expect: &Expect, result: &CallResult) -> Vec<Problem> {
    let mut out = Vec::new();
    match (&expect.error, result) {
        (Some(want), Err(got)) => check_error(want, got, &mut out),
        (Some(_), Ok(data)) => out.push(Problem::new(
            "outcome",
            "an error",
            format!("success with data {}", show(data)),
        )),
        (None, Err(got)) => out.push(Problem::new(
            "outcome",
            "success",
            format!("{} error: {got}", error_kind(got)),
        )),
        (None, Ok(data)) => check_data(expect, data, &mut out),
    }
    out
}

/// Checks the requests sent and the outcome of one API case.
fn check_call(
    case: &Case,
    exec: Result<CallResult, String>,
    sent: &[RecordedRequest],
) -> Vec<Problem> {
    let result = match exec {
        Ok(r) => r,
        Err(message) => {
            return vec![Problem::new(
                "input",
                "parameters the endpoint accepts",
                message,
            )]
        }
    };
    let mut out = Vec::new();
    if sent.len() != 1 {
        let why = match &result {
            Err(e) => format!("{} ({e})", sent.len()),
            Ok(_) => sent.len().to_string(),
        };
        out.push(Problem::new("requests sent", "1", why));
    }
    if let (Some(expected), Some(first)) = (&case.request, sent.first()) {
        out.extend(compare::request(
            expected,
            case.auth.unwrap_or_default(),
            first,
        ));
    }
    out.extend(check_outcome(&case.expect, &result));
    out
}

/// Runs one event case of `event_type`.
pub fn run_event(event_type: &str, case: &Case) -> Vec<Problem> {
    let mut out = Vec::new();
    if case.input.is_some() || case.request.is_some() || case.response.is_some() {
        out.push(Problem::new(
            "case",
            "an event case (event, expect)",
            "input/request/response given",
        ));
    }
    let Some(body) = &case.event else {
        out.push(Problem::new("event", "the callback body", compare::ABSENT));
        return out;
    };
    let bytes = body.to_string().into_bytes();
    let decoded = match decode(&bytes) {
        Ok(decoded) => decoded,
        Err(e) => {
            match &case.expect.error {
                Some(ExpectError {
                    kind: Some(crate::case::ErrorKind::Decode),
                    ..
                }) => {}
                _ => out.push(Problem::new(
                    "outcome",
                    "a decoded event",
                    format!("decode error: {e}"),
                )),
            }
            return out;
        }
    };
    if decoded.event_type() != event_type {
        out.push(Problem::new(
            "event type",
            event_type,
            decoded.event_type().to_owned(),
        ));
    }
    if case.expect.error.is_some() {
        out.push(Problem::new("outcome", "a decode error", "a decoded event"));
        return out;
    }
    match decoded.payload_json() {
        Some(Ok(payload)) => check_data(&case.expect, &payload, &mut out),
        Some(Err(e)) => out.push(Problem::new(
            "data",
            "a serializable payload",
            e.to_string(),
        )),
        // An event type the model does not type yet decodes as
        // `GroupEvent::Unknown`, keeping the whole body: its `event` object
        // must come back unchanged.
        None => match &decoded {
            GroupEvent::Unknown { body, .. } => {
                let kept = body.get("event").cloned().unwrap_or(Value::Null);
                check_data(&case.expect, &kept, &mut out);
            }
            _ => out.push(Problem::new(
                "data",
                "a typed event payload",
                format!("untyped event `{}`", decoded.event_type()),
            )),
        },
    }
    out
}

impl Runner {
    /// Starts the mock HTTP server and the HTTP client.
    pub async fn new() -> Result<Runner, SetupError> {
        let server = MockServer::start_async().await;
        let inner = ReqwestTransport::new().map_err(|e| SetupError(e.to_string()))?;
        let recording = Arc::new(Recording {
            inner,
            seen: Mutex::new(Vec::new()),
        });
        let http =
            client(recording.clone(), &server.base_url()).map_err(|e| SetupError(e.to_string()))?;
        Ok(Runner {
            server,
            http,
            recording,
        })
    }

    /// Runs every case of a file: API cases over both wires, event cases
    /// through the decoder. An unknown operation fails every case.
    pub async fn run_file(&self, file: &CaseFile) -> Vec<CaseResult> {
        let mut results = Vec::new();
        let result = |case: &Case, wire, problems| CaseResult {
            operation: file.operation.clone(),
            case: case.name.clone(),
            kind: Some(case.kind),
            wire,
            problems,
        };
        if let Some(event_type) = file.operation.strip_prefix(EVENT_PREFIX) {
            for case in &file.cases {
                results.push(result(case, Wire::Decode, run_event(event_type, case)));
            }
            return results;
        }
        let Some(binding) = registry::find(&file.operation) else {
            for case in &file.cases {
                for wire in [Wire::Scripted, Wire::Http] {
                    let problem = Problem::new(
                        "operation",
                        "an operation of the SDK's endpoint registry",
                        format!("unknown operation `{}`", file.operation),
                    );
                    results.push(result(case, wire, vec![problem]));
                }
            }
            return results;
        };
        for case in &file.cases {
            results.push(result(
                case,
                Wire::Scripted,
                self.scripted(binding, case).await,
            ));
            results.push(result(
                case,
                Wire::Http,
                self.over_http(binding, case).await,
            ));
        }
        results
    }

    fn api_case_problems(case: &Case) -> Option<Vec<Problem>> {
        if case.event.is_some() {
            return Some(vec![Problem::new(
                "case",
                "an API case (input, request, response, expect)",
                "an event body",
            )]);
        }
        if case.response.is_none() {
            return Some(vec![Problem::new(
                "response",
                "a canned response",
                compare::ABSENT,
            )]);
        }
        None
    }

    /// One API case over the scripted transport.
    pub async fn scripted(&self, binding: &Binding, case: &Case) -> Vec<Problem> {
        if let Some(problems) = Self::api_case_problems(case) {
            return problems;
        }
        let Some(canned) = &case.response else {
            return Vec::new();
        };
        let transport = Arc::new(ScriptedTransport::new());
        transport.push(http_response(canned));
        let client = match client(transport.clone(), SCRIPTED_BASE_URL) {
            Ok(c) => c,
            Err(e) => return vec![Problem::new("client", "a client", e.to_string())],
        };
        let input = case.input.clone().unwrap_or_default();
        let options = options(case.auth.unwrap_or_default());
        let exec = (binding.exec)(&client, &input, &options).await;
        check_call(case, exec, &transport.requests())
    }

    /// One API case over real HTTP: the mock server answers only a request
    /// matching the case's `request` (method, path, query pairs, headers,
    /// JSON body) and must see it exactly once.
    pub async fn over_http(&self, binding: &Binding, case: &Case) -> Vec<Problem> {
        if let Some(problems) = Self::api_case_problems(case) {
            return problems;
        }
        let Some(canned) = &case.response else {
            return Vec::new();
        };
        if let Some(method) = case.request.as_ref().map(|r| r.method.as_str()) {
            if !["GET", "POST", "PUT", "PATCH", "DELETE"].contains(&method) {
                return vec![Problem::new(
                    "request.method",
                    "GET, POST, PUT, PATCH or DELETE",
                    method,
                )];
            }
        }
        let response = http_response(canned);
        let mock = self
            .server
            .mock_async(|mut when, mut then| {
                if let Some(req) = &case.request {
                    when = when.method(req.method.as_str()).path(req.path.as_str());
                    for (key, value) in req.query.iter().flatten() {
                        let values = match value {
                            Value::Array(items) => items.clone(),
                            one => vec![one.clone()],
                        };
                        for v in values {
                            let text = match v {
                                Value::String(s) => s,
                                other => other.to_string(),
                            };
                            when = when.query_param(key.as_str(), text);
                        }
                    }
                    for (name, value) in req.headers.iter().flatten() {
                        when = when.header(name.as_str(), value.as_str());
                    }
                    if let Some(body) = req.body.as_ref().filter(|b| !b.is_null()) {
                        when.json_body(body.clone());
                    }
                }
                then = then.status(response.status().as_u16());
                for (name, value) in response.headers() {
                    if let Ok(value) = value.to_str() {
                        then = then.header(name.as_str(), value);
                    }
                }
                then.body(response.body().as_ref());
            })
            .await;
        self.recording.take();
        let input = case.input.clone().unwrap_or_default();
        let options = options(case.auth.unwrap_or_default());
        let exec = (binding.exec)(&self.http, &input, &options).await;
        let hits = mock.hits_async().await;
        mock.delete_async().await;
        let mut problems = check_call(case, exec, &self.recording.take());
        if hits != 1 {
            problems.push(Problem::new(
                "mock server",
                "the expected request, once",
                format!("{hits} matching requests"),
            ));
        }
        problems
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn event_case(event: Value, data: Value) -> Case {
        serde_json::from_value(json!({
            "name": "n", "kind": "example", "event": event, "expect": {"data": data}
        }))
        .unwrap()
    }

    fn app_ticket_body() -> Value {
        json!({"ts": "1", "uuid": "u", "token": "t", "type": "event_callback",
               "event": {"app_id": "cli_1", "app_ticket": "tk", "type": "app_ticket"}})
    }

    #[test]
    fn events_compare_the_decoded_payload() {
        let payload = json!({"app_id": "cli_1", "app_ticket": "tk", "type": "app_ticket"});
        assert_eq!(
            run_event("app_ticket", &event_case(app_ticket_body(), payload)),
            vec![]
        );
        let problems = run_event(
            "p2p_chat_create",
            &event_case(app_ticket_body(), json!({"app_id": "cli_2"})),
        );
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec!["event type", "data.app_id", "data.app_ticket", "data.type"]
        );
    }

    #[test]
    fn the_card_action_case_decodes_into_the_typed_callback() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("cases/events/card.action.trigger.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let file = crate::load::parse(&path, &text).unwrap();
        assert_eq!(file.cases.len(), 1);
        let case = &file.cases[0];
        assert_eq!(run_event("card.action.trigger", case), vec![]);
        let body = case.event.as_ref().unwrap().to_string();
        let Ok(GroupEvent::CardAction(e)) = decode(body.as_bytes()) else {
            panic!("not decoded as a typed card action")
        };
        let action = &e.event;
        assert_eq!(
            action.open_id(),
            Some("ou_3c14f3a59eaf2825dbe25359f15*****")
        );
        assert_eq!(
            action.token.expose(),
            "c-295ee57216a5dc9de90fefd0aadb4b1d7d******"
        );
        assert_eq!(action.action.tag.as_deref(), Some("button"));
        assert_eq!(action.action.value_str("key"), Some("value"));
        assert_eq!(action.action.name.as_deref(), Some("Button_lvkepfu3"));
        assert_eq!(
            action.action.form("Input_lf4fmxwfrd9"),
            Some(&json!("1234"))
        );
        assert_eq!(action.host.as_deref(), Some("im_message"));
        assert_eq!(
            action.message_id().map(|m| m.as_str()),
            Some("om_574d639e4a44e4dd646eaf628e2*****")
        );
        assert_eq!(
            action.chat_id().map(|c| c.as_str()),
            Some("oc_e4d2605ca917e695f54f11aaf56*****")
        );
        assert!(action.extra.is_empty() && action.action.extra.is_empty());
    }

    #[test]
    fn an_untyped_event_is_checked_as_its_kept_body() {
        let body = json!({"schema": "2.0", "header": {"event_type": "contact.user.created_v3"},
                          "event": {"object": {"open_id": "ou_1"}}});
        let kept = json!({"object": {"open_id": "ou_1"}});
        assert_eq!(
            run_event("contact.user.created_v3", &event_case(body.clone(), kept)),
            vec![]
        );
        let problems = run_event(
            "contact.user.created_v3",
            &event_case(body, json!({"object": {"open_id": "ou_2"}})),
        );
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, vec!["data.object.open_id"]);
    }

    #[test]
    fn outcome_checks_every_error_key_given() {
        let expect: Expect = serde_json::from_value(json!({"error": {
            "kind": "api", "code": 232006, "http_status": 400, "log_id": "L", "retryable": false
        }}))
        .unwrap();
        let got = Error::Http {
            operation: "x",
            status: 502,
            log_id: None,
            snippet: String::new(),
            retry_after: None,
        };
        let problems = check_outcome(&expect, &Err(got));
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "error.kind",
                "error.code",
                "error.http_status",
                "error.log_id",
                "error.retryable"
            ]
        );
        let problems = check_outcome(&expect, &Ok(json!({})));
        assert_eq!(problems[0].path, "outcome");
    }
}

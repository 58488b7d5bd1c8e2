//! The admin API under the reserved prefix `/_emulator/` (never part of
//! `/open-apis/`): the state, user actions, the event log with delivery
//! status and redelivery, and the page at `/_emulator/ui`.

mod messages;
mod snapshot;

use feishu_model::codes;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Serialize;

pub use messages::{BuzzView, MessageView, PinView, ReactionView, ToastView};
pub(crate) use snapshot::snapshot;
pub use snapshot::{AppView, ChatView, MemberView, SettingsView, Snapshot, TenantView, UserView};

use crate::actions::{self, ActionError};
use crate::core::Core;
use crate::error::Failure;
use crate::event_log::EventRecord;
use crate::fixture::Action;

/// The page's HTML, script and style, embedded in the binary.
const PAGE: &str = include_str!("../ui/index.html");
const SCRIPT: &str = include_str!("../ui/app.js");
const STYLE: &str = include_str!("../ui/app.css");

/// The admin routes; the caller adds the fallback and the state.
pub(crate) fn routes() -> Router<Arc<Core>> {
    Router::new()
        .route("/_emulator/state", get(state))
        .route("/_emulator/actions", post(act))
        .route("/_emulator/events", get(events))
        .route("/_emulator/events/{event_id}/redeliver", post(redeliver))
        .route("/_emulator/ui", get(|| async { asset(PAGE, "text/html") }))
        .route(
            "/_emulator/ui/app.js",
            get(|| async { asset(SCRIPT, "text/javascript") }),
        )
        .route(
            "/_emulator/ui/app.css",
            get(|| async { asset(STYLE, "text/css") }),
        )
}

fn asset(text: &'static str, kind: &str) -> Response {
    let mut response = Response::new(Body::from(text));
    if let Ok(value) = format!("{kind}; charset=utf-8").parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = "application/json; charset=utf-8".parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// `{"code": 0, "msg": "success", "data": ...}`.
fn success(data: impl Serialize) -> Response {
    #[derive(Serialize)]
    struct Ok<T> {
        code: i64,
        msg: &'static str,
        data: T,
    }
    match serde_json::to_vec(&Ok {
        code: 0,
        msg: "success",
        data,
    }) {
        Ok(body) => json(StatusCode::OK, body),
        Err(e) => failure(&fail(500, e.to_string())),
    }
}

/// The documented error body of a refused action.
fn failure(error: &ActionError) -> Response {
    let mut f = Failure::code(error.code);
    f.status = error.status;
    f.msg.clone_from(&error.msg);
    f.message.clone_from(&error.detail);
    let log_id = format!("emulator-{}", error.code);
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::BAD_REQUEST);
    json(status, f.body(&log_id))
}

async fn state(State(core): State<Arc<Core>>) -> Response {
    success(snapshot(&core.world()))
}

#[derive(Serialize)]
struct Acted {
    action: &'static str,
    events: Vec<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card: Option<actions::CardClickOutcome>,
}

async fn act(State(core): State<Arc<Core>>, body: Bytes) -> Response {
    let action: Action = match serde_json::from_slice(&body) {
        Ok(action) => action,
        Err(e) => return failure(&fail(400, format!("not an action: {e}"))),
    };
    let name = action.name();
    match actions::perform(&core, action).await {
        Ok(done) => success(Acted {
            action: name,
            events: done.events.into_iter().map(|e| e.body).collect(),
            message_id: done.message_id,
            card: done.card,
        }),
        Err(e) => failure(&e),
    }
}

#[derive(Serialize)]
struct Events {
    events: Vec<EventRecord>,
}

async fn events(State(core): State<Arc<Core>>) -> Response {
    success(Events {
        events: core.log().records(),
    })
}

async fn redeliver(State(core): State<Arc<Core>>, Path(event_id): Path<String>) -> Response {
    match redeliver_logged(&core, &event_id) {
        Ok(record) => success(record),
        Err(e) => failure(&e),
    }
}

/// Hands a logged event to every receiver again (same event id, as the
/// platform's redeliveries); its log entry as it stands now.
pub(crate) fn redeliver_logged(core: &Core, event_id: &str) -> Result<EventRecord, ActionError> {
    let Some(event) = core.log().event(event_id) else {
        return Err(fail(404, format!("no event `{event_id}` in the log")));
    };
    core.publish(event);
    core.log()
        .record_of(event_id)
        .ok_or_else(|| fail(404, format!("event `{event_id}` left the log")))
}

/// An admin request refused with the generic invalid-request code.
fn fail(status: u16, detail: String) -> ActionError {
    ActionError {
        status,
        code: codes::GROUP_PARAM_INVALID,
        msg: crate::error::documented_message(codes::GROUP_PARAM_INVALID).to_owned(),
        detail: Some(detail),
    }
}

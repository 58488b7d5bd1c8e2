//! The long connection's fault switches in the admin API:
//! `POST /_emulator/long_connection/{app_id}/close` drops an app's
//! connections without a close frame, `.../silence` makes them half-open.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use feishu_model::{codes, AppId};
use serde_json::json;

use super::hub::Fault;
use super::Served;
use crate::error::Failure;

/// The path of the close switch.
pub(crate) const CLOSE_PATH: &str = "/_emulator/long_connection/{app_id}/close";
/// The path of the silence switch.
pub(crate) const SILENCE_PATH: &str = "/_emulator/long_connection/{app_id}/silence";

fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    if let Ok(value) = "application/json; charset=utf-8".parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn switch(served: &Served, app_id: &str, fault: Fault) -> Response {
    let app = AppId::from(app_id);
    if !served.core.world().dir.apps.contains_key(&app) {
        let mut failure = Failure::code(codes::GROUP_PARAM_INVALID);
        failure.status = 404;
        failure.message = Some(format!("no app `{app_id}` in the fixture"));
        let log_id = served.core.log_id();
        let mut response = json_response(StatusCode::NOT_FOUND, failure.body(&log_id));
        if let Ok(value) = log_id.parse() {
            response.headers_mut().insert(crate::admin::LOG_ID, value);
        }
        return response;
    }
    let connections = served.hub.fault_app(&app, fault);
    let body = json!({
        "code": 0,
        "msg": "success",
        "data": {"app_id": app_id, "connections": connections},
    });
    json_response(StatusCode::OK, body.to_string().into_bytes())
}

/// Drops every connection of the app without a close frame.
pub(crate) async fn close(State(served): State<Served>, Path(app_id): Path<String>) -> Response {
    switch(&served, &app_id, Fault::Drop)
}

/// Makes every connection of the app silent (open, but neither read nor answered).
pub(crate) async fn silence(State(served): State<Served>, Path(app_id): Path<String>) -> Response {
    switch(&served, &app_id, Fault::Silent)
}

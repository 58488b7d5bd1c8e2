//! `POST /callback/ws/endpoint`: checks the app credentials and answers a
//! single-use connection URL with the `ClientConfig`.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::Response;
use feishu_model::codes;
use feishu_model::AppId;
use serde_json::{json, Value};

use super::hub::LongConnectionServer;
use super::Served;

fn answer(body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    if let Ok(value) = "application/json; charset=utf-8".parse() {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

fn token() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

pub(crate) async fn endpoint(
    State(Served { core, hub }): State<Served>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    hub.count(|c| &c.endpoint_calls);
    {
        let mut busy = hub.inner.busy.lock();
        if *busy > 0 {
            *busy -= 1;
            hub.count(|c| &c.busy_answers);
            return answer(json!({"code": 1, "msg": "system busy"}));
        }
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let app_id = request.get("AppID").and_then(Value::as_str).unwrap_or("");
    let secret = request
        .get("AppSecret")
        .and_then(Value::as_str)
        .unwrap_or("");
    let app = AppId::from(app_id);
    let known = core
        .world()
        .dir
        .apps
        .get(&app)
        .map(|a| a.secret.expose() == secret && !secret.is_empty());
    if known != Some(true) {
        return answer(json!({"code": codes::APP_UNAUTHORIZED, "msg": "app secret invalid"}));
    }
    let ticket = token();
    hub.inner.tickets.lock().insert(ticket.clone(), app.clone());
    hub.inner.apps.lock().insert(app);
    super::deliver::start(&core, &hub);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1");
    let service_id = 33_554_678 + (hub.next_id() % 1000);
    let url = format!(
        "ws://{host}{}?fpid=493&aid=552564&device_id={}&access_key={}&service_id={service_id}&ticket={ticket}",
        super::socket::PATH,
        hub.next_id(),
        token(),
    );
    answer(json!({
        "code": 0,
        "msg": "ok",
        "data": {"URL": url, "ClientConfig": client_config(&hub)},
    }))
}

/// The `ClientConfig` object of the settings.
pub(crate) fn client_config(hub: &LongConnectionServer) -> Value {
    let seed = hub.settings().seed;
    json!({
        "PingInterval": seed.ping_interval,
        "ReconnectCount": seed.reconnect_count,
        "ReconnectInterval": seed.reconnect_interval,
        "ReconnectNonce": seed.reconnect_nonce,
    })
}

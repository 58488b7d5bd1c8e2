//! The one router both front ends (HTTP server and in-process transport)
//! call: route by method and path with the model registry, run the
//! endpoint's pipeline, answer a documented-style body.

use bytes::Bytes;
use feishu_model::codes;
use feishu_model::registry::{self, ENDPOINTS};
use feishu_model::Method;

use crate::core::Core;
use crate::error::Failure;
use crate::handlers::{Incoming, Success, JSON_TYPE, RUNNERS};
use crate::state::World;

/// A plain HTTP request, as either front end receives it.
#[derive(Debug, Clone, Default)]
pub struct EmulatorRequest {
    /// The method name (`GET`, ...); anything else is answered 405/404.
    pub method: String,
    /// The path, with path parameters still percent-encoded.
    pub path: String,
    /// Decoded query pairs.
    pub query: Vec<(String, String)>,
    /// Header pairs (names case-insensitive).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Bytes,
}

impl EmulatorRequest {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request of either front end, read from the `http` crate's parts.
    pub fn from_parts(
        method: &http::Method,
        uri: &http::Uri,
        headers: &http::HeaderMap,
        body: Bytes,
    ) -> Self {
        let query = uri
            .query()
            .map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default();
        let headers = headers
            .iter()
            .filter_map(|(k, v)| {
                v.to_str()
                    .ok()
                    .map(|v| (k.as_str().to_owned(), v.to_owned()))
            })
            .collect();
        EmulatorRequest {
            method: method.as_str().to_owned(),
            path: uri.path().to_owned(),
            query,
            headers,
            body,
        }
    }
}

/// The emulator's answer: the transport's response type (the `http`
/// crate's), so the in-process transport hands it on as is.
pub type EmulatorResponse = feishu_transport::HttpResponse;

/// Routes and runs one request against the world.
fn dispatch(world: &mut World, req: &EmulatorRequest, now_micros: i64) -> Result<Success, Failure> {
    let routed = Method::parse(&req.method).and_then(|m| registry::route(m, &req.path));
    let Some((info, params)) = routed else {
        let allowed: Vec<&str> = ENDPOINTS
            .iter()
            .filter(|e| e.match_path(&req.path).is_some())
            .map(|e| e.method.as_str())
            .collect();
        return Err(if allowed.is_empty() {
            Failure::no_route(&req.method, &req.path)
        } else {
            Failure::wrong_method(&req.method, &req.path, &allowed)
        });
    };
    let runner = RUNNERS
        .iter()
        .find(|(op, _)| *op == info.operation)
        .map(|(_, run)| *run)
        .ok_or_else(|| Failure::not_implemented(info.operation, info.doc))?;
    let incoming = Incoming {
        params,
        query: &req.query,
        authorization: req.header("authorization"),
        body: &req.body,
        content_type: req.header("content-type"),
        now_micros,
    };
    runner(world, &incoming)
}

fn response(
    status: u16,
    log_id: String,
    body: Vec<u8>,
    content_type: &str,
    extra: Vec<(String, String)>,
) -> EmulatorResponse {
    let mut response = feishu_transport::response(status, body);
    let headers = response.headers_mut();
    let pairs = [
        ("content-type".to_owned(), content_type.to_owned()),
        ("x-tt-logid".to_owned(), log_id),
    ]
    .into_iter()
    .chain(extra);
    for (name, value) in pairs {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::try_from(name),
            http::HeaderValue::try_from(value),
        ) {
            headers.append(name, value);
        }
    }
    response
}

/// Answers one request: the world is locked for the call only, and the
/// events it caused are published before the answer is returned.
pub(crate) fn handle(core: &Core, req: &EmulatorRequest) -> EmulatorResponse {
    let now = core.clock().now_micros();
    let (result, log_id) = {
        let mut world = core.world();
        world.stats.requests += 1;
        let log_id = world.ids.log_id(now);
        let result = dispatch(&mut world, req, now);
        if matches!(&result, Err(f) if f.code == codes::RATE_LIMITED) {
            world.stats.rate_limited += 1;
        }
        (result, log_id)
    };
    match result {
        Ok(success) => {
            for event in success.events {
                core.publish(event);
            }
            response(
                200,
                log_id,
                success.body,
                &success.content_type,
                success.headers,
            )
        }
        Err(failure) => failure_response(failure, log_id),
    }
}

/// The documented-style answer of a failure.
pub(crate) fn failure_response(failure: Failure, log_id: String) -> EmulatorResponse {
    let body = failure.body(&log_id);
    response(
        failure.status,
        log_id,
        body,
        JSON_TYPE,
        failure.headers.clone(),
    )
}

/// Answers a request that could not even be read (server front end).
pub(crate) fn unreadable(core: &Core, reason: String) -> EmulatorResponse {
    let now = core.clock().now_micros();
    let log_id = {
        let mut world = core.world();
        world.stats.requests += 1;
        world.ids.log_id(now)
    };
    failure_response(Failure::unreadable_body(reason), log_id)
}

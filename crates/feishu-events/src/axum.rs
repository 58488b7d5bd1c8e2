//! The axum adapter (feature `axum`): serve a [`Dispatcher`] over HTTP.
//!
//! The body is read as raw bytes, up to the webhook's body limit, and handed
//! to the dispatcher unchanged (the signature covers the bytes as sent).

use std::sync::Arc;

use ::axum::body::Body;
use ::axum::extract::State;
use ::axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use ::axum::response::Response;
use ::axum::routing::{post, MethodRouter};
use ::axum::Router;

use crate::dispatcher::Dispatcher;
use crate::outcome::Outcome;
use crate::webhook::WebhookError;

/// A router answering `POST` on every path with `dispatcher` (other methods
/// get 405).
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use std::sync::Arc;
/// use feishu_events::{Dispatcher, Webhook};
///
/// let dispatcher = Arc::new(Dispatcher::new(Webhook::new().encrypt_key("k").verification_token("t")));
/// let app = feishu_events::axum::router(dispatcher);
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// let server = tokio::spawn(async move { axum::serve(listener, app).await });
/// # server.abort();
/// # });
/// ```
pub fn router(dispatcher: Arc<Dispatcher>) -> Router {
    Router::new().fallback(any).with_state(dispatcher)
}

/// A `POST` route for `dispatcher`, to mount at a path of your own router.
pub fn route<S: Clone + Send + Sync + 'static>(dispatcher: Arc<Dispatcher>) -> MethodRouter<S> {
    post(handle).with_state(dispatcher)
}

async fn any(
    State(dispatcher): State<Arc<Dispatcher>>,
    method: Method,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if method != Method::POST {
        let outcome = Outcome {
            status: 405,
            body: r#"{"error":"method_not_allowed","msg":"callbacks are POST requests"}"#
                .to_owned(),
        };
        return into_response(outcome);
    }
    handle(State(dispatcher), headers, body).await
}

/// Reads the raw body (bounded) and answers with the dispatcher's outcome.
pub async fn handle(
    State(dispatcher): State<Arc<Dispatcher>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = dispatcher.webhook().body_limit();
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(len) = declared.filter(|len| *len > limit) {
        return too_large(len, limit);
    }
    let bytes = match ::axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(declared.unwrap_or(limit.saturating_add(1)), limit),
    };
    into_response(dispatcher.handle(&headers, &bytes).await)
}

fn too_large(len: usize, limit: usize) -> Response {
    let error = WebhookError::BodyTooLarge { len, limit };
    tracing::warn!(error = %error, "event request rejected");
    into_response(Outcome::rejected(&error))
}

/// The outcome as an axum response.
pub fn into_response(outcome: Outcome) -> Response {
    let mut response = Response::new(Body::from(outcome.body));
    *response.status_mut() =
        StatusCode::from_u16(outcome.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(Outcome::CONTENT_TYPE),
    );
    response
}

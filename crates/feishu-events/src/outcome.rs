//! [`Outcome`]: the HTTP answer to a callback request.

use serde_json::json;

use crate::webhook::WebhookError;

/// The answer to one callback request: a status and a JSON body (send it with
/// [`Outcome::CONTENT_TYPE`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The HTTP status: 200 stops the platform's redeliveries, anything else
    /// makes it retry.
    pub status: u16,
    /// The JSON body.
    pub body: String,
}

impl Outcome {
    /// The content type of every body.
    pub const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    /// `200 {"msg":"success"}`: the event was handled (or deliberately ignored).
    pub fn success() -> Self {
        Outcome {
            status: 200,
            body: r#"{"msg":"success"}"#.to_owned(),
        }
    }

    /// `200 {"challenge": ...}`: the answer to `url_verification`.
    ///
    /// ```
    /// let answer = feishu_events::Outcome::challenge("c-1");
    /// assert_eq!((answer.status, answer.body.as_str()), (200, r#"{"challenge":"c-1"}"#));
    /// ```
    pub fn challenge(challenge: &str) -> Self {
        Outcome {
            status: 200,
            body: json!({ "challenge": challenge }).to_string(),
        }
    }

    /// The error's status with `{"error": kind, "msg": description}`.
    pub fn rejected(error: &WebhookError) -> Self {
        Outcome {
            status: error.status(),
            body: json!({ "error": error.kind(), "msg": error.to_string() }).to_string(),
        }
    }

    /// `500 {"error":"handler_failed", ...}`: a handler failed; the platform
    /// redelivers.
    pub fn handler_failed() -> Self {
        Outcome {
            status: 500,
            body: r#"{"error":"handler_failed","msg":"the event handler failed"}"#.to_owned(),
        }
    }

    /// `503 {"error":"in_progress", ...}`: the same event is being handled by
    /// an earlier delivery; the platform retries later.
    pub fn in_progress() -> Self {
        Outcome {
            status: 503,
            body: r#"{"error":"in_progress","msg":"this event is already being handled"}"#
                .to_owned(),
        }
    }

    /// `500 {"error":"dedup_store", ...}`: the de-duplication store failed.
    pub fn store_failed() -> Self {
        Outcome {
            status: 500,
            body: r#"{"error":"dedup_store","msg":"the de-duplication store failed"}"#.to_owned(),
        }
    }
}

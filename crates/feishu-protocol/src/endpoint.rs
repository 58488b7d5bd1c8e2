//! `POST /callback/ws/endpoint`: the call a long-connection client makes
//! before every dial. It sends the app credentials and is answered with a
//! single-use connection URL (a credential) and the server's client
//! configuration (ping interval, reconnect policy).

use feishu_model::{endpoint, validate, AppId, Invalid, NoParams, Params, Secret};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The path of the endpoint call.
pub const ENDPOINT_PATH: &str = "/callback/ws/endpoint";

/// The endpoint code of "system busy" (retryable).
pub const CODE_SYSTEM_BUSY: i64 = 1;
/// The endpoint code of an internal server error (retryable).
pub const CODE_INTERNAL_ERROR: i64 = 1_000_040_343;
/// The endpoint code of credentials the platform does not accept.
pub const CODE_APP_SECRET_INVALID: i64 = 10014;
/// The handshake auth code of "the number of connections exceeded the limit".
pub const AUTH_CODE_CONNECTION_LIMIT: i64 = 1_000_040_350;

/// The request body: the app's credentials. `Debug` redacts the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectBody {
    /// `AppID`.
    #[serde(rename = "AppID")]
    pub app_id: AppId,
    /// `AppSecret`.
    #[serde(rename = "AppSecret")]
    pub app_secret: Secret,
}

impl Params for ConnectBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::required("AppID", Some(&self.app_id.as_str()))?;
        validate::required("AppSecret", Some(&self.app_secret.expose()))
    }
}

/// The answer's `data`: where to dial, and how to behave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectOutput {
    /// `URL`: the `ws://` or `wss://` URL to dial once. It carries the
    /// `access_key` and `ticket` credentials, so it is kept as a secret.
    #[serde(rename = "URL")]
    pub url: Secret,
    /// `ClientConfig`: `PingInterval`, `ReconnectCount`, `ReconnectInterval`
    /// and `ReconnectNonce`, in seconds, when the server sends them.
    #[serde(
        rename = "ClientConfig",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub client_config: Option<Value>,
}

endpoint! {
    /// Asks for a long-connection URL for a self-built app.
    pub struct ConnectEndpoint {
        operation: "callback.ws.endpoint",
        // Answered for the app's credentials, with no token, like auth.
        family: Auth,
        method: Post,
        path: "/callback/ws/endpoint",
        path_params: NoParams,
        query: NoParams,
        body: ConnectBody,
        output: ConnectOutput,
        tokens: [],
        rate_limit: NONE,
        doc: "https://open.feishu.cn/document/server-docs/event-subscription-guide/event-subscription-configure-/request-url-configuration-case",
        idempotent: true,
    }
}

impl ConnectEndpoint {
    /// The call for one app.
    pub fn new(app_id: impl Into<AppId>, app_secret: Secret) -> ConnectEndpoint {
        ConnectEndpoint {
            path: NoParams {},
            query: NoParams {},
            body: ConnectBody {
                app_id: app_id.into(),
                app_secret,
            },
        }
    }
}

/// Why an endpoint answer gave no connection URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AnswerError {
    /// The answer is not a JSON object with a numeric `code`: the server (or
    /// something in front of it) answered something else. Worth retrying.
    #[error("the endpoint answer is malformed: {0}")]
    Malformed(String),
    /// The server answered a non-zero `code`.
    #[error("the endpoint answered code {code}: {msg}")]
    Refused {
        /// The code.
        code: i64,
        /// The server's message.
        msg: String,
    },
    /// The answer succeeded but carries no `data.URL`.
    #[error("the endpoint answer has no `data.URL`")]
    NoUrl,
}

/// Reads the endpoint's JSON answer (`{code, msg, data: {URL, ClientConfig}}`).
///
/// ```
/// use feishu_protocol::endpoint::{parse_answer, AnswerError};
///
/// let ok = parse_answer(br#"{"code":0,"data":{"URL":"wss://h/ws?ticket=t","ClientConfig":{"PingInterval":90}}}"#).unwrap();
/// assert_eq!(ok.url.expose(), "wss://h/ws?ticket=t");
/// assert!(!format!("{ok:?}").contains("ticket=t"));
/// assert_eq!(parse_answer(br#"{"code":1,"msg":"system busy"}"#).unwrap_err(),
///     AnswerError::Refused { code: 1, msg: "system busy".into() });
/// // No `code` at all is a malformed answer, not a refusal.
/// assert!(matches!(parse_answer(br#"{"msg":"?"}"#), Err(AnswerError::Malformed(_))));
/// ```
pub fn parse_answer(body: &[u8]) -> Result<ConnectOutput, AnswerError> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| AnswerError::Malformed(format!("not JSON ({e})")))?;
    let code = value
        .get("code")
        .and_then(Value::as_i64)
        .ok_or_else(|| AnswerError::Malformed("no numeric `code`".to_owned()))?;
    if code != 0 {
        let msg = value
            .get("msg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        return Err(AnswerError::Refused { code, msg });
    }
    let data = value.get("data");
    let url = data
        .and_then(|d| d.get("URL"))
        .and_then(Value::as_str)
        .ok_or(AnswerError::NoUrl)?;
    Ok(ConnectOutput {
        url: Secret::new(url),
        client_config: data.and_then(|d| d.get("ClientConfig")).cloned(),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use feishu_model::Endpoint;

    #[test]
    fn the_request_carries_the_credentials_and_no_token() {
        let call = ConnectEndpoint::new("cli_a1b2c3d4e5f60718", Secret::new("s3cret"));
        let spec = call.to_request().unwrap();
        assert_eq!(
            (spec.method.as_str(), spec.path.as_str()),
            ("POST", ENDPOINT_PATH)
        );
        let body: Value = serde_json::from_slice(&spec.body.unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"AppID": "cli_a1b2c3d4e5f60718", "AppSecret": "s3cret"})
        );
        assert!(ConnectEndpoint::TOKENS.is_empty());
        assert!(!format!("{call:?}").contains("s3cret"));
    }

    #[test]
    fn empty_credentials_are_refused_by_name() {
        let call = ConnectEndpoint::new("cli_1", Secret::new(""));
        assert_eq!(call.to_request().unwrap_err().field, "AppSecret");
        let call = ConnectEndpoint::new("", Secret::new("s"));
        assert_eq!(call.to_request().unwrap_err().field, "AppID");
    }

    #[test]
    fn answers_without_a_url_or_json_are_told_apart() {
        assert_eq!(
            parse_answer(br#"{"code":0,"data":{}}"#).unwrap_err(),
            AnswerError::NoUrl
        );
        assert!(matches!(
            parse_answer(b"<html>").unwrap_err(),
            AnswerError::Malformed(_)
        ));
        assert!(matches!(
            parse_answer(br#"{"code":"0"}"#).unwrap_err(),
            AnswerError::Malformed(_)
        ));
    }
}

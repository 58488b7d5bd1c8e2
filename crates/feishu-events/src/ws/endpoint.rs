//! Endpoint discovery: `POST {base}/callback/ws/endpoint` with the app
//! credentials, answered with a single-use connection URL ([`ConnectUrl`])
//! and the server's [`super::ClientConfig`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use feishu_model::{AppId, Endpoint as _, Secret};
use feishu_protocol::endpoint::{parse_answer, ConnectEndpoint};
use feishu_transport::Transport;
use serde_json::Value;

use super::error::WsError;

/// Query parameters of the connection URL that are credentials.
const SECRET_PARAMS: [&str; 2] = ["access_key", "ticket"];

/// A connection URL: a credential, valid for one dial. `Debug` and
/// `Display` show it with `access_key` and `ticket` redacted.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectUrl {
    url: url::Url,
    service_id: i32,
    device_id: String,
}

impl ConnectUrl {
    /// Parses a URL from the endpoint answer (`ws://` or `wss://`).
    pub fn parse(raw: &str) -> Result<ConnectUrl, WsError> {
        let url = url::Url::parse(raw).map_err(|e| WsError::BadUrl(format!("not a URL ({e})")))?;
        if !matches!(url.scheme(), "ws" | "wss") {
            return Err(WsError::BadUrl(format!(
                "scheme `{}` is not ws or wss",
                url.scheme()
            )));
        }
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let service_id = param("service_id")
            .and_then(|v| v.parse::<i32>().ok())
            .unwrap_or(0);
        let device_id = param("device_id").unwrap_or_default();
        Ok(ConnectUrl {
            url,
            service_id,
            device_id,
        })
    }

    /// `service_id` (0 when absent): put in every ping.
    pub fn service_id(&self) -> i32 {
        self.service_id
    }

    /// `device_id`: names the connection in logs.
    pub fn device_id(&self) -> &str {
        &self.device_id
    }

    /// The full URL, credentials included: only for the dial.
    pub fn expose(&self) -> &str {
        self.url.as_str()
    }

    /// The parsed URL, credentials included: only for the dial.
    pub(crate) fn parsed(&self) -> &url::Url {
        &self.url
    }

    /// The URL with `access_key` and `ticket` replaced by `***`.
    pub fn redacted(&self) -> String {
        let mut url = self.url.clone();
        let pairs: Vec<(String, String)> = self
            .url
            .query_pairs()
            .map(|(k, v)| {
                let v = if SECRET_PARAMS.contains(&k.as_ref()) {
                    "***".to_owned()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        if !pairs.is_empty() {
            url.query_pairs_mut().clear().extend_pairs(pairs);
        }
        url.to_string()
    }
}

impl fmt::Debug for ConnectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConnectUrl").field(&self.redacted()).finish()
    }
}

impl fmt::Display for ConnectUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// What the endpoint answered.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// Where to dial.
    pub url: ConnectUrl,
    /// The `ClientConfig` object, when present.
    pub client_config: Option<Value>,
}

/// Calls the endpoint of `base` for one app.
#[derive(Clone)]
pub(crate) struct EndpointCall {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) base_url: String,
    pub(crate) app_id: AppId,
    pub(crate) app_secret: Secret,
    pub(crate) timeout: Duration,
}

impl fmt::Debug for EndpointCall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointCall")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl EndpointCall {
    /// One endpoint call, bounded by the total timeout.
    pub(crate) async fn fetch(&self) -> Result<Endpoint, WsError> {
        let spec = ConnectEndpoint::new(self.app_id.clone(), self.app_secret.clone())
            .to_request()
            .map_err(|_| WsError::MissingCredentials)?;
        let body = spec.body.unwrap_or_default();
        let uri = format!("{}{}", self.base_url.trim_end_matches('/'), spec.path);
        let request = http::Request::post(uri)
            .header("content-type", "application/json")
            .header("locale", "zh")
            .header(
                "user-agent",
                concat!("feishu-rs/", env!("CARGO_PKG_VERSION")),
            )
            .body(Bytes::from(body))
            .map_err(|e| WsError::EndpointUnavailable(format!("bad request: {e}")))?;
        let response = tokio::time::timeout(self.timeout, self.transport.send(request))
            .await
            .map_err(|_| {
                WsError::EndpointUnavailable(format!("no answer within {:?}", self.timeout))
            })?
            .map_err(|e| WsError::EndpointUnavailable(e.to_string()))?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(WsError::EndpointUnavailable(format!("HTTP {status}")));
        }
        read_answer(response.body())
    }
}

/// Reads the endpoint's JSON answer into where to dial and how.
fn read_answer(body: &[u8]) -> Result<Endpoint, WsError> {
    let answer = parse_answer(body).map_err(WsError::from_answer)?;
    Ok(Endpoint {
        url: ConnectUrl::parse(answer.url.expose())?,
        client_config: answer.client_config,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const RAW: &str = "wss://msg-frontier.feishu.cn/ws/v2?fpid=493&aid=552564&device_id=7321&access_key=AK-SECRET&service_id=33554678&ticket=TICKET-SECRET";

    #[test]
    fn url_is_redacted_everywhere_but_expose() {
        let url = ConnectUrl::parse(RAW).unwrap();
        assert_eq!((url.service_id(), url.device_id()), (33554678, "7321"));
        for shown in [format!("{url:?}"), url.to_string(), url.redacted()] {
            assert!(
                !shown.contains("AK-SECRET") && !shown.contains("TICKET-SECRET"),
                "{shown}"
            );
            assert!(shown.contains("access_key=***") && shown.contains("service_id=33554678"));
        }
        assert_eq!(url.expose(), RAW);
    }

    #[test]
    fn answers_map_to_errors() {
        let ok = read_answer(
            br#"{"code":0,"data":{"URL":"ws://h/ws?service_id=7","ClientConfig":{"PingInterval":5}}}"#,
        )
        .unwrap();
        assert_eq!(ok.url.service_id(), 7);
        assert_eq!(ok.client_config.unwrap()["PingInterval"], 5);
        let busy = read_answer(br#"{"code":1,"msg":"system busy"}"#).unwrap_err();
        assert!(!busy.is_terminal());
        // An answer without a code is malformed, and retried.
        let malformed = read_answer(br#"{"msg":"gateway"}"#).unwrap_err();
        assert!(matches!(malformed, WsError::MalformedAnswer(_)));
        assert!(!malformed.is_terminal());
        let denied = read_answer(br#"{"code":1000040344,"msg":"no"}"#).unwrap_err();
        assert!(denied.is_terminal());
        assert!(matches!(
            read_answer(b"<html>").unwrap_err(),
            WsError::MalformedAnswer(_)
        ));
        // An answer without a usable `code` is malformed, not a refusal.
        for body in [
            &br#"{"data":{"URL":"ws://h/ws"}}"#[..],
            br#"{"code":"0","data":{}}"#,
            br#"{"msg":"gateway hiccup"}"#,
            br#"[]"#,
        ] {
            let e = read_answer(body).unwrap_err();
            assert!(matches!(e, WsError::MalformedAnswer(_)), "{e:?}");
            assert!(!e.is_terminal(), "{e:?}");
        }
        assert!(matches!(
            read_answer(br#"{"code":0,"data":{"URL":"http://h/"}}"#).unwrap_err(),
            WsError::BadUrl(_)
        ));
    }
}

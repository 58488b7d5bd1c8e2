//! Decoding a response: envelope, classification, typed output.

use std::time::Duration;

use feishu_model::{codes, codes::ErrorClass, jsonpath, Endpoint, ErrorDetail, ResponseShape};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{ApiError, Error};
use crate::transport::{header_str, HttpResponse};

/// Header carrying the log id of a call.
pub const LOG_ID_HEADER: &str = "x-tt-logid";
/// Header carrying the seconds until the rate-limit window resets.
pub const RATE_LIMIT_RESET_HEADER: &str = "x-ogw-ratelimit-reset";

#[derive(Deserialize)]
struct RawEnvelope<'a> {
    code: Option<i64>,
    #[serde(default)]
    msg: Option<String>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
    #[serde(default)]
    error: Option<ErrorDetail>,
}

/// What a response says, before the output is decoded.
struct Meta {
    operation: &'static str,
    status: u16,
    log_id: Option<String>,
    retry_after: Option<Duration>,
}

impl Meta {
    fn of(operation: &'static str, response: &HttpResponse) -> Self {
        Meta {
            operation,
            status: response.status().as_u16(),
            log_id: header_str(response.headers(), LOG_ID_HEADER).map(str::to_owned),
            retry_after: header_str(response.headers(), RATE_LIMIT_RESET_HEADER)
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs),
        }
    }

    fn success_status(&self) -> bool {
        (200..300).contains(&self.status)
    }

    fn decode_error(&self, path: String, message: String) -> Error {
        Error::Decode {
            operation: self.operation,
            path: if path.is_empty() {
                ".".to_owned()
            } else {
                path
            },
            message,
            http_status: self.status,
            log_id: self.log_id.clone(),
        }
    }

    fn http_error(&self, body: &[u8]) -> Error {
        let text = String::from_utf8_lossy(body);
        let snippet: String = text.chars().take(200).collect();
        Error::Http {
            operation: self.operation,
            status: self.status,
            log_id: self.log_id.clone(),
            snippet,
            retry_after: self.retry_after,
        }
    }

    fn api_error(&self, code: i64, msg: String, detail: Option<ErrorDetail>) -> Error {
        let api = Box::new(ApiError {
            operation: self.operation,
            code,
            msg,
            http_status: self.status,
            log_id: self.log_id.clone(),
            detail,
            retry_after: self.retry_after,
        });
        match api.class() {
            ErrorClass::RateLimited => Error::RateLimited(api),
            ErrorClass::UserTokenInvalid => Error::UserToken(api),
            _ => Error::Api(api),
        }
    }
}

/// Decodes a response of endpoint `E` into its typed output, or the error it
/// carries. Never panics, whatever the bytes.
pub fn decode_response<E: Endpoint>(response: &HttpResponse) -> Result<E::Output, Error> {
    let meta = Meta::of(E::OPERATION, response);
    match E::RESPONSE {
        ResponseShape::Data => decode_data::<E>(&meta, response.body()),
        ResponseShape::Flat => decode_flat::<E>(&meta, response.body()),
    }
}

fn check_code(
    meta: &Meta,
    body: &[u8],
    code: Option<i64>,
    msg: Option<String>,
    detail: Option<ErrorDetail>,
) -> Result<(), Error> {
    match code {
        None if !meta.success_status() => Err(meta.http_error(body)),
        None => Err(meta.decode_error("code".into(), "missing field `code`".into())),
        Some(codes::OK) if meta.success_status() => Ok(()),
        Some(codes::OK) => Err(meta.http_error(body)),
        Some(code) => Err(meta.api_error(code, msg.unwrap_or_default(), detail)),
    }
}

fn decode_data<E: Endpoint>(meta: &Meta, body: &[u8]) -> Result<E::Output, Error> {
    let envelope: RawEnvelope<'_> = match jsonpath::from_slice(body) {
        Ok(env) => env,
        Err(_) if !meta.success_status() => return Err(meta.http_error(body)),
        Err(e) => return Err(meta.decode_error(e.path, e.message)),
    };
    check_code(meta, body, envelope.code, envelope.msg, envelope.error)?;
    let raw = envelope.data.map_or("{}", RawValue::get);
    let raw = if raw == "null" { "{}" } else { raw };
    jsonpath::from_str(raw).map_err(|e| {
        let e = e.within("data");
        meta.decode_error(e.path, e.message)
    })
}

fn decode_flat<E: Endpoint>(meta: &Meta, body: &[u8]) -> Result<E::Output, Error> {
    let mut map: serde_json::Map<String, serde_json::Value> = match serde_json::from_slice(body) {
        Ok(m) => m,
        Err(_) if !meta.success_status() => return Err(meta.http_error(body)),
        Err(e) => return Err(meta.decode_error(".".into(), e.to_string())),
    };
    let code = map.remove("code").and_then(|c| c.as_i64());
    let msg = map
        .remove("msg")
        .and_then(|m| m.as_str().map(str::to_owned));
    let detail = map
        .remove("error")
        .and_then(|e| serde_json::from_value::<ErrorDetail>(e).ok());
    check_code(meta, body, code, msg, detail)?;
    jsonpath::from_value(&serde_json::Value::Object(map))
        .map_err(|e| meta.decode_error(e.path, e.message))
}

#[cfg(test)]
mod tests {
    use super::*;
    use feishu_model::auth::{AppTicketResend, TenantAccessTokenInternal};
    use rstest::rstest;

    fn resp(status: u16, body: &str) -> HttpResponse {
        let mut r = crate::transport::response(status, body.to_owned());
        r.headers_mut()
            .insert("x-tt-logid", "LOG1".parse().unwrap());
        r
    }

    #[test]
    fn flat_success_decodes_without_code_and_msg() {
        let out = decode_response::<TenantAccessTokenInternal>(&resp(
            200,
            r#"{"code":0,"msg":"ok","tenant_access_token":"t-1","expire":7200}"#,
        ))
        .unwrap();
        assert_eq!(out.tenant_access_token.expose(), "t-1");
        assert_eq!(out.expire, 7200);
        assert!(out.extra.is_empty());
    }

    #[rstest]
    #[case::not_json(200, "hello", "decode")]
    #[case::empty(200, "", "decode")]
    #[case::truncated(200, r#"{"code":0,"msg":"ok","tenant_access"#, "decode")]
    #[case::code_missing(200, r#"{"msg":"ok"}"#, "decode")]
    #[case::html_502(502, "<html><body>Bad Gateway</body></html>", "http")]
    #[case::empty_500(500, "", "http")]
    #[case::api(400, r#"{"code":10015,"msg":"wrong app secret"}"#, "api")]
    #[case::rate(
        429,
        r#"{"code":99991400,"msg":"request trigger frequency limit"}"#,
        "rate"
    )]
    fn bad_bodies_give_typed_errors(#[case] status: u16, #[case] body: &str, #[case] kind: &str) {
        let err = decode_response::<TenantAccessTokenInternal>(&resp(status, body)).unwrap_err();
        let got = match &err {
            Error::Decode { .. } => "decode",
            Error::Http { .. } => "http",
            Error::Api(_) => "api",
            Error::RateLimited(_) => "rate",
            _ => "other",
        };
        assert_eq!(got, kind, "{err}");
        assert_eq!(err.log_id(), Some("LOG1"));
    }

    #[test]
    fn missing_code_names_the_path() {
        let err = decode_response::<AppTicketResend>(&resp(200, r#"{"msg":"ok"}"#)).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, .. } if path == "code"),
            "{err}"
        );
    }

    #[test]
    fn data_decode_error_names_the_json_path() {
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        pub struct Out {
            pub items: Vec<Item>,
        }
        #[derive(Debug, serde::Serialize, serde::Deserialize)]
        pub struct Item {
            pub name: String,
        }
        impl feishu_model::Params for Out {}
        feishu_model::endpoint! {
            /// test
            pub struct ListThings {
                operation: "t.v1.thing.list", method: Get, path: "/x", path_params: feishu_model::NoParams,
                query: feishu_model::NoParams, body: feishu_model::NoParams, output: Out, tokens: [Tenant],
                rate_limit: GROUP, doc: "https://x",
            }
        }
        let err = decode_response::<ListThings>(&resp(
            200,
            r#"{"code":0,"msg":"ok","data":{"items":[{"name":"a"},{"name":5}]}}"#,
        ))
        .unwrap_err();
        match err {
            Error::Decode { path, .. } => assert_eq!(path, "data.items[1].name"),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn rate_limit_header_is_read() {
        let mut r = resp(429, r#"{"code":99991400,"msg":"limit"}"#);
        r.headers_mut()
            .insert("x-ogw-ratelimit-reset", "2".parse().unwrap());
        let err = decode_response::<TenantAccessTokenInternal>(&r).unwrap_err();
        assert_eq!(err.retry_after(), Some(Duration::from_secs(2)));
        assert!(err.is_rate_limited() && err.is_retryable() && err.not_processed());
    }
}

//! Decoding a response: envelope, classification, typed output.

use std::borrow::Cow;
use std::time::Duration;

use feishu_model::download::{read_binary, BinaryAnswer};
use feishu_model::{codes, codes::ErrorClass, jsonpath, Endpoint, ErrorDetail, ResponseShape};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::{ApiError, Error};
use crate::transport::{HeaderName, HttpResponse};

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

/// The envelope with its `data` decoded in the same pass: the fast path of
/// a well-formed answer. Anything it cannot decode goes the careful way
/// ([`RawEnvelope`], then `data` alone), which names the failing path.
#[derive(Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
struct Envelope<'a, T> {
    code: Option<i64>,
    #[serde(borrow, default)]
    msg: Option<Cow<'a, str>>,
    #[serde(default = "Option::default")]
    data: Option<T>,
    #[serde(default)]
    error: Option<ErrorDetail>,
}

/// The log id header, parsed once.
pub(crate) const LOG_ID: HeaderName = HeaderName::from_static(LOG_ID_HEADER);
const RATE_LIMIT_RESET: HeaderName = HeaderName::from_static(RATE_LIMIT_RESET_HEADER);

/// The log id of a response, when it has a readable one.
pub(crate) fn log_id_of(response: &HttpResponse) -> Option<&str> {
    response
        .headers()
        .get(&LOG_ID)
        .and_then(|v| v.to_str().ok())
}

/// What a response says, before the output is decoded. The log id and the
/// rate-limit reset are read from the headers only when an error needs them.
struct Meta<'a> {
    operation: &'static str,
    status: u16,
    response: &'a HttpResponse,
}

impl<'a> Meta<'a> {
    fn of(operation: &'static str, response: &'a HttpResponse) -> Self {
        Meta {
            operation,
            status: response.status().as_u16(),
            response,
        }
    }

    fn log_id(&self) -> Option<String> {
        log_id_of(self.response).map(str::to_owned)
    }

    fn retry_after(&self) -> Option<Duration> {
        self.response
            .headers()
            .get(&RATE_LIMIT_RESET)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
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
            log_id: self.log_id(),
        }
    }

    fn http_error(&self, body: &[u8]) -> Error {
        let text = String::from_utf8_lossy(body);
        let snippet: String = text.chars().take(200).collect();
        Error::Http {
            operation: self.operation,
            status: self.status,
            log_id: self.log_id(),
            snippet,
            retry_after: self.retry_after(),
        }
    }

    fn api_error(&self, code: i64, msg: String, detail: Option<ErrorDetail>) -> Error {
        let api = Box::new(ApiError {
            operation: self.operation,
            code,
            msg,
            http_status: self.status,
            log_id: self.log_id(),
            detail,
            retry_after: self.retry_after(),
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
    decode_boxed::<E>(response).map(|output| *output)
}

/// [`decode_response`] with the output on the heap: it is decoded straight
/// into its box, not copied there (outputs run to a kilobyte).
pub(crate) fn decode_boxed<E: Endpoint>(response: &HttpResponse) -> Result<Box<E::Output>, Error> {
    let meta = Meta::of(E::OPERATION, response);
    match E::RESPONSE {
        ResponseShape::Data => decode_data::<E>(&meta, response.body()),
        ResponseShape::Flat => decode_flat::<E>(&meta, response.body()).map(Box::new),
        ResponseShape::Binary => decode_binary::<E>(&meta, response).map(Box::new),
    }
}

/// A download: the file, or the error envelope answered instead of it.
fn decode_binary<E: Endpoint>(meta: &Meta, response: &HttpResponse) -> Result<E::Output, Error> {
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_bytes()));
    match read_binary(meta.status, headers, response.body().to_vec()) {
        BinaryAnswer::File(file) => E::binary_output(file).ok_or_else(|| {
            meta.decode_error(String::new(), "the endpoint has no binary output".into())
        }),
        BinaryAnswer::Error { body, .. } => {
            let envelope: RawEnvelope<'_> = match jsonpath::from_slice(&body) {
                Ok(envelope) => envelope,
                Err(_) => return Err(meta.http_error(&body)),
            };
            check_code(meta, &body, envelope.code, envelope.msg, envelope.error)?;
            Err(meta.http_error(&body))
        }
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

fn decode_data<E: Endpoint>(meta: &Meta, body: &[u8]) -> Result<Box<E::Output>, Error> {
    if let Ok(envelope) = serde_json::from_slice::<Envelope<'_, Box<E::Output>>>(body) {
        check_code(
            meta,
            body,
            envelope.code,
            envelope.msg.map(Cow::into_owned),
            envelope.error,
        )?;
        return match envelope.data {
            Some(data) => Ok(data),
            // `data` absent or null: the output of an empty object.
            None => jsonpath::from_slice(b"{}").map_err(|e| {
                let e = e.within("data");
                meta.decode_error(e.path, e.message)
            }),
        };
    }
    decode_data_slowly::<E>(meta, body).map(Box::new)
}

/// The envelope first (its `data` kept raw), then `data` alone: the path
/// of a response the one-pass decode refused.
fn decode_data_slowly<E: Endpoint>(meta: &Meta, body: &[u8]) -> Result<E::Output, Error> {
    let envelope: RawEnvelope<'_> = match jsonpath::from_slice(body) {
        Ok(env) => env,
        Err(_) if !meta.success_status() => return Err(meta.http_error(body)),
        Err(e) => return Err(meta.decode_error(e.path, e.message)),
    };
    check_code(meta, body, envelope.code, envelope.msg, envelope.error)?;
    let raw = envelope.data.map_or("{}", RawValue::get);
    let raw = if raw == "null" { "{}" } else { raw };
    // The one-pass decode refused this `data` (the rest of the envelope
    // decodes here too): decoding it alone names the failing path, read
    // from where the decoder stopped.
    jsonpath::from_slice(raw.as_bytes()).map_err(|e| {
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
                operation: "t.v1.thing.list", family: Im, method: Get, path: "/x", path_params: feishu_model::NoParams,
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

    feishu_model::endpoint! {
        /// A test endpoint whose output has a defaulted list.
        pub struct ListDefaulted {
            operation: "t.v1.thing.list_defaulted", family: Im, method: Get, path: "/x", path_params: feishu_model::NoParams,
            query: feishu_model::NoParams, body: feishu_model::NoParams, output: Defaulted, tokens: [Tenant],
            rate_limit: GROUP, doc: "https://x",
        }
    }

    #[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
    pub struct Defaulted {
        #[serde(default)]
        pub items: Vec<u32>,
    }
    impl feishu_model::Params for Defaulted {}

    #[rstest]
    #[case::data_missing(r#"{"code":0,"msg":"ok"}"#, 0)]
    #[case::data_null(r#"{"code":0,"msg":"ok","data":null}"#, 0)]
    #[case::data_first(r#"{"data":{"items":[1,2]},"msg":"ok","code":0}"#, 2)]
    #[case::escaped_msg(r#"{"code":0,"msg":"o\u006b","data":{"items":[7]}}"#, 1)]
    fn one_pass_envelopes_decode(#[case] body: &str, #[case] items: usize) {
        let out = decode_response::<ListDefaulted>(&resp(200, body)).unwrap();
        assert_eq!(out.items.len(), items);
    }

    #[test]
    fn an_error_code_wins_over_data_of_another_shape() {
        let err = decode_response::<ListDefaulted>(&resp(
            400,
            r#"{"code":232011,"msg":"no such chat","data":{"items":"oops"}}"#,
        ))
        .unwrap_err();
        match err {
            Error::Api(api) => {
                assert_eq!((api.code, api.msg.as_str()), (232011, "no such chat"));
                assert_eq!(api.log_id.as_deref(), Some("LOG1"));
            }
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

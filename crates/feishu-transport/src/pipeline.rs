//! Building and sending one HTTP exchange: the stage shared by API calls and
//! token fetches.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use feishu_model::{Endpoint, RequestSpec};
use futures::FutureExt;

use crate::credentials::RequestOptions;
use crate::decode::decode_response;
use crate::error::{Error, Rejection};
use crate::transport::{
    header, HeaderName, HeaderValue, HttpRequest, HttpResponse, Transport, Uri,
};
use http::uri::{self, Authority, PathAndQuery, Scheme};

/// A transport and the base URL it talks to.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) base_url: Arc<str>,
    /// The base URL parsed once (or why it does not parse, which every call
    /// then reports): a request's URI is built from its parts and the
    /// request's own path and query.
    base: Result<Base, String>,
}

/// The scheme, authority and path prefix of a base URL.
#[derive(Debug, Clone)]
struct Base {
    scheme: Scheme,
    authority: Authority,
    prefix: Box<str>,
}

impl Base {
    /// The parts of `base_url` (without its trailing `/`), which must be an
    /// absolute URL without a query.
    fn of(base_url: &str) -> Result<Base, String> {
        let refused = |why: &str| format!("the base URL `{base_url}` {why}");
        let uri = Uri::try_from(base_url).map_err(|e| refused(&format!("does not parse: {e}")))?;
        let parts = uri.into_parts();
        let prefix = match &parts.path_and_query {
            Some(pq) if pq.query().is_some() => return Err(refused("has a query")),
            Some(pq) => pq.path().trim_end_matches('/').into(),
            None => "".into(),
        };
        match (parts.scheme, parts.authority) {
            (Some(scheme), Some(authority)) => Ok(Base {
                scheme,
                authority,
                prefix,
            }),
            _ => Err(refused("is not absolute (scheme and host)")),
        }
    }

    fn uri(&self, spec: &RequestSpec) -> Result<Uri, String> {
        let mut path = String::with_capacity(self.prefix.len() + path_len(spec));
        path.push_str(&self.prefix);
        let path = push_path_and_query(path, spec);
        let mut parts = uri::Parts::default();
        parts.scheme = Some(self.scheme.clone());
        parts.authority = Some(self.authority.clone());
        parts.path_and_query = Some(PathAndQuery::try_from(path).map_err(|e| e.to_string())?);
        Uri::from_parts(parts).map_err(|e| e.to_string())
    }
}

impl Pipe {
    /// The host calls go to (`server.address` of a call's span), or `""`
    /// when the base URL does not parse.
    pub(crate) fn server_address(&self) -> &str {
        match &self.base {
            Ok(base) => base.authority.host(),
            Err(_) => "",
        }
    }

    /// A pipe to `base_url` (without its trailing `/`) through `transport`.
    pub(crate) fn new(transport: Arc<dyn Transport>, base_url: &str) -> Pipe {
        let base_url = base_url.trim_end_matches('/');
        Pipe {
            transport,
            base: Base::of(base_url),
            base_url: Arc::from(base_url),
        }
    }
}

/// About how long the path and query of `spec` are.
fn path_len(spec: &RequestSpec) -> usize {
    spec.path.len() + 16 * spec.query.len()
}

/// `out` followed by the encoded path and form-encoded query of `spec`.
fn push_path_and_query(mut out: String, spec: &RequestSpec) -> String {
    out.push_str(&spec.path);
    if !spec.query.is_empty() {
        out.push('?');
        let start = out.len();
        let mut ser = url::form_urlencoded::Serializer::for_suffix(out, start);
        for (k, v) in &spec.query {
            ser.append_pair(k, v);
        }
        out = ser.finish();
    }
    out
}

/// The full URL of a request: base URL, encoded path, form-encoded query.
pub fn request_url(base_url: &str, spec: &RequestSpec) -> String {
    let base_url = base_url.trim_end_matches('/');
    let mut url = String::with_capacity(base_url.len() + path_len(spec));
    url.push_str(base_url);
    push_path_and_query(url, spec)
}

/// The endpoint's request; invalid parameters are refused before sending.
pub(crate) fn request_spec<E: Endpoint>(endpoint: &E) -> Result<RequestSpec, Error> {
    endpoint.to_request().map_err(|e| Error::Rejected {
        operation: E::OPERATION,
        reason: Rejection::Invalid(e),
    })
}

fn http_method(method: feishu_model::Method) -> http::Method {
    match method {
        feishu_model::Method::Get => http::Method::GET,
        feishu_model::Method::Post => http::Method::POST,
        feishu_model::Method::Put => http::Method::PUT,
        feishu_model::Method::Patch => http::Method::PATCH,
        feishu_model::Method::Delete => http::Method::DELETE,
    }
}

fn config_error(operation: &'static str, message: String) -> Error {
    Error::Rejected {
        operation,
        reason: Rejection::Config(message),
    }
}

/// The extra headers of `options`, checked once per call: valid names and
/// values, and never `Authorization` (the client sets it from the token).
pub(crate) fn option_headers(
    operation: &'static str,
    options: &RequestOptions,
) -> Result<Vec<(HeaderName, HeaderValue)>, Error> {
    if options.request_id.is_none() && options.headers.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(options.headers.len() + 1);
    if let Some(id) = &options.request_id {
        let value = HeaderValue::try_from(id.as_str()).map_err(|_| {
            config_error(
                operation,
                "the request id is not a valid header value".into(),
            )
        })?;
        out.push((HeaderName::from_static("x-request-id"), value));
    }
    for (name, value) in &options.headers {
        let name = HeaderName::try_from(name.as_str())
            .map_err(|_| config_error(operation, format!("`{name}` is not a valid header name")))?;
        if name == header::AUTHORIZATION {
            return Err(config_error(
                operation,
                "the Authorization header is set by the client: use user_access_token() or a token provider".into(),
            ));
        }
        let mut value = HeaderValue::try_from(value.as_str()).map_err(|_| {
            config_error(
                operation,
                format!("the value of header `{name}` is not a valid header value"),
            )
        })?;
        if crate::transport::is_sensitive_header(name.as_str()) {
            value.set_sensitive(true);
        }
        out.push((name, value));
    }
    Ok(out)
}

impl Pipe {
    /// Turns a spec into an HTTP request with the given bearer token and
    /// extra headers.
    pub(crate) fn http_request(
        &self,
        spec: &RequestSpec,
        body: Option<Bytes>,
        authorization: Option<HeaderValue>,
        extra: &[(HeaderName, HeaderValue)],
    ) -> Result<HttpRequest, Error> {
        let uri = match &self.base {
            Ok(base) => base.uri(spec),
            Err(why) => Err(why.clone()),
        }
        .map_err(|e| config_error(spec.operation, format!("the request URL is invalid: {e}")))?;
        let has_body = body.is_some();
        let mut request = http::Request::new(body.unwrap_or_default());
        *request.method_mut() = http_method(spec.method);
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        if has_body {
            let content_type = spec
                .content_type
                .as_deref()
                .and_then(|t| HeaderValue::from_str(t).ok())
                .unwrap_or(HeaderValue::from_static(feishu_model::JSON_CONTENT_TYPE));
            headers.insert(header::CONTENT_TYPE, content_type);
        }
        if let Some(value) = authorization {
            headers.insert(header::AUTHORIZATION, value);
        }
        for (name, value) in extra {
            headers.append(name.clone(), value.clone());
        }
        Ok(request)
    }

    /// Sends one request; a transport failure becomes [`Error::Transport`].
    /// The transport's future is returned as it is (not wrapped in another
    /// state machine that would keep a copy of the request).
    pub(crate) fn exchange<'a>(
        &'a self,
        operation: &'static str,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, Error>> + Send + 'a {
        self.transport
            .send(request)
            .map(move |result| result.map_err(|source| Error::Transport { operation, source }))
    }

    /// One attempt at an endpoint that carries no bearer token (the auth endpoints).
    pub(crate) async fn send_unauthenticated<E: Endpoint>(
        &self,
        endpoint: &E,
    ) -> Result<E::Output, Error> {
        let mut spec = request_spec(endpoint)?;
        let body = spec.body.take().map(Bytes::from);
        let request = self.http_request(&spec, body, None, &[])?;
        let response = self.exchange(E::OPERATION, request).await?;
        decode_response::<E>(&response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use feishu_model::Method;
    use rstest::rstest;

    fn spec(path: &str, query: &[(&str, &str)]) -> RequestSpec {
        RequestSpec {
            operation: "x",
            method: Method::Get,
            path: path.into(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            body: None,
            content_type: None,
            idempotent: true,
            idempotency_key: None,
        }
    }

    #[rstest]
    #[case::feishu("https://open.feishu.cn")]
    #[case::trailing_slash("https://open.feishu.cn/")]
    #[case::port("http://127.0.0.1:18080")]
    #[case::prefix("http://gateway.local/feishu/")]
    #[case::ipv6_prefix("http://[::1]:8080/a/b")]
    #[case::user("https://user@open.larksuite.com")]
    fn a_uri_from_the_base_parts_is_the_parsed_url(#[case] base_url: &str) {
        let base = Base::of(base_url.trim_end_matches('/')).unwrap();
        for spec in [
            spec("/open-apis/im/v1/chats/oc_1", &[]),
            spec(
                "/open-apis/im/v1/chats/search",
                &[("query", "on call & ops/é"), ("page_size", "20")],
            ),
            spec(
                "/open-apis/im/v1/chats/a%2Fb",
                &[("user_id_type", "open_id")],
            ),
        ] {
            let parsed = Uri::try_from(request_url(base_url, &spec)).unwrap();
            let built = base.uri(&spec).unwrap();
            assert_eq!(built, parsed);
            assert_eq!(built.to_string(), parsed.to_string());
        }
    }

    proptest::proptest! {
        #[test]
        fn any_path_and_query_give_the_parsed_url(
            base_url in proptest::sample::select(vec![
                "https://open.feishu.cn",
                "http://127.0.0.1:18080/",
                "http://gateway.local/feishu",
            ]),
            path in "(/[a-zA-Z0-9_.~%-]{0,6}){1,4}",
            query in proptest::collection::vec(("[a-z_]{1,6}", "[ -~é]{0,6}"), 0..3),
        ) {
            let query: Vec<(&str, &str)> =
                query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let spec = spec(&path, &query);
            let base = Base::of(base_url.trim_end_matches('/')).unwrap();
            let parsed = Uri::try_from(request_url(base_url, &spec)).unwrap();
            proptest::prop_assert_eq!(base.uri(&spec).unwrap(), parsed);
        }
    }

    #[rstest]
    #[case::no_scheme("open.feishu.cn")]
    #[case::relative("/open-apis")]
    #[case::query("https://open.feishu.cn/?x=1")]
    #[case::not_a_url("https://open feishu")]
    fn a_base_url_that_is_not_absolute_is_refused_by_name(#[case] base_url: &str) {
        let why = Base::of(base_url).unwrap_err();
        assert!(
            why.starts_with(&format!("the base URL `{base_url}` ")),
            "{why}"
        );
    }

    #[test]
    fn url_joins_base_path_and_encoded_query() {
        let spec = RequestSpec {
            operation: "x",
            method: Method::Get,
            path: "/open-apis/im/v1/chats/search".into(),
            query: vec![
                ("query".into(), "on call & ops".into()),
                ("page_size".into(), "20".into()),
            ],
            body: None,
            content_type: None,
            idempotent: true,
            idempotency_key: None,
        };
        assert_eq!(
            request_url("https://open.feishu.cn/", &spec),
            "https://open.feishu.cn/open-apis/im/v1/chats/search?query=on+call+%26+ops&page_size=20"
        );
    }
}

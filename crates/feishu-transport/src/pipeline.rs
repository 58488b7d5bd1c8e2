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

/// A transport and the base URL it talks to.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) base_url: Arc<str>,
}

/// The full URL of a request: base URL, encoded path, form-encoded query.
pub fn request_url(base_url: &str, spec: &RequestSpec) -> String {
    let mut url = String::with_capacity(base_url.len() + spec.path.len() + 16 * spec.query.len());
    url.push_str(base_url.trim_end_matches('/'));
    url.push_str(&spec.path);
    if !spec.query.is_empty() {
        url.push('?');
        let start = url.len();
        let mut ser = url::form_urlencoded::Serializer::for_suffix(url, start);
        for (k, v) in &spec.query {
            ser.append_pair(k, v);
        }
        url = ser.finish();
    }
    url
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
        let url = request_url(&self.base_url, spec);
        let uri = Uri::try_from(url).map_err(|e| {
            config_error(spec.operation, format!("the request URL is invalid: {e}"))
        })?;
        let has_body = body.is_some();
        let mut request = http::Request::new(body.unwrap_or_default());
        *request.method_mut() = http_method(spec.method);
        *request.uri_mut() = uri;
        let headers = request.headers_mut();
        if has_body {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
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
            idempotent: true,
            idempotency_key: None,
        };
        assert_eq!(
            request_url("https://open.feishu.cn/", &spec),
            "https://open.feishu.cn/open-apis/im/v1/chats/search?query=on+call+%26+ops&page_size=20"
        );
    }
}

//! Building and sending one HTTP exchange: the stage shared by API calls and
//! token fetches.

use std::sync::Arc;

use bytes::Bytes;
use feishu_model::{Endpoint, RequestSpec, Secret};

use crate::credentials::RequestOptions;
use crate::decode::decode_response;
use crate::error::{Error, Rejection};
use crate::http::{HttpRequest, HttpResponse, Transport};

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

impl Pipe {
    /// Turns a spec into an HTTP request with the given bearer token and options.
    pub(crate) fn http_request(
        &self,
        spec: &RequestSpec,
        body: Option<Bytes>,
        token: Option<&Secret>,
        options: Option<&RequestOptions>,
    ) -> HttpRequest {
        let mut headers = Vec::with_capacity(4);
        if body.is_some() {
            headers.push((
                "content-type".to_owned(),
                "application/json; charset=utf-8".to_owned(),
            ));
        }
        if let Some(token) = token {
            headers.push((
                "authorization".to_owned(),
                format!("Bearer {}", token.expose()),
            ));
        }
        if let Some(options) = options {
            if let Some(id) = &options.request_id {
                headers.push(("x-request-id".to_owned(), id.clone()));
            }
            headers.extend(options.headers.iter().cloned());
        }
        HttpRequest {
            method: spec.method,
            url: request_url(&self.base_url, spec),
            headers,
            body,
        }
    }

    /// Sends one request; a transport failure becomes [`Error::Transport`].
    pub(crate) async fn exchange(
        &self,
        operation: &'static str,
        request: HttpRequest,
    ) -> Result<HttpResponse, Error> {
        self.transport
            .send(request)
            .await
            .map_err(|source| Error::Transport { operation, source })
    }

    /// One attempt at an endpoint that carries no bearer token (the auth endpoints).
    pub(crate) async fn send_unauthenticated<E: Endpoint>(
        &self,
        endpoint: &E,
    ) -> Result<E::Output, Error> {
        let spec = endpoint.to_request().map_err(|e| Error::Rejected {
            operation: E::OPERATION,
            reason: Rejection::Invalid(e),
        })?;
        let body = spec.body.clone().map(Bytes::from);
        let request = self.http_request(&spec, body, None, None);
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

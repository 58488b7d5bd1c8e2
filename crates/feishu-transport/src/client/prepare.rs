//! What every attempt of a call shares, built once before the first: the
//! token it carries, the request with its body, headers, retry policy,
//! limiter key and deadline.

use std::time::Duration;

use bytes::Bytes;
use feishu_model::{Endpoint, RateLimit, RequestSpec, Secret, TokenKind};

use super::Client;
use crate::credentials::RequestOptions;
use crate::error::{Error, Rejection};
use crate::pipeline::option_headers;
use crate::ratelimit::{CallLimit, LimitKey};
use crate::retry::RetryPolicy;
use crate::token::Bearer;
use crate::transport::{HeaderName, HeaderValue, HttpResponse};

/// Which token a call carries.
pub(super) enum Auth {
    None,
    User(Secret),
    Provider(TokenKind),
}

pub(super) fn choose_auth<E: Endpoint>(options: &RequestOptions) -> Result<Auth, Error> {
    let accepts = |k| E::TOKENS.contains(&k);
    let rejected = |given| Error::Rejected {
        operation: E::OPERATION,
        reason: Rejection::TokenKind {
            operation: E::OPERATION,
            accepted: E::TOKENS
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
            given,
        },
    };
    if E::TOKENS.is_empty() {
        return Ok(Auth::None);
    }
    if let Some(user) = &options.user_access_token {
        return if accepts(TokenKind::User) {
            Ok(Auth::User(user.clone()))
        } else {
            Err(rejected(TokenKind::User))
        };
    }
    if accepts(TokenKind::Tenant) {
        Ok(Auth::Provider(TokenKind::Tenant))
    } else if accepts(TokenKind::App) {
        Ok(Auth::Provider(TokenKind::App))
    } else {
        Err(rejected(TokenKind::Tenant))
    }
}

/// What every attempt of a call shares: the endpoint's request with its
/// type erased, and what the options and the client make of it.
pub(super) struct Prepared<'a> {
    pub(super) operation: &'static str,
    /// The endpoint's path template (`url.template` of the call's span).
    pub(super) template: &'static str,
    pub(super) rate_limit: RateLimit,
    pub(super) spec: RequestSpec,
    pub(super) auth: Auth,
    /// The bearer of a user access token given in the options.
    pub(super) user: Option<Bearer>,
    pub(super) tenant: Option<&'a str>,
    pub(super) body: Option<Bytes>,
    pub(super) repeatable: bool,
    pub(super) extra: Vec<(HeaderName, HeaderValue)>,
    pub(super) retry: &'a RetryPolicy,
    pub(super) key: Option<LimitKey>,
    /// The call's own extra budget, asked before every attempt.
    pub(super) call_limit: Option<&'a CallLimit>,
    /// The answer is a file's bytes: requests carry [`crate::ExpectDownload`].
    pub(super) download: bool,
    pub(super) timeout: Option<Duration>,
}

/// Decodes one response into the caller's output slot, or says why not.
pub(super) type Decoder<'a> = &'a mut (dyn FnMut(&HttpResponse) -> Result<(), Error> + Send);

impl Client {
    /// What every attempt of a call shares, built once.
    pub(super) fn prepare<'a>(
        &'a self,
        (operation, template): (&'static str, &'static str),
        rate_limit: RateLimit,
        mut spec: RequestSpec,
        auth: Auth,
        options: &'a RequestOptions,
    ) -> Result<Prepared<'a>, Error> {
        let inner = &*self.inner;
        // The body moves out of the spec: every attempt shares it without a copy.
        let body = spec.body.take().map(Bytes::from);
        let tenant = options.tenant_key.as_ref().map(|t| t.as_str());
        let user = match &auth {
            Auth::User(token) => Some(Bearer::new(token.clone())?),
            _ => None,
        };
        Ok(Prepared {
            operation,
            template,
            rate_limit,
            tenant,
            body,
            repeatable: spec.idempotent || spec.idempotency_key.is_some(),
            extra: option_headers(operation, options)?,
            retry: options.retry.as_ref().unwrap_or(&inner.retry),
            // Built once per call, and only when the limiter is on.
            key: inner.limiter.as_ref().map(|_| LimitKey {
                operation,
                app: inner.app_id.clone(),
                tenant: tenant.unwrap_or_default().to_owned(),
                scope: String::new(),
            }),
            call_limit: options.call_limit.as_ref(),
            download: false,
            timeout: options.timeout.or(inner.timeout),
            spec,
            auth,
            user,
        })
    }
}

//! One generic pipeline for every endpoint (authenticate → rate-limit →
//! decode into the model type → validate → handle → encode), and the
//! handlers, one module per resource family.

mod announcement;
mod apaas;
mod approval;
mod auth;
mod buzz;
mod card_update;
mod chat;
pub(crate) mod ctx;
mod docx;
mod ephemeral;
mod flow;
mod follow_up;
mod forward;
mod image_info;
mod managers;
mod media;
mod members;
mod menu;
mod merge_forward;
mod message;
mod message_card;
mod message_read;
pub(crate) mod message_view;
mod moderation;
pub(crate) mod notify;
mod paging;
mod pin;
mod reaction;
mod reaction_batch;
mod resource;
mod tab;
mod top_notice;
pub(crate) mod views;

use feishu_model::codes;
use feishu_model::download::Download;
use feishu_model::{jsonpath, Endpoint, Envelope, Family, Params, ResponseShape};
use serde_json::{Map, Value};

pub(crate) use ctx::Ctx;

use crate::error::Failure;
use crate::events::EmittedEvent;
use crate::state::World;

/// A request as the pipeline sees it, after routing.
#[derive(Debug)]
pub(crate) struct Incoming<'a> {
    /// Path parameters, still percent-encoded, in template order.
    pub(crate) params: Vec<(&'static str, &'a str)>,
    /// Decoded query pairs.
    pub(crate) query: &'a [(String, String)],
    /// The `Authorization` header.
    pub(crate) authorization: Option<&'a str>,
    /// The body bytes.
    pub(crate) body: &'a [u8],
    /// The `Content-Type` header.
    pub(crate) content_type: Option<&'a str>,
    /// The time, in microseconds since the epoch.
    pub(crate) now_micros: i64,
}

/// A successful call: the response body, its content type and extra
/// headers, and the events it caused.
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) body: Vec<u8>,
    /// `application/json; charset=utf-8`, or a download's type.
    pub(crate) content_type: String,
    /// Headers beyond the content type (a download's `Content-Disposition`).
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) events: Vec<EmittedEvent>,
}

/// The content type of every JSON answer.
pub(crate) const JSON_TYPE: &str = "application/json; charset=utf-8";

/// What every endpoint type implements: its behaviour (every documented
/// endpoint has one).
pub(crate) trait Handle: Endpoint + Sized {
    /// Whether a success answers `{"code":0,"msg":"ok"}` without `data`, as
    /// the pages of endpoints with nothing to return document it.
    const NO_DATA: bool = false;

    /// Whether the body is `multipart/form-data` (the uploads), read by
    /// [`Handle::form_body`] instead of as JSON.
    const FORM: bool = false;

    /// Carries out the call.
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Self::Output, Failure>;

    /// Reads a `multipart/form-data` body (only called when [`Handle::FORM`]).
    fn form_body(content_type: Option<&str>, body: &[u8]) -> Result<Self::Body, Failure> {
        let _ = (content_type, body);
        Err(Failure::not_implemented(Self::OPERATION, Self::DOC))
    }

    /// The file a download endpoint answers (endpoints whose response shape
    /// is [`ResponseShape::Binary`]).
    fn download(output: Self::Output) -> Option<Download> {
        let _ = output;
        None
    }
}

/// Runs endpoint `E` for one request.
pub(crate) type Runner = fn(&mut World, &Incoming<'_>) -> Result<Success, Failure>;

macro_rules! runners {
    ($($ty:path),* $(,)?) => {
        &[$((<$ty as Endpoint>::OPERATION, run::<$ty> as Runner)),*]
    };
}

/// The runner of every endpoint the model knows, by operation id.
pub(crate) static RUNNERS: &[(&str, Runner)] = feishu_model::for_each_endpoint!(runners);

/// The pipeline, the same for every endpoint.
fn run<E: Handle>(world: &mut World, req: &Incoming<'_>) -> Result<Success, Failure> {
    let now_ms = req.now_micros / 1000;
    let caller = if E::TOKENS.is_empty() {
        None
    } else {
        let caller = crate::auth::authenticate(world, req.authorization, E::TOKENS, now_ms)
            .map_err(|f| match (f.code, E::FAMILY) {
                // A token of an app the tenant has since disabled: the
                // group and docx pages answer their own code.
                (codes::APP_NOT_IN_USE, Family::Im) => Failure::code(codes::GROUP_APP_UNAVAILABLE),
                (codes::APP_NOT_IN_USE, Family::Docx) => Failure::code(codes::DOCX_APP_UNAVAILABLE),
                // A token of an app deleted since.
                (codes::INVALID_ACCESS_TOKEN, Family::Im)
                    if f.message.as_deref() == Some(crate::auth::APP_DELETED) =>
                {
                    Failure::code(codes::GROUP_APP_NOT_EXIST).because(crate::auth::APP_DELETED)
                }
                _ => f,
            })?;
        let bot_off = world
            .dir
            .apps
            .get(&caller.app)
            .is_some_and(|app| !app.bot_enabled);
        if bot_off && E::FAMILY == Family::Im {
            return Err(Failure::code(bot_off_code(E::OPERATION)));
        }
        if bot_off && E::FAMILY == Family::Docx {
            return Err(Failure::code(codes::DOCX_BOT_NOT_ACTIVATED));
        }
        world
            .limits
            .admit(
                E::OPERATION,
                &caller.app,
                &caller.tenant,
                E::RATE_LIMIT,
                req.now_micros,
            )
            .map_err(|mut refused| {
                // The docx pages answer a rate limit with HTTP 400.
                if E::FAMILY == Family::Docx {
                    refused.status = 400;
                }
                refused
            })?;
        Some(caller)
    };
    let endpoint = decode::<E>(req)?;
    endpoint
        .validate()
        .map_err(|e| Failure::invalid(E::OPERATION, E::FAMILY, &e))?;
    let mut ctx = Ctx::new(world, caller, now_ms, E::OPERATION, E::FAMILY);
    let output = endpoint.handle(&mut ctx)?;
    let events = ctx.into_events();
    let (body, content_type, headers) = encode::<E>(output)?;
    Ok(Success {
        body,
        content_type,
        headers,
        events,
    })
}

/// The code an im endpoint answers when the app's bot ability is off, as
/// its page lists it: 234007 for images, files and message resources,
/// 230006 for the other messaging pages, 232025 for the group pages.
fn bot_off_code(operation: &str) -> i64 {
    let resource = ["im.v1.image.", "im.v1.file.", "im.v1.message_resource."];
    if resource.iter().any(|p| operation.starts_with(p)) {
        codes::RESOURCE_BOT_DISABLED
    } else if crate::error::messaging(operation)
        || operation.starts_with("ephemeral.")
        || operation.starts_with("im.v1.thread.")
    {
        codes::MESSAGE_BOT_NOT_ACTIVATED
    } else {
        codes::GROUP_BOT_NOT_ACTIVATED
    }
}

/// Builds the model endpoint from the request's three parts.
fn decode<E: Handle>(req: &Incoming<'_>) -> Result<E, Failure> {
    let family = E::FAMILY;
    let part_error = |part: &str, e: jsonpath::PathError| {
        let field = if e.path == "." {
            part.to_owned()
        } else {
            e.path
        };
        Failure::param(family, &field, e.message)
    };
    let mut path = Map::new();
    for (name, raw) in &req.params {
        let value = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| Failure::param(family, name, "is not valid percent-encoded UTF-8"))?;
        path.insert((*name).to_owned(), Value::String(value.into_owned()));
    }
    let path: E::Path =
        jsonpath::from_value(&Value::Object(path)).map_err(|e| part_error("path", e))?;

    let mut query = Map::new();
    for (key, value) in req.query {
        let value = Value::String(value.clone());
        match query.get_mut(key) {
            Some(Value::Array(items)) => items.push(value),
            Some(first) => {
                let first = first.take();
                query.insert(key.clone(), Value::Array(vec![first, value]));
            }
            None => {
                query.insert(key.clone(), value);
            }
        }
    }
    let query: E::Query =
        jsonpath::from_value(&Value::Object(query)).map_err(|e| part_error("query", e))?;

    let blank = req.body.iter().all(u8::is_ascii_whitespace);
    let body: E::Body = if E::FORM {
        E::form_body(req.content_type, req.body)?
    } else if <E::Body as Params>::ABSENT || blank {
        jsonpath::from_value(&Value::Object(Map::new())).map_err(|e| part_error("body", e))?
    } else {
        jsonpath::from_slice(req.body).map_err(|e| part_error("body", e))?
    };
    Ok(E::from_parts(path, query, body))
}

/// A success answer: body, content type, extra headers.
type Encoded = (Vec<u8>, String, Vec<(String, String)>);

/// The success body: `{"code":0,"msg":"success","data":...}`, the flat
/// auth shape `{"code":0,"msg":"ok",...}`, or a download's bytes.
fn encode<E: Handle>(output: E::Output) -> Result<Encoded, Failure> {
    let internal = |e: serde_json::Error| {
        let mut f = Failure::code(Failure::param_code(E::FAMILY)).because(e.to_string());
        f.status = 500;
        f
    };
    let json = |body: Vec<u8>| (body, JSON_TYPE.to_owned(), Vec::new());
    match E::RESPONSE {
        ResponseShape::Data if E::NO_DATA => Ok(json(br#"{"code":0,"msg":"ok"}"#.to_vec())),
        ResponseShape::Data => serde_json::to_vec(&Envelope {
            code: 0,
            msg: "success".to_owned(),
            data: Some(output),
            error: None,
        })
        .map(json)
        .map_err(internal),
        ResponseShape::Flat => {
            let mut map = match serde_json::to_value(output).map_err(internal)? {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            map.insert("code".to_owned(), Value::from(0));
            map.insert("msg".to_owned(), Value::from("ok"));
            serde_json::to_vec(&Value::Object(map))
                .map(json)
                .map_err(internal)
        }
        ResponseShape::Binary => E::download(output)
            .map(media::binary_answer)
            .ok_or_else(|| Failure::not_implemented(E::OPERATION, E::DOC)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_endpoint_has_a_runner() {
        assert_eq!(RUNNERS.len(), feishu_model::registry::ENDPOINTS.len());
        for info in feishu_model::registry::ENDPOINTS {
            assert!(
                RUNNERS.iter().any(|(op, _)| *op == info.operation),
                "{}",
                info.operation
            );
        }
    }
}

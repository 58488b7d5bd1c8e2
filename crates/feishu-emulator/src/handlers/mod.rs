//! One generic pipeline for every endpoint (authenticate → rate-limit →
//! decode into the model type → validate → handle → encode), and the
//! handlers, one module per resource family.

mod announcement;
mod apaas;
mod auth;
mod buzz;
mod card_update;
mod chat;
pub(crate) mod ctx;
mod docx;
mod follow_up;
mod forward;
mod managers;
mod members;
mod menu;
mod message;
mod message_card;
mod message_read;
pub(crate) mod message_view;
mod moderation;
pub(crate) mod notify;
mod paging;
mod pin;
mod reaction;
mod tab;
mod top_notice;
pub(crate) mod views;

use feishu_model::codes;
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
    /// The time, in microseconds since the epoch.
    pub(crate) now_micros: i64,
}

/// A successful call: the response body and the events it caused.
#[derive(Debug)]
pub(crate) struct Success {
    pub(crate) body: Vec<u8>,
    pub(crate) events: Vec<EmittedEvent>,
}

/// What every endpoint type implements: its behaviour. Documented endpoints
/// the emulator does not implement keep the default, which answers 501.
pub(crate) trait Handle: Endpoint + Sized {
    /// Whether the emulator implements the endpoint.
    const IMPLEMENTED: bool = true;

    /// Carries out the call.
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Self::Output, Failure> {
        let _ = ctx;
        Err(Failure::not_implemented(Self::OPERATION, Self::DOC))
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
    if !E::IMPLEMENTED {
        return Err(Failure::not_implemented(E::OPERATION, E::DOC));
    }
    let now_ms = req.now_micros / 1000;
    let caller = if E::TOKENS.is_empty() {
        None
    } else {
        let caller = crate::auth::authenticate(world, req.authorization, E::TOKENS, now_ms)?;
        let bot_off = world
            .dir
            .apps
            .get(&caller.app)
            .is_some_and(|app| !app.bot_enabled);
        if bot_off && E::FAMILY == Family::Im {
            return Err(Failure::code(codes::GROUP_BOT_NOT_ACTIVATED));
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
    Ok(Success {
        body: encode::<E>(output)?,
        events,
    })
}

/// Builds the model endpoint from the request's three parts.
fn decode<E: Endpoint>(req: &Incoming<'_>) -> Result<E, Failure> {
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
    let body: E::Body = if <E::Body as Params>::ABSENT || blank {
        jsonpath::from_value(&Value::Object(Map::new())).map_err(|e| part_error("body", e))?
    } else {
        jsonpath::from_slice(req.body).map_err(|e| part_error("body", e))?
    };
    Ok(E::from_parts(path, query, body))
}

/// The success body: `{"code":0,"msg":"success","data":...}`, or the flat
/// auth shape `{"code":0,"msg":"ok",...}`.
fn encode<E: Endpoint>(output: E::Output) -> Result<Vec<u8>, Failure> {
    let internal = |e: serde_json::Error| {
        let mut f = Failure::code(Failure::param_code(E::FAMILY)).because(e.to_string());
        f.status = 500;
        f
    };
    match E::RESPONSE {
        ResponseShape::Data => serde_json::to_vec(&Envelope {
            code: 0,
            msg: "success".to_owned(),
            data: Some(output),
            error: None,
        })
        .map_err(internal),
        ResponseShape::Flat => {
            let mut map = match serde_json::to_value(output).map_err(internal)? {
                Value::Object(map) => map,
                _ => Map::new(),
            };
            map.insert("code".to_owned(), Value::from(0));
            map.insert("msg".to_owned(), Value::from("ok"));
            serde_json::to_vec(&Value::Object(map)).map_err(internal)
        }
        // Downloads are not emulated (their handlers answer 501 first).
        ResponseShape::Binary => Err(Failure::not_implemented(E::OPERATION, E::DOC)),
    }
}

/// Documented endpoints the emulator does not implement:
/// they answer HTTP 501 with a clear message.
mod not_implemented {
    use super::Handle;
    use feishu_model::apaas::approval_instance::*;
    use feishu_model::apaas::approval_task::*;
    use feishu_model::apaas::user_task::*;

    macro_rules! unimplemented_endpoints {
        ($($ty:ty),* $(,)?) => {
            $(impl Handle for $ty {
                const IMPLEMENTED: bool = false;
            })*
        };
    }

    unimplemented_endpoints!(
        UserTaskQuery,
        ApprovalTaskAgree,
        ApprovalTaskReject,
        ApprovalTaskTransfer,
        ApprovalTaskAddAssignee,
        UserTaskCc,
        UserTaskExpediting,
        ApprovalInstanceCancel,
        UserTaskRollbackPoints,
        UserTaskRollback,
    );

    // Merge and thread forwards, resources and ephemeral cards: not
    // emulated yet.
    unimplemented_endpoints!(
        feishu_model::im::message::forward::MergeForward,
        feishu_model::im::message::forward::ForwardThread,
        feishu_model::im::message::resource::GetMessageResource,
        feishu_model::im::card::SendEphemeralCard,
        feishu_model::im::card::DeleteEphemeralCard,
    );
    /// Messaging endpoints not emulated yet: batch reaction queries, images
    /// and files.
    mod messaging {
        use super::super::Handle;
        use feishu_model::im::{file::*, image::*, reaction::*};

        unimplemented_endpoints!(
            BatchQueryReactions,
            UploadImage,
            GetImage,
            UploadFile,
            GetFile,
        );
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

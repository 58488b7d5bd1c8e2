//! A user clicks a card: the app that sent the card gets
//! `card.action.trigger` (schema 2.0) over its long connection or its
//! callback URL, and has 3 s to answer with a toast and/or a new card, as
//! the card callback page documents. Failures carry the page's codes.

use std::time::Duration;

use feishu_model::codes;
use feishu_model::im::msg_type::MsgType;
use feishu_model::AppId;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::{acting_user, ActionError};
use crate::core::Core;
use crate::delivery::{Deliverer, Receiver};
use crate::error::Failure;
use crate::state::message::{CardToken, ToastRecord};
use crate::state::{Principal, UserKey};

/// How long the platform waits for the app's answer: 3 s.
pub const CARD_CALLBACK_TIMEOUT: Duration = Duration::from_secs(3);

/// The app has no card callback receiver (no callback URL, no long
/// connection).
pub const CARD_CALLBACK_NOT_CONFIGURED: i64 = 200340;
/// The app did not answer within 3 s.
pub const CARD_CALLBACK_TIMED_OUT: i64 = 200341;
/// No connection could be made to the callback URL.
pub const CARD_CALLBACK_UNREACHABLE: i64 = 200342;
/// The app answered with an HTTP status other than 200.
pub const CARD_CALLBACK_BAD_STATUS: i64 = 200671;
/// The app's answer is not the documented response body.
pub const CARD_CALLBACK_BAD_ANSWER: i64 = 200672;
/// The app's answer carries a card that is not valid.
pub const CARD_CALLBACK_BAD_CARD: i64 = 200673;

/// The documented meaning of a card callback error code.
pub fn card_callback_error(code: i64) -> &'static str {
    match code {
        CARD_CALLBACK_NOT_CONFIGURED => "the app has no valid card callback address",
        CARD_CALLBACK_TIMED_OUT => "the card callback service did not answer in time",
        CARD_CALLBACK_UNREACHABLE => "no TCP connection to the card callback address",
        CARD_CALLBACK_BAD_STATUS => "the card callback service answered a non-200 HTTP status",
        CARD_CALLBACK_BAD_ANSWER => "the card callback service answered a malformed body",
        CARD_CALLBACK_BAD_CARD => "the card callback service answered an invalid card",
        _ => "card callback failed",
    }
}

/// A click on a card component, as the `user_clicks_card` action gives it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Click {
    pub(crate) user: String,
    pub(crate) message: String,
    pub(crate) action: Map<String, Value>,
}

/// What happened after a click: what the client showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardClickOutcome {
    /// The card message.
    pub message_id: String,
    /// The app the callback went to (the card's sender).
    pub app_id: String,
    /// `long_connection` or `callback_url`; absent when the app has neither.
    pub via: Option<String>,
    /// The update token handed to the app (`c-...`): valid 30 minutes, for
    /// two delayed updates.
    pub token: String,
    /// The toast the app answered.
    pub toast: Option<Value>,
    /// Whether the answer replaced the card in the chat.
    pub card_replaced: bool,
    /// The card shown now, when replaced: raw card JSON, or the template
    /// reference `{"type": "template", "data": {...}}` as given.
    pub card: Option<Value>,
    /// The documented code of a failed callback (200340, 200341, ...).
    pub error_code: Option<i64>,
    /// What went wrong, when it failed.
    pub error: Option<String>,
}

/// Where the callback goes.
enum Route {
    LongConnection,
    Http(Receiver),
    Nowhere,
}

/// What the callback is made of, taken from the world under its lock.
struct Prepared {
    app: AppId,
    user: UserKey,
    token: String,
    body: Vec<u8>,
    route: Route,
}

/// Clicks a card: the callback, the wait, the toast and the card replaced.
pub(crate) async fn click(core: &Core, click: Click) -> Result<CardClickOutcome, ActionError> {
    let prepared = prepare(core, &click)?;
    let mut outcome = CardClickOutcome {
        message_id: click.message.clone(),
        app_id: prepared.app.to_string(),
        via: None,
        token: prepared.token.clone(),
        toast: None,
        card_replaced: false,
        card: None,
        error_code: None,
        error: None,
    };
    let answer = match &prepared.route {
        Route::Nowhere => Err(CARD_CALLBACK_NOT_CONFIGURED),
        Route::LongConnection => {
            outcome.via = Some("long_connection".to_owned());
            over_long_connection(core, &prepared).await
        }
        Route::Http(receiver) => {
            outcome.via = Some("callback_url".to_owned());
            over_http(receiver, &prepared.body).await
        }
    };
    let parsed = answer.and_then(|bytes| read_answer(&bytes));
    let now_ms = core.clock().now_ms();
    let mut world = core.world();
    match parsed {
        Ok((toast, card)) => {
            outcome.toast.clone_from(&toast);
            if let Some(card) = card {
                if let Some(m) = world.messages.by_id.get_mut(&click.message) {
                    if !m.deleted {
                        m.content = card.to_string();
                        m.update_ms = now_ms;
                        outcome.card_replaced = true;
                        outcome.card = Some(card);
                    }
                }
            }
        }
        Err(code) => {
            outcome.error_code = Some(code);
            outcome.error = Some(card_callback_error(code).to_owned());
        }
    }
    world.messages.toasts.push(ToastRecord {
        message_id: click.message.clone(),
        user: prepared.user,
        toast: outcome.toast.clone(),
        error_code: outcome.error_code,
        at_ms: now_ms,
    });
    Ok(outcome)
}

/// Checks the click and builds the callback; issues the update token.
fn prepare(core: &Core, click: &Click) -> Result<Prepared, ActionError> {
    let now_ms = core.clock().now_ms();
    let default_url = core.default_callback();
    let mut world = core.world();
    world.stats.requests += 1;
    let (user, _) = acting_user(&world, &click.user)?;
    let m = world
        .messages
        .by_id
        .get(&click.message)
        .cloned()
        .ok_or_else(|| {
            Failure::code(codes::MESSAGE_INVALID_PARAM)
                .because(format!("no message `{}`", click.message))
        })?;
    if m.deleted {
        return Err(Failure::code(codes::MESSAGE_RECALLED).into());
    }
    let chat = world
        .chats
        .get(&m.chat)
        .ok_or_else(|| Failure::code(codes::MESSAGE_INVALID_PARAM).because("the chat is gone"))?;
    if !chat.is_member(&Principal::User(user)) {
        return Err(Failure::code(codes::MESSAGE_LACKS_PERMISSION)
            .because("the user is not a member of the chat")
            .into());
    }
    if m.msg_type != MsgType::Interactive {
        return Err(Failure::code(codes::MESSAGE_INVALID_PARAM)
            .because(format!(
                "`{}` is a `{}` message, not a card",
                m.id, m.msg_type
            ))
            .into());
    }
    let Principal::Bot(app_id) = m.sender.clone() else {
        return Err(Failure::code(codes::MESSAGE_INVALID_PARAM)
            .because("only a card a bot sent calls back")
            .into());
    };
    let tenant = chat.tenant.clone();
    let app = world.dir.apps.get(&app_id).cloned().ok_or_else(|| {
        Failure::code(codes::MESSAGE_INVALID_PARAM).because(format!("no app `{app_id}`"))
    })?;
    let token = format!("c-{}", world.ids.hex(40));
    world.messages.card_tokens.insert(
        token.clone(),
        CardToken {
            message_id: m.id.clone(),
            app: app_id.clone(),
            issued_ms: now_ms,
            uses: 0,
        },
    );
    let operator = world.dir.event_ids(&Principal::User(user));
    let operator_tenant = world.dir.user(user).map(|u| u.tenant.clone());
    let body = json!({
        "schema": "2.0",
        "header": {
            "event_id": world.ids.hex(32),
            "token": app.verification_token.expose(),
            "create_time": now_ms.saturating_mul(1000).to_string(),
            "event_type": "card.action.trigger",
            "tenant_key": tenant,
            "app_id": app_id,
        },
        "event": {
            "operator": {
                "tenant_key": operator_tenant,
                "user_id": operator.user_id,
                "open_id": operator.open_id,
                "union_id": operator.union_id,
            },
            "token": token,
            "action": click.action,
            "host": "im_message",
            "context": {
                "open_message_id": m.id,
                "open_chat_id": m.chat,
            },
        },
    });
    let route = if core.link().connected(&app_id) {
        Route::LongConnection
    } else {
        match app.callback_url.clone().or(default_url) {
            Some(url) => Route::Http(Receiver {
                app_id: app_id.clone(),
                url,
                encrypt_key: app.encrypt_key.clone(),
                verification_token: app.verification_token.clone(),
            }),
            None => Route::Nowhere,
        }
    };
    Ok(Prepared {
        app: app_id,
        user,
        token,
        body: body.to_string().into_bytes(),
        route,
    })
}

/// The answer over the long connection: the acknowledgement's `data`.
async fn over_long_connection(core: &Core, prepared: &Prepared) -> Result<Vec<u8>, i64> {
    let (code, data) = core
        .link()
        .exchange(
            prepared.app.clone(),
            prepared.body.clone(),
            CARD_CALLBACK_TIMEOUT,
        )
        .await
        .map_err(|e| {
            if e.starts_with("no acknowledgement") {
                CARD_CALLBACK_TIMED_OUT
            } else {
                CARD_CALLBACK_UNREACHABLE
            }
        })?;
    if code != 200 {
        return Err(CARD_CALLBACK_BAD_STATUS);
    }
    Ok(data.unwrap_or_else(|| b"{}".to_vec()))
}

/// The answer over HTTP: the body of a 200 answer within 3 s.
async fn over_http(receiver: &Receiver, plain: &[u8]) -> Result<Vec<u8>, i64> {
    // A redirect is not an answer: the page forbids 3xx.
    let http = reqwest::Client::builder()
        .timeout(CARD_CALLBACK_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|_| CARD_CALLBACK_UNREACHABLE)?;
    let (body, headers) = Deliverer::seal(receiver, plain, true);
    let mut request = http.post(&receiver.url).body(body);
    for (k, v) in headers {
        request = request.header(k, v);
    }
    let response = request.send().await.map_err(|e| {
        if e.is_timeout() {
            CARD_CALLBACK_TIMED_OUT
        } else {
            CARD_CALLBACK_UNREACHABLE
        }
    })?;
    if response.status().as_u16() != 200 {
        return Err(CARD_CALLBACK_BAD_STATUS);
    }
    let bytes = response.bytes().await.map_err(|e| {
        if e.is_timeout() {
            CARD_CALLBACK_TIMED_OUT
        } else {
            CARD_CALLBACK_BAD_ANSWER
        }
    })?;
    Ok(bytes.to_vec())
}

/// The toast and the card shown next, from the app's answer.
fn read_answer(bytes: &[u8]) -> Result<(Option<Value>, Option<Value>), i64> {
    let Ok(Value::Object(answer)) = serde_json::from_slice::<Value>(bytes) else {
        return Err(CARD_CALLBACK_BAD_ANSWER);
    };
    let toast = match answer.get("toast") {
        None | Some(Value::Null) => None,
        Some(Value::Object(toast)) => {
            let kind_ok = match toast.get("type") {
                None => true,
                Some(Value::String(t)) => {
                    ["info", "success", "warning", "error"].contains(&t.as_str())
                }
                Some(_) => false,
            };
            let content_ok = toast.get("content").map_or(true, Value::is_string);
            let i18n_ok = toast.get("i18n").map_or(true, Value::is_object);
            if !(kind_ok && content_ok && i18n_ok) {
                return Err(CARD_CALLBACK_BAD_ANSWER);
            }
            Some(Value::Object(toast.clone()))
        }
        Some(_) => return Err(CARD_CALLBACK_BAD_ANSWER),
    };
    let card = match answer.get("card") {
        None | Some(Value::Null) => None,
        Some(Value::Object(card)) => Some(read_card(card)?),
        Some(_) => return Err(CARD_CALLBACK_BAD_CARD),
    };
    Ok((toast, card))
}

/// The card an answer carries: raw card JSON, or a template reference kept
/// as given.
fn read_card(card: &Map<String, Value>) -> Result<Value, i64> {
    let data = card.get("data").and_then(Value::as_object);
    match (card.get("type").and_then(Value::as_str), data) {
        (Some("raw"), Some(data)) => Ok(Value::Object(data.clone())),
        (Some("template"), Some(data))
            if data.get("template_id").and_then(Value::as_str).is_some() =>
        {
            Ok(json!({ "type": "template", "data": data }))
        }
        _ => Err(CARD_CALLBACK_BAD_CARD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_as_the_page_documents() {
        let (toast, card) = read_answer(
            br#"{"toast":{"type":"success","content":"done"},"card":{"type":"raw","data":{"elements":[]}}}"#,
        )
        .unwrap();
        assert_eq!(toast.unwrap()["content"], "done");
        assert_eq!(card.unwrap(), json!({"elements": []}));
        assert_eq!(read_answer(b"{}").unwrap(), (None, None));
        let (_, template) =
            read_answer(br#"{"card":{"type":"template","data":{"template_id":"AAq1","template_variable":{"k":"v"}}}}"#)
                .unwrap();
        assert_eq!(template.unwrap()["data"]["template_variable"]["k"], "v");
        assert_eq!(read_answer(b"ok"), Err(CARD_CALLBACK_BAD_ANSWER));
        assert_eq!(
            read_answer(br#"{"toast":{"type":"loud"}}"#),
            Err(CARD_CALLBACK_BAD_ANSWER)
        );
        assert_eq!(
            read_answer(br#"{"card":{"type":"raw"}}"#),
            Err(CARD_CALLBACK_BAD_CARD)
        );
        assert_eq!(
            read_answer(br#"{"card":{"type":"picture","data":{}}}"#),
            Err(CARD_CALLBACK_BAD_CARD)
        );
    }
}

//! Pinned messages of a chat.

use feishu_model::codes;
use feishu_model::im::pin::{
    CreatePin, CreatePinOutput, DeletePin, ListPins, ListPinsOutput, Pin, PinOperatorIdType,
};
use feishu_model::{Empty, Family};

use super::message::{enter, find};
use super::paging::paginate;
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use crate::state::message::{PinRecord, StoredMessage};
use crate::state::{Directory, Principal};

/// Default page size of the pin list.
const DEFAULT_PAGE: u32 = 20;

/// The pin as answered.
fn view(dir: &Directory, p: &PinRecord) -> Pin {
    let mut out = Pin::default();
    out.message_id = Some(p.message_id.clone());
    out.chat_id = Some(p.chat.clone());
    match &p.operator {
        Principal::Bot(app) => {
            out.operator_id = Some(app.as_str().to_owned());
            out.operator_id_type = Some(PinOperatorIdType::AppId);
        }
        Principal::User(key) => {
            out.operator_id = dir.user(*key).map(|u| u.open_id.clone());
            out.operator_id_type = Some(PinOperatorIdType::OpenId);
        }
    }
    out.create_time = Some(p.at_ms.to_string());
    out
}

/// The message a pin call names, if the caller may pin in its chat.
fn pinnable(ctx: &Ctx<'_>, caller: &Caller, id: &str) -> Result<StoredMessage, Failure> {
    let m = find(ctx, id)?.clone();
    if !ctx.world.chats.contains_key(&m.chat) {
        return Err(Failure::code(codes::PIN_CHAT_NOT_FOUND));
    }
    enter(ctx, caller, &m.chat)?;
    if m.deleted {
        return Err(Failure::code(codes::MESSAGE_RECALLED));
    }
    Ok(m)
}

impl Handle for CreatePin {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<CreatePinOutput, Failure> {
        let caller = ctx.caller()?;
        let m = pinnable(ctx, &caller, &self.body.message_id)?;
        let pins = &ctx.world.messages.pins;
        let record = match pins.iter().find(|p| p.message_id == m.id) {
            Some(p) => p.clone(),
            None => {
                let p = PinRecord {
                    message_id: m.id,
                    chat: m.chat,
                    operator: caller.who,
                    at_ms: ctx.now_ms,
                };
                ctx.world.messages.pins.push(p.clone());
                p
            }
        };
        let mut out = CreatePinOutput::default();
        out.pin = Some(view(&ctx.world.dir, &record));
        Ok(out)
    }
}

impl Handle for DeletePin {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let id = self.path.message_id;
        let m = find(ctx, &id)?.clone();
        if !ctx.world.chats.contains_key(&m.chat) {
            return Err(Failure::code(codes::PIN_CHAT_NOT_FOUND));
        }
        enter(ctx, &caller, &m.chat)?;
        ctx.world.messages.pins.retain(|p| p.message_id != m.id);
        Ok(Empty::default())
    }
}

impl Handle for ListPins {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListPinsOutput, Failure> {
        let caller = ctx.caller()?;
        let q = &self.query;
        if !ctx.world.chats.contains_key(&q.chat_id) {
            return Err(super::message::param(
                "chat_id",
                format!("no chat `{}`", q.chat_id),
            ));
        }
        enter(ctx, &caller, &q.chat_id)?;
        let start = q.start_time.as_deref().and_then(|t| t.parse::<i64>().ok());
        let end = q.end_time.as_deref().and_then(|t| t.parse::<i64>().ok());
        // Newest pin first.
        let all: Vec<Pin> = ctx
            .world
            .messages
            .pins
            .iter()
            .rev()
            .filter(|p| p.chat == q.chat_id)
            .filter(|p| start.map_or(true, |s| p.at_ms >= s) && end.map_or(true, |e| p.at_ms <= e))
            .map(|p| view(&ctx.world.dir, p))
            .collect();
        let page = paginate(Family::Im, all, &q.page, DEFAULT_PAGE).map_err(|mut f| {
            f.code = codes::MESSAGE_INVALID_PARAM;
            f.msg = crate::error::documented_message(f.code).to_owned();
            f
        })?;
        let mut out = ListPinsOutput::default();
        out.items = Some(page.items);
        out.has_more = Some(page.has_more);
        out.page_token = Some(page.page_token);
        Ok(out)
    }
}

//! Buzz (urgent) notifications for a message the bot sent: in the app, by
//! SMS or by phone. Ids of users outside the chat come back as invalid.

use feishu_model::codes;
use feishu_model::im::buzz::{
    UrgentApp, UrgentBody, UrgentOutput, UrgentPhone, UrgentQuery, UrgentSms,
};
use feishu_model::im::message_path::MessagePath;
use feishu_model::{MemberId, UserIdType};

use super::message::{enter, find, param};
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::message::BuzzRecord;
use crate::state::{Principal, UserKey};

/// Buzzes `kind` (`app`, `sms`, `phone`) for the message in `path`.
fn buzz(
    ctx: &mut Ctx<'_>,
    kind: &'static str,
    path: &MessagePath,
    query: &UrgentQuery,
    body: &UrgentBody,
) -> Result<UrgentOutput, Failure> {
    let caller = ctx.caller()?;
    let id_kind = match &query.user_id_type {
        Some(k) if k.is_known() => k.clone(),
        Some(k) => return Err(param("user_id_type", format!("unknown value `{k}`"))),
        None => UserIdType::OpenId,
    };
    let m = find(ctx, &path.message_id)?.clone();
    let chat = enter(ctx, &caller, &m.chat)?;
    if m.deleted {
        return Err(Failure::code(codes::MESSAGE_DELETED));
    }
    if m.sender != caller.who {
        return Err(Failure::code(codes::MESSAGE_BOT_NOT_SENDER));
    }
    if !chat.allowed(&chat.settings.urgent_setting, &caller.who) {
        return Err(Failure::code(codes::URGENT_NOT_ALLOWED)
            .because("only the chat owner and managers may buzz in this chat"));
    }
    let mut valid: Vec<UserKey> = Vec::new();
    let mut invalid: Vec<MemberId> = Vec::new();
    for id in &body.user_id_list {
        let user = ctx
            .world
            .dir
            .resolve_user(&id_kind, id.as_str(), &caller.tenant)
            .filter(|u| chat.is_member(&Principal::User(*u)));
        match user {
            Some(u) if !valid.contains(&u) => valid.push(u),
            Some(_) => {}
            None => invalid.push(id.clone()),
        }
    }
    if valid.is_empty() {
        return Err(param(
            "user_id_list",
            "no id names a member of the message's chat",
        ));
    }
    ctx.world.messages.buzz.push(BuzzRecord {
        message_id: m.id,
        chat: m.chat,
        kind,
        users: valid,
        at_ms: ctx.now_ms,
    });
    let mut out = UrgentOutput::default();
    out.invalid_user_id_list = Some(invalid);
    Ok(out)
}

impl Handle for UrgentApp {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UrgentOutput, Failure> {
        buzz(ctx, "app", &self.path, &self.query, &self.body)
    }
}

impl Handle for UrgentSms {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UrgentOutput, Failure> {
        buzz(ctx, "sms", &self.path, &self.query, &self.body)
    }
}

impl Handle for UrgentPhone {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<UrgentOutput, Failure> {
        buzz(ctx, "phone", &self.path, &self.query, &self.body)
    }
}

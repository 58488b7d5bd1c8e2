//! Chat managers: only the owner (or the creating bot) may add or remove them.

use feishu_model::codes;
use feishu_model::im::managers::{
    AddManagers, DeleteManagers, ManagersOutput, MAX_BOT_MANAGER_IDS_PER_CALL,
};
use feishu_model::{ChatId, MemberId, MemberIdType, UserIdType};

use super::ctx::MEMBER;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::Principal;

/// Checks the caller and resolves the ids to principals that are members.
fn prepare(
    ctx: &Ctx<'_>,
    id: &ChatId,
    kind: Option<&MemberIdType>,
    ids: Option<&[MemberId]>,
) -> Result<(MemberIdType, Vec<Principal>), Failure> {
    let caller = ctx.open(id, MEMBER)?;
    let kind = ctx.member_kind(kind)?;
    let ids = ids.unwrap_or_default();
    if kind == MemberIdType::AppId && ids.len() > MAX_BOT_MANAGER_IDS_PER_CALL {
        return Err(ctx.param(
            "manager_ids",
            format!("at most {MAX_BOT_MANAGER_IDS_PER_CALL} bots per call"),
        ));
    }
    let chat = ctx.chat(id)?;
    if !chat.owner_like(&caller.who) {
        return Err(Failure::code(codes::GROUP_OPERATOR_NOT_OWNER));
    }
    let mut found = Vec::new();
    for mid in ids {
        if let Some(who) = ctx
            .world
            .dir
            .resolve_member(&kind, mid.as_str(), &chat.tenant)
        {
            if chat.is_member(&who) && !found.contains(&who) {
                found.push(who);
            }
        }
    }
    Ok((kind, found))
}

fn output(ctx: &Ctx<'_>, id: &ChatId, kind: &MemberIdType) -> Result<ManagersOutput, Failure> {
    let chat = ctx.chat(id)?;
    let user_kind = crate::state::directory::user_kind(kind).unwrap_or(UserIdType::OpenId);
    let mut users = Vec::new();
    let mut bots = Vec::new();
    for m in &chat.managers {
        match m {
            Principal::User(key) => users.push(ctx.world.dir.id_of(*key, &user_kind)),
            Principal::Bot(app) => bots.push(app.clone()),
        }
    }
    Ok(feishu_model::fill!(ManagersOutput {
        chat_managers: Some(users),
        chat_bot_managers: Some(bots),
        extra: Default::default(),
    }))
}

impl Handle for AddManagers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ManagersOutput, Failure> {
        let id = &self.path.chat_id;
        let (kind, found) = prepare(
            ctx,
            id,
            self.query.member_id_type.as_ref(),
            self.body.manager_ids.as_deref(),
        )?;
        let chat = ctx.chat(id)?;
        let valid: Vec<Principal> = found.into_iter().filter(|w| *w != chat.owner).collect();
        if valid.is_empty() {
            return Err(Failure::code(codes::GROUP_NO_VALID_MEMBERS));
        }
        let new: Vec<Principal> = valid
            .into_iter()
            .filter(|w| !chat.managers.contains(w))
            .collect();
        if chat.managers.len() + new.len() > chat.manager_limit() {
            return Err(Failure::code(codes::GROUP_MANAGER_LIMIT).because(format!(
                "a chat holds at most {} managers",
                chat.manager_limit()
            )));
        }
        ctx.chat_mut(id)?.managers.extend(new);
        ctx.world.touch(id);
        output(ctx, id, &kind)
    }
}

impl Handle for DeleteManagers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ManagersOutput, Failure> {
        let id = &self.path.chat_id;
        let (kind, found) = prepare(
            ctx,
            id,
            self.query.member_id_type.as_ref(),
            self.body.manager_ids.as_deref(),
        )?;
        let chat = ctx.chat(id)?;
        let gone: Vec<Principal> = found
            .into_iter()
            .filter(|w| chat.managers.contains(w))
            .collect();
        if gone.is_empty() {
            return Err(Failure::code(codes::GROUP_NO_VALID_MEMBERS));
        }
        ctx.chat_mut(id)?.managers.retain(|m| !gone.contains(m));
        ctx.world.touch(id);
        output(ctx, id, &kind)
    }
}

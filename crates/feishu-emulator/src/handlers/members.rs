//! Chat members: add, remove, join, list, and "am I in the chat".

use feishu_model::codes;
use feishu_model::im::members::{
    AddMembers, AddMembersOutput, IsInChat, IsInChatOutput, ListMember, ListMembers,
    ListMembersOutput, MeJoin, RemoveMembers, RemoveMembersOutput, SucceedType,
    MAX_BOT_IDS_PER_CALL,
};
use feishu_model::im::types::{ChatMode, ChatType, MembershipApproval};
use feishu_model::{ChatId, Empty, MemberId, MemberIdType, UserIdType};

use super::ctx::{Access, MEMBER};
use super::notify::{self, Operator};
use super::paging::paginate;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::{Chat, Directory, Principal};

/// How one id of an add call resolved.
enum Resolved {
    Missing,
    /// Resigned users, bots without the bot ability or not installed.
    Unusable,
    /// A user of another tenant, for an internal chat.
    External,
    Already,
    New(Principal),
}

fn resolve(dir: &Directory, chat: &Chat, kind: &MemberIdType, id: &str) -> Resolved {
    let Some(who) = dir.resolve_member(kind, id, &chat.tenant) else {
        return Resolved::Missing;
    };
    if chat.is_member(&who) {
        return Resolved::Already;
    }
    match &who {
        Principal::User(key) => match dir.user(*key) {
            None => Resolved::Missing,
            Some(u) if u.resigned => Resolved::Unusable,
            Some(u) if u.tenant != chat.tenant && !chat.external => Resolved::External,
            Some(_) => Resolved::New(who),
        },
        Principal::Bot(app) => match dir.apps.get(app) {
            Some(a) if a.bot_enabled && (a.installed_in(&chat.tenant) || chat.external) => {
                Resolved::New(who)
            }
            _ => Resolved::Unusable,
        },
    }
}

/// The documented "not existed" failure for the id kind.
fn not_existed(kind: &MemberIdType, ids: &[MemberId]) -> Failure {
    let list = ids
        .iter()
        .map(MemberId::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let code = match kind {
        MemberIdType::OpenId => codes::OPEN_IDS_NOT_FOUND,
        MemberIdType::UserId => codes::USER_IDS_NOT_FOUND,
        MemberIdType::UnionId => codes::UNION_IDS_NOT_FOUND,
        _ => codes::GROUP_UNAVAILABLE_IDS,
    };
    let mut failure = Failure::code(code).because(format!("not existed: [{list}]"));
    if code == codes::OPEN_IDS_NOT_FOUND {
        failure.msg = format!("these open ids not existed: [{list}]");
    }
    failure
}

fn check_bot_count(ctx: &Ctx<'_>, kind: &MemberIdType, n: usize) -> Result<(), Failure> {
    if *kind == MemberIdType::AppId && n > MAX_BOT_IDS_PER_CALL {
        return Err(ctx.param(
            "id_list",
            format!("at most {MAX_BOT_IDS_PER_CALL} bots per call, got {n}"),
        ));
    }
    Ok(())
}

impl Handle for AddMembers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<AddMembersOutput, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let kind = ctx.member_kind(self.query.member_id_type.as_ref())?;
        let succeed = self
            .query
            .succeed_type
            .unwrap_or(SucceedType::FailOnNotExisted);
        if !succeed.is_known() {
            return Err(ctx.param("succeed_type", format!("must be 0, 1 or 2, got {succeed}")));
        }
        check_bot_count(ctx, &kind, self.body.id_list.len())?;
        let chat = ctx.chat(id)?;
        if chat.mode == ChatMode::P2p {
            return Err(Failure::code(codes::GROUP_UNSUPPORTED_CHAT_TYPE));
        }
        if !chat.allowed(&chat.settings.add_member_permission, &caller.who) {
            return Err(Failure::code(codes::GROUP_NOT_OWNER_OR_CREATOR)
                .because("only the owner and managers may add members to this chat"));
        }
        let mut missing = Vec::new();
        let mut unusable = Vec::new();
        let mut external = Vec::new();
        let mut new = Vec::new();
        for mid in &self.body.id_list {
            match resolve(&ctx.world.dir, chat, &kind, mid.as_str()) {
                Resolved::Missing => missing.push(mid.clone()),
                Resolved::Unusable => unusable.push(mid.clone()),
                Resolved::External => external.push(mid.clone()),
                Resolved::Already => {}
                Resolved::New(who) if !new.contains(&who) => new.push(who),
                Resolved::New(_) => {}
            }
        }
        match succeed {
            SucceedType::FailOnNotExisted => {
                if !missing.is_empty() {
                    return Err(not_existed(&kind, &missing));
                }
                if !external.is_empty() {
                    return Err(Failure::code(codes::GROUP_EXTERNAL_MEMBER));
                }
            }
            SucceedType::FailOnUnavailable
                if !(missing.is_empty() && unusable.is_empty() && external.is_empty()) =>
            {
                let all: Vec<&str> = missing
                    .iter()
                    .chain(&unusable)
                    .chain(&external)
                    .map(MemberId::as_str)
                    .collect();
                return Err(Failure::code(codes::GROUP_UNAVAILABLE_IDS)
                    .because(format!("unavailable: {all:?}")));
            }
            _ => {}
        }
        unusable.extend(external);

        let mut pending = Vec::new();
        if chat.settings.membership_approval == MembershipApproval::ApprovalRequired
            && !chat.privileged(&caller.who)
        {
            for who in new.drain(..) {
                pending.push(ctx.world.dir.member_id_of(&who, &user_kind_or_open(&kind)));
            }
        }
        let joining_users = new
            .iter()
            .filter(|w| matches!(w, Principal::User(_)))
            .count();
        if chat.user_count() + joining_users > chat.member_limit() {
            return Err(Failure::code(codes::GROUP_MEMBER_LIMIT).because(format!(
                "the chat holds {} users; the limit is {}",
                chat.user_count(),
                chat.member_limit()
            )));
        }
        let chat = ctx.chat_mut(id)?;
        for who in &new {
            chat.add(who.clone());
        }
        ctx.world.touch(id);
        let (users, bots) = notify::split(&new);
        let op = Operator {
            who: &caller.who,
            tenant: &caller.tenant,
        };
        notify::users_added(ctx, id, &op, &users);
        notify::bots_added(ctx, id, &op, &bots);
        Ok(feishu_model::fill!(AddMembersOutput {
            invalid_id_list: Some(unusable),
            not_existed_id_list: Some(missing),
            pending_approval_id_list: Some(pending),
            extra: Default::default(),
        }))
    }
}

/// The user id kind to report bots' and users' ids in (`open_id` for `app_id`).
fn user_kind_or_open(kind: &MemberIdType) -> UserIdType {
    crate::state::directory::user_kind(kind).unwrap_or(UserIdType::OpenId)
}

impl Handle for RemoveMembers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<RemoveMembersOutput, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let kind = ctx.member_kind(self.query.member_id_type.as_ref())?;
        check_bot_count(ctx, &kind, self.body.id_list.len())?;
        let chat = ctx.chat(id)?;
        let mut invalid = Vec::new();
        let mut leaving: Vec<Principal> = Vec::new();
        for mid in &self.body.id_list {
            match ctx
                .world
                .dir
                .resolve_member(&kind, mid.as_str(), &chat.tenant)
            {
                Some(who) if chat.is_member(&who) => {
                    if who == chat.owner {
                        return Err(Failure::code(codes::GROUP_CANNOT_REMOVE_OWNER));
                    }
                    if who != caller.who && !chat.privileged(&caller.who) {
                        return Err(Failure::code(codes::GROUP_TOKEN_NO_PERMISSION)
                            .because("only the owner and managers may remove other members"));
                    }
                    if !leaving.contains(&who) {
                        leaving.push(who);
                    }
                }
                _ => invalid.push(mid.clone()),
            }
        }
        let chat = ctx.chat_mut(id)?;
        for who in &leaving {
            chat.remove(who);
        }
        ctx.world.touch(id);
        let (users, bots) = notify::split(&leaving);
        let op = Operator {
            who: &caller.who,
            tenant: &caller.tenant,
        };
        notify::users_deleted(ctx, id, &op, &users);
        notify::bots_deleted(ctx, id, &op, &bots);
        Ok(feishu_model::fill!(RemoveMembersOutput {
            invalid_id_list: Some(invalid),
            extra: Default::default(),
        }))
    }
}

impl Handle for MeJoin {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        let access = Access {
            live: true,
            same_tenant: true,
            member: false,
        };
        let caller = ctx.open(id, access)?;
        let chat = ctx.chat(id)?;
        if chat.is_member(&caller.who) {
            return Ok(Empty::default());
        }
        if chat.chat_type != ChatType::Public || chat.mode == ChatMode::P2p {
            return Err(Failure::code(codes::GROUP_CHAT_TYPE_UNSUPPORTED)
                .because("only public chats can be joined"));
        }
        if chat.settings.membership_approval == MembershipApproval::ApprovalRequired {
            return Err(Failure::code(codes::GROUP_JOIN_NEEDS_APPROVAL));
        }
        if matches!(caller.who, Principal::User(_)) && chat.user_count() >= chat.member_limit() {
            return Err(Failure::code(codes::GROUP_MEMBER_LIMIT));
        }
        ctx.chat_mut(id)?.add(caller.who.clone());
        ctx.world.touch(id);
        let (users, bots) = notify::split(std::slice::from_ref(&caller.who));
        let op = Operator {
            who: &caller.who,
            tenant: &caller.tenant,
        };
        notify::users_added(ctx, id, &op, &users);
        notify::bots_added(ctx, id, &op, &bots);
        Ok(Empty::default())
    }
}

impl Handle for ListMembers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ListMembersOutput, Failure> {
        let id = &self.path.chat_id;
        ctx.open(id, MEMBER)?;
        let kind = ctx.user_kind("member_id_type", self.query.member_id_type.as_ref())?;
        let chat = ctx.chat(id)?;
        let users: Vec<_> = chat.users().collect();
        let total = users.len();
        let page = paginate(ctx.family, users, &self.query.page, 20)?;
        let dir = &ctx.world.dir;
        let items = page
            .items
            .iter()
            .filter_map(|key| {
                let user = dir.user(*key)?;
                Some(feishu_model::fill!(ListMember {
                    member_id_type: Some(kind.clone()),
                    member_id: Some(dir.id_of(*key, &kind)),
                    name: Some(user.name.clone()),
                    tenant_key: Some(user.tenant.clone()),
                    extra: Default::default(),
                }))
            })
            .collect();
        Ok(feishu_model::fill!(ListMembersOutput {
            items: Some(items),
            page_token: Some(page.page_token),
            has_more: Some(page.has_more),
            member_total: Some(i64::try_from(total).unwrap_or(i64::MAX)),
            extra: Default::default(),
        }))
    }
}

impl Handle for IsInChat {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<IsInChatOutput, Failure> {
        let id: &ChatId = &self.path.chat_id;
        let access = Access {
            live: false,
            same_tenant: true,
            member: false,
        };
        let caller = ctx.open(id, access)?;
        let chat = ctx.chat(id)?;
        Ok(feishu_model::fill!(IsInChatOutput {
            is_in_chat: Some(chat.is_live() && chat.is_member(&caller.who)),
            extra: Default::default(),
        }))
    }
}

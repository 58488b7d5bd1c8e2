//! Chats: create, disband, update, get, list, search, and share links.

use feishu_model::codes;
use feishu_model::events::{ChatChange, ChatDisbandedV1, ChatUpdatedV1};
use feishu_model::im::chat::{
    Chat as ChatInfo, ChatPage, ChatShareLink, ChatSortType, CreateChat, CreatedChat, DeleteChat,
    GetChat, GetChatLink, LinkValidityPeriod, ListChats, SearchChats, UpdateChat,
};
use feishu_model::im::types::{ChatMode, ChatStatus, ChatType, ShareCardPermission, WhoCan};
use feishu_model::{ChatId, Empty, UserIdType};

use super::ctx::{check_known, Access, MEMBER};
use super::notify::{self, Operator};
use super::paging::paginate;
use super::{views, Ctx, Handle};
use crate::error::Failure;
use crate::state::{Chat, Principal, UserKey};

/// The chat features the operator's tenant turned off: a public chat
/// (232091), restricted mode (232057), the member-count setting (232078).
fn check_features(
    ctx: &Ctx<'_>,
    tenant: &feishu_model::TenantKey,
    chat_type: Option<&ChatType>,
    restricted_mode: bool,
    hide_member_count: bool,
) -> Result<(), Failure> {
    let features = ctx
        .world
        .dir
        .tenant_features
        .get(tenant)
        .copied()
        .unwrap_or_default();
    if chat_type == Some(&ChatType::Public) && !features.public_chats {
        return Err(Failure::code(codes::GROUP_PUBLIC_NOT_ALLOWED));
    }
    if restricted_mode && !features.restricted_mode {
        return Err(Failure::code(codes::GROUP_RESTRICTED_MODE_NOT_ALLOWED));
    }
    if hide_member_count && !features.hide_member_count {
        let mut failure = Failure::code(codes::GROUP_MENU_ILLEGAL);
        // The chat pages give the shared code 232078 its own message.
        failure.msg =
            "The operator tenant doesn't have the permission to use hide_member_count_setting."
                .to_owned();
        return Err(failure);
    }
    Ok(())
}

/// [`check_features`] on a create or update body (two types with the same fields).
macro_rules! check_body_features {
    ($ctx:expr, $tenant:expr, $body:expr) => {
        check_features(
            $ctx,
            $tenant,
            $body.chat_type.as_ref(),
            $body.restricted_mode_setting.is_some(),
            $body.hide_member_count_setting.is_some(),
        )
    };
}

/// `uuid` de-duplication window of chat create: 10 hours.
const UUID_WINDOW_MS: i64 = 10 * 3600 * 1000;

impl Handle for CreateChat {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<CreatedChat, Failure> {
        let caller = ctx.caller()?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let body = &self.body;
        check_known!(
            ctx,
            body.group_message_type,
            body.chat_type,
            body.join_message_visibility,
            body.leave_message_visibility,
            body.membership_approval,
            body.urgent_setting,
            body.video_conference_setting,
            body.edit_permission,
            body.hide_member_count_setting,
        );
        check_body_features!(ctx, &caller.tenant, body)?;
        let dedup_key = self.query.uuid.as_ref().map(|uuid| {
            let owner = body
                .owner_id
                .as_ref()
                .map(|o| o.to_string())
                .unwrap_or_default();
            (caller.app.clone(), uuid.clone(), owner)
        });
        if let Some(key) = &dedup_key {
            if let Some((chat_id, at)) = ctx.world.create_keys.get(key) {
                if ctx.now_ms - at < UUID_WINDOW_MS {
                    if let Some(chat) = ctx.world.chats.get(chat_id) {
                        return Ok(views::created(&ctx.world.dir, chat, &kind));
                    }
                }
            }
        }

        let owner = match &body.owner_id {
            None => Principal::Bot(caller.app.clone()),
            Some(id) => {
                let key = ctx
                    .world
                    .dir
                    .resolve_user(&kind, id.as_str(), &caller.tenant)
                    .ok_or_else(|| {
                        Failure::code(codes::GROUP_INVALID_USER_ID)
                            .because(format!("no user `{id}`"))
                    })?;
                check_user(
                    ctx,
                    key,
                    &caller.tenant,
                    codes::GROUP_CREATOR_OWNER_OTHER_TENANT,
                )?;
                Principal::User(key)
            }
        };
        let mut users = Vec::new();
        for id in body.user_id_list.iter().flatten() {
            let key = ctx
                .world
                .dir
                .resolve_user(&kind, id.as_str(), &caller.tenant)
                .ok_or_else(|| {
                    Failure::code(codes::GROUP_UNAVAILABLE_IDS).because(format!("no user `{id}`"))
                })?;
            check_user(
                ctx,
                key,
                &caller.tenant,
                codes::GROUP_EXTERNAL_CHAT_NO_SCOPE,
            )?;
            users.push(key);
        }
        let mut bots = Vec::new();
        for app_id in body.bot_id_list.iter().flatten() {
            let app = ctx.world.dir.apps.get(app_id).ok_or_else(|| {
                Failure::code(codes::GROUP_BOT_NOT_FOUND).because(format!("no bot `{app_id}`"))
            })?;
            if !app.installed_in(&caller.tenant) {
                return Err(Failure::code(codes::GROUP_APP_UNAVAILABLE)
                    .because(format!("`{app_id}` is not installed")));
            }
            if !app.bot_enabled {
                return Err(Failure::code(codes::GROUP_BOT_NOT_ACTIVATED)
                    .because(format!("`{app_id}` has no bot")));
            }
            if *app_id != caller.app {
                bots.push(app_id.clone());
            }
        }

        let id = ChatId::new(ctx.world.ids.chat_id());
        let mut chat = Chat::new(id.clone(), caller.tenant.clone(), owner.clone(), ctx.now_ms);
        chat.creator = Some(caller.app.clone());
        chat.name = body.name.clone().filter(|n| !n.is_empty());
        chat.description = body.description.clone();
        chat.i18n_names = body.i18n_names.clone();
        chat.avatar =
            Some(views::avatar_url(body.avatar.as_deref().unwrap_or(
                "default-avatar_44ae0ca3-e140-494b-956f-78091e348435",
            )));
        chat.chat_type = body.chat_type.clone().unwrap_or(ChatType::Private);
        let s = &mut chat.settings;
        macro_rules! set {
            ($($field:ident => $slot:ident),* $(,)?) => {
                $(if let Some(v) = &body.$field { s.$slot = v.clone(); })*
            };
        }
        set!(
            group_message_type => group_message_type,
            join_message_visibility => join_message_visibility,
            leave_message_visibility => leave_message_visibility,
            membership_approval => membership_approval,
            restricted_mode_setting => restricted_mode,
            urgent_setting => urgent_setting,
            video_conference_setting => video_conference_setting,
            edit_permission => edit_permission,
            hide_member_count_setting => hide_member_count_setting,
        );
        chat.add(Principal::Bot(caller.app.clone()));
        let mut added_users: Vec<UserKey> = Vec::new();
        if let Principal::User(key) = owner {
            added_users.push(key);
        }
        for key in &users {
            if chat.add(Principal::User(*key)) {
                added_users.push(*key);
            }
        }
        bots.retain(|app| chat.add(Principal::Bot(app.clone())));
        if self.query.set_bot_manager == Some(true) && matches!(owner, Principal::User(_)) {
            chat.managers.push(Principal::Bot(caller.app.clone()));
        }
        chat.tabs = ctx.world.seed_tabs(&[]);
        ctx.world.insert_chat(chat);
        if let Some(key) = dedup_key {
            ctx.world.create_keys.insert(key, (id.clone(), ctx.now_ms));
        }

        let op = Operator {
            who: &caller.who,
            tenant: &caller.tenant,
        };
        notify::users_added(ctx, &id, &op, &added_users);
        notify::bots_added(ctx, &id, &op, &bots);
        let chat = ctx.chat(&id)?;
        Ok(views::created(&ctx.world.dir, chat, &kind))
    }
}

/// A user named in a create: not resigned, and in the creator's tenant
/// (`cross_tenant` is the code otherwise).
fn check_user(
    ctx: &Ctx<'_>,
    key: UserKey,
    tenant: &feishu_model::TenantKey,
    cross_tenant: i64,
) -> Result<(), Failure> {
    let user = ctx
        .world
        .dir
        .user(key)
        .ok_or_else(|| Failure::code(codes::GROUP_INVALID_USER_ID))?;
    if user.resigned {
        return Err(Failure::code(codes::GROUP_USER_RESIGNED)
            .because(format!("`{}` has resigned", user.open_id)));
    }
    if &user.tenant != tenant {
        return Err(Failure::code(cross_tenant)
            .because(format!("`{}` belongs to another tenant", user.open_id)));
    }
    Ok(())
}

impl Handle for DeleteChat {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let chat = ctx.chat(id)?;
        if chat.mode != ChatMode::Group {
            return Err(Failure::code(codes::GROUP_CHAT_TYPE_UNSUPPORTED)
                .because("only `group` chats can be disbanded"));
        }
        if !chat.owner_like(&caller.who) {
            return Err(Failure::code(codes::GROUP_NOT_OWNER_OR_CREATOR));
        }
        let payload = feishu_model::fill!(ChatDisbandedV1 {
            chat_id: id.clone(),
            operator_id: views::operator(&ctx.world.dir, &caller.who),
            external: Some(chat.external),
            operator_tenant_key: Some(caller.tenant.clone()),
            name: chat.name.clone(),
            i18n_names: chat.i18n_names.clone(),
            extra: Default::default(),
        });
        ctx.emit_to_bots(id, payload);
        ctx.chat_mut(id)?.status = ChatStatus::Dissolved;
        ctx.world.touch(id);
        Ok(Empty::default())
    }
}

/// Whether an update touches only what any member may edit when
/// `edit_permission` is `all_members`: avatar, name, description, names.
fn basic_only(body: &feishu_model::im::chat::UpdateChatBody) -> bool {
    let basic = feishu_model::im::chat::UpdateChatBody {
        avatar: body.avatar.clone(),
        name: body.name.clone(),
        description: body.description.clone(),
        i18n_names: body.i18n_names.clone(),
        ..Default::default()
    };
    *body == basic
}

impl Handle for UpdateChat {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let body = &self.body;
        check_known!(
            ctx,
            body.add_member_permission,
            body.share_card_permission,
            body.at_all_permission,
            body.edit_permission,
            body.join_message_visibility,
            body.leave_message_visibility,
            body.membership_approval,
            body.chat_type,
            body.group_message_type,
            body.urgent_setting,
            body.video_conference_setting,
            body.hide_member_count_setting,
        );
        check_body_features!(ctx, &caller.tenant, body)?;
        let chat = ctx.chat(id)?;
        if chat.mode == ChatMode::P2p {
            return Err(Failure::code(codes::GROUP_CHAT_TYPE_UNSUPPORTED)
                .because("a p2p chat cannot be updated"));
        }
        if !chat.privileged(&caller.who) {
            if chat.settings.edit_permission == WhoCan::OnlyOwner {
                return Err(Failure::code(codes::GROUP_NO_EDIT_PERMISSION));
            }
            if !basic_only(body) {
                return Err(Failure::code(codes::GROUP_LIMITED_EDIT));
            }
        }
        let new_owner = match &body.owner_id {
            None => None,
            Some(owner) => {
                let key = ctx
                    .world
                    .dir
                    .resolve_user(&kind, owner.as_str(), &chat.tenant)
                    .ok_or_else(|| {
                        Failure::code(codes::GROUP_INVALID_OWNER_ID)
                            .because(format!("no user `{owner}`"))
                    })?;
                let who = Principal::User(key);
                if ctx.world.dir.tenant_of(&who).as_ref() != Some(&chat.tenant) {
                    return Err(Failure::code(codes::GROUP_NEW_OWNER_OTHER_TENANT));
                }
                if !chat.is_member(&who) {
                    return Err(Failure::code(codes::GROUP_NEW_OWNER_NOT_IN_CHAT));
                }
                if who != chat.owner && !chat.owner_like(&caller.who) {
                    return Err(Failure::code(codes::GROUP_LIMITED_EDIT)
                        .because("only the owner can transfer the chat"));
                }
                Some(who)
            }
        };
        let chat_type = body
            .chat_type
            .clone()
            .unwrap_or_else(|| chat.chat_type.clone());
        let name = body
            .name
            .clone()
            .or_else(|| chat.name.clone())
            .unwrap_or_default();
        if chat_type == ChatType::Public && name.chars().count() < 2 {
            return Err(Failure::code(codes::GROUP_PUBLIC_NAME_TOO_SHORT));
        }

        let owner_ids = |ctx: &Ctx<'_>, who: &Principal| Some(ctx.world.dir.event_ids(who));
        let old_owner = owner_ids(ctx, &chat.owner);
        let new_owner_ids = new_owner.as_ref().and_then(|w| owner_ids(ctx, w));
        let mut before = ChatChange::default();
        let mut after = ChatChange::default();
        let chat = ctx.chat_mut(id)?;
        macro_rules! change_opt {
            ($($field:ident),*) => {$(
                if let Some(v) = &body.$field {
                    if chat.$field.as_ref() != Some(v) {
                        before.$field = chat.$field.clone();
                        after.$field = Some(v.clone());
                        chat.$field = Some(v.clone());
                    }
                }
            )*};
        }
        change_opt!(name, description, i18n_names);
        if let Some(key) = &body.avatar {
            let url = views::avatar_url(key);
            if chat.avatar.as_ref() != Some(&url) {
                before.avatar = chat.avatar.clone();
                after.avatar = Some(url.clone());
                chat.avatar = Some(url);
            }
        }
        let s = &mut chat.settings;
        macro_rules! change {
            ($($field:ident => $slot:ident $(as $event:ident)?),* $(,)?) => {$(
                if let Some(v) = &body.$field {
                    if s.$slot != *v {
                        $(before.$event = Some(s.$slot.clone());
                        after.$event = Some(v.clone());)?
                        s.$slot = v.clone();
                    }
                }
            )*};
        }
        change!(
            add_member_permission => add_member_permission as add_member_permission,
            share_card_permission => share_card_permission as share_card_permission,
            at_all_permission => at_all_permission as at_all_permission,
            edit_permission => edit_permission as edit_permission,
            membership_approval => membership_approval as membership_approval,
            join_message_visibility => join_message_visibility as join_message_visibility,
            leave_message_visibility => leave_message_visibility as leave_message_visibility,
            restricted_mode_setting => restricted_mode as restricted_mode_setting,
            group_message_type => group_message_type as group_message_type,
            urgent_setting => urgent_setting,
            video_conference_setting => video_conference_setting,
            hide_member_count_setting => hide_member_count_setting,
        );
        if let Some(t) = &body.chat_type {
            chat.chat_type = t.clone();
        }
        if let Some(who) = new_owner {
            if who != chat.owner {
                before.owner_id = old_owner;
                after.owner_id = new_owner_ids;
                chat.owner = who;
            }
        }
        if after == ChatChange::default() {
            return Ok(Empty::default());
        }
        let payload = feishu_model::fill!(ChatUpdatedV1 {
            chat_id: id.clone(),
            operator_id: views::operator(&ctx.world.dir, &caller.who),
            external: ctx.world.chats.get(id).map(|c| c.external),
            operator_tenant_key: Some(caller.tenant.clone()),
            after_change: Some(after),
            before_change: Some(before),
            moderator_list: None,
            extra: Default::default(),
        });
        ctx.world.touch(id);
        ctx.emit_to_bots(id, payload);
        Ok(Empty::default())
    }
}

impl Handle for GetChat {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatInfo, Failure> {
        let id = &self.path.chat_id;
        let access = Access {
            live: true,
            same_tenant: true,
            member: false,
        };
        let caller = ctx.open(id, access)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let chat = ctx.chat(id)?;
        Ok(views::info(
            &ctx.world.dir,
            chat,
            &kind,
            chat.is_member(&caller.who),
        ))
    }
}

fn listed(chat: &Chat) -> bool {
    chat.is_live() && chat.mode != ChatMode::P2p
}

fn page_of_chats(
    ctx: &Ctx<'_>,
    ids: Vec<ChatId>,
    page: &feishu_model::Page,
    kind: &UserIdType,
) -> Result<ChatPage, Failure> {
    let page = paginate(ctx.family, ids, page, 20)?;
    let items = page
        .items
        .iter()
        .filter_map(|id| ctx.world.chats.get(id))
        .map(|c| views::summary(&ctx.world.dir, c, kind))
        .collect();
    Ok(feishu_model::fill!(ChatPage {
        items: Some(items),
        page_token: Some(page.page_token),
        has_more: Some(page.has_more),
        extra: Default::default(),
    }))
}

impl Handle for ListChats {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatPage, Failure> {
        let caller = ctx.caller()?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let q = &self.query;
        check_known!(ctx, q.sort_type);
        let mut chats: Vec<&Chat> = ctx
            .world
            .chats
            .values()
            .filter(|c| listed(c) && c.is_member(&caller.who))
            .collect();
        if self.query.sort_type == Some(ChatSortType::ByActiveTimeDesc) {
            chats.sort_by_key(|c| std::cmp::Reverse(c.active));
        } else {
            chats.sort_by_key(|c| c.seq);
        }
        let ids = chats.into_iter().map(|c| c.id.clone()).collect();
        page_of_chats(ctx, ids, &self.query.page, &kind)
    }
}

impl Handle for SearchChats {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatPage, Failure> {
        let caller = ctx.caller()?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let needle = self
            .query
            .query
            .as_deref()
            .map(|q| q.trim_matches('"').to_lowercase())
            .unwrap_or_default();
        let dir = &ctx.world.dir;
        let matches = |chat: &Chat| {
            if needle.is_empty() {
                return true;
            }
            let names = chat.name.iter().chain(
                chat.i18n_names
                    .iter()
                    .flat_map(|n| [&n.zh_cn, &n.en_us, &n.ja_jp])
                    .flatten(),
            );
            names
                .into_iter()
                .any(|n| n.to_lowercase().contains(&needle))
                || chat.users().any(|u| {
                    dir.user(u)
                        .is_some_and(|u| u.name.to_lowercase().contains(&needle))
                })
        };
        let mut chats: Vec<&Chat> = ctx
            .world
            .chats
            .values()
            .filter(|c| listed(c))
            .filter(|c| {
                c.is_member(&caller.who)
                    || (c.chat_type == ChatType::Public && c.tenant == caller.tenant)
            })
            .filter(|c| matches(c))
            .collect();
        chats.sort_by_key(|c| c.seq);
        let ids = chats.into_iter().map(|c| c.id.clone()).collect();
        page_of_chats(ctx, ids, &self.query.page, &kind)
    }
}

impl Handle for GetChatLink {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatShareLink, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let b = &self.body;
        check_known!(ctx, b.validity_period);
        let chat = ctx.chat(id)?;
        if chat.mode == ChatMode::P2p {
            return Err(Failure::code(codes::GROUP_P2P_NO_SHARE_LINK));
        }
        let restricted = chat.settings.add_member_permission == WhoCan::OnlyOwner
            || chat.settings.share_card_permission == ShareCardPermission::NotAllowed;
        if restricted && !chat.privileged(&caller.who) {
            return Err(Failure::code(codes::GROUP_NO_SHARE_PERMISSION));
        }
        let period = b
            .validity_period
            .clone()
            .unwrap_or(LinkValidityPeriod::Week);
        let now = ctx.now_ms / 1000;
        let expire = match period {
            LinkValidityPeriod::Year => Some(now + 365 * 86_400),
            LinkValidityPeriod::Permanently => None,
            _ => Some(now + 7 * 86_400),
        };
        let token = ctx.world.ids.hex(32);
        Ok(feishu_model::fill!(ChatShareLink {
            share_link: Some(format!(
                "https://applink.feishu.cn/client/chat/chatter/add_by_link?link_token={token}"
            )),
            expire_time: expire.map(|e| e.to_string()),
            is_permanent: Some(expire.is_none()),
            extra: Default::default(),
        }))
    }
}

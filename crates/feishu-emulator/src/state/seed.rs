//! Building the world from a [`Fixture`], checking every reference.

use feishu_model::im::menu::{ChatMenuId, ChatMenuTopLevel};
use feishu_model::im::tab::{ChatTab, ChatTabContent, ChatTabId, ChatTabType};
use feishu_model::im::types::{ChatStatus, ChatType};
use feishu_model::{AppId, ChatId, Secret};

use super::chat::{Announcement, Chat, Settings};
use super::directory::{App, Principal, User};
use super::World;
use crate::fixture::{ChatSeed, Fixture, FixtureError};

/// The avatar of a chat that has none of its own.
pub(crate) const DEFAULT_AVATAR: &str = "https://p3-lark-file.byteimg.com/img/lark-avatar-staging/default-avatar_44ae0ca3-e140-494b-956f-78091e348435~100x100.jpg";

impl World {
    /// The world a fixture describes, at time `now_ms`.
    pub(crate) fn from_fixture(
        fixture: &Fixture,
        now_ms: i64,
        rate_limit_grace_micros: i64,
    ) -> Result<World, FixtureError> {
        let mut world = World::new(fixture.seed, rate_limit_grace_micros);
        for (i, t) in fixture.tenants.iter().enumerate() {
            if world
                .dir
                .tenants
                .insert(t.tenant_key.clone(), t.name.clone())
                .is_some()
            {
                return Err(FixtureError::new(
                    format!("tenants[{i}]"),
                    "duplicate tenant_key",
                ));
            }
        }
        world.seed_apps(fixture)?;
        world.seed_users(fixture)?;
        for (i, t) in fixture.user_tokens.iter().enumerate() {
            let at = format!("user_tokens[{i}]");
            if !world.dir.apps.contains_key(&t.app_id) {
                return Err(FixtureError::new(at, format!("unknown app `{}`", t.app_id)));
            }
            let user = world
                .dir
                .by_open_id(&t.user)
                .ok_or_else(|| FixtureError::new(&at, format!("unknown user `{}`", t.user)))?;
            world
                .tokens
                .seed_user(t.token.expose(), t.app_id.clone(), user);
        }
        for (i, seed) in fixture.chats.iter().enumerate() {
            let chat = world
                .seed_chat(seed, now_ms)
                .map_err(|e| FixtureError::new(format!("chats[{i}].{}", e.at), e.message))?;
            if world.chats.contains_key(&chat.id) {
                return Err(FixtureError::new(
                    format!("chats[{i}].chat_id"),
                    "duplicate chat id",
                ));
            }
            world.insert_chat(chat);
        }
        Ok(world)
    }

    fn seed_apps(&mut self, fixture: &Fixture) -> Result<(), FixtureError> {
        for (i, a) in fixture.apps.iter().enumerate() {
            let at = format!("apps[{i}]");
            for tenant in std::iter::once(&a.tenant_key).chain(&a.installed_in) {
                if !self.dir.tenants.contains_key(tenant) {
                    return Err(FixtureError::new(&at, format!("unknown tenant `{tenant}`")));
                }
            }
            let app = App {
                secret: a.app_secret.clone(),
                home: a.tenant_key.clone(),
                marketplace: a.marketplace,
                installed: a.installed_in.clone(),
                ticket: a.app_ticket.clone(),
                enabled: a.enabled,
                bot_enabled: a.bot_enabled,
                bot_open_id: a
                    .bot_open_id
                    .clone()
                    .unwrap_or_else(|| format!("ou_{}", self.ids.hex(32))),
                verification_token: a
                    .verification_token
                    .clone()
                    .unwrap_or_else(|| Secret::new(self.ids.hex(22))),
                callback_url: a.event_callback_url.clone(),
                encrypt_key: a.encrypt_key.clone(),
                events: a.events.clone(),
                name: a.name.clone(),
                group_msg: a.group_msg,
            };
            if self.dir.apps.insert(a.app_id.clone(), app).is_some() {
                return Err(FixtureError::new(at, "duplicate app_id"));
            }
            self.dir.app_order.push(a.app_id.clone());
        }
        Ok(())
    }

    fn seed_users(&mut self, fixture: &Fixture) -> Result<(), FixtureError> {
        for (i, u) in fixture.users.iter().enumerate() {
            let at = format!("users[{i}]");
            if !self.dir.tenants.contains_key(&u.tenant_key) {
                return Err(FixtureError::new(
                    at,
                    format!("unknown tenant `{}`", u.tenant_key),
                ));
            }
            let tail = u.open_id.strip_prefix("ou_").unwrap_or(&u.open_id);
            let user = User {
                open_id: u.open_id.clone(),
                union_id: u.union_id.clone().unwrap_or_else(|| format!("on_{tail}")),
                user_id: u.user_id.clone().unwrap_or_else(|| self.ids.hex(8)),
                name: u.name.clone(),
                tenant: u.tenant_key.clone(),
                resigned: u.resigned,
            };
            if !self.dir.add_user(user, u.apaas_user_id.clone()) {
                return Err(FixtureError::new(at, "an id of this user is already taken"));
            }
        }
        Ok(())
    }

    fn principal(&self, id: &str) -> Option<Principal> {
        let app = AppId::from(id);
        if self.dir.apps.contains_key(&app) {
            return Some(Principal::Bot(app));
        }
        self.dir.by_open_id(id).map(Principal::User)
    }

    fn user_of(&self, field: &str, open_id: &str) -> Result<Principal, FixtureError> {
        self.dir
            .by_open_id(open_id)
            .map(Principal::User)
            .ok_or_else(|| FixtureError::new(field, format!("unknown user `{open_id}`")))
    }

    fn bot_of(&self, field: &str, app: &AppId) -> Result<Principal, FixtureError> {
        if self.dir.apps.contains_key(app) {
            Ok(Principal::Bot(app.clone()))
        } else {
            Err(FixtureError::new(field, format!("unknown app `{app}`")))
        }
    }

    fn seed_chat(&mut self, s: &ChatSeed, now_ms: i64) -> Result<Chat, FixtureError> {
        if !self.dir.tenants.contains_key(&s.tenant_key) {
            return Err(FixtureError::new(
                "tenant_key",
                format!("unknown tenant `{}`", s.tenant_key),
            ));
        }
        let owner = self.principal(&s.owner).ok_or_else(|| {
            FixtureError::new("owner", format!("unknown user or app `{}`", s.owner))
        })?;
        let id = match &s.chat_id {
            Some(id) => id.clone(),
            None => ChatId::new(self.ids.chat_id()),
        };
        let mut chat = Chat::new(id, s.tenant_key.clone(), owner.clone(), now_ms);
        chat.name = s.name.clone();
        chat.description = s.description.clone();
        chat.avatar = Some(
            s.avatar
                .clone()
                .unwrap_or_else(|| DEFAULT_AVATAR.to_owned()),
        );
        chat.i18n_names = s.i18n_names.clone();
        if let Some(mode) = &s.chat_mode {
            chat.mode = mode.clone();
        }
        if let Some(t) = &s.chat_type {
            chat.chat_type = t.clone();
        }
        if let Some(tag) = &s.chat_tag {
            chat.tag = tag.clone();
        }
        chat.external = s.external;
        chat.super_large = s.super_large;
        chat.status = s.chat_status.clone().unwrap_or(ChatStatus::Normal);
        if let Some(creator) = &s.creator {
            self.bot_of("creator", creator)?;
            chat.creator = Some(creator.clone());
        }
        for (i, u) in s.users.iter().enumerate() {
            let who = self.user_of(&format!("users[{i}]"), u)?;
            chat.add(who);
        }
        for (i, b) in s.bots.iter().enumerate() {
            let who = self.bot_of(&format!("bots[{i}]"), b)?;
            chat.add(who);
        }
        let managers = s
            .user_managers
            .iter()
            .enumerate()
            .map(|(i, u)| self.user_of(&format!("user_managers[{i}]"), u))
            .chain(
                s.bot_managers
                    .iter()
                    .enumerate()
                    .map(|(i, b)| self.bot_of(&format!("bot_managers[{i}]"), b)),
            )
            .collect::<Result<Vec<_>, _>>()?;
        for m in managers {
            if !chat.is_member(&m) {
                return Err(FixtureError::new(
                    "managers",
                    "every manager must be a member",
                ));
            }
            chat.managers.push(m);
        }
        for (i, u) in s.moderators.iter().enumerate() {
            if let Principal::User(key) = self.user_of(&format!("moderators[{i}]"), u)? {
                chat.moderators.push(key);
            }
        }
        chat.settings = self.seed_settings(s);
        if chat.chat_type == ChatType::Public
            && chat.name.as_deref().map_or(0, |n| n.chars().count()) < 2
        {
            return Err(FixtureError::new(
                "name",
                "a public chat needs a name of 2 or more characters",
            ));
        }
        chat.tabs = self.seed_tabs(&s.tabs);
        chat.menu = self.seed_menu(&s.menu);
        if let Some(a) = &s.announcement {
            chat.announcement = Announcement {
                content: a.content.clone(),
                revision: a.revision,
                ..chat.announcement
            };
        }
        Ok(chat)
    }

    fn seed_settings(&self, s: &ChatSeed) -> Settings {
        let d = Settings::default();
        Settings {
            add_member_permission: s
                .add_member_permission
                .clone()
                .unwrap_or(d.add_member_permission),
            share_card_permission: s
                .share_card_permission
                .clone()
                .unwrap_or(d.share_card_permission),
            at_all_permission: s.at_all_permission.clone().unwrap_or(d.at_all_permission),
            edit_permission: s.edit_permission.clone().unwrap_or(d.edit_permission),
            manage_tabs_permission: s
                .manage_tabs_permission
                .clone()
                .unwrap_or(d.manage_tabs_permission),
            join_message_visibility: s
                .join_message_visibility
                .clone()
                .unwrap_or(d.join_message_visibility),
            leave_message_visibility: s
                .leave_message_visibility
                .clone()
                .unwrap_or(d.leave_message_visibility),
            membership_approval: s
                .membership_approval
                .clone()
                .unwrap_or(d.membership_approval),
            moderation: s.moderation_permission.clone().unwrap_or(d.moderation),
            group_message_type: s.group_message_type.clone().unwrap_or(d.group_message_type),
            restricted_mode: s
                .restricted_mode_setting
                .clone()
                .unwrap_or(d.restricted_mode),
            urgent_setting: s.urgent_setting.clone().unwrap_or(d.urgent_setting),
            video_conference_setting: s
                .video_conference_setting
                .clone()
                .unwrap_or(d.video_conference_setting),
            hide_member_count_setting: s
                .hide_member_count_setting
                .clone()
                .unwrap_or(d.hide_member_count_setting),
        }
    }

    /// The seeded tabs, with a `message` tab first and every tab given an id.
    pub(crate) fn seed_tabs(&mut self, tabs: &[ChatTab]) -> Vec<ChatTab> {
        let mut out: Vec<ChatTab> = Vec::with_capacity(tabs.len() + 1);
        if tabs.first().and_then(|t| t.tab_type.as_ref()) != Some(&ChatTabType::Message) {
            out.push(ChatTab {
                tab_id: Some(ChatTabId::new(self.ids.numeric())),
                tab_content: Some(ChatTabContent::default()),
                ..ChatTab::new(ChatTabType::Message)
            });
        }
        for tab in tabs {
            let mut tab = tab.clone();
            if tab.tab_id.is_none() {
                tab.tab_id = Some(ChatTabId::new(self.ids.numeric()));
            }
            out.push(tab);
        }
        out
    }

    /// The seeded menus, every menu given an id.
    pub(crate) fn seed_menu(&mut self, menu: &[ChatMenuTopLevel]) -> Vec<ChatMenuTopLevel> {
        menu.iter()
            .map(|top| {
                let mut top = top.clone();
                if top.chat_menu_top_level_id.is_none() {
                    top.chat_menu_top_level_id = Some(ChatMenuId::new(self.ids.numeric()));
                }
                for child in top.children.iter_mut().flatten() {
                    if child.chat_menu_second_level_id.is_none() {
                        child.chat_menu_second_level_id = Some(ChatMenuId::new(self.ids.numeric()));
                    }
                }
                top
            })
            .collect()
    }
}

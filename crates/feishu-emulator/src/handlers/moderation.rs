//! Who may speak in a chat: read the setting and its moderators, change them.

use feishu_model::codes;
use feishu_model::events::{ChatChange, ChatUpdatedV1, EventModerator, ModeratorList};
use feishu_model::im::moderation::{
    ChatModeration, GetChatModeration, Moderator, UpdateChatModeration,
};
use feishu_model::im::types::ModerationPermission;
use feishu_model::Empty;

use super::ctx::{check_known, MEMBER};
use super::paging::paginate;
use super::{views, Ctx, Handle};
use crate::error::Failure;
use crate::state::{Principal, UserKey};

impl Handle for GetChatModeration {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatModeration, Failure> {
        let id = &self.path.chat_id;
        ctx.open(id, MEMBER)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let chat = ctx.chat(id)?;
        let setting = chat.settings.moderation.clone();
        if setting != ModerationPermission::ModeratorList {
            return Ok(feishu_model::fill!(ChatModeration {
                moderation_setting: Some(setting),
                page_token: Some(String::new()),
                has_more: Some(false),
                items: None,
                extra: Default::default(),
            }));
        }
        let page = paginate(ctx.family, chat.moderators.clone(), &self.query.page, 20)?;
        let dir = &ctx.world.dir;
        let items = page
            .items
            .iter()
            .map(|key| {
                feishu_model::fill!(Moderator {
                    user_id_type: Some(kind.clone()),
                    user_id: Some(dir.id_of(*key, &kind)),
                    tenant_key: dir.user(*key).map(|u| u.tenant.clone()),
                    extra: Default::default(),
                })
            })
            .collect();
        Ok(feishu_model::fill!(ChatModeration {
            moderation_setting: Some(setting),
            page_token: Some(page.page_token),
            has_more: Some(page.has_more),
            items: Some(items),
            extra: Default::default(),
        }))
    }
}

impl Handle for UpdateChatModeration {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let body = &self.body;
        check_known!(ctx, body.moderation_setting);
        let chat = ctx.chat(id)?;
        if !chat.privileged(&caller.who) {
            return Err(Failure::code(codes::GROUP_NOT_OWNER_OR_CREATOR));
        }
        let resolve = |ids: &Option<Vec<feishu_model::MemberId>>| -> Vec<UserKey> {
            ids.iter()
                .flatten()
                .filter_map(|m| ctx.world.dir.resolve_user(&kind, m.as_str(), &chat.tenant))
                .filter(|k| chat.is_member(&Principal::User(*k)))
                .collect()
        };
        let added_in = resolve(&body.moderator_added_list);
        let removed_in = resolve(&body.moderator_removed_list);
        let before_setting = chat.settings.moderation.clone();

        let chat = ctx.chat_mut(id)?;
        if let Some(setting) = &body.moderation_setting {
            chat.settings.moderation = setting.clone();
        }
        let mut added = Vec::new();
        let mut removed = Vec::new();
        for key in added_in {
            if !chat.moderators.contains(&key) && !added.contains(&key) {
                added.push(key);
            }
        }
        for key in removed_in {
            if (chat.moderators.contains(&key) || added.contains(&key)) && !removed.contains(&key) {
                removed.push(key);
            }
        }
        chat.moderators.extend(added.iter().copied());
        chat.moderators.retain(|k| !removed.contains(k));
        added.retain(|k| !removed.contains(k));
        let after_setting = chat.settings.moderation.clone();
        if before_setting == after_setting && added.is_empty() && removed.is_empty() {
            return Ok(Empty::default());
        }
        let external = chat.external;
        ctx.world.touch(id);
        let dir = &ctx.world.dir;
        let moderators = |keys: &[UserKey]| -> Option<Vec<EventModerator>> {
            (!keys.is_empty()).then(|| {
                keys.iter()
                    .map(|k| {
                        feishu_model::fill!(EventModerator {
                            tenant_key: dir.user(*k).map(|u| u.tenant.clone()),
                            user_id: Some(dir.event_ids(&Principal::User(*k))),
                            extra: Default::default(),
                        })
                    })
                    .collect()
            })
        };
        let changed = before_setting != after_setting;
        let payload = feishu_model::fill!(ChatUpdatedV1 {
            chat_id: id.clone(),
            operator_id: views::operator(dir, &caller.who),
            external: Some(external),
            operator_tenant_key: Some(caller.tenant.clone()),
            after_change: changed.then(|| feishu_model::fill!(ChatChange {
                moderation_permission: Some(after_setting),
                ..ChatChange::default()
            })),
            before_change: changed.then(|| feishu_model::fill!(ChatChange {
                moderation_permission: Some(before_setting),
                ..ChatChange::default()
            })),
            moderator_list: (!added.is_empty() || !removed.is_empty()).then(
                || feishu_model::fill!(ModeratorList {
                    added_member_list: moderators(&added),
                    removed_member_list: moderators(&removed),
                    extra: Default::default(),
                })
            ),
            extra: Default::default(),
        });
        ctx.emit_to_bots(id, payload);
        Ok(Empty::default())
    }
}

//! Chat menus: append, read, delete and reorder top-level menus, and edit
//! one menu. `group` chats only.

use feishu_model::codes;
use feishu_model::im::menu::{
    ChatMenuActionType, ChatMenuId, ChatMenuItem, ChatMenuItemOutput, ChatMenuTree,
    ChatMenuTreeOutput, ChatMenuUpdateField, CreateChatMenuTree, DeleteChatMenuTree,
    GetChatMenuTree, PatchChatMenuItem, SortChatMenuTree,
};
use feishu_model::im::types::ChatMode;
use feishu_model::ChatId;

use super::ctx::MEMBER;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::chat::{MAX_SECOND_MENUS, MAX_TOP_MENUS};

/// The checks of every menu call; `write` adds the management permission.
fn check(ctx: &Ctx<'_>, id: &ChatId, write: bool) -> Result<(), Failure> {
    let caller = ctx.open(id, MEMBER)?;
    let chat = ctx.chat(id)?;
    if chat.mode != ChatMode::Group {
        return Err(Failure::code(codes::GROUP_CHAT_TYPE_UNSUPPORTED)
            .because("menus exist in `group` chats only"));
    }
    if write && !chat.allowed(&chat.settings.manage_tabs_permission, &caller.who) {
        return Err(Failure::code(codes::GROUP_NO_WIDGET_PERMISSION));
    }
    Ok(())
}

fn tree(ctx: &Ctx<'_>, id: &ChatId) -> Result<ChatMenuTreeOutput, Failure> {
    Ok(feishu_model::fill!(ChatMenuTreeOutput {
        menu_tree: Some(ChatMenuTree::new(ctx.chat(id)?.menu.clone())),
        extra: Default::default(),
    }))
}

impl Handle for CreateChatMenuTree {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatMenuTreeOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let new = self.body.menu_tree.chat_menu_top_levels.unwrap_or_default();
        if ctx.chat(id)?.menu.len() + new.len() > MAX_TOP_MENUS {
            return Err(Failure::code(codes::GROUP_TOP_MENU_LIMIT));
        }
        if new
            .iter()
            .any(|top| top.children.as_ref().map_or(0, Vec::len) > MAX_SECOND_MENUS)
        {
            return Err(Failure::code(codes::GROUP_SECOND_MENU_LIMIT));
        }
        let mut new = new;
        for top in &mut new {
            top.chat_menu_top_level_id = Some(ChatMenuId::new(ctx.world.ids.numeric()));
            for child in top.children.iter_mut().flatten() {
                child.chat_menu_second_level_id = Some(ChatMenuId::new(ctx.world.ids.numeric()));
            }
        }
        ctx.chat_mut(id)?.menu.extend(new);
        ctx.world.touch(id);
        tree(ctx, id)
    }
}

impl Handle for GetChatMenuTree {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatMenuTreeOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, false)?;
        tree(ctx, id)
    }
}

impl Handle for DeleteChatMenuTree {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatMenuTreeOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let ids = &self.body.chat_menu_top_level_ids;
        let menu = &ctx.chat(id)?.menu;
        if let Some(unknown) = ids.iter().find(|m| {
            !menu
                .iter()
                .any(|t| t.chat_menu_top_level_id.as_ref() == Some(m))
        }) {
            return Err(ctx.param(
                "chat_menu_top_level_ids",
                format!("no top-level menu `{unknown}` in this chat"),
            ));
        }
        ctx.chat_mut(id)?.menu.retain(|t| {
            !t.chat_menu_top_level_id
                .as_ref()
                .is_some_and(|m| ids.contains(m))
        });
        ctx.world.touch(id);
        tree(ctx, id)
    }
}

impl Handle for SortChatMenuTree {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatMenuTreeOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let ids = &self.body.chat_menu_top_level_ids;
        let menu = &ctx.chat(id)?.menu;
        let mut order = Vec::with_capacity(ids.len());
        for m in ids {
            match menu
                .iter()
                .position(|t| t.chat_menu_top_level_id.as_ref() == Some(m))
            {
                Some(i) if !order.contains(&i) => order.push(i),
                _ => return Err(Failure::code(codes::GROUP_MENU_SORT_INVALID)),
            }
        }
        if order.len() != menu.len() {
            return Err(Failure::code(codes::GROUP_MENU_SORT_INVALID)
                .because("list every top-level menu of the chat"));
        }
        let sorted = order.iter().filter_map(|i| menu.get(*i).cloned()).collect();
        ctx.chat_mut(id)?.menu = sorted;
        ctx.world.touch(id);
        tree(ctx, id)
    }
}

/// The menu item with this id, at either level.
fn find<'a>(
    menu: &'a mut [feishu_model::im::menu::ChatMenuTopLevel],
    item: &ChatMenuId,
) -> Option<&'a mut Option<ChatMenuItem>> {
    for top in menu {
        if top.chat_menu_top_level_id.as_ref() == Some(item) {
            return Some(&mut top.chat_menu_item);
        }
        for child in top.children.iter_mut().flatten() {
            if child.chat_menu_second_level_id.as_ref() == Some(item) {
                return Some(&mut child.chat_menu_item);
            }
        }
    }
    None
}

impl Handle for PatchChatMenuItem {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatMenuItemOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let item_id = &self.path.menu_item_id;
        let mut menu = ctx.chat(id)?.menu.clone();
        let slot = find(&mut menu, item_id).ok_or_else(|| {
            ctx.param("menu_item_id", format!("no menu `{item_id}` in this chat"))
        })?;
        let current = slot.get_or_insert_with(ChatMenuItem::default);
        let new = &self.body.chat_menu_item;
        if new.action_type.is_some() && new.action_type != current.action_type {
            return Err(Failure::code(codes::GROUP_MENU_ILLEGAL)
                .because("a menu's action_type cannot change"));
        }
        for field in &self.body.update_fields {
            match field {
                ChatMenuUpdateField::Icon => current.image_key = new.image_key.clone(),
                ChatMenuUpdateField::Name => {
                    if new.name.is_none() {
                        return Err(ctx.param("name", "is required to update NAME"));
                    }
                    current.name = new.name.clone();
                }
                ChatMenuUpdateField::I18nName => current.i18n_names = new.i18n_names.clone(),
                ChatMenuUpdateField::RedirectLink => {
                    if current.action_type != Some(ChatMenuActionType::RedirectLink) {
                        return Err(Failure::code(codes::GROUP_MENU_ILLEGAL)
                            .because("only a REDIRECT_LINK menu has a link"));
                    }
                    current.redirect_link = new.redirect_link.clone();
                }
                other => {
                    return Err(ctx.param("update_fields", format!("unknown value `{other}`")));
                }
            }
        }
        let output = feishu_model::fill!(ChatMenuItemOutput {
            chat_menu_item: Some(current.clone()),
            extra: Default::default(),
        });
        ctx.chat_mut(id)?.menu = menu;
        ctx.world.touch(id);
        Ok(output)
    }
}

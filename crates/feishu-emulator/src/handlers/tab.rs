//! Chat tabs: add, update, reorder, list and delete `doc` and `url` tabs.

use feishu_model::codes;
use feishu_model::im::tab::{
    ChatTab, ChatTabContent, ChatTabId, ChatTabType, ChatTabsOutput, CreateChatTabs,
    DeleteChatTabs, ListChatTabs, SortChatTabs, UpdateChatTabs,
};
use feishu_model::im::types::ChatMode;
use feishu_model::ChatId;

use super::ctx::MEMBER;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::chat::MAX_CUSTOM_TABS;

/// The checks of every tab call; `write` adds the tab-management permission.
fn check(ctx: &Ctx<'_>, id: &ChatId, write: bool) -> Result<(), Failure> {
    let caller = ctx.open(id, MEMBER)?;
    let chat = ctx.chat(id)?;
    if !matches!(chat.mode, ChatMode::Group | ChatMode::P2p) {
        return Err(Failure::code(codes::GROUP_TAB_CHAT_TYPE_UNSUPPORTED));
    }
    if write && !chat.allowed(&chat.settings.manage_tabs_permission, &caller.who) {
        return Err(Failure::code(codes::GROUP_NO_WIDGET_PERMISSION));
    }
    Ok(())
}

fn output(ctx: &Ctx<'_>, id: &ChatId) -> Result<ChatTabsOutput, Failure> {
    Ok(feishu_model::fill!(ChatTabsOutput {
        chat_tabs: Some(ctx.chat(id)?.tabs.clone()),
        extra: Default::default(),
    }))
}

/// A tab as stored: only the content field of its type (none for the
/// built-in message and pin tabs), and a config only for `url` tabs.
fn normalized(mut tab: ChatTab) -> ChatTab {
    let content = tab.tab_content.take().unwrap_or_default();
    tab.tab_content = Some(match tab.tab_type {
        Some(ChatTabType::Url) => ChatTabContent {
            url: content.url,
            ..ChatTabContent::default()
        },
        Some(ChatTabType::Doc) => ChatTabContent {
            doc: content.doc,
            ..ChatTabContent::default()
        },
        // The message and pin tabs have no content.
        _ => {
            return ChatTab {
                tab_content: None,
                tab_config: None,
                ..tab
            }
        }
    });
    if tab.tab_type != Some(ChatTabType::Url) {
        tab.tab_config = None;
    }
    tab
}

fn writable(tab: &ChatTab) -> bool {
    matches!(tab.tab_type, Some(ChatTabType::Doc | ChatTabType::Url))
}

/// The position of each id among the chat's tabs, or a parameter error.
fn positions(
    ctx: &Ctx<'_>,
    id: &ChatId,
    field: &str,
    ids: &[ChatTabId],
) -> Result<Vec<usize>, Failure> {
    let tabs = &ctx.chat(id)?.tabs;
    let mut out = Vec::with_capacity(ids.len());
    for tab_id in ids {
        let at = tabs
            .iter()
            .position(|t| t.tab_id.as_ref() == Some(tab_id))
            .ok_or_else(|| ctx.param(field, format!("no tab `{tab_id}` in this chat")))?;
        if out.contains(&at) {
            return Err(ctx.param(field, format!("tab `{tab_id}` is listed twice")));
        }
        out.push(at);
    }
    Ok(out)
}

impl Handle for CreateChatTabs {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatTabsOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let custom = ctx
            .chat(id)?
            .tabs
            .iter()
            .filter(|t| t.tab_type != Some(ChatTabType::Message))
            .count();
        if custom + self.body.chat_tabs.len() > MAX_CUSTOM_TABS {
            return Err(Failure::code(codes::GROUP_TAB_LIMIT));
        }
        let mut new = Vec::with_capacity(self.body.chat_tabs.len());
        for tab in self.body.chat_tabs {
            let mut tab = normalized(tab);
            tab.tab_id = Some(ChatTabId::new(ctx.world.ids.numeric()));
            new.push(tab);
        }
        ctx.chat_mut(id)?.tabs.extend(new);
        ctx.world.touch(id);
        output(ctx, id)
    }
}

impl Handle for UpdateChatTabs {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatTabsOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let updates = self.body.chat_tabs.unwrap_or_default();
        let mut ids = Vec::with_capacity(updates.len());
        for tab in &updates {
            ids.push(
                tab.tab_id
                    .clone()
                    .ok_or_else(|| ctx.param("tab_id", "is required to update a tab"))?,
            );
        }
        let at = positions(ctx, id, "tab_id", &ids)?;
        let tabs = &ctx.chat(id)?.tabs;
        for (i, update) in at.iter().zip(&updates) {
            let current = tabs
                .get(*i)
                .ok_or_else(|| ctx.param("tab_id", "unknown tab"))?;
            if !writable(current) {
                return Err(Failure::code(codes::GROUP_TAB_TYPE_NOT_WRITABLE));
            }
            if update.tab_type.is_some() && update.tab_type != current.tab_type {
                return Err(ctx.param("tab_type", "the type of a tab cannot change"));
            }
        }
        let tabs = &mut ctx.chat_mut(id)?.tabs;
        for (i, update) in at.into_iter().zip(updates) {
            if let Some(current) = tabs.get_mut(i) {
                let merged = ChatTab {
                    tab_id: current.tab_id.clone(),
                    tab_name: update.tab_name.or_else(|| current.tab_name.clone()),
                    tab_type: current.tab_type.clone(),
                    tab_content: update.tab_content.or_else(|| current.tab_content.clone()),
                    tab_config: update.tab_config.or_else(|| current.tab_config.clone()),
                    extra: current.extra.clone(),
                };
                *current = normalized(merged);
            }
        }
        ctx.world.touch(id);
        output(ctx, id)
    }
}

impl Handle for SortChatTabs {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatTabsOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let at = positions(
            ctx,
            id,
            "tab_ids",
            self.body.tab_ids.as_deref().unwrap_or_default(),
        )?;
        let tabs = &mut ctx.chat_mut(id)?.tabs;
        let is_message = |t: &ChatTab| t.tab_type == Some(ChatTabType::Message);
        let mut sorted: Vec<ChatTab> = tabs.iter().filter(|t| is_message(t)).cloned().collect();
        sorted.extend(
            at.iter()
                .filter_map(|i| tabs.get(*i))
                .filter(|t| !is_message(t))
                .cloned(),
        );
        sorted.extend(
            tabs.iter()
                .enumerate()
                .filter(|(i, t)| !is_message(t) && !at.contains(i))
                .map(|(_, t)| t.clone()),
        );
        *tabs = sorted;
        ctx.world.touch(id);
        output(ctx, id)
    }
}

impl Handle for ListChatTabs {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatTabsOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, false)?;
        output(ctx, id)
    }
}

impl Handle for DeleteChatTabs {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatTabsOutput, Failure> {
        let id = &self.path.chat_id;
        check(ctx, id, true)?;
        let at = positions(ctx, id, "tab_ids", &self.body.tab_ids)?;
        let tabs = &ctx.chat(id)?.tabs;
        if at.iter().filter_map(|i| tabs.get(*i)).any(|t| !writable(t)) {
            return Err(Failure::code(codes::GROUP_TAB_TYPE_NOT_WRITABLE));
        }
        let tabs = &mut ctx.chat_mut(id)?.tabs;
        let mut i = 0;
        tabs.retain(|_| {
            let keep = !at.contains(&i);
            i += 1;
            keep
        });
        ctx.world.touch(id);
        output(ctx, id)
    }
}

//! Reading messages: one message, a chat's or thread's history, and who
//! read a message.

use feishu_model::codes;
use feishu_model::im::message::read::{
    ContainerIdType, GetMessage, ListMessages, MessageItems, MessagePage, MessageSortType,
    ReadUser, ReadUsers, ReadUsersPage,
};
use feishu_model::{ChatId, Family, UserIdType};

use super::message::{enter, param, visible};
use super::message_view::{self, Recalled};
use super::paging::paginate;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::message::StoredMessage;
use crate::state::Principal;

/// Default page size of the history.
const DEFAULT_PAGE: u32 = 20;

/// A user id kind, refusing unknown ones with 230001.
fn kind(value: Option<&UserIdType>) -> Result<UserIdType, Failure> {
    match value {
        None => Ok(UserIdType::OpenId),
        Some(k) if k.is_known() => Ok(k.clone()),
        Some(k) => Err(param("user_id_type", format!("unknown value `{k}`"))),
    }
}

/// Maps a paging error to the messaging parameter code.
fn page_error(mut f: Failure) -> Failure {
    f.code = codes::MESSAGE_INVALID_PARAM;
    f.msg = crate::error::documented_message(f.code).to_owned();
    f
}

impl Handle for GetMessage {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<MessageItems, Failure> {
        let caller = ctx.caller()?;
        let kind = kind(self.query.user_id_type.as_ref())?;
        let m = visible(ctx, &caller, self.path.message_id.as_str())?;
        let mut items = vec![message_view::message(
            &ctx.world.dir,
            &m,
            &kind,
            Recalled::Absent,
            true,
        )];
        // A merged forward answers the messages inside it after itself.
        let inside = ctx.world.messages.merged.get(&m.id).into_iter().flatten();
        for child in inside.filter_map(|id| ctx.world.messages.by_id.get(id)) {
            items.push(message_view::message(
                &ctx.world.dir,
                child,
                &kind,
                Recalled::Absent,
                true,
            ));
        }
        let mut out = MessageItems::default();
        out.items = Some(items);
        Ok(out)
    }
}

/// Parses a Unix-seconds filter into milliseconds.
fn seconds(value: Option<&str>) -> Option<i64> {
    value.and_then(|v| v.parse::<i64>().ok()).map(|s| s * 1000)
}

impl Handle for ListMessages {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<MessagePage, Failure> {
        let caller = ctx.caller()?;
        let q = &self.query;
        let container = q.container_id.clone().unwrap_or_default();
        let mut found: Vec<StoredMessage> = match q.container_id_type {
            Some(ContainerIdType::Thread) => {
                let root = ctx
                    .world
                    .messages
                    .threads
                    .get(&container)
                    .and_then(|root| ctx.world.messages.by_id.get(root))
                    .ok_or_else(|| {
                        Failure::code(codes::MESSAGE_THREAD_NOT_FOUND)
                            .because(format!("no thread `{container}`"))
                    })?;
                let chat = root.chat.clone();
                enter(ctx, &caller, &chat).map_err(|f| match caller.who {
                    Principal::Bot(_) => f,
                    Principal::User(_) => Failure::code(codes::MESSAGE_THREAD_INVISIBLE),
                })?;
                ctx.world
                    .messages
                    .of_chat(&chat)
                    .filter(|m| m.thread_id.as_deref() == Some(container.as_str()))
                    .cloned()
                    .collect()
            }
            Some(ContainerIdType::Chat) => {
                let chat = ChatId::new(container.as_str());
                if !ctx.world.chats.contains_key(&chat) {
                    return Err(param("container_id", format!("no chat `{container}`")));
                }
                enter(ctx, &caller, &chat)?;
                let start = seconds(q.start_time.as_deref()).unwrap_or(i64::MIN);
                let end = seconds(q.end_time.as_deref()).map_or(i64::MAX, |e| e + 999);
                ctx.world
                    .messages
                    .of_chat(&chat)
                    .filter(|m| m.create_ms >= start && m.create_ms <= end)
                    .cloned()
                    .collect()
            }
            _ => return Err(param("container_id_type", "must be `chat` or `thread`")),
        };
        if q.sort_type == Some(MessageSortType::ByCreateTimeDesc) {
            found.reverse();
        }
        let page = paginate(Family::Im, found, &q.page, DEFAULT_PAGE).map_err(page_error)?;
        let kind = UserIdType::OpenId;
        let mut out = MessagePage::default();
        out.items = Some(
            page.items
                .iter()
                .map(|m| {
                    message_view::message(&ctx.world.dir, m, &kind, Recalled::Placeholder, true)
                })
                .collect(),
        );
        out.has_more = Some(page.has_more);
        out.page_token = Some(page.page_token);
        Ok(out)
    }
}

impl Handle for ReadUsers {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ReadUsersPage, Failure> {
        let caller = ctx.caller()?;
        let kind = kind(self.query.user_id_type.as_ref())?;
        let m = visible(ctx, &caller, self.path.message_id.as_str())?;
        if m.sender != caller.who {
            return Err(Failure::code(codes::MESSAGE_BOT_NOT_SENDER));
        }
        // The read-status page lists 230110 for a recalled message.
        if m.deleted {
            return Err(Failure::code(codes::MESSAGE_DELETED));
        }
        if ctx.now_ms - m.create_ms > crate::state::message::READ_STATUS_WINDOW_MS {
            return Err(Failure::code(codes::MESSAGE_READ_STATUS_EXPIRED)
                .because("the message was sent more than 7 days ago"));
        }
        // The readers recorded for the message (see `Messages::reads`).
        let readers: Vec<ReadUser> = ctx
            .world
            .messages
            .reads
            .iter()
            .filter(|(id, _, _)| *id == m.id)
            .map(|(_, user, at)| {
                let mut r = ReadUser::default();
                r.user_id_type = Some(kind.clone());
                r.user_id = Some(ctx.world.dir.id_of(*user, &kind));
                r.timestamp = Some(at.to_string());
                r.tenant_key = ctx.world.dir.user(*user).map(|u| u.tenant.clone());
                r
            })
            .collect();
        let page =
            paginate(Family::Im, readers, &self.query.page, DEFAULT_PAGE).map_err(page_error)?;
        let mut out = ReadUsersPage::default();
        out.items = Some(page.items);
        out.has_more = Some(page.has_more);
        out.page_token = Some(page.page_token);
        Ok(out)
    }
}

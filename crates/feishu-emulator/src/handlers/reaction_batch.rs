//! Reactions of several messages at once: a page of reactions and the
//! count of each emoji per message, and the messages that failed (unknown
//! or recalled: `invalid`; outside the caller's chats: `no_permission`;
//! a bad page token: `invalid_page_token`).

use std::collections::BTreeMap;

use feishu_model::im::reaction::{
    BatchQueryReactions, BatchQueryReactionsOutput, FailReason, FailedMessage,
    MessageReactionCounts, MessageReactionDetails, ReactionCount, ReactionItem,
};
use feishu_model::{Family, Page, UserIdType};

use super::message::param;
use super::paging::paginate;
use super::reaction::view;
use super::{Ctx, Handle};
use crate::error::Failure;

/// Documented default number of reactions per message.
const DEFAULT_PER_MESSAGE: u32 = 10;

fn failed(message_id: &str, reason: FailReason) -> FailedMessage {
    let mut out = FailedMessage::default();
    out.message_id = Some(message_id.to_owned());
    out.fail_reason = Some(reason);
    out
}

impl Handle for BatchQueryReactions {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BatchQueryReactionsOutput, Failure> {
        let caller = ctx.caller()?;
        let kind = match &self.query.user_id_type {
            None => UserIdType::OpenId,
            Some(k) if k.is_known() => k.clone(),
            Some(k) => return Err(param("user_id_type", format!("unknown value `{k}`"))),
        };
        let emoji = self.body.reaction_type.clone();
        if let Some(e) = emoji.as_ref().filter(|e| !e.is_known()) {
            return Err(param("reaction_type", format!("unknown emoji type `{e}`")));
        }
        let size = self
            .body
            .page_size_per_message
            .unwrap_or(DEFAULT_PER_MESSAGE);
        let mut details = Vec::new();
        let mut counts = Vec::new();
        let mut failures = Vec::new();
        for query in &self.body.queries {
            let id = query.message_id.as_deref().unwrap_or("");
            let Some(m) = ctx.world.messages.by_id.get(id).filter(|m| !m.deleted) else {
                failures.push(failed(id, FailReason::Invalid));
                continue;
            };
            let member = ctx
                .world
                .chats
                .get(&m.chat)
                .is_some_and(|c| c.is_live() && c.is_member(&caller.who));
            if !member {
                failures.push(failed(id, FailReason::NoPermission));
                continue;
            }
            let on_message: Vec<_> = ctx
                .world
                .messages
                .reactions
                .iter()
                .filter(|r| r.message_id == m.id)
                .filter(|r| emoji.as_ref().map_or(true, |e| *e == r.emoji))
                .collect();
            let items: Vec<ReactionItem> = on_message
                .iter()
                .map(|r| {
                    let v = view(&ctx.world.dir, r, &kind);
                    let mut item = ReactionItem::default();
                    item.reaction_id = v.reaction_id;
                    item.operator = v.operator;
                    item.action_time = v.action_time;
                    item.emoji_type = v.reaction_type.and_then(|e| e.emoji_type);
                    item
                })
                .collect();
            let page = Page {
                page_size: Some(size),
                page_token: query.page_token.clone(),
            };
            let Ok(page) = paginate(Family::Im, items, &page, size) else {
                failures.push(failed(id, FailReason::InvalidPageToken));
                continue;
            };
            let mut tally: BTreeMap<String, (usize, feishu_model::im::reaction::EmojiType)> =
                BTreeMap::new();
            for r in &on_message {
                tally
                    .entry(r.emoji.as_str().to_owned())
                    .or_insert((0, r.emoji.clone()))
                    .0 += 1;
            }
            let mut detail = MessageReactionDetails::default();
            detail.message_id = Some(id.to_owned());
            detail.has_more = Some(page.has_more);
            detail.page_token = page.has_more.then_some(page.page_token);
            detail.message_reaction_items = Some(page.items);
            details.push(detail);
            let mut count = MessageReactionCounts::default();
            count.message_id = Some(id.to_owned());
            count.reaction_count = Some(
                tally
                    .into_values()
                    .map(|(n, e)| {
                        let mut c = ReactionCount::default();
                        c.reaction_type = Some(e);
                        c.count = Some(n.to_string());
                        c
                    })
                    .collect(),
            );
            counts.push(count);
        }
        let mut out = BatchQueryReactionsOutput::default();
        out.success_msg_reaction_details = Some(details);
        out.success_msg_reaction_counts = Some(counts);
        out.fail_msg_reaction_details = Some(failures);
        Ok(out)
    }
}

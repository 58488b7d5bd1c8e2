//! aPaaS `user_task.chat_group`: start a chat from a task, or pull people
//! into an existing chat. Users are named by their aPaaS (kunlun) ids.

use feishu_model::apaas::user_task::{ChatGroupOutput, UserTaskChatGroup};
use feishu_model::codes;
use feishu_model::ChatId;

use super::notify::{self, Operator};
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::{Chat, Principal, UserKey};

impl Handle for UserTaskChatGroup {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<ChatGroupOutput, Failure> {
        let caller = ctx.caller()?;
        let body = &self.body;
        let dir = &ctx.world.dir;
        let operator = dir
            .by_apaas_id(&caller.tenant, &body.operator_user_id)
            .ok_or_else(|| ctx.param("operator_user_id", "no aPaaS user with this id"))?;
        let mut invited: Vec<UserKey> = Vec::new();
        for id in body.invite_user_ids.iter().flatten() {
            let key = dir
                .by_apaas_id(&caller.tenant, id)
                .ok_or_else(|| ctx.param("invite_user_ids", format!("no aPaaS user `{id}`")))?;
            if !invited.contains(&key) {
                invited.push(key);
            }
        }
        let op_who = Principal::User(operator);
        let op = Operator {
            who: &op_who,
            tenant: &caller.tenant,
        };
        let existing = body.chat_id.as_ref().filter(|c| !c.as_str().is_empty());
        let chat_id = match existing {
            Some(chat_id) => {
                let chat = ctx
                    .world
                    .chats
                    .get(chat_id)
                    .filter(|c| c.is_live() && c.tenant == caller.tenant)
                    .ok_or_else(|| ctx.param("chat_id", format!("no live chat `{chat_id}`")))?;
                let new: Vec<UserKey> = invited
                    .into_iter()
                    .filter(|k| !chat.is_member(&Principal::User(*k)))
                    .collect();
                if chat.user_count() + new.len() > chat.member_limit() {
                    return Err(Failure::code(codes::GROUP_MEMBER_LIMIT));
                }
                let chat = ctx.chat_mut(chat_id)?;
                for key in &new {
                    chat.add(Principal::User(*key));
                }
                ctx.world.touch(chat_id);
                notify::users_added(ctx, chat_id, &op, &new);
                chat_id.clone()
            }
            None => {
                let id = ChatId::new(ctx.world.ids.chat_id());
                let mut chat = Chat::new(
                    id.clone(),
                    caller.tenant.clone(),
                    op_who.clone(),
                    ctx.now_ms,
                );
                chat.name = body.chat_name.clone().filter(|n| !n.is_empty());
                chat.creator = Some(caller.app.clone());
                chat.add(Principal::Bot(caller.app.clone()));
                let mut users = vec![operator];
                for key in invited {
                    if chat.add(Principal::User(key)) {
                        users.push(key);
                    }
                }
                chat.tabs = ctx.world.seed_tabs(&[]);
                ctx.world.insert_chat(chat);
                notify::users_added(ctx, &id, &op, &users);
                id
            }
        };
        Ok(feishu_model::fill!(ChatGroupOutput {
            chat_id: Some(chat_id),
            extra: Default::default(),
        }))
    }
}

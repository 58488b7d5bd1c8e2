//! Withdrawing an invitation: the inviter takes back users they added; the
//! bots in the chat get `im.chat.member.user.withdrawn_v1`.

use feishu_model::codes;
use feishu_model::{ChatId, Family};

use crate::auth::Caller;
use crate::error::Failure;
use crate::events::EmittedEvent;
use crate::handlers::ctx::MEMBER;
use crate::handlers::notify::{self, Operator};
use crate::handlers::Ctx;
use crate::state::{Principal, UserKey, World};

/// The operation name failures of this action carry.
const OPERATION: &str = "emulator.withdraw_invitation";

/// Removes `users` that `inviter` added to `chat_id` and tells the bots.
pub(super) fn withdraw(
    world: &mut World,
    caller: &Caller,
    inviter: UserKey,
    now_ms: i64,
    chat_id: &ChatId,
    users: &[String],
) -> Result<Vec<EmittedEvent>, Failure> {
    let mut ctx = Ctx::new(world, Some(caller.clone()), now_ms, OPERATION, Family::Im);
    ctx.open(chat_id, MEMBER)?;
    let mut invited = Vec::new();
    for open_id in users {
        let key = ctx.world.dir.by_open_id(open_id).ok_or_else(|| {
            Failure::code(codes::OPEN_IDS_NOT_FOUND)
                .because(format!("these open ids not existed: [{open_id}]"))
        })?;
        let pending = ctx.chat(chat_id)?.is_member(&Principal::User(key))
            && ctx.world.invitations.get(&(chat_id.clone(), key)) == Some(&inviter);
        if !pending {
            return Err(Failure::code(codes::GROUP_TOKEN_NO_PERMISSION)
                .because(format!("`{open_id}` holds no invitation by the operator")));
        }
        if !invited.contains(&key) {
            invited.push(key);
        }
    }
    if invited.is_empty() {
        return Err(Failure::code(codes::GROUP_NO_VALID_MEMBERS));
    }
    let chat = ctx.chat_mut(chat_id)?;
    for key in &invited {
        chat.remove(&Principal::User(*key));
    }
    for key in &invited {
        ctx.world.invitations.remove(&(chat_id.clone(), *key));
    }
    ctx.world.touch(chat_id);
    let op = Operator {
        who: &caller.who,
        tenant: &caller.tenant,
    };
    notify::users_withdrawn(&mut ctx, chat_id, &op, &invited);
    Ok(ctx.into_events())
}

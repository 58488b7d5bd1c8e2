//! The legacy chat announcement: read it, and apply edits at a revision.
//! Edit requests are recorded and bump the revision; their legacy-doc
//! content is not interpreted.

use feishu_model::codes;
use feishu_model::docx::AnnouncementType;
use feishu_model::im::announcement::{Announcement, GetAnnouncement, PatchAnnouncement};
use feishu_model::im::types::ChatMode;
use feishu_model::{Empty, MemberId, MemberIdType, UserIdType};

use super::ctx::MEMBER;
use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::{Directory, Principal};

/// How far behind the latest revision an edit may be.
const MAX_REVISION_LAG: i64 = 100;

fn id_and_kind(dir: &Directory, who: &Principal, kind: &UserIdType) -> (MemberIdType, MemberId) {
    match who {
        Principal::Bot(app) => (MemberIdType::AppId, MemberId::new(app.as_str())),
        Principal::User(_) => (
            MemberIdType::from(kind.as_str()),
            dir.member_id_of(who, kind),
        ),
    }
}

fn check_mode(ctx: &Ctx<'_>, id: &feishu_model::ChatId) -> Result<(), Failure> {
    let chat = ctx.chat(id)?;
    if chat.mode == ChatMode::P2p {
        return Err(Failure::code(codes::GROUP_ANNOUNCEMENT_NOT_FOUND)
            .because("a p2p chat has no announcement"));
    }
    if chat.announcement.kind == Some(AnnouncementType::Docx) {
        return Err(Failure::code(codes::GROUP_ANNOUNCEMENT_IS_DOCX)
            .because("the announcement is upgraded: use the docx announcement API"));
    }
    Ok(())
}

impl Handle for GetAnnouncement {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Announcement, Failure> {
        let id = &self.path.chat_id;
        ctx.open(id, MEMBER)?;
        check_mode(ctx, id)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let a = &ctx.chat(id)?.announcement;
        let dir = &ctx.world.dir;
        let (owner_id_type, owner_id) = id_and_kind(dir, &a.owner, &kind);
        let (modifier_id_type, modifier_id) = id_and_kind(dir, &a.modifier, &kind);
        Ok(Announcement {
            content: Some(a.content.clone()),
            revision: Some(a.revision.to_string()),
            create_time: Some(a.create_time.to_string()),
            update_time: Some(a.update_time.to_string()),
            owner_id_type: Some(owner_id_type),
            owner_id: Some(owner_id),
            modifier_id_type: Some(modifier_id_type),
            modifier_id: Some(modifier_id),
            extra: Default::default(),
        })
    }
}

impl Handle for PatchAnnouncement {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let id = &self.path.chat_id;
        let caller = ctx.open(id, MEMBER)?;
        check_mode(ctx, id)?;
        let chat = ctx.chat(id)?;
        if !chat.allowed(&chat.settings.edit_permission, &caller.who) {
            return Err(Failure::code(codes::GROUP_NO_EDIT_PERMISSION));
        }
        let revision: i64 = self
            .body
            .revision
            .parse()
            .map_err(|_| ctx.param("revision", "must be an int64 in decimal text"))?;
        let latest = chat.announcement.revision;
        if revision > latest || revision < latest - MAX_REVISION_LAG {
            return Err(Failure::code(codes::GROUP_ANNOUNCEMENT_UPDATE_FAILED).because(format!(
                "revision {revision} is not within {MAX_REVISION_LAG} of the latest revision {latest}"
            )));
        }
        let now = ctx.now_ms / 1000;
        let a = &mut ctx.chat_mut(id)?.announcement;
        a.edits.extend(self.body.requests.iter().cloned());
        a.revision = latest + 1;
        a.update_time = now;
        a.modifier = caller.who.clone();
        ctx.world.touch(id);
        Ok(Empty::default())
    }
}

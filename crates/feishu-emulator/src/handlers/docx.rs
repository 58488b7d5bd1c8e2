//! The upgraded (docx) announcement: a block tree per chat, read and written
//! with its documented rules. Every write names a revision (-1 for the
//! latest; more than 1000 behind is refused with 1770021), bumps it by one,
//! and is applied once per `client_token`.

use feishu_model::codes;
use feishu_model::docx::*;
use feishu_model::im::types::ChatMode;
use feishu_model::{ChatId, Endpoint, Family, UserIdType};
use serde::{de::DeserializeOwned, Serialize};

use super::ctx::MEMBER;
use super::paging::paginate;
use super::{Ctx, Handle};
use crate::auth::Caller;
use crate::error::Failure;
use crate::state::{DocxDoc, Principal};

/// How far behind the latest revision a write may be.
const MAX_REVISION_LAG: i64 = 1000;
/// Default and largest page of the block reads.
const PAGE: u32 = 500;

fn fail(code: i64, status: u16, why: impl Into<String>) -> Failure {
    let mut f = Failure::code(code).because(why);
    f.status = status;
    f
}

/// Access checks with the docx codes; creates the document on first use.
fn open(ctx: &mut Ctx<'_>, id: &ChatId, write: bool) -> Result<Caller, Failure> {
    let caller = ctx.open(id, MEMBER).map_err(|f| match f.code {
        codes::GROUP_INVALID_CHAT_ID | codes::GROUP_CHAT_DISSOLVED => fail(
            codes::DOCX_NOT_FOUND,
            404,
            format!("no announcement in chat `{id}`"),
        ),
        codes::GROUP_OPERATOR_OTHER_TENANT => Failure::code(codes::DOCX_OPERATOR_OTHER_TENANT),
        codes::GROUP_OPERATOR_NOT_IN_CHAT => Failure::code(codes::DOCX_OPERATOR_NOT_IN_CHAT),
        codes::GROUP_EXTERNAL_CHAT_NO_SCOPE => Failure::code(codes::DOCX_EXTERNAL_CHAT_NO_SCOPE),
        _ => f,
    })?;
    let chat = ctx.chat(id)?;
    if chat.mode == ChatMode::P2p {
        return Err(Failure::code(codes::DOCX_ANNOUNCEMENT_NOT_FOUND)
            .because("a p2p chat has no announcement"));
    }
    if chat.announcement.kind == Some(AnnouncementType::Doc) {
        return Err(Failure::code(codes::DOCX_ANNOUNCEMENT_TYPE_UNSUPPORTED)
            .because("the announcement is of the legacy type: use the im announcement API"));
    }
    if write && !chat.allowed(&chat.settings.edit_permission, &caller.who) {
        return Err(Failure::code(codes::DOCX_NO_EDIT_PERMISSION));
    }
    let owner = chat.owner.clone();
    let now = ctx.now_ms / 1000;
    ctx.world
        .docx
        .entry(id.clone())
        .or_insert_with(|| DocxDoc::new(id.as_str(), owner, now));
    Ok(caller)
}

fn doc<'c>(ctx: &'c Ctx<'_>, id: &ChatId) -> Result<&'c DocxDoc, Failure> {
    ctx.world
        .docx
        .get(id)
        .ok_or_else(|| fail(codes::DOCX_NOT_FOUND, 404, "announcement not found"))
}

fn doc_mut<'c>(ctx: &'c mut Ctx<'_>, id: &ChatId) -> Result<&'c mut DocxDoc, Failure> {
    ctx.world
        .docx
        .get_mut(id)
        .ok_or_else(|| fail(codes::DOCX_NOT_FOUND, 404, "announcement not found"))
}

fn block<'d>(doc: &'d DocxDoc, id: &str) -> Result<&'d Block, Failure> {
    doc.blocks
        .get(id)
        .ok_or_else(|| fail(codes::DOCX_NOT_FOUND, 404, format!("no block `{id}`")))
}

/// Reads serve the latest revision only.
fn check_read_revision(doc: &DocxDoc, revision: Option<i64>) -> Result<(), Failure> {
    match revision {
        None | Some(-1) => Ok(()),
        Some(r) if r == doc.revision => Ok(()),
        Some(r) if r > doc.revision => Err(Failure::code(codes::DOCX_PARAM_INVALID).because(
            format!("revision {r} is newer than the latest {}", doc.revision),
        )),
        Some(r) => Err(fail(
            codes::DOCX_FORBIDDEN,
            403,
            format!("revision {r} is a past revision; the emulator keeps only the latest"),
        )),
    }
}

fn check_write_revision(doc: &DocxDoc, revision: Option<i64>) -> Result<(), Failure> {
    match revision {
        None | Some(-1) => Ok(()),
        Some(r) if r > doc.revision => Err(Failure::code(codes::DOCX_PARAM_INVALID).because(
            format!("revision {r} is newer than the latest {}", doc.revision),
        )),
        Some(r) if doc.revision - r > MAX_REVISION_LAG => {
            Err(Failure::code(codes::DOCX_TOO_OLD_DOCUMENT).because(format!(
                "revision {r} is more than {MAX_REVISION_LAG} behind the latest {}",
                doc.revision
            )))
        }
        Some(_) => Ok(()),
    }
}

/// Where a write stands once its preconditions are checked.
enum Write<T> {
    /// The client token was seen: the answer already given.
    Replayed(T),
    /// Go ahead as this caller.
    Go(Caller),
}

/// The start every write shares: write access, the answer to a repeated
/// client token, then the revision written against.
fn begin_write<T: DeserializeOwned>(
    ctx: &mut Ctx<'_>,
    id: &ChatId,
    token: Option<&String>,
    revision: Option<i64>,
) -> Result<Write<T>, Failure> {
    let caller = open(ctx, id, true)?;
    if let Some(done) = replay(ctx, id, ctx.op, token)? {
        return Ok(Write::Replayed(done));
    }
    check_write_revision(doc(ctx, id)?, revision)?;
    Ok(Write::Go(caller))
}

/// The answer already given to this client token, if any.
fn replay<T: DeserializeOwned>(
    ctx: &Ctx<'_>,
    id: &ChatId,
    op: &'static str,
    token: Option<&String>,
) -> Result<Option<T>, Failure> {
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    match doc(ctx, id)?.applied.get(&(op, token.clone())) {
        Some(v) => serde_json::from_value(v.clone())
            .map(Some)
            .map_err(|e| fail(codes::DOCX_SERVER_ERROR, 500, e.to_string())),
        None => Ok(None),
    }
}

/// Bumps the revision, records who wrote, and remembers the answer.
fn commit<T: Serialize>(
    ctx: &mut Ctx<'_>,
    id: &ChatId,
    caller: &Caller,
    op: &'static str,
    token: &str,
    answer: &T,
) -> Result<(), Failure> {
    let now = ctx.now_ms / 1000;
    let value = serde_json::to_value(answer)
        .map_err(|e| fail(codes::DOCX_GATEWAY_MARSHAL_ERROR, 500, e.to_string()))?;
    let d = doc_mut(ctx, id)?;
    d.update_time = now;
    d.modifier = caller.who.clone();
    d.applied.insert((op, token.to_owned()), value);
    Ok(())
}

fn token_or_new(ctx: &mut Ctx<'_>, token: Option<&String>) -> String {
    match token.filter(|t| !t.is_empty()) {
        Some(t) => t.clone(),
        None => ctx.world.ids.token("ct-"),
    }
}

fn user_id(ctx: &Ctx<'_>, who: &Principal, kind: &UserIdType) -> String {
    ctx.world.dir.member_id_of(who, kind).as_str().to_owned()
}

impl Handle for GetAnnouncementDoc {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<AnnouncementInfo, Failure> {
        let id = &self.path.chat_id;
        open(ctx, id, false)?;
        let kind = ctx.user_kind("user_id_type", self.query.user_id_type.as_ref())?;
        let d = doc(ctx, id)?;
        Ok(feishu_model::fill!(AnnouncementInfo {
            revision_id: Some(d.revision),
            create_time: Some(d.create_time),
            update_time: Some(d.update_time),
            owner_id: Some(user_id(ctx, &d.owner, &kind)),
            owner_id_type: Some(kind.clone()),
            modifier_id: Some(user_id(ctx, &d.modifier, &kind)),
            modifier_id_type: Some(kind),
            announcement_type: Some(AnnouncementType::Docx),
            create_time_v2: Some(d.create_time.to_string()),
            update_time_v2: Some(d.update_time.to_string()),
            extra: Default::default(),
        }))
    }
}

fn page_of(
    family: Family,
    all: Vec<Block>,
    page: &feishu_model::Page,
) -> Result<BlockPage, Failure> {
    let p = paginate(family, all, page, PAGE)?;
    Ok(feishu_model::fill!(BlockPage {
        items: Some(p.items),
        has_more: Some(p.has_more),
        page_token: (!p.page_token.is_empty()).then_some(p.page_token),
        extra: Default::default(),
    }))
}

impl Handle for ListAnnouncementBlocks {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BlockPage, Failure> {
        let id = &self.path.chat_id;
        open(ctx, id, false)?;
        let d = doc(ctx, id)?;
        check_read_revision(d, self.query.revision_id)?;
        page_of(ctx.family, d.in_order(), &self.query.page)
    }
}

impl Handle for GetAnnouncementBlock {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BlockOutput, Failure> {
        let id = &self.path.chat_id;
        open(ctx, id, false)?;
        let d = doc(ctx, id)?;
        check_read_revision(d, self.query.revision_id)?;
        Ok(feishu_model::fill!(BlockOutput {
            block: Some(block(d, &self.path.block_id)?.clone()),
            extra: Default::default(),
        }))
    }
}

impl Handle for GetAnnouncementBlockChildren {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BlockPage, Failure> {
        let id = &self.path.chat_id;
        open(ctx, id, false)?;
        let d = doc(ctx, id)?;
        check_read_revision(d, self.query.revision_id)?;
        let parent = block(d, &self.path.block_id)?;
        let children = parent
            .child_ids()
            .iter()
            .filter_map(|c| d.blocks.get(c).cloned())
            .collect();
        page_of(ctx.family, children, &self.query.page)
    }
}

/// Kinds whose children may be created through the API.
fn takes_children(kind: BlockType) -> bool {
    matches!(
        kind,
        BlockType::Page
            | BlockType::Text
            | BlockType::Bullet
            | BlockType::Ordered
            | BlockType::Todo
            | BlockType::Callout
            | BlockType::TableCell
            | BlockType::GridColumn
            | BlockType::QuoteContainer
    )
}

/// Kinds that cannot be created directly (they come with their parent, or not at all).
fn creatable(kind: BlockType) -> bool {
    !matches!(
        kind,
        BlockType::Page
            | BlockType::TableCell
            | BlockType::GridColumn
            | BlockType::Undefined
            | BlockType::Unknown(_)
    )
}

/// Inserts `block` under `parent` with a new id; tables and grids get their
/// cells and columns. Returns the new id.
fn insert(
    ctx: &mut Ctx<'_>,
    id: &ChatId,
    parent: &str,
    mut block: Block,
) -> Result<String, Failure> {
    let block_id = format!("doxcn{}", ctx.world.ids.hex(22));
    block.block_id = Some(block_id.clone());
    block.parent_id = Some(parent.to_owned());
    // A block is answered without `children` until it has some.
    block.children = None;
    let mut parts: Vec<Block> = Vec::new();
    if let Some(table) = block.table.as_mut() {
        let prop = table.property.get_or_insert_with(Default::default);
        let cells = prop.row_size.unwrap_or(1).max(1) * prop.column_size.unwrap_or(1).max(1);
        parts.extend((0..cells).map(|_| {
            let mut cell = Block::new(BlockType::TableCell);
            cell.table_cell = Some(Default::default());
            cell
        }));
    }
    if let Some(grid) = block.grid.as_ref() {
        let n = grid.column_size.unwrap_or(2).clamp(2, 5);
        parts.extend((0..n).map(|_| {
            let mut column = Block::new(BlockType::GridColumn);
            column.grid_column = Some(GridColumn {
                width_ratio: Some(100 / n),
                ..GridColumn::default()
            });
            column
        }));
    }
    let mut part_ids = Vec::new();
    for mut part in parts {
        let part_id = format!("doxcn{}", ctx.world.ids.hex(22));
        part.block_id = Some(part_id.clone());
        part.parent_id = Some(block_id.clone());
        part.children = Some(Vec::new());
        part_ids.push(part_id.clone());
        doc_mut(ctx, id)?.blocks.insert(part_id, part);
    }
    if !part_ids.is_empty() {
        if let Some(table) = block.table.as_mut() {
            table.cells = Some(part_ids.clone());
        }
        block.children = Some(part_ids);
    }
    doc_mut(ctx, id)?.blocks.insert(block_id.clone(), block);
    Ok(block_id)
}

impl Handle for CreateAnnouncementBlockChildren {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<CreateChildrenOutput, Failure> {
        let id = &self.path.chat_id;
        let op = ctx.op;
        let caller = match begin_write(
            ctx,
            id,
            self.query.client_token.as_ref(),
            self.query.revision_id,
        )? {
            Write::Replayed(done) => return Ok(done),
            Write::Go(caller) => caller,
        };
        let parent = block(doc(ctx, id)?, &self.path.block_id)?;
        if !takes_children(parent.block_type) {
            return Err(
                Failure::code(codes::DOCX_BLOCK_NO_CHILDREN).because(format!(
                    "a block of type {} takes no children",
                    parent.block_type
                )),
            );
        }
        let children = self.body.children.unwrap_or_default();
        if children.is_empty() {
            return Err(Failure::param(ctx.family, "children", "no block to create"));
        }
        if let Some(bad) = children.iter().find(|b| !creatable(b.block_type)) {
            return Err(
                Failure::code(codes::DOCX_BLOCK_NOT_CREATABLE).because(format!(
                    "blocks of type {} cannot be created",
                    bad.block_type
                )),
            );
        }
        let len = i64::try_from(parent.child_ids().len()).unwrap_or(i64::MAX);
        let at = match self.body.index {
            None | Some(-1) => len,
            Some(i) if i <= len => i,
            Some(i) => {
                return Err(Failure::param(
                    ctx.family,
                    "index",
                    format!("must be at most the number of children ({len}), got {i}"),
                ))
            }
        };
        let parent_id = self.path.block_id.clone();
        let mut created_ids = Vec::new();
        for child in children {
            created_ids.push(insert(ctx, id, &parent_id, child)?);
        }
        let d = doc_mut(ctx, id)?;
        if let Some(list) = d
            .blocks
            .get_mut(&parent_id)
            .map(|p| p.children.get_or_insert_with(Vec::new))
        {
            let at = usize::try_from(at).unwrap_or(0).min(list.len());
            list.splice(at..at, created_ids.iter().cloned());
        }
        d.revision += 1;
        let revision = d.revision;
        let created = created_ids
            .iter()
            .filter_map(|c| d.blocks.get(c).cloned())
            .collect();
        let token = token_or_new(ctx, self.query.client_token.as_ref());
        let out = feishu_model::fill!(CreateChildrenOutput {
            children: Some(created),
            revision_id: None,
            document_revision_id: Some(revision),
            client_token: Some(token.clone()),
            extra: Default::default(),
        });
        commit(ctx, id, &caller, op, &token, &out)?;
        Ok(out)
    }
}

fn apply_style(target: &mut TextStyle, from: &TextStyle, fields: &[TextStyleField]) {
    for field in fields {
        match field {
            TextStyleField::Align => target.align = from.align,
            TextStyleField::Done => target.done = from.done,
            TextStyleField::Folded => target.folded = from.folded,
            TextStyleField::Language => target.language = from.language,
            TextStyleField::Wrap => target.wrap = from.wrap,
            TextStyleField::BackgroundColor => {
                target.background_color = from.background_color.clone()
            }
            TextStyleField::IndentationLevel => {
                target.indentation_level = from.indentation_level.clone()
            }
            _ => {}
        }
    }
}

/// Applies one change to `block`; structural table and grid changes are
/// not emulated.
fn apply(block: &mut Block, r: &UpdateBlockRequest) -> Result<(), Failure> {
    let kind = block.block_type;
    let mismatch = move |what: &str| {
        Failure::code(codes::DOCX_OPERATION_BLOCK_MISMATCH)
            .because(format!("{what} does not apply to a block of type {kind}"))
    };
    if let Some(u) = &r.update_text_elements {
        let slot = block
            .text_slot_mut()
            .ok_or_else(|| mismatch("update_text_elements"))?;
        slot.get_or_insert_with(Text::default).elements = u.elements.clone();
    } else if let Some(u) = &r.update_text_style {
        let slot = block
            .text_slot_mut()
            .ok_or_else(|| mismatch("update_text_style"))?;
        let text = slot.get_or_insert_with(Text::default);
        let style = text.style.get_or_insert_with(TextStyle::default);
        apply_style(
            style,
            u.style.as_ref().unwrap_or(&TextStyle::default()),
            u.fields.as_deref().unwrap_or_default(),
        );
    } else if let Some(u) = &r.update_text {
        let slot = block
            .text_slot_mut()
            .ok_or_else(|| mismatch("update_text"))?;
        let text = slot.get_or_insert_with(Text::default);
        text.elements = u.elements.clone();
        let style = text.style.get_or_insert_with(TextStyle::default);
        apply_style(
            style,
            u.style.as_ref().unwrap_or(&TextStyle::default()),
            u.fields.as_deref().unwrap_or_default(),
        );
    } else if let Some(u) = &r.update_task {
        let task = block.task.as_mut().ok_or_else(|| mismatch("update_task"))?;
        if task.task_id.is_none() {
            task.task_id = u.task_id.clone();
        }
        if u.folded.is_some() {
            task.folded = u.folded;
        }
    } else if let Some(u) = &r.replace_image {
        let image = block
            .image
            .as_mut()
            .ok_or_else(|| mismatch("replace_image"))?;
        image.token = u.token.clone();
        image.width = u.width.or(image.width);
        image.height = u.height.or(image.height);
        image.align = u.align.or(image.align);
    } else if let Some(u) = &r.replace_file {
        let file = block
            .file
            .as_mut()
            .ok_or_else(|| mismatch("replace_file"))?;
        file.token = u.token.clone();
    } else if let Some(u) = &r.update_table_property {
        let table = block
            .table
            .as_mut()
            .ok_or_else(|| mismatch("update_table_property"))?;
        let prop = table.property.get_or_insert_with(Default::default);
        prop.header_row = u.header_row.or(prop.header_row);
        prop.header_column = u.header_column.or(prop.header_column);
    } else {
        return Err(Failure::not_implemented(
            "docx.v1.chat.announcement.block.batch_update (table rows/columns, merges and grid columns)",
            BatchUpdateAnnouncementBlocks::DOC,
        ));
    }
    Ok(())
}

impl Handle for BatchUpdateAnnouncementBlocks {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<BatchUpdateOutput, Failure> {
        let id = &self.path.chat_id;
        let op = ctx.op;
        let caller = match begin_write(
            ctx,
            id,
            self.query.client_token.as_ref(),
            self.query.revision_id,
        )? {
            Write::Replayed(done) => return Ok(done),
            Write::Go(caller) => caller,
        };
        // All or nothing: apply to copies, then store them.
        let mut updated = Vec::new();
        for r in self.body.requests.iter().flatten() {
            let block_id = r.block_id.clone().unwrap_or_default();
            let mut copy = block(doc(ctx, id)?, &block_id)?.clone();
            apply(&mut copy, r)?;
            updated.push(copy);
        }
        let d = doc_mut(ctx, id)?;
        for b in &updated {
            if let Some(bid) = &b.block_id {
                d.blocks.insert(bid.clone(), b.clone());
            }
        }
        d.revision += 1;
        let revision = d.revision;
        let token = token_or_new(ctx, self.query.client_token.as_ref());
        let out = feishu_model::fill!(BatchUpdateOutput {
            blocks: Some(updated),
            revision_id: Some(revision),
            client_token: Some(token.clone()),
            extra: Default::default(),
        });
        commit(ctx, id, &caller, op, &token, &out)?;
        Ok(out)
    }
}

impl Handle for BatchDeleteAnnouncementBlockChildren {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<WriteOutput, Failure> {
        let id = &self.path.chat_id;
        let op = ctx.op;
        let caller = match begin_write(
            ctx,
            id,
            self.query.client_token.as_ref(),
            self.query.revision_id,
        )? {
            Write::Replayed(done) => return Ok(done),
            Write::Go(caller) => caller,
        };
        let parent = block(doc(ctx, id)?, &self.path.block_id)?;
        let kind = parent.block_type;
        if matches!(kind, BlockType::Table | BlockType::Grid) {
            return Err(Failure::code(codes::DOCX_BLOCK_NO_DELETE_CHILDREN)
                .because("table rows/columns and grid columns are removed through batch_update"));
        }
        let len = parent.child_ids().len();
        let (start, end) = (self.body.start_index, self.body.end_index);
        let end_u = usize::try_from(end).unwrap_or(usize::MAX);
        if end_u > len {
            return Err(Failure::param(
                ctx.family,
                "end_index",
                format!("must be at most the number of children ({len}), got {end}"),
            ));
        }
        let start_u = usize::try_from(start).unwrap_or(0);
        let keeps_one = matches!(
            kind,
            BlockType::TableCell | BlockType::GridColumn | BlockType::Callout
        );
        if keeps_one && start_u == 0 && end_u == len {
            return Err(
                Failure::code(codes::DOCX_BLOCK_NO_DELETE_CHILDREN).because(format!(
                    "a block of type {kind} must keep at least one child"
                )),
            );
        }
        let d = doc_mut(ctx, id)?;
        let removed: Vec<String> = d
            .blocks
            .get_mut(&self.path.block_id)
            .and_then(|p| p.children.as_mut())
            .map(|list| list.drain(start_u..end_u).collect())
            .unwrap_or_default();
        for r in &removed {
            d.remove_subtree(r);
        }
        d.revision += 1;
        let revision = d.revision;
        let token = token_or_new(ctx, self.query.client_token.as_ref());
        let out = feishu_model::fill!(WriteOutput {
            revision_id: Some(revision),
            client_token: Some(token.clone()),
            extra: Default::default(),
        });
        commit(ctx, id, &caller, op, &token, &out)?;
        Ok(out)
    }
}

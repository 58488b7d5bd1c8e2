//! The upgraded (docx) announcement of a chat: a block tree with a revision.

use std::collections::{BTreeMap, HashMap};

use feishu_model::docx::{Align, Block, BlockType, Text, TextStyle};

use super::Principal;

/// One chat's announcement document. The page block's id is the chat id.
#[derive(Debug, Clone)]
pub(crate) struct DocxDoc {
    /// Revision: 1 once created, +1 per write.
    pub(crate) revision: i64,
    /// Creation time (Unix seconds).
    pub(crate) create_time: i64,
    /// Last update time (Unix seconds).
    pub(crate) update_time: i64,
    /// Who owns it (the chat owner).
    pub(crate) owner: Principal,
    /// Who wrote last.
    pub(crate) modifier: Principal,
    /// Every block by id; `children` lists keep the order.
    pub(crate) blocks: BTreeMap<String, Block>,
    /// The root (page) block id.
    pub(crate) root: String,
    /// Answers of applied writes by (operation, client token), replayed on a repeat.
    pub(crate) applied: HashMap<(&'static str, String), serde_json::Value>,
}

impl DocxDoc {
    /// A new document holding an empty page block.
    pub(crate) fn new(root: &str, owner: Principal, now_secs: i64) -> Self {
        let mut page = Block::new(BlockType::Page);
        page.block_id = Some(root.to_owned());
        page.parent_id = Some(String::new());
        page.children = Some(Vec::new());
        page.page = Some(Text {
            elements: Some(Vec::new()),
            style: Some(TextStyle {
                align: Some(Align::Left),
                ..TextStyle::default()
            }),
            ..Text::default()
        });
        let mut blocks = BTreeMap::new();
        blocks.insert(root.to_owned(), page);
        DocxDoc {
            revision: 1,
            create_time: now_secs,
            update_time: now_secs,
            modifier: owner.clone(),
            owner,
            blocks,
            root: root.to_owned(),
            applied: HashMap::new(),
        }
    }

    /// The document of `chat` holding `blocks` below its page, in order;
    /// `Err` names the block whose id is missing, repeated, or whose parent
    /// is not an earlier block (or the page).
    pub(crate) fn seeded(
        chat: &super::Chat,
        blocks: &[Block],
        now_secs: i64,
    ) -> Result<Self, String> {
        let mut doc = DocxDoc::new(chat.id.as_str(), chat.owner.clone(), now_secs);
        for (i, block) in blocks.iter().enumerate() {
            let at = || format!("blocks[{i}]");
            let id = block
                .block_id
                .clone()
                .filter(|id| !id.is_empty())
                .ok_or_else(at)?;
            let parent = block
                .parent_id
                .clone()
                .filter(|p| !p.is_empty())
                .unwrap_or_else(|| doc.root.clone());
            if doc.blocks.contains_key(&id) || !doc.blocks.contains_key(&parent) {
                return Err(at());
            }
            let mut block = block.clone();
            block.parent_id = Some(parent.clone());
            // The children lists are rebuilt from the parents.
            block.children = block.children.as_ref().map(|_| Vec::new());
            doc.blocks.insert(id.clone(), block);
            if let Some(parent) = doc.blocks.get_mut(&parent) {
                parent.children.get_or_insert_with(Vec::new).push(id);
            }
        }
        Ok(doc)
    }

    /// Every block in document order (depth first from the page).
    pub(crate) fn in_order(&self) -> Vec<Block> {
        let mut out = Vec::new();
        let mut stack = vec![self.root.clone()];
        while let Some(id) = stack.pop() {
            if let Some(block) = self.blocks.get(&id) {
                stack.extend(block.child_ids().iter().rev().cloned());
                out.push(block.clone());
            }
        }
        out
    }

    /// Removes a block and its descendants.
    pub(crate) fn remove_subtree(&mut self, id: &str) {
        if let Some(block) = self.blocks.remove(id) {
            for child in block.child_ids() {
                self.remove_subtree(child);
            }
        }
    }
}

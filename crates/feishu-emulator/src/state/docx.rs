//! The upgraded (docx) announcement of a chat: a block tree with a revision.

use std::collections::{BTreeMap, HashMap};

use feishu_model::docx::{Block, BlockType, Text};

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
            style: Some(Default::default()),
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

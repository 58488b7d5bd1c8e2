//! Explicit corrections of documented example values that cannot be sent
//! as written. Each names its page and why; a correction that no longer
//! applies (the page was fixed) stops the extraction, so the list never
//! silently outlives its reason.

use super::page::DocPage;

/// Two query parameters whose `示例值` the page swaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuerySwap {
    /// Page path relative to the docs folder.
    pub page: &'static str,
    /// The `int` parameter that shows the other one's example.
    pub int_param: &'static str,
    /// The parameter holding the `int` parameter's example.
    pub other: &'static str,
    /// What the page gets wrong.
    pub reason: &'static str,
}

/// Every query-example swap applied.
pub const QUERY_SWAPS: &[QuerySwap] = &[QuerySwap {
    page: "group/chat/get-chat-moderation.md",
    int_param: "page_size",
    other: "page_token",
    reason: "the page gives page_size (int) the 示例值 of a page token and page_token the \
             示例值 10, with page_size's 最大值 100 rule under page_token",
}];

/// Applies the corrections of `doc`'s page.
pub fn apply(doc: &mut DocPage) -> Result<(), String> {
    for swap in QUERY_SWAPS.iter().filter(|s| s.page == doc.rel) {
        let pos = |name: &str| doc.query.iter().position(|q| q.name == name);
        let (Some(a), Some(b)) = (pos(swap.int_param), pos(swap.other)) else {
            return Err(format!(
                "{}: correction of {}/{} is stale: parameters not found",
                doc.rel, swap.int_param, swap.other
            ));
        };
        if doc.query[a].example.parse::<i64>().is_ok() {
            return Err(format!(
                "{}: correction of {}/{} is stale: {} already has an integer example",
                doc.rel, swap.int_param, swap.other, swap.int_param
            ));
        }
        let first = doc.query[a].example.clone();
        doc.query[a].example = std::mem::replace(&mut doc.query[b].example, first);
    }
    Ok(())
}

/// A JSON example that is not strict JSON because of a typing slip, and
/// the edit that repairs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockFix {
    /// Page path relative to the docs folder.
    pub page: &'static str,
    /// The heading the block sits under.
    pub label: &'static str,
    /// Text to replace (it must occur exactly once); empty to append.
    pub find: &'static str,
    /// The replacement, or the text appended.
    pub replace: &'static str,
    /// What the page gets wrong.
    pub reason: &'static str,
}

/// Every block repair applied.
pub const BLOCK_FIXES: &[BlockFix] = &[
    BlockFix {
        page: "im-v1/message/merge_forward.md",
        label: "响应体示例",
        find: "            },\n        },",
        replace: "            }\n        },",
        reason: "the response example has a trailing comma after `body`, the last member \
                 of `data.message`",
    },
    BlockFix {
        page: "im-v1/message-reaction/delete.md",
        label: "响应体示例",
        find: "",
        replace: "}\n",
        reason: "the response example ends before the closing brace of the whole body",
    },
    BlockFix {
        page: "im-v1/message-card/uMDO1YjLzgTN24yM4UjN.md",
        label: "使用模板更新卡片示例",
        find: ",\n      \"xxx\"...",
        replace: "",
        reason: "the template example elides further open_ids with `\"xxx\"...`, which \
                 is not JSON; the one real id is kept",
    },
];

/// The repaired text of a block, when a fix names it. A fix whose text is
/// not found, or whose block is already strict JSON, is stale: an error.
pub fn fix_block(page: &str, label: &str, text: &str) -> Result<Option<String>, String> {
    let Some(fix) = BLOCK_FIXES
        .iter()
        .find(|f| f.page == page && label.contains(f.label))
    else {
        return Ok(None);
    };
    if serde_json::from_str::<serde_json::Value>(text).is_ok() {
        return Err(format!(
            "{page}: repair of the block under `{}` is stale: it is strict JSON",
            fix.label
        ));
    }
    if fix.find.is_empty() {
        return Ok(Some(format!("{text}{}", fix.replace)));
    }
    if text.matches(fix.find).count() != 1 {
        return Err(format!(
            "{page}: repair of the block under `{}` is stale: its text is not found once",
            fix.label
        ));
    }
    Ok(Some(text.replacen(fix.find, fix.replace, 1)))
}

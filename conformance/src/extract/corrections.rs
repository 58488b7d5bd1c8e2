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

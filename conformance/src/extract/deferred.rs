//! Index rows whose pages the tool does not turn into cases yet, each with
//! the reason. The manifest lists them (so the gap is visible in
//! `coverage.json` and in every run), and a listed page that extracts
//! cleanly stops the extraction: the list never outlives its reason.

use super::index::IndexRow;
use crate::coverage::DeferredPage;

/// One page not extracted yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deferred {
    /// Page path relative to the docs folder.
    pub page: &'static str,
    /// Why the page gives no cases yet.
    pub reason: &'static str,
}

/// Every deferred page.
pub const DEFERRED: &[Deferred] = &[];

/// The entry for `page`, if it is deferred.
pub fn find(page: &str) -> Option<&'static Deferred> {
    DEFERRED.iter().find(|d| d.page == page)
}

/// The manifest entry of a deferred row.
pub fn entry(row: &IndexRow, d: &Deferred) -> DeferredPage {
    DeferredPage {
        page: d.page.to_owned(),
        method: row.method.clone(),
        target: row.target.clone(),
        index_json_blocks: row.json_blocks,
        index_error_rows: row.error_rows,
        reason: d.reason.to_owned(),
    }
}

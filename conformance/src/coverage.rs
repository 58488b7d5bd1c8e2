//! The coverage check: every documented example and error row has a case.
//!
//! The extraction tool writes `coverage.json` next to the cases: per page,
//! the JSON examples and error rows it counted in the docs, and the counts
//! `INDEX.md` states. The runner checks that the committed cases carry
//! exactly that many, so a case lost (or a docs update not regenerated)
//! fails the run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::case::{Case, CaseFile, Kind};
use crate::compare::Problem;

/// The counts of one documentation page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageCounts {
    /// Operation id the page documents.
    pub operation: String,
    /// Page path, relative to the docs folder.
    pub page: String,
    /// Example pairs (request/response, or one event body) on the page.
    pub examples: usize,
    /// JSON blocks under the example headings, counted in the page.
    pub json_blocks: usize,
    /// JSON blocks `INDEX.md` states for the page.
    pub index_json_blocks: usize,
    /// Error-code table rows, counted in the page.
    pub error_rows: usize,
    /// Error rows `INDEX.md` states for the page.
    pub index_error_rows: usize,
    /// Of the counted error rows, those without an HTTP status: codes the
    /// Feishu client shows to its user, with no wire form to replay.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub client_error_rows: usize,
    /// Of the counted JSON blocks, those showing the app's answer to a
    /// callback: no SDK call or decode replays them.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub answer_blocks: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// What the docs hold, per page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Where the docs came from (`INDEX.md`'s source line).
    pub source: String,
    /// Source commit, as `INDEX.md` states it.
    pub commit: String,
    /// One entry per page, in operation order.
    pub pages: Vec<PageCounts>,
    /// Pages the index files list without an endpoint or event (guides,
    /// card and content references), in page order: no cases, only their
    /// counts.
    pub guides: Vec<GuideCounts>,
}

/// The counts of a guide or reference page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideCounts {
    /// Page path, relative to the docs folder.
    pub page: String,
    /// `json` blocks counted in the page.
    pub json_blocks: usize,
    /// JSON blocks the index states for the page.
    pub index_json_blocks: usize,
    /// Of the counted blocks, those that are not strict JSON.
    pub invalid: usize,
    /// Invalid blocks the index states for the page.
    pub index_invalid: usize,
    /// Error-code table rows counted in the page.
    pub error_rows: usize,
    /// Error rows the index states for the page.
    pub index_error_rows: usize,
}

/// Documented JSON blocks the example cases of one operation carry: the
/// request body of each successful example (each is one documented request
/// example, even when two show the same body), and the distinct response
/// and event bodies (several request examples of one page share its one
/// response example; a failure answer repeats the first request).
pub fn json_blocks_carried(cases: &[&Case]) -> usize {
    let mut requests: Vec<&Value> = Vec::new();
    let mut responses: Vec<&Value> = Vec::new();
    let mut events: Vec<&Value> = Vec::new();
    fn add<'a>(list: &mut Vec<&'a Value>, v: &'a Value) {
        if !list.contains(&v) {
            list.push(v);
        }
    }
    for case in cases.iter().filter(|c| c.kind == Kind::Example) {
        let succeeds = case.expect.error.is_none();
        if let Some(b) = case.request.as_ref().and_then(|r| r.body.as_ref()) {
            if !b.is_null() && succeeds {
                requests.push(b);
            }
        }
        if let Some(b) = case.response.as_ref().and_then(|r| r.body.as_ref()) {
            if !matches!(b, Value::String(_)) {
                add(&mut responses, b);
            }
        }
        if let Some(e) = case.event.as_ref() {
            add(&mut events, e);
        }
    }
    requests.len() + responses.len() + events.len()
}

/// Totals over the manifest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    /// Pages (operations).
    pub operations: usize,
    /// Example pairs.
    pub examples: usize,
    /// JSON blocks.
    pub json_blocks: usize,
    /// Error rows.
    pub error_rows: usize,
}

impl Manifest {
    /// Sums over every page.
    pub fn totals(&self) -> Totals {
        self.pages.iter().fold(Totals::default(), |t, p| Totals {
            operations: t.operations + 1,
            examples: t.examples + p.examples,
            json_blocks: t.json_blocks + p.json_blocks,
            error_rows: t.error_rows + p.error_rows,
        })
    }
}

/// Checks the cases of `files` against the manifest: one problem per
/// mismatch, keyed by operation.
pub fn check(manifest: &Manifest, files: &[&CaseFile]) -> Vec<(String, Problem)> {
    let mut by_op: BTreeMap<&str, Vec<&Case>> = BTreeMap::new();
    for file in files {
        by_op
            .entry(file.operation.as_str())
            .or_default()
            .extend(file.cases.iter());
    }
    let mut out = Vec::new();
    for guide in &manifest.guides {
        for (what, expected, got) in [
            ("json_blocks", guide.index_json_blocks, guide.json_blocks),
            ("invalid", guide.index_invalid, guide.invalid),
            ("error_rows", guide.index_error_rows, guide.error_rows),
        ] {
            if expected != got {
                out.push((
                    guide.page.clone(),
                    Problem::new(
                        format!("coverage.guides.{what} ({})", guide.page),
                        expected.to_string(),
                        got.to_string(),
                    ),
                ));
            }
        }
    }
    for page in &manifest.pages {
        let op = page.operation.as_str();
        let mut problem = |what: &str, expected: usize, got: usize| {
            if expected != got {
                out.push((
                    page.operation.clone(),
                    Problem::new(
                        format!("coverage.{what} ({})", page.page),
                        expected.to_string(),
                        got.to_string(),
                    ),
                ));
            }
        };
        problem(
            "index_json_blocks",
            page.index_json_blocks,
            page.json_blocks,
        );
        problem("index_error_rows", page.index_error_rows, page.error_rows);
        let cases = by_op.get(op).map(Vec::as_slice).unwrap_or_default();
        let count = |kind| cases.iter().filter(|c| c.kind == kind).count();
        problem("examples", page.examples, count(Kind::Example));
        problem(
            "json_blocks",
            page.json_blocks - page.answer_blocks.min(page.json_blocks),
            json_blocks_carried(cases),
        );
        problem(
            "error_rows",
            page.error_rows - page.client_error_rows.min(page.error_rows),
            count(Kind::Error),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    fn file(cases: Value) -> CaseFile {
        serde_json::from_value(json!({"operation": "im.v1.chat.get", "cases": cases})).unwrap()
    }

    fn manifest(examples: usize, blocks: usize, errors: usize) -> Manifest {
        Manifest {
            source: "s".into(),
            commit: "c".into(),
            pages: vec![PageCounts {
                operation: "im.v1.chat.get".into(),
                page: "group/chat/get-chat.md".into(),
                examples,
                json_blocks: blocks,
                index_json_blocks: blocks,
                error_rows: errors,
                index_error_rows: errors,
                client_error_rows: 0,
                answer_blocks: 0,
            }],
            guides: vec![],
        }
    }

    #[test]
    fn counts_examples_blocks_and_error_rows() {
        let f = file(json!([
            {"name": "e", "kind": "example",
             "request": {"method": "GET", "path": "/p", "body": null},
             "response": {"status": 200, "body": {"code": 0}}, "expect": {}},
            {"name": "x", "kind": "error", "response": {"status": 400, "body": {"code": 1}}, "expect": {}},
            {"name": "g", "kind": "edge", "response": {"status": 502, "body": "<html>"}, "expect": {}}
        ]));
        assert_eq!(check(&manifest(1, 1, 1), &[&f]), vec![]);
        let problems = check(&manifest(1, 2, 2), &[&f]);
        let paths: Vec<&str> = problems.iter().map(|(_, p)| p.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "coverage.json_blocks (group/chat/get-chat.md)",
                "coverage.error_rows (group/chat/get-chat.md)"
            ]
        );
    }

    #[test]
    fn a_guide_counted_differently_from_its_index_fails() {
        let mut m = manifest(0, 0, 0);
        m.guides.push(GuideCounts {
            page: "g.md".into(),
            json_blocks: 3,
            index_json_blocks: 2,
            invalid: 1,
            index_invalid: 1,
            error_rows: 0,
            index_error_rows: 0,
        });
        let f = file(json!([]));
        let problems = check(&m, &[&f]);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].1.path, "coverage.guides.json_blocks (g.md)");
        assert_eq!(problems[0].1.expected, "2");
        assert_eq!(problems[0].1.got, "3");
    }

    #[test]
    fn a_page_without_cases_fails() {
        let problems = check(&manifest(1, 1, 0), &[]);
        assert_eq!(problems.len(), 2);
    }
}

//! The run's report: failures with their diffs, one row per operation, and
//! the closing `N passed, N failed` line.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::case::Kind;
use crate::coverage::Totals;
use crate::run::{CaseResult, Wire};

/// Everything a run found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// One result per case and wire (plus setup failures).
    pub results: Vec<CaseResult>,
    /// What the docs hold, from the coverage manifest.
    pub documented: Option<Totals>,
}

/// Passed and failed runs of one operation over one wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Runs that passed.
    pub passed: usize,
    /// Runs that failed.
    pub failed: usize,
}

impl Tally {
    fn add(&mut self, passed: bool) {
        if passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
    }

    fn cell(self) -> String {
        if self.passed + self.failed == 0 {
            "-".to_owned()
        } else {
            format!("{}/{}", self.passed, self.failed)
        }
    }
}

const WIRES: [Wire; 4] = [Wire::Scripted, Wire::Http, Wire::Decode, Wire::Setup];

impl Report {
    /// Runs that passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// Runs that failed.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// Whether every run passed.
    pub fn ok(&self) -> bool {
        self.failed() == 0
    }

    /// Tallies per wire.
    pub fn by_wire(&self) -> BTreeMap<Wire, Tally> {
        let mut out: BTreeMap<Wire, Tally> = BTreeMap::new();
        for r in &self.results {
            out.entry(r.wire).or_default().add(r.passed());
        }
        out
    }

    /// Distinct cases (operation, name) per kind.
    pub fn cases_by_kind(&self) -> BTreeMap<Kind, usize> {
        let distinct: BTreeSet<(&str, &str, Kind)> = self
            .results
            .iter()
            .filter_map(|r| r.kind.map(|k| (r.operation.as_str(), r.case.as_str(), k)))
            .collect();
        let mut out = BTreeMap::new();
        for (_, _, kind) in distinct {
            *out.entry(kind).or_insert(0) += 1;
        }
        out
    }

    /// Distinct operations with at least one case.
    pub fn operations(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.kind.is_some())
            .map(|r| r.operation.as_str())
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// The whole report as text: failures with diffs, the table, the totals
    /// and the closing line.
    pub fn render(&self) -> String {
        let mut out = String::new();
        for r in self.results.iter().filter(|r| !r.passed()) {
            let _ = writeln!(out, "FAIL {} [{}] {}", r.operation, r.wire.as_str(), r.case);
            for p in &r.problems {
                let _ = writeln!(out, "    {p}");
            }
        }
        if !out.is_empty() {
            out.push('\n');
        }
        let mut rows: BTreeMap<&str, (BTreeSet<&str>, BTreeMap<Wire, Tally>)> = BTreeMap::new();
        for r in &self.results {
            let row = rows.entry(r.operation.as_str()).or_default();
            if r.kind.is_some() {
                row.0.insert(r.case.as_str());
            }
            row.1.entry(r.wire).or_default().add(r.passed());
        }
        let width = rows.keys().map(|k| k.len()).max().unwrap_or(9).max(9);
        let _ = writeln!(
            out,
            "{:<width$}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
            "operation", "cases", "scripted", "http", "decode", "setup"
        );
        for (op, (cases, tallies)) in &rows {
            let cell = |w: Wire| tallies.get(&w).copied().unwrap_or_default().cell();
            let _ = writeln!(
                out,
                "{:<width$}  {:>5}  {:>9}  {:>9}  {:>9}  {:>9}",
                op,
                cases.len(),
                cell(Wire::Scripted),
                cell(Wire::Http),
                cell(Wire::Decode),
                cell(Wire::Setup),
            );
        }
        out.push('\n');
        let kinds = self.cases_by_kind();
        let kind = |k| kinds.get(&k).copied().unwrap_or(0);
        let _ = writeln!(
            out,
            "{} operations, {} cases: {} example, {} error, {} edge",
            self.operations(),
            kinds.values().sum::<usize>(),
            kind(Kind::Example),
            kind(Kind::Error),
            kind(Kind::Edge),
        );
        let wires = self.by_wire();
        let per_wire: Vec<String> = WIRES
            .iter()
            .filter_map(|w| {
                wires
                    .get(w)
                    .map(|t| format!("{} {} passed, {} failed", w.as_str(), t.passed, t.failed))
            })
            .collect();
        let _ = writeln!(out, "runs: {}", per_wire.join("; "));
        if let Some(t) = self.documented {
            let _ = writeln!(
                out,
                "documented: {} operations, {} examples ({} JSON blocks), {} error rows",
                t.operations, t.examples, t.json_blocks, t.error_rows
            );
        }
        let _ = writeln!(out, "{} passed, {} failed", self.passed(), self.failed());
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::compare::Problem;

    fn result(op: &str, wire: Wire, ok: bool) -> CaseResult {
        CaseResult {
            operation: op.into(),
            case: "documented example".into(),
            kind: Some(Kind::Example),
            wire,
            problems: if ok {
                vec![]
            } else {
                vec![Problem::new("data.name", "\"a\"", "\"b\"")]
            },
        }
    }

    #[test]
    fn render_lists_failures_rows_and_the_closing_line() {
        let report = Report {
            results: vec![
                result("im.v1.chat.get", Wire::Scripted, true),
                result("im.v1.chat.get", Wire::Http, false),
            ],
            documented: None,
        };
        let text = report.render();
        assert!(text.starts_with(
            "FAIL im.v1.chat.get [http] documented example\n    data.name: expected \"a\", got \"b\"\n"
        ));
        assert!(text.contains("im.v1.chat.get      1        1/0        0/1          -          -"));
        assert!(text.ends_with("\n1 passed, 1 failed\n"), "{text}");
        assert!(!report.ok());
    }
}

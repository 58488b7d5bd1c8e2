//! `INDEX.md`: which pages document which endpoint or event, and the counts
//! the index states for each page.

use super::markdown::{self, Table};

/// One endpoint or event row of the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexRow {
    /// `GET`, `POST`, ... or `EVENT`.
    pub method: String,
    /// API path template, or the event type.
    pub target: String,
    /// Page path relative to the docs folder.
    pub doc: String,
    /// JSON blocks the index states for the page.
    pub json_blocks: usize,
    /// Of those, blocks that are not strict JSON.
    pub invalid: usize,
    /// Error rows the index states for the page.
    pub error_rows: usize,
}

impl IndexRow {
    /// Whether the row is an event.
    pub fn is_event(&self) -> bool {
        self.method == "EVENT"
    }
}

/// A page the index lists without an endpoint or event: a guide, or a
/// card / content reference.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideRow {
    /// Page path relative to the docs folder.
    pub page: String,
    /// JSON blocks the index states for the page.
    pub json_blocks: usize,
    /// Of those, blocks that are not strict JSON.
    pub invalid: usize,
    /// Error rows the index states for the page.
    pub error_rows: usize,
}

/// The parsed index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    /// The `Source repository` line's value.
    pub source: String,
    /// The `Commit` line's value.
    pub commit: String,
    /// Every endpoint and event row, in index order.
    pub rows: Vec<IndexRow>,
    /// Every page listed without an endpoint, in index order.
    pub guides: Vec<GuideRow>,
}

fn backticked(line: &str) -> Option<String> {
    let a = line.find('`')?;
    let b = line[a + 1..].find('`')? + a + 1;
    Some(line[a + 1..b].to_owned())
}

fn link_target(cell: &str) -> Option<String> {
    let a = cell.find("](")?;
    let rest = &cell[a + 2..];
    Some(rest[..rest.find(')')?].to_owned())
}

fn number(table: &Table, row: &[String], col: &str) -> Result<usize, String> {
    let i = table
        .column(col)
        .ok_or_else(|| format!("INDEX.md table without a `{col}` column"))?;
    Table::cell(row, i)
        .trim()
        .parse()
        .map_err(|e| format!("INDEX.md `{col}` cell `{}`: {e}", Table::cell(row, i)))
}

/// Parses an index file: every row of every table that has `Method` and
/// `Doc` columns, and every row of tables with a `Doc` column but no
/// `Method` (guide and reference pages).
pub fn parse(text: &str) -> Result<Index, String> {
    let line_value = |prefix: &str| {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(backticked)
            .ok_or_else(|| format!("INDEX.md has no `{prefix}` line"))
    };
    let source = line_value("- Source repository:")?;
    let commit = line_value("- Commit:")?;
    let page = markdown::parse(text);
    let mut rows = Vec::new();
    let mut guides = Vec::new();
    for table in &page.tables {
        if let (None, Some(doc)) = (table.column("Method"), table.column("Doc")) {
            for row in &table.rows {
                let doc_cell = Table::cell(row, doc);
                guides.push(GuideRow {
                    page: link_target(doc_cell)
                        .ok_or_else(|| format!("INDEX.md doc cell without a link: {doc_cell}"))?,
                    json_blocks: number(table, row, "JSON blocks")?,
                    invalid: number(table, row, "Invalid")?,
                    error_rows: number(table, row, "Error rows")?,
                });
            }
            continue;
        }
        let (Some(method), Some(target), Some(doc)) = (
            table.column("Method"),
            table.column("Path / event type"),
            table.column("Doc"),
        ) else {
            continue;
        };
        for row in &table.rows {
            let doc_cell = Table::cell(row, doc);
            rows.push(IndexRow {
                method: Table::cell(row, method).trim().to_owned(),
                target: Table::cell(row, target).trim().trim_matches('`').to_owned(),
                doc: link_target(doc_cell)
                    .ok_or_else(|| format!("INDEX.md doc cell without a link: {doc_cell}"))?,
                json_blocks: number(table, row, "JSON blocks")?,
                invalid: number(table, row, "Invalid")?,
                error_rows: number(table, row, "Error rows")?,
            });
        }
    }
    Ok(Index {
        source,
        commit,
        rows,
        guides,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn rows_carry_target_doc_and_counts() {
        let text = "- Source repository: `o/r` (GitHub)\n- Commit: `abc` (2026)\n\n## G\n\n| Method | Path / event type | Name | Doc | JSON blocks | Invalid | Error rows |\n| --- | --- | --- | --- | --- | --- | --- |\n| GET | `/open-apis/im/v1/chats/:chat_id` | Get | [group/chat/get-chat.md](group/chat/get-chat.md) | 1 | 0 | 7 |\n\n| Doc | Title | JSON blocks | Invalid | Error rows |\n| --- | --- | --- | --- | --- |\n| [a](a.md) | A | 2 | 1 | 0 |\n";
        let index = parse(text).unwrap();
        assert_eq!(index.source, "o/r");
        assert_eq!(index.commit, "abc");
        assert_eq!(
            index.rows,
            vec![IndexRow {
                method: "GET".into(),
                target: "/open-apis/im/v1/chats/:chat_id".into(),
                doc: "group/chat/get-chat.md".into(),
                json_blocks: 1,
                invalid: 0,
                error_rows: 7,
            }]
        );
        assert_eq!(
            index.guides,
            vec![GuideRow {
                page: "a.md".into(),
                json_blocks: 2,
                invalid: 1,
                error_rows: 0,
            }]
        );
    }
}

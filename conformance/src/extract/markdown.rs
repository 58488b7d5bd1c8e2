//! Just enough markdown for the doc pages: front matter, headings, bold
//! label lines, pipe tables and fenced code blocks. Headings and tables
//! inside code fences are code, not structure (the SDK samples on event
//! pages hold Python `#` comments).

use std::collections::BTreeMap;

/// A pipe table and the heading it sits under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The nearest heading above the table.
    pub section: String,
    /// Header cells.
    pub header: Vec<String>,
    /// Data rows (the separator row excluded).
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Index of the header column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Cell `col` of `row`, or `""`.
    pub fn cell(row: &[String], col: usize) -> &str {
        row.get(col).map_or("", String::as_str)
    }
}

/// A fenced code block and the label it sits under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The info string (`json`, or empty).
    pub lang: String,
    /// The nearest heading or bold-only line above the block.
    pub label: String,
    /// The block's text.
    pub text: String,
}

/// A parsed page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Front matter fields (`title`, `fullPath`, `updateTime`), unquoted.
    pub front: BTreeMap<String, String>,
    /// Every table, in order.
    pub tables: Vec<Table>,
    /// Every fenced block, in order.
    pub blocks: Vec<Block>,
}

/// Splits a table line into cells; `\|` is an escaped pipe inside a cell.
fn cells(line: &str) -> Vec<String> {
    let trimmed = line.trim();
    let inner = trimmed.strip_prefix('|').unwrap_or(trimmed);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut out = Vec::new();
    let mut current = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                current.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(c),
        }
    }
    out.push(current.trim().to_owned());
    out
}

fn is_separator(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|') && t.contains("---") && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '))
}

fn heading(line: &str) -> Option<&str> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    line[hashes..].strip_prefix(' ').map(str::trim)
}

fn bold_label(line: &str) -> Option<&str> {
    let t = line.trim();
    let inner = t.strip_prefix("**")?.strip_suffix("**")?;
    (!inner.contains("**")).then_some(inner.trim())
}

/// Parses a page.
pub fn parse(text: &str) -> Page {
    let mut page = Page::default();
    let mut lines = text.lines().peekable();
    if lines.peek().map(|l| l.trim()) == Some("---") {
        lines.next();
        for line in lines.by_ref() {
            if line.trim() == "---" {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(v);
                page.front.insert(k.trim().to_owned(), v.to_owned());
            }
        }
    }
    let mut section = String::new();
    let mut label = String::new();
    let mut fence: Option<(String, Vec<&str>)> = None;
    let mut table: Option<Vec<&str>> = None;
    let flush = |table: &mut Option<Vec<&str>>, section: &str, tables: &mut Vec<Table>| {
        if let Some(lines) = table.take() {
            let mut rows = lines.into_iter().filter(|l| !is_separator(l)).map(cells);
            if let Some(header) = rows.next() {
                tables.push(Table {
                    section: section.to_owned(),
                    header,
                    rows: rows.collect(),
                });
            }
        }
    };
    for line in lines {
        if let Some((lang, body)) = &mut fence {
            if line.trim_start().starts_with("```") {
                page.blocks.push(Block {
                    lang: std::mem::take(lang),
                    label: label.clone(),
                    text: body.join("\n"),
                });
                fence = None;
            } else {
                body.push(line);
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('|') {
            table.get_or_insert_with(Vec::new).push(line);
            continue;
        }
        flush(&mut table, &section, &mut page.tables);
        if let Some(info) = trimmed.strip_prefix("```") {
            fence = Some((info.trim().to_owned(), Vec::new()));
        } else if let Some(h) = heading(line) {
            section = h.to_owned();
            label = h.to_owned();
        } else if let Some(b) = bold_label(line) {
            label = b.to_owned();
        }
    }
    flush(&mut table, &section, &mut page.tables);
    page
}

/// Decodes the HTML entities and line breaks the pages use.
pub fn text(cell: &str) -> String {
    cell.replace("<br>", " ")
        .replace("&nbsp;", " ")
        .replace("&gt;", ">")
        .replace("&lt;", "<")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

/// The nesting depth (`&nbsp;&nbsp;└` per level) and backticked name of a
/// field cell.
pub fn field(cell: &str) -> (usize, String) {
    let depth = if cell.contains('└') {
        cell.matches("&nbsp;").count() / 2
    } else {
        0
    };
    let name = match (cell.find('`'), cell.rfind('`')) {
        (Some(a), Some(b)) if b > a => cell[a + 1..b].to_owned(),
        _ => cell.replace("&nbsp;", "").replace('└', ""),
    };
    (depth, name.trim().to_owned())
}

/// The value after a bold marker such as `示例值` or `固定值`, up to the next
/// line break, without surrounding quotes.
pub fn marked_value(cell: &str, marker: &str) -> Option<String> {
    let at = cell.find(marker)?;
    let rest = &cell[at + marker.len()..];
    let rest = rest.trim_start_matches(['*', '：', ':', ' ']);
    let end = rest.find("<br>").unwrap_or(rest.len());
    let value = rest[..end].trim();
    let value = value.strip_suffix("**").unwrap_or(value).trim();
    let value = value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .unwrap_or(value);
    Some(text(value))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn structure_inside_fences_is_code() {
        let page = parse(
            "---\ntitle: \"T\"\nfullPath: \"/a/b\"\n---\n# T\n### 响应体示例\n```json\n{\"a\": 1}\n```\n**回调示例 ：**\n```json\n{}\n```\n```\n# python comment\n| not | a table |\n```\n### 错误码\n| HTTP状态码 | 错误码 | 描述 |\n| --- | --- | --- |\n| 400 | 1 | a \\| b |\n",
        );
        assert_eq!(page.front["fullPath"], "/a/b");
        let labels: Vec<(&str, &str)> = page
            .blocks
            .iter()
            .map(|b| (b.lang.as_str(), b.label.as_str()))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("json", "响应体示例"),
                ("json", "回调示例 ："),
                ("", "回调示例 ：")
            ]
        );
        assert_eq!(page.tables.len(), 1);
        assert_eq!(page.tables[0].section, "错误码");
        assert_eq!(page.tables[0].rows, vec![vec!["400", "1", "a | b"]]);
    }

    #[test]
    fn cells_give_depth_names_and_marked_values() {
        assert_eq!(
            field("&nbsp;&nbsp;&nbsp;&nbsp;└ `zh_cn`"),
            (2, "zh_cn".into())
        );
        assert_eq!(field("`data`"), (0, "data".into()));
        assert_eq!(field("Authorization"), (0, "Authorization".into()));
        assert_eq!(
            marked_value("群 ID<br>**示例值**：\"oc_a0553e\" ", "示例值").as_deref(),
            Some("oc_a0553e")
        );
        assert_eq!(
            marked_value("秘钥 **示例值：** \"dskLL\"", "示例值").as_deref(),
            Some("dskLL")
        );
        assert_eq!(
            marked_value("类型<br>**示例值**：open_id<br>**可选值有**", "示例值").as_deref(),
            Some("open_id")
        );
    }
}

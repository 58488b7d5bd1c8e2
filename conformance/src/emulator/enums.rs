//! The documented values of enum-valued response fields: every response
//! field whose description lists its values (`可选值有`), read from the
//! pages of the docs' index files. An answer holding another value at such a
//! field is out of line with the page.

use std::collections::BTreeMap;
use std::path::Path;

use feishu_model::Method;
use serde_json::Value;

use crate::extract::{page, read_indexes};

/// One enum-valued response field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumField {
    /// Names from the response root (`["data", "chat_tabs", "tab_type"]`).
    pub path: Vec<String>,
    /// The documented values, as text (`message`, `1`).
    pub values: Vec<String>,
}

/// The enum fields of every endpoint's response, by operation.
pub type Enums = BTreeMap<String, Vec<EnumField>>;

/// The values a description lists after `可选值有`: each `` `value` `` at
/// the start of an item (`- `value`：meaning`).
pub fn listed_values(desc: &str) -> Vec<String> {
    let Some((_, list)) = desc.split_once("可选值有") else {
        return Vec::new();
    };
    let mut values = Vec::new();
    for item in list.split("- ").skip(1) {
        let item = item.trim_start();
        if let Some(rest) = item.strip_prefix('`') {
            if let Some((value, _)) = rest.split_once('`') {
                if !values.iter().any(|v| v == value) {
                    values.push(value.to_owned());
                }
            }
        }
    }
    values
}

/// Reads the enum fields of every endpoint page the index files of `docs`
/// list.
pub fn documented(docs: &Path) -> Result<Enums, String> {
    let index = read_indexes(docs)?;
    let mut out = Enums::new();
    for row in index.rows.iter().filter(|r| !r.is_event()) {
        let Some(method) = Method::parse(&row.method) else {
            continue;
        };
        let Some((info, _)) = feishu_model::registry::route(method, &row.target) else {
            continue;
        };
        let path = docs.join(&row.doc);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let doc = page::read(&row.doc, &text)?;
        let fields: Vec<EnumField> = doc
            .response_fields
            .iter()
            .filter(|f| f.is_enum())
            .map(|f| EnumField {
                path: f.path.clone(),
                values: listed_values(&f.desc),
            })
            .filter(|f| !f.values.is_empty())
            .collect();
        if !fields.is_empty() {
            out.insert(info.operation.to_owned(), fields);
        }
    }
    Ok(out)
}

/// Every value of `got` at an enum field of `fields` that the page does not
/// list, each naming its JSON path.
pub fn undocumented(fields: &[EnumField], got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for field in fields {
        visit(got, &field.path, "$", &mut |at, value| {
            let text = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return,
            };
            if !field.values.contains(&text) {
                out.push(format!(
                    "{at}: `{text}` is not a documented value ({})",
                    field.values.join(", ")
                ));
            }
        });
    }
    out
}

fn visit(value: &Value, path: &[String], at: &str, f: &mut dyn FnMut(&str, &Value)) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                visit(item, path, &format!("{at}[{i}]"), f);
            }
        }
        Value::Object(map) => {
            if let [first, rest @ ..] = path {
                if let Some(child) = map.get(first) {
                    let here = format!("{at}.{first}");
                    if rest.is_empty() {
                        f(&here, child);
                    } else {
                        visit(child, rest, &here, f);
                    }
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use serde_json::json;

    #[test]
    fn values_come_from_the_listed_items() {
        let desc =
            "会话标签页类型<br>**可选值有**：<br>- `message`: 消息类型 - `doc`: 文档 - `url`: URL";
        assert_eq!(listed_values(desc), ["message", "doc", "url"]);
        assert!(listed_values("群名称").is_empty());
    }

    #[test]
    fn undocumented_values_are_named_with_their_path() {
        let fields = [EnumField {
            path: vec!["data".into(), "chat_tabs".into(), "tab_type".into()],
            values: vec!["message".into(), "doc".into()],
        }];
        let good = json!({"data": {"chat_tabs": [{"tab_type": "message"}, {"tab_type": "doc"}]}});
        assert!(undocumented(&fields, &good).is_empty());
        let bad = json!({"data": {"chat_tabs": [{"tab_type": "message"}, {"tab_type": "wiki"}]}});
        assert_eq!(
            undocumented(&fields, &bad),
            ["$.data.chat_tabs[1].tab_type: `wiki` is not a documented value (message, doc)"]
        );
    }

    #[test]
    fn the_pages_enum_fields_are_read() {
        let docs = crate::extract::default_docs_dir();
        if !docs.is_dir() {
            return;
        }
        let enums = documented(&docs).unwrap();
        let tabs = &enums["im.v1.chat.tab.list_tabs"];
        let tab_type = tabs
            .iter()
            .find(|f| f.path == ["data", "chat_tabs", "tab_type"])
            .unwrap();
        assert!(tab_type.values.iter().any(|v| v == "message"));
        assert!(tab_type.values.iter().any(|v| v == "url"));
        let chat = &enums["im.v1.chat.get"];
        let mode = chat
            .iter()
            .find(|f| f.path == ["data", "chat_mode"])
            .unwrap();
        assert_eq!(mode.values, ["group", "topic", "p2p"]);
        let total: usize = enums.values().map(Vec::len).sum();
        println!("{} operations, {total} enum fields", enums.len());
        assert!(total > 50, "{total}");
    }
}

//! What one endpoint or event page documents: request line, parameters with
//! their example values, field tables, error rows and JSON examples.

use serde_json::Value;

use super::clean;
use super::markdown::{self, Page, Table};

/// Where a JSON example sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExampleKind {
    /// Under `请求体示例`.
    Request,
    /// Under `响应体示例`.
    Response,
    /// Under `事件体示例`, `回调示例` or `回调结构体示例`.
    Event,
    /// A documented failure answer (`230099 子错误码`): a response body with
    /// a non-zero code.
    ErrorResponse,
    /// The app's answer to a callback (`使用卡片 JSON 代码响应`,
    /// `使用卡片模板响应`): no SDK call to replay it against.
    CallbackAnswer,
}

/// A row of a field table, with its path from the table's root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Names from the root (`["data", "items", "name"]`).
    pub path: Vec<String>,
    /// The documented type, unescaped (`string`, `user_task[]`).
    pub ty: String,
    /// The description cell, entities decoded.
    pub desc: String,
    /// The `必填` column, when the table has one.
    pub required: Option<bool>,
    /// The raw description cell (for marked values).
    pub raw_desc: String,
}

impl Field {
    /// The field's name.
    pub fn name(&self) -> &str {
        self.path.last().map_or("", String::as_str)
    }

    /// Whether the description lists allowed values (`可选值有`).
    pub fn is_enum(&self) -> bool {
        self.desc.contains("可选值有")
    }

    /// Whether the field must be sent: marked required, or marked optional
    /// while the description says it must not be empty (`不可为空`), must
    /// be given (`必须传入`), or is one of several that must not all be
    /// empty (`不可同时为空`).
    pub fn must_be_given(&self) -> bool {
        self.required == Some(true)
            || ["不可为空", "必须传入", "不可同时为空"]
                .iter()
                .any(|m| self.desc.contains(m))
    }

    /// Whether the description says the field is not always returned: a
    /// field-permission requirement, or a `不返回` / `不会返回` note.
    pub fn sometimes_absent(&self) -> bool {
        ["字段权限要求", "不返回", "不会返回"]
            .iter()
            .any(|m| self.desc.contains(m))
    }
}

/// A documented error-code row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorRow {
    /// HTTP status.
    pub status: u16,
    /// Feishu code.
    pub code: i64,
    /// The documented message (`描述`).
    pub msg: String,
}

/// A query parameter with its documented type and example value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParam {
    /// Name.
    pub name: String,
    /// Documented type (`string`, `int`, `boolean`).
    pub ty: String,
    /// Whether it is required.
    pub required: bool,
    /// The `示例值`.
    pub example: String,
}

/// Everything the generator needs from one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocPage {
    /// Path relative to the docs folder.
    pub rel: String,
    /// Front matter `fullPath`.
    pub full_path: String,
    /// `HTTP Method` (API pages).
    pub method: Option<String>,
    /// `HTTP URL` without the host (API pages).
    pub url_path: Option<String>,
    /// `事件类型` (event pages with an event table).
    pub event_type: Option<String>,
    /// Token kinds named in the `Authorization` row; `None` without one.
    pub tokens: Option<Vec<String>>,
    /// The `Content-Type` row's fixed value.
    pub content_type: Option<String>,
    /// Whether the page states a rate limit (`接口频率限制`).
    pub rate_limited: bool,
    /// Path parameters with example values.
    pub path_params: Vec<(String, String)>,
    /// Query parameters.
    pub query: Vec<QueryParam>,
    /// Request body fields.
    pub body_fields: Vec<Field>,
    /// Response (or event) body fields.
    pub response_fields: Vec<Field>,
    /// Error-code rows.
    pub errors: Vec<ErrorRow>,
    /// Error-code rows of a table without an `HTTP状态码` column: codes the
    /// Feishu client shows (the card callback page), never on the wire to
    /// or from the app, so they give no cases.
    pub client_errors: Vec<(i64, String)>,
    /// JSON examples in page order.
    pub examples: Vec<(ExampleKind, Value)>,
    /// Every `json` block on the page.
    pub json_blocks: usize,
    /// Of those, blocks that needed cleaning.
    pub invalid_blocks: usize,
}

fn unescape_type(cell: &str) -> String {
    markdown::text(cell)
        .trim_matches('`')
        .replace("\\[", "[")
        .replace("\\]", "]")
        .replace("\\-", "-")
}

fn fields(table: &Table) -> Vec<Field> {
    let required_col = table.column("必填");
    let desc_col = table.header.len().saturating_sub(1);
    let mut stack: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for row in &table.rows {
        let (depth, name) = markdown::field(Table::cell(row, 0));
        stack.truncate(depth);
        stack.push(name);
        let raw_desc = Table::cell(row, desc_col).to_owned();
        out.push(Field {
            path: stack.clone(),
            ty: unescape_type(Table::cell(row, 1)),
            desc: markdown::text(&raw_desc),
            required: required_col.map(|c| Table::cell(row, c).trim() == "是"),
            raw_desc,
        });
    }
    out
}

fn example_kind(label: &str) -> Option<ExampleKind> {
    let has = |marks: &[&str]| marks.iter().any(|m| label.contains(m));
    if has(&["请求体示例", "请求示例", "更新卡片示例"]) {
        Some(ExampleKind::Request)
    } else if has(&["响应体示例"]) {
        Some(ExampleKind::Response)
    } else if has(&["事件体示例", "回调示例", "回调结构体示例"]) {
        Some(ExampleKind::Event)
    } else if has(&["子错误码"]) {
        Some(ExampleKind::ErrorResponse)
    } else if has(&["使用卡片 JSON 代码响应", "使用卡片模板响应"]) {
        Some(ExampleKind::CallbackAnswer)
    } else {
        None
    }
}

/// The JSON body of a cURL request example (`--data-raw '...'` or
/// `-d '...'`), when `text` is one. A body whose closing quote is missing
/// (`merge_forward.md`) runs to the end of the block.
fn curl_body(text: &str) -> Option<&str> {
    if !text.trim_start().starts_with("curl ") {
        return None;
    }
    let start = ["--data-raw '", "--data '", "-d '"]
        .iter()
        .find_map(|flag| text.find(flag).map(|i| i + flag.len()))?;
    let end = text
        .rfind('\'')
        .filter(|&end| end > start)
        .unwrap_or(text.len());
    Some(&text[start..end])
}

/// Reads a page. `rel` is its path relative to the docs folder.
pub fn read(rel: &str, text: &str) -> Result<DocPage, String> {
    let page: Page = markdown::parse(text);
    let mut doc = DocPage {
        rel: rel.to_owned(),
        full_path: page
            .front
            .get("fullPath")
            .cloned()
            .ok_or_else(|| format!("{rel}: no `fullPath` in the front matter"))?,
        ..DocPage::default()
    };
    let mut unstatused = Vec::new();
    for table in &page.tables {
        if table.column("错误码").is_some() {
            let (status, code, desc) = (
                table.column("HTTP状态码"),
                table.column("错误码"),
                table.column("描述"),
            );
            let desc = desc.or_else(|| table.column("说明"));
            let (Some(code), Some(desc)) = (code, desc) else {
                return Err(format!(
                    "{rel}: error table without 错误码/描述 (说明) columns"
                ));
            };
            for row in &table.rows {
                let cell = |c| Table::cell(row, c).trim();
                let code = cell(code)
                    .parse()
                    .map_err(|e| format!("{rel}: error code `{}`: {e}", cell(code)))?;
                let msg = markdown::text(cell(desc));
                match status {
                    Some(status) => doc.errors.push(ErrorRow {
                        status: cell(status)
                            .parse()
                            .map_err(|e| format!("{rel}: HTTP status `{}`: {e}", cell(status)))?,
                        code,
                        msg,
                    }),
                    None => unstatused.push((table.section.contains("230099"), code, msg)),
                }
            }
            continue;
        }
        let is_kv = table.header.first().map(String::as_str) == Some("项目");
        match table.section.as_str() {
            _ if is_kv => {
                for row in &table.rows {
                    let key = Table::cell(row, 0).trim();
                    let value = markdown::text(Table::cell(row, 1));
                    match key {
                        "HTTP URL" => {
                            let path = value
                                .find("/open-apis/")
                                .map(|i| value[i..].to_owned())
                                .ok_or_else(|| format!("{rel}: HTTP URL `{value}`"))?;
                            doc.url_path = Some(path);
                        }
                        "HTTP Method" => doc.method = Some(value),
                        "事件类型" => doc.event_type = Some(value),
                        "接口频率限制" => doc.rate_limited = true,
                        _ => {}
                    }
                }
            }
            "请求头" => {
                for row in &table.rows {
                    let (_, name) = markdown::field(Table::cell(row, 0));
                    let desc = Table::cell(row, table.header.len().saturating_sub(1));
                    if name.eq_ignore_ascii_case("Authorization") {
                        let kinds = [
                            "tenant_access_token",
                            "user_access_token",
                            "app_access_token",
                        ];
                        doc.tokens = Some(
                            kinds
                                .iter()
                                .filter(|k| desc.contains(*k))
                                .map(|k| (*k).to_owned())
                                .collect(),
                        );
                    } else if name.eq_ignore_ascii_case("Content-Type") {
                        doc.content_type = markdown::marked_value(desc, "固定值");
                    }
                }
            }
            "路径参数" => {
                for f in fields(table) {
                    let example =
                        markdown::marked_value(&f.raw_desc, "示例值").ok_or_else(|| {
                            format!("{rel}: path parameter `{}` has no 示例值", f.name())
                        })?;
                    doc.path_params.push((f.name().to_owned(), example));
                }
            }
            "查询参数" => {
                for f in fields(table) {
                    let example =
                        markdown::marked_value(&f.raw_desc, "示例值").ok_or_else(|| {
                            format!("{rel}: query parameter `{}` has no 示例值", f.name())
                        })?;
                    doc.query.push(QueryParam {
                        name: f.name().to_owned(),
                        ty: f.ty.clone(),
                        required: f.required == Some(true),
                        example,
                    });
                }
            }
            "请求体" => doc.body_fields = fields(table),
            "响应体" | "事件体" => doc.response_fields = fields(table),
            _ => {}
        }
    }
    // Error tables without an HTTP status: on a page without an HTTP URL
    // (the card callback) the codes are the Feishu client's; under a
    // `230099 子错误码` heading they are sub-codes the server answers as code
    // 230099 with the row's message; elsewhere (the legacy message-card
    // pages) the row's code with HTTP 400, the status of the platform's
    // business errors.
    for (sub_code, code, msg) in unstatused {
        match (&doc.url_path, sub_code) {
            (None, _) => doc.client_errors.push((code, msg)),
            (Some(_), true) => doc.errors.push(ErrorRow {
                status: 400,
                code: 230_099,
                msg,
            }),
            (Some(_), false) => doc.errors.push(ErrorRow {
                status: 400,
                code,
                msg,
            }),
        }
    }
    for block in page.blocks.iter().filter(|b| b.lang == "json") {
        doc.json_blocks += 1;
        let kind = example_kind(&block.label).ok_or_else(|| {
            format!(
                "{rel}: a json block under `{}`, not under an example heading",
                block.label
            )
        })?;
        let fixed = super::corrections::fix_block(rel, &block.label, &block.text)?;
        let text = fixed.as_deref().unwrap_or(&block.text);
        if serde_json::from_str::<Value>(&block.text).is_err() {
            doc.invalid_blocks += 1;
        }
        let value = match serde_json::from_str::<Value>(text) {
            Ok(v) => v,
            Err(strict) if curl_body(text).is_some() => {
                let body = curl_body(text).unwrap_or_default();
                serde_json::from_str(body).map_err(|e| {
                    format!("{rel}: the cURL example's body is not JSON ({strict}; then {e})")
                })?
            }
            Err(strict) if clean::COMMENTED_EXAMPLES.contains(&rel) => {
                serde_json::from_str(&clean::strip_line_comments(text)).map_err(|e| {
                    format!("{rel}: example not JSON even without comments ({strict}; then {e})")
                })?
            }
            Err(e) => {
                return Err(format!(
                    "{rel}: example under `{}` is not JSON: {e}",
                    block.label
                ))
            }
        };
        doc.examples.push((kind, value));
    }
    if clean::COMMENTED_EXAMPLES.contains(&rel) && doc.invalid_blocks == 0 {
        return Err(format!(
            "{rel}: listed as holding commented examples, but every example is strict JSON"
        ));
    }
    super::corrections::apply(&mut doc)?;
    Ok(doc)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn fields_get_paths_types_and_flags() {
        let page = "---\nfullPath: \"/x\"\n---\n### 响应体\n| 名称 | 类型 | 描述 |\n| --- | --- | --- |\n| `data` | `\\-` | \\- |\n| &nbsp;&nbsp;└ `items` | `member\\[\\]` | 列表 |\n| &nbsp;&nbsp;&nbsp;&nbsp;└ `kind` | `string` | 种类<br>**可选值有**： - `a`：A |\n| &nbsp;&nbsp;└ `owner` | `string` | 群主<br>**注意**：单聊不返回该字段 |\n";
        let doc = read("p.md", page).unwrap();
        let got: Vec<(String, &str, bool, bool)> = doc
            .response_fields
            .iter()
            .map(|f| {
                (
                    f.path.join("."),
                    f.ty.as_str(),
                    f.is_enum(),
                    f.sometimes_absent(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("data".into(), "-", false, false),
                ("data.items".into(), "member[]", false, false),
                ("data.items.kind".into(), "string", true, false),
                ("data.owner".into(), "string", false, true),
            ]
        );
    }

    #[test]
    fn invalid_json_outside_the_list_stops_extraction() {
        let page = "---\nfullPath: \"/x\"\n---\n### 响应体示例\n```json\n{\"a\": 1 // no\n}\n```\n";
        let err = read("group/chat/get-chat.md", page).unwrap_err();
        assert!(err.contains("not JSON"), "{err}");
    }
}

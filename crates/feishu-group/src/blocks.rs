//! Typed constructors for the blocks people post in an announcement.
//!
//! ```
//! use feishu_group::blocks::{self, run};
//! use feishu_model::docx::{BlockType, FontColor};
//!
//! let post = vec![
//!     blocks::heading(2, ["Incident 42: checkout errors"]),
//!     blocks::bullet([run("Status: ").bold(), run("mitigated").color(FontColor::Green)]),
//!     blocks::paragraph([run("Lead: ").into(), blocks::mention("ou_lead")]),
//! ];
//! assert_eq!(post[0].block_type, BlockType::Heading2);
//! assert_eq!(post[1].text_payload().unwrap().plain(), "Status: mitigated");
//! assert_eq!(post[2].text_payload().unwrap().plain(), "Lead: @ou_lead");
//! ```

use feishu_model::docx::{
    Block, BlockType, Callout, CodeLanguage, FontColor, HighlightColor, Link, Table, TableProperty,
    Text, TextElement, TextElementStyle, TextStyle,
};

/// A styled run of text, turned into a [`TextElement`] where one is needed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    content: String,
    style: TextElementStyle,
}

/// A run of plain text; chain `.bold()`, `.italic()`, `.color(..)`, ... to style it.
pub fn run(content: impl Into<String>) -> Run {
    Run {
        content: content.into(),
        style: TextElementStyle::default(),
    }
}

impl Run {
    /// Bold.
    pub fn bold(mut self) -> Self {
        self.style.bold = Some(true);
        self
    }
    /// Italic.
    pub fn italic(mut self) -> Self {
        self.style.italic = Some(true);
        self
    }
    /// Strikethrough.
    pub fn strikethrough(mut self) -> Self {
        self.style.strikethrough = Some(true);
        self
    }
    /// Underline.
    pub fn underline(mut self) -> Self {
        self.style.underline = Some(true);
        self
    }
    /// Inline code.
    pub fn code(mut self) -> Self {
        self.style.inline_code = Some(true);
        self
    }
    /// Font colour.
    pub fn color(mut self, color: FontColor) -> Self {
        self.style.text_color = Some(color);
        self
    }
    /// Highlight colour.
    pub fn highlight(mut self, color: HighlightColor) -> Self {
        self.style.background_color = Some(color);
        self
    }
    /// A hyperlink; `url` is percent-encoded as the API requires.
    pub fn link(mut self, url: &str) -> Self {
        self.style.link = Some(Link {
            url: Some(percent_encode(url)),
            ..Link::default()
        });
        self
    }
}

fn percent_encode(url: &str) -> String {
    let mut out = String::with_capacity(url.len() * 3);
    for b in url.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

impl From<Run> for TextElement {
    fn from(run: Run) -> Self {
        if run.style == TextElementStyle::default() {
            TextElement::run(run.content)
        } else {
            TextElement::styled(run.content, run.style)
        }
    }
}

/// A mention of a user, by an id of the call's `user_id_type` (open id by default).
pub fn mention(user_id: impl Into<String>) -> TextElement {
    TextElement::mention(user_id)
}

fn text<I>(elements: I) -> Text
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    Text::of(elements.into_iter().map(Into::into))
}

fn with_text(kind: BlockType, payload: Text) -> Block {
    let mut block = Block::new(kind);
    match block.text_slot_mut() {
        Some(slot) => *slot = Some(payload),
        None => block.text = Some(payload),
    }
    block
}

/// A paragraph of runs and mentions (a plain `&str` is one unstyled run).
pub fn paragraph<I>(elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    with_text(BlockType::Text, text(elements))
}

/// A heading of `level` 1 to 9 (other levels are clamped into that range).
pub fn heading<I>(level: u8, elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    let kind = BlockType::from(i64::from(level.clamp(1, 9)) + 2);
    with_text(kind, text(elements))
}

/// One bulleted list item.
pub fn bullet<I>(elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    with_text(BlockType::Bullet, text(elements))
}

/// One ordered list item (numbered on from the previous item).
pub fn ordered<I>(elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    with_text(BlockType::Ordered, text(elements))
}

/// A to-do item, done or not.
pub fn todo<I>(done: bool, elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    let mut payload = text(elements);
    payload.style = Some(TextStyle {
        done: Some(done),
        ..TextStyle::default()
    });
    with_text(BlockType::Todo, payload)
}

/// A code block in `language`.
pub fn code(language: CodeLanguage, source: impl Into<String>) -> Block {
    let mut payload = text([TextElement::run(source)]);
    payload.style = Some(TextStyle {
        language: Some(language),
        ..TextStyle::default()
    });
    with_text(BlockType::Code, payload)
}

/// A quote.
pub fn quote<I>(elements: I) -> Block
where
    I: IntoIterator,
    I::Item: Into<TextElement>,
{
    with_text(BlockType::Quote, text(elements))
}

/// A callout (highlight box) with an emoji and a background colour; its
/// content is added as its children once it exists.
pub fn callout(emoji_id: impl Into<String>, background: HighlightColor) -> Block {
    let mut block = Block::new(BlockType::Callout);
    block.callout = Some(Callout {
        emoji_id: Some(emoji_id.into()),
        background_color: Some(background),
        ..Callout::default()
    });
    block
}

/// A divider.
pub fn divider() -> Block {
    let mut block = Block::new(BlockType::Divider);
    block.divider = Some(Default::default());
    block
}

/// An empty table of `rows` by `columns` (at least 1 each); the server
/// creates its cells, which are then filled by appending to each cell.
pub fn table(rows: u32, columns: u32) -> Block {
    let mut block = Block::new(BlockType::Table);
    block.table = Some(Table {
        property: Some(TableProperty {
            row_size: Some(i64::from(rows.max(1))),
            column_size: Some(i64::from(columns.max(1))),
            ..TableProperty::default()
        }),
        ..Table::default()
    });
    block
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    #[test]
    fn blocks_serialize_to_what_the_create_page_documents() {
        let block = paragraph([run("Hello").bold().color(FontColor::Blue), run("World ")]);
        assert_eq!(
            serde_json::to_value(&block).unwrap(),
            json!({"block_type": 2, "text": {"elements": [
                {"text_run": {"content": "Hello", "text_element_style": {"bold": true, "text_color": 5}}},
                {"text_run": {"content": "World "}}
            ]}})
        );
        assert_eq!(
            serde_json::to_value(table(2, 3)).unwrap(),
            json!({"block_type": 31, "table": {"property": {"row_size": 2, "column_size": 3}}})
        );
        assert_eq!(
            serde_json::to_value(divider()).unwrap(),
            json!({"block_type": 22, "divider": {}})
        );
    }

    #[test]
    fn headings_map_levels_to_block_types() {
        assert_eq!(heading(1, ["a"]).block_type, BlockType::Heading1);
        assert_eq!(heading(9, ["a"]).heading9.unwrap().plain(), "a");
        assert_eq!(heading(0, ["a"]).block_type, BlockType::Heading1);
        assert_eq!(heading(12, ["a"]).block_type, BlockType::Heading9);
    }

    #[test]
    fn todo_code_and_links_carry_their_style() {
        let t = todo(true, ["ship"]);
        assert_eq!(t.todo.unwrap().style.unwrap().done, Some(true));
        let c = code(CodeLanguage::Rust, "fn main() {}");
        assert_eq!(
            c.code.as_ref().unwrap().style.as_ref().unwrap().language,
            Some(CodeLanguage::Rust)
        );
        let linked: TextElement = run("docs").link("https://open.feishu.cn/").into();
        let url = linked
            .text_run
            .unwrap()
            .text_element_style
            .unwrap()
            .link
            .unwrap()
            .url;
        assert_eq!(url.as_deref(), Some("https%3A%2F%2Fopen.feishu.cn%2F"));
    }
}

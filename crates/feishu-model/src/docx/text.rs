//! The rich text shared by text-like blocks: elements (text runs,
//! mentions, reminders, equations, inline files and blocks) and styles.

use super::enums::IndentationLevel;
use super::enums::{Align, BlockBackground, CodeLanguage, DocObjType, FontColor, HighlightColor};
use crate::Empty;

super::docx_struct! {
    /// `text`: the payload of every text-like block (page, text, headings,
    /// bullet, ordered, code, quote, equation, todo).
    pub struct Text {
        /// The block's style.
        style: TextStyle,
        /// The content, element by element.
        elements: Vec<TextElement>,
    }
}

super::docx_struct! {
    /// `text_style`: the style of a whole text block.
    pub struct TextStyle {
        /// Alignment.
        align: Align,
        /// Whether a to-do is done (todo blocks).
        done: bool,
        /// Whether the block is folded (headings; text, ordered, bullet and todo blocks with children).
        folded: bool,
        /// The language of a code block.
        language: CodeLanguage,
        /// Whether a code block wraps lines.
        wrap: bool,
        /// The block's background colour.
        background_color: BlockBackground,
        /// First-line indentation (text blocks).
        indentation_level: IndentationLevel,
        /// Ordered-list numbering: a number, or `auto` to continue the list.
        sequence: String,
    }
}

super::docx_struct! {
    /// `text_element`: one element of a text; exactly one field is set.
    pub struct TextElement {
        /// Plain, styled text.
        text_run: TextRun,
        /// A mention of a user.
        mention_user: MentionUser,
        /// A mention of a cloud document.
        mention_doc: MentionDoc,
        /// A date reminder.
        reminder: Reminder,
        /// An inline file (can only be moved or deleted).
        file: InlineFile,
        /// An element kind the API does not support.
        undefined: Empty,
        /// An inline block (can only be moved or deleted).
        inline_block: InlineBlock,
        /// A KaTeX equation.
        equation: Equation,
    }
}

super::docx_struct! {
    /// `text_run`: a piece of text with one style.
    pub struct TextRun {
        /// The text; `\n` is a soft line break.
        content: String,
        /// The text's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `text_element_style`: the style of one element.
    pub struct TextElementStyle {
        /// Bold.
        bold: bool,
        /// Italic.
        italic: bool,
        /// Strikethrough.
        strikethrough: bool,
        /// Underline.
        underline: bool,
        /// Inline code.
        inline_code: bool,
        /// Highlight colour.
        background_color: HighlightColor,
        /// Font colour.
        text_color: FontColor,
        /// A hyperlink.
        link: Link,
        /// Comment ids on the element (existing comments only).
        comment_ids: Vec<String>,
    }
}

super::docx_struct! {
    /// `link`: a hyperlink.
    pub struct Link {
        /// The target URL, percent-encoded.
        url: String,
    }
}

super::docx_struct! {
    /// `mention_user`: a mention of a user.
    pub struct MentionUser {
        /// The user's id, of the request's `user_id_type`.
        user_id: String,
        /// The mention's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `mention_doc`: a mention of a cloud document.
    pub struct MentionDoc {
        /// The document token.
        token: String,
        /// The kind of document.
        obj_type: DocObjType,
        /// The document URL, percent-encoded.
        url: String,
        /// The document title (read only; 0 to 800 characters).
        title: String,
        /// The mention's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `reminder`: a date reminder.
    pub struct Reminder {
        /// Id of the user who created it, of the request's `user_id_type`.
        create_user_id: String,
        /// Whether to notify.
        is_notify: bool,
        /// Whether it is a whole day (otherwise an hour).
        is_whole_day: bool,
        /// When the event happens (Unix milliseconds, as text).
        expire_time: String,
        /// When to notify (Unix milliseconds, as text).
        notify_time: String,
        /// The reminder's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `inline_file`: a file shown inline.
    pub struct InlineFile {
        /// The attachment token.
        file_token: String,
        /// The block that holds the file.
        source_block_id: String,
        /// The element's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `inline_block`: a block shown inline.
    pub struct InlineBlock {
        /// The inline block's id.
        block_id: String,
        /// The element's style.
        text_element_style: TextElementStyle,
    }
}

super::docx_struct! {
    /// `equation`: a KaTeX equation element.
    pub struct Equation {
        /// The formula (KaTeX syntax, 1 to 10,000 characters).
        content: String,
        /// The element's style.
        text_element_style: TextElementStyle,
    }
}

impl Text {
    /// A text made of the given elements, without a block style.
    pub fn of(elements: impl IntoIterator<Item = TextElement>) -> Self {
        Text {
            elements: Some(elements.into_iter().collect()),
            ..Text::default()
        }
    }

    /// The plain text of the elements: text runs and equations as written,
    /// mentions as their user id or title.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        for e in self.elements.iter().flatten() {
            if let Some(run) = &e.text_run {
                out.push_str(run.content.as_deref().unwrap_or_default());
            } else if let Some(user) = &e.mention_user {
                out.push('@');
                out.push_str(user.user_id.as_deref().unwrap_or_default());
            } else if let Some(doc) = &e.mention_doc {
                out.push_str(
                    doc.title
                        .as_deref()
                        .or(doc.url.as_deref())
                        .unwrap_or_default(),
                );
            } else if let Some(eq) = &e.equation {
                out.push_str(eq.content.as_deref().unwrap_or_default());
            }
        }
        out
    }
}

impl TextElement {
    /// A text run with the given content and no style.
    pub fn run(content: impl Into<String>) -> Self {
        TextElement {
            text_run: Some(TextRun {
                content: Some(content.into()),
                ..TextRun::default()
            }),
            ..TextElement::default()
        }
    }

    /// A text run with the given content and style.
    pub fn styled(content: impl Into<String>, style: TextElementStyle) -> Self {
        TextElement {
            text_run: Some(TextRun {
                content: Some(content.into()),
                text_element_style: Some(style),
                ..TextRun::default()
            }),
            ..TextElement::default()
        }
    }

    /// A mention of the user with this id (of the request's `user_id_type`).
    pub fn mention(user_id: impl Into<String>) -> Self {
        TextElement {
            mention_user: Some(MentionUser {
                user_id: Some(user_id.into()),
                ..MentionUser::default()
            }),
            ..TextElement::default()
        }
    }
}

impl From<&str> for TextElement {
    fn from(content: &str) -> Self {
        TextElement::run(content)
    }
}

impl From<String> for TextElement {
    fn from(content: String) -> Self {
        TextElement::run(content)
    }
}

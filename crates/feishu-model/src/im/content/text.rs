//! `text` content: plain text with `<at>` mentions, built so that the
//! caller's own text can never turn into markup.

use serde::Serialize;

use crate::Extra;

/// Zero-width space: placed after a `<` or a `]` of the caller's text so the
/// server cannot read it as the start of a tag or of a link, while the
/// message still looks the same.
const BREAK: char = '\u{200B}';

/// The content of a `msg_type: text` message: `{"text": "..."}`.
///
/// Build it with [`Text::new`] and the chained methods: [`push`](Text::push)
/// adds the caller's text with markup neutralized, [`mention`](Text::mention)
/// and [`mention_all`](Text::mention_all) add the `<at>` tags the server
/// turns into mentions.
///
/// ```
/// use feishu_model::im::content::Text;
///
/// let text = Text::new()
///     .mention("ou_7d8a6e6df7621556ce0d21922b676706ccs")
///     .push(" deploy finished")
///     .mention_all();
/// assert_eq!(
///     text.text,
///     "<at user_id=\"ou_7d8a6e6df7621556ce0d21922b676706ccs\"></at> deploy finished<at user_id=\"all\"></at>"
/// );
/// // Text a user typed cannot mention anyone.
/// let typed = Text::new().push("<at user_id=\"all\"></at>");
/// assert!(!typed.text.contains("<at"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Text {
    /// The text as sent, markup included (`<at>`, `<b>`, `[text](url)`, `\n`).
    pub text: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Text {
    /// An empty text.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the caller's text, neutralizing anything the server would read
    /// as markup: a `<` that opens a tag (`<at`, `<b>`, `</i>`...) and a `](`
    /// that would make a `[text](url)` link get a zero-width space after the
    /// `<` or the `]`. Line breaks (`\n`) are kept.
    pub fn push(mut self, text: &str) -> Self {
        push_escaped(&mut self.text, text);
        self
    }

    /// Appends text verbatim: style tags (`<b>`, `<i>`, `<u>`, `<s>`) and
    /// `[text](url)` links are interpreted by the server. Never pass text
    /// that came from a user here; use [`push`](Text::push).
    pub fn push_markup(mut self, markup: &str) -> Self {
        self.text.push_str(markup);
        self
    }

    /// Appends a mention of one user by `open_id`, `union_id` or `user_id`.
    pub fn mention(self, user_id: &str) -> Self {
        self.mention_named(user_id, "")
    }

    /// Appends a mention of one user with the name shown if the id cannot be
    /// resolved; both are escaped.
    pub fn mention_named(mut self, user_id: &str, name: &str) -> Self {
        self.text.push_str("<at user_id=\"");
        push_attribute(&mut self.text, user_id);
        self.text.push_str("\">");
        push_escaped(&mut self.text, name);
        self.text.push_str("</at>");
        self
    }

    /// Appends a mention of everyone in the chat (the chat must allow it).
    pub fn mention_all(mut self) -> Self {
        self.text.push_str("<at user_id=\"all\"></at>");
        self
    }
}

impl From<&str> for Text {
    /// A text of exactly `text`, escaped as by [`Text::push`].
    fn from(text: &str) -> Self {
        Text::new().push(text)
    }
}

/// Appends `text` with every `<` that could open or close a tag and every
/// `](` that could form a link broken by a zero-width space.
fn push_escaped(out: &mut String, text: &str) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        match (c, chars.peek()) {
            ('<', Some(next)) if next.is_ascii_alphabetic() || *next == '/' => out.push(BREAK),
            (']', Some('(')) => out.push(BREAK),
            _ => {}
        }
    }
}

/// Appends an attribute value: quotes and angle brackets cannot end the
/// attribute or the tag, so they are dropped.
fn push_attribute(out: &mut String, value: &str) {
    out.extend(value.chars().filter(|c| !matches!(c, '"' | '<' | '>')));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_tags_and_links_but_not_plain_brackets() {
        let t = Text::new().push("a < b, <b>x</b> [doc](http://e.x) [1]");
        assert_eq!(
            t.text,
            "a < b, <\u{200B}b>x<\u{200B}/b> [doc]\u{200B}(http://e.x) [1]"
        );
        let named = Text::new().mention_named("ou_1\"><at user_id=\"all", "<b>Tom</b>");
        assert_eq!(
            named.text,
            "<at user_id=\"ou_1at user_id=all\"><\u{200B}b>Tom<\u{200B}/b></at>"
        );
    }
}

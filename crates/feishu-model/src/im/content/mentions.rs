//! The plain text of received text and post messages, with mention keys
//! (`@_user_1`, `@_all`) resolved to names or stripped.

use super::post::{PostBody, PostElement};
use super::received::ReceivedText;

/// What to do with the mention keys of a received message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mentions<'a> {
    /// Replace each key with `@` and the name paired with it: the
    /// `(key, name)` pairs come from the message's `mentions`. A key not in
    /// the list stays as it is.
    Resolve(&'a [(&'a str, &'a str)]),
    /// Remove every key (and one space after it), then trim the ends: what a
    /// bot reads as the command addressed to it.
    Strip,
}

/// Length in bytes of the mention key at the start of `s`, if one is there:
/// `@_user_` and digits, or `@_all`.
fn key_len(s: &str) -> Option<usize> {
    let word_end = |from: usize| {
        from + s[from..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count()
    };
    if let Some(rest) = s.strip_prefix("@_user_") {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let len = "@_user_".len() + digits;
        (digits > 0 && word_end(len) == len).then_some(len)
    } else if s.starts_with("@_all") {
        (word_end(5) == 5).then_some(5)
    } else {
        None
    }
}

fn name_of<'a>(names: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    names.iter().find(|(k, _)| *k == key).map(|(_, name)| *name)
}

/// `text` with its mention keys handled as `mentions` says.
pub fn resolve_keys(text: &str, mentions: Mentions<'_>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match key_len(rest) {
            Some(len) => {
                let key = &rest[..len];
                rest = &rest[len..];
                match mentions {
                    Mentions::Resolve(names) => match name_of(names, key) {
                        Some(name) => {
                            out.push('@');
                            out.push_str(name);
                        }
                        None => out.push_str(key),
                    },
                    Mentions::Strip => rest = rest.strip_prefix(' ').unwrap_or(rest),
                }
            }
            None => {
                out.push('@');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    match mentions {
        Mentions::Strip => out.trim().to_owned(),
        Mentions::Resolve(_) => out,
    }
}

impl ReceivedText {
    /// The text with mention keys resolved or stripped.
    ///
    /// ```
    /// use feishu_model::im::content::{Mentions, ReceivedText};
    ///
    /// let text = ReceivedText { text: "@_user_1 deploy @_user_12".into(), ..Default::default() };
    /// let names = [("@_user_1", "Bot"), ("@_user_12", "Tom")];
    /// assert_eq!(text.plain_text(Mentions::Resolve(&names)), "@Bot deploy @Tom");
    /// assert_eq!(text.plain_text(Mentions::Strip), "deploy");
    /// ```
    pub fn plain_text(&self, mentions: Mentions<'_>) -> String {
        resolve_keys(&self.text, mentions)
    }
}

impl PostBody {
    /// The text of the post: the title (if any) on the first line, then one
    /// line per paragraph made of the text of its `text`, `a`, `at`,
    /// `code_block` and `md` elements; images, videos, emoji and rules add
    /// nothing. Mentions are handled as `mentions` says; with
    /// [`Mentions::Resolve`] an `at` whose key is not listed shows its
    /// `user_name` when it has one.
    ///
    /// ```
    /// use feishu_model::im::content::{Mentions, PostBody, PostElement};
    ///
    /// let post = PostBody::new("Hi")
    ///     .paragraph(vec![PostElement::at("@_user_1"), PostElement::text(" ship it")]);
    /// assert_eq!(post.plain_text(Mentions::Resolve(&[("@_user_1", "Bot")])), "Hi\n@Bot ship it");
    /// assert_eq!(post.plain_text(Mentions::Strip), "Hi\nship it");
    /// ```
    pub fn plain_text(&self, mentions: Mentions<'_>) -> String {
        let mut lines = Vec::with_capacity(self.content.len() + 1);
        if let Some(title) = self.title.as_deref().filter(|t| !t.is_empty()) {
            lines.push(title.to_owned());
        }
        for paragraph in &self.content {
            let mut line = String::new();
            for element in paragraph {
                match element {
                    PostElement::Text(t) => line.push_str(&resolve_keys(&t.text, mentions)),
                    PostElement::A(a) => line.push_str(&a.text),
                    PostElement::CodeBlock(c) => line.push_str(&c.text),
                    PostElement::Md(m) => line.push_str(&m.text),
                    PostElement::At(at) => match mentions {
                        Mentions::Resolve(names) => {
                            let name = name_of(names, &at.user_id)
                                .or(at.user_name.as_deref().filter(|n| !n.is_empty()));
                            line.push('@');
                            match name {
                                Some(name) => line.push_str(name),
                                None => line.push_str(at.user_id.trim_start_matches('@')),
                            }
                        }
                        Mentions::Strip => {}
                    },
                    _ => {}
                }
            }
            lines.push(match mentions {
                Mentions::Strip => line.trim().to_owned(),
                Mentions::Resolve(_) => line,
            });
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_whole_words_only() {
        let names = [("@_user_1", "A")];
        assert_eq!(
            resolve_keys(
                "@_user_1x @_user_ @_all @_allx a@b",
                Mentions::Resolve(&names)
            ),
            "@_user_1x @_user_ @_all @_allx a@b"
        );
        assert_eq!(
            resolve_keys("x @_user_1, @_all y", Mentions::Strip),
            "x , y"
        );
        assert_eq!(resolve_keys("@_user_1", Mentions::Resolve(&names)), "@A");
        assert_eq!(resolve_keys("héllo @", Mentions::Strip), "héllo @");
    }
}

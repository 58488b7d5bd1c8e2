//! The documented size limits of a message's content, checked before
//! sending.
//!
//! The send-message page says: a text message's request body may be at most
//! 150 KB, a card's or a post's at most 30 KB (error 230025 otherwise). It
//! does not say whether a KB is 1000 or 1024 bytes, and it measures the
//! whole request body, of which the content (as an escaped JSON string) is
//! the part that can grow. These checks take the larger reading (1 KB =
//! 1024 bytes) and measure only the content as it appears in the body, so
//! they never reject a message the server would accept; a message they let
//! through can still be refused when the rest of the body, a template's
//! card data or style tags take it over the limit.

use crate::im::msg_type::MsgType;
use crate::Invalid;

/// Bytes in a KB, as these checks count.
pub const KB: usize = 1024;

/// The most a `text` message's content may take: 150 KB.
pub const TEXT_LIMIT: usize = 150 * KB;

/// The most a `post` or `interactive` message's content may take: 30 KB.
pub const CARD_AND_POST_LIMIT: usize = 30 * KB;

/// The documented limit for a kind of message, if it has one.
pub fn limit_for(msg_type: &MsgType) -> Option<usize> {
    match msg_type {
        MsgType::Text => Some(TEXT_LIMIT),
        MsgType::Post | MsgType::Interactive => Some(CARD_AND_POST_LIMIT),
        _ => None,
    }
}

/// The bytes `content` takes in a request body: its UTF-8 length once
/// escaped as a JSON string, quotes included.
pub fn encoded_len(content: &str) -> usize {
    let escapes: usize = content
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\n' | '\r' | '\t' | '\u{08}' | '\u{0C}' => 1,
            c if (c as u32) < 0x20 => 5,
            _ => 0,
        })
        .sum();
    content.len() + escapes + 2
}

/// Checks a `content` string against the limit of its `msg_type`; kinds
/// without a documented limit always pass.
///
/// ```
/// use feishu_model::im::content::limit::{check_content_size, CARD_AND_POST_LIMIT};
/// use feishu_model::im::msg_type::MsgType;
///
/// assert!(check_content_size(&MsgType::Text, r#"{"text":"hi"}"#).is_ok());
/// let big = format!(r#"{{"zh_cn":{{"title":"{}"}}}}"#, "x".repeat(CARD_AND_POST_LIMIT));
/// let err = check_content_size(&MsgType::Post, &big).unwrap_err();
/// assert_eq!(err.field, "content");
/// assert!(err.rule.contains("30 KB"));
/// ```
pub fn check_content_size(msg_type: &MsgType, content: &str) -> Result<(), Invalid> {
    let Some(limit) = limit_for(msg_type) else {
        return Ok(());
    };
    let size = encoded_len(content);
    if size > limit {
        return Err(Invalid::new(
            "content",
            format!(
                "a {msg_type} message may take at most {} KB ({limit} bytes) in the request body; \
                 this content takes {size} bytes",
                limit / KB
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_len_matches_serde_json() {
        for s in ["", "a\"b\\c\n\u{1}\u{7f}é", "\t\r\u{8}\u{c}\u{1f}"] {
            assert_eq!(
                encoded_len(s),
                serde_json::to_string(s).unwrap().len(),
                "{s:?}"
            );
        }
    }
}

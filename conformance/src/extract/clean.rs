//! The explicit cleaning step for examples that are not strict JSON.
//!
//! Two v1 event pages, the card callback page and three message-card pages
//! annotate their examples with `//` comments. Only the
//! pages listed in [`COMMENTED_EXAMPLES`] are cleaned; an invalid block on
//! any other page stops the extraction, and a listed page whose blocks are
//! all strict JSON does too (the list is stale).

/// Pages whose JSON examples carry `//` line comments.
pub const COMMENTED_EXAMPLES: &[&str] = &[
    "group/chat-member/event/bot-events.md",
    "application-v6/event/app_ticket-events.md",
    "cardkit-v1/card-callback-communication.md",
    "im-v1/message-card/patch.md",
    "im-v1/message-card/uETOyYjLxkjM24SM5IjN.md",
    "im-v1/message-card/uMDO1YjLzgTN24yM4UjN.md",
];

/// Removes `//` line comments outside JSON strings (`"https://..."` stays).
pub fn strip_line_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut in_string = false;
        let mut escaped = false;
        let mut cut = line.len();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if in_string {
                match b {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => in_string = false,
                    _ => {}
                }
            } else if b == b'"' {
                in_string = true;
            } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
                cut = i;
                break;
            }
        }
        out.push_str(line[..cut].trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_go_strings_stay() {
        let text = "{\n  \"url\": \"https://x//y\", // a link\n  \"q\": \"say \\\"//\\\"\" //c\n}";
        assert_eq!(
            strip_line_comments(text),
            "{\n  \"url\": \"https://x//y\",\n  \"q\": \"say \\\"//\\\"\"\n}\n"
        );
    }
}

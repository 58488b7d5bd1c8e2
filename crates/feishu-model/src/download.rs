//! Downloads: endpoints whose success answer is the raw bytes of a file
//! ([`ResponseShape::Binary`](crate::ResponseShape::Binary)), while an error
//! answer is still the JSON envelope.
//!
//! A transport reads the answer's status, headers and body and calls
//! [`read_binary`]; the file's name comes from `Content-Disposition`,
//! including the RFC 5987 `filename*=` form.
//!
//! ```
//! use feishu_model::download::{read_binary, BinaryAnswer};
//!
//! let headers = [
//!     ("Content-Type", "image/png"),
//!     ("Content-Disposition", "attachment; filename*=UTF-8''%E5%9B%BE.png"),
//! ];
//! let BinaryAnswer::File(file) = read_binary(200, headers, b"\x89PNG".to_vec()) else {
//!     panic!("a file was expected");
//! };
//! assert_eq!(file.file_name.as_deref(), Some("图.png"));
//! assert_eq!(file.content_type.as_deref(), Some("image/png"));
//! assert_eq!(file.bytes, b"\x89PNG");
//! ```

use serde::{Deserialize, Serialize};

/// Documented largest file the file download answers: 100 MB (taken as
/// MiB, 104,857,600 bytes). A larger one is refused with code 234037.
pub const MAX_DOWNLOAD_BYTES: usize = 100 * 1024 * 1024;

/// A downloaded file: its bytes, content type and name.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Download {
    /// The file's bytes.
    #[serde(default)]
    pub bytes: Vec<u8>,
    /// The answer's `Content-Type`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file name from `Content-Disposition`, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name: Option<String>,
}

/// Bytes are summarized: a file's content never fills a log line.
impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .field("content_type", &self.content_type)
            .field("file_name", &self.file_name)
            .finish()
    }
}

impl Download {
    /// A download of the given bytes, without type or name.
    pub fn new(bytes: Vec<u8>) -> Self {
        Download {
            bytes,
            content_type: None,
            file_name: None,
        }
    }
}

/// What a download endpoint answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BinaryAnswer {
    /// The file.
    File(Download),
    /// An error: the body is the JSON error envelope (or whatever a failing
    /// server sent), to be decoded as any error answer.
    Error {
        /// The HTTP status.
        status: u16,
        /// The body as received.
        body: Vec<u8>,
    },
}

/// Sorts a download answer into the file or the error it carries.
///
/// A status outside 2xx is an error. A 2xx answer is the file, unless it is
/// JSON (`Content-Type: application/json`) holding an envelope with a
/// non-zero `code`: a JSON file the caller uploaded is still a file.
/// Header names are matched without regard to case; values are bytes, as on
/// the wire (a `filename` in raw UTF-8 is read as UTF-8, else as Latin-1).
pub fn read_binary<I, K, V>(status: u16, headers: I, body: Vec<u8>) -> BinaryAnswer
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<[u8]>,
{
    let mut content_type = None;
    let mut file_name = None;
    for (name, value) in headers {
        let name = name.as_ref();
        if name.eq_ignore_ascii_case("content-type") {
            content_type = Some(text(value.as_ref()).trim().to_owned());
        } else if name.eq_ignore_ascii_case("content-disposition") {
            file_name = disposition_file_name(value.as_ref());
        }
    }
    if !(200..300).contains(&status) || is_error_envelope(content_type.as_deref(), &body) {
        return BinaryAnswer::Error { status, body };
    }
    BinaryAnswer::File(Download {
        bytes: body,
        content_type,
        file_name,
    })
}

/// Whether a 2xx body is a JSON envelope with a non-zero `code`.
fn is_error_envelope(content_type: Option<&str>, body: &[u8]) -> bool {
    let json = content_type.is_some_and(|t| {
        let essence = t.split(';').next().unwrap_or("").trim();
        essence.eq_ignore_ascii_case("application/json")
    });
    if !json {
        return false;
    }
    #[derive(Deserialize)]
    struct Code {
        code: Option<i64>,
    }
    matches!(
        serde_json::from_slice::<Code>(body),
        Ok(Code { code: Some(code) }) if code != crate::codes::OK
    )
}

/// Header bytes as text: UTF-8 when valid, else Latin-1.
fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The file name a `Content-Disposition` value gives: `filename*=` (RFC
/// 5987: `charset'language'percent-encoded`, UTF-8 or ISO-8859-1) when it
/// is present and readable, else `filename=` (quoted or a token).
///
/// ```
/// use feishu_model::download::disposition_file_name;
///
/// assert_eq!(disposition_file_name(b"attachment; filename=\"a b.pdf\"").as_deref(), Some("a b.pdf"));
/// assert_eq!(
///     disposition_file_name(b"attachment; filename=\"x.pdf\"; filename*=utf-8''%E6%B5%8B.pdf").as_deref(),
///     Some("测.pdf"),
/// );
/// assert_eq!(disposition_file_name(b"inline"), None);
/// ```
pub fn disposition_file_name(value: &[u8]) -> Option<String> {
    let value = text(value);
    let mut plain = None;
    let mut extended = None;
    for (key, raw) in params(&value) {
        if key.eq_ignore_ascii_case("filename*") {
            extended = extended.or_else(|| ext_value(&raw));
        } else if key.eq_ignore_ascii_case("filename") {
            plain = plain.or(Some(raw));
        }
    }
    extended.or(plain).filter(|name| !name.is_empty())
}

/// The `key=value` parameters after the disposition type, with quoted
/// values unquoted (`\x` gives `x`).
fn params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = value.chars().peekable();
    // Skip the disposition type.
    for c in chars.by_ref() {
        if c == ';' {
            break;
        }
    }
    loop {
        let mut key = String::new();
        let mut has_value = false;
        for c in chars.by_ref() {
            if c == '=' || c == ';' {
                has_value = c == '=';
                break;
            }
            key.push(c);
        }
        let key = key.trim().to_owned();
        if !has_value {
            // A parameter without `=`: nothing to read.
            if chars.peek().is_none() {
                return out;
            }
            continue;
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut raw = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => raw.extend(chars.next()),
                    '"' => break,
                    c => raw.push(c),
                }
            }
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
            }
        } else {
            for c in chars.by_ref() {
                if c == ';' {
                    break;
                }
                raw.push(c);
            }
            raw = raw.trim().to_owned();
        }
        if !key.is_empty() {
            out.push((key, raw));
        }
        if chars.peek().is_none() {
            return out;
        }
    }
}

/// Decodes an RFC 5987 `ext-value`: `charset'language'pct-encoded`.
fn ext_value(raw: &str) -> Option<String> {
    let mut pieces = raw.splitn(3, '\'');
    let charset = pieces.next()?;
    let _language = pieces.next()?;
    let encoded = pieces.next()?;
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(encoded).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") {
        Some(bytes.iter().map(|&b| char::from(b)).collect())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_file_answer_keeps_bytes_type_and_name() {
        let headers = [
            ("content-type", "application/pdf"),
            ("content-disposition", "attachment; filename=\"report.pdf\""),
        ];
        let BinaryAnswer::File(file) = read_binary(200, headers, b"%PDF".to_vec()) else {
            panic!("a file was expected");
        };
        assert_eq!(file.bytes, b"%PDF");
        assert_eq!(file.content_type.as_deref(), Some("application/pdf"));
        assert_eq!(file.file_name.as_deref(), Some("report.pdf"));
    }

    #[test]
    fn an_error_status_or_error_envelope_is_an_error() {
        let body = br#"{"code":234005,"msg":"Image has been deleted"}"#.to_vec();
        let json = [("Content-Type", "application/json; charset=utf-8")];
        assert_eq!(
            read_binary(400, json, body.clone()),
            BinaryAnswer::Error {
                status: 400,
                body: body.clone()
            }
        );
        assert_eq!(
            read_binary(200, json, body.clone()),
            BinaryAnswer::Error { status: 200, body }
        );
    }

    #[test]
    fn a_downloaded_json_file_is_a_file() {
        let json = [("Content-Type", "application/json")];
        let body = br#"{"code":0,"items":[1]}"#.to_vec();
        assert!(matches!(
            read_binary(200, json, body),
            BinaryAnswer::File(_)
        ));
        let other = br#"{"name":"settings"}"#.to_vec();
        assert!(matches!(
            read_binary(200, json, other),
            BinaryAnswer::File(_)
        ));
    }

    #[test]
    fn file_names_in_every_form() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"attachment; filename=plain.txt", Some("plain.txt")),
            (
                b"attachment; filename=\"q\\\"uote;d.txt\"",
                Some("q\"uote;d.txt"),
            ),
            (
                b"attachment;filename*=UTF-8''%E6%B5%8B%E8%AF%95.mp4",
                Some("测试.mp4"),
            ),
            (
                b"attachment; filename*=iso-8859-1'en'%A3%20rates.txt",
                Some("£ rates.txt"),
            ),
            (
                b"attachment; filename*=koi8-r''%C1; filename=\"fallback.bin\"",
                Some("fallback.bin"),
            ),
            (b"attachment; filename*=UTF-8''%FF; filename=x", Some("x")),
            (
                "attachment; filename=\"测试视频.mp4\"".as_bytes(),
                Some("测试视频.mp4"),
            ),
            (b"attachment; filename=\"\"", None),
            (b"inline", None),
            (b"", None),
        ];
        for (value, expected) in cases {
            assert_eq!(
                disposition_file_name(value).as_deref(),
                *expected,
                "{}",
                String::from_utf8_lossy(value)
            );
        }
    }

    #[test]
    fn debug_summarizes_the_bytes() {
        let text = format!("{:?}", Download::new(vec![9; 512]));
        assert!(text.contains("512 bytes"), "{text}");
    }

    proptest! {
        #[test]
        fn any_header_value_is_read_without_panic(value in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = disposition_file_name(&value);
        }

        #[test]
        fn an_encoded_name_reads_back(name in "[^\u{0}]{1,24}") {
            let encoded: String = percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC).collect();
            let value = format!("attachment; filename=\"fallback\"; filename*=UTF-8''{encoded}");
            prop_assert_eq!(disposition_file_name(value.as_bytes()), Some(name));
        }
    }
}

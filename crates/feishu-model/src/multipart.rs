//! `multipart/form-data` bodies, built without IO: the uploads (image and
//! file create) send their fields and file bytes this way.
//!
//! The boundary comes from the content itself (or from a seed the caller
//! gives), and is checked never to occur in any part, so no random numbers
//! are needed and the same form always encodes to the same bytes.
//!
//! ```
//! use feishu_model::multipart::{FilePart, Form};
//!
//! let image = FilePart::new("a.png", b"\x89PNG...".to_vec()).with_content_type("image/png");
//! let form = Form::new().text("image_type", "message").file("image", &image);
//! let body = form.encode().unwrap();
//! assert!(body.content_type.starts_with("multipart/form-data; boundary="));
//! let parts = feishu_model::multipart::parse(&body.content_type, &body.bytes).unwrap();
//! assert_eq!(parts[0].name, "image_type");
//! assert_eq!(parts[0].body, b"message");
//! assert_eq!(parts[1].file_name.as_deref(), Some("a.png"));
//! ```

use serde::{Deserialize, Serialize};

use crate::endpoint::EncodedBody;
use crate::validate::Invalid;

/// The content type of a file part whose type is not given.
pub const OCTET_STREAM: &str = "application/octet-stream";

/// A file to upload: its name, its content type and its bytes.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilePart {
    /// The file name sent in the part's `Content-Disposition` (`filename`).
    pub file_name: String,
    /// The part's `Content-Type`; [`OCTET_STREAM`] when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file's bytes.
    #[serde(default)]
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file with the given name and bytes, of content type [`OCTET_STREAM`].
    pub fn new(file_name: impl Into<String>, bytes: Vec<u8>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes,
        }
    }

    /// The same file, sent with the given content type (`image/png`, ...).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// Checks the size rules of an upload field: not empty, at most `max`
    /// bytes (`max_text` names the limit as documented, e.g. `10 MB`).
    pub fn check_size(&self, field: &str, max: usize, max_text: &str) -> Result<(), Invalid> {
        let n = self.bytes.len();
        if n == 0 {
            return Err(Invalid::new(field, "must not be empty (0 bytes)"));
        }
        if n > max {
            return Err(Invalid::new(
                field,
                format!("must be at most {max_text} ({max} bytes), got {n} bytes"),
            ));
        }
        Ok(())
    }
}

/// Bytes are summarized: a file's content never fills a log line.
impl std::fmt::Debug for FilePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FilePart")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// One field of a [`Form`].
#[derive(Debug, Clone, PartialEq, Eq)]
enum Field<'a> {
    Text(&'a str, String),
    File(&'a str, FileRef<'a>),
}

/// A file field: the file's name, type and bytes, borrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileRef<'a> {
    file_name: &'a str,
    content_type: Option<&'a str>,
    bytes: &'a [u8],
}

/// A `multipart/form-data` form being built: text fields and files, in
/// the order they are added. Borrows the files, so encoding copies each
/// file once, into the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form<'a> {
    fields: Vec<Field<'a>>,
    seed: Option<u64>,
}

impl<'a> Form<'a> {
    /// An empty form.
    pub fn new() -> Self {
        Form::default()
    }

    /// Adds a text field.
    pub fn text(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.fields.push(Field::Text(name, value.into()));
        self
    }

    /// Adds a file field.
    pub fn file(self, name: &'a str, file: &'a FilePart) -> Self {
        self.file_named(name, &file.file_name, file)
    }

    /// Adds a file field sent under another file name.
    pub fn file_named(mut self, name: &'a str, file_name: &'a str, file: &'a FilePart) -> Self {
        self.fields.push(Field::File(
            name,
            FileRef {
                file_name,
                content_type: file.content_type.as_deref(),
                bytes: &file.bytes,
            },
        ));
        self
    }

    /// Starts the boundary search from `seed` instead of from the content.
    /// The boundary is still checked against the content.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The boundary: `feishu-rs-` and 16 hex digits taken from a hash of the
    /// content (or the seed), changed until `--boundary` occurs in no name,
    /// value, file name, content type or file.
    pub fn boundary(&self) -> String {
        let mut state = match self.seed {
            Some(seed) => seed,
            None => {
                let mut hash = Fnv::new();
                for field in &self.fields {
                    match field {
                        Field::Text(name, value) => {
                            hash.write(name.as_bytes());
                            hash.write(value.as_bytes());
                        }
                        Field::File(name, file) => {
                            hash.write(name.as_bytes());
                            hash.write(file.file_name.as_bytes());
                            hash.write(file.bytes);
                        }
                    }
                }
                hash.finish()
            }
        };
        // A body of n bytes holds fewer than n distinct candidates, so the
        // search ends; in practice the first candidate is free.
        loop {
            let boundary = format!("feishu-rs-{state:016x}");
            if !self.contains(format!("--{boundary}").as_bytes()) {
                return boundary;
            }
            let mut hash = Fnv::new();
            hash.write(&state.to_le_bytes());
            state = hash.finish();
        }
    }

    /// Whether `needle` occurs in any content the body carries.
    fn contains(&self, needle: &[u8]) -> bool {
        self.fields.iter().any(|field| match field {
            Field::Text(name, value) => {
                occurs(name.as_bytes(), needle) || occurs(value.as_bytes(), needle)
            }
            Field::File(name, file) => {
                occurs(name.as_bytes(), needle)
                    || occurs(file.file_name.as_bytes(), needle)
                    || occurs(file.content_type.unwrap_or("").as_bytes(), needle)
                    || occurs(file.bytes, needle)
            }
        })
    }

    /// Encodes the form: the body bytes and the
    /// `multipart/form-data; boundary=...` content type. Fails, naming the
    /// field, on a content type that holds a line break or a quote.
    pub fn encode(&self) -> Result<EncodedBody, Invalid> {
        let boundary = self.boundary();
        let size = self
            .fields
            .iter()
            .map(|f| match f {
                Field::Text(_, value) => value.len() + 128,
                Field::File(_, file) => file.bytes.len() + file.file_name.len() + 192,
            })
            .sum::<usize>()
            + boundary.len()
            + 8;
        let mut out = Vec::with_capacity(size);
        for field in &self.fields {
            out.extend_from_slice(b"--");
            out.extend_from_slice(boundary.as_bytes());
            out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
            match field {
                Field::Text(name, value) => {
                    push_escaped(&mut out, name);
                    out.extend_from_slice(b"\"\r\n\r\n");
                    out.extend_from_slice(value.as_bytes());
                }
                Field::File(name, file) => {
                    let content_type = file.content_type.unwrap_or(OCTET_STREAM);
                    if content_type.is_empty()
                        || content_type.chars().any(|c| c.is_control() || c == '"')
                    {
                        return Err(Invalid::new(
                            *name,
                            "the file's content type must be non-empty, on one line, without quotes",
                        ));
                    }
                    push_escaped(&mut out, name);
                    out.extend_from_slice(b"\"; filename=\"");
                    push_escaped(&mut out, file.file_name);
                    out.extend_from_slice(b"\"\r\nContent-Type: ");
                    out.extend_from_slice(content_type.as_bytes());
                    out.extend_from_slice(b"\r\n\r\n");
                    out.extend_from_slice(file.bytes);
                }
            }
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"--\r\n");
        Ok(EncodedBody {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            bytes: out,
        })
    }
}

/// Writes a field or file name as browsers do: `"`, CR and LF
/// percent-encoded, everything else (UTF-8 included) as it is.
fn push_escaped(out: &mut Vec<u8>, text: &str) {
    for &b in text.as_bytes() {
        match b {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            _ => out.push(b),
        }
    }
}

/// Undoes [`push_escaped`].
fn unescape(text: &str) -> String {
    text.replace("%22", "\"")
        .replace("%0D", "\r")
        .replace("%0A", "\n")
}

/// Whether `needle` occurs in `haystack`.
fn occurs(haystack: &[u8], needle: &[u8]) -> bool {
    if needle.is_empty() {
        return true;
    }
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let mut from = 0;
    while from + needle.len() <= haystack.len() {
        match haystack[from..=haystack.len() - needle.len()]
            .iter()
            .position(|&b| b == first)
        {
            None => return false,
            Some(at) => {
                let start = from + at;
                if haystack[start + 1..start + needle.len()] == *rest {
                    return true;
                }
                from = start + 1;
            }
        }
    }
    false
}

/// 64-bit FNV-1a: a small, fixed hash for deriving boundaries.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3) ^ 0xff;
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One part read back from a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The field name.
    pub name: String,
    /// The file name, for a file part.
    pub file_name: Option<String>,
    /// The part's `Content-Type`, if it has one.
    pub content_type: Option<String>,
    /// The part's bytes.
    pub body: Vec<u8>,
}

/// Why a `multipart/form-data` body could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "malformed multipart/form-data: {}", self.0)
    }
}

impl std::error::Error for ParseError {}

/// The boundary named by a `multipart/form-data; boundary=...` content type.
pub fn boundary_of(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

/// Reads a `multipart/form-data` body back into its parts (what a server
/// or an emulator does with an upload).
pub fn parse(content_type: &str, body: &[u8]) -> Result<Vec<Part>, ParseError> {
    let boundary = boundary_of(content_type)
        .ok_or_else(|| ParseError("the content type names no boundary".into()))?;
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let next_delimiter = format!("\r\n--{boundary}");
    let next_delimiter = next_delimiter.as_bytes();
    let mut rest = body
        .strip_prefix(delimiter)
        .ok_or_else(|| ParseError("the body does not start with the boundary".into()))?;
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or_else(|| ParseError("no line break after a boundary".into()))?;
        let head_end = find(rest, b"\r\n\r\n")
            .ok_or_else(|| ParseError("a part has no end of headers".into()))?;
        let head = std::str::from_utf8(&rest[..head_end])
            .map_err(|_| ParseError("a part's headers are not UTF-8".into()))?;
        let content = &rest[head_end + 4..];
        let end = find(content, next_delimiter)
            .ok_or_else(|| ParseError("a part is not closed by the boundary".into()))?;
        parts.push(read_part(head, content[..end].to_vec())?);
        rest = &content[end + next_delimiter.len()..];
    }
}

/// Builds a part from its headers and bytes.
fn read_part(head: &str, body: Vec<u8>) -> Result<Part, ParseError> {
    let mut part = Part {
        name: String::new(),
        file_name: None,
        content_type: None,
        body,
    };
    let mut named = false;
    for line in head.split("\r\n") {
        let Some((key, value)) = line.split_once(':') else {
            return Err(ParseError(format!("a header line has no colon: {line:?}")));
        };
        if key.trim().eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.trim().to_owned());
        } else if key.trim().eq_ignore_ascii_case("content-disposition") {
            for param in split_params(value).into_iter().skip(1) {
                let Some((k, v)) = param.split_once('=') else {
                    continue;
                };
                let v = v.trim();
                let v = v
                    .strip_prefix('"')
                    .and_then(|v| v.strip_suffix('"'))
                    .unwrap_or(v);
                match k.trim() {
                    "name" => {
                        part.name = unescape(v);
                        named = true;
                    }
                    "filename" => part.file_name = Some(unescape(v)),
                    _ => {}
                }
            }
        }
    }
    if !named {
        return Err(ParseError("a part has no name".into()));
    }
    Ok(part)
}

/// Splits a header value at the `;` outside double quotes.
fn split_params(value: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in value.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&value[start..]);
    out
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn encodes_fields_in_order_with_the_boundary() {
        let file = FilePart::new("a\"b.txt", b"hello".to_vec());
        let body = Form::new()
            .text("file_type", "stream")
            .file("file", &file)
            .seed(1)
            .encode()
            .unwrap();
        let boundary = boundary_of(&body.content_type).unwrap().to_owned();
        let expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\nstream\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.txt\"\r\n\
             Content-Type: application/octet-stream\r\n\r\nhello\r\n--{boundary}--\r\n"
        );
        assert_eq!(String::from_utf8(body.bytes).unwrap(), expected);
    }

    #[test]
    fn a_boundary_found_in_the_content_is_replaced() {
        let seeded = Form::new().seed(7).boundary();
        // A file that holds the seeded boundary forces another one.
        let file = FilePart::new("x", format!("..--{seeded}..").into_bytes());
        let form = Form::new().file("file", &file).seed(7);
        let chosen = form.boundary();
        assert_ne!(chosen, seeded);
        assert!(!occurs(&file.bytes, format!("--{chosen}").as_bytes()));
    }

    #[test]
    fn a_content_type_with_a_line_break_is_refused() {
        let file = FilePart::new("x", b"1".to_vec()).with_content_type("text/plain\r\nX: 1");
        let err = Form::new().file("file", &file).encode().unwrap_err();
        assert_eq!(err.field, "file");
    }

    #[test]
    fn size_rules_name_the_field() {
        let empty = FilePart::new("x", Vec::new());
        assert_eq!(
            empty.check_size("image", 4, "4 B").unwrap_err().field,
            "image"
        );
        let four = FilePart::new("x", vec![0; 4]);
        assert!(four.check_size("image", 4, "4 B").is_ok());
        let five = FilePart::new("x", vec![0; 5]);
        let err = five.check_size("image", 4, "4 B").unwrap_err();
        assert_eq!(err.field, "image");
        assert!(err.rule.contains("4 B"), "{}", err.rule);
    }

    #[test]
    fn occurs_finds_needles_anywhere() {
        assert!(occurs(b"abc", b"abc"));
        assert!(occurs(b"xxabc", b"abc"));
        assert!(occurs(b"aababc", b"abc"));
        assert!(!occurs(b"ab", b"abc"));
        assert!(!occurs(b"abdabd", b"abc"));
    }

    #[test]
    fn debug_summarizes_the_bytes() {
        let file = FilePart::new("x", vec![7; 1000]);
        let text = format!("{file:?}");
        assert!(text.contains("1000 bytes"), "{text}");
        assert!(!text.contains("7, 7"), "{text}");
    }

    proptest! {
        #[test]
        fn the_boundary_never_occurs_in_the_content_and_parsing_gives_the_fields(
            name in "[a-z_]{1,12}",
            value in ".{0,40}",
            file_name in "[^%]{1,20}",
            bytes in proptest::collection::vec(any::<u8>(), 0..400),
            planted in any::<bool>(),
            seed in any::<Option<u64>>(),
        ) {
            // Plant the boundary the seed would pick, to force the search.
            let mut bytes = bytes;
            if planted {
                let mut probe = Form::new();
                if let Some(seed) = seed {
                    probe = probe.seed(seed);
                }
                bytes.extend_from_slice(format!("--{}", probe.boundary()).as_bytes());
            }
            let file = FilePart::new(file_name.clone(), bytes.clone()).with_content_type("image/png");
            let mut form = Form::new().text(&name, value.clone()).file("file", &file);
            if let Some(seed) = seed {
                form = form.seed(seed);
            }
            let body = form.encode().unwrap();
            let boundary = boundary_of(&body.content_type).unwrap().to_owned();
            let delimiter = format!("--{boundary}");
            prop_assert!(!occurs(&bytes, delimiter.as_bytes()));
            prop_assert!(!occurs(value.as_bytes(), delimiter.as_bytes()));
            let parts = parse(&body.content_type, &body.bytes).unwrap();
            prop_assert_eq!(parts.len(), 2);
            prop_assert_eq!(&parts[0].name, &name);
            prop_assert_eq!(&parts[0].body, value.as_bytes());
            prop_assert_eq!(parts[0].file_name.as_deref(), None);
            prop_assert_eq!(&parts[1].name, "file");
            prop_assert_eq!(parts[1].file_name.as_deref(), Some(file_name.as_str()));
            prop_assert_eq!(parts[1].content_type.as_deref(), Some("image/png"));
            prop_assert_eq!(&parts[1].body, &bytes);
        }
    }
}

//! Pagination with `page_size`, `page_token` and `has_more`. Tokens are
//! opaque to callers and answered with 232001 when they were not issued here.

use feishu_model::{Family, Page};

use crate::error::Failure;

const PREFIX: &str = "emu-page:";

fn encode(offset: usize) -> String {
    format!("{PREFIX}{offset}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn decode(token: &str) -> Option<usize> {
    if token.len() % 2 != 0 || !token.is_ascii() {
        return None;
    }
    let bytes = (0..token.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix(PREFIX)?
        .parse()
        .ok()
}

/// One page of items.
#[derive(Debug)]
pub(crate) struct PageOf<T> {
    pub(crate) items: Vec<T>,
    pub(crate) has_more: bool,
    /// The next page's token; empty on the last page.
    pub(crate) page_token: String,
}

/// The page `page` asks for (`default_size` items when no size is given).
pub(crate) fn paginate<T>(
    family: Family,
    all: Vec<T>,
    page: &Page,
    default_size: u32,
) -> Result<PageOf<T>, Failure> {
    let offset = match page.page_token.as_deref() {
        None | Some("") => 0,
        Some(token) => decode(token)
            .ok_or_else(|| Failure::param(family, "page_token", "was not issued by this server"))?,
    };
    let size = page.page_size.unwrap_or(default_size).max(1) as usize;
    let total = all.len();
    let items: Vec<T> = all.into_iter().skip(offset).take(size).collect();
    let next = offset.saturating_add(size);
    let has_more = next < total;
    Ok(PageOf {
        items,
        has_more,
        page_token: if has_more {
            encode(next)
        } else {
            String::new()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_walk_the_list_and_stop() {
        let page = |token: Option<String>| Page {
            page_size: Some(2),
            page_token: token,
        };
        let first = paginate(Family::Im, vec![1, 2, 3], &page(None), 20).unwrap();
        assert_eq!(first.items, vec![1, 2]);
        assert!(first.has_more);
        let second =
            paginate(Family::Im, vec![1, 2, 3], &page(Some(first.page_token)), 20).unwrap();
        assert_eq!(second.items, vec![3]);
        assert!(!second.has_more);
        assert_eq!(second.page_token, "");
        let bad = paginate(Family::Im, vec![1], &page(Some("zz".into())), 20).unwrap_err();
        assert_eq!(bad.code, 232001);
    }
}

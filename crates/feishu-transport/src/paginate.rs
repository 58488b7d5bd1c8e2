//! Lazy pagination: a stream of pages, and a stream of items, driven by
//! `has_more` / `page_token`. Errors are yielded, never swallowed; a repeated
//! token or `has_more` without a token stops with an error; at most one page
//! is held in memory.

use std::collections::HashSet;

use feishu_model::{Endpoint, Paged, PagedQuery};
use futures::stream::{self, Stream, StreamExt};

use crate::call::Call;
use crate::error::Error;

enum Cursor {
    Next(Option<String>),
    Done,
}

struct PageState<'c, E> {
    call: Call<'c, E>,
    cursor: Cursor,
    seen: HashSet<String>,
}

impl<'c, E> Call<'c, E>
where
    E: Endpoint + Clone + Send + Sync + 'c,
    E::Query: PagedQuery + Clone,
    E::Output: Paged + Send,
{
    /// Sets `page_size` for every page.
    pub fn page_size(mut self, size: u32) -> Self {
        self.endpoint.query_params_mut().set_page_size(size);
        self
    }

    /// A lazy stream of whole pages, starting at the call's `page_token`.
    pub fn pages(self) -> impl Stream<Item = Result<E::Output, Error>> + Send + 'c {
        let first = self
            .endpoint
            .query_params()
            .clone()
            .page_mut()
            .page_token
            .take();
        let state = PageState {
            call: self,
            cursor: Cursor::Next(first),
            seen: HashSet::new(),
        };
        stream::unfold(state, |mut state| async move {
            let token = match std::mem::replace(&mut state.cursor, Cursor::Done) {
                Cursor::Done => return None,
                Cursor::Next(token) => token,
            };
            let mut endpoint = state.call.endpoint.clone();
            endpoint.query_params_mut().set_page_token(token);
            let result = state
                .call
                .client()
                .execute(&endpoint, &state.call.options)
                .await;
            let page = match result {
                Ok(page) => page,
                Err(e) => return Some((Err(e), state)),
            };
            if page.has_more() {
                match page.page_token().filter(|t| !t.is_empty()) {
                    None => {
                        return Some((
                            Err(Error::Pagination {
                                operation: E::OPERATION,
                                message: "has_more is true but no page_token was given".into(),
                            }),
                            state,
                        ))
                    }
                    Some(next) if !state.seen.insert(next.to_owned()) => {
                        return Some((
                            Err(Error::Pagination {
                                operation: E::OPERATION,
                                message: format!("page_token `{next}` was returned twice"),
                            }),
                            state,
                        ))
                    }
                    Some(next) => state.cursor = Cursor::Next(Some(next.to_owned())),
                }
            }
            Some((Ok(page), state))
        })
    }

    /// A lazy stream of the items of every page, in order. A failed page is
    /// yielded as an error and ends the stream.
    pub fn stream(self) -> impl Stream<Item = Result<<E::Output as Paged>::Item, Error>> + Send + 'c
    where
        <E::Output as Paged>::Item: Send,
    {
        self.pages().flat_map(|page| match page {
            Ok(page) => stream::iter(page.into_items().into_iter().map(Ok)).left_stream(),
            Err(e) => stream::iter(std::iter::once(Err(e))).right_stream(),
        })
    }

    /// Collects every item of every page (stops at the first error).
    pub async fn collect_all(self) -> Result<Vec<<E::Output as Paged>::Item>, Error>
    where
        <E::Output as Paged>::Item: Send,
    {
        let items = self.stream();
        futures::pin_mut!(items);
        let mut all = Vec::new();
        while let Some(item) = items.next().await {
            all.push(item?);
        }
        Ok(all)
    }
}

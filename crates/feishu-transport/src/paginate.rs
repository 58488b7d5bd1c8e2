//! Lazy pagination: a stream of pages, and a stream of items, driven by
//! `has_more` / `page_token`. Errors are yielded, never swallowed; a repeated
//! token or `has_more` without a token ends the stream with an error after
//! the page that carried it; at most one page is held in memory.

use std::collections::HashSet;

use feishu_model::{Endpoint, Paged, PagedQuery};
use futures::stream::{self, Stream, StreamExt};

use crate::call::Call;
use crate::client::{Client, Output};
use crate::error::Error;

enum Cursor {
    Next(Option<String>),
    Fail(Error),
    Done,
}

struct PageState<E> {
    call: Call<E>,
    cursor: Cursor,
    seen: HashSet<String>,
}

fn broken(operation: &'static str, message: String) -> Cursor {
    Cursor::Fail(Error::Pagination { operation, message })
}

impl<E> Call<E>
where
    E: Endpoint + Clone + Send + Sync + 'static,
    E::Query: PagedQuery + Clone,
    E::Output: Paged + Send,
{
    /// Sets `page_size` for every page.
    pub fn page_size(mut self, size: u32) -> Self {
        self.endpoint.query_params_mut().set_page_size(size);
        self
    }

    /// A lazy stream of whole pages, starting at the call's `page_token`.
    /// When the server breaks the contract (`has_more` without a token, or a
    /// token it gave before), the page is yielded and then the error.
    pub fn pages(self) -> impl Stream<Item = Result<E::Output, Error>> + Send + 'static {
        let first = self
            .endpoint
            .query_params()
            .clone()
            .page_mut()
            .page_token
            .take();
        let seen = first.iter().cloned().collect();
        let state = PageState {
            call: self,
            cursor: Cursor::Next(first),
            seen,
        };
        stream::unfold(state, |mut state| async move {
            let token = match std::mem::replace(&mut state.cursor, Cursor::Done) {
                Cursor::Done => return None,
                Cursor::Fail(e) => return Some((Err(e), state)),
                Cursor::Next(token) => token,
            };
            let mut endpoint = state.call.endpoint.clone();
            endpoint.query_params_mut().set_page_token(token);
            let result = Client::execute_as::<E, Output>(
                state.call.client(),
                &endpoint,
                &state.call.options,
            )
            .await;
            let page = match result {
                Ok(page) => page,
                Err(e) => return Some((Err(e), state)),
            };
            if page.has_more() {
                state.cursor = match page.page_token().filter(|t| !t.is_empty()) {
                    None => broken(
                        E::OPERATION,
                        "has_more is true but no page_token was given".into(),
                    ),
                    Some(next) if !state.seen.insert(next.to_owned()) => broken(
                        E::OPERATION,
                        format!("page_token `{next}` was returned twice"),
                    ),
                    Some(next) => Cursor::Next(Some(next.to_owned())),
                };
            }
            Some((Ok(page), state))
        })
    }

    /// A lazy stream of the items of every page, in order. A failed page is
    /// yielded as an error and ends the stream.
    pub fn stream(
        self,
    ) -> impl Stream<Item = Result<<E::Output as Paged>::Item, Error>> + Send + 'static
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

//! Turning a panic inside a future into a value the caller can report.

use std::any::Any;
use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures::FutureExt;

/// Runs `future`; a panic inside it comes back as its message.
pub(crate) async fn caught<T>(future: impl Future<Output = T>) -> Result<T, String> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|payload| message(payload.as_ref()))
}

/// The text of a panic payload (`panic!` with a literal or a format).
fn message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_its_message() {
        assert_eq!(caught(async { 7 }).await, Ok(7));
        let n = 3;
        let failed = caught(async move {
            if n == 3 {
                panic!("broke at {n}");
            }
        })
        .await;
        assert_eq!(failed, Err("broke at 3".to_owned()));
        let literal = caught(async { std::panic::panic_any(5_u8) }).await;
        assert_eq!(literal, Err("a panic without a message".to_owned()));
    }
}

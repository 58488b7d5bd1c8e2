//! aPaaS endpoints: the flow user-task APIs, one module per resource.
//!
//! Users are named by their aPaaS (kunlun) user id, found on the aPaaS user
//! management page. Every call takes a `tenant_access_token` and is limited to
//! 100 calls a minute. A bad parameter is answered with [`PARAM_INVALID`].

use crate::{validate, Invalid};

pub mod approval_instance;
pub mod approval_task;
pub mod user_task;

/// `param is invalid` (HTTP 400): the one error code these pages document.
pub use crate::codes::APAAS_PARAM_INVALID as PARAM_INVALID;

pub(crate) fn strings<I, S>(items: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    items.into_iter().map(Into::into).collect()
}

pub(crate) fn non_empty(items: Vec<String>) -> Option<Vec<String>> {
    if items.is_empty() {
        None
    } else {
        Some(items)
    }
}

pub(crate) fn required_str(field: &str, value: &str) -> Result<(), Invalid> {
    validate::required(field, Some(&value))
}

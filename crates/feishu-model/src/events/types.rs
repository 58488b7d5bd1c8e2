//! Types shared by several group events.

use serde::Serialize;

use crate::Extra;

/// A user's ids (`user_id` type in the event docs): `{union_id, user_id, open_id}`.
/// `user_id` is present only when the app holds the
/// `contact:user.employee_id:readonly` scope.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct UserIds {
    /// The user's union id (`on_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub union_id: Option<String>,
    /// The user's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    /// The user's open id (`ou_...`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

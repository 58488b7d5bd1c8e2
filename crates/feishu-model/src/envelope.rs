//! The response envelope `{code, msg, data}` and the error details a failed
//! call may carry.

use serde::{Deserialize, Serialize};

use crate::extra::Extra;

/// The envelope every API answers with. `data` is absent on failure and on
/// some operation-style APIs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// `0` on success; otherwise the error code.
    pub code: i64,
    /// Error description (do not branch on it: it may change).
    #[serde(default)]
    pub msg: String,
    /// The call's result.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<T>,
    /// Troubleshooting details of a failed call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
}

/// The `error` object of a failed call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ErrorDetail {
    /// More help on the error, such as the offending parameter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Fields that broke a rule.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_violations: Vec<FieldViolation>,
    /// Scopes the app lacks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub permission_violations: Vec<PermissionViolation>,
    /// Links to documentation.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub helps: Vec<Help>,
    /// The log id of the call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logid: Option<String>,
    /// A link to troubleshooting advice for this call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub troubleshooter: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A field that broke a rule.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldViolation {
    /// The field.
    #[serde(default)]
    pub field: String,
    /// The value sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A scope the app lacks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct PermissionViolation {
    /// The scope.
    #[serde(default)]
    pub scope: String,
    /// Where to request it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A documentation link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Help {
    /// The link.
    #[serde(default)]
    pub url: String,
    /// What it explains.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

//! Undocumented fields survive a decode: every output struct keeps them here.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Fields the server sent that the documentation does not list, kept verbatim
/// so that nothing is silently dropped and re-serializing gives them back.
///
/// This is the one place a free-form JSON value appears in an output type: by
/// definition these fields have no documented shape.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Extra(pub Map<String, Value>);

impl Extra {
    /// Whether no undocumented field was present.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An undocumented field by name.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Number of undocumented fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

/// The output of an endpoint whose documented `data` is empty or absent.
/// Any field the server does send is kept in `extra`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Empty {
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

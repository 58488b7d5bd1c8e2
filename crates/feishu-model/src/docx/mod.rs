//! The upgraded chat announcement (docx v1): a document made of blocks.
//!
//! Chats created in current Feishu clients carry this announcement; the
//! legacy [`crate::im::announcement`] endpoints only serve older chats.
//! [`Block`] is one node of the document tree; its `block_type` says which
//! payload it carries.
//!
//! ```
//! use feishu_model::docx::{Block, BlockType};
//!
//! let json = r#"{"block_id":"b1","block_type":2,"text":{"elements":[{"text_run":{"content":"hi"}}]}}"#;
//! let block: Block = serde_json::from_str(json).unwrap();
//! assert_eq!(block.block_type, BlockType::Text);
//! assert_eq!(block.text_payload().unwrap().plain(), "hi");
//! assert_eq!(serde_json::to_string(&block).unwrap(), json);
//! ```

/// Declares a docx wire struct: every field optional and omitted when
/// unset, undocumented fields kept in `extra`.
macro_rules! docx_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct $name {
            $(
                $(#[$fmeta])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<$ty>,
            )*
            /// Undocumented fields.
            #[serde(flatten)]
            pub extra: $crate::Extra,
        }
    };
}
pub(crate) use docx_struct;

pub mod announcement;
pub mod block;
pub mod enums;
pub mod text;
pub mod update;

pub use announcement::*;
pub use block::*;
pub use enums::*;
pub use text::*;
pub use update::*;

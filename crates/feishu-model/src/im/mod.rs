//! The im v1 group domain: chats, members, managers, moderation, top notice,
//! announcement, tabs and menus; and the messaging resources: reactions,
//! pins, buzz, images and files.

pub mod announcement;
pub mod chat;
pub mod content;
pub mod managers;
pub mod members;
pub mod menu;
pub mod moderation;
pub mod msg_type;
pub mod tab;
pub mod top_notice;
pub mod types;

// Messages and message cards.
pub mod card;
pub mod message;
// Messaging: reactions, pins, buzz, images and files.
pub mod buzz;
pub mod file;
pub mod image;
pub mod message_path;
pub mod pin;
pub mod reaction;
crate::id_type_params!(user: reaction::ListReactionsQuery, buzz::UrgentQuery);

crate::id_type_params!(
    user: types::UserIdTypeQuery,
    chat::CreateChatQuery,
    chat::ListChatsQuery,
    chat::SearchChatsQuery,
    moderation::GetChatModerationQuery,
);
// Messages.
crate::id_type_params!(
    user: message::read::GetMessageQuery,
    message::read::ReadUsersQuery,
);
crate::id_type_params!(
    member: types::MemberIdTypeQuery,
    members::AddMembersQuery,
    members::ListMembersQuery,
);

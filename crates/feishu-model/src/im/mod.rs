//! The im v1 group domain: chats, members, managers, moderation, top notice,
//! announcement, tabs and menus.

pub mod announcement;
pub mod chat;
pub mod managers;
pub mod members;
pub mod menu;
pub mod moderation;
pub mod tab;
pub mod top_notice;
pub mod types;

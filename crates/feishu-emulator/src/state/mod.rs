//! The in-memory world: directory, chats, tokens, rate-limit windows, ids.

pub(crate) mod chat;
pub(crate) mod directory;
pub(crate) mod docx;
pub(crate) mod message;
mod seed;
mod tokens;
pub(crate) mod uploads;
pub(crate) mod workflow;

use std::collections::{BTreeMap, HashMap};

use feishu_model::{AppId, ChatId};

pub(crate) use chat::Chat;
pub(crate) use directory::{App, Directory, Principal, UserKey};
pub(crate) use docx::DocxDoc;
pub(crate) use message::Messages;
pub(crate) use tokens::Tokens;
pub use tokens::{REISSUE_BELOW_SECS, TOKEN_LIFETIME_SECS};

use crate::ids::IdGen;
use crate::ratelimit::RateLimits;

/// Counters a test can read through [`crate::Emulator::stats`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Requests answered.
    pub requests: u64,
    /// Requests answered with the rate-limit response.
    pub rate_limited: u64,
    /// Events emitted.
    pub events: u64,
    /// Tenant and app tokens issued (token requests answered with a token).
    pub token_requests: u64,
}

/// Everything the emulator holds.
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) dir: Directory,
    pub(crate) chats: BTreeMap<ChatId, Chat>,
    pub(crate) tokens: Tokens,
    pub(crate) limits: RateLimits,
    pub(crate) ids: IdGen,
    pub(crate) stats: Stats,
    /// `uuid` de-duplication of chat create: (app, uuid, owner) → (chat, when).
    pub(crate) create_keys: HashMap<(AppId, String, String), (ChatId, i64)>,
    /// Invitations users made (chat, invited user) → inviting user, for withdrawal.
    pub(crate) invitations: BTreeMap<(ChatId, UserKey), UserKey>,
    /// The upgraded announcement of each chat, created on first use.
    pub(crate) docx: HashMap<ChatId, DocxDoc>,
    /// Messages, reactions, pins and buzz records.
    pub(crate) messages: Messages,
    /// Uploaded images and files.
    pub(crate) uploads: uploads::Uploads,
    /// aPaaS flow instances and tasks.
    pub(crate) flows: workflow::Flows,
    seq: u64,
}

impl World {
    /// An empty world whose generated ids follow `seed`.
    pub(crate) fn new(seed: u64, rate_limit_grace_micros: i64) -> Self {
        World {
            dir: Directory::default(),
            chats: BTreeMap::new(),
            tokens: Tokens::default(),
            limits: RateLimits::new(rate_limit_grace_micros),
            ids: IdGen::new(seed),
            stats: Stats::default(),
            create_keys: HashMap::new(),
            invitations: BTreeMap::new(),
            docx: HashMap::new(),
            messages: Messages::default(),
            uploads: uploads::Uploads::default(),
            flows: workflow::Flows::default(),
            seq: 0,
        }
    }

    /// The next value of the world's change counter.
    pub(crate) fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }

    /// Records activity in a chat (for `ByActiveTimeDesc`).
    pub(crate) fn touch(&mut self, chat_id: &ChatId) {
        let seq = self.next_seq();
        if let Some(chat) = self.chats.get_mut(chat_id) {
            chat.active = seq;
        }
    }

    /// Inserts a new chat with fresh creation and activity stamps.
    pub(crate) fn insert_chat(&mut self, mut chat: Chat) {
        let seq = self.next_seq();
        chat.seq = seq;
        chat.active = seq;
        self.chats.insert(chat.id.clone(), chat);
    }
}

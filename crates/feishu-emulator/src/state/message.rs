//! Messages, their reactions and pins, buzz records, and the bookkeeping
//! that send limits and `uuid` de-duplication need.

use std::collections::{BTreeMap, HashMap, VecDeque};

use feishu_model::im::msg_type::MsgType;
use feishu_model::im::reaction::EmojiType;
use feishu_model::ChatId;

use super::directory::{Principal, UserKey};

/// How long a `uuid` de-duplicates sends: one hour, in milliseconds.
pub const UUID_WINDOW_MS: i64 = 60 * 60 * 1000;
/// Documented per-chat send limit: 5 messages a second to one chat.
pub const SENDS_PER_CHAT_PER_SECOND: usize = 5;
/// Documented number of times a message can be edited.
pub const MAX_EDITS: u32 = 20;
/// The recall and edit window. The documentation leaves it to the tenant
/// administrator; the emulator uses 24 hours.
pub const EDIT_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
/// Documented window in which a chat owner or manager bot may recall
/// others' messages: one year.
pub const MANAGER_RECALL_WINDOW_MS: i64 = 365 * 24 * 60 * 60 * 1000;

/// One message as the emulator keeps it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StoredMessage {
    pub(crate) id: String,
    pub(crate) chat: ChatId,
    pub(crate) sender: Principal,
    pub(crate) msg_type: MsgType,
    /// The content as sent (or as last edited).
    pub(crate) content: String,
    pub(crate) create_ms: i64,
    pub(crate) update_ms: i64,
    pub(crate) root_id: Option<String>,
    pub(crate) parent_id: Option<String>,
    pub(crate) thread_id: Option<String>,
    /// Recalled or deleted.
    pub(crate) deleted: bool,
    pub(crate) edits: u32,
    /// The follow-up bubbles under the message (their texts).
    pub(crate) follow_ups: Vec<String>,
    /// Order of creation.
    pub(crate) seq: u64,
}

/// A reaction on a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reaction {
    pub(crate) id: String,
    pub(crate) message_id: String,
    pub(crate) operator: Principal,
    pub(crate) emoji: EmojiType,
    pub(crate) at_ms: i64,
}

/// A pinned message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PinRecord {
    pub(crate) message_id: String,
    pub(crate) chat: ChatId,
    pub(crate) operator: Principal,
    pub(crate) at_ms: i64,
}

/// A buzz (urgent) notification sent for a message.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BuzzRecord {
    pub(crate) message_id: String,
    pub(crate) chat: ChatId,
    /// `app`, `sms` or `phone`.
    pub(crate) kind: &'static str,
    pub(crate) users: Vec<UserKey>,
    pub(crate) at_ms: i64,
}

/// How long a card callback's update token lasts: 30 minutes.
pub const CARD_TOKEN_LIFETIME_MS: i64 = 30 * 60 * 1000;
/// How many delayed updates one card callback token allows.
pub const CARD_TOKEN_USES: u32 = 2;

/// The update token handed to an app with a card callback.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CardToken {
    /// The card message the user acted on.
    pub(crate) message_id: String,
    /// The app the callback went to (the card's sender).
    pub(crate) app: feishu_model::AppId,
    pub(crate) issued_ms: i64,
    /// Delayed updates made with it.
    pub(crate) uses: u32,
}

/// What the client showed after a card interaction: the app's toast, or
/// the documented error of a failed callback.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ToastRecord {
    pub(crate) message_id: String,
    pub(crate) user: UserKey,
    /// The toast object the app answered.
    pub(crate) toast: Option<serde_json::Value>,
    /// The documented code of a failed callback.
    pub(crate) error_code: Option<i64>,
    pub(crate) at_ms: i64,
}

/// Everything messaging keeps.
#[derive(Debug, Default)]
pub(crate) struct Messages {
    pub(crate) by_id: HashMap<String, StoredMessage>,
    /// Message ids of each chat in creation order.
    pub(crate) by_chat: BTreeMap<ChatId, Vec<String>>,
    /// Thread id → root message id.
    pub(crate) threads: HashMap<String, String>,
    /// (sender, uuid) → (message id, when sent).
    pub(crate) uuids: HashMap<(Principal, String), (String, i64)>,
    /// Send times of each chat within the last second.
    sends: HashMap<ChatId, VecDeque<i64>>,
    pub(crate) reactions: Vec<Reaction>,
    pub(crate) pins: Vec<PinRecord>,
    pub(crate) buzz: Vec<BuzzRecord>,
    /// (message id, user, when) for each user who read a message.
    pub(crate) reads: Vec<(String, UserKey, i64)>,
    /// Card callback tokens by token.
    pub(crate) card_tokens: HashMap<String, CardToken>,
    /// Toasts and callback errors of card interactions, in order.
    pub(crate) toasts: Vec<ToastRecord>,
    seq: u64,
}

impl Messages {
    /// Records a send to `chat` at `now_ms`; `false` when it would be the
    /// sixth within one second.
    pub(crate) fn admit_send(&mut self, chat: &ChatId, now_ms: i64) -> bool {
        let window = self.sends.entry(chat.clone()).or_default();
        while window.front().is_some_and(|t| now_ms - *t >= 1000) {
            window.pop_front();
        }
        if window.len() >= SENDS_PER_CHAT_PER_SECOND {
            return false;
        }
        window.push_back(now_ms);
        true
    }

    /// The message a live `uuid` of `sender` already sent.
    pub(crate) fn deduplicated(
        &self,
        sender: &Principal,
        uuid: Option<&str>,
        now_ms: i64,
    ) -> Option<&StoredMessage> {
        let (id, at) = self.uuids.get(&(sender.clone(), uuid?.to_owned()))?;
        if now_ms - at >= UUID_WINDOW_MS {
            return None;
        }
        self.by_id.get(id)
    }

    /// Stores a new message (and its `uuid`).
    pub(crate) fn insert(&mut self, mut message: StoredMessage, uuid: Option<&str>) {
        self.seq += 1;
        message.seq = self.seq;
        if let Some(uuid) = uuid {
            self.uuids.insert(
                (message.sender.clone(), uuid.to_owned()),
                (message.id.clone(), message.create_ms),
            );
        }
        self.by_chat
            .entry(message.chat.clone())
            .or_default()
            .push(message.id.clone());
        self.by_id.insert(message.id.clone(), message);
    }

    /// The messages of a chat in creation order.
    pub(crate) fn of_chat<'a>(&'a self, chat: &ChatId) -> impl Iterator<Item = &'a StoredMessage> {
        self.by_chat
            .get(chat)
            .into_iter()
            .flatten()
            .filter_map(|id| self.by_id.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_send_within_a_second_is_refused() {
        let mut m = Messages::default();
        let chat = ChatId::from("oc_x");
        for i in 0..5 {
            assert!(m.admit_send(&chat, 1000 + i));
        }
        assert!(!m.admit_send(&chat, 1500));
        assert!(m.admit_send(&ChatId::from("oc_y"), 1500));
        assert!(m.admit_send(&chat, 2000));
    }
}

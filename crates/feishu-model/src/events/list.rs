//! The one list of typed events. Everything that must know every event (the
//! [`GroupEvent`](super::GroupEvent) enum, decoding, `event_type`, `chat_id`,
//! the receiving side's typed handlers, the emulator's wrapping) is generated
//! from it, so adding an event is one line here plus its payload type.

/// Calls the macro `$callback` with every typed event, one per `;`-ended
/// entry: `Variant(Payload) in Envelope, chat: [path]`, where `Envelope` is
/// `EventV2` or `EventV1`, and `path` leads from the payload to its chat id
/// (empty when the event names no chat). Extra tokens before a `;` are passed
/// through first. The names are those of [`crate::events`].
///
/// ```
/// macro_rules! event_types {
///     ($($variant:ident($payload:ident) in $envelope:ident, chat: [$($chat:ident).*];)*) => {
///         [$(<feishu_model::events::$payload as feishu_model::events::EventPayload>::EVENT_TYPE),*]
///     };
/// }
/// let types = feishu_model::for_each_event!(event_types);
/// assert!(types.contains(&"im.chat.disbanded_v1"));
/// assert_eq!(types.len(), 10);
/// ```
#[macro_export]
macro_rules! for_each_event {
    ($callback:ident $(, $($pass:tt)*)?) => {
        $callback! { $($($pass)* ;)?
            ChatDisbanded(ChatDisbandedV1) in EventV2, chat: [chat_id];
            ChatUpdated(ChatUpdatedV1) in EventV2, chat: [chat_id];
            BotAdded(ChatMemberBotAddedV1) in EventV2, chat: [chat_id];
            BotDeleted(ChatMemberBotDeletedV1) in EventV2, chat: [chat_id];
            UserAdded(ChatMemberUserAddedV1) in EventV2, chat: [chat_id];
            UserDeleted(ChatMemberUserDeletedV1) in EventV2, chat: [chat_id];
            UserWithdrawn(ChatMemberUserWithdrawnV1) in EventV2, chat: [chat_id];
            BotP2pChatEntered(BotP2pChatEnteredV1) in EventV2, chat: [chat_id];
            P2pChatCreate(P2pChatCreate) in EventV1, chat: [chat_id];
            AppTicket(AppTicket) in EventV1, chat: [];
        }
    };
}

//! The one list of typed events. Everything that must know every event (the
//! [`GroupEvent`](super::GroupEvent) enum, decoding, `event_type`, `chat_id`,
//! `dedup_key`, the receiving side's typed handlers, the emulator's
//! wrapping) is generated from it, so adding an event is one line here plus
//! its payload type.

/// Calls the macro `$callback` with every typed event, one per `;`-ended
/// entry: `Variant(Payload) in Envelope, chat: [path], dedup: [path]`, where
/// `Envelope` is `EventV2` or `EventV1`; the `chat` path leads from the
/// payload to its chat id, required or optional (empty when the event names
/// no chat); the `dedup` path leads to the id that identifies the event for
/// de-duplication (empty: the event id). `card.action.trigger` is a
/// callback, not an event: it is on the list so that bodies decode typed,
/// but receivers answer it synchronously and never de-duplicate it. Extra tokens before a `;` are passed
/// through first. The names are those of [`crate::events`].
///
/// ```
/// macro_rules! event_types {
///     ($($variant:ident($payload:ident) in $envelope:ident,
///        chat: [$($chat:ident).*], dedup: [$($dedup:ident).*];)*) => {
///         [$(<feishu_model::events::$payload as feishu_model::events::EventPayload>::EVENT_TYPE),*]
///     };
/// }
/// let types = feishu_model::for_each_event!(event_types);
/// assert!(types.contains(&"im.chat.disbanded_v1"));
/// assert!(types.contains(&"im.message.receive_v1"));
/// assert!(types.contains(&"card.action.trigger"));
/// assert_eq!(types.len(), 16);
/// ```
#[macro_export]
macro_rules! for_each_event {
    ($callback:ident $(, $($pass:tt)*)?) => {
        $callback! { $($($pass)* ;)?
            ChatDisbanded(ChatDisbandedV1) in EventV2, chat: [chat_id], dedup: [];
            ChatUpdated(ChatUpdatedV1) in EventV2, chat: [chat_id], dedup: [];
            BotAdded(ChatMemberBotAddedV1) in EventV2, chat: [chat_id], dedup: [];
            BotDeleted(ChatMemberBotDeletedV1) in EventV2, chat: [chat_id], dedup: [];
            UserAdded(ChatMemberUserAddedV1) in EventV2, chat: [chat_id], dedup: [];
            UserDeleted(ChatMemberUserDeletedV1) in EventV2, chat: [chat_id], dedup: [];
            UserWithdrawn(ChatMemberUserWithdrawnV1) in EventV2, chat: [chat_id], dedup: [];
            BotP2pChatEntered(BotP2pChatEnteredV1) in EventV2, chat: [chat_id], dedup: [];
            P2pChatCreate(P2pChatCreate) in EventV1, chat: [chat_id], dedup: [];
            AppTicket(AppTicket) in EventV1, chat: [], dedup: [];
            MessageReceived(MessageReceiveV1) in EventV2, chat: [message.chat_id], dedup: [message.message_id];
            MessageRead(MessageReadV1) in EventV2, chat: [], dedup: [];
            MessageRecalled(MessageRecalledV1) in EventV2, chat: [chat_id], dedup: [];
            MessageReactionCreated(MessageReactionCreatedV1) in EventV2, chat: [], dedup: [];
            MessageReactionDeleted(MessageReactionDeletedV1) in EventV2, chat: [], dedup: [];
            CardAction(CardAction) in EventV2, chat: [context.open_chat_id], dedup: [];
        }
    };
}

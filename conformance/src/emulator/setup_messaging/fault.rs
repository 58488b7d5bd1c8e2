//! How a messaging error row's state is reached: the fault of each
//! (page, code), and the fixture changes faults make.

use super::*;

/// How an error row's state is reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fault {
    /// The app's bot ability is off (fixture).
    BotDisabled,
    /// The app leaves the main chat after the messages exist.
    BotLeaves,
    /// The receiver is a chat the app is not in.
    ForeignChat,
    /// The message type is not one of the documented values.
    BadMsgType,
    /// The page's message is recalled after it exists.
    Recalled,
    /// The main chat is disbanded after the messages exist.
    Dissolved,
    /// The page's message id names no message.
    UnknownMessage,
    /// Five messages were just sent to the receiver.
    Frequency,
    /// The receiving user has resigned (fixture).
    Resigned,
    /// The receiver is a user of another tenant.
    CrossTenant,
    /// The receiver is a well-formed user id nobody has.
    UnknownUser,
    /// The receiver is a well-formed chat id no chat has.
    UnknownChat,
    /// The receiver is a thread id no thread has.
    UnknownThread,
    /// The app may not speak in the main chat (fixture: neither creator
    /// nor manager, only moderators speak), and the request targets it.
    MayNotSpeak,
    /// The content is over the size limit.
    TooLong,
    /// The page's message was sent by a user (李四), not the app.
    SentByUser,
    /// The page's message was sent by a user, and the app is no manager.
    SentByUserNoManager,
    /// The clock moves on by the given number of hours.
    Later(i64),
    /// An unknown emoji type.
    BadEmoji,
    /// An unknown `user_id_type`.
    BadUserIdType,
    /// A page token this server never issued.
    BadPageToken,
    /// The reaction id names no reaction.
    UnknownReaction,
    /// The reaction belongs to another message.
    ReactionElsewhere,
    /// The reaction was added by a user.
    ReactionByUser,
    /// The page's message is a card.
    CardMessage,
    /// The resource key is not in the message.
    KeyNotInMessage,
    /// The upload is empty.
    EmptyUpload,
    /// The upload is over the documented size.
    LargeUpload,
    /// The image is not an image.
    NotAnImage,
    /// The image is larger than 12000 pixels.
    HugeImage,
    /// The upload's type is not one of the documented values.
    BadUploadType,
    /// The resource was uploaded by another app.
    OtherUploader,
    /// The image was uploaded as an avatar.
    AvatarImage,
    /// The page's message is in a group, not a one-to-one chat.
    GroupMessage,
    /// A follow-up already exists.
    FollowUpTwice,
    /// The follow-up list is empty.
    NoFollowUps,
    /// A query parameter set to a value the page does not accept.
    Query(&'static str, &'static str),
    /// The page's message is a voice message (not forwardable).
    AudioMessage,
    /// The receiver id is empty.
    EmptyReceiver,
    /// The page's message was already edited the documented 20 times.
    EditedTwenty,
    /// The page's ephemeral card was already deleted.
    EphemeralDeleted,
    /// The messages come from two chats.
    TwoChats,
    /// The messages are from a thread and from the chat.
    ThreadAndChat,
    /// The message is a system message (not forwardable).
    TooManyPerMessage,
}

/// The fault of an error row, when one is written.
pub(super) fn fault(operation: &str, code: i64) -> Option<Fault> {
    use Fault::*;
    let (family, op) = operation.rsplit_once('.').unwrap_or(("", operation));
    let sends =
        matches!(operation, "im.v1.message.create") || matches!(op, "forward" | "merge_forward");
    Some(match (family, op, code) {
        ("im.v1.image" | "im.v1.file" | "im.v1.message_resource", _, 234007) => BotDisabled,
        (_, _, 230006) => BotDisabled,
        ("im.v1.message", "create" | "forward" | "merge_forward", 230002) => ForeignChat,
        ("im.v1.message", "create", 230001) => BadMsgType,
        ("im.v1.message", "forward" | "merge_forward", 230001) | ("im.v1.thread", _, 230001) => {
            EmptyReceiver
        }
        ("im.v1.message", "list", 230001) => Query("container_id_type", "no_such_type"),
        ("im.v1.pin", "list", 230001) => Query("page_size", "0"),
        ("im.v1.message", "forward", 230061) => AudioMessage,
        ("im.v1.pin", "create", 230011) | ("im.v1.message", "patch", 230011) => Recalled,
        ("im.v1.message_resource", _, 234004) => BotLeaves,
        ("im.v1.message_resource", _, 230110) => Recalled,
        ("im.v1.message_resource", _, 234001) => UnknownMessage,
        ("im.v1.message_resource", _, 234003) => KeyNotInMessage,
        ("im.v1.message_resource", _, 234043) => CardMessage,
        ("im.v1.image" | "im.v1.file", "create", 234001) => BadUploadType,
        ("im.v1.image" | "im.v1.file", "create", 234006) => LargeUpload,
        ("im.v1.image" | "im.v1.file", "create", 234010) => EmptyUpload,
        ("im.v1.image", "create", 234011) => NotAnImage,
        ("im.v1.image", "create", 234039) => HugeImage,
        ("im.v1.image", "get", 234001) => AvatarImage,
        ("im.v1.image" | "im.v1.file", "get", 234005) => UnknownMessage,
        ("im.v1.image" | "im.v1.file", "get", 234008) => OtherUploader,
        ("ephemeral.v1", "delete", 18051) => EphemeralDeleted,
        ("im.v1.message_reaction", "create" | "list", 231001) => BadEmoji,
        ("im.v1.message_reaction", _, 231003) => UnknownMessage,
        ("im.v1.message_reaction", "create" | "delete", 230110) => Recalled,
        ("im.v1.message_reaction", _, 231007) => ReactionByUser,
        ("im.v1.message_reaction", _, 231008) => BotLeaves,
        ("im.v1.message_reaction", _, 231010) => ReactionElsewhere,
        ("im.v1.message_reaction", _, 231011) => UnknownReaction,
        ("im.v1.message_reaction", "list", 231012) => BadPageToken,
        ("im.v1.message_reaction", "list", 231014) => BadUserIdType,
        ("im.v1.message_reaction", "create" | "delete", 232009) => Dissolved,
        ("im.v1.message_reaction", "batch_query", 230001) => TooManyPerMessage,
        ("im.v1.message", "push_follow_up", 230003) => GroupMessage,
        ("im.v1.message", "push_follow_up", 230004) => Recalled,
        ("im.v1.message", "push_follow_up", 230008) => FollowUpTwice,
        ("im.v1.message", "push_follow_up", 230002) => Later(25),
        ("im.v1.message", "push_follow_up", 230001) => NoFollowUps,
        ("im.v1.message", "merge_forward", 230067) => ThreadAndChat,
        ("im.v1.message", "merge_forward", 230069) => TwoChats,
        ("im.v1.message", "merge_forward", 230064) => UnknownMessage,
        ("im.v1.message", "merge_forward", 230065) => Recalled,
        ("im.v1.message", "forward", 230064) => UnknownMessage,
        ("im.v1.message", "forward", 230065) => Recalled,
        ("im.v1.thread", "forward", 230064) => UnknownMessage,
        ("im.v1.thread", "forward", 230110) => Recalled,
        ("im.v1.thread", "forward", 230002) => BotLeaves,
        (_, "forward" | "merge_forward", 230063) => UnknownChat,
        (_, "forward" | "merge_forward", 230019) => UnknownThread,
        (_, _, 230034) if sends || operation == "im.v1.thread.forward" => UnknownUser,
        (_, _, 230029) if sends || operation == "im.v1.thread.forward" => Resigned,
        (_, _, 230038) if sends || operation == "im.v1.thread.forward" => CrossTenant,
        (_, _, 230020) if sends || op == "reply" || operation == "im.v1.thread.forward" => {
            Frequency
        }
        ("im.v1.message", "create" | "reply" | "forward" | "merge_forward", 230018) => MayNotSpeak,
        ("im.v1.message", "create" | "reply" | "update" | "patch", 230025) => TooLong,
        ("im.v1.message", "delete", 230009) | ("im.v1.message", "update", 230075) => Later(25),
        ("im.v1.message", "update", 230071) => SentByUser,
        ("im.v1.message", "read_users", 230033) => Later(8 * 24),
        ("im.v1.message", "update", 230072) => EditedTwenty,
        ("im.v1.message", "patch", 230031) => Later(15 * 24),
        ("im.v1.message", "delete", 230026) => SentByUserNoManager,
        ("im.v1.message", "urgent_app" | "urgent_sms" | "urgent_phone" | "read_users", 230012) => {
            SentByUser
        }
        ("im.v1.message", "update" | "reply", 230011) => Recalled,
        ("im.v1.message", "delete" | "get" | "list" | "urgent_app" | "urgent_sms", 230110) => {
            Recalled
        }
        ("im.v1.message", "urgent_phone" | "read_users" | "patch", 230110) => Recalled,
        ("im.v1.message", _, 230002) if operation != "im.v1.message.create" => BotLeaves,
        ("im.v1.pin", "create" | "delete" | "list", 230002) => BotLeaves,
        ("im.v1.message" | "im.v1.pin" | "im.v1.thread", _, 232009) => Dissolved,
        (
            "im.v1.message",
            "delete" | "get" | "reply" | "update" | "urgent_app" | "urgent_sms" | "urgent_phone"
            | "read_users" | "patch",
            230001,
        )
        | ("im.v1.pin", "create" | "delete", 230001) => UnknownMessage,
        _ => return None,
    })
}

/// The fixture change of a fault.
pub(super) fn edit_fixture(fixture: &mut Value, fault: Option<Fault>) -> Result<(), String> {
    use crate::emulator::setup::find;
    match fault {
        Some(Fault::BotDisabled) => {
            find(fixture, "apps", "app_id", APP)?["bot_enabled"] = json!(false);
        }
        Some(Fault::Resigned) => {
            find(fixture, "users", "open_id", LI_SI)?["resigned"] = json!(true);
        }
        Some(Fault::MayNotSpeak | Fault::SentByUserNoManager) => {
            let chat = find(fixture, "chats", "chat_id", MAIN_CHAT)?;
            chat["bot_managers"] = json!([]);
            chat["creator"] = Value::Null;
        }
        _ => {}
    }
    Ok(())
}

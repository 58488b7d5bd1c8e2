//! Message reactions: add an emoji reaction to a message, remove it, list a
//! message's reactions, and read the reactions of many messages at once.

use serde::{Deserialize, Serialize};

use crate::im::message_path::MessagePath;
use crate::im::types::UserIdTypeQuery;
use crate::{endpoint, validate, Extra, Invalid, NoParams, Page, PagedQuery, Params, UserIdType};

/// Documented maximum `page_size` of the reaction list.
pub const MAX_PAGE_SIZE: u32 = 50;

/// Documented maximum of messages in one batch query (`queries`).
pub const MAX_BATCH_QUERIES: usize = 20;

/// Documented maximum of reactions returned per message in a batch query
/// (`page_size_per_message`).
pub const MAX_PAGE_SIZE_PER_MESSAGE: u32 = 10;

crate::wire_enum! {
    /// `emoji_type`: the emoji of a reaction, as listed on the emoji page
    /// (`emojis-introduce`), in its order.
    pub enum EmojiType {
        /// `OK`
        Ok => "OK",
        /// `THUMBSUP`
        Thumbsup => "THUMBSUP",
        /// `THANKS`
        Thanks => "THANKS",
        /// `MUSCLE`
        Muscle => "MUSCLE",
        /// `FINGERHEART`
        Fingerheart => "FINGERHEART",
        /// `APPLAUSE`
        Applause => "APPLAUSE",
        /// `FISTBUMP`
        Fistbump => "FISTBUMP",
        /// `JIAYI`
        Jiayi => "JIAYI",
        /// `DONE`
        Done => "DONE",
        /// `SMILE`
        Smile => "SMILE",
        /// `BLUSH`
        Blush => "BLUSH",
        /// `LAUGH`
        Laugh => "LAUGH",
        /// `SMIRK`
        Smirk => "SMIRK",
        /// `LOL`
        Lol => "LOL",
        /// `FACEPALM`
        Facepalm => "FACEPALM",
        /// `LOVE`
        Love => "LOVE",
        /// `WINK`
        Wink => "WINK",
        /// `PROUD`
        Proud => "PROUD",
        /// `WITTY`
        Witty => "WITTY",
        /// `SMART`
        Smart => "SMART",
        /// `SCOWL`
        Scowl => "SCOWL",
        /// `THINKING`
        Thinking => "THINKING",
        /// `SOB`
        Sob => "SOB",
        /// `CRY`
        Cry => "CRY",
        /// `ERROR`
        Error => "ERROR",
        /// `NOSEPICK`
        Nosepick => "NOSEPICK",
        /// `HAUGHTY`
        Haughty => "HAUGHTY",
        /// `SLAP`
        Slap => "SLAP",
        /// `SPITBLOOD`
        Spitblood => "SPITBLOOD",
        /// `TOASTED`
        Toasted => "TOASTED",
        /// `GLANCE`
        Glance => "GLANCE",
        /// `DULL`
        Dull => "DULL",
        /// `INNOCENTSMILE`
        Innocentsmile => "INNOCENTSMILE",
        /// `JOYFUL`
        Joyful => "JOYFUL",
        /// `WOW`
        Wow => "WOW",
        /// `TRICK`
        Trick => "TRICK",
        /// `YEAH`
        Yeah => "YEAH",
        /// `ENOUGH`
        Enough => "ENOUGH",
        /// `TEARS`
        Tears => "TEARS",
        /// `EMBARRASSED`
        Embarrassed => "EMBARRASSED",
        /// `KISS`
        Kiss => "KISS",
        /// `SMOOCH`
        Smooch => "SMOOCH",
        /// `DROOL`
        Drool => "DROOL",
        /// `OBSESSED`
        Obsessed => "OBSESSED",
        /// `MONEY`
        Money => "MONEY",
        /// `TEASE`
        Tease => "TEASE",
        /// `SHOWOFF`
        Showoff => "SHOWOFF",
        /// `COMFORT`
        Comfort => "COMFORT",
        /// `CLAP`
        Clap => "CLAP",
        /// `PRAISE`
        Praise => "PRAISE",
        /// `STRIVE`
        Strive => "STRIVE",
        /// `XBLUSH`
        Xblush => "XBLUSH",
        /// `SILENT`
        Silent => "SILENT",
        /// `WAVE`
        Wave => "WAVE",
        /// `WHAT`
        What => "WHAT",
        /// `FROWN`
        Frown => "FROWN",
        /// `SHY`
        Shy => "SHY",
        /// `DIZZY`
        Dizzy => "DIZZY",
        /// `LOOKDOWN`
        Lookdown => "LOOKDOWN",
        /// `CHUCKLE`
        Chuckle => "CHUCKLE",
        /// `WAIL`
        Wail => "WAIL",
        /// `CRAZY`
        Crazy => "CRAZY",
        /// `WHIMPER`
        Whimper => "WHIMPER",
        /// `HUG`
        Hug => "HUG",
        /// `BLUBBER`
        Blubber => "BLUBBER",
        /// `WRONGED`
        Wronged => "WRONGED",
        /// `HUSKY`
        Husky => "HUSKY",
        /// `SHHH`
        Shhh => "SHHH",
        /// `SMUG`
        Smug => "SMUG",
        /// `ANGRY`
        Angry => "ANGRY",
        /// `HAMMER`
        Hammer => "HAMMER",
        /// `SHOCKED`
        Shocked => "SHOCKED",
        /// `TERROR`
        Terror => "TERROR",
        /// `PETRIFIED`
        Petrified => "PETRIFIED",
        /// `SKULL`
        Skull => "SKULL",
        /// `SWEAT`
        Sweat => "SWEAT",
        /// `SPEECHLESS`
        Speechless => "SPEECHLESS",
        /// `SLEEP`
        Sleep => "SLEEP",
        /// `DROWSY`
        Drowsy => "DROWSY",
        /// `YAWN`
        Yawn => "YAWN",
        /// `SICK`
        Sick => "SICK",
        /// `PUKE`
        Puke => "PUKE",
        /// `BETRAYED`
        Betrayed => "BETRAYED",
        /// `HEADSET`
        Headset => "HEADSET",
        /// `EatingFood`
        EatingFood => "EatingFood",
        /// `MeMeMe`
        MeMeMe => "MeMeMe",
        /// `Sigh`
        Sigh => "Sigh",
        /// `Typing`
        Typing => "Typing",
        /// `Lemon`
        Lemon => "Lemon",
        /// `Get`
        Get => "Get",
        /// `LGTM`
        Lgtm => "LGTM",
        /// `OnIt`
        OnIt => "OnIt",
        /// `OneSecond`
        OneSecond => "OneSecond",
        /// `VRHeadset`
        VRHeadset => "VRHeadset",
        /// `YouAreTheBest`
        YouAreTheBest => "YouAreTheBest",
        /// `SALUTE`
        Salute => "SALUTE",
        /// `SHAKE`
        Shake => "SHAKE",
        /// `HIGHFIVE`
        Highfive => "HIGHFIVE",
        /// `UPPERLEFT`
        Upperleft => "UPPERLEFT",
        /// `ThumbsDown`
        ThumbsDown => "ThumbsDown",
        /// `SLIGHT`
        Slight => "SLIGHT",
        /// `TONGUE`
        Tongue => "TONGUE",
        /// `EYESCLOSED`
        Eyesclosed => "EYESCLOSED",
        /// `RoarForYou`
        RoarForYou => "RoarForYou",
        /// `CALF`
        Calf => "CALF",
        /// `BEAR`
        Bear => "BEAR",
        /// `BULL`
        Bull => "BULL",
        /// `RAINBOWPUKE`
        Rainbowpuke => "RAINBOWPUKE",
        /// `ROSE`
        Rose => "ROSE",
        /// `HEART`
        Heart => "HEART",
        /// `PARTY`
        Party => "PARTY",
        /// `LIPS`
        Lips => "LIPS",
        /// `BEER`
        Beer => "BEER",
        /// `CAKE`
        Cake => "CAKE",
        /// `GIFT`
        Gift => "GIFT",
        /// `CUCUMBER`
        Cucumber => "CUCUMBER",
        /// `Drumstick`
        Drumstick => "Drumstick",
        /// `Pepper`
        Pepper => "Pepper",
        /// `CANDIEDHAWS`
        Candiedhaws => "CANDIEDHAWS",
        /// `BubbleTea`
        BubbleTea => "BubbleTea",
        /// `Coffee`
        Coffee => "Coffee",
        /// `Yes`
        Yes => "Yes",
        /// `No`
        No => "No",
        /// `OKR`
        Okr => "OKR",
        /// `CheckMark`
        CheckMark => "CheckMark",
        /// `CrossMark`
        CrossMark => "CrossMark",
        /// `MinusOne`
        MinusOne => "MinusOne",
        /// `Hundred`
        Hundred => "Hundred",
        /// `AWESOMEN`
        Awesomen => "AWESOMEN",
        /// `Pin`
        Pin => "Pin",
        /// `Alarm`
        Alarm => "Alarm",
        /// `Loudspeaker`
        Loudspeaker => "Loudspeaker",
        /// `Trophy`
        Trophy => "Trophy",
        /// `Fire`
        Fire => "Fire",
        /// `BOMB`
        Bomb => "BOMB",
        /// `Music`
        Music => "Music",
        /// `XmasTree`
        XmasTree => "XmasTree",
        /// `Snowman`
        Snowman => "Snowman",
        /// `XmasHat`
        XmasHat => "XmasHat",
        /// `FIREWORKS`
        Fireworks => "FIREWORKS",
        /// `2022`
        Year2022 => "2022",
        /// `REDPACKET`
        Redpacket => "REDPACKET",
        /// `FORTUNE`
        Fortune => "FORTUNE",
        /// `LUCK`
        Luck => "LUCK",
        /// `FIRECRACKER`
        Firecracker => "FIRECRACKER",
        /// `StickyRiceBalls`
        StickyRiceBalls => "StickyRiceBalls",
        /// `HEARTBROKEN`
        Heartbroken => "HEARTBROKEN",
        /// `POOP`
        Poop => "POOP",
        /// `StatusFlashOfInspiration`
        StatusFlashOfInspiration => "StatusFlashOfInspiration",
        /// `18X`
        EighteenX => "18X",
        /// `CLEAVER`
        Cleaver => "CLEAVER",
        /// `Soccer`
        Soccer => "Soccer",
        /// `Basketball`
        Basketball => "Basketball",
        /// `GeneralDoNotDisturb`
        GeneralDoNotDisturb => "GeneralDoNotDisturb",
        /// `Status_PrivateMessage`
        StatusPrivateMessage => "Status_PrivateMessage",
        /// `GeneralInMeetingBusy`
        GeneralInMeetingBusy => "GeneralInMeetingBusy",
        /// `StatusReading`
        StatusReading => "StatusReading",
        /// `StatusInFlight`
        StatusInFlight => "StatusInFlight",
        /// `GeneralBusinessTrip`
        GeneralBusinessTrip => "GeneralBusinessTrip",
        /// `GeneralWorkFromHome`
        GeneralWorkFromHome => "GeneralWorkFromHome",
        /// `StatusEnjoyLife`
        StatusEnjoyLife => "StatusEnjoyLife",
        /// `GeneralTravellingCar`
        GeneralTravellingCar => "GeneralTravellingCar",
        /// `StatusBus`
        StatusBus => "StatusBus",
        /// `GeneralSun`
        GeneralSun => "GeneralSun",
        /// `GeneralMoonRest`
        GeneralMoonRest => "GeneralMoonRest",
        /// `MoonRabbit`
        MoonRabbit => "MoonRabbit",
        /// `Mooncake`
        Mooncake => "Mooncake",
        /// `JubilantRabbit`
        JubilantRabbit => "JubilantRabbit",
        /// `TV`
        Tv => "TV",
        /// `Movie`
        Movie => "Movie",
        /// `Pumpkin`
        Pumpkin => "Pumpkin",
        /// `BeamingFace`
        BeamingFace => "BeamingFace",
        /// `Delighted`
        Delighted => "Delighted",
        /// `ColdSweat`
        ColdSweat => "ColdSweat",
        /// `FullMoonFace`
        FullMoonFace => "FullMoonFace",
        /// `Partying`
        Partying => "Partying",
        /// `GoGoGo`
        GoGoGo => "GoGoGo",
        /// `ThanksFace`
        ThanksFace => "ThanksFace",
        /// `SaluteFace`
        SaluteFace => "SaluteFace",
        /// `Shrug`
        Shrug => "Shrug",
        /// `ClownFace`
        ClownFace => "ClownFace",
        /// `HappyDragon`
        HappyDragon => "HappyDragon",
    }
}

crate::wire_enum! {
    /// `operator_type`: who added a reaction.
    pub enum OperatorType {
        /// `app`: a bot; `operator_id` is its app id.
        App => "app",
        /// `user`: a user; `operator_id` is the user's id.
        User => "user",
    }
}

crate::wire_enum! {
    /// `fail_reason`: why a batch query could not read a message's reactions.
    pub enum FailReason {
        /// `invalid`: the message id is not valid.
        Invalid => "invalid",
        /// `invalid_page_token`: the message's `page_token` is not valid.
        InvalidPageToken => "invalid_page_token",
        /// `no_permission`: the caller may not read the message.
        NoPermission => "no_permission",
    }
}

/// `reaction_type`: the emoji of a reaction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Emoji {
    /// The emoji. Required when adding a reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji_type: Option<EmojiType>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Emoji {
    /// The given emoji.
    pub fn new(emoji_type: EmojiType) -> Self {
        Emoji {
            emoji_type: Some(emoji_type),
            extra: Extra::default(),
        }
    }
}

/// Who added a reaction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct Operator {
    /// The app id of a bot (`operator_type` `app`), or the user's id of the
    /// requested `user_id_type` (`open_id` where none can be chosen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// Whether a bot or a user added the reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator_type: Option<OperatorType>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// One reaction on a message (`message.reaction`): the output of
/// [`CreateReaction`] and [`DeleteReaction`], and an item of the list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReaction {
    /// The reaction's id, used to delete it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_id: Option<String>,
    /// Who added the reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
    /// When the reaction was added: Unix time in milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_time: Option<String>,
    /// The emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_type: Option<Emoji>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

// ---------------------------------------------------------------------------
// create, delete
// ---------------------------------------------------------------------------

/// Body of [`CreateReaction`]: the emoji to add.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CreateReactionBody {
    /// The emoji (`reaction_type.emoji_type` is required).
    #[serde(default)]
    pub reaction_type: Emoji,
}

impl Params for CreateReactionBody {
    fn validate(&self) -> Result<(), Invalid> {
        match &self.reaction_type.emoji_type {
            Some(emoji) if !emoji.as_str().is_empty() => Ok(()),
            _ => Err(Invalid::new("reaction_type.emoji_type", "is required")),
        }
    }
}

/// Path parameters of [`DeleteReaction`]: the message and the reaction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionPath {
    /// The message id (`om_...`).
    pub message_id: String,
    /// The reaction id, from [`CreateReaction`] or [`ListReactions`].
    pub reaction_id: String,
}

crate::path_params!(ReactionPath {
    message_id,
    reaction_id
});

endpoint! {
    /// Adds an emoji reaction to a message (not to a recalled or system message).
    pub struct CreateReaction {
        operation: "im.v1.message_reaction.create",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/:message_id/reactions",
        path_params: MessagePath,
        query: NoParams,
        body: CreateReactionBody,
        output: MessageReaction,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/create",
    }
}

endpoint! {
    /// Removes a reaction the caller added.
    pub struct DeleteReaction {
        operation: "im.v1.message_reaction.delete",
        family: Im,
        method: Delete,
        path: "/open-apis/im/v1/messages/:message_id/reactions/:reaction_id",
        path_params: ReactionPath,
        query: NoParams,
        body: NoParams,
        output: MessageReaction,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/delete",
    }
}

impl CreateReaction {
    /// Adds `emoji` to the message.
    pub fn new(message_id: impl Into<String>, emoji: EmojiType) -> Self {
        CreateReaction {
            path: MessagePath::new(message_id),
            query: NoParams {},
            body: CreateReactionBody {
                reaction_type: Emoji::new(emoji),
            },
        }
    }
}

impl DeleteReaction {
    /// Removes the reaction `reaction_id` from the message.
    pub fn new(message_id: impl Into<String>, reaction_id: impl Into<String>) -> Self {
        DeleteReaction {
            path: ReactionPath {
                message_id: message_id.into(),
                reaction_id: reaction_id.into(),
            },
            query: NoParams {},
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------

/// Query of [`ListReactions`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListReactionsQuery {
    /// Only reactions with this emoji; every reaction when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_type: Option<EmojiType>,
    /// `page_size` (default 20, at most [`MAX_PAGE_SIZE`]) and `page_token`.
    #[serde(flatten)]
    pub page: Page,
    /// The kind of user id in `operator_id` (default `open_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id_type: Option<UserIdType>,
}

impl Params for ListReactionsQuery {
    fn validate(&self) -> Result<(), Invalid> {
        self.page.check(MAX_PAGE_SIZE)
    }
}

impl PagedQuery for ListReactionsQuery {
    fn page_mut(&mut self) -> &mut Page {
        &mut self.page
    }
}

crate::common::page_output! {
    /// Output of [`ListReactions`]: one page of reactions.
    pub struct ListReactionsOutput { items: MessageReaction, "The reactions on this page." }
}

endpoint! {
    /// Lists the reactions of a message, one page at a time, optionally of one emoji.
    pub struct ListReactions {
        operation: "im.v1.message_reaction.list",
        family: Im,
        method: Get,
        path: "/open-apis/im/v1/messages/:message_id/reactions",
        path_params: MessagePath,
        query: ListReactionsQuery,
        body: NoParams,
        output: ListReactionsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/list",
    }
}

impl ListReactions {
    /// The first page of a message's reactions, with the server's default page size.
    pub fn new(message_id: impl Into<String>) -> Self {
        ListReactions {
            path: MessagePath::new(message_id),
            query: ListReactionsQuery::default(),
            body: NoParams {},
        }
    }
}

// ---------------------------------------------------------------------------
// batch_query
// ---------------------------------------------------------------------------

/// One message of a batch query (`message_query`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageQuery {
    /// The message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// The message's `page_token` from the previous answer; absent for the
    /// first page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
}

impl MessageQuery {
    /// The first page of the given message's reactions.
    pub fn new(message_id: impl Into<String>) -> Self {
        MessageQuery {
            message_id: Some(message_id.into()),
            page_token: None,
        }
    }
}

/// Body of [`BatchQueryReactions`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchQueryReactionsBody {
    /// The messages: 1 to [`MAX_BATCH_QUERIES`].
    #[serde(default)]
    pub queries: Vec<MessageQuery>,
    /// Reactions returned per message: 1 to [`MAX_PAGE_SIZE_PER_MESSAGE`]
    /// (default 10).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::lenient::opt_u32"
    )]
    pub page_size_per_message: Option<u32>,
    /// Only reactions with this emoji; every reaction when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_type: Option<EmojiType>,
}

impl Params for BatchQueryReactionsBody {
    fn validate(&self) -> Result<(), Invalid> {
        validate::count("queries", &self.queries, 1, MAX_BATCH_QUERIES)?;
        match self.page_size_per_message {
            Some(n) => validate::range("page_size_per_message", n, 1, MAX_PAGE_SIZE_PER_MESSAGE),
            None => Ok(()),
        }
    }
}

/// A reaction in a batch answer (`reaction`): the emoji is given directly.
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ReactionItem {
    /// The reaction's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_id: Option<String>,
    /// Who added the reaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
    /// When the reaction was added: Unix time in milliseconds, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action_time: Option<String>,
    /// The emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emoji_type: Option<EmojiType>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The reactions read from one message (`success_msg_reaction_details`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReactionDetails {
    /// The message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Whether the message has more reactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_more: Option<bool>,
    /// The token for this message's next page, returned when `has_more` is true.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_token: Option<String>,
    /// The reactions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_reaction_items: Option<Vec<ReactionItem>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// How many reactions of one emoji a message has (`reaction_count`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct ReactionCount {
    /// The emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_type: Option<EmojiType>,
    /// The number of reactions, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<String>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The reaction counts of one message (`success_msg_reaction_counts`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct MessageReactionCounts {
    /// The message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// One count per emoji.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction_count: Option<Vec<ReactionCount>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A message whose reactions could not be read (`fail_msg_reaction_details`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct FailedMessage {
    /// The message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_reason: Option<FailReason>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Output of [`BatchQueryReactions`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct BatchQueryReactionsOutput {
    /// The reactions of each message that could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_msg_reaction_details: Option<Vec<MessageReactionDetails>>,
    /// The reaction counts of each message that could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_msg_reaction_counts: Option<Vec<MessageReactionCounts>>,
    /// The messages that could not be read, with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_msg_reaction_details: Option<Vec<FailedMessage>>,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

endpoint! {
    /// Reads the reactions and reaction counts of up to
    /// [`MAX_BATCH_QUERIES`] messages, each paged on its own. A read:
    /// repeating it is safe.
    pub struct BatchQueryReactions {
        operation: "im.v1.message_reaction.batch_query",
        family: Im,
        method: Post,
        path: "/open-apis/im/v1/messages/reactions/batch_query",
        path_params: NoParams,
        query: UserIdTypeQuery,
        body: BatchQueryReactionsBody,
        output: BatchQueryReactionsOutput,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/reference/im-v1/message-reaction/batch_query",
        idempotent: true,
    }
}

impl BatchQueryReactions {
    /// The first page of reactions of each given message.
    pub fn new<I>(message_ids: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        BatchQueryReactions {
            path: NoParams {},
            query: UserIdTypeQuery::default(),
            body: BatchQueryReactionsBody {
                queries: message_ids.into_iter().map(MessageQuery::new).collect(),
                ..Default::default()
            },
        }
    }
}

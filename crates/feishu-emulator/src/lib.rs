//! An offline, stateful Feishu group backend for tests.
//!
//! The emulator holds tenants, apps (bots), users and chats in memory and
//! answers the 30 im group endpoints, the aPaaS user-task and approval
//! endpoints and the auth v3 token endpoints with their documented behaviour and error codes.
//! Every request is routed with [`feishu_model::registry::route`] and decoded
//! into the model's endpoint type; every answer is the model's output type.
//!
//! Run it in-process ([`Emulator::client`], [`InProcessTransport`]: no
//! sockets), or as an HTTP server ([`Emulator::start`], or the
//! `feishu-emulator --listen 127.0.0.1:PORT` binary). State changes emit the
//! documented group events to [`Emulator::subscribe`] and, in server mode,
//! to callback URLs.
//!
//! People are played too: [`Emulator::act`] (or `POST /_emulator/actions`)
//! makes a user join, leave, invite, edit or disband a chat with the API's
//! rules and the documented events, and plays conversations: users send
//! messages with mentions, react, read and recall, and click cards
//! ([`Emulator::perform`] waits for the app's `card.action.trigger` answer); [`Emulator::event_log`] keeps every
//! event with its delivery status per receiver; the server also serves
//! `GET /_emulator/state` and a page at `/_emulator/ui`.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use feishu_emulator::Emulator;
//! use feishu_model::im::chat::{CreateChat, GetChat};
//! use feishu_model::im::members::MeJoin;
//!
//! let emulator = Emulator::with_default_fixture().unwrap();
//! let client = emulator.client().unwrap();
//! let mut events = emulator.subscribe();
//!
//! let mut create = CreateChat::new();
//! create.body.name = Some("incident-42".into());
//! create.body.user_id_list = Some(vec!["ou_7d8a6e6df7621556ce0d21922b676706".into()]);
//! let created = client.call(create).await.unwrap();
//! let chat = client.call(GetChat::new(created.chat_id.clone())).await.unwrap();
//! assert_eq!(chat.name.as_deref(), Some("incident-42"));
//! assert_eq!(events.try_recv().unwrap().event_type(), "im.chat.member.user.added_v1");
//!
//! // Joining a private chat is refused with the documented code.
//! let private_chat = "oc_1ff39141ee4d0ddaac31bd76676323b1";
//! let err = client.call(MeJoin::new(private_chat)).await.unwrap_err();
//! assert_eq!(err.code(), Some(232008));
//! # });
//! ```
#![forbid(unsafe_code)]

mod actions;
mod admin;
mod auth;
#[cfg(feature = "browser")]
pub mod browser;
mod builder;
mod clients;
mod clock;
mod core;
mod delivery;
mod emulator;
mod error;
mod event_log;
mod events;
mod fixture;
mod handlers;
mod ids;
mod ratelimit;
mod router;
mod server;
mod state;
mod transport;
mod ws;

pub use actions::{
    card_callback_error, ActionError, ActionOutcome, CardClickOutcome, CARD_CALLBACK_BAD_ANSWER,
    CARD_CALLBACK_BAD_CARD, CARD_CALLBACK_BAD_STATUS, CARD_CALLBACK_NOT_CONFIGURED,
    CARD_CALLBACK_TIMED_OUT, CARD_CALLBACK_TIMEOUT, CARD_CALLBACK_UNREACHABLE,
};
pub use admin::{
    AppView, BuzzView, ChatView, EphemeralView, MemberView, MessageView, PinView, ReactionView,
    SettingsView, Snapshot, TenantView, ToastView, UploadView, UserView,
};
pub use builder::EmulatorBuilder;
pub use clients::IN_PROCESS_BASE_URL;
pub use clock::Clock;
pub use delivery::{
    AttemptReport, AttemptStatus, Deliverer, DeliveryConfig, DeliveryObserver, LogObserver,
    Receiver, ATTEMPT_TIMEOUT, RETRY_SCHEDULE,
};
pub use emulator::Emulator;
pub use event_log::{
    Delivery, DeliveryStatus, EventLog, EventRecord, EVENT_LOG_CAPACITY, IN_PROCESS_RECEIVER,
    NO_RECEIVER,
};
pub use events::EmittedEvent;
pub use fixture::{
    documented_json_to_fixture, documented_to_fixture, Action, AnnouncementSeed, AppSeed,
    ChatChanges, ChatSeed, Fixture, FixtureError, FlowSeed, FlowTaskSeed, IdFormat,
    LongConnectionSeed, RollbackPointSeed, ScriptStep, TenantSeed, TenantTokenSeed, UserSeed,
    UserTokenSeed, DEFAULT_FIXTURE, DEFAULT_MAX_CONNECTIONS, DOCUMENTED_ID_STAND_INS,
};
pub use ratelimit::DEFAULT_RATE_LIMIT_GRACE;
pub use router::{EmulatorRequest, EmulatorResponse};
pub use server::{RunningServer, MAX_BODY_BYTES};
pub use state::chat::{
    MAX_CUSTOM_TABS, MAX_MANAGERS, MAX_MANAGERS_SUPER_LARGE, MAX_MEETING_MEMBERS, MAX_MEMBERS,
    MAX_SECOND_MENUS, MAX_TOP_MENUS,
};
pub use state::{Stats, REISSUE_BELOW_SECS, TOKEN_LIFETIME_SECS};
pub use transport::InProcessTransport;
pub use ws::{
    LongConnectionServer, LongConnectionSettings, LongConnectionStats, DEFAULT_FRAGMENT_SIZE,
    LONG_CONNECTION_RECEIVER,
};

pub use feishu_model;
pub use feishu_transport;

//! [`Emulator`]: the public handle. Every method hands over to the core or
//! to the module that does the work.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use feishu_model::AppId;
use feishu_transport::{Client, ClientBuilder, Error};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::broadcast;
use tokio::task::JoinHandle;

use crate::actions::{self, ActionError, ActionOutcome};
use crate::admin::{self, Snapshot};
use crate::builder::{EmulatorBuilder, Parts};
use crate::clients;
use crate::clock::Clock;
use crate::core::Core;
use crate::delivery::{self, DeliveryConfig, DeliveryObserver, LogObserver, Receiver};
use crate::event_log::{EventLog, EventRecord};
use crate::events::EmittedEvent;
use crate::fixture::{Action, Fixture, FixtureError, ScriptStep};
use crate::ratelimit;
use crate::router::{self, EmulatorRequest, EmulatorResponse};
use crate::server::{self, RunningServer};
use crate::state::Stats;
use crate::transport::InProcessTransport;
use crate::ws::LongConnectionServer;

/// An offline Feishu group backend. Cheap to clone: clones share one world.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// use feishu_emulator::Emulator;
/// use feishu_model::im::members::IsInChat;
///
/// let emulator = Emulator::with_default_fixture().unwrap();
/// let client = emulator.client().unwrap();
/// let answer = client.call(IsInChat::new("oc_a0553eda9014c201e6969b478895c230")).await.unwrap();
/// assert_eq!(answer.is_in_chat, Some(true));
/// # });
/// ```
#[derive(Clone)]
pub struct Emulator {
    core: Arc<Core>,
    hub: LongConnectionServer,
    script: Arc<[ScriptStep]>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.core, f)
    }
}

impl EmulatorBuilder {
    /// Builds the emulator, checking every reference in the fixture.
    pub fn build(self) -> Result<Emulator, FixtureError> {
        self.parts().map(Emulator::assemble)
    }
}

impl Emulator {
    fn assemble(parts: Parts) -> Emulator {
        Emulator {
            core: Arc::new(parts.core),
            hub: parts.hub,
            script: parts.script.into(),
        }
    }

    /// A builder.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// An emulator seeded from `fixture`, on the system clock.
    pub fn from_fixture(fixture: Fixture) -> Result<Emulator, FixtureError> {
        Emulator::builder().fixture(fixture).build()
    }

    /// An emulator seeded from the default fixture.
    pub fn with_default_fixture() -> Result<Emulator, FixtureError> {
        Emulator::builder().build()
    }

    /// Answers one request: the router both front ends call.
    pub fn handle(&self, request: &EmulatorRequest) -> EmulatorResponse {
        router::handle(&self.core, request)
    }

    /// A [`feishu_transport::Transport`] that answers from this emulator
    /// without sockets.
    pub fn transport(&self) -> InProcessTransport {
        InProcessTransport::new(self.core.clone())
    }

    /// The apps of the fixture, in fixture order.
    pub fn app_ids(&self) -> Vec<AppId> {
        self.core.world().dir.app_order.clone()
    }

    /// A client builder for `app_id`'s credentials, wired to the in-process
    /// transport; set retries or rate limiting on it before building.
    pub fn client_builder_for(&self, app_id: &AppId) -> Result<ClientBuilder, Error> {
        clients::builder_for(&self.core, app_id)
    }

    /// A client for `app_id`, wired to the in-process transport.
    pub fn client_for(&self, app_id: &AppId) -> Result<Client, Error> {
        clients::client_for(&self.core, app_id)
    }

    /// A client for the fixture's first app, in-process.
    pub fn client(&self) -> Result<Client, Error> {
        clients::first_client(&self.core)
    }

    /// Receives every event emitted from now on, for every app.
    pub fn subscribe(&self) -> broadcast::Receiver<EmittedEvent> {
        self.core.subscribe()
    }

    /// POSTs every event from now on to its app's `event_callback_url`, or to
    /// `default_url`, as the platform does (challenge, encryption and
    /// signature, retries on the documented schedule; see
    /// [`Emulator::deliver_events_with`]). Runs until the emulator is
    /// dropped; needs a Tokio runtime.
    pub fn deliver_events(&self, default_url: Option<String>) -> JoinHandle<()> {
        self.deliver_events_with(
            default_url,
            DeliveryConfig::default(),
            Arc::new(LogObserver),
        )
    }

    /// Delivers every event from now on as the platform does: first the
    /// challenge to each app's URL (apps whose URL fails it get nothing),
    /// then each event in order, retried on the schedule of `config` when a
    /// push fails. Every attempt is reported to `observer`. Runs until the
    /// emulator is dropped; needs a Tokio runtime.
    pub fn deliver_events_with(
        &self,
        default_url: Option<String>,
        config: DeliveryConfig,
        observer: Arc<dyn DeliveryObserver>,
    ) -> JoinHandle<()> {
        delivery::deliver_events(&self.core, default_url, config, observer)
    }

    /// The receiver of each app: its `event_callback_url`, or `default_url`.
    pub fn receivers(&self, default_url: Option<&str>) -> BTreeMap<AppId, Receiver> {
        delivery::receivers(&self.core, default_url)
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        self.core.clock()
    }

    /// Moves a manual clock forward (see [`Clock::advance`]).
    pub fn advance(&self, by: Duration) -> bool {
        self.core.clock().advance(by)
    }

    /// When the calls of `operation` that are rate limited arrived (µs on
    /// the emulator's clock, in arrival order), if
    /// [`EmulatorBuilder::record_arrivals`] is on.
    pub fn arrivals(&self, operation: &str) -> Vec<i64> {
        self.core.world().limits.arrivals_of(operation)
    }

    /// The most calls of `operation` that arrived within any `window` (a
    /// sliding window over [`Emulator::arrivals`]; 0 when arrivals are not
    /// recorded).
    pub fn max_arrivals_within(&self, operation: &str, window: Duration) -> usize {
        ratelimit::busiest(self.arrivals(operation), window)
    }

    /// Counters of requests, rate-limited answers, events and token requests.
    pub fn stats(&self) -> Stats {
        self.core.world().stats
    }

    /// Does what a user does in the client, with the API's rules, and
    /// returns the events it emitted (also delivered to subscribers and
    /// callback URLs). A card click waits for the app's answer: run it with
    /// [`Emulator::perform`] (here it is refused).
    ///
    /// ```
    /// use feishu_emulator::{Action, Emulator};
    ///
    /// let emulator = Emulator::with_default_fixture().unwrap();
    /// let events = emulator
    ///     .act(Action::UserLeave {
    ///         user: "ou_4d7a3c6e2ac812995780137955766828".into(),
    ///         chat: "oc_a0553eda9014c201e6969b478895c230".into(),
    ///     })
    ///     .unwrap();
    /// assert_eq!(events[0].event_type(), "im.chat.member.user.deleted_v1");
    /// ```
    pub fn act(&self, action: Action) -> Result<Vec<EmittedEvent>, ActionError> {
        actions::act(&self.core, action)
    }

    /// Does what a user does in the client, like [`Emulator::act`], for
    /// every action: a card click (`Action::UserClicksCard`) waits up to
    /// 3 s for the app's answer and reports what the client showed; a sent
    /// message reports its id. Needs a Tokio runtime.
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// use feishu_emulator::{Action, Emulator};
    ///
    /// let emulator = Emulator::with_default_fixture().unwrap();
    /// let done = emulator
    ///     .perform(Action::UserSendsMessage {
    ///         user: "ou_7d8a6e6df7621556ce0d21922b676706".into(),
    ///         chat: "oc_a0553eda9014c201e6969b478895c230".into(),
    ///         text: "hello".into(),
    ///     })
    ///     .await
    ///     .unwrap();
    /// assert!(done.message_id.unwrap().starts_with("om_"));
    /// # });
    /// ```
    pub async fn perform(&self, action: Action) -> Result<ActionOutcome, ActionError> {
        actions::perform(&self.core, action).await
    }

    /// Plays the fixture's `script` in the background (each step after its
    /// delay; a refused step is logged and the script goes on). Needs a
    /// Tokio runtime.
    pub fn play_script(&self) -> JoinHandle<Vec<Result<usize, ActionError>>> {
        actions::play(self.core.clone(), self.script.clone())
    }

    /// The log of emitted events with their delivery status per receiver.
    pub fn event_log(&self) -> &EventLog {
        self.core.log()
    }

    /// Hands a logged event to every receiver again (same event id, as the
    /// platform's redeliveries); its log entry as it stands now.
    pub fn redeliver(&self, event_id: &str) -> Result<EventRecord, ActionError> {
        admin::redeliver_logged(&self.core, event_id)
    }

    /// Tenants, apps, users and chats (with members, managers, owner and
    /// settings): what `GET /_emulator/state` answers.
    pub fn snapshot(&self) -> Snapshot {
        admin::snapshot(&self.core.world())
    }

    /// The long-connection server: settings, fault switches, counters.
    pub fn long_connection(&self) -> LongConnectionServer {
        self.hub.clone()
    }

    /// The HTTP front end as an axum router, to mount or serve yourself.
    pub fn router(&self) -> Router {
        server::routes(self.core.clone(), self.hub.clone())
    }

    /// Serves the API on `listener` until the task is dropped.
    pub async fn serve(&self, listener: TcpListener) -> io::Result<()> {
        server::serve(listener, self.router()).await
    }

    /// Binds `addr` (`127.0.0.1:0` for any free port) and serves in the
    /// background; needs a Tokio runtime.
    pub async fn start(&self, addr: impl ToSocketAddrs) -> io::Result<RunningServer> {
        server::start(addr, self.router()).await
    }
}

//! [`Emulator`]: the shared world behind both front ends, its builder, and
//! the helpers tests use (SDK clients, event subscriptions, the clock).

use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use feishu_model::{AppId, Secret};
use feishu_transport::{AppCredentials, Client, ClientBuilder, Error, Rejection};
use tokio::sync::broadcast;

use crate::actions::ScriptStep;
use crate::clock::Clock;
use crate::event_log::EventLog;
use crate::events::EmittedEvent;
use crate::fixture::{Fixture, FixtureError};
use crate::ratelimit::DEFAULT_RATE_LIMIT_GRACE;
use crate::router::{self, EmulatorRequest, EmulatorResponse};
use crate::state::{Stats, World};
use crate::transport::InProcessTransport;

/// The base URL of clients wired to the in-process transport (never resolved).
pub const IN_PROCESS_BASE_URL: &str = "http://feishu-emulator.invalid";

/// State shared by every handle to one emulator.
pub(crate) struct Shared {
    world: Mutex<World>,
    pub(crate) events: broadcast::Sender<EmittedEvent>,
    pub(crate) clock: Clock,
    pub(crate) log: EventLog,
    /// The fixture's script, played by [`Emulator::play_script`].
    pub(crate) script: Vec<ScriptStep>,
    /// The long-connection server.
    pub(crate) ws: crate::ws::LongConnectionServer,
}

impl Shared {
    /// The world, for one call (a poisoned lock is recovered: the world is
    /// only changed after every check of a call passed).
    pub(crate) fn lock(&self) -> MutexGuard<'_, World> {
        match self.world.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

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
    shared: Arc<Shared>,
}

impl fmt::Debug for Emulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Emulator");
        // Never wait for the lock here: a call in progress may hold it.
        if let Ok(world) = self.shared.world.try_lock() {
            out.field("apps", &world.dir.app_order)
                .field("chats", &world.chats.len());
        }
        out.field("clock", &self.shared.clock).finish()
    }
}

/// Builds an [`Emulator`].
#[derive(Debug)]
pub struct EmulatorBuilder {
    fixture: Option<Fixture>,
    clock: Clock,
    event_capacity: usize,
    rate_limit_grace: Duration,
    record_arrivals: bool,
    token_lifetime: Option<Duration>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            fixture: None,
            clock: Clock::System,
            event_capacity: 4096,
            rate_limit_grace: DEFAULT_RATE_LIMIT_GRACE,
            record_arrivals: false,
            token_lifetime: None,
        }
    }
}

impl EmulatorBuilder {
    /// The seed (default: [`Fixture::default_seed`]).
    pub fn fixture(mut self, fixture: Fixture) -> Self {
        self.fixture = Some(fixture);
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// How many events a slow subscriber may fall behind before it misses some.
    pub fn event_capacity(mut self, capacity: usize) -> Self {
        self.event_capacity = capacity.max(1);
        self
    }

    /// How much shorter than documented the rate-limit windows are
    /// (default [`DEFAULT_RATE_LIMIT_GRACE`]; at most half a second).
    pub fn rate_limit_grace(mut self, grace: Duration) -> Self {
        self.rate_limit_grace = grace;
        self
    }

    /// Records when every rate-limited call arrived (see
    /// [`Emulator::arrivals`]); off by default.
    pub fn record_arrivals(mut self, on: bool) -> Self {
        self.record_arrivals = on;
        self
    }

    /// The lifetime of issued tenant and app tokens (default: the documented
    /// 2 hours, [`crate::TOKEN_LIFETIME_SECS`]); a new token is handed out
    /// once the current one has less than a quarter of it left (at most
    /// [`crate::REISSUE_BELOW_SECS`]).
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.token_lifetime = Some(lifetime);
        self
    }

    /// Builds the emulator, checking every reference in the fixture.
    pub fn build(self) -> Result<Emulator, FixtureError> {
        let fixture = match self.fixture {
            Some(f) => f,
            None => Fixture::default_seed()?,
        };
        let grace = i64::try_from(self.rate_limit_grace.as_micros()).unwrap_or(i64::MAX);
        let mut world = World::from_fixture(&fixture, self.clock.now_ms(), grace)?;
        if self.record_arrivals {
            world.limits.arrivals = Some(Default::default());
        }
        if let Some(lifetime) = self.token_lifetime {
            world
                .tokens
                .set_lifetime(i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX));
        }
        let (events, _) = broadcast::channel(self.event_capacity);
        Ok(Emulator {
            shared: Arc::new(Shared {
                world: Mutex::new(world),
                events,
                log: EventLog::new(self.clock.clone()),
                clock: self.clock,
                ws: crate::ws::LongConnectionServer::new(fixture.long_connection.clone()),
                script: fixture.script,
            }),
        })
    }
}

impl Emulator {
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
        router::handle(&self.shared, request)
    }

    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }

    /// A [`feishu_transport::Transport`] that answers from this emulator
    /// without sockets.
    pub fn transport(&self) -> InProcessTransport {
        InProcessTransport::new(self.clone())
    }

    /// The apps of the fixture, in fixture order.
    pub fn app_ids(&self) -> Vec<AppId> {
        self.shared.lock().dir.app_order.clone()
    }

    /// A client builder for `app_id`'s credentials, wired to the in-process
    /// transport; set retries or rate limiting on it before building.
    pub fn client_builder_for(&self, app_id: &AppId) -> Result<ClientBuilder, Error> {
        let (secret, marketplace): (Secret, bool) = {
            let world = self.shared.lock();
            let app = world.dir.apps.get(app_id).ok_or_else(|| Error::Rejected {
                operation: "emulator.client",
                reason: Rejection::Config(format!("the fixture has no app `{app_id}`")),
            })?;
            (app.secret.clone(), app.marketplace)
        };
        let credentials = if marketplace {
            AppCredentials::marketplace(app_id.clone(), secret)
        } else {
            AppCredentials::self_built(app_id.clone(), secret)
        };
        Ok(Client::builder()
            .base_url(IN_PROCESS_BASE_URL)
            .transport(Arc::new(self.transport()))
            .credentials(credentials))
    }

    /// A client for `app_id`, wired to the in-process transport.
    pub fn client_for(&self, app_id: &AppId) -> Result<Client, Error> {
        let client = self.client_builder_for(app_id)?.build()?;
        let ticket = self
            .shared
            .lock()
            .dir
            .apps
            .get(app_id)
            .and_then(|a| a.ticket.clone());
        if let Some(ticket) = ticket {
            client.set_app_ticket(ticket);
        }
        Ok(client)
    }

    /// A client for the fixture's first app, in-process.
    pub fn client(&self) -> Result<Client, Error> {
        let first = self
            .app_ids()
            .into_iter()
            .next()
            .ok_or_else(|| Error::Rejected {
                operation: "emulator.client",
                reason: Rejection::Config("the fixture has no app".into()),
            })?;
        self.client_for(&first)
    }

    /// Receives every event emitted from now on, for every app.
    pub fn subscribe(&self) -> broadcast::Receiver<EmittedEvent> {
        self.shared.events.subscribe()
    }

    /// POSTs every event from now on to its app's `event_callback_url`, or to
    /// `default_url`, as the platform does (challenge, encryption and
    /// signature, retries on the documented schedule; see
    /// [`Emulator::deliver_events_with`]). Runs until the emulator is
    /// dropped; needs a Tokio runtime.
    pub fn deliver_events(&self, default_url: Option<String>) -> tokio::task::JoinHandle<()> {
        self.deliver_events_with(
            default_url,
            crate::delivery::DeliveryConfig::default(),
            Arc::new(crate::delivery::LogObserver),
        )
    }

    /// The clock.
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }

    /// Moves a manual clock forward (see [`Clock::advance`]).
    pub fn advance(&self, by: Duration) -> bool {
        self.shared.clock.advance(by)
    }

    /// When the calls of `operation` that are rate limited arrived (µs on
    /// the emulator's clock, in arrival order), if
    /// [`EmulatorBuilder::record_arrivals`] is on.
    pub fn arrivals(&self, operation: &str) -> Vec<i64> {
        let world = self.shared.lock();
        world
            .limits
            .arrivals
            .as_ref()
            .and_then(|a| a.get(operation).cloned())
            .unwrap_or_default()
    }

    /// The most calls of `operation` that arrived within any `window` (a
    /// sliding window over [`Emulator::arrivals`]; 0 when arrivals are not
    /// recorded).
    pub fn max_arrivals_within(&self, operation: &str, window: std::time::Duration) -> usize {
        let span = i64::try_from(window.as_micros()).unwrap_or(i64::MAX);
        most_within(self.arrivals(operation), span)
    }

    /// Counters of requests, rate-limited answers, events and token requests.
    pub fn stats(&self) -> Stats {
        self.shared.lock().stats
    }
}

/// The most of `times` inside any window of `span`: two pointers over the
/// sorted times, `start` being the first time still inside the window that
/// ends at time `end`.
fn most_within(mut times: Vec<i64>, span: i64) -> usize {
    times.sort_unstable();
    let mut start = 0;
    let mut most = 0;
    for (end, t) in times.iter().enumerate() {
        while start <= end && times[start].saturating_add(span) <= *t {
            start += 1;
        }
        most = most.max(end + 1 - start);
    }
    most
}

#[cfg(test)]
mod window_tests {
    use super::most_within;
    use proptest::prelude::*;

    #[test]
    fn counts_the_fullest_window() {
        assert_eq!(most_within(vec![], 10), 0);
        assert_eq!(most_within(vec![5, 0, 9, 10, 30], 10), 3);
        assert_eq!(most_within(vec![1, 2, 3], 0), 0);
    }

    proptest! {
        #[test]
        fn agrees_with_counting_from_every_start(
            times in proptest::collection::vec(0i64..1_000, 0..60),
            span in 0i64..300,
        ) {
            let mut sorted = times.clone();
            sorted.sort_unstable();
            let brute = sorted
                .iter()
                .enumerate()
                .map(|(i, t)| sorted[i..].iter().take_while(|u| **u < t + span).count())
                .max()
                .unwrap_or(0);
            prop_assert_eq!(most_within(times, span), brute);
        }
    }
}

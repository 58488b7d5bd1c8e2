//! [`EmulatorBuilder`]: the settings an emulator starts with, and the parts
//! it assembles from them (the core, the long-connection server, the
//! fixture's script).

use std::time::Duration;

use crate::clock::Clock;
use crate::core::Core;
use crate::fixture::{Fixture, FixtureError, ScriptStep};
use crate::ratelimit::DEFAULT_RATE_LIMIT_GRACE;
use crate::state::World;
use crate::ws::LongConnectionServer;

/// Builds an [`Emulator`](crate::Emulator).
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

/// What an emulator is made of.
pub(crate) struct Parts {
    pub(crate) core: Core,
    pub(crate) hub: LongConnectionServer,
    pub(crate) script: Vec<ScriptStep>,
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
    /// [`Emulator::arrivals`](crate::Emulator::arrivals)); off by default.
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

    /// The world seeded from the fixture (every reference in it checked),
    /// its core, the long-connection server and the script.
    pub(crate) fn parts(self) -> Result<Parts, FixtureError> {
        let fixture = match self.fixture {
            Some(f) => f,
            None => Fixture::default_seed()?,
        };
        let grace = i64::try_from(self.rate_limit_grace.as_micros()).unwrap_or(i64::MAX);
        fixture.check_ids()?;
        let mut world = World::from_fixture(&fixture, self.clock.now_ms(), grace)?;
        if self.record_arrivals {
            world.limits.arrivals = Some(Default::default());
        }
        if let Some(lifetime) = self.token_lifetime {
            world
                .tokens
                .set_lifetime(i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX));
        }
        let hub = LongConnectionServer::new(fixture.long_connection);
        Ok(Parts {
            core: Core::new(
                world,
                self.clock,
                self.event_capacity,
                Box::new(hub.clone()),
            ),
            hub,
            script: fixture.script,
        })
    }
}

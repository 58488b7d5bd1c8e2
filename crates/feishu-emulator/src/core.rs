//! The bottom layer every front end shares: the world behind its lock, the
//! event bus (the broadcast to subscribers plus the event log) and the
//! clock. The router, the user actions, callback delivery and the long
//! connection all take a [`Core`]; the public [`crate::Emulator`] is a
//! handle to one.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use feishu_model::AppId;

use parking_lot::{Mutex, MutexGuard};
use tokio::sync::broadcast;

use crate::clock::Clock;
use crate::event_log::{event_id_of, DeliveryStatus, EventLog, IN_PROCESS_RECEIVER, NO_RECEIVER};
use crate::events::EmittedEvent;
use crate::state::World;

/// An app's answer to a callback sent over its long connection: the
/// acknowledgement's code and decoded `data`.
pub(crate) type LinkAnswer = Result<(u16, Option<Vec<u8>>), String>;

/// The long connection as the layers above the core reach it (the server
/// itself sits above the core): whether an app is connected, and one
/// callback exchanged with it.
pub(crate) trait LongConnectionLink: Send + Sync {
    /// Whether `app` has a live long connection.
    fn connected(&self, app: &AppId) -> bool;

    /// Sends `payload` as an `event` data frame to `app` and waits up to
    /// `timeout` for the acknowledgement.
    fn exchange(
        &self,
        app: AppId,
        payload: Vec<u8>,
        timeout: Duration,
    ) -> Pin<Box<dyn Future<Output = LinkAnswer> + Send>>;
}

/// The world, the event bus and the clock of one emulator.
pub(crate) struct Core {
    world: Mutex<World>,
    bus: Bus,
    clock: Clock,
    /// The long connection (card callbacks go over it too).
    link: Box<dyn LongConnectionLink>,
    /// The callback URL of apps without their own, once events are delivered.
    default_callback: Mutex<Option<String>>,
}

/// Every emitted event goes to the broadcast and into the log.
struct Bus {
    sender: broadcast::Sender<EmittedEvent>,
    log: EventLog,
}

impl Core {
    /// A core over `world`; subscribers may fall `capacity` events behind.
    pub(crate) fn new(
        world: World,
        clock: Clock,
        capacity: usize,
        link: Box<dyn LongConnectionLink>,
    ) -> Self {
        let (sender, _) = broadcast::channel(capacity.max(1));
        Core {
            world: Mutex::new(world),
            bus: Bus {
                sender,
                log: EventLog::new(clock.clone()),
            },
            clock,
            link,
            default_callback: Mutex::new(None),
        }
    }

    /// The long connection.
    pub(crate) fn link(&self) -> &dyn LongConnectionLink {
        self.link.as_ref()
    }

    /// Remembers the callback URL of apps without their own.
    pub(crate) fn set_default_callback(&self, url: Option<String>) {
        *self.default_callback.lock() = url;
    }

    /// The callback URL of apps without their own, if events are delivered.
    pub(crate) fn default_callback(&self) -> Option<String> {
        self.default_callback.lock().clone()
    }

    /// The world, for one call (the world is only changed after every
    /// check of a call passed, so a panic never leaves it half-changed).
    pub(crate) fn world(&self) -> MutexGuard<'_, World> {
        self.world.lock()
    }

    /// The clock.
    pub(crate) fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The event log.
    pub(crate) fn log(&self) -> &EventLog {
        &self.bus.log
    }

    /// Receives every event published from now on.
    pub(crate) fn subscribe(&self) -> broadcast::Receiver<EmittedEvent> {
        self.bus.sender.subscribe()
    }

    /// Logs `event` and hands it to every subscriber (in-process receivers
    /// and delivery tasks); the in-process hand-over is recorded as a
    /// delivery when anyone besides the delivery tasks listens, and an event
    /// no one receives is recorded as not delivered.
    pub(crate) fn publish(&self, event: EmittedEvent) {
        let log = &self.bus.log;
        log.record(&event);
        let event_id = event_id_of(&event);
        let app_id = event.app_id.to_string();
        // No subscriber is not an error.
        let receivers = self.bus.sender.send(event).unwrap_or(0);
        let in_process = receivers > log.delivery_tasks();
        if in_process {
            log.record_attempt(&event_id, IN_PROCESS_RECEIVER, DeliveryStatus::Delivered);
        }
        if !in_process && !log.claimed(&app_id) {
            log.record_attempt(
                &event_id,
                NO_RECEIVER,
                DeliveryStatus::NotDelivered {
                    reason: "no receiver".to_owned(),
                },
            );
        }
    }
}

impl fmt::Debug for Core {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Emulator");
        // Never wait for the lock here: a call in progress may hold it.
        if let Some(world) = self.world.try_lock() {
            out.field("apps", &world.dir.app_order)
                .field("chats", &world.chats.len());
        }
        out.field("clock", &self.clock).finish()
    }
}

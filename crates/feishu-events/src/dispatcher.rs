//! [`Dispatcher`]: routes verified events to typed async handlers, once per
//! event id, and says what to answer.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use feishu_model::events::{
    AppTicket, BotP2pChatEnteredV1, ChatDisbandedV1, ChatMemberBotAddedV1, ChatMemberBotDeletedV1,
    ChatMemberUserAddedV1, ChatMemberUserDeletedV1, ChatMemberUserWithdrawnV1, ChatUpdatedV1,
    EventPayload, EventV1, EventV2, GroupEvent, P2pChatCreate,
};
use feishu_transport::{AppTicketStore, Client};
use serde_json::Value;

use crate::dedup::{Claim, ClaimToken, DedupStore, MemoryDedup, DEFAULT_TTL};
use crate::headers::Headers;
use crate::outcome::Outcome;
use crate::webhook::{Event, Received, Webhook};

/// The error a handler returns: any error type.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;
type Erased = Arc<dyn Fn(GroupEvent) -> HandlerFuture + Send + Sync>;
type CallbackFuture = Pin<Box<dyn Future<Output = Result<Value, HandlerError>> + Send>>;
type ErasedCallback = Arc<dyn Fn(GroupEvent) -> CallbackFuture + Send + Sync>;

/// How long a claim on an event id lasts while its handler runs, by default.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(10 * 60);

/// An event payload type a typed handler can be registered for; implemented
/// for the nine group events and `app_ticket`.
pub trait Typed: EventPayload + Send + 'static {
    /// What the handler receives: the whole envelope (`EventV2<Self>` or
    /// `EventV1<Self>`).
    type Envelope: Send + 'static;

    /// The envelope, when `event` is of this type.
    fn extract(event: GroupEvent) -> Option<Self::Envelope>;
}

macro_rules! typed {
    ($($payload:ty => $variant:ident in $envelope:ident),* $(,)?) => {
        $(impl Typed for $payload {
            type Envelope = $envelope<$payload>;

            fn extract(event: GroupEvent) -> Option<Self::Envelope> {
                match event {
                    GroupEvent::$variant(e) => Some(*e),
                    _ => None,
                }
            }
        })*
    };
}

typed! {
    ChatDisbandedV1 => ChatDisbanded in EventV2,
    ChatUpdatedV1 => ChatUpdated in EventV2,
    ChatMemberBotAddedV1 => BotAdded in EventV2,
    ChatMemberBotDeletedV1 => BotDeleted in EventV2,
    ChatMemberUserAddedV1 => UserAdded in EventV2,
    ChatMemberUserDeletedV1 => UserDeleted in EventV2,
    ChatMemberUserWithdrawnV1 => UserWithdrawn in EventV2,
    BotP2pChatEnteredV1 => BotP2pChatEntered in EventV2,
    P2pChatCreate => P2pChatCreate in EventV1,
    AppTicket => AppTicket in EventV1,
}

/// When the handler runs relative to the answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Run the handler, then answer: 200 on success, 500 on failure (the
    /// platform redelivers). The handler must finish within the platform's
    /// 3 s budget.
    #[default]
    ProcessThenAnswer,
    /// Answer 200 at once and run the handler in the background (Tokio);
    /// a failed handler is logged and its claim released, but the platform
    /// will not redeliver. For handlers that take longer than 3 s.
    AnswerThenProcess,
}

#[derive(Clone)]
enum TicketSink {
    Store(Arc<dyn AppTicketStore>),
    Client(Client),
}

/// Routes the events of one app to typed handlers.
///
/// Each request goes through the [`Webhook`] checks; the challenge is
/// answered; an event is claimed in the [`DedupStore`] by its id
/// (`header.event_id` or `uuid`), so a redelivered event runs its handler
/// once; `app_ticket` events update the wired ticket stores; event types
/// with no handler go to the fallback, or are answered 200 and logged.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use feishu_events::{Dispatcher, Webhook};
/// use feishu_model::events::ChatDisbandedV1;
///
/// let seen = Arc::new(AtomicUsize::new(0));
/// let counter = seen.clone();
/// let dispatcher = Dispatcher::new(Webhook::new().verification_token("v-token"))
///     .on::<ChatDisbandedV1, _, _, std::io::Error>(move |e| {
///         let counter = counter.clone();
///         async move {
///             assert_eq!(e.event.chat_id.as_str(), "oc_1");
///             counter.fetch_add(1, Ordering::SeqCst);
///             Ok(())
///         }
///     });
/// let body = br#"{"schema": "2.0", "header": {"event_id": "e-1",
///     "event_type": "im.chat.disbanded_v1", "create_time": "1608725989000",
///     "token": "v-token", "app_id": "cli_1", "tenant_key": "t"},
///     "event": {"chat_id": "oc_1"}}"#;
/// let headers: [(&str, &str); 0] = [];
/// assert_eq!(dispatcher.handle(&headers, body).await.status, 200);
/// assert_eq!(dispatcher.handle(&headers, body).await.status, 200); // a redelivery
/// assert_eq!(seen.load(Ordering::SeqCst), 1);
/// # });
/// ```
pub struct Dispatcher {
    webhook: Webhook,
    handlers: HashMap<&'static str, Erased>,
    callbacks: HashMap<String, ErasedCallback>,
    fallback: Option<Erased>,
    dedup: Arc<dyn DedupStore>,
    ttl: Duration,
    lease: Duration,
    mode: Mode,
    tickets: Vec<TicketSink>,
}

impl fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut types: Vec<_> = self.handlers.keys().collect();
        types.sort();
        f.debug_struct("Dispatcher")
            .field("webhook", &self.webhook)
            .field("handlers", &types)
            .field("callbacks", &self.callbacks.len())
            .field("fallback", &self.fallback.is_some())
            .field("ttl", &self.ttl)
            .field("mode", &self.mode)
            .field("ticket_sinks", &self.tickets.len())
            .finish()
    }
}

impl Dispatcher {
    /// A dispatcher checking requests with `webhook`, de-duplicating in a
    /// [`MemoryDedup`] for [`DEFAULT_TTL`], in [`Mode::ProcessThenAnswer`].
    pub fn new(webhook: Webhook) -> Self {
        Dispatcher {
            webhook,
            handlers: HashMap::new(),
            callbacks: HashMap::new(),
            fallback: None,
            dedup: Arc::new(MemoryDedup::new()),
            ttl: DEFAULT_TTL,
            lease: DEFAULT_LEASE,
            mode: Mode::default(),
            tickets: Vec::new(),
        }
    }

    /// Runs `handler` for events of type `P` (replacing an earlier handler
    /// for the same type).
    pub fn on<P, F, Fut, E>(mut self, handler: F) -> Self
    where
        P: Typed,
        F: Fn(P::Envelope) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError> + 'static,
    {
        let erased: Erased = Arc::new(move |event: GroupEvent| -> HandlerFuture {
            match P::extract(event) {
                Some(envelope) => {
                    let fut = handler(envelope);
                    Box::pin(async move { fut.await.map_err(Into::into) })
                }
                None => Box::pin(async { Ok(()) }),
            }
        });
        self.handlers.insert(P::EVENT_TYPE, erased);
        self
    }

    /// Answers callbacks of `event_type` (`card.action.trigger`,
    /// `url.preview.get`, ...) with the JSON `handler` returns: the body of
    /// the 200 answer over HTTP, base64 in the acknowledgement's `data` over
    /// the long connection. Callbacks are synchronous and never redelivered,
    /// so they are not de-duplicated.
    pub fn callback<F, Fut, E>(mut self, event_type: impl Into<String>, handler: F) -> Self
    where
        F: Fn(GroupEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, E>> + Send + 'static,
        E: Into<HandlerError> + 'static,
    {
        let erased: ErasedCallback = Arc::new(move |event: GroupEvent| -> CallbackFuture {
            let fut = handler(event);
            Box::pin(async move { fut.await.map_err(Into::into) })
        });
        self.callbacks.insert(event_type.into(), erased);
        self
    }

    /// Runs `handler` for every event with no typed handler (unknown event
    /// types included, with their raw body). Without a fallback such events
    /// are answered 200 and logged, so the platform does not retry them.
    pub fn fallback<F, Fut, E>(mut self, handler: F) -> Self
    where
        F: Fn(GroupEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: Into<HandlerError> + 'static,
    {
        self.fallback = Some(Arc::new(move |event: GroupEvent| -> HandlerFuture {
            let fut = handler(event);
            Box::pin(async move { fut.await.map_err(Into::into) })
        }));
        self
    }

    /// Where event ids are remembered (default: a [`MemoryDedup`]).
    pub fn dedup_store(mut self, store: Arc<dyn DedupStore>) -> Self {
        self.dedup = store;
        self
    }

    /// How long handled event ids are remembered (default [`DEFAULT_TTL`]).
    pub fn dedup_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// How long a claim lasts while a handler runs (default [`DEFAULT_LEASE`]).
    pub fn claim_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    /// When handlers run relative to the answer (default
    /// [`Mode::ProcessThenAnswer`]).
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Stores every `app_ticket` received in `store` (the store a
    /// [`feishu_transport::ClientBuilder::app_ticket_store`] was given).
    pub fn app_ticket_store(mut self, store: impl AppTicketStore + 'static) -> Self {
        self.tickets.push(TicketSink::Store(Arc::new(store)));
        self
    }

    /// Feeds every `app_ticket` received to `client`, so a marketplace app
    /// can get its tokens.
    pub fn client(mut self, client: Client) -> Self {
        self.tickets.push(TicketSink::Client(client));
        self
    }

    /// The request checks.
    pub fn webhook(&self) -> &Webhook {
        &self.webhook
    }

    /// Handles one request: checks it, runs the handler at most once per
    /// event id, and says what to answer.
    pub async fn handle<H: Headers + ?Sized>(&self, headers: &H, raw_body: &[u8]) -> Outcome {
        let event = match self.webhook.receive(headers, raw_body) {
            Ok(Received::Challenge { challenge }) => return Outcome::challenge(&challenge),
            Ok(Received::Event(event)) => event,
            Err(e) => {
                tracing::warn!(error = %e, kind = e.kind(), status = e.status(), "event request rejected");
                return Outcome::rejected(&e);
            }
        };
        self.dispatch(event).await
    }

    /// Runs the handler of an already checked event (see [`Webhook::receive`]).
    /// A callback's answer is the JSON its handler returned.
    pub async fn dispatch(&self, event: Event) -> Outcome {
        match self.dispatch_answer(event).await {
            (outcome, Some(response)) if outcome.status == 200 => Outcome {
                status: 200,
                body: response.to_string(),
            },
            (outcome, _) => outcome,
        }
    }

    /// Runs the handler of a checked event; a callback handler's response
    /// comes back separately.
    pub(crate) async fn dispatch_answer(&self, event: Event) -> (Outcome, Option<Value>) {
        if let Some(callback) = self.callbacks.get(event.event_type()).cloned() {
            let event_type = event.event_type().to_owned();
            return match callback(event.event).await {
                Ok(response) => (Outcome::success(), Some(response)),
                Err(e) => {
                    tracing::warn!(error = %e, event_type = %event_type, "callback handler failed");
                    (Outcome::handler_failed(), None)
                }
            };
        }
        (self.dispatch_event(event).await, None)
    }

    async fn dispatch_event(&self, event: Event) -> Outcome {
        if let GroupEvent::AppTicket(ticket) = &event.event {
            for sink in &self.tickets {
                match sink {
                    TicketSink::Store(store) => {
                        if let Err(e) = store.set(ticket.event.app_ticket.clone()).await {
                            tracing::warn!(error = %e, "the app_ticket could not be stored");
                        }
                    }
                    TicketSink::Client(client) => {
                        client.set_app_ticket(ticket.event.app_ticket.clone())
                    }
                }
            }
        }
        let handler = self
            .handlers
            .get(event.event_type())
            .or(self.fallback.as_ref())
            .cloned();
        let Some(handler) = handler else {
            tracing::info!(
                event_type = event.event_type(),
                event_id = event.event_id(),
                "no handler for this event type; answered 200"
            );
            return Outcome::success();
        };
        let key = event.event_id().map(str::to_owned);
        let mut token = None;
        if let Some(key) = &key {
            match self.dedup.claim(key, self.lease).await {
                Ok(Claim::Claimed(claim)) => token = Some(claim),
                Ok(Claim::Done) => {
                    tracing::debug!(event_id = %key, "duplicate delivery ignored");
                    return Outcome::success();
                }
                Ok(Claim::InProgress) => return Outcome::in_progress(),
                Err(e) => {
                    tracing::error!(error = %e, "de-duplication store failed");
                    return Outcome::store_failed();
                }
            }
        }
        let run = Run {
            dedup: self.dedup.clone(),
            ttl: self.ttl,
            key: key.zip(token),
            event_type: event.event_type().to_owned(),
        };
        let future = handler(event.event);
        match (self.mode, tokio::runtime::Handle::try_current()) {
            (Mode::AnswerThenProcess, Ok(runtime)) => {
                runtime.spawn(run.finish(future));
                Outcome::success()
            }
            _ => {
                if run.finish(future).await {
                    Outcome::success()
                } else {
                    Outcome::handler_failed()
                }
            }
        }
    }
}

/// What is left to do around one handler run.
struct Run {
    dedup: Arc<dyn DedupStore>,
    ttl: Duration,
    /// The event id and the claim on it.
    key: Option<(String, ClaimToken)>,
    event_type: String,
}

impl Run {
    /// Awaits the handler and records the result; `true` on success and
    /// a recorded completion. A completion that was not recorded gives the
    /// claim back (best effort) and counts as a failure, so the platform
    /// redelivers: the handler may run again, but the event is not lost.
    async fn finish(self, future: HandlerFuture) -> bool {
        let result = future.await;
        let ok = result.is_ok();
        if let Err(e) = result {
            tracing::warn!(error = %e, event_type = %self.event_type, "event handler failed");
        }
        if let Some((key, token)) = &self.key {
            let recorded = if ok {
                self.dedup.complete(key, token, self.ttl).await
            } else {
                self.dedup.release(key, token).await
            };
            if let Err(e) = recorded {
                tracing::error!(error = %e, "de-duplication store failed");
                if ok {
                    if let Err(e) = self.dedup.release(key, token).await {
                        tracing::error!(error = %e, "de-duplication store failed");
                    }
                    return false;
                }
            }
        }
        ok
    }
}

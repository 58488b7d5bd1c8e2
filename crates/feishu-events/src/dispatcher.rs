//! [`Dispatcher`]: routes verified events to typed async handlers, once per
//! event id, and says what to answer.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use feishu_model::events::{
    AppTicket, CardAction, CardAnswer, Envelope, EventPayload, EventV1, EventV2, GroupEvent,
    TypedEvent,
};
use feishu_transport::{AppTicketStore, Client};
use serde_json::{Map, Value};
use tracing::Instrument;

use crate::dedup::{Claim, ClaimToken, DedupStore, InstantDedup, MemoryDedup, DEFAULT_TTL};
use crate::headers::Headers;
use crate::outcome::Outcome;
use crate::panic::caught;
use crate::webhook::{Event, Received, Webhook};

/// The error a handler returns: any error type.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// The future an erased handler returns.
#[doc(hidden)]
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<(), HandlerError>> + Send>>;
/// A handler behind one signature, whatever its event type.
#[doc(hidden)]
pub type Erased = Arc<dyn Fn(GroupEvent) -> HandlerFuture + Send + Sync>;
type CallbackFuture = Pin<Box<dyn Future<Output = Result<Value, HandlerError>> + Send>>;
type ErasedCallback = Arc<dyn Fn(GroupEvent) -> CallbackFuture + Send + Sync>;
/// A running callback handler, a panic caught as its message.
type CaughtCallback =
    Pin<Box<dyn Future<Output = Result<Result<Value, HandlerError>, String>> + Send>>;

/// How long a claim on an event id lasts while its handler runs, by default.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(10 * 60);

/// How long a callback handler may run before an empty answer (`{}`) is
/// sent in its place, by default: 2.5 s, within the platform's 3 s.
pub const DEFAULT_CALLBACK_BUDGET: Duration = Duration::from_millis(2500);

/// The answer sent for a callback whose handler gave none: `{}`.
fn empty_answer() -> Value {
    Value::Object(Map::new())
}

/// Whether `event_type` is a callback (answered synchronously, never
/// de-duplicated) rather than an event.
fn is_callback_type(event_type: &str) -> bool {
    event_type == <CardAction as EventPayload>::EVENT_TYPE
}

/// A typed event handler: an async closure taking the event's envelope
/// (`EventV2<P>` or `EventV1<P>` for a payload `P` of the model's event list)
/// and returning `Result<(), HandlerError>`. The event type is inferred from
/// the closure's argument, so no turbofish is needed; any error converts
/// with `?`.
pub trait Handler<A>: Send + Sync + 'static {
    /// The event type the handler is for.
    const EVENT_TYPE: &'static str;

    /// The handler behind one erased signature.
    fn erase(self) -> Erased;
}

impl<F, Fut, A> Handler<A> for F
where
    A: Envelope + Send + 'static,
    A::Payload: TypedEvent<Envelope = A>,
    F: Fn(A) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
{
    const EVENT_TYPE: &'static str = <A::Payload as feishu_model::events::EventPayload>::EVENT_TYPE;

    fn erase(self) -> Erased {
        Arc::new(move |event: GroupEvent| -> HandlerFuture {
            match <A::Payload as TypedEvent>::extract(event) {
                Some(envelope) => Box::pin(self(envelope)),
                None => Box::pin(async { Ok(()) }),
            }
        })
    }
}

/// When the handler runs relative to the answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// Run the handler, then answer: 200 on success, 500 on failure or
    /// panic (the platform redelivers). The handler must finish within the
    /// platform's 3 s budget: if the request is dropped first, the handler
    /// is cancelled and its claim released, so the redelivery runs it again
    /// (see [`Mode::ProcessInTask`] to let it finish instead).
    #[default]
    ProcessThenAnswer,
    /// Answer 200 at once and run the handler in the background (Tokio);
    /// a failed handler is logged and its claim released, but the platform
    /// will not redeliver. For handlers that take longer than 3 s.
    AnswerThenProcess,
    /// Like [`Mode::ProcessThenAnswer`], but the handler runs in a spawned
    /// Tokio task: when the request is dropped (the platform hangs up after
    /// 3 s, the server shuts down), the handler runs on to the end and
    /// records its result, so the redelivery finds the event done (or runs
    /// it again if the handler failed).
    ProcessInTask,
}

#[derive(Clone)]
enum TicketSink {
    Store(Arc<dyn AppTicketStore>),
    Client(Client),
}

/// Routes the events of one app to typed handlers.
///
/// Each request goes through the [`Webhook`] checks; the challenge is
/// answered; an event is claimed in the [`DedupStore`] by its
/// [`dedup_key`](GroupEvent::dedup_key) (its id, `header.event_id` or
/// `uuid`; for a received message, its message id), so a redelivered event
/// runs its handler once, and the claim is released on every path that does
/// not complete it (failure, panic, a dropped request); `app_ticket` events update the
/// wired ticket stores unless an older ticket would replace a newer one;
/// event types
/// with no handler go to the fallback, or are answered 200 and logged.
///
/// ```
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::sync::Arc;
/// use feishu_events::{Dispatcher, Webhook};
/// use feishu_model::events::{ChatDisbandedV1, EventV2};
///
/// let seen = Arc::new(AtomicUsize::new(0));
/// let counter = seen.clone();
/// let dispatcher = Dispatcher::new(Webhook::new().verification_token("v-token"))
///     .on(move |e: EventV2<ChatDisbandedV1>| {
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
    budget: Duration,
    tickets: Vec<TicketSink>,
    /// The create time (`ts`) of the newest `app_ticket` stored; held while
    /// the sinks are written, so tickets are stored one at a time.
    newest_ticket: tokio::sync::Mutex<Option<f64>>,
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
            .field("callback_budget", &self.budget)
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
            budget: DEFAULT_CALLBACK_BUDGET,
            tickets: Vec::new(),
            newest_ticket: tokio::sync::Mutex::new(None),
        }
    }

    /// Runs `handler` for the events its argument names (replacing an
    /// earlier handler for the same event type):
    /// `.on(|e: EventV2<ChatDisbandedV1>| async move { .. })`.
    ///
    /// A handler of the card action callback (`EventV2<CardAction>`) runs
    /// as a callback: never de-duplicated, answered `{}` when it succeeds
    /// (use [`Dispatcher::on_card_action`] to answer with a toast or a card).
    pub fn on<A, H: Handler<A>>(mut self, handler: H) -> Self {
        if is_callback_type(H::EVENT_TYPE) {
            let erased = handler.erase();
            let callback: ErasedCallback = Arc::new(move |event: GroupEvent| -> CallbackFuture {
                let run = erased(event);
                Box::pin(async move { run.await.map(|()| empty_answer()) })
            });
            self.callbacks.insert(H::EVENT_TYPE.to_owned(), callback);
        } else {
            self.handlers.insert(H::EVENT_TYPE, handler.erase());
        }
        self
    }

    /// Answers card actions (`card.action.trigger`) with the [`CardAnswer`]
    /// `handler` returns: a toast, a new card, or `{}`. The answer is the
    /// body of the 200 over HTTP, and base64 in the acknowledgement's
    /// `data` over the long connection. Card actions are never
    /// de-duplicated (the platform does not redeliver them). A handler
    /// error is answered `500` (the client shows the action failed, code
    /// 200671); a handler still running at the
    /// [callback budget](Dispatcher::callback_budget) is answered `{}` and
    /// runs on to completion in a task. Replaces an earlier handler for
    /// card actions, typed or not ([`Dispatcher::callback`]).
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// use feishu_events::{Dispatcher, Webhook};
    /// use feishu_model::events::{CardAction, CardAnswer, EventV2};
    ///
    /// let dispatcher = Dispatcher::new(Webhook::new()).on_card_action(|e: EventV2<CardAction>| async move {
    ///     let incident = e.event.action.value_str("incident").unwrap_or("?").to_owned();
    ///     Ok(CardAnswer::success(format!("{incident} acknowledged")))
    /// });
    /// let body = br#"{"schema": "2.0", "header": {"event_id": "f798", "token": "v",
    ///     "create_time": "1603977298000000", "event_type": "card.action.trigger",
    ///     "tenant_key": "t", "app_id": "cli_1"},
    ///   "event": {"operator": {"open_id": "ou_1"}, "token": "c-1",
    ///     "action": {"tag": "button", "value": {"incident": "INC-7"}}}}"#;
    /// let headers: [(&str, &str); 0] = [];
    /// let answer = dispatcher.handle(&headers, body).await;
    /// assert_eq!(answer.status, 200);
    /// assert_eq!(answer.body, r#"{"toast":{"content":"INC-7 acknowledged","type":"success"}}"#);
    /// # });
    /// ```
    pub fn on_card_action<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(EventV2<CardAction>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<CardAnswer, HandlerError>> + Send + 'static,
    {
        let erased: ErasedCallback = Arc::new(move |event: GroupEvent| -> CallbackFuture {
            match CardAction::extract(event) {
                Some(action) => {
                    let run = handler(action);
                    Box::pin(async move { run.await.map(|answer| answer.to_value()) })
                }
                None => Box::pin(async {
                    Err::<Value, HandlerError>(
                        "the body is not a v2.0 card.action.trigger callback".into(),
                    )
                }),
            }
        });
        self.callbacks
            .insert(<CardAction as EventPayload>::EVENT_TYPE.to_owned(), erased);
        self
    }

    /// How long a callback handler (card actions, [`Dispatcher::callback`])
    /// may run before `{}` is answered in its place (default
    /// [`DEFAULT_CALLBACK_BUDGET`], within the platform's 3 s). The handler
    /// is not cancelled: it runs on in a Tokio task, and may then update
    /// the card late with the callback's token, which stays valid 30
    /// minutes (`Cards::delayed_update` of feishu-message; the update must
    /// come after the answer). Needs a Tokio runtime with time enabled.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// use feishu_events::{Dispatcher, Webhook};
    /// use feishu_model::card::Card;
    /// use feishu_model::events::{CardAction, CardAnswer, EventV2};
    /// use feishu_model::im::card::UpdateCard;
    /// use feishu_transport::{Client, ScriptedTransport};
    ///
    /// // A scripted transport stands in for Feishu here.
    /// let transport = Arc::new(ScriptedTransport::new());
    /// transport.push_json(200, &serde_json::json!({"code": 0, "msg": "ok"}));
    /// let client = Client::builder().static_tenant_token("t-1").transport(transport.clone()).build().unwrap();
    ///
    /// let dispatcher = Dispatcher::new(Webhook::new())
    ///     .callback_budget(Duration::from_millis(100))
    ///     .on_card_action(move |e: EventV2<CardAction>| {
    ///         let client = client.clone();
    ///         async move {
    ///             // Slow work: at the budget `{}` is answered; this goes on
    ///             // and then updates the card with the callback's token
    ///             // (`Cards::update_from_action` of feishu-message does the same).
    ///             tokio::time::sleep(Duration::from_millis(150)).await;
    ///             let card = Card::new().markdown("**Deployed**").to_value()?;
    ///             client.call(UpdateCard::new(e.event.token.clone(), card)).await?;
    ///             Ok(CardAnswer::empty())
    ///         }
    ///     });
    /// let body = br#"{"schema": "2.0", "header": {"event_id": "f798", "token": "v",
    ///     "create_time": "1603977298000000", "event_type": "card.action.trigger",
    ///     "tenant_key": "t", "app_id": "cli_1"},
    ///   "event": {"token": "c-295e", "action": {"tag": "button"}}}"#;
    /// let headers: [(&str, &str); 0] = [];
    /// let answer = dispatcher.handle(&headers, body).await;
    /// assert_eq!((answer.status, answer.body.as_str()), (200, "{}"));
    ///
    /// tokio::time::sleep(Duration::from_millis(300)).await;
    /// let update = &transport.requests()[0];
    /// assert!(update.url().ends_with("/open-apis/interactive/v1/card/update"));
    /// assert_eq!(update.json().unwrap()["token"], "c-295e");
    /// # }
    /// ```
    pub fn callback_budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Answers callbacks of `event_type` (`card.action.trigger`,
    /// `url.preview.get`, ...) with the JSON `handler` returns: the body of
    /// the 200 answer over HTTP, base64 in the acknowledgement's `data` over
    /// the long connection. Callbacks are synchronous and never redelivered,
    /// so they are not de-duplicated; the [callback
    /// budget](Dispatcher::callback_budget) applies. For card actions,
    /// [`Dispatcher::on_card_action`] gives the typed callback and answer;
    /// the last registration for an event type wins.
    pub fn callback<F, Fut>(mut self, event_type: impl Into<String>, handler: F) -> Self
    where
        F: Fn(GroupEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Value, HandlerError>> + Send + 'static,
    {
        let erased: ErasedCallback =
            Arc::new(move |event: GroupEvent| -> CallbackFuture { Box::pin(handler(event)) });
        self.callbacks.insert(event_type.into(), erased);
        self
    }

    /// Runs `handler` for every event with no typed handler (unknown event
    /// types included, with their raw body). Without a fallback such events
    /// are answered 200 and logged, so the platform does not retry them.
    /// Card actions with no callback handler reach it too, never
    /// de-duplicated, and are answered `{}`.
    pub fn fallback<F, Fut>(mut self, handler: F) -> Self
    where
        F: Fn(GroupEvent) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), HandlerError>> + Send + 'static,
    {
        self.fallback = Some(Arc::new(move |event: GroupEvent| -> HandlerFuture {
            Box::pin(handler(event))
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

    /// Stores each `app_ticket` received in `store`, after the
    /// de-duplication and only when it is newer (by its `ts`) than the last
    /// one stored (the store a
    /// [`feishu_transport::ClientBuilder::app_ticket_store`] was given).
    pub fn app_ticket_store(mut self, store: impl AppTicketStore + 'static) -> Self {
        self.tickets.push(TicketSink::Store(Arc::new(store)));
        self
    }

    /// Feeds each new `app_ticket` received to `client` (as
    /// [`Dispatcher::app_ticket_store`] does), so a marketplace app can get
    /// its tokens.
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
            Ok(Received::Challenge { challenge }) => {
                #[cfg(feature = "metrics")]
                crate::telemetry::answered(200);
                return Outcome::challenge(&challenge);
            }
            Ok(Received::Event(event)) => event,
            Err(e) => {
                tracing::warn!(error = %e, kind = e.kind(), status = e.status(), "event request rejected");
                #[cfg(feature = "metrics")]
                {
                    crate::telemetry::rejected(e.kind());
                    crate::telemetry::answered(e.status());
                }
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

    /// Runs the handler of a checked event in a `feishu.event` span (its
    /// type, id and the answer's status); a callback handler's response
    /// comes back separately.
    pub(crate) async fn dispatch_answer(&self, event: Event) -> (Outcome, Option<Value>) {
        let span = tracing::info_span!(
            "feishu.event",
            "feishu.event.type" = event.event_type(),
            feishu.event.id = event.event_id().unwrap_or_default(),
            feishu.event.status = tracing::field::Empty,
        );
        #[cfg(feature = "metrics")]
        crate::telemetry::received(self.label(event.event_type()));
        let (outcome, response) = self.answer(event).instrument(span.clone()).await;
        span.record("feishu.event.status", outcome.status);
        #[cfg(feature = "metrics")]
        crate::telemetry::answered(outcome.status);
        (outcome, response)
    }

    /// The event type as a metric label: a type the dispatcher has a handler
    /// or callback for, else `other` (so unknown types cannot grow the
    /// label set).
    #[cfg(feature = "metrics")]
    fn label<'a>(&self, event_type: &'a str) -> &'a str {
        if self.handlers.contains_key(event_type) || self.callbacks.contains_key(event_type) {
            event_type
        } else {
            "other"
        }
    }

    async fn answer(&self, event: Event) -> (Outcome, Option<Value>) {
        if let Some(callback) = self.callbacks.get(event.event_type()).cloned() {
            return self.run_callback(callback, event).await;
        }
        let is_callback = is_callback_type(event.event_type());
        let outcome = self.dispatch_event(event).await;
        // A card action with no callback handler still gets a valid answer.
        let response = (is_callback && outcome.status == 200).then(empty_answer);
        (outcome, response)
    }

    /// Runs a callback handler within the budget: its answer, `500` when it
    /// fails or panics, or `{}` when it is still running at the budget (it
    /// then runs on in a task, its result logged).
    async fn run_callback(
        &self,
        callback: ErasedCallback,
        event: Event,
    ) -> (Outcome, Option<Value>) {
        let event_type = event.event_type().to_owned();
        let event_id = event.event_id().unwrap_or_default().to_owned();
        #[cfg(feature = "metrics")]
        let label = self.label(&event_type).to_owned();
        let started = tokio::time::Instant::now();
        let mut run: CaughtCallback = Box::pin(caught(callback(event.event)));
        let result = match tokio::time::timeout(self.budget, &mut run).await {
            Ok(result) => result,
            Err(_) => {
                tracing::warn!(
                    event_type = %event_type,
                    event_id = %event_id,
                    budget = ?self.budget,
                    "callback handler still running at the answer budget; answered {{}}, it runs on"
                );
                let finish = async move {
                    let result = run.await;
                    #[cfg(feature = "metrics")]
                    crate::telemetry::handled(
                        &label,
                        matches!(result, Ok(Ok(_))),
                        started.elapsed(),
                    );
                    match result {
                        Ok(Ok(_)) => tracing::info!(
                            event_type = %event_type,
                            event_id = %event_id,
                            elapsed = ?started.elapsed(),
                            "callback handler finished after its answer; its answer is dropped"
                        ),
                        Ok(Err(e)) => {
                            tracing::warn!(error = %e, event_type = %event_type, event_id = %event_id, "callback handler failed after its answer")
                        }
                        Err(panic) => {
                            tracing::error!(panic = %panic, event_type = %event_type, event_id = %event_id, "callback handler panicked after its answer")
                        }
                    }
                };
                tokio::spawn(finish.in_current_span());
                return (Outcome::success(), Some(empty_answer()));
            }
        };
        #[cfg(feature = "metrics")]
        crate::telemetry::handled(&label, matches!(result, Ok(Ok(_))), started.elapsed());
        #[cfg(not(feature = "metrics"))]
        let _ = started;
        match result {
            Ok(Ok(response)) => (Outcome::success(), Some(response)),
            Ok(Err(e)) => {
                tracing::warn!(error = %e, event_type = %event_type, event_id = %event_id, "callback handler failed");
                (Outcome::handler_failed(), None)
            }
            Err(panic) => {
                tracing::error!(panic = %panic, event_type = %event_type, event_id = %event_id, "callback handler panicked");
                (Outcome::handler_failed(), None)
            }
        }
    }

    async fn dispatch_event(&self, event: Event) -> Outcome {
        let (event_type, handler): (Cow<'static, str>, _) =
            match self.handlers.get_key_value(event.event_type()) {
                Some((event_type, handler)) => (Cow::Borrowed(*event_type), Some(handler.clone())),
                None => (
                    Cow::Owned(event.event_type().to_owned()),
                    self.fallback.clone(),
                ),
            };
        let is_ticket = matches!(event.event, GroupEvent::AppTicket(_));
        if handler.is_none() && !is_ticket {
            tracing::info!(
                event_type = event.event_type(),
                event_id = event.event_id(),
                "no handler for this event type; answered 200"
            );
            return Outcome::success();
        }
        // Callbacks (a card action reaching the fallback) are never
        // redelivered: nothing to de-duplicate.
        let key = if is_callback_type(event.event_type()) {
            None
        } else {
            event.event.dedup_key()
        };
        let guard = match key {
            Some(key) => match self.claim(&key).await {
                Ok(Claim::Claimed(token)) => {
                    ClaimGuard::new(self.dedup.clone(), key.into_owned(), token, self.ttl)
                }
                Ok(Claim::Done) => {
                    tracing::debug!(event_id = %key, "duplicate delivery ignored");
                    #[cfg(feature = "metrics")]
                    crate::telemetry::duplicate(self.label(event.event_type()));
                    return Outcome::success();
                }
                Ok(Claim::InProgress) => return Outcome::in_progress(),
                Err(e) => {
                    tracing::error!(error = %e, "de-duplication store failed");
                    return Outcome::store_failed();
                }
            },
            None => ClaimGuard::unclaimed(self.dedup.clone(), self.ttl),
        };
        if let GroupEvent::AppTicket(ticket) = &event.event {
            self.store_ticket(ticket).await;
        }
        let Some(handler) = handler else {
            return if guard.settle(true).await {
                Outcome::success()
            } else {
                Outcome::store_failed()
            };
        };
        let run = Run {
            guard,
            event_type,
            #[cfg(feature = "metrics")]
            label: self.label(event.event_type()).to_owned(),
        };
        let future = handler(event.event);
        match (self.mode, tokio::runtime::Handle::try_current()) {
            (Mode::AnswerThenProcess, Ok(runtime)) => {
                runtime.spawn(run.finish(future).in_current_span());
                Outcome::success()
            }
            (Mode::ProcessInTask, Ok(runtime)) => {
                // Dropping the `JoinHandle` (a dropped request) detaches
                // the task: it runs on and records its result.
                match runtime.spawn(run.finish(future).in_current_span()).await {
                    Ok(true) => Outcome::success(),
                    Ok(false) | Err(_) => Outcome::handler_failed(),
                }
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

    /// Claims `key`, at once when the store answers without IO.
    async fn claim(&self, key: &str) -> Result<Claim, crate::dedup::DedupError> {
        match self.dedup.instant() {
            Some(store) => Ok(store.claim_now(key, self.lease)),
            None => self.dedup.claim(key, self.lease).await,
        }
    }

    /// Feeds an `app_ticket` to the wired sinks, unless a ticket created
    /// later (by its `ts`) was stored already: a redelivered or replayed
    /// old ticket never replaces the current one.
    async fn store_ticket(&self, ticket: &EventV1<AppTicket>) {
        if self.tickets.is_empty() {
            return;
        }
        let created = ticket
            .ts
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|t| t.is_finite());
        let mut newest = self.newest_ticket.lock().await;
        let newer = match (*newest, created) {
            (None, _) => true,
            (Some(newest), Some(created)) => created >= newest,
            // A ticket without a readable time cannot be shown newer.
            (Some(_), None) => false,
        };
        if !newer {
            tracing::info!(ts = %ticket.ts, uuid = %ticket.uuid, "an app_ticket older than the stored one was not stored");
            return;
        }
        if let Some(created) = created {
            *newest = Some(created);
        }
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
}

/// What is left to do around one handler run.
struct Run {
    guard: ClaimGuard,
    /// The handler's event type (the fallback's: the event's).
    event_type: Cow<'static, str>,
    /// The event type as a metric label.
    #[cfg(feature = "metrics")]
    label: String,
}

impl Run {
    /// Awaits the handler (a panic counts as a failure) and records the
    /// result; `true` on success. If this future is dropped before the
    /// end, the guard releases the claim.
    async fn finish(self, future: HandlerFuture) -> bool {
        #[cfg(feature = "metrics")]
        let started = tokio::time::Instant::now();
        let result = caught(future).await;
        #[cfg(feature = "metrics")]
        crate::telemetry::handled(&self.label, matches!(result, Ok(Ok(()))), started.elapsed());
        let ok = match result {
            Ok(Ok(())) => true,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, event_type = %self.event_type, "event handler failed");
                false
            }
            Err(panic) => {
                tracing::error!(panic = %panic, event_type = %self.event_type, "event handler panicked");
                false
            }
        };
        // A completion that was not recorded counts as a failure, so the
        // platform redelivers: the handler may run again, but the event is
        // not lost.
        self.guard.settle(ok).await && ok
    }
}

/// A claim on an event id that is settled on every path: completed or
/// released by [`ClaimGuard::settle`], or, when dropped unsettled (the
/// handler's future was cancelled), released in a task spawned on the
/// current runtime. Every store call after a claim goes through
/// [`ClaimGuard::record`].
struct ClaimGuard {
    dedup: Arc<dyn DedupStore>,
    /// The claimed id and the claim's token; `None` once settled (or for
    /// events without an id).
    key: Option<(String, ClaimToken)>,
    ttl: Duration,
    /// What a drop records: set to the handler's result by `settle`, so an
    /// interrupted `settle` still records it.
    done: bool,
}

impl ClaimGuard {
    fn new(dedup: Arc<dyn DedupStore>, key: String, token: ClaimToken, ttl: Duration) -> Self {
        ClaimGuard {
            dedup,
            key: Some((key, token)),
            ttl,
            done: false,
        }
    }

    fn unclaimed(dedup: Arc<dyn DedupStore>, ttl: Duration) -> Self {
        ClaimGuard {
            dedup,
            key: None,
            ttl,
            done: false,
        }
    }

    /// Completes the claim (`done`) or releases it; `false` when a
    /// completion could not be recorded (the claim is then given back, best
    /// effort, so a redelivery runs the handler again).
    async fn settle(mut self, done: bool) -> bool {
        self.done = done;
        let recorded = match &self.key {
            Some((key, token)) => {
                Self::record(self.dedup.as_ref(), key, token, self.ttl, done).await
            }
            None => true,
        };
        self.key = None;
        recorded
    }

    /// [`ClaimGuard::record`] on a store that needs no IO: it cannot fail.
    fn record_now(
        store: &dyn InstantDedup,
        key: &str,
        token: &ClaimToken,
        ttl: Duration,
        done: bool,
    ) {
        if done {
            store.complete_now(key, token, ttl);
        } else {
            store.release_now(key, token);
        }
    }

    /// Marks `key` done for `ttl`, or releases it, by its claim's token;
    /// `false` when a completion was not recorded.
    async fn record(
        dedup: &dyn DedupStore,
        key: &str,
        token: &ClaimToken,
        ttl: Duration,
        done: bool,
    ) -> bool {
        if let Some(store) = dedup.instant() {
            Self::record_now(store, key, token, ttl, done);
            return true;
        }
        let recorded = if done {
            dedup.complete(key, token, ttl).await
        } else {
            dedup.release(key, token).await
        };
        match recorded {
            Ok(()) => true,
            Err(e) => {
                tracing::error!(error = %e, event_id = %key, "de-duplication store failed");
                if done {
                    if let Err(e) = dedup.release(key, token).await {
                        tracing::error!(error = %e, event_id = %key, "de-duplication store failed");
                    }
                }
                !done
            }
        }
    }
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        let Some((key, token)) = self.key.take() else {
            return;
        };
        // A store without IO is told at once, runtime or not.
        if let Some(store) = self.dedup.instant() {
            tracing::debug!(event_id = %key, "handler cancelled; its claim is released");
            Self::record_now(store, &key, &token, self.ttl, self.done);
            return;
        }
        let (dedup, ttl, done) = (self.dedup.clone(), self.ttl, self.done);
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                tracing::debug!(event_id = %key, "handler cancelled; its claim is released");
                runtime.spawn(async move {
                    Self::record(dedup.as_ref(), &key, &token, ttl, done).await
                });
            }
            Err(_) => tracing::warn!(
                event_id = %key,
                "handler cancelled outside a runtime; its claim lapses with the lease"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::panic)]
    use super::*;

    #[test]
    fn a_claim_dropped_outside_a_runtime_is_released_in_a_store_without_io() {
        let store = Arc::new(MemoryDedup::new());
        let now = store.instant().unwrap_or_else(|| panic!("no instant side"));
        let Claim::Claimed(token) = now.claim_now("e1", DEFAULT_LEASE) else {
            panic!("not claimed");
        };
        drop(ClaimGuard::new(
            store.clone(),
            "e1".to_owned(),
            token,
            DEFAULT_TTL,
        ));
        assert!(matches!(
            now.claim_now("e1", DEFAULT_LEASE),
            Claim::Claimed(_)
        ));
    }
}

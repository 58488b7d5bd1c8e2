//! [`LongConnection`]: dials, serves, and redials on the reconnect policy;
//! reports its [`State`]; stops on [`LongConnection::shutdown`].

use std::fmt;
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use feishu_model::{AppId, Secret};
use feishu_transport::{ReqwestTransport, Transport};
use futures::stream::{BoxStream, StreamExt};
use tokio::sync::{broadcast, watch, Semaphore};
use tracing::Instrument;

use super::status::Status;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite;

use super::config::ClientConfig;
use super::counters::{Counters, DropCounts};
use super::dial::{dial, Socket};
use super::endpoint::{ConnectUrl, EndpointCall};
use super::error::WsError;
use super::session::{self, Ctx, SessionEnd};
use crate::dispatcher::Dispatcher;
use crate::panic::caught;
use feishu_protocol::fragments::{FRAGMENT_TTL, MAX_MESSAGE_BYTES};

/// The default wait for any frame after a ping: 30 s.
pub const DEFAULT_PING_TIMEOUT: Duration = Duration::from_secs(30);
/// The default total timeout of the endpoint call: 15 s.
pub const DEFAULT_ENDPOINT_TIMEOUT: Duration = Duration::from_secs(15);
/// The default connect timeout of the endpoint call: 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default timeout of the WebSocket dial and upgrade: 15 s.
pub const DEFAULT_DIAL_TIMEOUT: Duration = Duration::from_secs(15);
/// The default number of handlers running at once: 16.
pub const DEFAULT_WORKERS: usize = 16;
/// The default number of messages running or waiting for a worker: 1024.
pub const DEFAULT_MAX_PENDING: usize = 1024;
/// The default budget of complete messages waiting for a worker: 64 MiB of
/// payload, all waiting messages together.
pub const DEFAULT_QUEUE_BUDGET: usize = 64 * 1024 * 1024;
/// How long in-flight handlers get at shutdown by default: 500 ms.
pub const DEFAULT_HANDLER_GRACE: Duration = Duration::from_millis(500);
/// The default least wait before any redial: 1 s (plus jitter of up to half
/// of it), whatever the reconnect policy says.
pub const DEFAULT_MIN_RECONNECT_DELAY: Duration = Duration::from_secs(1);
/// The smallest least wait [`LongConnectionBuilder::min_reconnect_delay`]
/// accepts: 10 ms.
pub const MIN_RECONNECT_FLOOR: Duration = Duration::from_millis(10);
/// `shutdown()` returns within this, whatever runs.
pub const SHUTDOWN_LIMIT: Duration = Duration::from_millis(900);
/// The Feishu base URL.
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";

/// Where a long connection stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// The first connection is being made.
    Connecting,
    /// A connection is up.
    Connected,
    /// A connection is up, but no event arrived within the "stale after"
    /// time ([`LongConnectionBuilder::stale_after`]). The connection is
    /// kept (pings decide whether it is dead); the next event makes it
    /// `Connected` again.
    Stale,
    /// Reconnect attempt `attempt` (1-based) is waiting or under way.
    Reconnecting {
        /// The attempt number since the last connection was lost.
        attempt: u32,
    },
    /// The client stopped for good.
    Stopped {
        /// Why.
        reason: StopReason,
    },
}

impl State {
    /// A short name of the state (`connecting`, `connected`, `stale`,
    /// `reconnecting`, `stopped`), for metrics and logs.
    pub fn label(&self) -> &'static str {
        match self {
            State::Connecting => "connecting",
            State::Connected => "connected",
            State::Stale => "stale",
            State::Reconnecting { .. } => "reconnecting",
            State::Stopped { .. } => "stopped",
        }
    }
}

/// Why a long connection stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// [`LongConnection::shutdown`] was called.
    Shutdown,
    /// An error that reconnecting cannot fix ([`WsError::is_terminal`]).
    Terminal(WsError),
    /// The client's background task panicked (a bug): the panic message.
    Panicked {
        /// The panic message.
        message: String,
    },
    /// `ReconnectCount` attempts failed.
    GaveUp {
        /// How many reconnect attempts were made.
        attempts: u32,
        /// The last error.
        last: WsError,
    },
}

/// Builds a [`LongConnection`].
pub struct LongConnectionBuilder {
    app_id: AppId,
    app_secret: Secret,
    dispatcher: Arc<Dispatcher>,
    base_url: String,
    transport: Option<Arc<dyn Transport>>,
    config: ClientConfig,
    follow_server_config: bool,
    ping_timeout: Duration,
    endpoint_timeout: Duration,
    connect_timeout: Duration,
    dial_timeout: Duration,
    workers: usize,
    max_pending: usize,
    handler_grace: Duration,
    fragment_ttl: Duration,
    min_reconnect_delay: Duration,
    queue_budget: usize,
    stale_after: Option<Duration>,
}

impl fmt::Debug for LongConnectionBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongConnectionBuilder")
            .field("app_id", &self.app_id)
            .field("base_url", &self.base_url)
            .field("config", &self.config)
            .field("ping_timeout", &self.ping_timeout)
            .finish_non_exhaustive()
    }
}

impl LongConnectionBuilder {
    /// The platform's base URL (default [`FEISHU_BASE_URL`];
    /// `https://open.larksuite.com` for Lark, or an emulator).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The HTTP transport of the endpoint call (default: a
    /// [`ReqwestTransport`] with the connect and total timeouts).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The ping cadence and reconnect policy used until the server sends
    /// its own (default [`ClientConfig::default`]).
    pub fn client_config(mut self, config: ClientConfig) -> Self {
        self.config = config;
        self
    }

    /// Whether the server's `ClientConfig` (endpoint answer, pongs) replaces
    /// the local one (default `true`; turn off to pin local values).
    pub fn follow_server_config(mut self, on: bool) -> Self {
        self.follow_server_config = on;
        self
    }

    /// How long to wait for any frame after a ping before the connection is
    /// declared dead (default [`DEFAULT_PING_TIMEOUT`]).
    pub fn ping_timeout(mut self, timeout: Duration) -> Self {
        self.ping_timeout = timeout;
        self
    }

    /// The connect and total timeouts of the endpoint call (defaults
    /// [`DEFAULT_CONNECT_TIMEOUT`], [`DEFAULT_ENDPOINT_TIMEOUT`]).
    pub fn endpoint_timeouts(mut self, connect: Duration, total: Duration) -> Self {
        self.connect_timeout = connect;
        self.endpoint_timeout = total;
        self
    }

    /// The timeout of the WebSocket dial and upgrade (default
    /// [`DEFAULT_DIAL_TIMEOUT`]).
    pub fn dial_timeout(mut self, timeout: Duration) -> Self {
        self.dial_timeout = timeout;
        self
    }

    /// How many handlers run at once (default [`DEFAULT_WORKERS`]), and
    /// how many messages may run or wait (default [`DEFAULT_MAX_PENDING`];
    /// beyond it messages are answered 500 and the platform redelivers).
    pub fn workers(mut self, workers: usize, max_pending: usize) -> Self {
        self.workers = workers.max(1);
        self.max_pending = max_pending.max(1);
        self
    }

    /// How long in-flight handlers may finish at shutdown before they are
    /// cancelled (default [`DEFAULT_HANDLER_GRACE`]; capped so that
    /// `shutdown()` returns within 1 s).
    pub fn handler_grace(mut self, grace: Duration) -> Self {
        self.handler_grace = grace.min(Duration::from_millis(700));
        self
    }

    /// How many payload bytes the messages waiting for a worker may hold
    /// together (default [`DEFAULT_QUEUE_BUDGET`]). Past it, the oldest
    /// waiting messages are dropped and answered 500 (the platform
    /// redelivers them) and counted in [`LongConnection::drops`]; the
    /// newest message is always queued. Incomplete fragmented messages have
    /// their own budget, [`feishu_protocol::fragments::MAX_BUFFERED_BYTES`].
    pub fn queue_budget(mut self, bytes: usize) -> Self {
        self.queue_budget = bytes;
        self
    }

    /// How long an incomplete fragmented message is kept (default 10 s).
    pub fn fragment_ttl(mut self, ttl: Duration) -> Self {
        self.fragment_ttl = ttl;
        self
    }

    /// The least wait before every redial, first attempts and redials after
    /// a connection that had succeeded included (default
    /// [`DEFAULT_MIN_RECONNECT_DELAY`], at least [`MIN_RECONNECT_FLOOR`]).
    /// A random jitter of up to half of it is added, so a server that
    /// accepts and drops at once, or a policy of zero delays, cannot drive
    /// endpoint calls and dials in a tight loop.
    pub fn min_reconnect_delay(mut self, delay: Duration) -> Self {
        self.min_reconnect_delay = delay.max(MIN_RECONNECT_FLOOR);
        self
    }

    /// After how long without an event a connection is reported
    /// [`State::Stale`] (default: never). The connection is not torn down
    /// for it: a quiet app may simply receive no events; the signal is for
    /// alerting (see also [`LongConnection::since_last_event`]).
    pub fn stale_after(mut self, after: Duration) -> Self {
        self.stale_after = Some(after);
        self
    }

    /// Starts connecting in the background (needs a Tokio runtime).
    pub fn start(self) -> Result<LongConnection, WsError> {
        let transport = match self.transport {
            Some(t) => t,
            None => Arc::new(
                ReqwestTransport::with_timeouts(self.connect_timeout, self.endpoint_timeout)
                    .map_err(|e| WsError::EndpointUnavailable(e.to_string()))?,
            ),
        };
        let endpoint = EndpointCall {
            transport,
            base_url: self.base_url,
            app_id: self.app_id,
            app_secret: self.app_secret,
            timeout: self.endpoint_timeout,
        };
        let config = Arc::new(Mutex::new(self.config));
        let counters = Arc::new(Counters::default());
        let (status, first_states) = Status::new();
        let status = Arc::new(status);
        let ctx = Arc::new(Ctx {
            dispatcher: self.dispatcher,
            config: config.clone(),
            follow_server_config: self.follow_server_config,
            ping_timeout: self.ping_timeout,
            workers: Arc::new(Semaphore::new(self.workers)),
            max_pending: self.max_pending,
            handler_grace: self.handler_grace,
            fragment_ttl: self.fragment_ttl,
            queue_budget: self.queue_budget,
            counters: counters.clone(),
            status: status.clone(),
            stale_after: self.stale_after,
        });
        let (cancel_tx, cancel_rx) = watch::channel(false);
        let runner = Runner {
            endpoint,
            ctx,
            dial_timeout: self.dial_timeout,
            min_reconnect_delay: self.min_reconnect_delay,
            cancel: cancel_rx,
        };
        let task = tokio::spawn(runner.run());
        Ok(LongConnection {
            state: status.watch(),
            status,
            first_states: Mutex::new(Some(first_states)),
            cancel: cancel_tx,
            config,
            counters,
            task: Mutex::new(Some(task)),
        })
    }
}

/// A long-connection client: receives the app's events over a WebSocket and
/// hands them to a [`Dispatcher`] (the same one HTTP callbacks use).
pub struct LongConnection {
    state: watch::Receiver<State>,
    status: Arc<Status>,
    first_states: Mutex<Option<broadcast::Receiver<State>>>,
    cancel: watch::Sender<bool>,
    config: Arc<Mutex<ClientConfig>>,
    counters: Arc<Counters>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl fmt::Debug for LongConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LongConnection")
            .field("state", &*self.state.borrow())
            .field("config", &self.config())
            .finish()
    }
}

impl LongConnection {
    /// A builder for the app `app_id` with `app_secret`, dispatching to
    /// `dispatcher`.
    pub fn builder(
        app_id: impl Into<AppId>,
        app_secret: impl Into<Secret>,
        dispatcher: Arc<Dispatcher>,
    ) -> LongConnectionBuilder {
        LongConnectionBuilder {
            app_id: app_id.into(),
            app_secret: app_secret.into(),
            dispatcher,
            base_url: FEISHU_BASE_URL.to_owned(),
            transport: None,
            config: ClientConfig::default(),
            follow_server_config: true,
            ping_timeout: DEFAULT_PING_TIMEOUT,
            endpoint_timeout: DEFAULT_ENDPOINT_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            dial_timeout: DEFAULT_DIAL_TIMEOUT,
            workers: DEFAULT_WORKERS,
            max_pending: DEFAULT_MAX_PENDING,
            handler_grace: DEFAULT_HANDLER_GRACE,
            fragment_ttl: FRAGMENT_TTL,
            min_reconnect_delay: DEFAULT_MIN_RECONNECT_DELAY,
            queue_budget: DEFAULT_QUEUE_BUDGET,
            stale_after: None,
        }
    }

    /// The current state.
    pub fn state(&self) -> State {
        self.state.borrow().clone()
    }

    /// Every state change: the first call sees every change since the
    /// start, later calls those from the call on (a slow reader may miss
    /// some). The stream ends after `Stopped`.
    pub fn states(&self) -> BoxStream<'static, State> {
        let first = self.first_states.lock().take();
        let rx = first.unwrap_or_else(|| self.status.subscribe());
        futures::stream::unfold(Some(rx), |rx| async move {
            let mut rx = rx?;
            loop {
                match rx.recv().await {
                    Ok(state) => {
                        let next = match state {
                            State::Stopped { .. } => None,
                            _ => Some(rx),
                        };
                        return Some((state, next));
                    }
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                }
            }
        })
        .boxed()
    }

    /// The ping cadence and reconnect policy in force.
    pub fn config(&self) -> ClientConfig {
        *self.config.lock()
    }

    /// What was dropped so far to stay within the memory budgets (queued
    /// messages, incomplete fragmented messages), over all connections.
    pub fn drops(&self) -> DropCounts {
        self.counters.snapshot()
    }

    /// Time since the last frame of any kind (pongs included) on the
    /// current or last connection; `None` before the first connection.
    pub fn since_last_frame(&self) -> Option<Duration> {
        self.status.since_frame(tokio::time::Instant::now())
    }

    /// Time since the last event (or callback) message arrived; `None`
    /// before the first.
    pub fn since_last_event(&self) -> Option<Duration> {
        self.status.since_event(tokio::time::Instant::now())
    }

    /// Waits until the client stops, and says why.
    pub async fn stopped(&self) -> StopReason {
        let mut rx = self.state.clone();
        let result = rx
            .wait_for(|s| matches!(s, State::Stopped { .. }))
            .await
            .map(|s| s.clone());
        match result {
            Ok(State::Stopped { reason }) => reason,
            _ => StopReason::Shutdown,
        }
    }

    /// Stops the client: no more reads or reconnects; in-flight handlers get
    /// the grace period, then are cancelled; the socket is closed. Returns
    /// within 1 s.
    pub async fn shutdown(&self) {
        self.cancel.send_replace(true);
        let task = self.task.lock().take();
        if let Some(mut task) = task {
            if tokio::time::timeout(SHUTDOWN_LIMIT, &mut task)
                .await
                .is_err()
            {
                task.abort();
                tracing::warn!("the long connection did not stop in time and was aborted");
            }
        }
        if !matches!(*self.state.borrow(), State::Stopped { .. }) {
            let stopped = State::Stopped {
                reason: StopReason::Shutdown,
            };
            self.status.set(stopped);
        }
    }
}

impl Drop for LongConnection {
    fn drop(&mut self) {
        self.cancel.send_replace(true);
    }
}

/// How one connection ended.
enum Lifetime {
    /// `shutdown()` was called.
    Shutdown,
    /// The connection was lost, or never made (`connected` false).
    Ended {
        /// Why.
        error: WsError,
        /// Whether the connection had been made.
        connected: bool,
    },
}

/// The background task.
struct Runner {
    endpoint: EndpointCall,
    ctx: Arc<Ctx>,
    dial_timeout: Duration,
    min_reconnect_delay: Duration,
    cancel: watch::Receiver<bool>,
}

impl Runner {
    fn set(&self, state: State) {
        self.ctx.status.set(state);
    }

    /// Runs until the client stops; a panic anywhere in here ends as
    /// [`StopReason::Panicked`], never silently.
    async fn run(self) {
        let reason = match caught(self.run_loop()).await {
            Ok(reason) => reason,
            Err(message) => {
                tracing::error!(panic = %message, "the long connection failed");
                StopReason::Panicked { message }
            }
        };
        self.set(State::Stopped { reason });
    }

    async fn run_loop(&self) -> StopReason {
        let mut attempt: u32 = 0;
        let mut connection: u64 = 0;
        loop {
            if attempt == 0 {
                self.set(State::Connecting);
            }
            connection += 1;
            // One span per connection, from the endpoint call to the close;
            // the events it carries are handled in spans nested inside.
            let span = tracing::info_span!(
                "feishu.ws.connection",
                feishu.app_id = %self.endpoint.app_id,
                feishu.ws.connection = connection,
                feishu.ws.attempt = attempt,
                feishu.ws.device_id = tracing::field::Empty,
                feishu.ws.close_reason = tracing::field::Empty,
            );
            let mut cancel = self.cancel.clone();
            let lifetime = self
                .connection(&span, &mut cancel)
                .instrument(span.clone())
                .await;
            let error = match lifetime {
                Lifetime::Shutdown => {
                    span.record("feishu.ws.close_reason", "shutdown");
                    break StopReason::Shutdown;
                }
                Lifetime::Ended { error, connected } => {
                    span.record("feishu.ws.close_reason", tracing::field::display(&error));
                    if connected {
                        attempt = 0;
                    }
                    error
                }
            };
            drop(span);
            if error.is_terminal() {
                tracing::error!(error = %error, "long connection stopped");
                break StopReason::Terminal(error);
            }
            tracing::warn!(error = %error, "long connection lost or not made; reconnecting");
            let config = self.ctx.config();
            if config.reconnect_count >= 0 && i64::from(attempt) >= config.reconnect_count {
                break StopReason::GaveUp {
                    attempts: attempt,
                    last: error,
                };
            }
            attempt += 1;
            let delay = redial_delay(&config, attempt, self.min_reconnect_delay);
            self.set(State::Reconnecting { attempt });
            tokio::select! {
                biased;
                _ = cancel.wait_for(|c| *c) => break StopReason::Shutdown,
                () = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// One connection's lifetime: the endpoint call and dial, then the
    /// session until it ends.
    async fn connection(
        &self,
        span: &tracing::Span,
        cancel: &mut watch::Receiver<bool>,
    ) -> Lifetime {
        let connected = tokio::select! {
            biased;
            _ = cancel.wait_for(|c| *c) => return Lifetime::Shutdown,
            connected = self.connect() => connected,
        };
        let (socket, url) = match connected {
            Ok(up) => up,
            Err(error) => {
                return Lifetime::Ended {
                    error,
                    connected: false,
                }
            }
        };
        self.ctx.status.connected(tokio::time::Instant::now());
        span.record("feishu.ws.device_id", url.device_id());
        tracing::info!(device_id = url.device_id(), url = %url, "long connection up");
        let session = session::serve(
            socket,
            url.service_id(),
            self.ctx.clone(),
            cancel,
            span.clone(),
        );
        let error = match caught(session).await {
            Ok(SessionEnd::Shutdown) => return Lifetime::Shutdown,
            Ok(SessionEnd::Lost(e)) => e,
            Err(message) => {
                tracing::error!(panic = %message, "the session failed");
                WsError::Dead(format!("the session failed: {message}"))
            }
        };
        tracing::info!(error = %error, "long connection closed");
        Lifetime::Ended {
            error,
            connected: true,
        }
    }

    /// One endpoint call and dial.
    async fn connect(&self) -> Result<(Socket, ConnectUrl), WsError> {
        let endpoint = self.endpoint.fetch().await?;
        if let Some(config) = &endpoint.client_config {
            if self.ctx.follow_server_config {
                let mut bytes = Vec::new();
                if serde_json::to_writer(&mut bytes, config).is_ok() {
                    self.ctx.apply_config(&bytes);
                }
            }
        }
        let url = endpoint.url;
        // 16 KiB reads: tungstenite zero-fills the whole read buffer (128
        // KiB by default) before every read.
        let ws_config = tungstenite::protocol::WebSocketConfig::default()
            .read_buffer_size(16 * 1024)
            .max_message_size(Some(MAX_MESSAGE_BYTES + 64 * 1024))
            .max_frame_size(Some(MAX_MESSAGE_BYTES + 64 * 1024));
        match tokio::time::timeout(self.dial_timeout, dial(&url, ws_config)).await {
            Err(_) => Err(WsError::Dial(format!(
                "no upgrade within {:?}",
                self.dial_timeout
            ))),
            Ok(Ok(socket)) => Ok((socket, url)),
            Ok(Err(e)) => Err(e),
        }
    }
}

/// A random duration in `[0, below)` (zero when `below` is zero).
fn random_below(below: Duration) -> Duration {
    let millis = u64::try_from(below.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(if millis == 0 {
        0
    } else {
        fastrand::u64(..millis)
    })
}

/// The wait before redial `attempt` (1-based): the policy's (a random
/// delay below the nonce for the first, the interval after), at least
/// `floor`, plus a jitter below half of `floor`.
fn redial_delay(config: &ClientConfig, attempt: u32, floor: Duration) -> Duration {
    let planned = if attempt <= 1 {
        random_below(config.reconnect_nonce)
    } else {
        config.reconnect_interval
    };
    planned.max(floor) + random_below(floor / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_redial_waits_at_least_the_floor() {
        let zero = ClientConfig {
            reconnect_nonce: Duration::ZERO,
            reconnect_interval: Duration::from_secs(1),
            ..ClientConfig::default()
        };
        let floor = Duration::from_millis(200);
        for attempt in [1, 2, 5] {
            for _ in 0..200 {
                let d = redial_delay(&zero, attempt, floor);
                let least = if attempt == 1 {
                    floor
                } else {
                    Duration::from_secs(1)
                };
                assert!(d >= least && d < least + floor / 2, "{attempt}: {d:?}");
            }
        }
        // The jitter spreads the redials.
        let spread: std::collections::HashSet<_> =
            (0..50).map(|_| redial_delay(&zero, 1, floor)).collect();
        assert!(spread.len() > 5, "{spread:?}");
    }
}

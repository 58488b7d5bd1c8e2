//! One live connection: reads frames, pings on the cadence of the live
//! [`ClientConfig`], watches liveness, reassembles fragments, runs handlers
//! on a bounded pool and writes their acknowledgements.
//!
//! A message that finds a free worker and nothing queued starts in the read
//! loop: a handler that finishes at its first poll is acknowledged there,
//! written straight to the socket when the writer task is idle; any other
//! runs on in a task, and its acknowledgement goes through the writer.
//!
//! Frames that are already read are handled one after another, up to
//! [`DRAIN_AT_ONCE`], before the loop's timers, cancellation and writer are
//! polled again; after a drain that found nothing waiting, the next
//! [`DRAIN_BACKOFF`] frames are taken one at a time.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::{FutureExt, SinkExt, StreamExt};
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use tracing::Instrument;

use super::config::ClientConfig;
use super::counters::Counters;
use super::error::WsError;
use super::status::Status;
use crate::dispatcher::Dispatcher;
use crate::panic::caught;
use crate::webhook::Event;
use feishu_protocol::ack::{ack, ack_bytes};
use feishu_protocol::fragments::{Reassembler, MAX_MESSAGE_BYTES};
use feishu_protocol::frame::{Frame, MESSAGE_ID, METHOD_CONTROL, METHOD_DATA, PONG, SEQ, SUM};

/// What every session of one client shares.
pub(crate) struct Ctx {
    pub(crate) dispatcher: Arc<Dispatcher>,
    pub(crate) config: Arc<Mutex<ClientConfig>>,
    pub(crate) follow_server_config: bool,
    pub(crate) ping_timeout: Duration,
    pub(crate) workers: Arc<Semaphore>,
    pub(crate) max_pending: usize,
    pub(crate) handler_grace: Duration,
    pub(crate) fragment_ttl: Duration,
    /// The most bytes of complete messages waiting for a worker.
    pub(crate) queue_budget: usize,
    pub(crate) counters: Arc<Counters>,
    /// The state and liveness marks of the client.
    pub(crate) status: Arc<Status>,
    /// After how long without an event the connection is reported stale.
    pub(crate) stale_after: Option<Duration>,
}

impl Ctx {
    pub(crate) fn config(&self) -> ClientConfig {
        *self.config.lock()
    }

    pub(crate) fn apply_config(&self, payload: &[u8]) {
        if !self.follow_server_config {
            return;
        }
        let mut config = self.config.lock();
        if config.apply_bytes(payload) {
            tracing::debug!(config = ?*config, "client config updated by the server");
        }
    }
}

/// The write half of a connection.
type SharedSink = Arc<
    tokio::sync::Mutex<
        Pin<Box<dyn futures::Sink<Message, Error = tokio_tungstenite::tungstenite::Error> + Send>>,
    >,
>;

/// How a session ended.
#[derive(Debug)]
pub(crate) enum SessionEnd {
    /// `shutdown()` was called.
    Shutdown,
    /// The connection was lost.
    Lost(WsError),
}

/// The most frames already read that are handled before the session's
/// timers, cancellation and writer are looked at again.
const DRAIN_AT_ONCE: usize = 32;

/// After a drain that found no frame waiting, how many frames are taken one
/// at a time before the next drain is tried.
const DRAIN_BACKOFF: u8 = 8;

/// How long the writer may take to flush and close at the end.
const CLOSE_GRACE: Duration = Duration::from_millis(150);

/// The state of one connection's read loop.
struct Reader {
    /// The connection's span: handlers run inside it.
    span: tracing::Span,
    ctx: Arc<Ctx>,
    out: mpsc::Sender<Message>,
    /// The write half, shared with the writer task: the read loop writes
    /// an acknowledgement itself when the writer is idle.
    sink: SharedSink,
    /// Why a write from the read loop failed: the session ends.
    write_failed: Option<String>,
    handlers: JoinSet<()>,
    pending: Arc<AtomicUsize>,
    fragments: Reassembler,
    /// Messages handed to a task, oldest first; an entry whose slot is
    /// empty has started (or was dropped).
    queue: VecDeque<Waiting>,
    /// The bytes of the payloads still waiting in `queue`.
    queued_bytes: Arc<AtomicUsize>,
}

/// A complete message waiting for a worker. Whoever takes the payload out
/// of the slot first owns it: the task (it runs the handler) or the reader
/// (it drops the message to stay within the queue budget).
struct Waiting {
    slot: Arc<Mutex<Option<Vec<u8>>>>,
    /// The received frame without its payload, for the acknowledgement
    /// (shared with the task that handles the message).
    frame: Arc<Frame>,
}

/// One message counted in `pending` until this is dropped (the task ends,
/// is cancelled, or panics).
struct PendingSlot(Arc<AtomicUsize>);

impl Drop for PendingSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Serves one connection until it is lost or `cancel` turns true; its
/// writer and handlers run in `span` (the connection's).
pub(crate) async fn serve<S>(
    ws: WebSocketStream<S>,
    service_id: i32,
    ctx: Arc<Ctx>,
    cancel: &mut watch::Receiver<bool>,
    span: tracing::Span,
) -> SessionEnd
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (sink, mut stream) = ws.split();
    let sink: SharedSink = Arc::new(tokio::sync::Mutex::new(Box::pin(sink)));
    let (out, mut out_rx) = mpsc::channel::<Message>(1024);
    let shared = sink.clone();
    let mut writer = tokio::spawn(
        async move {
            while let Some(message) = out_rx.recv().await {
                if let Err(e) = shared.lock().await.send(message).await {
                    return Err(e.to_string());
                }
            }
            let mut sink = shared.lock().await;
            let _ = sink.send(Message::Close(None)).await;
            let _ = sink.close().await;
            Ok(())
        }
        .instrument(span.clone()),
    );
    let mut reader = Reader {
        span,
        sink,
        write_failed: None,
        fragments: Reassembler::new(ctx.fragment_ttl),
        ctx,
        out,
        handlers: JoinSet::new(),
        pending: Arc::new(AtomicUsize::new(0)),
        queue: VecDeque::new(),
        queued_bytes: Arc::new(AtomicUsize::new(0)),
    };
    let ping = Message::Binary(Frame::ping(service_id).encode().into());
    let far = || tokio::time::Instant::now() + Duration::from_secs(24 * 60 * 60);
    // The timers live across iterations and are reset only when their
    // time changes, not rebuilt for every frame.
    let mut next_ping = tokio::time::Instant::now();
    let ping_timer = tokio::time::sleep_until(next_ping);
    // Armed while a ping is unanswered (`deadline`).
    let mut deadline: Option<tokio::time::Instant> = None;
    let deadline_timer = tokio::time::sleep_until(far());
    // Armed at a time the connection may turn stale; when it fires, the
    // time is read again from the status (events move it on).
    let mut stale_armed = false;
    let stale_timer = tokio::time::sleep_until(far());
    let cancelled = cancel.wait_for(|c| *c);
    tokio::pin!(ping_timer, deadline_timer, stale_timer, cancelled);
    // Frames to take one at a time before the next drain is tried.
    let mut drain_backoff = 0;
    // A finished `JoinHandle` must not be awaited again.
    let mut writer_done = false;
    let end = loop {
        if !stale_armed {
            if let Some(at) = reader
                .ctx
                .stale_after
                .and_then(|after| reader.ctx.status.stale_at(after))
            {
                stale_timer.as_mut().reset(at);
                stale_armed = true;
            }
        }
        tokio::select! {
            biased;
            _ = &mut cancelled => break SessionEnd::Shutdown,
            result = &mut writer => {
                writer_done = true;
                let why = match result {
                    Ok(Err(e)) => format!("a write failed: {e}"),
                    _ => "the writer stopped".to_owned(),
                };
                break SessionEnd::Lost(WsError::Dead(why));
            }
            () = &mut stale_timer, if stale_armed => {
                stale_armed = false;
                let at = reader
                    .ctx
                    .stale_after
                    .and_then(|after| reader.ctx.status.stale_at(after));
                match at {
                    Some(at) if at > tokio::time::Instant::now() => {
                        stale_timer.as_mut().reset(at);
                        stale_armed = true;
                    }
                    Some(_) => {
                        tracing::warn!(after = ?reader.ctx.stale_after, "no event within the stale-after time; the connection is kept");
                        reader.ctx.status.stale();
                    }
                    None => {}
                }
            }
            () = &mut deadline_timer, if deadline.is_some() => {
                #[cfg(feature = "metrics")]
                crate::telemetry::ping_unanswered();
                break SessionEnd::Lost(WsError::Dead(format!(
                    "no frame within {:?} after a ping", reader.ctx.ping_timeout
                )));
            }
            () = &mut ping_timer => {
                match reader.out.try_send(ping.clone()) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Closed(_)) => {
                        break SessionEnd::Lost(WsError::Dead("the ping could not be written".to_owned()));
                    }
                    // The writer is backed up: the watchdog decides.
                    Err(mpsc::error::TrySendError::Full(_)) => {}
                }
                let now = tokio::time::Instant::now();
                #[cfg(feature = "metrics")]
                {
                    if deadline.is_some() {
                        crate::telemetry::ping_unanswered();
                    }
                    if let Some(age) = reader.ctx.status.quiet_for(now) {
                        crate::telemetry::last_event_age(age);
                    }
                }
                if deadline.is_none() {
                    let at = now + reader.ctx.ping_timeout;
                    deadline = Some(at);
                    deadline_timer.as_mut().reset(at);
                }
                next_ping = now + reader.ctx.config().ping_interval;
                ping_timer.as_mut().reset(next_ping);
            }
            message = stream.next() => {
                // Frames already read are handled in one go, up to
                // `DRAIN_AT_ONCE`, before the other branches are polled again.
                let mut next = message;
                let mut left = DRAIN_AT_ONCE;
                let ended = loop {
                    let message = match next {
                        None => break Some(SessionEnd::Lost(WsError::Closed("the server closed the connection".to_owned()))),
                        Some(Err(e)) => break Some(SessionEnd::Lost(WsError::Closed(e.to_string()))),
                        Some(Ok(message)) => message,
                    };
                    deadline = None;
                    if let Some(end) = reader.on_message(message) {
                        break Some(end);
                    }
                    left -= 1;
                    if left == 0 {
                        break None;
                    }
                    // A read that finds nothing costs as much as one that
                    // finds a frame (the WebSocket zero-fills its buffer
                    // first): after one, the next frames are taken one at
                    // a time. The drain's read uses a no-op waker and the
                    // `select!` always reads again with the task's own: a
                    // read that ran out of the task's budget registers
                    // nothing, and `select!` polls no branch at all while
                    // the budget is spent, so skipping its read after such
                    // a drain can leave the session asleep with data
                    // waiting.
                    if drain_backoff > 0 {
                        drain_backoff -= 1;
                        break None;
                    }
                    match stream.next().now_or_never() {
                        Some(message) => next = message,
                        None => {
                            drain_backoff = DRAIN_BACKOFF;
                            break None;
                        }
                    }
                };
                if let Some(end) = ended {
                    break end;
                }
            }
            Some(_) = reader.handlers.join_next(), if !reader.handlers.is_empty() => {}
        }
    };
    reader.finish(&end, (!writer_done).then_some(writer)).await;
    end
}

impl Reader {
    /// One WebSocket message, just read; `Some` when it ends the session.
    fn on_message(&mut self, message: Message) -> Option<SessionEnd> {
        let now = tokio::time::Instant::now();
        self.ctx.status.frame(now);
        match message {
            Message::Binary(bytes) => {
                self.on_frame(&bytes, now);
                if let Some(e) = self.write_failed.take() {
                    return Some(SessionEnd::Lost(WsError::Dead(format!(
                        "a write failed: {e}"
                    ))));
                }
                // Reap finished handlers even while frames keep arriving.
                while self.handlers.try_join_next().is_some() {}
                None
            }
            Message::Close(_) => Some(SessionEnd::Lost(WsError::Closed(
                "the server sent a close frame".to_owned(),
            ))),
            // Text messages are not frames; RFC 6455 pings are answered by
            // the WebSocket layer.
            _ => None,
        }
    }

    /// One binary message, received at `now`.
    fn on_frame(&mut self, bytes: &[u8], now: tokio::time::Instant) {
        let frame = match Frame::decode(bytes) {
            Ok(frame) => frame,
            Err(e) => {
                tracing::warn!(error = %e, "undecodable frame ignored");
                return;
            }
        };
        match frame.method {
            METHOD_CONTROL => {
                if frame.message_type() == PONG {
                    self.ctx.apply_config(frame.payload_bytes());
                }
            }
            METHOD_DATA => self.on_data(frame, now),
            other => tracing::debug!(method = other, "frame of unknown method ignored"),
        }
    }

    fn on_data(&mut self, mut frame: Frame, now: tokio::time::Instant) {
        let number = |frame: &Frame, key: &str, default: usize| {
            frame
                .header(key)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(default)
        };
        let (sum, seq) = (number(&frame, SUM, 1), number(&frame, SEQ, 0));
        let pushed = if sum == 1 && seq == 0 && frame.payload_bytes().len() <= MAX_MESSAGE_BYTES {
            // An unfragmented message: its payload is taken as it is.
            Ok(Some(frame.payload.take().unwrap_or_default()))
        } else {
            let dropped_before = self.fragments.dropped_sets();
            let pushed = self.fragments.push(
                frame.header(MESSAGE_ID).unwrap_or_default(),
                sum,
                seq,
                frame.payload_bytes(),
                Instant::now(),
            );
            let dropped = self.fragments.dropped_sets() - dropped_before;
            if dropped > 0 {
                self.ctx
                    .counters
                    .fragment_sets
                    .fetch_add(dropped, Ordering::Relaxed);
                #[cfg(feature = "metrics")]
                crate::telemetry::dropped(dropped, 0);
            }
            pushed
        };
        let payload = match pushed {
            Ok(Some(payload)) => {
                self.ctx.status.event(now);
                #[cfg(feature = "metrics")]
                crate::telemetry::last_event_age(Duration::ZERO);
                payload
            }
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "fragment refused");
                return;
            }
        };
        // The acknowledgement needs the headers only.
        frame.payload = None;
        if self.pending.load(Ordering::SeqCst) >= self.ctx.max_pending {
            tracing::warn!(
                message_id = frame.header(MESSAGE_ID).unwrap_or_default(),
                "handler pool full; answered 500 for a redelivery"
            );
            let busy = ack(&frame, 500, None, Duration::ZERO);
            let _ = self.out.try_send(Message::Binary(busy.encode().into()));
            return;
        }
        // No message waits for a worker and one is free: the handler starts
        // here, in the read loop, and runs on in a task only if it does not
        // finish at its first poll.
        if self.queued_bytes.load(Ordering::SeqCst) == 0 && self.ctx.workers.available_permits() > 0
        {
            self.run_now(frame, payload);
            return;
        }
        self.make_room(payload.len());
        self.pending.fetch_add(1, Ordering::SeqCst);
        let pending = PendingSlot(self.pending.clone());
        self.queued_bytes.fetch_add(payload.len(), Ordering::SeqCst);
        let slot = Arc::new(Mutex::new(Some(payload)));
        let frame = Arc::new(frame);
        self.queue.push_back(Waiting {
            slot: slot.clone(),
            frame: Arc::clone(&frame),
        });
        let queued_bytes = self.queued_bytes.clone();
        let ctx = self.ctx.clone();
        let out = self.out.clone();
        self.handlers.spawn(
            async move {
                let _pending = pending;
                let permit = ctx.workers.clone().acquire_owned().await;
                let Some(payload) = slot.lock().take() else {
                    // Dropped while waiting; the reader answered it.
                    return;
                };
                queued_bytes.fetch_sub(payload.len(), Ordering::SeqCst);
                let answer = handle(&ctx, payload, &frame, permit.ok()).await;
                send_ack(&out, &frame, answer).await;
            }
            .instrument(self.span.clone()),
        );
    }

    /// Runs a message's handler up to its first pending point in the read
    /// loop: a handler that finishes there is acknowledged at once, without
    /// a task or a worker permit (none is taken from the pool for a run that
    /// never leaves the loop); one that does not runs on in a task, like a
    /// queued message, holding a worker permit from then on.
    fn run_now(&mut self, frame: Frame, payload: Vec<u8>) {
        let ctx = self.ctx.clone();
        let mut run: Pin<Box<dyn Future<Output = (Vec<u8>, Frame)> + Send>> = Box::pin(
            async move {
                let answer = handle(&ctx, payload, &frame, None).await;
                (answer, frame)
            }
            .instrument(self.span.clone()),
        );
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        if let Poll::Ready((answer, _)) = run.as_mut().poll(&mut cx) {
            self.write_now(Message::Binary(answer.into()));
            return;
        }
        self.pending.fetch_add(1, Ordering::SeqCst);
        let pending = PendingSlot(self.pending.clone());
        let workers = self.ctx.workers.clone();
        // Free when the run started, as nothing was queued.
        let permit = workers.clone().try_acquire_owned().ok();
        let out = self.out.clone();
        // The future was polled with a no-op waker: the task polls it
        // again at once, registering its own.
        self.handlers.spawn(async move {
            let _pending = pending;
            let permit = match permit {
                Some(permit) => Some(permit),
                None => workers.acquire_owned().await.ok(),
            };
            let (answer, frame) = run.await;
            drop(permit);
            send_ack(&out, &frame, answer).await;
        });
    }

    /// Writes `message` from the read loop when the writer task is idle
    /// and the socket takes it at once; otherwise a task finishes the write
    /// under the sink's lock, or the writer task gets the message.
    fn write_now(&mut self, message: Message) {
        let Ok(mut sink) = self.sink.clone().try_lock_owned() else {
            if let Err(mpsc::error::TrySendError::Full(message)) = self.out.try_send(message) {
                let out = self.out.clone();
                self.handlers.spawn(
                    async move {
                        let _ = out.send(message).await;
                    }
                    .instrument(self.span.clone()),
                );
            }
            return;
        };
        // Polled with a no-op waker: whatever is not done here is finished
        // by a task, which polls again with its own.
        let mut cx = Context::from_waker(futures::task::noop_waker_ref());
        let flushed = match sink.as_mut().poll_ready(&mut cx) {
            Poll::Ready(Ok(())) => match sink.as_mut().start_send(message) {
                Ok(()) => sink.as_mut().poll_flush(&mut cx),
                Err(e) => Poll::Ready(Err(e)),
            },
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => {
                self.handlers.spawn(
                    async move {
                        if let Err(e) = sink.send(message).await {
                            tracing::debug!(error = %e, "an acknowledgement could not be written");
                        }
                    }
                    .instrument(self.span.clone()),
                );
                return;
            }
        };
        match flushed {
            Poll::Ready(Ok(())) => {}
            Poll::Ready(Err(e)) => self.write_failed = Some(e.to_string()),
            Poll::Pending => {
                self.handlers.spawn(
                    async move {
                        if let Err(e) = sink.flush().await {
                            tracing::debug!(error = %e, "an acknowledgement could not be flushed");
                        }
                    }
                    .instrument(self.span.clone()),
                );
            }
        }
    }

    /// Drops the oldest messages still waiting for a worker until `incoming`
    /// more bytes fit in the queue budget (the newest message is always
    /// queued); each dropped one is answered 500, so the platform
    /// redelivers it, and counted.
    fn make_room(&mut self, incoming: usize) {
        let budget = self.ctx.queue_budget;
        while let Some(oldest) = self.queue.front() {
            let waiting = self.queued_bytes.load(Ordering::SeqCst);
            let started = oldest.slot.lock().is_none();
            if !started && waiting.saturating_add(incoming) <= budget {
                break;
            }
            let Some(oldest) = self.queue.pop_front() else {
                break;
            };
            let Some(payload) = oldest.slot.lock().take() else {
                continue;
            };
            self.queued_bytes.fetch_sub(payload.len(), Ordering::SeqCst);
            self.ctx
                .counters
                .queued_messages
                .fetch_add(1, Ordering::Relaxed);
            #[cfg(feature = "metrics")]
            crate::telemetry::dropped(0, 1);
            tracing::warn!(
                message_id = oldest.frame.header(MESSAGE_ID).unwrap_or_default(),
                bytes = payload.len(),
                waiting,
                budget,
                "queue budget exceeded; the oldest waiting message is dropped and answered 500"
            );
            let busy = ack(&oldest.frame, 500, None, Duration::ZERO);
            let _ = self.out.try_send(Message::Binary(busy.encode().into()));
        }
    }

    /// Ends the session: on shutdown, in-flight handlers get the grace
    /// period and are then cancelled; on a lost connection they run on
    /// (their acknowledgements go nowhere; the platform redelivers and the
    /// de-duplication answers). Then the writer, unless it already ended
    /// (`None`), closes the socket.
    async fn finish(
        mut self,
        end: &SessionEnd,
        writer: Option<tokio::task::JoinHandle<Result<(), String>>>,
    ) {
        match end {
            SessionEnd::Shutdown => {
                let grace = self.ctx.handler_grace;
                let drained = tokio::time::timeout(grace, async {
                    while self.handlers.join_next().await.is_some() {}
                })
                .await;
                if drained.is_err() {
                    tracing::warn!(
                        running = self.handlers.len(),
                        "handlers still running at the shutdown deadline were cancelled"
                    );
                    self.handlers.abort_all();
                }
            }
            SessionEnd::Lost(_) => self.handlers.detach_all(),
        }
        drop(self.out);
        if let Some(mut writer) = writer {
            if tokio::time::timeout(CLOSE_GRACE, &mut writer)
                .await
                .is_err()
            {
                writer.abort();
            }
        }
    }
}

/// Decodes and dispatches one message, releasing the worker `permit` when
/// the handler is done; returns the acknowledgement's bytes.
async fn handle(
    ctx: &Ctx,
    payload: Vec<u8>,
    frame: &Frame,
    permit: Option<OwnedSemaphorePermit>,
) -> Vec<u8> {
    let started = Instant::now();
    let (code, response) = match feishu_model::events::decode(&payload) {
        Ok(event) => {
            drop(payload);
            // The dispatcher catches a panic of a handler's future; this
            // catches one of a handler panicking before it returns one.
            match caught(ctx.dispatcher.dispatch_answer(Event { event })).await {
                Ok((outcome, response)) => (outcome.status, response),
                Err(panic) => {
                    tracing::error!(
                        panic = %panic,
                        message_id = frame.header(MESSAGE_ID).unwrap_or_default(),
                        "event handler panicked; answered 500"
                    );
                    (500, None)
                }
            }
        }
        Err(e) => {
            tracing::warn!(
                error = %e,
                message_id = frame.header(MESSAGE_ID).unwrap_or_default(),
                "undecodable event payload"
            );
            (400, None)
        }
    };
    drop(permit);
    ack_bytes(frame, code, response.as_ref(), started.elapsed())
}

/// Hands an acknowledgement to the writer, waiting for room.
async fn send_ack(out: &mpsc::Sender<Message>, frame: &Frame, answer: Vec<u8>) {
    if out.send(Message::Binary(answer.into())).await.is_err() {
        tracing::debug!(
            message_id = frame.header(MESSAGE_ID).unwrap_or_default(),
            "connection gone before the acknowledgement"
        );
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;
    use tokio_tungstenite::tungstenite::protocol::Role;

    use super::*;
    use crate::ws::State;
    use crate::Webhook;

    /// A socket whose reads never complete and whose writes all fail.
    struct WriteFails;

    impl AsyncRead for WriteFails {
        fn poll_read(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &mut ReadBuf<'_>,
        ) -> Poll<std::io::Result<()>> {
            Poll::Pending
        }
    }

    impl AsyncWrite for WriteFails {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            Poll::Ready(Err(std::io::ErrorKind::BrokenPipe.into()))
        }

        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }

        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }

    pub(crate) fn ctx() -> Arc<Ctx> {
        Arc::new(Ctx {
            dispatcher: Arc::new(Dispatcher::new(Webhook::new())),
            config: Arc::new(Mutex::new(ClientConfig::default())),
            follow_server_config: false,
            ping_timeout: Duration::from_secs(30),
            workers: Arc::new(Semaphore::new(4)),
            max_pending: 16,
            handler_grace: Duration::from_millis(100),
            fragment_ttl: Duration::from_secs(10),
            queue_budget: 64 * 1024 * 1024,
            counters: Arc::new(Counters::default()),
            status: Arc::new(Status::new().0),
            stale_after: None,
        })
    }

    /// A v2 event of an unknown type, about `pad` bytes long.
    fn big_event(id: usize, pad: usize) -> Vec<u8> {
        format!(
            r#"{{"schema":"2.0","header":{{"event_id":"e{id}","event_type":"custom.big","create_time":"1","token":"t","app_id":"a","tenant_key":"k"}},"event":{{"pad":"{}"}}}}"#,
            "x".repeat(pad)
        )
        .into_bytes()
    }

    fn data_frame(id: usize, payload: Vec<u8>) -> Message {
        let header = |key: &str, value: String| feishu_protocol::frame::Header {
            key: key.to_owned(),
            value,
        };
        let frame = Frame {
            method: METHOD_DATA,
            headers: vec![
                header("type", "event".to_owned()),
                header(MESSAGE_ID, format!("m{id}")),
                header(SUM, "1".to_owned()),
                header(SEQ, "0".to_owned()),
            ],
            payload: Some(payload),
            ..Frame::default()
        };
        Message::Binary(frame.encode().into())
    }

    /// A session served over an in-memory pipe of `buffer` bytes: the
    /// server's end, the cancel switch and the running session.
    async fn start(
        ctx: Arc<Ctx>,
        buffer: usize,
    ) -> (
        WebSocketStream<tokio::io::DuplexStream>,
        watch::Sender<bool>,
        tokio::task::JoinHandle<SessionEnd>,
    ) {
        let (client_io, server_io) = tokio::io::duplex(buffer);
        let client = WebSocketStream::from_raw_socket(client_io, Role::Client, None).await;
        let server = WebSocketStream::from_raw_socket(server_io, Role::Server, None).await;
        let (cancel_tx, mut cancel) = watch::channel(false);
        let session =
            tokio::spawn(
                async move { serve(client, 1, ctx, &mut cancel, tracing::Span::none()).await },
            );
        (server, cancel_tx, session)
    }

    /// Pings a day apart, so a paused clock can run for minutes without one.
    fn without_pings(ctx: &mut Ctx) {
        ctx.ping_timeout = Duration::from_secs(24 * 60 * 60);
        ctx.config = Arc::new(Mutex::new(ClientConfig {
            ping_interval: Duration::from_secs(24 * 60 * 60),
            ..ClientConfig::default()
        }));
    }

    /// The next acknowledgement the server reads: its message id and its
    /// JSON payload.
    async fn next_ack_body<S: AsyncRead + AsyncWrite + Unpin>(
        server: &mut WebSocketStream<S>,
    ) -> (String, serde_json::Value) {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(5), server.next())
                .await
                .unwrap()
                .unwrap()
                .unwrap();
            let Message::Binary(bytes) = message else {
                continue;
            };
            let frame = Frame::decode(&bytes).unwrap();
            if frame.method != METHOD_DATA {
                continue;
            }
            let body: serde_json::Value = serde_json::from_slice(frame.payload_bytes()).unwrap();
            return (frame.header(MESSAGE_ID).unwrap().to_owned(), body);
        }
    }

    /// The next acknowledgement the server reads: message id and code.
    async fn next_ack<S: AsyncRead + AsyncWrite + Unpin>(
        server: &mut WebSocketStream<S>,
    ) -> (String, i64) {
        let (id, body) = next_ack_body(server).await;
        (id, body["code"].as_i64().unwrap())
    }

    #[tokio::test]
    async fn queued_messages_share_a_byte_budget_and_the_oldest_waiting_are_dropped() {
        let gate = Arc::new(Semaphore::new(0));
        let started = Arc::new(tokio::sync::Notify::new());
        let (g, n) = (gate.clone(), started.clone());
        let dispatcher = Dispatcher::new(Webhook::new()).fallback(move |_| {
            let (gate, started) = (g.clone(), n.clone());
            async move {
                started.notify_one();
                let _open = gate.acquire().await;
                Ok(())
            }
        });
        let mut ctx = ctx();
        let budget = 4 * 1024 * 1024;
        if let Some(ctx) = Arc::get_mut(&mut ctx) {
            ctx.dispatcher = Arc::new(dispatcher);
            ctx.workers = Arc::new(Semaphore::new(1));
            ctx.queue_budget = budget;
        }
        let counters = ctx.counters.clone();
        let (mut server, cancel_tx, session) = start(ctx, 64 * 1024 * 1024).await;

        // m0 takes the only worker; m1..m9 (1 MB each) wait, and only four
        // fit in 4 MiB: the five oldest waiting are dropped, answered 500.
        server
            .send(data_frame(0, big_event(0, 1_000_000)))
            .await
            .unwrap();
        tokio::time::timeout(Duration::from_secs(5), started.notified())
            .await
            .unwrap();
        for id in 1..10 {
            server
                .send(data_frame(id, big_event(id, 1_000_000)))
                .await
                .unwrap();
        }
        let mut dropped = Vec::new();
        for _ in 0..5 {
            dropped.push(next_ack(&mut server).await);
        }
        let expected: Vec<_> = (1..6).map(|i| (format!("m{i}"), 500)).collect();
        assert_eq!(dropped, expected);
        assert_eq!(counters.snapshot().queued_messages, 5);
        gate.add_permits(100);
        let mut handled = Vec::new();
        for _ in 0..5 {
            handled.push(next_ack(&mut server).await);
        }
        handled.sort();
        let expected: Vec<_> = [0, 6, 7, 8, 9]
            .iter()
            .map(|i| (format!("m{i}"), 200))
            .collect();
        assert_eq!(handled, expected);
        cancel_tx.send_replace(true);
        session.await.unwrap();
    }

    #[tokio::test]
    async fn a_handler_panicking_before_its_future_is_answered_500_in_the_loop_and_in_a_task() {
        type Run =
            Pin<Box<dyn Future<Output = Result<(), crate::dispatcher::HandlerError>> + Send>>;
        let gate = Arc::new(Semaphore::new(0));
        let g = gate.clone();
        // Even ids panic while making their future; odd ones wait at the gate.
        let dispatcher = Dispatcher::new(Webhook::new()).fallback(move |event| -> Run {
            let id = event.event_id().unwrap_or_default().to_owned();
            let number: usize = id.trim_start_matches('e').parse().unwrap_or(0);
            assert!(number % 2 == 1, "{id} panics before its future");
            let gate = g.clone();
            Box::pin(async move {
                let _open = gate.acquire().await;
                Ok(())
            })
        });
        let mut ctx = ctx();
        if let Some(ctx) = Arc::get_mut(&mut ctx) {
            ctx.dispatcher = Arc::new(dispatcher);
            ctx.workers = Arc::new(Semaphore::new(1));
        }
        let workers = ctx.workers.clone();
        let (mut server, cancel_tx, session) = start(ctx, 1024 * 1024).await;
        // In the read loop: answered at once, and the worker is still free.
        server.send(data_frame(0, big_event(0, 10))).await.unwrap();
        assert_eq!(next_ack(&mut server).await, ("m0".to_owned(), 500));
        assert_eq!(workers.available_permits(), 1);
        // m1 starts in the loop, waits at the gate and takes the worker in
        // its task; m2 is queued behind it and panics in its own task.
        server.send(data_frame(1, big_event(1, 10))).await.unwrap();
        server.send(data_frame(2, big_event(2, 10))).await.unwrap();
        tokio::time::timeout(Duration::from_secs(5), async {
            while workers.available_permits() != 0 {
                tokio::task::yield_now().await;
            }
        })
        .await
        .unwrap();
        gate.add_permits(10);
        let mut acks = vec![next_ack(&mut server).await, next_ack(&mut server).await];
        acks.sort();
        assert_eq!(acks, [("m1".to_owned(), 200), ("m2".to_owned(), 500)]);
        cancel_tx.send_replace(true);
        session.await.unwrap();
        assert_eq!(workers.available_permits(), 1);
    }

    #[tokio::test(start_paused = true)]
    async fn a_quiet_connection_turns_stale_and_the_next_event_makes_it_connected() {
        let mut ctx = ctx();
        let (status, mut changes) = Status::new();
        let status = Arc::new(status);
        if let Some(ctx) = Arc::get_mut(&mut ctx) {
            ctx.status = status.clone();
            ctx.stale_after = Some(Duration::from_secs(60));
            without_pings(ctx);
        }
        #[cfg(feature = "metrics")]
        let recorder = metrics_util::debugging::DebuggingRecorder::new();
        #[cfg(feature = "metrics")]
        let snapshotter = recorder.snapshotter();
        #[cfg(feature = "metrics")]
        let _local = metrics::set_default_local_recorder(&recorder);
        let started = tokio::time::Instant::now();
        status.connected(started);
        let (mut server, cancel_tx, session) = start(ctx, 1024 * 1024).await;

        // 59 s without an event: still connected.
        tokio::time::sleep(Duration::from_secs(59)).await;
        assert_eq!(changes.try_recv().unwrap(), State::Connected);
        assert!(changes.try_recv().is_err());
        // At 60 s the state moves to stale; the connection stays open.
        tokio::time::sleep(Duration::from_secs(2)).await;
        assert_eq!(changes.try_recv().unwrap(), State::Stale);
        assert_eq!(status.since_event(tokio::time::Instant::now()), None);
        #[cfg(feature = "metrics")]
        {
            use metrics_util::debugging::DebugValue;
            let states: Vec<(String, f64)> = snapshotter
                .snapshot()
                .into_vec()
                .into_iter()
                .filter(|(key, ..)| key.key().name() == crate::telemetry::WS_CONNECTION_STATE)
                .filter_map(|(key, _, _, value)| match value {
                    DebugValue::Gauge(v) => key
                        .key()
                        .labels()
                        .next()
                        .map(|l| (l.value().to_owned(), v.into_inner())),
                    _ => None,
                })
                .filter(|(_, v)| *v == 1.0)
                .collect();
            assert_eq!(states, [("stale".to_owned(), 1.0)]);
        }
        assert!(!session.is_finished());

        // An event: connected again, and acknowledged.
        server.send(data_frame(1, big_event(1, 10))).await.unwrap();
        assert_eq!(next_ack(&mut server).await, ("m1".to_owned(), 200));
        assert_eq!(changes.recv().await.unwrap(), State::Connected);
        let now = tokio::time::Instant::now();
        assert_eq!(status.since_event(now), Some(Duration::ZERO));
        assert_eq!(status.since_frame(now), Some(Duration::ZERO));
        // Another quiet minute: stale again.
        tokio::time::sleep(Duration::from_secs(61)).await;
        assert_eq!(changes.try_recv().unwrap(), State::Stale);
        assert_eq!(
            status.since_event(tokio::time::Instant::now()),
            Some(Duration::from_secs(61))
        );
        cancel_tx.send_replace(true);
        assert!(matches!(session.await.unwrap(), SessionEnd::Shutdown));
        assert!(started.elapsed() >= Duration::from_secs(122));
    }

    /// The next acknowledgement's code, with its `data` decoded from base64
    /// into JSON.
    async fn next_ack_answer<S: AsyncRead + AsyncWrite + Unpin>(
        server: &mut WebSocketStream<S>,
    ) -> (i64, Option<serde_json::Value>) {
        use base64::Engine;
        let (_, body) = next_ack_body(server).await;
        let data = body["data"].as_str().map(|b64| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            serde_json::from_slice(&bytes).unwrap()
        });
        (body["code"].as_i64().unwrap(), data)
    }

    fn card_action(id: usize, verb: &str) -> Vec<u8> {
        format!(
            r#"{{"schema":"2.0","header":{{"event_id":"c{id}","event_type":"card.action.trigger","create_time":"1","token":"t","app_id":"a","tenant_key":"k"}},"event":{{"token":"c-1","action":{{"tag":"button","value":{{"verb":"{verb}"}}}}}}}}"#
        )
        .into_bytes()
    }

    #[tokio::test(start_paused = true)]
    async fn a_card_action_is_acknowledged_with_its_answer_in_base64_data() {
        use feishu_model::events::{CardAction, CardAnswer, EventV2};
        let dispatcher =
            Dispatcher::new(Webhook::new()).on_card_action(|e: EventV2<CardAction>| async move {
                match e.event.action.value_str("verb") {
                    Some("ack") => Ok(CardAnswer::success("acknowledged")),
                    Some("slow") => {
                        tokio::time::sleep(Duration::from_secs(10)).await;
                        Ok(CardAnswer::info("late"))
                    }
                    _ => Err("unknown verb".into()),
                }
            });
        let mut ctx = ctx();
        if let Some(ctx) = Arc::get_mut(&mut ctx) {
            ctx.dispatcher = Arc::new(dispatcher);
            without_pings(ctx);
        }
        let (mut server, cancel_tx, session) = start(ctx, 1024 * 1024).await;

        server
            .send(data_frame(1, card_action(1, "ack")))
            .await
            .unwrap();
        assert_eq!(
            next_ack_answer(&mut server).await,
            (
                200,
                Some(serde_json::json!({"toast": {"type": "success", "content": "acknowledged"}}))
            )
        );
        // Past the budget: `{}` at 2.5 s.
        let started = tokio::time::Instant::now();
        server
            .send(data_frame(2, card_action(2, "slow")))
            .await
            .unwrap();
        assert_eq!(
            next_ack_answer(&mut server).await,
            (200, Some(serde_json::json!({})))
        );
        assert_eq!(started.elapsed(), crate::DEFAULT_CALLBACK_BUDGET);
        // A failing handler: code 500, no answer.
        server
            .send(data_frame(3, card_action(3, "other")))
            .await
            .unwrap();
        assert_eq!(next_ack_answer(&mut server).await, (500, None));
        cancel_tx.send_replace(true);
        session.await.unwrap();
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_long_burst_of_frames_is_read_to_the_end_past_the_tasks_budget() {
        // Thousands of frames already waiting: the session reads them in
        // drains of many frames, runs out of its task's budget on the way
        // and must still come back for the rest.
        const FRAMES: usize = 3000;
        let (mut server, cancel_tx, session) = start(ctx(), 64 * 1024 * 1024).await;
        for id in 0..FRAMES {
            server
                .feed(data_frame(id, big_event(id, 10)))
                .await
                .unwrap();
        }
        server.flush().await.unwrap();
        let mut acked = std::collections::HashSet::new();
        while acked.len() < FRAMES {
            let (id, code) = next_ack(&mut server).await;
            assert_eq!(code, 200, "{id}");
            acked.insert(id);
        }
        assert!(acked.contains("m0") && acked.contains(&format!("m{}", FRAMES - 1)));
        cancel_tx.send_replace(true);
        assert!(matches!(session.await.unwrap(), SessionEnd::Shutdown));
    }

    #[tokio::test]
    async fn a_failed_write_ends_the_session_as_lost() {
        let ws = WebSocketStream::from_raw_socket(WriteFails, Role::Client, None).await;
        let (_cancel_tx, mut cancel) = watch::channel(false);
        let end = tokio::time::timeout(
            Duration::from_secs(5),
            serve(ws, 1, ctx(), &mut cancel, tracing::Span::none()),
        )
        .await
        .unwrap();
        match end {
            SessionEnd::Lost(WsError::Dead(why)) => {
                assert!(why.contains("a write failed"), "{why}")
            }
            other => panic!("{other:?}"),
        }
    }
}

//! One live connection: reads frames, pings on the cadence of the live
//! [`ClientConfig`], watches liveness, reassembles fragments, runs handlers
//! on a bounded pool and writes their acknowledgements.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use parking_lot::Mutex;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinSet;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::ack::ack;
use super::config::ClientConfig;
use super::error::WsError;
use super::fragments::Reassembler;
use super::frame::{Frame, MESSAGE_ID, METHOD_CONTROL, METHOD_DATA, PONG, SEQ, SUM};
use crate::dispatcher::Dispatcher;
use crate::webhook::Event;

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

/// How a session ended.
#[derive(Debug)]
pub(crate) enum SessionEnd {
    /// `shutdown()` was called.
    Shutdown,
    /// The connection was lost.
    Lost(WsError),
}

/// How long the writer may take to flush and close at the end.
const CLOSE_GRACE: Duration = Duration::from_millis(150);

/// The state of one connection's read loop.
struct Reader {
    ctx: Arc<Ctx>,
    out: mpsc::Sender<Message>,
    handlers: JoinSet<()>,
    pending: Arc<AtomicUsize>,
    fragments: Reassembler,
}

/// Serves one connection until it is lost or `cancel` turns true.
pub(crate) async fn serve<S>(
    ws: WebSocketStream<S>,
    service_id: i32,
    ctx: Arc<Ctx>,
    cancel: &mut watch::Receiver<bool>,
) -> SessionEnd
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sink, mut stream) = ws.split();
    let (out, mut out_rx) = mpsc::channel::<Message>(1024);
    let mut writer = tokio::spawn(async move {
        while let Some(message) = out_rx.recv().await {
            if let Err(e) = sink.send(message).await {
                return Err(e.to_string());
            }
        }
        let _ = sink.send(Message::Close(None)).await;
        let _ = sink.close().await;
        Ok(())
    });
    let mut reader = Reader {
        fragments: Reassembler::new(ctx.fragment_ttl),
        ctx,
        out,
        handlers: JoinSet::new(),
        pending: Arc::new(AtomicUsize::new(0)),
    };
    let ping = Message::Binary(Frame::ping(service_id).encode().into());
    let mut next_ping = tokio::time::Instant::now();
    let mut deadline: Option<tokio::time::Instant> = None;
    let far = || tokio::time::Instant::now() + Duration::from_secs(24 * 60 * 60);
    // A finished `JoinHandle` must not be awaited again.
    let mut writer_done = false;
    let end = loop {
        tokio::select! {
            biased;
            _ = cancel.wait_for(|c| *c) => break SessionEnd::Shutdown,
            result = &mut writer => {
                writer_done = true;
                let why = match result {
                    Ok(Err(e)) => format!("a write failed: {e}"),
                    _ => "the writer stopped".to_owned(),
                };
                break SessionEnd::Lost(WsError::Dead(why));
            }
            () = tokio::time::sleep_until(deadline.unwrap_or_else(far)), if deadline.is_some() => {
                break SessionEnd::Lost(WsError::Dead(format!(
                    "no frame within {:?} after a ping", reader.ctx.ping_timeout
                )));
            }
            () = tokio::time::sleep_until(next_ping) => {
                match reader.out.try_send(ping.clone()) {
                    Ok(()) => {}
                    Err(mpsc::error::TrySendError::Closed(_)) => {
                        break SessionEnd::Lost(WsError::Dead("the ping could not be written".to_owned()));
                    }
                    // The writer is backed up: the watchdog decides.
                    Err(mpsc::error::TrySendError::Full(_)) => {}
                }
                let now = tokio::time::Instant::now();
                deadline.get_or_insert(now + reader.ctx.ping_timeout);
                next_ping = now + reader.ctx.config().ping_interval;
            }
            message = stream.next() => match message {
                None => break SessionEnd::Lost(WsError::Closed("the server closed the connection".to_owned())),
                Some(Err(e)) => break SessionEnd::Lost(WsError::Closed(e.to_string())),
                Some(Ok(message)) => {
                    deadline = None;
                    match message {
                        Message::Binary(bytes) => reader.on_frame(&bytes),
                        Message::Close(_) => break SessionEnd::Lost(WsError::Closed("the server sent a close frame".to_owned())),
                        // Text messages are not frames; RFC 6455 pings are
                        // answered by the WebSocket layer.
                        _ => {}
                    }
                }
            },
            Some(_) = reader.handlers.join_next(), if !reader.handlers.is_empty() => {}
        }
    };
    reader.finish(&end, (!writer_done).then_some(writer)).await;
    end
}

impl Reader {
    fn on_frame(&mut self, bytes: &[u8]) {
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
            METHOD_DATA => self.on_data(frame),
            other => tracing::debug!(method = other, "frame of unknown method ignored"),
        }
    }

    fn on_data(&mut self, frame: Frame) {
        let number = |key: &str, default: usize| {
            frame
                .header(key)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(default)
        };
        let (sum, seq) = (number(SUM, 1), number(SEQ, 0));
        let message_id = frame.header(MESSAGE_ID).unwrap_or_default().to_owned();
        let payload =
            match self
                .fragments
                .push(&message_id, sum, seq, frame.payload_bytes(), Instant::now())
            {
                Ok(Some(payload)) => payload,
                Ok(None) => return,
                Err(e) => {
                    tracing::warn!(error = %e, "fragment refused");
                    return;
                }
            };
        let out = self.out.clone();
        if self.pending.load(Ordering::SeqCst) >= self.ctx.max_pending {
            tracing::warn!(message_id = %message_id, "handler pool full; answered 500 for a redelivery");
            let busy = ack(&frame, 500, None, Duration::ZERO);
            let _ = out.try_send(Message::Binary(busy.encode().into()));
            return;
        }
        self.pending.fetch_add(1, Ordering::SeqCst);
        let pending = self.pending.clone();
        let ctx = self.ctx.clone();
        self.handlers.spawn(async move {
            let permit = ctx.workers.clone().acquire_owned().await;
            let started = Instant::now();
            let (code, response) = match feishu_model::events::decode(&payload) {
                Ok(event) => {
                    let (outcome, response) = ctx.dispatcher.dispatch_answer(Event { event }).await;
                    (outcome.status, response)
                }
                Err(e) => {
                    tracing::warn!(error = %e, message_id = %message_id, "undecodable event payload");
                    (400, None)
                }
            };
            drop(permit);
            let answer = ack(&frame, code, response.as_ref(), started.elapsed());
            if out.send(Message::Binary(answer.encode().into())).await.is_err() {
                tracing::debug!(message_id = %message_id, "connection gone before the acknowledgement");
            }
            pending.fetch_sub(1, Ordering::SeqCst);
        });
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use tokio::io::ReadBuf;
    use tokio_tungstenite::tungstenite::protocol::Role;

    use super::*;
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
        })
    }

    #[tokio::test]
    async fn a_failed_write_ends_the_session_as_lost() {
        let ws = WebSocketStream::from_raw_socket(WriteFails, Role::Client, None).await;
        let (_cancel_tx, mut cancel) = watch::channel(false);
        let end = tokio::time::timeout(Duration::from_secs(5), serve(ws, 1, ctx(), &mut cancel))
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

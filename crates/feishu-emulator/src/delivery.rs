//! Event delivery as the platform does it: the `url_verification` challenge
//! when a callback URL is registered, encrypted and signed bodies for apps
//! with an Encrypt Key, and retries on the documented schedule.
//!
//! [`Deliverer`] delivers one event to one [`Receiver`] and reports every
//! attempt to a [`DeliveryObserver`]; [`crate::Emulator::deliver_events_with`]
//! feeds it every event the emulator emits.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_model::{AppId, Secret};
use feishu_protocol::crypto;
use serde_json::{json, Value};
use tokio::sync::broadcast;

use crate::core::Core;
use crate::events::EmittedEvent;

/// The documented retry delays after a failed push: 15 s, 5 min, 1 h, 6 h.
pub const RETRY_SCHEDULE: [Duration; 4] = [
    Duration::from_secs(15),
    Duration::from_secs(5 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(6 * 60 * 60),
];

/// How long a receiver has to answer one push: 3 s.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(3);

/// Timing of deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryConfig {
    /// Multiplies the retry delays: `1.0` is the platform's schedule,
    /// `0.001` turns seconds into milliseconds for tests.
    pub time_scale: f64,
    /// How long one push may take before it counts as failed (not scaled).
    pub attempt_timeout: Duration,
    /// The delays before each retry (unscaled).
    pub retry_schedule: Vec<Duration>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        DeliveryConfig {
            time_scale: 1.0,
            attempt_timeout: ATTEMPT_TIMEOUT,
            retry_schedule: RETRY_SCHEDULE.to_vec(),
        }
    }
}

impl DeliveryConfig {
    /// The documented schedule run `scale` times as fast (`0.001`: seconds
    /// become milliseconds).
    pub fn scaled(scale: f64) -> Self {
        DeliveryConfig {
            time_scale: scale,
            ..DeliveryConfig::default()
        }
    }

    /// The scaled delay before retry `retry` (0-based), `None` past the schedule.
    pub(crate) fn delay(&self, retry: usize) -> Option<Duration> {
        let base = self.retry_schedule.get(retry)?;
        let scale = if self.time_scale.is_finite() && self.time_scale > 0.0 {
            self.time_scale
        } else {
            1.0
        };
        Some(Duration::try_from_secs_f64(base.as_secs_f64() * scale).unwrap_or(*base))
    }
}

/// Where one app's events go, and how they are sealed.
#[derive(Clone, PartialEq)]
pub struct Receiver {
    /// The app.
    pub app_id: AppId,
    /// The callback URL.
    pub url: String,
    /// The app's Encrypt Key (plain JSON bodies without one).
    pub encrypt_key: Option<Secret>,
    /// The app's Verification Token (sent in the challenge).
    pub verification_token: Secret,
}

impl fmt::Debug for Receiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("app_id", &self.app_id)
            .field("url", &self.url)
            .field("encrypted", &self.encrypt_key.is_some())
            .finish()
    }
}

/// Where an event stands after one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptStatus {
    /// The receiver answered 200: no more attempts.
    Delivered,
    /// The attempt failed; another one is scheduled.
    Retrying,
    /// The last attempt failed: the event is dropped.
    Failed,
    /// Not sent: the URL did not answer the challenge.
    Refused,
}

/// One delivery attempt of one event to one receiver.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptReport {
    /// The app.
    pub app_id: AppId,
    /// The callback URL.
    pub url: String,
    /// `header.event_id` of the event.
    pub event_id: String,
    /// The event type.
    pub event_type: String,
    /// 1 for the first push, 2..=5 for the retries (1 when refused: as in
    /// the event log, attempts are numbered from 1 everywhere).
    pub attempt: u32,
    /// The outcome.
    pub status: AttemptStatus,
    /// The HTTP status the receiver answered, if it answered.
    pub http_status: Option<u16>,
    /// Why the attempt failed (connection error, timeout, status).
    pub error: Option<String>,
    /// When the next attempt is due (Unix milliseconds), when retrying.
    pub next_attempt_ms: Option<i64>,
}

/// Told about every delivery attempt.
pub trait DeliveryObserver: Send + Sync {
    /// Called after each attempt (and for refused deliveries).
    fn on_attempt(&self, report: &AttemptReport);
}

impl<F: Fn(&AttemptReport) + Send + Sync> DeliveryObserver for F {
    fn on_attempt(&self, report: &AttemptReport) {
        self(report)
    }
}

/// Logs each attempt (the default observer).
#[derive(Debug, Clone, Copy, Default)]
pub struct LogObserver;

impl DeliveryObserver for LogObserver {
    fn on_attempt(&self, r: &AttemptReport) {
        match r.status {
            AttemptStatus::Delivered => tracing::debug!(
                app_id = %r.app_id, event_id = %r.event_id, attempt = r.attempt, "event delivered"
            ),
            _ => tracing::warn!(
                app_id = %r.app_id, url = %r.url, event_id = %r.event_id, attempt = r.attempt,
                status = ?r.status, http_status = r.http_status, error = r.error.as_deref(),
                next_attempt_ms = r.next_attempt_ms, "event delivery attempt failed"
            ),
        }
    }
}

/// Records every attempt in the emulator's event log (the status per
/// receiver that `/_emulator/events` shows), then tells `inner`.
struct Logged {
    log: crate::event_log::EventLog,
    inner: Arc<dyn DeliveryObserver>,
}

impl DeliveryObserver for Logged {
    fn on_attempt(&self, r: &AttemptReport) {
        use crate::event_log::DeliveryStatus;
        let why = || r.error.clone().unwrap_or_else(|| "no answer".to_owned());
        let status = match r.status {
            AttemptStatus::Delivered => DeliveryStatus::Delivered,
            AttemptStatus::Retrying => DeliveryStatus::Retrying {
                next_attempt_ms: r.next_attempt_ms.unwrap_or_default(),
                error: why(),
            },
            AttemptStatus::Failed => DeliveryStatus::Failed { error: why() },
            AttemptStatus::Refused => DeliveryStatus::Failed {
                error: format!(
                    "refused: the URL failed the url_verification challenge: {}",
                    why()
                ),
            },
        };
        self.log.record_attempt(&r.event_id, &r.url, status);
        self.inner.on_attempt(r);
    }
}

/// Sends events to receivers over HTTP.
#[derive(Clone)]
pub struct Deliverer {
    http: reqwest::Client,
    config: DeliveryConfig,
    observer: Arc<dyn DeliveryObserver>,
}

impl fmt::Debug for Deliverer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Deliverer")
            .field("config", &self.config)
            .finish()
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Deliverer {
    /// A deliverer with its own HTTP client.
    pub fn new(
        config: DeliveryConfig,
        observer: Arc<dyn DeliveryObserver>,
    ) -> Result<Self, String> {
        let http = reqwest::Client::builder()
            .timeout(config.attempt_timeout)
            .connect_timeout(config.attempt_timeout.min(Duration::from_secs(2)))
            .build()
            .map_err(|e| format!("cannot build the HTTP client: {e}"))?;
        Ok(Deliverer {
            http,
            config,
            observer,
        })
    }

    /// The body and headers of one push of `plain` (JSON) to `receiver`:
    /// `{"encrypt": ...}` with fresh signature headers when the app has an
    /// Encrypt Key, `plain` unchanged otherwise.
    pub fn seal(
        receiver: &Receiver,
        plain: &[u8],
        signed: bool,
    ) -> (Vec<u8>, Vec<(String, String)>) {
        let mut headers = vec![(
            "content-type".to_owned(),
            "application/json; charset=utf-8".to_owned(),
        )];
        let Some(key) = &receiver.encrypt_key else {
            return (plain.to_vec(), headers);
        };
        let iv: [u8; crypto::BLOCK] = std::array::from_fn(|_| fastrand::u8(..));
        let body = json!({ "encrypt": crypto::encrypt(key, plain, iv) })
            .to_string()
            .into_bytes();
        if signed {
            let timestamp = (now_ms() / 1000).to_string();
            let nonce = fastrand::u32(..).to_string();
            let signature = crypto::signature(&timestamp, &nonce, key, &body);
            headers.push(("X-Lark-Request-Timestamp".to_owned(), timestamp));
            headers.push(("X-Lark-Request-Nonce".to_owned(), nonce));
            headers.push(("X-Lark-Signature".to_owned(), signature));
        }
        (body, headers)
    }

    async fn post(
        &self,
        url: &str,
        body: Vec<u8>,
        headers: Vec<(String, String)>,
    ) -> Result<(u16, String), String> {
        let mut request = self.http.post(url).body(body);
        for (k, v) in headers {
            request = request.header(k, v);
        }
        let response = request.send().await.map_err(|e| {
            if e.is_timeout() {
                "no answer within the time limit".to_owned()
            } else {
                format!("request failed: {e}")
            }
        })?;
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        Ok((status, text))
    }

    /// Sends the `url_verification` challenge (encrypted when the app has an
    /// Encrypt Key, unsigned as on the platform) and checks the answer.
    pub async fn verify(&self, receiver: &Receiver) -> Result<(), String> {
        let challenge = format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..));
        let plain = json!({
            "challenge": challenge,
            "token": receiver.verification_token.expose(),
            "type": "url_verification",
        })
        .to_string();
        let (body, headers) = Deliverer::seal(receiver, plain.as_bytes(), false);
        let (status, text) = self.post(&receiver.url, body, headers).await?;
        if status != 200 {
            return Err(format!("the challenge was answered with HTTP {status}"));
        }
        let answer: Value = serde_json::from_str(&text)
            .map_err(|_| "the challenge answer is not JSON".to_owned())?;
        if answer.get("challenge").and_then(Value::as_str) == Some(challenge.as_str()) {
            Ok(())
        } else {
            Err("the challenge answer does not echo the challenge".to_owned())
        }
    }

    /// Delivers one event (its plain JSON body) to `receiver`: a push now,
    /// then retries on the schedule until one is answered 200. Reports each
    /// attempt; returns whether the event was delivered.
    pub async fn deliver(
        &self,
        receiver: &Receiver,
        event_id: &str,
        event_type: &str,
        plain: &[u8],
    ) -> bool {
        self.deliver_from(1, receiver, event_id, event_type, plain)
            .await
    }

    /// Attempts `first`, `first + 1`, ... until delivered or out of retries.
    async fn deliver_from(
        &self,
        first: u32,
        receiver: &Receiver,
        event_id: &str,
        event_type: &str,
        plain: &[u8],
    ) -> bool {
        let mut attempt = first;
        loop {
            match self
                .attempt(attempt, receiver, event_id, event_type, plain)
                .await
            {
                Step::Delivered => return true,
                Step::Failed => return false,
                Step::RetryAfter(delay) => {
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    /// One push (attempt number `attempt`, 1-based), reported.
    async fn attempt(
        &self,
        attempt: u32,
        receiver: &Receiver,
        event_id: &str,
        event_type: &str,
        plain: &[u8],
    ) -> Step {
        let (body, headers) = Deliverer::seal(receiver, plain, true);
        let (http_status, error) = match self.post(&receiver.url, body, headers).await {
            Ok((200, _)) => (Some(200), None),
            Ok((status, _)) => (Some(status), Some(format!("answered HTTP {status}"))),
            Err(e) => (None, Some(e)),
        };
        let retry = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
        let (status, step) = match (&error, self.config.delay(retry)) {
            (None, _) => (AttemptStatus::Delivered, Step::Delivered),
            (Some(_), Some(delay)) => (AttemptStatus::Retrying, Step::RetryAfter(delay)),
            (Some(_), None) => (AttemptStatus::Failed, Step::Failed),
        };
        let next_attempt_ms = match step {
            Step::RetryAfter(d) => {
                Some(now_ms().saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)))
            }
            _ => None,
        };
        self.observer.on_attempt(&AttemptReport {
            app_id: receiver.app_id.clone(),
            url: receiver.url.clone(),
            event_id: event_id.to_owned(),
            event_type: event_type.to_owned(),
            attempt,
            status,
            http_status,
            error,
            next_attempt_ms,
        });
        step
    }

    /// Reports `event` as refused: `why` is how the URL failed the challenge.
    fn refused(&self, receiver: &Receiver, event: &EmittedEvent, why: &str) {
        self.observer.on_attempt(&AttemptReport {
            app_id: receiver.app_id.clone(),
            url: receiver.url.clone(),
            event_id: event_id(event),
            event_type: event.event_type().to_owned(),
            attempt: 1,
            status: AttemptStatus::Refused,
            http_status: None,
            error: Some(why.to_owned()),
            next_attempt_ms: None,
        });
    }
}

fn event_id(event: &EmittedEvent) -> String {
    event
        .event
        .header()
        .map(|h| h.event_id.clone())
        .unwrap_or_default()
}

/// The receiver of each app: its `event_callback_url`, or `default_url`.
pub(crate) fn receivers(core: &Core, default_url: Option<&str>) -> BTreeMap<AppId, Receiver> {
    core.world()
        .dir
        .apps
        .iter()
        .filter_map(|(id, app)| {
            let url = app
                .callback_url
                .clone()
                .or(default_url.map(str::to_owned))?;
            Some((
                id.clone(),
                Receiver {
                    app_id: id.clone(),
                    url,
                    encrypt_key: app.encrypt_key.clone(),
                    verification_token: app.verification_token.clone(),
                },
            ))
        })
        .collect()
}

/// Delivers every event from now on as the platform does: first the
/// challenge to each app's URL (apps whose URL fails it get nothing),
/// then each event in order, retried on the schedule of `config` when a
/// push fails. Every attempt is reported to `observer`. Runs until the
/// emulator is dropped; needs a Tokio runtime.
pub(crate) fn deliver_events(
    core: &Core,
    default_url: Option<String>,
    config: DeliveryConfig,
    observer: Arc<dyn DeliveryObserver>,
) -> tokio::task::JoinHandle<()> {
    let events = core.subscribe();
    core.set_default_callback(default_url.clone());
    let receivers = receivers(core, default_url.as_deref());
    let log = core.log().clone();
    let claimed: std::collections::BTreeSet<String> =
        receivers.keys().map(ToString::to_string).collect();
    log.delivery_task_started(Box::new(move |app| claimed.contains(app)));
    let observer: Arc<dyn DeliveryObserver> = Arc::new(Logged {
        log,
        inner: observer,
    });
    tokio::spawn(run(events, receivers, config, observer))
}

async fn run(
    mut events: broadcast::Receiver<EmittedEvent>,
    receivers: BTreeMap<AppId, Receiver>,
    config: DeliveryConfig,
    observer: Arc<dyn DeliveryObserver>,
) {
    let deliverer = match Deliverer::new(config, observer) {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "cannot deliver events");
            return;
        }
    };
    // Per app, how its URL failed the challenge (absent: it passed).
    let mut failed_challenge = BTreeMap::new();
    for (app, receiver) in &receivers {
        if let Err(e) = deliverer.verify(receiver).await {
            tracing::warn!(app_id = %app, url = %receiver.url, error = %e,
                "callback URL failed the url_verification challenge; its events will be refused");
            failed_challenge.insert(app.clone(), e);
        }
    }
    loop {
        let event = match events.recv().await {
            Ok(event) => event,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(dropped = n, "event delivery fell behind; events dropped");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let Some(receiver) = receivers.get(&event.app_id) else {
            continue;
        };
        if let Some(why) = failed_challenge.get(&event.app_id) {
            deliverer.refused(receiver, &event, why);
            continue;
        }
        let Ok(plain) = serde_json::to_vec(&event.body) else {
            continue;
        };
        let id = event_id(&event);
        let event_type = event.event_type().to_owned();
        // The first push in emission order; the retries of a failed one run
        // on their own so that later events are not held up.
        if let Step::RetryAfter(delay) = deliverer
            .attempt(1, receiver, &id, &event_type, &plain)
            .await
        {
            let deliverer = deliverer.clone();
            let receiver = receiver.clone();
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                deliverer
                    .deliver_from(2, &receiver, &id, &event_type, &plain)
                    .await;
            });
        }
    }
}

/// What follows an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Delivered,
    RetryAfter(Duration),
    Failed,
}

//! A fault-injecting HTTP/1.1 proxy on loopback, for proving a client under
//! a bad network and a bad server. Behind the `test-util` feature.
//!
//! [`FaultProxy`] sits in front of any HTTP/1.1 server (the "upstream") and,
//! per request, draws from a seeded [`FaultPlan`] whether to pass the
//! exchange through untouched or to break it in one of the ways of
//! [`FaultKind`]. Some faults act before the request is forwarded (the
//! upstream never sees it), others after (the upstream processed it, the
//! client sees a broken answer): both matter for idempotency. The proxy
//! counts every fault it injected, by kind, and every token-endpoint request,
//! so that a test can compare what the client reported with what the
//! upstream really did.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! use feishu_transport::{FaultKind, FaultPlan, FaultProxy, LocalServer};
//!
//! let upstream = LocalServer::start(200, r#"{"code":0,"msg":"ok"}"#).await.unwrap();
//! let plan = FaultPlan::only(7, FaultKind::ServerError, 1.0);
//! let proxy = FaultProxy::start(upstream.addr(), plan).await.unwrap();
//! let answer = reqwest::get(format!("{}/open-apis/im/v1/chats", proxy.url())).await.unwrap();
//! assert!(answer.status().is_server_error());
//! assert_eq!(proxy.injected(FaultKind::ServerError), 1);
//! assert_eq!(upstream.requests(), 0);
//! # });
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;

use parking_lot::Mutex;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Path prefix of the token endpoints, whose faults are drawn separately.
const TOKEN_PATH_PREFIX: &str = "/open-apis/auth/";

/// One way to break an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FaultKind {
    /// The connection is reset as soon as the request is read; the request is
    /// never forwarded.
    ResetBeforeRequest,
    /// The request is forwarded and processed, then the connection is reset
    /// before any byte of the answer.
    ResetBeforeAnswer,
    /// The request is processed; the head and half the body are sent, then
    /// the connection is reset.
    ResetMidBody,
    /// The request is processed; `content-length` announces the whole body,
    /// a part is sent, then the connection is closed cleanly.
    TruncatedBody,
    /// The request is processed; nothing is answered for
    /// [`FaultPlan::stall`], then the connection is closed.
    Stall,
    /// The request is processed; the answer is sent in small pieces with
    /// [`FaultPlan::drip_delay`] between them.
    Drip,
    /// A burst of 5xx answers (500, 502 or 503 without a Feishu body) to this
    /// and up to [`FaultPlan::max_burst`] following requests; none forwarded.
    ServerError,
    /// `429` with code 99991400 and `x-ogw-ratelimit-reset` of 0 to 5
    /// seconds; not forwarded.
    RateLimited,
    /// The answer's head carries a header line that is not HTTP (no colon,
    /// control bytes); the request was processed.
    MalformedHeaders,
    /// The answer's JSON is followed by [`FaultPlan::huge_body`] bytes of
    /// whitespace (still valid JSON); the request was processed.
    HugeBody,
    /// `400` with code 99991663 (invalid access token): the client must
    /// fetch a new token. Not forwarded; never drawn for token requests.
    InvalidToken,
    /// A token request fails: answered with the transient Feishu code 10500,
    /// or its connection reset; not forwarded.
    TokenFail,
    /// A token request never answered: held for [`FaultPlan::stall`], then
    /// closed; not forwarded.
    TokenHang,
    /// A token request answered 500, 502 or 503 without a Feishu body; not
    /// forwarded.
    TokenServerError,
}

impl FaultKind {
    /// Every kind, in declaration order.
    pub const ALL: [FaultKind; 14] = [
        FaultKind::ResetBeforeRequest,
        FaultKind::ResetBeforeAnswer,
        FaultKind::ResetMidBody,
        FaultKind::TruncatedBody,
        FaultKind::Stall,
        FaultKind::Drip,
        FaultKind::ServerError,
        FaultKind::RateLimited,
        FaultKind::MalformedHeaders,
        FaultKind::HugeBody,
        FaultKind::InvalidToken,
        FaultKind::TokenFail,
        FaultKind::TokenHang,
        FaultKind::TokenServerError,
    ];

    /// A short snake_case name.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::ResetBeforeRequest => "reset_before_request",
            FaultKind::ResetBeforeAnswer => "reset_before_answer",
            FaultKind::ResetMidBody => "reset_mid_body",
            FaultKind::TruncatedBody => "truncated_body",
            FaultKind::Stall => "stall",
            FaultKind::Drip => "drip",
            FaultKind::ServerError => "server_error",
            FaultKind::RateLimited => "rate_limited",
            FaultKind::MalformedHeaders => "malformed_headers",
            FaultKind::HugeBody => "huge_body",
            FaultKind::InvalidToken => "invalid_token",
            FaultKind::TokenFail => "token_fail",
            FaultKind::TokenHang => "token_hang",
            FaultKind::TokenServerError => "token_server_error",
        }
    }

    /// Whether this kind applies to token-endpoint requests (the others
    /// apply to every other request).
    pub fn is_token(self) -> bool {
        matches!(
            self,
            FaultKind::TokenFail | FaultKind::TokenHang | FaultKind::TokenServerError
        )
    }

    /// Whether the upstream processed the request before the fault.
    pub fn forwards(self) -> bool {
        matches!(
            self,
            FaultKind::ResetBeforeAnswer
                | FaultKind::ResetMidBody
                | FaultKind::TruncatedBody
                | FaultKind::Stall
                | FaultKind::Drip
                | FaultKind::MalformedHeaders
                | FaultKind::HugeBody
        )
    }

    fn index(self) -> usize {
        FaultKind::ALL
            .iter()
            .position(|k| *k == self)
            .unwrap_or_default()
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What to inject, how often, and how hard. The same seed and the same
/// order of requests give the same faults.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultPlan {
    /// Seed of the plan's random draws.
    pub seed: u64,
    /// Probability that a request other than a token request is broken.
    pub rate: f64,
    /// Probability that a token request is broken.
    pub token_rate: f64,
    /// The kinds to draw from, with relative weights (a kind absent or with
    /// weight 0 is never injected).
    pub weights: Vec<(FaultKind, u32)>,
    /// How long [`FaultKind::Stall`] and [`FaultKind::TokenHang`] hold a
    /// request (set it past the client's deadline).
    pub stall: Duration,
    /// The pause between pieces of a [`FaultKind::Drip`] answer (8 pieces).
    pub drip_delay: Duration,
    /// Bytes of whitespace appended by [`FaultKind::HugeBody`].
    pub huge_body: usize,
    /// Most extra requests answered 5xx after a [`FaultKind::ServerError`].
    pub max_burst: u32,
}

impl FaultPlan {
    /// Every kind with equal weight, breaking `rate` of the requests and of
    /// the token requests; a 5 s stall, a 100 ms drip, a 10 MiB huge body
    /// and bursts of up to 3 more 5xx answers.
    pub fn new(seed: u64, rate: f64) -> Self {
        FaultPlan {
            seed,
            rate,
            token_rate: rate,
            weights: FaultKind::ALL.iter().map(|k| (*k, 1)).collect(),
            stall: Duration::from_secs(5),
            drip_delay: Duration::from_millis(100),
            huge_body: 10 * 1024 * 1024,
            max_burst: 3,
        }
    }

    /// Only `kind`, on `rate` of the requests it applies to (bursts of one).
    pub fn only(seed: u64, kind: FaultKind, rate: f64) -> Self {
        FaultPlan {
            weights: vec![(kind, 1)],
            max_burst: 0,
            ..FaultPlan::new(seed, rate)
        }
    }

    fn draw(&self, rng: &mut fastrand::Rng, token: bool) -> Option<FaultKind> {
        let rate = if token { self.token_rate } else { self.rate };
        if rng.f64() >= rate {
            return None;
        }
        let eligible = || {
            self.weights
                .iter()
                .filter(move |(k, w)| *w > 0 && k.is_token() == token)
        };
        let total: u64 = eligible().map(|(_, w)| u64::from(*w)).sum();
        if total == 0 {
            return None;
        }
        let mut pick = rng.u64(0..total);
        for (kind, weight) in eligible() {
            if pick < u64::from(*weight) {
                return Some(*kind);
            }
            pick -= u64::from(*weight);
        }
        None
    }
}

/// Counters of a running [`FaultProxy`].
#[derive(Debug, Default)]
struct Counters {
    requests: AtomicU64,
    forwarded: AtomicU64,
    token_requests: AtomicU64,
    clean_token_answers: AtomicU64,
    injected: [AtomicU64; FaultKind::ALL.len()],
}

struct Shared {
    upstream: SocketAddr,
    plan: FaultPlan,
    rng: Mutex<fastrand::Rng>,
    burst: AtomicU32,
    counters: Counters,
}

/// A running fault-injecting proxy; stops accepting when dropped.
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for FaultProxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultProxy")
            .field("addr", &self.addr)
            .field("upstream", &self.shared.upstream)
            .field("plan", &self.shared.plan)
            .finish_non_exhaustive()
    }
}

impl FaultProxy {
    /// Starts a proxy on `127.0.0.1` in front of the HTTP/1.1 server at
    /// `upstream`, breaking requests as `plan` draws.
    pub async fn start(upstream: SocketAddr, plan: FaultPlan) -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            upstream,
            rng: Mutex::new(fastrand::Rng::with_seed(plan.seed)),
            plan,
            burst: AtomicU32::new(0),
            counters: Counters::default(),
        });
        let state = shared.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let state = state.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, &state).await;
                });
            }
        });
        Ok(FaultProxy { addr, shared, task })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The proxy's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Requests read from clients so far.
    pub fn requests(&self) -> u64 {
        self.shared.counters.requests.load(Ordering::SeqCst)
    }

    /// Requests forwarded to the upstream so far.
    pub fn forwarded(&self) -> u64 {
        self.shared.counters.forwarded.load(Ordering::SeqCst)
    }

    /// Token-endpoint requests read so far, broken or not.
    pub fn token_requests(&self) -> u64 {
        self.shared.counters.token_requests.load(Ordering::SeqCst)
    }

    /// Token-endpoint requests whose upstream answer was passed on intact.
    pub fn clean_token_answers(&self) -> u64 {
        self.shared
            .counters
            .clean_token_answers
            .load(Ordering::SeqCst)
    }

    /// Faults of `kind` injected so far.
    pub fn injected(&self, kind: FaultKind) -> u64 {
        self.shared.counters.injected[kind.index()].load(Ordering::SeqCst)
    }

    /// Every kind with the faults injected so far (zeros included).
    pub fn injected_by_kind(&self) -> Vec<(FaultKind, u64)> {
        FaultKind::ALL
            .iter()
            .map(|k| (*k, self.injected(*k)))
            .collect()
    }

    /// Faults injected so far, every kind.
    pub fn injected_total(&self) -> u64 {
        self.injected_by_kind().iter().map(|(_, n)| n).sum()
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn header_value<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// One request read from a client: its head (without the blank line) and body.
struct Request {
    head: String,
    body: Vec<u8>,
}

impl Request {
    fn path(&self) -> &str {
        self.head
            .lines()
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or("/")
    }

    /// The request as sent upstream, asking the upstream to close after it.
    fn to_upstream(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.head.len() + self.body.len() + 32);
        for (i, line) in self.head.lines().enumerate() {
            if i > 0 {
                let name = line.split(':').next().unwrap_or_default().trim();
                if name.eq_ignore_ascii_case("connection")
                    || name.eq_ignore_ascii_case("keep-alive")
                {
                    continue;
                }
            }
            out.extend_from_slice(line.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"connection: close\r\n\r\n");
        out.extend_from_slice(&self.body);
        out
    }
}

/// Reads the next request of a connection; `None` at a clean end.
async fn read_request(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<Request>> {
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            break i;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = header_value(&head, "content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let total = head_end + 4 + length;
    while buf.len() < total {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = buf[head_end + 4..total].to_vec();
    buf.drain(..total);
    Ok(Some(Request { head, body }))
}

/// An upstream answer: status line, headers (without framing ones), body.
struct Answer {
    status_line: String,
    headers: Vec<String>,
    body: Vec<u8>,
}

impl Answer {
    fn plain(status: u16, reason: &str, headers: &[String], body: &[u8]) -> Self {
        Answer {
            status_line: format!("HTTP/1.1 {status} {reason}"),
            headers: headers.to_vec(),
            body: body.to_vec(),
        }
    }

    fn head(&self, content_length: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(256);
        out.extend_from_slice(self.status_line.as_bytes());
        out.extend_from_slice(b"\r\n");
        for h in &self.headers {
            out.extend_from_slice(h.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(format!("content-length: {content_length}\r\n\r\n").as_bytes());
        out
    }

    fn bytes(&self) -> Vec<u8> {
        let mut out = self.head(self.body.len());
        out.extend_from_slice(&self.body);
        out
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    while let Some(line_end) = find(data, b"\r\n") {
        let size_text = String::from_utf8_lossy(&data[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).unwrap_or(0);
        data = &data[line_end + 2..];
        if size == 0 || data.len() < size {
            break;
        }
        out.extend_from_slice(&data[..size]);
        data = data.get(size + 2..).unwrap_or_default();
    }
    out
}

/// Sends `request` upstream on a fresh connection and reads the whole answer.
async fn forward(shared: &Shared, request: &Request) -> std::io::Result<Answer> {
    shared.counters.forwarded.fetch_add(1, Ordering::SeqCst);
    let mut upstream = TcpStream::connect(shared.upstream).await?;
    upstream.write_all(&request.to_upstream()).await?;
    // Read the head, then the body as framed: by content-length, chunks,
    // or the end of the connection.
    let mut raw = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = find(&raw, b"\r\n\r\n") {
            break i;
        }
        let n = upstream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "upstream answer without a head",
            ));
        }
        raw.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let chunked =
        header_value(&head, "transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked"));
    let length = header_value(&head, "content-length").and_then(|v| v.parse::<usize>().ok());
    loop {
        let rest = &raw[head_end + 4..];
        let complete = match (chunked, length) {
            (true, _) => rest.ends_with(b"0\r\n\r\n"),
            (false, Some(n)) => rest.len() >= n,
            (false, None) => false,
        };
        if complete {
            break;
        }
        let n = upstream.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&chunk[..n]);
    }
    let rest = &raw[head_end + 4..];
    let body = match (chunked, length) {
        (true, _) => dechunk(rest),
        (false, Some(n)) => rest.get(..n).unwrap_or(rest).to_vec(),
        (false, None) => rest.to_vec(),
    };
    let mut lines = head.lines();
    let status_line = lines
        .next()
        .unwrap_or("HTTP/1.1 502 Bad Gateway")
        .to_owned();
    let headers = lines
        .filter(|l| {
            let name = l.split(':').next().unwrap_or_default().trim();
            ![
                "content-length",
                "transfer-encoding",
                "connection",
                "keep-alive",
            ]
            .iter()
            .any(|n| name.eq_ignore_ascii_case(n))
        })
        .map(str::to_owned)
        .collect();
    Ok(Answer {
        status_line,
        headers,
        body,
    })
}

/// Makes the coming close of the connection a reset (RST rather than FIN).
fn reset(stream: &TcpStream) {
    let _ = stream.set_zero_linger();
}

fn feishu_error(status: u16, reason: &str, code: i64, msg: &str, extra: &[String]) -> Answer {
    let mut headers = vec![
        "content-type: application/json; charset=utf-8".to_owned(),
        "x-tt-logid: fault-proxy".to_owned(),
    ];
    headers.extend_from_slice(extra);
    let body = format!(r#"{{"code":{code},"msg":"{msg}"}}"#);
    Answer::plain(status, reason, &headers, body.as_bytes())
}

fn server_error(rng: &mut fastrand::Rng) -> Answer {
    let (status, reason) = match rng.u8(0..3) {
        0 => (500, "Internal Server Error"),
        1 => (502, "Bad Gateway"),
        _ => (503, "Service Unavailable"),
    };
    Answer::plain(
        status,
        reason,
        &["content-type: text/html".to_owned()],
        format!("<html><body>{status} {reason}</body></html>").as_bytes(),
    )
}

enum Verdict {
    Pass,
    Fault(FaultKind),
}

impl Shared {
    fn decide(&self, token: bool) -> (Verdict, fastrand::Rng) {
        let mut rng = self.rng.lock();
        // A child generator for this request's own draws (sizes, statuses).
        let child = fastrand::Rng::with_seed(rng.u64(..));
        if !token {
            let burst = self.burst.load(Ordering::SeqCst);
            if burst > 0 {
                self.burst.store(burst - 1, Ordering::SeqCst);
                return (Verdict::Fault(FaultKind::ServerError), child);
            }
        }
        match self.plan.draw(&mut rng, token) {
            None => (Verdict::Pass, child),
            Some(kind) => {
                if kind == FaultKind::ServerError && self.plan.max_burst > 0 {
                    self.burst
                        .store(rng.u32(0..=self.plan.max_burst), Ordering::SeqCst);
                }
                (Verdict::Fault(kind), child)
            }
        }
    }

    fn count(&self, kind: FaultKind) {
        self.counters.injected[kind.index()].fetch_add(1, Ordering::SeqCst);
    }
}

/// Serves one client connection until it closes or a fault ends it.
async fn serve(mut stream: TcpStream, shared: &Shared) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(8192);
    while let Some(request) = read_request(&mut stream, &mut buf).await? {
        shared.counters.requests.fetch_add(1, Ordering::SeqCst);
        let token = request.path().starts_with(TOKEN_PATH_PREFIX);
        if token {
            shared
                .counters
                .token_requests
                .fetch_add(1, Ordering::SeqCst);
        }
        let (verdict, mut rng) = shared.decide(token);
        let kind = match verdict {
            Verdict::Pass => {
                let answer = forward(shared, &request).await?;
                stream.write_all(&answer.bytes()).await?;
                if token {
                    shared
                        .counters
                        .clean_token_answers
                        .fetch_add(1, Ordering::SeqCst);
                }
                continue;
            }
            Verdict::Fault(kind) => kind,
        };
        shared.count(kind);
        let plan = &shared.plan;
        match kind {
            FaultKind::ResetBeforeRequest => {
                reset(&stream);
                return Ok(());
            }
            FaultKind::ServerError | FaultKind::TokenServerError => {
                stream.write_all(&server_error(&mut rng).bytes()).await?;
            }
            FaultKind::RateLimited => {
                let wait = rng.u8(0..=5);
                let answer = feishu_error(
                    429,
                    "Too Many Requests",
                    99991400,
                    "request trigger frequency limit",
                    &[format!("x-ogw-ratelimit-reset: {wait}")],
                );
                stream.write_all(&answer.bytes()).await?;
            }
            FaultKind::InvalidToken => {
                let answer = feishu_error(
                    400,
                    "Bad Request",
                    99991663,
                    "Invalid access token for authorization.",
                    &[],
                );
                stream.write_all(&answer.bytes()).await?;
            }
            FaultKind::TokenFail => {
                if rng.bool() {
                    reset(&stream);
                    return Ok(());
                }
                let answer = feishu_error(200, "OK", 10500, "internal server error", &[]);
                stream.write_all(&answer.bytes()).await?;
            }
            FaultKind::TokenHang => {
                tokio::time::sleep(plan.stall).await;
                return Ok(());
            }
            processed => {
                let answer = forward(shared, &request).await?;
                if !after_processing(&mut stream, processed, answer, plan, &mut rng).await? {
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// Breaks the answer to a request the upstream already processed; `true`
/// when the connection stays usable (after [`FaultKind::Drip`] and
/// [`FaultKind::HugeBody`], whose answers are complete).
async fn after_processing(
    stream: &mut TcpStream,
    kind: FaultKind,
    answer: Answer,
    plan: &FaultPlan,
    rng: &mut fastrand::Rng,
) -> std::io::Result<bool> {
    match kind {
        FaultKind::ResetBeforeAnswer => reset(stream),
        FaultKind::ResetMidBody => {
            let bytes = answer.bytes();
            let cut = answer.head(answer.body.len()).len() + answer.body.len() / 2;
            stream.write_all(&bytes[..cut.min(bytes.len())]).await?;
            stream.flush().await?;
            reset(stream);
        }
        FaultKind::TruncatedBody => {
            let bytes = answer.bytes();
            let head = answer.head(answer.body.len()).len();
            let keep = head + rng.usize(0..answer.body.len().max(1));
            stream.write_all(&bytes[..keep.min(bytes.len())]).await?;
            stream.shutdown().await?;
        }
        FaultKind::Stall => {
            tokio::time::sleep(plan.stall).await;
        }
        FaultKind::Drip => {
            let bytes = answer.bytes();
            let piece = bytes.len().div_ceil(8).max(1);
            for part in bytes.chunks(piece) {
                stream.write_all(part).await?;
                stream.flush().await?;
                tokio::time::sleep(plan.drip_delay).await;
            }
            return Ok(true);
        }
        FaultKind::MalformedHeaders => {
            let mut broken = answer;
            let line = match rng.u8(0..3) {
                0 => "this header line has no colon".to_owned(),
                1 => "x-broken\u{1}: control byte".to_owned(),
                _ => " folded: continuation line".to_owned(),
            };
            broken.headers.insert(0, line);
            stream.write_all(&broken.bytes()).await?;
            stream.shutdown().await?;
        }
        FaultKind::HugeBody => {
            let mut huge = answer;
            huge.body.resize(huge.body.len() + plan.huge_body, b' ');
            stream.write_all(&huge.bytes()).await?;
            return Ok(true);
        }
        _ => reset(stream),
    }
    Ok(false)
}

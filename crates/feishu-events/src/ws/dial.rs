//! The WebSocket dial: TCP, TLS for `wss://`, and the HTTP upgrade written
//! and read here, so the connection URL (a credential: `access_key`,
//! `ticket`) is handed to no library that could log it. Only the finished
//! socket goes to the WebSocket library.

use std::sync::Arc;

use base64::Engine;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig as TlsConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::endpoint::ConnectUrl;
use super::error::WsError;

/// A live connection.
pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// The most bytes read for the upgrade answer's head.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// Dials `url` and upgrades the connection to a WebSocket.
pub(crate) async fn dial(url: &ConnectUrl, config: WebSocketConfig) -> Result<Socket, WsError> {
    let parsed = url.parsed();
    let host = parsed
        .host_str()
        .ok_or_else(|| WsError::BadUrl("no host".to_owned()))?
        .to_owned();
    let port = parsed
        .port_or_known_default()
        .ok_or_else(|| WsError::BadUrl("no port".to_owned()))?;
    let tcp = TcpStream::connect((host.trim_matches(['[', ']']), port))
        .await
        .map_err(|e| WsError::Dial(format!("I/O error: {e}")))?;
    let _ = tcp.set_nodelay(true);
    let mut stream = match parsed.scheme() {
        "wss" => {
            let name = ServerName::try_from(host.trim_matches(['[', ']']).to_owned())
                .map_err(|_| WsError::BadUrl("the host is not a valid TLS name".to_owned()))?;
            let tls = TlsConnector::from(tls_config())
                .connect(name, tcp)
                .await
                .map_err(|e| WsError::Dial(format!("TLS error: {e}")))?;
            MaybeTlsStream::Rustls(tls)
        }
        _ => MaybeTlsStream::Plain(tcp),
    };

    let key = base64::engine::general_purpose::STANDARD.encode(fastrand::u128(..).to_be_bytes());
    let target = match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    };
    let authority = match parsed.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    let request = format!(
        "GET {target} HTTP/1.1\r\nHost: {authority}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {key}\r\nUser-Agent: feishu-rs/{}\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| WsError::Dial(format!("I/O error: {e}")))?;
    stream
        .flush()
        .await
        .map_err(|e| WsError::Dial(format!("I/O error: {e}")))?;

    let (head, rest) = read_head(&mut stream).await?;
    let answer = Answer::parse(&head)?;
    if answer.status != 101 {
        return Err(WsError::from_handshake(
            answer.status,
            answer.header("handshake-status"),
            answer.header("handshake-msg"),
            answer.header("handshake-autherrcode"),
        ));
    }
    let upgraded = answer
        .header("upgrade")
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    let accepted =
        answer.header("sec-websocket-accept") == Some(&derive_accept_key(key.as_bytes()));
    if !upgraded || !accepted {
        return Err(WsError::Dial(
            "the server answered 101 without a valid WebSocket upgrade".to_owned(),
        ));
    }
    Ok(WebSocketStream::from_partially_read(stream, rest, Role::Client, Some(config)).await)
}

/// The TLS settings: the webpki roots, no client certificate.
fn tls_config() -> Arc<TlsConfig> {
    let mut roots = RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    Arc::new(
        TlsConfig::builder()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

/// Reads up to the end of the answer's head; returns the head and the
/// bytes read past it (the first WebSocket frames, if any).
async fn read_head(stream: &mut MaybeTlsStream<TcpStream>) -> Result<(String, Vec<u8>), WsError> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buf.split_off(end + 4);
            let head = String::from_utf8_lossy(&buf).into_owned();
            return Ok((head, rest));
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(WsError::Dial(format!(
                "the upgrade answer's head is longer than {MAX_HEAD_BYTES} bytes"
            )));
        }
        let n = stream
            .read(&mut chunk)
            .await
            .map_err(|e| WsError::Dial(format!("I/O error: {e}")))?;
        if n == 0 {
            return Err(WsError::Dial(
                "the server closed the connection during the upgrade".to_owned(),
            ));
        }
        buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// The status and headers of an upgrade answer.
#[derive(Debug)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Answer {
    fn parse(head: &str) -> Result<Answer, WsError> {
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .filter(|l| l.starts_with("HTTP/1."))
            .and_then(|l| l.split(' ').nth(1))
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| WsError::Dial("the upgrade answer is not HTTP/1.x".to_owned()))?;
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Ok(Answer { status, headers })
    }

    /// A header by its lowercase name.
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn answers_are_read_case_insensitively() {
        let a = Answer::parse(
            "HTTP/1.1 400 Bad Request\r\nHandshake-Status: 514\r\nhandshake-msg: limit\r\nHANDSHAKE-AUTHERRCODE: 1000040350\r\n",
        )
        .unwrap();
        assert_eq!(a.status, 400);
        assert_eq!(a.header("handshake-status"), Some("514"));
        assert_eq!(a.header("handshake-msg"), Some("limit"));
        assert_eq!(a.header("handshake-autherrcode"), Some("1000040350"));
        assert!(Answer::parse("SSH-2.0\r\n").is_err());
    }
}

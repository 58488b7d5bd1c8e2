//! [`ClientConfig`]: the ping cadence and reconnect policy the server hands
//! out (in the endpoint answer and in every pong), applied only when sane.

use std::time::Duration;

use serde_json::Value;

/// Ping cadence and reconnect policy of a long connection.
///
/// On the wire (`ClientConfig` in the endpoint answer and in pongs) the
/// values are whole seconds: `{"PingInterval":120,"ReconnectCount":-1,
/// "ReconnectInterval":120,"ReconnectNonce":30}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientConfig {
    /// How often the client pings.
    pub ping_interval: Duration,
    /// How many reconnect attempts follow a lost connection; negative means
    /// no limit.
    pub reconnect_count: i64,
    /// The delay between reconnect attempts after the first.
    pub reconnect_interval: Duration,
    /// The first reconnect attempt waits a random delay below this.
    pub reconnect_nonce: Duration,
}

impl Default for ClientConfig {
    /// The values used until the server sends its own: ping every 120 s,
    /// unlimited reconnects every 120 s after a first random delay under 30 s.
    fn default() -> Self {
        ClientConfig {
            ping_interval: Duration::from_secs(120),
            reconnect_count: -1,
            reconnect_interval: Duration::from_secs(120),
            reconnect_nonce: Duration::from_secs(30),
        }
    }
}

/// The largest interval accepted from the server: one day.
const MAX_SECS: i64 = 24 * 60 * 60;

fn seconds(value: &Value, key: &str, allow_zero: bool) -> Option<Duration> {
    let secs = value.get(key)?.as_i64()?;
    let min = if allow_zero { 0 } else { 1 };
    (min..=MAX_SECS)
        .contains(&secs)
        .then(|| Duration::from_secs(secs.unsigned_abs()))
}

impl ClientConfig {
    /// Applies the fields of a server `ClientConfig` JSON object that are
    /// present and sane (intervals of 1 s to one day, a nonce of 0 s to one
    /// day, any whole reconnect count); the others keep their value.
    /// Returns whether anything changed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use feishu_events::ws::ClientConfig;
    /// let mut config = ClientConfig::default();
    /// let patch = serde_json::json!({"PingInterval": 0, "ReconnectInterval": 5});
    /// assert!(config.apply(&patch));
    /// assert_eq!(config.ping_interval, Duration::from_secs(120)); // 0 is ignored
    /// assert_eq!(config.reconnect_interval, Duration::from_secs(5));
    /// ```
    pub fn apply(&mut self, server: &Value) -> bool {
        let before = *self;
        if let Some(d) = seconds(server, "PingInterval", false) {
            self.ping_interval = d;
        }
        if let Some(d) = seconds(server, "ReconnectInterval", false) {
            self.reconnect_interval = d;
        }
        if let Some(d) = seconds(server, "ReconnectNonce", true) {
            self.reconnect_nonce = d;
        }
        if let Some(n) = server.get("ReconnectCount").and_then(Value::as_i64) {
            self.reconnect_count = n;
        }
        *self != before
    }

    /// Applies a pong payload (JSON bytes, possibly empty or not JSON: then
    /// nothing changes).
    pub fn apply_bytes(&mut self, payload: &[u8]) -> bool {
        match serde_json::from_slice::<Value>(payload) {
            Ok(value) => self.apply(&value),
            Err(_) => false,
        }
    }

    /// The wire form, whole seconds (what a server puts in pongs).
    pub fn to_json(&self) -> Value {
        serde_json::json!({
            "PingInterval": self.ping_interval.as_secs(),
            "ReconnectCount": self.reconnect_count,
            "ReconnectInterval": self.reconnect_interval.as_secs(),
            "ReconnectNonce": self.reconnect_nonce.as_secs(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_sane_values_apply() {
        let mut c = ClientConfig::default();
        assert!(!c.apply(&json!({})));
        assert!(
            !c.apply(&json!({"PingInterval": -3, "ReconnectInterval": "7",
            "ReconnectNonce": -1, "ReconnectCount": 1.5}))
        );
        assert!(!c.apply_bytes(b""));
        assert!(c.apply_bytes(br#"{"PingInterval":10,"ReconnectCount":3,"ReconnectNonce":0}"#));
        assert_eq!(c.ping_interval, Duration::from_secs(10));
        assert_eq!(c.reconnect_count, 3);
        assert_eq!(c.reconnect_nonce, Duration::ZERO);
        assert_eq!(c.reconnect_interval, Duration::from_secs(120));
        let mut back = ClientConfig::default();
        back.apply(&c.to_json());
        assert_eq!(back, c);
    }
}

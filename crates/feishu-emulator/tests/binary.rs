//! The `feishu-emulator` binary serves the API over HTTP from a fixture.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{fetch_json, http_tenant_token};

const BIN: &str = env!("CARGO_BIN_EXE_feishu-emulator");

/// Kills the child when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(args: &[&str]) -> (Running, String, Vec<String>) {
    let mut child = Running(
        Command::new(BIN)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // The apps, one a line, then the address: the server is ready.
    let mut apps = Vec::new();
    for line in BufReader::new(child.0.stdout.take().unwrap()).lines() {
        let line = line.unwrap();
        if let Some(url) = line.strip_prefix("feishu-emulator listening on ") {
            return (child, url.to_owned(), apps);
        }
        let app = line
            .strip_prefix("app ")
            .unwrap_or_else(|| panic!("unexpected line: {line}"));
        apps.push(app.to_owned());
    }
    panic!("the emulator exited before listening");
}

#[tokio::test]
async fn serves_the_default_fixture() {
    let (_child, url, apps) = start(&[]);
    assert_eq!(apps[0], "cli_a3e157960e7294c0");
    let http = reqwest::Client::new();
    let token = http_tenant_token(&url, "cli_a3e157960e7294c0", "emulator-secret-ops").await;
    let chat_url = format!("{url}/open-apis/im/v1/chats/oc_a0553eda9014c201e6969b478895c230");
    let chat = fetch_json(http.get(chat_url).bearer_auth(token)).await;
    assert_eq!(chat["code"], 0);
    assert_eq!(chat["data"]["name"], "测试群名称");
}

#[tokio::test]
async fn serves_a_fixture_file() {
    let path = std::env::temp_dir().join(format!("feishu-emulator-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"tenants": [{"tenant_key": "00000000000000f1"}],
            "apps": [{"app_id": "cli_0000000000000001", "app_secret": "s", "tenant_key": "00000000000000f1"}]}"#,
    )
    .unwrap();
    let (_child, url, apps) = start(&["--fixture", path.to_str().unwrap()]);
    assert_eq!(apps, ["cli_0000000000000001"]);
    let response = reqwest::get(format!("{url}/open-apis/im/v1/chats"))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], 99991661);
    let _ = std::fs::remove_file(path);
}

#[test]
fn bad_arguments_and_fixtures_are_reported() {
    let out = Command::new(BIN).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown argument `--bogus`"));
    let out = Command::new(BIN)
        .args(["--fixture", "/nonexistent/seed.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/seed.json"));
    // A malformed id is refused at load, naming the field and the id.
    let path =
        std::env::temp_dir().join(format!("feishu-emulator-bad-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"tenants": [{"tenant_key": "736588c9260f175e"}],
            "apps": [{"app_id": "cli_a3e157960e7294c", "app_secret": "s", "tenant_key": "736588c9260f175e"}]}"#,
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["--fixture", path.to_str().unwrap()])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("apps[0].app_id"), "{stderr}");
    assert!(stderr.contains("`cli_a3e157960e7294c`"), "{stderr}");
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--callback-url"));
}

/// Starts the binary with stderr captured; the lines of stderr arrive on
/// the returned channel.
fn start_logging(args: &[&str]) -> (Running, std::sync::mpsc::Receiver<String>) {
    let mut child = Running(
        Command::new(BIN)
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stderr = child.0.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    (child, rx)
}

#[test]
fn the_binary_prints_why_a_callback_url_failed_the_challenge() {
    // Nothing listens on port 9 of the loopback: the challenge cannot be sent.
    let (_child, lines) = start_logging(&["--callback-url", "http://127.0.0.1:9/events"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut seen = Vec::new();
    while std::time::Instant::now() < deadline {
        let Ok(line) = lines.recv_timeout(std::time::Duration::from_millis(200)) else {
            continue;
        };
        seen.push(line.clone());
        if line.contains("url_verification") {
            assert!(line.contains("WARN"), "{line}");
            assert!(line.contains("http://127.0.0.1:9/events"), "{line}");
            assert!(
                line.contains("request failed"),
                "the reason is missing: {line}"
            );
            return;
        }
    }
    panic!("no warning about the challenge; stderr: {seen:?}");
}

#[test]
fn the_log_option_takes_a_filter() {
    // `--log off` silences the warnings.
    let (_child, lines) = start_logging(&[
        "--callback-url",
        "http://127.0.0.1:9/events",
        "--log",
        "off",
    ]);
    let got: Vec<String> = std::iter::from_fn(|| {
        lines
            .recv_timeout(std::time::Duration::from_millis(1500))
            .ok()
    })
    .collect();
    assert!(
        got.iter().all(|l| !l.contains("url_verification")),
        "{got:?}"
    );
    let out = Command::new(BIN).args(["--log", "=[bad"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--log"));
}

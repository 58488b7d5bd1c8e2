//! The emulator's page in a real browser, for a bot's own end-to-end tests
//! (feature `browser`): headless Chromium driven over WebDriver through a
//! `chromedriver` this module starts and stops.
//!
//! [`Page::open`] finds `chromium` (or `chromium-browser`, `google-chrome`)
//! and `chromedriver` on the `PATH`. Without them it answers `Ok(None)` so
//! a test can skip itself, unless the `CI` variable is set, where a missing
//! browser is an error: CI must run what it claims to.
//!
//! ```no_run
//! # async fn run(emulator: feishu_emulator::Emulator) -> Result<(), Box<dyn std::error::Error>> {
//! use feishu_emulator::browser::Page;
//!
//! let server = emulator.start("127.0.0.1:0").await?;
//! let Some(page) = Page::open(&server.url()).await? else {
//!     return Ok(()); // no browser here, outside CI: skipped
//! };
//! page.wait_until("the chat is drawn", || async {
//!     page.text("[data-chat] h3").await.contains("公告群")
//! })
//! .await?;
//! # Ok(()) }
//! ```

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

/// How long [`Page::wait_until`] waits (the page refreshes every second).
pub const WAIT: Duration = Duration::from_secs(20);

/// How long starting the browser session may take.
const START: Duration = Duration::from_secs(30);

/// Why the page could not be driven.
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// No browser or no `chromedriver` on the `PATH` while `CI` is set.
    #[error("{0} not found on the PATH (CI installs it with .ci/install-browser.sh)")]
    Missing(&'static str),
    /// `chromedriver` could not be started.
    #[error("cannot start chromedriver: {0}")]
    Driver(#[source] std::io::Error),
    /// No WebDriver session within the start time.
    #[error("cannot start a Chromium session: {0}")]
    Session(String),
    /// A WebDriver command failed.
    #[error("WebDriver: {0}")]
    Command(#[from] fantoccini::error::CmdError),
    /// [`Page::wait_until`] ran out of time.
    #[error("timed out waiting until {0}")]
    Timeout(String),
    /// A screenshot could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// Where it was to be written.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
}

/// The emulator's page in headless Chromium; the browser and its driver
/// stop when this is dropped.
#[derive(Debug)]
pub struct Page {
    client: Client,
    _driver: Driver,
}

/// A running `chromedriver`, stopped when dropped.
#[derive(Debug)]
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The first of `names` found on the `PATH`.
fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

/// Whether the `CI` variable asks for every test to run.
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty())
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Page {
    /// Opens `{base_url}/_emulator/ui` (the URL of a running emulator, such
    /// as `EmulatorServer::url`) in headless Chromium. `Ok(None)` when the
    /// browser or its driver is not installed and `CI` is not set.
    pub async fn open(base_url: &str) -> Result<Option<Page>, BrowserError> {
        let chromium = on_path(&["chromium", "chromium-browser", "google-chrome"]);
        let chromedriver = on_path(&["chromedriver"]);
        let (chromium, chromedriver) = match (chromium, chromedriver) {
            (Some(c), Some(d)) => (c, d),
            (None, _) if in_ci() => return Err(BrowserError::Missing("chromium")),
            (_, None) if in_ci() => return Err(BrowserError::Missing("chromedriver")),
            _ => return Ok(None),
        };
        let port = free_port().map_err(BrowserError::Driver)?;
        // The driver stops when dropped, on every path from here.
        let driver = Driver(
            Command::new(&chromedriver)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(BrowserError::Driver)?,
        );
        let client = connect(&chromium, &format!("http://127.0.0.1:{port}"), port).await?;
        let url = format!("{}/_emulator/ui", base_url.trim_end_matches('/'));
        client.goto(&url).await?;
        Ok(Some(Page {
            client,
            _driver: driver,
        }))
    }

    /// The WebDriver client, for anything beyond the helpers here (finding,
    /// clicking, typing, selecting).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the browser session (the driver stops when the page drops).
    pub async fn close(self) -> Result<(), BrowserError> {
        self.client.clone().close().await?;
        Ok(())
    }

    /// The text of the first element matching `css`, or `""` when none does.
    pub async fn text(&self, css: &str) -> String {
        match self.client.find(Locator::Css(css)).await {
            Ok(node) => node.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// The texts of every element matching `css`, in page order.
    pub async fn texts(&self, css: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for node in self
            .client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_default()
        {
            texts.push(node.text().await.unwrap_or_default());
        }
        texts
    }

    /// Polls `check` every 200 ms until it holds, for at most [`WAIT`];
    /// the error names `what`.
    pub async fn wait_until<F, Fut>(&self, what: &str, mut check: F) -> Result<(), BrowserError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = bool>,
    {
        let deadline = Instant::now() + WAIT;
        while Instant::now() < deadline {
            if check().await {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(BrowserError::Timeout(what.to_owned()))
    }

    /// Saves a PNG screenshot of the element matching `css` (the whole
    /// window when `css` is `None`) to `path`.
    pub async fn screenshot(&self, css: Option<&str>, path: &Path) -> Result<(), BrowserError> {
        let png = match css {
            Some(css) => {
                self.client
                    .find(Locator::Css(css))
                    .await?
                    .screenshot()
                    .await?
            }
            None => self.client.screenshot().await?,
        };
        std::fs::write(path, png).map_err(|source| BrowserError::Write {
            path: path.to_owned(),
            source,
        })
    }
}

/// A WebDriver session of headless Chromium, retried while the driver
/// starts.
async fn connect(chromium: &Path, driver_url: &str, port: u16) -> Result<Client, BrowserError> {
    let profile = std::env::temp_dir().join(format!(
        "feishu-emulator-chromium-{}-{port}",
        std::process::id()
    ));
    let args = [
        "--headless".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--window-size=1400,1000".to_owned(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        serde_json::json!({ "binary": chromium, "args": args }),
    );
    let deadline = Instant::now() + START;
    loop {
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(caps.clone())
            .connect(driver_url)
            .await
        {
            Ok(client) => return Ok(client),
            Err(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(e) => return Err(BrowserError::Session(e.to_string())),
        }
    }
}

//! `feishu-emulator`: serves the emulated Feishu group API over HTTP.
//!
//! ```text
//! feishu-emulator [--listen 127.0.0.1:8080] [--fixture seed.json] [--callback-url URL] [--log warn]
//! ```
//!
//! The emulator's own diagnostics (a callback URL failing the
//! `url_verification` challenge, deliveries given up...) go to stderr,
//! filtered by `--log` (or `RUST_LOG` when `--log` is absent).
#![forbid(unsafe_code)]

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use feishu_emulator::{AttemptReport, DeliveryConfig, Emulator, Fixture};

const USAGE: &str = "\
usage: feishu-emulator [--listen ADDR] [--fixture PATH] [--callback-url URL] [--time-scale F] [--log FILTER]

  --listen ADDR        address to serve on (default 127.0.0.1:8080)
  --fixture PATH       JSON seed: tenants, apps, users, chats, script (default: the built-in fixture)
  --callback-url URL   POST every group event here (an app's event_callback_url wins)
  --time-scale F       run the event retry schedule (15 s, 5 min, 1 h, 6 h) F times as long (default 1)
  --log FILTER         which diagnostics go to stderr: off, error, warn, info, debug, trace,
                       or directives such as `feishu_emulator=debug` (default: RUST_LOG, else warn)
  --help               show this help";

struct Args {
    listen: String,
    fixture: Option<String>,
    callback_url: Option<String>,
    time_scale: f64,
    log: Option<String>,
}

/// The stderr diagnostics filter: `--log`, else `RUST_LOG`, else `warn`.
fn filter(log: Option<&str>) -> Result<tracing_subscriber::EnvFilter, String> {
    let directives = match log {
        Some(directives) => directives.to_owned(),
        None => std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()),
    };
    tracing_subscriber::EnvFilter::try_new(&directives)
        .map_err(|e| format!("--log `{directives}` is not a filter: {e}"))
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        listen: "127.0.0.1:8080".to_owned(),
        fixture: None,
        callback_url: None,
        time_scale: 1.0,
        log: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--listen" => parsed.listen = value()?,
            "--fixture" => parsed.fixture = Some(value()?),
            "--callback-url" => parsed.callback_url = Some(value()?),
            "--time-scale" => {
                parsed.time_scale = value()?
                    .parse()
                    .ok()
                    .filter(|f: &f64| f.is_finite() && *f > 0.0)
                    .ok_or("--time-scale needs a positive number")?
            }
            "--log" => {
                let directives = value()?;
                filter(Some(&directives))?;
                parsed.log = Some(directives);
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(Some(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("feishu-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match filter(args.log.as_deref()) {
        Ok(filter) => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .init(),
        Err(e) => {
            eprintln!("feishu-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    }
    let fixture = match &args.fixture {
        Some(path) => Fixture::from_file(path),
        None => Fixture::default_seed(),
    };
    let emulator = match fixture.and_then(Emulator::from_fixture) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("feishu-emulator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let _delivery = emulator.deliver_events_with(
        args.callback_url.clone(),
        DeliveryConfig::scaled(args.time_scale),
        Arc::new(|r: &AttemptReport| {
            eprintln!(
                "event {} {} to {}: attempt {} {:?}{}",
                r.event_type,
                r.event_id,
                r.url,
                r.attempt,
                r.status,
                r.error
                    .as_deref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            )
        }),
    );
    let _script = emulator.play_script();
    let listener = match tokio::net::TcpListener::bind(&args.listen).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("feishu-emulator: cannot listen on {}: {e}", args.listen);
            return ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| args.listen.clone());
    for app in emulator.app_ids() {
        println!("app {app}");
    }
    println!("feishu-emulator listening on http://{addr}");
    // Readers may stop at the line above: a closed stdout is not an error.
    let _ = writeln!(std::io::stdout(), "ui: http://{addr}/_emulator/ui");
    match emulator.serve(listener).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("feishu-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Option<Args>, String> {
        parse(list.iter().map(|s| s.to_string()))
    }

    #[test]
    fn flags_parse_with_space_or_equals() {
        let a = args(&["--listen", "127.0.0.1:1", "--fixture=f.json"])
            .unwrap()
            .unwrap();
        assert_eq!(a.listen, "127.0.0.1:1");
        assert_eq!(a.fixture.as_deref(), Some("f.json"));
        assert!(a.callback_url.is_none());
        assert_eq!(a.time_scale, 1.0);
        let scaled = args(&["--time-scale", "0.001"]).unwrap().unwrap();
        assert_eq!(scaled.time_scale, 0.001);
        assert!(args(&["--time-scale", "-1"]).is_err());
        assert!(args(&["--help"]).unwrap().is_none());
        assert!(args(&["--listen"]).is_err());
        assert!(args(&["--bogus"]).is_err());
        let logged = args(&["--log", "feishu_emulator=debug"]).unwrap().unwrap();
        assert_eq!(logged.log.as_deref(), Some("feishu_emulator=debug"));
        assert!(args(&["--log", "=[bad"]).is_err());
    }
}

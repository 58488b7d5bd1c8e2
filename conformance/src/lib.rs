//! Conformance suite: replays every documented Feishu example and error case
//! against the feishu-rs crates.
//!
//! Cases are data (the format of `CASE-FORMAT.md`): one JSON file per
//! operation under `conformance/cases/`, generated from the documentation by
//! the `extract` binary ([`extract`]), plus any directory a user adds. Each
//! API case runs through the real [`feishu_transport::Client`] pipeline
//! twice: over the scripted transport and over real HTTP against a local
//! mock server. Each event case runs through
//! [`feishu_model::events::decode`].
//!
//! ```
//! use conformance::{case::CaseFile, Runner};
//!
//! let file: CaseFile = serde_json::from_value(serde_json::json!({
//!     "operation": "im.v1.chat.members.is_in_chat",
//!     "cases": [{
//!         "name": "in the chat",
//!         "kind": "edge",
//!         "auth": "tenant",
//!         "input": {"path": {"chat_id": "oc_1"}},
//!         "request": {
//!             "method": "GET",
//!             "path": "/open-apis/im/v1/chats/oc_1/members/is_in_chat",
//!             "query": {},
//!             "headers": {"authorization": "Bearer t-conformance"},
//!             "body": null
//!         },
//!         "response": {"status": 200, "body": {"code": 0, "msg": "ok", "data": {"is_in_chat": true}}},
//!         "expect": {"data": {"is_in_chat": true}}
//!     }]
//! })).unwrap();
//!
//! let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
//! let results = runtime.block_on(async {
//!     let runner = Runner::new().await.unwrap();
//!     runner.run_file(&file).await
//! });
//! // Once over the scripted transport, once over HTTP.
//! assert_eq!(results.len(), 2);
//! assert!(results.iter().all(|r| r.passed()), "{results:?}");
//! ```
#![forbid(unsafe_code)]

use std::path::{Path, PathBuf};

pub mod case;
pub mod compare;
pub mod coverage;
pub mod emulator;
pub mod extract;
pub mod load;
pub mod registry;
pub mod report;
pub mod run;

pub use report::Report;
pub use run::{CaseResult, Runner, SetupError, Wire};

/// The crate's own case directory (`conformance/cases`).
pub fn default_cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("cases")
}

/// The coverage manifest written by the extraction tool (`conformance/coverage.json`).
pub fn default_manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("coverage.json")
}

/// What to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The crate's own cases, checked against the coverage manifest.
    pub cases: PathBuf,
    /// The coverage manifest of `cases`.
    pub manifest: PathBuf,
    /// More case directories (`--cases DIR`), run but not coverage-checked.
    pub extra: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cases: default_cases_dir(),
            manifest: default_manifest(),
            extra: Vec::new(),
        }
    }
}

fn setup_failure(operation: String, problem: compare::Problem) -> CaseResult {
    CaseResult {
        operation,
        case: "setup".to_owned(),
        kind: None,
        wire: Wire::Setup,
        problems: vec![problem],
    }
}

/// Loads the manifest; a missing or broken manifest is a failure.
fn manifest(path: &Path) -> Result<coverage::Manifest, compare::Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        compare::Problem::new(
            "coverage manifest",
            path.display().to_string(),
            format!("unreadable: {e}"),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        compare::Problem::new(
            "coverage manifest",
            "a manifest written by the extract tool",
            e.to_string(),
        )
    })
}

/// Loads every case file, runs every case, and checks coverage.
pub async fn run(config: &Config) -> Result<Report, SetupError> {
    let (mut files, mut errors) = load::load_dir(&config.cases, true);
    for dir in &config.extra {
        let (more, more_errors) = load::load_dir(dir, false);
        files.extend(more);
        errors.extend(more_errors);
    }
    let mut report = Report::default();
    for e in errors {
        report.results.push(setup_failure(
            e.path.display().to_string(),
            compare::Problem::new("case file", "a valid case file", e.message),
        ));
    }
    let runner = Runner::new().await?;
    for loaded in &files {
        report.results.extend(runner.run_file(&loaded.file).await);
    }
    match manifest(&config.manifest) {
        Ok(m) => {
            let primary: Vec<&case::CaseFile> = files
                .iter()
                .filter(|f| f.primary)
                .map(|f| &f.file)
                .collect();
            for (op, problem) in coverage::check(&m, &primary) {
                report.results.push(setup_failure(op, problem));
            }
            report.documented = Some(m.totals());
        }
        Err(problem) => report
            .results
            .push(setup_failure("coverage".to_owned(), problem)),
    }
    Ok(report)
}

/// The README's code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

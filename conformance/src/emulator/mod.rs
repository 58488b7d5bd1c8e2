//! The emulator as a conformance target: every documented example request
//! is sent to an in-process `feishu-emulator` seeded with the default
//! fixture (the pages' ids mapped onto the fixture's), and the answer must
//! have the documented response's shape ([`shape::differences`]). Every
//! documented error row with a written [`setup::Setup`] is driven: the
//! fixture is changed into the row's state, the request sent, and the
//! emulator must answer the row's code and HTTP status. Rows no emulator
//! can reach (internal errors, maintenance...) are listed with their reason
//! in `emulator-out-of-scope.json`; a committed baseline
//! (`emulator-baseline.json`) names what passes, so that a regression fails.

pub mod enums;
pub mod setup;
mod setup_messaging;
pub mod shape;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bytes::Bytes;
use feishu_emulator::{
    documented_json_to_fixture, documented_to_fixture, Emulator, EmulatorRequest, Fixture,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::case::{Auth, Case, CaseFile, Kind};

/// The app every case calls as (creator and manager of the main chat).
const APP: &str = "cli_a3e157960e7294c0";
const APP_SECRET: &str = "emulator-secret-ops";
/// The marketplace app of the default fixture, its secret and its current
/// app_ticket: the store-app auth pages' credentials stand for these.
const MARKET_APP: &str = "cli_a5f0d1c2b3e4f5a6";
const MARKET_SECRET: &str = "emulator-secret-market";
const MARKET_TICKET: &str = "emulator-app-ticket";
/// The tenant the marketplace app is installed in (its home).
const MARKET_TENANT: &str = "736588c9260f175e";
/// A user token of the default fixture (李四, for `APP`).
const USER_TOKEN: &str = "u-emulator-li-si";

/// One documented error code no emulator reaches, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScope {
    /// The error code.
    pub code: i64,
    /// Why no emulator state reaches it.
    pub reason: String,
}

/// `emulator-out-of-scope.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScopeFile {
    /// The codes.
    pub codes: Vec<OutOfScope>,
}

/// `emulator-baseline.json`: what passed when it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// `operation / case` of every example in shape.
    pub examples_in_shape: Vec<String>,
    /// `operation / case` of every error row reproduced.
    pub error_rows_reproduced: Vec<String>,
}

/// The crate's out-of-scope list.
pub fn out_of_scope_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("emulator-out-of-scope.json")
}

/// The crate's baseline.
pub fn baseline_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("emulator-baseline.json")
}

/// Reads a JSON file of this module.
pub fn read<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The outcome of one case against the emulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// In shape (examples) or reproduced (error rows).
    Passed,
    /// Not in shape, not reproduced, or no setup reaches it yet.
    Failed,
    /// An error row no emulator reaches (listed with its reason).
    OutOfScope,
}

/// One case's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetResult {
    /// `operation / case`.
    pub id: String,
    /// Example or error.
    pub kind: Kind,
    /// What came of it.
    pub outcome: Outcome,
    /// Why it failed (empty when it passed).
    pub detail: String,
}

/// Every result of a run, with the figures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmulatorReport {
    /// One per example and error case.
    pub results: Vec<TargetResult>,
}

impl EmulatorReport {
    fn count(&self, kind: Kind, outcome: Option<Outcome>) -> usize {
        self.results
            .iter()
            .filter(|r| r.kind == kind && outcome.map_or(true, |o| r.outcome == o))
            .count()
    }

    /// `emulator: examples N/M in shape, error rows A/B reproduced (C out of scope)`.
    pub fn summary(&self) -> String {
        let out = self.count(Kind::Error, Some(Outcome::OutOfScope));
        format!(
            "emulator: examples {}/{} in shape, error rows {}/{} reproduced ({} out of scope)",
            self.count(Kind::Example, Some(Outcome::Passed)),
            self.count(Kind::Example, None),
            self.count(Kind::Error, Some(Outcome::Passed)),
            self.count(Kind::Error, None) - out,
            out,
        )
    }

    /// What passes now, as a baseline.
    pub fn baseline(&self) -> Baseline {
        let passed = |kind| {
            let mut ids: Vec<String> = self
                .results
                .iter()
                .filter(|r| r.kind == kind && r.outcome == Outcome::Passed)
                .map(|r| r.id.clone())
                .collect();
            ids.sort();
            ids
        };
        Baseline {
            examples_in_shape: passed(Kind::Example),
            error_rows_reproduced: passed(Kind::Error),
        }
    }

    /// Every case of `baseline` that no longer passes, with why.
    pub fn regressions(&self, baseline: &Baseline) -> Vec<String> {
        let now: BTreeMap<&str, &TargetResult> =
            self.results.iter().map(|r| (r.id.as_str(), r)).collect();
        baseline
            .examples_in_shape
            .iter()
            .chain(&baseline.error_rows_reproduced)
            .filter_map(|id| match now.get(id.as_str()) {
                Some(r) if r.outcome == Outcome::Passed => None,
                Some(r) => Some(format!("{id}: {}", r.detail)),
                None => Some(format!("{id}: no longer run")),
            })
            .collect()
    }

    /// One line per case that did not pass.
    pub fn failures(&self) -> String {
        self.results
            .iter()
            .filter(|r| r.outcome == Outcome::Failed)
            .map(|r| format!("{} [{}]: {}\n", r.id, r.kind.as_str(), r.detail))
            .collect()
    }
}

/// Runs the example and error cases of `files` against the emulator; the
/// enum values an answer may hold are read from the docs
/// ([`crate::extract::default_docs_dir`]) when they are present.
pub fn run(files: &[CaseFile], out_of_scope: &OutOfScopeFile) -> EmulatorReport {
    let docs = crate::extract::default_docs_dir();
    let enums = if docs.is_dir() {
        enums::documented(&docs)
    } else {
        Ok(enums::Enums::new())
    };
    run_with(files, out_of_scope, &enums)
}

/// [`run`] with the documented enum values given (`Err`: they could not be
/// read, and every example fails saying why).
pub fn run_with(
    files: &[CaseFile],
    out_of_scope: &OutOfScopeFile,
    enums: &Result<enums::Enums, String>,
) -> EmulatorReport {
    let mut report = EmulatorReport::default();
    for file in files {
        // Error rows have no request of their own: they are sent as the
        // documented example's request, after the setup.
        let base = file
            .cases
            .iter()
            .find(|c| c.kind == Kind::Example && c.request.is_some());
        for case in &file.cases {
            let id = format!("{} / {}", file.operation, case.name);
            let (outcome, detail) = match case.kind {
                Kind::Example => match setup_messaging::example(&file.operation, case)
                    .or_else(|| example(case, &file.operation, enums))
                {
                    Some(Ok(())) => (Outcome::Passed, String::new()),
                    Some(Err(e)) => (Outcome::Failed, e),
                    None => continue,
                },
                Kind::Error => {
                    match setup_messaging::error_row(&file.operation, case, base, out_of_scope)
                        .or_else(|| error_row(case, base, out_of_scope))
                    {
                        Some(result) => result,
                        None => continue,
                    }
                }
                Kind::Edge => continue,
            };
            report.results.push(TargetResult {
                id,
                kind: case.kind,
                outcome,
                detail,
            });
        }
    }
    report
}

fn default_fixture() -> Result<Value, String> {
    serde_json::from_str(feishu_emulator::DEFAULT_FIXTURE).map_err(|e| e.to_string())
}

fn emulator(fixture: &Value) -> Result<Emulator, String> {
    let fixture = Fixture::from_json(&fixture.to_string()).map_err(|e| format!("setup: {e}"))?;
    Emulator::from_fixture(fixture).map_err(|e| format!("setup: {e}"))
}

/// An API example with a documented success answer: `None` for other cases.
/// The answer must have the documented shape, and its enum-valued fields
/// documented values.
fn example(
    case: &Case,
    operation: &str,
    enums: &Result<enums::Enums, String>,
) -> Option<Result<(), String>> {
    let documented = case.response.as_ref()?.body.as_ref()?;
    if documented.get("code").and_then(Value::as_i64) != Some(0) {
        return None;
    }
    case.request.as_ref()?;
    Some((|| {
        let emulator = emulator(&default_fixture()?)?;
        let (status, body) = send(&emulator, case, None, None)?;
        if status != 200 || body.get("code").and_then(Value::as_i64) != Some(0) {
            return Err(format!("answered HTTP {status}: {body}"));
        }
        let enums = enums.as_ref().map_err(|e| format!("enum values: {e}"))?;
        let mut problems = shape::differences(documented, &body);
        if let Some(fields) = enums.get(operation) {
            problems.extend(enums::undocumented(fields, &body));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    })())
}

/// A documented error row: `None` for cases without a request.
fn error_row(
    case: &Case,
    base: Option<&Case>,
    out_of_scope: &OutOfScopeFile,
) -> Option<(Outcome, String)> {
    let response = case.response.as_ref()?;
    let code = response.body.as_ref()?.get("code")?.as_i64()?;
    if let Some(o) = out_of_scope.codes.iter().find(|o| o.code == code) {
        return Some((Outcome::OutOfScope, o.reason.clone()));
    }
    let Some(base) = base else {
        return Some((Outcome::Failed, "no documented request to send".to_owned()));
    };
    let Some(setup) = setup::for_code(code) else {
        return Some((Outcome::Failed, format!("no setup reaches code {code} yet")));
    };
    let result = (|| {
        let mut fixture = default_fixture()?;
        let chat = chat_of(base);
        setup.apply(&mut fixture, APP, chat.as_deref())?;
        let emulator = emulator(&fixture)?;
        let unknown = (setup == setup::Setup::UnknownChat)
            .then_some(chat)
            .flatten();
        let (status, body) = send(&emulator, base, unknown.as_deref(), setup.token())?;
        let got = body.get("code").and_then(Value::as_i64);
        if got == Some(code) && status == response.status {
            Ok(())
        } else {
            Err(format!(
                "expected code {code} with HTTP {}, got HTTP {status}: {body}",
                response.status
            ))
        }
    })();
    Some(match result {
        Ok(()) => (Outcome::Passed, String::new()),
        Err(e) => (Outcome::Failed, e),
    })
}

/// The chat the request names (path, else body), as a fixture id.
fn chat_of(case: &Case) -> Option<String> {
    let input = case.input.as_ref()?;
    let from = |v: &Option<Value>| {
        v.as_ref()?
            .get("chat_id")
            .and_then(Value::as_str)
            .map(documented_to_fixture)
    };
    from(&input.path).or_else(|| from(&input.body))
}

/// The auth pages' credentials stand for the fixture's: a self-built
/// app's for the `internal` endpoints, the marketplace app's (with its
/// app_ticket, or an app_access_token it was issued, in its tenant) for
/// the store-app endpoints.
fn credentials(emulator: &Emulator, path: &str, body: &mut Value) -> Result<(), String> {
    let store = ["/auth/v3/app_access_token", "/auth/v3/app_ticket/resend"]
        .iter()
        .any(|p| path.ends_with(p));
    if body.get("app_secret").is_some() {
        let (app, secret) = if store {
            (MARKET_APP, MARKET_SECRET)
        } else {
            (APP, APP_SECRET)
        };
        body["app_id"] = json!(app);
        body["app_secret"] = json!(secret);
        if body.get("app_ticket").is_some() {
            body["app_ticket"] = json!(MARKET_TICKET);
        }
    }
    if path.ends_with("/auth/v3/tenant_access_token") && body.get("app_access_token").is_some() {
        let answer = emulator.handle(&EmulatorRequest {
            method: "POST".to_owned(),
            path: "/open-apis/auth/v3/app_access_token".to_owned(),
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: Bytes::from(
                json!({"app_id": MARKET_APP, "app_secret": MARKET_SECRET, "app_ticket": MARKET_TICKET})
                    .to_string(),
            ),
            ..EmulatorRequest::default()
        });
        let issued: Value =
            serde_json::from_slice(answer.body()).map_err(|e| format!("app token: {e}"))?;
        let token = issued
            .get("app_access_token")
            .cloned()
            .ok_or_else(|| format!("no app_access_token: {issued}"))?;
        body["app_access_token"] = token;
        body["tenant_key"] = json!(MARKET_TENANT);
    }
    Ok(())
}

fn tenant_token(emulator: &Emulator) -> Result<String, String> {
    let answer = emulator.handle(&EmulatorRequest {
        method: "POST".to_owned(),
        path: "/open-apis/auth/v3/tenant_access_token/internal".to_owned(),
        headers: vec![("content-type".to_owned(), "application/json".to_owned())],
        body: Bytes::from(json!({"app_id": APP, "app_secret": APP_SECRET}).to_string()),
        ..EmulatorRequest::default()
    });
    let body: Value = serde_json::from_slice(answer.body()).map_err(|e| format!("token: {e}"))?;
    body.get("tenant_access_token")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("no tenant token: {body}"))
}

/// Sends the case's request (ids mapped onto the fixture; `unknown_chat`
/// replaced by a chat id no chat has; `token` instead of a fresh tenant
/// token); the HTTP status and the JSON body.
fn send(
    emulator: &Emulator,
    case: &Case,
    unknown_chat: Option<&str>,
    token: Option<&str>,
) -> Result<(u16, Value), String> {
    let request = case.request.as_ref().ok_or("no request")?;
    let map = |text: &str| {
        let text = documented_to_fixture(text);
        match unknown_chat {
            Some(chat) => text.replace(chat, setup::UNKNOWN_CHAT),
            None => text,
        }
    };
    let mut headers = vec![(
        "content-type".to_owned(),
        "application/json; charset=utf-8".to_owned(),
    )];
    match case.auth.unwrap_or_default() {
        Auth::Tenant => headers.push((
            "authorization".to_owned(),
            format!(
                "Bearer {}",
                match token {
                    Some(token) => token.to_owned(),
                    None => tenant_token(emulator)?,
                }
            ),
        )),
        Auth::User => headers.push(("authorization".to_owned(), format!("Bearer {USER_TOKEN}"))),
        Auth::None => {}
    }
    let mut query = Vec::new();
    // The pages' page tokens were issued by the real server: left out.
    for (key, value) in request
        .query
        .iter()
        .flatten()
        .filter(|(k, _)| *k != "page_token")
    {
        let values = match value {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        for v in values {
            let text = match v {
                Value::String(s) => s,
                other => other.to_string(),
            };
            query.push((key.clone(), map(&text)));
        }
    }
    let body = match &request.body {
        None | Some(Value::Null) => Bytes::new(),
        Some(body) => {
            let mut body = documented_json_to_fixture(body);
            credentials(emulator, &request.path, &mut body)?;
            Bytes::from(map(&body.to_string()))
        }
    };
    let answer = emulator.handle(&EmulatorRequest {
        method: request.method.clone(),
        path: map(&request.path),
        query,
        headers,
        body,
    });
    let status = answer.status().as_u16();
    let body = serde_json::from_slice(answer.body())
        .map_err(|e| format!("HTTP {status}, the body is not JSON: {e}"))?;
    Ok((status, body))
}

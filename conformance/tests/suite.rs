#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The whole conformance suite, so that `cargo test` (and CI) runs it.

use std::path::{Path, PathBuf};

use conformance::case::{CaseFile, Kind};
use conformance::{Config, Report, Wire};

fn run(config: &Config) -> Report {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(conformance::run(config))
        .unwrap()
}

#[test]
fn every_case_passes_over_every_wire() {
    let report = run(&Config::default());
    assert!(report.ok(), "{}", report.render());

    let kinds = report.cases_by_kind();
    assert!(report.operations() >= 63, "53 endpoints and 10 events");
    assert!(kinds[&Kind::Example] >= 56, "{kinds:?}");
    assert!(kinds[&Kind::Error] >= 371, "{kinds:?}");
    assert!(kinds[&Kind::Edge] >= 190, "{kinds:?}");

    let wires = report.by_wire();
    let api_cases = kinds.values().sum::<usize>() - wires[&Wire::Decode].passed;
    assert_eq!(wires[&Wire::Scripted].passed, api_cases);
    assert_eq!(wires[&Wire::Http].passed, api_cases);
    assert!(wires[&Wire::Decode].passed >= 19);

    let documented = report.documented.unwrap();
    assert!(documented.operations >= 56);
    assert!(documented.examples >= 56);
    assert!(documented.json_blocks >= 90);
    assert!(documented.error_rows >= 371);
    assert!(report
        .render()
        .ends_with(&format!("\n{} passed, 0 failed\n", report.passed())));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("conformance-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn a_lost_error_case_fails_the_coverage_check() {
    let dir = scratch("coverage");
    copy_dir(&conformance::default_cases_dir(), &dir);
    let path = dir.join("im.v1.chat.get.json");
    let mut file: CaseFile =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let at = file
        .cases
        .iter()
        .position(|c| c.kind == Kind::Error)
        .unwrap();
    file.cases.remove(at);
    std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();

    let report = run(&Config {
        cases: dir.clone(),
        ..Config::default()
    });
    std::fs::remove_dir_all(&dir).unwrap();

    let failures: Vec<_> = report.results.iter().filter(|r| !r.passed()).collect();
    assert_eq!(failures.len(), 1, "{}", report.render());
    assert_eq!(failures[0].wire, Wire::Setup);
    assert_eq!(failures[0].operation, "im.v1.chat.get");
    assert_eq!(
        failures[0].problems[0].path,
        "coverage.error_rows (group/chat/get-chat.md)"
    );
    assert!(report.render().ends_with(" passed, 1 failed\n"));
}

#[test]
fn committed_cases_match_the_docs() {
    let docs = conformance::extract::default_docs_dir();
    if !docs.join("INDEX.md").exists() {
        eprintln!(
            "skipped: no docs at {} (the committed cases are still run)",
            docs.display()
        );
        return;
    }
    let output = conformance::extract::generate(&docs).unwrap();
    let diffs = conformance::extract::differences(
        &output,
        &conformance::default_cases_dir(),
        &conformance::default_manifest(),
    );
    assert!(
        diffs.is_empty(),
        "regenerate with `cargo run -p conformance --bin extract`:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn the_app_ticket_case_feeds_the_client_ticket_store() {
    use std::sync::Arc;

    use feishu_model::events::{decode, GroupEvent};
    use feishu_model::im::members::IsInChat;
    use feishu_transport::{AppCredentials, Client, RetryPolicy, ScriptedTransport};
    use serde_json::json;

    let path = conformance::default_cases_dir().join("events/app_ticket.json");
    let file: CaseFile = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let body = file.cases[0].event.as_ref().unwrap().to_string();
    let GroupEvent::AppTicket(event) = decode(body.as_bytes()).unwrap() else {
        panic!("the app_ticket case does not decode as an app_ticket event");
    };

    let transport = Arc::new(ScriptedTransport::new());
    transport
        .push_json(
            200,
            &json!({"code": 0, "msg": "ok", "app_access_token": "a-1", "expire": 7200}),
        )
        .push_json(
            200,
            &json!({"code": 0, "msg": "ok", "tenant_access_token": "t-1", "expire": 7200}),
        )
        .push_json(
            200,
            &json!({"code": 0, "msg": "ok", "data": {"is_in_chat": true}}),
        );
    let client = Client::builder()
        .credentials(AppCredentials::marketplace("cli_xxx", "secret"))
        .transport(transport.clone())
        .retry_policy(RetryPolicy::never())
        .rate_limiting(false)
        .build()
        .unwrap();
    client.set_app_ticket(event.event.app_ticket.clone());

    let out = runtime().block_on(
        client
            .call(IsInChat::new("oc_1"))
            .tenant_key("736588c9260f175e")
            .send(),
    );
    assert_eq!(out.unwrap().is_in_chat, Some(true));
    let sent = transport.requests();
    let first: serde_json::Value = sent[0].json().unwrap();
    assert_eq!(
        first["app_ticket"],
        json!("xxx"),
        "the ticket from the case"
    );
    assert_eq!(sent[2].header("authorization"), Some("Bearer t-1"));
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn the_emulator_keeps_its_baseline() {
    use conformance::emulator;
    let (files, errors) = conformance::load::load_dir(&conformance::default_cases_dir(), true);
    assert!(errors.is_empty());
    let files: Vec<CaseFile> = files.into_iter().map(|l| l.file).collect();
    let scope: emulator::OutOfScopeFile = emulator::read(&emulator::out_of_scope_path()).unwrap();
    assert!(scope.codes.iter().all(|c| !c.reason.is_empty()));
    let report = emulator::run(&files, &scope);
    println!("{}", report.summary());
    let baseline: emulator::Baseline = emulator::read(&emulator::baseline_path()).unwrap();
    assert!(!baseline.examples_in_shape.is_empty());
    assert!(!baseline.error_rows_reproduced.is_empty());
    let regressions = report.regressions(&baseline);
    assert!(regressions.is_empty(), "{regressions:#?}");
    // Every error row is counted: reproduced, not (yet), or out of scope
    // with its reason; none is skipped.
    let rows = files
        .iter()
        .flat_map(|f| &f.cases)
        .filter(|c| c.kind == Kind::Error)
        .count();
    let counted = report
        .results
        .iter()
        .filter(|r| r.kind == Kind::Error)
        .count();
    assert_eq!(counted, rows);
}

#[test]
fn a_lost_shape_fails_the_emulator_baseline() {
    use conformance::emulator::{Baseline, EmulatorReport, Outcome, TargetResult};
    let report = EmulatorReport {
        results: vec![TargetResult {
            id: "im.v1.chat.get / documented example".into(),
            kind: Kind::Example,
            outcome: Outcome::Failed,
            detail: "$.data.name: missing".into(),
        }],
    };
    let baseline = Baseline {
        examples_in_shape: vec!["im.v1.chat.get / documented example".into()],
        error_rows_reproduced: vec!["im.v1.chat.get / error 232009".into()],
    };
    assert_eq!(
        report.regressions(&baseline),
        [
            "im.v1.chat.get / documented example: $.data.name: missing",
            "im.v1.chat.get / error 232009: no longer run"
        ]
    );
    assert_eq!(
        report.summary(),
        "emulator: examples 0/1 in shape, error rows 0/0 reproduced (0 out of scope)"
    );
}

//! An approval task escalates into a group chat.
//!
//! The approver's pending tasks are listed; each one waiting longer than two
//! days is escalated on its initiator's behalf: the approver is nudged, a
//! group chat is started from the task with the approver and the escalation
//! contacts, and the task is copied (cc) to those contacts.
//!
//! With no environment set, a scripted transport stands in for Feishu (no
//! network) and the requests it received are printed:
//!
//! ```text
//! cargo run -p feishu-apaas --example escalate_to_chat
//! ```
//!
//! Against a real server (the app needs the `app_engine` approval scopes):
//!
//! ```text
//! FEISHU_APP_ID=cli_... FEISHU_APP_SECRET=... \
//! FEISHU_APAAS_APPROVER=<kunlun user id> \
//! FEISHU_APAAS_ESCALATE_TO=<kunlun user ids, comma-separated> \
//! [FEISHU_BASE_URL=https://open.feishu.cn] \
//! cargo run -p feishu-apaas --example escalate_to_chat
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use feishu_apaas::model::{UserTask, UserTaskQueryType, UserTaskSource};
use feishu_apaas::prelude::*;
use feishu_apaas::Apaas;
use feishu_transport::{AppCredentials, Client, ScriptedTransport, FEISHU_BASE_URL};
use serde_json::json;

/// How long a task may wait before it is escalated.
const OVERDUE_AFTER: Duration = Duration::from_secs(2 * 24 * 3600);

struct Setup {
    client: Client,
    approver: String,
    escalate_to: Vec<String>,
    /// Set when running offline: the stand-in for Feishu.
    script: Option<Arc<ScriptedTransport>>,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn setup() -> Result<Setup, Box<dyn std::error::Error>> {
    if let (Some(app_id), Some(secret)) = (env("FEISHU_APP_ID"), env("FEISHU_APP_SECRET")) {
        let base_url = env("FEISHU_BASE_URL").unwrap_or_else(|| FEISHU_BASE_URL.to_owned());
        let approver = env("FEISHU_APAAS_APPROVER")
            .ok_or("set FEISHU_APAAS_APPROVER to the approver's kunlun user id")?;
        let escalate_to = env("FEISHU_APAAS_ESCALATE_TO")
            .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
            .unwrap_or_default();
        let client = Client::builder()
            .base_url(base_url)
            .credentials(AppCredentials::self_built(app_id, secret))
            .build()?;
        return Ok(Setup {
            client,
            approver,
            escalate_to,
            script: None,
        });
    }
    offline()
}

/// A scripted Feishu: one overdue task and one fresh task, then the answers
/// to the escalation of the overdue one.
fn offline() -> Result<Setup, Box<dyn std::error::Error>> {
    let now = now_ms();
    let hours_ago = |h: i64| (now - h * 3_600_000).to_string();
    let task = |id: &str, started: String, name: &str| {
        json!({
            "task_id": id,
            "task_start_time": started,
            "workflow_instance": {
                "id": format!("instance-{id}"),
                "label": [{"language_code": "2052", "text": name}],
                "status": "in_process"
            },
            "initiator": {"user_id": "1783981209205001", "name": "Li Lei"}
        })
    };
    let script = Arc::new(ScriptedTransport::new());
    let ok = |data: serde_json::Value| json!({"code": 0, "msg": "success", "data": data});
    script
        .push_json(
            200,
            &ok(json!({
                "count": "2",
                "tasks": [
                    task("1785996265147395", hours_ago(72), "Purchase request: 40 laptops"),
                    task("1785996265147396", hours_ago(1), "Travel request: Shanghai"),
                ]
            })),
        )
        .push_json(200, &ok(json!({})))
        .push_json(200, &ok(json!({"chat_id": "oc_5ad11d72b830411d72b836c20"})))
        .push_json(200, &ok(json!({})));
    let client = Client::builder()
        .static_tenant_token("t-offline")
        .transport(script.clone())
        .build()?;
    Ok(Setup {
        client,
        approver: "1783981209205788".into(),
        escalate_to: vec!["1783981209205790".into()],
        script: Some(script),
    })
}

fn title(task: &UserTask) -> String {
    task.workflow_instance
        .as_ref()
        .and_then(|w| w.label.as_ref())
        .and_then(|labels| labels.iter().find_map(|l| l.text.clone()))
        .unwrap_or_else(|| "approval".to_owned())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let Setup {
        client,
        approver,
        escalate_to,
        script,
    } = setup()?;
    let apaas = Apaas::new(&client);
    let tasks = apaas.user_tasks();

    let pending = tasks
        .query(&approver)
        .task_type(UserTaskQueryType::Pending)
        .source(UserTaskSource::AssignMe)
        .limit(50)
        .await?;
    let listed = pending.tasks.unwrap_or_default();
    println!(
        "approver {approver}: {} pending task(s) listed, {} in all",
        listed.len(),
        pending.count.as_deref().unwrap_or("?")
    );

    let now = now_ms();
    for task in &listed {
        let (Some(task_id), Some(initiator)) = (
            task.task_id.clone(),
            task.initiator.as_ref().and_then(|u| u.user_id.clone()),
        ) else {
            println!("  skipped a task without an id or initiator");
            continue;
        };
        let title = title(task);
        let waited_ms = task
            .task_start_time
            .as_deref()
            .and_then(|t| t.trim().parse::<i64>().ok())
            .map_or(0, |started| now - started);
        let waited_h = waited_ms / 3_600_000;
        if u128::try_from(waited_ms).unwrap_or(0) < OVERDUE_AFTER.as_millis() {
            println!("  task {task_id} ({title}): waiting {waited_h} h, not overdue");
            continue;
        }
        println!("  task {task_id} ({title}): waiting {waited_h} h, escalating");

        tasks
            .expediting(&task_id, &initiator, [&approver])
            .opinion(format!(
                "Waiting for {waited_h} hours; escalated to a group chat"
            ))
            .await?;
        println!("    nudged approver {approver}");

        let mut invitees = vec![approver.clone()];
        invitees.extend(escalate_to.iter().cloned());
        let chat = tasks
            .chat_group(&task_id, &initiator)
            .invite(invitees)
            .new_chat(format!("Escalation: {title}"))
            .await?;
        println!(
            "    started group chat {}",
            chat.chat_id
                .as_ref()
                .map_or("(no id returned)", |c| c.as_str())
        );

        if !escalate_to.is_empty() {
            tasks.cc(&task_id, &initiator, &escalate_to).await?;
            println!("    copied the task to {}", escalate_to.join(", "));
        }
    }

    if let Some(script) = script {
        println!("requests the scripted server received:");
        for request in script.requests() {
            let body = String::from_utf8_lossy(&request.body);
            println!("  {} {} {body}", request.method, request.url());
        }
    }
    Ok(())
}

//! aPaaS flows of the default fixture: querying a user's tasks, deciding
//! approval tasks, copying, expediting and sending tasks back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::Emulator;
use serde_json::{json, Value};

/// The flow the documented approval examples name, started by 王五 (1234).
const FLOW: &str = "1788173550023689";
const APPROVAL_TASK: &str = "1785996265147395";
/// 审批人甲 and 审批人乙.
const APPROVER: &str = "1783981209205788";
const OTHER_APPROVER: &str = "1783981209205789";
/// The user task of 王五 (1234), in a flow started by 123.
const USER_TASK: &str = "1234";

struct Flows {
    emulator: Emulator,
    token: String,
}

impl Flows {
    fn new() -> Self {
        let emulator = Emulator::with_default_fixture().unwrap();
        let token = tenant_token(&emulator, BOT, BOT_SECRET);
        Flows { emulator, token }
    }

    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        raw(
            &self.emulator,
            "POST",
            &format!("/open-apis/apaas/v1/{path}"),
            Some(&self.token),
            Some(body),
        )
    }

    fn ok(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.post(path, body);
        assert_eq!(
            (status, answer["code"].as_i64()),
            (200, Some(0)),
            "{path}: {answer}"
        );
        answer["data"].clone()
    }

    fn refused(&self, path: &str, body: Value) -> Value {
        let (status, answer) = self.post(path, body);
        assert_eq!(
            (status, answer["code"].as_i64()),
            (400, Some(2320001)),
            "{path}: {answer}"
        );
        assert_eq!(answer["msg"], "param is invalid");
        answer
    }

    fn query(&self, user: &str, kind: &str, source: &str) -> Value {
        self.ok(
            "user_task/query",
            json!({"kunlun_user_id": user, "type": kind, "source": source}),
        )
    }
}

#[test]
fn query_lists_a_users_pending_tasks_with_their_flow() {
    let flows = Flows::new();
    let data = flows.ok(
        "user_task/query",
        json!({"kunlun_user_id": "1234", "type": "pending", "source": "assignMe",
               "start_time": "1730208758000", "end_time": "1730208758000",
               "api_ids": ["package_b40c28__c__action_aadfv6lfu6kai"]}),
    );
    assert_eq!(data["count"], "1");
    let task = &data["tasks"][0];
    assert_eq!(task["task_id"], USER_TASK);
    assert_eq!(task["task_start_time"], "1730208758000");
    assert_eq!(task["workflow_instance"]["id"], "1788173550023690");
    assert_eq!(task["workflow_instance"]["status"], "in_process");
    assert_eq!(
        task["initiator"],
        json!({"user_id": "123", "name": "流程发起人"})
    );
    assert_eq!(task["summarys"][0]["file_key"]["text"], "申请事由");
    // Another flow id filter, or a window before the task: nothing.
    let none = flows.ok(
        "user_task/query",
        json!({"kunlun_user_id": "1234", "api_ids": ["package_other"]}),
    );
    assert_eq!(none["count"], "0");
    assert_eq!(none["tasks"], json!([]));
    let mine = flows.query("1234", "pending", "fromMe");
    assert_eq!(mine["count"], "2", "王五 started the approval flow: {mine}");
    flows.refused("user_task/query", json!({"kunlun_user_id": "999"}));
}

#[test]
fn agreeing_closes_the_task_and_the_last_one_completes_the_flow() {
    let flows = Flows::new();
    let path = format!("approval_tasks/{APPROVAL_TASK}/agree");
    // Only an assignee decides.
    flows.refused(&path, json!({"user_id": OTHER_APPROVER}));
    flows.ok(&path, json!({"user_id": APPROVER, "opinion": "同意"}));
    flows.refused(&path, json!({"user_id": APPROVER}));
    assert_eq!(flows.query(APPROVER, "pending", "assignMe")["count"], "1");
    assert_eq!(flows.query(APPROVER, "archived", "assignMe")["count"], "1");
    flows.ok(
        "approval_tasks/1785771068261436/agree",
        json!({"user_id": APPROVER}),
    );
    let started = flows.query("1234", "archived", "fromMe");
    assert_eq!(
        started["tasks"][0]["workflow_instance"]["status"],
        "completed"
    );
}

#[test]
fn rejecting_ends_the_flow_and_the_initiator_can_no_longer_cancel() {
    let flows = Flows::new();
    flows.ok(
        &format!("approval_tasks/{APPROVAL_TASK}/reject"),
        json!({"user_id": APPROVER, "opinion": "拒绝"}),
    );
    assert_eq!(flows.query(APPROVER, "pending", "assignMe")["count"], "0");
    let cancel = format!("approval_instances/{FLOW}/cancel");
    flows.refused(&cancel, json!({"user_id": "1234", "opinion": "撤销了"}));
}

#[test]
fn only_the_initiator_cancels_and_cancelling_closes_every_task() {
    let flows = Flows::new();
    let cancel = format!("approval_instances/{FLOW}/cancel");
    flows.refused(&cancel, json!({"user_id": APPROVER, "opinion": "撤销了"}));
    flows.ok(&cancel, json!({"user_id": "1234", "opinion": "撤销了"}));
    let archived = flows.query(APPROVER, "archived", "assignMe");
    assert_eq!(archived["count"], "2");
    assert_eq!(
        archived["tasks"][0]["workflow_instance"]["status"],
        "canceled"
    );
}

#[test]
fn transfer_and_add_assignee_change_who_handles_the_task() {
    let flows = Flows::new();
    flows.ok(
        &format!("approval_tasks/{APPROVAL_TASK}/transfer"),
        json!({"user_id": APPROVER, "from_user_ids": [APPROVER], "to_user_ids": [OTHER_APPROVER]}),
    );
    assert_eq!(
        flows.query(OTHER_APPROVER, "pending", "assignMe")["count"],
        "1"
    );
    assert_eq!(flows.query(APPROVER, "pending", "assignMe")["count"], "1");
    flows.ok(
        "approval_tasks/1785771068261436/add_assignee",
        json!({"user_id": APPROVER, "approvers": [OTHER_APPROVER],
               "add_assignee_type": "afterAndAddAssign"}),
    );
    assert_eq!(
        flows.query(OTHER_APPROVER, "pending", "assignMe")["count"],
        "2"
    );
    flows.refused(
        "approval_tasks/1785771068261436/add_assignee",
        json!({"user_id": APPROVER, "approvers": ["999"]}),
    );
}

#[test]
fn cc_expediting_and_rollback_of_a_user_task() {
    let flows = Flows::new();
    let task = |op: &str| format!("user_tasks/{USER_TASK}/{op}");
    flows.ok(
        &task("cc"),
        json!({"operator_user_id": "1234", "cc_user_ids": ["1001"]}),
    );
    assert_eq!(flows.query("1001", "pending", "CCMe")["count"], "1");
    // Only the initiator (123) expedites, and only the task's assignees.
    flows.refused(
        &task("expediting"),
        json!({"operator_user_id": "1234", "expediting_user_ids": ["1234"]}),
    );
    flows.refused(
        &task("expediting"),
        json!({"operator_user_id": "123", "expediting_user_ids": ["1001"]}),
    );
    flows.ok(
        &task("expediting"),
        json!({"operator_user_id": "123", "expediting_user_ids": ["1234"], "opinion": "催办理由"}),
    );
    let points = flows.ok(
        &task("rollback_points"),
        json!({"operator_user_id": "1234"}),
    );
    assert_eq!(
        points["tasks"],
        json!([{"id": "1234", "activity_label": [{"language_code": "2052", "text": "人工任务名称"}], "is_start": false}])
    );
    flows.refused(
        &task("rollback"),
        json!({"operator_user_id": "1234", "to_task_id": "42", "opinion": "退回原因"}),
    );
    flows.ok(
        &task("rollback"),
        json!({"operator_user_id": "1234", "to_task_id": "1234", "opinion": "退回原因"}),
    );
    // The task is handled; a new one stands at the earlier node.
    flows.refused(
        &task("rollback_points"),
        json!({"operator_user_id": "1234"}),
    );
    let pending = flows.query("1234", "pending", "assignMe");
    assert_eq!(pending["count"], "1");
    assert_ne!(pending["tasks"][0]["task_id"], USER_TASK);
}

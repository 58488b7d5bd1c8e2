//! Each of the eleven endpoints end to end over real HTTP (httpmock): the
//! documented request example goes out byte-for-byte as documented, and the
//! documented response decodes and re-serializes to the documented `data`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use feishu_apaas::model::{AddAssigneeType, UserTaskQueryType, UserTaskSource};
use feishu_apaas::prelude::*;
use feishu_apaas::Apaas;
use feishu_model::Endpoint;
use httpmock::MockServer;

#[tokio::test]
async fn chat_group() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    // The documented example carries both `chat_id` and `chat_name`: the
    // existing-chat form plus the name, set through `configure`.
    let call = Apaas::new(&client)
        .user_tasks()
        .chat_group("1234", "1234")
        .invite(["1234"])
        .existing_chat("oc_1234")
        .configure(|e| e.body.chat_name = Some("群名称".into()));
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/user_tasks/1234/chat_group",
    )
    .await;
    assert_eq!(
        out.chat_id.unwrap().as_str(),
        "ou_7d8a6e6df7621556ce0d21922b676706ccs"
    );
}

#[tokio::test]
async fn query() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .user_tasks()
        .query("1234")
        .task_type(UserTaskQueryType::Pending)
        .source(UserTaskSource::AssignMe)
        .limit(10)
        .offset(0)
        .start_time_ms(1_730_208_758_000)
        .end_time_ms(1_730_208_758_000)
        .api_ids(["package_b40c28__c__action_aadfv6lfu6kai"]);
    let out = documented_round_trip(&server, call, "/open-apis/apaas/v1/user_task/query").await;
    assert_eq!(out.total(), Some(10));
    let tasks = out.tasks.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].task_id.as_ref().unwrap().as_str(), "1234");
    let instance = tasks[0].workflow_instance.as_ref().unwrap();
    assert_eq!(instance.id.as_ref().unwrap().as_str(), "1234");
    assert_eq!(instance.status.as_deref(), Some("in_process"));
    assert_eq!(
        tasks[0].initiator.as_ref().unwrap().name.as_deref(),
        Some("发起人名称")
    );
}

#[tokio::test]
async fn agree() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .approval_tasks()
        .agree("1785996265147395", "1783981209205788")
        .opinion("同意");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/agree",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn reject() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .approval_tasks()
        .reject("1785996265147395", "1783981209205788")
        .opinion("拒绝");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/reject",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn transfer() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .approval_tasks()
        .transfer(
            "1785996265147395",
            "1783981209205788",
            ["1783981209205788"],
            ["1783981209205789"],
        )
        .opinion("转交");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/transfer",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn add_assignee() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .approval_tasks()
        .add_assignee(
            "1785771068261436",
            "1783981209205788",
            ["1783981209205788"],
            AddAssigneeType::CurrentAndAddAssign,
        )
        .opinion("加签");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/approval_tasks/1785771068261436/add_assignee",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn cc() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .user_tasks()
        .cc("1234", "1234", ["1234"]);
    let out = documented_round_trip(&server, call, "/open-apis/apaas/v1/user_tasks/1234/cc").await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn expediting() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .user_tasks()
        .expediting("1234", "123", ["1234"])
        .opinion("催办理由");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/user_tasks/1234/expediting",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn cancel() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call =
        Apaas::new(&client)
            .approval_instances()
            .cancel("1788173550023689", "1234", "撤销了");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/approval_instances/1788173550023689/cancel",
    )
    .await;
    assert!(out.extra.is_empty());
}

#[tokio::test]
async fn rollback_points() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .user_tasks()
        .rollback_points("1234", "1234");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/user_tasks/1234/rollback_points",
    )
    .await;
    let tasks = out.tasks.unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].id.as_ref().unwrap().as_str(), "1234");
    assert_eq!(tasks[0].is_start, Some(false));
}

#[tokio::test]
async fn rollback() {
    let server = MockServer::start_async().await;
    let client = client_for(&server);
    let call = Apaas::new(&client)
        .user_tasks()
        .rollback("1234", "1234", "1234", "退回原因");
    let out = documented_round_trip(
        &server,
        call,
        "/open-apis/apaas/v1/user_tasks/1234/rollback",
    )
    .await;
    assert!(out.extra.is_empty());
}

/// Every service method's doc names the endpoint's path and links its
/// official page: the sources must carry `E::PATH` and `E::DOC` verbatim.
#[test]
fn method_docs_name_the_path_and_link_the_page() {
    use feishu_apaas::model::*;
    let sources = [
        include_str!("../src/user_tasks.rs"),
        include_str!("../src/approval_tasks.rs"),
        include_str!("../src/approval_instances.rs"),
    ]
    .concat();
    let endpoints: [(&str, &str); 11] = [
        (UserTaskChatGroup::PATH, UserTaskChatGroup::DOC),
        (UserTaskQuery::PATH, UserTaskQuery::DOC),
        (ApprovalTaskAgree::PATH, ApprovalTaskAgree::DOC),
        (ApprovalTaskReject::PATH, ApprovalTaskReject::DOC),
        (ApprovalTaskTransfer::PATH, ApprovalTaskTransfer::DOC),
        (ApprovalTaskAddAssignee::PATH, ApprovalTaskAddAssignee::DOC),
        (UserTaskCc::PATH, UserTaskCc::DOC),
        (UserTaskExpediting::PATH, UserTaskExpediting::DOC),
        (ApprovalInstanceCancel::PATH, ApprovalInstanceCancel::DOC),
        (UserTaskRollbackPoints::PATH, UserTaskRollbackPoints::DOC),
        (UserTaskRollback::PATH, UserTaskRollback::DOC),
    ];
    for (path, doc) in endpoints {
        assert!(
            sources.contains(&format!("/// `POST {path}`")),
            "no doc line names POST {path}"
        );
        assert!(
            sources.contains(&format!("([documentation]({doc}))")),
            "no doc links {doc}"
        );
    }
}

//! What is refused before sending, and how the server's errors come back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod common;

use common::*;
use feishu_apaas::model::{AddAssigneeType, PARAM_INVALID};
use feishu_apaas::prelude::*;
use feishu_apaas::{Apaas, Call, Error};
use feishu_model::{Endpoint, TokenKind};
use feishu_transport::Rejection;
use httpmock::prelude::*;
use serde_json::json;

/// Sends `call` and checks that it was refused before sending because of
/// the token kind.
async fn refused_for_user_token<E>(call: Call<E>)
where
    E: Endpoint + Send + Sync + 'static,
    E::Output: Send + std::fmt::Debug,
{
    let err = call.user_access_token("u-user-token").await.unwrap_err();
    match err {
        Error::Rejected {
            operation,
            reason:
                Rejection::TokenKind {
                    operation: op,
                    accepted,
                    given,
                },
        } => {
            assert_eq!(operation, E::OPERATION);
            assert_eq!(op, E::OPERATION);
            assert_eq!(accepted, "tenant_access_token");
            assert_eq!(given, TokenKind::User);
        }
        other => panic!(
            "{}: expected a token-kind rejection, got {other:?}",
            E::OPERATION
        ),
    }
}

#[tokio::test]
async fn a_user_access_token_is_refused_before_sending_on_every_endpoint() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200)
                .json_body(json!({"code": 0, "msg": "success", "data": {}}));
        })
        .await;
    let client = client_for(&server);
    let apaas = Apaas::new(&client);
    let tasks = apaas.user_tasks();
    let approvals = apaas.approval_tasks();
    refused_for_user_token(tasks.chat_group("1", "2").new_chat("n")).await;
    refused_for_user_token(tasks.chat_group("1", "2").existing_chat("oc_1")).await;
    refused_for_user_token(tasks.query("1")).await;
    refused_for_user_token(tasks.cc("1", "2", ["3"])).await;
    refused_for_user_token(tasks.expediting("1", "2", ["3"])).await;
    refused_for_user_token(tasks.rollback_points("1", "2")).await;
    refused_for_user_token(tasks.rollback("1", "2", "3", "why")).await;
    refused_for_user_token(approvals.agree("1", "2")).await;
    refused_for_user_token(approvals.reject("1", "2")).await;
    refused_for_user_token(approvals.transfer("1", "2", ["3"], ["4"])).await;
    refused_for_user_token(approvals.add_assignee(
        "1",
        "2",
        ["3"],
        AddAssigneeType::AfterAndAddAssign,
    ))
    .await;
    refused_for_user_token(apaas.approval_instances().cancel("1", "2", "why")).await;
    anything.assert_hits_async(0).await;
}

#[tokio::test]
async fn param_invalid_is_a_typed_api_error_with_status_and_log_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/open-apis/apaas/v1/user_tasks/1234/chat_group");
            then.status(400)
                .header("content-type", "application/json")
                .header("x-tt-logid", LOG_ID)
                .json_body(json!({"code": 2320001, "msg": "param is invalid"}));
        })
        .await;
    let client = client_for(&server);
    let err = Apaas::new(&client)
        .user_tasks()
        .chat_group("1234", "1234")
        .invite(["1234"])
        .new_chat("群名称")
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(PARAM_INVALID));
    assert_eq!(err.code(), Some(2_320_001));
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.log_id(), Some(LOG_ID));
    assert!(!err.is_retryable());
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}");
    };
    assert_eq!(api.operation, "apaas.v1.user_task.chat_group");
    assert_eq!(api.msg, "param is invalid");
    let shown = err.to_string();
    assert!(
        shown.contains("2320001") && shown.contains(LOG_ID),
        "{shown}"
    );
    // A bad parameter is not retried.
    mock.assert_hits_async(1).await;
}

/// Bad input is refused before sending, naming the field.
#[tokio::test]
async fn broken_rules_are_refused_before_sending_naming_the_field() {
    let server = MockServer::start_async().await;
    let anything = server
        .mock_async(|_, then| {
            then.status(200)
                .json_body(json!({"code": 0, "msg": "success", "data": {}}));
        })
        .await;
    let client = client_for(&server);
    let apaas = Apaas::new(&client);
    let tasks = apaas.user_tasks();
    let invitees: Vec<String> = (0..21).map(|i| format!("u{i}")).collect();
    let cases: Vec<(Error, &str)> = vec![
        (
            tasks
                .chat_group("1", "2")
                .invite(invitees)
                .new_chat("n")
                .await
                .unwrap_err(),
            "invite_user_ids",
        ),
        (
            tasks.chat_group("", "2").new_chat("n").await.unwrap_err(),
            "task_id",
        ),
        (
            tasks.chat_group("1", "").new_chat("n").await.unwrap_err(),
            "operator_user_id",
        ),
        (tasks.query("1").limit(51).await.unwrap_err(), "limit"),
        (tasks.query("1").limit(0).await.unwrap_err(), "limit"),
        (
            tasks.cc("1", "2", Vec::<String>::new()).await.unwrap_err(),
            "cc_user_ids",
        ),
        (
            tasks.rollback("1", "2", "3", "").await.unwrap_err(),
            "opinion",
        ),
        (
            apaas
                .approval_instances()
                .cancel("", "2", "why")
                .await
                .unwrap_err(),
            "approval_instance_id",
        ),
    ];
    for (err, field) in cases {
        match &err {
            Error::Rejected {
                reason: Rejection::Invalid(invalid),
                ..
            } => assert_eq!(invalid.field, field, "{err}"),
            other => panic!("expected a rejection naming {field}, got {other:?}"),
        }
    }
    anything.assert_hits_async(0).await;
}

#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The aPaaS flow user-task endpoints against their documented examples and rules.

use feishu_model::apaas::approval_instance::*;
use feishu_model::apaas::approval_task::*;
use feishu_model::apaas::user_task::*;
use feishu_model::codes::{classify, ErrorClass};
use feishu_model::{
    Empty, Endpoint, Envelope, Invalid, Method, RateLimit, RequestSpec, ResponseShape, TokenKind,
};
use proptest::prelude::*;
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------
// helpers

fn fixture(operation: &str, kind: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/{operation}.{kind}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap();
    serde_json::from_str(&text)
        .map_err(|e| format!("{path}: {e}"))
        .unwrap()
}

/// Checks the request against the documented method, path, (empty) query and
/// request body example.
fn assert_documented_request<E: Endpoint>(call: &E, path: &str) {
    let req = call.to_request().unwrap();
    assert_eq!(req.operation, E::OPERATION);
    assert_eq!(req.method, Method::Post);
    assert_eq!(req.path, path);
    assert!(req.query.is_empty(), "{:?}", req.query);
    let body: Value = serde_json::from_slice(req.body.as_deref().expect("a body")).unwrap();
    assert_eq!(body, fixture(E::OPERATION, "request"));
}

/// Decodes the documented response example and checks that `data`
/// re-serializes to exactly the documented JSON.
fn decode_documented_response<E: Endpoint>() -> E::Output
where
    E::Output: Serialize + DeserializeOwned + Default,
{
    let response = fixture(E::OPERATION, "response");
    let envelope: Envelope<E::Output> = serde_json::from_value(response.clone()).unwrap();
    assert_eq!(envelope.code, 0);
    let data = envelope.data.expect("documented data");
    assert_eq!(serde_json::to_value(&data).unwrap(), response["data"]);
    data
}

fn with<T>(mut value: T, change: impl FnOnce(&mut T)) -> T {
    change(&mut value);
    value
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

// Calls built from each page's documented example.

fn chat_group() -> UserTaskChatGroup {
    let mut body = ChatGroupBody::existing_chat("1234", ["1234"], "oc_1234");
    body.chat_name = Some("群名称".into());
    UserTaskChatGroup::new("1234", body)
}

fn query() -> UserTaskQuery {
    let mut call = UserTaskQuery::new("1234");
    call.body.task_type = Some(UserTaskQueryType::Pending);
    call.body.source = Some(UserTaskSource::AssignMe);
    call.body.limit = Some("10".into());
    call.body.offset = Some("0".into());
    call.body.start_time = Some("1730208758000".into());
    call.body.end_time = Some("1730208758000".into());
    call.body.api_ids = Some(vec!["package_b40c28__c__action_aadfv6lfu6kai".into()]);
    call
}

fn agree() -> ApprovalTaskAgree {
    let mut call = ApprovalTaskAgree::new("1785996265147395", "1783981209205788");
    call.body.opinion = Some("同意".into());
    call
}

fn reject() -> ApprovalTaskReject {
    let mut call = ApprovalTaskReject::new("1785996265147395", "1783981209205788");
    call.body.opinion = Some("拒绝".into());
    call
}

fn transfer() -> ApprovalTaskTransfer {
    let mut call = ApprovalTaskTransfer::new(
        "1785996265147395",
        "1783981209205788",
        ["1783981209205788"],
        ["1783981209205789"],
    );
    call.body.opinion = Some("转交".into());
    call
}

fn add_assignee() -> ApprovalTaskAddAssignee {
    let mut call = ApprovalTaskAddAssignee::new(
        "1785771068261436",
        "1783981209205788",
        ["1783981209205788"],
        AddAssigneeType::CurrentAndAddAssign,
    );
    call.body.opinion = Some("加签".into());
    call
}

fn cc() -> UserTaskCc {
    UserTaskCc::new("1234", "1234", ["1234"])
}

fn expediting() -> UserTaskExpediting {
    let mut call = UserTaskExpediting::new("1234", "123", ["1234"]);
    call.body.opinion = Some("催办理由".into());
    call
}

fn cancel() -> ApprovalInstanceCancel {
    ApprovalInstanceCancel::new("1788173550023689", "1234", "撤销了")
}

fn rollback_points() -> UserTaskRollbackPoints {
    UserTaskRollbackPoints::new("1234", "1234")
}

fn rollback() -> UserTaskRollback {
    UserTaskRollback::new("1234", "1234", "1234", "退回原因")
}

// ---------------------------------------------------------------------------
// metadata

struct Meta {
    operation: &'static str,
    method: Method,
    path: &'static str,
    tokens: &'static [TokenKind],
    rate_limit: RateLimit,
    doc: &'static str,
    idempotent: bool,
    response: ResponseShape,
}

fn meta<E: Endpoint>() -> Meta {
    Meta {
        operation: E::OPERATION,
        method: E::METHOD,
        path: E::PATH,
        tokens: E::TOKENS,
        rate_limit: E::RATE_LIMIT,
        doc: E::DOC,
        idempotent: E::IDEMPOTENT,
        response: E::RESPONSE,
    }
}

#[rstest]
#[case::chat_group(meta::<UserTaskChatGroup>(), "apaas.v1.user_task.chat_group", "/open-apis/apaas/v1/user_tasks/:task_id/chat_group", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/chat_group", false)]
#[case::query(meta::<UserTaskQuery>(), "apaas.v1.user_task.query", "/open-apis/apaas/v1/user_task/query", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/query", true)]
#[case::agree(meta::<ApprovalTaskAgree>(), "apaas.v1.approval_task.agree", "/open-apis/apaas/v1/approval_tasks/:approval_task_id/agree", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/agree", false)]
#[case::reject(meta::<ApprovalTaskReject>(), "apaas.v1.approval_task.reject", "/open-apis/apaas/v1/approval_tasks/:approval_task_id/reject", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/reject", false)]
#[case::transfer(meta::<ApprovalTaskTransfer>(), "apaas.v1.approval_task.transfer", "/open-apis/apaas/v1/approval_tasks/:approval_task_id/transfer", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/transfer", false)]
#[case::add_assignee(meta::<ApprovalTaskAddAssignee>(), "apaas.v1.approval_task.add_assignee", "/open-apis/apaas/v1/approval_tasks/:approval_task_id/add_assignee", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_task/add_assignee", false)]
#[case::cc(meta::<UserTaskCc>(), "apaas.v1.user_task.cc", "/open-apis/apaas/v1/user_tasks/:task_id/cc", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/cc", false)]
#[case::expediting(meta::<UserTaskExpediting>(), "apaas.v1.user_task.expediting", "/open-apis/apaas/v1/user_tasks/:task_id/expediting", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/expediting", false)]
#[case::cancel(meta::<ApprovalInstanceCancel>(), "apaas.v1.approval_instance.cancel", "/open-apis/apaas/v1/approval_instances/:approval_instance_id/cancel", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/approval_instance/cancel", false)]
#[case::rollback_points(meta::<UserTaskRollbackPoints>(), "apaas.v1.user_task.rollback_points", "/open-apis/apaas/v1/user_tasks/:task_id/rollback_points", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback_points", true)]
#[case::rollback(meta::<UserTaskRollback>(), "apaas.v1.user_task.rollback", "/open-apis/apaas/v1/user_tasks/:task_id/rollback", "/uAjLw4CM/ukTMukTMukTM/apaas-v1/user_task/rollback", false)]
fn documented_metadata(
    #[case] m: Meta,
    #[case] operation: &str,
    #[case] path: &str,
    #[case] full_path: &str,
    #[case] idempotent: bool,
) {
    assert_eq!(m.operation, operation);
    assert_eq!(m.method, Method::Post);
    assert_eq!(m.path, path);
    assert_eq!(m.tokens, &[TokenKind::Tenant]);
    assert_eq!(m.rate_limit, RateLimit::PER_MINUTE_100);
    assert_eq!(m.rate_limit.per_minute, Some(100));
    assert_eq!(m.doc, format!("https://open.feishu.cn/document{full_path}"));
    assert_eq!(m.idempotent, idempotent);
    assert_eq!(m.response, ResponseShape::Data);
}

#[test]
fn only_tenant_tokens_are_accepted() {
    assert!(UserTaskCc::accepts(TokenKind::Tenant));
    assert!(!UserTaskCc::accepts(TokenKind::User));
    assert!(!ApprovalTaskAgree::accepts(TokenKind::User));
    assert!(!ApprovalInstanceCancel::accepts(TokenKind::App));
}

#[test]
fn param_invalid_is_the_shared_apaas_code() {
    assert_eq!(PARAM_INVALID, 2320001);
    assert_eq!(PARAM_INVALID, feishu_model::codes::APAAS_PARAM_INVALID);
    assert_eq!(classify(PARAM_INVALID), ErrorClass::Request);
    assert!(!classify(PARAM_INVALID).is_retryable());
}

// ---------------------------------------------------------------------------
// documented request examples

#[test]
fn chat_group_request_example() {
    assert_documented_request(
        &chat_group(),
        "/open-apis/apaas/v1/user_tasks/1234/chat_group",
    );
}

#[test]
fn query_request_example() {
    assert_documented_request(&query(), "/open-apis/apaas/v1/user_task/query");
}

#[test]
fn agree_request_example() {
    assert_documented_request(
        &agree(),
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/agree",
    );
}

#[test]
fn reject_request_example() {
    assert_documented_request(
        &reject(),
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/reject",
    );
}

#[test]
fn transfer_request_example() {
    assert_documented_request(
        &transfer(),
        "/open-apis/apaas/v1/approval_tasks/1785996265147395/transfer",
    );
}

#[test]
fn add_assignee_request_example() {
    assert_documented_request(
        &add_assignee(),
        "/open-apis/apaas/v1/approval_tasks/1785771068261436/add_assignee",
    );
}

#[test]
fn cc_request_example() {
    assert_documented_request(&cc(), "/open-apis/apaas/v1/user_tasks/1234/cc");
}

#[test]
fn expediting_request_example() {
    assert_documented_request(
        &expediting(),
        "/open-apis/apaas/v1/user_tasks/1234/expediting",
    );
}

#[test]
fn cancel_request_example() {
    assert_documented_request(
        &cancel(),
        "/open-apis/apaas/v1/approval_instances/1788173550023689/cancel",
    );
}

#[test]
fn rollback_points_request_example() {
    assert_documented_request(
        &rollback_points(),
        "/open-apis/apaas/v1/user_tasks/1234/rollback_points",
    );
}

#[test]
fn rollback_request_example() {
    assert_documented_request(&rollback(), "/open-apis/apaas/v1/user_tasks/1234/rollback");
}

#[test]
fn path_parameters_are_percent_encoded() {
    let req = UserTaskCc::new("a/b c", "1", ["2"]).to_request().unwrap();
    assert_eq!(req.path, "/open-apis/apaas/v1/user_tasks/a%2Fb%20c/cc");
}

#[test]
fn writes_are_not_marked_idempotent_and_reads_are() {
    assert!(!chat_group().to_request().unwrap().idempotent);
    assert!(!agree().to_request().unwrap().idempotent);
    assert!(query().to_request().unwrap().idempotent);
    assert!(rollback_points().to_request().unwrap().idempotent);
    assert_eq!(cc().to_request().unwrap().idempotency_key, None);
}

// ---------------------------------------------------------------------------
// chat_group body constructors

fn body_json(call: &UserTaskChatGroup) -> Value {
    serde_json::from_slice(call.to_request().unwrap().body.as_deref().unwrap()).unwrap()
}

#[test]
fn new_chat_sends_a_name_and_no_chat_id() {
    let call = UserTaskChatGroup::new(
        "1234",
        ChatGroupBody::new_chat("1234", ["1", "2"], "群名称"),
    );
    assert_eq!(
        body_json(&call),
        json!({"operator_user_id": "1234", "invite_user_ids": ["1", "2"], "chat_name": "群名称"})
    );
}

#[test]
fn existing_chat_sends_the_chat_id_and_no_name() {
    let call = UserTaskChatGroup::new(
        "1234",
        ChatGroupBody::existing_chat("1234", vec!["1".to_owned()], "oc_1234"),
    );
    assert_eq!(
        body_json(&call),
        json!({"operator_user_id": "1234", "invite_user_ids": ["1"], "chat_id": "oc_1234"})
    );
}

#[test]
fn no_invitees_leaves_the_field_out() {
    let call = UserTaskChatGroup::new(
        "1234",
        ChatGroupBody::new_chat("1234", Vec::<String>::new(), "群名称"),
    );
    assert_eq!(
        body_json(&call),
        json!({"operator_user_id": "1234", "chat_name": "群名称"})
    );
}

#[test]
fn optional_query_fields_are_left_out_not_null() {
    let req = UserTaskQuery::new("1234").to_request().unwrap();
    let body: Value = serde_json::from_slice(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body, json!({"kunlun_user_id": "1234"}));
}

// ---------------------------------------------------------------------------
// documented response examples

#[test]
fn chat_group_response_example() {
    let out = decode_documented_response::<UserTaskChatGroup>();
    assert!(out.extra.is_empty());
    assert_eq!(
        out.chat_id.unwrap().as_str(),
        "ou_7d8a6e6df7621556ce0d21922b676706ccs"
    );
}

#[test]
fn query_response_example() {
    let out = decode_documented_response::<UserTaskQuery>();
    assert!(out.extra.is_empty());
    assert_eq!(out.total(), Some(10));
    let tasks = out.tasks.unwrap();
    assert_eq!(tasks.len(), 1);
    let task = &tasks[0];
    assert!(task.extra.is_empty());
    assert_eq!(task.task_id.as_ref().unwrap().as_str(), "1234");
    let instance = task.workflow_instance.as_ref().unwrap();
    assert!(instance.extra.is_empty());
    assert_eq!(instance.status.as_deref(), Some("in_process"));
    for label in instance.label.as_ref().unwrap() {
        assert!(label.extra.is_empty());
    }
    let initiator = task.initiator.as_ref().unwrap();
    assert!(initiator.extra.is_empty());
    assert_eq!(initiator.name.as_deref(), Some("发起人名称"));
    for summary in task.summarys.as_ref().unwrap() {
        assert!(summary.extra.is_empty());
        assert!(summary.file_key.as_ref().unwrap().extra.is_empty());
        for value in summary.file_value.as_ref().unwrap() {
            assert!(value.extra.is_empty());
            assert_eq!(value.text.as_deref(), Some("摘要值"));
        }
    }
}

#[test]
fn rollback_points_response_example() {
    let out = decode_documented_response::<UserTaskRollbackPoints>();
    assert!(out.extra.is_empty());
    let tasks = out.tasks.unwrap();
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0].extra.is_empty());
    assert_eq!(tasks[0].is_start, Some(false));
    for label in tasks[0].activity_label.as_ref().unwrap() {
        assert!(label.extra.is_empty());
    }
}

fn empty_response<E: Endpoint<Output = Empty>>() {
    let out = decode_documented_response::<E>();
    assert!(out.extra.is_empty());
}

#[test]
fn empty_response_examples() {
    empty_response::<ApprovalTaskAgree>();
    empty_response::<ApprovalTaskReject>();
    empty_response::<ApprovalTaskTransfer>();
    empty_response::<ApprovalTaskAddAssignee>();
    empty_response::<UserTaskCc>();
    empty_response::<UserTaskExpediting>();
    empty_response::<ApprovalInstanceCancel>();
    empty_response::<UserTaskRollback>();
}

#[test]
fn undocumented_fields_survive() {
    let data = json!({"chat_id": "oc_1", "new_field": {"a": [1, 2]}});
    let out: ChatGroupOutput = serde_json::from_value(data.clone()).unwrap();
    assert_eq!(out.extra.get("new_field"), Some(&json!({"a": [1, 2]})));
    assert_eq!(serde_json::to_value(&out).unwrap(), data);
}

// ---------------------------------------------------------------------------
// validation rules

fn err_field(result: Result<RequestSpec, Invalid>) -> String {
    result.expect_err("the rule must refuse the call").field
}

#[rstest]
// chat_group
#[case::chat_group_task_id(with(chat_group(), |c| c.path.task_id = "".into()).to_request(), "task_id")]
#[case::chat_group_operator(with(chat_group(), |c| c.body.operator_user_id.clear()).to_request(), "operator_user_id")]
#[case::chat_group_no_invitees(with(chat_group(), |c| c.body.invite_user_ids = Some(vec![])).to_request(), "invite_user_ids")]
#[case::chat_group_21_invitees(with(chat_group(), |c| c.body.invite_user_ids = Some(ids(21))).to_request(), "invite_user_ids")]
// query
#[case::query_user(with(query(), |c| c.body.kunlun_user_id.clear()).to_request(), "kunlun_user_id")]
#[case::query_limit_0(with(query(), |c| c.body.limit = Some("0".into())).to_request(), "limit")]
#[case::query_limit_51(with(query(), |c| c.body.limit = Some("51".into())).to_request(), "limit")]
#[case::query_limit_text(with(query(), |c| c.body.limit = Some("ten".into())).to_request(), "limit")]
#[case::query_limit_negative(with(query(), |c| c.body.limit = Some("-1".into())).to_request(), "limit")]
#[case::query_no_api_ids(with(query(), |c| c.body.api_ids = Some(vec![])).to_request(), "api_ids")]
#[case::query_101_api_ids(with(query(), |c| c.body.api_ids = Some(ids(101))).to_request(), "api_ids")]
// agree, reject
#[case::agree_task_id(with(agree(), |c| c.path.approval_task_id = "".into()).to_request(), "approval_task_id")]
#[case::agree_user(with(agree(), |c| c.body.user_id.clear()).to_request(), "user_id")]
#[case::reject_task_id(with(reject(), |c| c.path.approval_task_id = "".into()).to_request(), "approval_task_id")]
#[case::reject_user(with(reject(), |c| c.body.user_id.clear()).to_request(), "user_id")]
// transfer
#[case::transfer_user(with(transfer(), |c| c.body.user_id.clear()).to_request(), "user_id")]
#[case::transfer_21_from(with(transfer(), |c| c.body.from_user_ids = Some(ids(21))).to_request(), "from_user_ids")]
#[case::transfer_21_to(with(transfer(), |c| c.body.to_user_ids = Some(ids(21))).to_request(), "to_user_ids")]
// add_assignee
#[case::add_assignee_user(with(add_assignee(), |c| c.body.user_id.clear()).to_request(), "user_id")]
#[case::add_assignee_21(with(add_assignee(), |c| c.body.approvers = Some(ids(21))).to_request(), "approvers")]
// cc
#[case::cc_task_id(with(cc(), |c| c.path.task_id = "".into()).to_request(), "task_id")]
#[case::cc_operator(with(cc(), |c| c.body.operator_user_id.clear()).to_request(), "operator_user_id")]
#[case::cc_none(with(cc(), |c| c.body.cc_user_ids.clear()).to_request(), "cc_user_ids")]
#[case::cc_11(with(cc(), |c| c.body.cc_user_ids = ids(11)).to_request(), "cc_user_ids")]
// expediting
#[case::expediting_operator(with(expediting(), |c| c.body.operator_user_id.clear()).to_request(), "operator_user_id")]
#[case::expediting_none(with(expediting(), |c| c.body.expediting_user_ids.clear()).to_request(), "expediting_user_ids")]
#[case::expediting_21(with(expediting(), |c| c.body.expediting_user_ids = ids(21)).to_request(), "expediting_user_ids")]
// cancel
#[case::cancel_instance(with(cancel(), |c| c.path.approval_instance_id = "".into()).to_request(), "approval_instance_id")]
#[case::cancel_user(with(cancel(), |c| c.body.user_id.clear()).to_request(), "user_id")]
#[case::cancel_opinion(with(cancel(), |c| c.body.opinion.clear()).to_request(), "opinion")]
// rollback_points
#[case::rollback_points_task_id(with(rollback_points(), |c| c.path.task_id = "".into()).to_request(), "task_id")]
#[case::rollback_points_operator(with(rollback_points(), |c| c.body.operator_user_id.clear()).to_request(), "operator_user_id")]
// rollback
#[case::rollback_operator(with(rollback(), |c| c.body.operator_user_id.clear()).to_request(), "operator_user_id")]
#[case::rollback_to_task(with(rollback(), |c| c.body.to_task_id = "".into()).to_request(), "to_task_id")]
#[case::rollback_opinion(with(rollback(), |c| c.body.opinion.clear()).to_request(), "opinion")]
fn broken_rules_name_the_field(#[case] result: Result<RequestSpec, Invalid>, #[case] field: &str) {
    assert_eq!(err_field(result), field);
}

#[rstest]
#[case::chat_group_1_invitee(with(chat_group(), |c| c.body.invite_user_ids = Some(ids(1))).to_request())]
#[case::chat_group_20_invitees(with(chat_group(), |c| c.body.invite_user_ids = Some(ids(20))).to_request())]
#[case::chat_group_no_invitee_field(with(chat_group(), |c| c.body.invite_user_ids = None).to_request())]
#[case::query_limit_1(with(query(), |c| c.body.limit = Some("1".into())).to_request())]
#[case::query_limit_50(with(query(), |c| c.body.limit = Some("50".into())).to_request())]
#[case::query_100_api_ids(with(query(), |c| c.body.api_ids = Some(ids(100))).to_request())]
#[case::query_minimal(UserTaskQuery::new("1").to_request())]
#[case::transfer_empty_lists(with(transfer(), |c| { c.body.from_user_ids = Some(vec![]); c.body.to_user_ids = Some(vec![]); }).to_request())]
#[case::transfer_20(with(transfer(), |c| { c.body.from_user_ids = Some(ids(20)); c.body.to_user_ids = Some(ids(20)); }).to_request())]
#[case::add_assignee_empty(with(add_assignee(), |c| c.body.approvers = Some(vec![])).to_request())]
#[case::add_assignee_20(with(add_assignee(), |c| c.body.approvers = Some(ids(20))).to_request())]
#[case::agree_no_opinion(ApprovalTaskAgree::new("1", "2").to_request())]
#[case::cc_10(with(cc(), |c| c.body.cc_user_ids = ids(10)).to_request())]
#[case::expediting_20(with(expediting(), |c| c.body.expediting_user_ids = ids(20)).to_request())]
fn limits_are_inclusive(#[case] result: Result<RequestSpec, Invalid>) {
    result.unwrap();
}

// ---------------------------------------------------------------------------
// properties

const KEYS: &[&str] = &[
    "chat_id",
    "count",
    "tasks",
    "task_id",
    "task_start_time",
    "workflow_instance",
    "id",
    "label",
    "language_code",
    "text",
    "status",
    "initiator",
    "user_id",
    "name",
    "summarys",
    "file_key",
    "file_value",
    "activity_label",
    "is_start",
];

fn json_value(with_null: bool) -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        ".{0,8}".prop_map(Value::String),
        Just(if with_null {
            Value::Null
        } else {
            Value::Bool(true)
        }),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYS).prop_map(str::to_owned),
        "[a-z_]{1,8}",
    ]
}

fn json_object(with_null: bool) -> impl Strategy<Value = Value> {
    prop::collection::btree_map(key(), json_value(with_null), 0..6)
        .prop_map(|m| Value::Object(m.into_iter().collect()))
}

/// Decoding never panics; whatever decodes re-serializes to the same JSON
/// when no `null` is involved (a `null` optional field is dropped).
fn decodes_and_round_trips<T: Serialize + DeserializeOwned>(
    value: &Value,
    exact: bool,
) -> Result<(), TestCaseError> {
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        let again = serde_json::to_value(&decoded).unwrap();
        if exact {
            prop_assert_eq!(&again, value);
        }
        let twice: T = serde_json::from_value(again.clone()).unwrap();
        prop_assert_eq!(serde_json::to_value(&twice).unwrap(), again);
    }
    Ok(())
}

fn all_outputs(value: &Value, exact: bool) -> Result<(), TestCaseError> {
    decodes_and_round_trips::<ChatGroupOutput>(value, exact)?;
    decodes_and_round_trips::<UserTaskQueryOutput>(value, exact)?;
    decodes_and_round_trips::<UserTask>(value, exact)?;
    decodes_and_round_trips::<WorkflowInstance>(value, exact)?;
    decodes_and_round_trips::<TaskUser>(value, exact)?;
    decodes_and_round_trips::<TaskSummary>(value, exact)?;
    decodes_and_round_trips::<I18nText>(value, exact)?;
    decodes_and_round_trips::<RollbackPointsOutput>(value, exact)?;
    decodes_and_round_trips::<RollbackPoint>(value, exact)?;
    decodes_and_round_trips::<Empty>(value, exact)
}

fn enum_round_trips<E>(s: &str, as_str: impl Fn(&E) -> String) -> Result<(), TestCaseError>
where
    E: Serialize + DeserializeOwned,
{
    let json = serde_json::to_string(s).unwrap();
    let decoded: E = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(as_str(&decoded), s);
    prop_assert_eq!(serde_json::to_string(&decoded).unwrap(), json);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn outputs_decode_arbitrary_objects(value in json_object(false)) {
        all_outputs(&value, true)?;
    }

    #[test]
    fn outputs_tolerate_nulls(value in json_object(true)) {
        all_outputs(&value, false)?;
    }

    #[test]
    fn outputs_decode_arbitrary_json(value in json_value(true)) {
        all_outputs(&value, false)?;
    }

    #[test]
    fn enums_round_trip_any_string(s in ".*") {
        enum_round_trips::<UserTaskQueryType>(&s, |e| e.as_str().to_owned())?;
        enum_round_trips::<UserTaskSource>(&s, |e| e.as_str().to_owned())?;
        enum_round_trips::<AddAssigneeType>(&s, |e| e.as_str().to_owned())?;
    }

    #[test]
    fn enums_keep_known_values(
        s in prop::sample::select(vec![
            "archived", "pending", "fromMe", "assignMe", "CCMe",
            "currentAndAddAssign", "afterAndAddAssign",
        ])
    ) {
        let known = UserTaskQueryType::from(s).is_known()
            || UserTaskSource::from(s).is_known()
            || AddAssigneeType::from(s).is_known();
        prop_assert!(known);
    }
}

#[test]
fn documented_enum_values() {
    assert_eq!(
        UserTaskQueryType::KNOWN,
        &[UserTaskQueryType::Archived, UserTaskQueryType::Pending]
    );
    assert_eq!(UserTaskSource::from("CCMe"), UserTaskSource::CcMe);
    assert_eq!(UserTaskSource::from("ccme").as_str(), "ccme");
    assert!(!UserTaskSource::from("ccme").is_known());
    assert_eq!(
        AddAssigneeType::from("afterAndAddAssign"),
        AddAssigneeType::AfterAndAddAssign
    );
}

//! Endpoints and helpers shared by the transport tests.
#![allow(dead_code, missing_docs)]

use feishu_model::{endpoint, Empty, NoParams, Params};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThingPath {
    pub thing_id: String,
}
impl Params for ThingPath {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Thing {
    pub name: String,
    #[serde(flatten)]
    pub extra: feishu_model::Extra,
}

endpoint! {
    /// A read.
    pub struct GetThing {
        operation: "test.v1.thing.get",
        family: Im,
        method: Get,
        path: "/open-apis/test/v1/things/:thing_id",
        path_params: ThingPath,
        query: NoParams,
        body: NoParams,
        output: Thing,
        tokens: [Tenant, User],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/test",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewThing {
    pub name: String,
}
impl Params for NewThing {}

endpoint! {
    /// A non-idempotent write that accepts only tenant tokens.
    pub struct CreateThing {
        operation: "test.v1.thing.create",
        family: Im,
        method: Post,
        path: "/open-apis/test/v1/things",
        path_params: NoParams,
        query: NoParams,
        body: NewThing,
        output: Empty,
        tokens: [Tenant],
        rate_limit: GROUP,
        doc: "https://open.feishu.cn/document/test",
    }
}

pub fn get_thing(id: &str) -> GetThing {
    GetThing {
        path: ThingPath {
            thing_id: id.into(),
        },
        query: NoParams {},
        body: NoParams {},
    }
}

pub fn create_thing(name: &str) -> CreateThing {
    CreateThing {
        path: NoParams {},
        query: NoParams {},
        body: NewThing { name: name.into() },
    }
}

pub fn token_body(token: &str, expire: i64) -> serde_json::Value {
    serde_json::json!({"code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire})
}

pub fn thing_body(name: &str) -> serde_json::Value {
    serde_json::json!({"code": 0, "msg": "success", "data": {"name": name}})
}

/// A client builder with a fixed tenant token over `transport`, the
/// client-side limiter off.
pub fn static_client(
    transport: std::sync::Arc<dyn feishu_transport::Transport>,
) -> feishu_transport::ClientBuilder {
    feishu_transport::Client::builder()
        .static_tenant_token("t-1")
        .transport(transport)
        .rate_limiting(false)
}

/// A client builder for a self-built app (`cli_test`) that fetches its own
/// tenant token over `transport`, the client-side limiter off.
pub fn self_built_client(
    transport: std::sync::Arc<dyn feishu_transport::Transport>,
) -> feishu_transport::ClientBuilder {
    feishu_transport::Client::builder()
        .credentials(feishu_transport::AppCredentials::self_built(
            "cli_test",
            "secret-123",
        ))
        .transport(transport)
        .rate_limiting(false)
}

//! Operation id → typed call, for every endpoint of `feishu-model`, built
//! from the model's own list ([`feishu_model::for_each_endpoint!`]): one
//! generic function serves every operation.

use feishu_model::{Endpoint, ResponseShape};
use feishu_transport::{Client, Error, RequestOptions};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::case::Input;

/// The result of one call: the typed output serialized back to JSON, or the
/// client's error.
pub type CallResult = Result<Value, Error>;

/// Runs one call of a bound operation. `Err` means the case input could not
/// be turned into the endpoint's parameters.
pub type Exec = for<'a> fn(
    &'a Client,
    &'a Input,
    &'a RequestOptions,
) -> LocalBoxFuture<'a, Result<CallResult, String>>;

/// One operation bound to its endpoint type.
#[derive(Clone, Copy)]
pub struct Binding {
    /// Operation id (`E::OPERATION`).
    pub operation: &'static str,
    /// Where the output sits in a successful response (`E::RESPONSE`).
    pub response: ResponseShape,
    /// Builds the endpoint from a case input and calls it.
    pub exec: Exec,
}

impl std::fmt::Debug for Binding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Binding")
            .field("operation", &self.operation)
            .field("response", &self.response)
            .finish_non_exhaustive()
    }
}

/// Deserializes one part of the input; `null` or absent is `{}`.
fn part<T: DeserializeOwned>(name: &str, value: Option<&Value>) -> Result<T, String> {
    let value = match value {
        None | Some(Value::Null) => Value::Object(Map::new()),
        Some(v) => v.clone(),
    };
    feishu_model::jsonpath::from_value(&value)
        .map_err(|e| format!("input.{name} does not fit the endpoint's parameters: {e}"))
}

/// Builds endpoint `E` from the three parts of a case input.
pub fn build<E: Endpoint>(input: &Input) -> Result<E, String> {
    Ok(E::from_parts(
        part("path", input.path.as_ref())?,
        part("query", input.query.as_ref())?,
        part("body", input.body.as_ref())?,
    ))
}

async fn call<E: Endpoint + Send + Sync + 'static>(
    client: &Client,
    input: &Input,
    options: &RequestOptions,
) -> Result<CallResult, String> {
    let endpoint = build::<E>(input)?;
    Ok(match client.call(endpoint).options(options.clone()).await {
        Ok(output) => Ok(serde_json::to_value(&output)
            .map_err(|e| format!("the typed output does not serialize: {e}"))?),
        Err(e) => Err(e),
    })
}

fn exec<'a, E: Endpoint + Send + Sync + 'static>(
    client: &'a Client,
    input: &'a Input,
    options: &'a RequestOptions,
) -> LocalBoxFuture<'a, Result<CallResult, String>> {
    Box::pin(call::<E>(client, input, options))
}

macro_rules! bindings {
    ($($ty:path),* $(,)?) => {
        &[$(Binding {
            operation: <$ty as Endpoint>::OPERATION,
            response: <$ty as Endpoint>::RESPONSE,
            exec: exec::<$ty>,
        }),*]
    };
}

/// Every endpoint of the model, bound.
pub static BINDINGS: &[Binding] = feishu_model::for_each_endpoint!(bindings);

/// The binding of an operation id.
pub fn find(operation: &str) -> Option<&'static Binding> {
    BINDINGS.iter().find(|b| b.operation == operation)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn every_model_endpoint_is_bound_once() {
        assert_eq!(BINDINGS.len(), feishu_model::registry::ENDPOINTS.len());
        for info in feishu_model::registry::ENDPOINTS {
            assert_eq!(find(info.operation).unwrap().operation, info.operation);
        }
        assert_eq!(
            find("auth.v3.tenant_access_token.internal")
                .unwrap()
                .response,
            ResponseShape::Flat
        );
        assert!(find("im.v1.chat.nothing").is_none());
    }

    #[test]
    fn input_parts_that_do_not_fit_name_the_part() {
        let input = Input {
            path: Some(serde_json::json!({"chat_id": 5})),
            ..Input::default()
        };
        let err = build::<feishu_model::im::chat::GetChat>(&input)
            .map(|_| ())
            .unwrap_err();
        assert!(err.starts_with("input.path"), "{err}");
    }
}

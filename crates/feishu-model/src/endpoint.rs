//! The [`Endpoint`] trait: one value describes one API call, and turning it
//! into a [`RequestSpec`] is a pure function.

use serde::{de::DeserializeOwned, Serialize};

use crate::flat::Field;
use crate::validate::Invalid;

/// HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method name as it goes on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method named `name` (upper case, as on the wire).
    ///
    /// ```
    /// assert_eq!(feishu_model::Method::parse("PATCH"), Some(feishu_model::Method::Patch));
    /// assert_eq!(feishu_model::Method::parse("TRACE"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "GET" => Method::Get,
            "POST" => Method::Post,
            "PUT" => Method::Put,
            "PATCH" => Method::Patch,
            "DELETE" => Method::Delete,
            _ => return None,
        })
    }

    /// Whether repeating the call has the same effect as making it once
    /// (`GET`, `PUT`, `DELETE`). Endpoints may override this default.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A kind of access token an endpoint accepts in its `Authorization` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// `tenant_access_token`: the app acting in a tenant.
    Tenant,
    /// `user_access_token`: the app acting for a user.
    User,
    /// `app_access_token`: the app itself.
    App,
}

impl TokenKind {
    /// The documented name of the token kind.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Tenant => "tenant_access_token",
            TokenKind::User => "user_access_token",
            TokenKind::App => "app_access_token",
        }
    }
}

impl std::fmt::Display for TokenKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A documented rate-limit class: the limits hold per API, per app, per tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateLimit {
    /// Calls allowed in any one-second window, if limited per second.
    pub per_second: Option<u32>,
    /// Calls allowed in any one-minute window, if limited per minute.
    pub per_minute: Option<u32>,
}

impl RateLimit {
    /// No documented limit (the auth endpoints).
    pub const NONE: RateLimit = RateLimit {
        per_second: None,
        per_minute: None,
    };
    /// Level 4, used by every im v1 group endpoint: 1000 calls/minute and 50 calls/second.
    pub const GROUP: RateLimit = RateLimit {
        per_second: Some(50),
        per_minute: Some(1000),
    };
    /// Level 3, used by the aPaaS user-task endpoints: 100 calls/minute.
    pub const PER_MINUTE_100: RateLimit = RateLimit {
        per_second: None,
        per_minute: Some(100),
    };

    /// The upgraded (docx) announcement's get endpoint: 20 calls/second.
    pub const DOCX_GET: RateLimit = RateLimit {
        per_second: Some(20),
        per_minute: None,
    };
    /// The upgraded announcement's block reads: 10 calls/second.
    pub const DOCX_READ: RateLimit = RateLimit {
        per_second: Some(10),
        per_minute: None,
    };
    /// The upgraded announcement's block writes: 5 calls/second.
    pub const DOCX_WRITE: RateLimit = RateLimit {
        per_second: Some(5),
        per_minute: None,
    };

    /// Whether any limit applies.
    pub const fn is_limited(&self) -> bool {
        self.per_second.is_some() || self.per_minute.is_some()
    }
}

/// Where the typed output sits in a successful response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResponseShape {
    /// `{"code":0,"msg":"...","data":{...}}`: the output is `data` (most APIs).
    Data,
    /// `{"code":0,"msg":"...","field":...}`: the output is the body minus
    /// `code` and `msg` (the auth v3 endpoints).
    Flat,
    /// The body is the raw bytes of a file (image and file downloads); an
    /// error is still answered with the JSON envelope.
    ///
    /// A transport hands the status, headers and body of the answer to
    /// [`read_binary`](crate::download::read_binary): a
    /// [`BinaryAnswer::File`](crate::download::BinaryAnswer::File) becomes
    /// the output through [`Endpoint::binary_output`]; a
    /// [`BinaryAnswer::Error`](crate::download::BinaryAnswer::Error) is
    /// decoded as any error envelope (its `code`, `msg` and `error`). It
    /// must allow bodies up to the endpoint's documented size
    /// ([`MAX_DOWNLOAD_BYTES`](crate::download::MAX_DOWNLOAD_BYTES)) rather
    /// than its JSON answer limit.
    Binary,
}

/// One part of an endpoint's parameters (path, query or body).
///
/// Implementations check the documented rules in [`Params::validate`] so that a
/// bad value is refused before anything is sent.
pub trait Params {
    /// `true` only for [`NoParams`]: the part is absent from the request.
    const ABSENT: bool = false;

    /// Checks the documented rules (lengths, maxima, required fields).
    fn validate(&self) -> Result<(), Invalid> {
        Ok(())
    }

    /// The idempotency key this part carries, if any (chat create's `uuid`).
    fn idempotency_key(&self) -> Option<&str> {
        None
    }

    /// The body in a form other than JSON, for a body part: `None` (the
    /// default) sends the part as JSON; an upload answers its
    /// `multipart/form-data` encoding ([`crate::multipart`]).
    fn encoded_body(&self) -> Option<Result<EncodedBody, Invalid>> {
        None
    }

    /// The value of the path parameter `name`, for a path part that gives
    /// its fields directly. `None` (the default) leaves [`fill_path`] to find
    /// the value by serializing the part.
    fn path_value(&self, _name: &str) -> Option<&str> {
        None
    }
}

/// The empty parameter part: no path parameters, no query, or no body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct NoParams {}

impl Params for NoParams {
    const ABSENT: bool = true;
}

/// The `Content-Type` of a JSON body.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

/// A body ready to send, with the content type that describes it.
#[derive(Clone, PartialEq, Eq)]
pub struct EncodedBody {
    /// The `Content-Type` header value (`multipart/form-data; boundary=...`).
    pub content_type: String,
    /// The body bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for EncodedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EncodedBody")
            .field("content_type", &self.content_type)
            .field("bytes", &format_args!("{} bytes", self.bytes.len()))
            .finish()
    }
}

/// A request ready for any HTTP stack: method, encoded path, query pairs,
/// body and its content type. Its `Debug` shows a JSON body as text and
/// any other body by its size only (an upload runs to megabytes).
#[derive(Clone, PartialEq, Eq)]
pub struct RequestSpec {
    /// Operation id, e.g. `im.v1.chat.get`.
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path with percent-encoded path parameters, starting with `/open-apis/`.
    pub path: String,
    /// Query pairs in a stable order; a list parameter repeats its key.
    pub query: Vec<(String, String)>,
    /// Body bytes, if the endpoint has a body: JSON, or the
    /// `multipart/form-data` of an upload.
    pub body: Option<Vec<u8>>,
    /// The `Content-Type` of `body` ([`JSON_CONTENT_TYPE`] for JSON, the
    /// multipart type with its boundary for an upload); `None` without a
    /// body. A transport sends it as the `Content-Type` header.
    pub content_type: Option<String>,
    /// Whether the call may be repeated safely.
    pub idempotent: bool,
    /// The idempotency key the call carries, if any.
    pub idempotency_key: Option<String>,
}

/// The API family an endpoint belongs to: families answer with their own
/// error codes (a parameter error is 232001 in im, 2320001 in aPaaS,
/// 1770001 in docx, 10003 in auth) and gate on their own settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Tenant and app access tokens (`auth.v3`).
    Auth,
    /// Instant messaging: chats, members, tabs, menus (`im.v1`).
    Im,
    /// aPaaS approvals and user tasks (`apaas.v1`).
    Apaas,
    /// Documents: the upgraded group announcement (`docx.v1`).
    Docx,
}

impl std::fmt::Debug for RequestSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let json = self.content_type.as_deref() == Some(JSON_CONTENT_TYPE);
        let body = self
            .body
            .as_deref()
            .map(|bytes| match std::str::from_utf8(bytes) {
                Ok(text) if json => format!("{text:?}"),
                _ => format!("{} bytes", bytes.len()),
            });
        f.debug_struct("RequestSpec")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field(
                "body",
                &format_args!("{}", body.as_deref().unwrap_or("None")),
            )
            .field("content_type", &self.content_type)
            .field("idempotent", &self.idempotent)
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// One documented API call.
///
/// Implementations are declared with [`endpoint!`](crate::endpoint): a struct
/// with public `path`, `query` and `body` parts plus the documented metadata.
pub trait Endpoint {
    /// Path parameters (a struct whose fields name the `:params` of [`Endpoint::PATH`]).
    type Path: Params + Serialize + DeserializeOwned;
    /// Query parameters.
    type Query: Params + Serialize + DeserializeOwned;
    /// JSON body ([`NoParams`] when the endpoint has none).
    type Body: Params + Serialize + DeserializeOwned;
    /// The typed `data` of a successful response.
    type Output: Serialize + DeserializeOwned + Send;

    /// Operation id as the API explorer names it (`im.v1.chat.get`).
    const OPERATION: &'static str;
    /// The API family.
    const FAMILY: Family;
    /// HTTP method.
    const METHOD: Method;
    /// Path template, with `:name` for each path parameter.
    const PATH: &'static str;
    /// Token kinds the endpoint accepts; empty for the auth endpoints.
    const TOKENS: &'static [TokenKind];
    /// Documented rate-limit class.
    const RATE_LIMIT: RateLimit;
    /// Where the output sits in the response body.
    const RESPONSE: ResponseShape = ResponseShape::Data;
    /// Whether repeating the call is safe.
    const IDEMPOTENT: bool = Self::METHOD.is_idempotent();
    /// Link to the official documentation page.
    const DOC: &'static str;

    /// The output of a [`ResponseShape::Binary`] endpoint, built from the
    /// downloaded file; `None` (the default) for the JSON endpoints.
    fn binary_output(download: crate::download::Download) -> Option<Self::Output>
    where
        Self: Sized,
    {
        let _ = download;
        None
    }

    /// The path parameters.
    fn path_params(&self) -> &Self::Path;
    /// The query parameters.
    fn query_params(&self) -> &Self::Query;
    /// The query parameters, to change them (the next `page_token`, ...).
    fn query_params_mut(&mut self) -> &mut Self::Query;
    /// The body.
    fn body_params(&self) -> &Self::Body;
    /// Builds the endpoint from its three parts.
    fn from_parts(path: Self::Path, query: Self::Query, body: Self::Body) -> Self
    where
        Self: Sized;

    /// Checks every documented rule of every part.
    fn validate(&self) -> Result<(), Invalid> {
        self.path_params().validate()?;
        self.query_params().validate()?;
        self.body_params().validate()
    }

    /// Whether the endpoint accepts the given token kind.
    fn accepts(kind: TokenKind) -> bool
    where
        Self: Sized,
    {
        Self::TOKENS.contains(&kind)
    }

    /// Validates and turns the endpoint into a [`RequestSpec`]. Pure: no IO.
    fn to_request(&self) -> Result<RequestSpec, Invalid> {
        self.validate()?;
        let path = fill_path(Self::PATH, self.path_params())?;
        let query = if Self::Query::ABSENT {
            Vec::new()
        } else {
            query_pairs(self.query_params())?
        };
        let (body, content_type) = if Self::Body::ABSENT {
            (None, None)
        } else if let Some(encoded) = self.body_params().encoded_body() {
            let encoded = encoded?;
            (Some(encoded.bytes), Some(encoded.content_type))
        } else {
            let json = serde_json::to_vec(self.body_params())
                .map_err(|e| Invalid::bad_format("body", e.to_string()))?;
            (Some(json), Some(JSON_CONTENT_TYPE.to_owned()))
        };
        let idempotency_key = self
            .query_params()
            .idempotency_key()
            .or_else(|| self.body_params().idempotency_key())
            .map(str::to_owned);
        Ok(RequestSpec {
            operation: Self::OPERATION,
            method: Self::METHOD,
            path,
            query,
            body,
            content_type,
            idempotent: Self::IDEMPOTENT,
            idempotency_key,
        })
    }
}

const PATH_SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Substitutes `:name` segments of `template` with the percent-encoded
/// values of the same-named fields of `params`: read directly when the part
/// gives them ([`Params::path_value`]), else by serializing it.
pub fn fill_path<P: Params + Serialize + ?Sized>(
    template: &str,
    params: &P,
) -> Result<String, Invalid> {
    // Serialized only when a name is not given directly, and then once.
    let mut serialized: Option<crate::flat::Fields> = None;
    let mut out = String::with_capacity(template.len() + 32);
    // `template[..copied]` is in `out`; a `:` that starts a segment names a
    // parameter, which runs to the next `/`.
    let bytes = template.as_bytes();
    let (mut copied, mut from) = (0, 0);
    while let Some(found) = bytes[from..].iter().position(|&b| b == b':') {
        let at = from + found;
        from = at + 1;
        if at > 0 && bytes[at - 1] != b'/' {
            continue;
        }
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'/')
            .map_or(template.len(), |n| at + n);
        let name = &template[at + 1..end];
        let value = match params.path_value(name) {
            Some(value) => value,
            None => {
                let fields = match &mut serialized {
                    Some(fields) => fields,
                    None => serialized.insert(crate::flat::fields("path", params)?),
                };
                fields
                    .iter()
                    .find(|(n, _)| n == name)
                    .and_then(|(_, v)| v.scalar())
                    .unwrap_or_default()
            }
        };
        if value.is_empty() {
            return Err(Invalid::required(
                name,
                "path parameter is required and must not be empty",
            ));
        }
        out.push_str(&template[copied..at]);
        let plain = value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~'));
        if plain {
            // Ids (`oc_…`, `ou_…`) need no escaping: copied at once.
            out.push_str(value);
        } else {
            out.extend(percent_encoding::utf8_percent_encode(value, PATH_SEGMENT));
        }
        (copied, from) = (end, end);
    }
    out.push_str(&template[copied..]);
    Ok(out)
}

/// Flattens a query struct into pairs: `null` is skipped, scalars are written
/// as text, and a list repeats its key once per element.
pub fn query_pairs<Q: Serialize>(query: &Q) -> Result<Vec<(String, String)>, Invalid> {
    let values = crate::flat::fields("query", query)?;
    // Grown by what is set, not sized by the fields: most are unset on most
    // calls, and an empty list allocates nothing.
    let mut pairs = Vec::new();
    for (key, value) in values {
        match value {
            Field::Null => {}
            Field::List(items) => {
                for item in items {
                    let text = item.ok_or_else(|| {
                        Invalid::bad_format(key.as_ref(), "list items must be scalars")
                    })?;
                    pairs.push((key.clone().into_owned(), text));
                }
            }
            Field::Scalar(text) => pairs.push((key.into_owned(), text)),
            Field::Object(_) => return Err(Invalid::bad_format(key.as_ref(), "must be a scalar")),
        }
    }
    Ok(pairs)
}

/// Implements [`Params`] for a path part whose fields are all required path
/// parameters of text: each must be non-empty, and each is given to
/// [`fill_path`] directly ([`Params::path_value`]) rather than found by
/// serializing the part.
///
/// ```
/// use feishu_model::{fill_path, path_params, Params};
/// use serde::Serialize;
///
/// #[derive(Serialize)]
/// pub struct ThingPath { pub thing_id: String }
/// path_params!(ThingPath { thing_id });
///
/// let path = ThingPath { thing_id: "t 1".into() };
/// assert_eq!(path.path_value("thing_id"), Some("t 1"));
/// assert_eq!(fill_path("/things/:thing_id", &path).unwrap(), "/things/t%201");
/// let empty = ThingPath { thing_id: String::new() };
/// assert_eq!(empty.validate().unwrap_err().field, "thing_id");
/// ```
#[macro_export]
macro_rules! path_params {
    ($name:ty { $($field:ident),+ $(,)? }) => {
        impl $crate::Params for $name {
            fn validate(&self) -> ::core::result::Result<(), $crate::Invalid> {
                $(
                    $crate::validate::required(
                        ::core::stringify!($field),
                        ::core::option::Option::Some(&self.$field),
                    )?;
                )+
                ::core::result::Result::Ok(())
            }

            fn path_value(&self, name: &str) -> ::core::option::Option<&str> {
                match name {
                    $(
                        ::core::stringify!($field) => ::core::option::Option::Some(
                            ::core::convert::AsRef::<str>::as_ref(&self.$field),
                        ),
                    )+
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
}

/// Declares an endpoint struct and its [`Endpoint`] implementation.
///
/// Optional trailing entries: `idempotent: bool` (default from the method),
/// `response: Flat` or `response: Binary` (default `Data`; a `Binary`
/// endpoint's output must implement `From<Download>`), and `check: path::to_fn` for rules that
/// span parts (a `fn(&Self) -> Result<(), Invalid>` run after each part's own
/// [`Params::validate`]).
///
/// ```
/// use feishu_model::{endpoint, NoParams, Params, Empty};
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// pub struct ThingPath { pub thing_id: String }
/// impl Params for ThingPath {}
///
/// endpoint! {
///     /// Deletes a thing.
///     pub struct DeleteThing {
///         operation: "demo.v1.thing.delete",
///         family: Im,
///         method: Delete,
///         path: "/open-apis/demo/v1/things/:thing_id",
///         path_params: ThingPath,
///         query: NoParams,
///         body: NoParams,
///         output: Empty,
///         tokens: [Tenant],
///         rate_limit: GROUP,
///         doc: "https://open.feishu.cn/document/demo",
///     }
/// }
///
/// use feishu_model::Endpoint;
/// let call = DeleteThing { path: ThingPath { thing_id: "a/b".into() }, query: NoParams {}, body: NoParams {} };
/// assert_eq!(call.to_request().unwrap().path, "/open-apis/demo/v1/things/a%2Fb");
/// ```
#[macro_export]
macro_rules! endpoint {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            operation: $op:literal,
            family: $family:ident,
            method: $method:ident,
            path: $path:literal,
            path_params: $path_ty:ty,
            query: $query_ty:ty,
            body: $body_ty:ty,
            output: $output:ty,
            tokens: [$($token:ident),* $(,)?],
            rate_limit: $rate:ident,
            doc: $doc:literal
            $(, idempotent: $idem:expr)?
            $(, response: $shape:ident)?
            $(, check: $check:path)?
            $(,)?
        }
    ) => {
        $(#[$meta])*
        ///
        #[doc = concat!("`", $op, "`: ", stringify!($method), " `", $path, "` ([documentation](", $doc, ")).")]
        #[derive(Debug, Clone, PartialEq, ::serde::Serialize, ::serde::Deserialize)]
        pub struct $name {
            /// Path parameters.
            pub path: $path_ty,
            /// Query parameters.
            pub query: $query_ty,
            /// Request body.
            pub body: $body_ty,
        }

        impl $crate::Endpoint for $name {
            type Path = $path_ty;
            type Query = $query_ty;
            type Body = $body_ty;
            type Output = $output;
            const OPERATION: &'static str = $op;
            const FAMILY: $crate::Family = $crate::Family::$family;
            const METHOD: $crate::Method = $crate::Method::$method;
            const PATH: &'static str = $path;
            const TOKENS: &'static [$crate::TokenKind] = &[$($crate::TokenKind::$token),*];
            const RATE_LIMIT: $crate::RateLimit = $crate::RateLimit::$rate;
            $(const IDEMPOTENT: bool = $idem;)?
            $(const RESPONSE: $crate::ResponseShape = $crate::ResponseShape::$shape;)?
            const DOC: &'static str = $doc;
            $($crate::__binary_output!($shape);)?

            fn path_params(&self) -> &Self::Path { &self.path }
            fn query_params(&self) -> &Self::Query { &self.query }
            fn query_params_mut(&mut self) -> &mut Self::Query { &mut self.query }
            fn body_params(&self) -> &Self::Body { &self.body }
            fn from_parts(path: Self::Path, query: Self::Query, body: Self::Body) -> Self {
                $name { path, query, body }
            }
            $(
            /// Checks every part, then the rules that span parts.
            fn validate(&self) -> ::std::result::Result<(), $crate::Invalid> {
                $crate::Params::validate(&self.path)?;
                $crate::Params::validate(&self.query)?;
                $crate::Params::validate(&self.body)?;
                $check(self)
            }
            )?
        }
    };
}

/// The [`Endpoint::binary_output`] of an [`endpoint!`](crate::endpoint)
/// declared with `response: Binary`; nothing for the other shapes.
#[doc(hidden)]
#[macro_export]
macro_rules! __binary_output {
    (Binary) => {
        fn binary_output(
            download: $crate::download::Download,
        ) -> ::core::option::Option<Self::Output> {
            ::core::option::Option::Some(::core::convert::From::from(download))
        }
    };
    ($other:ident) => {};
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// A path part read through `Serialize` only.
    #[derive(Serialize)]
    struct P {
        chat_id: String,
    }

    impl Params for P {}

    /// Any part, read through its `Serialize` only.
    struct Serialized<'a, T>(&'a T);

    impl<T: Serialize> Serialize for Serialized<'_, T> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.0.serialize(s)
        }
    }

    impl<T> Params for Serialized<'_, T> {}

    /// The fields a path part gives directly are the fields it serializes,
    /// and fill a template the same way.
    fn gives_its_serialized_fields<T: Params + Serialize>(part: &T, template: &str) {
        let fields = crate::flat::fields("path", part).unwrap();
        assert!(!fields.is_empty());
        for (name, value) in &fields {
            assert_eq!(part.path_value(name), value.scalar(), "{name}");
        }
        assert_eq!(part.path_value("not_a_field"), None);
        let direct = fill_path(template, part).unwrap();
        assert_eq!(direct, fill_path(template, &Serialized(part)).unwrap());
        assert!(!direct.contains(':'), "{direct}");
    }

    #[test]
    fn every_path_part_gives_its_fields_directly() {
        use crate::apaas::{
            approval_instance::ApprovalInstancePath, approval_task::ApprovalTaskPath,
            user_task::TaskPath,
        };
        use crate::docx::announcement::BlockPath;
        use crate::im::{menu::ChatMenuItemPath, types::ChatPath};
        gives_its_serialized_fields(
            &ChatPath {
                chat_id: "oc_1/é".into(),
            },
            "/open-apis/im/v1/chats/:chat_id",
        );
        gives_its_serialized_fields(
            &ChatMenuItemPath {
                chat_id: "oc_1".into(),
                menu_item_id: "7117".into(),
            },
            "/open-apis/im/v1/chats/:chat_id/menu_item/:menu_item_id",
        );
        gives_its_serialized_fields(&TaskPath::new("t 1"), "/x/:task_id");
        gives_its_serialized_fields(&ApprovalTaskPath::new("a1"), "/x/:approval_task_id/y");
        gives_its_serialized_fields(&ApprovalInstancePath::new("i1"), "/x/:approval_instance_id");
        gives_its_serialized_fields(
            &BlockPath::new("oc_1", "blk?1"),
            "/open-apis/docx/v1/chats/:chat_id/announcement/blocks/:block_id",
        );
        gives_its_serialized_fields(
            &crate::im::message_path::MessagePath::new("om_1*"),
            "/open-apis/im/v1/messages/:message_id/reactions",
        );
        gives_its_serialized_fields(
            &crate::im::reaction::ReactionPath {
                message_id: "om_1".into(),
                reaction_id: "r/1".into(),
            },
            "/open-apis/im/v1/messages/:message_id/reactions/:reaction_id",
        );
        gives_its_serialized_fields(
            &crate::im::image::ImagePath {
                image_key: "img_v2_1".into(),
            },
            "/open-apis/im/v1/images/:image_key",
        );
        gives_its_serialized_fields(
            &crate::im::file::FilePath {
                file_key: "file_1".into(),
            },
            "/open-apis/im/v1/files/:file_key",
        );
    }

    #[derive(Serialize, Deserialize)]
    struct Q {
        #[serde(skip_serializing_if = "Option::is_none")]
        page_size: Option<u32>,
        user_id_type: Option<String>,
        ids: Vec<String>,
        flag: bool,
    }

    #[test]
    fn path_parameters_are_percent_encoded() {
        let p = P {
            chat_id: "oc_a b/c?".into(),
        };
        assert_eq!(
            fill_path("/open-apis/im/v1/chats/:chat_id/members", &p).unwrap(),
            "/open-apis/im/v1/chats/oc_a%20b%2Fc%3F/members"
        );
    }

    #[test]
    fn only_a_colon_that_starts_a_segment_names_a_parameter() {
        let p = P {
            chat_id: "oc_1".into(),
        };
        assert_eq!(
            fill_path("/a:b/:chat_id/c:d/:chat_id", &p).unwrap(),
            "/a:b/oc_1/c:d/oc_1"
        );
        assert_eq!(fill_path(":chat_id/x", &p).unwrap(), "oc_1/x");
        assert_eq!(fill_path("/open-apis/x", &p).unwrap(), "/open-apis/x");
    }

    /// The substitution written as a split on `/`: the reference the scan
    /// must agree with.
    fn split_fill(template: &str, value: &str) -> Option<String> {
        let mut out = Vec::new();
        for segment in template.split('/') {
            out.push(match segment.strip_prefix(':') {
                Some("chat_id") if !value.is_empty() => {
                    percent_encoding::utf8_percent_encode(value, PATH_SEGMENT).to_string()
                }
                Some(_) => return None,
                None => segment.to_owned(),
            });
        }
        Some(out.join("/"))
    }

    proptest::proptest! {
        #[test]
        fn the_scan_fills_a_template_as_a_split_would(
            template in "[/:a-z_]{0,24}",
            value in "[a-zA-Z0-9_./ %?é-]{0,8}",
        ) {
            let filled = fill_path(&template, &P { chat_id: value.clone() }).ok();
            proptest::prop_assert_eq!(filled, split_fill(&template, &value));
        }
    }

    #[test]
    fn debug_shows_json_bodies_and_sizes_the_others() {
        use crate::im::image::{ImageType, UploadImage};
        use crate::im::pin::CreatePin;
        let json = CreatePin::new("om_1").to_request().unwrap();
        let text = format!("{json:?}");
        assert!(text.contains(r#"message_id\":\"om_1"#), "{text}");
        let upload = UploadImage::new(ImageType::Message, "a.png", vec![42; 3000])
            .to_request()
            .unwrap();
        let text = format!("{upload:?}");
        let size = upload.body.as_ref().map_or(0, Vec::len);
        assert!(text.contains(&format!("body: {size} bytes")), "{text}");
        assert!(!text.contains("42, 42"), "{text}");
    }

    #[test]
    fn empty_path_parameter_is_refused_by_name() {
        let p = P {
            chat_id: String::new(),
        };
        let err = fill_path("/x/:chat_id", &p).unwrap_err();
        assert_eq!(err.field, "chat_id");
    }

    #[test]
    fn query_skips_null_and_repeats_lists() {
        let q = Q {
            page_size: Some(20),
            user_id_type: None,
            ids: vec!["a".into(), "b".into()],
            flag: true,
        };
        assert_eq!(
            query_pairs(&q).unwrap(),
            vec![
                ("flag".to_owned(), "true".to_owned()),
                ("ids".to_owned(), "a".to_owned()),
                ("ids".to_owned(), "b".to_owned()),
                ("page_size".to_owned(), "20".to_owned()),
            ]
        );
    }
}

//! The request a messaging case sends: the page's request with its ids
//! replaced and changed by the fault, or one built for a page that
//! documents none, and multipart bodies for the uploads.

use super::*;

/// A request to send.
pub(super) struct Outgoing {
    pub(super) method: String,
    pub(super) path: String,
    pub(super) query: Vec<(String, String)>,
    pub(super) content_type: String,
    pub(super) body: Vec<u8>,
    pub(super) token: String,
}

/// The case's request, rewritten for the world and changed by the fault.
pub(super) fn outgoing(
    world: &World,
    operation: &str,
    case: Option<&Case>,
    fault: Option<Fault>,
) -> Result<Outgoing, String> {
    use Fault::*;
    let mut out = match case.and_then(|c| c.request.as_ref()) {
        Some(request) => {
            let mut query = Map::new();
            for (k, v) in request.query.iter().flatten() {
                if k != "page_token" {
                    query.insert(k.clone(), v.clone());
                }
            }
            let body = match &request.body {
                None | Some(Value::Null) => Vec::new(),
                Some(b) => world.rewrite(&b.to_string()).into_bytes(),
            };
            let query = query
                .into_iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    (k, world.rewrite(&v))
                })
                .collect();
            Outgoing {
                method: request.method.clone(),
                path: world.rewrite(&request.path),
                query,
                content_type: "application/json; charset=utf-8".to_owned(),
                body,
                token: match case.and_then(|c| c.auth).unwrap_or_default() {
                    Auth::User => USER_TOKEN.to_owned(),
                    Auth::None => String::new(),
                    Auth::Tenant => world.token.clone(),
                },
            }
        }
        None => synthesized(world, operation, fault)?,
    };
    if operation.ends_with("image.create") || operation.ends_with("file.create") {
        let image = operation.ends_with("image.create");
        let bytes = match fault {
            Some(EmptyUpload) => Vec::new(),
            Some(LargeUpload) => {
                let mut b = png(2, 2);
                b.resize(if image { 10 << 20 } else { 30 << 20 } + 1, 0);
                b
            }
            Some(NotAnImage) => b"plain text".to_vec(),
            Some(HugeImage) => png(12001, 2),
            _ => png(2, 2),
        };
        let kind = if fault == Some(BadUploadType) {
            "exe"
        } else if image {
            "message"
        } else {
            "mp4"
        };
        let part = FilePart::new(
            if image {
                "image.png"
            } else {
                "测试视频.mp4"
            },
            bytes,
        );
        let form = if image {
            Form::new().text("image_type", kind).file("image", &part)
        } else {
            Form::new()
                .text("file_type", kind)
                .text("file_name", "测试视频.mp4")
                .text("duration", "3000")
                .file("file", &part)
        };
        let encoded = form.encode().map_err(|e| e.to_string())?;
        out.content_type = encoded.content_type;
        out.body = encoded.bytes;
    }
    let set_query = |out: &mut Outgoing, key: &str, value: &str| {
        out.query.retain(|(k, _)| k != key);
        out.query.push((key.to_owned(), value.to_owned()));
    };
    let mut body: Value = serde_json::from_slice(&out.body).unwrap_or(Value::Null);
    let receive = |body: &mut Value, id: &str| {
        if body.get("receive_id").is_some() {
            body["receive_id"] = json!(id);
        }
    };
    match fault {
        Some(UnknownUser) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, NO_USER);
        }
        Some(Resigned) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, LI_SI);
        }
        Some(CrossTenant) => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, PARTNER_USER);
        }
        Some(UnknownChat) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, NO_CHAT);
        }
        Some(UnknownThread) => {
            set_query(&mut out, "receive_id_type", "thread_id");
            receive(&mut body, NO_THREAD);
        }
        Some(MayNotSpeak | Dissolved) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, MAIN_CHAT);
        }
        Some(ForeignChat) => {
            set_query(&mut out, "receive_id_type", "chat_id");
            receive(&mut body, "oc_625b739698b7f2c70fcef6410629b33d");
        }
        Some(BadMsgType) => body["msg_type"] = json!("no_such_type"),
        Some(NoFollowUps) => body["follow_ups"] = json!([]),
        Some(Query(key, value)) => set_query(&mut out, key, value),
        Some(EmptyReceiver) => receive(&mut body, ""),
        Some(Frequency) if !operation.ends_with(".reply") => {
            set_query(&mut out, "receive_id_type", "open_id");
            receive(&mut body, LI_SI);
        }
        Some(TooLong) => {
            let content = if operation.ends_with(".patch") {
                json!({"elements": [{"tag": "div", "text": {"tag": "plain_text", "content": "x".repeat(31 * 1024)}}]})
            } else {
                json!({"text": "x".repeat(151 * 1024)})
            };
            body["content"] = json!(content.to_string());
            if !operation.ends_with(".patch") {
                body["msg_type"] = json!("text");
            }
        }
        Some(BadEmoji) => {
            if body.get("reaction_type").is_some() {
                body["reaction_type"] = json!({"emoji_type": "NO_SUCH_EMOJI"});
            } else {
                set_query(&mut out, "reaction_type", "NO_SUCH_EMOJI");
            }
        }
        Some(BadUserIdType) => set_query(&mut out, "user_id_type", "no_such_type"),
        Some(BadPageToken) => set_query(&mut out, "page_token", "not-a-token"),
        Some(TooManyPerMessage) => body["page_size_per_message"] = json!(11),
        Some(TwoChats) => {
            let elsewhere = world.text(None, "oc_5ad11d72b830411d72b836c200000000")?;
            if let Some(Value::Array(list)) = body.get_mut("message_id_list") {
                list.push(json!(elsewhere));
            }
        }
        Some(ThreadAndChat) => {
            let (_, reply) = world.thread(MAIN_CHAT)?;
            if let Some(Value::Array(list)) = body.get_mut("message_id_list") {
                list.push(json!(id_in(&reply, "message_id")?));
            }
        }
        _ => {}
    }
    if !body.is_null() {
        out.body = body.to_string().into_bytes();
    }
    Ok(out)
}

/// A request for a page that documents none (the downloads): built from
/// its parameters, naming what the world holds.
pub(super) fn synthesized(
    world: &World,
    operation: &str,
    fault: Option<Fault>,
) -> Result<Outgoing, String> {
    use Fault::*;
    let json_out = |path: String, query: Vec<(String, String)>| Outgoing {
        method: "GET".to_owned(),
        path,
        query,
        content_type: "application/json; charset=utf-8".to_owned(),
        body: Vec::new(),
        token: world.token.clone(),
    };
    let upload = |token: Option<&str>, image_type: &str| -> Result<String, String> {
        let part = FilePart::new("cat.png", png(4, 4));
        let form = Form::new()
            .text("image_type", image_type)
            .file("image", &part)
            .encode()
            .map_err(|e| e.to_string())?;
        let (status, body) = world.raw(
            token.unwrap_or(&world.token),
            "POST",
            "/open-apis/im/v1/images",
            Vec::new(),
            &form.content_type,
            form.bytes,
        );
        id_in(&data_of(status, &body)?, "image_key")
    };
    match operation {
        "im.v1.message_resource.get" => {
            let key = if fault == Some(BotDisabled) {
                RESOURCE_KEY.to_owned()
            } else {
                upload(None, "message")?
            };
            let message = world.rewrite(MESSAGE);
            let message = if message == MESSAGE {
                NO_MESSAGE.to_owned()
            } else {
                message
            };
            let key = if fault == Some(KeyNotInMessage) {
                RESOURCE_KEY.to_owned()
            } else {
                key
            };
            Ok(json_out(
                format!("/open-apis/im/v1/messages/{message}/resources/{key}"),
                vec![("type".to_owned(), "image".to_owned())],
            ))
        }
        "im.v1.image.get" | "im.v1.file.get" => {
            let key = match fault {
                Some(UnknownMessage | BotDisabled) => {
                    "img_v3_02ab_00000000-0000-0000-0000-00000000000g".to_owned()
                }
                Some(OtherUploader) => {
                    let helper = helper_token(world)?;
                    if operation == "im.v1.file.get" {
                        upload_file(world, &helper)?
                    } else {
                        upload(Some(&helper), "message")?
                    }
                }
                Some(AvatarImage) => upload(None, "avatar")?,
                _ if operation == "im.v1.file.get" => upload_file(world, &world.token)?,
                _ => upload(None, "message")?,
            };
            let kind = if operation == "im.v1.file.get" {
                "files"
            } else {
                "images"
            };
            Ok(json_out(
                format!("/open-apis/im/v1/{kind}/{key}"),
                Vec::new(),
            ))
        }
        _ => Err("no documented request to send".to_owned()),
    }
}

/// The tenant token of the second bot of the main tenant.
pub(super) fn helper_token(world: &World) -> Result<String, String> {
    let data = {
        let (status, body) = world.raw(
            "",
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            Vec::new(),
            "application/json; charset=utf-8",
            json!({"app_id": "cli_a10fbf7e94b8d01d", "app_secret": "emulator-secret-helper"})
                .to_string()
                .into_bytes(),
        );
        if status != 200 {
            return Err(format!("helper token: HTTP {status}: {body}"));
        }
        body
    };
    id_in(&data, "tenant_access_token")
}

/// Uploads a small file with `token`; its key.
pub(super) fn upload_file(world: &World, token: &str) -> Result<String, String> {
    let part = FilePart::new("a.pdf", b"%PDF-1.4".to_vec());
    let form = Form::new()
        .text("file_type", "pdf")
        .text("file_name", "a.pdf")
        .file("file", &part)
        .encode()
        .map_err(|e| e.to_string())?;
    let (status, body) = world.raw(
        token,
        "POST",
        "/open-apis/im/v1/files",
        Vec::new(),
        &form.content_type,
        form.bytes,
    );
    id_in(&data_of(status, &body)?, "file_key")
}

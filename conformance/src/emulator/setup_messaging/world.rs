//! One emulator for one messaging case: setup calls through the API as
//! the app, and the replacements of the pages' ids.

use super::*;

/// One emulator for one case: the app's token and the id replacements.
pub(super) struct World {
    pub(super) emulator: Emulator,
    pub(super) token: String,
    pub(super) replace: Vec<(String, String)>,
}

/// The data of a successful call, or why it failed.
pub(super) fn data_of(status: u16, body: &Value) -> Result<Value, String> {
    if status == 200 && body.get("code").and_then(Value::as_i64) == Some(0) {
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    } else {
        Err(format!("setup call answered HTTP {status}: {body}"))
    }
}

impl World {
    /// The default fixture changed by `edit`, on a manual clock.
    pub(super) fn new(
        edit: impl FnOnce(&mut Value) -> Result<(), String>,
    ) -> Result<World, String> {
        let mut fixture = super::super::default_fixture()?;
        edit(&mut fixture)?;
        let fixture =
            Fixture::from_json(&fixture.to_string()).map_err(|e| format!("setup: {e}"))?;
        let emulator = Emulator::builder()
            .fixture(fixture)
            .clock(Clock::manual(START_MS))
            .build()
            .map_err(|e| format!("setup: {e}"))?;
        let token = super::super::tenant_token(&emulator)?;
        Ok(World {
            emulator,
            token,
            replace: STAND_INS
                .iter()
                .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
                .collect(),
        })
    }

    /// One request; the status and JSON body (`Null` for a binary body).
    pub(super) fn raw(
        &self,
        token: &str,
        method: &str,
        path: &str,
        query: Vec<(String, String)>,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let mut headers = vec![("content-type".to_owned(), content_type.to_owned())];
        if !token.is_empty() {
            headers.push(("authorization".to_owned(), format!("Bearer {token}")));
        }
        let answer = self.emulator.handle(&EmulatorRequest {
            method: method.to_owned(),
            path: path.to_owned(),
            query,
            headers,
            body: Bytes::from(body),
        });
        let status = answer.status().as_u16();
        (
            status,
            serde_json::from_slice(answer.body()).unwrap_or(Value::Null),
        )
    }

    /// A setup call as the app (or with `token`); its data.
    pub(super) fn call(
        &self,
        token: Option<&str>,
        method: &str,
        path: &str,
        body: Value,
    ) -> Result<Value, String> {
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (
                p,
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect(),
            ),
            None => (path, Vec::new()),
        };
        let body = if body.is_null() {
            Vec::new()
        } else {
            body.to_string().into_bytes()
        };
        let (status, answer) = self.raw(
            token.unwrap_or(&self.token),
            method,
            path,
            query,
            "application/json; charset=utf-8",
            body,
        );
        data_of(status, &answer)
    }

    /// Sends a message (one second after the last one); its id.
    pub(super) fn send(
        &self,
        token: Option<&str>,
        id_type: &str,
        receive_id: &str,
        msg_type: &str,
        content: Value,
    ) -> Result<String, String> {
        self.emulator.advance(std::time::Duration::from_secs(1));
        let data = self.call(
            token,
            "POST",
            &format!("/open-apis/im/v1/messages?receive_id_type={id_type}"),
            json!({"receive_id": receive_id, "msg_type": msg_type, "content": content.to_string()}),
        )?;
        id_in(&data, "message_id")
    }

    pub(super) fn text(&self, token: Option<&str>, chat: &str) -> Result<String, String> {
        self.send(token, "chat_id", chat, "text", json!({"text": "hello"}))
    }

    /// A text in `chat`, then a second later a reply to it in a thread:
    /// (the root's id, the reply's data).
    pub(super) fn thread(&self, chat: &str) -> Result<(String, Value), String> {
        let root = self.text(None, chat)?;
        self.emulator.advance(std::time::Duration::from_secs(1));
        let reply = self.call(
            None,
            "POST",
            &format!("/open-apis/im/v1/messages/{root}/reply"),
            json!({"msg_type": "text", "content": "{\"text\":\"in thread\"}", "reply_in_thread": true}),
        )?;
        Ok((root, reply))
    }

    pub(super) fn map(&mut self, documented: &str, to: String) {
        self.replace.push((documented.to_owned(), to));
    }

    /// Applies the replacements and the fixture's stand-ins to a text.
    pub(super) fn rewrite(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (from, to) in &self.replace {
            out = out.replace(from.as_str(), to);
        }
        documented_to_fixture(&out)
    }

    pub(super) fn act(&self, action: Value) -> Result<(), String> {
        let action: Action = serde_json::from_value(action).map_err(|e| e.to_string())?;
        self.emulator
            .act(action)
            .map(|_| ())
            .map_err(|e| format!("setup action: {e:?}"))
    }
}

pub(super) fn id_in(data: &Value, key: &str) -> Result<String, String> {
    data.get(key)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| format!("no {key} in {data}"))
}

/// The case's request as text (path, query and body), to find the ids it names.
pub(super) fn request_text(case: &Case) -> String {
    case.request.as_ref().map_or_else(String::new, |r| {
        format!(
            "{} {} {}",
            r.path,
            serde_json::to_string(&r.query).unwrap_or_default(),
            serde_json::to_string(&r.body).unwrap_or_default()
        )
    })
}

/// A PNG header of the given size (enough for the emulator's checks).
pub(super) fn png(w: u32, h: u32) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR".to_vec();
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b
}

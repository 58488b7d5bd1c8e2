//! `app_ticket` (a v1.0 event): the ticket a marketplace app needs to get its
//! `app_access_token`.

use serde::Serialize;

use super::EventPayload;
use crate::{AppId, Extra, Secret};

/// `app_ticket` (a v1.0 event, inside [`EventV1`](super::EventV1)): the
/// platform pushes a fresh ticket to every marketplace (store) app once an
/// hour; the app exchanges it for an `app_access_token`
/// ([`AppAccessToken`](crate::auth::AppAccessToken)). Self-built apps never
/// receive it. Ask for an early push with
/// [`AppTicketResend`](crate::auth::AppTicketResend).
///
/// `Debug` hides the ticket.
///
/// ```
/// use feishu_model::events::{decode, GroupEvent};
///
/// let body = br#"{"ts": "1502199207.7171419", "uuid": "bc44", "token": "41a9",
///     "type": "event_callback",
///     "event": {"app_id": "cli_xxx", "app_ticket": "xxx", "type": "app_ticket"}}"#;
/// let GroupEvent::AppTicket(e) = decode(body).unwrap() else { panic!("not an app_ticket") };
/// assert_eq!(e.event.app_ticket.expose(), "xxx");
/// assert!(!format!("{e:?}").contains("\"xxx\""));
/// ```
///
/// Doc: <https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/application-v6/event/app_ticket-events>
#[derive(Debug, Clone, Default, PartialEq, Serialize, crate::WireDeserialize)]
#[non_exhaustive]
pub struct AppTicket {
    /// The app the ticket is for.
    pub app_id: AppId,
    /// The ticket: pass it to the client's ticket store.
    pub app_ticket: Secret,
    /// The event type, `app_ticket`.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Undocumented fields.
    #[serde(flatten)]
    pub extra: Extra,
}

impl EventPayload for AppTicket {
    const EVENT_TYPE: &'static str = "app_ticket";
}

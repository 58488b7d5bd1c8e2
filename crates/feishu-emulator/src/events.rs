//! Group events: every state change builds the documented v2.0 event from
//! the model's payload types, for each app that should receive it. Events go
//! to in-process subscribers and, in server mode, are POSTed to callback URLs.

use feishu_model::events::{EventHeader, EventV2, GroupEvent, TypedEvent};
use feishu_model::{AppId, TenantKey};
use serde::Serialize;

use crate::state::World;

/// An event the emulator emitted, addressed to one app.
#[derive(Debug, Clone)]
pub struct EmittedEvent {
    /// The app the event is delivered to.
    pub app_id: AppId,
    /// The decoded event.
    pub event: GroupEvent,
    /// The callback body exactly as server mode POSTs it.
    pub body: serde_json::Value,
}

impl EmittedEvent {
    /// The event type (`im.chat.member.user.added_v1`, ...).
    pub fn event_type(&self) -> &str {
        self.event.event_type()
    }
}

/// A payload the emulator can put in a v2.0 event: any v2.0 event of the
/// model's list.
pub(crate) trait Payload: TypedEvent<Envelope = EventV2<Self>> + Serialize + Clone {}

impl<P: TypedEvent<Envelope = EventV2<P>> + Serialize + Clone> Payload for P {}

/// The event for `app` in `tenant`, or `None` when the app does not exist or
/// does not subscribe to the event type.
pub(crate) fn build<P: Payload>(
    world: &mut World,
    app: &AppId,
    tenant: &TenantKey,
    now_ms: i64,
    payload: P,
) -> Option<EmittedEvent> {
    let token = {
        let entry = world.dir.apps.get(app)?;
        if !entry.subscribes(P::EVENT_TYPE) {
            return None;
        }
        entry.verification_token.clone()
    };
    let event = EventV2 {
        schema: "2.0".to_owned(),
        header: EventHeader {
            // A random half keeps ids unique across emulator restarts.
            event_id: format!("{:016x}{}", fastrand::u64(..), world.ids.hex(16)),
            event_type: P::EVENT_TYPE.to_owned(),
            create_time: now_ms.to_string(),
            token,
            app_id: app.clone(),
            tenant_key: tenant.clone(),
            extra: Default::default(),
        },
        event: payload,
        extra: Default::default(),
    };
    let body = serde_json::to_value(&event).ok()?;
    world.stats.events += 1;
    Some(EmittedEvent {
        app_id: app.clone(),
        event: P::wrap(event),
        body,
    })
}

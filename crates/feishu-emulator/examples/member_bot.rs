//! A bot that reacts to member events, receiving them as HTTP callbacks.
//!
//! ```text
//! cargo run -p feishu-emulator --example member_bot                 # listens on 127.0.0.1:9000
//! cargo run -p feishu-emulator -- --listen 127.0.0.1:8080 --callback-url http://127.0.0.1:9000/events
//! ```
//!
//! Then open http://127.0.0.1:8080/_emulator/ui and click "leaves" next to a
//! user: the bot prints its reaction, and the page shows the event delivered.
#![forbid(unsafe_code)]

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use feishu_emulator::feishu_model::events::{decode, ChatMemberUser, GroupEvent};

fn names(users: Option<&Vec<ChatMemberUser>>) -> String {
    users
        .into_iter()
        .flatten()
        .filter_map(|u| u.name.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the bot says about one event.
fn react(event: &GroupEvent) -> String {
    match event {
        GroupEvent::UserAdded(e) => format!(
            "welcome {} to {}",
            names(e.event.users.as_ref()),
            e.event.chat_id
        ),
        GroupEvent::UserDeleted(e) => format!(
            "goodbye {}: left {}",
            names(e.event.users.as_ref()),
            e.event.chat_id
        ),
        GroupEvent::UserWithdrawn(e) => format!(
            "invitation of {} to {} withdrawn",
            names(e.event.users.as_ref()),
            e.event.chat_id
        ),
        GroupEvent::BotAdded(e) => format!("I was added to {}", e.event.chat_id),
        GroupEvent::BotDeleted(e) => format!("I was removed from {}", e.event.chat_id),
        GroupEvent::ChatUpdated(e) => format!("{} was updated", e.event.chat_id),
        GroupEvent::ChatDisbanded(e) => format!("{} was disbanded", e.event.chat_id),
        GroupEvent::P2pChatCreate(e) => format!("new one-to-one chat {}", e.event.chat_id),
        GroupEvent::BotP2pChatEntered(e) => format!("someone opened {}", e.event.chat_id),
        other => format!("got {}", other.event_type()),
    }
}

async fn callback(body: Bytes) -> StatusCode {
    match decode(&body) {
        Ok(event) => {
            println!("[{}] {}", event.event_type(), react(&event));
            StatusCode::OK
        }
        Err(e) => {
            eprintln!("not an event: {e}");
            StatusCode::BAD_REQUEST
        }
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:9000".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("member bot listening on http://{addr}/events");
    let app = axum::Router::new().route("/events", post(callback));
    axum::serve(listener, app).await
}

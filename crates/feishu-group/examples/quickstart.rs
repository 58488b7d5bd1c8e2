//! The alerting bot: an incident comes in, the bot opens an incident chat
//! with the on-call people, posts the alert as a card with an "Acknowledge"
//! button, @-mentions the incident lead, buzzes the lead in the Feishu
//! client, pins the card, pins the announcement, makes the lead a manager,
//! lists who is in, and disbands the chat once the incident is over.
//!
//! With no environment set it runs against the in-process Feishu emulator:
//! no credentials, no network. With `FEISHU_APP_ID` and `FEISHU_APP_SECRET`
//! (and optionally `FEISHU_BASE_URL`) it runs against that server instead;
//! `FEISHU_ONCALL_OPEN_IDS` (comma-separated open ids, the first one leads)
//! names the on-call people there.
//!
//! Run: `cargo run -p feishu-group --example quickstart`
#![allow(clippy::print_stdout)]

use std::error::Error;

use feishu_emulator::Emulator;
use feishu_group::Group;
use feishu_message::card::{Button, ButtonType, Card, Header, HeaderTemplate};
use feishu_message::content::Text;
use feishu_message::Message;
use feishu_model::im::chat::CreateChatBody;
use feishu_model::im::message::MessageId;
use feishu_model::im::top_notice::TopNotice;
use feishu_model::im::types::ChatType;
use feishu_model::{MemberIdType, UserIdType};
use feishu_transport::{AppCredentials, Client, FEISHU_BASE_URL};
use futures::StreamExt;
use serde_json::json;

/// The on-call rota of the emulator's default fixture.
pub(crate) const EMULATED_ONCALL: [&str; 3] = [
    "ou_9204a37300b3700d61effaa439f34295",
    "ou_7d8a6e6df7621556ce0d21922b676706",
    "ou_4d7a3c6e2ac812995780137955766828",
];

/// The incident the alert is about.
const INCIDENT: &str = "INC-2041";
const TITLE: &str = "INC-2041: checkout latency above SLO";

/// The alert card (JSON 2.0): red header, summary, an "Acknowledge" button
/// whose callback names the incident.
pub(crate) fn alert_card() -> Card {
    Card::new()
        .header(Header::new(TITLE).template(HeaderTemplate::Red))
        .markdown(
            "**Summary**: p99 checkout latency is **2.4 s** (SLO 800 ms) for 10 minutes\n\
             **Service**: checkout-api · **Severity**: SEV-2",
        )
        .element(
            Button::new("Acknowledge")
                .kind(ButtonType::DangerFilled)
                .callback(json!({"action": "ack", "incident": INCIDENT})),
        )
}

/// The id of a sent message, or an error saying which step got none.
fn sent_id(id: Option<MessageId>, what: &str) -> Result<MessageId, Box<dyn Error>> {
    id.ok_or_else(|| format!("the {what} was sent but no message id came back").into())
}

/// Posts the alert, mentions and buzzes the lead, and pins the alert.
/// Returns the ids of the card and of the mention.
pub(crate) async fn alert(
    message: &Message,
    chat_id: &str,
    lead: &str,
) -> Result<(MessageId, MessageId), Box<dyn Error>> {
    let card = message
        .messages()
        .send_to_chat(chat_id, alert_card())
        .await?;
    let card_id = sent_id(card.message_id, "alert card")?;
    println!("posted the alert card {card_id}");

    let text = Text::new()
        .mention(lead)
        .push(" you are the incident lead: please acknowledge the alert above");
    let mention = message.messages().send_to_chat(chat_id, text).await?;
    let mention_id = sent_id(mention.message_id, "mention")?;
    println!("mentioned the lead {lead} in {mention_id}");

    let buzzed = message.buzz(card_id.clone()).app([lead]).await?;
    let missed = buzzed.invalid_user_id_list.unwrap_or_default();
    println!(
        "buzzed the lead in the app about {card_id}{}",
        if missed.is_empty() {
            String::new()
        } else {
            format!(" ({} could not be buzzed)", missed.len())
        }
    );

    message.pins().pin(card_id.clone()).await?;
    println!("pinned the alert card {card_id}");
    Ok((card_id, mention_id))
}

async fn incident(client: &Client, oncall: &[String]) -> Result<(), Box<dyn Error>> {
    let group = Group::new(client);
    let lead = oncall.first().ok_or("no on-call people given")?;
    let body = CreateChatBody {
        name: Some(TITLE.into()),
        description: Some("Incident room opened by the alerting bot".into()),
        chat_type: Some(ChatType::Private),
        user_id_list: Some(oncall.iter().map(|id| id.as_str().into()).collect()),
        ..CreateChatBody::default()
    };
    let created = group
        .chats()
        .create(body)
        .user_id_type(UserIdType::OpenId)
        .await?;
    let chat_id = created.chat_id.clone();
    println!(
        "created incident chat {chat_id} with {} on-call people",
        oncall.len()
    );

    alert(&Message::new(client), chat_id.as_str(), lead).await?;

    group
        .top_notice(&chat_id)
        .put(TopNotice::announcement())
        .await?;
    println!("pinned the chat announcement as the top notice");

    let managers = group
        .managers(&chat_id)
        .add([lead.as_str()])
        .member_id_type(MemberIdType::OpenId)
        .await?;
    println!(
        "made {lead} a manager; managers now: {:?}",
        managers
            .chat_managers
            .unwrap_or_default()
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
    );

    let mut members = Box::pin(
        group
            .members(&chat_id)
            .list()
            .member_id_type(MemberIdType::OpenId)
            .page_size(50)
            .stream(),
    );
    let mut names = Vec::new();
    while let Some(member) = members.next().await {
        let member = member?;
        names.push(
            member
                .name
                .unwrap_or_else(|| member.member_id.map(|id| id.0).unwrap_or_default()),
        );
    }
    println!("members: {}", names.join(", "));

    group.chats().delete(&chat_id).await?;
    println!("incident resolved: chat {chat_id} disbanded");
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    match (
        std::env::var("FEISHU_APP_ID"),
        std::env::var("FEISHU_APP_SECRET"),
    ) {
        (Ok(app_id), Ok(secret)) => {
            let base =
                std::env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.to_owned());
            println!("running against {base} as {app_id}");
            let client = Client::builder()
                .base_url(base)
                .credentials(AppCredentials::self_built(app_id, secret))
                .build()?;
            let oncall: Vec<String> = std::env::var("FEISHU_ONCALL_OPEN_IDS")
                .map_err(|_| "set FEISHU_ONCALL_OPEN_IDS to the on-call open ids")?
                .split(',')
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            incident(&client, &oncall).await
        }
        _ => {
            println!(
                "no FEISHU_APP_ID / FEISHU_APP_SECRET: running against the in-process emulator"
            );
            let emulator = Emulator::with_default_fixture()?;
            let mut events = emulator.subscribe();
            let client = emulator.client()?;
            let oncall: Vec<String> = EMULATED_ONCALL.iter().map(|s| (*s).to_owned()).collect();
            incident(&client, &oncall).await?;
            let mut seen = Vec::new();
            while let Ok(event) = events.try_recv() {
                seen.push(event.event_type().to_owned());
            }
            println!("events delivered to the bot: {}", seen.join(", "));
            Ok(())
        }
    }
}

//! The incident bot itself: the alert card, the answer to its
//! "Acknowledge" button, and the `status` command. The example
//! (`main.rs`) and the tests run this same code.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use feishu_events::{Dispatcher, HandlerError, Webhook};
use feishu_message::Message;
use feishu_model::card::{Button, ButtonType, Card, Header, HeaderTemplate};
use feishu_model::events::{
    CardAction, CardAnswer, EventChatType, EventSenderType, EventV2, MessageReceiveV1,
};
use feishu_model::im::content::Text;
use feishu_model::im::members::ListMembers;
use feishu_model::im::message::MessageId;
use feishu_transport::Client;
use futures::StreamExt;
use parking_lot::Mutex;
use serde_json::json;

/// How long the click handler waits for the clicker's name before it
/// answers the toast alone and updates the card late with the callback's
/// token (the dispatcher's own budget, 2.5 s, is the hard limit).
pub const NAME_BUDGET: Duration = Duration::from_millis(1500);

/// How long a delayed card update waits after the answer to the click.
pub const UPDATE_AFTER_ANSWER: Duration = Duration::from_millis(200);

/// An incident the bot announced.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// `INC-...`.
    pub id: String,
    /// One line: what is wrong.
    pub title: String,
    /// A few lines of Markdown: impact, since when, where to look.
    pub summary: String,
    /// Who acknowledged it (their name), once someone has.
    pub acknowledged_by: Option<String>,
}

impl Incident {
    /// A new, unacknowledged incident.
    pub fn new(id: &str, title: &str, summary: &str) -> Incident {
        Incident {
            id: id.to_owned(),
            title: title.to_owned(),
            summary: summary.to_owned(),
            acknowledged_by: None,
        }
    }

    /// The card for the incident as it stands: red with an "Acknowledge"
    /// button while open, green with who acknowledged it after.
    pub fn card(&self) -> Card {
        match &self.acknowledged_by {
            None => Card::new()
                .header(
                    Header::new(format!("[{}] {}", self.id, self.title))
                        .template(HeaderTemplate::Red),
                )
                .markdown(self.summary.clone())
                .element(
                    Button::new("Acknowledge")
                        .kind(ButtonType::Danger)
                        .callback(json!({"action": "ack", "incident": self.id})),
                ),
            Some(name) => Card::new()
                .header(
                    Header::new(format!("Acknowledged by {name}"))
                        .subtitle(format!("[{}] {}", self.id, self.title))
                        .template(HeaderTemplate::Green),
                )
                .markdown(self.summary.clone()),
        }
    }

    /// The answer to `status`.
    pub fn status_line(&self) -> String {
        match &self.acknowledged_by {
            Some(name) => format!("{} ({}): acknowledged by {name}", self.id, self.title),
            None => format!("{} ({}): open, not acknowledged yet", self.id, self.title),
        }
    }
}

/// The bot: a client for its calls and the incidents it posted.
#[derive(Debug, Clone)]
pub struct IncidentBot {
    client: Client,
    message: Message,
    bot_open_id: Option<String>,
    name_budget: Duration,
    /// Incidents by id, and the chat each was posted to.
    incidents: Arc<Mutex<HashMap<String, (String, Incident)>>>,
}

impl IncidentBot {
    /// A bot calling the API with `client`. With `bot_open_id` it answers
    /// group messages that @-mention that id; without, any message that
    /// @-mentions a bot (the platform only sends a bot the group messages
    /// that @-mention it, unless it holds `im:message.group_msg`).
    pub fn new(client: Client, bot_open_id: Option<String>) -> IncidentBot {
        IncidentBot {
            message: Message::new(&client),
            client,
            bot_open_id,
            name_budget: NAME_BUDGET,
            incidents: Arc::default(),
        }
    }

    /// How long a click waits for the clicker's name before the card is
    /// left to a delayed update (default [`NAME_BUDGET`]; zero: always).
    /// The tests set it to show the delayed update.
    #[allow(dead_code)]
    pub fn name_budget(mut self, budget: Duration) -> IncidentBot {
        self.name_budget = budget;
        self
    }

    /// Posts the alert card of `incident` to `chat_id`; the card message.
    pub async fn post_alert(
        &self,
        chat_id: &str,
        incident: Incident,
    ) -> Result<MessageId, HandlerError> {
        let sent = self
            .message
            .messages()
            .send_to_chat(chat_id, incident.card())
            .await?;
        self.incidents
            .lock()
            .insert(incident.id.clone(), (chat_id.to_owned(), incident));
        Ok(sent
            .message_id
            .ok_or("the answer to the send has no message_id")?)
    }

    /// The dispatcher of the bot's events: card clicks and messages.
    pub fn dispatcher(&self, webhook: Webhook) -> Dispatcher {
        let on_click = self.clone();
        let on_message = self.clone();
        Dispatcher::new(webhook)
            .on_card_action(move |e: EventV2<CardAction>| {
                let bot = on_click.clone();
                async move { bot.clicked(e).await }
            })
            .on(move |e: EventV2<MessageReceiveV1>| {
                let bot = on_message.clone();
                async move { bot.received(e).await }
            })
    }

    /// A click on a card: "Acknowledge" records who, answers a toast and
    /// the acknowledged card (or updates the card late when the name
    /// lookup is slow).
    async fn clicked(&self, e: EventV2<CardAction>) -> Result<CardAnswer, HandlerError> {
        let action = &e.event.action;
        if action.value_str("action") != Some("ack") {
            return Ok(CardAnswer::warning("This button does nothing here"));
        }
        let Some(id) = action.value_str("incident").map(str::to_owned) else {
            return Ok(CardAnswer::error("The button names no incident"));
        };
        let Some((chat_id, incident)) = self.incidents.lock().get(&id).cloned() else {
            return Ok(CardAnswer::error(format!(
                "{id} is not an incident of this bot"
            )));
        };
        if let Some(name) = &incident.acknowledged_by {
            return Ok(
                CardAnswer::info(format!("{id} was already acknowledged by {name}"))
                    .card(&incident.card())?,
            );
        }
        let open_id = e.event.open_id().unwrap_or_default().to_owned();
        let mut lookup = tokio::spawn({
            let bot = self.clone();
            async move { bot.name_of(&chat_id, &open_id).await }
        });
        let toast = format!("You acknowledged {id}");
        let quick = if self.name_budget.is_zero() {
            None
        } else {
            tokio::time::timeout(self.name_budget, &mut lookup)
                .await
                .ok()
        };
        match quick {
            Some(name) => {
                let card = self.acknowledge(&id, name?);
                Ok(CardAnswer::success(toast).card(&card)?)
            }
            None => {
                // Slow: answer the toast now; the card follows with the
                // callback's token once the name is known, after the
                // answer (an update before it would be overwritten).
                let bot = self.clone();
                tokio::spawn(async move {
                    let Ok(name) = lookup.await else { return };
                    tokio::time::sleep(UPDATE_AFTER_ANSWER).await;
                    let card = bot.acknowledge(&id, name);
                    if let Err(err) = bot.message.cards().update_from_action(&e, card).await {
                        eprintln!("incident_bot: the delayed card update failed: {err}");
                    }
                });
                Ok(CardAnswer::success(toast))
            }
        }
    }

    /// Records `name` as acknowledging `id`; the incident's card now.
    fn acknowledge(&self, id: &str, name: String) -> Card {
        let mut incidents = self.incidents.lock();
        match incidents.get_mut(id) {
            Some((_, incident)) => {
                incident.acknowledged_by.get_or_insert(name);
                incident.card()
            }
            None => Card::new().markdown(format!("Acknowledged by {name}")),
        }
    }

    /// The name of the chat member `open_id` (from the chat's member
    /// list); the open id itself when it is not found or the lookup fails.
    async fn name_of(&self, chat_id: &str, open_id: &str) -> String {
        let mut pages = Box::pin(
            self.client
                .call(ListMembers::new(chat_id))
                .page_size(100)
                .pages(),
        );
        while let Some(page) = pages.next().await {
            let Ok(page) = page else { break };
            let found = page
                .items
                .iter()
                .flatten()
                .find(|m| m.member_id.as_ref().map(|id| id.as_str()) == Some(open_id));
            if let Some(name) = found.and_then(|m| m.name.clone()) {
                return name;
            }
        }
        open_id.to_owned()
    }

    /// A message: `status` addressed to the bot gets the status of the
    /// chat's incident, in the message's thread.
    async fn received(&self, e: EventV2<MessageReceiveV1>) -> Result<(), HandlerError> {
        let event = &e.event;
        if event.sender.sender_type == Some(EventSenderType::Bot) || !self.addressed(event) {
            return Ok(());
        }
        let command = event.command_text().unwrap_or_default();
        let answer = if command.eq_ignore_ascii_case("status") {
            let chat = event.message.chat_id.as_str();
            let incidents = self.incidents.lock();
            let mut lines: Vec<String> = incidents
                .values()
                .filter(|(c, _)| c == chat)
                .map(|(_, i)| i.status_line())
                .collect();
            lines.sort();
            if lines.is_empty() {
                "No incident in this chat.".to_owned()
            } else {
                lines.join("\n")
            }
        } else {
            "Say `status` to me for the incident's status.".to_owned()
        };
        self.message
            .messages()
            .reply_to(&e, Text::new().push(&answer))
            .reply_in_thread(true)
            .await?;
        Ok(())
    }

    /// Whether the message is for this bot: a one-to-one chat, or a
    /// mention of it.
    fn addressed(&self, event: &MessageReceiveV1) -> bool {
        if event.message.chat_type == Some(EventChatType::P2p) {
            return true;
        }
        match &self.bot_open_id {
            Some(open_id) => event.is_mentioned(open_id),
            None => event
                .message
                .mentions
                .iter()
                .flatten()
                .any(|m| m.mentioned_type.as_ref().map(|t| t.as_str()) == Some("bot")),
        }
    }
}

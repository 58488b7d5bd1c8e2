//! The delayed card update (`interactive.v1.card.update`): with the token
//! of a card callback, the app that sent the card replaces it, within 30
//! minutes of the click and at most twice per token.

use feishu_model::codes;
use feishu_model::im::card::UpdateCard;
use feishu_model::Empty;
use serde_json::Value;

use super::{Ctx, Handle};
use crate::error::Failure;
use crate::state::message::{CARD_TOKEN_LIFETIME_MS, CARD_TOKEN_USES};
use crate::state::Principal;

/// Whether `card` is shared by everyone who sees it: card JSON 2.0, a
/// template, or `config.update_multi` true. Other cards need `open_ids`.
fn shared(card: &Value) -> bool {
    card.get("schema").and_then(Value::as_str) == Some("2.0")
        || card.get("type").and_then(Value::as_str) == Some("template")
        || card.pointer("/config/update_multi") == Some(&Value::Bool(true))
}

impl Handle for UpdateCard {
    fn handle(self, ctx: &mut Ctx<'_>) -> Result<Empty, Failure> {
        let caller = ctx.caller()?;
        let token = self.body.token.expose().to_owned();
        let issued = ctx
            .world
            .messages
            .card_tokens
            .get(&token)
            .cloned()
            .ok_or_else(|| {
                Failure::code(codes::CARD_UPDATE_TOKEN_MALFORMED)
                    .because("the token was not issued by a card callback")
            })?;
        if ctx.now_ms - issued.issued_ms > CARD_TOKEN_LIFETIME_MS {
            return Err(Failure::code(codes::CARD_UPDATE_TOKEN_EXPIRED)
                .because("the token is older than 30 minutes"));
        }
        if issued.uses >= CARD_TOKEN_USES {
            return Err(Failure::code(codes::CARD_UPDATE_TOKEN_USED_UP)
                .because("the token was already used twice"));
        }
        if Principal::Bot(issued.app.clone()) != caller.who {
            return Err(Failure::code(codes::CARD_UPDATE_OTHER_APP)
                .because(format!("the card was sent by `{}`", issued.app)));
        }
        let mut card = self.body.card;
        if !shared(&card) && card.get("open_ids").is_none() {
            return Err(Failure::code(codes::CARD_UPDATE_OPEN_IDS_REQUIRED));
        }
        if let Some(fields) = card.as_object_mut() {
            fields.remove("open_ids");
        }
        let now = ctx.now_ms;
        let message = ctx
            .world
            .messages
            .by_id
            .get_mut(&issued.message_id)
            .ok_or_else(|| Failure::code(codes::CARD_UPDATE_RECALLED))?;
        if message.deleted {
            return Err(Failure::code(codes::CARD_UPDATE_RECALLED));
        }
        message.content = card.to_string();
        message.update_ms = now;
        if let Some(entry) = ctx.world.messages.card_tokens.get_mut(&token) {
            entry.uses += 1;
        }
        Ok(Empty::default())
    }
}

//! Sends a text with a mention and a card, and uploads an image, offline.
//!
//! It first asks the in-process emulator; an emulator that does not serve
//! the message endpoints yet answers HTTP 501, and the example then runs
//! against a small local mock server that answers as the platform documents.
//!
//! `cargo run -p feishu-message --example send`

use feishu_emulator::Emulator;
use feishu_message::card::{Button, ButtonType, Card, Header, HeaderTemplate};
use feishu_message::content::Text;
use feishu_message::model::image::ImageType;
use feishu_message::Message;
use feishu_transport::{Client, Error};
use httpmock::prelude::*;
use serde_json::json;

const CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const USER: &str = "ou_7d8a6e6df7621556ce0d21922b676706";

/// Whether the server answered that it does not implement the call.
fn not_implemented(e: &Error) -> bool {
    e.http_status() == Some(501) || e.code() == Some(501)
}

/// A local server answering the three calls as the platform documents.
async fn mock_server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/open-apis/im/v1/messages");
            then.status(200)
                .json_body(json!({"code": 0, "msg": "success", "data": {
                "message_id": "om_dc13264520392913993dd051dba21dcf", "chat_id": CHAT,
                "msg_type": "text", "create_time": "1615380573411"}}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/open-apis/im/v1/images");
            then.status(200)
                .json_body(json!({"code": 0, "msg": "success",
                "data": {"image_key": "img_v2_041b28e3-5680-48c2-9af2-497ace79333g"}}));
        })
        .await;
    server
}

async fn run(message: &Message) -> Result<(), Error> {
    let text = Text::new()
        .mention(USER)
        .push(" the deploy of api v1.2 finished");
    let sent = message.messages().send_to_chat(CHAT, text).await?;
    println!("text sent: {:?}", sent.message_id);

    let card = Card::new()
        .header(Header::new("Deploy api v1.2?").template(HeaderTemplate::Orange))
        .markdown("**3** services change")
        .element(Button::new("Approve").kind(ButtonType::PrimaryFilled));
    let sent = message.messages().send_to_chat(CHAT, card).await?;
    println!("card sent: {:?}", sent.message_id);

    let png = b"\x89PNG\r\n\x1a\n example image bytes".to_vec();
    let uploaded = message
        .images()
        .upload(ImageType::Message, "chart.png", png)
        .await?;
    println!("image uploaded: {:?}", uploaded.image_key);
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::with_default_fixture()?;
    let message = Message::new(&emulator.client()?);
    match run(&message).await {
        Ok(()) => return Ok(()),
        Err(e) if not_implemented(&e) => {
            println!("the emulator does not serve every call yet ({e}); the same steps against a local mock server");
        }
        Err(e) => return Err(e.into()),
    }
    let server = mock_server().await;
    let client = Client::builder()
        .base_url(server.base_url())
        .static_tenant_token("t-example")
        .build()?;
    run(&Message::new(&client)).await?;
    Ok(())
}

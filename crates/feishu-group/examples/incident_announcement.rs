//! The incident summary, posted into a chat's upgraded (docx) announcement:
//! a heading, three bullets and a mention of the incident lead; then the
//! announcement is read back and printed.
//!
//! With no environment set it runs against the in-process Feishu emulator:
//! no credentials, no network. With `FEISHU_APP_ID`, `FEISHU_APP_SECRET`,
//! `FEISHU_CHAT_ID` and `FEISHU_LEAD_OPEN_ID` (and optionally
//! `FEISHU_BASE_URL`) it writes into that chat's announcement instead.
//!
//! Run: `cargo run -p feishu-group --example incident_announcement`
#![allow(clippy::print_stdout)]

use std::error::Error;

use feishu_emulator::Emulator;
use feishu_group::blocks::{self, run};
use feishu_group::docx::{Block, FontColor};
use feishu_group::Group;
use feishu_transport::{AppCredentials, Client, FEISHU_BASE_URL};
use futures::StreamExt;

/// A chat of the emulator's default fixture that the bot is in, and its lead.
const EMULATED_CHAT: &str = "oc_a0553eda9014c201e6969b478895c230";
const EMULATED_LEAD: &str = "ou_7d8a6e6df7621556ce0d21922b676706";

fn summary(lead: &str) -> Vec<Block> {
    vec![
        blocks::heading(2, ["INC-2041: checkout latency above SLO"]),
        blocks::bullet([
            run("Status: ").bold(),
            run("mitigated").color(FontColor::Green),
        ]),
        blocks::bullet([run("Impact: p99 checkout latency 4.2 s for 18 minutes")]),
        blocks::bullet([
            run("Lead: ").into(),
            blocks::mention(lead),
            run(" (updates every 30 minutes)").into(),
        ]),
    ]
}

fn describe(block: &Block) -> String {
    let text = block.text_payload().map(|t| t.plain()).unwrap_or_default();
    format!("[{:?}] {text}", block.block_type)
}

async fn post(group: &Group, chat_id: &str, lead: &str) -> Result<(), Box<dyn Error>> {
    let doc = group.announcement_doc(chat_id);
    let info = doc.get().await?;
    println!(
        "announcement of {chat_id}: revision {}",
        info.revision_id.unwrap_or_default()
    );
    let written = doc.append(doc.root(), summary(lead)).await?;
    println!(
        "wrote {} blocks, now at revision {}",
        written.children.as_ref().map_or(0, Vec::len),
        written.revision().unwrap_or_default()
    );
    let mut stream = std::pin::pin!(doc.blocks().stream());
    while let Some(block) = stream.next().await {
        println!("  {}", describe(&block?));
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let vars = [
        "FEISHU_APP_ID",
        "FEISHU_APP_SECRET",
        "FEISHU_CHAT_ID",
        "FEISHU_LEAD_OPEN_ID",
    ]
    .map(|name| std::env::var(name).ok());
    match vars {
        [Some(app_id), Some(secret), Some(chat_id), Some(lead)] => {
            let base =
                std::env::var("FEISHU_BASE_URL").unwrap_or_else(|_| FEISHU_BASE_URL.to_owned());
            println!("running against {base} as {app_id}");
            let client = Client::builder()
                .base_url(base)
                .credentials(AppCredentials::self_built(app_id, secret))
                .build()?;
            post(&Group::new(&client), &chat_id, &lead).await
        }
        _ => {
            println!("no FEISHU_APP_ID / FEISHU_APP_SECRET / FEISHU_CHAT_ID / FEISHU_LEAD_OPEN_ID: running against the in-process emulator");
            let emulator = Emulator::with_default_fixture()?;
            let client = emulator.client()?;
            post(&Group::new(&client), EMULATED_CHAT, EMULATED_LEAD).await
        }
    }
}

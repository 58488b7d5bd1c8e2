//! OpenTelemetry traces of the client: every call's `feishu.call` span, with
//! the HTTP client attributes (`http.request.method`, `server.address`,
//! `url.template`, `http.response.status_code`) and `feishu.attempt` and
//! `feishu.log_id`, goes through `tracing-opentelemetry` to the stdout span
//! exporter.
//!
//! Runs offline against the in-process Feishu emulator.
//!
//! Run: `cargo run -p feishu-group --example otel`
#![allow(clippy::print_stdout)]

use std::error::Error;

use feishu_emulator::Emulator;
use feishu_group::Group;
use feishu_model::im::chat::CreateChatBody;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::layer::SubscriberExt;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(opentelemetry_stdout::SpanExporter::default())
        .build();
    let tracer = provider.tracer("feishu-group-example");
    let subscriber =
        tracing_subscriber::registry().with(tracing_opentelemetry::layer().with_tracer(tracer));
    tracing::subscriber::set_global_default(subscriber)?;

    let emulator = Emulator::with_default_fixture()?;
    let app = emulator.app_ids().into_iter().next().ok_or("no app")?;
    let client = emulator.client_builder_for(&app)?.build()?;
    let group = Group::new(&client);

    let created = group
        .chats()
        .create(CreateChatBody {
            name: Some("INC-7: traced".into()),
            ..CreateChatBody::default()
        })
        .await?;
    group.chats().get(&created.chat_id).await?;
    group.chats().delete(&created.chat_id).await?;
    // A failing call: its span carries `error.type` and the log id.
    if let Err(e) = group.chats().get("oc_does_not_exist").await {
        println!("a missing chat fails: {e}");
    }

    provider.shutdown()?;
    Ok(())
}

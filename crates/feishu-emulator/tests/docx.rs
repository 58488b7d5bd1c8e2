//! The upgraded (docx) announcement, in-process: writes, revisions,
//! client-token de-duplication and access rules.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use feishu_emulator::feishu_model::docx::*;
use feishu_emulator::Emulator;

fn paragraph(text: &str) -> Block {
    let mut b = Block::new(BlockType::Text);
    b.text = Some(Text::of([TextElement::run(text)]));
    b
}

#[tokio::test]
async fn a_retried_write_with_the_same_client_token_is_applied_once() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let bot = local_client(&emulator, BOT);
    let mut create =
        CreateAnnouncementBlockChildren::new(MAIN_CHAT, MAIN_CHAT, [paragraph("hello")]);
    create.query.client_token = Some("retry-1".into());
    let first = bot.call(create.clone()).await.unwrap();
    let again = bot.call(create).await.unwrap();
    assert_eq!(first, again, "the repeat gets the first answer");
    assert_eq!(first.revision(), Some(2));
    let blocks = bot
        .call(ListAnnouncementBlocks::new(MAIN_CHAT))
        .await
        .unwrap();
    let items = blocks.items.unwrap();
    assert_eq!(items.len(), 2, "page + one paragraph: {items:?}");
    assert_eq!(items[0].child_ids().len(), 1);
    assert_eq!(items[1].text_payload().unwrap().plain(), "hello");
    let info = bot.call(GetAnnouncementDoc::new(MAIN_CHAT)).await.unwrap();
    assert_eq!(info.revision_id, Some(2));
    assert_eq!(info.announcement_type, Some(AnnouncementType::Docx));
}

#[tokio::test]
async fn a_write_more_than_1000_revisions_behind_is_too_old() {
    let emulator = Emulator::builder()
        .fixture(feishu_emulator::Fixture::default_seed().unwrap())
        .clock(feishu_emulator::Clock::manual(1_700_000_000_000))
        .build()
        .unwrap();
    // No client-side limiter: the emulator's clock is advanced instead.
    let bot = emulator
        .client_builder_for(&feishu_emulator::feishu_model::AppId::from(BOT))
        .unwrap()
        .rate_limiting(false)
        .build()
        .unwrap();
    let created = bot
        .call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            MAIN_CHAT,
            [paragraph("v")],
        ))
        .await
        .unwrap();
    let id = created.children.unwrap()[0].block_id.clone().unwrap();
    for i in 0..1000 {
        assert!(emulator.advance(std::time::Duration::from_millis(250)));
        let update = BatchUpdateAnnouncementBlocks::new(
            MAIN_CHAT,
            [UpdateBlockRequest::text_elements(
                &id,
                [TextElement::run(format!("v{i}"))],
            )],
        );
        bot.call(update).await.unwrap();
    }
    emulator.advance(std::time::Duration::from_millis(250));
    let mut stale = BatchDeleteAnnouncementBlockChildren::new(MAIN_CHAT, MAIN_CHAT, 0..1);
    stale.query.revision_id = Some(1);
    let err = bot.call(stale.clone()).await.unwrap_err();
    assert_eq!(err.code(), Some(1770021));
    stale.query.revision_id = Some(5000);
    assert_eq!(
        bot.call(stale.clone()).await.unwrap_err().code(),
        Some(1770001)
    );
    stale.query.revision_id = Some(1002);
    let out = bot.call(stale).await.unwrap();
    assert_eq!(out.revision_id, Some(1003));
}

#[tokio::test]
async fn parent_child_and_index_rules() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let bot = local_client(&emulator, BOT);
    let mut divider = Block::new(BlockType::Divider);
    divider.divider = Some(Default::default());
    let created = bot
        .call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            MAIN_CHAT,
            [divider, paragraph("b")],
        ))
        .await
        .unwrap();
    let ids: Vec<String> = created
        .children
        .unwrap()
        .iter()
        .map(|b| b.block_id.clone().unwrap())
        .collect();
    let err = bot
        .call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            &ids[0],
            [paragraph("x")],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1770028), "a divider takes no children");
    let err = bot
        .call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            MAIN_CHAT,
            [Block::new(BlockType::Page)],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1770029));
    let mut at_front = CreateAnnouncementBlockChildren::new(MAIN_CHAT, MAIN_CHAT, [paragraph("a")]);
    at_front.body.index = Some(0);
    bot.call(at_front).await.unwrap();
    let mut too_far = CreateAnnouncementBlockChildren::new(MAIN_CHAT, MAIN_CHAT, [paragraph("z")]);
    too_far.body.index = Some(9);
    assert_eq!(bot.call(too_far).await.unwrap_err().code(), Some(1770001));
    let children = bot
        .call(GetAnnouncementBlockChildren::new(MAIN_CHAT, MAIN_CHAT))
        .await
        .unwrap()
        .items
        .unwrap();
    assert_eq!(children.len(), 3);
    assert_eq!(children[0].text_payload().unwrap().plain(), "a");
    let err = bot
        .call(GetAnnouncementBlock::new(MAIN_CHAT, "doxcn_nope"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1770002));
    let err = bot
        .call(GetAnnouncementDoc::new(PUBLIC_CHAT))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(1772003), "the bot is not in that chat");
}

#[tokio::test]
async fn writes_past_five_a_second_get_the_documented_answer() {
    let emulator = Emulator::with_default_fixture().unwrap();
    let bot = unlimited_client(&emulator, BOT);
    for _ in 0..5 {
        bot.call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            MAIN_CHAT,
            [paragraph("x")],
        ))
        .await
        .unwrap();
    }
    let err = bot
        .call(CreateAnnouncementBlockChildren::new(
            MAIN_CHAT,
            MAIN_CHAT,
            [paragraph("x")],
        ))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(99991400));
    assert_eq!(err.http_status(), Some(400), "the docx pages answer 400");
    // Reads have their own class.
    bot.call(GetAnnouncementDoc::new(MAIN_CHAT)).await.unwrap();
}

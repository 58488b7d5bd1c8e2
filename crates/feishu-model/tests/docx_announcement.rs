#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The upgraded (docx) announcement endpoints against their documented
//! examples and rules, and the block model's round trip.

use feishu_model::docx::*;
use feishu_model::{Endpoint, Envelope, Method, RateLimit, TokenKind};
use proptest::prelude::*;
use rstest::rstest;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};

fn fixture(operation: &str, kind: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/{operation}.{kind}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Decodes `value`, checks nothing landed in an `extra` map (at any level:
/// a non-empty `Extra` shows its keys in the Debug output) and that it
/// encodes back to the same JSON.
fn round_trip<T: Serialize + DeserializeOwned + std::fmt::Debug>(value: &Value) -> T {
    let typed: T = serde_json::from_value(value.clone()).unwrap();
    let debug = format!("{typed:?}");
    assert!(
        !debug.contains("Extra({\""),
        "an undocumented field was found: {debug}"
    );
    assert_eq!(&serde_json::to_value(&typed).unwrap(), value);
    typed
}

fn response_data<E: Endpoint>() -> (Value, E::Output)
where
    E::Output: std::fmt::Debug,
{
    let body = fixture(E::OPERATION, "response");
    let envelope: Envelope<Value> = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(envelope.code, 0);
    let data = body["data"].clone();
    let typed = round_trip::<E::Output>(&data);
    (data, typed)
}

fn body_of<E: Endpoint>(call: &E) -> Value {
    serde_json::from_slice(&call.to_request().unwrap().body.unwrap()).unwrap()
}

#[test]
fn get_example_decodes_every_field() {
    let (_, info) = response_data::<GetAnnouncementDoc>();
    assert_eq!(info.revision_id, Some(1));
    assert_eq!(info.create_time, Some(1609296809));
    assert_eq!(info.announcement_type, Some(AnnouncementType::Docx));
    assert_eq!(info.owner_id_type, Some(feishu_model::UserIdType::UserId));
    assert_eq!(info.update_time_v2.as_deref(), Some("1609296809"));
    let request = GetAnnouncementDoc::new("oc_5ad11d72b830411d72b836c20")
        .to_request()
        .unwrap();
    assert_eq!(request.method, Method::Get);
    assert_eq!(
        request.path,
        "/open-apis/docx/v1/chats/oc_5ad11d72b830411d72b836c20/announcement"
    );
    assert!(request.body.is_none());
}

#[test]
fn list_example_decodes_the_block_tree() {
    let (_, page) = response_data::<ListAnnouncementBlocks>();
    let items = page.items.as_ref().unwrap();
    assert_eq!(items[0].block_type, BlockType::Page);
    assert_eq!(items[0].child_ids().len(), 3);
    assert_eq!(items[1].block_type, BlockType::Heading1);
    assert_eq!(items[1].parent_id, items[0].block_id);
    assert_eq!(page.has_more, Some(false));
    let mut call = ListAnnouncementBlocks::new("oc_5ad11d72b830411d72b836c20");
    call.query.page.page_size = Some(100);
    call.query.revision_id = Some(-1);
    let request = call.to_request().unwrap();
    assert_eq!(
        request.path,
        "/open-apis/docx/v1/chats/oc_5ad11d72b830411d72b836c20/announcement/blocks"
    );
    let mut query = request.query.clone();
    query.sort();
    assert_eq!(
        query,
        vec![
            ("page_size".to_owned(), "100".to_owned()),
            ("revision_id".to_owned(), "-1".to_owned())
        ]
    );
}

#[test]
fn get_block_example_is_a_children_list_and_the_documented_shape_round_trips() {
    // The page's response example shows `items`/`has_more` (a children
    // list) although its field table documents `data.block`: decoding it
    // keeps those fields verbatim, and the documented shape is typed.
    let body = fixture(GetAnnouncementBlock::OPERATION, "response");
    let documented: BlockOutput = serde_json::from_value(body["data"].clone()).unwrap();
    assert!(documented.block.is_none());
    assert_eq!(documented.extra.get("has_more"), Some(&json!(false)));
    assert_eq!(serde_json::to_value(&documented).unwrap(), body["data"]);
    let corrected = json!({"block": body["data"]["items"][0]});
    let out: BlockOutput = round_trip(&corrected);
    let block = out.block.unwrap();
    assert_eq!(
        block.block_id.as_deref(),
        Some("EJ8pdBT6RoA2BtxKXfuc1TD0n8f")
    );
    assert_eq!(block.text_payload().unwrap().plain(), "新版群公告");
}

#[test]
fn children_example_decodes() {
    let (_, children) = response_data::<GetAnnouncementBlockChildren>();
    let items = children.items.unwrap();
    assert_eq!(items[0].block_type, BlockType::Heading1);
    let style = items[0].heading1.as_ref().unwrap().style.as_ref().unwrap();
    assert_eq!(style.align, Some(Align::Left));
    assert_eq!(style.folded, Some(false));
}

#[test]
fn create_example_goes_on_the_wire_and_comes_back() {
    let documented = fixture(CreateAnnouncementBlockChildren::OPERATION, "request");
    let body: CreateChildrenBody = round_trip(&documented);
    assert_eq!(body.index, Some(0));
    let children = body.children.clone().unwrap();
    assert_eq!(children[0].block_type, BlockType::Text);
    let runs = children[0]
        .text
        .as_ref()
        .unwrap()
        .elements
        .as_ref()
        .unwrap();
    let style = runs[1]
        .text_run
        .as_ref()
        .unwrap()
        .text_element_style
        .as_ref();
    assert_eq!(style.unwrap().bold, Some(true));
    assert_eq!(style.unwrap().text_color, Some(FontColor::Blue));
    assert_eq!(style.unwrap().background_color, Some(HighlightColor::Gray));
    let mut call = CreateAnnouncementBlockChildren::new(
        "oc_5ad11d72b830411d72b836c20",
        "doxcnO6UW6wAw2qIcYf4hZpFIth",
        children,
    );
    call.body.index = Some(0);
    call.query.client_token = Some("fe599b60-450f-46ff-b2ef-9f6675625b97".into());
    let request = call.to_request().unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(
        request.idempotency_key.as_deref(),
        Some("fe599b60-450f-46ff-b2ef-9f6675625b97")
    );
    assert_eq!(body_of(&call), documented);
    let (_, out) = response_data::<CreateAnnouncementBlockChildren>();
    assert_eq!(out.revision(), Some(2));
    assert_eq!(
        out.client_token.as_deref(),
        Some("ea403093-3af1-4e9d-8f5d-53c5a4e4c36e")
    );
}

#[test]
fn batch_update_example_goes_on_the_wire_and_comes_back() {
    let documented = fixture(BatchUpdateAnnouncementBlocks::OPERATION, "request");
    let body: BatchUpdateBody = round_trip(&documented);
    let requests = body.requests.clone().unwrap();
    let merge = requests[0].merge_table_cells.as_ref().unwrap();
    assert_eq!(merge.column_end_index, Some(2));
    let elements = requests[1].update_text_elements.as_ref().unwrap();
    let doc = elements.elements.as_ref().unwrap()[2].mention_doc.as_ref();
    assert_eq!(doc.unwrap().obj_type, Some(DocObjType::Docx));
    let call = BatchUpdateAnnouncementBlocks::new("oc_1", requests);
    assert_eq!(call.to_request().unwrap().method, Method::Patch);
    assert_eq!(body_of(&call), documented);
    let (_, out) = response_data::<BatchUpdateAnnouncementBlocks>();
    assert!(!out.blocks.unwrap().is_empty());
}

#[test]
fn batch_delete_example_goes_on_the_wire_and_comes_back() {
    let documented = fixture(BatchDeleteAnnouncementBlockChildren::OPERATION, "request");
    let call = BatchDeleteAnnouncementBlockChildren::new("oc_1", "oc_1", 0..1);
    let request = call.to_request().unwrap();
    assert_eq!(request.method, Method::Delete);
    assert_eq!(
        request.path,
        "/open-apis/docx/v1/chats/oc_1/announcement/blocks/oc_1/children/batch_delete"
    );
    assert_eq!(body_of(&call), documented);
    let (_, out) = response_data::<BatchDeleteAnnouncementBlockChildren>();
    assert_eq!(out.revision_id, Some(1));
}

#[rstest]
#[case::get(
    GetAnnouncementDoc::OPERATION,
    GetAnnouncementDoc::RATE_LIMIT,
    RateLimit::DOCX_GET
)]
#[case::list(
    ListAnnouncementBlocks::OPERATION,
    ListAnnouncementBlocks::RATE_LIMIT,
    RateLimit::DOCX_READ
)]
#[case::block(
    GetAnnouncementBlock::OPERATION,
    GetAnnouncementBlock::RATE_LIMIT,
    RateLimit::DOCX_READ
)]
#[case::children(
    GetAnnouncementBlockChildren::OPERATION,
    GetAnnouncementBlockChildren::RATE_LIMIT,
    RateLimit::DOCX_READ
)]
#[case::create(
    CreateAnnouncementBlockChildren::OPERATION,
    CreateAnnouncementBlockChildren::RATE_LIMIT,
    RateLimit::DOCX_WRITE
)]
#[case::update(
    BatchUpdateAnnouncementBlocks::OPERATION,
    BatchUpdateAnnouncementBlocks::RATE_LIMIT,
    RateLimit::DOCX_WRITE
)]
#[case::delete(
    BatchDeleteAnnouncementBlockChildren::OPERATION,
    BatchDeleteAnnouncementBlockChildren::RATE_LIMIT,
    RateLimit::DOCX_WRITE
)]
fn each_endpoint_has_its_own_rate_class(
    #[case] operation: &str,
    #[case] got: RateLimit,
    #[case] want: RateLimit,
) {
    assert_eq!(got, want, "{operation}");
    let info = feishu_model::registry::find(operation).unwrap();
    assert_eq!(info.tokens, &[TokenKind::Tenant, TokenKind::User]);
}

#[test]
fn rate_classes_hold_the_documented_numbers() {
    assert_eq!(RateLimit::DOCX_GET.per_second, Some(20));
    assert_eq!(RateLimit::DOCX_READ.per_second, Some(10));
    assert_eq!(RateLimit::DOCX_WRITE.per_second, Some(5));
}

#[test]
fn writes_are_refused_before_sending_when_they_break_a_rule() {
    let none = CreateAnnouncementBlockChildren::new("oc_1", "oc_1", []);
    assert_eq!(none.to_request().unwrap_err().field, "children");
    let mut absent = none.clone();
    absent.body.children = None;
    assert!(
        absent.to_request().is_ok(),
        "children is optional on the page"
    );
    let many = CreateAnnouncementBlockChildren::new(
        "oc_1",
        "oc_1",
        (0..51).map(|_| Block::new(BlockType::Divider)),
    );
    assert_eq!(many.to_request().unwrap_err().field, "children");
    let sheets = CreateAnnouncementBlockChildren::new(
        "oc_1",
        "oc_1",
        (0..6).map(|_| Block::new(BlockType::Sheet)),
    );
    assert!(sheets.to_request().unwrap_err().rule.contains("sheet"));
    let mut stale =
        CreateAnnouncementBlockChildren::new("oc_1", "oc_1", [Block::new(BlockType::Divider)]);
    stale.query.revision_id = Some(-2);
    assert_eq!(stale.to_request().unwrap_err().field, "revision_id");
    let empty_range = BatchDeleteAnnouncementBlockChildren::new("oc_1", "b", 2..2);
    assert_eq!(empty_range.to_request().unwrap_err().field, "end_index");
    let twice = BatchUpdateAnnouncementBlocks::new(
        "oc_1",
        [
            UpdateBlockRequest::text_elements("b1", [TextElement::run("a")]),
            UpdateBlockRequest::text_elements("b1", [TextElement::run("b")]),
        ],
    );
    assert_eq!(
        twice.to_request().unwrap_err().field,
        "requests[1].block_id"
    );
    let no_elements =
        BatchUpdateAnnouncementBlocks::new("oc_1", [UpdateBlockRequest::text_elements("b1", [])]);
    assert_eq!(
        no_elements.to_request().unwrap_err().field,
        "requests[0].update_text_elements.elements"
    );
    let mut big = ListAnnouncementBlocks::new("oc_1");
    big.query.page.page_size = Some(501);
    assert_eq!(big.to_request().unwrap_err().field, "page_size");
}

#[test]
fn unknown_block_kinds_keep_their_payload_and_type() {
    let raw = json!({"block_id": "b", "block_type": 77, "hologram": {"depth": 3}});
    let block: Block = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(block.block_type, BlockType::Unknown(77));
    assert_eq!(block.extra.get("hologram"), Some(&json!({"depth": 3})));
    assert_eq!(serde_json::to_value(&block).unwrap(), raw);
}

#[test]
fn block_type_lists_all_48_documented_values() {
    assert_eq!(BlockType::KNOWN.len(), 48);
    assert_eq!(BlockType::from(999), BlockType::Undefined);
    assert_eq!(CodeLanguage::KNOWN.len(), 75);
}

// ---------------------------------------------------------------------------
// proptest: generated block trees of every kind round-trip

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    proptest::option::of(s).boxed()
}

fn style() -> impl Strategy<Value = TextElementStyle> {
    (
        opt(any::<bool>()),
        opt(any::<bool>()),
        opt((1i64..=16).prop_map(HighlightColor::from)),
        opt((1i64..=8).prop_map(FontColor::from)),
        opt("[a-z:/.%]{1,12}".prop_map(|url| Link {
            url: Some(url),
            ..Link::default()
        })),
    )
        .prop_map(
            |(bold, italic, background_color, text_color, link)| TextElementStyle {
                bold,
                italic,
                background_color,
                text_color,
                link,
                ..TextElementStyle::default()
            },
        )
}

fn element() -> impl Strategy<Value = TextElement> {
    prop_oneof![
        (".{0,12}", opt(style())).prop_map(|(content, s)| TextElement {
            text_run: Some(TextRun {
                content: Some(content),
                text_element_style: s,
                ..TextRun::default()
            }),
            ..TextElement::default()
        }),
        "ou_[a-f0-9]{6}".prop_map(TextElement::mention),
        ("[a-zA-Z0-9]{8}", (0i64..30).prop_map(DocObjType::from)).prop_map(|(token, t)| {
            TextElement {
                mention_doc: Some(MentionDoc {
                    token: Some(token),
                    obj_type: Some(t),
                    ..MentionDoc::default()
                }),
                ..TextElement::default()
            }
        }),
        ("[0-9]{13}", any::<bool>()).prop_map(|(t, whole)| TextElement {
            reminder: Some(Reminder {
                expire_time: Some(t.clone()),
                notify_time: Some(t),
                is_whole_day: Some(whole),
                ..Reminder::default()
            }),
            ..TextElement::default()
        }),
        "[a-z^=+]{1,8}".prop_map(|c| TextElement {
            equation: Some(Equation {
                content: Some(c),
                ..Equation::default()
            }),
            ..TextElement::default()
        }),
        "[a-z]{4}".prop_map(|t| TextElement {
            file: Some(InlineFile {
                file_token: Some(t),
                ..InlineFile::default()
            }),
            ..TextElement::default()
        }),
    ]
}

fn text() -> impl Strategy<Value = Text> {
    (
        proptest::collection::vec(element(), 0..4),
        opt((0i64..5).prop_map(Align::from)),
        opt((1i64..80).prop_map(CodeLanguage::from)),
        opt(prop_oneof![
            Just(BlockBackground::LightRed),
            Just(BlockBackground::from("Neon"))
        ]),
        opt(any::<bool>()),
    )
        .prop_map(|(elements, align, language, background_color, done)| Text {
            elements: Some(elements),
            style: Some(TextStyle {
                align,
                language,
                background_color,
                done,
                ..TextStyle::default()
            }),
            ..Text::default()
        })
}

/// A block of the given kind with a generated payload of that kind.
fn payload(kind: BlockType, t: Text, n: i64, s: String) -> Block {
    let mut b = Block::new(kind);
    match kind {
        BlockType::Page => b.page = Some(t),
        BlockType::Text => b.text = Some(t),
        BlockType::Heading1 => b.heading1 = Some(t),
        BlockType::Heading2 => b.heading2 = Some(t),
        BlockType::Heading3 => b.heading3 = Some(t),
        BlockType::Heading4 => b.heading4 = Some(t),
        BlockType::Heading5 => b.heading5 = Some(t),
        BlockType::Heading6 => b.heading6 = Some(t),
        BlockType::Heading7 => b.heading7 = Some(t),
        BlockType::Heading8 => b.heading8 = Some(t),
        BlockType::Heading9 => b.heading9 = Some(t),
        BlockType::Bullet => b.bullet = Some(t),
        BlockType::Ordered => b.ordered = Some(t),
        BlockType::Code => b.code = Some(t),
        BlockType::Quote => b.quote = Some(t),
        BlockType::Todo => b.todo = Some(t),
        BlockType::Bitable => {
            b.bitable = Some(Bitable {
                token: Some(s),
                view_type: Some(BitableViewType::from(n)),
                ..Bitable::default()
            })
        }
        BlockType::Callout => {
            b.callout = Some(Callout {
                background_color: Some(HighlightColor::from(n)),
                emoji_id: Some(s),
                ..Callout::default()
            })
        }
        BlockType::ChatCard => {
            b.chat_card = Some(ChatCard {
                chat_id: Some(s),
                align: Some(Align::from(n)),
                ..ChatCard::default()
            })
        }
        BlockType::Diagram => {
            b.diagram = Some(Diagram {
                diagram_type: Some(DiagramType::from(n)),
                ..Diagram::default()
            })
        }
        BlockType::Divider => b.divider = Some(Default::default()),
        BlockType::File => {
            b.file = Some(File {
                token: Some(s.clone()),
                name: Some(s),
                view_type: Some(ViewType::from(n)),
                ..File::default()
            })
        }
        BlockType::Grid => {
            b.grid = Some(Grid {
                column_size: Some(n),
                ..Grid::default()
            })
        }
        BlockType::GridColumn => {
            b.grid_column = Some(GridColumn {
                width_ratio: Some(n),
                ..GridColumn::default()
            })
        }
        BlockType::Iframe => {
            b.iframe = Some(Iframe {
                component: Some(IframeComponent {
                    iframe_type: Some(IframeType::from(n)),
                    url: Some(s),
                    ..IframeComponent::default()
                }),
                ..Iframe::default()
            })
        }
        BlockType::Image => {
            b.image = Some(Image {
                width: Some(n),
                height: Some(n),
                token: Some(s),
                align: Some(Align::Center),
                ..Image::default()
            })
        }
        BlockType::Isv => {
            b.isv = Some(Isv {
                component_id: Some(s.clone()),
                component_type_id: Some(s),
                ..Isv::default()
            })
        }
        BlockType::Mindnote => {
            b.mindnote = Some(Mindnote {
                token: Some(s),
                ..Mindnote::default()
            })
        }
        BlockType::Sheet => {
            b.sheet = Some(Sheet {
                token: Some(s),
                row_size: Some(n),
                column_size: Some(n),
                ..Sheet::default()
            })
        }
        BlockType::Table => {
            b.table = Some(Table {
                cells: Some(vec![s]),
                property: Some(TableProperty {
                    row_size: Some(1),
                    column_size: Some(1),
                    column_width: Some(vec![n]),
                    merge_info: Some(vec![TableMergeInfo {
                        row_span: Some(1),
                        col_span: Some(1),
                        ..TableMergeInfo::default()
                    }]),
                    header_row: Some(true),
                    ..TableProperty::default()
                }),
                ..Table::default()
            })
        }
        BlockType::TableCell => b.table_cell = Some(Default::default()),
        BlockType::View => {
            b.view = Some(View {
                view_type: Some(ViewType::from(n)),
                ..View::default()
            })
        }
        BlockType::QuoteContainer => b.quote_container = Some(Default::default()),
        BlockType::Task => {
            b.task = Some(Task {
                task_id: Some(s),
                folded: Some(true),
                ..Task::default()
            })
        }
        BlockType::Okr => {
            b.okr = Some(Okr {
                okr_id: Some(s),
                period_display_status: Some(OkrPeriodStatus::Normal),
                visible_setting: Some(OkrVisibleSetting {
                    score_visible: Some(true),
                    ..OkrVisibleSetting::default()
                }),
                ..Okr::default()
            })
        }
        BlockType::OkrObjective => {
            b.okr_objective = Some(OkrObjective {
                objective_id: Some(s),
                weight: Some(0.5),
                content: Some(t),
                progress_rate: Some(OkrProgressRate {
                    mode: Some(OkrProgressMode::Simple),
                    percent: Some(12.5),
                    ..OkrProgressRate::default()
                }),
                ..OkrObjective::default()
            })
        }
        BlockType::OkrKeyResult => {
            b.okr_key_result = Some(OkrKeyResult {
                kr_id: Some(s),
                score: Some(n),
                content: Some(t),
                ..OkrKeyResult::default()
            })
        }
        BlockType::OkrProgress => b.okr_progress = Some(Default::default()),
        BlockType::AddOns => {
            b.add_ons = Some(AddOns {
                component_type_id: Some(s),
                record: Some("{}".into()),
                ..AddOns::default()
            })
        }
        BlockType::JiraIssue => {
            b.jira_issue = Some(JiraIssue {
                id: Some(s.clone()),
                key: Some(s),
                ..JiraIssue::default()
            })
        }
        BlockType::WikiCatalog => {
            b.wiki_catalog = Some(WikiCatalog {
                wiki_token: Some(s),
                ..WikiCatalog::default()
            })
        }
        BlockType::Board => {
            b.board = Some(Board {
                token: Some(s),
                width: Some(n),
                ..Board::default()
            })
        }
        BlockType::Agenda => b.agenda = Some(Default::default()),
        BlockType::AgendaItem => b.agenda_item = Some(Default::default()),
        BlockType::AgendaItemTitle => {
            b.agenda_item_title = Some(AgendaItemTitle {
                elements: t.elements,
                align: Some(Align::Left),
                ..AgendaItemTitle::default()
            })
        }
        BlockType::AgendaItemContent => b.agenda_item_content = Some(Default::default()),
        BlockType::LinkPreview => {
            b.link_preview = Some(LinkPreview {
                url: Some(s),
                url_type: Some(LinkUrlType::MessageLink),
                ..LinkPreview::default()
            })
        }
        BlockType::Undefined => b.undefined = Some(Default::default()),
        _ => {
            b.extra.insert("future_kind".into(), json!({"n": n}));
        }
    }
    b
}

fn kind() -> impl Strategy<Value = BlockType> {
    prop_oneof![
        proptest::sample::select(BlockType::KNOWN.to_vec()),
        (1000i64..2000).prop_map(BlockType::from),
    ]
}

fn leaf() -> impl Strategy<Value = Block> {
    (kind(), text(), 1i64..6, "[A-Za-z0-9]{4,10}").prop_map(|(k, t, n, s)| payload(k, t, n, s))
}

/// A tree as a flat list, as the list endpoint returns it: ids and
/// parent/children links set consistently.
fn tree() -> impl Strategy<Value = Vec<Block>> {
    proptest::collection::vec((leaf(), 0usize..8), 1..12).prop_map(|nodes| {
        let mut blocks: Vec<Block> = Vec::new();
        for (i, (mut block, parent)) in nodes.into_iter().enumerate() {
            block.block_id = Some(format!("blk{i}"));
            if i > 0 {
                let p = parent % i;
                block.parent_id = Some(format!("blk{p}"));
                blocks[p]
                    .children
                    .get_or_insert_with(Vec::new)
                    .push(format!("blk{i}"));
            } else {
                block.parent_id = Some(String::new());
            }
            blocks.push(block);
        }
        blocks
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn block_trees_round_trip(blocks in tree()) {
        let page = feishu_model::fill!(BlockPage { items: Some(blocks.clone()), has_more: Some(false), ..BlockPage::default() });
        let json = serde_json::to_value(&page).unwrap();
        let back: BlockPage = serde_json::from_value(json.clone()).unwrap();
        prop_assert_eq!(&back, &page);
        prop_assert_eq!(serde_json::to_value(&back).unwrap(), json);
        for b in back.items.unwrap() {
            for c in b.child_ids() {
                prop_assert!(blocks.iter().any(|x| x.block_id.as_deref() == Some(c.as_str())));
            }
        }
    }
}

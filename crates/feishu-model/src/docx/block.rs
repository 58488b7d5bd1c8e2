//! `block`: one node of the announcement document tree, and the payload
//! types of the block kinds whose fields the pages document.

use serde::Serialize;

use super::enums::{
    Align, BitableViewType, BlockType, DiagramType, FontColor, HighlightColor, IframeType,
    LinkUrlType, OkrPeriodStatus, OkrProgressMode, OkrProgressStatus, OkrStatusType, ViewType,
};
use super::text::Text;
use crate::{Empty, Extra};

/// One block of an announcement document.
///
/// `block_type` says which payload field is set (`text` for
/// [`BlockType::Text`], `heading1` for [`BlockType::Heading1`], ...). A
/// payload of a kind this version does not know stays in `extra` with its
/// `block_type`, so nothing is lost through a round trip.
#[derive(Debug, Clone, PartialEq, Serialize, crate::WireDeserialize)]
pub struct Block {
    /// The block's id (absent on blocks being created).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_id: Option<String>,
    /// The parent block's id (the page block's parent is empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The ids of the child blocks, in order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub children: Option<Vec<String>>,
    /// The kind of block.
    pub block_type: BlockType,
    /// Page (root) block payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<Text>,
    /// Text block payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Text>,
    /// Heading 1 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading1: Option<Text>,
    /// Heading 2 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading2: Option<Text>,
    /// Heading 3 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading3: Option<Text>,
    /// Heading 4 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading4: Option<Text>,
    /// Heading 5 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading5: Option<Text>,
    /// Heading 6 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading6: Option<Text>,
    /// Heading 7 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading7: Option<Text>,
    /// Heading 8 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading8: Option<Text>,
    /// Heading 9 payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading9: Option<Text>,
    /// Bulleted list item payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bullet: Option<Text>,
    /// Ordered list item payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ordered: Option<Text>,
    /// Code block payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<Text>,
    /// Quote payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<Text>,
    /// Equation block payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equation: Option<Text>,
    /// To-do item payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub todo: Option<Text>,
    /// Bitable payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bitable: Option<Bitable>,
    /// Callout payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub callout: Option<Callout>,
    /// Chat card payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chat_card: Option<ChatCard>,
    /// Diagram payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagram: Option<Diagram>,
    /// Divider payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub divider: Option<Empty>,
    /// File payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<File>,
    /// Grid payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<Grid>,
    /// Grid column payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid_column: Option<GridColumn>,
    /// Iframe payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iframe: Option<Iframe>,
    /// Image payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Open-platform widget payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isv: Option<Isv>,
    /// Document widget (add-on) payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub add_ons: Option<AddOns>,
    /// Mind note payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mindnote: Option<Mindnote>,
    /// Spreadsheet payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<Sheet>,
    /// Table payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Table>,
    /// Table cell payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_cell: Option<Empty>,
    /// View payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view: Option<View>,
    /// Unsupported block payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undefined: Option<Empty>,
    /// Quote container payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote_container: Option<Empty>,
    /// Task payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<Task>,
    /// OKR payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr: Option<Okr>,
    /// OKR objective payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr_objective: Option<OkrObjective>,
    /// OKR key result payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr_key_result: Option<OkrKeyResult>,
    /// OKR progress payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub okr_progress: Option<Empty>,
    /// Comment ids on the block.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment_ids: Option<Vec<String>>,
    /// Jira issue payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jira_issue: Option<JiraIssue>,
    /// Wiki sub-catalog payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wiki_catalog: Option<WikiCatalog>,
    /// Board payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub board: Option<Board>,
    /// Agenda payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda: Option<Empty>,
    /// Agenda item payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item: Option<Empty>,
    /// Agenda item title payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item_title: Option<AgendaItemTitle>,
    /// Agenda item content payload (no documented fields).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agenda_item_content: Option<Empty>,
    /// Link preview payload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_preview: Option<LinkPreview>,
    /// Undocumented fields, including the payload of an unknown block kind.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The field of `$block` holding the text payload of its `block_type`,
/// borrowed with `$($borrow)*`; returns `None` from the caller for kinds
/// that carry no text. One mapping for both borrows.
macro_rules! text_slot {
    ($block:expr, $($borrow:tt)*) => {
        match $block.block_type {
            BlockType::Page => $($borrow)* $block.page,
            BlockType::Text => $($borrow)* $block.text,
            BlockType::Heading1 => $($borrow)* $block.heading1,
            BlockType::Heading2 => $($borrow)* $block.heading2,
            BlockType::Heading3 => $($borrow)* $block.heading3,
            BlockType::Heading4 => $($borrow)* $block.heading4,
            BlockType::Heading5 => $($borrow)* $block.heading5,
            BlockType::Heading6 => $($borrow)* $block.heading6,
            BlockType::Heading7 => $($borrow)* $block.heading7,
            BlockType::Heading8 => $($borrow)* $block.heading8,
            BlockType::Heading9 => $($borrow)* $block.heading9,
            BlockType::Bullet => $($borrow)* $block.bullet,
            BlockType::Ordered => $($borrow)* $block.ordered,
            BlockType::Code => $($borrow)* $block.code,
            BlockType::Quote => $($borrow)* $block.quote,
            BlockType::Todo => $($borrow)* $block.todo,
            _ => return None,
        }
    };
}

impl Block {
    /// An empty block of the given kind: no id, no payload.
    pub fn new(block_type: BlockType) -> Self {
        Block {
            block_id: None,
            parent_id: None,
            children: None,
            block_type,
            page: None,
            text: None,
            heading1: None,
            heading2: None,
            heading3: None,
            heading4: None,
            heading5: None,
            heading6: None,
            heading7: None,
            heading8: None,
            heading9: None,
            bullet: None,
            ordered: None,
            code: None,
            quote: None,
            equation: None,
            todo: None,
            bitable: None,
            callout: None,
            chat_card: None,
            diagram: None,
            divider: None,
            file: None,
            grid: None,
            grid_column: None,
            iframe: None,
            image: None,
            isv: None,
            add_ons: None,
            mindnote: None,
            sheet: None,
            table: None,
            table_cell: None,
            view: None,
            undefined: None,
            quote_container: None,
            task: None,
            okr: None,
            okr_objective: None,
            okr_key_result: None,
            okr_progress: None,
            comment_ids: None,
            jira_issue: None,
            wiki_catalog: None,
            board: None,
            agenda: None,
            agenda_item: None,
            agenda_item_title: None,
            agenda_item_content: None,
            link_preview: None,
            extra: Extra::default(),
        }
    }

    /// The text payload matching `block_type`, for the text-like kinds
    /// (page, text, headings, bullet, ordered, code, quote, todo).
    pub fn text_payload(&self) -> Option<&Text> {
        text_slot!(self, &).as_ref()
    }

    /// The field holding the text payload of `block_type`, to set or change
    /// it; `None` for kinds that carry no text.
    pub fn text_slot_mut(&mut self) -> Option<&mut Option<Text>> {
        Some(text_slot!(self, &mut))
    }

    /// The child ids (empty when absent).
    pub fn child_ids(&self) -> &[String] {
        self.children.as_deref().unwrap_or_default()
    }
}

super::docx_struct! {
    /// `bitable`: an embedded bitable.
    pub struct Bitable {
        /// The bitable token.
        token: String,
        /// The view to create (data table or kanban).
        view_type: BitableViewType,
    }
}

super::docx_struct! {
    /// `callout`: a highlight box; its content is its child blocks.
    pub struct Callout {
        /// Background colour.
        background_color: HighlightColor,
        /// Border colour.
        border_color: FontColor,
        /// Text colour.
        text_color: FontColor,
        /// The emoji shown, by id.
        emoji_id: String,
    }
}

super::docx_struct! {
    /// `chat_card`: a card for a chat.
    pub struct ChatCard {
        /// The chat's id.
        chat_id: String,
        /// Alignment.
        align: Align,
    }
}

super::docx_struct! {
    /// `diagram`: a flowchart or UML diagram.
    pub struct Diagram {
        /// The kind of diagram.
        diagram_type: DiagramType,
    }
}

super::docx_struct! {
    /// `file`: an attached file.
    pub struct File {
        /// The file token.
        token: String,
        /// The file name.
        name: String,
        /// Card or preview view.
        view_type: ViewType,
    }
}

super::docx_struct! {
    /// `grid`: columns; each column is a child grid-column block.
    pub struct Grid {
        /// Number of columns (2 to 5).
        column_size: i64,
    }
}

super::docx_struct! {
    /// `grid_column`: one column of a grid.
    pub struct GridColumn {
        /// The column's share of the width, in percent.
        width_ratio: i64,
    }
}

super::docx_struct! {
    /// `iframe`: an embedded web page.
    pub struct Iframe {
        /// What is embedded.
        component: IframeComponent,
    }
}

super::docx_struct! {
    /// `iframe_component`: the embedded page of an iframe.
    pub struct IframeComponent {
        /// The site.
        iframe_type: IframeType,
        /// The page URL, percent-encoded.
        url: String,
    }
}

super::docx_struct! {
    /// `image`: an image.
    pub struct Image {
        /// Width in pixels.
        width: i64,
        /// Height in pixels.
        height: i64,
        /// The image token.
        token: String,
        /// Alignment.
        align: Align,
    }
}

super::docx_struct! {
    /// `isv`: an open-platform widget.
    pub struct Isv {
        /// The widget instance id.
        component_id: String,
        /// The widget type id.
        component_type_id: String,
    }
}

super::docx_struct! {
    /// `add_ons`: a document widget.
    pub struct AddOns {
        /// The widget instance id.
        component_id: String,
        /// The widget type id (`blk_...`).
        component_type_id: String,
        /// The widget's data, as JSON text.
        record: String,
    }
}

super::docx_struct! {
    /// `mindnote`: an embedded mind note.
    pub struct Mindnote {
        /// The mind note token.
        token: String,
    }
}

super::docx_struct! {
    /// `sheet`: an embedded spreadsheet.
    pub struct Sheet {
        /// The spreadsheet token.
        token: String,
        /// Rows to create (1 to 9).
        row_size: i64,
        /// Columns to create (1 to 9).
        column_size: i64,
    }
}

super::docx_struct! {
    /// `table`: a table; each cell is a child table-cell block.
    pub struct Table {
        /// The cell block ids, row by row.
        cells: Vec<String>,
        /// Rows, columns, widths and merges.
        property: TableProperty,
    }
}

super::docx_struct! {
    /// `table_property`: the shape of a table.
    pub struct TableProperty {
        /// Number of rows (at least 1).
        row_size: i64,
        /// Number of columns (at least 1).
        column_size: i64,
        /// Column widths in pixels.
        column_width: Vec<i64>,
        /// Merge information per cell (read only on create).
        merge_info: Vec<TableMergeInfo>,
        /// Whether the first row is a header.
        header_row: bool,
        /// Whether the first column is a header.
        header_column: bool,
    }
}

super::docx_struct! {
    /// `table_merge_info`: how far a cell spans.
    pub struct TableMergeInfo {
        /// Rows merged from this cell on.
        row_span: i64,
        /// Columns merged from this cell on.
        col_span: i64,
    }
}

super::docx_struct! {
    /// `view`: a view of an embedded file.
    pub struct View {
        /// Card, preview or inline view.
        view_type: ViewType,
    }
}

super::docx_struct! {
    /// `task`: a task.
    pub struct Task {
        /// The task id.
        task_id: String,
        /// Whether the block is folded.
        folded: bool,
    }
}

super::docx_struct! {
    /// `okr`: an OKR (created with a user access token only).
    pub struct Okr {
        /// The OKR id.
        okr_id: String,
        /// The period's state.
        period_display_status: OkrPeriodStatus,
        /// The period's Chinese name.
        period_name_zh: String,
        /// The period's English name.
        period_name_en: String,
        /// The OKR owner's id.
        user_id: String,
        /// What is shown.
        visible_setting: OkrVisibleSetting,
        /// On create: the objectives and key results to insert (all when absent).
        objectives: Vec<ObjectiveIdWithKrId>,
    }
}

super::docx_struct! {
    /// `okr_visible_setting`: what an OKR block shows.
    pub struct OkrVisibleSetting {
        /// Whether the progress fill is shown.
        progress_fill_area_visible: bool,
        /// Whether the progress status is shown.
        progress_status_visible: bool,
        /// Whether the score is shown.
        score_visible: bool,
    }
}

super::docx_struct! {
    /// `objective_id_with_kr_id`: an objective and some of its key results.
    pub struct ObjectiveIdWithKrId {
        /// The objective id.
        objective_id: String,
        /// Key result ids (all of the objective's when absent).
        kr_ids: Vec<String>,
    }
}

super::docx_struct! {
    /// `okr_objective`: an OKR objective.
    pub struct OkrObjective {
        /// The objective id.
        objective_id: String,
        /// Whether it is confidential.
        confidential: bool,
        /// Its position.
        position: i64,
        /// Its score.
        score: i64,
        /// Whether it is visible.
        visible: bool,
        /// Its weight.
        weight: f64,
        /// Its progress.
        progress_rate: OkrProgressRate,
        /// Its text.
        content: Text,
    }
}

super::docx_struct! {
    /// `okr_key_result`: an OKR key result.
    pub struct OkrKeyResult {
        /// The key result id.
        kr_id: String,
        /// Whether it is confidential.
        confidential: bool,
        /// Its position.
        position: i64,
        /// Its score.
        score: i64,
        /// Whether it is visible.
        visible: bool,
        /// Its weight.
        weight: f64,
        /// Its progress.
        progress_rate: OkrProgressRate,
        /// Its text.
        content: Text,
    }
}

super::docx_struct! {
    /// `okr_progress_rate`: progress of an objective or key result.
    pub struct OkrProgressRate {
        /// Simple or advanced mode.
        mode: OkrProgressMode,
        /// Current value.
        current: f64,
        /// Percentage.
        percent: f64,
        /// Progress status.
        progress_status: OkrProgressStatus,
        /// Start value.
        start: f64,
        /// How the status is computed.
        status_type: OkrStatusType,
        /// Target value.
        target: f64,
    }
}

super::docx_struct! {
    /// `jira_issue`: a Jira issue.
    pub struct JiraIssue {
        /// The issue id.
        id: String,
        /// The issue key.
        key: String,
    }
}

super::docx_struct! {
    /// `wiki_catalog`: a wiki sub-catalog.
    pub struct WikiCatalog {
        /// The wiki token.
        wiki_token: String,
    }
}

super::docx_struct! {
    /// `board`: a whiteboard.
    pub struct Board {
        /// The board token.
        token: String,
        /// Alignment.
        align: Align,
        /// Width in pixels (at least 90).
        width: i64,
        /// Height in pixels (at least 90).
        height: i64,
    }
}

super::docx_struct! {
    /// `agenda_item_title`: the title of an agenda item.
    pub struct AgendaItemTitle {
        /// The title's elements.
        elements: Vec<super::text::TextElement>,
        /// Alignment.
        align: Align,
    }
}

super::docx_struct! {
    /// `link_preview`: a preview of a link.
    pub struct LinkPreview {
        /// The link.
        url: String,
        /// The kind of link.
        url_type: LinkUrlType,
    }
}

//! `update_block_request`: one change of a batch update, addressed to one block.

use super::enums::{Align, TextStyleField};
use super::text::{TextElement, TextStyle};
use crate::validate::{self, Invalid};

super::docx_struct! {
    /// One change to one block; set `block_id` and exactly one request field.
    pub struct UpdateBlockRequest {
        /// The block to change.
        block_id: String,
        /// Replace the text elements.
        update_text_elements: UpdateTextElements,
        /// Change the text style.
        update_text_style: UpdateTextStyle,
        /// Change table properties (table blocks).
        update_table_property: UpdateTableProperty,
        /// Insert a table row (table blocks).
        insert_table_row: InsertTableRow,
        /// Insert a table column (table blocks).
        insert_table_column: InsertTableColumn,
        /// Delete table rows (table blocks).
        delete_table_rows: DeleteTableRows,
        /// Delete table columns (table blocks).
        delete_table_columns: DeleteTableColumns,
        /// Merge table cells (table blocks).
        merge_table_cells: MergeTableCells,
        /// Unmerge table cells (table blocks).
        unmerge_table_cells: UnmergeTableCells,
        /// Insert a grid column (grid blocks).
        insert_grid_column: GridColumnIndex,
        /// Delete a grid column (grid blocks).
        delete_grid_column: GridColumnIndex,
        /// Change grid column widths (grid blocks).
        update_grid_column_width_ratio: UpdateGridColumnWidthRatio,
        /// Replace an image (image blocks).
        replace_image: ReplaceImage,
        /// Replace a file (file blocks).
        replace_file: ReplaceFile,
        /// Replace the text elements and change the style at once.
        update_text: UpdateText,
        /// Change a task block.
        update_task: UpdateTask,
    }
}

super::docx_struct! {
    /// `update_text_elements_request`: the new elements of a text block.
    pub struct UpdateTextElements {
        /// The elements (at least 1; at most 30 reminders, 50 document and 100 user mentions).
        elements: Vec<TextElement>,
    }
}

super::docx_struct! {
    /// `update_text_style_request`: a new style, and which of its fields apply.
    pub struct UpdateTextStyle {
        /// The style.
        style: TextStyle,
        /// The fields to change (at least 1).
        fields: Vec<TextStyleField>,
    }
}

super::docx_struct! {
    /// `update_text_request`: new elements and style.
    pub struct UpdateText {
        /// The elements (at least 1).
        elements: Vec<TextElement>,
        /// The style.
        style: TextStyle,
        /// The style fields to change (at least 1).
        fields: Vec<TextStyleField>,
    }
}

super::docx_struct! {
    /// `update_table_property_request`: column width and header settings.
    pub struct UpdateTableProperty {
        /// New column width in pixels (at least 50).
        column_width: i64,
        /// The column whose width changes (from 0).
        column_index: i64,
        /// Whether the first row is a header.
        header_row: bool,
        /// Whether the first column is a header.
        header_column: bool,
    }
}

super::docx_struct! {
    /// `insert_table_row_request`.
    pub struct InsertTableRow {
        /// Where to insert (-1: at the end).
        row_index: i64,
    }
}

super::docx_struct! {
    /// `insert_table_column_request`.
    pub struct InsertTableColumn {
        /// Where to insert (-1: at the end).
        column_index: i64,
    }
}

super::docx_struct! {
    /// `delete_table_rows_request`: rows `[row_start_index, row_end_index)`.
    pub struct DeleteTableRows {
        /// First row (from 0).
        row_start_index: i64,
        /// End row, exclusive (at least 1).
        row_end_index: i64,
    }
}

super::docx_struct! {
    /// `delete_table_columns_request`: columns `[column_start_index, column_end_index)`.
    pub struct DeleteTableColumns {
        /// First column (from 0).
        column_start_index: i64,
        /// End column, exclusive (at least 1).
        column_end_index: i64,
    }
}

super::docx_struct! {
    /// `merge_table_cells_request`: the cells of a row and column range (end exclusive).
    pub struct MergeTableCells {
        /// First row.
        row_start_index: i64,
        /// End row, exclusive.
        row_end_index: i64,
        /// First column.
        column_start_index: i64,
        /// End column, exclusive.
        column_end_index: i64,
    }
}

super::docx_struct! {
    /// `unmerge_table_cells_request`: the merged cell at a row and column.
    pub struct UnmergeTableCells {
        /// Row index.
        row_index: i64,
        /// Column index.
        column_index: i64,
    }
}

super::docx_struct! {
    /// `insert_grid_column_request` / `delete_grid_column_request`.
    pub struct GridColumnIndex {
        /// The column (-1: the last; insert counts from 1, delete from 0).
        column_index: i64,
    }
}

super::docx_struct! {
    /// `update_grid_column_width_ratio_request`.
    pub struct UpdateGridColumnWidthRatio {
        /// Every column's share of the width, in percent.
        width_ratios: Vec<i64>,
    }
}

super::docx_struct! {
    /// `replace_image_request` (the image must be uploaded first).
    pub struct ReplaceImage {
        /// The image token.
        token: String,
        /// Width in pixels.
        width: i64,
        /// Height in pixels.
        height: i64,
        /// Alignment.
        align: Align,
    }
}

super::docx_struct! {
    /// `replace_file_request` (the file must be uploaded first).
    pub struct ReplaceFile {
        /// The file token.
        token: String,
    }
}

super::docx_struct! {
    /// `update_task_request`.
    pub struct UpdateTask {
        /// The task id (only the first update takes it).
        task_id: String,
        /// Folded state (unchanged when absent).
        folded: bool,
    }
}

impl UpdateBlockRequest {
    /// Replaces the text elements of `block_id`.
    pub fn text_elements(
        block_id: impl Into<String>,
        elements: impl IntoIterator<Item = TextElement>,
    ) -> Self {
        UpdateBlockRequest {
            block_id: Some(block_id.into()),
            update_text_elements: Some(UpdateTextElements {
                elements: Some(elements.into_iter().collect()),
                ..UpdateTextElements::default()
            }),
            ..UpdateBlockRequest::default()
        }
    }

    /// Checks the documented rules of this request, naming `at` (its place in the batch).
    pub(crate) fn check(&self, at: &str) -> Result<(), Invalid> {
        validate::required(&format!("{at}.block_id"), self.block_id.as_ref())?;
        let nonempty = |field: &str, n: Option<usize>| match n {
            Some(0) | None => Err(Invalid::required(
                format!("{at}.{field}"),
                "is required and must not be empty",
            )),
            Some(_) => Ok(()),
        };
        if let Some(u) = &self.update_text_elements {
            nonempty(
                "update_text_elements.elements",
                u.elements.as_ref().map(Vec::len),
            )?;
        }
        if let Some(u) = &self.update_text_style {
            nonempty("update_text_style.fields", u.fields.as_ref().map(Vec::len))?;
        }
        if let Some(u) = &self.update_text {
            nonempty("update_text.elements", u.elements.as_ref().map(Vec::len))?;
            nonempty("update_text.fields", u.fields.as_ref().map(Vec::len))?;
        }
        if let Some(w) = self
            .update_table_property
            .as_ref()
            .and_then(|p| p.column_width)
        {
            validate::range(
                &format!("{at}.update_table_property.column_width"),
                w,
                50,
                i64::MAX,
            )?;
        }
        if let Some(r) = &self.update_grid_column_width_ratio {
            validate::opt_count(
                &format!("{at}.update_grid_column_width_ratio.width_ratios"),
                r.width_ratios.as_deref(),
                1,
                99,
            )?;
        }
        Ok(())
    }
}

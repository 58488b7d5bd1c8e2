//! `column_set` and `column`: components side by side.

use serde::Serialize;

use super::element::Element;
use crate::Extra;

crate::wire_enum! {
    /// `flex_mode`: how columns adapt to a narrow screen.
    pub enum FlexMode {
        /// `none`: columns shrink in proportion (the default).
        None => "none",
        /// `stretch`: columns stack, each full width.
        Stretch => "stretch",
        /// `flow`: columns wrap to the next line.
        Flow => "flow",
        /// `bisect`: two equal columns per line.
        Bisect => "bisect",
        /// `trisect`: three equal columns per line.
        Trisect => "trisect",
    }
}

/// `column_set`: columns side by side.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ColumnSet {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `flex_mode`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flex_mode: Option<FlexMode>,
    /// `horizontal_spacing`: `small`, `medium`, `large`, `extra_large` or px.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizontal_spacing: Option<String>,
    /// `horizontal_align`: `left`, `center` or `right`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizontal_align: Option<String>,
    /// `background_style`: `default`, a colour name or RGBA.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_style: Option<String>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// `columns`.
    pub columns: Vec<Column>,
    /// Further properties (`action`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ColumnSet {
    /// A column set with no column yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `flex_mode`.
    pub fn flex_mode(mut self, mode: FlexMode) -> Self {
        self.flex_mode = Some(mode);
        self
    }

    /// Appends a column.
    pub fn column(mut self, column: Column) -> Self {
        self.columns.push(column);
        self
    }
}

/// `column`: one column of a [`ColumnSet`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(tag = "tag", rename = "column")]
pub struct Column {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `width`: `auto`, `weighted` (with `weight`) or px (16..=600).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// `weight`: the share of a `weighted` column, 1..=5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u8>,
    /// `vertical_align`: `top`, `center` or `bottom`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical_align: Option<String>,
    /// `background_style`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_style: Option<String>,
    /// `padding`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
    /// `elements`: the column's components (no `form`).
    pub elements: Vec<Element>,
    /// Further properties, written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Column {
    /// A column as wide as its content (`width: auto`).
    pub fn auto() -> Self {
        Column {
            width: Some("auto".into()),
            ..Default::default()
        }
    }

    /// A `weighted` column with `weight` (1..=5).
    pub fn weighted(weight: u8) -> Self {
        Column {
            width: Some("weighted".into()),
            weight: Some(weight),
            ..Default::default()
        }
    }

    /// Appends a component.
    pub fn element(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }
}

//! The interactive components of a card: `button` with its behaviours,
//! `form`, `input` and `select_static`.

use serde::Serialize;
use serde_json::Value;

use super::element::Element;
use super::CardText;
use crate::Extra;

crate::wire_enum! {
    /// `type` of a button: its style.
    pub enum ButtonType {
        /// `default`: black text, bordered.
        Default => "default",
        /// `primary`: blue text, bordered.
        Primary => "primary",
        /// `danger`: red text, bordered.
        Danger => "danger",
        /// `text`: black text, no border.
        Text => "text",
        /// `primary_text`: blue text, no border.
        PrimaryText => "primary_text",
        /// `danger_text`: red text, no border.
        DangerText => "danger_text",
        /// `primary_filled`: white on blue.
        PrimaryFilled => "primary_filled",
        /// `danger_filled`: white on red.
        DangerFilled => "danger_filled",
        /// `laser`: the laser style.
        Laser => "laser",
    }
}

crate::wire_enum! {
    /// `form_action_type` of a button inside a form.
    pub enum FormActionType {
        /// `submit`: sends the form's values in one callback.
        Submit => "submit",
        /// `reset`: clears the form.
        Reset => "reset",
    }
}

crate::wire_enum! {
    /// `input_type` of an input.
    pub enum InputType {
        /// `text`: one line.
        Text => "text",
        /// `multiline_text`: several lines.
        MultilineText => "multiline_text",
        /// `password`: masked.
        Password => "password",
    }
}

/// One entry of `behaviors`: what a click does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Behavior {
    /// `callback`: the app's card callback receives `value`.
    #[serde(rename = "callback")]
    Callback {
        /// `value`: what the callback carries back (an object or a string).
        value: Value,
    },
    /// `open_url`: opens a link, optionally one per platform.
    #[serde(rename = "open_url")]
    OpenUrl {
        /// `default_url`: the link when no platform link applies.
        default_url: String,
        /// `pc_url`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pc_url: Option<String>,
        /// `ios_url`.
        #[serde(skip_serializing_if = "Option::is_none")]
        ios_url: Option<String>,
        /// `android_url`.
        #[serde(skip_serializing_if = "Option::is_none")]
        android_url: Option<String>,
    },
    /// Any behaviour as raw JSON (its `type` included).
    #[serde(untagged)]
    Raw(Value),
}

/// `confirm`: a confirmation dialog before the action.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Confirm {
    /// `title` of the dialog.
    pub title: CardText,
    /// `text` of the dialog.
    pub text: CardText,
}

/// `button`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Button {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `name`: the button's id within a form (reported on submit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `text`: the label.
    pub text: CardText,
    /// `type`: the style (`default` when absent).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<ButtonType>,
    /// `size`: `tiny`, `small`, `medium` or `large`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<String>,
    /// `width`: `default`, `fill` or px.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// `confirm`: a dialog before the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm: Option<Confirm>,
    /// `behaviors`: what a click does (outside a form).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub behaviors: Vec<Behavior>,
    /// `form_action_type`: what the button does inside a form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub form_action_type: Option<FormActionType>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`icon`, `hover_tips`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Button {
    /// A button with a plain-text label and no action yet.
    pub fn new(text: impl Into<CardText>) -> Self {
        Button {
            element_id: None,
            name: None,
            text: text.into(),
            kind: None,
            size: None,
            width: None,
            disabled: None,
            confirm: None,
            behaviors: Vec::new(),
            form_action_type: None,
            margin: None,
            extra: Extra::new(),
        }
    }

    /// Sets the style.
    pub fn kind(mut self, kind: ButtonType) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Adds a `callback` behaviour carrying `value`.
    pub fn callback(mut self, value: impl Into<Value>) -> Self {
        self.behaviors.push(Behavior::Callback {
            value: value.into(),
        });
        self
    }

    /// Adds an `open_url` behaviour.
    pub fn open_url(mut self, url: impl Into<String>) -> Self {
        self.behaviors.push(Behavior::OpenUrl {
            default_url: url.into(),
            pc_url: None,
            ios_url: None,
            android_url: None,
        });
        self
    }

    /// Makes this the submit button of a form, named `name`.
    pub fn submit(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self.form_action_type = Some(FormActionType::Submit);
        self
    }

    /// Makes this the reset button of a form, named `name`.
    pub fn reset(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self.form_action_type = Some(FormActionType::Reset);
        self
    }

    /// Asks for confirmation first.
    pub fn confirm(mut self, title: impl Into<CardText>, text: impl Into<CardText>) -> Self {
        self.confirm = Some(Confirm {
            title: title.into(),
            text: text.into(),
        });
        self
    }
}

/// `form`: a container whose inputs are submitted together by a button
/// with [`FormActionType::Submit`]. Only at the body's top level.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Form {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `name`: the form's id, unique in the card.
    pub name: String,
    /// `direction`: `vertical` (default) or `horizontal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
    /// `padding`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub padding: Option<String>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// `elements`: the form's components (no `form`, no `table`).
    pub elements: Vec<Element>,
    /// Further properties (`vertical_spacing`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Form {
    /// A form named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Form {
            name: name.into(),
            ..Default::default()
        }
    }

    /// Appends a component.
    pub fn element(mut self, element: impl Into<Element>) -> Self {
        self.elements.push(element.into());
        self
    }
}

/// `input`: a text input.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Input {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `name`: the input's id (required and unique inside a form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `required`: must be filled before the form submits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// `placeholder`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<CardText>,
    /// `default_value`: pre-filled text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<String>,
    /// `width`: `default`, `fill` or px.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// `max_length`: 1..=1000 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// `input_type`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_type: Option<InputType>,
    /// `rows`: visible lines of a `multiline_text` input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<u32>,
    /// `label`: text before or above the input.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<CardText>,
    /// `label_position`: `top` or `left`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label_position: Option<String>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`behaviors`, `confirm`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Input {
    /// An input named `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Input {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    /// Sets the placeholder.
    pub fn placeholder(mut self, text: impl Into<CardText>) -> Self {
        self.placeholder = Some(text.into());
        self
    }

    /// Sets the label.
    pub fn label(mut self, text: impl Into<CardText>) -> Self {
        self.label = Some(text.into());
        self
    }

    /// Sets `required`.
    pub fn required(mut self, required: bool) -> Self {
        self.required = Some(required);
        self
    }
}

/// One option of a [`SelectStatic`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelectOption {
    /// `text`: what the user sees.
    pub text: CardText,
    /// `value`: what the callback reports (unique in the component).
    pub value: String,
    /// Further properties (`icon`), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `select_static`: a single-choice drop-down.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SelectStatic {
    /// `element_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element_id: Option<String>,
    /// `name`: the component's id (required and unique inside a form).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `required`: must be chosen before the form submits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// `disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disabled: Option<bool>,
    /// `type`: `default` (bordered) or `text`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `placeholder`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<CardText>,
    /// `initial_option`: the `value` chosen at first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub initial_option: Option<String>,
    /// `width`: `default`, `fill` or px.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub width: Option<String>,
    /// `options`.
    pub options: Vec<SelectOption>,
    /// `margin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub margin: Option<String>,
    /// Further properties (`behaviors`, `confirm`...), written as given.
    #[serde(flatten)]
    pub extra: Extra,
}

impl SelectStatic {
    /// A drop-down named `name` with no option yet.
    pub fn new(name: impl Into<String>) -> Self {
        SelectStatic {
            name: Some(name.into()),
            ..Default::default()
        }
    }

    /// Appends an option.
    pub fn option(mut self, text: impl Into<CardText>, value: impl Into<String>) -> Self {
        self.options.push(SelectOption {
            text: text.into(),
            value: value.into(),
            extra: Extra::new(),
        });
        self
    }

    /// Sets the placeholder.
    pub fn placeholder(mut self, text: impl Into<CardText>) -> Self {
        self.placeholder = Some(text.into());
        self
    }

    /// Sets `required`.
    pub fn required(mut self, required: bool) -> Self {
        self.required = Some(required);
        self
    }
}

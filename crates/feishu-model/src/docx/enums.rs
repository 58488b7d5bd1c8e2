//! The enums of the docx block model, each forward compatible: a value this
//! version does not list decodes to `Unknown` and encodes back unchanged.

crate::wire_int_enum! {
    /// `block_type`: the kind of a block, which names the payload field it carries.
    pub enum BlockType {
        /// `1`: the page (root) block; payload `page`.
        Page => 1,
        /// `2`: a text paragraph; payload `text`.
        Text => 2,
        /// `3`: heading level 1; payload `heading1`.
        Heading1 => 3,
        /// `4`: heading level 2; payload `heading2`.
        Heading2 => 4,
        /// `5`: heading level 3; payload `heading3`.
        Heading3 => 5,
        /// `6`: heading level 4; payload `heading4`.
        Heading4 => 6,
        /// `7`: heading level 5; payload `heading5`.
        Heading5 => 7,
        /// `8`: heading level 6; payload `heading6`.
        Heading6 => 8,
        /// `9`: heading level 7; payload `heading7`.
        Heading7 => 9,
        /// `10`: heading level 8; payload `heading8`.
        Heading8 => 10,
        /// `11`: heading level 9; payload `heading9`.
        Heading9 => 11,
        /// `12`: a bulleted list item; payload `bullet`.
        Bullet => 12,
        /// `13`: an ordered list item; payload `ordered`.
        Ordered => 13,
        /// `14`: a code block; payload `code`.
        Code => 14,
        /// `15`: a quote; payload `quote`.
        Quote => 15,
        /// `17`: a to-do item; payload `todo`.
        Todo => 17,
        /// `18`: an embedded bitable; payload `bitable`.
        Bitable => 18,
        /// `19`: a callout (highlight box); payload `callout`.
        Callout => 19,
        /// `20`: a chat card; payload `chat_card`.
        ChatCard => 20,
        /// `21`: a flowchart or UML diagram; payload `diagram`.
        Diagram => 21,
        /// `22`: a divider; payload `divider`.
        Divider => 22,
        /// `23`: a file; payload `file`.
        File => 23,
        /// `24`: a grid (columns); payload `grid`.
        Grid => 24,
        /// `25`: one column of a grid; payload `grid_column`.
        GridColumn => 25,
        /// `26`: an embedded web page; payload `iframe`.
        Iframe => 26,
        /// `27`: an image; payload `image`.
        Image => 27,
        /// `28`: an open-platform widget; payload `isv`.
        Isv => 28,
        /// `29`: a mind note; payload `mindnote`.
        Mindnote => 29,
        /// `30`: a spreadsheet; payload `sheet`.
        Sheet => 30,
        /// `31`: a table; payload `table`.
        Table => 31,
        /// `32`: a table cell; payload `table_cell`.
        TableCell => 32,
        /// `33`: a view; payload `view`.
        View => 33,
        /// `34`: a quote container; payload `quote_container`.
        QuoteContainer => 34,
        /// `35`: a task; payload `task`.
        Task => 35,
        /// `36`: an OKR; payload `okr`.
        Okr => 36,
        /// `37`: an OKR objective; payload `okr_objective`.
        OkrObjective => 37,
        /// `38`: an OKR key result; payload `okr_key_result`.
        OkrKeyResult => 38,
        /// `39`: OKR progress; payload `okr_progress`.
        OkrProgress => 39,
        /// `40`: a document widget (add-on); payload `add_ons`.
        AddOns => 40,
        /// `41`: a Jira issue; payload `jira_issue`.
        JiraIssue => 41,
        /// `42`: a wiki sub-catalog; payload `wiki_catalog`.
        WikiCatalog => 42,
        /// `43`: a board (whiteboard); payload `board`.
        Board => 43,
        /// `44`: an agenda; payload `agenda`.
        Agenda => 44,
        /// `45`: an agenda item; payload `agenda_item`.
        AgendaItem => 45,
        /// `46`: an agenda item's title; payload `agenda_item_title`.
        AgendaItemTitle => 46,
        /// `47`: an agenda item's content; payload `agenda_item_content`.
        AgendaItemContent => 47,
        /// `48`: a link preview; payload `link_preview`.
        LinkPreview => 48,
        /// `999`: a block kind the API does not support; payload `undefined`.
        Undefined => 999,
    }
}

crate::wire_int_enum! {
    /// `align`: horizontal alignment of a paragraph, image, card or board.
    pub enum Align {
        /// `1`: left.
        Left => 1,
        /// `2`: centre.
        Center => 2,
        /// `3`: right.
        Right => 3,
    }
}

crate::wire_int_enum! {
    /// `language`: the language of a code block.
    pub enum CodeLanguage {
        /// `1`
        PlainText => 1,
        /// `2`
        Abap => 2,
        /// `3`
        Ada => 3,
        /// `4`
        Apache => 4,
        /// `5`
        Apex => 5,
        /// `6`
        AssemblyLanguage => 6,
        /// `7`
        Bash => 7,
        /// `8`
        CSharp => 8,
        /// `9`: C++.
        Cpp => 9,
        /// `10`
        C => 10,
        /// `11`
        Cobol => 11,
        /// `12`
        Css => 12,
        /// `13`
        CoffeeScript => 13,
        /// `14`
        D => 14,
        /// `15`
        Dart => 15,
        /// `16`
        Delphi => 16,
        /// `17`
        Django => 17,
        /// `18`
        Dockerfile => 18,
        /// `19`
        Erlang => 19,
        /// `20`
        Fortran => 20,
        /// `21`
        FoxPro => 21,
        /// `22`
        Go => 22,
        /// `23`
        Groovy => 23,
        /// `24`
        Html => 24,
        /// `25`
        HtmlBars => 25,
        /// `26`
        Http => 26,
        /// `27`
        Haskell => 27,
        /// `28`
        Json => 28,
        /// `29`
        Java => 29,
        /// `30`
        JavaScript => 30,
        /// `31`
        Julia => 31,
        /// `32`
        Kotlin => 32,
        /// `33`
        Latex => 33,
        /// `34`
        Lisp => 34,
        /// `35`
        Logo => 35,
        /// `36`
        Lua => 36,
        /// `37`
        Matlab => 37,
        /// `38`
        Makefile => 38,
        /// `39`
        Markdown => 39,
        /// `40`
        Nginx => 40,
        /// `41`
        ObjectiveC => 41,
        /// `42`
        OpenEdgeAbl => 42,
        /// `43`
        Php => 43,
        /// `44`
        Perl => 44,
        /// `45`
        PostScript => 45,
        /// `46`
        PowerShell => 46,
        /// `47`
        Prolog => 47,
        /// `48`
        ProtoBuf => 48,
        /// `49`
        Python => 49,
        /// `50`
        R => 50,
        /// `51`
        Rpg => 51,
        /// `52`
        Ruby => 52,
        /// `53`
        Rust => 53,
        /// `54`
        Sas => 54,
        /// `55`
        Scss => 55,
        /// `56`
        Sql => 56,
        /// `57`
        Scala => 57,
        /// `58`
        Scheme => 58,
        /// `59`
        Scratch => 59,
        /// `60`
        Shell => 60,
        /// `61`
        Swift => 61,
        /// `62`
        Thrift => 62,
        /// `63`
        TypeScript => 63,
        /// `64`
        VbScript => 64,
        /// `65`
        VisualBasic => 65,
        /// `66`
        Xml => 66,
        /// `67`
        Yaml => 67,
        /// `68`
        CMake => 68,
        /// `69`
        Diff => 69,
        /// `70`
        Gherkin => 70,
        /// `71`
        GraphQl => 71,
        /// `72`: OpenGL Shading Language.
        Glsl => 72,
        /// `73`
        Properties => 73,
        /// `74`
        Solidity => 74,
        /// `75`
        Toml => 75,
    }
}

crate::wire_enum! {
    /// `background_color` of a block's text style.
    pub enum BlockBackground {
        /// Light grey.
        LightGray => "LightGrayBackground",
        /// Light red.
        LightRed => "LightRedBackground",
        /// Light orange.
        LightOrange => "LightOrangeBackground",
        /// Light yellow.
        LightYellow => "LightYellowBackground",
        /// Light green.
        LightGreen => "LightGreenBackground",
        /// Light blue.
        LightBlue => "LightBlueBackground",
        /// Light purple.
        LightPurple => "LightPurpleBackground",
        /// Medium grey.
        PaleGray => "PaleGrayBackground",
        /// Grey.
        DarkGray => "DarkGrayBackground",
        /// Medium red.
        DarkRed => "DarkRedBackground",
        /// Medium orange.
        DarkOrange => "DarkOrangeBackground",
        /// Medium yellow.
        DarkYellow => "DarkYellowBackground",
        /// Medium green.
        DarkGreen => "DarkGreenBackground",
        /// Medium blue.
        DarkBlue => "DarkBlueBackground",
        /// Medium purple.
        DarkPurple => "DarkPurpleBackground",
    }
}

crate::wire_enum! {
    /// `indentation_level`: first-line indentation of a text block.
    pub enum IndentationLevel {
        /// No indentation.
        NoIndent => "NoIndent",
        /// One level.
        OneLevelIndent => "OneLevelIndent",
    }
}

crate::wire_int_enum! {
    /// A font or border colour: `text_color` of a text element or callout,
    /// `border_color` of a callout.
    pub enum FontColor {
        /// `1`
        Red => 1,
        /// `2`
        Orange => 2,
        /// `3`
        Yellow => 3,
        /// `4`
        Green => 4,
        /// `5`
        Blue => 5,
        /// `6`
        Purple => 6,
        /// `7`
        Gray => 7,
    }
}

crate::wire_int_enum! {
    /// A highlight colour: `background_color` of a text element or callout.
    /// Values 8 to 13 are the medium shades (a text element's page calls
    /// them plain red ... purple).
    pub enum HighlightColor {
        /// `1`
        LightRed => 1,
        /// `2`
        LightOrange => 2,
        /// `3`
        LightYellow => 3,
        /// `4`
        LightGreen => 4,
        /// `5`
        LightBlue => 5,
        /// `6`
        LightPurple => 6,
        /// `7`: medium grey.
        PaleGray => 7,
        /// `8`
        Red => 8,
        /// `9`
        Orange => 9,
        /// `10`
        Yellow => 10,
        /// `11`
        Green => 11,
        /// `12`
        Blue => 12,
        /// `13`
        Purple => 13,
        /// `14`
        Gray => 14,
        /// `15`
        LightGray => 15,
    }
}

crate::wire_int_enum! {
    /// `obj_type`: the kind of a mentioned cloud document.
    pub enum DocObjType {
        /// `1`
        Doc => 1,
        /// `3`
        Sheet => 3,
        /// `8`
        Bitable => 8,
        /// `11`
        MindNote => 11,
        /// `12`
        File => 12,
        /// `15`
        Slide => 15,
        /// `16`
        Wiki => 16,
        /// `22`
        Docx => 22,
    }
}

crate::wire_int_enum! {
    /// `iframe_type`: the site an iframe block embeds.
    pub enum IframeType {
        /// `1`: Bilibili.
        Bilibili => 1,
        /// `2`: Xigua video.
        Xigua => 2,
        /// `3`: Youku.
        Youku => 3,
        /// `4`
        Airtable => 4,
        /// `5`: Baidu maps.
        BaiduMap => 5,
        /// `6`: Amap.
        Amap => 6,
        /// `7`: undefined.
        Undefined7 => 7,
        /// `8`
        Figma => 8,
        /// `9`: Modao.
        Modao => 9,
        /// `10`
        Canva => 10,
        /// `11`
        CodePen => 11,
        /// `12`: Feishu survey.
        FeishuSurvey => 12,
        /// `13`: Jinshuju.
        Jinshuju => 13,
        /// `14`: undefined.
        Undefined14 => 14,
        /// `15`: undefined.
        Undefined15 => 15,
        /// `99`: another site.
        Other => 99,
    }
}

crate::wire_int_enum! {
    /// `diagram_type` of a diagram block.
    pub enum DiagramType {
        /// `1`: flowchart.
        Flowchart => 1,
        /// `2`: UML.
        Uml => 2,
    }
}

crate::wire_int_enum! {
    /// `view_type` of a file or view block.
    pub enum ViewType {
        /// `1`: card view.
        Card => 1,
        /// `2`: preview view.
        Preview => 2,
        /// `3`: inline view (view blocks only).
        Inline => 3,
    }
}

crate::wire_int_enum! {
    /// `view_type` of a bitable block being created.
    pub enum BitableViewType {
        /// `1`: data table.
        Table => 1,
        /// `2`: kanban.
        Kanban => 2,
    }
}

crate::wire_enum! {
    /// `period_display_status` of an OKR block.
    pub enum OkrPeriodStatus {
        /// Default.
        Default => "default",
        /// Normal.
        Normal => "normal",
        /// Invalid.
        Invalid => "invalid",
        /// Hidden.
        Hidden => "hidden",
    }
}

crate::wire_enum! {
    /// `mode` of an OKR progress rate.
    pub enum OkrProgressMode {
        /// Simple mode.
        Simple => "simple",
        /// Advanced mode.
        Advanced => "advanced",
    }
}

crate::wire_enum! {
    /// `progress_status` of an OKR progress rate.
    pub enum OkrProgressStatus {
        /// Not set.
        Unset => "unset",
        /// Normal.
        Normal => "normal",
        /// At risk.
        Risk => "risk",
        /// Extended (late).
        Extended => "extended",
    }
}

crate::wire_enum! {
    /// `status_type` of an OKR progress rate.
    pub enum OkrStatusType {
        /// Shown as the riskiest key result's status.
        Default => "default",
        /// Custom.
        Custom => "custom",
    }
}

crate::wire_enum! {
    /// `url_type` of a link preview block.
    pub enum LinkUrlType {
        /// A message link.
        MessageLink => "MessageLink",
        /// Undefined.
        Undefined => "Undefined",
    }
}

crate::wire_int_enum! {
    /// `fields` of a text-style update: which style fields to change.
    pub enum TextStyleField {
        /// `1`: alignment.
        Align => 1,
        /// `2`: to-do done state (todo and task blocks).
        Done => 2,
        /// `3`: folded state.
        Folded => 3,
        /// `4`: code language (code blocks).
        Language => 4,
        /// `5`: code wrapping (code blocks).
        Wrap => 5,
        /// `6`: block background colour.
        BackgroundColor => 6,
        /// `7`: first-line indentation (text blocks).
        IndentationLevel => 7,
    }
}

crate::wire_enum! {
    /// `announcement_type`: whether a chat has the upgraded or the legacy announcement.
    pub enum AnnouncementType {
        /// `docx`: the upgraded (block) announcement.
        Docx => "docx",
        /// `doc`: the legacy announcement.
        Doc => "doc",
    }
}

//! `msg_type`: the kind of a message, shared by every messaging endpoint,
//! the message content types and the message events.

crate::wire_enum! {
    /// `msg_type`: what a message's `content` holds.
    pub enum MsgType {
        /// `text`: plain text, with `<at>` mentions.
        Text => "text",
        /// `post`: rich text, per language.
        Post => "post",
        /// `image`: an uploaded image, by `image_key`.
        Image => "image",
        /// `file`: an uploaded file, by `file_key`.
        File => "file",
        /// `audio`: an uploaded audio file.
        Audio => "audio",
        /// `media`: an uploaded video, with an optional cover image.
        Media => "media",
        /// `sticker`: a sticker.
        Sticker => "sticker",
        /// `interactive`: a card.
        Interactive => "interactive",
        /// `share_chat`: a group's card (valid 7 days).
        ShareChat => "share_chat",
        /// `share_user`: a person's card.
        ShareUser => "share_user",
        /// `system`: a system message (one-to-one bot chats only).
        System => "system",
        /// `merge_forward`: several messages forwarded as one (received only).
        MergeForward => "merge_forward",
        /// `location`: a location (received only).
        Location => "location",
        /// `video_chat`: a video call (received only).
        VideoChat => "video_chat",
        /// `todo`: a task (received only).
        Todo => "todo",
        /// `vote`: a vote (received only).
        Vote => "vote",
        /// `hongbao`: a red packet (received only).
        Hongbao => "hongbao",
        /// `share_calendar_event`: a calendar event (received only).
        ShareCalendarEvent => "share_calendar_event",
        /// `calendar`: a calendar invitation (received only).
        Calendar => "calendar",
        /// `general_calendar`: a calendar notice (received only).
        GeneralCalendar => "general_calendar",
        /// `folder`: a folder (received only).
        Folder => "folder",
    }
}

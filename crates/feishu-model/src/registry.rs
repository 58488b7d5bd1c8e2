//! Every endpoint of the crate in one list, so that tools which must handle
//! all of them (the conformance runner, an emulator, a router) bind operation
//! ids to types in one place instead of one hand-written arm each.

use crate::{Endpoint, Method, RateLimit, TokenKind};

/// Calls the macro `$callback` with the path of every endpoint type,
/// comma-separated. Extra tokens before a `;` are passed through first.
///
/// ```
/// macro_rules! count {
///     ($($ty:path),* $(,)?) => { [$(<$ty as feishu_model::Endpoint>::OPERATION),*].len() };
/// }
/// assert_eq!(feishu_model::for_each_endpoint!(count), 83);
/// ```
#[macro_export]
macro_rules! for_each_endpoint {
    ($callback:ident $(, $($pass:tt)*)?) => {
        $callback! { $($($pass)* ;)?
            $crate::auth::TenantAccessTokenInternal,
            $crate::auth::TenantAccessToken,
            $crate::auth::AppAccessTokenInternal,
            $crate::auth::AppAccessToken,
            $crate::auth::AppTicketResend,
            $crate::im::chat::CreateChat,
            $crate::im::chat::DeleteChat,
            $crate::im::chat::UpdateChat,
            $crate::im::chat::GetChat,
            $crate::im::chat::ListChats,
            $crate::im::chat::SearchChats,
            $crate::im::chat::GetChatLink,
            $crate::im::moderation::GetChatModeration,
            $crate::im::moderation::UpdateChatModeration,
            $crate::im::top_notice::PutTopNotice,
            $crate::im::top_notice::DeleteTopNotice,
            $crate::im::members::AddMembers,
            $crate::im::members::RemoveMembers,
            $crate::im::members::MeJoin,
            $crate::im::members::ListMembers,
            $crate::im::members::IsInChat,
            $crate::im::managers::AddManagers,
            $crate::im::managers::DeleteManagers,
            $crate::im::announcement::GetAnnouncement,
            $crate::im::announcement::PatchAnnouncement,
            $crate::im::tab::CreateChatTabs,
            $crate::im::tab::UpdateChatTabs,
            $crate::im::tab::SortChatTabs,
            $crate::im::tab::ListChatTabs,
            $crate::im::tab::DeleteChatTabs,
            $crate::im::menu::CreateChatMenuTree,
            $crate::im::menu::GetChatMenuTree,
            $crate::im::menu::DeleteChatMenuTree,
            $crate::im::menu::SortChatMenuTree,
            $crate::im::menu::PatchChatMenuItem,
            $crate::apaas::user_task::UserTaskChatGroup,
            $crate::apaas::user_task::UserTaskQuery,
            $crate::apaas::approval_task::ApprovalTaskAgree,
            $crate::apaas::approval_task::ApprovalTaskReject,
            $crate::apaas::approval_task::ApprovalTaskTransfer,
            $crate::apaas::approval_task::ApprovalTaskAddAssignee,
            $crate::apaas::user_task::UserTaskCc,
            $crate::apaas::user_task::UserTaskExpediting,
            $crate::apaas::approval_instance::ApprovalInstanceCancel,
            $crate::apaas::user_task::UserTaskRollbackPoints,
            $crate::apaas::user_task::UserTaskRollback,
            $crate::docx::GetAnnouncementDoc,
            $crate::docx::ListAnnouncementBlocks,
            $crate::docx::GetAnnouncementBlock,
            $crate::docx::GetAnnouncementBlockChildren,
            $crate::docx::CreateAnnouncementBlockChildren,
            $crate::docx::BatchUpdateAnnouncementBlocks,
            $crate::docx::BatchDeleteAnnouncementBlockChildren,
            // Messages and message cards.
            $crate::im::message::send::CreateMessage,
            $crate::im::message::send::ReplyMessage,
            $crate::im::message::edit::UpdateMessage,
            $crate::im::message::edit::DeleteMessage,
            $crate::im::message::edit::PushFollowUp,
            $crate::im::message::read::GetMessage,
            $crate::im::message::read::ListMessages,
            $crate::im::message::read::ReadUsers,
            $crate::im::message::forward::ForwardMessage,
            $crate::im::message::forward::MergeForward,
            $crate::im::message::forward::ForwardThread,
            $crate::im::message::resource::GetMessageResource,
            $crate::im::card::PatchCard,
            $crate::im::card::SendEphemeralCard,
            $crate::im::card::DeleteEphemeralCard,
            $crate::im::card::UpdateCard,
            // Messaging: reactions, pins, buzz, images and files.
            $crate::im::reaction::CreateReaction,
            $crate::im::reaction::DeleteReaction,
            $crate::im::reaction::ListReactions,
            $crate::im::reaction::BatchQueryReactions,
            $crate::im::pin::CreatePin,
            $crate::im::pin::DeletePin,
            $crate::im::pin::ListPins,
            $crate::im::buzz::UrgentApp,
            $crate::im::buzz::UrgentSms,
            $crate::im::buzz::UrgentPhone,
            $crate::im::image::UploadImage,
            $crate::im::image::GetImage,
            $crate::im::file::UploadFile,
            $crate::im::file::GetFile,
        }
    };
}

/// The static description of one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointInfo {
    /// Operation id.
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template with `:params`.
    pub path: &'static str,
    /// Accepted token kinds.
    pub tokens: &'static [TokenKind],
    /// Documented rate-limit class.
    pub rate_limit: RateLimit,
    /// Documentation page.
    pub doc: &'static str,
}

impl EndpointInfo {
    /// The description of endpoint `E`.
    pub const fn of<E: Endpoint>() -> Self {
        EndpointInfo {
            operation: E::OPERATION,
            method: E::METHOD,
            path: E::PATH,
            tokens: E::TOKENS,
            rate_limit: E::RATE_LIMIT,
            doc: E::DOC,
        }
    }

    /// Matches a request path against the template; on a match, returns the
    /// path parameters (still percent-encoded) in template order.
    pub fn match_path<'p>(&self, path: &'p str) -> Option<Vec<(&'static str, &'p str)>> {
        let mut params = Vec::new();
        let mut want = self.path.split('/');
        let mut got = path.split('/');
        loop {
            match (want.next(), got.next()) {
                (None, None) => return Some(params),
                (Some(w), Some(g)) => match w.strip_prefix(':') {
                    Some(name) if !g.is_empty() => params.push((name, g)),
                    Some(_) => return None,
                    None if w == g => {}
                    None => return None,
                },
                _ => return None,
            }
        }
    }
}

macro_rules! infos {
    ($($ty:path),* $(,)?) => { &[$(EndpointInfo::of::<$ty>()),*] };
}

/// Every endpoint of the crate.
pub const ENDPOINTS: &[EndpointInfo] = for_each_endpoint!(infos);

/// The endpoint with this operation id.
pub fn find(operation: &str) -> Option<&'static EndpointInfo> {
    ENDPOINTS.iter().find(|e| e.operation == operation)
}

/// The endpoint a request addresses, with its path parameters. Static
/// segments win over parameters (`/chats/search` is search, not get).
pub fn route(
    method: Method,
    path: &str,
) -> Option<(&'static EndpointInfo, Vec<(&'static str, &str)>)> {
    ENDPOINTS
        .iter()
        .filter(|e| e.method == method)
        .filter_map(|e| e.match_path(path).map(|params| (e, params)))
        .min_by_key(|(_, params)| params.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Family;

    macro_rules! families {
        ($($ty:path),* $(,)?) => {
            &[$((<$ty as Endpoint>::OPERATION, <$ty as Endpoint>::FAMILY)),*]
        };
    }

    #[test]
    fn every_endpoint_belongs_to_the_family_its_operation_names() {
        let all: &[(&str, Family)] = crate::for_each_endpoint!(families);
        assert_eq!(all.len(), ENDPOINTS.len());
        for (operation, family) in all {
            // The card endpoints outside `im.` (ephemeral cards, delayed
            // updates) are messaging endpoints that answer im's codes.
            let prefixes: &[&str] = match family {
                Family::Auth => &["auth."],
                Family::Im => &["im.", "ephemeral.", "interactive."],
                Family::Apaas => &["apaas."],
                Family::Docx => &["docx."],
            };
            assert!(
                prefixes.iter().any(|p| operation.starts_with(p)),
                "{operation}: {family:?}"
            );
        }
        for family in [Family::Auth, Family::Im, Family::Apaas, Family::Docx] {
            assert!(
                all.iter().any(|(_, f)| *f == family),
                "{family:?} is unused"
            );
        }
    }

    #[test]
    fn every_operation_id_is_unique_and_findable() {
        let mut ids: Vec<_> = ENDPOINTS.iter().map(|e| e.operation).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ENDPOINTS.len());
        assert_eq!(
            find("im.v1.chat.get").map(|e| e.path),
            Some("/open-apis/im/v1/chats/:chat_id")
        );
    }

    #[test]
    fn routing_prefers_static_segments() {
        let (search, params) = route(Method::Get, "/open-apis/im/v1/chats/search").unwrap();
        assert_eq!(search.operation, "im.v1.chat.search");
        assert!(params.is_empty());
        let (get, params) = route(Method::Get, "/open-apis/im/v1/chats/oc_1").unwrap();
        assert_eq!(get.operation, "im.v1.chat.get");
        assert_eq!(params, vec![("chat_id", "oc_1")]);
        assert!(route(Method::Get, "/open-apis/im/v1/nothing").is_none());
    }
}

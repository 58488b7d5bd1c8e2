//! Known error codes as named constants, each with the class that tells a
//! client what to do about it.

/// Success.
pub const OK: i64 = 0;
/// `request trigger frequency limit`: the API's rate limit was hit.
pub const RATE_LIMITED: i64 = 99991400;
/// `Need a token`: the request carried no token.
pub const NEED_TOKEN: i64 = 99991661;
/// `app not in use`.
pub const APP_NOT_IN_USE: i64 = 99991662;
/// `Invalid access token for authorization`: tenant token expired or not accepted.
pub const INVALID_ACCESS_TOKEN: i64 = 99991663;
/// `invalid app token`.
pub const INVALID_APP_TOKEN: i64 = 99991664;
/// `invalid tenant code`: tenant token invalid.
pub const INVALID_TENANT_TOKEN: i64 = 99991665;
/// user_access_token invalid or not supported by the API.
pub const INVALID_USER_TOKEN: i64 = 99991668;
/// `invalid user refresh token`.
pub const INVALID_USER_REFRESH_TOKEN: i64 = 99991669;
/// `Invalid token: must start with t-/u-`.
pub const MALFORMED_TOKEN: i64 = 99991671;
/// `Access denied. One of the following scopes is required`.
pub const MISSING_SCOPE: i64 = 99991672;
/// `unauthorized app`.
pub const UNAUTHORIZED_APP: i64 = 99991673;
/// `token no permission`.
pub const TOKEN_NO_PERMISSION: i64 = 99991676;
/// `token expire`: the user token expired.
pub const USER_TOKEN_EXPIRED: i64 = 99991677;
/// The user has not granted the scope.
pub const USER_NOT_AUTHORIZED: i64 = 99991679;
/// `internal error`.
pub const INTERNAL_ERROR_1500: i64 = 1500;
/// `internal error`, often under load.
pub const INTERNAL_ERROR_2200: i64 = 2200;
/// `internal error`: reduce the call rate and retry later.
pub const INTERNAL_ERROR_5000: i64 = 5000;
/// `internal error`.
pub const INTERNAL_ERROR_10101: i64 = 10101;
/// `internal server error`.
pub const INTERNAL_SERVER_ERROR: i64 = 10500;
/// `get app access token fail`.
pub const GET_APP_TOKEN_FAILED: i64 = 10012;
/// `get tenant access token fail`.
pub const GET_TENANT_TOKEN_FAILED: i64 = 10013;
/// `app unauthorized`: the app is disabled.
pub const APP_UNAUTHORIZED: i64 = 10014;
/// `wrong app secret`.
pub const WRONG_APP_SECRET: i64 = 10015;
/// `app resend fail`: only marketplace apps can resend the app_ticket.
pub const APP_TICKET_RESEND_FAILED: i64 = 10016;
/// Group APIs: `The request has been rate limited.` (also produced by
/// concurrent member writes to one chat).
pub const GROUP_RATE_LIMITED: i64 = 232019;
/// Group APIs: internal error.
pub const GROUP_INTERNAL_ERROR: i64 = 232001;
/// aPaaS: `param is invalid`.
pub const APAAS_PARAM_INVALID: i64 = 2320001;
/// Group APIs: `Your request contains an invalid request parameter.` (what
/// the documentation gives for 232001; [`GROUP_INTERNAL_ERROR`] is the same code).
pub const GROUP_PARAM_INVALID: i64 = 232001;
/// Group APIs: only the owner or a manager may edit the chat's information now.
pub const GROUP_NO_EDIT_PERMISSION: i64 = 232002;
/// Group APIs: the chat has no announcement.
pub const GROUP_ANNOUNCEMENT_NOT_FOUND: i64 = 232003;
/// Group APIs: the chat_id is invalid.
pub const GROUP_INVALID_CHAT_ID: i64 = 232006;
/// Group APIs: the chat's type is not supported here (a private chat to join, a p2p chat).
pub const GROUP_CHAT_TYPE_UNSUPPORTED: i64 = 232008;
/// Group APIs: the chat was disbanded.
pub const GROUP_CHAT_DISSOLVED: i64 = 232009;
/// Group APIs: the operator and the chat are in different tenants.
pub const GROUP_OPERATOR_OTHER_TENANT: i64 = 232010;
/// Group APIs: the operator is not in the chat.
pub const GROUP_OPERATOR_NOT_IN_CHAT: i64 = 232011;
/// Group APIs: the new owner is not in the chat.
pub const GROUP_NEW_OWNER_NOT_IN_CHAT: i64 = 232012;
/// Group APIs: the chat has reached its most members.
pub const GROUP_MEMBER_LIMIT: i64 = 232013;
/// Group APIs: the token lacks the permission the call needs.
pub const GROUP_TOKEN_NO_PERMISSION: i64 = 232014;
/// Group APIs: the member_id_type is not supported.
pub const GROUP_MEMBER_ID_TYPE_UNSUPPORTED: i64 = 232015;
/// Group APIs: members who are neither owner nor manager may edit only some settings.
pub const GROUP_LIMITED_EDIT: i64 = 232016;
/// Group APIs: the operator is neither the owner nor the creator with the scope.
pub const GROUP_NOT_OWNER_OR_CREATOR: i64 = 232017;
/// Group APIs: updating the announcement failed.
pub const GROUP_ANNOUNCEMENT_UPDATE_FAILED: i64 = 232018;
/// Group APIs: a public chat's name needs at least two characters.
pub const GROUP_PUBLIC_NAME_TOO_SHORT: i64 = 232020;
/// Group APIs: the bot cannot be found.
pub const GROUP_BOT_NOT_FOUND: i64 = 232021;
/// Group APIs: the user has resigned.
pub const GROUP_USER_RESIGNED: i64 = 232022;
/// Group APIs: the app's bot ability is not activated.
pub const GROUP_BOT_NOT_ACTIVATED: i64 = 232025;
/// Group APIs: no id in the list names a valid member.
pub const GROUP_NO_VALID_MEMBERS: i64 = 232027;
/// Group APIs: external members cannot join an internal chat.
pub const GROUP_EXTERNAL_MEMBER: i64 = 232028;
/// Group APIs: the user id is invalid.
pub const GROUP_INVALID_USER_ID: i64 = 232030;
/// Group APIs: the chat and the new owner are in different tenants.
pub const GROUP_NEW_OWNER_OTHER_TENANT: i64 = 232031;
/// Group APIs: the creator and the designated owner are in different tenants.
pub const GROUP_CREATOR_OWNER_OTHER_TENANT: i64 = 232032;
/// Group APIs: managing external chats needs a scope the operator or bots lack.
pub const GROUP_EXTERNAL_CHAT_NO_SCOPE: i64 = 232033;
/// Group APIs: the app is unavailable or not activated in the tenant.
pub const GROUP_APP_UNAVAILABLE: i64 = 232034;
/// Group APIs: the chat's announcement is upgraded (docx); the legacy API cannot operate it.
pub const GROUP_ANNOUNCEMENT_IS_DOCX: i64 = 232097;
/// Group APIs: the calling app does not exist (it was deleted).
pub const GROUP_APP_NOT_EXIST: i64 = 232004;
/// Group APIs: the operator's tenant may not use restricted mode.
pub const GROUP_RESTRICTED_MODE_NOT_ALLOWED: i64 = 232057;
/// Group APIs: the tenant's security policy allows no public chats.
pub const GROUP_PUBLIC_NOT_ALLOWED: i64 = 232091;
/// Group APIs: the owner_id is invalid.
pub const GROUP_INVALID_OWNER_ID: i64 = 232035;
/// Group APIs: the operator is not the chat's owner.
pub const GROUP_OPERATOR_NOT_OWNER: i64 = 232038;
/// Group APIs: the chat has reached its most managers.
pub const GROUP_MANAGER_LIMIT: i64 = 232040;
/// Group APIs: a public chat's name must not be empty.
pub const GROUP_PUBLIC_NAME_EMPTY: i64 = 232042;
/// Group APIs: the request holds unavailable ids.
pub const GROUP_UNAVAILABLE_IDS: i64 = 232043;
/// Group APIs: the chat has reached its most tabs.
pub const GROUP_TAB_LIMIT: i64 = 232046;
/// Group APIs: the tab name is too long.
pub const GROUP_TAB_NAME_TOO_LONG: i64 = 232047;
/// Group APIs: the tab content is illegal (a URL must start with http or https).
pub const GROUP_TAB_CONTENT_ILLEGAL: i64 = 232048;
/// Group APIs: `The chat tab content is illegal.`: only doc and url tabs can be updated or deleted.
pub const GROUP_TAB_TYPE_NOT_WRITABLE: i64 = 232049;
/// Group APIs: the chat's mode does not support tabs.
pub const GROUP_TAB_CHAT_TYPE_UNSUPPORTED: i64 = 232050;
/// Group APIs: the operator may not manage tabs, menus and widgets.
pub const GROUP_NO_WIDGET_PERMISSION: i64 = 232055;
/// Group APIs: a p2p chat has no share link.
pub const GROUP_P2P_NO_SHARE_LINK: i64 = 232062;
/// Group APIs: only the owner and managers may share this chat.
pub const GROUP_NO_SHARE_PERMISSION: i64 = 232064;
/// Group APIs: the chat has reached its most top-level menus.
pub const GROUP_TOP_MENU_LIMIT: i64 = 232070;
/// Group APIs: a top-level menu has reached its most second-level menus.
pub const GROUP_SECOND_MENU_LIMIT: i64 = 232071;
/// Group APIs: the top-level menu ids to sort differ from the chat's.
pub const GROUP_MENU_SORT_INVALID: i64 = 232072;
/// Group APIs: joining the public chat needs approval, so the API may not join it.
pub const GROUP_JOIN_NEEDS_APPROVAL: i64 = 232075;
/// Group APIs: the owner cannot be removed.
pub const GROUP_CANNOT_REMOVE_OWNER: i64 = 232076;
/// Group APIs: the chat menu is illegal.
pub const GROUP_MENU_ILLEGAL: i64 = 232078;
/// Group APIs: the chat type does not support the operation.
pub const GROUP_UNSUPPORTED_CHAT_TYPE: i64 = 232090;
/// Docx: `invalid param`.
pub const DOCX_PARAM_INVALID: i64 = 1770001;
/// Docx: `not found`.
pub const DOCX_NOT_FOUND: i64 = 1770002;
/// Docx: `too old document`: the revision is too far behind the latest.
pub const DOCX_TOO_OLD_DOCUMENT: i64 = 1770021;
/// Docx: `operation and block not match`.
pub const DOCX_OPERATION_BLOCK_MISMATCH: i64 = 1770025;
/// Docx: `block not support create children`.
pub const DOCX_BLOCK_NO_CHILDREN: i64 = 1770028;
/// Docx: `block not support to create`.
pub const DOCX_BLOCK_NOT_CREATABLE: i64 = 1770029;
/// Docx: `block not support to delete children`.
pub const DOCX_BLOCK_NO_DELETE_CHILDREN: i64 = 1770031;
/// Docx: `forbidden`: the caller may not read or edit the document.
pub const DOCX_FORBIDDEN: i64 = 1770032;
/// Docx: `server internal error`.
pub const DOCX_SERVER_ERROR: i64 = 1771001;
/// Docx: `gateway marshal error`.
pub const DOCX_GATEWAY_MARSHAL_ERROR: i64 = 1771003;
/// Docx: the operator and the chat are in different tenants.
pub const DOCX_OPERATOR_OTHER_TENANT: i64 = 1772002;
/// Docx: the operator is not in the chat.
pub const DOCX_OPERATOR_NOT_IN_CHAT: i64 = 1772003;
/// Docx: managing external chats needs a scope the operator or bots lack.
pub const DOCX_EXTERNAL_CHAT_NO_SCOPE: i64 = 1772004;
/// Docx: the chat has no announcement (a p2p chat).
pub const DOCX_ANNOUNCEMENT_NOT_FOUND: i64 = 1772001;
/// Docx: the chat's announcement is of the legacy type, which this API does not serve.
pub const DOCX_ANNOUNCEMENT_TYPE_UNSUPPORTED: i64 = 1772006;
/// Docx: only the owner or a manager may edit the chat's information now.
pub const DOCX_NO_EDIT_PERMISSION: i64 = 1772005;
/// Docx: the app's bot ability is not activated.
pub const DOCX_BOT_NOT_ACTIVATED: i64 = 1772025;
/// Docx: the app is unavailable or not activated in the tenant.
pub const DOCX_APP_UNAVAILABLE: i64 = 1772034;
/// Auth and contact: `invalid param`: a token request's parameter is missing or wrong.
pub const AUTH_PARAM_INVALID: i64 = 10003;
/// Auth and contact: `these open ids not existed`.
pub const OPEN_IDS_NOT_FOUND: i64 = 99992351;
/// Auth and contact: `these ids not existed` (user ids).
pub const USER_IDS_NOT_FOUND: i64 = 99992360;
/// Auth and contact: `these ids not existed` (union ids).
pub const UNION_IDS_NOT_FOUND: i64 = 99992364;

// ---------------------------------------------------------------------------
// Messages and message cards (im v1 message, ephemeral v1, interactive v1).
// The same code can mean different things on different message endpoints;
// each constant is named for its most common meaning and lists the others.

/// Messages: `Your request contains an invalid request parameter.`
pub const MESSAGE_INVALID_PARAM: i64 = 230001;
/// Messages: `The bot can not be outside the group.` (push_follow_up:
/// `expired message`, the message is older than 600 seconds).
pub const MESSAGE_BOT_NOT_IN_CHAT: i64 = 230002;
/// push_follow_up: `only support p2p chat`.
pub const FOLLOW_UP_ONLY_P2P: i64 = 230003;
/// push_follow_up: `invisible message`.
pub const FOLLOW_UP_INVISIBLE_MESSAGE: i64 = 230004;
/// push_follow_up: `user is not visible to bot`.
pub const FOLLOW_UP_USER_INVISIBLE: i64 = 230005;
/// Messages: `Bot ability is not activated.` (push_follow_up: `only support
/// latest message`).
pub const MESSAGE_BOT_NOT_ACTIVATED: i64 = 230006;
/// push_follow_up: `invalid follow up`.
pub const FOLLOW_UP_INVALID: i64 = 230007;
/// push_follow_up: `follow up already exist`.
pub const FOLLOW_UP_EXISTS: i64 = 230008;
/// Recall: `Message has expired when recall message.`
pub const MESSAGE_RECALL_EXPIRED: i64 = 230009;
/// Messages: `The message is recalled.`
pub const MESSAGE_RECALLED: i64 = 230011;
/// read_users: `Bot is NOT the sender of the message.`
pub const MESSAGE_BOT_NOT_SENDER: i64 = 230012;
/// Messages: `Bot has NO availability to this user.` (also a resigned user).
pub const MESSAGE_USER_OUT_OF_BOT_SCOPE: i64 = 230013;
/// Messages: `P2P chat can NOT be shared.`
pub const MESSAGE_P2P_NOT_SHAREABLE: i64 = 230015;
/// Messages: `Bot is NOT the owner of the resource.`
pub const MESSAGE_BOT_NOT_RESOURCE_OWNER: i64 = 230017;
/// Messages: `These operations are NOT allowed at current group settings.`
pub const MESSAGE_CHAT_SETTINGS_FORBID: i64 = 230018;
/// Messages: `The topic does NOT exist.` / `The thread does NOT exist.`
pub const MESSAGE_THREAD_NOT_FOUND: i64 = 230019;
/// Messages: `This operation triggers the frequency limit.`
pub const MESSAGE_RATE_LIMITED: i64 = 230020;
/// Messages: `The content of the message contains sensitive information.`
pub const MESSAGE_SENSITIVE_CONTENT: i64 = 230022;
/// Messages: `The length of the message content reaches its limit.`
pub const MESSAGE_CONTENT_TOO_LONG: i64 = 230025;
/// Recall: `No permission to recall this message.`
pub const MESSAGE_NO_RECALL_PERMISSION: i64 = 230026;
/// Messages: `Lack of necessary permissions.`
pub const MESSAGE_LACKS_PERMISSION: i64 = 230027;
/// Messages: `The messages do NOT pass the audit.`
pub const MESSAGE_AUDIT_FAILED: i64 = 230028;
/// Messages: `User has resigned.`
pub const MESSAGE_USER_RESIGNED: i64 = 230029;
/// Card patch: `Message can only be modified within 14 days after sending.`
pub const MESSAGE_UPDATE_EXPIRED: i64 = 230031;
/// read_users: the read status is only kept 7 days after sending.
pub const MESSAGE_READ_STATUS_EXPIRED: i64 = 230033;
/// Messages: `The receive_id is invalid.`
pub const MESSAGE_INVALID_RECEIVE_ID: i64 = 230034;
/// Messages: `Send Message Permission deny.`
pub const MESSAGE_SEND_PERMISSION_DENIED: i64 = 230035;
/// Messages: `Tenant crypt key has been deleted.`
pub const MESSAGE_TENANT_KEY_DELETED: i64 = 230036;
/// Messages: `Cross tenant p2p chat operate forbid.`
pub const MESSAGE_CROSS_TENANT_P2P: i64 = 230038;
/// Messages: `The message is being sent.`: try again shortly.
pub const MESSAGE_BEING_SENT: i64 = 230049;
/// Messages: `The message is invisible to the operator.`
pub const MESSAGE_INVISIBLE: i64 = 230050;
/// Messages: `The user has stopped the bot from sending messages.`
pub const MESSAGE_USER_BLOCKED_BOT: i64 = 230053;
/// Messages: `This operation is not supported for this message type.`
pub const MESSAGE_TYPE_UNSUPPORTED: i64 = 230054;
/// Messages: `The type of file upload does not match the type of message being sent.`
pub const MESSAGE_FILE_TYPE_MISMATCH: i64 = 230055;
/// Forward: `The message type does not support forwarding.`
pub const FORWARD_TYPE_UNSUPPORTED: i64 = 230061;
/// Forward: `No permission to forward to third-party encryption group.`
pub const FORWARD_ENCRYPTED_TARGET: i64 = 230062;
/// Forward: `The chat_id of group to forward is invalid.`
pub const FORWARD_INVALID_TARGET_CHAT: i64 = 230063;
/// Forward: the message(s) or thread to forward are invalid.
pub const FORWARD_INVALID_SOURCE: i64 = 230064;
/// Forward: the message(s) to forward have been recalled.
pub const FORWARD_SOURCE_RECALLED: i64 = 230065;
/// Forward: the source is in a secret chat.
pub const FORWARD_SECRET_SOURCE: i64 = 230066;
/// merge_forward: the messages mix threads, or threads and plain messages.
pub const MERGE_FORWARD_MIXED_SOURCES: i64 = 230067;
/// merge_forward: `Does not support forwarding messages from different groups.`
pub const MERGE_FORWARD_DIFFERENT_CHATS: i64 = 230069;
/// Forward: `Forwarding of messages in restricted mode is not allowed.`
pub const FORWARD_RESTRICTED_MODE: i64 = 230070;
/// Reply: the chat does not support replying in a thread (edit: `The
/// operator is not the sender of the message.`).
pub const MESSAGE_THREAD_REPLY_UNSUPPORTED: i64 = 230071;
/// Edit: the message was edited the most times allowed (20) (reply:
/// aggregated messages take no thread reply).
pub const MESSAGE_EDIT_LIMIT_REACHED: i64 = 230072;
/// History and thread forward: `The thread is invisible to the operator.`
/// (edit: messages in secret chats cannot be edited).
pub const MESSAGE_THREAD_INVISIBLE: i64 = 230073;
/// Forward: `The target thread is invisible to the operator.` (edit:
/// messages in third-party encrypted chats cannot be edited).
pub const FORWARD_TARGET_THREAD_INVISIBLE: i64 = 230074;
/// Send and reply: `Sending encrypted messages is not supported.` (edit:
/// `The message has exceeded the time that can be edited.`).
pub const MESSAGE_ENCRYPTED_CHAT: i64 = 230075;
/// Messages: `Failed to create card content.` (the card sub-code is in `msg`).
pub const MESSAGE_CARD_CONTENT_FAILED: i64 = 230099;
/// Messages: `Action unavailable as the message has been deleted.`
pub const MESSAGE_DELETED: i64 = 230110;
/// Reply: `Action unavailable as the message will self-destruct soon.`
pub const MESSAGE_SELF_DESTRUCTING: i64 = 230111;
/// History: `The chat type is not supported.`
pub const MESSAGE_CHAT_TYPE_UNSUPPORTED: i64 = 231203;
/// History: `The app type is not supported.`
pub const MESSAGE_APP_TYPE_UNSUPPORTED: i64 = 231204;
/// Messages: `Your request specifies a chat which has already been dissolved.`
pub const MESSAGE_CHAT_DISSOLVED: i64 = 232009;
/// Message resource: `Invalid request param.`
pub const RESOURCE_INVALID_PARAM: i64 = 234001;
/// Message resources, images and files: `Unauthorized.` (HTTP 401).
pub const RESOURCE_UNAUTHORIZED: i64 = 234002;
/// Message resource: `File not in message.`
pub const RESOURCE_NOT_IN_MESSAGE: i64 = 234003;
/// Message resource: `App not in chat.`
pub const RESOURCE_APP_NOT_IN_CHAT: i64 = 234004;
/// Message resource: `Lack of necessary permissions.`
pub const RESOURCE_LACKS_PERMISSION: i64 = 234009;
/// Message resource: `scope CheckAppTenant fail.`: retry.
pub const RESOURCE_SCOPE_CHECK_FAILED: i64 = 234019;
/// Message resource: `Downloaded file size exceeds limit.` (100 MB).
pub const RESOURCE_TOO_LARGE: i64 = 234037;
/// Message resource: restricted-mode messages' resources cannot be downloaded.
pub const RESOURCE_RESTRICTED_MODE: i64 = 234038;
/// Message resource: `The message is invisible to the operator.`
pub const RESOURCE_MESSAGE_INVISIBLE: i64 = 234040;
/// Message resource: `Tenant master key has been deleted`.
pub const RESOURCE_TENANT_KEY_DELETED: i64 = 234041;
/// Message resource: hybrid-deployment storage error (such as full storage).
pub const RESOURCE_STORAGE_ERROR: i64 = 234042;
/// Message resource: `Unsupported message type.`
pub const RESOURCE_MESSAGE_TYPE_UNSUPPORTED: i64 = 234043;
/// ephemeral delete: the card was already deleted.
pub const EPHEMERAL_ALREADY_DELETED: i64 = 18051;
/// Card update: the card's format is not accepted.
pub const CARD_UPDATE_INVALID_CARD: i64 = 11311;
/// Card update: the `card` parameter failed validation.
pub const CARD_UPDATE_INVALID_PARAM: i64 = 10002;
/// Card update: the card exceeds 100 KB once converted.
pub const CARD_UPDATE_TOO_LARGE: i64 = 100000;
/// Card update: a parameter is not valid JSON.
pub const CARD_UPDATE_INVALID_JSON: i64 = 100030;
/// Card update: the card message was recalled.
pub const CARD_UPDATE_RECALLED: i64 = 200000;
/// Card update: the card was sent by another app.
pub const CARD_UPDATE_OTHER_APP: i64 = 200310;
/// Card update: the `open_ids` of a non-shared card are wrong.
pub const CARD_UPDATE_INVALID_OPEN_IDS: i64 = 200320;
/// Card update: the token's format is wrong (it is `c-...`).
pub const CARD_UPDATE_TOKEN_MALFORMED: i64 = 300020;
/// Card update: the token expired (it lasts 30 minutes).
pub const CARD_UPDATE_TOKEN_EXPIRED: i64 = 300030;
/// Card update: the token was used its 2 times.
pub const CARD_UPDATE_TOKEN_USED_UP: i64 = 300040;
/// Card update: a non-shared card needs `open_ids`.
pub const CARD_UPDATE_OPEN_IDS_REQUIRED: i64 = 300090;

// ---------------------------------------------------------------------------
// Messaging: reactions, pins, buzz, images and files.
// ---------------------------------------------------------------------------

/// Messaging: `Your request contains an invalid request parameter.` (also
/// buzz with no valid user).
pub const IM_PARAM_INVALID: i64 = 230001;
/// Messaging: `The bot can not be outside the group.`
pub const IM_BOT_NOT_IN_CHAT: i64 = 230002;
/// Messaging: `Bot ability is not activated.`
pub const IM_BOT_ABILITY_DISABLED: i64 = 230006;
/// Messaging: `The message is recalled.`
pub const IM_MESSAGE_RECALLED: i64 = 230011;
/// Buzz: `Bot is NOT the sender of the message.`
pub const IM_BOT_NOT_SENDER: i64 = 230012;
/// Messaging: `Bot has NO availability to this user.` (also a resigned user).
pub const IM_BOT_NOT_AVAILABLE_TO_USER: i64 = 230013;
/// Buzz: `The user has too many unread urgent messages.` (200 at most).
pub const URGENT_TOO_MANY_UNREAD: i64 = 230023;
/// Buzz: `Reach the upper limit of urgent message.`: the tenant's quota is used up.
pub const URGENT_QUOTA_EXCEEDED: i64 = 230024;
/// Messaging: `Lack of necessary permissions.`
pub const IM_LACK_OF_PERMISSION: i64 = 230027;
/// Pins: `The chat not exist.`
pub const PIN_CHAT_NOT_FOUND: i64 = 230045;
/// Pins: `No Permission to Pin/Unpin messages in the chat.`
pub const PIN_NO_PERMISSION: i64 = 230046;
/// Pins: `Pin/Unpin message trigger message_id limit.` (5 per second per message).
pub const PIN_MESSAGE_RATE_LIMITED: i64 = 230047;
/// Pins: `Get chat pins trigger app_id limit.`
pub const PIN_LIST_RATE_LIMITED: i64 = 230048;
/// Messaging: `The message is invisible to the operator.`
pub const IM_MESSAGE_INVISIBLE: i64 = 230050;
/// Buzz: `Can not urgent this message.`: not allowed, or judged risky.
pub const URGENT_NOT_ALLOWED: i64 = 230052;
/// Messaging: `This operation is not supported for this message type.`
pub const IM_MESSAGE_TYPE_UNSUPPORTED: i64 = 230054;
/// Buzz: `The message is fold, not support urgent.`
pub const URGENT_MESSAGE_FOLDED: i64 = 230098;
/// Messaging: `Action unavailable as the message has been deleted.`
pub const IM_MESSAGE_DELETED: i64 = 230110;
/// Messaging: `Action unavailable as the message will self-destruct soon.`
pub const IM_MESSAGE_SELF_DESTRUCTING: i64 = 230111;
/// Messaging: `Your request specifies a chat which has already been dissolved.`
pub const IM_CHAT_DISSOLVED: i64 = 232009;
/// Reactions: `reaction type is invalid.`
pub const REACTION_TYPE_INVALID: i64 = 231001;
/// Reactions: `The operator has no permission to react on the specific message.`
pub const REACTION_NO_PERMISSION: i64 = 231002;
/// Reactions: `The message is not found, maybe not exist or deleted.`
pub const REACTION_MESSAGE_NOT_FOUND: i64 = 231003;
/// Reactions: `The chat in which the message exists is not found`.
pub const REACTION_CHAT_NOT_FOUND: i64 = 231004;
/// Reactions: `The thread has been no-trace removed, cannot put reaction.`
pub const REACTION_THREAD_REMOVED: i64 = 231005;
/// Reactions: `The operator_id is invalid.`
pub const REACTION_OPERATOR_INVALID: i64 = 231006;
/// Reactions: `The operator has no permission to delete this reaction.`
/// (only who added a reaction may remove it).
pub const REACTION_NOT_OWNER: i64 = 231007;
/// Reactions: `The operator has no access to the message.`
pub const REACTION_NO_ACCESS: i64 = 231008;
/// Reactions: `The reaction does not belong to the message.`
pub const REACTION_NOT_OF_MESSAGE: i64 = 231010;
/// Reactions: `The request has an invalid reaction_id.`
pub const REACTION_ID_INVALID: i64 = 231011;
/// Reactions: `The request has an invalid pageToken.`
pub const REACTION_PAGE_TOKEN_INVALID: i64 = 231012;
/// Reactions: `The request has an invalid AuthType.`
pub const REACTION_AUTH_TYPE_INVALID: i64 = 231013;
/// Reactions: `user_id_type is invalid.`
pub const REACTION_USER_ID_TYPE_INVALID: i64 = 231014;
/// Reactions: `Act on reaction failed, repeated request is processing.`
pub const REACTION_REQUEST_IN_PROGRESS: i64 = 231015;
/// Reactions: `This operation is not supported for this message type.`
pub const REACTION_MESSAGE_TYPE_UNSUPPORTED: i64 = 231017;
/// Reactions: `The message is invisible to the operator.`
pub const REACTION_MESSAGE_INVISIBLE: i64 = 231018;
/// Reactions: the message's sender's settings forbid it for now.
pub const REACTION_BLOCKED_BY_USER: i64 = 231019;
/// Reactions: the tenant administrator's settings forbid it for now.
pub const REACTION_BLOCKED_BY_TENANT: i64 = 231020;
/// Reactions: `No permission to operate external chats.`
pub const REACTION_EXTERNAL_CHAT_DENIED: i64 = 231021;
/// Reactions: `Bot has NO availability to this user.`
pub const REACTION_BOT_NOT_AVAILABLE: i64 = 231022;
/// Images and files: `Meta writing has stopped, please try again later.`
pub const META_WRITING_STOPPED: i64 = 232096;
/// Images and files: `Invalid request param.`
pub const RESOURCE_PARAM_INVALID: i64 = 234001;
/// Images and files: `Image has been deleted`: the resource does not exist.
pub const RESOURCE_NOT_FOUND: i64 = 234005;
/// Images and files: `The file size exceed the max value.` (files 30 MB,
/// images 10 MB).
pub const UPLOAD_TOO_LARGE: i64 = 234006;
/// Images and files: `App does not enable bot feature.`
pub const RESOURCE_BOT_DISABLED: i64 = 234007;
/// Images and files: `The app is not the resource sender`.
pub const RESOURCE_NOT_OWNER: i64 = 234008;
/// Images and files: `File's size can't be 0.`
pub const RESOURCE_EMPTY: i64 = 234010;
/// Images: `Can't regonnize the image format.`
pub const IMAGE_FORMAT_UNSUPPORTED: i64 = 234011;
/// Files: `Downloaded file size exceeds limit.` (100 MB).
pub const DOWNLOAD_TOO_LARGE: i64 = 234037;
/// Images: `Image resolution exceeds limit.`
pub const IMAGE_RESOLUTION_TOO_LARGE: i64 = 234039;
/// Images and files: `Tenant master key has been deleted`.
pub const TENANT_MASTER_KEY_DELETED: i64 = 234041;
/// Images and files: `Hybrid deployment tenant storage error` (storage full, ...).
pub const TENANT_STORAGE_ERROR: i64 = 234042;

/// What a client should do about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Not an error.
    Ok,
    /// Rate limited: the server did not process the call; wait and retry.
    RateLimited,
    /// A transient server fault: retry when it is safe to repeat the call.
    Transient,
    /// The tenant or app token is invalid or expired: refetch it and retry once.
    AppTokenInvalid,
    /// The user token is invalid or expired: the caller must refresh it.
    UserTokenInvalid,
    /// The app or user lacks a permission or scope.
    Permission,
    /// Anything else: the request itself is wrong; do not retry.
    Request,
}

impl ErrorClass {
    /// Whether errors of this class may succeed when retried.
    pub const fn is_retryable(self) -> bool {
        matches!(self, ErrorClass::RateLimited | ErrorClass::Transient)
    }
}

/// The class of a code.
pub const fn classify(code: i64) -> ErrorClass {
    match code {
        OK => ErrorClass::Ok,
        RATE_LIMITED | GROUP_RATE_LIMITED => ErrorClass::RateLimited,
        INTERNAL_ERROR_1500
        | INTERNAL_ERROR_2200
        | INTERNAL_ERROR_5000
        | INTERNAL_ERROR_10101
        | INTERNAL_SERVER_ERROR
        | GROUP_INTERNAL_ERROR => ErrorClass::Transient,
        INVALID_ACCESS_TOKEN | INVALID_APP_TOKEN | INVALID_TENANT_TOKEN => {
            ErrorClass::AppTokenInvalid
        }
        INVALID_USER_TOKEN | USER_TOKEN_EXPIRED | INVALID_USER_REFRESH_TOKEN => {
            ErrorClass::UserTokenInvalid
        }
        MISSING_SCOPE | TOKEN_NO_PERMISSION | USER_NOT_AUTHORIZED | UNAUTHORIZED_APP
        | APP_NOT_IN_USE | APP_UNAUTHORIZED => ErrorClass::Permission,
        // Messages and message cards.
        MESSAGE_RATE_LIMITED => ErrorClass::RateLimited,
        MESSAGE_BEING_SENT | RESOURCE_SCOPE_CHECK_FAILED => ErrorClass::Transient,
        MESSAGE_BOT_NOT_ACTIVATED
        | MESSAGE_USER_OUT_OF_BOT_SCOPE
        | MESSAGE_CHAT_SETTINGS_FORBID
        | MESSAGE_NO_RECALL_PERMISSION
        | MESSAGE_LACKS_PERMISSION
        | MESSAGE_SEND_PERMISSION_DENIED
        | FORWARD_ENCRYPTED_TARGET
        | RESOURCE_UNAUTHORIZED
        | RESOURCE_LACKS_PERMISSION => ErrorClass::Permission,
        // Messaging: reactions, pins, buzz, images and files.
        PIN_MESSAGE_RATE_LIMITED | PIN_LIST_RATE_LIMITED => ErrorClass::RateLimited,
        REACTION_REQUEST_IN_PROGRESS | META_WRITING_STOPPED => ErrorClass::Transient,
        PIN_NO_PERMISSION
        | URGENT_NOT_ALLOWED
        | REACTION_NO_PERMISSION
        | REACTION_NOT_OWNER
        | REACTION_NO_ACCESS
        | REACTION_EXTERNAL_CHAT_DENIED
        | REACTION_BOT_NOT_AVAILABLE
        | RESOURCE_BOT_DISABLED
        | RESOURCE_NOT_OWNER => ErrorClass::Permission,
        _ => ErrorClass::Request,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert_eq!(classify(99991400), ErrorClass::RateLimited);
        assert_eq!(classify(232019), ErrorClass::RateLimited);
        assert_eq!(classify(99991663), ErrorClass::AppTokenInvalid);
        assert_eq!(classify(99991665), ErrorClass::AppTokenInvalid);
        assert_eq!(classify(99991677), ErrorClass::UserTokenInvalid);
        assert_eq!(classify(99991672), ErrorClass::Permission);
        assert_eq!(classify(232006), ErrorClass::Request);
        assert!(classify(1500).is_retryable());
        assert!(!classify(232006).is_retryable());
    }

    #[test]
    fn message_classes() {
        assert_eq!(classify(MESSAGE_RATE_LIMITED), ErrorClass::RateLimited);
        assert!(classify(MESSAGE_BEING_SENT).is_retryable());
        assert!(classify(RESOURCE_SCOPE_CHECK_FAILED).is_retryable());
        assert_eq!(classify(MESSAGE_LACKS_PERMISSION), ErrorClass::Permission);
        assert_eq!(classify(RESOURCE_UNAUTHORIZED), ErrorClass::Permission);
        assert_eq!(classify(MESSAGE_CONTENT_TOO_LONG), ErrorClass::Request);
        assert_eq!(classify(CARD_UPDATE_TOKEN_EXPIRED), ErrorClass::Request);
        assert!(!classify(EPHEMERAL_ALREADY_DELETED).is_retryable());
    }
}

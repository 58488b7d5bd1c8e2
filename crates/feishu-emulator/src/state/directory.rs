//! Tenants, apps (bots) and users, and how ids of each kind resolve to them.

use std::collections::{BTreeMap, HashMap};

use feishu_model::events::UserIds;
use feishu_model::{AppId, MemberId, MemberIdType, Secret, TenantKey, UserIdType};

/// A user, by position in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct UserKey(pub(crate) usize);

/// Who acts or is a member: a user or an app's bot.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Principal {
    /// A user.
    User(UserKey),
    /// An app's bot.
    Bot(AppId),
}

/// An app and its bot.
#[derive(Debug, Clone)]
pub(crate) struct App {
    pub(crate) secret: Secret,
    pub(crate) home: TenantKey,
    pub(crate) marketplace: bool,
    pub(crate) installed: Vec<TenantKey>,
    pub(crate) ticket: Option<Secret>,
    pub(crate) enabled: bool,
    pub(crate) bot_enabled: bool,
    pub(crate) bot_open_id: String,
    pub(crate) verification_token: Secret,
    pub(crate) callback_url: Option<String>,
    pub(crate) encrypt_key: Option<Secret>,
    pub(crate) events: Option<Vec<String>>,
    /// The bot's name (how users @-mention it).
    pub(crate) name: String,
    /// Granted `im:message.group_msg`: receives every group message, not
    /// only those that @-mention the bot.
    pub(crate) group_msg: bool,
}

impl App {
    /// Whether the app may act in `tenant`.
    pub(crate) fn installed_in(&self, tenant: &TenantKey) -> bool {
        &self.home == tenant || self.installed.contains(tenant)
    }

    /// Whether the app subscribes to `event_type`.
    pub(crate) fn subscribes(&self, event_type: &str) -> bool {
        self.events
            .as_ref()
            .map_or(true, |list| list.iter().any(|e| e == event_type))
    }
}

/// A user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) open_id: String,
    pub(crate) union_id: String,
    pub(crate) user_id: String,
    pub(crate) name: String,
    pub(crate) tenant: TenantKey,
    pub(crate) resigned: bool,
}

/// Everyone the emulator knows.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    /// Tenant keys and display names.
    pub(crate) tenants: BTreeMap<TenantKey, String>,
    pub(crate) apps: BTreeMap<AppId, App>,
    /// App ids in fixture order.
    pub(crate) app_order: Vec<AppId>,
    pub(crate) users: Vec<User>,
    by_open: HashMap<String, UserKey>,
    by_union: HashMap<String, UserKey>,
    by_user_id: HashMap<(TenantKey, String), UserKey>,
    by_apaas: HashMap<(TenantKey, String), UserKey>,
}

impl Directory {
    /// Adds a user; `false` when one of its ids is already taken.
    pub(crate) fn add_user(&mut self, user: User, apaas_id: Option<String>) -> bool {
        let key = UserKey(self.users.len());
        let user_id = (user.tenant.clone(), user.user_id.clone());
        if self.by_open.contains_key(&user.open_id)
            || self.by_union.contains_key(&user.union_id)
            || self.by_user_id.contains_key(&user_id)
        {
            return false;
        }
        self.by_open.insert(user.open_id.clone(), key);
        self.by_union.insert(user.union_id.clone(), key);
        self.by_user_id.insert(user_id, key);
        if let Some(id) = apaas_id {
            self.by_apaas.insert((user.tenant.clone(), id), key);
        }
        self.users.push(user);
        true
    }

    /// The user behind a key.
    pub(crate) fn user(&self, key: UserKey) -> Option<&User> {
        self.users.get(key.0)
    }

    /// The user with this open id.
    pub(crate) fn by_open_id(&self, open_id: &str) -> Option<UserKey> {
        self.by_open.get(open_id).copied()
    }

    /// The user with this aPaaS (kunlun) id in `tenant`.
    pub(crate) fn by_apaas_id(&self, tenant: &TenantKey, id: &str) -> Option<UserKey> {
        self.by_apaas.get(&(tenant.clone(), id.to_owned())).copied()
    }

    /// Resolves a user id of the given kind (`user_id`s are looked up in `tenant`).
    pub(crate) fn resolve_user(
        &self,
        kind: &UserIdType,
        id: &str,
        tenant: &TenantKey,
    ) -> Option<UserKey> {
        match kind {
            UserIdType::OpenId => self.by_open.get(id).copied(),
            UserIdType::UnionId => self.by_union.get(id).copied(),
            UserIdType::UserId => self
                .by_user_id
                .get(&(tenant.clone(), id.to_owned()))
                .copied(),
            _ => None,
        }
    }

    /// Resolves a member id: a user id of a user kind, or an app id.
    pub(crate) fn resolve_member(
        &self,
        kind: &MemberIdType,
        id: &str,
        tenant: &TenantKey,
    ) -> Option<Principal> {
        match kind {
            MemberIdType::AppId => {
                let app = AppId::from(id);
                self.apps.contains_key(&app).then_some(Principal::Bot(app))
            }
            other => self
                .resolve_user(&user_kind(other)?, id, tenant)
                .map(Principal::User),
        }
    }

    /// A user's id of the given kind.
    pub(crate) fn id_of(&self, key: UserKey, kind: &UserIdType) -> MemberId {
        let Some(user) = self.user(key) else {
            return MemberId::default();
        };
        MemberId::new(match kind {
            UserIdType::UnionId => user.union_id.as_str(),
            UserIdType::UserId => user.user_id.as_str(),
            _ => user.open_id.as_str(),
        })
    }

    /// A member's id for an answer: users by `kind`, bots by app id.
    pub(crate) fn member_id_of(&self, who: &Principal, kind: &UserIdType) -> MemberId {
        match who {
            Principal::User(key) => self.id_of(*key, kind),
            Principal::Bot(app) => MemberId::new(app.as_str()),
        }
    }

    /// A principal's ids, as events carry them (a bot by its open id).
    pub(crate) fn event_ids(&self, who: &Principal) -> UserIds {
        match who {
            Principal::User(key) => match self.user(*key) {
                Some(u) => UserIds {
                    union_id: Some(u.union_id.clone()),
                    user_id: Some(u.user_id.clone()),
                    open_id: Some(u.open_id.clone()),
                    extra: Default::default(),
                },
                None => UserIds::default(),
            },
            Principal::Bot(app) => UserIds {
                open_id: self.apps.get(app).map(|a| a.bot_open_id.clone()),
                ..UserIds::default()
            },
        }
    }

    /// The tenant a principal belongs to (a bot: its app's home tenant).
    pub(crate) fn tenant_of(&self, who: &Principal) -> Option<TenantKey> {
        match who {
            Principal::User(key) => self.user(*key).map(|u| u.tenant.clone()),
            Principal::Bot(app) => self.apps.get(app).map(|a| a.home.clone()),
        }
    }
}

/// The user id kind of a member id kind (`None` for `app_id` and unknown kinds).
pub(crate) fn user_kind(kind: &MemberIdType) -> Option<UserIdType> {
    match kind {
        MemberIdType::OpenId => Some(UserIdType::OpenId),
        MemberIdType::UnionId => Some(UserIdType::UnionId),
        MemberIdType::UserId => Some(UserIdType::UserId),
        _ => None,
    }
}

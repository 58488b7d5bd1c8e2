//! Seams for state that several processes of one app may share: the
//! [`TokenStore`] behind the default token provider, and the error every
//! shared store reports. The client works without any of them (everything is
//! then kept in process); `feishu-redis` implements them on Redis.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use feishu_model::{Secret, TokenKind};
use sha2::{Digest, Sha256};

/// A shared store failed (unreachable, timed out, answered garbage). The
/// message never holds a token or a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("shared store failed: {message}")]
pub struct StoreError {
    /// What failed.
    pub message: String,
}

impl StoreError {
    /// An error with the given description (never put secrets in it).
    pub fn new(message: impl Into<String>) -> Self {
        StoreError {
            message: message.into(),
        }
    }
}

/// What one cached token is stored under: the app, a fingerprint of its
/// secret (so a client holding a wrong or rotated secret never reuses a
/// token fetched with another one), the token kind and the tenant.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenKey {
    /// The app id.
    pub app_id: String,
    /// The first 8 bytes of SHA-256 over the app secret, in hex.
    pub fingerprint: String,
    /// Tenant or app token.
    pub kind: TokenKind,
    /// The tenant of a marketplace app's tenant token; empty otherwise.
    pub tenant: String,
}

impl TokenKey {
    /// The key of (`kind`, `tenant`) for the app `app_id` with `secret`.
    pub fn new(app_id: &str, secret: &Secret, kind: TokenKind, tenant: &str) -> Self {
        TokenKey {
            app_id: app_id.to_owned(),
            fingerprint: fingerprint(secret),
            kind,
            tenant: tenant.to_owned(),
        }
    }
}

/// The first 8 bytes of SHA-256 over `secret`, in lower-case hex: enough to
/// tell secrets apart, useless for recovering one.
pub fn fingerprint(secret: &Secret) -> String {
    let digest = Sha256::digest(secret.expose().as_bytes());
    digest
        .iter()
        .take(8)
        .fold(String::with_capacity(16), |mut s, b| {
            use std::fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A store of access tokens shared by the processes of one app, behind the
/// default token provider (which keeps its own in-process cache in front of
/// it and its single flight within the process).
///
/// Tokens are bearer credentials: implementations never log them.
#[async_trait]
pub trait TokenStore: Send + Sync + fmt::Debug {
    /// The token under `key` and its remaining lifetime, if one is stored.
    async fn get(&self, key: &TokenKey) -> Result<Option<(Secret, Duration)>, StoreError>;

    /// Stores `token` under `key`, to expire after `ttl`.
    async fn set(&self, key: &TokenKey, token: &Secret, ttl: Duration) -> Result<(), StoreError>;

    /// Removes the token under `key` only if it is still `token` (a newer
    /// token stored by another process survives). Whether it was removed.
    async fn delete_if(&self, key: &TokenKey, token: &Secret) -> Result<bool, StoreError>;

    /// Tries to become the one process that fetches `key` for the next
    /// `ttl`: `Some(lease)` when this process won. The default has no lock
    /// and always wins (every process then fetches its own token, which is
    /// safe: a new token does not revoke the old one).
    async fn try_lock(
        &self,
        _key: &TokenKey,
        _ttl: Duration,
    ) -> Result<Option<String>, StoreError> {
        Ok(Some(String::new()))
    }

    /// Releases a lock won with [`TokenStore::try_lock`] if it still holds `lease`.
    async fn unlock(&self, _key: &TokenKey, _lease: &str) -> Result<(), StoreError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_secrets_apart_and_hide_them() {
        let a = fingerprint(&Secret::new("secret-a"));
        let b = fingerprint(&Secret::new("secret-b"));
        assert_eq!(a.len(), 16);
        assert_ne!(a, b);
        assert_eq!(a, fingerprint(&Secret::new("secret-a")));
        assert!(!a.contains("secret"));
        let key = TokenKey::new("cli_a", &Secret::new("secret-a"), TokenKind::Tenant, "");
        assert_eq!(key.fingerprint, a);
    }
}

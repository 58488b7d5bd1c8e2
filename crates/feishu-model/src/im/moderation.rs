//! moderation endpoints.

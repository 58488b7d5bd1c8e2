//! members endpoints.

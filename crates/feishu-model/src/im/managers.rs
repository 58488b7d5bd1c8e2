//! managers endpoints.

//! top_notice endpoints.

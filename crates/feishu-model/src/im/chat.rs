//! chat endpoints.

//! menu endpoints.

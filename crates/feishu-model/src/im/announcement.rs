//! announcement endpoints.

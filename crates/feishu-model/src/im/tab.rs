//! tab endpoints.

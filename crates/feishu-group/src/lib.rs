//! Group services (filled by the group crate work).
#![forbid(unsafe_code)]

//! aPaaS endpoints.

pub mod user_task;

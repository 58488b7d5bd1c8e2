//! aPaaS services.
#![forbid(unsafe_code)]

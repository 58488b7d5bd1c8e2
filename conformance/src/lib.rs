//! Conformance runner.
#![forbid(unsafe_code)]
